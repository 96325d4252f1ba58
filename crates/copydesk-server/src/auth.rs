//! Who is calling: an API token (`Authorization: Bearer cdk_…`) or a session cookie. Requests
//! that change something with a cookie must also carry the session's CSRF token (the
//! `X-CSRF-Token` header), so another site cannot make a signed-in browser act.
//!
//! Reading the credentials touches nothing; checking them needs the database, so it happens
//! in the same service lease as the operation itself ([`crate::AppState::run_as`]).

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, Method};
use copydesk_core::secret::Secret;
use copydesk_service::{Actor, Service};
use subtle::ConstantTimeEq;

use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "copydesk_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The credentials a request presents, not yet checked.
#[derive(Debug, Clone)]
pub struct Credentials {
    presented: Option<Presented>,
    changes_state: bool,
    csrf_given: Option<Secret>,
}

#[derive(Debug, Clone)]
enum Presented {
    Token(Secret),
    Session(Secret),
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Token,
    /// `csrf` is what forms of this session must send back.
    Session {
        token: Secret,
        csrf: Secret,
    },
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub credential: Credential,
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

fn session_cookie(parts: &Parts) -> Option<&str> {
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

impl<S: Send + Sync> FromRequestParts<S> for Credentials {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Credentials, Infallible> {
        let presented = match bearer(parts) {
            Some(token) => Some(Presented::Token(Secret::new(token))),
            None => session_cookie(parts).map(|c| Presented::Session(Secret::new(c))),
        };
        Ok(Credentials {
            presented,
            changes_state: !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS),
            csrf_given: parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(Secret::new),
        })
    }
}

impl Credentials {
    /// The CSRF token an HTML form carried (its `csrf` field), in place of the header.
    pub fn with_form_csrf(mut self, csrf: &str) -> Credentials {
        self.csrf_given = Some(Secret::new(csrf));
        self
    }

    /// The caller these credentials prove: 401 when there are none or they are not valid,
    /// 403 `csrf` for a state-changing request made with a cookie but without its CSRF token.
    pub fn authenticate(&self, svc: &mut Service) -> Result<Caller, ApiError> {
        match &self.presented {
            None => Err(ApiError::unauthenticated("sign in, or send an API token")),
            Some(Presented::Token(secret)) => {
                let actor = svc.token_actor(secret.expose())?.ok_or_else(|| {
                    ApiError::unauthenticated("the API token is unknown or revoked")
                })?;
                Ok(Caller {
                    actor,
                    credential: Credential::Token,
                })
            }
            Some(Presented::Session(token)) => {
                let session = svc.session_actor(token.expose())?.ok_or_else(|| {
                    ApiError::unauthenticated("the session has ended; sign in again")
                })?;
                if self.changes_state {
                    let given = self
                        .csrf_given
                        .as_ref()
                        .map_or(&b""[..], |g| g.expose().as_bytes());
                    let expected = session.csrf_token.expose().as_bytes();
                    if !bool::from(given.ct_eq(expected)) {
                        return Err(ApiError::forbidden(
                            "csrf",
                            "this request changes something and needs the session's CSRF token (the X-CSRF-Token header; sign-in returns it)",
                        ));
                    }
                }
                Ok(Caller {
                    actor: session.actor,
                    credential: Credential::Session {
                        token: token.clone(),
                        csrf: session.csrf_token,
                    },
                })
            }
        }
    }
}
