//! Brands, the people in them, and the roles they hold.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{BrandId, Role, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brand {
    pub id: BrandId,
    /// Short name used on the command line and in URLs.
    pub slug: String,
    pub name: String,
    /// The brand kit folder, relative to the workspace.
    pub kit: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub display_name: String,
    /// Workspace administrators create brands and grant roles in any brand.
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
}

impl User {
    pub fn as_ref(&self) -> crate::asset::UserRef {
        crate::asset::UserRef {
            id: self.id,
            name: self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub brand: BrandId,
    pub role: Role,
}

/// Checks a brand slug or user name: lowercase letters, digits, `-`, `_`, `.`; 1–64 long.
pub fn valid_handle(what: &str, handle: &str) -> Result<(), String> {
    let ok = !handle.is_empty()
        && handle.len() <= 64
        && handle
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
        && handle
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} '{handle}' is not valid: use 1 to 64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit"
        ))
    }
}
