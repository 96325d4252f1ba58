//! Experiments: designing one, naming its variants, launching and stopping it, importing
//! results from an analytics pipeline, and reading it and its analysis — the same service
//! calls `copydesk experiment` makes.

use axum::extract::rejection::StringRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use copydesk_core::experiment::{Experiment, ExperimentDesign, MetricType, Variant};
use copydesk_core::{AssetId, ExperimentId, Lever};
use copydesk_service::{ExperimentReport, ExperimentView, Launch};
use serde::{Deserialize, Serialize};

use super::org::BrandQuery;
use super::{word, Body, Path, Query};
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

fn lever(given: Option<&str>) -> Result<Option<Lever>, ApiError> {
    given.map(|l| word::<Lever>("lever", l)).transpose()
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExperiment {
    pub brand: String,
    /// The asset under test; its approved version becomes the control.
    pub asset: i64,
    /// What you expect to change, for whom and why (at least six words).
    pub hypothesis: String,
    /// clarity, urgency, emotional_appeal, proof, relevance, risk_reduction or value_framing
    pub lever: Option<String>,
    /// The metric's name in your analytics export.
    pub metric: String,
    /// conversion or mean
    pub metric_type: String,
    /// Lower is better (e.g. unsubscribes).
    #[serde(default)]
    pub inverse: bool,
}

/// Designs an experiment (strategists): refused without a hypothesis, a lever or a metric.
#[utoipa::path(post, path = "/api/v1/experiments", tag = "experiments", request_body = NewExperiment,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    creds: Credentials,
    Body(new): Body<NewExperiment>,
) -> Result<(StatusCode, Json<ExperimentView>), ApiError> {
    let design = ExperimentDesign {
        hypothesis: new.hypothesis,
        lever: lever(new.lever.as_deref())?,
        metric: new.metric,
        metric_type: word::<MetricType>("metric_type", &new.metric_type)?,
        inverse: new.inverse,
    };
    let view = state
        .run_as(creds, move |svc, caller| {
            let id = svc.experiment_new(&caller.actor, &new.brand, AssetId(new.asset), &design)?;
            svc.experiment_show(&caller.actor, id)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVariant {
    /// The arm's name as the analytics export spells it.
    pub name: String,
    /// Leave out for the control (the experiment's own asset); a challenger is another
    /// asset of the same kind.
    pub asset: Option<i64>,
    /// The lever a challenger pulls; none for the control.
    pub lever: Option<String>,
}

/// Names a variant: the control first, then each challenger with the lever it pulls.
#[utoipa::path(post, path = "/api/v1/experiments/{id}/variants", tag = "experiments",
    params(("id" = i64, Path, description = "experiment id")), request_body = NewVariant,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn variant_add(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(new): Body<NewVariant>,
) -> Result<(StatusCode, Json<Variant>), ApiError> {
    let lever = lever(new.lever.as_deref())?;
    let variant = state
        .run_as(creds, move |svc, caller| {
            svc.experiment_variant_add(
                &caller.actor,
                ExperimentId(id),
                &new.name,
                new.asset.map(AssetId),
                lever,
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(variant)))
}

/// Launches once every variant is approved. The body fixes the plan: `{"users": N}` per
/// variant, or `{"baseline": 0.05, "mde": 0.10}` (optionally `absolute`, `power`, `stddev`)
/// to plan it for the experiment's arms; `method` (`fixed` or `sequential`) and `alpha`.
#[utoipa::path(post, path = "/api/v1/experiments/{id}/start", tag = "experiments",
    params(("id" = i64, Path, description = "experiment id")), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(launch): Body<Launch>,
) -> Result<Json<ExperimentView>, ApiError> {
    let view = state
        .run_as(creds, move |svc, caller| {
            svc.experiment_start(&caller.actor, ExperimentId(id), &launch)?;
            svc.experiment_show(&caller.actor, ExperimentId(id))
        })
        .await?;
    Ok(Json(view))
}

/// Stops a running experiment; its results stay, and may still be imported and read.
#[utoipa::path(post, path = "/api/v1/experiments/{id}/stop", tag = "experiments",
    params(("id" = i64, Path, description = "experiment id")),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn stop(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
) -> Result<Json<ExperimentView>, ApiError> {
    let view = state
        .run_as(creds, move |svc, caller| {
            svc.experiment_stop(&caller.actor, ExperimentId(id))?;
            svc.experiment_show(&caller.actor, ExperimentId(id))
        })
        .await?;
    Ok(Json(view))
}
