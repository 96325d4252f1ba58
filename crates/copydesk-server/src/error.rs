//! One error body for every failure: `{"error":{"code":"…","message":"…"}}`, with the status
//! that says what kind of failure it is.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection, StringRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use copydesk_core::review::RuleError;
use copydesk_service::{ErrorKind, ServiceError};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `not_found`, `forbidden`, `invalid`, `conflict`, …
    pub code: String,
    /// What went wrong and what to do, for people.
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 413, naming the limit when it is known here.
    pub fn payload_too_large(limit: Option<usize>) -> ApiError {
        let message = match limit {
            Some(n) => format!("the request body is larger than the {n} bytes the server accepts"),
            None => "the request body is larger than the server accepts".to_string(),
        };
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> ApiError {
        let (status, code) = match (&e, e.kind()) {
            // the asset's state does not allow it: a conflict with the resource, not a
            // permission the caller lacks
            (ServiceError::Rule(RuleError::IllegalTransition { .. }), _) => {
                (StatusCode::CONFLICT, "conflict")
            }
            (_, kind) => match kind {
                ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
                ErrorKind::Refused => (StatusCode::FORBIDDEN, "forbidden"),
                ErrorKind::Conflict => (StatusCode::CONFLICT, "conflict"),
                ErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
                ErrorKind::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
                ErrorKind::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
                ErrorKind::Provider => (StatusCode::BAD_GATEWAY, "provider"),
                ErrorKind::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            },
        };
        let retry_after = match &e {
            ServiceError::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        // a database failure's text can name tables and paths; log it, do not send it
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "internal error");
            "something went wrong on the server; the request changed nothing".to_string()
        } else {
            e.to_string()
        };
        ApiError {
            status,
            code,
            message,
            retry_after,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r {
            JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::payload_too_large(None)
            }
            JsonRejection::JsonDataError(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("the JSON body does not fit: {}", e.body_text()),
            ),
            other => ApiError::bad_request(other.body_text()),
        }
    }
}

/// A text body (a CSV upload): too large is 413, not UTF-8 is 400, as for JSON bodies.
impl From<StringRejection> for ApiError {
    fn from(r: StringRejection) -> ApiError {
        match r {
            StringRejection::InvalidUtf8(e) => {
                ApiError::bad_request(format!("the body is not UTF-8 text: {}", e.body_text()))
            }
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::payload_too_large(None)
            }
            other => ApiError::bad_request(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::not_found(r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry = self.retry_after_header();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(v) = retry {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl ApiError {
    /// `Retry-After` for a refusal that passes with time (429), in seconds.
    pub fn retry_after_header(&self) -> Option<HeaderValue> {
        self.retry_after
            .and_then(|secs| HeaderValue::from_str(&secs.to_string()).ok())
    }
}
