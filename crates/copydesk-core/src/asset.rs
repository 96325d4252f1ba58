//! Assets and their immutable versions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A guardrail finding, as `copydesk check` reports it.
pub use copydesk_guard::Finding;

use crate::{AssetId, AssetKind, AssetState, BrandId, BriefId, UserId, VersionId};

/// A user as shown to people: the id for the machine, the name for messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    pub id: AssetId,
    pub brand_id: BrandId,
    pub brief_id: BriefId,
    pub title: String,
    pub kind: AssetKind,
    pub channel: String,
    pub locale: String,
    /// Personalised assets (per-recipient text) weigh more in risk.
    pub personalised: bool,
    pub state: AssetState,
    /// Number of the newest version; 0 while the asset has none.
    pub current_version: u32,
    pub created_by: UserRef,
    pub created_at: DateTime<Utc>,
}

/// Which prompt template produced a model-written version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRef {
    pub id: String,
    pub version: String,
}

impl std::str::FromStr for TemplateRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.split_once('@') {
            Some((id, version)) if !id.trim().is_empty() && !version.trim().is_empty() => {
                Ok(TemplateRef {
                    id: id.trim().to_string(),
                    version: version.trim().to_string(),
                })
            }
            _ => Err(format!(
                "template '{s}' must be written ID@VERSION, e.g. blog-draft@3"
            )),
        }
    }
}

/// Who wrote a version: a person, or a model run by a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Author {
    User {
        user: UserRef,
    },
    Model {
        provider: String,
        model: String,
        template: Option<TemplateRef>,
        /// The person who ran the model and recorded its output.
        recorded_by: UserRef,
    },
}

impl Author {
    /// The person answerable for the text: its writer, or whoever ran the model.
    pub fn person(&self) -> &UserRef {
        match self {
            Author::User { user } => user,
            Author::Model { recorded_by, .. } => recorded_by,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Author::User { user } => user.name.clone(),
            Author::Model {
                provider,
                model,
                template,
                recorded_by,
            } => {
                let template = template
                    .as_ref()
                    .map(|t| format!(", template {}@{}", t.id, t.version))
                    .unwrap_or_default();
                format!(
                    "model {provider}/{model}{template} (run by {})",
                    recorded_by.name
                )
            }
        }
    }
}

/// Guardrail findings of a version, counted by what risk weighs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCounts {
    pub error: u32,
    pub warning: u32,
    pub info: u32,
    pub unsupported_claims: u32,
}

/// One immutable version of an asset's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub id: VersionId,
    pub asset_id: AssetId,
    pub number: u32,
    pub parent: Option<u32>,
    pub text: String,
    pub author: Author,
    pub note: String,
    /// The brief version this text was written against.
    pub brief_version: u32,
    pub findings: FindingCounts,
    /// What the guardrails reported on this text when it was saved.
    #[serde(default)]
    pub guardrail_findings: Vec<Finding>,
    /// Set when this version was made by reverting to an older one.
    pub reverted_from: Option<u32>,
    /// How an AI-made version was made; absent for a person's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<crate::provenance::Provenance>,
    pub created_at: DateTime<Utc>,
}

/// A version's metadata without its text, for histories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub number: u32,
    pub parent: Option<u32>,
    pub author: Author,
    pub note: String,
    pub chars: u64,
    pub reverted_from: Option<u32>,
    pub created_at: DateTime<Utc>,
}

/// A comment anchored to a character range of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: crate::CommentId,
    pub asset_id: AssetId,
    pub version: u32,
    /// Character range `[start, end)`, counted in Unicode scalar values.
    pub range: Option<(u32, u32)>,
    pub quote: String,
    pub body: String,
    pub by: UserRef,
    pub created_at: DateTime<Utc>,
}

/// The text of `[start, end)` in characters, or why the range does not fit the text.
pub fn quote(text: &str, start: u32, end: u32) -> Result<String, String> {
    let len = text.chars().count() as u32;
    if start >= end {
        return Err(format!(
            "range {start}..{end} is empty: the start must be before the end"
        ));
    }
    if end > len {
        return Err(format!(
            "range {start}..{end} ends past the text, which has {len} characters"
        ));
    }
    Ok(text
        .chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_count_characters_not_bytes() {
        assert_eq!(quote("Café au lait", 2, 6), Ok("fé a".to_string()));
        assert!(quote("abc", 1, 9).unwrap_err().contains("has 3 characters"));
        assert!(quote("abc", 2, 2).is_err());
    }

    #[test]
    fn templates_need_id_and_version() {
        assert_eq!(
            "blog-draft@3".parse::<TemplateRef>(),
            Ok(TemplateRef {
                id: "blog-draft".into(),
                version: "3".into()
            })
        );
        assert!("blog-draft".parse::<TemplateRef>().is_err());
    }
}
