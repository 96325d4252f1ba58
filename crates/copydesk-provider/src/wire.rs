//! The OpenAI-compatible JSON: request bodies out, responses, stream chunks and error
//! bodies in.
//!
//! Parsing is lenient where servers differ (missing `usage`, `null` fields, extra
//! fields) and strict where it matters (no text where text was promised is reported,
//! never guessed). Failures come back as a sentence saying what was expected.

use serde::{Deserialize, Serialize};

use crate::Message;

/// How much of an error body is kept: enough for the server's sentence, not a whole page.
pub(crate) const MAX_MESSAGE_CHARS: usize = 300;

#[derive(Serialize)]
pub(crate) struct ChatBody<'a> {
    pub model: &'a str,
    pub messages: &'a [Message],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    pub stream: bool,
    /// Asks for a last chunk carrying `usage`, so streamed answers report real tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
}

#[derive(Serialize)]
pub(crate) struct StreamOptions {
    pub include_usage: bool,
}

#[derive(Serialize)]
pub(crate) struct EmbeddingsBody<'a> {
    pub model: &'a str,
    pub input: &'a [String],
}

#[derive(Deserialize)]
struct WireUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
}

impl WireUsage {
    fn pair(&self) -> Option<(u64, u64)> {
        self.prompt_tokens
            .map(|input| (input, self.completion_tokens.unwrap_or(0)))
    }
}

