//! Tampering is done with raw SQL, as someone with database access would: first removing
//! the append-only triggers, then editing, deleting or swapping rows.

use copydesk_core::audit::ChainBreak;
use copydesk_core::{AssetKind, Reach};

use crate::world::{default_policy, each_backend, World};

fn tamper(w: &World, statements: &[&str]) {
    let url = &w.backend.url;
    if let Some(path) = url.strip_prefix("sqlite://") {
        let conn = rusqlite::Connection::open(path).expect("open sqlite");
        conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
            .expect("drop triggers");
        for s in statements {
            conn.execute_batch(s).expect("tamper");
        }
    } else {
        let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
        client
            .batch_execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            .expect("disable triggers");
        for s in statements {
            client.batch_execute(s).expect("tamper");
        }
    }
}

fn busy_world(w: &mut World) {
    let brief = w.brief(Reach::Owned, &["finance"]);
    let asset = w.drafted(brief, AssetKind::Blog);
    w.svc.review_submit("bob", asset).expect("submit");
    w.approve("dana", asset).expect("approve");
}

#[test]
fn an_untouched_chain_verifies_and_is_append_only() {
    each_backend(default_policy(), |w| {
        busy_world(w);
        let report = w.svc.audit_verify("alice").expect("verify");
        assert!(report.ok(), "{:?}", report.broken);
        assert_eq!(report.entries as usize, w.audit_len());
        assert_eq!(report.head_hash.len(), 64);
        // the triggers refuse rewriting history
        let url = w.backend.url.clone();
        let refused = if let Some(path) = url.strip_prefix("sqlite://") {
            let conn = rusqlite::Connection::open(path).expect("open");
            conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", [])
                .is_err()
                && conn.execute("DELETE FROM versions", []).is_err()
        } else {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
            c.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", &[])
                .is_err()
                && c.execute("DELETE FROM versions", &[]).is_err()
        };
        assert!(refused, "history must be append-only on {}", w.name());
    });
}

#[test]
fn an_edited_entry_is_named() {
    each_backend(default_policy(), |w| {
        busy_world(w);
        let sql = "UPDATE audit_log SET details = '{\"version\":1}' WHERE seq = 12";
        tamper(w, &[sql]);
        let report = w.svc.audit_verify("alice").expect("verify");
        assert_eq!(
            report.broken,
            Some(ChainBreak::Altered { seq: 12 }),
            "{}",
            w.name()
        );
        assert_eq!(report.entries, 11);
    });
}

#[test]
fn a_deleted_entry_is_named() {
    each_backend(default_policy(), |w| {
        busy_world(w);
        tamper(w, &["DELETE FROM audit_log WHERE seq = 7"]);
        let report = w.svc.audit_verify("alice").expect("verify");
        assert_eq!(
            report.broken,
            Some(ChainBreak::Missing {
                expected: 7,
                found: 8
            }),
            "{}",
            w.name()
        );
    });
}

#[test]
fn swapped_entries_are_named() {
    each_backend(default_policy(), |w| {
        busy_world(w);
        // exchange everything but the position of entries 9 and 10
        tamper(
            w,
            &[
                "UPDATE audit_log SET seq = -9 WHERE seq = 9",
                "UPDATE audit_log SET seq = 9 WHERE seq = 10",
                "UPDATE audit_log SET seq = 10 WHERE seq = -9",
            ],
        );
        let report = w.svc.audit_verify("alice").expect("verify");
        assert_eq!(
            report.broken,
            Some(ChainBreak::Unlinked { seq: 9 }),
            "{}",
            w.name()
        );
        assert_eq!(report.head_seq, 8);
    });
}
