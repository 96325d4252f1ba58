//! The HTTP API against a real server on loopback, on every configured backend.

mod experiments;
mod matrix;
mod support;
mod web;
mod webhooks;

use serde_json::json;
use support::{brief_json, each_backend, Auth, PASSWORD};

#[test]
fn sign_in_sets_a_session_that_needs_its_csrf_token_to_change_anything() {
    each_backend(|server| {
        let wrong = server.sign_in("bob", "not the password");
        assert_eq!(wrong.status, 401, "{}: {}", server.backend, wrong.text);
        assert_eq!(wrong.code(), "unauthenticated");

        let ok = server.sign_in("alice", PASSWORD);
        assert_eq!(ok.status, 200, "{}", ok.text);
        let cookie = ok
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("cookie")
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(
            !cookie.contains("Secure"),
            "not configured for TLS: {cookie}"
        );
        let session = ok.session();
        let me = server.call("GET", "/api/v1/me", &session, None);
        assert_eq!(me.status, 200);
        assert_eq!(me.json["user"], "alice");
        assert_eq!(me.json["signed_in_with"], "session");

        // a write without the CSRF token is refused and changes nothing
        let Auth::Session { cookie, .. } = session.clone() else {
            unreachable!()
        };
        let no_csrf = Auth::Session { cookie, csrf: None };
        let body = json!({"brand": "acme", "brief": brief_json()});
        let refused = server.call("POST", "/api/v1/briefs", &no_csrf, Some(&body));
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert_eq!(refused.code(), "csrf");
        let list = server.call("GET", "/api/v1/briefs?brand=acme", &no_csrf, None);
        assert_eq!(list.json["items"].as_array().map(Vec::len), Some(0));

        let created = server.call("POST", "/api/v1/briefs", &session, Some(&body));
        assert_eq!(created.status, 201, "{}", created.text);

        let out = server.call("DELETE", "/api/v1/session", &session, None);
        assert_eq!(out.status, 204, "{}", out.text);
        let after = server.call("GET", "/api/v1/me", &session, None);
        assert_eq!(after.status, 401, "a signed-out session no longer works");
    });
}

#[test]
fn repeated_wrong_passwords_pause_sign_in_for_the_account() {
    each_backend(|server| {
        for _ in 0..copydesk_service::MAX_FAILURES_PER_ACCOUNT {
            assert_eq!(server.sign_in("carol", "guess guess guess").status, 401);
        }
        let paused = server.sign_in("carol", PASSWORD);
        assert_eq!(paused.status, 429, "{}", paused.text);
        assert_eq!(paused.code(), "rate_limited");
        assert!(paused.headers.get("retry-after").is_some());
        // another account from the same address is not paused yet
        assert_eq!(server.sign_in("lee", PASSWORD).status, 200);
    });
}

