//! Experiments (issue 6): designs, their variants and plan, and imported results that are
//! appended, never rewritten — on every backend like the rest of the suite.

use copydesk_core::asset::UserRef;
use copydesk_core::experiment::{AnalysisMethod, ExperimentState, MetricType, Plan, Variant};
use copydesk_core::Lever;
use copydesk_store::{NewExperiment, NewResults};

use super::{at, each_backend, new_asset, org, read, write};

#[test]
fn experiments_keep_their_design_variants_plan_and_newest_import() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let asset = new_asset(&mut *tx, &org, "Launch post");
        let id = tx
            .insert_experiment(&NewExperiment {
                brand: org.brand,
                asset,
                hypothesis: "Naming the hours saved lifts demo requests from finance leads",
                lever: Lever::ValueFraming,
                metric: "demo_requests",
                metric_type: MetricType::Conversion,
                inverse: false,
                created_by: org.alice,
                at: at(20),
            })
            .expect("insert experiment");
        tx.commit().expect("commit");

        let mut tx = write(store);
        let mut e = tx.experiment(id).expect("read").expect("the experiment");
        assert_eq!(e.state, ExperimentState::Draft, "{name}");
        assert!(e.variants.is_empty() && e.plan.is_none(), "{name}");
        assert_eq!(e.created_by.name, "alice", "{name}");
        let alice = UserRef {
            id: org.alice,
            name: "alice".into(),
        };
        e.variants = vec![
            Variant {
                name: "control".into(),
                asset_id: e.asset_id,
                version: 1,
                lever: None,
                added_by: alice.clone(),
                added_at: at(21),
            },
            Variant {
                name: "hours".into(),
                asset_id: e.asset_id,
                version: 2,
                lever: Some(Lever::ValueFraming),
                added_by: alice,
                added_at: at(22),
            },
        ];
        e.state = ExperimentState::Running;
        e.plan = Some(Plan {
            per_variant: 8200,
            method: AnalysisMethod::Sequential,
            alpha: 0.05,
        });
        e.started_at = Some(at(23));
        tx.save_experiment(&e).expect("save");
        for (n, users) in [(1, 100), (2, 200)] {
            let rows = serde_json::json!([{"variant": "control", "users": users}]);
            tx.insert_results(&NewResults {
                experiment: id,
                source: &format!("export-{n}.csv"),
                rows: &rows,
                imported_by: org.bob,
                at: at(30 + n),
            })
            .expect("import");
        }
        tx.commit().expect("commit");

        let mut tx = read(store);
        let stored = tx.experiment(id).expect("read").expect("the experiment");
        assert_eq!(stored, e, "{name}: what was saved is what is read");
        assert_eq!(tx.experiments(org.brand).expect("list"), vec![e], "{name}");
        let latest = tx.latest_results(id).expect("results").expect("an import");
        assert_eq!(latest.source, "export-2.csv", "{name}: the newest import");
        assert_eq!(latest.rows[0]["users"], 200, "{name}");
        assert_eq!(latest.imported_by.name, "bob", "{name}");
        drop(tx);

        // results belong to an experiment that exists
        let mut tx = write(store);
        let rewrite = tx.insert_results(&NewResults {
            experiment: copydesk_core::ExperimentId(9999),
            source: "nowhere.csv",
            rows: &serde_json::json!([]),
            imported_by: org.bob,
            at: at(40),
        });
        assert!(
            rewrite.is_err(),
            "{name}: results of no experiment are refused"
        );
    });
}
