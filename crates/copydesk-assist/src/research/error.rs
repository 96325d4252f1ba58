//! What can be wrong with research input. Every message says where: the line of the input
//! and, for a missing column, the names that were there.

use super::parse::TEXT_COLUMNS;

/// Research input that cannot be read as items.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResearchError {
    /// A JSON Lines line is not JSON.
    #[error("line {line}: not valid JSON: {message}")]
    Json { line: usize, message: String },
    /// A JSON Lines object has no text field.
    #[error(
        "line {line}: no text field: expected {}, found {}",
        expected(.column.as_deref()),
        names(.found)
    )]
    NoTextField {
        line: usize,
        column: Option<String>,
        found: Vec<String>,
    },
    /// The text field of a JSON Lines object is not a string.
    #[error("line {line}: field \"{field}\" is not a string")]
    NotText { line: usize, field: String },
    /// A JSON Lines line is neither an object nor a string.
    #[error("line {line}: expected an object with a text field, or a string")]
    NotAnItem { line: usize },
    /// The CSV header has none of the default text columns.
    #[error("no text column: expected one of {}, found {}", TEXT_COLUMNS.join(", "), names(.found))]
    NoTextColumn { found: Vec<String> },
    /// The CSV header lacks the column the caller named.
    #[error("no column named \"{column}\": found {}", names(.found))]
    NoSuchColumn { column: String, found: Vec<String> },
    /// The CSV is malformed (for example a row with more fields than the header).
    #[error("line {line}: {message}")]
    Csv { line: usize, message: String },
}

fn expected(column: Option<&str>) -> String {
    match column {
        Some(c) => format!("\"{c}\""),
        None => format!("one of {}", TEXT_COLUMNS.join(", ")),
    }
}

fn names(found: &[String]) -> String {
    if found.is_empty() {
        "none".to_owned()
    } else {
        found.join(", ")
    }
}
