//! Durable storage for copydesk: the [`Store`] trait and its SQLite and PostgreSQL
//! implementations, each with its own migrations. Every operation runs inside a [`Tx`]; a
//! transaction that is dropped without [`Tx::commit`] is rolled back, so a failed command
//! writes nothing.

mod due;
mod error;
mod migrate;
pub mod pg;
pub mod sqlite;
#[cfg(feature = "test-support")]
pub mod test_support;
mod types;

use chrono::{DateTime, NaiveDate, Utc};
use copydesk_core::account::{ApiToken, Delivery, Session, Webhook};
use copydesk_core::asset::{Asset, Comment, Version, VersionSummary};
use copydesk_core::audit::AuditEntry;
use copydesk_core::brief::{BriefContent, BriefRecord, Source};
use copydesk_core::experiment::Experiment;
use copydesk_core::org::{Brand, Membership, User};
use copydesk_core::provenance::{BriefNote, PromptActivation};
use copydesk_core::review::{Review, StageDecision};
use copydesk_core::{
    AssetId, AssetState, BrandId, BriefId, CommentId, ReviewId, Role, SourceId, UserId, VersionId,
};
use copydesk_core::{DeliveryId, ExperimentId, SessionId, TokenId, WebhookId};

pub use error::StoreError;
pub use migrate::SchemaVersion;
pub use types::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How a transaction will be used. Write transactions take the write lock up front (SQLite
/// `BEGIN IMMEDIATE`), so two writers never both read a state and then both change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxMode {
    Read,
    Write,
}

/// A database copydesk can keep its data in.
pub trait Store: Send {
    fn begin(&mut self, mode: TxMode) -> Result<Box<dyn Tx + '_>>;
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
}

/// The newest schema version this build knows; both backends' migration lists end there.
pub fn newest_schema() -> i64 {
    migrate::latest(migrate::SQLITE).max(migrate::latest(migrate::POSTGRES))
}

