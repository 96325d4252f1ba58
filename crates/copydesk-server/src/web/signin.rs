//! Signing in and out with a form.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use copydesk_service::SESSION_IDLE;
use maud::{html, Markup};
use serde::Deserialize;

use super::frame::bare;
use super::PageError;
use crate::api::session::session_cookie;
use crate::auth::{Credential, Credentials};
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Only paths of this site are followed after sign-in (`//host` would leave it).
fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\") => p,
        _ => "/queue",
    }
}

fn sign_in_page(next: &str, user: &str, problem: Option<&str>) -> Markup {
    bare(
        "Sign in",
        html! {
            h1 { "Sign in to copydesk" }
            @if let Some(problem) = problem {
                p.alert.error role="alert" id="signin-problem" { (problem) }
            }
            form.stack method="post" action="/signin" {
                input type="hidden" name="next" value=(next);
                label for="user" { "User name" }
                input id="user" name="user" type="text" autocomplete="username" required autofocus value=(user);
                label for="password" { "Password" }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                button type="submit" { "Sign in" }
            }
        },
    )
}

pub async fn form(Query(q): Query<Next>) -> Markup {
    sign_in_page(local_path(q.next.as_deref()), "", None)
}

// no Debug: it holds a password
#[derive(Deserialize)]
pub struct SignInForm {
    user: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = local_path(form.next.as_deref()).to_string();
    let user = form.user.clone();
    let ip = peer.ip().to_string();
    let outcome = state
        .pool
        .run(move |svc| svc.sign_in(&form.user, &form.password, &ip))
        .await;
    match outcome {
        Ok(signed_in) => {
            let mut headers = HeaderMap::new();
            if let Some(cookie) = session_cookie(
                &state,
                signed_in.session_token.expose(),
                SESSION_IDLE.num_seconds(),
            ) {
                headers.insert(header::SET_COOKIE, cookie);
            }
            (headers, super::see_other(&next)).into_response()
        }
        Err(e) => {
            let e: ApiError = e;
            let mut response =
                (e.status, sign_in_page(&next, &user, Some(&e.message))).into_response();
            if let Some(v) = e.retry_after_header() {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    csrf: String,
    #[serde(default)]
    everywhere: Option<String>,
}

pub async fn sign_out(
    State(state): State<AppState>,
    creds: Credentials,
    Form(form): Form<SignOutForm>,
) -> Result<Response, PageError> {
    let everywhere = form.everywhere.is_some();
    state
        .run_as(creds.with_form_csrf(&form.csrf), move |svc, caller| match (
            &caller.credential,
            everywhere,
        ) {
            (Credential::Session { token, .. }, false) => svc.sign_out(token.expose()),
            _ => svc.sign_out_everywhere(&caller.actor).map(|_| ()),
        })
        .await?;
    let mut headers = HeaderMap::new();
    if let Some(cookie) = session_cookie(&state, "", 0) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    Ok((
        StatusCode::SEE_OTHER,
        headers,
        [(header::LOCATION, "/signin")],
    )
        .into_response())
}
