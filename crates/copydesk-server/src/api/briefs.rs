//! Briefs, their completeness check and their source material.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use copydesk_core::brief::{BriefContent, BriefRecord, Gap, Source};
use copydesk_core::{BriefId, SourceKind};
use copydesk_service::BriefView;
use serde::Deserialize;

use super::{word, Body, Page, Paging, Path, Query};
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The brand's slug.
    pub brand: String,
    #[serde(flatten)]
    #[param(inline)]
    pub paging: Paging,
}

/// The brand's briefs, by id.
#[utoipa::path(get, path = "/api/v1/briefs", tag = "briefs", params(ListQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<BriefRecord>>, ApiError> {
    let limit = q.paging.limit()?;
    let after = q.paging.after_id()?.map(BriefId);
    let briefs = state
        .run_as(creds, move |svc, caller| {
            svc.brief_list(&caller.actor, &q.brand, after, limit + 1)
        })
        .await?;
    Ok(Json(Page::of(briefs, limit, |b| b.id.0.to_string())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewBrief {
    pub brand: String,
    /// The brief's fields, as in a brief file (`copydesk brief new --file`).
    #[schema(value_type = Object)]
    pub brief: BriefContent,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EditBrief {
    #[schema(value_type = Object)]
    pub brief: BriefContent,
}

/// Writes a new brief; an incomplete one is kept, and its gaps are in the response.
#[utoipa::path(post, path = "/api/v1/briefs", tag = "briefs", request_body = NewBrief,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    creds: Credentials,
    Body(new): Body<NewBrief>,
) -> Result<(StatusCode, Json<BriefView>), ApiError> {
    let view = state
        .run_as(creds, move |svc, caller| {
            let id = svc.brief_new(&caller.actor, &new.brand, &new.brief)?;
            svc.brief_show(&caller.actor, id, None)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct VersionQuery {
    /// An earlier version of the brief.
    pub version: Option<u32>,
}

/// A brief with its completeness gaps.
#[utoipa::path(get, path = "/api/v1/briefs/{id}", tag = "briefs",
    params(("id" = i64, Path, description = "brief id"), VersionQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<VersionQuery>,
) -> Result<Json<BriefView>, ApiError> {
    let view = state
        .run_as(creds, move |svc, caller| {
            svc.brief_show(&caller.actor, BriefId(id), q.version)
        })
        .await?;
    Ok(Json(view))
}

/// Saves a new version of a brief.
#[utoipa::path(put, path = "/api/v1/briefs/{id}", tag = "briefs", request_body = EditBrief,
    params(("id" = i64, Path, description = "brief id")),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(edit): Body<EditBrief>,
) -> Result<Json<BriefView>, ApiError> {
    let view = state
        .run_as(creds, move |svc, caller| {
            svc.brief_edit(&caller.actor, BriefId(id), &edit.brief)?;
            svc.brief_show(&caller.actor, BriefId(id), None)
        })
        .await?;
    Ok(Json(view))
}

/// What a brief still lacks (the same check as `copydesk brief check`).
#[utoipa::path(get, path = "/api/v1/briefs/{id}/check", tag = "briefs",
    params(("id" = i64, Path, description = "brief id")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn check(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let gaps: Vec<Gap> = state
        .run_as(creds, move |svc, caller| {
            svc.brief_check(&caller.actor, BriefId(id))
        })
        .await?;
    Ok(Json(
        serde_json::json!({ "complete": gaps.is_empty(), "gaps": gaps }),
    ))
}

/// The brief's source material.
#[utoipa::path(get, path = "/api/v1/briefs/{id}/sources", tag = "briefs",
    params(("id" = i64, Path, description = "brief id")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn sources(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list: Vec<Source> = state
        .run_as(creds, move |svc, caller| {
            svc.source_list(&caller.actor, BriefId(id))
        })
        .await?;
    Ok(Json(serde_json::json!({ "items": list })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewSource {
    /// interview, sales_objection, support_ticket, founder_opinion, research, product_data,
    /// voice_example, positioning or editorial_standard
    pub kind: String,
    /// Where it came from (a file name, a URL, a person).
    pub origin: String,
    pub text: String,
}

/// Adds source material to a brief.
#[utoipa::path(post, path = "/api/v1/briefs/{id}/sources", tag = "briefs", request_body = NewSource,
    params(("id" = i64, Path, description = "brief id")),
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn source_add(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(new): Body<NewSource>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let kind: SourceKind = word("kind", &new.kind)?;
    let source = state
        .run_as(creds, move |svc, caller| {
            svc.source_add(&caller.actor, BriefId(id), kind, &new.origin, &new.text)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": source })),
    ))
}
