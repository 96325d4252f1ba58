//! Findings as people and tools read them: rustc-style text, JSON, SARIF 2.1.0 and GitHub
//! workflow commands. Pure formatting: the caller writes the strings where they go.

use std::fmt::Write as _;
use std::ops::Range;

use serde_json::{json, Value};

use crate::finding::{Finding, Severity, Tally};

/// One file's findings as the JSON report's `files[]` element.
#[derive(Debug, serde::Serialize)]
pub struct FileReport<'a> {
    pub path: &'a str,
    pub findings: &'a [Finding],
    /// What `--fix` changed.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub fixed: &'a [crate::fix::Change],
}

impl FileReport<'_> {
    /// Appends exactly the bytes `serde_json::to_writer(out, self)` writes. The JSON report is
    /// most of what `copydesk check` produces (42 MB for 12 MB of prose), and serde's
    /// byte-at-a-time string escaping was a tenth of the command's work; this writer skips
    /// clean runs eight bytes at a time. `json_matches_serde` keeps the two in step.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        // about what it takes, so the buffer is not grown and copied as it fills
        let strings: usize = self
            .findings
            .iter()
            .map(|f| {
                f.rule.len()
                    + f.matched.len()
                    + f.message.len()
                    + f.suggestions.iter().map(|s| s.len() + 3).sum::<usize>()
            })
            .sum();
        out.reserve(strings + self.findings.len() * 200 + self.path.len() + 32);
        out.extend_from_slice(b"{\"path\":");
        json_string(out, self.path);
        out.extend_from_slice(b",\"findings\":");
        json_array(out, self.findings, json_finding);
        if !self.fixed.is_empty() {
            out.extend_from_slice(b",\"fixed\":");
            // rare (only with --fix): serde's own writer; writing into a Vec cannot fail
            let _ = serde_json::to_writer(&mut *out, self.fixed);
        }
        out.push(b'}');
    }
}

/// One finding as serde writes it: fields in declaration order, `fixable` only when true.
fn json_finding(out: &mut Vec<u8>, f: &Finding) {
    out.extend_from_slice(b"{\"rule\":");
    json_string(out, &f.rule);
    out.extend_from_slice(b",\"category\":\"");
    out.extend_from_slice(f.category.as_str().as_bytes());
    out.extend_from_slice(b"\",\"severity\":\"");
    out.extend_from_slice(f.severity.as_str().as_bytes());
    out.extend_from_slice(b"\",\"line\":");
    json_number(out, f.line);
    out.extend_from_slice(b",\"column\":");
    json_number(out, f.column);
    out.extend_from_slice(b",\"end_line\":");
    json_number(out, f.end_line);
    out.extend_from_slice(b",\"end_column\":");
    json_number(out, f.end_column);
    out.extend_from_slice(b",\"byte_start\":");
    json_number(out, f.byte_start);
    out.extend_from_slice(b",\"byte_end\":");
    json_number(out, f.byte_end);
    out.extend_from_slice(b",\"match\":");
    json_string(out, &f.matched);
    out.extend_from_slice(b",\"message\":");
    json_string(out, &f.message);
    out.extend_from_slice(b",\"suggestions\":");
    json_array(out, &f.suggestions, |out, s| json_string(out, s));
    if f.fixable {
        out.extend_from_slice(b",\"fixable\":true");
    }
    out.push(b'}');
}

/// `items` as a JSON array, each written by `write`.
fn json_array<T>(out: &mut Vec<u8>, items: &[T], write: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

fn json_number(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    // two digits a step
    while n >= 100 {
        let pair = n % 100;
        n /= 100;
        at -= 2;
        digits[at] = b'0' + (pair / 10) as u8;
        digits[at + 1] = b'0' + (pair % 10) as u8;
    }
    if n >= 10 {
        at -= 2;
        digits[at] = b'0' + (n / 10) as u8;
        digits[at + 1] = b'0' + (n % 10) as u8;
    } else {
        at -= 1;
        digits[at] = b'0' + n as u8;
    }
    // a few bytes: pushed one by one rather than through a call to memcpy
    for &d in &digits[at..] {
        out.push(d);
    }
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, and control characters (`\b \t \n
/// \f \r`, else `\u00XX` in lower-case hex); everything else, non-ASCII included, as is.
fn json_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut lanes = [0u8; 8];
        lanes.copy_from_slice(chunk);
        if needs_escape(u64::from_le_bytes(lanes)) {
            escape_bytes(out, bytes, at..at + 8, &mut copied);
        }
        at += 8;
    }
    escape_bytes(out, bytes, at..bytes.len(), &mut copied);
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// Whether any of eight bytes is a control character, a quote or a backslash. Exact, with the
/// word tricks of "Bit Twiddling Hacks" (`haszero`, `hasless`).
fn needs_escape(word: u64) -> bool {
    const LANES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(LANES) & !v & HIGH;
    let below_space = word.wrapping_sub(LANES * 0x20) & !word & HIGH;
    below_space
        | has_zero(word ^ (LANES * u64::from(b'"')))
        | has_zero(word ^ (LANES * u64::from(b'\\')))
        != 0
}

/// Escapes the bytes of `range` that need it, first copying what precedes each since `copied`.
fn escape_bytes(out: &mut Vec<u8>, bytes: &[u8], range: Range<usize>, copied: &mut usize) {
    for i in range {
        let b = bytes[i];
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0..0x20 => &[],
            _ => continue,
        };
        out.extend_from_slice(&bytes[*copied..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
        } else {
            out.extend_from_slice(escape);
        }
        *copied = i + 1;
    }
}

pub fn json_summary(files: usize, tally: Tally) -> Value {
    json!({
        "files": files,
        "findings": tally.findings,
        "errors": tally.errors,
        "warnings": tally.warnings,
        "suggestions": tally.suggestions,
    })
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Suggestion => "1;36",
    }
}

