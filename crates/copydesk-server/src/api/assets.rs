//! Assets, their versions and diffs.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use copydesk_core::asset::{Asset, Version, VersionSummary};
use copydesk_core::diff::{Diff, Granularity};
use copydesk_core::{AssetId, AssetKind, AssetState, BriefId};
use copydesk_service::{AssetSpec, AssetView, VersionSpec};
use serde::{Deserialize, Serialize};

use super::{word, Body, Page, Paging, Path, Query};
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The brand's slug.
    pub brand: String,
    /// Only assets in this state (draft, in_review, changes_requested, approved, …).
    pub state: Option<String>,
    #[serde(flatten)]
    #[param(inline)]
    pub paging: Paging,
}

/// The brand's assets, by id.
#[utoipa::path(get, path = "/api/v1/assets", tag = "assets", params(ListQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<Asset>>, ApiError> {
    let limit = q.paging.limit()?;
    let after = q.paging.after_id()?.map(AssetId);
    let only: Option<AssetState> = q.state.as_deref().map(|s| word("state", s)).transpose()?;
    let assets = state
        .run_as(creds, move |svc, caller| {
            svc.asset_list(&caller.actor, &q.brand, only, after, limit + 1)
        })
        .await?;
    Ok(Json(Page::of(assets, limit, |a| a.id.0.to_string())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAsset {
    pub brief: i64,
    pub title: String,
    /// blog, seo_page, email, social_post, ad, landing_page, press_release, video_script,
    /// influencer_post, release_notes or report
    pub kind: String,
    /// Defaults to the brief's channel.
    pub channel: Option<String>,
    #[serde(default = "default_locale")]
    pub locale: String,
    #[serde(default)]
    pub personalised: bool,
    /// The first version's text, if there is one yet.
    pub text: Option<String>,
    #[serde(default)]
    pub note: String,
}

fn default_locale() -> String {
    "en".to_string()
}

/// Creates an asset from a brief, optionally with its first version.
#[utoipa::path(post, path = "/api/v1/assets", tag = "assets", request_body = NewAsset,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    creds: Credentials,
    Body(new): Body<NewAsset>,
) -> Result<(StatusCode, Json<AssetView>), ApiError> {
    let kind: AssetKind = word("kind", &new.kind)?;
    let view = state
        .run_as(creds, move |svc, caller| {
            let spec = AssetSpec {
                title: new.title,
                kind,
                channel: new.channel,
                locale: new.locale,
                personalised: new.personalised,
            };
            let first = new
                .text
                .as_deref()
                .map(|text| VersionSpec::human(text, &new.note));
            let id = svc.asset_new(&caller.actor, BriefId(new.brief), &spec, first.as_ref())?;
            svc.asset_show(&caller.actor, id)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// An asset: its state, current version, review round and comments.
#[utoipa::path(get, path = "/api/v1/assets/{id}", tag = "assets",
    params(("id" = i64, Path, description = "asset id")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<AssetView>, ApiError> {
    let view = state
        .run_as(creds, move |svc, caller| {
            svc.asset_show(&caller.actor, AssetId(id))
        })
        .await?;
    Ok(Json(view))
}

/// The asset's versions, newest first; `after` is a version number.
#[utoipa::path(get, path = "/api/v1/assets/{id}/versions", tag = "assets",
    params(("id" = i64, Path, description = "asset id"), Paging),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn versions(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<VersionSummary>>, ApiError> {
    let limit = paging.limit()?;
    let before = paging
        .after_id()?
        .map(|n| u32::try_from(n).map_err(|_| ApiError::bad_request("after: not a version number")))
        .transpose()?;
    let list = state
        .run_as(creds, move |svc, caller| {
            svc.asset_history(&caller.actor, AssetId(id), before, limit + 1)
        })
        .await?;
    Ok(Json(Page::of(list, limit, |v| v.number.to_string())))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewVersion {
    pub text: String,
    /// What changed and why.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SavedVersion {
    pub asset: i64,
    pub number: u32,
}

/// Saves a new version (durable when this returns); the guardrails run on it.
#[utoipa::path(post, path = "/api/v1/assets/{id}/versions", tag = "assets", request_body = NewVersion,
    params(("id" = i64, Path, description = "asset id")),
    responses((status = 201, body = SavedVersion), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody)))]
pub async fn version_add(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(new): Body<NewVersion>,
) -> Result<(StatusCode, Json<SavedVersion>), ApiError> {
    let number = state
        .run_as(creds, move |svc, caller| {
            svc.version_add(
                &caller.actor,
                AssetId(id),
                &VersionSpec::human(&new.text, &new.note),
            )
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SavedVersion { asset: id, number }),
    ))
}

/// One version with its text, findings and provenance.
#[utoipa::path(get, path = "/api/v1/assets/{id}/versions/{number}", tag = "assets",
    params(("id" = i64, Path, description = "asset id"), ("number" = u32, Path, description = "version number")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn version(
    State(state): State<AppState>,
    creds: Credentials,
    Path((id, number)): Path<(i64, u32)>,
) -> Result<Json<Version>, ApiError> {
    let version = state
        .run_as(creds, move |svc, caller| {
            svc.version_show(&caller.actor, AssetId(id), Some(number))
        })
        .await?;
    Ok(Json(version))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DiffQuery {
    pub from: u32,
    /// Defaults to the current version.
    pub to: Option<u32>,
    /// `words` (default) or `lines`.
    pub by: Option<String>,
}

/// The difference between two versions.
#[utoipa::path(get, path = "/api/v1/assets/{id}/diff", tag = "assets",
    params(("id" = i64, Path, description = "asset id"), DiffQuery),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn diff(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> Result<Json<Diff>, ApiError> {
    let granularity = match q.by.as_deref() {
        None | Some("words") => Granularity::Words,
        Some("lines") => Granularity::Lines,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "by {other}: use words or lines"
            )))
        }
    };
    let diff = state
        .run_as(creds, move |svc, caller| {
            svc.asset_diff(&caller.actor, AssetId(id), q.from, q.to, granularity)
        })
        .await?;
    Ok(Json(diff))
}
