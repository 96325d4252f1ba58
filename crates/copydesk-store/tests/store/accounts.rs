//! Accounts and webhooks (issue 5): passwords, sessions, API tokens, login attempts, webhooks
//! and the delivery queue, on every backend like the rest of the suite.

use std::collections::BTreeSet;

/// One delivery-log row as the tests compare it: id, state, attempts, status, error.
type LogRow<'a> = (DeliveryId, DeliveryState, u32, Option<u16>, Option<&'a str>);

use chrono::{DateTime, Utc};
use copydesk_core::account::{DeliveryState, WebhookEvent};
use copydesk_core::{BrandId, Role, UserId};
use copydesk_core::{DeliveryId, TokenId, WebhookId};
use copydesk_store::test_support::backends;

use super::{assert_conflict, at, each_backend, read, write};
use copydesk_store::{
    DeliveryOutcome, NewApiToken, NewDelivery, NewSession, NewWebhook, Store, Tx,
};

/// `at(offset_secs)` plus some microseconds, for windows that must not round to a second.
fn at_micros(offset_secs: i64, micros: i64) -> DateTime<Utc> {
    at(offset_secs) + chrono::Duration::microseconds(micros)
}

struct Org {
    acme: BrandId,
    zeta: BrandId,
    alice: UserId,
    bob: UserId,
}

/// Two brands and two people, committed.
fn org(store: &mut dyn Store) -> Org {
    let mut tx = write(store);
    let acme = tx
        .insert_brand("acme", "Acme", "kit", at(0))
        .expect("insert acme");
    let zeta = tx
        .insert_brand("zeta", "Zeta", "kit", at(0))
        .expect("insert zeta");
    let alice = tx
        .insert_user("alice", "Alice A.", false, at(1))
        .expect("insert alice");
    let bob = tx
        .insert_user("bob", "Bob B.", true, at(2))
        .expect("insert bob");
    tx.commit().expect("commit");
    Org {
        acme,
        zeta,
        alice,
        bob,
    }
}

#[test]
fn password_hashes_are_set_and_read() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        assert_eq!(
            tx.password_hash(org.alice).expect("hash"),
            None,
            "{name}: no password until one is set"
        );
        tx.set_password_hash(org.alice, "$argon2id$v=19$first")
            .expect("set hash");
        tx.set_password_hash(org.alice, "$argon2id$v=19$second")
            .expect("replace hash");
        tx.commit().expect("commit");

        let mut tx = read(store);
        assert_eq!(
            tx.password_hash(org.alice).expect("hash").as_deref(),
            Some("$argon2id$v=19$second"),
            "{name}"
        );
        assert_eq!(tx.password_hash(org.bob).expect("hash"), None, "{name}");
        assert_eq!(
            tx.password_hash(UserId(9_999)).expect("hash"),
            None,
            "{name}"
        );
        // Users still read as before: the hash is not part of a user.
        let alice = tx
            .user_by_name("alice")
            .expect("by name")
            .expect("alice exists");
        assert_eq!(alice.display_name, "Alice A.", "{name}");
    });
}

