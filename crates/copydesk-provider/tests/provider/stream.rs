//! Streamed completions: deltas in order, usage, tolerance of SSE variants, cuts and
//! cancellation.

use std::time::{Duration, Instant};

use serde_json::json;

use copydesk_provider::{Cancel, ChatModel, ProviderError, Usage};

use crate::server::{
    completion_json, delta, finish_chunk, role_chunk, usage_chunk, Reply, TestServer,
};
use crate::{assert_between, client, complete, config_for, request};

const GAP: Duration = Duration::from_millis(15);

fn streaming(server: &TestServer) -> copydesk_provider::OpenAiCompatible {
    let mut config = config_for(server);
    config.stream = true;
    client(config)
}

#[test]
fn deltas_arrive_in_order_and_usage_comes_from_the_last_chunk() {
    let events = vec![
        role_chunk(),
        delta("Plan"),
        delta(" less."),
        delta(" Ship more."),
        finish_chunk("stop"),
        usage_chunk(14, 5),
        "[DONE]".to_string(),
    ];
    let server = TestServer::start(vec![Reply::sse(&events, GAP)]);
    let model = streaming(&server);

    let (result, deltas) = complete(&model, &request());
    let completion = result.expect("a completion");

    assert_eq!(deltas, vec!["Plan", " less.", " Ship more."]);
    assert_eq!(completion.text, deltas.concat());
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 14,
            output_tokens: 5,
            estimated: false
        }
    );
    assert_eq!(completion.model, "served-model");
    assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
    assert_eq!(completion.attempts, 1);
    assert!(completion.latency >= GAP * 7, "{:?}", completion.latency);

    let sent = &server.requests()[0];
    assert_eq!(sent.body["stream"], json!(true));
    assert_eq!(sent.body["stream_options"], json!({"include_usage": true}));
    assert_eq!(sent.header("accept"), Some("text/event-stream"));
}

#[test]
fn a_stream_without_usage_is_estimated() {
    let events = vec![
        delta("abcdefghi"),
        finish_chunk("length"),
        "[DONE]".to_string(),
    ];
    let server = TestServer::start(vec![Reply::sse(&events, GAP)]);
    let (result, deltas) = complete(&streaming(&server), &request());
    let completion = result.expect("a completion");
    assert_eq!(deltas, vec!["abcdefghi"]);
    assert_eq!(
        completion.usage,
        Usage {
            input_tokens: 10,
            output_tokens: 3,
            estimated: true
        }
    );
    assert_eq!(completion.finish_reason.as_deref(), Some("length"));
}

#[test]
fn comments_crlf_event_lines_and_multi_line_data_are_understood() {
    let server = TestServer::start(vec![Reply::raw_stream(&[
        ": keep-alive\r\n\r\n",
        &format!("event: message\r\nid: 1\r\ndata: {}\r\n\r\n", delta("Hel")),
        // One JSON value split over two data lines.
        "data: {\"choices\":[{\"index\":0,\n",
        "data: \"delta\":{\"content\":\"lo\"}}]}\n\n",
        &format!("data:{}\n\n", finish_chunk("stop")),
        // The last event is not followed by a blank line.
        "data: [DONE]",
    ])]);
    let (result, deltas) = complete(&streaming(&server), &request());
    assert_eq!(deltas, vec!["Hel", "lo"]);
    assert_eq!(result.map(|c| c.text).ok().as_deref(), Some("Hello"));
}

#[test]
fn a_server_that_ignores_stream_true_is_read_as_one_delta() {
    let server = TestServer::start(vec![Reply::json(200, completion_json("Whole.", 3, 2))]);
    let (result, deltas) = complete(&streaming(&server), &request());
    assert_eq!(deltas, vec!["Whole."]);
    assert_eq!(result.map(|c| c.usage.output_tokens).ok(), Some(2));
}

#[test]
fn a_stream_dropped_midway_is_a_cut_after_the_partial_text_and_is_not_retried() {
    let events = vec![role_chunk(), delta("Hel"), delta("lo")];
    let server = TestServer::start(vec![Reply::sse(&events, GAP).then_abort()]);
    let (result, deltas) = complete(&streaming(&server), &request());
    assert_eq!(deltas.concat(), "Hello");
    assert_eq!(
        result.err(),
        Some(ProviderError::StreamCut {
            provider: "testprov".into(),
            received_chars: 5
        })
    );
    assert_eq!(server.request_count(), 1, "text was shown: no silent retry");
}