#[derive(Deserialize)]
struct ChatResponse {
    model: Option<String>,
    choices: Option<Vec<Choice>>,
    usage: Option<WireUsage>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Choice {
    message: Option<ChoiceMessage>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: Option<String>,
}

#[derive(Deserialize)]
struct ChatChunk {
    model: Option<String>,
    choices: Option<Vec<ChunkChoice>>,
    usage: Option<WireUsage>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ChunkChoice {
    delta: Option<Delta>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Delta {
    content: Option<String>,
}

#[derive(Deserialize)]
struct EmbeddingsResponse {
    data: Vec<EmbeddingItem>,
    model: Option<String>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct EmbeddingItem {
    embedding: Vec<f32>,
    index: Option<usize>,
}

/// A whole (non-streamed) answer, or one stream chunk: the fields copydesk uses.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Parsed {
    /// The text (the whole answer, or one chunk's delta).
    pub text: Option<String>,
    pub model: Option<String>,
    /// `(prompt_tokens, completion_tokens)`.
    pub usage: Option<(u64, u64)>,
    pub finish_reason: Option<String>,
    /// Whether the answer had at least one choice.
    pub has_choice: bool,
    /// An `error` object sent with status 200 (some servers report failures mid-stream).
    pub error: Option<String>,
}

/// Parses a non-streamed chat completion.
pub(crate) fn parse_chat(body: &[u8]) -> Result<Parsed, String> {
    let response: ChatResponse = serde_json::from_slice(body)
        .map_err(|e| expected("a JSON object with `choices[0].message.content`", &e, body))?;
    let first = response.choices.as_ref().and_then(|c| c.first());
    Ok(Parsed {
        text: first
            .and_then(|c| c.message.as_ref())
            .and_then(|m| m.content.clone()),
        model: response.model,
        usage: response.usage.as_ref().and_then(WireUsage::pair),
        finish_reason: first.and_then(|c| c.finish_reason.clone()),
        has_choice: first.is_some(),
        error: response.error.as_ref().map(error_value_message),
    })
}

/// Parses one `data:` payload of a streamed chat completion.
pub(crate) fn parse_chunk(data: &str) -> Result<Parsed, String> {
    let chunk: ChatChunk = serde_json::from_str(data).map_err(|e| {
        expected(
            "a stream chunk: a JSON object with `choices[0].delta`",
            &e,
            data.as_bytes(),
        )
    })?;
    let first = chunk.choices.as_ref().and_then(|c| c.first());
    Ok(Parsed {
        text: first
            .and_then(|c| c.delta.as_ref())
            .and_then(|d| d.content.clone()),
        model: chunk.model,
        usage: chunk.usage.as_ref().and_then(WireUsage::pair),
        finish_reason: first.and_then(|c| c.finish_reason.clone()),
        has_choice: first.is_some(),
        error: chunk.error.as_ref().map(error_value_message),
    })
}

/// Embedding vectors, in input order.
#[derive(Debug, PartialEq)]
pub(crate) struct ParsedEmbeddings {
    pub vectors: Vec<Vec<f32>>,
    pub model: Option<String>,
    pub input_tokens: Option<u64>,
}

/// Parses an embeddings answer for `count` inputs, ordering the vectors by `index`.
pub(crate) fn parse_embeddings(body: &[u8], count: usize) -> Result<ParsedEmbeddings, String> {
    let response: EmbeddingsResponse = serde_json::from_slice(body).map_err(|e| {
        expected(
            "a JSON object with `data[i].embedding` arrays of numbers",
            &e,
            body,
        )
    })?;
    if response.data.len() != count {
        return Err(format!(
            "expected {count} embedding(s), one per input, got {}",
            response.data.len()
        ));
    }
    let mut slots: Vec<Option<Vec<f32>>> = vec![None; count];
    for (position, item) in response.data.into_iter().enumerate() {
        let index = item.index.unwrap_or(position);
        match slots.get_mut(index) {
            Some(slot @ None) => *slot = Some(item.embedding),
            Some(Some(_)) => return Err(format!("embedding index {index} appears twice")),
            None => {
                return Err(format!(
                    "embedding index {index} is out of range for {count} input(s)"
                ))
            }
        }
    }
    let vectors: Vec<Vec<f32>> = slots.into_iter().flatten().collect();
    let dimensions = vectors.first().map_or(0, Vec::len);
    if dimensions == 0 || vectors.iter().any(|v| v.len() != dimensions) {
        return Err("expected non-empty embedding vectors of one length".into());
    }
    Ok(ParsedEmbeddings {
        vectors,
        model: response.model,
        input_tokens: response.usage.and_then(|u| u.prompt_tokens),
    })
}

/// The server's own sentence from an error body: `{"error":{"message":…}}`,
/// `{"error":"…"}`, `{"message":…}` or `{"detail":…}`, else the body's text; cut to
/// [`MAX_MESSAGE_CHARS`].
pub(crate) fn error_message(body: &[u8]) -> String {
    let from_json = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            if let Some(error) = v.get("error") {
                return Some(error_value_message(error));
            }
            ["message", "detail"]
                .iter()
                .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_string))
        });
    let text = match from_json {
        Some(message) => message,
        None => String::from_utf8_lossy(body).into_owned(),
    };
    let text = truncate(&collapse_whitespace(&text), MAX_MESSAGE_CHARS);
    if text.is_empty() {
        "(no message)".into()
    } else {
        text
    }
}

fn error_value_message(error: &serde_json::Value) -> String {
    match error {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => match o.get("message").and_then(|m| m.as_str()) {
            Some(m) => m.to_string(),
            None => error.to_string(),
        },
        other => other.to_string(),
    }
}

