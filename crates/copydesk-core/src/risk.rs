//! Risk scoring and routing: from an asset, its brief and its findings to a score, a tier and
//! the review stages, with every contribution explained.

use serde::Serialize;

use crate::asset::FindingCounts;
use crate::policy::Policy;
use crate::{AssetKind, CollaborationModel, Reach, Role};

/// Everything risk looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskInputs {
    pub kind: AssetKind,
    pub channel: String,
    pub reach: Option<Reach>,
    pub topics: Vec<String>,
    pub collaboration_model: Option<CollaborationModel>,
    pub findings: FindingCounts,
    pub personalised: bool,
}

pub use crate::vocab::Tier;

/// One line of a risk explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contribution {
    pub factor: String,
    pub detail: String,
    pub points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateHit {
    pub name: String,
    pub role: Role,
}

/// The score, the tier it picks, and the stages that review, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Routing {
    pub score: i64,
    pub contributions: Vec<Contribution>,
    /// The tier the score alone picks.
    pub score_tier: Tier,
    /// The tier after gates: a gated spot-check becomes a single review.
    pub tier: Tier,
    pub gates: Vec<GateHit>,
    /// Empty only for the spot-check tier.
    pub stages: Vec<Role>,
}

pub fn assess(policy: &Policy, inputs: &RiskInputs) -> Routing {
    let weights = &policy.risk;
    let mut contributions = Vec::new();
    let mut add = |factor: &str, detail: String, points: i64| {
        contributions.push(Contribution {
            factor: factor.to_string(),
            detail,
            points,
        });
    };

    let channel = inputs.channel.to_lowercase();
    match weights.channel.get(&channel) {
        Some(p) => add("channel", format!("channel '{channel}'"), *p),
        None => add(
            "channel",
            format!("channel '{channel}' (not in policy: default)"),
            weights.channel.get("default").copied().unwrap_or(0),
        ),
    }
    match inputs.reach {
        Some(reach) => add(
            "reach",
            format!("reach '{reach}'"),
            weights.reach.get(&reach).copied().unwrap_or(0),
        ),
        None => add("reach", "reach not set in the brief".into(), 0),
    }
    for topic in &inputs.topics {
        let topic = topic.to_lowercase();
        match weights.regulated_topics.get(&topic) {
            Some(p) => add("regulated_topic", format!("regulated topic '{topic}'"), *p),
            None => add(
                "regulated_topic",
                format!("regulated topic '{topic}' (not in policy: default)"),
                weights
                    .regulated_topics
                    .get("default")
                    .copied()
                    .unwrap_or(0),
            ),
        }
    }
    match inputs.collaboration_model {
        Some(model) => add(
            "collaboration_model",
            format!("collaboration model '{model}'"),
            weights
                .collaboration_model
                .get(&model)
                .copied()
                .unwrap_or(0),
        ),
        None => add(
            "collaboration_model",
            "collaboration model not set in the brief".into(),
            0,
        ),
    }
    let f = inputs.findings;
    for (severity, count, each) in [
        ("error", f.error, weights.findings.error),
        ("warning", f.warning, weights.findings.warning),
        ("info", f.info, weights.findings.info),
    ] {
        if count > 0 {
            add(
                "findings",
                format!("{count} guardrail finding(s) of severity {severity} × {each}"),
                i64::from(count) * each,
            );
        }
    }
    if f.unsupported_claims > 0 {
        add(
            "unsupported_claims",
            format!(
                "{} unsupported claim(s) × {}",
                f.unsupported_claims, weights.unsupported_claim
            ),
            i64::from(f.unsupported_claims) * weights.unsupported_claim,
        );
    }
    if inputs.personalised {
        add(
            "personalisation",
            "personalised per recipient".into(),
            weights.personalisation,
        );
    }

    let score: i64 = contributions.iter().map(|c| c.points).sum();
    let score_tier = if score >= policy.tiers.multi_stage_from {
        Tier::MultiStage
    } else if score >= policy.tiers.single_from {
        Tier::Single
    } else {
        Tier::SpotCheck
    };

    let gates: Vec<GateHit> = policy
        .gates
        .iter()
        .filter(|g| gate_applies(g, inputs))
        .map(|g| GateHit {
            name: g.name.clone(),
            role: g.role,
        })
        .collect();

    let mut stages = match score_tier {
        Tier::SpotCheck => Vec::new(),
        Tier::Single => policy.tiers.single_stages.clone(),
        Tier::MultiStage => policy.tiers.multi_stage_stages.clone(),
    };
    for gate in &gates {
        if !stages.contains(&gate.role) {
            stages.push(gate.role);
        }
    }
    let tier = match (score_tier, stages.len()) {
        (Tier::SpotCheck, 0) => Tier::SpotCheck,
        (Tier::SpotCheck, _) => Tier::Single,
        (tier, _) => tier,
    };
    Routing {
        score,
        contributions,
        score_tier,
        tier,
        gates,
        stages,
    }
}

