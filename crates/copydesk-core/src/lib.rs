//! The copydesk domain: what a brief, an asset, a version, a review and an audit entry are,
//! and the rules that move them. This crate does no I/O: callers pass in text, time and
//! stored state, and get back decisions, or errors that name the rule broken.

// first, so its `vocabulary!` macro is in scope in the modules below
#[macro_use]
pub mod vocab;
pub mod account;
pub mod asset;
pub mod audit;
pub mod brief;
pub mod brief_file;
pub mod diff;
pub mod experiment;
pub mod ids;
pub mod org;
pub mod policy;
pub mod provenance;
pub mod review;
pub mod risk;
pub mod sampling;
pub mod secret;
pub mod webhook;

pub use ids::{
    AssetId, BrandId, BriefId, CommentId, DeliveryId, ExperimentId, ReviewId, SessionId, SourceId,
    TokenId, UserId, VersionId, WebhookId,
};
pub use vocab::{
    AssetKind, AssetState, CollaborationModel, Decision, DraftTask, Lever, PiiAction, PromptTask,
    Reach, ReasonCode, RepurposeTarget, Role, Severity, SourceKind, Tier, UnknownName,
};
