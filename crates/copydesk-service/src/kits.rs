//! Where brand kits come from: a folder per brand under the workspace.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use copydesk_assist::prompt::{KitVoice, NeverSay, PromptTask, Template};
use copydesk_core::policy::Policy;
use copydesk_guard::rules::{parse_never_say, parse_terminology};
use copydesk_guard::{KitFiles, Rules};
use sha2::{Digest, Sha256};

use crate::{Result, ServiceError};

/// A brand kit's review policy and the SHA-256 of the file it was read from.
#[derive(Debug, Clone)]
pub struct LoadedPolicy {
    pub policy: Policy,
    pub digest: String,
    pub path: String,
}

pub trait BrandKits: Send + Sync {
    /// The review policy of the kit at `kit` (as stored on the brand).
    fn policy(&self, kit: &str) -> Result<LoadedPolicy>;

    /// The guardrail rules of the kit at `kit`: built-ins plus the kit's own files.
    fn guardrails(&self, kit: &str) -> Result<Arc<Rules>>;

    /// The kit's voice description, never-say list and terms, for prompts (`brand` left
    /// empty: the caller knows the brand's name).
    fn voice(&self, kit: &str) -> Result<KitVoice>;

    /// The kit's own versions of a task's prompt template (`prompts/<task>/<version>.j2`),
    /// in version order.
    fn templates(&self, kit: &str, task: PromptTask) -> Result<Vec<Template>>;
}

pub const VOICE_FILE: &str = "voice.md";
/// Prompt templates: `prompts/<task>/<version>.j2`.
pub const PROMPTS_DIR: &str = "prompts";

/// Reads the voice, never-say list and terms of a kit folder, with the guardrails' own
/// parsers: an invalid file is the same error, naming file, line and key, as in `check`.
pub fn read_voice(dir: &Path) -> Result<KitVoice> {
    let mut voice = KitVoice::default();
    if let Some((_, text)) = read_optional(&dir.join(VOICE_FILE))? {
        voice.voice = text;
    }
    if let Some((shown, text)) = read_optional(&dir.join(NEVER_SAY_FILE))? {
        voice.never_say = parse_never_say(&shown, &text)
            .map_err(ServiceError::Guardrails)?
            .into_iter()
            .map(|e| NeverSay {
                instead: match (e.replace, e.instead) {
                    (Some(r), _) => format!("write \"{r}\""),
                    (None, Some(i)) => i,
                    (None, None) => String::new(),
                },
                phrase: e.phrase,
            })
            .collect();
    }
    if let Some((shown, text)) = read_optional(&dir.join(TERMINOLOGY_FILE))? {
        voice.terms = parse_terminology(&shown, &text)
            .map_err(ServiceError::Guardrails)?
            .into_iter()
            .map(|t| t.correct)
            .collect();
    }
    Ok(voice)
}

/// Reads a kit's template versions for a task, sorted by version (numerically when the
/// names are numbers).
pub fn read_templates(dir: &Path, task: PromptTask) -> Result<Vec<Template>> {
    let folder = dir.join(PROMPTS_DIR).join(task.as_str());
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let entries =
        std::fs::read_dir(&folder).map_err(|e| kit_error(&folder, format!("cannot read: {e}")))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| kit_error(&folder, format!("cannot read: {e}")))?
            .path();
        if path.extension().is_none_or(|e| e != "j2") {
            continue;
        }
        let Some(version) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        if let Some((shown, source)) = read_optional(&path)? {
            out.push(Template {
                task,
                version,
                origin: shown,
                source,
            });
        }
    }
    out.sort_by(
        |a, b| match (a.version.parse::<u64>(), b.version.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => a.version.cmp(&b.version),
        },
    );
    Ok(out)
}

/// Brand kits as folders below the workspace root.
#[derive(Debug, Default)]
pub struct KitFolders {
    pub root: PathBuf,
    /// Compiled guardrails per kit, with the fingerprint of the files they came from.
    compiled: Mutex<Vec<(String, String, Arc<Rules>)>>,
}

impl KitFolders {
    pub fn new(root: PathBuf) -> KitFolders {
        KitFolders {
            root,
            compiled: Mutex::new(Vec::new()),
        }
    }
}