#[test]
fn a_stream_that_ends_without_done_or_finish_reason_is_a_cut() {
    let events = vec![delta("Half an ans")];
    let server = TestServer::start(vec![Reply::sse(&events, GAP)]);
    let (result, deltas) = complete(&streaming(&server), &request());
    assert_eq!(deltas, vec!["Half an ans"]);
    assert!(
        matches!(
            result,
            Err(ProviderError::StreamCut {
                received_chars: 11,
                ..
            })
        ),
        "{result:?}"
    );
}

#[test]
fn a_stream_cut_before_any_text_is_retried() {
    let full = vec![
        delta("Second try."),
        finish_chunk("stop"),
        "[DONE]".to_string(),
    ];
    let server = TestServer::start(vec![
        Reply::sse(&[role_chunk()], GAP).then_abort(),
        Reply::sse(&full, GAP),
    ]);
    let (result, deltas) = complete(&streaming(&server), &request());
    assert_eq!(deltas, vec!["Second try."]);
    assert_eq!(result.map(|c| c.attempts).ok(), Some(2));
    assert_eq!(server.request_count(), 2);
}

#[test]
fn an_error_event_inside_the_stream_is_reported() {
    let events = vec![json!({"error": {"message": "out of memory"}}).to_string()];
    let server = TestServer::start(vec![Reply::sse(&events, GAP)]);
    let mut config = config_for(&server);
    config.stream = true;
    config.max_retries = 0;
    let (result, _) = complete(&client(config), &request());
    assert!(
        matches!(&result, Err(ProviderError::Server { status: 200, message, .. }) if message == "out of memory"),
        "{result:?}"
    );
}

#[test]
fn cancelling_from_another_thread_stops_a_slow_stream_quickly() {
    let events: Vec<String> = (0..100).map(|i| delta(&format!("w{i} "))).collect();
    let server = TestServer::start(vec![Reply::sse(&events, Duration::from_millis(100))]);
    let model = streaming(&server);
    let cancel = Cancel::new();
    let trigger = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(350));
        trigger.cancel();
        Instant::now()
    });

    let mut deltas = Vec::new();
    let result = model.complete(&request(), &mut |d| deltas.push(d.to_string()), &cancel);
    let returned = Instant::now();
    let cancelled_at = canceller.join().expect("canceller thread");

    assert_eq!(
        result.err(),
        Some(ProviderError::Cancelled {
            provider: "testprov".into()
        })
    );
    assert!(!deltas.is_empty(), "some text arrived before the cancel");
    assert!(deltas.len() < 10, "{} deltas", deltas.len());
    assert_between(
        returned.saturating_duration_since(cancelled_at),
        Duration::ZERO,
        Duration::from_millis(300),
    );
}

#[test]
fn cancelling_while_the_server_is_silent_returns_quickly() {
    let server = TestServer::start(vec![
        Reply::json(200, completion_json("late", 1, 1)).after(Duration::from_secs(4))
    ]);
    let model = client(config_for(&server));
    let cancel = Cancel::new();
    let trigger = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        trigger.cancel();
    });
    let started = Instant::now();
    let result = model.complete(&request(), &mut |_| {}, &cancel);
    assert!(
        matches!(result, Err(ProviderError::Cancelled { .. })),
        "{result:?}"
    );
    assert_between(
        started.elapsed(),
        Duration::from_millis(200),
        Duration::from_millis(700),
    );
}

#[test]
fn a_connection_dropped_after_the_finish_reason_still_completes() {
    let events = vec![delta("Done here."), finish_chunk("stop")];
    let server = TestServer::start(vec![Reply::sse(&events, GAP).then_abort()]);
    let (result, deltas) = complete(&streaming(&server), &request());
    assert_eq!(deltas, vec!["Done here."]);
    let completion = result.expect("generation had finished");
    assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
    assert!(completion.usage.estimated, "the usage chunk was lost");
}
