use thiserror::Error;

#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("the database is busy: another copydesk process held its write lock for {waited_ms} ms; try again")]
    Busy { waited_ms: u64 },
    /// A uniqueness rule refused the write: someone else wrote the same thing first.
    #[error("{0}")]
    Conflict(String),
    #[error("the database at {location} has schema version {found}, newer than this copydesk understands ({supported}); upgrade copydesk")]
    NewerSchema {
        location: String,
        found: i64,
        supported: i64,
    },
    #[error("cannot open the database at {location}: {message}")]
    Open { location: String, message: String },
    #[error("stored data is not what copydesk wrote: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
                waited_ms: crate::sqlite::BUSY_TIMEOUT_MS,
            },
            Some(ErrorCode::ConstraintViolation) if is_uniqueness(&e) => {
                StoreError::Conflict(format!("already recorded: {e}"))
            }
            _ => StoreError::Backend(e.to_string()),
        }
    }
}

fn is_uniqueness(e: &rusqlite::Error) -> bool {
    use rusqlite::ffi::{SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE};
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => {
                StoreError::Conflict(format!("already recorded: {}", db_message(&e)))
            }
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => StoreError::Busy {
                waited_ms: crate::sqlite::BUSY_TIMEOUT_MS,
            },
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED =>
            {
                StoreError::Busy { waited_ms: 0 }
            }
            _ => StoreError::Backend(db_message(&e)),
        }
    }
}

fn db_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    }
}
