//! Reading one chat answer off a 2xx response, whole or streamed.
//!
//! Runs on the transport's worker thread; text deltas go to the caller through the
//! [`Sink`]. A stream counts as complete only when the server says so (`data: [DONE]`
//! or a `finish_reason`); anything else is a cut, never a short answer.

use std::io::BufReader;

use ureq::http::Response;
use ureq::Body;

use crate::http::{Sink, Transport};
use crate::retry::cancelled;
use crate::sse::{read_line, Line, SseEvent, SseParser};
use crate::wire::{self, Parsed};
use crate::ProviderError;

/// The longest SSE line accepted. A chunk is normally a few hundred bytes; some servers
/// send a whole answer in one event.
const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// What one successful attempt produced.
#[derive(Debug, Default)]
pub(crate) struct Answer {
    pub text: String,
    pub model: Option<String>,
    /// `(prompt_tokens, completion_tokens)` as the server reported them.
    pub usage: Option<(u64, u64)>,
    pub finish_reason: Option<String>,
}

impl Answer {
    /// Takes what a parsed answer or chunk adds (text is handled by the caller).
    fn absorb(&mut self, parsed: &Parsed) {
        if self.model.is_none() {
            self.model = parsed.model.clone().filter(|m| !m.is_empty());
        }
        if parsed.usage.is_some() {
            self.usage = parsed.usage;
        }
        if parsed.finish_reason.is_some() {
            self.finish_reason = parsed.finish_reason.clone();
        }
    }
}

/// Reads the answer. A server that ignores `"stream": true` and answers with JSON is
/// read as a whole answer, delivered as one delta.
pub(crate) fn read(
    transport: &Transport,
    response: Response<Body>,
    sink: &Sink<Answer>,
    streaming: bool,
) -> Result<Answer, ProviderError> {
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    if streaming && !is_json {
        return read_stream(transport, response, sink);
    }
    let body = transport.read_body(response)?;
    let parsed = wire::parse_chat(&body).map_err(|d| transport.malformed(d))?;
    if let (Some(message), false) = (&parsed.error, parsed.has_choice) {
        return Err(in_band_error(transport, message));
    }
    let mut answer = Answer::default();
    answer.absorb(&parsed);
    answer.text = parsed.text.unwrap_or_default();
    if answer.text.is_empty() {
        return Err(empty(transport));
    }
    if streaming && !sink.delta(answer.text.clone()) {
        return Err(cancelled(&transport.provider));
    }
    Ok(answer)
}

fn read_stream(
    transport: &Transport,
    response: Response<Body>,
    sink: &Sink<Answer>,
) -> Result<Answer, ProviderError> {
    let mut reader = BufReader::new(response.into_body().into_reader());
    let mut parser = SseParser::default();
    let mut line = Vec::new();
    let mut answer = Answer::default();
    // For the error when the body turns out not to be an event stream at all.
    let mut events = 0usize;
    let mut start = String::new();
    loop {
        if sink.is_cancelled() {
            return Err(cancelled(&transport.provider));
        }
        let kind = match read_line(&mut reader, &mut line, MAX_LINE_BYTES) {
            Ok(kind) => kind,
            // Generation had finished; only the usage chunk or `[DONE]` was lost.
            Err(_) if answer.finish_reason.is_some() && !answer.text.is_empty() => {
                return Ok(answer);
            }
            Err(e) => return Err(transport.body_error(ureq::Error::from(e))),
        };
        if kind == Line::TooLong {
            return Err(transport.malformed(format!(
                "expected server-sent events, got a line longer than {} MiB",
                MAX_LINE_BYTES / (1024 * 1024)
            )));
        }
        let text = std::str::from_utf8(&line)
            .map_err(|_| transport.malformed("expected UTF-8 text in the event stream".into()))?;
        if start.len() < 80 && !text.trim().is_empty() {
            start.push_str(text.trim());
            start.push(' ');
        }
        let mut event = parser.feed_line(text);
        if kind == Line::Eof {
            event = event.or_else(|| parser.finish());
        }
        if let Some(event) = event {
            events += 1;
            if handle_event(transport, &event, &mut answer, sink)? == Flow::Done {
                return finish(transport, answer);
            }
        }
        if kind == Line::Eof {
            break;
        }
    }
    if events == 0 {
        let start = wire::truncate(start.trim(), 80);
        return Err(transport.malformed(if start.is_empty() {
            "expected server-sent events (`data: …` lines), got an empty body".into()
        } else {
            format!("expected server-sent events (`data: …` lines), got `{start}`")
        }));
    }
    if answer.finish_reason.is_none() {
        return Err(ProviderError::StreamCut {
            provider: transport.provider.clone(),
            received_chars: answer.text.chars().count(),
        });
    }
    finish(transport, answer)
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    More,
    Done,
}

fn handle_event(
    transport: &Transport,
    event: &SseEvent,
    answer: &mut Answer,
    sink: &Sink<Answer>,
) -> Result<Flow, ProviderError> {
    let data = event.data.trim();
    if data == "[DONE]" {
        return Ok(Flow::Done);
    }
    if data.is_empty() {
        return Ok(Flow::More);
    }
    let chunks = match wire::parse_chunk(data) {
        Ok(chunk) => vec![chunk],
        // Some servers send `data:` lines with no blank line between events.
        Err(detail) if data.contains('\n') => data
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| wire::parse_chunk(l.trim_start_matches("data:").trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| transport.malformed(detail))?,
        Err(detail) => {
            if event.event.as_deref() == Some("error") {
                return Err(in_band_error(
                    transport,
                    &wire::error_message(data.as_bytes()),
                ));
            }
            return Err(transport.malformed(detail));
        }
    };
    for chunk in chunks {
        if let Some(message) = &chunk.error {
            return Err(in_band_error(transport, message));
        }
        answer.absorb(&chunk);
        if let Some(delta) = chunk.text.filter(|t| !t.is_empty()) {
            answer.text.push_str(&delta);
            if !sink.delta(delta) {
                return Err(cancelled(&transport.provider));
            }
        }
    }
    Ok(Flow::More)
}

fn finish(transport: &Transport, answer: Answer) -> Result<Answer, ProviderError> {
    if answer.text.is_empty() {
        Err(empty(transport))
    } else {
        Ok(answer)
    }
}

fn empty(transport: &Transport) -> ProviderError {
    ProviderError::Empty {
        provider: transport.provider.clone(),
    }
}

/// An `error` object sent with status 200, as some servers do when generation fails
/// after the headers went out.
fn in_band_error(transport: &Transport, message: &str) -> ProviderError {
    ProviderError::Server {
        provider: transport.provider.clone(),
        status: 200,
        message: transport.scrub(wire::truncate(message, wire::MAX_MESSAGE_CHARS)),
        attempts: 1,
        retry_after: None,
    }
}
