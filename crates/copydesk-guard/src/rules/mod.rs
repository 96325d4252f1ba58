//! Rules as data: built-in rule files and a brand kit's own, in Vale's YAML format, plus the
//! kit's guardrail settings, never-say list and terminology — compiled once, used for every
//! document.

mod error;
pub(crate) mod kit;
pub(crate) mod phrases;
mod vale;

use regex::Regex;

use crate::finding::{Category, Severity};
pub use error::RuleError;
pub use kit::{parse_never_say, parse_terminology, NeverSay, Settings, Targets, Term};
use phrases::PhraseSet;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Where a rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scope {
    pub unit: Unit,
    pub paragraphs: bool,
    pub headings: bool,
    pub lists: bool,
    pub cells: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Text,
    Paragraph,
    Sentence,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope {
            unit: Unit::Text,
            paragraphs: true,
            headings: true,
            lists: true,
            cells: true,
        }
    }
}

impl Scope {
    fn headings() -> Scope {
        Scope {
            unit: Unit::Paragraph,
            paragraphs: false,
            headings: true,
            lists: false,
            cells: false,
        }
    }

    fn parse(items: Vec<String>) -> Result<Scope, String> {
        if items.is_empty() {
            return Ok(Scope::default());
        }
        let mut s = Scope {
            unit: Unit::Text,
            paragraphs: false,
            headings: false,
            lists: false,
            cells: false,
        };
        let mut excluded = Vec::new();
        for item in items {
            let (negated, name) = match item.strip_prefix('~') {
                Some(rest) => (true, rest.to_string()),
                None => (false, item.clone()),
            };
            let base = name.split('.').next().unwrap_or("").to_string();
            if negated {
                excluded.push(base);
                continue;
            }
            match base.as_str() {
                "text" | "raw" | "summary" | "markup" => {
                    s.paragraphs = true;
                    s.headings = true;
                    s.lists = true;
                    s.cells = true;
                }
                "paragraph" => {
                    s.unit = Unit::Paragraph;
                    s.paragraphs = true;
                    s.lists = true;
                    s.cells = true;
                }
                "sentence" => {
                    s.unit = Unit::Sentence;
                    s.paragraphs = true;
                    s.headings = true;
                    s.lists = true;
                    s.cells = true;
                }
                "heading" | "title" => {
                    s.headings = true;
                    if s.unit == Unit::Text {
                        s.unit = Unit::Paragraph;
                    }
                }
                "list" => s.lists = true,
                "table" => s.cells = true,
                other => {
                    return Err(format!(
                        "unknown scope '{other}' (use text, paragraph, sentence, heading, list or table, optionally negated with ~)"
                    ))
                }
            }
        }
        if !(s.paragraphs || s.headings || s.lists || s.cells || excluded.is_empty()) {
            s = Scope::default();
        }
        for e in excluded {
            match e.as_str() {
                "heading" | "title" => s.headings = false,
                "list" => s.lists = false,
                "table" => s.cells = false,
                "paragraph" => s.paragraphs = false,
                _ => {}
            }
        }
        Ok(s)
    }

    pub fn admits(&self, kind: crate::document::BlockKind) -> bool {
        use crate::document::BlockKind as K;
        match kind {
            K::Paragraph => self.paragraphs,
            K::Heading => self.headings,
            K::ListItem => self.lists,
            K::TableCell => self.cells,
        }
    }
}

#[derive(Debug)]
pub(crate) enum Case {
    Title,
    Sentence,
    Lower,
    Upper,
    Pattern(Regex),
}

/// One entry of a list rule: a phrase, a swap, a never-say item or a term.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub why: Option<String>,
    pub suggestions: Vec<String>,
    /// `--fix` may replace the match with the single suggestion.
    pub fixable: bool,
    /// Terminology: the one correct spelling; a match spelled exactly so is fine.
    pub correct: Option<String>,
    /// For an inflected phrase: the form `--fix` may replace (an inflected form would need
    /// an inflected replacement, so it is only suggested).
    pub base: Option<String>,
}

