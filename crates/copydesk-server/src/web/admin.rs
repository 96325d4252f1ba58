//! Administration of a brand: its people and roles, and API tokens.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use copydesk_core::{Role, TokenId};
use copydesk_service::NewUser;
use maud::{html, Markup};
use serde::Deserialize;

use super::frame::{page, Frame, Nav};
use super::text::label;
use super::{see_other, BrandQuery, PageError, PlainForm};
use crate::api::word;
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

pub fn admin_tabs(frame: &Frame, current: &str) -> Markup {
    html! {
        nav.tabs aria-label="Administration" {
            ul {
                @for (path, name) in [("/admin/users", "People and roles"), ("/admin/tokens", "API tokens"), ("/admin/webhooks", "Webhooks")] {
                    li { a href=(frame.href(path)) aria-current=[(path == current).then_some("page")] { (name) } }
                }
            }
        }
    }
}

fn role_boxes(prefix: &str) -> Markup {
    html! {
        fieldset {
            legend { "Roles" }
            @for r in Role::ALL {
                div.radio {
                    input type="checkbox" id=(format!("{prefix}-{}", r.as_str())) name="role" value=(r.as_str());
                    label for=(format!("{prefix}-{}", r.as_str())) { (label(r.as_str())) }
                }
            }
        }
    }
}

