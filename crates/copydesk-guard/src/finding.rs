//! What a check reports: a finding with its exact place in the original file.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How serious a finding is, lowest first (so `max` and `>=` read naturally).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Suggestion,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Suggestion, Severity::Warning, Severity::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suggestion => "suggestion",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Severity, String> {
        match s {
            "suggestion" => Ok(Severity::Suggestion),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            other => Err(format!(
                "unknown level '{other}' (use suggestion, warning or error)"
            )),
        }
    }
}

/// The stable category names findings are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Claim,
    Superlative,
    Cliche,
    Jargon,
    Banned,
    Terminology,
    Disclosure,
    Pii,
    Inclusive,
    Readability,
    Passive,
    Style,
}

impl Category {
    pub const ALL: [Category; 12] = [
        Category::Claim,
        Category::Superlative,
        Category::Cliche,
        Category::Jargon,
        Category::Banned,
        Category::Terminology,
        Category::Disclosure,
        Category::Pii,
        Category::Inclusive,
        Category::Readability,
        Category::Passive,
        Category::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Claim => "claim",
            Category::Superlative => "superlative",
            Category::Cliche => "cliche",
            Category::Jargon => "jargon",
            Category::Banned => "banned",
            Category::Terminology => "terminology",
            Category::Disclosure => "disclosure",
            Category::Pii => "pii",
            Category::Inclusive => "inclusive",
            Category::Readability => "readability",
            Category::Passive => "passive",
            Category::Style => "style",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding. Lines and columns are 1-based, columns count Unicode characters; byte offsets
/// index the original file, so `&source[byte_start..byte_end] == matched`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    #[serde(rename = "match")]
    pub matched: String,
    pub message: String,
    pub suggestions: Vec<String>,
    /// Whether `--fix` may apply the first suggestion as a literal replacement.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub fixable: bool,
}

/// Counts by severity, for summaries and for risk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub suggestions: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            t.add(f.severity);
        }
        t
    }

    pub fn add(&mut self, severity: Severity) {
        self.findings += 1;
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Suggestion => self.suggestions += 1,
        }
    }

    pub fn merge(&mut self, other: Tally) {
        self.findings += other.findings;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.suggestions += other.suggestions;
    }
}
