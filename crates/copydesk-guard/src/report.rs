//! Findings as people and tools read them: rustc-style text, JSON, SARIF 2.1.0 and GitHub
//! workflow commands. Pure formatting: the caller writes the strings where they go.

use std::fmt::Write as _;

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
