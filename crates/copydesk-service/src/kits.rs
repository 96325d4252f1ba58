//! Where brand kits come from: a folder per brand under the workspace.

use std::path::PathBuf;

use copydesk_core::policy::Policy;
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
}

/// Brand kits as folders below the workspace root.
#[derive(Debug, Clone)]
pub struct KitFolders {
    pub root: PathBuf,
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
}
