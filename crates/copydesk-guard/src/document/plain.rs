//! Plain text: paragraphs are separated by blank lines; `<!-- … -->` comments carry switches.

use std::sync::LazyLock;

use regex::Regex;

use super::Builder;

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").expect("literal regex"));
static CITATION_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*\[\^?([A-Za-z0-9_-]{1,20})\]:?\s").expect("literal regex")
});
static CITATION_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\^?([A-Za-z0-9_-]{1,20})\]").expect("literal regex"));

pub(super) fn warm_up() {
    LazyLock::force(&COMMENT);
    LazyLock::force(&CITATION_DEF);
    LazyLock::force(&CITATION_REF);
}

pub(super) fn read(source: &str, body_start: usize, b: &mut Builder) {
    let mut pos = body_start;
    let body = &source[body_start..];
    let comments: Vec<_> = COMMENT
        .find_iter(body)
        .map(|m| m.start() + body_start..m.end() + body_start)
        .collect();
    for c in &comments {
        b.comment(c.clone());
    }
    let mut next_comment = 0;
    for line in body.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            b.boundary();
            continue;
        }
        let mut at = start;
        let end = start + content.len();
        while next_comment < comments.len() && comments[next_comment].end <= at {
            next_comment += 1;
        }
        let mut i = next_comment;
        while i < comments.len() && comments[i].start < end {
            let c = &comments[i];
            if c.start > at {
                b.text(at..c.start, source);
            }
            at = at.max(c.end);
            i += 1;
        }
        if at < end {
            b.text(at..end, source);
        }
    }
    let defined: Vec<&str> = CITATION_DEF
        .captures_iter(body)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    for c in CITATION_REF.captures_iter(body) {
        let (Some(whole), Some(label)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let line_start = body[..whole.start()].rfind('\n').map_or(0, |n| n + 1);
        let is_definition = body[line_start..whole.start()].trim().is_empty()
            && body[whole.end()..].starts_with(':');
        if !is_definition && defined.contains(&label.as_str()) {
            b.attribution(body_start + whole.start());
        }
    }
}