impl Entry {
    fn plain() -> Entry {
        Entry {
            why: None,
            suggestions: Vec::new(),
            fixable: false,
            correct: None,
            base: None,
        }
    }
}

type Literals = Vec<(usize, Vec<String>, bool)>;

#[derive(Debug)]
pub(crate) enum Kind {
    Existence {
        entries: Vec<Entry>,
        /// (entry, forms, case sensitive): matched by the shared phrase trie.
        literals: Literals,
        re: Option<Regex>,
        exceptions: Vec<String>,
        /// Matches must sit on (Unicode) word boundaries; the regex checks ASCII ones only.
        bounded: bool,
    },
    Substitution {
        entries: Vec<Entry>,
        literals: Literals,
        regexes: Vec<(usize, Regex)>,
        exceptions: Vec<String>,
        bounded: bool,
    },
    Occurrence {
        token: Regex,
        max: Option<usize>,
        min: Option<usize>,
    },
    Repetition {
        token: Regex,
        alpha: bool,
        ignorecase: bool,
    },
    Capitalization {
        case: Case,
        exceptions: Vec<String>,
    },
    Conditional {
        first: Regex,
        second: Regex,
        exceptions: Vec<String>,
    },
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    pub category: Category,
    pub level: Severity,
    pub message: String,
    pub scope: Scope,
    pub kind: Kind,
    /// The file it came from, for `rules` listings.
    pub origin: String,
}

impl Rule {
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Existence { entries, .. } | Kind::Substitution { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn exceptions(&self) -> &[String] {
        match &self.kind {
            Kind::Existence { exceptions, .. }
            | Kind::Substitution { exceptions, .. }
            | Kind::Capitalization { exceptions, .. }
            | Kind::Conditional { exceptions, .. } => exceptions,
            _ => &[],
        }
    }

    pub fn is_substitution(&self) -> bool {
        matches!(self.kind, Kind::Substitution { .. })
    }
}

/// The checks written in code, with their ids, categories and default levels.
pub const CODE_RULES: [(&str, Category, Severity); 16] = [
    (
        "copydesk.claim.unsourced-statistic",
        Category::Claim,
        Severity::Warning,
    ),
    (
        "copydesk.claim.unsourced-multiplier",
        Category::Claim,
        Severity::Warning,
    ),
    (
        "copydesk.claim.unsourced-money",
        Category::Claim,
        Severity::Warning,
    ),
    (
        "copydesk.claim.promised-duration",
        Category::Claim,
        Severity::Warning,
    ),
    (
        "copydesk.claim.unsourced-count",
        Category::Claim,
        Severity::Warning,
    ),
    (
        "copydesk.claim.unnamed-research",
        Category::Claim,
        Severity::Warning,
    ),
    (
        "copydesk.disclosure.missing",
        Category::Disclosure,
        Severity::Error,
    ),
    (
        "copydesk.disclosure.buried",
        Category::Disclosure,
        Severity::Error,
    ),
    ("copydesk.pii.email", Category::Pii, Severity::Error),
    ("copydesk.pii.phone", Category::Pii, Severity::Error),
    ("copydesk.pii.card", Category::Pii, Severity::Error),
    ("copydesk.pii.iban", Category::Pii, Severity::Error),
    ("copydesk.pii.ssn", Category::Pii, Severity::Error),
    (
        "copydesk.readability.document",
        Category::Readability,
        Severity::Suggestion,
    ),
    (
        "copydesk.readability.paragraph",
        Category::Readability,
        Severity::Suggestion,
    ),
    (
        "copydesk.readability.sentence-length",
        Category::Readability,
        Severity::Suggestion,
    ),
];
pub const PASSIVE_RULE: (&str, Category, Severity) =
    ("copydesk.passive", Category::Passive, Severity::Suggestion);
pub const FRONT_MATTER_RULE: (&str, Category, Severity) = (
    "copydesk.style.front-matter",
    Category::Style,
    Severity::Warning,
);

/// A brand kit's guardrail files, as text: the caller reads them, this crate parses them.
#[derive(Debug, Clone, Default)]
pub struct KitFiles {
    /// (name shown in errors, contents) of `guardrails.toml`.
    pub settings: Option<(String, String)>,
    pub never_say: Option<(String, String)>,
    pub terminology: Option<(String, String)>,
    /// Vale rule files: (name shown in errors, rule id `Style.Rule`, contents). An id equal
    /// to a built-in one (`copydesk.cliche.openers`) replaces that built-in.
    pub styles: Vec<(String, String, String)>,
}

/// Everything a check needs, compiled.
#[derive(Debug)]
pub struct Rules {
    pub(crate) rules: Vec<Rule>,
    pub(crate) phrases: PhraseSet,
    pub(crate) settings: Settings,
    /// Rule files that were read but not used, and why.
    pub notices: Vec<String>,
}

/// A listing row for `copydesk rules`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub category: Category,
    pub level: Severity,
    pub kind: &'static str,
    pub entries: usize,
    pub origin: String,
}