/// rustc-style text for one finding: header, location, the source line with the span
/// underlined, the rule and the suggestions.
pub fn text_finding(path: &str, source: &str, f: &Finding, colour: bool) -> String {
    let p = Paint { on: colour };
    let mut out = String::new();
    let head = format!("{}[{}]", f.severity, f.category);
    let _ = writeln!(
        out,
        "{}: {}",
        p.wrap(severity_colour(f.severity), &head),
        p.wrap("1", &f.message)
    );
    let gutter = f.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{} {path}:{}:{}",
        p.wrap("1;34", "-->"),
        f.line,
        f.column
    );
    // the line around the finding, found from its byte offset (not by counting lines)
    let at = f.byte_start.min(source.len());
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    let line_text = source[line_start..line_end].trim_end_matches('\r');
    let shown: String = line_text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let _ = writeln!(out, "{pad} {}", p.wrap("1;34", "|"));
    let _ = writeln!(
        out,
        "{} {} {shown}",
        p.wrap("1;34", &f.line.to_string()),
        p.wrap("1;34", "|")
    );
    let width = if f.end_line == f.line {
        f.end_column.saturating_sub(f.column).max(1)
    } else {
        shown.chars().count().saturating_sub(f.column - 1).max(1)
    };
    let marks = format!("{}{}", " ".repeat(f.column - 1), "^".repeat(width));
    let _ = writeln!(
        out,
        "{pad} {} {}",
        p.wrap("1;34", "|"),
        p.wrap(severity_colour(f.severity), &marks)
    );
    let _ = writeln!(out, "{pad} {} rule: {}", p.wrap("1;34", "="), f.rule);
    for s in &f.suggestions {
        let _ = writeln!(out, "{pad} {} help: {s}", p.wrap("1;34", "="));
    }
    out
}

pub fn text_summary(files: usize, tally: Tally) -> String {
    format!(
        "{} finding(s) in {files} file(s): {} error(s), {} warning(s), {} suggestion(s)",
        tally.findings, tally.errors, tally.warnings, tally.suggestions
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A GitHub Actions workflow command (`::warning file=…,line=…,col=…::…`).
pub fn github_finding(path: &str, f: &Finding) -> String {
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "notice",
    };
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(path),
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        escape_property(&f.rule),
        escape_data(&f.message)
    )
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// One SARIF `result`.
pub fn sarif_result(path: &str, f: &Finding) -> Value {
    let mut message = f.message.clone();
    if let Some(s) = f.suggestions.first() {
        message.push_str(&format!(" (suggestion: {s})"));
    }
    json!({
        "ruleId": f.rule,
        "level": sarif_level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": path },
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": f.end_line,
                    "endColumn": f.end_column,
                    "byteOffset": f.byte_start,
                    "byteLength": f.byte_end - f.byte_start,
                    "snippet": { "text": f.matched },
                }
            }
        }],
        "properties": { "category": f.category },
    })
}

/// A whole SARIF 2.1.0 log around `results`; `rules` lists every rule that may appear.
pub fn sarif_log(version: &str, rules: &[crate::rules::RuleInfo], results: Vec<Value>) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": format!("{} ({})", r.category, r.kind) },
                "defaultConfiguration": { "level": sarif_level(r.level) },
                "properties": { "category": r.category },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "copydesk",
                "informationUri": "https://github.com/copydesk/copydesk",
                "version": version,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Category;

    fn finding(rule: &str, matched: &str, message: &str, suggestions: &[&str]) -> Finding {
        Finding {
            rule: rule.to_string(),
            category: Category::Claim,
            severity: Severity::Warning,
            line: 12,
            column: 1,
            end_line: 1_000_000,
            end_column: 0,
            byte_start: usize::MAX,
            byte_end: 9,
            matched: matched.to_string(),
            message: message.to_string(),
            suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
            fixable: suggestions.len() == 1,
        }
    }

    #[test]
    fn json_matches_serde() {
        let mut every_byte = String::new();
        for b in 0u8..0x80 {
            every_byte.push(char::from(b));
        }
        let mut findings = vec![
            finding("a.b", "42%", "plain words, eight+ bytes long", &[]),
            finding(
                "x",
                "\"quoted\" \\ back",
                "tab\there\nnew line\r\u{c}\u{8}",
                &["one"],
            ),
            finding(
                "ünïcode",
                "é’“”",
                "control \u{1}\u{1f}\u{7f} and 中文 text",
                &["a", "b"],
            ),
            finding("", "", "", &[""]),
            finding(
                &every_byte,
                &every_byte[3..],
                &every_byte[17..],
                &[&every_byte],
            ),
        ];
        // every category and severity, whose names are written from `as_str`, not by serde
        for (i, category) in Category::ALL.into_iter().enumerate() {
            findings.push(Finding {
                category,
                severity: Severity::ALL[i % Severity::ALL.len()],
                ..finding("c", "", "", &[])
            });
        }
        let changes = [crate::fix::Change {
            rule: "r".to_string(),
            line: 1,
            column: 2,
            from: "\"from\"".to_string(),
            to: "to".to_string(),
        }];
        for fixed in [&[][..], &changes[..]] {
            for path in ["docs/a b.md", "we\\ird\"\npath"] {
                let report = FileReport {
                    path,
                    findings: &findings,
                    fixed,
                };
                let mut ours = Vec::new();
                report.write_json(&mut ours);
                let serde = serde_json::to_vec(&report).unwrap_or_default();
                assert_eq!(
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(&serde)
                );
            }
        }
    }
}
