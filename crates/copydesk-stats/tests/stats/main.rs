//! copydesk-stats against gbstats reference values, properties, and CSV refusals.

mod golden;
mod import;
mod properties;
