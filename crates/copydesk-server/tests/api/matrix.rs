//! The authorisation matrix: every route the router serves (read from the OpenAPI document
//! that is generated from the same router) × every role in its own brand, a token of another
//! brand, and no credentials. A route without an entry here fails the test.

use copydesk_core::Role;
use serde_json::{json, Value};

use crate::support::{
    acme_brief, brief_json, each_backend, running_experiment, Auth, TestServer, PASSWORD, PEOPLE,
};

/// Who may call a route.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// No credentials needed (signing in).
    Public,
    /// About the caller only: any signed-in caller, a foreign brand's included.
    Caller,
    /// Any member of the brand; others are told it does not exist (404).
    Member,
    /// These roles (and the brand's admins); other members get 403, outsiders 404.
    Roles(&'static [Role]),
    /// Members, with the outcome decided by the workflow's stage (who may decide now); only
    /// outsiders (404) and anonymous callers (401) are fixed.
    Stage,
}

const WRITES_BRIEFS: &[Role] = &[Role::Strategist];
const ADDS_SOURCES: &[Role] = &[Role::Strategist, Role::Editor];
const CREATES_ASSETS: &[Role] = &[Role::Strategist, Role::Editor];
const WRITES_VERSIONS: &[Role] = &[Role::Strategist, Role::Editor, Role::PromptEngineer];
const SUBMITS: &[Role] = &[Role::Strategist, Role::Editor, Role::PromptEngineer];
const PUBLISHES: &[Role] = &[Role::Strategist, Role::Editor, Role::BrandLead];
const DESIGNS_EXPERIMENTS: &[Role] = &[Role::Strategist];

fn rule_of(method: &str, path: &str) -> Option<Rule> {
    Some(match (method, path) {
        ("POST", "/api/v1/session") => Rule::Public,
        ("DELETE", "/api/v1/session") => Rule::Caller,
        ("GET", "/api/v1/me") => Rule::Caller,
        ("GET", "/api/v1/brands") => Rule::Caller,
        ("GET", "/api/v1/reviews/queue") => Rule::Caller,
        ("GET", "/api/v1/audit") => Rule::Caller,
        ("GET", "/api/v1/tokens") => Rule::Member,
        // an editor token: editors (and admins) may issue one for themselves
        ("POST", "/api/v1/tokens") => Rule::Roles(&[Role::Editor]),
        // alice's token: alice (the strategist) and admins may revoke it
        ("DELETE", "/api/v1/tokens/{id}") => Rule::Roles(&[Role::Strategist]),
        ("GET", "/api/v1/briefs") => Rule::Member,
        ("POST", "/api/v1/briefs") => Rule::Roles(WRITES_BRIEFS),
        ("GET", "/api/v1/briefs/{id}") => Rule::Member,
        ("PUT", "/api/v1/briefs/{id}") => Rule::Roles(WRITES_BRIEFS),
        ("GET", "/api/v1/briefs/{id}/check") => Rule::Member,
        ("GET", "/api/v1/briefs/{id}/sources") => Rule::Member,
        ("POST", "/api/v1/briefs/{id}/sources") => Rule::Roles(ADDS_SOURCES),
        ("GET", "/api/v1/assets") => Rule::Member,
        ("POST", "/api/v1/assets") => Rule::Roles(CREATES_ASSETS),
        ("GET", "/api/v1/assets/{id}") => Rule::Member,
        ("GET", "/api/v1/assets/{id}/versions") => Rule::Member,
        ("POST", "/api/v1/assets/{id}/versions") => Rule::Roles(WRITES_VERSIONS),
        ("GET", "/api/v1/assets/{id}/versions/{number}") => Rule::Member,
        ("GET", "/api/v1/assets/{id}/diff") => Rule::Member,
        ("POST", "/api/v1/assets/{id}/submit") => Rule::Roles(SUBMITS),
        ("POST", "/api/v1/assets/{id}/decisions") => Rule::Stage,
        ("POST", "/api/v1/assets/{id}/comments") => Rule::Member,
        ("POST", "/api/v1/assets/{id}/publish") => Rule::Roles(PUBLISHES),
        // webhooks and their delivery log: the brand's admins only
        ("GET", "/api/v1/webhooks") => Rule::Roles(&[]),
        ("POST", "/api/v1/webhooks") => Rule::Roles(&[]),
        ("PATCH", "/api/v1/webhooks/{id}") => Rule::Roles(&[]),
        ("GET", "/api/v1/webhooks/deliveries") => Rule::Roles(&[]),
        ("GET", "/api/v1/experiments") => Rule::Member,
        ("POST", "/api/v1/experiments") => Rule::Roles(DESIGNS_EXPERIMENTS),
        ("POST", "/api/v1/experiments/{id}/variants") => Rule::Roles(DESIGNS_EXPERIMENTS),
        ("POST", "/api/v1/experiments/{id}/start") => Rule::Roles(DESIGNS_EXPERIMENTS),
        // the first allowed caller stops it; later ones are told it is stopped (409)
        ("POST", "/api/v1/experiments/{id}/stop") => Rule::Roles(DESIGNS_EXPERIMENTS),
        ("GET", "/api/v1/experiments/{id}") => Rule::Member,
        ("GET", "/api/v1/experiments/{id}/analysis") => Rule::Member,
        ("POST", "/api/v1/experiments/{id}/results") => {
            Rule::Roles(&[Role::Strategist, Role::Editor])
        }
        _ => return None,
    })
}