#[test]
fn sessions_are_looked_up_touched_and_revoked() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let first = tx
            .insert_session(&NewSession {
                token_hash: "hash-1",
                user: org.alice,
                csrf_token: "csrf-1",
                at: at(10),
                expires_at: at(3_610),
            })
            .expect("insert session");
        let second = tx
            .insert_session(&NewSession {
                token_hash: "hash-2",
                user: org.alice,
                csrf_token: "csrf-2",
                at: at(11),
                expires_at: at(3_611),
            })
            .expect("insert session");
        let bobs = tx
            .insert_session(&NewSession {
                token_hash: "hash-3",
                user: org.bob,
                csrf_token: "csrf-3",
                at: at(12),
                expires_at: at(3_612),
            })
            .expect("insert session");
        assert!(first != second && second != bobs, "{name}: distinct ids");
        tx.commit().expect("commit");

        // A failed statement aborts a PostgreSQL transaction: the conflict gets its own.
        let mut tx = write(store);
        assert_conflict(
            name,
            tx.insert_session(&NewSession {
                token_hash: "hash-1",
                user: org.bob,
                csrf_token: "csrf-4",
                at: at(13),
                expires_at: at(3_613),
            }),
        );
        drop(tx);

        let mut tx = read(store);
        let session = tx
            .session_by_hash("hash-1")
            .expect("by hash")
            .expect("the first session");
        assert_eq!(session.id, first, "{name}");
        assert_eq!(session.user, org.alice, "{name}");
        assert_eq!(session.csrf_token, "csrf-1", "{name}");
        assert_eq!(session.created_at, at(10), "{name}");
        assert_eq!(session.last_seen_at, at(10), "{name}: seen when created");
        assert_eq!(session.expires_at, at(3_610), "{name}");
        assert_eq!(session.revoked_at, None, "{name}");
        assert_eq!(tx.session_by_hash("nope").expect("by hash"), None, "{name}");
        drop(tx);

        let mut tx = write(store);
        tx.touch_session(first, at(100), at(3_700))
            .expect("touch session");
        tx.revoke_session(second, at(200)).expect("revoke");
        tx.revoke_session(second, at(300)).expect("revoke again");
        tx.commit().expect("commit");

        let mut tx = read(store);
        let touched = tx
            .session_by_hash("hash-1")
            .expect("by hash")
            .expect("the first session");
        assert_eq!(
            (touched.last_seen_at, touched.expires_at, touched.created_at),
            (at(100), at(3_700), at(10)),
            "{name}: touching slides the expiry and keeps the creation time"
        );
        let revoked = tx
            .session_by_hash("hash-2")
            .expect("by hash")
            .expect("a revoked session is still found");
        assert_eq!(
            revoked.revoked_at,
            Some(at(200)),
            "{name}: the first revocation time is kept"
        );
        drop(tx);

        let mut tx = write(store);
        assert_eq!(
            tx.revoke_sessions_of(org.alice, at(400))
                .expect("sign out everywhere"),
            1,
            "{name}: only the session not yet revoked counts"
        );
        assert_eq!(
            tx.revoke_sessions_of(org.alice, at(500))
                .expect("sign out again"),
            0,
            "{name}"
        );
        tx.commit().expect("commit");

        let mut tx = read(store);
        assert_eq!(revoked_at(tx.as_mut(), "hash-1"), Some(at(400)), "{name}");
        assert_eq!(revoked_at(tx.as_mut(), "hash-2"), Some(at(200)), "{name}");
        assert_eq!(
            revoked_at(tx.as_mut(), "hash-3"),
            None,
            "{name}: bob's session is untouched"
        );
        assert_eq!(
            tx.session_by_hash("hash-3").expect("by hash").map(|s| s.id),
            Some(bobs)
        );
    });
}

fn revoked_at(tx: &mut dyn Tx, token_hash: &str) -> Option<DateTime<Utc>> {
    tx.session_by_hash(token_hash)
        .expect("by hash")
        .expect("the session")
        .revoked_at
}

fn new_token<'a>(org: &Org, hash: &'a str, name: &'a str, brand: BrandId) -> NewApiToken<'a> {
    NewApiToken {
        token_hash: hash,
        name,
        prefix: "cdk_1234",
        user: org.alice,
        brand,
        role: Role::Editor,
        at: at(20),
    }
}

