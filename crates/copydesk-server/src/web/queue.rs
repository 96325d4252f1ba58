//! "My queue": what waits for the signed-in person's review, soonest due first.

use axum::extract::{Query, State};
use chrono::Utc;
use copydesk_core::risk::Tier;
use copydesk_core::Role;
use copydesk_service::QueueEntry;
use maud::{html, Markup};
use serde::Deserialize;

use super::frame::{page, Nav};
use super::text::label;
use super::PageError;
use crate::auth::Credentials;
use crate::AppState;

/// Entries fetched per page; the filters narrow these.
const PAGE: u32 = 200;

#[derive(Debug, Deserialize)]
pub struct Filters {
    brand: Option<String>,
    /// `all` shows every brand the person reviews in.
    scope: Option<String>,
    role: Option<String>,
    tier: Option<String>,
    /// `overdue` or `week`.
    due: Option<String>,
    after: Option<String>,
}

fn keep(entry: &QueueEntry, f: &Filters, today: chrono::NaiveDate) -> bool {
    let item = &entry.item;
    let role_ok = f
        .role
        .as_deref()
        .filter(|r| !r.is_empty())
        .is_none_or(|r| item.role.as_str() == r);
    let tier_ok = f
        .tier
        .as_deref()
        .filter(|t| !t.is_empty())
        .is_none_or(|t| item.tier.is_some_and(|tier| tier.as_str() == t));
    let due_ok = match f.due.as_deref() {
        Some("overdue") => item.due.is_some_and(|d| d < today),
        Some("week") => item.due.is_some_and(|d| d <= today + chrono::Days::new(7)),
        _ => true,
    };
    role_ok && tier_ok && due_ok
}

pub async fn page_handler(
    State(state): State<AppState>,
    creds: Credentials,
    Query(f): Query<Filters>,
) -> Result<Markup, PageError> {
    let all = f.scope.as_deref() == Some("all");
    let after = f.after.clone();
    let (frame, queue) = state
        .page(creds, f.brand.clone(), move |svc, caller, frame| {
            let brand = (!all)
                .then(|| frame.slug().to_string())
                .filter(|s| !s.is_empty());
            Ok(svc.review_queue(&caller.actor, brand.as_deref(), after.as_deref(), PAGE)?)
        })
        .await?;
    let today = Utc::now().date_naive();
    let shown: Vec<&QueueEntry> = queue.items.iter().filter(|e| keep(e, &f, today)).collect();
    let selected = |value: &Option<String>, v: &str| value.as_deref() == Some(v);
    let body = html! {
        h1 { "My queue" }
        p.lede { "What waits for your review, soonest due first." }
        form.filters method="get" action="/queue" aria-label="Filter the queue" {
            input type="hidden" name="brand" value=(frame.slug());
            div {
                label for="f-scope" { "Brands" }
                select id="f-scope" name="scope" {
                    option value="" { "This brand" }
                    option value="all" selected[all] { "All my brands" }
                }
            }
            div {
                label for="f-role" { "My role" }
                select id="f-role" name="role" {
                    option value="" { "Any" }
                    @for r in Role::ALL {
                        option value=(r.as_str()) selected[selected(&f.role, r.as_str())] { (label(r.as_str())) }
                    }
                }
            }
            div {
                label for="f-tier" { "Risk tier" }
                select id="f-tier" name="tier" {
                    option value="" { "Any" }
                    @for t in Tier::ALL {
                        option value=(t.as_str()) selected[selected(&f.tier, t.as_str())] { (label(t.as_str())) }
                    }
                }
            }
            div {
                label for="f-due" { "Due" }
                select id="f-due" name="due" {
                    option value="" { "Any time" }
                    option value="overdue" selected[selected(&f.due, "overdue")] { "Overdue" }
                    option value="week" selected[selected(&f.due, "week")] { "Within a week" }
                }
            }
            button type="submit" { "Filter" }
        }
        @if shown.is_empty() {
            p.empty { "Nothing waits for you here." }
        } @else {
            table.queue {
                caption { (shown.len()) " waiting" }
                thead { tr {
                    th scope="col" { "Asset" }
                    th scope="col" { "Brand" }
                    th scope="col" { "Kind" }
                    th scope="col" { "Your stage" }
                    th scope="col" { "Risk tier" }
                    th scope="col" { "Due" }
                } }
                tbody {
                    @for e in &shown {
                        tr {
                            td {
                                a href=(format!("/assets/{}?brand={}", e.item.asset, e.brand_slug)) { (e.item.title) }
                                " " span.muted { "v" (e.item.version) }
                                @if e.authored_by_you {
                                    br; span.note { "You wrote part of this version: someone else must approve it." }
                                }
                            }
                            td { (e.brand_slug) }
                            td { (label(e.item.kind.as_str())) }
                            td { (label(e.item.role.as_str())) }
                            td { @if let Some(t) = e.item.tier { span class=(format!("tier tier-{}", t.as_str())) { (label(t.as_str())) } } @else { "—" } }
                            td {
                                @match e.item.due {
                                    Some(d) if d < today => { span.overdue { (d) " (overdue)" } }
                                    Some(d) => { (d) }
                                    None => { "—" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &queue.next {
            p { a href=(format!("/queue?brand={}&scope={}&after={}", frame.slug(), if all { "all" } else { "" }, super::signin::encode(next))) { "Next page" } }
        }
    };
    Ok(page(&frame, Nav::Queue, "My queue", body))
}
