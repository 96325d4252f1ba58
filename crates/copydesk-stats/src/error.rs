//! The crate's error types: statistics that cannot be computed, and import refusals.

use thiserror::Error;

/// Why a statistic could not be computed from the numbers given.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum StatsError {
    /// A parameter outside its domain (α, power, a prior's spread, a split …).
    #[error("{name} must be {expected}, not {value}")]
    Parameter {
        name: &'static str,
        expected: &'static str,
        value: String,
    },
    /// The control's mean is zero, so a relative effect is undefined.
    #[error("the control's value is zero, so a relative change is undefined")]
    ZeroBaseline,
    /// An arm has no spread (for example no conversions at all), so no test is possible.
    #[error("an arm has zero variance (all users behaved alike), so no test is possible")]
    ZeroVariance,
    /// An arm has fewer than two users.
    #[error("at least 2 users per arm are needed; one arm has {users}")]
    TooFewUsers { users: u64 },
    /// The numbers given are inconsistent with each other.
    #[error("{0}")]
    Inconsistent(String),
}

impl StatsError {
    pub(crate) fn parameter(name: &'static str, expected: &'static str, value: f64) -> Self {
        StatsError::Parameter {
            name,
            expected,
            value: value.to_string(),
        }
    }
}

/// Why a results CSV was refused. Rows are numbered as a spreadsheet shows them: the header
/// is row 1, the first data row is row 2.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file is not readable CSV (quoting, encoding).
    #[error("row {row}: not valid CSV: {message}")]
    Csv { row: u64, message: String },
    /// The header lacks a column the format needs.
    #[error("missing column `{column}` ({hint})")]
    MissingColumn { column: String, hint: &'static str },
    /// A row is shorter than the header.
    #[error("row {row}: missing field `{field}`")]
    MissingField { row: u64, field: String },
    /// A field's value is not acceptable.
    #[error("row {row}, field `{field}`: {problem}")]
    Value {
        row: u64,
        field: String,
        problem: String,
    },
    /// The same variant appears twice (in the same experiment).
    #[error("row {row}, field `variant`: variant `{variant}` appears twice")]
    DuplicateVariant { row: u64, variant: String },
    /// Fewer than two variants (in an experiment).
    #[error("{context}needs at least two variants (a control and one more), found {found}")]
    TooFewVariants { context: String, found: usize },
    /// The file has a header but no data.
    #[error("no data rows")]
    Empty,
}
