//! Brand-kit guardrail settings: `guardrails.toml` (severity overrides, readability targets,
//! disclosure markers, per channel), `never-say.toml` and `terminology.toml`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::RuleError;
use crate::finding::{Category, Severity};

/// A severity override: a level, or off.
pub(crate) type Level = Option<Severity>;

fn parse_level(file: &str, text: &str, key: &str, value: &str) -> Result<Level, RuleError> {
    if value == "off" {
        return Ok(None);
    }
    value.parse::<Severity>().map(Some).map_err(|_| {
        RuleError::at(
            file,
            text,
            key,
            format!("unknown level '{value}' (use suggestion, warning, error or off)"),
        )
    })
}

/// Readability targets; unset fields fall back to the next level (channel → kit → default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub min_ease: Option<f64>,
    pub max_grade: Option<f64>,
    pub max_sentence_words: Option<usize>,
}

impl Targets {
    fn or(self, base: Targets) -> Targets {
        Targets {
            min_ease: self.min_ease.or(base.min_ease),
            max_grade: self.max_grade.or(base.max_grade),
            max_sentence_words: self.max_sentence_words.or(base.max_sentence_words),
        }
    }
}

pub const DEFAULT_TARGETS: Targets = Targets {
    min_ease: Some(30.0),
    max_grade: Some(12.0),
    max_sentence_words: Some(35),
};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DisclosureFile {
    markers: Option<Vec<String>>,
    conspicuous_chars: Option<usize>,
}

/// `guardrails.toml`: the kit's settings, and under `[channels.NAME]` the same keys again for
/// one channel.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    categories: BTreeMap<String, String>,
    readability: Option<Targets>,
    disclosure: Option<DisclosureFile>,
    #[serde(default)]
    channels: BTreeMap<String, SettingsFile>,
}

#[derive(Debug, Clone, Default)]
struct Overrides {
    /// Rule id prefixes (`copydesk.cliche` covers `copydesk.cliche.openers`) → level.
    rules: Vec<(String, Level)>,
    categories: Vec<(Category, Level)>,
}

impl Overrides {
    fn parse(
        file: &str,
        text: &str,
        rules: &BTreeMap<String, String>,
        categories: &BTreeMap<String, String>,
    ) -> Result<Overrides, RuleError> {
        let mut o = Overrides::default();
        for (key, value) in rules {
            o.rules
                .push((key.clone(), parse_level(file, text, key, value)?));
        }
        for (key, value) in categories {
            let category = Category::parse(key).ok_or_else(|| {
                RuleError::at(
                    file,
                    text,
                    key,
                    format!(
                        "unknown category (use one of {})",
                        Category::ALL.map(Category::as_str).join(", ")
                    ),
                )
            })?;
            o.categories
                .push((category, parse_level(file, text, key, value)?));
        }
        Ok(o)
    }

    /// The override for a rule: the longest matching rule prefix, else its category.
    fn lookup(&self, id: &str, category: Category) -> Option<Level> {
        let by_rule = self
            .rules
            .iter()
            .filter(|(k, _)| {
                id == k
                    || id
                        .strip_prefix(k.as_str())
                        .is_some_and(|r| r.starts_with('.'))
            })
            .max_by_key(|(k, _)| k.len())
            .map(|(_, l)| *l);
        by_rule.or_else(|| {
            self.categories
                .iter()
                .find(|(c, _)| *c == category)
                .map(|(_, l)| *l)
        })
    }
}

/// One level of settings: the kit's, or one channel's.
#[derive(Debug, Clone, Default)]
struct Layer {
    overrides: Overrides,
    readability: Targets,
    markers: Option<Vec<String>>,
    conspicuous_chars: Option<usize>,
}

impl Layer {
    fn parse(file: &str, text: &str, raw: &SettingsFile) -> Result<Layer, RuleError> {
        Ok(Layer {
            overrides: Overrides::parse(file, text, &raw.rules, &raw.categories)?,
            readability: raw.readability.unwrap_or_default(),
            markers: raw.disclosure.as_ref().and_then(|d| d.markers.clone()),
            conspicuous_chars: raw.disclosure.as_ref().and_then(|d| d.conspicuous_chars),
        })
    }
}

pub const DEFAULT_MARKERS: [&str; 8] = [
    "#ad",
    "#sponsored",
    "#advertisement",
    "#paidpartnership",
    "paid partnership",
    "sponsored by",
    "sponsored post",
    "advertisement",
];
pub const DEFAULT_CONSPICUOUS_CHARS: usize = 125;

