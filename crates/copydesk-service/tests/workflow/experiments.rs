//! Experiments in the workflow (issue 6): hypothesis first, the approved version as control,
//! challengers (other assets, reviewed like any other) with the lever they pull, a plan fixed
//! at launch, results imported, kept and analysed, early looks marked as peeks.

use copydesk_core::experiment::{
    AnalysisMethod, ExperimentDesign, ExperimentState, MetricType, Plan,
};
use copydesk_core::{AssetKind, AssetState, Lever, Reach};
use copydesk_service::{ErrorKind, Launch};

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
            w.svc.experiment_new("alice", "acme", asset, &vague),
            ErrorKind::Invalid,
            "needs a hypothesis",
        );
        let leverless = ExperimentDesign {
            lever: None,
            ..design()
        };
        assert_refused(
            w.svc.experiment_new("alice", "acme", asset, &leverless),
            ErrorKind::Invalid,
            "the lever it tests",
        );
        assert_eq!(w.audit_len(), audit, "a refusal writes nothing");
        assert_refused(
            w.svc.experiment_new("bob", "acme", asset, &design()),
            ErrorKind::Refused,
            "needs strategist",
        );

        let id = w
            .svc
            .experiment_new("alice", "acme", asset, &design())
            .expect("design");
        // the control is the approved asset itself; a challenger is another asset
        let challenger = w.drafted(brief, AssetKind::Blog);
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "control", Some(challenger), None),
            ErrorKind::Invalid,
            "the control is the experiment's own asset",
        );
        w.svc
            .experiment_variant_add("alice", id, "control", None, None)
            .expect("control");
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "hours", Some(challenger), None),
            ErrorKind::Invalid,
            "needs the lever it pulls",
        );
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "hours", None, Some(Lever::ValueFraming)),
            ErrorKind::Invalid,
            "needs --asset",
        );
        let email = w.drafted(brief, AssetKind::Email);
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "mail", Some(email), Some(Lever::Urgency)),
            ErrorKind::Invalid,
            "the same kind of asset",
        );
        let added = w
            .svc
            .experiment_variant_add(
                "alice",
                id,
                "hours",
                Some(challenger),
                Some(Lever::ValueFraming),
            )
            .expect("challenger");
        assert_eq!((added.asset_id, added.version), (challenger, 2));

        // the analytics export lists the challenger first; the control is found by name
        let csv = "variant,users,conversions\nhours,1000,62\ncontrol,1000,50\n";
        assert_refused(
            w.svc.experiment_import("bob", id, "early.csv", csv, None),
            ErrorKind::Conflict,
            "needs it running or stopped",
        );
        let plan = Plan {
            per_variant: 8200,
            method: AnalysisMethod::Fixed,
            alpha: 0.05,
        };
        let launch = Launch::users(8200, AnalysisMethod::Fixed, 0.05);
        // the challenger has not been reviewed yet
        assert_refused(
            w.svc.experiment_start("alice", id, &launch),
            ErrorKind::Conflict,
            "every variant goes through review before launch: 'hours' (asset",
        );
        // an editor sharpens it in review; launch takes the version that was approved
        w.edit(
            challenger,
            "bob",
            "Close payroll in four hours, not three days.",
        );
        let reviewed = w.svc.review_submit("bob", challenger).expect("submit");
        assert_eq!(reviewed.state, AssetState::Approved, "{}", w.name());
        assert_eq!(
            w.svc.experiment_start("alice", id, &launch).expect("start"),
            plan
        );
        assert_refused(
            w.svc
                .experiment_variant_add("alice", id, "late", Some(email), Some(Lever::Urgency)),
            ErrorKind::Conflict,
            "needs it in draft",
        );
        let bad = [
            (
                "variant,users,conversions\ncontrol,1000,50\nother,5,1\n",
                "stray.csv: row 3: variant 'other' is not in experiment",
            ),
            (
                "variant,users,conversions\ncontrol,1000,50\n",
                "needs at least two variants (a control and one more), found 1",
            ),
            (
                "variant,users,conversions\ncontrol,1000,50\nhours,10,11\n",
                "stray.csv: row 3, field `conversions`: 11 conversions but only 10 users",
            ),
            (
                "variant,users,mean,stddev\ncontrol,1000,5,1\nhours,1000,5.2,1\n",
                "these are mean results",
            ),
        ];
        for (csv, why) in bad {
            assert_refused(
                w.svc.experiment_import("bob", id, "stray.csv", csv, None),
                ErrorKind::Invalid,
                why,
            );
        }
        assert_refused(
            w.svc
                .experiment_import("bob", id, "export.csv", csv, Some("hours")),
            ErrorKind::Invalid,
            "the control of experiment",
        );
        assert_refused(
            w.svc.experiment_analyze("dana", id, None),
            ErrorKind::Invalid,
            "has no results yet",
        );
        w.svc
            .experiment_import("bob", id, "export.csv", csv, None)
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
                ("hours", 3, Some(Lever::ValueFraming))
            ],
            "launch pins each variant to its approved version"
        );
        let results = view.results.expect("results");
        assert_eq!(results.imported_by.name, "bob");
        assert_eq!(results.rows["arms"][0]["name"], "control", "control first");

        let report = w.svc.experiment_analyze("dana", id, None).expect("analyze");
        assert!(report.peek, "1,000 of 8,200 planned users is a peek");
        assert_eq!(report.smallest_arm, 1000);
        let hours = &report.analysis.variants[1];
        assert_eq!(hours.name, "hours");
        let lift = hours.relative.as_ref().expect("a comparison").effect;
        assert!(
            (lift - 0.24).abs() < 1e-9,
            "62/1000 over 50/1000 is +24%, got {lift}"
        );

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

