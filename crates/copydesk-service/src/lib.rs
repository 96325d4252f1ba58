//! The operations people perform in copydesk, each one transaction, each checking who may do
//! it (role × brand) before touching anything. The CLI and the HTTP server call these and
//! nothing else, so no workflow rule is written twice.

mod access;
mod accounts;
mod assets;
mod assist;
mod audit;
mod briefs;
mod error;
mod experiments;
mod kits;
mod org;
mod review;
mod views;
mod webhooks;

use chrono::{DateTime, SubsecRound, Utc};
use copydesk_core::brief::CheckConfig;
use copydesk_store::{Store, Tx, TxMode};

pub use access::{Actor, TokenScope};
pub use accounts::{
    IssuedToken, SessionActor, SignedIn, LOGIN_WINDOW, MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_IP, MIN_PASSWORD_CHARS, SESSION_IDLE,
};
pub use assets::{AssetSpec, AuthorSpec, VersionSpec};
pub use assist::{
    AssistOutcome, DraftRequest, ProviderEntry, RepurposeRequest, Saved, TemplateListing,
    OFFLINE_MODEL, OFFLINE_PROVIDER,
};
pub use error::{ErrorKind, Result, ServiceError};
pub use experiments::{
    ExperimentReport, ExperimentView, Launch, EXPERIMENT_DESIGNERS, RESULT_IMPORTERS,
};
pub use kits::{
    compile_guardrails, read_guard_files, BrandKits, KitFolders, LoadedPolicy, GUARDRAILS_FILE,
    NEVER_SAY_FILE, POLICY_FILE, STYLES_DIR, TERMINOLOGY_FILE,
};
pub use org::{MemberView, NewUser, Standing};
pub use views::*;
pub use webhooks::{Attempt, ClaimedDelivery, CreatedWebhook};

/// Limits and thresholds, from `copydesk.toml`.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Largest version or source text accepted, in bytes.
    pub max_text_bytes: usize,
    pub brief_check: CheckConfig,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            max_text_bytes: 5 * 1024 * 1024,
            brief_check: CheckConfig::default(),
        }
    }
}

impl ServiceConfig {
    /// Refuses text over the configured size, before any transaction starts.
    pub(crate) fn check_text_size(&self, what: &str, text: &str) -> Result<()> {
        let limit = self.max_text_bytes;
        if text.len() > limit {
            return Err(ServiceError::Invalid(format!(
                "{what} is {} bytes; the limit is {limit} bytes (limits.max_text_bytes in copydesk.toml)",
                text.len()
            )));
        }
        Ok(())
    }
}

/// Where the time comes from; tests pin it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

pub struct Service {
    store: Box<dyn Store>,
    kits: Box<dyn BrandKits>,
    clock: Box<dyn Clock>,
    config: ServiceConfig,
    providers: Vec<assist::ProviderEntry>,
}

/// What an operation sees besides its transaction.
pub(crate) struct Ctx<'a> {
    /// Truncated to microseconds: both databases keep that precision, and the audit chain
    /// hashes what is stored.
    pub now: DateTime<Utc>,
    pub kits: &'a dyn BrandKits,
    pub config: &'a ServiceConfig,
}

impl Service {
    pub fn new(store: Box<dyn Store>, kits: Box<dyn BrandKits>, config: ServiceConfig) -> Service {
        Service {
            store,
            kits,
            clock: Box::new(SystemClock),
            config,
            providers: Vec::new(),
        }
    }

    pub fn with_clock(mut self, clock: Box<dyn Clock>) -> Service {
        self.clock = clock;
        self
    }

    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// Opens and ends a read transaction: the database answers (a server's readiness).
    pub fn ping(&mut self) -> Result<()> {
        self.read(|_, _| Ok(()))
    }

    pub(crate) fn write<T>(
        &mut self,
        op: impl FnOnce(&mut dyn Tx, &Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run(TxMode::Write, op)
    }

    pub(crate) fn read<T>(
        &mut self,
        op: impl FnOnce(&mut dyn Tx, &Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run(TxMode::Read, op)
    }

    fn run<T>(
        &mut self,
        mode: TxMode,
        op: impl FnOnce(&mut dyn Tx, &Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let ctx = Ctx {
            now: self.clock.now().trunc_subsecs(6),
            kits: &*self.kits,
            config: &self.config,
        };
        let mut tx = self.store.begin(mode)?;
        let out = op(&mut *tx, &ctx)?;
        tx.commit()?;
        Ok(out)
    }
}
