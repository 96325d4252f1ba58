//! Reading items (reviews, tickets, survey answers) from text the caller has already read:
//! CSV with a header, JSON Lines, or one item per line.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::ResearchError;

/// Column or field names taken as the item text when the caller names none, in order of
/// preference; a plural ("reviews") matches too. Survey and help-desk exports use all of them.
pub const TEXT_COLUMNS: &[&str] = &[
    "text", "body", "comment", "review", "answer", "message", "content", "feedback", "response",
];

/// One short text to analyse, with the line it starts on as its id so a reader can find it in
/// the original file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The 1-based line of the input on which the item starts (for CSV, the record's first
    /// line; the header is line 1).
    pub id: usize,
    pub text: String,
    /// The other columns (CSV) or scalar fields (JSONL) of the item, for a caller that wants
    /// to show or group by them. Empty values are left out.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

impl Item {
    /// An item without metadata.
    pub fn new(id: usize, text: impl Into<String>) -> Self {
        Self {
            id,
            text: text.into(),
            metadata: BTreeMap::new(),
        }
    }
}

/// How the input is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemFormat {
    /// Comma-separated values with a header row; the text column is chosen by name.
    Csv,
    /// One JSON object (with a text field) or JSON string per line.
    Jsonl,
    /// One item per non-empty line.
    Text,
}

impl ItemFormat {
    /// The format a file extension (without or with its dot, any case) names, if any.
    pub fn from_extension(ext: &str) -> Option<Self> {
        let ext = ext.strip_prefix('.').unwrap_or(ext).to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "txt" | "text" | "md" => Some(Self::Text),
            _ => None,
        }
    }
}

/// Parses `text` into items. `column` names the text column (CSV) or field (JSONL); without
/// it the first of [`TEXT_COLUMNS`] present is used. Items whose text is empty are skipped,
/// since they carry nothing to analyse; empty input gives no items.
pub fn parse_items(
    text: &str,
    format: ItemFormat,
    column: Option<&str>,
) -> Result<Vec<Item>, ResearchError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        ItemFormat::Csv => parse_csv(text, column),
        ItemFormat::Jsonl => parse_jsonl(text, column),
        ItemFormat::Text => Ok(parse_lines(text)),
    }
}

fn parse_lines(text: &str) -> Vec<Item> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| Item::new(i + 1, line.trim()))
        .collect()
}

/// Whether a header or field name is the chosen column: case and surrounding space ignored,
/// and a default name matches its plural too.
fn column_matches(name: &str, wanted: &str, allow_plural: bool) -> bool {
    let name = name.trim();
    name.eq_ignore_ascii_case(wanted)
        || (allow_plural
            && name.len() == wanted.len() + 1
            && name
                .get(..wanted.len())
                .is_some_and(|stem| stem.eq_ignore_ascii_case(wanted))
            && name.ends_with(['s', 'S']))
}

/// The index of the text column among `names`.
fn find_column<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    column: Option<&str>,
) -> Option<usize> {
    match column {
        Some(wanted) => names.clone().position(|n| column_matches(n, wanted, false)),
        None => TEXT_COLUMNS
            .iter()
            .find_map(|wanted| names.clone().position(|n| column_matches(n, wanted, true))),
    }
}

fn parse_csv(text: &str, column: Option<&str>) -> Result<Vec<Item>, ResearchError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let text_col = find_column(headers.iter().map(String::as_str), column)
        .ok_or_else(|| missing_column(column, headers.clone()))?;
    let mut items = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let body = record.get(text_col).unwrap_or("").trim();
        if body.is_empty() {
            continue;
        }
        let metadata = headers
            .iter()
            .zip(record.iter())
            .enumerate()
            .filter(|&(i, (_, value))| i != text_col && !value.trim().is_empty())
            .map(|(_, (name, value))| (name.clone(), value.trim().to_owned()))
            .collect();
        items.push(Item {
            id: line,
            text: body.to_owned(),
            metadata,
        });
    }
    Ok(items)
}

fn missing_column(column: Option<&str>, found: Vec<String>) -> ResearchError {
    match column {
        Some(name) => ResearchError::NoSuchColumn {
            column: name.to_owned(),
            found,
        },
        None => ResearchError::NoTextColumn { found },
    }
}

fn csv_error(err: csv::Error) -> ResearchError {
    let (line, message) = crate::text::csv_problem(&err);
    ResearchError::Csv { line, message }
}

fn parse_jsonl(text: &str, column: Option<&str>) -> Result<Vec<Item>, ResearchError> {
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| ResearchError::Json {
            line: line_no,
            message: e.to_string(),
        })?;
        let item = match value {
            Value::String(s) => Item::new(line_no, s.trim()),
            Value::Object(map) => {
                let keys = || map.keys().map(String::as_str);
                let Some(pos) = find_column(keys(), column) else {
                    return Err(ResearchError::NoTextField {
                        line: line_no,
                        column: column.map(str::to_owned),
                        found: map.keys().cloned().collect(),
                    });
                };
                let mut body = String::new();
                let mut metadata = BTreeMap::new();
                for (j, (key, value)) in map.iter().enumerate() {
                    if j == pos {
                        match value {
                            Value::String(s) => body = s.trim().to_owned(),
                            Value::Null => {}
                            _ => {
                                return Err(ResearchError::NotText {
                                    line: line_no,
                                    field: key.clone(),
                                })
                            }
                        }
                    } else if let Some(v) = scalar(value) {
                        metadata.insert(key.clone(), v);
                    }
                }
                Item {
                    id: line_no,
                    text: body,
                    metadata,
                }
            }
            _ => return Err(ResearchError::NotAnItem { line: line_no }),
        };
        if !item.text.is_empty() {
            items.push(item);
        }
    }
    Ok(items)
}

/// A JSON scalar as metadata text; arrays, objects, null and empty strings are left out.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_name_formats() {
        assert_eq!(ItemFormat::from_extension("CSV"), Some(ItemFormat::Csv));
        assert_eq!(
            ItemFormat::from_extension(".ndjson"),
            Some(ItemFormat::Jsonl)
        );
        assert_eq!(ItemFormat::from_extension("txt"), Some(ItemFormat::Text));
        assert_eq!(ItemFormat::from_extension("xlsx"), None);
    }

    #[test]
    fn plural_column_names_match_defaults_only() {
        assert!(column_matches(" Reviews ", "review", true));
        assert!(!column_matches("reviews", "review", false));
        assert!(!column_matches("reviewer", "review", true));
    }
}
