//! Server-sent events (the WHATWG `text/event-stream` format), as streamed chat
//! completions use them.
//!
//! Pure line-in, event-out parsing, so it is tested without a socket. Servers differ in
//! the details, so it tolerates all the spec allows: `:` comment lines (keep-alives),
//! CRLF line ends, `event:`/`id:`/`retry:` fields, data split over several `data:` lines,
//! and a last event not followed by a blank line.

use std::io::{self, BufRead};

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` field, when the server named the event type.
    pub event: Option<String>,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// Collects fields until a blank line dispatches an event.
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    data: String,
    has_data: bool,
    event: Option<String>,
}

impl SseParser {
    /// Feeds one line (without its `\n`; a trailing `\r` is dropped here).
    pub fn feed_line(&mut self, line: &str) -> Option<SseEvent> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_string()),
            // `id` and `retry` serve reconnection, which a completion never does.
            _ => {}
        }
        None
    }

    /// Ends the stream: an event whose blank line never came is still dispatched.
    pub fn finish(&mut self) -> Option<SseEvent> {
        self.dispatch()
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        if !self.has_data {
            return None;
        }
        self.has_data = false;
        Some(SseEvent {
            event,
            data: std::mem::take(&mut self.data),
        })
    }
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// A line is in the buffer (without its `\n`).
    Complete,
    /// The stream ended; the buffer holds whatever came after the last `\n`.
    Eof,
    /// The line is longer than allowed.
    TooLong,
}

/// Reads one line into `buf` (cleared first), refusing lines over `max` bytes so a
/// misbehaving server cannot make the client buffer without bound.
pub(crate) fn read_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(Line::Eof);
        }
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let end = if done { take - 1 } else { take };
        if buf.len() + end > max {
            return Ok(Line::TooLong);
        }
        buf.extend_from_slice(&available[..end]);
        reader.consume(take);
        if done {
            return Ok(Line::Complete);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Vec<SseEvent> {
        let mut parser = SseParser::default();
        let mut out: Vec<SseEvent> = text
            .split('\n')
            .filter_map(|l| parser.feed_line(l))
            .collect();
        out.extend(parser.finish());
        out
    }

    fn data(d: &str) -> SseEvent {
        SseEvent {
            event: None,
            data: d.into(),
        }
    }

    #[test]
    fn plain_events() {
        assert_eq!(
            events("data: {\"a\":1}\n\ndata: [DONE]\n\n"),
            vec![data("{\"a\":1}"), data("[DONE]")]
        );
    }

    #[test]
    fn comments_crlf_and_event_fields() {
        let got = events(": keep-alive\r\n\r\nevent: message\r\nid: 7\r\ndata:{}\r\n\r\n");
        assert_eq!(
            got,
            vec![SseEvent {
                event: Some("message".into()),
                data: "{}".into()
            }]
        );
    }

    #[test]
    fn multi_line_data_and_unterminated_last_event() {
        assert_eq!(
            events("data: {\"a\":\ndata:  1}\n\ndata: [DONE]"),
            vec![data("{\"a\":\n 1}"), data("[DONE]")]
        );
    }

    #[test]
    fn blank_lines_without_data_dispatch_nothing() {
        assert_eq!(events("\n\nevent: ping\n\n"), vec![]);
        assert_eq!(events("data\n\n"), vec![data("")]);
    }

    #[test]
    fn lines_are_bounded() {
        let mut buf = Vec::new();
        let mut r = io::BufReader::with_capacity(4, &b"abc\r\ndefghij\nk"[..]);
        assert_eq!(read_line(&mut r, &mut buf, 8).ok(), Some(Line::Complete));
        assert_eq!(buf, b"abc\r");
        assert_eq!(read_line(&mut r, &mut buf, 8).ok(), Some(Line::Complete));
        assert_eq!(buf, b"defghij");
        assert_eq!(read_line(&mut r, &mut buf, 8).ok(), Some(Line::Eof));
        assert_eq!(buf, b"k");
        let mut r = &b"0123456789\n"[..];
        assert_eq!(read_line(&mut r, &mut buf, 8).ok(), Some(Line::TooLong));
    }
}
