//! Administration of a brand's webhooks: where events go, and the delivery log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use copydesk_core::account::{Delivery, Webhook, WebhookEvent};
use copydesk_core::WebhookId;
use maud::{html, Markup};
use serde::Deserialize;

use super::admin::{admin_tabs, field, fields};
use super::frame::{page, Frame, Nav};
use super::text::label;
use super::{see_other, BrandQuery, PageError};
use crate::api::word;
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

/// Deliveries shown on the page, newest first.
const LOG: u32 = 100;

fn webhooks_page(
    frame: &Frame,
    hooks: &[Webhook],
    log: &[Delivery],
    secret: Option<&str>,
    done: Option<&str>,
) -> Markup {
    let body = html! {
        h1 { "Administration of " (frame.slug()) }
        (admin_tabs(frame, "/admin/webhooks"))
        @if let Some(secret) = secret {
            div.alert.ok role="status" {
                p { strong { "Copy the signing secret now: it is not shown again." } " Receivers check each delivery's "
                    code { "X-Copydesk-Signature" } " with it." }
                p { code.secret id="new-secret" { (secret) } }
            }
        }
        @if let Some(done) = done { p.alert.ok role="status" { (done) } }
        @if hooks.is_empty() {
            p.empty { "No webhooks yet." }
        } @else {
            table {
                caption { "Webhooks of " (frame.slug()) }
                thead { tr { th scope="col" { "URL" } th scope="col" { "Events" } th scope="col" { "Created" } th scope="col" { "Status" } } }
                tbody {
                    @for h in hooks {
                        tr {
                            td { code { (h.url) } }
                            td { (h.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")) }
                            td { (h.created_at.format("%Y-%m-%d")) }
                            td {
                                @if h.active { "active " } @else { "paused " }
                                form method="post" action=(format!("/admin/webhooks/{}", h.id)) {
                                    (frame.csrf_field())
                                    input type="hidden" name="brand" value=(frame.slug());
                                    input type="hidden" name="active" value=(if h.active { "false" } else { "true" });
                                    button type="submit" aria-label=(format!("{} webhook {}", if h.active { "Pause" } else { "Resume" }, h.url)) {
                                        @if h.active { "Pause" } @else { "Resume" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="hook-h" {
            h2 id="hook-h" { "New webhook" }
            form.stack method="post" action="/admin/webhooks" {
                (frame.csrf_field())
                input type="hidden" name="brand" value=(frame.slug());
                div.field {
                    label for="w-url" { "URL" }
                    input id="w-url" name="url" type="url" required placeholder="https://…";
                }
                fieldset {
                    legend { "Events" }
                    @for e in WebhookEvent::ALL {
                        div.radio {
                            input type="checkbox" id=(format!("w-{}", e.as_str())) name="event" value=(e.as_str()) checked;
                            label for=(format!("w-{}", e.as_str())) { code { (e.as_str()) } }
                        }
                    }
                }
                button type="submit" { "Add webhook" }
            }
        }
        section aria-labelledby="log-h" {
            h2 id="log-h" { "Delivery log" }
            @if log.is_empty() {
                p.empty { "Nothing sent yet." }
            } @else {
                table {
                    caption { "The latest " (log.len()) " deliveries, newest first" }
                    thead { tr { th scope="col" { "#" } th scope="col" { "Event" } th scope="col" { "URL" } th scope="col" { "State" } th scope="col" { "Attempts" } th scope="col" { "Last answer" } th scope="col" { "Next or done" } } }
                    tbody {
                        @for d in log {
                            tr {
                                td { (d.id) }
                                td { code { (d.event.as_str()) } }
                                td { code { (d.url) } }
                                td { (label(d.state.as_str())) }
                                td { (d.attempts) }
                                td {
                                    @if let Some(status) = d.last_status { "HTTP " (status) }
                                    @if let Some(err) = &d.last_error { " " (err) }
                                }
                                td {
                                    @if let Some(at) = d.delivered_at { "delivered " (at.format("%Y-%m-%d %H:%M:%S")) }
                                    @else { "next try " (d.next_attempt_at.format("%Y-%m-%d %H:%M:%S")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(frame, Nav::Admin, "Webhooks", body)
}

pub async fn webhooks(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Markup, PageError> {
    let (frame, (hooks, log)) = state
        .page(creds, q.brand.clone(), |svc, caller, frame| {
            let hooks = svc.webhook_list(&caller.actor, frame.slug())?;
            let log = svc.webhook_deliveries(&caller.actor, frame.slug(), None, LOG)?;
            Ok((hooks, log))
        })
        .await?;
    Ok(webhooks_page(&frame, &hooks, &log, None, q.done.as_deref()))
}

pub async fn webhook_create(
    State(state): State<AppState>,
    creds: Credentials,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let events = fields(&pairs, "event")
        .iter()
        .map(|e| word::<WebhookEvent>("event", e))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let creds = creds.with_form_csrf(&field(&pairs, "csrf"));
    let url = field(&pairs, "url");
    // the secret is shown in this response only, never in a URL or a redirect
    let (frame, (secret, hooks, log)) = state
        .page(
            creds,
            Some(field(&pairs, "brand")),
            move |svc, caller, frame| {
                let created = svc.webhook_create(&caller.actor, frame.slug(), &url, &events)?;
                let hooks = svc.webhook_list(&caller.actor, frame.slug())?;
                let log = svc.webhook_deliveries(&caller.actor, frame.slug(), None, LOG)?;
                Ok((created.secret, hooks, log))
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        webhooks_page(&frame, &hooks, &log, Some(secret.expose()), None),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    csrf: String,
    brand: String,
    active: bool,
}

pub async fn webhook_set_active(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, PageError> {
    let creds = creds.with_form_csrf(&form.csrf);
    let active = form.active;
    state
        .run_as(creds, move |svc, caller| {
            svc.webhook_set_active(&caller.actor, WebhookId(id), active)
        })
        .await?;
    let done = if active {
        "Webhook+resumed."
    } else {
        "Webhook+paused."
    };
    Ok(see_other(&format!(
        "/admin/webhooks?brand={}&done={done}",
        form.brand
    )))
}