fn gate_applies(gate: &crate::policy::Gate, inputs: &RiskInputs) -> bool {
    let kind_ok = gate.asset_kinds.is_empty() || gate.asset_kinds.contains(&inputs.kind);
    let topic_ok = gate.topics.is_empty()
        || inputs
            .topics
            .iter()
            .any(|t| gate.topics.iter().any(|g| g.eq_ignore_ascii_case(t)));
    let channel_ok = gate.channels.is_empty()
        || gate
            .channels
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&inputs.channel));
    let reach_ok = gate.reach.is_empty() || inputs.reach.is_some_and(|r| gate.reach.contains(&r));
    kind_ok && topic_ok && channel_ok && reach_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Policy, EXAMPLE_POLICY};

    fn inputs() -> RiskInputs {
        RiskInputs {
            kind: AssetKind::Blog,
            channel: "blog".into(),
            reach: Some(Reach::Internal),
            topics: vec![],
            collaboration_model: Some(CollaborationModel::Advisor),
            findings: FindingCounts::default(),
            personalised: false,
        }
    }

    fn policy() -> Policy {
        Policy::parse(EXAMPLE_POLICY).expect("valid")
    }

    #[test]
    fn low_risk_is_spot_checked() {
        let r = assess(&policy(), &inputs());
        assert_eq!(r.score, 5);
        assert_eq!(r.tier, Tier::SpotCheck);
        assert!(r.stages.is_empty());
    }

    #[test]
    fn each_factor_adds_its_points_and_picks_the_tier() {
        let mut i = inputs();
        i.reach = Some(Reach::National);
        i.collaboration_model = Some(CollaborationModel::Agent);
        i.findings = FindingCounts {
            error: 1,
            warning: 2,
            info: 4,
            unsupported_claims: 1,
        };
        i.personalised = true;
        let r = assess(&policy(), &i);
        // blog 5 + national 35 + agent 20 + error 10 + 2 warnings 6 + claim 15 + personal 10
        assert_eq!(r.score, 101);
        assert_eq!(r.tier, Tier::MultiStage);
        assert_eq!(r.stages, [Role::Editor, Role::Compliance, Role::BrandLead]);
        let total: i64 = r.contributions.iter().map(|c| c.points).sum();
        assert_eq!(total, r.score);
    }

    #[test]
    fn gates_apply_whatever_the_score() {
        let mut i = inputs();
        i.kind = AssetKind::PressRelease;
        let r = assess(&policy(), &i);
        assert_eq!(r.score_tier, Tier::SpotCheck);
        assert_eq!(r.tier, Tier::Single);
        assert_eq!(r.stages, [Role::Compliance]);

        let mut i = inputs();
        i.reach = Some(Reach::Owned);
        i.collaboration_model = Some(CollaborationModel::Producer);
        i.topics = vec!["Health".into()];
        let r = assess(&policy(), &i);
        assert_eq!(r.score_tier, Tier::Single);
        assert_eq!(r.stages, [Role::Editor, Role::Compliance]);
        assert_eq!(r.gates.len(), 1);
    }

    #[test]
    fn unknown_channels_and_topics_take_the_default() {
        let mut i = inputs();
        i.channel = "podcast".into();
        i.topics = vec!["gambling".into()];
        let r = assess(&policy(), &i);
        assert_eq!(r.contributions[0].points, 5);
        assert!(r.contributions[0].detail.contains("default"));
        assert_eq!(r.contributions[2].points, 15);
    }
}
