//! The reviewers' web app: server-rendered pages (maud) over the same service calls as the
//! API, with a little plain JavaScript for live brief feedback and anchoring comments to a
//! selection. Pages work without it: every action is an ordinary form.
//!
//! Forms that change something carry the session's CSRF token in a `csrf` field; the check
//! is the API's (`Credentials::authenticate`), fed from the form instead of a header.

mod admin;
mod admin_webhooks;
mod assets;
mod audit;
mod briefs;
mod experiments;
mod frame;
mod queue;
mod signin;
mod static_files;
mod text;

use axum::extract::{OriginalUri, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use copydesk_service::Service;
use maud::html;
use serde::Deserialize;

use crate::auth::{Caller, Credentials};
use crate::error::ApiError;
use crate::AppState;

pub use frame::Frame;

/// Every page and form target of the web app.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/queue") }))
        .route("/signin", get(signin::form).post(signin::submit))
        .route("/signout", post(signin::sign_out))
        .route("/queue", get(queue::page_handler))
        .route("/briefs", get(briefs::list).post(briefs::create))
        .route("/briefs/new", get(briefs::new_form))
        .route("/briefs/check", post(briefs::check_draft))
        .route("/briefs/{id}", get(briefs::show).post(briefs::edit))
        .route("/briefs/{id}/sources", post(briefs::source_add))
        .route("/assets", get(assets::list).post(assets::create))
        .route("/assets/new", get(assets::new_form))
        .route("/assets/{id}", get(assets::show))
        .route("/assets/{id}/versions", post(assets::version_add))
        .route("/assets/{id}/diff", get(assets::diff))
        .route("/assets/{id}/submit", post(assets::submit))
        .route("/assets/{id}/decisions", post(assets::decide))
        .route("/assets/{id}/comments", post(assets::comment))
        .route("/assets/{id}/publish", post(assets::publish))
        .route("/assets/{id}/audit", get(audit::asset))
        .route("/audit", get(audit::all))
        .route("/experiments", get(experiments::list))
        .route("/experiments/{id}", get(experiments::show))
        .route("/experiments/{id}/start", post(experiments::start))
        .route("/experiments/{id}/stop", post(experiments::stop))
        .route("/experiments/{id}/results", post(experiments::import))
        .route("/admin/users", get(admin::users).post(admin::user_create))
        .route("/admin/users/grant", post(admin::user_grant))
        .route(
            "/admin/tokens",
            get(admin::tokens).post(admin::token_create),
        )
        .route("/admin/tokens/{id}/revoke", post(admin::token_revoke))
        .route(
            "/admin/webhooks",
            get(admin_webhooks::webhooks).post(admin_webhooks::webhook_create),
        )
        .route(
            "/admin/webhooks/{id}",
            post(admin_webhooks::webhook_set_active),
        )
        .route("/static/{file}", get(static_files::serve))
        .layer(axum::middleware::from_fn(to_sign_in))
}

/// A page that could not be shown: the API's error, rendered for people.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let ApiError {
            status, message, ..
        } = self.0;
        let mut response = (
            status,
            frame::bare(
                "Something went wrong",
                html! {
                    h1 { (status.canonical_reason().unwrap_or("Error")) }
                    p role="alert" { (message) }
                    p { a href="/queue" { "Back to my queue" } }
                },
            ),
        )
            .into_response();
        response.extensions_mut().insert(PageStatus(status));
        response
    }
}

#[derive(Clone, Copy)]
struct PageStatus(StatusCode);

/// Pages answered 401 send the browser to sign in, and back here afterwards.
async fn to_sign_in(OriginalUri(uri): OriginalUri, request: Request, next: Next) -> Response {
    let is_get = request.method() == axum::http::Method::GET;
    let response = next.run(request).await;
    let unauthenticated = response
        .extensions()
        .get::<PageStatus>()
        .is_some_and(|s| s.0 == StatusCode::UNAUTHORIZED);
    if !unauthenticated {
        return response;
    }
    let back = if is_get {
        uri.path_and_query().map(|p| p.as_str()).unwrap_or("/queue")
    } else {
        "/queue"
    };
    let target = format!("/signin?next={}", signin::encode(back));
    Redirect::to(&target).into_response()
}

impl AppState {
    /// Runs `op` for a signed-in person and gathers what every page's frame shows (who,
    /// their brands, the chosen one, the form token), in the same service lease.
    pub async fn page<T, F>(
        &self,
        credentials: Credentials,
        brand: Option<String>,
        op: F,
    ) -> Result<(Frame, T), PageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Service, &Caller, &Frame) -> Result<T, ApiError> + Send + 'static,
    {
        self.run_as(credentials, move |svc, caller| {
            let frame = Frame::gather(svc, caller, brand)?;
            let out = op(svc, caller, &frame)?;
            Ok::<_, ApiError>((frame, out))
        })
        .await
        .map_err(PageError)
    }
}

/// The query of a page within one brand; `done` is what the previous form achieved.
#[derive(Debug, Deserialize)]
pub struct BrandQuery {
    pub brand: Option<String>,
    pub done: Option<String>,
}

/// A form that carries nothing but its token and the brand.
#[derive(Debug, Deserialize)]
pub struct PlainForm {
    pub csrf: String,
    pub brand: String,
}

/// Where a form sends the browser after it succeeded (303: the next request is a GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// What a form just did, said once at the top of the page it leads to.
pub enum Notice {
    None,
    Done(String),
    Failed(String),
}

impl Notice {
    /// The notice for a page's `done` query parameter: what the form that led here achieved,
    /// looked up among the page's own `said` sentences (anything else says nothing).
    pub fn after(done: Option<&str>, said: &[(&str, &str)]) -> Notice {
        done.and_then(|d| said.iter().find(|(key, _)| *key == d))
            .map_or(Notice::None, |(_, sentence)| {
                Notice::Done((*sentence).to_string())
            })
    }
}

impl maud::Render for Notice {
    fn render(&self) -> maud::Markup {
        html! {
            @match self {
                Notice::Done(m) => p.alert.ok role="status" { (m) },
                Notice::Failed(m) => p.alert.error role="alert" id="action-problem" { (m) },
                Notice::None => {},
            }
        }
    }
}

/// Runs a form's action with the form's CSRF token: on success the browser goes to `then`;
/// on failure `again` shows the page once more with why, under the error's status (a caller
/// who is no longer signed in goes to the sign-in page instead).
pub async fn act<T, E, F, R, Fut>(
    state: &AppState,
    creds: Credentials,
    csrf: &str,
    then: String,
    op: F,
    again: R,
) -> Result<Response, PageError>
where
    T: Send + 'static,
    E: Into<ApiError>,
    F: FnOnce(&mut Service, &Caller) -> Result<T, E> + Send + 'static,
    R: FnOnce(Credentials, ApiError) -> Fut,
    Fut: std::future::Future<Output = Result<Response, PageError>>,
{
    let creds = creds.with_form_csrf(csrf);
    match state.run_as(creds.clone(), op).await {
        Ok(_) => Ok(see_other(&then)),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => Err(PageError(e)),
        Err(e) => again(creds, e).await,
    }
}
