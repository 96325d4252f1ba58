//! Running the rules over a document.

use std::ops::Range;

use crate::checks;
use crate::document::Document;
use crate::finding::{Category, Finding, Severity};
use crate::position::LineIndex;
use crate::prose::Prose;
use crate::rules::{Rules, FRONT_MATTER_RULE};
use crate::switches::Switches;

/// Per-call options that are not part of the rules.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Overrides the front matter's channel.
    pub channel: Option<String>,
    /// Overrides the front matter's `sponsored`.
    pub sponsored: Option<bool>,
}

/// Checks a document. Never fails: whatever the text, the answer is a list of findings,
/// sorted by position.
pub fn check(rules: &Rules, doc: &Document<'_>, options: &CheckOptions) -> Vec<Finding> {
    let prose = Prose::build(doc);
    let channel = options.channel.clone().or_else(|| doc.meta.channel.clone());
    let mut out = Emitter {
        rules,
        doc,
        prose: &prose,
        lines: LineIndex::new(doc.source),
        channel: channel.as_deref(),
        switches: Switches::read(doc),
        findings: Vec::new(),
    };
    if let Some((range, message)) = &doc.meta_error {
        let (id, category, level) = FRONT_MATTER_RULE;
        let note = Note {
            rule: id,
            category,
            severity: level,
            message: format!(
                "front matter is not valid YAML, so channel and sponsorship were not read: {message}"
            ),
            suggestions: Vec::new(),
            fixable: false,
        };
        out.emit_source(range.clone(), note);
    }
    checks::lists::run(&mut out);
    checks::claim::run(&mut out);
    checks::pii::run(&mut out);
    checks::disclosure::run(
        &mut out,
        options.sponsored.or(doc.meta.sponsored).unwrap_or(false),
    );
    checks::readability::run(&mut out);
    checks::passive::run(&mut out);
    let mut findings = out.findings;
    findings.sort_by(|a, b| {
        (a.byte_start, a.byte_end, &a.rule).cmp(&(b.byte_start, b.byte_end, &b.rule))
    });
    findings.dedup_by(|a, b| {
        a.rule == b.rule && a.byte_start == b.byte_start && a.byte_end == b.byte_end
    });
    drop_shadowed(&mut findings);
    findings
}

/// What a check says about a span: everything of a finding but its place.
pub(crate) struct Note<'a> {
    pub rule: &'a str,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub suggestions: Vec<String>,
    pub fixable: bool,
}

pub(crate) struct Emitter<'r, 'd, 'p> {
    pub rules: &'r Rules,
    pub doc: &'d Document<'d>,
    pub prose: &'p Prose<'d>,
    lines: LineIndex,
    pub channel: Option<&'p str>,
    switches: Switches,
    findings: Vec<Finding>,
}

impl Emitter<'_, '_, '_> {
    /// The effective level of a rule here, or `None` when it is switched off.
    pub fn level(&self, id: &str, category: Category, default: Severity) -> Option<Severity> {
        self.rules
            .settings
            .level(id, category, default, self.channel)
    }

    /// Reports a span of prose text.
    pub fn emit(&mut self, range: Range<usize>, note: Note<'_>) {
        let source = self.prose.source_range(range);
        self.emit_source(source, note);
    }

    /// Reports a span of the source file.
    pub fn emit_source(&mut self, range: Range<usize>, note: Note<'_>) {
        let Note {
            rule: id,
            category,
            severity,
            message,
            suggestions,
            fixable,
        } = note;
        if self.switches.suppressed(id, category, range.start) {
            return;
        }
        let src = self.doc.source;
        if range.end > src.len()
            || !src.is_char_boundary(range.start)
            || !src.is_char_boundary(range.end)
        {
            return;
        }
        let ((line, column), (end_line, end_column)) = self.lines.span(src, &range);
        self.findings.push(Finding {
            rule: id.to_string(),
            category,
            severity,
            line,
            column,
            end_line,
            end_column,
            byte_start: range.start,
            byte_end: range.end,
            matched: src[range].to_string(),
            message,
            suggestions,
            fixable,
        });
    }
}

/// Phrase lists overlap (a brand's never-say list often repeats a built-in superlative): on the
/// same span, one finding is enough — the brand's own rule first, then the most severe.
fn drop_shadowed(findings: &mut Vec<Finding>) {
    fn rank(f: &Finding) -> (u8, Severity) {
        let own = match f.category {
            Category::Banned | Category::Terminology | Category::Style => 2,
            Category::Superlative | Category::Cliche | Category::Jargon | Category::Inclusive => 1,
            _ => 0,
        };
        (own, f.severity)
    }
    let mut keep = vec![true; findings.len()];
    let mut i = 0;
    while i < findings.len() {
        let mut j = i + 1;
        while j < findings.len()
            && findings[j].byte_start == findings[i].byte_start
            && findings[j].byte_end == findings[i].byte_end
        {
            j += 1;
        }
        let listed: Vec<usize> = (i..j).filter(|&k| rank(&findings[k]).0 > 0).collect();
        if let Some(&best) = listed.iter().max_by_key(|&&k| rank(&findings[k])) {
            for &k in &listed {
                keep[k] = k == best;
            }
        }
        i = j;
    }
    let mut it = keep.into_iter();
    findings.retain(|_| it.next().unwrap_or(true));
}

/// Fills `%s` placeholders in order; extra placeholders stay empty, extra values are dropped.
pub(crate) fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut rest = template;
    while let Some(i) = placeholder(rest) {
        out.push_str(&rest[..i]);
        out.push_str(values.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// Where the first `%s` of `text` starts (memchr for the `%`: `str::find` with a two-byte
/// needle set up a substring searcher on every call, and messages are filled per finding).
fn placeholder(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'%', &bytes[from..]) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b's') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}
