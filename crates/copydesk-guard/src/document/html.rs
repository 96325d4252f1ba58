//! HTML: text between tags is prose; `script`, `style`, `pre`, `code`, `textarea` and `svg`
//! contents are skipped; block-level tags start blocks; comments carry switches.
//!
//! A small scanner rather than a DOM parser: the checks need exact byte offsets of every text
//! run in the original file, which tree builders normalise away.

use std::ops::Range;

use super::{BlockKind, Builder};

const SKIPPED: [&str; 8] = [
    "script", "style", "pre", "code", "textarea", "svg", "template", "noscript",
];

/// Reads HTML in `range`. With `structure` off (HTML inside Markdown) tags only separate text;
/// the Markdown parser owns the block structure.
pub(crate) fn read(source: &str, range: Range<usize>, b: &mut Builder, structure: bool) {
    let bytes = source.as_bytes();
    let end = range.end;
    let mut pos = range.start;
    let mut text_start = pos;
    while pos < end {
        let Some(lt) = memchr(b'<', &bytes[pos..end]).map(|i| pos + i) else {
            break;
        };
        let after = &source[lt + 1..end];
        let Some(next) = after.chars().next() else {
            break;
        };
        if after.starts_with("!--") {
            b.text(text_start..lt, source);
            let close = source[lt + 4..end]
                .find("-->")
                .map_or(end, |i| lt + 4 + i + 3);
            b.comment(lt..close);
            pos = close;
            text_start = pos;
            continue;
        }
        if !(next.is_ascii_alphabetic() || next == '/' || next == '!' || next == '?') {
            pos = lt + 1;
            continue;
        }
        b.text(text_start..lt, source);
        let tag_end = tag_end(bytes, lt + 1, end);
        let closing = next == '/';
        let name_start = if closing { lt + 2 } else { lt + 1 };
        let name: String = source[name_start..tag_end]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        pos = tag_end.saturating_add(1).min(end);
        text_start = pos;
        if !closing && SKIPPED.contains(&name.as_str()) {
            let close = find_close(source, pos, end, &name);
            pos = close;
            text_start = close;
            continue;
        }
        if name == "a" && !closing && source[lt..tag_end].contains("href") {
            b.attribution(lt);
        }
        if !structure {
            continue;
        }
        match (block_kind(&name), closing) {
            (Some(kind), false) => b.open(kind),
            (Some(_), true) => b.close(),
            (None, _) if is_break(&name) => b.boundary(),
            _ => {}
        }
    }
    b.text(text_start..end.max(text_start), source);
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// The index of the `>` closing a tag that starts at `from`, honouring quoted attributes.
fn tag_end(bytes: &[u8], from: usize, end: usize) -> usize {
    let mut quote = None;
    for (i, &c) in bytes[from..end].iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, b'>') => return from + i,
            _ => {}
        }
    }
    end
}

/// Just past the closing tag of a skipped element, or the end when it is never closed.
fn find_close(source: &str, from: usize, end: usize, name: &str) -> usize {
    let hay = &source.as_bytes()[from..end];
    let pat = format!("</{name}");
    let mut i = 0;
    while i + pat.len() <= hay.len() {
        if hay[i..i + pat.len()].eq_ignore_ascii_case(pat.as_bytes()) {
            let close = tag_end(source.as_bytes(), from + i, end);
            return close.saturating_add(1).min(end);
        }
        i += 1;
    }
    end
}

fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title" => BlockKind::Heading,
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "td" | "th" | "caption" => BlockKind::TableCell,
        "p" | "div" | "section" | "article" | "header" | "footer" | "blockquote" | "main"
        | "aside" | "nav" | "figcaption" | "summary" | "details" | "body" | "button" | "label"
        | "option" => BlockKind::Paragraph,
        _ => return None,
    })
}

fn is_break(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr" | "ul" | "ol" | "table" | "tr" | "img" | "html" | "head" | "form"
    )
}