#[test]
fn a_brief_becomes_an_asset_that_is_reviewed_approved_and_published_over_http() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let bob = server.token_of("bob");
        let dana = server.token_of("dana");
        let carol = server.token_of("carol");
        let lee = server.token_of("lee");

        let brief = server.call(
            "POST",
            "/api/v1/briefs",
            &alice,
            Some(&json!({"brand": "acme", "brief": brief_json()})),
        );
        assert_eq!(brief.status, 201, "{}: {}", server.backend, brief.text);
        let brief_id = brief.json["id"].as_i64().expect("brief id");
        let check = server.call(
            "GET",
            &format!("/api/v1/briefs/{brief_id}/check"),
            &alice,
            None,
        );
        assert_eq!(check.status, 200);
        assert_eq!(
            check.json["complete"], false,
            "no source yet: {}",
            check.text
        );
        let source = server.call(
            "POST",
            &format!("/api/v1/briefs/{brief_id}/sources"),
            &alice,
            Some(&json!({"kind": "interview", "origin": "call with Ana", "text": "We closed payroll in a day after the switch."})),
        );
        assert_eq!(source.status, 201, "{}", source.text);
        let check = server.call(
            "GET",
            &format!("/api/v1/briefs/{brief_id}/check"),
            &alice,
            None,
        );
        assert_eq!(check.json["complete"], true, "{}", check.text);

        let asset = server.call(
            "POST",
            "/api/v1/assets",
            &alice,
            Some(&json!({"brief": brief_id, "title": "Payroll in a day", "kind": "blog",
                "text": "Payroll used to take three days. Now it takes one.", "note": "first draft"})),
        );
        assert_eq!(asset.status, 201, "{}", asset.text);
        let id = asset.json["id"].as_i64().expect("asset id");
        // bob, an editor, edits it: he may not then approve it
        let saved = server.call(
            "POST",
            &format!("/api/v1/assets/{id}/versions"),
            &bob,
            Some(&json!({"text": "Payroll used to take three days. Now it closes in one.", "note": "tighter"})),
        );
        assert_eq!(saved.status, 201, "{}", saved.text);
        assert_eq!(saved.json["number"], 2);
        let versions = server.call(
            "GET",
            &format!("/api/v1/assets/{id}/versions?limit=1"),
            &alice,
            None,
        );
        assert_eq!(versions.json["items"][0]["number"], 2);
        let next = versions.json["next"]
            .as_str()
            .expect("a second page")
            .to_string();
        let older = server.call(
            "GET",
            &format!("/api/v1/assets/{id}/versions?limit=1&after={next}"),
            &alice,
            None,
        );
        assert_eq!(older.json["items"][0]["number"], 1, "{}", older.text);
        assert!(older.json["next"].is_null());
        let diff = server.call(
            "GET",
            &format!("/api/v1/assets/{id}/diff?from=1&to=2"),
            &bob,
            None,
        );
        assert_eq!(diff.status, 200, "{}", diff.text);
        assert!(diff.text.contains("closes"), "{}", diff.text);

        let submitted = server.call("POST", &format!("/api/v1/assets/{id}/submit"), &alice, None);
        assert_eq!(submitted.status, 200, "{}", submitted.text);
        let queue = server.call("GET", "/api/v1/reviews/queue", &bob, None);
        assert_eq!(queue.status, 200);
        assert!(
            queue.json["items"]
                .as_array()
                .is_some_and(|q| q.iter().any(|i| i["asset"] == id)),
            "bob's queue holds the asset: {}",
            queue.text
        );
        let comment = server.call(
            "POST",
            &format!("/api/v1/assets/{id}/comments"),
            &bob,
            Some(&json!({"body": "Source for 'one day'?", "range": [33, 54]})),
        );
        assert_eq!(comment.status, 201, "{}", comment.text);
        let shown = server.call("GET", &format!("/api/v1/assets/{id}"), &alice, None);
        let anchored = &shown.json["comments"][0];
        assert_eq!(anchored["range"], json!([33, 54]), "{}", shown.text);
        assert_eq!(
            anchored["quote"], "Now it closes in one.",
            "the comment keeps the selected text"
        );

        let unproud = server.call(
            "POST",
            &format!("/api/v1/assets/{id}/decisions"),
            &bob,
            Some(&json!({"decision": "approve"})),
        );
        assert_eq!(
            (unproud.status, unproud.code()),
            (422, "invalid"),
            "approving needs the explicit confirmation: {}",
            unproud.text
        );
        assert!(
            unproud.json["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("\"proud\": true")),
            "the refusal says how to confirm over the API: {}",
            unproud.text
        );
        let approve = json!({"decision": "approve", "proud": true});
        // an editor who wrote the version under review cannot approve it
        let own = server.call(
            "POST",
            &format!("/api/v1/assets/{id}/decisions"),
            &bob,
            Some(&approve),
        );
        assert_eq!((own.status, own.code()), (403, "forbidden"), "{}", own.text);
        assert!(own.text.contains("separation of duties"), "{}", own.text);
        let mut state = String::new();
        for reviewer in [&dana, &carol, &lee] {
            let d = server.call(
                "POST",
                &format!("/api/v1/assets/{id}/decisions"),
                reviewer,
                Some(&approve),
            );
            if d.status == 200 {
                state = d.json["state"].as_str().unwrap_or("").to_string();
            }
            if state == "approved" {
                break;
            }
        }
        assert_eq!(state, "approved", "the routed reviewers approve");
        let published = server.call(
            "POST",
            &format!("/api/v1/assets/{id}/publish"),
            &alice,
            None,
        );
        assert_eq!(published.status, 200, "{}", published.text);
        let audit = server.call(
            "GET",
            &format!("/api/v1/audit?subject=asset:{id}"),
            &lee,
            None,
        );
        assert_eq!(audit.status, 200);
        assert!(audit.text.contains("asset.published"), "{}", audit.text);
    });
}

