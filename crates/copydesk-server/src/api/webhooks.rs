//! Webhooks and their delivery log, for the brand's admins.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use copydesk_core::account::{Delivery, Webhook, WebhookEvent};
use copydesk_core::{DeliveryId, WebhookId};
use serde::{Deserialize, Serialize};

use super::org::BrandQuery;
use super::{word, Body, Page, Paging, Path, Query};
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewWebhook {
    pub brand: String,
    /// An http:// or https:// URL that takes the POSTs.
    pub url: String,
    /// review.requested, review.decided, asset.approved and/or asset.published
    pub events: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    #[schema(value_type = Object)]
    pub webhook: Webhook,
    /// Signs every delivery (X-Copydesk-Signature); shown once, store it now.
    pub secret: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct WebhookChange {
    /// false stops new deliveries and holds queued ones; true resumes them.
    pub active: bool,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DeliveriesQuery {
    /// The brand's slug.
    pub brand: String,
    #[serde(flatten)]
    #[param(inline)]
    pub paging: Paging,
}

/// The brand's webhooks, without their secrets.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks", params(BrandQuery),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let hooks = state
        .run_as(creds, move |svc, caller| {
            svc.webhook_list(&caller.actor, &q.brand)
        })
        .await?;
    Ok(Json(serde_json::json!({ "items": hooks })))
}

/// Registers a URL for the brand's events; the signing secret is in this response only.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, body = CreatedWebhook), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    creds: Credentials,
    Body(new): Body<NewWebhook>,
) -> Result<(StatusCode, Json<CreatedWebhook>), ApiError> {
    let events = new
        .events
        .iter()
        .map(|e| word::<WebhookEvent>("events", e))
        .collect::<Result<Vec<_>, _>>()?;
    let created = state
        .run_as(creds, move |svc, caller| {
            svc.webhook_create(&caller.actor, &new.brand, &new.url, &events)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook {
            webhook: created.webhook,
            secret: created.secret.expose().to_string(),
        }),
    ))
}

/// Turns a webhook on or off.
#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", request_body = WebhookChange,
    params(("id" = i64, Path, description = "webhook id")),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Body(change): Body<WebhookChange>,
) -> Result<Json<Webhook>, ApiError> {
    let hook = state
        .run_as(creds, move |svc, caller| {
            svc.webhook_set_active(&caller.actor, WebhookId(id), change.active)
        })
        .await?;
    Ok(Json(hook))
}

/// The brand's delivery log, newest first: each event sent to each webhook, with its
/// attempts, last answer and state (pending, delivered or failed).
#[utoipa::path(get, path = "/api/v1/webhooks/deliveries", tag = "webhooks", params(DeliveriesQuery),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn deliveries(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<DeliveriesQuery>,
) -> Result<Json<Page<Delivery>>, ApiError> {
    let limit = q.paging.limit()?;
    let after = q.paging.after_id()?.map(DeliveryId);
    let log = state
        .run_as(creds, move |svc, caller| {
            svc.webhook_deliveries(&caller.actor, &q.brand, after, limit + 1)
        })
        .await?;
    Ok(Json(Page::of(log, limit, |d| d.id.0.to_string())))
}
