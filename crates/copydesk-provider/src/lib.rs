//! AI providers: the [`ChatModel`] trait the service layer drafts through, and the
//! OpenAI-compatible chat-completions client ([`OpenAiCompatible`]).
//!
//! The trait is the seam: the service layer composes prompts and records provenance, and
//! never learns which protocol or vendor answered. One protocol covers OpenAI, Azure
//! OpenAI, Ollama, vLLM, llama.cpp's `llama-server` and LM Studio, so one implementation
//! serves them all; tests and offline modes implement the trait directly.
//!
//! Everything here is synchronous (the workspace has no async runtime). A call blocks
//! its thread until the model has answered, failed, or been cancelled through [`Cancel`].

mod answer;
mod cancel;
mod client;
mod config;
mod error;
mod http;
mod retry;
mod sse;
mod wire;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use cancel::Cancel;
pub use client::OpenAiCompatible;
pub use config::{ConfigError, ProviderConfig};
pub use error::ProviderError;

/// Where a model runs, which decides what may be sent to it: policy can allow personal
/// data to reach a model on the team's own machines and refuse it for a vendor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    /// On infrastructure the team runs (Ollama, llama.cpp, vLLM on its own hosts).
    Local,
    /// A third party's service (OpenAI, Azure OpenAI, a hosted gateway).
    External,
}

impl Locality {
    /// The one spelling used in files, CLI output and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::External => "external",
        }
    }
}

impl std::fmt::Display for Locality {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a provider charges, in currency units per 1,000 tokens, so every output can
/// record its cost next to its tokens. The currency is whatever the team bills in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// Per 1,000 prompt tokens.
    pub input_per_1k: f64,
    /// Per 1,000 generated tokens.
    pub output_per_1k: f64,
}

/// Who speaks in a chat message (the protocol's `role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageRole {
    /// Instructions: the brief, the brand voice, the task.
    System,
    /// The human side of the conversation.
    User,
    /// The model's side (earlier turns, or a prefilled start).
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: MessageRole,
    pub content: String,
}

impl Message {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: MessageRole::System,
            content: content.into(),
        }
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: MessageRole::User,
            content: content.into(),
        }
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: MessageRole::Assistant,
            content: content.into(),
        }
    }
}

/// One chat-completion request. The sampling settings override the provider's configured
/// ones when `Some`, so a prompt template can ask for a colder or shorter answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
}

impl ChatRequest {
    /// A request with the provider's default sampling settings.
    pub fn new(messages: Vec<Message>) -> Self {
        Self {
            messages,
            temperature: None,
            max_tokens: None,
        }
    }
}

/// Tokens spent, for provenance and cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// True when the server reported no usage and the counts are estimated (about four
    /// characters per token), so reports can say the cost is approximate.
    pub estimated: bool,
}

impl Usage {
    /// The rough count used when a server reports none: about four characters per token,
    /// rounded up (so any text costs at least one token).
    pub fn estimate_tokens(text: &str) -> u64 {
        let chars = text.chars().count() as u64;
        chars.div_ceil(4)
    }
}

/// A finished chat completion.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The whole generated text (when streamed, the concatenation of every delta).
    pub text: String,
    /// The model as the server reported it, else the configured one.
    pub model: String,
    pub usage: Usage,
    /// Why generation stopped (`stop`, `length`, …) when the server said.
    pub finish_reason: Option<String>,
    /// From sending the first attempt to the end of the answer, backoff included.
    pub latency: Duration,
    /// HTTP attempts made (1 when the first one succeeded).
    pub attempts: u32,
}

/// Embedding vectors, in the order of the inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    pub vectors: Vec<Vec<f32>>,
    /// The model as the server reported it, else the configured one.
    pub model: String,
    pub usage: Usage,
}

/// A chat model the service layer can draft through.
///
/// Object-safe and `Send + Sync` so the service can hold `Box<dyn ChatModel>` values
/// chosen by configuration, and share one between threads.
pub trait ChatModel: Send + Sync {
    /// The provider's name from the configuration (recorded as provenance).
    fn name(&self) -> &str;

    /// The configured chat model.
    fn model(&self) -> &str;

    /// Where the model runs.
    fn locality(&self) -> Locality;

    /// What it costs, when configured.
    fn price(&self) -> Option<Price>;

    /// Streams text deltas to `on_delta` as they arrive (when streaming), returns the
    /// whole completion.
    ///
    /// `on_delta` is never called with text that is later retracted: once a delta has
    /// been delivered the request is not retried, and a cut stream is an error.
    fn complete(
        &self,
        request: &ChatRequest,
        on_delta: &mut dyn FnMut(&str),
        cancel: &Cancel,
    ) -> Result<Completion, ProviderError>;

    /// Embeds each input, returning one vector per input in the same order.
    fn embed(&self, inputs: &[String], cancel: &Cancel) -> Result<Embeddings, ProviderError>;
}

/// What `usage` cost at `price`, or `None` when the provider has no price configured.
pub fn cost(price: Option<Price>, usage: &Usage) -> Option<f64> {
    price.map(|p| {
        (usage.input_tokens as f64 / 1000.0) * p.input_per_1k
            + (usage.output_tokens as f64 / 1000.0) * p.output_per_1k
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_is_per_thousand_tokens() {
        let usage = Usage {
            input_tokens: 2000,
            output_tokens: 500,
            estimated: false,
        };
        let price = Price {
            input_per_1k: 0.5,
            output_per_1k: 1.5,
        };
        assert_eq!(cost(Some(price), &usage), Some(1.0 + 0.75));
        assert_eq!(cost(None, &usage), None);
    }

    #[test]
    fn estimate_rounds_up() {
        assert_eq!(Usage::estimate_tokens(""), 0);
        assert_eq!(Usage::estimate_tokens("abc"), 1);
        assert_eq!(Usage::estimate_tokens("abcd"), 1);
        assert_eq!(Usage::estimate_tokens("abcde"), 2);
        assert_eq!(Usage::estimate_tokens("éééé"), 1);
    }

    #[test]
    fn locality_spelling() {
        assert_eq!(
            serde_json::to_string(&Locality::External).ok().as_deref(),
            Some("\"external\"")
        );
        assert_eq!(Locality::Local.to_string(), "local");
    }
}
