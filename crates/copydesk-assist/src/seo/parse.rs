//! Reading a keyword list: one keyword per line, or a CSV export (comma, semicolon or tab
//! separated) with a `keyword` column and optional volume and difficulty columns, as keyword
//! tools export them.

use serde::Serialize;

use super::SeoError;

/// Header names of the keyword column, compared without case.
const KEYWORD_COLUMNS: &[&str] = &[
    "keyword",
    "keywords",
    "query",
    "search term",
    "search query",
];
/// Header names of the monthly search volume column.
const VOLUME_COLUMNS: &[&str] = &[
    "volume",
    "search volume",
    "avg. monthly searches",
    "monthly searches",
    "sv",
];
/// Header names of the difficulty column (0–100).
const DIFFICULTY_COLUMNS: &[&str] = &["difficulty", "keyword difficulty", "kd"];

/// No search query is this long; a longer line means the input is not a keyword list.
const MAX_KEYWORD_CHARS: usize = 200;

/// One keyword with what the keyword tool said about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Keyword {
    /// The keyword, trimmed, inner whitespace collapsed, case as given.
    pub text: String,
    /// Monthly searches, if the list had them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<u64>,
    /// Ranking difficulty 0–100, if the list had it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f64>,
    /// The 1-based line of the input it came from.
    pub line: usize,
}

impl Keyword {
    /// A keyword without metrics.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            volume: None,
            difficulty: None,
            line: 0,
        }
    }

    /// The same keyword with a search volume.
    #[must_use]
    pub fn with_volume(mut self, volume: u64) -> Self {
        self.volume = Some(volume);
        self
    }
}

/// Parses a keyword list. Blank lines (and, in a plain list, lines starting with `#`) are
/// skipped; a keyword that appears twice (ignoring case and spacing) is kept once, with the
/// first volume and difficulty known for it.
pub fn parse_keywords(text: &str) -> Result<Vec<Keyword>, SeoError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let keywords = match csv_layout(text) {
        Some(layout) => parse_csv(text, &layout)?,
        None => parse_lines(text)?,
    };
    Ok(dedupe(keywords))
}

/// Where a CSV keyword list keeps its values.
struct Layout {
    delimiter: u8,
    keyword: usize,
    volume: Option<usize>,
    difficulty: Option<usize>,
}

/// The layout if the first non-blank line is a header with a keyword column.
fn csv_layout(text: &str) -> Option<Layout> {
    let header = text.lines().find(|l| !l.trim().is_empty())?;
    [b'\t', b';', b','].into_iter().find_map(|delimiter| {
        if !header.contains(char::from(delimiter)) {
            return None;
        }
        let names: Vec<String> = header
            .split(char::from(delimiter))
            .map(|n| n.trim().trim_matches('"').trim().to_lowercase())
            .collect();
        let find = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
        Some(Layout {
            delimiter,
            keyword: find(KEYWORD_COLUMNS)?,
            volume: find(VOLUME_COLUMNS),
            difficulty: find(DIFFICULTY_COLUMNS),
        })
    })
}

fn parse_csv(text: &str, layout: &Layout) -> Result<Vec<Keyword>, SeoError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(layout.delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let keyword = collapse(record.get(layout.keyword).unwrap_or(""));
        if keyword.is_empty() {
            return Err(SeoError::EmptyKeyword { line });
        }
        check_length(&keyword, line)?;
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).map(str::trim);
        let volume = match cell(layout.volume) {
            Some(v) if !v.is_empty() => Some(parse_volume(v).ok_or_else(|| SeoError::Volume {
                line,
                value: v.to_owned(),
            })?),
            _ => None,
        };
        let difficulty = match cell(layout.difficulty) {
            Some(d) if !d.is_empty() => Some(
                d.parse::<f64>()
                    .ok()
                    .filter(|x| (0.0..=100.0).contains(x))
                    .ok_or_else(|| SeoError::Difficulty {
                        line,
                        value: d.to_owned(),
                    })?,
            ),
            _ => None,
        };
        out.push(Keyword {
            text: keyword,
            volume,
            difficulty,
            line,
        });
    }
    Ok(out)
}

/// One keyword per line. A first line that is just a column name ("Keyword") is the header of
/// a one-column export and is skipped, and quotes around a whole line are removed.
fn parse_lines(text: &str) -> Result<Vec<Keyword>, SeoError> {
    let mut out = Vec::new();
    let mut first = true;
    for (i, raw) in text.lines().enumerate() {
        let line = collapse(raw);
        let keyword = match line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
            Some(inner) => collapse(inner),
            None => line,
        };
        if keyword.is_empty() || keyword.starts_with('#') {
            continue;
        }
        let header = first && KEYWORD_COLUMNS.contains(&keyword.to_lowercase().as_str());
        first = false;
        if header {
            continue;
        }
        check_length(&keyword, i + 1)?;
        out.push(Keyword {
            text: keyword,
            volume: None,
            difficulty: None,
            line: i + 1,
        });
    }
    Ok(out)
}

fn check_length(keyword: &str, line: usize) -> Result<(), SeoError> {
    let chars = keyword.chars().count();
    if chars > MAX_KEYWORD_CHARS {
        return Err(SeoError::TooLong {
            line,
            chars,
            limit: MAX_KEYWORD_CHARS,
        });
    }
    Ok(())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A search volume as keyword tools write it: "1200", "1,200", "1 200", "1.2k", "3M".
fn parse_volume(v: &str) -> Option<u64> {
    let cleaned: String = v
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}'))
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let (number, scale) = match lower.strip_suffix('k') {
        Some(n) => (n, 1_000.0),
        None => match lower.strip_suffix('m') {
            Some(n) => (n, 1_000_000.0),
            None => (lower.as_str(), 1.0),
        },
    };
    if scale == 1.0 {
        return number.parse().ok();
    }
    let x: f64 = number.parse().ok()?;
    (x.is_finite() && x >= 0.0).then(|| (x * scale).round() as u64)
}

fn csv_error(err: csv::Error) -> SeoError {
    let (line, message) = crate::text::csv_problem(&err);
    SeoError::Csv { line, message }
}

/// Keeps the first of each keyword (ignoring case), filling in metrics a later copy has.
fn dedupe(keywords: Vec<Keyword>) -> Vec<Keyword> {
    let mut out: Vec<Keyword> = Vec::with_capacity(keywords.len());
    let mut seen = std::collections::HashMap::new();
    for k in keywords {
        let key = k.text.to_lowercase();
        match seen.get(&key) {
            Some(&i) => {
                let first: &mut Keyword = &mut out[i];
                first.volume = first.volume.or(k.volume);
                first.difficulty = first.difficulty.or(k.difficulty);
            }
            None => {
                seen.insert(key, out.len());
                out.push(k);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_column_exports_lose_their_header_and_quotes() {
        let k = parse_lines("Keyword\n\"payroll, uk\"\nkeyword\n").unwrap_or_default();
        let texts: Vec<&str> = k.iter().map(|k| k.text.as_str()).collect();
        assert_eq!(texts, ["payroll, uk", "keyword"]);
    }

    #[test]
    fn volumes_in_tool_formats() {
        assert_eq!(parse_volume("1200"), Some(1200));
        assert_eq!(parse_volume("1,200"), Some(1200));
        assert_eq!(parse_volume("1.2k"), Some(1200));
        assert_eq!(parse_volume("3M"), Some(3_000_000));
        assert_eq!(parse_volume("-5"), None);
        assert_eq!(parse_volume("lots"), None);
    }
}
