//! One HTTP attempt: a POST sent on a worker thread, its failures classified, and what
//! it streams back relayed to the caller's thread.
//!
//! The blocking read happens on a worker so that the calling thread only waits on a
//! channel, and so can notice a [`Cancel`] within [`CANCEL_POLL`] even while the server
//! is silent (a blocking socket read cannot be interrupted). A cancelled worker is left
//! to finish on its own: it stops at its next read, or at the attempt's timeout.
//! `on_delta` runs on the caller's thread, so it need not be `Send`.

use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use ureq::http::Response;
use ureq::Body;

use crate::config::ConfigError;
use crate::retry::{cancelled, parse_retry_after, CANCEL_POLL};
use crate::wire;
use crate::{Cancel, ProviderConfig, ProviderError};

/// The largest JSON answer read (chat or embeddings); more is not a chat answer.
pub(crate) const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;
/// The most of an error body read for its message.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// The connection settings and headers of one provider, shared by its attempts.
#[derive(Clone)]
pub(crate) struct Transport {
    agent: ureq::Agent,
    /// Every header sent, the key's included (so this type is never `Debug`).
    headers: Vec<(String, String)>,
    /// Kept only to scrub it out of text the server sends back.
    key: Option<String>,
    pub provider: String,
    timeout: Duration,
}

/// What the worker sends the caller's thread.
enum Msg<T> {
    Delta(String),
    Done(Result<T, ProviderError>),
}

/// The worker's side of the channel, handed to the response handler.
pub(crate) struct Sink<T> {
    tx: mpsc::Sender<Msg<T>>,
    cancel: Cancel,
}

impl<T> Sink<T> {
    /// Passes a text delta to the caller's `on_delta`. `false` means nobody is listening
    /// any more (cancelled): the handler should stop reading.
    pub fn delta(&self, text: String) -> bool {
        !self.cancel.is_cancelled() && self.tx.send(Msg::Delta(text)).is_ok()
    }

