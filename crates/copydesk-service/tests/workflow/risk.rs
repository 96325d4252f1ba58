use copydesk_core::risk::Tier;
use copydesk_core::{sampling, AssetKind, AssetState, Reach, Role};
use copydesk_service::ErrorKind;

use crate::world::{assert_refused, default_policy, each_backend, write_policy};

#[test]
fn mandatory_gates_apply_whatever_the_score() {
    each_backend(default_policy(), |w| {
        // internal report, no topics: spot-check by score…
        let brief = w.brief(Reach::Internal, &[]);
        let report = w.drafted(brief, AssetKind::Report);
        let explained = w.svc.risk_explain("bob", report).expect("explain");
        assert_eq!(explained.routing.tier, Tier::SpotCheck, "{}", w.name());
        // …but a press release always goes through compliance
        let press = w.drafted(brief, AssetKind::PressRelease);
        let outcome = w.svc.review_submit("bob", press).expect("submit");
        assert_eq!(outcome.routing.score_tier, Tier::SpotCheck);
        assert_eq!(outcome.routing.tier, Tier::Single);
        assert_eq!(outcome.routing.stages, [Role::Compliance]);
        assert_eq!(outcome.state, AssetState::InReview);
        // health is a regulated topic with its own gate
        let health = w.brief(Reach::Owned, &["health"]);
        let post = w.drafted(health, AssetKind::Blog);
        let outcome = w.svc.review_submit("bob", post).expect("submit");
        assert_eq!(outcome.routing.stages, [Role::Editor, Role::Compliance]);
        assert!(outcome
            .routing
            .gates
            .iter()
            .any(|g| g.role == Role::Compliance));
    });
}

const STRICT: &str = r#"
[risk]
unsupported_claim = 40
personalisation = 0
[risk.channel]
default = 1
[risk.reach]
internal = 0
national = 100
[risk.regulated_topics]
default = 0
[risk.collaboration_model]
producer = 2
[risk.findings]
error = 30
warning = 1
info = 0
[tiers]
single_from = 10
multi_stage_from = 50
single_stages = ["editor"]
multi_stage_stages = ["editor", "compliance", "brand_lead"]
[spot_check]
sample_rate = 1.0
seed = "strict"
"#;

#[test]
fn the_policy_file_sets_weights_and_tiers() {
    each_backend(STRICT, |w| {
        let brief = w.brief(Reach::Internal, &[]);
        let asset = w.drafted(brief, AssetKind::Blog);
        let e = w.svc.risk_explain("bob", asset).expect("explain");
        assert_eq!(e.routing.score, 3, "channel default 1 + producer 2");
        assert_eq!(e.routing.tier, Tier::SpotCheck);
        // the same asset under a national brief crosses into multi-stage
        let national = w.brief(Reach::National, &[]);
        let big = w.drafted(national, AssetKind::Blog);
        let outcome = w.svc.review_submit("bob", big).expect("submit");
        assert_eq!(outcome.routing.score, 103);
        assert_eq!(outcome.routing.tier, Tier::MultiStage);
        assert_eq!(
            outcome.routing.stages,
            [Role::Editor, Role::Compliance, Role::BrandLead]
        );
        // saving a version runs the guardrails; their findings are stored and feed the score
        let findings = w.asset(brief, AssetKind::Blog);
        w.svc
            .version_add(
                "bob",
                findings,
                &copydesk_service::VersionSpec {
                    text: "42% of teams, guaranteed",
                    author: copydesk_service::AuthorSpec::Human,
                    note: "",
                    provenance: None,
                },
            )
            .expect("version");
        let saved = w.svc.version_show("bob", findings, None).expect("show");
        let rules: Vec<&str> = saved
            .guardrail_findings
            .iter()
            .map(|f| f.rule.as_str())
            .collect();
        assert_eq!(
            rules,
            [
                "copydesk.claim.unsourced-statistic",
                "copydesk.superlative.absolutes"
            ]
        );
        assert_eq!(
            saved.findings,
            copydesk_core::asset::FindingCounts {
                error: 0,
                warning: 2,
                info: 0,
                unsupported_claims: 1,
            }
        );
        let e = w.svc.risk_explain("bob", findings).expect("explain");
        assert_eq!(e.routing.score, 3 + 2 + 40);
        assert_eq!(e.routing.tier, Tier::Single);
        let total: i64 = e.routing.contributions.iter().map(|c| c.points).sum();
        assert_eq!(total, e.routing.score);
    });
}

#[test]
fn a_broken_policy_file_is_a_clear_error_naming_the_line() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Internal, &[]);
        let asset = w.drafted(brief, AssetKind::Blog);
        write_policy(
            w.dir.path(),
            "brand",
            "[risk]\nunsupported_claim = \"lots\"\n",
        );
        assert_refused(
            w.svc.risk_explain("bob", asset),
            ErrorKind::Invalid,
            "policy.toml: line 2",
        );
        assert_refused(
            w.svc.review_submit("bob", asset),
            ErrorKind::Invalid,
            "policy.toml",
        );
        assert_eq!(
            w.svc.asset_show("bob", asset).expect("show").asset.state,
            AssetState::Draft
        );
    });
}

fn sampling_policy(rate: f64) -> String {
    default_policy()
        .replace("sample_rate = 0.05", &format!("sample_rate = {rate}"))
        .replace("seed = \"copydesk-spot-check-1\"", "seed = \"test-seed\"")
}

#[test]
fn spot_checks_auto_approve_and_sample_reproducibly() {
    let policy = sampling_policy(0.3);
    each_backend(&policy, |w| {
        let brief = w.brief(Reach::Internal, &[]);
        let mut sampled = Vec::new();
        for _ in 0..20 {
            let asset = w.drafted(brief, AssetKind::Report);
            let outcome = w.svc.review_submit("bob", asset).expect("submit");
            assert_eq!(outcome.state, AssetState::Approved);
            let sample = outcome.sample.expect("a recorded draw");
            let again = sampling::draw("test-seed", asset, 2, 0.3);
            assert_eq!(
                sample.draw, again.value,
                "the draw is reproducible from the seed"
            );
            assert_eq!(sample.sampled, again.sampled);
            if sample.sampled {
                sampled.push(asset);
            }
        }
        let listed: Vec<_> = w
            .svc
            .review_samples("carol", "acme", 100)
            .expect("samples")
            .iter()
            .map(|s| s.asset)
            .collect();
        assert_eq!(listed, sampled);
        assert!(
            !sampled.is_empty() && sampled.len() < 20,
            "30% of 20 draws: {}",
            sampled.len()
        );
    });
    each_backend(&sampling_policy(0.0), |w| {
        let brief = w.brief(Reach::Internal, &[]);
        let asset = w.drafted(brief, AssetKind::Report);
        assert!(
            !w.svc
                .review_submit("bob", asset)
                .expect("submit")
                .sample
                .expect("draw")
                .sampled
        );
    });
}
