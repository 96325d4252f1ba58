//! Rule files: phrase lists through the shared phrase trie, and Vale's extension points.

use std::collections::HashSet;
use std::ops::Range;

use crate::check::{fill, Emitter, Note};
use crate::finding::Severity;
use crate::rules::phrases::on_boundaries;
use crate::rules::{Case, Kind, Rule, Scope, Unit};

pub(crate) fn run(out: &mut Emitter<'_, '_, '_>) {
    let rules = out.rules;
    let levels: Vec<Option<Severity>> = rules
        .rules
        .iter()
        .map(|r| out.level(&r.id, r.category, r.level))
        .collect();
    for hit in rules.phrases.find(&out.prose.text) {
        let Some(severity) = levels[hit.rule] else {
            continue;
        };
        let rule = &rules.rules[hit.rule];
        if !admitted(out, &rule.scope, hit.start) {
            continue;
        }
        let matched = &out.prose.text[hit.start..hit.end];
        if excepted(rule, matched) {
            continue;
        }
        let Some(entry) = rule.entries().get(hit.entry) else {
            continue;
        };
        if entry.correct.as_deref() == Some(matched) {
            continue;
        }
        let first = entry.suggestions.first().map(String::as_str).unwrap_or("");
        let mut message = if rule.is_substitution() {
            fill(&rule.message, &[first, matched])
        } else {
            fill(&rule.message, &[matched])
        };
        if let Some(why) = &entry.why {
            message.truncate(message.trim_end_matches('.').len());
            message.push_str(": ");
            message.push_str(why);
        }
        out.emit(
            hit.start..hit.end,
            Note {
                rule: &rule.id,
                category: rule.category,
                severity,
                message,
                suggestions: entry.suggestions.clone(),
                fixable: entry.fixable
                    && entry.suggestions.len() == 1
                    && entry
                        .base
                        .as_deref()
                        .is_none_or(|b| b.eq_ignore_ascii_case(matched)),
            },
        );
    }
    for (i, rule) in rules.rules.iter().enumerate() {
        let Some(severity) = levels[i] else {
            continue;
        };
        run_rule(out, rule, severity);
    }
}

fn admitted(out: &Emitter<'_, '_, '_>, scope: &Scope, at: usize) -> bool {
    out.prose
        .block_at(at)
        .is_some_and(|b| scope.admits(out.prose.blocks[b].kind))
}

fn excepted(rule: &Rule, matched: &str) -> bool {
    let exceptions = rule.exceptions();
    !exceptions.is_empty()
        && exceptions
            .iter()
            .any(|e| e == matched || e.eq_ignore_ascii_case(matched))
}

/// The prose ranges a rule looks at: each admitted block (or each sentence of one).
fn units(out: &Emitter<'_, '_, '_>, scope: &Scope) -> Vec<Range<usize>> {
    let blocks = out.prose.blocks.iter().filter(|b| scope.admits(b.kind));
    match scope.unit {
        Unit::Sentence => blocks
            .flat_map(|b| out.prose.sentences_of(b).iter().cloned())
            .collect(),
        _ => blocks.map(|b| b.range.clone()).collect(),
    }
}