/// Opens the store a URL names: `sqlite://PATH` (or a bare path) or `postgres://…`,
/// applying pending migrations.
pub fn open(url: &str) -> Result<Box<dyn Store>> {
    if is_postgres(url) {
        Ok(Box::new(pg::PgStore::connect(url)?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Box::new(sqlite::SqliteStore::open(std::path::Path::new(
            path,
        ))?))
    }
}

/// A database URL fit for messages and logs: PostgreSQL passwords removed, SQLite paths as
/// they are.
pub fn redact(url: &str) -> String {
    if is_postgres(url) {
        pg::redact(url)
    } else {
        url.to_string()
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The operations of one transaction. Lookups return `Ok(None)` for what does not exist;
/// writes that would break a uniqueness rule return [`StoreError::Conflict`].
pub trait Tx {
    fn commit(self: Box<Self>) -> Result<()>;

    // brands and people
    fn insert_brand(
        &mut self,
        slug: &str,
        name: &str,
        kit: &str,
        at: DateTime<Utc>,
    ) -> Result<BrandId>;
    fn brand(&mut self, id: BrandId) -> Result<Option<Brand>>;
    fn brand_by_slug(&mut self, slug: &str) -> Result<Option<Brand>>;
    fn brands(&mut self) -> Result<Vec<Brand>>;
    fn insert_user(
        &mut self,
        name: &str,
        display_name: &str,
        is_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<UserId>;
    fn user_by_name(&mut self, name: &str) -> Result<Option<User>>;
    fn user_by_id(&mut self, id: UserId) -> Result<Option<User>>;
    fn users(&mut self) -> Result<Vec<User>>;
    /// Grants a role; returns false when the user already had it.
    fn grant(
        &mut self,
        user: UserId,
        brand: BrandId,
        role: Role,
        at: DateTime<Utc>,
    ) -> Result<bool>;
    fn memberships(&mut self, user: UserId) -> Result<Vec<Membership>>;
    fn members(&mut self, brand: BrandId) -> Result<Vec<(User, Role)>>;

    // briefs and sources
    fn insert_brief(
        &mut self,
        brand: BrandId,
        content: &BriefContent,
        author: UserId,
        at: DateTime<Utc>,
    ) -> Result<BriefId>;
    /// Adds the next version of a brief and makes it current.
    fn insert_brief_version(
        &mut self,
        brief: BriefId,
        number: u32,
        content: &BriefContent,
        author: UserId,
        at: DateTime<Utc>,
    ) -> Result<()>;
    fn brief(&mut self, id: BriefId) -> Result<Option<BriefRecord>>;
    fn brief_version(&mut self, id: BriefId, number: u32) -> Result<Option<BriefContent>>;
    fn briefs(
        &mut self,
        brand: BrandId,
        after: Option<BriefId>,
        limit: u32,
    ) -> Result<Vec<BriefRecord>>;
    fn insert_source(&mut self, new: &NewSource<'_>) -> Result<SourceId>;
    fn sources(&mut self, brief: BriefId) -> Result<Vec<Source>>;

    // assets and versions
    fn insert_asset(&mut self, new: &NewAsset<'_>) -> Result<AssetId>;
    /// Reads an asset; in a write transaction on PostgreSQL the row is locked until commit.
    fn asset(&mut self, id: AssetId) -> Result<Option<Asset>>;
    fn assets(
        &mut self,
        brand: BrandId,
        state: Option<AssetState>,
        after: Option<AssetId>,
        limit: u32,
    ) -> Result<Vec<Asset>>;
    fn update_asset(&mut self, id: AssetId, update: &AssetUpdate) -> Result<()>;
    fn insert_version(&mut self, new: &NewVersion<'_>) -> Result<VersionId>;
    fn insert_brief_note(&mut self, new: &NewBriefNote<'_>) -> Result<i64>;
    fn brief_notes(&mut self, brief: BriefId) -> Result<Vec<BriefNote>>;
    fn insert_activation(&mut self, new: &NewActivation<'_>) -> Result<()>;
    /// The newest activation per task of a brand (the active template versions).
    fn activations(&mut self, brand: BrandId) -> Result<Vec<PromptActivation>>;
    fn version(&mut self, asset: AssetId, number: u32) -> Result<Option<Version>>;
    /// Newest first, versions numbered below `before` when given.
    fn history(
        &mut self,
        asset: AssetId,
        before: Option<u32>,
        limit: u32,
    ) -> Result<Vec<VersionSummary>>;
    /// Number, parent and author of every version, for separation-of-duties checks.
    fn lineage(&mut self, asset: AssetId) -> Result<Vec<LineageEntry>>;

    // reviews
    fn insert_review(&mut self, new: &NewReview<'_>) -> Result<ReviewId>;
    /// The newest review round of an asset, with its decisions.
    fn latest_review(&mut self, asset: AssetId) -> Result<Option<Review>>;
    fn reviews(&mut self, asset: AssetId) -> Result<Vec<Review>>;
    /// Fails with [`StoreError::Conflict`] if the stage already has a decision.
    fn insert_decision(&mut self, review: ReviewId, decision: &StageDecision) -> Result<()>;
    fn insert_comment(&mut self, new: &NewComment<'_>) -> Result<CommentId>;
    fn comments(&mut self, asset: AssetId) -> Result<Vec<Comment>>;
    fn insert_sample(&mut self, sample: &SpotCheckSample) -> Result<()>;
    fn samples(
        &mut self,
        brand: BrandId,
        after: Option<ReviewId>,
        limit: u32,
    ) -> Result<Vec<SpotCheckSample>>;

    /// Assets of one brand waiting for one role, by due date then id, after a keyset cursor.
    fn queue(
        &mut self,
        brand: BrandId,
        role: Role,
        after: Option<&QueueCursor>,
        limit: u32,
    ) -> Result<Vec<QueueItem>>;

    // audit
    /// The last entry's seq and hash. In a write transaction this also takes the audit lock,
    /// so entries are appended one at a time.
    fn audit_head(&mut self) -> Result<Option<(i64, String)>>;
    fn append_audit(&mut self, entry: &AuditEntry) -> Result<()>;
    /// Entries in stored order, with seq after `after_seq`.
    fn audit_entries(
        &mut self,
        filter: &AuditFilter,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>>;

    // accounts
    /// Sets the user's password hash (as the service computed it).
    fn set_password_hash(&mut self, user: UserId, hash: &str) -> Result<()>;
    /// The user's password hash; `None` when the user has none (or does not exist).
    fn password_hash(&mut self, user: UserId) -> Result<Option<String>>;
    /// Records a signed-in session; returns its id.
    fn insert_session(&mut self, new: &NewSession<'_>) -> Result<SessionId>;
    /// The session with this token hash, even when expired or revoked.
    fn session_by_hash(&mut self, token_hash: &str) -> Result<Option<Session>>;
    /// Marks a session as seen at `at` and moves its expiry to `expires_at`.
    fn touch_session(
        &mut self,
        id: SessionId,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// Revokes a session (keeping the first revocation time).
    fn revoke_session(&mut self, id: SessionId, at: DateTime<Utc>) -> Result<()>;
    /// Revokes every session of a user not yet revoked; returns how many.
    fn revoke_sessions_of(&mut self, user: UserId, at: DateTime<Utc>) -> Result<u64>;
    /// Records an API token; returns its id.
    fn insert_api_token(&mut self, new: &NewApiToken<'_>) -> Result<TokenId>;
    /// The token with this hash, even when revoked.
    fn api_token_by_hash(&mut self, token_hash: &str) -> Result<Option<ApiToken>>;
    /// The token with this id, even when revoked.
    fn api_token(&mut self, id: TokenId) -> Result<Option<ApiToken>>;
    /// Every token of a brand, revoked ones included, by id.
    fn api_tokens(&mut self, brand: BrandId) -> Result<Vec<ApiToken>>;
    /// Records that a token was used at `at`.
    fn touch_api_token(&mut self, id: TokenId, at: DateTime<Utc>) -> Result<()>;
    /// Revokes a token; returns false when it was already revoked (or does not exist).
    fn revoke_api_token(&mut self, id: TokenId, at: DateTime<Utc>) -> Result<bool>;
    /// Records one sign-in attempt, for rate limiting.
    fn record_login_attempt(
        &mut self,
        account: &str,
        ip: &str,
        at: DateTime<Utc>,
        succeeded: bool,
    ) -> Result<()>;
    /// Failed sign-ins at or after `since`: (for this account, from this ip).
    fn failed_logins_since(
        &mut self,
        account: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, u32)>;
    /// Deletes sign-in attempts before `before`; returns how many.
    fn prune_login_attempts(&mut self, before: DateTime<Utc>) -> Result<u64>;

    // webhooks
    /// Records an active webhook; returns its id.
    fn insert_webhook(&mut self, new: &NewWebhook<'_>) -> Result<WebhookId>;
    /// The webhook with this id, active or not.
    fn webhook(&mut self, id: WebhookId) -> Result<Option<Webhook>>;
    /// Every webhook of a brand, active or not, by id.
    fn webhooks(&mut self, brand: BrandId) -> Result<Vec<Webhook>>;
    /// Turns a webhook on or off; deliveries of an inactive webhook wait, unclaimed.
    fn set_webhook_active(&mut self, id: WebhookId, active: bool) -> Result<()>;
    /// Queues an event for a webhook, pending and due at `new.at`; returns its id.
    fn enqueue_delivery(&mut self, new: &NewDelivery<'_>) -> Result<DeliveryId>;
    /// Leases the pending delivery due longest (`next_attempt_at <= now`, then by id) of an
    /// active webhook whose lease is free, until `lease_until`; returns it, or `None` when
    /// nothing is due. Concurrent claimers (several servers on one PostgreSQL) never get
    /// the same delivery while its lease runs.
    fn claim_delivery(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<Delivery>>;
    /// Records an attempt and frees the lease: delivered on a 2xx answer without error,
    /// else pending again at `outcome.next`, else failed. A delivery already delivered or
    /// failed (another worker finished it after this one's lease ran out) is left as it is.
    fn finish_delivery(&mut self, id: DeliveryId, outcome: &DeliveryOutcome) -> Result<()>;
    /// A brand's deliveries, newest first, with ids below `after` when given.
    fn deliveries(
        &mut self,
        brand: BrandId,
        after: Option<DeliveryId>,
        limit: u32,
    ) -> Result<Vec<Delivery>>;

    // experiments
    /// Records an experiment in draft, without variants; returns its id.
    fn insert_experiment(&mut self, new: &NewExperiment<'_>) -> Result<ExperimentId>;
    fn experiment(&mut self, id: ExperimentId) -> Result<Option<Experiment>>;
    /// A brand's experiments, by id.
    fn experiments(&mut self, brand: BrandId) -> Result<Vec<Experiment>>;
    /// Writes what moves in an experiment's life: its state, variants, plan and times.
    fn save_experiment(&mut self, experiment: &Experiment) -> Result<()>;
    /// Appends an import of results; returns its id.
    fn insert_results(&mut self, new: &NewResults<'_>) -> Result<i64>;
    /// The newest import of an experiment's results.
    fn latest_results(&mut self, experiment: ExperimentId) -> Result<Option<StoredResults>>;
}

/// Deadline of an asset in the queue; assets without one sort last.
pub fn due_key(deadline: Option<NaiveDate>) -> NaiveDate {
    deadline.unwrap_or(NaiveDate::MAX)
}
