//! The brand kit's review policy (`policy.toml`): risk weights, tier thresholds, review
//! stages, mandatory gates and the spot-check sample. Rules are data, not code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::brief_file::line_col;
use crate::{AssetKind, CollaborationModel, PiiAction, Reach, Role};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub risk: RiskWeights,
    pub tiers: Tiers,
    pub spot_check: SpotCheck,
    #[serde(default)]
    pub gates: Vec<Gate>,
    /// How AI assistance may be used for this brand; optional, with safe defaults.
    #[serde(default)]
    pub ai: AiPolicy,
}

/// The brand's rules for AI assistance (`[ai]` in `policy.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiPolicy {
    /// What to do when a prompt for an `external` provider holds personal data. Blocking is
    /// the default: nothing personal leaves unless the brand decided it may, redacted.
    #[serde(default = "default_pii_action")]
    pub external_pii: PiiAction,
    /// Asset kinds the `agent` collaboration model may produce; none unless listed.
    #[serde(default)]
    pub agent_kinds: Vec<AssetKind>,
    /// Tokens of source material a prompt may carry (the most relevant sources first).
    #[serde(default = "default_source_budget")]
    pub source_budget_tokens: u32,
}

fn default_pii_action() -> PiiAction {
    PiiAction::Block
}

fn default_source_budget() -> u32 {
    2000
}

impl Default for AiPolicy {
    fn default() -> Self {
        AiPolicy {
            external_pii: default_pii_action(),
            agent_kinds: Vec::new(),
            source_budget_tokens: default_source_budget(),
        }
    }
}

/// Points each factor adds to an asset's risk score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskWeights {
    /// Points per unsupported claim.
    #[serde(default)]
    pub unsupported_claim: i64,
    /// Points when the text is personalised per recipient.
    #[serde(default)]
    pub personalisation: i64,
    /// Points by channel; `default` for channels not listed.
    #[serde(default)]
    pub channel: BTreeMap<String, i64>,
    #[serde(default)]
    pub reach: BTreeMap<Reach, i64>,
    /// Points by regulated topic; `default` for topics not listed.
    #[serde(default)]
    pub regulated_topics: BTreeMap<String, i64>,
    #[serde(default)]
    pub collaboration_model: BTreeMap<CollaborationModel, i64>,
    /// Points per guardrail finding, by severity.
    #[serde(default)]
    pub findings: FindingWeights,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingWeights {
    #[serde(default)]
    pub error: i64,
    #[serde(default)]
    pub warning: i64,
    #[serde(default)]
    pub info: i64,
}

/// Scores below `single_from` are spot-checked; from `multi_stage_from` on, multi-stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    pub single_from: i64,
    pub multi_stage_from: i64,
    pub single_stages: Vec<Role>,
    pub multi_stage_stages: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotCheck {
    /// Share of auto-approved assets drawn into the audit queue, 0.0 to 1.0.
    pub sample_rate: f64,
    /// Seed of the reproducible draw.
    pub seed: String,
}

/// A review stage that applies whatever the score. Every condition given must hold; a list
/// matches when any of its values does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub asset_kinds: Vec<AssetKind>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub reach: Vec<Reach>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", .line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct PolicyError {
    pub line: Option<usize>,
    pub message: String,
}

impl Policy {
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy = toml::from_str(text).map_err(|e| PolicyError {
            line: e.span().map(|s| line_col(text, s.start).0),
            message: e.message().trim().to_string(),
        })?;
        policy.validate(text)?;
        Ok(policy)
    }

    fn validate(&self, text: &str) -> Result<(), PolicyError> {
        let at = |key: &str, message: String| PolicyError {
            line: find_key_line(text, key),
            message,
        };
        if self.tiers.single_from > self.tiers.multi_stage_from {
            return Err(at(
                "multi_stage_from",
                format!(
                    "tiers.multi_stage_from ({}) is below tiers.single_from ({})",
                    self.tiers.multi_stage_from, self.tiers.single_from
                ),
            ));
        }
        for (key, stages) in [
            ("single_stages", &self.tiers.single_stages),
            ("multi_stage_stages", &self.tiers.multi_stage_stages),
        ] {
            if stages.is_empty() {
                return Err(at(key, format!("tiers.{key} names no stage")));
            }
            for (i, role) in stages.iter().enumerate() {
                if stages[..i].contains(role) {
                    return Err(at(key, format!("tiers.{key} names {role} twice")));
                }
            }
        }
        let budget = self.ai.source_budget_tokens;
        if !(100..=200_000).contains(&budget) {
            return Err(at(
                "source_budget_tokens",
                format!("ai.source_budget_tokens is {budget}; it must be between 100 and 200000"),
            ));
        }
        let rate = self.spot_check.sample_rate;
        if !(0.0..=1.0).contains(&rate) {
            return Err(at(
                "sample_rate",
                format!("spot_check.sample_rate is {rate}; it must be between 0.0 and 1.0"),
            ));
        }
        for gate in &self.gates {
            if gate.asset_kinds.is_empty()
                && gate.topics.is_empty()
                && gate.channels.is_empty()
                && gate.reach.is_empty()
            {
                return Err(at(
                    "[[gates]]",
                    format!(
                        "gate '{}' has no condition (asset_kinds, topics, channels or reach); use the tiers for a stage that always applies",
                        gate.name
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(key)
                && l[key.len()..]
                    .trim_start()
                    .starts_with(['=', ']'].as_slice())
                || l == key
        })
        .map(|i| i + 1)
}

/// The policy `copydesk init` writes into a new brand kit.
pub const EXAMPLE_POLICY: &str = include_str!("example_policy.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_policy_parses() {
        let policy = Policy::parse(EXAMPLE_POLICY).expect("example policy is valid");
        assert_eq!(policy.tiers.multi_stage_stages.len(), 3);
        assert!(!policy.gates.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let bad = EXAMPLE_POLICY.replace("sample_rate = 0.05", "sample_rate = 5.0");
        let err = Policy::parse(&bad).unwrap_err();
        let line = EXAMPLE_POLICY
            .lines()
            .position(|l| l.starts_with("sample_rate"))
            .map(|i| i + 1);
        assert_eq!(err.line, line);
        assert!(err.message.contains("between 0.0 and 1.0"));

        let bad = EXAMPLE_POLICY.replace("role = \"compliance\"", "role = \"intern\"");
        let err = Policy::parse(&bad).unwrap_err();
        assert!(err.message.contains("unknown variant `intern`"), "{err}");
        assert!(err.line.is_some());
    }
}