fn run_rule(out: &mut Emitter<'_, '_, '_>, rule: &Rule, severity: Severity) {
    let text = out.prose.text.as_str();
    match &rule.kind {
        Kind::Existence {
            re: Some(re),
            bounded,
            ..
        } => {
            let mut hits = Vec::new();
            for unit in units(out, &rule.scope) {
                for m in re.find_iter(&text[unit.clone()]) {
                    let (s, e) = (unit.start + m.start(), unit.start + m.end());
                    if !m.is_empty() && (!bounded || on_boundaries(text, s, e)) {
                        hits.push(unit.start + m.start()..unit.start + m.end());
                    }
                }
            }
            for r in hits {
                let matched = &text[r.clone()];
                if excepted(rule, matched) {
                    continue;
                }
                let message = fill(&rule.message, &[matched]);
                report(out, rule, severity, r, message);
            }
        }
        Kind::Existence { re: None, .. } => {}
        Kind::Substitution {
            regexes,
            entries,
            bounded,
            ..
        } => {
            let mut hits = Vec::new();
            for unit in units(out, &rule.scope) {
                for (entry, re) in regexes {
                    for m in re.find_iter(&text[unit.clone()]) {
                        let (s, e) = (unit.start + m.start(), unit.start + m.end());
                        if !m.is_empty() && (!bounded || on_boundaries(text, s, e)) {
                            hits.push((*entry, unit.start + m.start()..unit.start + m.end()));
                        }
                    }
                }
            }
            for (entry, r) in hits {
                let matched = &text[r.clone()];
                let Some(e) = entries.get(entry) else {
                    continue;
                };
                if excepted(rule, matched) || e.suggestions.iter().any(|s| s == matched) {
                    continue;
                }
                let first = e.suggestions.first().map(String::as_str).unwrap_or("");
                let message = fill(&rule.message, &[first, matched]);
                let fixable = e.fixable;
                out.emit(
                    r,
                    Note {
                        rule: &rule.id,
                        category: rule.category,
                        severity,
                        message,
                        suggestions: e.suggestions.clone(),
                        fixable,
                    },
                );
            }
        }
        Kind::Occurrence { token, max, min } => {
            let mut found: Vec<(Range<usize>, Vec<Range<usize>>)> = Vec::new();
            if rule.scope.unit == Unit::Text {
                let mut all = Vec::new();
                let mut span = None::<Range<usize>>;
                for unit in units(out, &rule.scope) {
                    span = Some(span.map_or(unit.clone(), |s| s.start..unit.end));
                    all.extend(
                        token
                            .find_iter(&text[unit.clone()])
                            .map(|m| unit.start + m.start()..unit.start + m.end()),
                    );
                }
                if let Some(span) = span {
                    found.push((span, all));
                }
            } else {
                for unit in units(out, &rule.scope) {
                    let all = token
                        .find_iter(&text[unit.clone()])
                        .map(|m| unit.start + m.start()..unit.start + m.end())
                        .collect();
                    found.push((unit, all));
                }
            }
            for (unit, hits) in found {
                let n = hits.len();
                let over = max.is_some_and(|m| n > m);
                let under = min.is_some_and(|m| n < m);
                if !(over || under) {
                    continue;
                }
                let span = match (over, max) {
                    (true, Some(m)) if rule.scope.unit == Unit::Text => hits[*m].clone(),
                    _ => unit,
                };
                let count = n.to_string();
                let message = fill(&rule.message, &[&count]);
                report(out, rule, severity, span, message);
            }
        }
        Kind::Repetition {
            token,
            alpha,
            ignorecase,
        } => {
            let mut hits = Vec::new();
            for unit in units(out, &rule.scope) {
                let ws = out.prose.words_in(unit);
                for pair in ws.windows(2) {
                    let (a, b) = (&text[pair[0].clone()], &text[pair[1].clone()]);
                    let same = if *ignorecase {
                        a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
                    } else {
                        a == b
                    };
                    let between = &text[pair[0].end..pair[1].start];
                    if same
                        && between.trim().is_empty()
                        && token.is_match(a)
                        && (!alpha || a.chars().all(char::is_alphabetic))
                    {
                        hits.push((pair[0].start..pair[1].end, a.to_string()));
                    }
                }
            }
            for (r, word) in hits {
                let message = fill(&rule.message, &[&word]);
                let suggestions = vec![word];
                out.emit(
                    r,
                    Note {
                        rule: &rule.id,
                        category: rule.category,
                        severity,
                        message,
                        suggestions,
                        fixable: false,
                    },
                );
            }
        }
        Kind::Capitalization { case, exceptions } => {
            let mut hits = Vec::new();
            for unit in units(out, &rule.scope) {
                let s = &text[unit.clone()];
                if !case_ok(case, s, exceptions) {
                    hits.push(unit);
                }
            }
            for r in hits {
                let matched = text[r.clone()].to_string();
                let message = fill(&rule.message, &[&matched]);
                report(out, rule, severity, r, message);
            }
        }
        Kind::Conditional {
            first,
            second,
            exceptions,
        } => {
            let units = units(out, &rule.scope);
            let mut defined: HashSet<String> = HashSet::new();
            for unit in &units {
                for c in second.captures_iter(&text[unit.clone()]) {
                    if let Some(m) = c.get(1).or_else(|| c.get(0)) {
                        defined.insert(m.as_str().to_string());
                    }
                }
            }
            let mut hits = Vec::new();
            for unit in &units {
                for c in first.captures_iter(&text[unit.clone()]) {
                    let (Some(whole), Some(key)) = (c.get(0), c.get(1).or_else(|| c.get(0))) else {
                        continue;
                    };
                    let k = key.as_str();
                    if defined.contains(k) || exceptions.iter().any(|e| e == k) {
                        continue;
                    }
                    hits.push((
                        unit.start + whole.start()..unit.start + whole.end(),
                        k.to_string(),
                    ));
                }
            }
            for (r, k) in hits {
                let message = fill(&rule.message, &[&k]);
                report(out, rule, severity, r, message);
            }
        }
    }
}

/// A finding of `rule` with no suggestion.
fn report(
    out: &mut Emitter<'_, '_, '_>,
    rule: &Rule,
    severity: Severity,
    range: Range<usize>,
    message: String,
) {
    out.emit(
        range,
        Note {
            rule: &rule.id,
            category: rule.category,
            severity,
            message,
            suggestions: Vec::new(),
            fixable: false,
        },
    );
}

const SMALL_WORDS: [&str; 26] = [
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "off", "on", "per", "to", "up", "via", "vs", "with", "from", "into", "over",
];

fn case_ok(case: &Case, s: &str, exceptions: &[String]) -> bool {
    let is_exception = |w: &str| exceptions.iter().any(|e| e == w);
    let ws: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let starts_upper = |w: &str| {
        w.chars()
            .find(|c| c.is_alphabetic())
            .is_none_or(char::is_uppercase)
    };
    let is_lower = |w: &str| {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_lowercase)
    };
    let is_acronym = |w: &str| {
        w.chars().filter(|c| c.is_alphabetic()).count() > 1
            && w.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
    };
    match case {
        Case::Lower => {
            s.chars().all(|c| !c.is_uppercase())
                || ws.iter().all(|w| is_lower(w) || is_exception(w))
        }
        Case::Upper => s.chars().all(|c| !c.is_lowercase()),
        Case::Pattern(re) => re.is_match(s),
        Case::Title => ws.iter().enumerate().all(|(i, w)| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            is_exception(bare)
                || starts_upper(bare)
                || (i > 0
                    && i + 1 < ws.len()
                    && SMALL_WORDS.contains(&bare.to_lowercase().as_str()))
        }),
        Case::Sentence => ws.iter().enumerate().all(|(i, w)| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            if i == 0 {
                return starts_upper(bare) || is_exception(bare);
            }
            let after_colon = ws[i - 1].ends_with(':');
            is_lower(bare)
                || is_acronym(bare)
                || is_exception(bare)
                || after_colon
                || bare.chars().any(|c| c.is_ascii_digit())
        }),
    }
}
