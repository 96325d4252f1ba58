//! Vale's YAML rule format: `existence`, `substitution`, `occurrence`, `repetition`,
//! `capitalization` and `conditional`, with copydesk's `phrases` list as an extension.

use std::collections::BTreeMap;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use serde_yaml_ng::Value;

use super::error::RuleError;
use super::{Case, Entry, Kind, Rule, Scope};
use crate::finding::{Category, Severity};

#[derive(Debug, Deserialize)]
struct PhraseSpec {
    phrase: String,
    why: Option<String>,
    instead: Option<String>,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    replace: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn items(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The keys copydesk reads; Vale keys it has no use for (`link`, `action`, `vocab`, …) are
/// accepted and ignored so published packages load unchanged.
#[derive(Debug, Deserialize)]
struct ValeRule {
    extends: Option<String>,
    message: Option<String>,
    level: Option<String>,
    scope: Option<OneOrMany>,
    #[serde(default)]
    ignorecase: bool,
    #[serde(default)]
    nonword: bool,
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    raw: Vec<String>,
    swap: Option<serde_yaml_ng::Mapping>,
    #[serde(default)]
    exceptions: Vec<String>,
    max: Option<usize>,
    min: Option<usize>,
    token: Option<String>,
    #[serde(default)]
    alpha: bool,
    #[serde(rename = "match")]
    matches: Option<String>,
    first: Option<String>,
    second: Option<String>,
    phrases: Option<Vec<PhraseSpec>>,
    #[serde(flatten)]
    _rest: BTreeMap<String, Value>,
}

/// Extension points copydesk knows but does not run; such rules are skipped with a notice.
const UNSUPPORTED: [&str; 5] = ["spelling", "metric", "readability", "script", "sequence"];

/// What a rule file turned into.
pub(crate) enum Parsed {
    Rule(Rule),
    Skipped(String),
}

pub(crate) fn parse(
    file: &str,
    id: &str,
    category: Category,
    text: &str,
) -> Result<Parsed, RuleError> {
    let raw: ValeRule = serde_yaml_ng::from_str(text).map_err(|e| {
        RuleError::file(
            file,
            e.location().map(|l| l.line()),
            e.to_string()
                .lines()
                .next()
                .unwrap_or("not a YAML mapping")
                .to_string(),
        )
    })?;
    let extends = raw
        .extends
        .clone()
        .ok_or_else(|| RuleError::file(file, Some(1), "key 'extends' is missing (existence, substitution, occurrence, repetition, capitalization or conditional)"))?;
    if UNSUPPORTED.contains(&extends.as_str()) {
        return Ok(Parsed::Skipped(format!(
            "{file}: skipped: copydesk does not run Vale's '{extends}' extension point"
        )));
    }
    let level = match &raw.level {
        None => Severity::Warning,
        Some(l) => l
            .parse::<Severity>()
            .map_err(|e| RuleError::at(file, text, "level", e))?,
    };
    let scope = Scope::parse(raw.scope.map(OneOrMany::items).unwrap_or_default())
        .map_err(|e| RuleError::at(file, text, "scope", e))?;
    let message = raw.message.clone().unwrap_or_else(|| "'%s'".to_string());
    let exceptions = raw.exceptions.clone();
    let regex = |key: &str, pattern: &str| -> Result<Regex, RuleError> {
        RegexBuilder::new(pattern)
            .case_insensitive(raw.ignorecase)
            .size_limit(1 << 24)
            .build()
            .map_err(|e| {
                let mut err = RuleError::at(
                    file,
                    text,
                    pattern,
                    format!(
                        "invalid regular expression '{pattern}': {}",
                        e.to_string().lines().last().unwrap_or("")
                    ),
                );
                err.key = Some(key.to_string());
                err
            })
    };
    let kind = match extends.as_str() {
        "existence" => {
            let mut entries = Vec::new();
            let mut literals = Vec::new();
            let mut patterns = Vec::new();
            if let Some(phrases) = raw.phrases {
                for (i, p) in phrases.into_iter().enumerate() {
                    if p.phrase.trim().is_empty() {
                        return Err(RuleError::at(
                            file,
                            text,
                            "phrase",
                            format!("phrase {} is empty", i + 1),
                        ));
                    }
                    let mut forms = super::phrases::forms(&p.phrase);
                    for v in &p.variants {
                        forms.extend(super::phrases::forms(v));
                    }
                    let mut suggestions = p.replace.clone();
                    if let Some(instead) = &p.instead {
                        suggestions.push(instead.clone());
                    }
                    entries.push(Entry {
                        why: p.why,
                        suggestions,
                        fixable: false,
                        correct: None,
                        base: None,
                    });
                    literals.push((entries.len() - 1, forms, false));
                }
            }
            for t in &raw.tokens {
                if is_literal(t) {
                    entries.push(Entry::plain());
                    literals.push((entries.len() - 1, vec![t.clone()], !raw.ignorecase));
                } else {
                    regex("tokens", t)?;
                    patterns.push(t.clone());
                }
            }
            if patterns.is_empty() && raw.raw.is_empty() && literals.is_empty() {
                return Err(RuleError::at(
                    file,
                    text,
                    "extends",
                    "an existence rule needs 'tokens', 'raw' or 'phrases'",
                ));
            }
            let re = if patterns.is_empty() && raw.raw.is_empty() {
                None
            } else {
                let mut p = String::new();
                if !patterns.is_empty() {
                    let joined = patterns.join("|");
                    if raw.nonword {
                        p = format!("(?:{joined})");
                    } else {
                        p = format!(r"(?-u:\b)(?:{joined})(?-u:\b)");
                    }
                }
                p.push_str(&raw.raw.concat());
                Some(regex("tokens", &p)?)
            };
            Kind::Existence {
                entries,
                literals,
                re,
                exceptions: exception_set(&exceptions, raw.ignorecase),
                bounded: !raw.nonword,
            }
        }
        "substitution" => {
            let swap = raw.swap.ok_or_else(|| {
                RuleError::at(file, text, "extends", "a substitution rule needs 'swap'")
            })?;
            let mut entries = Vec::new();
            let mut literals = Vec::new();
            let mut regexes = Vec::new();
            for (k, v) in swap {
                let (Some(from), Some(to)) = (k.as_str(), v.as_str()) else {
                    return Err(RuleError::at(
                        file,
                        text,
                        "swap",
                        "every swap entry maps text to text",
                    ));
                };
                let suggestions: Vec<String> = to
                    .split('|')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                let fixable = suggestions.len() == 1;
                entries.push(Entry {
                    why: None,
                    suggestions,
                    fixable,
                    correct: None,
                    base: None,
                });
                let e = entries.len() - 1;
                if is_literal(from) {
                    literals.push((e, vec![from.to_string()], !raw.ignorecase));
                } else {
                    let body = if raw.nonword {
                        format!("(?:{from})")
                    } else {
                        format!(r"(?-u:\b)(?:{from})(?-u:\b)")
                    };
                    regexes.push((e, regex("swap", &body)?));
                }
            }
            Kind::Substitution {
                entries,
                literals,
                regexes,
                exceptions: exception_set(&exceptions, raw.ignorecase),
                bounded: !raw.nonword,
            }
        }
        "occurrence" => {
            let token = raw.token.as_deref().ok_or_else(|| {
                RuleError::at(file, text, "extends", "an occurrence rule needs 'token'")
            })?;
            if raw.max.is_none() && raw.min.is_none() {
                return Err(RuleError::at(
                    file,
                    text,
                    "extends",
                    "an occurrence rule needs 'max' or 'min'",
                ));
            }
            Kind::Occurrence {
                token: regex("token", token)?,
                max: raw.max,
                min: raw.min,
            }
        }
        "repetition" => {
            if raw.tokens.is_empty() {
                return Err(RuleError::at(
                    file,
                    text,
                    "extends",
                    "a repetition rule needs 'tokens'",
                ));
            }
            let joined = format!("^(?:{})$", raw.tokens.join("|"));
            Kind::Repetition {
                token: regex("tokens", &joined)?,
                alpha: raw.alpha,
                ignorecase: raw.ignorecase,
            }
        }
        "capitalization" => {
            let m = raw.matches.as_deref().ok_or_else(|| {
                RuleError::at(file, text, "extends", "a capitalization rule needs 'match'")
            })?;
            let case = match m {
                "$title" => Case::Title,
                "$sentence" => Case::Sentence,
                "$lower" => Case::Lower,
                "$upper" => Case::Upper,
                other if other.starts_with('$') => {
                    return Err(RuleError::at(file, text, "match", format!("unknown case '{other}' (use $title, $sentence, $lower, $upper or a regular expression)")));
                }
                other => Case::Pattern(regex("match", &format!("^(?:{other})$"))?),
            };
            Kind::Capitalization {
                case,
                exceptions: exceptions.clone(),
            }
        }
        "conditional" => {
            let first = raw.first.as_deref().ok_or_else(|| {
                RuleError::at(file, text, "extends", "a conditional rule needs 'first'")
            })?;
            let second = raw.second.as_deref().ok_or_else(|| {
                RuleError::at(file, text, "extends", "a conditional rule needs 'second'")
            })?;
            Kind::Conditional {
                first: regex("first", first)?,
                second: regex("second", second)?,
                exceptions: exceptions.clone(),
            }
        }
        other => {
            return Err(RuleError::at(file, text, "extends", format!("unknown extension point '{other}' (use existence, substitution, occurrence, repetition, capitalization or conditional)")));
        }
    };
    let default_scope = matches!(kind, Kind::Capitalization { .. });
    Ok(Parsed::Rule(Rule {
        id: id.to_string(),
        category,
        level,
        message,
        scope: if default_scope && scope == Scope::default() {
            Scope::headings()
        } else {
            scope
        },
        kind,
        origin: file.to_string(),
    }))
}

fn exception_set(exceptions: &[String], ignorecase: bool) -> Vec<String> {
    exceptions
        .iter()
        .map(|e| {
            if ignorecase {
                e.to_lowercase()
            } else {
                e.clone()
            }
        })
        .collect()
}

/// Whether a Vale token is plain text (so it can go into the literal phrase trie).
fn is_literal(token: &str) -> bool {
    !token.is_empty()
        && token.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | '-' | '\'' | '#' | '%' | '&' | ',' | '/' | '@' | '!' | '’'
                )
        })
}