/// The kit's guardrail settings.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    kit: Layer,
    /// By lower-case channel name.
    channels: BTreeMap<String, Layer>,
}

impl Settings {
    pub fn parse(file: &str, text: &str) -> Result<Settings, RuleError> {
        let raw: SettingsFile = parse_toml(file, text)?;
        let mut channels = BTreeMap::new();
        for (name, ch) in &raw.channels {
            if !ch.channels.is_empty() {
                return Err(RuleError::at(
                    file,
                    text,
                    name,
                    "a channel's settings cannot hold channels of their own",
                ));
            }
            channels.insert(name.to_ascii_lowercase(), Layer::parse(file, text, ch)?);
        }
        Ok(Settings {
            kit: Layer::parse(file, text, &raw)?,
            channels,
        })
    }

    fn channel(&self, channel: Option<&str>) -> Option<&Layer> {
        let c = channel?;
        self.channels
            .get(c)
            .or_else(|| self.channels.get(&c.to_ascii_lowercase()))
    }

    /// The effective level of a rule on a channel: `None` when switched off.
    pub fn level(
        &self,
        id: &str,
        category: Category,
        default: Severity,
        channel: Option<&str>,
    ) -> Level {
        if let Some(level) = self
            .channel(channel)
            .and_then(|c| c.overrides.lookup(id, category))
        {
            return level;
        }
        self.kit
            .overrides
            .lookup(id, category)
            .unwrap_or(Some(default))
    }

    pub fn targets(&self, channel: Option<&str>) -> Targets {
        let kit = self.kit.readability.or(DEFAULT_TARGETS);
        match self.channel(channel) {
            Some(c) => c.readability.or(kit),
            None => kit,
        }
    }

    pub fn markers(&self, channel: Option<&str>) -> Vec<String> {
        self.channel(channel)
            .and_then(|c| c.markers.clone())
            .or_else(|| self.kit.markers.clone())
            .unwrap_or_else(|| DEFAULT_MARKERS.map(str::to_string).to_vec())
    }

    pub fn conspicuous_chars(&self, channel: Option<&str>) -> usize {
        self.channel(channel)
            .and_then(|c| c.conspicuous_chars)
            .or(self.kit.conspicuous_chars)
            .unwrap_or(DEFAULT_CONSPICUOUS_CHARS)
    }
}

/// Parses a kit's TOML file; errors name the line.
fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, RuleError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        RuleError::file(file, line, e.message().trim().to_string())
    })
}

/// The entry `index` (0-based) of a `[[table]]` list has an empty `key`: the error points at
/// that entry's header line.
fn empty_entry(file: &str, text: &str, header: &str, index: usize, key: &str) -> RuleError {
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .nth(index)
        .map(|(i, _)| i + 1);
    RuleError {
        file: file.to_string(),
        line,
        key: Some(key.to_string()),
        message: format!(
            "entry {} has an empty {key}: give it a value or remove the entry",
            index + 1
        ),
    }
}

/// One never-say entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeverSay {
    pub phrase: String,
    /// Advice for the writer.
    pub instead: Option<String>,
    /// A literal replacement `--fix` may apply.
    pub replace: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NeverSayFile {
    #[serde(default)]
    never_say: Vec<NeverSay>,
}

/// Parses a never-say file (`[[never_say]]` entries); errors name the file, line and key.
pub fn parse_never_say(file: &str, text: &str) -> Result<Vec<NeverSay>, RuleError> {
    let raw: NeverSayFile = parse_toml(file, text)?;
    if let Some(n) = raw
        .never_say
        .iter()
        .position(|n| n.phrase.trim().is_empty())
    {
        return Err(empty_entry(file, text, "[[never_say]]", n, "phrase"));
    }
    Ok(raw.never_say)
}

/// One brand term and the spellings that are wrong.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    #[serde(rename = "use")]
    pub correct: String,
    #[serde(default, rename = "not")]
    pub wrong: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermFile {
    #[serde(default)]
    term: Vec<Term>,
}

/// Parses a terminology file (`[[term]]` entries); errors name the file, line and key.
pub fn parse_terminology(file: &str, text: &str) -> Result<Vec<Term>, RuleError> {
    let raw: TermFile = parse_toml(file, text)?;
    if let Some(n) = raw.term.iter().position(|t| t.correct.trim().is_empty()) {
        return Err(empty_entry(file, text, "[[term]]", n, "use"));
    }
    Ok(raw.term)
}
