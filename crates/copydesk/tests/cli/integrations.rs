//! `copydesk token` and `copydesk webhook`.

use serde_json::Value;

use crate::Ws;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

#[test]
fn tokens_are_shown_once_listed_without_secrets_and_revoked() {
    let ws = Ws::new();
    let out = ws.ok(
        "alice",
        &[
            "token",
            "create",
            "--brand",
            "acme",
            "--role",
            "strategist",
            "--name",
            "CI publish job",
        ],
    );
    assert!(out.starts_with("token 1 \"CI publish job\" acts as alice (strategist) in acme\n"));
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("secret (shown once, store it now): "))
        .expect("the secret line")
        .to_string();
    assert!(secret.starts_with("cdk_"), "{out}");

    let listed = ws.ok(
        "alice",
        &["--format", "json", "token", "list", "--brand", "acme"],
    );
    assert!(
        !listed.contains(&secret),
        "a listing never shows the secret"
    );
    assert_eq!(json(&listed)[0]["name"], "CI publish job");
    let text = ws.ok("alice", &["token", "list", "--brand", "acme"]);
    assert!(
        text.contains("CI publish job") && text.contains("never used"),
        "{text}"
    );
    // bob sees only his own tokens, and cannot revoke alice's
    let bobs = ws.ok(
        "bob",
        &["--format", "json", "token", "list", "--brand", "acme"],
    );
    assert_eq!(json(&bobs), serde_json::json!([]));
    let err = ws.fails(1, "bob", &["token", "revoke", "1"]);
    assert!(err.contains("admin"), "{err}");
    // a role alice does not hold, or no such role
    ws.fails(
        1,
        "alice",
        &[
            "token", "create", "--brand", "acme", "--role", "editor", "--name", "x",
        ],
    );
    let err = ws.fails(
        2,
        "alice",
        &[
            "token", "create", "--brand", "acme", "--role", "boss", "--name", "x",
        ],
    );
    assert!(err.contains("boss"), "{err}");

    assert_eq!(
        ws.ok("alice", &["token", "revoke", "1"]),
        "token 1 revoked\n"
    );
    assert_eq!(
        ws.ok("alice", &["token", "revoke", "1"]),
        "token 1 was already revoked\n"
    );
    ws.fails(3, "alice", &["token", "revoke", "99"]);
}

#[test]
fn admins_add_webhooks_and_read_the_delivery_log() {
    let ws = Ws::new().with_asset();
    let add = |actor: &str, events: &str| {
        ws.run(
            actor,
            &[
                "webhook",
                "add",
                "--brand",
                "acme",
                "--url",
                "https://hooks.example/copydesk",
                "--events",
                events,
            ],
        )
    };
    let added = add("admin", "review.requested,asset.approved");
    assert!(added.status.success(), "{added:?}");
    let out = String::from_utf8(added.stdout).expect("utf-8");
    assert!(
        out.starts_with(
            "webhook 1 for acme: https://hooks.example/copydesk on review.requested, asset.approved\n"
        ),
        "{out}"
    );
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("signing secret (shown once, store it now): "))
        .expect("the secret line")
        .to_string();
    assert!(secret.starts_with("whsec_"), "{out}");
    assert_eq!(add("alice", "asset.approved").status.code(), Some(1));
    let unknown = add("admin", "asset.deleted");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown webhook event"));

    let listed = ws.ok(
        "admin",
        &["--format", "json", "webhook", "list", "--brand", "acme"],
    );
    assert!(!listed.contains(&secret), "the secret is shown once");
    assert_eq!(
        json(&listed)[0]["events"],
        serde_json::json!(["review.requested", "asset.approved"])
    );
    assert_eq!(
        ws.ok("admin", &["webhook", "disable", "1"]),
        "webhook 1 disabled\n"
    );
    assert!(ws
        .ok("admin", &["webhook", "list", "--brand", "acme"])
        .contains("disabled"));
    assert_eq!(
        ws.ok("admin", &["webhook", "enable", "1"]),
        "webhook 1 enabled\n"
    );
    ws.fails(1, "alice", &["webhook", "disable", "1"]);

    // submitting queues a delivery; no server runs here, so it waits
    ws.write("v.txt", b"Close payroll in a day, not three.");
    ws.ok("bob", &["version", "add", "1", "--file", "v.txt"]);
    ws.ok("bob", &["review", "submit", "1"]);
    let log = json(&ws.ok(
        "admin",
        &[
            "--format",
            "json",
            "webhook",
            "deliveries",
            "--brand",
            "acme",
        ],
    ));
    assert_eq!(log.as_array().map(Vec::len), Some(1), "{log}");
    assert_eq!(log[0]["event"], "review.requested");
    assert_eq!(log[0]["state"], "pending");
    let payload = json(log[0]["payload"].as_str().expect("payload"));
    assert_eq!(payload["asset"]["id"], 1);
    let text = ws.ok("admin", &["webhook", "deliveries", "--brand", "acme"]);
    assert!(
        text.contains("review.requested")
            && text.contains("pending")
            && text.contains("0 attempts"),
        "{text}"
    );
    ws.fails(1, "bob", &["webhook", "deliveries", "--brand", "acme"]);
}