#[test]
fn errors_share_one_body_and_the_right_status() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let gina = server.token_of("gina");
        let anon = server.call("GET", "/api/v1/briefs?brand=acme", &Auth::None, None);
        assert_eq!((anon.status, anon.code()), (401, "unauthenticated"));
        let malformed = server.raw("POST", "/api/v1/briefs", &alice, Some("{not json".into()));
        assert_eq!(
            (malformed.status, malformed.code()),
            (400, "bad_request"),
            "{}",
            malformed.text
        );
        let unknown_token = server.call(
            "GET",
            "/api/v1/me",
            &Auth::Bearer("cdk_unknown".into()),
            None,
        );
        assert_eq!(
            (unknown_token.status, unknown_token.code()),
            (401, "unauthenticated")
        );
        let signed_in = server.sign_in("alice", PASSWORD).session();
        let wrong_word = server.call(
            "POST",
            "/api/v1/tokens",
            &signed_in,
            Some(&json!({"brand": "acme", "role": "boss", "name": "x"})),
        );
        assert_eq!(
            (wrong_word.status, wrong_word.code()),
            (422, "invalid"),
            "{}",
            wrong_word.text
        );
        assert!(
            wrong_word.text.contains("role"),
            "the message names the field: {}",
            wrong_word.text
        );
        let foreign = server.call("GET", "/api/v1/briefs?brand=acme", &gina, None);
        assert_eq!(
            (foreign.status, foreign.code()),
            (404, "not_found"),
            "a foreign brand does not exist for gina"
        );
        let missing = server.call("GET", "/api/v1/nowhere", &alice, None);
        assert_eq!((missing.status, missing.code()), (404, "not_found"));
        let big = server.announce_body("/api/v1/briefs", &alice, 7 * 1024 * 1024);
        assert_eq!(
            (big.status, big.code()),
            (413, "payload_too_large"),
            "{}",
            &big.text[..big.text.len().min(200)]
        );
        let bad_limit = server.call("GET", "/api/v1/briefs?brand=acme&limit=0", &alice, None);
        assert_eq!(bad_limit.status, 400);
        assert!(
            bad_limit.json["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("limit 0: give 1 to 200")),
            "{}",
            bad_limit.text
        );
        // lists whose query holds more than paging take the limit as well
        for path in [
            "/api/v1/briefs?brand=acme&limit=2",
            "/api/v1/assets?brand=acme&limit=2",
            "/api/v1/reviews/queue?limit=2",
            "/api/v1/audit?limit=2",
        ] {
            let page = server.call("GET", path, &alice, None);
            assert_eq!(page.status, 200, "{path}: {}", page.text);
        }
        let words = server.call("GET", "/api/v1/briefs?brand=acme&limit=ten", &alice, None);
        assert_eq!(words.status, 400, "{}", words.text);
        let bad_kind = server.call(
            "POST",
            "/api/v1/assets",
            &alice,
            Some(&json!({"brief": 1, "title": "t", "kind": "haiku"})),
        );
        assert_eq!(
            (bad_kind.status, bad_kind.code()),
            (422, "invalid"),
            "{}",
            bad_kind.text
        );
        assert!(bad_kind.json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("kind")));
    });
}

