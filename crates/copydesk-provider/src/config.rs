//! A provider's configuration, as read from a `[[provider]]` table of `copydesk.toml`,
//! and its validation.
//!
//! The file holds no secret: the API key lives in an environment variable whose *name*
//! the file gives, so `copydesk.toml` can be committed and shown in Debug output.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Locality, Price};

/// One `[[provider]]` table.
///
/// ```toml
/// [[provider]]
/// name = "ollama"
/// base_url = "http://127.0.0.1:11434/v1"
/// model = "llama3.2"
/// locality = "local"
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// What the provider is called in provenance, errors and the CLI (e.g. `ollama`).
    pub name: String,
    /// Brand slugs it serves; empty means every brand.
    #[serde(default)]
    pub brands: Vec<String>,
    /// The API root, e.g. `http://127.0.0.1:11434/v1`; the client appends
    /// `/chat/completions` and `/embeddings` (before any `?query`, which Azure needs for
    /// its `api-version`).
    pub base_url: String,
    /// The chat model's name as the server knows it.
    pub model: String,
    /// The embedding model; `None` uses `model`.
    #[serde(default)]
    pub embedding_model: Option<String>,
    /// The NAME of the environment variable holding the API key; `None` sends no key
    /// (local servers).
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// The header that carries the key: `None` sends `Authorization: Bearer KEY`;
    /// `Some("api-key")` sends the bare key in that header, as Azure OpenAI expects.
    #[serde(default)]
    pub api_key_header: Option<String>,
    /// Where the model runs, which decides what policy lets reach it.
    pub locality: Locality,
    /// Default sampling temperature (0 to 2); `None` leaves it to the server.
    #[serde(default)]
    pub temperature: Option<f32>,
    /// Default cap on generated tokens; `None` leaves it to the server.
    #[serde(default)]
    pub max_tokens: Option<u32>,
    /// Per attempt: how long to wait for the answer (non-streaming), or for the first
    /// byte and then between bytes (streaming, so a long generation that keeps
    /// producing text is not cut off).
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// How long to wait for a TCP (and TLS) connection.
    #[serde(default = "default_connect_timeout_secs")]
    pub connect_timeout_secs: u64,
    /// Extra attempts after a retryable failure (429, 408, 409, 5xx, timeout, refused
    /// connection).
    #[serde(default = "default_max_retries")]
    pub max_retries: u32,
    /// The first backoff's upper bound; each retry doubles it (with full jitter).
    #[serde(default = "default_initial_backoff_ms")]
    pub initial_backoff_ms: u64,
    /// The longest wait between attempts, `Retry-After` included.
    #[serde(default = "default_max_backoff_ms")]
    pub max_backoff_ms: u64,
    /// Whether to stream the answer (server-sent events), so text shows as it is written.
    #[serde(default = "default_stream")]
    pub stream: bool,
    /// What the provider charges, for cost reporting.
    #[serde(default)]
    pub price: Option<Price>,
    /// Headers added to every request (e.g. `OpenAI-Organization`). Never a credential:
    /// the key goes in the environment variable named by `api_key_env`.
    #[serde(default)]
    pub extra_headers: BTreeMap<String, String>,
}

fn default_timeout_secs() -> u64 {
    120
}
fn default_connect_timeout_secs() -> u64 {
    10
}
fn default_max_retries() -> u32 {
    3
}
fn default_initial_backoff_ms() -> u64 {
    500
}
fn default_max_backoff_ms() -> u64 {
    20_000
}
fn default_stream() -> bool {
    true
}

/// The most retries a configuration may ask for: beyond this a failing provider keeps a
/// person waiting for minutes.
pub(crate) const MAX_RETRIES_LIMIT: u32 = 10;

/// Headers that carry credentials, refused in `extra_headers` so that no secret is ever
/// written into `copydesk.toml` (and so into Debug output or version control).
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "ocp-apim-subscription-key",
];

/// Headers the HTTP client manages itself; setting them by hand breaks the request.
const MANAGED_HEADERS: &[&str] = &["host", "content-length", "transfer-encoding", "connection"];