impl Rules {
    /// The built-in rules with default settings.
    pub fn builtin() -> Result<Rules, RuleError> {
        Rules::load(&KitFiles::default())
    }

    /// The built-in rules, replaced or extended by a brand kit's files.
    pub fn load(kit: &KitFiles) -> Result<Rules, RuleError> {
        let mut rules = Vec::new();
        let mut notices = Vec::new();
        let mut overrides: Vec<(&str, &str, &str)> = kit
            .styles
            .iter()
            .map(|(f, id, t)| (f.as_str(), id.as_str(), t.as_str()))
            .collect();
        for (path, text) in BUILTIN_FILES {
            let id = builtin_id(path);
            let category = category_of(&id).unwrap_or(Category::Style);
            if let Some(pos) = overrides.iter().position(|(_, oid, _)| *oid == id) {
                let (file, oid, t) = overrides.remove(pos);
                push(
                    &mut rules,
                    &mut notices,
                    vale::parse(file, oid, category, t)?,
                );
                continue;
            }
            push(
                &mut rules,
                &mut notices,
                vale::parse(&format!("(built-in) rules/{path}"), &id, category, text)?,
            );
        }
        for (file, id, text) in overrides {
            let category = category_of(id)
                .filter(|_| id.starts_with("copydesk."))
                .unwrap_or(Category::Style);
            push(
                &mut rules,
                &mut notices,
                vale::parse(file, id, category, text)?,
            );
        }
        if let Some((file, text)) = &kit.never_say {
            let entries = kit::parse_never_say(file, text)?;
            rules.push(never_say_rule(file, entries));
        }
        if let Some((file, text)) = &kit.terminology {
            let terms = kit::parse_terminology(file, text)?;
            rules.push(terminology_rule(file, terms));
        }
        let settings = match &kit.settings {
            Some((file, text)) => Settings::parse(file, text)?,
            None => Settings::default(),
        };
        let mut set = PhraseSet::default();
        for (r, rule) in rules.iter().enumerate() {
            let literals = match &rule.kind {
                Kind::Existence { literals, .. } | Kind::Substitution { literals, .. } => literals,
                _ => continue,
            };
            for (entry, forms, case_sensitive) in literals {
                for form in forms {
                    set.add(r, *entry, form, *case_sensitive);
                }
            }
        }
        set.build().map_err(|e| {
            RuleError::file(
                "(rules)",
                None,
                format!("cannot build the phrase matcher: {e}"),
            )
        })?;
        Ok(Rules {
            rules,
            phrases: set,
            settings,
            notices,
        })
    }

