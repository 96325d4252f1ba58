//! The guardrails, category by category, on realistic text.

mod claims;
mod documents;
mod kit;
mod lists;
mod pii_disclosure;
mod properties;
mod readability_passive;
mod vale;

use copydesk_guard::{check_text, CheckOptions, Finding, Format, KitFiles, Rules};

pub fn builtin() -> &'static Rules {
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| Rules::builtin().expect("the built-in rules load"))
}

pub fn check(text: &str) -> Vec<Finding> {
    check_text(builtin(), text, Format::Markdown, &CheckOptions::default())
}

pub fn check_as(text: &str, format: Format) -> Vec<Finding> {
    check_text(builtin(), text, format, &CheckOptions::default())
}

pub fn check_with(rules: &Rules, text: &str) -> Vec<Finding> {
    check_text(rules, text, Format::Markdown, &CheckOptions::default())
}

/// The findings of one category, as (rule, matched text).
pub fn of<'a>(findings: &'a [Finding], category: &str) -> Vec<(&'a str, &'a str)> {
    findings
        .iter()
        .filter(|f| f.category.as_str() == category)
        .map(|f| (f.rule.as_str(), f.matched.as_str()))
        .collect()
}

pub fn matches<'a>(findings: &'a [Finding], category: &str) -> Vec<&'a str> {
    of(findings, category).into_iter().map(|(_, m)| m).collect()
}

/// Rules from a kit given as (file name, contents) pairs for Vale style files.
pub fn kit_rules(styles: &[(&str, &str)]) -> Rules {
    let files = KitFiles {
        styles: styles
            .iter()
            .map(|(id, text)| (format!("styles/{id}.yml"), id.to_string(), text.to_string()))
            .collect(),
        ..KitFiles::default()
    };
    Rules::load(&files).expect("kit rules load")
}
