//! Webhooks end to end: a real receiver on loopback gets the workflow's events from the
//! server's sender, signed, retried after a failure, and still after a restart.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use copydesk_core::secret::Secret;
use copydesk_core::webhook::{self, Backoff, DEFAULT_TOLERANCE};
use copydesk_server::{ServerConfig, WebhookConfig};
use serde_json::{json, Value};

use crate::support::{each_backend_with, Auth, TestServer};

/// A sender that looks often and retries soon, so the tests take seconds, not minutes.
fn quick() -> ServerConfig {
    ServerConfig {
        webhooks: Some(WebhookConfig {
            poll: Duration::from_millis(50),
            timeout: Duration::from_secs(5),
            backoff: Backoff {
                base: chrono::Duration::milliseconds(300),
                max_attempts: 5,
            },
            concurrency: 4,
        }),
        ..ServerConfig::default()
    }
}

fn no_sender() -> ServerConfig {
    ServerConfig {
        webhooks: None,
        ..ServerConfig::default()
    }
}

/// One POST the receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: String,
    at: Instant,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }

    fn verify(&self, secret: &Secret) -> Result<(), webhook::VerifyError> {
        webhook::verify(
            secret,
            self.header(webhook::TIMESTAMP_HEADER),
            self.header(webhook::SIGNATURE_HEADER),
            self.body.as_bytes(),
            chrono::Utc::now().timestamp(),
            DEFAULT_TOLERANCE,
        )
    }
}

#[derive(Default)]
struct Script {
    seen: Vec<Received>,
    /// Answer 500 to this many requests before answering 204.
    fail_first: usize,
    /// Wait this long before answering.
    hold: Duration,
}

