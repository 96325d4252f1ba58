//! Experiments in the workflow (issue 6): hypothesis first, the approved version as control,
//! challengers with the lever they pull, a plan fixed at launch, results imported and kept.

use copydesk_core::experiment::{
    AnalysisMethod, ExperimentDesign, ExperimentState, MetricType, Plan,
};
use copydesk_core::{AssetKind, AssetState, Lever, Reach};
use copydesk_service::ErrorKind;

use crate::world::{assert_refused, default_policy, each_backend};

fn design() -> ExperimentDesign {
    ExperimentDesign {
        hypothesis: "Naming the hours saved will lift demo requests from finance leads".into(),
        lever: Some(Lever::ValueFraming),
        metric: "demo_requests".into(),
        metric_type: MetricType::Conversion,
        inverse: false,
    }
}

#[test]
fn an_experiment_is_designed_launched_fed_results_and_stopped() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Internal, &[]);
        let asset = w.drafted(brief, AssetKind::Blog);
        let submitted = w.svc.review_submit("bob", asset).expect("submit");
        assert_eq!(submitted.state, AssetState::Approved, "{}", w.name());

        // no hypothesis, no lever: refused, nothing written
        let audit = w.audit_len();
        let vague = ExperimentDesign {
            hypothesis: "new headline".into(),
            ..design()
        };
        assert_refused(
            w.svc.experiment_new("alice", asset, &vague),
            ErrorKind::Invalid,
            "needs a hypothesis",
        );
        let leverless = ExperimentDesign {
            lever: None,
            ..design()
        };
        assert_refused(
            w.svc.experiment_new("alice", asset, &leverless),
            ErrorKind::Invalid,
            "the lever it tests",
        );
        assert_eq!(w.audit_len(), audit, "a refusal writes nothing");
        assert_refused(
            w.svc.experiment_new("bob", asset, &design()),
            ErrorKind::Refused,
            "needs strategist",
        );

        let id = w
            .svc
            .experiment_new("alice", asset, &design())
            .expect("design");
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "control", 1, None),
            ErrorKind::Invalid,
            "the control must be the approved version",
        );
        w.svc
            .experiment_variant_add("alice", id, "control", 2, None)
            .expect("control");
        // an approved asset takes no new version: challengers are its other versions
        let challenger = 1;
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "hours", challenger, None),
            ErrorKind::Invalid,
            "needs the lever it pulls",
        );
        w.svc
            .experiment_variant_add("alice", id, "hours", challenger, Some(Lever::ValueFraming))
            .expect("challenger");

        let rows = serde_json::json!([
            {"variant": "control", "users": 1000, "conversions": 50},
            {"variant": "hours", "users": 1000, "conversions": 62},
        ]);
        assert_refused(
            w.svc.experiment_import("bob", id, "early.csv", &rows),
            ErrorKind::Conflict,
            "needs it running or stopped",
        );
        let plan = Plan {
            per_variant: 8200,
            method: AnalysisMethod::Fixed,
            alpha: 0.05,
        };
        w.svc.experiment_start("alice", id, plan).expect("start");
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "late", challenger, Some(Lever::Urgency)),
            ErrorKind::Conflict,
            "needs it in draft",
        );
        let stray = serde_json::json!([{"variant": "other", "users": 5, "conversions": 1}]);
        assert_refused(
            w.svc.experiment_import("bob", id, "export.csv", &stray),
            ErrorKind::Invalid,
            "row 2: variant 'other' is not in experiment",
        );
        w.svc
            .experiment_import("bob", id, "export.csv", &rows)
            .expect("import");

        let view = w.svc.experiment_show("dana", id).expect("show");
        let e = &view.experiment;
        assert_eq!(e.state, ExperimentState::Running);
        assert_eq!(e.plan, Some(plan));
        assert_eq!(
            e.variants
                .iter()
                .map(|v| (v.name.as_str(), v.version, v.lever))
                .collect::<Vec<_>>(),
            [
                ("control", 2, None),
                ("hours", challenger, Some(Lever::ValueFraming))
            ]
        );
        let results = view.results.expect("results");
        assert_eq!(results.rows, rows);
        assert_eq!(results.imported_by.name, "bob");
        assert!(e.is_peek(1000), "1,000 of 8,200 planned users is a peek");

        w.svc.experiment_stop("alice", id).expect("stop");
        assert_refused(
            w.svc.experiment_stop("alice", id),
            ErrorKind::Conflict,
            "needs it running",
        );
        let listed = w.svc.experiment_list("carol", "acme").expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].state, ExperimentState::Stopped);
        let actions: Vec<String> = w
            .svc
            .audit_log("admin", Some(format!("experiment:{id}")), 0, 100)
            .expect("audit")
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                "experiment.created",
                "experiment.variant_added",
                "experiment.variant_added",
                "experiment.started",
                "experiment.results_imported",
                "experiment.stopped"
            ]
        );
    });
}