pub async fn users(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Markup, PageError> {
    let (frame, members) = state
        .page(creds, q.brand, |svc, caller, frame| {
            Ok(svc.user_list(&caller.actor, Some(frame.slug()))?)
        })
        .await?;
    let workspace_admin = frame.standing.as_ref().is_some_and(|s| s.workspace_admin);
    let body = html! {
        h1 { "Administration of " (frame.slug()) }
        (admin_tabs(&frame, "/admin/users"))
        @if let Some(done) = &q.done { p.alert.ok role="status" { (done) } }
        table {
            caption { "People in " (frame.slug()) }
            thead { tr { th scope="col" { "User" } th scope="col" { "Name" } th scope="col" { "Roles" } } }
            tbody {
                @for m in &members {
                    tr {
                        td { (m.user.name) @if m.user.is_admin { " " span.badge { "workspace admin" } } }
                        td { (m.user.display_name) }
                        td { (m.roles.iter().map(|r| label(r.as_str())).collect::<Vec<_>>().join(", ")) }
                    }
                }
            }
        }
        section aria-labelledby="grant-h" {
            h2 id="grant-h" { "Grant roles" }
            form.stack method="post" action="/admin/users/grant" {
                (frame.csrf_field())
                input type="hidden" name="brand" value=(frame.slug());
                div.field { label for="g-name" { "User name" } input id="g-name" name="name" type="text" required; }
                (role_boxes("g"))
                button type="submit" { "Grant" }
            }
        }
        @if workspace_admin {
            section aria-labelledby="add-h" {
                h2 id="add-h" { "Add a person" }
                form.stack method="post" action="/admin/users" {
                    (frame.csrf_field())
                    input type="hidden" name="brand" value=(frame.slug());
                    div.field { label for="u-name" { "User name" } input id="u-name" name="name" type="text" required autocomplete="off"; }
                    div.field { label for="u-display" { "Full name" } input id="u-display" name="display_name" type="text"; }
                    div.field {
                        label for="u-password" { "Password" }
                        span.hint id="u-password-hint" { "At least 10 characters; share it with them privately." }
                        input id="u-password" name="password" type="password" required minlength="10" autocomplete="new-password" aria-describedby="u-password-hint";
                    }
                    (role_boxes("u"))
                    button type="submit" { "Add" }
                }
            }
        }
    };
    Ok(page(&frame, Nav::Admin, "People and roles", body))
}

/// A form's fields, some repeated (`role`).
pub fn fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

pub fn field(pairs: &[(String, String)], name: &str) -> String {
    fields(pairs, name).into_iter().next().unwrap_or_default()
}

fn roles(pairs: &[(String, String)]) -> Result<Vec<Role>, ApiError> {
    fields(pairs, "role")
        .iter()
        .map(|r| word::<Role>("role", r))
        .collect()
}

pub async fn user_create(
    State(state): State<AppState>,
    creds: Credentials,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let roles = roles(&pairs)?;
    let brand = field(&pairs, "brand");
    let creds = creds.with_form_csrf(&field(&pairs, "csrf"));
    let slug = brand.clone();
    let user = state
        .run_as(creds, move |svc, caller| {
            svc.user_create(
                &caller.actor,
                &NewUser {
                    name: field(&pairs, "name").trim(),
                    display_name: field(&pairs, "display_name").trim(),
                    admin: false,
                    brand: Some(&slug),
                    roles: &roles,
                    password: Some(&field(&pairs, "password")),
                },
            )
        })
        .await?;
    Ok(see_other(&format!(
        "/admin/users?brand={brand}&done={}",
        super::signin::encode(&format!("Added {}.", user.name))
    )))
}

pub async fn user_grant(
    State(state): State<AppState>,
    creds: Credentials,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let roles = roles(&pairs)?;
    let brand = field(&pairs, "brand");
    let name = field(&pairs, "name").trim().to_string();
    let creds = creds.with_form_csrf(&field(&pairs, "csrf"));
    let (slug, who) = (brand.clone(), name.clone());
    state
        .run_as(creds, move |svc, caller| {
            svc.user_grant(&caller.actor, &who, &slug, &roles)
        })
        .await?;
    Ok(see_other(&format!(
        "/admin/users?brand={brand}&done={}",
        super::signin::encode(&format!("Roles granted to {name}."))
    )))
}

fn tokens_page(
    frame: &Frame,
    tokens: &[copydesk_core::account::ApiToken],
    issued: Option<&str>,
    done: Option<&str>,
) -> Markup {
    let body = html! {
        h1 { "Administration of " (frame.slug()) }
        (admin_tabs(frame, "/admin/tokens"))
        @if let Some(secret) = issued {
            div.alert.ok role="status" {
                p { strong { "Copy this token now: it is not shown again." } }
                p { code.secret id="new-token" { (secret) } }
            }
        }
        @if let Some(done) = done { p.alert.ok role="status" { (done) } }
        table {
            caption { "API tokens of " (frame.slug()) }
            thead { tr { th scope="col" { "Name" } th scope="col" { "Owner" } th scope="col" { "Role" } th scope="col" { "Starts with" } th scope="col" { "Created" } th scope="col" { "Last used" } th scope="col" { "Status" } } }
            tbody {
                @for t in tokens {
                    tr {
                        td { (t.name) }
                        td { (t.user_name) }
                        td { (label(t.role.as_str())) }
                        td { code { (t.prefix) "…" } }
                        td { (t.created_at.format("%Y-%m-%d")) }
                        td { @if let Some(at) = t.last_used_at { (at.format("%Y-%m-%d %H:%M")) } @else { "never" } }
                        td {
                            @if t.revoked_at.is_some() { "revoked" } @else {
                                form method="post" action=(format!("/admin/tokens/{}/revoke", t.id)) {
                                    (frame.csrf_field())
                                    input type="hidden" name="brand" value=(frame.slug());
                                    button type="submit" aria-label=(format!("Revoke token {}", t.name)) { "Revoke" }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="token-h" {
            h2 id="token-h" { "New token" }
            p { "A token acts as you, in this brand only, with the one role you give it." }
            form.stack method="post" action="/admin/tokens" {
                (frame.csrf_field())
                input type="hidden" name="brand" value=(frame.slug());
                div.field { label for="t-name" { "What uses it" } input id="t-name" name="name" type="text" required; }
                div.field {
                    label for="t-role" { "Role" }
                    select id="t-role" name="role" {
                        @for r in Role::ALL { option value=(r.as_str()) { (label(r.as_str())) } }
                    }
                }
                button type="submit" { "Create token" }
            }
        }
    };
    page(frame, Nav::Admin, "API tokens", body)
}

pub async fn tokens(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Markup, PageError> {
    let (frame, tokens) = state
        .page(creds, q.brand, |svc, caller, frame| {
            Ok(svc.token_list(&caller.actor, frame.slug())?)
        })
        .await?;
    Ok(tokens_page(&frame, &tokens, None, q.done.as_deref()))
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    csrf: String,
    brand: String,
    name: String,
    role: String,
}

pub async fn token_create(
    State(state): State<AppState>,
    creds: Credentials,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    let role: Role = word("role", &form.role)?;
    let creds = creds.with_form_csrf(&form.csrf);
    // the secret is shown in this response only, never in a URL or a redirect
    let (frame, (issued, tokens)) = state
        .page(creds, Some(form.brand), move |svc, caller, frame| {
            let issued = svc.token_create(&caller.actor, frame.slug(), role, &form.name)?;
            let tokens = svc.token_list(&caller.actor, frame.slug())?;
            Ok((issued.secret, tokens))
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        tokens_page(&frame, &tokens, Some(issued.expose()), None),
    )
        .into_response())
}

pub async fn token_revoke(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<PlainForm>,
) -> Result<Response, PageError> {
    let creds = creds.with_form_csrf(&form.csrf);
    let brand = form.brand;
    state
        .run_as(creds, move |svc, caller| {
            svc.token_revoke(&caller.actor, TokenId(id))
        })
        .await?;
    Ok(see_other(&format!(
        "/admin/tokens?brand={brand}&done=Token+revoked."
    )))
}
