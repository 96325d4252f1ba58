use copydesk_core::review::RuleError;
use copydesk_store::StoreError;
use thiserror::Error;

/// What kind of failure an error is; the CLI maps it to an exit code, the server to a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A workflow rule or a permission refused the action.
    Refused,
    /// Someone else changed the same thing first.
    Conflict,
    /// The request or its input is malformed.
    Invalid,
    /// What was asked for does not exist (or is in a brand the actor cannot see).
    NotFound,
    /// The database failed in a way the user cannot fix by changing the request.
    Internal,
}

#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {message}")]
    Policy { path: String, message: String },
    /// A brand kit's guardrail file is invalid (it names the file, line and key).
    #[error(transparent)]
    Guardrails(copydesk_guard::RuleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ServiceError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::NotFound(_) => ErrorKind::NotFound,
            ServiceError::Forbidden(_) => ErrorKind::Refused,
            ServiceError::Rule(RuleError::Conflict(_)) => ErrorKind::Conflict,
            ServiceError::Rule(RuleError::Invalid(_)) => ErrorKind::Invalid,
            ServiceError::Rule(_) => ErrorKind::Refused,
            ServiceError::Invalid(_)
            | ServiceError::Policy { .. }
            | ServiceError::Guardrails(_) => ErrorKind::Invalid,
            ServiceError::Store(e) => match e {
                StoreError::Conflict(_) => ErrorKind::Conflict,
                StoreError::Busy { .. }
                | StoreError::NewerSchema { .. }
                | StoreError::Open { .. } => ErrorKind::Invalid,
                _ => ErrorKind::Internal,
            },
        }
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
