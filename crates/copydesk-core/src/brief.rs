//! The brief: the questions a strategist answers before any text is generated, and the
//! completeness check that gates generation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{CollaborationModel, Reach};

/// Something the brand can credibly claim, with the proof and where the proof comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub claim: String,
    #[serde(default)]
    pub proof: String,
    #[serde(default)]
    pub source: String,
}

/// The content of one brief version. Every field is optional at the type level so that an
/// incomplete brief can be stored and checked; [`check`] says what is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefContent {
    #[serde(default)]
    pub title: String,
    /// Who is this for?
    #[serde(default)]
    pub audience: String,
    /// What problem are they trying to solve?
    #[serde(default)]
    pub problem: String,
    /// What do they already believe?
    #[serde(default)]
    pub current_beliefs: String,
    /// What do we want them to understand?
    #[serde(default)]
    pub desired_understanding: String,
    /// What can we credibly claim?
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// What should this not sound like?
    #[serde(default)]
    pub must_not_sound_like: String,
    /// Where the source material comes from, in words (attached sources are counted too).
    #[serde(default)]
    pub source_material: Vec<String>,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub objective: String,
    #[serde(default)]
    pub call_to_action: String,
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    #[serde(default)]
    pub reach: Option<Reach>,
    #[serde(default)]
    pub regulated_topics: Vec<String>,
    #[serde(default)]
    pub collaboration_model: Option<CollaborationModel>,
}

/// A brief as stored: its current version's content and who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefRecord {
    pub id: crate::BriefId,
    pub brand_id: crate::BrandId,
    pub version: u32,
    pub content: BriefContent,
    pub created_by: crate::asset::UserRef,
    pub updated_by: crate::asset::UserRef,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Source material attached to a brief: the human input that shapes a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub id: crate::SourceId,
    pub brief_id: crate::BriefId,
    pub kind: crate::SourceKind,
    /// Where it comes from: "interview with Ana, 2026-10-02", a ticket URL …
    pub origin: String,
    pub text: String,
    pub added_by: crate::asset::UserRef,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// One reason a brief is not complete enough to write from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The field, as spelled in brief files (`claims[2].source` for a claim's source).
    pub field: String,
    pub message: String,
}

/// Thresholds of the completeness check; the defaults suit most teams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckConfig {
    /// Answers to the open questions shorter than this many words are too vague.
    pub min_words: usize,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { min_words: 4 }
    }
}

const PLACEHOLDERS: &[&str] = &[
    "tbd",
    "tbc",
    "todo",
    "n/a",
    "na",
    "none",
    "?",
    "...",
    "…",
    "xxx",
    "lorem ipsum",
    "fill in",
    "placeholder",
    "to be decided",
    "to be confirmed",
    "everyone",
    "anyone",
    "all",
    "misc",
];

/// Checks a brief for completeness. `attached_sources` counts source material attached to the
/// brief in storage, which satisfies the source-material question as well as listed references.
pub fn check(brief: &BriefContent, attached_sources: usize, config: &CheckConfig) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let open_questions = [
        ("audience", "who is this for", &brief.audience),
        (
            "problem",
            "what problem they are trying to solve",
            &brief.problem,
        ),
        (
            "current_beliefs",
            "what they already believe",
            &brief.current_beliefs,
        ),
        (
            "desired_understanding",
            "what we want them to understand",
            &brief.desired_understanding,
        ),
        (
            "must_not_sound_like",
            "what this should not sound like",
            &brief.must_not_sound_like,
        ),
    ];
    for (field, question, answer) in open_questions {
        if let Some(problem) = vague(answer, config.min_words) {
            gaps.push(Gap {
                field: field.to_string(),
                message: format!("{field} ({question}) {problem}"),
            });
        }
    }
    for (field, answer) in [
        ("channel", &brief.channel),
        ("objective", &brief.objective),
        ("call_to_action", &brief.call_to_action),
    ] {
        if let Some(problem) = vague(answer, 1) {
            gaps.push(Gap {
                field: field.to_string(),
                message: format!("{field} {problem}"),
            });
        }
    }
    if brief.claims.is_empty() {
        gaps.push(Gap {
            field: "claims".into(),
            message: "claims is empty: name at least one thing we can credibly claim, with its proof and source".into(),
        });
    }
    for (i, claim) in brief.claims.iter().enumerate() {
        let at = i + 1;
        if is_placeholder(&claim.claim) {
            gaps.push(Gap {
                field: format!("claims[{at}].claim"),
                message: format!("claim {at} has no text"),
            });
            continue;
        }
        if is_placeholder(&claim.proof) {
            gaps.push(Gap {
                field: format!("claims[{at}].proof"),
                message: format!(
                    "claim {at} ('{}') has no proof point",
                    excerpt(&claim.claim)
                ),
            });
        }
        if is_placeholder(&claim.source) {
            gaps.push(Gap {
                field: format!("claims[{at}].source"),
                message: format!(
                    "claim {at} ('{}') has no source for its proof",
                    excerpt(&claim.claim)
                ),
            });
        }
    }
    if brief.source_material.iter().all(|s| is_placeholder(s)) && attached_sources == 0 {
        gaps.push(Gap {
            field: "source_material".into(),
            message: "no source material: attach interviews, tickets, research or voice examples to the brief so the draft is not average".into(),
        });
    }
    if brief.deadline.is_none() {
        gaps.push(Gap {
            field: "deadline".into(),
            message: "deadline is missing (YYYY-MM-DD)".into(),
        });
    }
    if brief.reach.is_none() {
        gaps.push(Gap {
            field: "reach".into(),
            message: format!(
                "reach is missing (one of: {})",
                names(Reach::ALL.iter().map(|r| r.as_str()))
            ),
        });
    }
    if brief.collaboration_model.is_none() {
        gaps.push(Gap {
            field: "collaboration_model".into(),
            message: format!(
                "collaboration_model is missing (one of: {})",
                names(CollaborationModel::ALL.iter().map(|m| m.as_str()))
            ),
        });
    }
    gaps
}

