//! The provider suite: the OpenAI-compatible client against a real HTTP server on
//! loopback (`server.rs`) that replays scripted answers and records the requests.

mod chat;
mod config;
mod embed;
mod failures;
mod server;
mod stream;

use std::time::Duration;

use copydesk_provider::{
    Cancel, ChatModel, ChatRequest, Completion, Locality, Message, OpenAiCompatible,
    ProviderConfig, ProviderError,
};

use crate::server::TestServer;

/// The key handed to clients: tests check it never appears where it must not.
pub const KEY: &str = "sk-test-SECRET-7f3a9c1e5b";

/// A configuration pointing at `server`, with small backoffs and timeouts so the suite
/// stays fast.
pub fn config_for(server: &TestServer) -> ProviderConfig {
    let mut config =
        ProviderConfig::new("testprov", server.base_url(), "test-model", Locality::Local);
    config.stream = false;
    config.max_retries = 2;
    config.initial_backoff_ms = 10;
    config.max_backoff_ms = 2000;
    config.timeout_secs = 5;
    config.connect_timeout_secs = 2;
    config
}

pub fn client(config: ProviderConfig) -> OpenAiCompatible {
    OpenAiCompatible::with_api_key(config, Some(KEY.to_string())).expect("a valid client")
}

pub fn request() -> ChatRequest {
    ChatRequest::new(vec![
        Message::system("You write for Acme."),
        Message::user("Draft a headline."),
    ])
}

/// Runs a completion, collecting the deltas.
pub fn complete(
    model: &dyn ChatModel,
    request: &ChatRequest,
) -> (Result<Completion, ProviderError>, Vec<String>) {
    let mut deltas = Vec::new();
    let result = model.complete(request, &mut |d| deltas.push(d.to_string()), &Cancel::new());
    (result, deltas)
}

/// Fails the test if `elapsed` is outside `[min, max]`.
pub fn assert_between(elapsed: Duration, min: Duration, max: Duration) {
    assert!(
        elapsed >= min && elapsed <= max,
        "took {elapsed:?}, expected between {min:?} and {max:?}"
    );
}
