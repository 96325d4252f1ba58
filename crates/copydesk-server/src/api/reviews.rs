//! The review workflow: the queue, submitting, deciding, commenting and publishing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use copydesk_core::{AssetId, Decision, ReasonCode};
use copydesk_service::{DecisionResult, QueuePage, SubmitOutcome};
use serde::{Deserialize, Serialize};

use super::{word, Body, Paging, Path, Query};
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// Only this brand (default: every brand the caller reviews in).
    pub brand: Option<String>,
    #[serde(flatten)]
    #[param(inline)]
    pub paging: Paging,
}

/// What waits for the caller's review, soonest due first.
#[utoipa::path(get, path = "/api/v1/reviews/queue", tag = "reviews", params(QueueQuery),
    responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<QueueQuery>,
) -> Result<Json<QueuePage>, ApiError> {
    let limit = q.paging.limit()?;
    let page = state
        .run_as(creds, move |svc, caller| {
            svc.review_queue(
                &caller.actor,
                q.brand.as_deref(),
                q.paging.after.as_deref(),
                limit,
            )
        })
        .await?;
    Ok(Json(page))
}

/// Submits the asset's current version for review; risk decides who must review it.
#[utoipa::path(post, path = "/api/v1/assets/{id}/submit", tag = "reviews",
    params(("id" = i64, Path, description = "asset id")),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<SubmitOutcome>, ApiError> {
    let outcome = state
        .run_as(creds, move |svc, caller| {
            svc.review_submit(&caller.actor, AssetId(id))
        })
        .await?;
    Ok(Json(outcome))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewDecision {
    /// approve, request_changes or reject
    pub decision: String,
    /// Required to request changes or reject: factual_error, unsupported_claim,
    /// off_brand_tone, generic, compliance, bias, privacy or other.
    pub reason: Option<String>,
    #[serde(default)]
    pub comment: String,
    /// "Would we be proud to have this represent the brand?" Approving needs `true`.
    #[serde(default)]
    pub proud: bool,
}

/// Decides the caller's stage of the review round.
#[utoipa::path(post, path = "/api/v1/assets/{id}/decisions", tag = "reviews", request_body = NewDecision,
    params(("id" = i64, Path, description = "asset id")),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(new): Body<NewDecision>,
) -> Result<Json<DecisionResult>, ApiError> {
    let decision: Decision = word("decision", &new.decision)?;
    let reason: Option<ReasonCode> = new
        .reason
        .as_deref()
        .map(|r| word("reason", r))
        .transpose()?;
    let result = state
        .run_as(creds, move |svc, caller| {
            svc.review_decide(
                &caller.actor,
                AssetId(id),
                decision,
                reason,
                &new.comment,
                new.proud,
            )
        })
        .await?;
    Ok(Json(result))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewComment {
    pub body: String,
    /// The version commented on (default: the current one).
    pub version: Option<u32>,
    /// The commented text: character offsets `[start, end)` into the version's text.
    pub range: Option<[u32; 2]>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommentCreated {
    pub id: i64,
}

/// Comments on an asset, optionally anchored to a selection of a version's text.
#[utoipa::path(post, path = "/api/v1/assets/{id}/comments", tag = "reviews", request_body = NewComment,
    params(("id" = i64, Path, description = "asset id")),
    responses((status = 201, body = CommentCreated), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn comment(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(new): Body<NewComment>,
) -> Result<(StatusCode, Json<CommentCreated>), ApiError> {
    let range = new.range.map(|[a, b]| (a, b));
    let created = state
        .run_as(creds, move |svc, caller| {
            svc.review_comment(&caller.actor, AssetId(id), new.version, range, &new.body)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(CommentCreated { id: created.0 })))
}

/// Publishes an approved asset.
#[utoipa::path(post, path = "/api/v1/assets/{id}/publish", tag = "reviews",
    params(("id" = i64, Path, description = "asset id")),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let version = state
        .run_as(creds, move |svc, caller| {
            svc.publish(&caller.actor, AssetId(id))
        })
        .await?;
    Ok(Json(
        serde_json::json!({ "asset": id, "published_version": version }),
    ))
}
