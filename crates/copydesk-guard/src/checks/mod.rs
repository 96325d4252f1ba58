//! The checks: rule files (lists) and the ones written in code.

pub(crate) mod claim;
pub(crate) mod disclosure;
pub(crate) mod lists;
pub(crate) mod passive;
pub(crate) mod pii;
pub(crate) mod readability;