    /// Every rule, for listings and documentation.
    pub fn list(&self) -> Vec<RuleInfo> {
        let mut out: Vec<RuleInfo> = CODE_RULES
            .iter()
            .chain([&PASSIVE_RULE, &FRONT_MATTER_RULE])
            .map(|(id, category, level)| RuleInfo {
                id: id.to_string(),
                category: *category,
                level: *level,
                kind: "built-in check",
                entries: 0,
                origin: "(code)".to_string(),
            })
            .collect();
        for r in &self.rules {
            out.push(RuleInfo {
                id: r.id.clone(),
                category: r.category,
                level: r.level,
                kind: match r.kind {
                    Kind::Existence { .. } => "existence",
                    Kind::Substitution { .. } => "substitution",
                    Kind::Occurrence { .. } => "occurrence",
                    Kind::Repetition { .. } => "repetition",
                    Kind::Capitalization { .. } => "capitalization",
                    Kind::Conditional { .. } => "conditional",
                },
                entries: r.entries().len(),
                origin: r.origin.clone(),
            });
        }
        out
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How many literal phrase forms the phrase trie holds.
    pub fn phrase_forms(&self) -> usize {
        self.phrases.patterns.len()
    }
}

fn push(rules: &mut Vec<Rule>, notices: &mut Vec<String>, parsed: vale::Parsed) {
    match parsed {
        vale::Parsed::Rule(r) => rules.push(r),
        vale::Parsed::Skipped(n) => notices.push(n),
    }
}

/// `cliche/openers.yml` → `copydesk.cliche.openers`.
fn builtin_id(path: &str) -> String {
    let stem = path
        .trim_end_matches(".yml")
        .trim_end_matches(".yaml")
        .replace('/', ".");
    format!("copydesk.{stem}")
}

/// The category named by an id's second part (`copydesk.jargon.meetings` → jargon).
fn category_of(id: &str) -> Option<Category> {
    id.split('.').nth(1).and_then(Category::parse)
}

fn never_say_rule(file: &str, entries: Vec<NeverSay>) -> Rule {
    let mut list = Vec::new();
    let mut literals = Vec::new();
    for n in entries {
        let mut suggestions = Vec::new();
        if let Some(r) = &n.replace {
            suggestions.push(r.clone());
        }
        if let Some(i) = &n.instead {
            suggestions.push(i.clone());
        }
        list.push(Entry {
            why: None,
            suggestions,
            fixable: n.replace.is_some(),
            correct: None,
            base: Some(n.phrase.clone()),
        });
        literals.push((list.len() - 1, phrases::forms(&n.phrase), false));
    }
    Rule {
        id: "copydesk.banned".to_string(),
        category: Category::Banned,
        level: Severity::Error,
        message: "'%s' is on the brand's never-say list".to_string(),
        scope: Scope::default(),
        kind: Kind::Existence {
            entries: list,
            literals,
            re: None,
            exceptions: Vec::new(),
            bounded: true,
        },
        origin: file.to_string(),
    }
}

fn terminology_rule(file: &str, terms: Vec<Term>) -> Rule {
    let mut list = Vec::new();
    let mut literals = Vec::new();
    for t in terms {
        list.push(Entry {
            why: None,
            suggestions: vec![t.correct.clone()],
            fixable: true,
            correct: Some(t.correct.clone()),
            base: None,
        });
        let mut forms = vec![t.correct.clone()];
        forms.extend(t.wrong.iter().cloned());
        literals.push((list.len() - 1, forms, false));
    }
    Rule {
        id: "copydesk.terminology".to_string(),
        category: Category::Terminology,
        level: Severity::Warning,
        message: "write '%s', not '%s'".to_string(),
        scope: Scope::default(),
        kind: Kind::Substitution {
            entries: list,
            literals,
            regexes: Vec::new(),
            exceptions: Vec::new(),
            bounded: true,
        },
        origin: file.to_string(),
    }
}