    /// Whether the caller cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}

impl Transport {
    /// Prepares the agent and headers. `key` is the API key, if any.
    pub fn new(config: &ProviderConfig, key: Option<&str>) -> Result<Self, ProviderError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            // 4xx/5xx are answers with a body worth reading, not transport errors.
            .http_status_as_error(false)
            // A redirected POST loses its body; report it so `base_url` gets fixed.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(Duration::from_secs(config.connect_timeout_secs)))
            .user_agent(concat!("copydesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let mut headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        if let Some(key) = key {
            if !key.chars().all(|c| (' '..='~').contains(&c)) {
                // The key is not echoed, only where it came from.
                return Err(ProviderError::Config(ConfigError {
                    provider: config.name.clone(),
                    field: "api_key_env".into(),
                    reason: "names a variable whose key holds characters an HTTP header cannot \
                             carry (only printable ASCII is allowed)"
                        .into(),
                }));
            }
            match &config.api_key_header {
                Some(name) => headers.push((name.clone(), key.to_string())),
                None => headers.push(("Authorization".into(), format!("Bearer {key}"))),
            }
        }
        headers.extend(
            config
                .extra_headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        Ok(Self {
            agent,
            headers,
            key: key.map(str::to_string),
            provider: config.name.clone(),
            timeout: Duration::from_secs(config.timeout_secs),
        })
    }

    /// Sends `body` to `url`, hands a 2xx response to `handle` on a worker thread, and
    /// relays the deltas it emits to `on_delta` until it returns or `cancel` is set.
    ///
    /// `streaming` picks the timeouts: a whole answer must arrive within the timeout;
    /// a stream must start within it and never fall silent for longer.
    ///
    /// An error after text was delivered becomes [`ProviderError::StreamCut`] with the
    /// count of characters delivered, which is never retried.
    pub fn exchange<T, H>(
        &self,
        url: &str,
        body: Vec<u8>,
        streaming: bool,
        cancel: &Cancel,
        on_delta: &mut dyn FnMut(&str),
        handle: H,
    ) -> Result<T, ProviderError>
    where
        T: Send + 'static,
        H: FnOnce(&Transport, Response<Body>, &Sink<T>) -> Result<T, ProviderError>
            + Send
            + 'static,
    {
        let (tx, rx) = mpsc::channel::<Msg<T>>();
        let sink = Sink {
            tx,
            cancel: cancel.clone(),
        };
        let transport = self.clone();
        let url_owned = url.to_string();
        let spawned = std::thread::Builder::new()
            .name("copydesk-provider-http".into())
            .spawn(move || {
                let result = transport
                    .send(&url_owned, &body, streaming)
                    .and_then(|response| handle(&transport, response, &sink));
                // The caller may have stopped listening (cancelled): nothing to do then.
                let _ = sink.tx.send(Msg::Done(result));
            });
        if let Err(e) = spawned {
            return Err(self.connect_error(url, format!("could not start a thread: {e}")));
        }

        let mut delivered = 0usize;
        loop {
            match rx.recv_timeout(CANCEL_POLL) {
                Ok(Msg::Delta(text)) => {
                    if cancel.is_cancelled() {
                        return Err(cancelled(&self.provider));
                    }
                    delivered += text.chars().count();
                    on_delta(&text);
                }
                Ok(Msg::Done(result)) => return result.map_err(|e| after_text(e, delivered)),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if cancel.is_cancelled() {
                        return Err(cancelled(&self.provider));
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // Only a panic on the worker ends it without a message.
                    return Err(ProviderError::StreamCut {
                        provider: self.provider.clone(),
                        received_chars: delivered,
                    });
                }
            }
        }
    }

    /// Sends the request; a non-2xx status becomes its error.
    fn send(
        &self,
        url: &str,
        body: &[u8],
        streaming: bool,
    ) -> Result<Response<Body>, ProviderError> {
        let mut request = self.agent.post(url);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let accept = if streaming {
            "text/event-stream"
        } else {
            "application/json"
        };
        let request = request.header("Accept", accept).config();
        let request = if streaming {
            request
                .timeout_recv_response(Some(self.timeout))
                .timeout_per_read(Some(self.timeout))
        } else {
            request.timeout_global(Some(self.timeout))
        }
        .build();
        let response = request.send(body).map_err(|e| self.request_error(url, e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            Ok(response)
        } else {
            Err(self.status_error(response))
        }
    }

    /// Reads a whole (JSON) body.
    pub fn read_body(&self, response: Response<Body>) -> Result<Vec<u8>, ProviderError> {
        response
            .into_body()
            .into_with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| self.body_error(e))
    }

    /// Classifies a failure to read the body (after a 2xx status).
    pub fn body_error(&self, error: ureq::Error) -> ProviderError {
        match error {
            ureq::Error::Timeout(_) => self.timeout_error(),
            ureq::Error::BodyExceedsLimit(limit) => self.malformed(format!(
                "expected a chat answer, got a body larger than {} MiB",
                limit / (1024 * 1024)
            )),
            ureq::Error::Io(e) if is_timeout(&e) => self.timeout_error(),
            ureq::Error::Protocol(e) => self.malformed(format!("broken HTTP/1.1 framing: {e}")),
            _ => ProviderError::StreamCut {
                provider: self.provider.clone(),
                received_chars: 0,
            },
        }
    }

    pub fn malformed(&self, detail: String) -> ProviderError {
        ProviderError::Malformed {
            provider: self.provider.clone(),
            detail: self.scrub(detail),
        }
    }

    pub fn timeout_error(&self) -> ProviderError {
        ProviderError::Timeout {
            provider: self.provider.clone(),
            after: self.timeout,
            attempts: 1,
        }
    }

    fn connect_error(&self, url: &str, detail: String) -> ProviderError {
        ProviderError::Connect {
            provider: self.provider.clone(),
            url: display_url(url),
            detail: self.scrub(detail),
            attempts: 1,
        }
    }

    /// Classifies a failure before any response arrived.
    fn request_error(&self, url: &str, error: ureq::Error) -> ProviderError {
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
                self.connect_error(url, "timed out while connecting".into())
            }
            ureq::Error::Timeout(_) => self.timeout_error(),
            ureq::Error::Io(e) if is_timeout(&e) => self.timeout_error(),
            ureq::Error::Io(e) => self.connect_error(url, e.to_string()),
            ureq::Error::HostNotFound => self.connect_error(url, "host not found".into()),
            ureq::Error::Protocol(e) => self.malformed(format!("not an HTTP/1.1 answer: {e}")),
            ureq::Error::BadUri(_) | ureq::Error::Http(_) => ProviderError::Config(ConfigError {
                provider: self.provider.clone(),
                field: "base_url".into(),
                reason: format!("does not make a valid request URL ({})", display_url(url)),
            }),
            other => self.connect_error(url, other.to_string()),
        }
    }