#[test]
fn api_tokens_are_listed_touched_and_revoked_once() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let ci = tx
            .insert_api_token(&new_token(&org, "t-hash-1", "ci", org.acme))
            .expect("insert token");
        let cms = tx
            .insert_api_token(&NewApiToken {
                prefix: "cdk_abcd",
                user: org.bob,
                role: Role::BrandLead,
                at: at(21),
                ..new_token(&org, "t-hash-2", "cms", org.acme)
            })
            .expect("insert token");
        let other = tx
            .insert_api_token(&new_token(&org, "t-hash-3", "zeta ci", org.zeta))
            .expect("insert token");
        tx.commit().expect("commit");

        let mut tx = write(store);
        assert_conflict(
            name,
            tx.insert_api_token(&new_token(&org, "t-hash-1", "copy", org.zeta)),
        );
        drop(tx);

        let mut tx = read(store);
        let token = tx
            .api_token_by_hash("t-hash-2")
            .expect("by hash")
            .expect("the cms token");
        assert_eq!(token.id, cms, "{name}");
        assert_eq!(token.name, "cms", "{name}");
        assert_eq!(token.prefix, "cdk_abcd", "{name}");
        assert_eq!((token.user, token.user_name.as_str()), (org.bob, "bob"));
        assert_eq!((token.brand, token.role), (org.acme, Role::BrandLead));
        assert_eq!(token.created_at, at(21), "{name}");
        assert_eq!((token.last_used_at, token.revoked_at), (None, None));
        assert_eq!(
            tx.api_token(cms).expect("by id"),
            Some(token),
            "{name}: by id and by hash agree"
        );
        assert_eq!(tx.api_token(TokenId(9_999)).expect("by id"), None);
        assert_eq!(tx.api_token_by_hash("nope").expect("by hash"), None);
        let ids: Vec<TokenId> = tx
            .api_tokens(org.acme)
            .expect("tokens")
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, [ci, cms], "{name}: a brand's tokens by id");
        let ids: Vec<TokenId> = tx
            .api_tokens(org.zeta)
            .expect("tokens")
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, [other], "{name}");
        drop(tx);

        let mut tx = write(store);
        tx.touch_api_token(ci, at(30)).expect("touch");
        tx.touch_api_token(ci, at(40)).expect("touch again");
        assert!(tx.revoke_api_token(ci, at(50)).expect("revoke"), "{name}");
        assert!(
            !tx.revoke_api_token(ci, at(60)).expect("revoke again"),
            "{name}: a second revocation reports false"
        );
        assert!(
            !tx.revoke_api_token(TokenId(9_999), at(60))
                .expect("revoke a missing token"),
            "{name}"
        );
        tx.commit().expect("commit");

        let mut tx = read(store);
        let token = tx.api_token(ci).expect("by id").expect("the ci token");
        assert_eq!(token.last_used_at, Some(at(40)), "{name}");
        assert_eq!(
            token.revoked_at,
            Some(at(50)),
            "{name}: the first revocation time is kept"
        );
        let listed = tx.api_tokens(org.acme).expect("tokens");
        assert_eq!(listed.len(), 2, "{name}: revoked tokens are still listed");
        assert_eq!(listed[1].revoked_at, None, "{name}: cms is not revoked");
    });
}

#[test]
fn failed_logins_are_counted_within_the_window_and_pruned() {
    each_backend(|b, store| {
        let name = b.name;
        let mut tx = write(store);
        let attempts = [
            // (account, ip, at, succeeded)
            ("alice", "10.0.0.1", at_micros(100, -1), false), // just before the window
            ("alice", "10.0.0.1", at(100), false),            // on its start
            ("alice", "10.0.0.2", at(101), false),
            ("alice", "10.0.0.1", at(102), true), // successes never count
            ("bob", "10.0.0.1", at(103), false),
            ("bob", "10.0.0.3", at(104), false),
            ("carol", "10.0.0.9", at(105), false),
        ];
        for (account, ip, t, ok) in attempts {
            tx.record_login_attempt(account, ip, t, ok)
                .expect("record attempt");
        }
        tx.commit().expect("commit");

        let mut tx = read(store);
        let since = at(100);
        assert_eq!(
            tx.failed_logins_since("alice", "10.0.0.1", since)
                .expect("count"),
            (2, 2),
            "{name}: alice failed twice since; 10.0.0.1 failed for alice and bob"
        );
        assert_eq!(
            tx.failed_logins_since("bob", "10.0.0.3", since)
                .expect("count"),
            (2, 1),
            "{name}"
        );
        assert_eq!(
            tx.failed_logins_since("alice", "10.0.0.1", at_micros(100, -1))
                .expect("count"),
            (3, 3),
            "{name}: a microsecond earlier takes the first failure in"
        );
        assert_eq!(
            tx.failed_logins_since("alice", "10.0.0.1", at_micros(100, 1))
                .expect("count"),
            (1, 1),
            "{name}: a microsecond later leaves the one at the start out"
        );
        assert_eq!(
            tx.failed_logins_since("dave", "192.0.2.1", at(0))
                .expect("count"),
            (0, 0),
            "{name}"
        );
        drop(tx);

        let mut tx = write(store);
        assert_eq!(
            tx.prune_login_attempts(at(102)).expect("prune"),
            3,
            "{name}: attempts before the cut are deleted"
        );
        assert_eq!(tx.prune_login_attempts(at(102)).expect("prune"), 0);
        tx.commit().expect("commit");

        let mut tx = read(store);
        assert_eq!(
            tx.failed_logins_since("alice", "10.0.0.1", at(0))
                .expect("count"),
            (0, 1),
            "{name}: only bob's failure from 10.0.0.1 is left"
        );
        assert_eq!(
            tx.failed_logins_since("carol", "10.0.0.9", at(0))
                .expect("count"),
            (1, 1),
            "{name}"
        );
    });
}

