use copydesk_core::diff::{Granularity, OpKind};
use copydesk_core::{AssetKind, Reach};
use copydesk_service::{AuthorSpec, ErrorKind, VersionSpec};

use crate::world::{assert_refused, default_policy, each_backend};

#[test]
fn revert_adds_a_version_and_keeps_history() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &[]);
        let asset = w.drafted(brief, AssetKind::Blog);
        w.edit(asset, "dana", "A third take.");
        let v4 = w.svc.asset_revert("dana", asset, 1, "").expect("revert");
        assert_eq!(v4, 4);
        let v1 = w.svc.version_show("dana", asset, Some(1)).expect("v1");
        let current = w.svc.version_show("dana", asset, None).expect("current");
        assert_eq!(current.text, v1.text);
        assert_eq!(current.reverted_from, Some(1));
        assert_eq!(current.parent, Some(3));
        assert_eq!(current.note, "revert to version 1");
        let history = w
            .svc
            .asset_history("dana", asset, None, 10)
            .expect("history");
        assert_eq!(
            history.iter().map(|v| v.number).collect::<Vec<_>>(),
            [4, 3, 2, 1]
        );
        let older = w
            .svc
            .asset_history("dana", asset, Some(3), 1)
            .expect("page");
        assert_eq!(older.iter().map(|v| v.number).collect::<Vec<_>>(), [2]);
        assert_refused(
            w.svc.asset_revert("dana", asset, 4, ""),
            ErrorKind::Invalid,
            "already the current version",
        );
        assert_refused(
            w.svc.asset_revert("dana", asset, 7, ""),
            ErrorKind::NotFound,
            "has no version 7 (versions are 1 to 4)",
        );
    });
}

#[test]
fn diffs_compare_any_two_versions() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &[]);
        let asset = w.drafted(brief, AssetKind::Blog);
        let words = w
            .svc
            .asset_diff("dana", asset, 1, Some(2), Granularity::Words)
            .expect("diff");
        assert!(words
            .ops
            .iter()
            .any(|o| o.op == OpKind::Delete && o.text.contains("Guaranteed")));
        assert!(words.stats.inserted > 0 && words.stats.deleted > 0);
        let lines = w
            .svc
            .asset_diff("dana", asset, 2, None, Granularity::Lines)
            .expect("diff");
        assert!(lines.ops.iter().all(|o| o.op == OpKind::Equal));
    });
}

#[test]
fn oversized_and_empty_text_is_refused_without_writing() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &[]);
        let asset = w.asset(brief, AssetKind::Blog);
        let before = w.audit_len();
        let big = "word ".repeat(1_100_000);
        let spec = |text| VersionSpec {
            text,
            author: AuthorSpec::Human,
            note: "",
            provenance: None,
        };
        assert_refused(
            w.svc.version_add("bob", asset, &spec(&big)),
            ErrorKind::Invalid,
            "the limit is 5242880 bytes",
        );
        assert_refused(
            w.svc.version_add("bob", asset, &spec("  ")),
            ErrorKind::Invalid,
            "empty",
        );
        assert_refused(
            w.svc.version_add("carol", asset, &spec("hi")),
            ErrorKind::Refused,
            "adding a version needs",
        );
        assert_eq!(w.audit_len(), before);
        assert_eq!(
            w.svc
                .asset_show("bob", asset)
                .expect("show")
                .asset
                .current_version,
            0
        );
    });
}

#[test]
fn briefs_are_versioned_and_checked() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &[]);
        assert!(w.svc.brief_check("alice", brief).expect("check").is_empty());
        let mut content = w
            .svc
            .brief_show("alice", brief, None)
            .expect("show")
            .brief
            .content;
        content.audience = "TBD".into();
        content.source_material.clear();
        assert_eq!(w.svc.brief_edit("alice", brief, &content).expect("edit"), 2);
        let gaps = w.svc.brief_check("alice", brief).expect("check");
        let fields: Vec<_> = gaps.iter().map(|g| g.field.as_str()).collect();
        assert_eq!(fields, ["audience", "source_material"]);
        w.svc
            .source_add(
                "alice",
                brief,
                copydesk_core::SourceKind::SupportTicket,
                "ticket 4411",
                "Payroll export fails at month end",
            )
            .expect("source");
        assert_eq!(w.svc.brief_check("alice", brief).expect("check").len(), 1);
        let v1 = w.svc.brief_show("alice", brief, Some(1)).expect("v1");
        assert_eq!(
            v1.brief.content.audience,
            "finance leads at mid-size retailers"
        );
        assert_refused(
            w.svc.brief_edit("alice", brief, &content),
            ErrorKind::Invalid,
            "unchanged",
        );
        assert_refused(
            w.svc.brief_show("alice", brief, Some(3)),
            ErrorKind::NotFound,
            "has no version 3",
        );
        assert_refused(
            w.svc.brief_edit("bob", brief, &content),
            ErrorKind::Refused,
            "editing a brief needs strategist",
        );
    });
}
