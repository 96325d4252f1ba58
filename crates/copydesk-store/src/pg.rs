//! The PostgreSQL store (to be written).

use crate::{Result, Store, StoreError, Tx, TxMode};

pub struct PgStore;

impl PgStore {
    pub fn connect(url: &str) -> Result<PgStore> {
        Err(StoreError::Open {
            location: url.to_string(),
            message: "not yet".into(),
        })
    }
}

impl Store for PgStore {
    fn begin(&mut self, _mode: TxMode) -> Result<Box<dyn Tx + '_>> {
        Err(StoreError::Backend("not yet".into()))
    }
    fn backend(&self) -> &'static str {
        "postgres"
    }
}
