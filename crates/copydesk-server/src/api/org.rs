//! Brands, API tokens and the audit trail.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use copydesk_core::Role;
use copydesk_core::TokenId;
use serde::{Deserialize, Serialize};

use super::{word, Body, Page, Paging, Path, Query};
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct BrandQuery {
    /// The brand's slug.
    pub brand: String,
}

/// The brands the caller belongs to.
#[utoipa::path(get, path = "/api/v1/brands", tag = "org",
    responses((status = 200, body = Vec<Object>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn brands(
    State(state): State<AppState>,
    creds: Credentials,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state
        .run_as(creds, move |svc, caller| svc.brand_list(&caller.actor))
        .await?;
    Ok(Json(serde_json::json!({ "items": list })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    pub brand: String,
    /// strategist, editor, compliance, brand_lead, prompt_engineer or admin
    pub role: String,
    /// What uses the token, e.g. "CI publish job".
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    #[schema(value_type = Object)]
    pub token: copydesk_core::account::ApiToken,
    /// Shown once; store it now.
    pub secret: String,
}

/// The brand's API tokens, without their secrets.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "org", params(BrandQuery),
    responses((status = 200, body = Vec<Object>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn tokens(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state
        .run_as(creds, move |svc, caller| {
            svc.token_list(&caller.actor, &q.brand)
        })
        .await?;
    Ok(Json(serde_json::json!({ "items": list })))
}

/// Issues a token for one brand and one role; the secret is in this response only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "org", request_body = NewToken,
    responses((status = 201, body = IssuedToken), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn token_create(
    State(state): State<AppState>,
    creds: Credentials,
    Body(new): Body<NewToken>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let role: Role = word("role", &new.role)?;
    let issued = state
        .run_as(creds, move |svc, caller| {
            svc.token_create(&caller.actor, &new.brand, role, &new.name)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedToken {
            token: issued.token,
            secret: issued.secret.expose().to_string(),
        }),
    ))
}

/// Revokes a token.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "org",
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn token_revoke(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .run_as(creds, move |svc, caller| {
            svc.token_revoke(&caller.actor, TokenId(id))
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Only entries about this subject, e.g. `asset:12`.
    pub subject: Option<String>,
    #[serde(flatten)]
    #[param(inline)]
    pub paging: Paging,
}

/// The audit trail of the brands the caller belongs to, oldest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "org", params(AuditQuery),
    responses((status = 200, body = Object), (status = 401, body = crate::error::ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Page<copydesk_core::audit::AuditEntry>>, ApiError> {
    let limit = q.paging.limit()?;
    let after = q.paging.after_id()?.unwrap_or(0);
    let entries = state
        .run_as(creds, move |svc, caller| {
            svc.audit_log(&caller.actor, q.subject, after, limit + 1)
        })
        .await?;
    Ok(Json(Page::of(entries, limit, |e| e.seq.to_string())))
}