/// The guardrail files a brand kit folder may hold.
pub const GUARDRAILS_FILE: &str = "guardrails.toml";
pub const NEVER_SAY_FILE: &str = "never-say.toml";
pub const TERMINOLOGY_FILE: &str = "terminology.toml";
/// Vale-format rule files: `styles/<Style>/<Rule>.yml` is rule `<Style>.<Rule>`.
pub const STYLES_DIR: &str = "styles";

fn kit_error(path: &Path, message: String) -> ServiceError {
    ServiceError::Policy {
        path: path.display().to_string(),
        message,
    }
}

fn read_optional(path: &Path) -> Result<Option<(String, String)>> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| {
                kit_error(
                    path,
                    format!(
                        "not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
            })?;
            Ok(Some((path.display().to_string(), text)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(kit_error(path, format!("cannot read: {e}"))),
    }
}

/// Reads a brand kit folder's guardrail files (missing ones are simply absent).
pub fn read_guard_files(dir: &Path) -> Result<KitFiles> {
    let mut files = KitFiles {
        settings: read_optional(&dir.join(GUARDRAILS_FILE))?,
        never_say: read_optional(&dir.join(NEVER_SAY_FILE))?,
        terminology: read_optional(&dir.join(TERMINOLOGY_FILE))?,
        styles: Vec::new(),
    };
    let styles = dir.join(STYLES_DIR);
    if styles.is_dir() {
        let mut found = Vec::new();
        collect_rule_files(&styles, &mut found)?;
        found.sort();
        for path in found {
            let rel = path.strip_prefix(&styles).unwrap_or(&path);
            let id = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(".");
            if let Some((shown, text)) = read_optional(&path)? {
                files.styles.push((shown, id, text));
            }
        }
    }
    Ok(files)
}

fn collect_rule_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| kit_error(dir, format!("cannot read: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| kit_error(dir, format!("cannot read: {e}")))?;
        let path = entry.path();
        if path.is_dir() {
            collect_rule_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Compiles a kit's guardrail files; rule errors name the file, line and key.
pub fn compile_guardrails(files: &KitFiles) -> Result<Rules> {
    Rules::load(files).map_err(ServiceError::Guardrails)
}

fn fingerprint(files: &KitFiles) -> String {
    let mut h = Sha256::new();
    for (name, text) in [&files.settings, &files.never_say, &files.terminology]
        .into_iter()
        .flatten()
    {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    for (name, id, text) in &files.styles {
        h.update(name.as_bytes());
        h.update(id.as_bytes());
        h.update(text.as_bytes());
    }
    hex::encode(h.finalize())
}

pub const POLICY_FILE: &str = "policy.toml";

impl BrandKits for KitFolders {
    fn policy(&self, kit: &str) -> Result<LoadedPolicy> {
        let path = self.root.join(kit).join(POLICY_FILE);
        let shown = path.display().to_string();
        let bytes = std::fs::read(&path).map_err(|e| ServiceError::Policy {
            path: shown.clone(),
            message: format!("cannot read the review policy: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| ServiceError::Policy {
            path: shown.clone(),
            message: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        })?;
        let policy = Policy::parse(&text).map_err(|e| ServiceError::Policy {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        Ok(LoadedPolicy {
            policy,
            digest: hex::encode(Sha256::digest(text.as_bytes())),
            path: shown,
        })
    }

    fn voice(&self, kit: &str) -> Result<KitVoice> {
        read_voice(&self.root.join(kit))
    }

    fn templates(&self, kit: &str, task: PromptTask) -> Result<Vec<Template>> {
        read_templates(&self.root.join(kit), task)
    }

    fn guardrails(&self, kit: &str) -> Result<Arc<Rules>> {
        let files = read_guard_files(&self.root.join(kit))?;
        let print = fingerprint(&files);
        // A poisoned cache only loses compiled rules; compile again.
        if let Ok(cache) = self.compiled.lock() {
            if let Some((_, _, rules)) = cache.iter().find(|(k, p, _)| k == kit && *p == print) {
                return Ok(Arc::clone(rules));
            }
        }
        let rules = Arc::new(compile_guardrails(&files)?);
        if let Ok(mut cache) = self.compiled.lock() {
            cache.retain(|(k, _, _)| k != kit);
            cache.push((kit.to_string(), print, Arc::clone(&rules)));
        }
        Ok(rules)
    }
}
