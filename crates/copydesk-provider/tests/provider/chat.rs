//! Whole (non-streamed) completions: what is sent and what comes back.

use serde_json::json;

use copydesk_provider::{ChatModel, Usage};

use crate::server::{completion_json, Reply, TestServer};
use crate::{client, complete, config_for, request, KEY};

#[test]
fn a_whole_answer_is_returned_with_usage_and_the_request_is_complete() {
    let server = TestServer::start(vec![Reply::json(
        200,
        completion_json("Plan less. Ship more.", 21, 6),
    )]);
    let model = client(config_for(&server));
    let mut req = request();
    req.temperature = Some(0.25);
    req.max_tokens = Some(64);

    let (result, deltas) = complete(&model, &req);
    let completion = result.expect("a completion");

    assert_eq!(completion.text, "Plan less. Ship more.");
    assert_eq!(completion.model, "served-model");
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 21,
            output_tokens: 6,
            estimated: false
        }
    );
    assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
    assert_eq!(completion.attempts, 1);
    assert!(
        deltas.is_empty(),
        "no deltas when not streaming: {deltas:?}"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.body,
        json!({
            "model": "test-model",
            "messages": [
                {"role": "system", "content": "You write for Acme."},
                {"role": "user", "content": "Draft a headline."}
            ],
            "temperature": 0.25,
            "max_tokens": 64,
            "stream": false
        })
    );
}

#[test]
fn configured_sampling_applies_when_the_request_sets_none_and_no_key_sends_no_header() {
    let server = TestServer::start(vec![Reply::json(200, completion_json("ok", 1, 1))]);
    let mut config = config_for(&server);
    config.temperature = Some(0.75);
    config.max_tokens = Some(20);
    let model = copydesk_provider::OpenAiCompatible::with_api_key(config, None).expect("client");

    let (result, _) = complete(&model, &request());
    assert_eq!(result.map(|c| c.text).ok().as_deref(), Some("ok"));

    let sent = &server.requests()[0];
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.body["temperature"], json!(0.75));
    assert_eq!(sent.body["max_tokens"], json!(20));
}

#[test]
fn azure_style_key_header_query_and_extra_headers() {
    let server = TestServer::start(vec![Reply::json(200, completion_json("ok", 1, 1))]);
    let mut config = config_for(&server);
    config.base_url = format!(
        "{}/openai/deployments/copy?api-version=2024-10-21",
        server.base_url().trim_end_matches("/v1")
    );
    config.api_key_env = Some("AZURE_OPENAI_API_KEY".into());
    config.api_key_header = Some("api-key".into());
    config
        .extra_headers
        .insert("X-Request-Source".into(), "copydesk-tests".into());
    let model = client(config);

    let (result, _) = complete(&model, &request());
    assert!(result.is_ok(), "{result:?}");

    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/openai/deployments/copy/chat/completions");
    assert_eq!(sent.query.as_deref(), Some("api-version=2024-10-21"));
    assert_eq!(sent.header("api-key"), Some(KEY));
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(sent.header("x-request-source"), Some("copydesk-tests"));
}

#[test]
fn a_missing_usage_is_estimated() {
    let body = json!({
        "choices": [{"message": {"role": "assistant", "content": "12345678"}, "finish_reason": "stop"}]
    });
    let server = TestServer::start(vec![Reply::json(200, body.to_string())]);
    let model = client(config_for(&server));
    let (result, _) = complete(&model, &request());
    let completion = result.expect("a completion");
    // "You write for Acme." (19 chars -> 5) + "Draft a headline." (17 chars -> 5).
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 10,
            output_tokens: 2,
            estimated: true
        }
    );
    assert_eq!(
        completion.model, "test-model",
        "the configured model when none reported"
    );
    assert_eq!(model.name(), "testprov");
}
