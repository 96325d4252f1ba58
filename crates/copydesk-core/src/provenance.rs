//! How a generated text was made: which assistant, model, template, brief version and
//! sources, at what cost. Recorded with every AI-made version and advisor note, never
//! recomputed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::asset::{TemplateRef, UserRef};
use crate::{BrandId, BriefId, Lever};

/// Whether a text came from a model or from copydesk's offline assistant; shown with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssistantLabel {
    Online,
    Offline,
}

impl AssistantLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            AssistantLabel::Online => "online",
            AssistantLabel::Offline => "offline",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub assistant: AssistantLabel,
    /// Provider name from the configuration; "copydesk" for the offline assistant.
    pub provider: String,
    pub model: String,
    /// "local" or "external" for a provider; absent offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    pub task: String,
    /// The prompt template and version; absent offline (no prompt is sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateRef>,
    pub brief_version: u32,
    /// Ids of the source material the prompt carried or the output quotes ("S12").
    pub sources: Vec<String>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// True when the provider reported no usage and the counts are estimates.
    #[serde(default)]
    pub tokens_estimated: bool,
    /// From the configured price table; absent when the provider has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    pub latency_ms: u64,
    #[serde(default)]
    pub attempts: u32,
    /// Personal-data values replaced before the prompt left (policy `redact`).
    #[serde(default)]
    pub redacted: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lever: Option<Lever>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hypothesis: Option<String>,
}

/// Output of the `advisor` collaboration model: kept on the brief, not as an asset version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriefNote {
    pub id: i64,
    pub brief_id: BriefId,
    pub brief_version: u32,
    pub body: String,
    pub provenance: Provenance,
    pub by: UserRef,
    pub created_at: DateTime<Utc>,
}

/// One activation of a prompt template version for a brand and task; the newest is active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptActivation {
    pub brand_id: BrandId,
    pub task: String,
    pub version: String,
    /// SHA-256 of the template text when it was activated: a later edit of the file is
    /// caught rather than silently sent.
    pub digest: String,
    pub origin: String,
    pub by: UserRef,
    pub created_at: DateTime<Utc>,
}
