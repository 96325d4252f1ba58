//! Fresh, empty databases for tests, one per backend: a SQLite file in a temporary directory,
//! and, when `COPYDESK_TEST_PG_URL` names a PostgreSQL server (an admin URL such as
//! `postgres://postgres@127.0.0.1:5433/postgres`, see `scripts/pg-start.sh`), a new PostgreSQL
//! database that is dropped again afterwards. With `COPYDESK_REQUIRE_PG=1` a missing URL is an
//! error rather than a skipped backend, so CI cannot pass without PostgreSQL.
//!
//! This is test code: it reads the environment and panics when it cannot set up.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use postgres::{Client, NoTls};

use crate::Store;

/// The admin URL of the PostgreSQL server to create test databases on.
pub const PG_URL_VAR: &str = "COPYDESK_TEST_PG_URL";
/// Set to `1` to fail, rather than skip PostgreSQL, when [`PG_URL_VAR`] is not set.
pub const REQUIRE_PG_VAR: &str = "COPYDESK_REQUIRE_PG";

/// One empty database, deleted when this is dropped. Drop the stores opened on it first.
pub struct TestBackend {
    /// "sqlite" or "postgres", as [`Store::backend`] says.
    pub name: &'static str,
    /// What [`crate::open`] takes.
    pub url: String,
    _guard: Guard,
}

enum Guard {
    Dir(tempfile::TempDir),
    Database(PgDatabase),
}

impl TestBackend {
    /// Opens the database, applying migrations; every call opens a new connection.
    pub fn open(&self) -> Box<dyn Store> {
        crate::open(&self.url).unwrap_or_else(|e| {
            panic!(
                "cannot open the {} test database at {}: {e}",
                self.name,
                crate::pg::redact(&self.url)
            )
        })
    }
}

impl std::fmt::Debug for TestBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = match &self._guard {
            Guard::Dir(dir) => dir.path().display().to_string(),
            Guard::Database(db) => db.name.clone(),
        };
        f.debug_struct("TestBackend")
            .field("name", &self.name)
            .field("url", &crate::pg::redact(&self.url))
            .field("kept", &kept)
            .finish()
    }
}

/// A fresh database on every backend this test run can reach: SQLite always, PostgreSQL when
/// [`PG_URL_VAR`] is set.
pub fn backends() -> Vec<TestBackend> {
    let mut all = vec![sqlite()];
    match std::env::var(PG_URL_VAR)
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        Some(admin) => all.push(postgres(admin.trim())),
        None if pg_required() => panic!(
            "{REQUIRE_PG_VAR} is set but {PG_URL_VAR} is not: set it to a PostgreSQL admin URL, \
             e.g. {PG_URL_VAR}=$(scripts/pg-start.sh)"
        ),
        None => {}
    }
    all
}

fn pg_required() -> bool {
    std::env::var(REQUIRE_PG_VAR).is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
}

fn sqlite() -> TestBackend {
    let dir = tempfile::Builder::new()
        .prefix("copydesk-test-")
        .tempdir()
        .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
    let url = format!("sqlite://{}", dir.path().join("copydesk.db").display());
    TestBackend {
        name: "sqlite",
        url,
        _guard: Guard::Dir(dir),
    }
}

fn postgres(admin_url: &str) -> TestBackend {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!(
        "copydesk_t_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = connect_admin(admin_url);
    // The name is ours, made of [a-z0-9_] only, so it needs no quoting.
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    let url = with_database(admin_url, &name);
    TestBackend {
        name: "postgres",
        url,
        _guard: Guard::Database(PgDatabase {
            admin_url: admin_url.to_string(),
            name,
        }),
    }
}

fn connect_admin(admin_url: &str) -> Client {
    Client::connect(admin_url, NoTls).unwrap_or_else(|e| {
        panic!(
            "cannot connect to PostgreSQL at {} ({PG_URL_VAR}): {e}",
            crate::pg::redact(admin_url)
        )
    })
}

/// The admin URL with its database name replaced.
fn with_database(admin_url: &str, name: &str) -> String {
    let Some((scheme, rest)) = admin_url.split_once("://") else {
        panic!(
            "{PG_URL_VAR} must be a postgres:// URL, not {}",
            crate::pg::redact(admin_url)
        );
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    // The path starts at the first '/' after the host, which follows the last '@'.
    let host_start = before_query.rfind('@').map_or(0, |at| at + 1);
    let authority = match before_query[host_start..].find('/') {
        Some(slash) => &before_query[..host_start + slash],
        None => before_query,
    };
    match query {
        Some(q) => format!("{scheme}://{authority}/{name}?{q}"),
        None => format!("{scheme}://{authority}/{name}"),
    }
}

/// A test database, dropped (with whoever is still connected to it) when this is dropped.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // Best effort: a database left behind only costs disk space on a throwaway server.
        let dropped = Client::connect(&self.admin_url, NoTls).and_then(|mut admin| {
            admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
        });
        if let Err(e) = dropped {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_database_replaces_only_the_database_name() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5433/postgres",
                "postgres://postgres@127.0.0.1:5433/t1",
            ),
            ("postgres://127.0.0.1:5433", "postgres://127.0.0.1:5433/t1"),
            (
                "postgresql://u:p/w@db/admin?sslmode=disable",
                "postgresql://u:p/w@db/t1?sslmode=disable",
            ),
            ("postgres://db/?user=u", "postgres://db/t1?user=u"),
        ];
        for (admin, expected) in cases {
            assert_eq!(with_database(admin, "t1"), expected, "{admin}");
        }
    }

    #[test]
    fn sqlite_backend_opens_an_empty_database() {
        let backend = sqlite();
        let mut store = backend.open();
        assert_eq!(store.backend(), "sqlite");
        let mut tx = store
            .begin(crate::TxMode::Read)
            .expect("a read transaction");
        assert!(tx.brands().expect("brands").is_empty());
    }
}
