//! What can go wrong talking to a provider, in words a person can act on.
//!
//! Every message names the provider and says what to do next. None contains the API key:
//! the key is never put in an error, and text the server sends back (which could echo it)
//! is scrubbed before it is stored here.

use std::time::Duration;

use crate::ConfigError;

/// A failed provider call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// The configuration names an environment variable for the key, and it is unset or empty.
    #[error(
        "provider `{provider}`: the environment variable `{env}` that should hold the API key \
         is not set or is empty; export it before running copydesk"
    )]
    MissingKey { provider: String, env: String },

    /// The configuration cannot work.
    #[error(transparent)]
    Config(#[from] ConfigError),

    /// 401 or 403: the key is wrong, expired or lacks access. Never retried.
    #[error(
        "provider `{provider}` refused the credentials (HTTP {status}): {message}; check the \
         API key in the environment variable named by `api_key_env`"
    )]
    Unauthorized {
        provider: String,
        status: u16,
        message: String,
    },

    /// Another 4xx (model not found, context too long, bad parameter), or 501 (the server
    /// lacks the endpoint). Never retried: the same request would fail the same way.
    #[error(
        "provider `{provider}` rejected the request (HTTP {status}): {message}; check `model`, \
         `base_url` and the size of the prompt"
    )]
    BadRequest {
        provider: String,
        status: u16,
        message: String,
    },

    /// 429 on every attempt.
    #[error(
        "provider `{provider}` is rate limiting requests (HTTP 429) after {attempts} \
         attempt(s){}; wait and try again, or raise the account's limits",
        retry_after_hint(retry_after)
    )]
    RateLimited {
        provider: String,
        attempts: u32,
        /// The server's last `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },

    /// 5xx (or 408 / 409) on every attempt.
    #[error(
        "provider `{provider}` failed (HTTP {status}) after {attempts} attempt(s): {message}; \
         try again later or check the server's logs"
    )]
    Server {
        provider: String,
        status: u16,
        message: String,
        attempts: u32,
        /// The server's last `Retry-After`, when it sent one (a 503 may).
        retry_after: Option<Duration>,
    },

    /// No answer (or, when streaming, no new bytes) within `timeout_secs`.
    #[error(
        "provider `{provider}` did not answer within {after:?} ({attempts} attempt(s)); raise \
         `timeout_secs` or check that the server is not overloaded"
    )]
    Timeout {
        provider: String,
        after: Duration,
        attempts: u32,
    },

    /// No connection could be made (refused, unknown host, TLS failure, connect timeout).
    #[error(
        "could not reach provider `{provider}` at {url} after {attempts} attempt(s): {detail}; \
         check that the server is running and that `base_url` is right"
    )]
    Connect {
        provider: String,
        /// The endpoint without credentials or query.
        url: String,
        detail: String,
        attempts: u32,
    },

    /// The answer is not the protocol's JSON (or SSE).
    #[error(
        "provider `{provider}` answered something that is not the OpenAI-compatible protocol: \
         {detail}; check that `base_url` is the API root (for most servers it ends in /v1)"
    )]
    Malformed { provider: String, detail: String },

    /// The stream ended (or the connection dropped) before the server said it was done.
    #[error(
        "provider `{provider}` stopped answering partway: the stream ended after \
         {received_chars} character(s) without saying it was done; try again"
    )]
    StreamCut {
        provider: String,
        /// Characters of text received before the cut (already passed to `on_delta`).
        received_chars: usize,
    },

    /// The caller cancelled through [`Cancel`](crate::Cancel).
    #[error("the request to provider `{provider}` was cancelled")]
    Cancelled { provider: String },

    /// A successful answer with no text.
    #[error(
        "provider `{provider}` answered with no text; try again, or check `max_tokens` and that \
         the model is a chat model"
    )]
    Empty { provider: String },
}

fn retry_after_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(" (it asked to wait {}s)", d.as_secs_f64().ceil()),
        None => String::new(),
    }
}

impl ProviderError {
    /// Whether trying the same request again might succeed: rate limits, server errors,
    /// timeouts, connection failures, and a stream cut before any text arrived.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. }
            | Self::Server { .. }
            | Self::Timeout { .. }
            | Self::Connect { .. } => true,
            Self::StreamCut { received_chars, .. } => *received_chars == 0,
            Self::MissingKey { .. }
            | Self::Config(_)
            | Self::Unauthorized { .. }
            | Self::BadRequest { .. }
            | Self::Malformed { .. }
            | Self::Cancelled { .. }
            | Self::Empty { .. } => false,
        }
    }

    /// The provider the error is about.
    pub fn provider(&self) -> &str {
        match self {
            Self::Config(e) => &e.provider,
            Self::MissingKey { provider, .. }
            | Self::Unauthorized { provider, .. }
            | Self::BadRequest { provider, .. }
            | Self::RateLimited { provider, .. }
            | Self::Server { provider, .. }
            | Self::Timeout { provider, .. }
            | Self::Connect { provider, .. }
            | Self::Malformed { provider, .. }
            | Self::StreamCut { provider, .. }
            | Self::Cancelled { provider }
            | Self::Empty { provider } => provider,
        }
    }

    /// How many attempts were made, for the errors that count them.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::RateLimited { attempts, .. }
            | Self::Server { attempts, .. }
            | Self::Timeout { attempts, .. }
            | Self::Connect { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// The wait the server asked for, if it sent `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } | Self::Server { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// Records the number of attempts made, once the retry loop gives up.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        if let Self::RateLimited { attempts, .. }
        | Self::Server { attempts, .. }
        | Self::Timeout { attempts, .. }
        | Self::Connect { attempts, .. } = &mut self
        {
            *attempts = n;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_kinds() {
        let p = || "p".to_string();
        assert!(ProviderError::RateLimited {
            provider: p(),
            attempts: 1,
            retry_after: None
        }
        .is_retryable());
        assert!(ProviderError::StreamCut {
            provider: p(),
            received_chars: 0
        }
        .is_retryable());
        assert!(!ProviderError::StreamCut {
            provider: p(),
            received_chars: 3
        }
        .is_retryable());
        assert!(!ProviderError::Unauthorized {
            provider: p(),
            status: 401,
            message: String::new()
        }
        .is_retryable());
    }

    #[test]
    fn messages_name_the_provider_and_the_fix() {
        let e = ProviderError::RateLimited {
            provider: "openai".into(),
            attempts: 4,
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            e.to_string(),
            "provider `openai` is rate limiting requests (HTTP 429) after 4 attempt(s) (it asked \
             to wait 2s); wait and try again, or raise the account's limits"
        );
        let e = ProviderError::Timeout {
            provider: "ollama".into(),
            after: Duration::from_secs(1),
            attempts: 2,
        }
        .with_attempts(3);
        assert_eq!(e.attempts(), Some(3));
        assert!(e.to_string().contains("within 1s (3 attempt(s))"), "{e}");
    }
}
