//! Failures at the binary's edge and their exit codes.

use std::fmt;

use copydesk_service::{ErrorKind, ServiceError};

/// Exit codes, as documented in `--help`.
pub const EXIT_REFUSED: u8 = 1;
pub const EXIT_INPUT: u8 = 2;
pub const EXIT_NOT_FOUND: u8 = 3;
pub const EXIT_INTERNAL: u8 = 4;
/// An AI provider failed or could not be reached (nothing was saved); retrying may help.
pub const EXIT_PROVIDER: u8 = 5;

/// A failure with the exit code it ends the process with.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_INPUT,
            message: message.into(),
        }
    }

    /// Ends the process with `code` and prints nothing more.
    pub fn silent(code: u8) -> Failure {
        Failure {
            code,
            message: String::new(),
        }
    }

    pub fn refused(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_REFUSED,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

pub fn code_of(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Refused | ErrorKind::Conflict | ErrorKind::Unauthenticated => EXIT_REFUSED,
        ErrorKind::RateLimited => EXIT_REFUSED,
        ErrorKind::Invalid => EXIT_INPUT,
        ErrorKind::NotFound => EXIT_NOT_FOUND,
        ErrorKind::Internal => EXIT_INTERNAL,
        ErrorKind::Provider => EXIT_PROVIDER,
    }
}

impl From<ServiceError> for Failure {
    fn from(e: ServiceError) -> Failure {
        let message = match e.kind() {
            ErrorKind::Conflict => format!("conflict: {e}"),
            _ => e.to_string(),
        };
        Failure {
            code: code_of(e.kind()),
            message,
        }
    }
}

impl From<copydesk_store::StoreError> for Failure {
    fn from(e: copydesk_store::StoreError) -> Failure {
        Failure::from(ServiceError::from(e))
    }
}

/// The exit code for any error that reaches `main`.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    if let Some(f) = e.downcast_ref::<Failure>() {
        return f.code;
    }
    if let Some(s) = e.downcast_ref::<ServiceError>() {
        return code_of(s.kind());
    }
    EXIT_INTERNAL
}
