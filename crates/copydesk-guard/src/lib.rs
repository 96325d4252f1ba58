//! copydesk's guardrails: rules and documents in, findings out.
//!
//! ```text
//! Rules::load(kit files) ─┐
//! Document::parse(text) ──┴─► check() ─► Vec<Finding> ─► report (text, JSON, SARIF, GitHub)
//! ```
//!
//! This crate does no file or network I/O: callers read files and pass their text. Parsing
//! and checking never fail on text; only rule files can be invalid, and their errors name the
//! file, line and key.

mod check;
mod checks;
pub mod document;
pub mod finding;
pub mod fix;
mod position;
mod prose;
pub mod report;
pub mod rules;
mod switches;

/// Builds a built-in pattern with ASCII word boundaries: Unicode `\b` forces the regex crate
/// off its DFA onto a far slower engine whenever the text is not pure ASCII.
pub(crate) fn fast_regex(pattern: &str) -> regex::Regex {
    regex::Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).expect("built-in pattern")
}

pub use check::{check, CheckOptions};
pub use checks::readability::{score as readability, Scores};
pub use document::{Document, Format, Meta};
pub use finding::{Category, Finding, Severity, Tally};
pub use rules::{KitFiles, RuleError, RuleInfo, Rules};

/// Compiles the patterns the checks build on first use. A caller about to check many files can
/// run this on a spare thread while it loads rules and lists files, so no worker waits for the
/// compilation later.
pub fn warm_up() {
    document::warm_up();
    checks::pii::warm_up();
    checks::claim::warm_up();
}

/// Parses and checks one text: the whole pipeline in one call.
pub fn check_text(
    rules: &Rules,
    text: &str,
    format: Format,
    options: &CheckOptions,
) -> Vec<Finding> {
    let doc = Document::parse(text, format);
    check(rules, &doc, options)
}
