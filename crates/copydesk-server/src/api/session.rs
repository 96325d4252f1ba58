//! Signing in and out, and who the caller is.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use copydesk_core::org::Brand;
use serde::{Deserialize, Serialize};

use copydesk_service::SESSION_IDLE;

use super::{Body, Query};
use crate::auth::{Credential, Credentials, SESSION_COOKIE};
use crate::error::ApiError;
use crate::AppState;

// no Debug: it holds a password
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SignIn {
    pub user: String,
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    pub user: String,
    /// Send it back as the `X-CSRF-Token` header on requests that change something.
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: String,
    /// `session` or `token`.
    pub signed_in_with: &'static str,
    #[schema(value_type = Vec<Object>)]
    pub brands: Vec<Brand>,
}

pub fn session_cookie(state: &AppState, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// Sign in with a user name and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses((status = 200, body = SignedIn), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Body(form): Body<SignIn>,
) -> Result<Response, ApiError> {
    let ip = peer.ip().to_string();
    let signed_in = state
        .pool
        .run(move |svc| svc.sign_in(&form.user, &form.password, &ip))
        .await?;
    let mut headers = HeaderMap::new();
    let max_age = SESSION_IDLE.num_seconds();
    if let Some(cookie) = session_cookie(&state, signed_in.session_token.expose(), max_age) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    let body = SignedIn {
        user: signed_in.user,
        csrf_token: signed_in.csrf_token.expose().to_string(),
        expires_at: signed_in.expires_at,
    };
    Ok((headers, Json(body)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EverywhereQuery {
    pub everywhere: Option<bool>,
}

/// Sign out: ends this session, or with `?everywhere=true` every session of the user.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    params(("everywhere" = Option<bool>, Query, description = "end every session of the user")),
    responses((status = 204), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody)))]
pub async fn sign_out(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<EverywhereQuery>,
) -> Result<Response, ApiError> {
    let everywhere = q.everywhere.unwrap_or(false);
    state
        .run_as(creds, move |svc, caller| {
            match (&caller.credential, everywhere) {
                (_, true) => Ok(svc.sign_out_everywhere(&caller.actor).map(|_| ())?),
                (Credential::Session { token, .. }, false) => Ok(svc.sign_out(token.expose())?),
                (Credential::Token, false) => Err(ApiError::bad_request(
                    "an API token has no session to end; revoke the token instead",
                )),
            }
        })
        .await?;
    let mut headers = HeaderMap::new();
    if let Some(cookie) = session_cookie(&state, "", 0) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// The signed-in user and the brands they can see.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, creds: Credentials) -> Result<Json<Me>, ApiError> {
    let me = state
        .run_as(creds, |svc, caller| {
            Ok::<_, ApiError>(Me {
                user: caller.actor.name().to_string(),
                signed_in_with: match caller.credential {
                    Credential::Token => "token",
                    Credential::Session { .. } => "session",
                },
                brands: svc.brand_list(&caller.actor)?,
            })
        })
        .await?;
    Ok(Json(me))
}
