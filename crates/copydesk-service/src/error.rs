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
    /// An AI provider failed or could not be reached; nothing was saved.
    Provider,
    /// No valid credentials were given (wrong password, expired session, revoked token).
    Unauthenticated,
    /// Too many attempts; try again later.
    RateLimited,
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
    /// Generation refused: the brief does not answer what a draft needs.
    #[error("brief {brief} is not complete enough to write from ({} gap{}):\n{}\n(`copydesk brief check {brief}` shows the same; edit the brief, then try again)",
        gaps.len(), if gaps.len() == 1 { "" } else { "s" },
        gaps.iter().map(|g| format!("  - {}: {}", g.field, g.message)).collect::<Vec<_>>().join("\n"))]
    BriefIncomplete {
        brief: copydesk_core::BriefId,
        gaps: Vec<copydesk_core::brief::Gap>,
    },
    /// The prompt holds personal data and the provider is external; the policy blocks it.
    /// Each finding names the message (system or user) its line and column count in.
    #[error("the prompt for {provider} (an external provider) holds personal data, and the brand policy blocks sending it ([ai] external_pii = \"block\"):\n{}\nRemove it from the brief or its sources (`copydesk prompt render` shows the prompt), use a local provider, or set external_pii = \"redact\"",
        found.iter().map(|(message, p)| format!("  - {message} message, line {}, column {}: {}", p.line, p.column, p.message)).collect::<Vec<_>>().join("\n"))]
    PrivacyBlocked {
        provider: String,
        found: Vec<(&'static str, copydesk_assist::privacy::PersonalData)>,
    },
    #[error(transparent)]
    Prompt(#[from] copydesk_assist::prompt::PromptError),
    #[error(transparent)]
    Provider(#[from] copydesk_provider::ProviderError),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{message}")]
    RateLimited {
        message: String,
        /// Seconds until the caller may try again.
        retry_after: u64,
    },
}

impl ServiceError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::NotFound(_) => ErrorKind::NotFound,
            ServiceError::Forbidden(_) => ErrorKind::Refused,
            ServiceError::Rule(RuleError::Conflict(_)) => ErrorKind::Conflict,
            ServiceError::Rule(RuleError::Invalid(_)) => ErrorKind::Invalid,
            ServiceError::Rule(_) => ErrorKind::Refused,
            ServiceError::BriefIncomplete { .. } | ServiceError::PrivacyBlocked { .. } => {
                ErrorKind::Refused
            }
            ServiceError::Invalid(_)
            | ServiceError::Policy { .. }
            | ServiceError::Prompt(_)
            | ServiceError::Guardrails(_) => ErrorKind::Invalid,
            ServiceError::Provider(_) => ErrorKind::Provider,
            ServiceError::Unauthenticated(_) => ErrorKind::Unauthenticated,
            ServiceError::RateLimited { .. } => ErrorKind::RateLimited,
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
