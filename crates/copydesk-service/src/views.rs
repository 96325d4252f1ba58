//! What operations return: domain records with the context a person needs to read them.

use serde::Serialize;

use copydesk_core::asset::{Asset, Comment, VersionSummary};
use copydesk_core::brief::{BriefRecord, Gap, Source};
use copydesk_core::review::Review;
use copydesk_core::risk::{RiskInputs, Routing};
use copydesk_core::{AssetState, ReviewId, Role};
use copydesk_store::{QueueItem, SpotCheckSample};

pub use crate::audit::VerifyReport;

#[derive(Debug, Clone, Serialize)]
pub struct BriefView {
    pub brand: String,
    #[serde(flatten)]
    pub brief: BriefRecord,
    pub sources: Vec<Source>,
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetView {
    pub brand: String,
    #[serde(flatten)]
    pub asset: Asset,
    pub brief_title: String,
    pub current: Option<VersionSummary>,
    pub review: Option<Review>,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubmitOutcome {
    pub review: ReviewId,
    pub version: u32,
    pub routing: Routing,
    pub state: AssetState,
    /// The spot-check draw, for auto-approved assets.
    pub sample: Option<SpotCheckSample>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionResult {
    pub stage: u32,
    pub stages: u32,
    pub role: Role,
    pub state: AssetState,
    pub next_role: Option<Role>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskExplanation {
    pub policy: String,
    pub inputs: RiskInputs,
    #[serde(flatten)]
    pub routing: Routing,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueEntry {
    pub brand_slug: String,
    #[serde(flatten)]
    pub item: QueueItem,
    /// When the actor wrote part of the version under review, someone else must approve.
    pub authored_by_you: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueuePage {
    pub items: Vec<QueueEntry>,
    /// Pass back as `after` for the next page.
    pub next: Option<String>,
}