fn new_webhook<'a>(org: &Org, url: &'a str, events: &'a [WebhookEvent]) -> NewWebhook<'a> {
    NewWebhook {
        brand: org.acme,
        url,
        secret: "whsec-s3cret",
        events,
        created_by: org.bob,
        at: at(30),
    }
}

/// A webhook of acme for every event.
fn hook(tx: &mut dyn Tx, org: &Org, url: &str) -> WebhookId {
    tx.insert_webhook(&new_webhook(org, url, WebhookEvent::ALL))
        .expect("insert webhook")
}

#[test]
fn webhooks_are_listed_and_switched_on_and_off() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let all = hook(tx.as_mut(), &org, "https://hooks.example/all");
        let one = tx
            .insert_webhook(&new_webhook(
                &org,
                "https://hooks.example/approved",
                &[WebhookEvent::AssetApproved],
            ))
            .expect("insert webhook");
        let none = tx
            .insert_webhook(&NewWebhook {
                brand: org.zeta,
                ..new_webhook(&org, "https://hooks.example/zeta", &[])
            })
            .expect("insert webhook");
        tx.commit().expect("commit");

        let mut tx = read(store);
        let hook = tx.webhook(all).expect("webhook").expect("the webhook");
        assert_eq!(hook.id, all, "{name}");
        assert_eq!(hook.brand, org.acme, "{name}");
        assert_eq!(hook.url, "https://hooks.example/all", "{name}");
        assert_eq!(hook.secret, "whsec-s3cret", "{name}: the secret is kept");
        assert_eq!(hook.events, WebhookEvent::ALL, "{name}: events in order");
        assert_eq!((hook.created_by, hook.created_at), (org.bob, at(30)));
        assert!(hook.active, "{name}: a new webhook is active");
        assert_eq!(
            tx.webhook(none).expect("webhook").map(|h| h.events),
            Some(Vec::new()),
            "{name}: no events read back as none"
        );
        assert_eq!(tx.webhook(WebhookId(9_999)).expect("webhook"), None);
        let ids: Vec<WebhookId> = tx
            .webhooks(org.acme)
            .expect("webhooks")
            .iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, [all, one], "{name}: a brand's webhooks by id");

        // What the store hands out never shows the secret.
        let json = serde_json::to_string(&hook).expect("serialises");
        assert!(!json.contains("s3cret"), "{name}: {json}");
        assert!(!json.contains("\"secret\""), "{name}: {json}");
        assert!(json.contains("\"asset.approved\""), "{name}: {json}");
        let debug = format!("{hook:?}");
        assert!(!debug.contains("s3cret"), "{name}: {debug}");
        assert!(debug.contains("<redacted>"), "{name}: {debug}");
        let new_debug = format!("{:?}", new_webhook(&org, "https://x.example", &[]));
        assert!(!new_debug.contains("s3cret"), "{name}: {new_debug}");
        drop(tx);

        let mut tx = write(store);
        tx.set_webhook_active(one, false).expect("deactivate");
        tx.commit().expect("commit");
        let mut tx = read(store);
        let active: Vec<(WebhookId, bool)> = tx
            .webhooks(org.acme)
            .expect("webhooks")
            .iter()
            .map(|h| (h.id, h.active))
            .collect();
        assert_eq!(active, [(all, true), (one, false)], "{name}");
        drop(tx);

        let mut tx = write(store);
        tx.set_webhook_active(one, true).expect("reactivate");
        tx.commit().expect("commit");
        let mut tx = read(store);
        assert!(
            tx.webhook(one)
                .expect("webhook")
                .expect("the webhook")
                .active,
            "{name}"
        );
    });
}

fn enqueue(
    tx: &mut dyn Tx,
    webhook: WebhookId,
    event: WebhookEvent,
    payload: &str,
    t: DateTime<Utc>,
) -> DeliveryId {
    tx.enqueue_delivery(&NewDelivery {
        webhook,
        event,
        payload,
        at: t,
    })
    .expect("enqueue delivery")
}

