//! The audit trail: every recorded action, per brand and per asset.

use axum::extract::{Path, Query, State};
use copydesk_core::audit::AuditEntry;
use copydesk_core::AssetId;
use maud::{html, Markup};
use serde::Deserialize;

use super::frame::{page, Nav};
use super::PageError;
use crate::auth::Credentials;
use crate::AppState;

const PAGE: u32 = 200;

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    brand: Option<String>,
    /// The `seq` after which to continue.
    after: Option<i64>,
}

fn entries_table(entries: &[AuditEntry]) -> Markup {
    html! {
        @if entries.is_empty() {
            p.empty { "Nothing recorded here yet." }
        } @else {
            table.audit {
                caption { "Oldest first; each entry is chained to the one before by its hash." }
                thead { tr { th scope="col" { "#" } th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Action" } th scope="col" { "Subject" } th scope="col" { "Details" } } }
                tbody {
                    @for e in entries {
                        tr {
                            td { (e.seq) }
                            td { (e.at.format("%Y-%m-%d %H:%M:%S")) }
                            td { (e.actor) }
                            td { code { (e.action) } }
                            td { (e.subject) }
                            td { code.details { (e.details.to_string()) } }
                        }
                    }
                }
            }
        }
    }
}

pub async fn all(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<AuditQuery>,
) -> Result<Markup, PageError> {
    let after = q.after.unwrap_or(0);
    let (frame, entries) = state
        .page(creds, q.brand, move |svc, caller, _| {
            Ok(svc.audit_log(&caller.actor, None, after, PAGE)?)
        })
        .await?;
    let slug = frame.slug().to_string();
    let last = entries.last().map(|e| e.seq);
    let full = entries.len() as u32 == PAGE;
    let mine: Vec<AuditEntry> = entries
        .into_iter()
        .filter(|e| e.brand.as_deref() == Some(slug.as_str()))
        .collect();
    let body = html! {
        h1 { "Audit trail of " (slug) }
        (entries_table(&mine))
        @if let (true, Some(last)) = (full, last) {
            p { a href=(format!("/audit?brand={slug}&after={last}")) { "Later entries" } }
        }
    };
    Ok(page(&frame, Nav::Audit, "Audit trail", body))
}

pub async fn asset(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<AuditQuery>,
) -> Result<Markup, PageError> {
    let after = q.after.unwrap_or(0);
    let (frame, (title, entries)) = state
        .page(creds, q.brand, move |svc, caller, _| {
            // a foreign asset is "not found", like everywhere else
            let view = svc.asset_show(&caller.actor, AssetId(id))?;
            let entries = svc.audit_log(&caller.actor, Some(format!("asset:{id}")), after, PAGE)?;
            Ok((view.asset.title, entries))
        })
        .await?;
    let body = html! {
        h1 { "Audit trail: " (title) }
        p { a href=(format!("/assets/{id}?brand={}", frame.slug())) { "Back to the asset" } }
        (entries_table(&entries))
    };
    Ok(page(&frame, Nav::Audit, "Audit trail", body))
}