fn expected(what: &str, error: &serde_json::Error, body: &[u8]) -> String {
    let start = truncate(&collapse_whitespace(&String::from_utf8_lossy(body)), 80);
    if start.is_empty() {
        format!("expected {what}, got an empty body")
    } else {
        format!("expected {what}, got `{start}` ({error})")
    }
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `s` to at most `max` characters (on a character boundary), marking the cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageRole;

    #[test]
    fn request_body_shape() {
        let messages = [Message::system("be brief"), Message::user("hi")];
        let body = ChatBody {
            model: "m",
            messages: &messages,
            temperature: Some(0.5),
            max_tokens: None,
            stream: true,
            stream_options: Some(StreamOptions {
                include_usage: true,
            }),
        };
        assert_eq!(
            serde_json::to_string(&body).ok().as_deref(),
            Some(
                r#"{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],"temperature":0.5,"stream":true,"stream_options":{"include_usage":true}}"#
            )
        );
        assert_eq!(messages[1].role, MessageRole::User);
    }

    #[test]
    fn whole_answer() {
        let body = br#"{"id":"x","model":"gpt-x","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}"#;
        let parsed = parse_chat(body);
        assert_eq!(
            parsed,
            Ok(Parsed {
                text: Some("Hello".into()),
                model: Some("gpt-x".into()),
                usage: Some((9, 2)),
                finish_reason: Some("stop".into()),
                has_choice: true,
                error: None,
            })
        );
    }

    #[test]
    fn nulls_and_missing_fields() {
        let parsed = parse_chat(br#"{"choices":[{"message":{"content":null}}],"usage":null}"#);
        assert_eq!(
            parsed.map(|p| (p.text, p.usage, p.has_choice)),
            Ok((None, None, true))
        );
        let parsed = parse_chat(br#"{"choices":[]}"#);
        assert_eq!(parsed.map(|p| p.has_choice), Ok(false));
    }

    #[test]
    fn malformed_answers_say_what_was_expected() {
        let e = parse_chat(br#"{"choices": ["#).err().unwrap_or_default();
        assert!(
            e.starts_with(
                "expected a JSON object with `choices[0].message.content`, got `{\"choices\": [`"
            ),
            "{e}"
        );
        let e = parse_chat(b"<html>\n<body>Not here</body></html>")
            .err()
            .unwrap_or_default();
        assert!(
            e.contains("got `<html> <body>Not here</body></html>`"),
            "{e}"
        );
        let e = parse_chat(b"").err().unwrap_or_default();
        assert!(e.ends_with("got an empty body"), "{e}");
    }

    #[test]
    fn chunks() {
        let c = parse_chunk(
            r#"{"model":"m","choices":[{"index":0,"delta":{"content":"He"},"finish_reason":null}]}"#,
        );
        assert_eq!(c.map(|c| c.text), Ok(Some("He".into())));
        let c = parse_chunk(r#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}"#);
        assert_eq!(
            c.map(|c| (c.usage, c.has_choice)),
            Ok((Some((3, 4)), false))
        );
        let c = parse_chunk(r#"{"error":{"message":"out of memory"}}"#);
        assert_eq!(c.map(|c| c.error), Ok(Some("out of memory".into())));
    }

    #[test]
    fn embeddings_are_ordered_by_index() {
        let body = br#"{"data":[{"embedding":[2.0],"index":1},{"embedding":[1.0],"index":0}],"model":"e","usage":{"prompt_tokens":4,"total_tokens":4}}"#;
        assert_eq!(
            parse_embeddings(body, 2),
            Ok(ParsedEmbeddings {
                vectors: vec![vec![1.0], vec![2.0]],
                model: Some("e".into()),
                input_tokens: Some(4),
            })
        );
        assert!(parse_embeddings(body, 3).is_err());
        let dup = br#"{"data":[{"embedding":[2.0],"index":0},{"embedding":[1.0],"index":0}]}"#;
        assert!(parse_embeddings(dup, 2).is_err());
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            error_message(
                br#"{"error":{"message":"model `x` not found","type":"invalid_request_error"}}"#
            ),
            "model `x` not found"
        );
        assert_eq!(
            error_message(br#"{"error":"no such model"}"#),
            "no such model"
        );
        assert_eq!(error_message(br#"{"detail":"Not Found"}"#), "Not Found");
        assert_eq!(error_message(b"Bad   Gateway\n"), "Bad Gateway");
        assert_eq!(error_message(b""), "(no message)");
        let long = "x".repeat(1000);
        assert_eq!(
            error_message(long.as_bytes()).chars().count(),
            MAX_MESSAGE_CHARS + 1
        );
    }
}
