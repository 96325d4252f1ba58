//! `copydesk init`: a workspace with its config, an example brand kit and a migrated database.
//! Running it again fills in what is missing and changes nothing that exists.

use std::path::{Path, PathBuf};

use anyhow::Result;

use copydesk_core::policy::EXAMPLE_POLICY;

use crate::cli::{Format, InitArgs};
use crate::failure::Failure;
use crate::workspace::{self, Workspace, CONFIG_FILE};

pub fn run(args: &InitArgs, database_url: Option<&str>, format: Format) -> Result<()> {
    let root = match &args.dir {
        Some(dir) => dir.clone(),
        None => std::env::current_dir()?,
    };
    std::fs::create_dir_all(&root).map_err(|e| {
        Failure::input(format!("{}: cannot create the folder: {e}", root.display()))
    })?;
    let kit = root.join("brand");
    let files: [(PathBuf, &str); 7] = [
        (root.join(CONFIG_FILE), workspace::EXAMPLE_CONFIG),
        (kit.join(copydesk_service::POLICY_FILE), EXAMPLE_POLICY),
        (kit.join("never-say.toml"), workspace::EXAMPLE_NEVER_SAY),
        (kit.join("terminology.toml"), workspace::EXAMPLE_TERMINOLOGY),
        (kit.join("voice.md"), workspace::EXAMPLE_VOICE),
        (
            kit.join(copydesk_service::GUARDRAILS_FILE),
            workspace::EXAMPLE_GUARDRAILS,
        ),
        (
            kit.join(copydesk_service::STYLES_DIR)
                .join("House")
                .join("Words.yml"),
            workspace::EXAMPLE_STYLE_RULE,
        ),
    ];
    let mut created = Vec::new();
    for (path, content) in &files {
        if write_new(path, content)? {
            created.push(path.clone());
        }
    }
    let workspace = Workspace::locate(Some(&root))?;
    let url = workspace.database_url(database_url);
    let mut service = workspace.service(&url)?;
    let admin = service.bootstrap(&args.admin)?;
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "workspace": root,
                "database": copydesk_store::redact(&url),
                "created": created,
                "admin": admin.name,
            }))?
        ),
        Format::Text | Format::Sarif | Format::Github => {
            println!("workspace {}", root.display());
            for path in &created {
                println!(
                    "  created {}",
                    path.strip_prefix(&root).unwrap_or(path).display()
                );
            }
            if created.is_empty() {
                println!("  every file was already there; nothing overwritten");
            }
            println!("  database {} (migrated)", copydesk_store::redact(&url));
            println!("  workspace admin: {}", admin.name);
        }
    }
    Ok(())
}

/// Writes `content` to `path` unless the file exists; returns whether it wrote.
fn write_new(path: &Path, content: &str) -> Result<bool, Failure> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::input(format!("{}: cannot create: {e}", parent.display())))?;
    }
    std::fs::write(path, content)
        .map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))?;
    Ok(true)
}
