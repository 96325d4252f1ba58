//! What goes into the store and what comes out of it, beyond the core domain types.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use copydesk_core::account::{DeliveryState, WebhookEvent};
use copydesk_core::asset::{Author, Finding, FindingCounts};
use copydesk_core::provenance::Provenance;
use copydesk_core::risk::Tier;
use copydesk_core::WebhookId;
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

/// A browser session that has just signed in.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// The hash of the session token the browser holds; the token itself is never stored.
    pub token_hash: &'a str,
    pub user: UserId,
    pub csrf_token: &'a str,
    pub at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An API token for one person's role in one brand.
#[derive(Debug, Clone)]
pub struct NewApiToken<'a> {
    /// The hash of the token the client holds; the token itself is never stored.
    pub token_hash: &'a str,
    pub name: &'a str,
    /// The first characters of the token, shown to tell tokens apart.
    pub prefix: &'a str,
    pub user: UserId,
    pub brand: BrandId,
    pub role: Role,
    pub at: DateTime<Utc>,
}

/// A webhook of a brand, created active. `Debug` hides the secret.
#[derive(Clone)]
pub struct NewWebhook<'a> {
    pub brand: BrandId,
    pub url: &'a str,
    pub secret: &'a str,
    pub events: &'a [WebhookEvent],
    pub created_by: UserId,
    pub at: DateTime<Utc>,
}

impl std::fmt::Debug for NewWebhook<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWebhook")
            .field("brand", &self.brand)
            .field("url", &self.url)
            .field("secret", &"<redacted>")
            .field("events", &self.events)
            .field("created_by", &self.created_by)
            .field("at", &self.at)
            .finish()
    }
}

/// An event queued for one webhook, due at once.
#[derive(Debug, Clone)]
pub struct NewDelivery<'a> {
    pub webhook: WebhookId,
    pub event: WebhookEvent,
    /// The exact JSON body to POST.
    pub payload: &'a str,
    pub at: DateTime<Utc>,
}

/// How one delivery attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryOutcome {
    pub at: DateTime<Utc>,
    /// The HTTP status, when the webhook answered.
    pub status: Option<u16>,
    /// Why the attempt failed, when it did (no answer, timeout, refused redirect…).
    pub error: Option<String>,
    /// When to try again after a failure; `None` gives up (the delivery fails).
    pub next: Option<DateTime<Utc>>,
}

impl DeliveryOutcome {
    /// The state this attempt leaves the delivery in: delivered on a 2xx answer without
    /// error, else pending when there is a next attempt, else failed.
    pub fn state(&self) -> DeliveryState {
        if self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s)) {
            DeliveryState::Delivered
        } else if self.next.is_some() {
            DeliveryState::Pending
        } else {
            DeliveryState::Failed
        }
    }
}

/// How a webhook's events are stored: their names, comma-separated.
pub(crate) fn stored_events(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(",")
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
    /// The risk tier of the review round the asset waits in.
    pub tier: Option<Tier>,
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

/// An experiment as first written: a design, in draft.
#[derive(Debug, Clone)]
pub struct NewExperiment<'a> {
    pub brand: BrandId,
    pub asset: AssetId,
    pub hypothesis: &'a str,
    pub lever: copydesk_core::Lever,
    pub metric: &'a str,
    pub metric_type: copydesk_core::experiment::MetricType,
    pub inverse: bool,
    pub created_by: UserId,
    pub at: DateTime<Utc>,
}

/// One import of an experiment's results: the rows as read, and where they came from.
#[derive(Debug, Clone)]
pub struct NewResults<'a> {
    pub experiment: copydesk_core::ExperimentId,
    pub source: &'a str,
    pub rows: &'a serde_json::Value,
    pub imported_by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredResults {
    pub id: i64,
    pub source: String,
    pub rows: serde_json::Value,
    pub imported_by: copydesk_core::asset::UserRef,
    pub imported_at: DateTime<Utc>,
}
