//! Who is calling: an API token (`Authorization: Bearer cdk_…`) or a session cookie. Requests
//! that change something with a cookie must also carry the session's CSRF token (the
//! `X-CSRF-Token` header, or the `csrf` form field on web pages), so another site cannot make a
//! signed-in browser act.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, Method};
use copydesk_service::Actor;

use crate::error::ApiError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "copydesk_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Token,
    Session { token: String, csrf: String },
}

/// An authenticated caller; extracting it fails with 401 when there are no valid credentials.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub credential: Credential,
}

pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

pub fn session_cookie(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl Caller {
    pub async fn from_parts(parts: &Parts, state: &AppState) -> Result<Option<Caller>, ApiError> {
        if let Some(token) = bearer(parts) {
            let token = token.to_string();
            let actor = state
                .pool
                .run(move |svc| svc.token_actor(&token))
                .await?
                .ok_or_else(|| ApiError::unauthenticated("the API token is unknown or revoked"))?;
            return Ok(Some(Caller {
                actor,
                credential: Credential::Token,
            }));
        }
        let Some(cookie) = session_cookie(parts) else {
            return Ok(None);
        };
        let token = cookie.to_string();
        let lookup = token.clone();
        let Some(session) = state
            .pool
            .run(move |svc| svc.session_actor(&lookup))
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(Caller {
            actor: session.actor,
            credential: Credential::Session {
                token,
                csrf: session.csrf_token,
            },
        }))
    }

    /// Requires the CSRF token for a state-changing request authenticated by cookie.
    pub fn check_csrf(&self, method: &Method, given: Option<&str>) -> Result<(), ApiError> {
        let Credential::Session { csrf, .. } = &self.credential else {
            return Ok(());
        };
        if !changes_state(method) {
            return Ok(());
        }
        match given {
            Some(g) if same_secret(g, csrf) => Ok(()),
            _ => Err(ApiError::forbidden(
                "csrf",
                "this request changes something and needs the session's CSRF token (X-CSRF-Token header)",
            )),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let caller = Caller::from_parts(parts, state)
            .await?
            .ok_or_else(|| ApiError::unauthenticated("sign in, or send an API token"))?;
        let given = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        caller.check_csrf(&parts.method, given)?;
        Ok(caller)
    }
}