impl ProviderConfig {
    /// A configuration with the defaults for every optional setting.
    pub fn new(
        name: impl Into<String>,
        base_url: impl Into<String>,
        model: impl Into<String>,
        locality: Locality,
    ) -> Self {
        Self {
            name: name.into(),
            brands: Vec::new(),
            base_url: base_url.into(),
            model: model.into(),
            embedding_model: None,
            api_key_env: None,
            api_key_header: None,
            locality,
            temperature: None,
            max_tokens: None,
            timeout_secs: default_timeout_secs(),
            connect_timeout_secs: default_connect_timeout_secs(),
            max_retries: default_max_retries(),
            initial_backoff_ms: default_initial_backoff_ms(),
            max_backoff_ms: default_max_backoff_ms(),
            stream: default_stream(),
            price: None,
            extra_headers: BTreeMap::new(),
        }
    }

    /// Whether this provider may serve `brand` (an empty `brands` list serves all).
    pub fn serves(&self, brand: &str) -> bool {
        self.brands.is_empty() || self.brands.iter().any(|b| b == brand)
    }

    /// Checks every setting; the first problem found is returned, naming its field.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |field: &str, reason: String| Err(self.error(field, reason));

        if self.name.trim().is_empty() {
            return fail("name", "must not be empty".into());
        }
        if !self
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return fail(
                "name",
                format!(
                    "may hold only letters, digits, '-', '_' and '.', got `{}`",
                    self.name
                ),
            );
        }
        for (i, brand) in self.brands.iter().enumerate() {
            if brand.trim().is_empty() {
                return fail("brands", format!("entry {} is empty", i + 1));
            }
            if self.brands[..i].contains(brand) {
                return fail("brands", format!("lists `{brand}` twice"));
            }
        }
        if let Err(reason) = check_base_url(&self.base_url) {
            return fail("base_url", reason);
        }
        if self.model.trim().is_empty() {
            return fail("model", "must not be empty".into());
        }
        if self.model.trim() != self.model {
            return fail("model", "must not start or end with whitespace".into());
        }
        if let Some(m) = &self.embedding_model {
            if m.trim().is_empty() || m.trim() != m {
                return fail(
                    "embedding_model",
                    "must be a model name without surrounding whitespace (or be left out to use `model`)"
                        .into(),
                );
            }
        }
        if let Some(env) = &self.api_key_env {
            // The value is never echoed: people paste the key itself here by mistake.
            if !is_env_name(env) {
                return fail(
                    "api_key_env",
                    "must be the NAME of an environment variable (letters, digits and '_', not \
                     starting with a digit), not the key itself"
                        .into(),
                );
            }
        }
        if let Some(header) = &self.api_key_header {
            if !is_header_name(header) {
                return fail(
                    "api_key_header",
                    format!("is not a valid HTTP header name: `{header}`"),
                );
            }
            if self.api_key_env.is_none() {
                return fail(
                    "api_key_header",
                    "is set but `api_key_env` is not, so there is no key to send".into(),
                );
            }
        }
        if let Some(t) = self.temperature {
            if !(t.is_finite() && (0.0..=2.0).contains(&t)) {
                return fail("temperature", format!("must be between 0 and 2, got {t}"));
            }
        }
        if self.max_tokens == Some(0) {
            return fail(
                "max_tokens",
                "must be at least 1 (or be left out to use the server's limit)".into(),
            );
        }
        if self.timeout_secs == 0 {
            return fail("timeout_secs", "must be at least 1".into());
        }
        if self.connect_timeout_secs == 0 {
            return fail("connect_timeout_secs", "must be at least 1".into());
        }
        if self.max_retries > MAX_RETRIES_LIMIT {
            return fail(
                "max_retries",
                format!(
                    "must be at most {MAX_RETRIES_LIMIT}, got {}",
                    self.max_retries
                ),
            );
        }
        if self.initial_backoff_ms == 0 {
            return fail("initial_backoff_ms", "must be at least 1".into());
        }
        if self.max_backoff_ms < self.initial_backoff_ms {
            return fail(
                "max_backoff_ms",
                format!(
                    "must be at least `initial_backoff_ms` ({}), got {}",
                    self.initial_backoff_ms, self.max_backoff_ms
                ),
            );
        }
        if let Some(price) = self.price {
            for (field, value) in [
                ("price.input_per_1k", price.input_per_1k),
                ("price.output_per_1k", price.output_per_1k),
            ] {
                if !(value.is_finite() && value >= 0.0) {
                    return fail(field, format!("must be zero or more, got {value}"));
                }
            }
        }
        for (name, value) in &self.extra_headers {
            let field = format!("extra_headers.{name}");
            if !is_header_name(name) {
                return fail(&field, "is not a valid HTTP header name".into());
            }
            let lower = name.to_ascii_lowercase();
            let is_key_header = self
                .api_key_header
                .as_deref()
                .is_some_and(|h| h.eq_ignore_ascii_case(name));
            if CREDENTIAL_HEADERS.contains(&lower.as_str()) || is_key_header {
                return fail(
                    &field,
                    "would put a credential in the config file: name the environment variable \
                     holding the key in `api_key_env` (and the header in `api_key_header` if \
                     it is not `Authorization`)"
                        .into(),
                );
            }
            if MANAGED_HEADERS.contains(&lower.as_str()) {
                return fail(&field, "is set by the HTTP client itself".into());
            }
            if !value.chars().all(|c| c == '\t' || (' '..='~').contains(&c)) {
                return fail(
                    &field,
                    "must hold only printable ASCII (no line breaks)".into(),
                );
            }
        }
        Ok(())
    }

    fn error(&self, field: &str, reason: String) -> ConfigError {
        ConfigError {
            provider: if self.name.is_empty() {
                "(unnamed)".into()
            } else {
                self.name.clone()
            },
            field: field.into(),
            reason,
        }
    }
}

