use chrono::Duration;
use copydesk_core::account::{DeliveryState, WebhookEvent};
use copydesk_core::webhook::Backoff;
use copydesk_core::{AssetKind, AssetState, Reach};
use copydesk_service::{Attempt, ErrorKind};
use serde_json::Value;

use crate::world::{assert_refused, default_policy, each_backend, World};

const ALL: &[WebhookEvent] = WebhookEvent::ALL;

/// Every delivery of the brand, oldest first, with its parsed body.
fn deliveries(w: &mut World) -> Vec<(copydesk_core::account::Delivery, Value)> {
    let mut all = w
        .svc
        .webhook_deliveries("admin", "acme", None, 1000)
        .expect("deliveries");
    all.reverse();
    all.into_iter()
        .map(|d| {
            let body = serde_json::from_str(&d.payload).expect("the payload is JSON");
            (d, body)
        })
        .collect()
}

#[test]
fn workflow_events_queue_one_delivery_per_interested_active_webhook() {
    each_backend(default_policy(), |w| {
        let every = w
            .svc
            .webhook_create("admin", "acme", "https://hooks.example/all", ALL)
            .expect("webhook");
        let published_only = w
            .svc
            .webhook_create(
                "admin",
                "acme",
                "https://hooks.example/published",
                &[WebhookEvent::AssetPublished],
            )
            .expect("webhook");
        let off = w
            .svc
            .webhook_create("admin", "acme", "https://hooks.example/off", ALL)
            .expect("webhook");
        w.svc
            .webhook_set_active("admin", off.webhook.id, false)
            .expect("disable");
        let brief = w.brief(Reach::Owned, &["finance"]);
        let asset = w.drafted(brief, AssetKind::Blog);

        // a refused action queues nothing: the event exists only if the action commits
        assert!(w.svc.publish("lee", asset).is_err());
        assert!(deliveries(w).is_empty(), "{}", w.name());

        w.svc.review_submit("bob", asset).expect("submit");
        w.approve("dana", asset).expect("editor approves");
        w.approve("carol", asset).expect("compliance approves");
        w.svc.publish("lee", asset).expect("publish");

        let log = deliveries(w);
        let to = |hook| -> Vec<(String, Value)> {
            log.iter()
                .filter(|(d, _)| d.webhook == hook)
                .map(|(d, body)| (d.event.to_string(), body.clone()))
                .collect()
        };
        let every = to(every.webhook.id);
        let names: Vec<&str> = every.iter().map(|(e, _)| e.as_str()).collect();
        assert_eq!(
            names,
            [
                "review.requested",
                "review.decided",
                "review.decided",
                "asset.approved",
                "asset.published"
            ],
            "{}",
            w.name()
        );
        assert!(
            to(off.webhook.id).is_empty(),
            "a disabled webhook is sent nothing"
        );
        let published = to(published_only.webhook.id);
        assert_eq!(published.len(), 1);
        assert_eq!(
            published[0].1["id"], every[4].1["id"],
            "one event id for both webhooks"
        );

        let (_, requested) = &every[0];
        assert_eq!(requested["event"], "review.requested");
        assert_eq!(requested["brand"], "acme");
        assert_eq!(requested["actor"], "bob");
        assert_eq!(requested["asset"]["id"], asset.0);
        assert_eq!(requested["asset"]["title"], "Launch post");
        assert_eq!(requested["asset"]["state"], "in_review");
        assert_eq!(requested["version"], 2);
        assert_eq!(
            requested["stages"],
            serde_json::json!(["editor", "compliance"])
        );
        assert!(requested["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("evt_")));
        let (_, decided) = &every[2];
        assert_eq!(decided["actor"], "carol");
        assert_eq!(decided["decision"]["decision"], "approve");
        assert_eq!(decided["decision"]["stage"], 2);
        assert_eq!(decided["decision"]["role"], "compliance");
        assert_eq!(decided["asset"]["state"], "approved");
        assert_eq!(every[3].1["auto_approved"], false);
        assert_eq!(every[4].1["asset"]["state"], "published");
        for (d, _) in &log {
            assert_eq!((d.state, d.attempts), (DeliveryState::Pending, 0));
        }
    });
}

#[test]
fn only_brand_admins_manage_webhooks_and_see_the_log() {
    each_backend(default_policy(), |w| {
        let created = w
            .svc
            .webhook_create("admin", "acme", "https://hooks.example/x", ALL)
            .expect("webhook");
        assert!(created.secret.expose().starts_with("whsec_"));
        let listed = w.svc.webhook_list("admin", "acme").expect("list");
        let json = serde_json::to_string(&listed).expect("json");
        assert!(
            !json.contains(created.secret.expose()),
            "the secret is shown once"
        );
        let id = created.webhook.id;
        assert_refused(
            w.svc
                .webhook_create("alice", "acme", "https://hooks.example/y", ALL),
            ErrorKind::Refused,
            "needs the brand's admin role",
        );
        assert_refused(
            w.svc.webhook_list("alice", "acme"),
            ErrorKind::Refused,
            "admin",
        );
        assert_refused(
            w.svc.webhook_set_active("alice", id, false),
            ErrorKind::Refused,
            "admin",
        );
        assert_refused(
            w.svc.webhook_deliveries("alice", "acme", None, 10),
            ErrorKind::Refused,
            "admin",
        );
        // another brand's member is told none of it exists
        assert_refused(
            w.svc.webhook_list("gina", "acme"),
            ErrorKind::NotFound,
            "no brand 'acme'",
        );
        assert_refused(
            w.svc.webhook_set_active("gina", id, false),
            ErrorKind::NotFound,
            &format!("no webhook {id}"),
        );
        assert_refused(
            w.svc
                .webhook_create("admin", "acme", "ftp://hooks.example/", ALL),
            ErrorKind::Invalid,
            "http:// or https://",
        );
        assert_refused(
            w.svc
                .webhook_create("admin", "acme", "https://hooks.example/", &[]),
            ErrorKind::Invalid,
            "at least one event",
        );
        let before = w.audit_len();
        let off = w.svc.webhook_set_active("admin", id, false).expect("off");
        assert!(!off.active);
        w.svc
            .webhook_set_active("admin", id, false)
            .expect("already off");
        assert_eq!(w.audit_len(), before + 1, "only a change is audited");
    });
}

#[test]
fn the_sender_leases_retries_with_backoff_and_gives_up() {
    each_backend(default_policy(), |w| {
        w.svc
            .webhook_create(
                "admin",
                "acme",
                "https://hooks.example/x",
                &[WebhookEvent::ReviewRequested],
            )
            .expect("webhook");
        let brief = w.brief(Reach::Owned, &["finance"]);
        let first = w.drafted(brief, AssetKind::Blog);
        w.svc.review_submit("bob", first).expect("submit");
        let lease = Duration::minutes(1);
        let claimed = w
            .svc
            .delivery_claim(lease)
            .expect("claim")
            .expect("a due delivery");
        assert!(claimed.secret.expose().starts_with("whsec_"));
        // leased: another server sharing the database does not get it
        assert!(w
            .another_service()
            .delivery_claim(lease)
            .expect("claim")
            .is_none());

        let immediate = Backoff {
            base: Duration::zero(),
            max_attempts: 2,
        };
        let answer_500 = Attempt {
            status: Some(500),
            error: None,
        };
        let state = w
            .svc
            .delivery_finish(&claimed.delivery, &answer_500, &immediate)
            .expect("finish");
        assert_eq!(state, DeliveryState::Pending, "{}", w.name());
        let again = w
            .svc
            .delivery_claim(lease)
            .expect("claim")
            .expect("due again at once");
        assert_eq!(
            (again.delivery.id, again.delivery.attempts),
            (claimed.delivery.id, 1)
        );
        let refused = Attempt {
            status: None,
            error: Some("cannot connect".into()),
        };
        let state = w
            .svc
            .delivery_finish(&again.delivery, &refused, &immediate)
            .expect("finish");
        assert_eq!(state, DeliveryState::Failed, "no attempt left");

        // the default schedule waits before a retry
        let second = w.drafted(brief, AssetKind::Blog);
        w.svc.review_submit("bob", second).expect("submit");
        let claimed = w.svc.delivery_claim(lease).expect("claim").expect("due");
        w.svc
            .delivery_finish(&claimed.delivery, &answer_500, &Backoff::default())
            .expect("finish");
        assert!(w.svc.delivery_claim(lease).expect("claim").is_none());

        let third = w.drafted(brief, AssetKind::Blog);
        w.svc.review_submit("bob", third).expect("submit");
        let claimed = w.svc.delivery_claim(lease).expect("claim").expect("due");
        let ok = Attempt {
            status: Some(204),
            error: None,
        };
        let state = w
            .svc
            .delivery_finish(&claimed.delivery, &ok, &Backoff::default())
            .expect("finish");
        assert_eq!(state, DeliveryState::Delivered);

        let log = w
            .svc
            .webhook_deliveries("admin", "acme", None, 10)
            .expect("log");
        let summary: Vec<_> = log
            .iter()
            .map(|d| (d.state, d.attempts, d.last_status, d.last_error.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (DeliveryState::Delivered, 1, Some(204), None),
                (DeliveryState::Pending, 1, Some(500), None),
                (
                    DeliveryState::Failed,
                    2,
                    None,
                    Some("cannot connect".to_string())
                ),
            ],
            "{}",
            w.name()
        );
        let asset_state = w.svc.asset_show("bob", third).expect("show").asset.state;
        assert_eq!(asset_state, AssetState::InReview);
    });
}
