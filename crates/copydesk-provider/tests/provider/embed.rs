//! Embeddings.

use serde_json::json;

use copydesk_provider::{Cancel, ChatModel, ProviderError, Usage};

use crate::server::{Reply, TestServer};
use crate::{client, config_for};

fn inputs() -> Vec<String> {
    vec!["first".into(), "second".into()]
}

#[test]
fn vectors_come_back_in_input_order() {
    // Out of order on purpose: `index` decides.
    let body = json!({
        "object": "list",
        "model": "served-embedder",
        "data": [
            {"object": "embedding", "index": 1, "embedding": [0.5, -0.5, 1.0]},
            {"object": "embedding", "index": 0, "embedding": [0.25, 0.0, -1.0]}
        ],
        "usage": {"prompt_tokens": 4, "total_tokens": 4}
    });
    let server = TestServer::start(vec![Reply::json(200, body.to_string())]);
    let mut config = config_for(&server);
    config.embedding_model = Some("embed-model".into());
    let embeddings = client(config)
        .embed(&inputs(), &Cancel::new())
        .expect("embeddings");

    assert_eq!(
        embeddings.vectors,
        vec![vec![0.25, 0.0, -1.0], vec![0.5, -0.5, 1.0]]
    );
    assert_eq!(embeddings.model, "served-embedder");
    assert_eq!(
        embeddings.usage,
        Usage {
            input_tokens: 4,
            output_tokens: 0,
            estimated: false
        }
    );
    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/v1/embeddings");
    assert_eq!(
        sent.body,
        json!({"model": "embed-model", "input": ["first", "second"]})
    );
}

#[test]
fn a_bad_request_names_the_servers_reason() {
    let server = TestServer::start(vec![Reply::json(
        400,
        r#"{"error":{"message":"This model does not support embeddings","type":"invalid_request_error"}}"#,
    )]);
    let result = client(config_for(&server)).embed(&inputs(), &Cancel::new());
    assert_eq!(
        result.err(),
        Some(ProviderError::BadRequest {
            provider: "testprov".into(),
            status: 400,
            message: "This model does not support embeddings".into()
        })
    );
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_vector_missing_from_the_answer_is_malformed() {
    let body = json!({"data": [{"index": 0, "embedding": [1.0]}]});
    let server = TestServer::start(vec![Reply::json(200, body.to_string())]);
    let result = client(config_for(&server)).embed(&inputs(), &Cancel::new());
    assert!(
        matches!(&result, Err(ProviderError::Malformed { detail, .. }) if detail == "expected 2 embedding(s), one per input, got 1"),
        "{result:?}"
    );
}

#[test]
fn a_server_without_embeddings_is_not_retried() {
    // What llama-server answers when started without `--embeddings`.
    let server = TestServer::start(vec![Reply::json(
        501,
        r#"{"error":{"code":501,"message":"This server does not support embeddings. Start it with `--embeddings`","type":"not_supported_error"}}"#,
    )]);
    let result = client(config_for(&server)).embed(&inputs(), &Cancel::new());
    assert!(
        matches!(&result, Err(ProviderError::BadRequest { status: 501, message, .. }) if message.ends_with("Start it with `--embeddings`")),
        "{result:?}"
    );
    assert_eq!(server.request_count(), 1);
}
