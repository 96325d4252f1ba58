//! Experiments over HTTP: the brand's list, one experiment, results imported as CSV by an
//! analytics pipeline, the analysis with its peek flag, and the page with its chart.

use copydesk_core::experiment::{AnalysisMethod, ExperimentDesign, MetricType, Plan};
use copydesk_core::{AssetId, ExperimentId, Lever};
use serde_json::json;

use crate::support::{brief_json, each_backend, TestServer};
use crate::web::form_sign_in;

/// An asset written by bob and approved by whoever its review round needs.
fn approved_asset(server: &mut TestServer, brief: i64, title: &str, text: &str) -> i64 {
    let bob = server.token_of("bob");
    let asset = server.call(
        "POST",
        "/api/v1/assets",
        &bob,
        Some(&json!({"brief": brief, "title": title, "kind": "blog", "text": text})),
    );
    let id = asset.json["id"].as_i64().expect("asset id");
    let submitted = server.call("POST", &format!("/api/v1/assets/{id}/submit"), &bob, None);
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    for reviewer in ["dana", "carol", "lee"] {
        let who = server.token_of(reviewer);
        server.call(
            "POST",
            &format!("/api/v1/assets/{id}/decisions"),
            &who,
            Some(&json!({"decision": "approve", "proud": true})),
        );
    }
    let shown = server.call("GET", &format!("/api/v1/assets/{id}"), &bob, None);
    assert_eq!(shown.json["state"], "approved", "{}", shown.text);
    id
}

#[test]
fn results_are_imported_as_csv_and_analysed_over_the_api_and_on_the_page() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let brief = server.call(
            "POST",
            "/api/v1/briefs",
            &alice,
            Some(&json!({"brand": "acme", "brief": brief_json()})),
        );
        let brief = brief.json["id"].as_i64().expect("brief id");
        let control = approved_asset(server, brief, "Payroll", "Payroll takes one day now.");
        let challenger = approved_asset(
            server,
            brief,
            "Payroll, hours",
            "Payroll takes four hours now, not three days.",
        );
        let design = ExperimentDesign {
            hypothesis: "Naming the hours saved will lift demo requests from finance leads".into(),
            lever: Some(Lever::ValueFraming),
            metric: "demo_requests".into(),
            metric_type: MetricType::Conversion,
            inverse: false,
        };
        let id = server
            .svc
            .experiment_new("alice", "acme", AssetId(control), &design)
            .expect("design");
        server
            .svc
            .experiment_variant_add("alice", id, "control", None, None)
            .expect("control");
        server
            .svc
            .experiment_variant_add(
                "alice",
                id,
                "hours",
                Some(AssetId(challenger)),
                Some(Lever::ValueFraming),
            )
            .expect("challenger");
        let plan = Plan {
            per_variant: 5000,
            method: AnalysisMethod::Fixed,
            alpha: 0.05,
        };
        server
            .svc
            .experiment_start("alice", id, plan)
            .expect("start");
        let ExperimentId(n) = id;

        let bob = server.token_of("bob");
        let none = server.call(
            "GET",
            &format!("/api/v1/experiments/{n}/analysis"),
            &bob,
            None,
        );
        assert_eq!(none.status, 422, "{}", none.text);
        let results = format!("/api/v1/experiments/{n}/results?source=warehouse");
        let bad = server.raw(
            "POST",
            &results,
            &bob,
            Some("variant,users,conversions\ncontrol,1000,50\nhours,1000,1001\n".into()),
        );
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert!(bad.text.contains("warehouse: row 3"), "{}", bad.text);
        let csv = "variant,users,conversions\ncontrol,1000,50\nhours,1000,62\n";
        let imported = server.raw("POST", &results, &bob, Some(csv.into()));
        assert_eq!(imported.status, 201, "{}", imported.text);

        let report = server.call(
            "GET",
            &format!("/api/v1/experiments/{n}/analysis"),
            &bob,
            None,
        );
        assert_eq!(report.status, 200, "{}", report.text);
        assert_eq!(report.json["peek"], true, "1,000 of 5,000 is a peek");
        assert_eq!(report.json["source"], "warehouse");
        let lift = report.json["analysis"]["variants"][1]["relative"]["effect"]
            .as_f64()
            .expect("lift");
        assert!((lift - 0.24).abs() < 1e-9, "{lift}");
        let listed = server.call("GET", "/api/v1/experiments?brand=acme", &bob, None);
        assert_eq!(listed.json[0]["id"], n, "{}", listed.text);
        let gina = server.token_of("gina");
        let hidden = server.call("GET", &format!("/api/v1/experiments/{n}"), &gina, None);
        assert_eq!(
            hidden.status, 404,
            "another brand's experiment is not found"
        );

        let page_session = form_sign_in(server, "bob");
        let page = server.browse(&format!("/experiments/{n}?brand=acme"), &page_session, None);
        assert_eq!(page.status, 200, "{}", page.text);
        for expected in [
            "Naming the hours saved",
            "Peek.",
            "<svg",
            "hours: +24.0%",
            &format!("/assets/{challenger}"),
        ] {
            assert!(page.text.contains(expected), "the page lacks {expected}");
        }
        let list = server.browse("/experiments?brand=acme", &page_session, None);
        assert!(
            list.text.contains(&format!("/experiments/{n}")),
            "{}",
            list.text
        );
    });
}