fn claim(
    store: &mut dyn Store,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Option<DeliveryId> {
    let mut tx = write(store);
    let claimed = tx.claim_delivery(now, lease_until).expect("claim");
    tx.commit().expect("commit");
    claimed.map(|d| d.id)
}

fn finish(store: &mut dyn Store, id: DeliveryId, outcome: DeliveryOutcome) {
    let mut tx = write(store);
    tx.finish_delivery(id, &outcome).expect("finish delivery");
    tx.commit().expect("commit");
}

/// A brand's deliveries as the admin log shows them, newest first.
fn log(store: &mut dyn Store, brand: BrandId) -> Vec<copydesk_core::account::Delivery> {
    let mut tx = read(store);
    tx.deliveries(brand, None, 100).expect("deliveries")
}

#[test]
fn a_delivery_is_claimed_retried_and_delivered() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let payload = r#"{"event":"asset.approved","asset":7}"#;
        let mut tx = write(store);
        let hook = tx
            .insert_webhook(&new_webhook(
                &org,
                "https://hooks.example/approved",
                &[WebhookEvent::AssetApproved],
            ))
            .expect("insert webhook");
        let id = enqueue(
            tx.as_mut(),
            hook,
            WebhookEvent::AssetApproved,
            payload,
            at(100),
        );
        assert_eq!(
            tx.claim_delivery(at(99), at(160)).expect("claim"),
            None,
            "{name}: not due before it was queued"
        );
        tx.commit().expect("commit");

        let queued = &log(store, org.acme)[0];
        assert_eq!(queued.id, id, "{name}");
        assert_eq!(queued.state, DeliveryState::Pending, "{name}");
        assert_eq!(
            (queued.attempts, queued.next_attempt_at, queued.created_at),
            (0, at(100), at(100)),
            "{name}: due at once"
        );

        let mut tx = write(store);
        let claimed = tx
            .claim_delivery(at(100), at(160))
            .expect("claim")
            .expect("the queued delivery is due");
        tx.commit().expect("commit");
        assert_eq!(claimed.id, id, "{name}");
        assert_eq!(claimed.webhook, hook, "{name}");
        assert_eq!(claimed.url, "https://hooks.example/approved", "{name}");
        assert_eq!(claimed.event, WebhookEvent::AssetApproved, "{name}");
        assert_eq!(claimed.payload, payload, "{name}: the exact body");
        assert_eq!(claimed.state, DeliveryState::Pending, "{name}");
        assert_eq!(
            (
                claimed.attempts,
                claimed.last_status,
                claimed.last_error.as_deref()
            ),
            (0, None, None),
            "{name}"
        );
        assert_eq!(
            claim(store, at(101), at(161)),
            None,
            "{name}: a leased delivery is not claimed twice"
        );

        finish(
            store,
            id,
            DeliveryOutcome {
                at: at(102),
                status: Some(500),
                error: None,
                next: Some(at(130)),
            },
        );
        let retried = &log(store, org.acme)[0];
        assert_eq!(retried.state, DeliveryState::Pending, "{name}: retried");
        assert_eq!(retried.attempts, 1, "{name}");
        assert_eq!(retried.last_status, Some(500), "{name}");
        assert_eq!(retried.next_attempt_at, at(130), "{name}");
        assert_eq!(retried.delivered_at, None, "{name}");
        assert_eq!(
            claim(store, at(129), at(189)),
            None,
            "{name}: not claimed before its next attempt, though the lease was freed"
        );

        let mut tx = write(store);
        let again = tx
            .claim_delivery(at(130), at(190))
            .expect("claim")
            .expect("due again");
        tx.commit().expect("commit");
        assert_eq!((again.id, again.attempts), (id, 1), "{name}");

        finish(
            store,
            id,
            DeliveryOutcome {
                at: at(131),
                status: Some(204),
                error: None,
                next: Some(at(999)),
            },
        );
        let delivered = &log(store, org.acme)[0];
        assert_eq!(delivered.state, DeliveryState::Delivered, "{name}");
        assert_eq!(delivered.attempts, 2, "{name}");
        assert_eq!(delivered.last_status, Some(204), "{name}");
        assert_eq!(delivered.last_error, None, "{name}");
        assert_eq!(delivered.delivered_at, Some(at(131)), "{name}");
        assert_eq!(
            delivered.next_attempt_at,
            at(130),
            "{name}: a delivered delivery keeps its last due time"
        );
        assert_eq!(
            claim(store, at(10_000), at(10_060)),
            None,
            "{name}: a delivered delivery is never claimed again"
        );

        // A late finish (another worker's lease ran out) leaves it delivered.
        finish(
            store,
            id,
            DeliveryOutcome {
                at: at(200),
                status: None,
                error: Some("timed out".into()),
                next: None,
            },
        );
        assert_eq!(log(store, org.acme)[0], *delivered, "{name}");
    });
}