struct Fixture {
    brief: i64,
    asset: i64,
    token: i64,
    webhook: i64,
    experiment: i64,
}

fn fixture(server: &mut TestServer) -> Fixture {
    let alice = server.token_of("alice");
    let brief = acme_brief(server, &alice);
    let asset = server.call(
        "POST",
        "/api/v1/assets",
        &alice,
        Some(&json!({"brief": brief, "title": "Matrix", "kind": "blog", "text": "One version."})),
    );
    let asset = asset.json["id"].as_i64().expect("asset");
    let issued = server
        .svc
        .token_create("alice", "acme", Role::Strategist, "to revoke")
        .expect("token");
    // nothing listens on the discard port: deliveries to it fail and are retried later
    let hook = server
        .svc
        .webhook_create(
            "admin",
            "acme",
            "http://127.0.0.1:9/matrix",
            &[copydesk_core::account::WebhookEvent::AssetPublished],
        )
        .expect("webhook");
    let (experiment, _) = running_experiment(server, brief, 5000);
    Fixture {
        brief,
        asset,
        token: issued.token.id.0,
        webhook: hook.webhook.id.0,
        experiment,
    }
}

fn request(method: &str, path: &str, f: &Fixture) -> (String, Option<Value>) {
    let concrete = path
        .replace("/briefs/{id}", &format!("/briefs/{}", f.brief))
        .replace("/assets/{id}", &format!("/assets/{}", f.asset))
        .replace("/tokens/{id}", &format!("/tokens/{}", f.token))
        .replace("/webhooks/{id}", &format!("/webhooks/{}", f.webhook))
        .replace(
            "/experiments/{id}",
            &format!("/experiments/{}", f.experiment),
        )
        .replace("{number}", "1");
    let query = match (method, path) {
        (
            "GET",
            "/api/v1/briefs"
            | "/api/v1/assets"
            | "/api/v1/tokens"
            | "/api/v1/webhooks"
            | "/api/v1/webhooks/deliveries"
            | "/api/v1/experiments",
        ) => "?brand=acme",
        ("GET", "/api/v1/assets/{id}/diff") => "?from=1",
        _ => "",
    };
    let body = match (method, path) {
        ("POST", "/api/v1/session") => {
            Some(json!({"user": "nobody", "password": "wrong password"}))
        }
        ("POST", "/api/v1/tokens") => {
            Some(json!({"brand": "acme", "role": "editor", "name": "matrix"}))
        }
        ("POST", "/api/v1/briefs") => Some(json!({"brand": "acme", "brief": brief_json()})),
        ("PUT", "/api/v1/briefs/{id}") => Some(json!({"brief": brief_json()})),
        ("POST", "/api/v1/briefs/{id}/sources") => {
            Some(json!({"kind": "interview", "origin": "matrix", "text": "A quote."}))
        }
        ("POST", "/api/v1/assets") => {
            Some(json!({"brief": f.brief, "title": "Another", "kind": "blog"}))
        }
        ("POST", "/api/v1/assets/{id}/versions") => Some(json!({"text": "Another version."})),
        ("POST", "/api/v1/assets/{id}/decisions") => {
            Some(json!({"decision": "request_changes", "reason": "generic", "comment": "matrix"}))
        }
        ("POST", "/api/v1/assets/{id}/comments") => Some(json!({"body": "matrix"})),
        ("POST", "/api/v1/webhooks") => Some(json!({"brand": "acme",
            "url": "http://127.0.0.1:9/matrix", "events": ["asset.approved"]})),
        ("PATCH", "/api/v1/webhooks/{id}") => Some(json!({"active": true})),
        ("POST", "/api/v1/experiments") => Some(json!({"brand": "acme", "asset": f.asset,
            "hypothesis": "Naming the hours saved will lift demo requests",
            "lever": "value_framing", "metric": "demo_requests", "metric_type": "conversion"})),
        // the fixture's experiment is running: allowed callers reach the workflow's 409
        ("POST", "/api/v1/experiments/{id}/variants") => {
            Some(json!({"name": "late", "asset": f.asset, "lever": "urgency"}))
        }
        ("POST", "/api/v1/experiments/{id}/start") => Some(json!({"users": 5000})),
        _ => None,
    };
    (format!("{concrete}{query}"), body)
}

