//! The workspace folder: `copydesk.toml`, the brand kits and (by default) the SQLite file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use copydesk_core::brief::CheckConfig;
use copydesk_provider::{OpenAiCompatible, ProviderConfig};
use copydesk_service::{KitFolders, ProviderEntry, Service, ServiceConfig};

use crate::failure::Failure;

pub const CONFIG_FILE: &str = "copydesk.toml";
pub const DEFAULT_DB: &str = "copydesk.db";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub database: DatabaseConfig,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub brief_check: BriefCheckConfig,
    /// AI providers (`[[provider]]` tables); none means the offline assistant.
    #[serde(default, rename = "provider")]
    pub providers: Vec<ProviderConfig>,
}

impl Config {
    pub fn service_config(&self) -> ServiceConfig {
        ServiceConfig {
            max_text_bytes: self.limits.max_text_bytes,
            brief_check: CheckConfig {
                min_words: self.brief_check.min_words,
            },
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    #[serde(default = "default_max_text")]
    pub max_text_bytes: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_text_bytes: default_max_text(),
        }
    }
}

fn default_max_text() -> usize {
    ServiceConfig::default().max_text_bytes
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefCheckConfig {
    #[serde(default = "default_min_words")]
    pub min_words: usize,
}

impl Default for BriefCheckConfig {
    fn default() -> Self {
        BriefCheckConfig {
            min_words: default_min_words(),
        }
    }
}

fn default_min_words() -> usize {
    CheckConfig::default().min_words
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
}

impl Workspace {
    /// Finds the workspace: the folder given, or the nearest folder holding copydesk.toml
    /// from the current one upwards.
    pub fn locate(given: Option<&Path>) -> Result<Workspace, Failure> {
        Workspace::find(given)?.ok_or_else(|| {
            Failure::input(format!(
                "no copydesk workspace here or above ({CONFIG_FILE} not found): run `copydesk init` or pass --workspace"
            ))
        })
    }

    /// As [`Workspace::locate`], but `None` when no folder was given and none is found; a
    /// workspace that is found but unreadable is still an error.
    pub fn find(given: Option<&Path>) -> Result<Option<Workspace>, Failure> {
        let root = match given {
            Some(dir) => dir.to_path_buf(),
            None => {
                let cwd = std::env::current_dir()
                    .map_err(|e| Failure::input(format!("cannot read the current folder: {e}")))?;
                match cwd.ancestors().find(|d| d.join(CONFIG_FILE).is_file()) {
                    Some(dir) => dir.to_path_buf(),
                    None => return Ok(None),
                }
            }
        };
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Failure::input(format!(
                "{}: cannot read the workspace config: {e} (run `copydesk init {}`?)",
                path.display(),
                root.display()
            ))
        })?;
        let config: Config = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| copydesk_core::brief_file::line_col(&text, s.start).0);
            Failure::input(format!(
                "{}{}: {}",
                path.display(),
                line.map(|l| format!(":{l}")).unwrap_or_default(),
                e.message().trim()
            ))
        })?;
        Ok(Some(Workspace { root, config }))
    }

    /// The service over this workspace's brand kits, on the database at `url`.
    pub fn service(&self, url: &str) -> Result<Service, Failure> {
        let store = copydesk_store::open(url)?;
        Ok(Service::new(
            store,
            Box::new(KitFolders::new(self.root.clone())),
            self.config.service_config(),
        ))
    }

    /// The configured providers as models the service can call. Keys are read from their
    /// environment variables now; a missing key is an error naming the variable.
    pub fn providers(&self) -> Result<Vec<ProviderEntry>, Failure> {
        let mut out = Vec::new();
        for (i, config) in self.config.providers.iter().enumerate() {
            let at = format!("{CONFIG_FILE}: [[provider]] {} ('{}')", i + 1, config.name);
            if self.config.providers[..i]
                .iter()
                .any(|p| p.name == config.name)
            {
                return Err(Failure::input(format!("{at}: the name is used twice")));
            }
            // the binary is the one place that reads the environment; the client validates the
            // table and reports a named but unset variable as a missing key
            let key = match &config.api_key_env {
                None => None,
                Some(var) => match std::env::var(var) {
                    Ok(value) => Some(value),
                    Err(std::env::VarError::NotPresent) => None,
                    Err(std::env::VarError::NotUnicode(_)) => {
                        return Err(Failure::input(format!(
                            "{at}: the environment variable {var} (api_key_env) is not valid text"
                        )))
                    }
                },
            };
            let model = OpenAiCompatible::with_api_key(config.clone(), key)
                .map_err(|e| Failure::input(format!("{at}: {e}")))?;
            out.push(ProviderEntry {
                brands: config.brands.clone(),
                model: std::sync::Arc::new(model),
            });
        }
        Ok(out)
    }

    /// The database URL: the flag or environment, else the config, else the workspace's file.
    /// Relative SQLite paths are relative to the workspace.
    pub fn database_url(&self, given: Option<&str>) -> String {
        let url = given
            .map(str::to_string)
            .or_else(|| self.config.database.url.clone())
            .unwrap_or_else(|| format!("sqlite://{DEFAULT_DB}"));
        resolve_sqlite(&self.root, &url)
    }
}

