//! Experiments over HTTP: designing and launching one, the brand's list, one experiment,
//! results imported as CSV by an analytics pipeline, the analysis with its peek flag, and the
//! page with its verdicts and chart.

use serde_json::json;

use crate::support::{acme_brief, each_backend, payroll_pair, running_experiment};
use crate::web::{csrf_of, form_sign_in, location};

#[test]
fn results_are_imported_as_csv_and_analysed_over_the_api_and_on_the_page() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let brief = acme_brief(server, &alice);
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
        let mut huge = b"variant,users,conversions\n".to_vec();
        while huge.len() <= 7 * 1024 * 1024 {
            huge.extend_from_slice(b"control,1000,50\n");
        }
        let too_large = server.post_chunked(&results, &bob, "text/csv", &huge);
        assert_eq!(
            (too_large.status, too_large.code()),
            (413, "payload_too_large"),
            "a streamed upload over the limit: {}",
            &too_large.text[..too_large.text.len().min(300)]
        );
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
            "hours converts 24.0% better than control",
            "this is a peek: decide at the planned 5,000 users per variant (4,000 to go)",
            "sample ratio: χ² = 0, p = 1.000",
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

#[test]
fn an_experiment_is_designed_launched_and_stopped_over_the_api() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let brief = acme_brief(server, &alice);
        let (control, challenger) = payroll_pair(server, brief);
        let design = json!({"brand": "acme", "asset": control,
            "hypothesis": "Naming the hours saved will lift demo requests from finance leads",
            "lever": "value_framing", "metric": "demo_requests", "metric_type": "conversion"});
        let admin = server.token_of("ada");
        let bob = server.token_of("bob");
        let audit = server.call("GET", "/api/v1/audit?limit=200", &admin, None);
        let entries = audit.json["items"].as_array().map_or(0, Vec::len);
        assert!(
            (1..200).contains(&entries),
            "the whole trail fits one page: {}",
            audit.text
        );
        let refusals = [
            (
                json!({"hypothesis": "new headline"}),
                422,
                "needs a hypothesis",
            ),
            (json!({"lever": null}), 422, "the lever it tests"),
            (json!({"lever": "fear"}), 422, "lever: "),
            (json!({"metric_type": "revenue"}), 422, "metric_type: "),
            (json!({"variants": 2}), 422, "unknown field `variants`"),
        ];
        for (change, status, why) in refusals {
            let mut body = design.clone();
            for (k, v) in change.as_object().expect("object") {
                body[k] = v.clone();
            }
            let refused = server.call("POST", "/api/v1/experiments", &alice, Some(&body));
            assert_eq!(refused.status, status, "{change}: {}", refused.text);
            assert!(refused.text.contains(why), "{change}: {}", refused.text);
        }
        let editor = server.call("POST", "/api/v1/experiments", &bob, Some(&design));
        assert_eq!(editor.status, 403, "editors do not design experiments");
        let unchanged = server.call("GET", "/api/v1/audit?limit=200", &admin, None);
        assert!(unchanged.json == audit.json, "a refusal writes nothing");

        let created = server.call("POST", "/api/v1/experiments", &alice, Some(&design));
        assert_eq!(created.status, 201, "{}", created.text);
        assert_eq!(created.json["state"], "draft");
        let n = created.json["id"].as_i64().expect("experiment id");
        let variants = format!("/api/v1/experiments/{n}/variants");
        let control_added =
            server.call("POST", &variants, &alice, Some(&json!({"name": "control"})));
        assert_eq!(control_added.status, 201, "{}", control_added.text);
        assert_eq!(control_added.json["asset_id"], control);
        let leverless = server.call(
            "POST",
            &variants,
            &alice,
            Some(&json!({"name": "hours", "asset": challenger})),
        );
        assert_eq!(leverless.status, 422, "{}", leverless.text);
        let added = server.call(
            "POST",
            &variants,
            &alice,
            Some(&json!({"name": "hours", "asset": challenger, "lever": "value_framing"})),
        );
        assert_eq!(added.status, 201, "{}", added.text);
        assert_eq!(added.json["lever"], "value_framing");

        let start = format!("/api/v1/experiments/{n}/start");
        let no_size = server.call(
            "POST",
            &start,
            &alice,
            Some(&json!({"method": "sequential"})),
        );
        assert_eq!(no_size.status, 422, "{}", no_size.text);
        assert!(
            no_size.text.contains("say how many users"),
            "{}",
            no_size.text
        );
        let started = server.call(
            "POST",
            &start,
            &alice,
            Some(&json!({"baseline": 0.05, "mde": 0.10, "method": "sequential"})),
        );
        assert_eq!(started.status, 200, "{}", started.text);
        assert_eq!(started.json["state"], "running");
        assert_eq!(started.json["plan"]["method"], "sequential");
        let per_variant = started.json["plan"]["per_variant"]
            .as_u64()
            .expect("planned");
        assert!(
            (30_000..33_000).contains(&per_variant),
            "5% baseline, +10% MDE, 80% power: about 31,000 per arm, got {per_variant}"
        );
        let again = server.call("POST", &start, &alice, Some(&json!({"users": 100})));
        assert_eq!(again.status, 409, "{}", again.text);

        let stop = format!("/api/v1/experiments/{n}/stop");
        let stopped = server.call("POST", &stop, &alice, None);
        assert_eq!(stopped.status, 200, "{}", stopped.text);
        assert_eq!(stopped.json["state"], "stopped");
        let twice = server.call("POST", &stop, &alice, None);
        assert_eq!(twice.status, 409, "{}", twice.text);
    });
}

