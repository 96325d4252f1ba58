use std::fmt;

/// A rule or brand-kit file that cannot be used, with the place that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RuleError {
    pub file: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "key '{key}': ")?;
        }
        f.write_str(&self.message)
    }
}

impl RuleError {
    pub(crate) fn at(file: &str, text: &str, key: &str, message: impl Into<String>) -> RuleError {
        RuleError {
            file: file.to_string(),
            line: key_line(text, key),
            key: Some(key.to_string()),
            message: message.into(),
        }
    }

    pub(crate) fn file(file: &str, line: Option<usize>, message: impl Into<String>) -> RuleError {
        RuleError {
            file: file.to_string(),
            line,
            key: None,
            message: message.into(),
        }
    }
}

/// The 1-based line where `key:` (or `key =`) first appears, or where a value `key` first
/// appears when it is not a key.
pub(crate) fn key_line(text: &str, key: &str) -> Option<usize> {
    let as_key = text.lines().position(|l| {
        let t = l
            .trim_start()
            .trim_start_matches("- ")
            .trim_start_matches(['"', '\'']);
        t.strip_prefix(key).is_some_and(|rest| {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            rest.starts_with(':') || rest.starts_with('=')
        })
    });
    as_key
        .or_else(|| text.lines().position(|l| l.contains(key)))
        .map(|i| i + 1)
}