    /// Turns a non-2xx answer into its error, with the server's own message.
    fn status_error(&self, response: Response<Body>) -> ProviderError {
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let retry_after =
            header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let location = header("location");
        let body = response
            .into_body()
            .into_with_config()
            .limit(MAX_ERROR_BODY_BYTES)
            .read_to_vec()
            .unwrap_or_default();
        let message = self.scrub(wire::error_message(&body));
        let provider = self.provider.clone();
        match status {
            401 | 403 => ProviderError::Unauthorized {
                provider,
                status,
                message,
            },
            429 => ProviderError::RateLimited {
                provider,
                attempts: 1,
                retry_after,
            },
            // 501: the server lacks the endpoint (llama-server without `--embeddings`);
            // asking again cannot help.
            501 => ProviderError::BadRequest {
                provider,
                status,
                message,
            },
            408 | 409 | 500..=599 => ProviderError::Server {
                provider,
                status,
                message,
                attempts: 1,
                retry_after,
            },
            300..=399 => ProviderError::BadRequest {
                provider,
                status,
                message: match location {
                    Some(to) => format!(
                        "redirected to {}; set `base_url` to the final address",
                        display_url(&to)
                    ),
                    None => "redirected; set `base_url` to the final address".into(),
                },
            },
            _ => ProviderError::BadRequest {
                provider,
                status,
                message,
            },
        }
    }

    /// Removes the key from text the server sent (some services echo the key they
    /// refused).
    pub fn scrub(&self, text: String) -> String {
        match &self.key {
            Some(key) if !key.is_empty() && text.contains(key.as_str()) => {
                text.replace(key.as_str(), "[redacted]")
            }
            _ => text,
        }
    }
}

/// Once text has reached the caller, any failure is a cut stream: the caller has shown
/// part of an answer, and a silent retry would show a different one.
fn after_text(error: ProviderError, delivered: usize) -> ProviderError {
    if delivered == 0 {
        return error;
    }
    match error {
        ProviderError::Cancelled { .. } => error,
        other => ProviderError::StreamCut {
            provider: other.provider().to_string(),
            received_chars: delivered,
        },
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

/// The endpoint: `base_url` + `/` + `path`, placed before any `?query` so that Azure's
/// `?api-version=…` stays at the end.
pub(crate) fn endpoint(base_url: &str, path: &str) -> String {
    let (base, query) = match base_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (base_url, None),
    };
    let mut url = format!("{}/{}", base.trim_end_matches('/'), path);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// A URL fit for messages: no user info and no query (either may carry a secret).
pub(crate) fn display_url(url: &str) -> String {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    match without_query.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            format!("{scheme}://{host}{path}")
        }
        None => without_query.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert_eq!(
            endpoint("http://h:1/v1", "chat/completions"),
            "http://h:1/v1/chat/completions"
        );
        assert_eq!(
            endpoint("http://h/v1/", "embeddings"),
            "http://h/v1/embeddings"
        );
        assert_eq!(
            endpoint(
                "https://x/openai/deployments/d?api-version=1",
                "chat/completions"
            ),
            "https://x/openai/deployments/d/chat/completions?api-version=1"
        );
    }

    #[test]
    fn urls_for_messages_hold_no_credentials() {
        assert_eq!(
            display_url("https://u:p@h:8/v1/chat/completions?key=s"),
            "https://h:8/v1/chat/completions"
        );
        assert_eq!(display_url("http://h"), "http://h");
    }

    #[test]
    fn text_after_delivery_is_a_cut() {
        let e = ProviderError::Timeout {
            provider: "p".into(),
            after: Duration::from_secs(1),
            attempts: 1,
        };
        assert_eq!(after_text(e.clone(), 0), e,);
        assert_eq!(
            after_text(e, 5),
            ProviderError::StreamCut {
                provider: "p".into(),
                received_chars: 5
            }
        );
    }
}