#[test]
fn an_experiment_is_started_fed_and_stopped_through_its_page() {
    each_backend(|server| {
        let alice = server.token_of("alice");
        let brief = acme_brief(server, &alice);
        let (control, challenger) = payroll_pair(server, brief);
        let created = server.call(
            "POST",
            "/api/v1/experiments",
            &alice,
            Some(&json!({"brand": "acme", "asset": control,
                "hypothesis": "Naming the hours saved will lift demo requests from finance leads",
                "lever": "value_framing", "metric": "demo_requests", "metric_type": "conversion"})),
        );
        let n = created.json["id"].as_i64().expect("experiment id");
        let variants = format!("/api/v1/experiments/{n}/variants");
        for body in [
            json!({"name": "control"}),
            json!({"name": "hours", "asset": challenger, "lever": "value_framing"}),
        ] {
            let added = server.call("POST", &variants, &alice, Some(&body));
            assert_eq!(added.status, 201, "{}", added.text);
        }
        let page_of = format!("/experiments/{n}?brand=acme");

        // an editor has nothing to do with a draft experiment; its strategist can start it
        let bob = form_sign_in(server, "bob");
        let bobs = server.browse(&page_of, &bob, None);
        assert!(!bobs.text.contains("Run it"), "{}", bobs.text);
        let alice_page = form_sign_in(server, "alice");
        let draft = server.browse(&page_of, &alice_page, None);
        assert!(
            draft.text.contains("Start the experiment"),
            "{}",
            draft.text
        );
        let token = csrf_of(&draft.text);
        let start = format!("/experiments/{n}/start");
        let typo = server.browse(
            &start,
            &alice_page,
            Some(&[("csrf", &token), ("brand", "acme"), ("users", "lots")]),
        );
        assert_eq!(typo.status, 422, "{}", typo.text);
        assert!(
            typo.text
                .contains("users per variant: 'lots' is not a number"),
            "{}",
            typo.text
        );
        let started = server.browse(
            &start,
            &alice_page,
            Some(&[
                ("csrf", &token),
                ("brand", "acme"),
                ("users", ""),
                ("baseline", "0.05"),
                ("mde", "0.10"),
                ("method", "sequential"),
                ("alpha", "0.05"),
            ]),
        );
        assert_eq!(started.status, 303, "{}", started.text);
        assert_eq!(location(&started), format!("{page_of}&done=started"));
        let shown = server.call("GET", &format!("/api/v1/experiments/{n}"), &alice, None);
        assert_eq!(shown.json["state"], "running", "{}", shown.text);
        assert_eq!(shown.json["plan"]["method"], "sequential");

        // the editor imports the export through the page and reads the verdict
        let running = server.browse(&page_of, &bob, None);
        assert!(running.text.contains("Import results"), "{}", running.text);
        assert!(
            !running.text.contains("Stop the experiment"),
            "{}",
            running.text
        );
        let bobs_token = csrf_of(&running.text);
        let results = format!("/experiments/{n}/results");
        let bad = server.browse(
            &results,
            &bob,
            Some(&[
                ("csrf", &bobs_token),
                ("brand", "acme"),
                (
                    "csv",
                    "variant,users,conversions\ncontrol,100,500\nhours,100,5\n",
                ),
            ]),
        );
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert!(bad.text.contains("row 2"), "{}", bad.text);
        let imported = server.browse(
            &results,
            &bob,
            Some(&[
                ("csrf", &bobs_token),
                ("brand", "acme"),
                (
                    "csv",
                    "variant,users,conversions\ncontrol,1000,50\nhours,1000,62\n",
                ),
                ("source", "march export"),
            ]),
        );
        assert_eq!(imported.status, 303, "{}", imported.text);
        let read = server.browse(&format!("{page_of}&done=imported"), &bob, None);
        for expected in [
            "Results imported",
            "march export",
            "hours converts 24.0% better than control",
        ] {
            assert!(read.text.contains(expected), "the page lacks {expected}");
        }
        let refused = server.browse(
            &format!("/experiments/{n}/stop"),
            &bob,
            Some(&[("csrf", &bobs_token), ("brand", "acme")]),
        );
        assert_eq!(refused.status, 403, "an editor does not stop experiments");
        let stopped = server.browse(
            &format!("/experiments/{n}/stop"),
            &alice_page,
            Some(&[("csrf", &token), ("brand", "acme")]),
        );
        assert_eq!(stopped.status, 303, "{}", stopped.text);
        let shown = server.call("GET", &format!("/api/v1/experiments/{n}"), &alice, None);
        assert_eq!(shown.json["state"], "stopped", "{}", shown.text);
    });
}