pub fn resolve_sqlite(root: &Path, url: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return url.to_string();
    }
    let path = Path::new(url.strip_prefix("sqlite://").unwrap_or(url));
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    format!("sqlite://{}", path.display())
}

pub const EXAMPLE_CONFIG: &str = r#"# copydesk workspace configuration

[database]
# SQLite file relative to this folder, or postgres://user@host/db for teams running
# several instances. --database-url and COPYDESK_DATABASE_URL override it.
url = "sqlite://copydesk.db"

[limits]
# Largest version or source text accepted, in bytes
max_text_bytes = 5242880

[brief_check]
# Answers to the open questions shorter than this many words are too vague
min_words = 4

# AI providers: any server speaking the OpenAI chat-completions protocol (OpenAI, Azure
# OpenAI, Ollama, vLLM, llama.cpp's llama-server, LM Studio). With none, `copydesk draft`
# uses the offline assistant. The key is read from the environment variable named here;
# it is never stored or logged. For example, a local Ollama:
#
# [[provider]]
# name = "ollama"
# base_url = "http://127.0.0.1:11434/v1"
# model = "llama3.1"
# locality = "local"          # "external" prompts pass the personal-data policy first
# brands = []                 # brand slugs it serves; empty: every brand
#
# [[provider]]
# name = "openai"
# base_url = "https://api.openai.com/v1"
# model = "gpt-4o-mini"
# api_key_env = "OPENAI_API_KEY"
# locality = "external"
# price = { input_per_1k = 0.00015, output_per_1k = 0.0006 }
"#;

pub const EXAMPLE_NEVER_SAY: &str = r#"# Phrases this brand never uses, with what to say instead.
# The guardrails (`copydesk check`) read this file.

[[never_say]]
phrase = "world-class"
instead = "say what is measurably good about it"

[[never_say]]
phrase = "revolutionary"
instead = "name what changed for the customer"

[[never_say]]
phrase = "utilize"
replace = "use"
instead = "plain words read faster; --fix applies the replacement"

[[never_say]]
phrase = "synergy"
instead = "say who works with whom, and on what"
"#;

pub const EXAMPLE_GUARDRAILS: &str = r##"# Guardrail settings for `copydesk check` and for every version saved in the workflow.
# Levels: suggestion, warning, error, or off. Keys are rule ids or id prefixes
# (`copydesk rules` lists them) and category names. The most specific setting wins:
# channel rule, channel category, kit rule, kit category, the rule's own level.

[rules]
# "copydesk.passive" = "off"
# "copydesk.cliche" = "error"

[categories]
# jargon = "warning"

# Readability targets (defaults: min_ease 30, max_grade 12, max_sentence_words 35)
[readability]
max_grade = 12

# Disclosures a sponsored post must show within the first 125 characters or first line
[disclosure]
markers = ["#ad", "#sponsored", "Paid partnership", "Sponsored by"]

[channels.linkedin]
readability = { max_grade = 10, max_sentence_words = 30 }

[channels.instagram]
disclosure = { markers = ["#ad", "Paid partnership"] }
"##;

/// A rule in Vale's format: `styles/<Style>/<Rule>.yml` is rule `<Style>.<Rule>`.
pub const EXAMPLE_STYLE_RULE: &str = r#"# A house-style rule in Vale's YAML format (see docs/guardrails.md).
extends: substitution
message: "Use '%s' instead of '%s'."
level: suggestion
ignorecase: true
swap:
  e-mail: email
  log(?:-| )in: sign in
"#;

pub const EXAMPLE_TERMINOLOGY: &str = r#"# Brand and product terms with their one correct spelling.

[[term]]
use = "copydesk"
not = ["CopyDesk", "Copydesk", "copy desk"]
"#;

pub const EXAMPLE_VOICE: &str = r#"# Voice

We write like a colleague who has done the job: plain words, concrete numbers with their
source, no hype. We explain what changes for the reader on Monday morning.

## Approved voice examples

> Month-end used to take our payroll team three days. Now it takes one, and nobody works late.
"#;