/// A setting that cannot work, naming the provider and the field so the fix is obvious.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("provider `{provider}`: `{field}` {reason}")]
pub struct ConfigError {
    /// The provider's name (`(unnamed)` when `name` is empty).
    pub provider: String,
    /// The field as written in `copydesk.toml` (`price.input_per_1k`, `extra_headers.X`).
    pub field: String,
    /// What is wrong and what is expected, without the value when it may be a secret.
    pub reason: String,
}

/// Accepts `http(s)://host[:port][/path][?query]`; explains what is wrong otherwise.
fn check_base_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Err("must not be empty; e.g. \"http://127.0.0.1:11434/v1\"".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain whitespace".into());
    }
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        rest
    } else {
        return Err(format!(
            "must start with http:// or https://, got `{url}`; e.g. \"http://127.0.0.1:11434/v1\""
        ));
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') {
        // Not echoed: the part before '@' is a password.
        return Err(
            "must not contain a user name or password; put the key in the environment \
             variable named by `api_key_env`"
                .into(),
        );
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        // An IPv6 literal: `[::1]` or `[::1]:8080`.
        let Some((inside, tail)) = bracketed.split_once(']') else {
            return Err(format!("has an unclosed `[` in its host: `{url}`"));
        };
        match tail {
            "" => (inside, None),
            _ => match tail.strip_prefix(':') {
                Some(port) => (inside, Some(port)),
                None => return Err(format!("has an invalid host: `{url}`")),
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(format!("has no host: `{url}`"));
    }
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return Err(format!("has an invalid port: `{url}`"));
    }
    if rest.contains('#') {
        return Err(format!("must not contain a `#fragment`: `{url}`"));
    }
    let path = rest[authority_end..].split('?').next().unwrap_or("");
    let path = path.trim_end_matches('/');
    for endpoint in ["/chat/completions", "/embeddings", "/completions"] {
        if path.ends_with(endpoint) {
            return Err(format!(
                "must be the API root without `{endpoint}` (the client appends it), got `{url}`"
            ));
        }
    }
    Ok(())
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An RFC 9110 token.
pub(crate) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ProviderConfig {
        ProviderConfig::new(
            "ollama",
            "http://127.0.0.1:11434/v1",
            "llama3.2",
            Locality::Local,
        )
    }

    fn field_of(c: &ProviderConfig) -> Option<String> {
        c.validate().err().map(|e| e.field)
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(config().validate(), Ok(()));
    }

    #[test]
    fn urls() {
        for ok in [
            "http://127.0.0.1:11434/v1",
            "https://api.openai.com/v1",
            "https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21",
            "http://localhost:8080",
            "http://[::1]:8080/v1",
            "HTTP://Example.COM/v1/",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "127.0.0.1:11434",
            "ftp://x/v1",
            "http://",
            "http:///v1",
            "http://host:port/v1",
            "http://host:99999",
            "http://a b/v1",
            "http://user:pw@host/v1",
            "http://host/v1#x",
            "http://host/v1/chat/completions",
            "http://host/v1/embeddings/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn userinfo_is_not_echoed() {
        let mut c = config();
        c.base_url = "https://me:hunter2@api.example.com/v1".into();
        let message = c
            .validate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("`base_url`"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn each_error_names_its_field() {
        type Change = Box<dyn Fn(&mut ProviderConfig)>;
        let cases: Vec<(&str, Change)> = vec![
            ("name", Box::new(|c| c.name = String::new())),
            ("name", Box::new(|c| c.name = "my provider".into())),
            (
                "brands",
                Box::new(|c| c.brands = vec!["a".into(), "a".into()]),
            ),
            ("base_url", Box::new(|c| c.base_url = "localhost".into())),
            ("model", Box::new(|c| c.model = " ".into())),
            (
                "embedding_model",
                Box::new(|c| c.embedding_model = Some(String::new())),
            ),
            (
                "api_key_env",
                Box::new(|c| c.api_key_env = Some("sk-abc123".into())),
            ),
            (
                "api_key_header",
                Box::new(|c| c.api_key_header = Some("api-key".into())),
            ),
            ("temperature", Box::new(|c| c.temperature = Some(2.5))),
            ("temperature", Box::new(|c| c.temperature = Some(f32::NAN))),
            ("max_tokens", Box::new(|c| c.max_tokens = Some(0))),
            ("timeout_secs", Box::new(|c| c.timeout_secs = 0)),
            (
                "connect_timeout_secs",
                Box::new(|c| c.connect_timeout_secs = 0),
            ),
            ("max_retries", Box::new(|c| c.max_retries = 11)),
            ("initial_backoff_ms", Box::new(|c| c.initial_backoff_ms = 0)),
            ("max_backoff_ms", Box::new(|c| c.max_backoff_ms = 1)),
            (
                "price.output_per_1k",
                Box::new(|c| {
                    c.price = Some(Price {
                        input_per_1k: 0.0,
                        output_per_1k: -1.0,
                    })
                }),
            ),
            (
                "extra_headers.Authorization",
                Box::new(|c| {
                    c.extra_headers
                        .insert("Authorization".into(), "Bearer x".into());
                }),
            ),
            (
                "extra_headers.bad header",
                Box::new(|c| {
                    c.extra_headers.insert("bad header".into(), "x".into());
                }),
            ),
            (
                "extra_headers.X-Trace",
                Box::new(|c| {
                    c.extra_headers.insert("X-Trace".into(), "a\nb".into());
                }),
            ),
        ];
        for (field, change) in cases {
            let mut c = config();
            change(&mut c);
            assert_eq!(field_of(&c).as_deref(), Some(field));
        }
    }

    #[test]
    fn a_pasted_key_is_not_echoed() {
        let mut c = config();
        c.api_key_env = Some("sk-proj-secret".into());
        let message = c
            .validate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.starts_with("provider `ollama`: `api_key_env`"),
            "{message}"
        );
        assert!(!message.contains("sk-proj-secret"), "{message}");
    }

    #[test]
    fn serves_brands() {
        let mut c = config();
        assert!(c.serves("acme"));
        c.brands = vec!["acme".into()];
        assert!(c.serves("acme"));
        assert!(!c.serves("globex"));
    }
}
