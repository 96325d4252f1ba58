//! `--fix`: applies the safe substitutions (never-say and terminology replacements, and Vale
//! `substitution` rules with one replacement) to the original text.

use crate::finding::Finding;

/// One applied change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub rule: String,
    pub line: usize,
    pub column: usize,
    pub from: String,
    pub to: String,
}

/// The text with every fixable finding replaced, and what changed. Overlapping fixes after
/// the first are left alone.
pub fn apply(source: &str, findings: &[Finding]) -> (String, Vec<Change>) {
    let mut fixable: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.fixable && f.suggestions.len() == 1)
        .filter(|f| source.get(f.byte_start..f.byte_end) == Some(f.matched.as_str()))
        .collect();
    fixable.sort_by_key(|f| (f.byte_start, f.byte_end));
    let mut out = String::with_capacity(source.len());
    let mut changes = Vec::new();
    let mut at = 0;
    for f in fixable {
        if f.byte_start < at {
            continue;
        }
        let to = keep_case(
            &f.matched,
            &f.suggestions[0],
            f.category == crate::Category::Terminology,
        );
        out.push_str(&source[at..f.byte_start]);
        out.push_str(&to);
        at = f.byte_end;
        changes.push(Change {
            rule: f.rule.clone(),
            line: f.line,
            column: f.column,
            from: f.matched.clone(),
            to,
        });
    }
    out.push_str(&source[at..]);
    (out, changes)
}

/// A replacement keeps a capital first letter at the start of the original (terms keep their
/// one spelling).
fn keep_case(original: &str, replacement: &str, exact: bool) -> String {
    if exact {
        return replacement.to_string();
    }
    let starts_upper = original.chars().next().is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(c) if starts_upper && c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}