#[test]
fn a_delivery_without_a_next_attempt_fails() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let hook = hook(tx.as_mut(), &org, "https://hooks.example/");
        let refused = enqueue(
            tx.as_mut(),
            hook,
            WebhookEvent::ReviewDecided,
            "{}",
            at(100),
        );
        let unreachable = enqueue(
            tx.as_mut(),
            hook,
            WebhookEvent::ReviewDecided,
            "{}",
            at(101),
        );
        let errored = enqueue(
            tx.as_mut(),
            hook,
            WebhookEvent::ReviewDecided,
            "{}",
            at(102),
        );
        tx.commit().expect("commit");

        // Claimed oldest first.
        assert_eq!(claim(store, at(110), at(170)), Some(refused), "{name}");
        assert_eq!(claim(store, at(110), at(170)), Some(unreachable), "{name}");
        assert_eq!(claim(store, at(110), at(170)), Some(errored), "{name}");
        assert_eq!(claim(store, at(110), at(170)), None, "{name}");

        finish(
            store,
            refused,
            DeliveryOutcome {
                at: at(111),
                status: Some(410),
                error: None,
                next: None,
            },
        );
        finish(
            store,
            unreachable,
            DeliveryOutcome {
                at: at(112),
                status: None,
                error: Some("connection refused".into()),
                next: None,
            },
        );
        // A 2xx with an error (say the body could not be read) is not a delivery.
        finish(
            store,
            errored,
            DeliveryOutcome {
                at: at(113),
                status: Some(200),
                error: Some("body cut short".into()),
                next: None,
            },
        );

        let log = log(store, org.acme);
        let seen: Vec<LogRow<'_>> = log
            .iter()
            .map(|d| {
                (
                    d.id,
                    d.state,
                    d.attempts,
                    d.last_status,
                    d.last_error.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    errored,
                    DeliveryState::Failed,
                    1,
                    Some(200),
                    Some("body cut short")
                ),
                (
                    unreachable,
                    DeliveryState::Failed,
                    1,
                    None,
                    Some("connection refused")
                ),
                (refused, DeliveryState::Failed, 1, Some(410), None),
            ],
            "{name}"
        );
        assert!(log.iter().all(|d| d.delivered_at.is_none()), "{name}");
        assert_eq!(
            claim(store, at(10_000), at(10_060)),
            None,
            "{name}: failed deliveries are never claimed again"
        );
    });
}

#[test]
fn leases_run_out_and_inactive_webhooks_wait() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let paused = hook(tx.as_mut(), &org, "https://hooks.example/paused");
        let live = hook(tx.as_mut(), &org, "https://hooks.example/live");
        let waiting = enqueue(
            tx.as_mut(),
            paused,
            WebhookEvent::AssetPublished,
            "{}",
            at(100),
        );
        let leased = enqueue(
            tx.as_mut(),
            live,
            WebhookEvent::AssetPublished,
            "{}",
            at(101),
        );
        tx.set_webhook_active(paused, false).expect("deactivate");
        tx.commit().expect("commit");

        assert_eq!(
            claim(store, at(110), at(170)),
            Some(leased),
            "{name}: the older delivery of the inactive webhook is passed over"
        );
        assert_eq!(claim(store, at(169), at(229)), None, "{name}: leased");
        assert_eq!(
            claim(store, at(170), at(230)),
            None,
            "{name}: the lease still holds at its last instant"
        );
        assert_eq!(
            claim(store, at_micros(170, 1), at(230)),
            Some(leased),
            "{name}: a lease that ran out (the worker died) is claimed again"
        );

        let mut tx = write(store);
        tx.set_webhook_active(paused, true).expect("reactivate");
        tx.commit().expect("commit");
        assert_eq!(
            claim(store, at(171), at(231)),
            Some(waiting),
            "{name}: reactivated, its delivery goes out"
        );
    });
}