/// A complete brief: what `check` accepts with one source attached. Shown where a realistic
/// brief is needed without a user's (template validation, tests).
pub fn example() -> BriefContent {
    BriefContent {
        title: "Payroll close in one day".into(),
        audience: "finance leads at mid-size European retailers".into(),
        problem: "month-end payroll takes three days of manual reconciliation".into(),
        current_beliefs: "automation tools are built for enterprises and need consultants".into(),
        desired_understanding: "a team of two can switch in a week without outside help".into(),
        claims: vec![Claim {
            claim: "customers close payroll in one day".into(),
            proof: "median close time across 212 customers".into(),
            source: "2026 customer usage report".into(),
        }],
        must_not_sound_like: "a generic SaaS launch full of superlatives".into(),
        source_material: vec![],
        channel: "blog".into(),
        objective: "demo requests".into(),
        call_to_action: "Book a demo".into(),
        deadline: NaiveDate::from_ymd_opt(2026, 12, 1),
        reach: Some(Reach::Owned),
        regulated_topics: vec!["finance".into()],
        collaboration_model: Some(CollaborationModel::Producer),
    }
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn is_placeholder(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.').to_lowercase();
    t.is_empty() || PLACEHOLDERS.contains(&t.as_str())
}

fn vague(answer: &str, min_words: usize) -> Option<String> {
    let trimmed = answer.trim();
    if trimmed.is_empty() {
        return Some("is missing".into());
    }
    if is_placeholder(trimmed) {
        return Some(format!("is a placeholder ('{trimmed}')"));
    }
    let words = trimmed.split_whitespace().count();
    if words < min_words {
        return Some(format!(
            "is too vague: {words} word{} ('{}'), say it in at least {min_words}",
            if words == 1 { "" } else { "s" },
            excerpt(trimmed)
        ));
    }
    None
}

fn excerpt(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() <= 40 {
        t.to_string()
    } else {
        let cut: String = t.chars().take(39).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn complete() -> BriefContent {
        example()
    }

    #[test]
    fn a_complete_brief_with_a_source_has_no_gaps() {
        assert_eq!(check(&complete(), 1, &CheckConfig::default()), vec![]);
    }

    #[test]
    fn each_vague_answer_is_named() {
        let mut brief = complete();
        brief.audience = "everyone".into();
        brief.problem = "".into();
        brief.current_beliefs = "they like it".into();
        brief.claims[0].source = "TBD".into();
        let gaps = check(&brief, 1, &CheckConfig::default());
        let fields: Vec<_> = gaps.iter().map(|g| g.field.as_str()).collect();
        assert_eq!(
            fields,
            ["audience", "problem", "current_beliefs", "claims[1].source"]
        );
        assert_eq!(
            gaps[0].message,
            "audience (who is this for) is a placeholder ('everyone')"
        );
        assert_eq!(
            gaps[1].message,
            "problem (what problem they are trying to solve) is missing"
        );
        assert_eq!(
            gaps[2].message,
            "current_beliefs (what they already believe) is too vague: 3 words ('they like it'), say it in at least 4"
        );
        assert_eq!(
            gaps[3].message,
            "claim 1 ('customers close payroll in one day') has no source for its proof"
        );
    }

    #[test]
    fn source_material_is_required_when_nothing_is_attached() {
        let gaps = check(&complete(), 0, &CheckConfig::default());
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].field, "source_material");
    }
}
