//! What goes into the store and what comes out of it, beyond the core domain types.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use copydesk_core::asset::{Author, Finding, FindingCounts};
use copydesk_core::provenance::Provenance;
use copydesk_core::risk::Tier;
use copydesk_core::{
    AssetId, AssetKind, AssetState, BrandId, BriefId, ReviewId, Role, SourceKind, UserId,
};

#[derive(Debug, Clone)]
pub struct NewSource<'a> {
    pub brief: BriefId,
    pub kind: SourceKind,
    pub origin: &'a str,
    pub text: &'a str,
    pub added_by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewAsset<'a> {
    pub brand: BrandId,
    pub brief: BriefId,
    pub title: &'a str,
    pub kind: AssetKind,
    pub channel: &'a str,
    pub locale: &'a str,
    pub personalised: bool,
    pub created_by: UserId,
    pub at: DateTime<Utc>,
}

/// The mutable columns of an asset: its state and where it waits.
#[derive(Debug, Clone)]
pub struct AssetUpdate {
    pub state: AssetState,
    pub current_version: u32,
    /// The role the asset waits for while in review.
    pub pending_role: Option<Role>,
    pub due: NaiveDate,
    /// While in review: everyone who wrote the version under review or an ancestor (or ran
    /// its model), so queues can say "someone else must approve" without reading history.
    pub review_authors: Vec<UserId>,
}

impl AssetUpdate {
    /// An asset that waits for nobody: out of every queue.
    pub fn settled(state: AssetState, current_version: u32) -> AssetUpdate {
        AssetUpdate {
            state,
            current_version,
            pending_role: None,
            due: crate::due_key(None),
            review_authors: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub asset: AssetId,
    pub number: u32,
    pub parent: Option<u32>,
    pub text: &'a str,
    pub author: &'a Author,
    pub note: &'a str,
    pub brief_version: u32,
    pub findings: FindingCounts,
    pub guardrail_findings: &'a [Finding],
    pub reverted_from: Option<u32>,
    pub provenance: Option<&'a Provenance>,
    pub at: DateTime<Utc>,
}

/// An advisor's note on a brief.
#[derive(Debug, Clone)]
pub struct NewBriefNote<'a> {
    pub brief: BriefId,
    pub brief_version: u32,
    pub body: &'a str,
    pub provenance: &'a Provenance,
    pub author: UserId,
    pub at: DateTime<Utc>,
}

/// A prompt template version made active for a brand and task.
#[derive(Debug, Clone)]
pub struct NewActivation<'a> {
    pub brand: BrandId,
    pub task: &'a str,
    pub version: &'a str,
    pub digest: &'a str,
    pub origin: &'a str,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineageEntry {
    pub number: u32,
    pub parent: Option<u32>,
    pub author: Author,
}

#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub asset: AssetId,
    pub version: u32,
    pub tier: Tier,
    pub score: i64,
    pub stages: &'a [Role],
    pub submitted_by: UserId,
    pub at: DateTime<Utc>,
    pub policy_digest: &'a str,
}

#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    pub asset: AssetId,
    pub version: u32,
    pub range: Option<(u32, u32)>,
    pub quote: &'a str,
    pub body: &'a str,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// The recorded spot-check draw of one auto-approved review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpotCheckSample {
    pub asset: AssetId,
    pub review: ReviewId,
    pub brand: BrandId,
    pub seed: String,
    pub draw: f64,
    pub rate: f64,
    pub sampled: bool,
    pub at: DateTime<Utc>,
}

/// Where a queue page ends; the next page starts after it.
/// Ordered as the queue is: by due date, then asset id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct QueueCursor {
    pub due: NaiveDate,
    pub asset: AssetId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    pub asset: AssetId,
    pub brand: BrandId,
    pub title: String,
    pub kind: AssetKind,
    pub role: Role,
    pub version: u32,
    /// None when the brief has no deadline.
    pub due: Option<NaiveDate>,
    /// Who wrote the version under review or an ancestor of it.
    pub review_authors: Vec<UserId>,
}

impl QueueItem {
    pub fn cursor(&self) -> QueueCursor {
        QueueCursor {
            due: crate::due_key(self.due),
            asset: self.asset,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only entries about this subject (`asset:12`).
    pub subject: Option<String>,
    /// Only entries of these brands (slugs); `None` means every entry.
    pub brands: Option<Vec<String>>,
}
