//! Failures: which are retried, how often, how long the client waits, and what the
//! error says.

use std::time::{Duration, Instant};

use copydesk_provider::{OpenAiCompatible, ProviderError};

use crate::server::{completion_json, Reply, TestServer};
use crate::{assert_between, client, complete, config_for, request, KEY};

#[test]
fn unauthorized_is_not_retried_and_never_shows_the_key() {
    let body = format!(
        r#"{{"error":{{"message":"Incorrect API key provided: {KEY}","type":"invalid_request_error"}}}}"#
    );
    let server = TestServer::start(vec![Reply::json(401, body)]);
    let (result, _) = complete(&client(config_for(&server)), &request());
    let error = result.expect_err("a 401 fails");

    assert_eq!(
        error,
        ProviderError::Unauthorized {
            provider: "testprov".into(),
            status: 401,
            message: "Incorrect API key provided: [redacted]".into()
        }
    );
    let text = error.to_string();
    assert!(text.contains("provider `testprov`"), "{text}");
    assert!(text.contains("api_key_env"), "says what to fix: {text}");
    assert!(!text.contains(KEY), "{text}");
    assert!(!format!("{error:?}").contains(KEY));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_rate_limit_with_retry_after_is_waited_out() {
    let server = TestServer::start(vec![
        Reply::json(429, r#"{"error":{"message":"slow down"}}"#).with_header("retry-after", "1"),
        Reply::json(200, completion_json("ok", 1, 1)),
    ]);
    let started = Instant::now();
    let (result, _) = complete(&client(config_for(&server)), &request());
    let elapsed = started.elapsed();

    let completion = result.expect("success on the second attempt");
    assert_eq!(completion.attempts, 2);
    assert!(
        completion.latency >= Duration::from_millis(950),
        "{:?}",
        completion.latency
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_between(
        requests[1].at.duration_since(requests[0].at),
        Duration::from_millis(950),
        Duration::from_millis(1800),
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[test]
fn a_rate_limit_that_persists_fails_after_every_retry() {
    let server = TestServer::start(vec![Reply::json(429, r#"{"error":{"message":"quota"}}"#)]);
    let (result, _) = complete(&client(config_for(&server)), &request());
    assert_eq!(
        result.err(),
        Some(ProviderError::RateLimited {
            provider: "testprov".into(),
            attempts: 3,
            retry_after: None
        })
    );
    assert_eq!(server.request_count(), 3);
}

#[test]
fn a_server_error_then_success_takes_two_attempts() {
    let server = TestServer::start(vec![
        Reply::json(500, r#"{"error":{"message":"boom"}}"#),
        Reply::json(200, completion_json("ok", 1, 1)),
    ]);
    let (result, _) = complete(&client(config_for(&server)), &request());
    assert_eq!(
        result.map(|c| (c.text, c.attempts)).ok(),
        Some(("ok".into(), 2))
    );
}

#[test]
fn a_persistent_server_error_reports_the_message_and_attempts() {
    let server = TestServer::start(vec![Reply::json(
        503,
        r#"{"error":{"message":"overloaded"}}"#,
    )]);
    let (result, _) = complete(&client(config_for(&server)), &request());
    assert_eq!(
        result.err(),
        Some(ProviderError::Server {
            provider: "testprov".into(),
            status: 503,
            message: "overloaded".into(),
            attempts: 3,
            retry_after: None
        })
    );
    assert_eq!(server.request_count(), 3);
}

#[test]
fn a_slow_server_times_out_on_every_attempt() {
    let server = TestServer::start(vec![
        Reply::json(200, completion_json("too late", 1, 1)).after(Duration::from_secs(3))
    ]);
    let mut config = config_for(&server);
    config.timeout_secs = 1;
    config.max_retries = 1;
    let started = Instant::now();
    let (result, _) = complete(&client(config), &request());

    assert_eq!(
        result.err(),
        Some(ProviderError::Timeout {
            provider: "testprov".into(),
            after: Duration::from_secs(1),
            attempts: 2
        })
    );
    assert_eq!(server.request_count(), 2);
    assert_between(
        started.elapsed(),
        Duration::from_secs(2),
        Duration::from_millis(3500),
    );
}

#[test]
fn a_streamed_request_to_a_silent_server_times_out() {
    let server = TestServer::start(vec![
        Reply::json(200, completion_json("too late", 1, 1)).after(Duration::from_secs(3))
    ]);
    let mut config = config_for(&server);
    config.stream = true;
    config.timeout_secs = 1;
    config.max_retries = 0;
    let (result, _) = complete(&client(config), &request());
    assert!(
        matches!(result, Err(ProviderError::Timeout { attempts: 1, .. })),
        "{result:?}"
    );
}

#[test]
fn truncated_json_is_malformed_and_not_retried() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"choices": ["#)]);
    let (result, _) = complete(&client(config_for(&server)), &request());
    match result {
        Err(ProviderError::Malformed { provider, detail }) => {
            assert_eq!(provider, "testprov");
            assert!(
                detail.starts_with(
                    "expected a JSON object with `choices[0].message.content`, got `{\"choices\": [`"
                ),
                "{detail}"
            );
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert_eq!(server.request_count(), 1);
}

#[test]
fn an_html_page_is_malformed_whether_streaming_or_not() {
    for stream in [false, true] {
        let server = TestServer::start(vec![Reply::html(
            200,
            "<!doctype html>\n<h1>Welcome</h1>\n",
        )]);
        let mut config = config_for(&server);
        config.stream = stream;
        let (result, _) = complete(&client(config), &request());
        let error = result.expect_err("HTML is not the protocol");
        assert!(
            matches!(error, ProviderError::Malformed { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("<!doctype html>"), "{error}");
        assert!(error.to_string().contains("base_url"), "{error}");
        assert_eq!(server.request_count(), 1, "not retried");
    }
}

#[test]
fn a_bad_request_carries_the_server_message_and_is_not_retried() {
    let server = TestServer::start(vec![Reply::json(
        404,
        r#"{"error":{"message":"model 'test-model' not found","type":"not_found_error"}}"#,
    )]);
    let (result, _) = complete(&client(config_for(&server)), &request());
    assert_eq!(
        result.err(),
        Some(ProviderError::BadRequest {
            provider: "testprov".into(),
            status: 404,
            message: "model 'test-model' not found".into()
        })
    );
    assert_eq!(server.request_count(), 1);
}

#[test]
fn an_answer_with_no_choices_is_empty() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"model":"m","choices":[]}"#)]);
    let (result, _) = complete(&client(config_for(&server)), &request());
    assert_eq!(
        result.err(),
        Some(ProviderError::Empty {
            provider: "testprov".into()
        })
    );
}

#[test]
fn a_refused_connection_is_retried_then_reported_without_credentials() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let server = TestServer::start(vec![]);
    let mut config = config_for(&server);
    config.base_url = format!("http://127.0.0.1:{port}/v1?token=abc");
    config.max_retries = 1;
    let model = OpenAiCompatible::with_api_key(config, Some(KEY.into())).expect("client");
    let (result, _) = complete(&model, &request());
    match result {
        Err(ProviderError::Connect {
            provider,
            url,
            attempts,
            detail,
        }) => {
            assert_eq!(provider, "testprov");
            assert_eq!(url, format!("http://127.0.0.1:{port}/v1/chat/completions"));
            assert_eq!(attempts, 2);
            assert!(detail.contains("refused"), "{detail}");
        }
        other => panic!("expected Connect, got {other:?}"),
    }
}
