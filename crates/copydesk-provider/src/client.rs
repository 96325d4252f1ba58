//! [`OpenAiCompatible`]: the [`ChatModel`] that speaks the OpenAI chat-completions
//! protocol over HTTP.

use std::fmt;
use std::time::{Duration, Instant};

use crate::answer::{self, Answer};
use crate::config::ConfigError;
use crate::http::{display_url, endpoint, Transport};
use crate::retry::RetryPolicy;
use crate::wire::{self, ChatBody, EmbeddingsBody, StreamOptions};
use crate::{
    Cancel, ChatModel, ChatRequest, Completion, Embeddings, Locality, Price, ProviderConfig,
    ProviderError, Usage,
};

/// A provider reached through `POST {base_url}/chat/completions` and
/// `POST {base_url}/embeddings`: OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's
/// `llama-server`, LM Studio.
///
/// Holds the API key for its lifetime (read once, at construction) and never shows it:
/// `Debug` prints `api_key: "[redacted]"`, and no error carries it.
pub struct OpenAiCompatible {
    config: ProviderConfig,
    transport: Transport,
    has_key: bool,
    chat_url: String,
    embeddings_url: String,
}

impl OpenAiCompatible {
    /// Validates `config` and reads the API key from the environment variable it names.
    ///
    /// Fails with [`ProviderError::MissingKey`] when that variable is unset or empty, so
    /// a forgotten `export` is reported before any request is sent.
    pub fn new(config: ProviderConfig) -> Result<Self, ProviderError> {
        config.validate()?;
        let key = match &config.api_key_env {
            None => None,
            Some(env) => match std::env::var(env) {
                Ok(value) if !value.trim().is_empty() => Some(value.trim().to_string()),
                Ok(_) | Err(std::env::VarError::NotPresent) => {
                    return Err(missing_key(&config, env));
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(ProviderError::Config(ConfigError {
                        provider: config.name.clone(),
                        field: "api_key_env".into(),
                        reason: format!("names `{env}`, whose value is not valid text"),
                    }));
                }
            },
        };
        Self::build(config, key)
    }

    /// Like [`new`](Self::new) with the key given instead of read from the environment
    /// (tests, or a caller with its own secret store). An empty key counts as none.
    pub fn with_api_key(
        config: ProviderConfig,
        key: Option<String>,
    ) -> Result<Self, ProviderError> {
        config.validate()?;
        let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
        if key.is_none() {
            if let Some(env) = &config.api_key_env {
                return Err(missing_key(&config, env));
            }
        }
        Self::build(config, key)
    }

    fn build(config: ProviderConfig, key: Option<String>) -> Result<Self, ProviderError> {
        let transport = Transport::new(&config, key.as_deref())?;
        Ok(Self {
            chat_url: endpoint(&config.base_url, "chat/completions"),
            embeddings_url: endpoint(&config.base_url, "embeddings"),
            has_key: key.is_some(),
            transport,
            config,
        })
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    fn policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_retries: self.config.max_retries,
            initial: Duration::from_millis(self.config.initial_backoff_ms),
            max: Duration::from_millis(self.config.max_backoff_ms),
        }
    }

    fn encode(&self, body: &impl serde::Serialize) -> Result<Vec<u8>, ProviderError> {
        serde_json::to_vec(body).map_err(|e| {
            self.transport
                .malformed(format!("could not encode the request: {e}"))
        })
    }
}

fn missing_key(config: &ProviderConfig, env: &str) -> ProviderError {
    ProviderError::MissingKey {
        provider: config.name.clone(),
        env: env.to_string(),
    }
}

impl fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("name", &self.config.name)
            .field("base_url", &display_url(&self.config.base_url))
            .field("model", &self.config.model)
            .field("locality", &self.config.locality)
            .field("stream", &self.config.stream)
            .field("api_key_env", &self.config.api_key_env)
            .field("api_key", &self.has_key.then_some("[redacted]"))
            .finish_non_exhaustive()
    }
}

impl ChatModel for OpenAiCompatible {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn model(&self) -> &str {
        &self.config.model
    }

    fn locality(&self) -> Locality {
        self.config.locality
    }

    fn price(&self) -> Option<Price> {
        self.config.price
    }

    fn complete(
        &self,
        request: &ChatRequest,
        on_delta: &mut dyn FnMut(&str),
        cancel: &Cancel,
    ) -> Result<Completion, ProviderError> {
        let started = Instant::now();
        let streaming = self.config.stream;
        let body = self.encode(&ChatBody {
            model: &self.config.model,
            messages: &request.messages,
            temperature: request.temperature.or(self.config.temperature),
            max_tokens: request.max_tokens.or(self.config.max_tokens),
            stream: streaming,
            stream_options: streaming.then_some(StreamOptions {
                include_usage: true,
            }),
        })?;
        let (answer, attempts): (Answer, u32) =
            self.policy().run(&self.config.name, cancel, || {
                self.transport.exchange(
                    &self.chat_url,
                    body.clone(),
                    streaming,
                    cancel,
                    on_delta,
                    move |transport, response, sink| {
                        answer::read(transport, response, sink, streaming)
                    },
                )
            })?;
        let usage = match answer.usage {
            Some((input_tokens, output_tokens)) => Usage {
                input_tokens,
                output_tokens,
                estimated: false,
            },
            None => Usage {
                input_tokens: request
                    .messages
                    .iter()
                    .map(|m| Usage::estimate_tokens(&m.content))
                    .sum(),
                output_tokens: Usage::estimate_tokens(&answer.text),
                estimated: true,
            },
        };
        Ok(Completion {
            model: answer.model.unwrap_or_else(|| self.config.model.clone()),
            text: answer.text,
            usage,
            finish_reason: answer.finish_reason,
            latency: started.elapsed(),
            attempts,
        })
    }

    fn embed(&self, inputs: &[String], cancel: &Cancel) -> Result<Embeddings, ProviderError> {
        let model = self
            .config
            .embedding_model
            .as_deref()
            .unwrap_or(&self.config.model);
        if inputs.is_empty() {
            return Ok(Embeddings {
                vectors: Vec::new(),
                model: model.to_string(),
                usage: Usage::default(),
            });
        }
        let body = self.encode(&EmbeddingsBody {
            model,
            input: inputs,
        })?;
        let count = inputs.len();
        let (parsed, _attempts) = self.policy().run(&self.config.name, cancel, || {
            self.transport.exchange(
                &self.embeddings_url,
                body.clone(),
                false,
                cancel,
                &mut |_| {},
                move |transport, response, _sink| {
                    let body = transport.read_body(response)?;
                    wire::parse_embeddings(&body, count).map_err(|d| transport.malformed(d))
                },
            )
        })?;
        let usage = match parsed.input_tokens {
            Some(input_tokens) => Usage {
                input_tokens,
                output_tokens: 0,
                estimated: false,
            },
            None => Usage {
                input_tokens: inputs.iter().map(|i| Usage::estimate_tokens(i)).sum(),
                output_tokens: 0,
                estimated: true,
            },
        };
        Ok(Embeddings {
            vectors: parsed.vectors,
            model: parsed
                .model
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| model.to_string()),
            usage,
        })
    }
}
