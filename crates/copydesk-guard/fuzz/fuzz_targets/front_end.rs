//! Fuzzes the document front ends and the checks behind them.
//!
//! Input: the first byte picks the format (and a check option), the rest is the document text
//! (decoded lossily, so every input reaches the parsers).
//!
//! | first byte `& 3` | parsed as                        |
//! | ---------------- | -------------------------------- |
//! | 0                | Markdown                         |
//! | 1                | HTML                             |
//! | 2                | plain text                       |
//! | 3                | all three, one after the other   |
//!
//! `(first byte >> 2) & 3` sets `CheckOptions::sponsored`: 0 or 3 = not set (the front matter
//! decides), 1 = `Some(true)`, 2 = `Some(false)`. The seeds use 0x00, 0x01, 0x02 and 0x03.
//!
//! Checked for every finding, besides "no panic":
//! - `byte_start <= byte_end <= text.len()`, both on char boundaries, and
//!   `&text[byte_start..byte_end] == matched`;
//! - `(line, column)` and `(end_line, end_column)` are the 1-based line and character column
//!   of `byte_start` and `byte_end`, recomputed here from the text (lines end at `\n`);
//! - findings come sorted by `(byte_start, byte_end)`, as `check` documents.

#![no_main]

use std::sync::OnceLock;

use copydesk_guard::{check, CheckOptions, Document, Finding, Format, Rules};
use libfuzzer_sys::fuzz_target;

static RULES: OnceLock<Rules> = OnceLock::new();

fn rules() -> &'static Rules {
    RULES.get_or_init(|| match Rules::builtin() {
        Ok(rules) => rules,
        Err(e) => panic!("built-in rules do not load: {e}"),
    })
}

/// 1-based (line, column in chars) of a byte offset, computed independently of the library.
fn position(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn verify(text: &str, format: Format, f: &Finding) {
    assert!(
        f.byte_start <= f.byte_end && f.byte_end <= text.len(),
        "{format:?}: span {}..{} out of bounds (text is {} bytes): {f:?}",
        f.byte_start,
        f.byte_end,
        text.len()
    );
    let Some(slice) = text.get(f.byte_start..f.byte_end) else {
        panic!(
            "{format:?}: span {}..{} is not on char boundaries: {f:?}",
            f.byte_start, f.byte_end
        );
    };
    assert_eq!(
        slice, f.matched,
        "{format:?}: text at {}..{} differs from `matched` ({})",
        f.byte_start, f.byte_end, f.rule
    );
    let start = position(text, f.byte_start);
    assert_eq!(
        (f.line, f.column),
        start,
        "{format:?}: start line/column wrong for byte {} ({})",
        f.byte_start,
        f.rule
    );
    let end = position(text, f.byte_end);
    assert_eq!(
        (f.end_line, f.end_column),
        end,
        "{format:?}: end line/column wrong for byte {} ({})",
        f.byte_end,
        f.rule
    );
}

fn run(text: &str, format: Format, options: &CheckOptions) {
    let doc = Document::parse(text, format);
    let findings = check(rules(), &doc, options);
    for f in &findings {
        verify(text, format, f);
    }
    for pair in findings.windows(2) {
        assert!(
            (pair[0].byte_start, pair[0].byte_end) <= (pair[1].byte_start, pair[1].byte_end),
            "{format:?}: findings not sorted: {:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let options = CheckOptions {
        channel: None,
        sponsored: match (selector >> 2) & 3 {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        },
    };
    match selector & 3 {
        0 => run(&text, Format::Markdown, &options),
        1 => run(&text, Format::Html, &options),
        2 => run(&text, Format::Text, &options),
        _ => {
            for format in [Format::Markdown, Format::Html, Format::Text] {
                run(&text, format, &options);
            }
        }
    }
});
