//! The JSON API under `/api/v1`. Every handler authenticates the caller, then makes exactly
//! one service call: the service checks role × brand and the workflow rules, so nothing here
//! decides who may do what. Every route is registered through `utoipa_axum::routes!`, so the
//! OpenAPI document lists exactly the routes the server answers.

mod assets;
mod briefs;
mod experiments;
mod org;
mod reviews;
pub(crate) mod session;
mod webhooks;

use axum::extract::{FromRequest, FromRequestParts};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::AppState;

/// Largest page a list returns.
pub const MAX_LIMIT: u32 = 200;
const DEFAULT_LIMIT: u32 = 50;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "copydesk",
        description = "Human decides, AI assists, human approves: briefs, assets, versions, reviews and the audit trail of one copydesk workspace."
    ),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

/// The API's routes and the OpenAPI document that describes them.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::sign_in, session::sign_out))
        .routes(routes!(session::me))
        .routes(routes!(org::brands))
        .routes(routes!(org::tokens, org::token_create))
        .routes(routes!(org::token_revoke))
        .routes(routes!(org::audit))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::change))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(briefs::list, briefs::create))
        .routes(routes!(briefs::show, briefs::edit))
        .routes(routes!(briefs::check))
        .routes(routes!(briefs::sources, briefs::source_add))
        .routes(routes!(assets::list, assets::create))
        .routes(routes!(assets::show))
        .routes(routes!(assets::versions, assets::version_add))
        .routes(routes!(assets::version))
        .routes(routes!(assets::diff))
        .routes(routes!(reviews::queue))
        .routes(routes!(reviews::submit))
        .routes(routes!(reviews::decide))
        .routes(routes!(reviews::comment))
        .routes(routes!(reviews::publish))
        .routes(routes!(experiments::list, experiments::create))
        .routes(routes!(experiments::show))
        .routes(routes!(experiments::variant_add))
        .routes(routes!(experiments::start))
        .routes(routes!(experiments::stop))
        .routes(routes!(experiments::analysis))
        .routes(routes!(experiments::import))
}

/// A cursor-paged list: pass `next` back as `after` for the following page.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// A page of at most `limit` items (the service was asked for one more, to know whether
    /// another page follows); `key` gives the cursor of an item.
    pub fn of(mut items: Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> Page<T> {
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next = if more { items.last().map(key) } else { None };
        Page { items, next }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct Paging {
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[serde(default, deserialize_with = "number_in_query")]
    #[param(value_type = Option<u32>)]
    #[schema(value_type = Option<u32>)]
    pub limit: Option<u32>,
}

/// A number from a query string. Query structs that `#[serde(flatten)]` `Paging` hand its
/// fields over as strings, which a plain `u32` refuses, so both forms are taken.
fn number_in_query<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        Number(u32),
        Text(String),
    }
    match Option::<Given>::deserialize(d)? {
        None => Ok(None),
        Some(Given::Number(n)) => Ok(Some(n)),
        Some(Given::Text(t)) => t.trim().parse().map(Some).map_err(|_| {
            serde::de::Error::custom(format!(
                "limit {t}: give a whole number from 1 to {MAX_LIMIT}"
            ))
        }),
    }
}

impl Paging {
    pub fn limit(&self) -> Result<u32, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(n) => Err(ApiError::bad_request(format!(
                "limit {n}: give 1 to {MAX_LIMIT}"
            ))),
        }
    }

    /// `after` as a number id.
    pub fn after_id(&self) -> Result<Option<i64>, ApiError> {
        self.after
            .as_deref()
            .map(|a| {
                a.parse::<i64>().map_err(|_| {
                    ApiError::bad_request(format!("after {a}: not a cursor from this list"))
                })
            })
            .transpose()
    }
}

/// `Json` whose rejections are the API's error body (400, 413 or 422).
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

/// `Query` whose rejections are the API's error body (400).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `Path` whose rejections are the API's error body (404: no such resource).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// Parses a vocabulary word from a request, naming the field on failure.
pub fn word<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, ApiError>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("{field}: {e}"),
        )
    })
}
