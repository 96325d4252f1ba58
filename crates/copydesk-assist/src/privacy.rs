//! The privacy check on a composed prompt before it leaves: the guardrails' personal-data
//! patterns (e-mail, phone, card, IBAN, SSN), with the built-in rules so that no kit setting
//! can switch it off, and redaction that replaces each value with its label.

use std::sync::OnceLock;

use serde::Serialize;

use copydesk_guard::{check_text, Category, CheckOptions, Finding, Format, Rules};

/// Personal data found in a prompt. The message never repeats the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalData {
    pub rule: String,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

fn builtin_rules() -> Option<&'static Rules> {
    static RULES: OnceLock<Option<Rules>> = OnceLock::new();
    RULES.get_or_init(|| Rules::builtin().ok()).as_ref()
}

/// The personal data in `text`, in order. `None` when the built-in rules could not be
/// compiled, which a build of copydesk that passed its tests never sees; callers treat it
/// as "cannot tell" and refuse to send.
pub fn scan(text: &str) -> Option<Vec<PersonalData>> {
    let rules = builtin_rules()?;
    let findings: Vec<Finding> = check_text(rules, text, Format::Text, &CheckOptions::default());
    Some(
        findings
            .into_iter()
            .filter(|f| f.category == Category::Pii)
            .map(|f| PersonalData {
                rule: f.rule,
                message: f.message,
                line: f.line,
                column: f.column,
                byte_start: f.byte_start,
                byte_end: f.byte_end,
            })
            .collect(),
    )
}

/// `text` with each finding's bytes replaced by a label such as `[email redacted]`.
pub fn redact(text: &str, found: &[PersonalData]) -> String {
    let mut spans: Vec<&PersonalData> = found.iter().collect();
    spans.sort_by_key(|p| p.byte_start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for p in spans {
        if p.byte_start < at || p.byte_end > text.len() {
            continue;
        }
        out.push_str(&text[at..p.byte_start]);
        let kind = p.rule.rsplit('.').next().unwrap_or("personal data");
        out.push_str(&format!("[{kind} redacted]"));
        at = p.byte_end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_redacts_without_repeating_values() {
        let text = "Call Ana on +44 20 7946 0958 or write to ana.lopez@example.com today.";
        let found = scan(text).expect("rules compile");
        assert_eq!(found.len(), 2, "{found:?}");
        for p in &found {
            assert!(!p.message.contains("ana.lopez@example.com"));
            assert!(!p.message.contains("7946 0958"));
        }
        let clean = redact(text, &found);
        assert!(!clean.contains("ana.lopez"), "{clean}");
        assert!(!clean.contains("7946"), "{clean}");
        assert!(clean.contains("[email redacted]"), "{clean}");
        assert!(scan(&clean).expect("rules compile").is_empty());
    }

    #[test]
    fn plain_prose_is_clean() {
        let found = scan("Payroll closes in one day for 212 customers.").expect("rules");
        assert!(found.is_empty());
    }
}
