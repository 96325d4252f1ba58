//! Experiments over HTTP: the brand's list, one experiment, results imported as CSV by an
//! analytics pipeline, the analysis with its peek flag, and the page with its chart.

use serde_json::json;

use crate::support::{brief_json, each_backend, running_experiment};
use crate::web::form_sign_in;

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
        let (n, challenger) = running_experiment(server, brief, 5000);

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
        let latin1 = server.post_bytes(
            &results,
            &bob,
            "text/csv",
            b"variant,users\nkontroll\xe9,1\n",
        );
        assert_eq!(
            (latin1.status, latin1.code()),
            (400, "bad_request"),
            "{}",
            latin1.text
        );
        assert!(latin1.text.contains("not UTF-8"), "{}", latin1.text);
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
