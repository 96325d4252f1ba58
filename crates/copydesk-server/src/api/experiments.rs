//! Experiments: reading them and their analysis, and importing results from an analytics
//! pipeline. Designing and launching stay with the CLI and the service for now.

use axum::extract::rejection::StringRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use copydesk_core::experiment::Experiment;
use copydesk_core::ExperimentId;
use copydesk_service::{ExperimentReport, ExperimentView};
use serde::{Deserialize, Serialize};

use super::org::BrandQuery;
use super::{Path, Query};
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

/// The brand's experiments, newest first.
#[utoipa::path(get, path = "/api/v1/experiments", tag = "experiments", params(BrandQuery),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Json<Vec<Experiment>>, ApiError> {
    let list = state
        .run_as(creds, move |svc, caller| {
            svc.experiment_list(&caller.actor, &q.brand)
        })
        .await?;
    Ok(Json(list))
}

/// An experiment: hypothesis, lever, variants, plan and its newest imported results.
#[utoipa::path(get, path = "/api/v1/experiments/{id}", tag = "experiments",
    params(("id" = i64, Path, description = "experiment id")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<ExperimentView>, ApiError> {
    let view = state
        .run_as(creds, move |svc, caller| {
            svc.experiment_show(&caller.actor, ExperimentId(id))
        })
        .await?;
    Ok(Json(view))
}

/// The newest results analysed with the α and method fixed at launch; `peek` is true for a
/// fixed-horizon test read before its planned size.
#[utoipa::path(get, path = "/api/v1/experiments/{id}/analysis", tag = "experiments",
    params(("id" = i64, Path, description = "experiment id")),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn analysis(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<ExperimentReport>, ApiError> {
    let report = state
        .run_as(creds, move |svc, caller| {
            svc.experiment_analyze(&caller.actor, ExperimentId(id), None)
        })
        .await?;
    Ok(Json(report))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// Where the rows come from, kept with the import (default `api`).
    pub source: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub import: i64,
}

/// Imports results: the request body is the CSV export itself (`Content-Type: text/csv`), one
/// row per variant, as `copydesk experiment import` reads it.
#[utoipa::path(post, path = "/api/v1/experiments/{id}/results", tag = "experiments",
    params(("id" = i64, Path, description = "experiment id"), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = Imported), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<ImportQuery>,
    csv: Result<String, StringRejection>,
) -> Result<(StatusCode, Json<Imported>), ApiError> {
    let csv = csv?;
    let source = q.source.unwrap_or_else(|| "api".to_string());
    let import = state
        .run_as(creds, move |svc, caller| {
            svc.experiment_import(&caller.actor, ExperimentId(id), &source, &csv, None)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(Imported { import })))
}
