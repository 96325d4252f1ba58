//! What can be wrong with a keyword list. Every message names the line.

/// A keyword list that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeoError {
    /// The CSV is malformed (for example a row with more fields than the header).
    #[error("line {line}: {message}")]
    Csv { line: usize, message: String },
    /// A row has other values but no keyword.
    #[error("line {line}: the keyword is empty")]
    EmptyKeyword { line: usize },
    /// A volume that is not a whole number.
    #[error("line {line}: volume \"{value}\" is not a whole number (like 1200, 1,200 or 1.2k)")]
    Volume { line: usize, value: String },
    /// A difficulty that is not a number from 0 to 100.
    #[error("line {line}: difficulty \"{value}\" is not a number from 0 to 100")]
    Difficulty { line: usize, value: String },
    /// A line far longer than any search query, which usually means the wrong file.
    #[error(
        "line {line}: a keyword of {chars} characters (the limit is {limit}); \
         is this a keyword list?"
    )]
    TooLong {
        line: usize,
        chars: usize,
        limit: usize,
    },
}