#[test]
fn deliveries_are_listed_newest_first_per_brand() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let acme_hook = hook(tx.as_mut(), &org, "https://hooks.example/acme");
        let zeta_hook = tx
            .insert_webhook(&NewWebhook {
                brand: org.zeta,
                ..new_webhook(&org, "https://hooks.example/zeta", WebhookEvent::ALL)
            })
            .expect("insert webhook");
        let mut acme = Vec::new();
        for n in 0..5 {
            acme.push(enqueue(
                tx.as_mut(),
                acme_hook,
                WebhookEvent::ALL[n % WebhookEvent::ALL.len()],
                &format!("{{\"n\":{n}}}"),
                at(100 + i64::try_from(n).expect("small")),
            ));
            enqueue(
                tx.as_mut(),
                zeta_hook,
                WebhookEvent::ReviewRequested,
                "{}",
                at(100),
            );
        }
        tx.commit().expect("commit");

        let mut tx = read(store);
        let page = |tx: &mut dyn Tx, after: Option<DeliveryId>, limit: u32| -> Vec<DeliveryId> {
            tx.deliveries(org.acme, after, limit)
                .expect("deliveries")
                .iter()
                .map(|d| d.id)
                .collect()
        };
        let newest_first: Vec<DeliveryId> = acme.iter().rev().copied().collect();
        assert_eq!(page(tx.as_mut(), None, 100), newest_first, "{name}");
        assert_eq!(page(tx.as_mut(), None, 2), newest_first[..2], "{name}");
        assert_eq!(
            page(tx.as_mut(), Some(newest_first[1]), 2),
            newest_first[2..4],
            "{name}: the next page starts below the cursor"
        );
        assert_eq!(
            page(tx.as_mut(), Some(newest_first[4]), 2),
            Vec::<DeliveryId>::new(),
            "{name}: nothing below the oldest"
        );
        let listed = tx.deliveries(org.acme, None, 1).expect("deliveries");
        assert_eq!(listed[0].payload, "{\"n\":4}", "{name}");
        assert_eq!(listed[0].url, "https://hooks.example/acme", "{name}");
        assert_eq!(listed[0].event, WebhookEvent::ALL[0], "{name}");
        let zeta = tx.deliveries(org.zeta, None, 100).expect("deliveries");
        assert_eq!(zeta.len(), 5, "{name}");
        assert!(zeta.iter().all(|d| d.webhook == zeta_hook), "{name}");
    });
}

#[test]
fn concurrent_claimers_never_share_a_delivery() {
    const DELIVERIES: usize = 40;
    for backend in backends() {
        let name = backend.name;
        {
            let mut store = backend.open();
            let org = org(store.as_mut());
            let mut tx = write(store.as_mut());
            let hook = hook(tx.as_mut(), &org, "https://hooks.example/");
            for n in 0..DELIVERIES {
                enqueue(
                    tx.as_mut(),
                    hook,
                    WebhookEvent::ReviewRequested,
                    &format!("{{\"n\":{n}}}"),
                    at(100),
                );
            }
            tx.commit().expect("commit");
        }
        let claimed: Vec<Vec<DeliveryId>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    let backend = &backend;
                    s.spawn(move || {
                        let mut store = backend.open();
                        let mut mine = Vec::new();
                        // Bounded, so a queue that hands out leased deliveries fails
                        // rather than spins.
                        while mine.len() <= DELIVERIES {
                            match claim(store.as_mut(), at(200), at(260)) {
                                Some(id) => mine.push(id),
                                None => break,
                            }
                        }
                        mine
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("the worker finishes"))
                .collect()
        });
        let all: Vec<DeliveryId> = claimed.iter().flatten().copied().collect();
        let distinct: BTreeSet<DeliveryId> = all.iter().copied().collect();
        assert_eq!(
            all.len(),
            distinct.len(),
            "{name}: a delivery was claimed twice: {claimed:?}"
        );
        assert_eq!(distinct.len(), DELIVERIES, "{name}: every delivery claimed");
    }
}
