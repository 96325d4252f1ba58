//! Schema migrations, one list per backend. A database whose schema is newer than the newest
//! migration this build knows is refused rather than guessed at.

use crate::StoreError;

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "guardrail_findings",
        sql: include_str!("../migrations/sqlite/0002_guardrail_findings.sql"),
    },
    Migration {
        version: 3,
        name: "assistance",
        sql: include_str!("../migrations/sqlite/0003_assistance.sql"),
    },
    Migration {
        version: 4,
        name: "accounts",
        sql: include_str!("../migrations/sqlite/0004_accounts.sql"),
    },
    Migration {
        version: 5,
        name: "experiments",
        sql: include_str!("../migrations/sqlite/0005_experiments.sql"),
    },
];

pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "guardrail_findings",
        sql: include_str!("../migrations/postgres/0002_guardrail_findings.sql"),
    },
    Migration {
        version: 3,
        name: "assistance",
        sql: include_str!("../migrations/postgres/0003_assistance.sql"),
    },
    Migration {
        version: 4,
        name: "accounts",
        sql: include_str!("../migrations/postgres/0004_accounts.sql"),
    },
    Migration {
        version: 5,
        name: "experiments",
        sql: include_str!("../migrations/postgres/0005_experiments.sql"),
    },
];

/// The schema version of an opened database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaVersion(pub i64);

pub fn latest(migrations: &[Migration]) -> i64 {
    migrations.iter().map(|m| m.version).max().unwrap_or(0)
}

pub fn refuse_newer(
    found: i64,
    migrations: &[Migration],
    location: &str,
) -> Result<(), StoreError> {
    let supported = latest(migrations);
    if found > supported {
        return Err(StoreError::NewerSchema {
            location: location.to_string(),
            found,
            supported,
        });
    }
    Ok(())
}
