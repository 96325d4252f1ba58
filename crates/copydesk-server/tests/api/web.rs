//! The web app's pages and forms over HTTP (the browser tests drive them in Chromium): who
//! gets a page, what a form needs, and what it may not do.

use serde_json::json;

use crate::support::{acme_brief, each_backend, Auth, PASSWORD};

pub(crate) fn location(reply: &crate::support::Reply) -> String {
    reply
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

pub(crate) fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with its token")
        + 19;
    page[at..].split('"').next().expect("token").to_string()
}

pub(crate) fn form_sign_in(server: &crate::support::TestServer, user: &str) -> Auth {
    let signed = server.browse(
        "/signin",
        &Auth::None,
        Some(&[("user", user), ("password", PASSWORD), ("next", "/queue")]),
    );
    assert_eq!(signed.status, 303, "{}", signed.text);
    assert_eq!(location(&signed), "/queue");
    let cookie = signed
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("copydesk_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string();
    Auth::Session { cookie, csrf: None }
}

#[test]
fn pages_need_a_session_and_forms_need_its_token() {
    each_backend(|server| {
        let anonymous = server.browse("/assets?brand=acme", &Auth::None, None);
        assert_eq!(anonymous.status, 303, "{}", server.backend);
        assert_eq!(
            location(&anonymous),
            "/signin?next=%2Fassets%3Fbrand%3Dacme"
        );

        // only this site's paths are followed after signing in
        let away = server.browse("/signin?next=//evil.example/", &Auth::None, None);
        assert!(
            away.text.contains(r#"name="next" value="/queue""#),
            "{}",
            away.text
        );

        let wrong = server.browse(
            "/signin",
            &Auth::None,
            Some(&[("user", "bob"), ("password", "nope"), ("next", "/queue")]),
        );
        assert_eq!(wrong.status, 401);
        assert!(wrong.text.contains("wrong user name or password"));
        assert!(wrong.headers.get("set-cookie").is_none());

        let alice = form_sign_in(server, "alice");
        let queue = server.browse("/queue", &alice, None);
        assert_eq!(queue.status, 200);
        assert!(queue.text.contains("Signed in as <strong>alice</strong>"));

        // a brief through the form: without the token nothing is written
        let fields = [
            ("brand", "acme"),
            ("title", "Form brief"),
            ("audience", "finance leads at agencies"),
        ];
        let refused = server.browse("/briefs", &alice, Some(&fields));
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert!(refused.text.contains("CSRF"), "{}", refused.text);
        let token = csrf_of(&queue.text);
        let mut with_token = fields.to_vec();
        with_token.push(("csrf", &token));
        let created = server.browse("/briefs", &alice, Some(&with_token));
        assert_eq!(created.status, 303, "{}", created.text);
        let reader = server.token_of("alice");
        let briefs = server.call("GET", "/api/v1/briefs?brand=acme", &reader, None);
        let titles: Vec<&str> = briefs.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|b| b["content"]["title"].as_str())
            .collect();
        assert_eq!(titles, ["Form brief"], "{}", briefs.text);

        // the live check answers with the gaps of what is typed, saving nothing
        let gaps = server.browse(
            "/briefs/check",
            &alice,
            Some(&[("csrf", &token), ("brand", "acme"), ("title", "x")]),
        );
        assert_eq!(gaps.status, 200);
        assert!(
            gaps.text
                .contains("13 gaps</strong> before drafting can start"),
            "{}",
            gaps.text
        );
        assert!(gaps.text.contains("audience"), "{}", gaps.text);

        // signing out ends the session for every page; "everywhere" ends the others too
        let other = form_sign_in(server, "alice");
        let out = server.browse("/signout", &alice, Some(&[("csrf", &token)]));
        assert_eq!(out.status, 303);
        let after = server.browse("/queue", &alice, None);
        assert_eq!(after.status, 303);
        assert_eq!(server.browse("/queue", &other, None).status, 200);
        let other_page = server.browse("/queue", &other, None);
        let other_token = csrf_of(&other_page.text);
        let third = form_sign_in(server, "alice");
        let everywhere = server.browse(
            "/signout",
            &other,
            Some(&[("csrf", &other_token), ("everywhere", "1")]),
        );
        assert_eq!(everywhere.status, 303);
        assert_eq!(server.browse("/queue", &other, None).status, 303);
        assert_eq!(server.browse("/queue", &third, None).status, 303);
    });
}

#[test]
fn another_brands_asset_is_not_found_and_an_author_cannot_approve_through_the_page() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let brief_id = acme_brief(server, &alice);
        let bob = server.token_of("bob");
        let asset = server.call(
            "POST",
            "/api/v1/assets",
            &bob,
            Some(
                &json!({"brief": brief_id, "title": "Payroll in a day", "kind": "blog",
                "text": "Payroll used to take three days. Now it takes one."}),
            ),
        );
        let id = asset.json["id"].as_i64().expect("asset id");
        let submitted = server.call("POST", &format!("/api/v1/assets/{id}/submit"), &bob, None);
        assert_eq!(submitted.status, 200, "{}", submitted.text);

        let gina = form_sign_in(server, "gina");
        for path in [
            format!("/assets/{id}"),
            format!("/assets/{id}/audit"),
            format!("/assets/{id}/diff?from=1"),
        ] {
            let page = server.browse(&path, &gina, None);
            assert_eq!(page.status, 404, "{path}: {}", page.text);
            assert!(!page.text.contains("Payroll"), "{path} leaks the asset");
        }

        let bob_page = form_sign_in(server, "bob");
        let page = server.browse(&format!("/assets/{id}?brand=acme"), &bob_page, None);
        assert_eq!(page.status, 200);
        assert!(page.text.contains("Payroll used to take three days"));
        let token = csrf_of(&page.text);
        let decided = server.browse(
            &format!("/assets/{id}/decisions"),
            &bob_page,
            Some(&[
                ("csrf", &token),
                ("brand", "acme"),
                ("decision", "approve"),
                ("proud", "yes"),
            ]),
        );
        assert_eq!(decided.status, 403, "{}", decided.text);
        assert!(
            decided.text.contains("separation of duties"),
            "{}",
            decided.text
        );
        let shown = server.call("GET", &format!("/api/v1/assets/{id}"), &bob, None);
        assert_eq!(shown.json["state"], "in_review", "{}", shown.text);

        // approving without the final question answered is refused too
        let dana = form_sign_in(server, "dana");
        let page = server.browse(&format!("/assets/{id}?brand=acme"), &dana, None);
        let token = csrf_of(&page.text);
        let unconfirmed = server.browse(
            &format!("/assets/{id}/decisions"),
            &dana,
            Some(&[("csrf", &token), ("brand", "acme"), ("decision", "approve")]),
        );
        assert_eq!(unconfirmed.status, 422, "{}", unconfirmed.text);
        let approved = server.browse(
            &format!("/assets/{id}/decisions"),
            &dana,
            Some(&[
                ("csrf", &token),
                ("brand", "acme"),
                ("decision", "approve"),
                ("proud", "yes"),
            ]),
        );
        assert_eq!(approved.status, 303, "{}", approved.text);
        let shown = server.call("GET", &format!("/api/v1/assets/{id}"), &bob, None);
        let decisions = &shown.json["review"]["decisions"];
        assert_eq!(decisions[0]["decision"], "approve", "{}", shown.text);
        assert_eq!(decisions[0]["by"]["name"], "dana", "{}", shown.text);
    });
}