#[test]
fn a_launch_plans_the_size_for_every_arm() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Internal, &[]);
        let mut approved = || {
            let asset = w.drafted(brief, AssetKind::Blog);
            let submitted = w.svc.review_submit("bob", asset).expect("submit");
            assert_eq!(submitted.state, AssetState::Approved, "{}", w.name());
            asset
        };
        let (control, hours, days) = (approved(), approved(), approved());
        let id = w
            .svc
            .experiment_new("alice", "acme", control, &design())
            .expect("design");
        w.svc
            .experiment_variant_add("alice", id, "control", None, None)
            .expect("control");
        for (name, asset) in [("hours", hours), ("days", days)] {
            w.svc
                .experiment_variant_add("alice", id, name, Some(asset), Some(Lever::ValueFraming))
                .expect("challenger");
        }

        let planned = Launch {
            users: None,
            baseline: Some(0.05),
            mde: Some(0.10),
            ..Launch::users(0, AnalysisMethod::Sequential, 0.05)
        };
        let refusals = [
            (
                Launch {
                    users: Some(5000),
                    ..planned.clone()
                },
                "not both",
            ),
            (
                Launch {
                    baseline: None,
                    mde: None,
                    ..planned.clone()
                },
                "say how many users each variant needs",
            ),
            (
                Launch {
                    mde: None,
                    ..planned.clone()
                },
                "needs both the baseline and the MDE",
            ),
            (
                Launch {
                    alpha: 1.5,
                    ..planned.clone()
                },
                "1.5",
            ),
        ];
        let audit = w.audit_len();
        for (launch, why) in refusals {
            assert_refused(
                w.svc.experiment_start("alice", id, &launch),
                ErrorKind::Invalid,
                why,
            );
        }
        assert_refused(
            w.svc.experiment_start("bob", id, &planned),
            ErrorKind::Refused,
            "needs strategist",
        );
        assert_eq!(w.audit_len(), audit, "a refusal writes nothing");

        let plan = w
            .svc
            .experiment_start("alice", id, &planned)
            .expect("start");
        let expected = copydesk_stats::power::plan(&copydesk_stats::power::PlanInput {
            metric: copydesk_stats::power::Metric::Conversion { baseline: 0.05 },
            mde: copydesk_stats::power::Mde::Relative(0.10),
            alpha: copydesk_stats::Alpha::new(0.05).expect("alpha"),
            power: 0.8,
            variants: 3,
            daily_traffic: None,
        })
        .expect("plan");
        assert_eq!(
            plan.per_variant, expected.per_variant,
            "three arms split α, so each needs more users than a two-arm test"
        );
        assert_eq!(plan.method, AnalysisMethod::Sequential);
        let shown = w.svc.experiment_show("carol", id).expect("show");
        assert_eq!(shown.experiment.plan, Some(plan));
    });
}

#[test]
fn a_mean_metric_is_planned_only_with_its_standard_deviation() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Internal, &[]);
        let mut approved = || {
            let asset = w.drafted(brief, AssetKind::Blog);
            let submitted = w.svc.review_submit("bob", asset).expect("submit");
            assert_eq!(submitted.state, AssetState::Approved, "{}", w.name());
            asset
        };
        let (control, hours) = (approved(), approved());
        let mean = ExperimentDesign {
            metric: "order_value".into(),
            metric_type: MetricType::Mean,
            ..design()
        };
        let id = w
            .svc
            .experiment_new("alice", "acme", control, &mean)
            .expect("design");
        w.svc
            .experiment_variant_add("alice", id, "control", None, None)
            .expect("control");
        w.svc
            .experiment_variant_add("alice", id, "hours", Some(hours), Some(Lever::ValueFraming))
            .expect("challenger");
        let planned = Launch {
            users: None,
            baseline: Some(80.0),
            mde: Some(0.05),
            ..Launch::users(0, AnalysisMethod::Fixed, 0.05)
        };
        assert_refused(
            w.svc.experiment_start("alice", id, &planned),
            ErrorKind::Invalid,
            "measures a mean: planning its size needs the per-user standard deviation too",
        );
        let plan = w
            .svc
            .experiment_start(
                "alice",
                id,
                &Launch {
                    stddev: Some(40.0),
                    ..planned
                },
            )
            .expect("start");
        // (1.96 + 0.84)² · 2 · 40² / 4² ≈ 1,570 users per arm
        assert!(
            (1_500..1_650).contains(&plan.per_variant),
            "{}",
            plan.per_variant
        );
    });
}