fn routes() -> Vec<(String, String)> {
    let doc = serde_json::to_value(copydesk_server::openapi()).expect("openapi as JSON");
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                out.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_has_an_entry_in_the_matrix() {
    let missing: Vec<_> = routes()
        .into_iter()
        .filter(|(m, p)| rule_of(m, p).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "routes without an authorisation rule in tests/api/matrix.rs: {missing:?}"
    );
    assert!(routes().len() >= 25, "the router lists its routes");
}

#[test]
fn every_route_allows_and_denies_as_the_matrix_says() {
    each_backend(|server| {
        let f = fixture(server);
        // signed in through the API, so the cookie and CSRF path is what is exercised
        // (tokens are narrower still; tests in main.rs cover their scope)
        let sign_in = |server: &TestServer, name: &str| server.sign_in(name, PASSWORD).session();
        let mut people: Vec<(&str, Role, Auth)> = Vec::new();
        for (name, brand, role) in PEOPLE {
            if *brand == "acme" {
                people.push((name, *role, sign_in(server, name)));
            }
        }
        let foreign = sign_in(server, "gina");
        let mut failures = Vec::new();
        for (method, path) in routes() {
            let rule = rule_of(&method, &path).expect("checked above");
            let (url, body) = request(&method, &path, &f);
            let anonymous = server.call(&method, &url, &Auth::None, body.as_ref());
            let anonymous_ok = match rule {
                Rule::Public => anonymous.status != 403 && anonymous.status != 404,
                _ => anonymous.status == 401,
            };
            if !anonymous_ok {
                failures.push(format!("{method} {path} anonymous → {}", anonymous.status));
            }
            // signing out ends the session: each caller signs out a fresh one
            let fresh = method == "DELETE" && path == "/api/v1/session";
            let foreign = if fresh {
                sign_in(server, "gina")
            } else {
                foreign.clone()
            };
            let outsider = server.call(&method, &url, &foreign, body.as_ref());
            let outsider_ok = match rule {
                Rule::Public => !matches!(outsider.status, 403 | 404),
                Rule::Caller => !matches!(outsider.status, 401 | 403 | 404),
                Rule::Member | Rule::Roles(_) | Rule::Stage => outsider.status == 404,
            };
            if !outsider_ok {
                failures.push(format!(
                    "{method} {path} other brand → {}: {}",
                    outsider.status, outsider.text
                ));
            }
            for (name, role, auth) in &people {
                let auth = if fresh {
                    sign_in(server, name)
                } else {
                    auth.clone()
                };
                let reply = server.call(&method, &url, &auth, body.as_ref());
                // signing in with the wrong password is a 401 for anyone: what matters is
                // that nobody is refused or hidden from the sign-in route itself
                let allowed = match rule {
                    Rule::Public => !matches!(reply.status, 403 | 404),
                    _ => !matches!(reply.status, 401 | 403 | 404),
                };
                let expected = match rule {
                    Rule::Public | Rule::Caller | Rule::Member => Some(true),
                    Rule::Roles(roles) => Some(*role == Role::Admin || roles.contains(role)),
                    Rule::Stage => None,
                };
                match expected {
                    Some(true) if !allowed => failures.push(format!(
                        "{method} {path} {name} ({role}) should be allowed → {}: {}",
                        reply.status, reply.text
                    )),
                    Some(false) if reply.status != 403 => failures.push(format!(
                        "{method} {path} {name} ({role}) should be forbidden (403) → {}: {}",
                        reply.status, reply.text
                    )),
                    None if matches!(reply.status, 401 | 404) => failures.push(format!(
                        "{method} {path} {name} ({role}) is a member → {}",
                        reply.status
                    )),
                    _ => {}
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{}:\n{}",
            server.backend,
            failures.join("\n")
        );
    });
}