/// An HTTP receiver on a loopback port that records every request.
struct Receiver {
    url: String,
    script: Arc<Mutex<Script>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

async fn hook(
    State(script): State<Arc<Mutex<Script>>>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let hold = {
        let mut s = script.lock().expect("script");
        s.seen.push(Received {
            headers,
            body,
            at: Instant::now(),
        });
        s.hold
    };
    tokio::time::sleep(hold).await;
    let mut s = script.lock().expect("script");
    if s.fail_first > 0 {
        s.fail_first -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

impl Receiver {
    fn start(fail_first: usize, hold: Duration) -> Receiver {
        let script = Arc::new(Mutex::new(Script {
            fail_first,
            hold,
            ..Script::default()
        }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(hook))
            .with_state(Arc::clone(&script));
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/hook"),
            script,
            runtime: Some(runtime),
        }
    }

    fn seen(&self) -> Vec<Received> {
        self.script.lock().expect("script").seen.clone()
    }

    /// Waits until `n` requests arrived; fails the test after 15 s.
    #[track_caller]
    fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let seen = self.seen();
            if seen.len() >= n {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "the receiver got {} of {n} deliveries",
                seen.len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Registers a webhook for `events` as ada, acme's admin; returns its id and secret.
fn add_webhook(server: &mut TestServer, url: &str, events: &[&str]) -> (i64, Secret) {
    let ada = server.token_of("ada");
    let created = server.call(
        "POST",
        "/api/v1/webhooks",
        &ada,
        Some(&json!({"brand": "acme", "url": url, "events": events})),
    );
    assert_eq!(created.status, 201, "{}: {}", server.backend, created.text);
    let secret = created.json["secret"].as_str().expect("secret");
    let id = created.json["webhook"]["id"].as_i64().expect("id");
    (id, Secret::new(secret))
}

/// An asset written by alice, one version; returns its id.
fn asset(server: &mut TestServer, alice: &Auth) -> i64 {
    let brief = server.call(
        "POST",
        "/api/v1/briefs",
        alice,
        Some(&json!({"brand": "acme", "brief": crate::support::brief_json()})),
    );
    assert_eq!(brief.status, 201, "{}", brief.text);
    let created = server.call(
        "POST",
        "/api/v1/assets",
        alice,
        Some(
            &json!({"brief": brief.json["id"], "title": "Payroll in a day", "kind": "blog",
            "text": "Payroll used to take three days. Now it takes one."}),
        ),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    created.json["id"].as_i64().expect("asset id")
}

fn submit(server: &TestServer, who: &Auth, id: i64) {
    let submitted = server.call("POST", &format!("/api/v1/assets/{id}/submit"), who, None);
    assert_eq!(submitted.status, 200, "{}", submitted.text);
}

/// The delivery log once no delivery is pending any more (within 15 s).
#[track_caller]
fn settled_log(server: &mut TestServer) -> Vec<Value> {
    let ada = server.token_of("ada");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let log = server.call("GET", "/api/v1/webhooks/deliveries?brand=acme", &ada, None);
        assert_eq!(log.status, 200, "{}", log.text);
        let items = log.json["items"].as_array().cloned().unwrap_or_default();
        if !items.is_empty() && items.iter().all(|d| d["state"] != "pending") {
            return items;
        }
        assert!(Instant::now() < deadline, "still pending: {}", log.text);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn deliveries_are_signed_and_describe_each_workflow_event() {
    each_backend_with(quick, |server| {
        let receiver = Receiver::start(0, Duration::ZERO);
        let all = [
            "review.requested",
            "review.decided",
            "asset.approved",
            "asset.published",
        ];
        let (_, secret) = add_webhook(server, &receiver.url, &all);
        let ada = server.token_of("ada");
        let listed = server.call("GET", "/api/v1/webhooks?brand=acme", &ada, None);
        assert_eq!(listed.status, 200, "{}", listed.text);
        assert_eq!(listed.json["items"][0]["url"], receiver.url.as_str());
        assert!(
            !listed.text.contains(secret.expose()),
            "the secret is shown once"
        );

        let alice = server.token_of("alice");
        let id = asset(server, &alice);
        submit(server, &alice, id);
        let approve = json!({"decision": "approve", "proud": true});
        let mut decisions = 0;
        for who in ["dana", "carol", "lee"] {
            let reviewer = server.token_of(who);
            let d = server.call(
                "POST",
                &format!("/api/v1/assets/{id}/decisions"),
                &reviewer,
                Some(&approve),
            );
            if d.status == 200 {
                decisions += 1;
                if d.json["state"] == "approved" {
                    break;
                }
            }
        }
        let published = server.call(
            "POST",
            &format!("/api/v1/assets/{id}/publish"),
            &alice,
            None,
        );
        assert_eq!(published.status, 200, "{}", published.text);

        let mut seen = receiver.wait_for(decisions + 3);
        // sent concurrently, so they may arrive in any order; the delivery ids keep theirs
        let delivery_id = |r: &Received| {
            r.header(webhook::DELIVERY_HEADER)
                .parse::<i64>()
                .expect("a numeric delivery id")
        };
        seen.sort_by_key(delivery_id);
        let mut expected = vec!["review.requested"];
        expected.extend(std::iter::repeat_n("review.decided", decisions));
        expected.extend(["asset.approved", "asset.published"]);
        let events: Vec<String> = seen
            .iter()
            .map(|r| r.header(webhook::EVENT_HEADER).to_string())
            .collect();
        assert_eq!(events, expected, "{}", server.backend);
        for r in &seen {
            assert_eq!(r.verify(&secret), Ok(()), "{}: {}", server.backend, r.body);
            assert!(r.verify(&Secret::new("whsec_other")).is_err());
            assert_eq!(r.header("content-type"), "application/json");
            let body = r.json();
            assert_eq!(body["event"], r.header(webhook::EVENT_HEADER));
            assert_eq!(body["brand"], "acme");
            assert_eq!(body["asset"]["id"], id);
            assert_eq!(body["asset"]["title"], "Payroll in a day");
            assert_eq!(body["version"], 1);
            assert!(body["id"].as_str().is_some_and(|e| e.starts_with("evt_")));
        }
        let requested = seen[0].json();
        assert_eq!(requested["actor"], "alice");
        assert_eq!(requested["asset"]["state"], "in_review");
        assert!(requested["stages"]
            .as_array()
            .is_some_and(|s| !s.is_empty()));
        let decided = seen[1].json();
        assert_eq!(decided["decision"]["decision"], "approve");
        assert_eq!(decided["decision"]["stage"], 1);
        assert_eq!(seen[decisions + 1].json()["asset"]["state"], "approved");
        let last = seen[decisions + 2].json();
        assert_eq!(last["asset"]["state"], "published");

        let log = settled_log(server);
        assert_eq!(log.len(), decisions + 3);
        for d in &log {
            assert_eq!(
                (
                    d["state"].as_str(),
                    d["attempts"].as_u64(),
                    d["last_status"].as_u64()
                ),
                (Some("delivered"), Some(1), Some(204)),
                "{d}"
            );
        }
    });
}

#[test]
fn a_delivery_answered_with_500_is_retried_after_a_backoff() {
    each_backend_with(quick, |server| {
        let receiver = Receiver::start(1, Duration::ZERO);
        let (_, secret) = add_webhook(server, &receiver.url, &["review.requested"]);
        let alice = server.token_of("alice");
        let id = asset(server, &alice);
        submit(server, &alice, id);

        let seen = receiver.wait_for(2);
        let (first, second) = (&seen[0], &seen[1]);
        assert_eq!(
            first.header(webhook::DELIVERY_HEADER),
            second.header(webhook::DELIVERY_HEADER),
            "the same delivery, tried again"
        );
        assert_eq!(first.body, second.body, "the same event");
        assert_eq!(second.verify(&secret), Ok(()), "{}", server.backend);
        let waited = second.at - first.at;
        assert!(
            waited >= Duration::from_millis(250),
            "retried after the backoff (300 ms), not at once: {waited:?}"
        );

        let log = settled_log(server);
        assert_eq!(log.len(), 1, "{log:?}");
        assert_eq!(log[0]["state"], "delivered", "{}", server.backend);
        assert_eq!(log[0]["attempts"], 2);
        assert_eq!(log[0]["last_status"], 204);
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(receiver.seen().len(), 2, "nothing more once delivered");
    });
}

#[test]
fn queued_deliveries_are_sent_after_a_restart() {
    each_backend_with(no_sender, |server| {
        let receiver = Receiver::start(0, Duration::ZERO);
        let (_, secret) = add_webhook(server, &receiver.url, &["review.requested"]);
        let alice = server.token_of("alice");
        let ada = server.token_of("ada");
        let id = asset(server, &alice);
        submit(server, &alice, id);
        let log = server.call("GET", "/api/v1/webhooks/deliveries?brand=acme", &ada, None);
        assert_eq!(log.json["items"][0]["state"], "pending", "{}", log.text);
        assert_eq!(log.json["items"][0]["attempts"], 0);
        std::thread::sleep(Duration::from_millis(300));
        assert!(receiver.seen().is_empty(), "this server sends nothing");

        // a new server process on the same database finds the queued delivery
        server.restart(quick());
        let seen = receiver.wait_for(1);
        assert_eq!(seen[0].verify(&secret), Ok(()), "{}", server.backend);
        assert_eq!(seen[0].json()["asset"]["id"], id);
        let log = settled_log(server);
        assert_eq!(
            (log[0]["state"].as_str(), log[0]["attempts"].as_u64()),
            (Some("delivered"), Some(1))
        );
    });
}

#[test]
fn a_slow_receiver_does_not_hold_up_the_request_that_caused_the_event() {
    each_backend_with(quick, |server| {
        let hold = Duration::from_secs(2);
        let receiver = Receiver::start(0, hold);
        add_webhook(server, &receiver.url, &["review.requested"]);
        let alice = server.token_of("alice");
        let id = asset(server, &alice);
        let started = Instant::now();
        submit(server, &alice, id);
        assert!(
            started.elapsed() < hold,
            "the submit waited for the receiver: {:?}",
            started.elapsed()
        );
        assert_eq!(receiver.wait_for(1).len(), 1);
        assert_eq!(settled_log(server)[0]["state"], "delivered");
    });
}

#[test]
fn webhook_requests_are_checked() {
    each_backend_with(no_sender, |server| {
        let ada = server.token_of("ada");
        let alice = server.token_of("alice");
        let unknown_event = server.call(
            "POST",
            "/api/v1/webhooks",
            &ada,
            Some(&json!({"brand": "acme", "url": "https://hooks.example/x", "events": ["asset.deleted"]})),
        );
        assert_eq!(
            (unknown_event.status, unknown_event.code()),
            (422, "invalid"),
            "{}",
            unknown_event.text
        );
        assert!(
            unknown_event.text.contains("events"),
            "{}",
            unknown_event.text
        );
        let bad_url = server.call(
            "POST",
            "/api/v1/webhooks",
            &ada,
            Some(&json!({"brand": "acme", "url": "file:///etc/passwd", "events": ["asset.approved"]})),
        );
        assert_eq!(
            (bad_url.status, bad_url.code()),
            (422, "invalid"),
            "{}",
            bad_url.text
        );
        let (hook, _) = add_webhook(server, "https://hooks.example/x", &["asset.approved"]);
        let by_editor = server.call(
            "PATCH",
            &format!("/api/v1/webhooks/{hook}"),
            &alice,
            Some(&json!({"active": false})),
        );
        assert_eq!(by_editor.status, 403, "{}", by_editor.text);
        let off = server.call(
            "PATCH",
            &format!("/api/v1/webhooks/{hook}"),
            &ada,
            Some(&json!({"active": false})),
        );
        assert_eq!(off.status, 200, "{}", off.text);
        assert_eq!(off.json["active"], false);
        let page = server.call(
            "GET",
            "/api/v1/webhooks/deliveries?brand=acme&limit=0",
            &ada,
            None,
        );
        assert_eq!(page.status, 400, "{}", page.text);
    });
}