#[test]
fn tokens_are_shown_once_scoped_and_revocable() {
    each_backend(|server| {
        let signed_in = server.sign_in("bob", PASSWORD).session();
        let issued = server.call(
            "POST",
            "/api/v1/tokens",
            &signed_in,
            Some(&json!({"brand": "acme", "role": "editor", "name": "review bot"})),
        );
        assert_eq!(issued.status, 201, "{}", issued.text);
        let secret = issued.json["secret"].as_str().expect("secret").to_string();
        let token_id = issued.json["token"]["id"].as_i64().expect("token id");
        let bot = Auth::Bearer(secret.clone());
        assert_eq!(
            server
                .call("GET", "/api/v1/reviews/queue", &bot, None)
                .status,
            200
        );
        let listed = server.call("GET", "/api/v1/tokens?brand=acme", &signed_in, None);
        assert!(
            !listed.text.contains(&secret),
            "a listing never shows the secret"
        );
        assert!(listed.text.contains("review bot"));
        // a token cannot act beyond its role: an editor token cannot write briefs
        let brief = server.call(
            "POST",
            "/api/v1/briefs",
            &bot,
            Some(&json!({"brand": "acme", "brief": brief_json()})),
        );
        assert_eq!(brief.status, 403, "{}", brief.text);
        // nor issue tokens
        let more = server.call(
            "POST",
            "/api/v1/tokens",
            &bot,
            Some(&json!({"brand": "acme", "role": "editor", "name": "x"})),
        );
        assert_eq!(more.status, 403, "{}", more.text);
        let revoked = server.call(
            "DELETE",
            &format!("/api/v1/tokens/{token_id}"),
            &signed_in,
            None,
        );
        assert_eq!(revoked.status, 204, "{}", revoked.text);
        assert_eq!(
            server
                .call("GET", "/api/v1/reviews/queue", &bot, None)
                .status,
            401
        );
    });
}

#[test]
fn probes_metrics_and_the_openapi_document() {
    each_backend(|server| {
        assert_eq!(
            server.call("GET", "/healthz", &Auth::None, None).status,
            200
        );
        assert_eq!(server.call("GET", "/readyz", &Auth::None, None).status, 200);
        let doc = server.call("GET", "/api/v1/openapi.json", &Auth::None, None);
        assert_eq!(doc.status, 200);
        assert!(
            doc.json["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1")),
            "{}",
            &doc.text[..200.min(doc.text.len())]
        );
        assert!(doc.json["paths"]["/api/v1/assets/{id}/versions"]["post"].is_object());
        let page = server.call("GET", "/healthz", &Auth::None, None);
        assert!(page.headers.get("content-security-policy").is_some());
        assert!(page.headers.get("x-request-id").is_some());
        let metrics = server.call("GET", "/metrics", &Auth::None, None);
        assert!(
            metrics.text.contains(
                "copydesk_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"
            ),
            "{}",
            metrics.text
        );
    });
}

#[test]
fn an_asset_whose_first_version_is_refused_is_not_created() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let brief = support::acme_brief(server, &alice);
        let listed = |server: &support::TestServer| {
            let list = server.call("GET", "/api/v1/assets?brand=acme", &alice, None);
            list.json["items"].as_array().map_or(0, Vec::len)
        };
        let before = listed(server);
        let blank = server.call(
            "POST",
            "/api/v1/assets",
            &alice,
            Some(&json!({"brief": brief, "title": "Blank", "kind": "blog", "text": "   "})),
        );
        assert_eq!(blank.status, 422, "{}", blank.text);
        assert!(
            blank.text.contains("the version text is empty"),
            "{}",
            blank.text
        );
        let huge = "word ".repeat(1_200_000);
        let too_long = server.call(
            "POST",
            "/api/v1/assets",
            &alice,
            Some(&json!({"brief": brief, "title": "Huge", "kind": "blog", "text": huge})),
        );
        assert!(
            matches!(too_long.status, 413 | 422),
            "{}",
            &too_long.text[..too_long.text.len().min(200)]
        );
        assert_eq!(
            listed(server),
            before,
            "no asset without its refused first version"
        );
        let created = server.call(
            "POST",
            "/api/v1/assets",
            &alice,
            Some(&json!({"brief": brief, "title": "Real", "kind": "blog", "text": "Close in a day."})),
        );
        assert_eq!(created.status, 201, "{}", created.text);
        assert_eq!(created.json["current_version"], 1, "{}", created.text);
        assert_eq!(listed(server), before + 1);
    });
}
