//! A small organisation to run the workflow in.

use std::path::Path;

use copydesk_core::asset::TemplateRef;
use copydesk_core::brief::{BriefContent, Claim};
use copydesk_core::policy::EXAMPLE_POLICY;
use copydesk_core::{AssetId, AssetKind, BriefId, CollaborationModel, Decision, Reach, Role};
use copydesk_service::{
    AssetSpec, AuthorSpec, ErrorKind, KitFolders, Service, ServiceConfig, ServiceError, VersionSpec,
};
use copydesk_store::test_support::{backends, TestBackend};

pub struct World {
    pub svc: Service,
    pub backend: TestBackend,
    pub dir: tempfile::TempDir,
}

/// Runs `test` once per backend, each time in a fresh world.
pub fn each_backend(policy: &str, test: impl Fn(&mut World)) {
    for backend in backends() {
        let mut world = World::new(backend, policy);
        test(&mut world);
    }
}

pub fn default_policy() -> &'static str {
    EXAMPLE_POLICY
}

pub fn write_policy(dir: &Path, kit: &str, policy: &str) {
    let kit = dir.join(kit);
    std::fs::create_dir_all(&kit).expect("create kit folder");
    std::fs::write(kit.join("policy.toml"), policy).expect("write policy");
}

impl World {
    pub fn new(backend: TestBackend, policy: &str) -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        write_policy(dir.path(), "brand", policy);
        let mut svc = open_service(&backend, dir.path());
        svc.bootstrap("admin").expect("bootstrap");
        svc.brand_add("admin", "acme", "Acme", "brand")
            .expect("brand acme");
        svc.brand_add("admin", "globex", "Globex", "brand")
            .expect("brand globex");
        for (name, role) in [
            ("alice", Role::Strategist),
            ("bob", Role::Editor),
            ("dana", Role::Editor),
            ("erin", Role::Editor),
            ("carol", Role::Compliance),
            ("lee", Role::BrandLead),
        ] {
            svc.user_add("admin", name, "", false, Some("acme"), &[role])
                .expect("add user");
        }
        svc.user_add(
            "admin",
            "gina",
            "",
            false,
            Some("globex"),
            &[Role::Strategist, Role::Editor],
        )
        .expect("add globex user");
        World { svc, backend, dir }
    }

    /// A second, independent connection to the same database.
    pub fn another_service(&self) -> Service {
        open_service(&self.backend, self.dir.path())
    }

    pub fn name(&self) -> &'static str {
        self.backend.name
    }

    pub fn brief(&mut self, reach: Reach, topics: &[&str]) -> BriefId {
        let content = BriefContent {
            title: "Payroll in a day".into(),
            audience: "finance leads at mid-size retailers".into(),
            problem: "month-end payroll takes three days".into(),
            current_beliefs: "automation needs consultants to set up".into(),
            desired_understanding: "a small team can switch within a week".into(),
            claims: vec![Claim {
                claim: "close in one day".into(),
                proof: "median of 212 customers".into(),
                source: "2026 usage report".into(),
            }],
            must_not_sound_like: "a generic launch full of superlatives".into(),
            source_material: vec!["interview with Ana".into()],
            channel: "blog".into(),
            objective: "demo requests".into(),
            call_to_action: "Book a demo".into(),
            deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 15),
            reach: Some(reach),
            regulated_topics: topics.iter().map(|t| t.to_string()).collect(),
            collaboration_model: Some(CollaborationModel::Producer),
        };
        self.svc
            .brief_new("alice", "acme", &content)
            .expect("brief")
    }

    pub fn asset(&mut self, brief: BriefId, kind: AssetKind) -> AssetId {
        self.svc
            .asset_new(
                "alice",
                brief,
                &AssetSpec {
                    title: "Launch post".into(),
                    kind,
                    channel: None,
                    locale: "en-GB".into(),
                    personalised: false,
                },
                None,
            )
            .expect("asset")
    }

    /// v1 written by a model alice ran, v2 edited by bob.
    pub fn drafted(&mut self, brief: BriefId, kind: AssetKind) -> AssetId {
        let asset = self.asset(brief, kind);
        self.svc
            .version_add(
                "alice",
                asset,
                &VersionSpec {
                    text: "Unlock seamless payroll. Guaranteed.",
                    author: AuthorSpec::Model {
                        provider: "llama.cpp".into(),
                        model: "gemma-3-270m".into(),
                        template: Some(TemplateRef {
                            id: "blog-draft".into(),
                            version: "1".into(),
                        }),
                    },
                    note: "first draft",
                    provenance: None,
                },
            )
            .expect("model version");
        self.edit(asset, "bob", "Close payroll in a day, not three.");
        asset
    }

    pub fn edit(&mut self, asset: AssetId, who: &str, text: &str) -> u32 {
        self.svc
            .version_add(
                who,
                asset,
                &VersionSpec {
                    text,
                    author: AuthorSpec::Human,
                    note: "edit",
                    provenance: None,
                },
            )
            .expect("human version")
    }

    pub fn approve(
        &mut self,
        who: &str,
        asset: AssetId,
    ) -> Result<copydesk_service::DecisionResult, ServiceError> {
        self.svc
            .review_decide(who, asset, Decision::Approve, None, "ok", true)
    }

    pub fn audit_len(&mut self) -> usize {
        self.svc
            .audit_log("admin", None, 0, 100_000)
            .expect("audit log")
            .len()
    }
}

pub fn open_service(backend: &TestBackend, dir: &Path) -> Service {
    Service::new(
        backend.open(),
        Box::new(KitFolders::new(dir.to_path_buf())),
        ServiceConfig::default(),
    )
}

/// Asserts an error of the given kind whose message contains `needle`.
#[track_caller]
pub fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, ServiceError>,
    kind: ErrorKind,
    needle: &str,
) {
    match result {
        Ok(v) => panic!("expected a {kind:?} error containing '{needle}', got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "wrong kind for: {e}");
            assert!(
                e.to_string().contains(needle),
                "'{e}' does not contain '{needle}'"
            );
        }
    }
}
