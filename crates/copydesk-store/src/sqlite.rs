//! The SQLite store: one file, WAL journal, foreign keys on, full fsync on commit.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError, Weak};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use copydesk_core::account::{ApiToken, Delivery, DeliveryState, Session, Webhook};
use copydesk_core::asset::{
    Asset, Author, Comment, Finding, FindingCounts, TemplateRef, UserRef, Version, VersionSummary,
};
use copydesk_core::audit::AuditEntry;
use copydesk_core::brief::{BriefContent, BriefRecord, Source};
use copydesk_core::experiment::Experiment;
use copydesk_core::org::{Brand, Membership, User};
use copydesk_core::provenance::{BriefNote, PromptActivation, Provenance};
use copydesk_core::review::{Review, StageDecision};
use copydesk_core::secret::Secret;
use copydesk_core::{
    AssetId, AssetState, BrandId, BriefId, CommentId, ReviewId, Role, SourceId, UserId, VersionId,
};
use copydesk_core::{DeliveryId, ExperimentId, SessionId, TokenId, WebhookId};

use crate::due;
use crate::migrate::{self, SchemaVersion};
use crate::types::stored_events;
use crate::{
    AssetUpdate, AuditFilter, DeliveryOutcome, LineageEntry, NewActivation, NewApiToken, NewAsset,
    NewBriefNote, NewComment, NewDelivery, NewReview, NewSession, NewSource, NewVersion,
    NewWebhook, QueueCursor, QueueItem, Result, SpotCheckSample, Store, StoreError, Tx, TxMode,
};
use crate::{NewExperiment, NewResults, StoredResults};

pub(crate) const BUSY_TIMEOUT_MS: u64 = 5_000;

pub struct SqliteStore {
    conn: Connection,
    /// Where this process's write transactions on this file wait their turn.
    gate: Arc<WriteGate>,
}

/// Write transactions of one process on one database file take turns here, first come first
/// served, before `BEGIN IMMEDIATE`. SQLite's own wait for its write lock (the busy handler)
/// sleeps and retries, 1, 2, 5 … up to 100 ms apart, so under contention a newcomer often
/// takes the lock ahead of a writer that has waited for seconds: with the server's 8
/// connections, version saves had a p99 of 2.5 s and a maximum near `BUSY_TIMEOUT_MS` at 900
/// saves/s (bench/load.sh, docs/benchmarks.md). Readers never wait here (WAL), and writers in
/// other processes still meet at SQLite's lock. A turn not given within `BUSY_TIMEOUT_MS` is
/// `StoreError::Busy`, as SQLite's own timeout is.
struct WriteGate {
    turns: Mutex<Turns>,
    moved: Condvar,
}

#[derive(Default)]
struct Turns {
    /// The ticket the next writer draws.
    next: u64,
    /// The ticket whose holder may write now.
    serving: u64,
    /// Tickets whose holders stopped waiting; skipped when their turn comes.
    abandoned: BTreeSet<u64>,
}

impl WriteGate {
    /// The gate of the database file at `path` (one per file and process).
    fn of(path: &Path) -> Arc<WriteGate> {
        static GATES: OnceLock<Mutex<HashMap<PathBuf, Weak<WriteGate>>>> = OnceLock::new();
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut gates = GATES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(gate) = gates.get(&key).and_then(Weak::upgrade) {
            return gate;
        }
        gates.retain(|_, g| g.strong_count() > 0);
        let gate = Arc::new(WriteGate {
            turns: Mutex::new(Turns::default()),
            moved: Condvar::new(),
        });
        gates.insert(key, Arc::downgrade(&gate));
        gate
    }

    /// Waits for this writer's turn; `None` after `BUSY_TIMEOUT_MS`.
    fn enter(self: &Arc<Self>) -> Option<WriteTurn> {
        let deadline = Instant::now() + Duration::from_millis(BUSY_TIMEOUT_MS);
        let mut turns = self.turns.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = turns.next;
        turns.next += 1;
        while turns.serving != mine {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                turns.abandoned.insert(mine);
                return None;
            }
            turns = self
                .moved
                .wait_timeout(turns, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        Some(WriteTurn {
            gate: Arc::clone(self),
        })
    }
}

/// A writer's turn at the gate; the next one's begins when this is dropped (after the
/// transaction has committed or rolled back).
struct WriteTurn {
    gate: Arc<WriteGate>,
}

impl Drop for WriteTurn {
    fn drop(&mut self) {
        let mut turns = self
            .gate
            .turns
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        turns.serving += 1;
        loop {
            let serving = turns.serving;
            if !turns.abandoned.remove(&serving) {
                break;
            }
            turns.serving += 1;
        }
        self.gate.moved.notify_all();
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let open_err = |e: rusqlite::Error| StoreError::Open {
            location: path.display().to_string(),
            message: e.to_string(),
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        // WAL lets readers work while one writer commits; FULL syncs every commit so an
        // acknowledged write survives a crash of the process or the machine.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| match StoreError::from(e) {
                busy @ StoreError::Busy { .. } => busy,
                other => StoreError::Open {
                    location: path.display().to_string(),
                    message: other.to_string(),
                },
            })?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open {
                location: path.display().to_string(),
                message: format!("could not switch to WAL journal (got {mode})"),
            });
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        let mut store = SqliteStore {
            conn,
            gate: WriteGate::of(path),
        };
        store.migrate(&path.display().to_string())?;
        Ok(store)
    }

    fn migrate(&mut self, location: &str) -> Result<SchemaVersion> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )?;
        let found: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?;
        migrate::refuse_newer(found, migrate::SQLITE, location)?;
        for m in migrate::SQLITE.iter().filter(|m| m.version > found) {
            tx.execute_batch(m.sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                params![m.version, m.name, Utc::now()],
            )?;
        }
        tx.commit()?;
        Ok(SchemaVersion(migrate::latest(migrate::SQLITE)))
    }
}

impl Store for SqliteStore {
    fn begin(&mut self, mode: TxMode) -> Result<Box<dyn Tx + '_>> {
        let (behavior, turn) = match mode {
            TxMode::Read => (TransactionBehavior::Deferred, None),
            TxMode::Write => {
                let turn = self.gate.enter().ok_or(StoreError::Busy {
                    waited_ms: BUSY_TIMEOUT_MS,
                })?;
                (TransactionBehavior::Immediate, Some(turn))
            }
        };
        let tx = self.conn.transaction_with_behavior(behavior)?;
        Ok(Box::new(SqliteTx { tx, _turn: turn }))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

struct SqliteTx<'c> {
    tx: rusqlite::Transaction<'c>,
    /// Declared after `tx`, so it is released after the commit or rollback.
    _turn: Option<WriteTurn>,
}

fn parse<T: FromStr>(text: String, column: &str) -> rusqlite::Result<T>
where
    T::Err: std::fmt::Display,
{
    text.parse::<T>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("{column}: {e}").into(),
        )
    })
}

fn json<T: serde::de::DeserializeOwned>(text: String, column: &str) -> rusqlite::Result<T> {
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("{column}: {e}").into(),
        )
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(e.to_string()))
}

fn user_ref(row: &Row<'_>, id: &str, name: &str) -> rusqlite::Result<UserRef> {
    Ok(UserRef {
        id: UserId(row.get(id)?),
        name: row.get(name)?,
    })
}

const BRAND_COLS: &str = "id, slug, name, kit, created_at";
fn brand_row(r: &Row<'_>) -> rusqlite::Result<Brand> {
    Ok(Brand {
        id: BrandId(r.get("id")?),
        slug: r.get("slug")?,
        name: r.get("name")?,
        kit: r.get("kit")?,
        created_at: r.get("created_at")?,
    })
}

const USER_COLS: &str = "id, name, display_name, is_admin, created_at";
fn user_row(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(r.get("id")?),
        name: r.get("name")?,
        display_name: r.get("display_name")?,
        is_admin: r.get("is_admin")?,
        created_at: r.get("created_at")?,
    })
}

const BRIEF_SELECT: &str = "SELECT b.id, b.brand_id, b.current_version, v.content,
        b.created_by, cu.name AS created_by_name, v.author_id, au.name AS author_name,
        b.created_at, v.created_at AS updated_at
    FROM briefs b
    JOIN brief_versions v ON v.brief_id = b.id AND v.number = b.current_version
    JOIN users cu ON cu.id = b.created_by
    JOIN users au ON au.id = v.author_id";
fn brief_row(r: &Row<'_>) -> rusqlite::Result<BriefRecord> {
    Ok(BriefRecord {
        id: BriefId(r.get("id")?),
        brand_id: BrandId(r.get("brand_id")?),
        version: r.get("current_version")?,
        content: json(r.get("content")?, "brief_versions.content")?,
        created_by: user_ref(r, "created_by", "created_by_name")?,
        updated_by: user_ref(r, "author_id", "author_name")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const ASSET_SELECT: &str = "SELECT a.id, a.brand_id, a.brief_id, a.title, a.kind, a.channel,
        a.locale, a.personalised, a.state, a.current_version, a.created_by,
        u.name AS created_by_name, a.created_at
    FROM assets a JOIN users u ON u.id = a.created_by";
fn asset_row(r: &Row<'_>) -> rusqlite::Result<Asset> {
    Ok(Asset {
        id: AssetId(r.get("id")?),
        brand_id: BrandId(r.get("brand_id")?),
        brief_id: BriefId(r.get("brief_id")?),
        title: r.get("title")?,
        kind: parse(r.get("kind")?, "assets.kind")?,
        channel: r.get("channel")?,
        locale: r.get("locale")?,
        personalised: r.get("personalised")?,
        state: parse(r.get("state")?, "assets.state")?,
        current_version: r.get("current_version")?,
        created_by: user_ref(r, "created_by", "created_by_name")?,
        created_at: r.get("created_at")?,
    })
}

const AUTHOR_COLS: &str = "v.author_kind, v.author_id, u.name AS author_name, v.model_provider,
    v.model_name, v.template_id, v.template_version";
fn author_row(r: &Row<'_>) -> rusqlite::Result<Author> {
    let person = user_ref(r, "author_id", "author_name")?;
    let kind: String = r.get("author_kind")?;
    if kind == "model" {
        let template = match (
            r.get::<_, Option<String>>("template_id")?,
            r.get::<_, Option<String>>("template_version")?,
        ) {
            (Some(id), Some(version)) => Some(TemplateRef { id, version }),
            _ => None,
        };
        Ok(Author::Model {
            provider: r
                .get::<_, Option<String>>("model_provider")?
                .unwrap_or_default(),
            model: r
                .get::<_, Option<String>>("model_name")?
                .unwrap_or_default(),
            template,
            recorded_by: person,
        })
    } else {
        Ok(Author::User { user: person })
    }
}

const REVIEW_SELECT: &str = "SELECT r.id, r.asset_id, r.version, r.tier, r.score, r.stages,
        r.submitted_by, u.name AS submitted_by_name, r.submitted_at, r.policy_digest
    FROM reviews r JOIN users u ON u.id = r.submitted_by";
fn review_row(r: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        id: ReviewId(r.get("id")?),
        asset_id: AssetId(r.get("asset_id")?),
        version: r.get("version")?,
        tier: parse(r.get("tier")?, "reviews.tier")?,
        score: r.get("score")?,
        stages: json(r.get("stages")?, "reviews.stages")?,
        submitted_by: user_ref(r, "submitted_by", "submitted_by_name")?,
        submitted_at: r.get("submitted_at")?,
        policy_digest: r.get("policy_digest")?,
        decisions: Vec::new(),
    })
}

const AUDIT_COLS: &str = "seq, at, actor, brand, action, subject, details, prev_hash, hash";
fn audit_row(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get("seq")?,
        at: r.get("at")?,
        actor: r.get("actor")?,
        brand: r.get("brand")?,
        action: r.get("action")?,
        subject: r.get("subject")?,
        details: json(r.get("details")?, "audit_log.details")?,
        prev_hash: r.get("prev_hash")?,
        hash: r.get("hash")?,
    })
}

fn sample_row(r: &Row<'_>) -> rusqlite::Result<SpotCheckSample> {
    Ok(SpotCheckSample {
        asset: AssetId(r.get("asset_id")?),
        review: ReviewId(r.get("review_id")?),
        brand: BrandId(r.get("brand_id")?),
        seed: r.get("seed")?,
        draw: r.get("draw")?,
        rate: r.get("rate")?,
        sampled: r.get("sampled")?,
        at: r.get("created_at")?,
    })
}

// Times are compared as stored text: rusqlite writes every UTC time as
// "%Y-%m-%d %H:%M:%S%.f+00:00", and those strings sort in time order ('+' sorts before '.',
// and '.' before the digits, so 10:00:00+00:00 < 10:00:00.5+00:00 < 10:00:01+00:00).

const SESSION_COLS: &str =
    "id, user_id, csrf_token, created_at, expires_at, last_seen_at, revoked_at";
fn session_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: SessionId(r.get("id")?),
        user: UserId(r.get("user_id")?),
        csrf_token: Secret::new(r.get::<_, String>("csrf_token")?),
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
        last_seen_at: r.get("last_seen_at")?,
        revoked_at: r.get("revoked_at")?,
    })
}

const TOKEN_SELECT: &str = "SELECT t.id, t.name, t.prefix, t.user_id, u.name AS user_name,
        t.brand_id, t.role, t.created_at, t.last_used_at, t.revoked_at
    FROM api_tokens t JOIN users u ON u.id = t.user_id";
fn token_row(r: &Row<'_>) -> rusqlite::Result<ApiToken> {
    Ok(ApiToken {
        id: TokenId(r.get("id")?),
        name: r.get("name")?,
        user: UserId(r.get("user_id")?),
        user_name: r.get("user_name")?,
        brand: BrandId(r.get("brand_id")?),
        role: parse(r.get("role")?, "api_tokens.role")?,
        prefix: r.get("prefix")?,
        created_at: r.get("created_at")?,
        last_used_at: r.get("last_used_at")?,
        revoked_at: r.get("revoked_at")?,
    })
}

const EXPERIMENT_SELECT: &str = "SELECT e.id, e.brand_id, e.asset_id, e.hypothesis, e.lever, e.metric,
        e.metric_type, e.inverse, e.state, e.variants, e.plan, e.created_by, u.name AS created_by_name,
        e.created_at, e.started_at, e.stopped_at
    FROM experiments e JOIN users u ON u.id = e.created_by";
fn experiment_row(r: &Row<'_>) -> rusqlite::Result<Experiment> {
    Ok(Experiment {
        id: ExperimentId(r.get("id")?),
        brand_id: BrandId(r.get("brand_id")?),
        asset_id: AssetId(r.get("asset_id")?),
        hypothesis: r.get("hypothesis")?,
        lever: parse(r.get("lever")?, "experiments.lever")?,
        metric: r.get("metric")?,
        metric_type: parse(r.get("metric_type")?, "experiments.metric_type")?,
        inverse: r.get("inverse")?,
        state: parse(r.get("state")?, "experiments.state")?,
        variants: json(r.get("variants")?, "experiments.variants")?,
        plan: r
            .get::<_, Option<String>>("plan")?
            .map(|p| json(p, "experiments.plan"))
            .transpose()?,
        created_by: user_ref(r, "created_by", "created_by_name")?,
        created_at: r.get("created_at")?,
        started_at: r.get("started_at")?,
        stopped_at: r.get("stopped_at")?,
    })
}

const WEBHOOK_COLS: &str = "id, brand_id, url, secret, events, created_by, created_at, active";
fn webhook_row(r: &Row<'_>) -> rusqlite::Result<Webhook> {
    let events: String = r.get("events")?;
    Ok(Webhook {
        id: WebhookId(r.get("id")?),
        brand: BrandId(r.get("brand_id")?),
        url: r.get("url")?,
        secret: Secret::new(r.get::<_, String>("secret")?),
        events: events
            .split(',')
            .filter(|name| !name.is_empty())
            .map(|name| parse(name.to_string(), "webhooks.events"))
            .collect::<rusqlite::Result<_>>()?,
        created_by: UserId(r.get("created_by")?),
        created_at: r.get("created_at")?,
        active: r.get("active")?,
    })
}

const DELIVERY_SELECT: &str = "SELECT d.id, d.webhook_id, w.url, d.event, d.payload,
        d.created_at, d.attempts, d.next_attempt_at, d.state, d.last_status, d.last_error,
        d.delivered_at
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id";
fn delivery_row(r: &Row<'_>) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        id: DeliveryId(r.get("id")?),
        webhook: WebhookId(r.get("webhook_id")?),
        url: r.get("url")?,
        event: parse(r.get("event")?, "webhook_deliveries.event")?,
        payload: r.get("payload")?,
        created_at: r.get("created_at")?,
        attempts: r.get("attempts")?,
        next_attempt_at: r.get("next_attempt_at")?,
        state: parse(r.get("state")?, "webhook_deliveries.state")?,
        last_status: r.get("last_status")?,
        last_error: r.get("last_error")?,
        delivered_at: r.get("delivered_at")?,
    })
}

/// A count as a `u32`, the largest one when it is larger.
fn saturate(count: i64) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

impl SqliteTx<'_> {
    fn decisions(&mut self, review: ReviewId) -> Result<Vec<StageDecision>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT d.stage, d.role, d.decision, d.user_id, u.name, d.reason, d.comment, d.decided_at
             FROM decisions d JOIN users u ON u.id = d.user_id
             WHERE d.review_id = ?1 ORDER BY d.stage",
        )?;
        let rows = stmt.query_map([review.0], |r| {
            Ok(StageDecision {
                stage: r.get(0)?,
                role: parse(r.get(1)?, "decisions.role")?,
                decision: parse(r.get(2)?, "decisions.decision")?,
                by: UserRef {
                    id: UserId(r.get(3)?),
                    name: r.get(4)?,
                },
                reason: match r.get::<_, Option<String>>(5)? {
                    Some(s) => Some(parse(s, "decisions.reason")?),
                    None => None,
                },
                comment: r.get(6)?,
                at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx for SqliteTx<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        Ok(self.tx.commit()?)
    }

    fn insert_brand(
        &mut self,
        slug: &str,
        name: &str,
        kit: &str,
        at: DateTime<Utc>,
    ) -> Result<BrandId> {
        self.tx.execute(
            "INSERT INTO brands (slug, name, kit, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![slug, name, kit, at],
        )?;
        Ok(BrandId(self.tx.last_insert_rowid()))
    }

    fn brand(&mut self, id: BrandId) -> Result<Option<Brand>> {
        let sql = format!("SELECT {BRAND_COLS} FROM brands WHERE id = ?1");
        Ok(self.tx.query_row(&sql, [id.0], brand_row).optional()?)
    }

    fn brand_by_slug(&mut self, slug: &str) -> Result<Option<Brand>> {
        let sql = format!("SELECT {BRAND_COLS} FROM brands WHERE slug = ?1");
        Ok(self.tx.query_row(&sql, [slug], brand_row).optional()?)
    }

    fn brands(&mut self) -> Result<Vec<Brand>> {
        let sql = format!("SELECT {BRAND_COLS} FROM brands ORDER BY slug");
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map([], brand_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_user(
        &mut self,
        name: &str,
        display_name: &str,
        is_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<UserId> {
        self.tx.execute(
            "INSERT INTO users (name, display_name, is_admin, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, display_name, is_admin, at],
        )?;
        Ok(UserId(self.tx.last_insert_rowid()))
    }

    fn user_by_name(&mut self, name: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE name = ?1");
        Ok(self.tx.query_row(&sql, [name], user_row).optional()?)
    }

    fn user_by_id(&mut self, id: UserId) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = ?1");
        Ok(self.tx.query_row(&sql, [id.0], user_row).optional()?)
    }

    fn users(&mut self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users ORDER BY name");
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map([], user_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn grant(
        &mut self,
        user: UserId,
        brand: BrandId,
        role: Role,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT INTO memberships (user_id, brand_id, role, granted_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            params![user.0, brand.0, role.as_str(), at],
        )?;
        Ok(n == 1)
    }

    fn memberships(&mut self, user: UserId) -> Result<Vec<Membership>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT brand_id, role FROM memberships WHERE user_id = ?1 ORDER BY brand_id, role",
        )?;
        let rows = stmt.query_map([user.0], |r| {
            Ok(Membership {
                brand: BrandId(r.get(0)?),
                role: parse(r.get(1)?, "memberships.role")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn members(&mut self, brand: BrandId) -> Result<Vec<(User, Role)>> {
        let sql = format!(
            "SELECT {}, m.role FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.brand_id = ?1 ORDER BY u.name, m.role",
            USER_COLS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map([brand.0], |r| {
            Ok((user_row(r)?, parse(r.get("role")?, "memberships.role")?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_brief(
        &mut self,
        brand: BrandId,
        content: &BriefContent,
        author: UserId,
        at: DateTime<Utc>,
    ) -> Result<BriefId> {
        self.tx.execute(
            "INSERT INTO briefs (brand_id, current_version, created_by, created_at) VALUES (?1, 1, ?2, ?3)",
            params![brand.0, author.0, at],
        )?;
        let id = BriefId(self.tx.last_insert_rowid());
        self.tx.execute(
            "INSERT INTO brief_versions (brief_id, number, content, author_id, created_at) VALUES (?1, 1, ?2, ?3, ?4)",
            params![id.0, to_json(content)?, author.0, at],
        )?;
        Ok(id)
    }

    fn insert_brief_version(
        &mut self,
        brief: BriefId,
        number: u32,
        content: &BriefContent,
        author: UserId,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO brief_versions (brief_id, number, content, author_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![brief.0, number, to_json(content)?, author.0, at],
        )?;
        self.tx.execute(
            "UPDATE briefs SET current_version = ?2 WHERE id = ?1",
            params![brief.0, number],
        )?;
        Ok(())
    }

    fn brief(&mut self, id: BriefId) -> Result<Option<BriefRecord>> {
        let sql = format!("{BRIEF_SELECT} WHERE b.id = ?1");
        Ok(self.tx.query_row(&sql, [id.0], brief_row).optional()?)
    }

    fn brief_version(&mut self, id: BriefId, number: u32) -> Result<Option<BriefContent>> {
        let content: Option<String> = self
            .tx
            .query_row(
                "SELECT content FROM brief_versions WHERE brief_id = ?1 AND number = ?2",
                params![id.0, number],
                |r| r.get(0),
            )
            .optional()?;
        content
            .map(|c| {
                serde_json::from_str(&c)
                    .map_err(|e| StoreError::Corrupt(format!("brief {id} version {number}: {e}")))
            })
            .transpose()
    }

    fn briefs(
        &mut self,
        brand: BrandId,
        after: Option<BriefId>,
        limit: u32,
    ) -> Result<Vec<BriefRecord>> {
        let sql =
            format!("{BRIEF_SELECT} WHERE b.brand_id = ?1 AND b.id > ?2 ORDER BY b.id LIMIT ?3");
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map(params![brand.0, after.map_or(0, |a| a.0), limit], brief_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_source(&mut self, new: &NewSource<'_>) -> Result<SourceId> {
        self.tx.execute(
            "INSERT INTO sources (brief_id, kind, origin, body, added_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![new.brief.0, new.kind.as_str(), new.origin, new.text, new.added_by.0, new.at],
        )?;
        Ok(SourceId(self.tx.last_insert_rowid()))
    }

    fn sources(&mut self, brief: BriefId) -> Result<Vec<Source>> {
        let mut stmt = self.tx.prepare(
            "SELECT s.id, s.brief_id, s.kind, s.origin, s.body, s.added_by, u.name, s.created_at
             FROM sources s JOIN users u ON u.id = s.added_by WHERE s.brief_id = ?1 ORDER BY s.id",
        )?;
        let rows = stmt.query_map([brief.0], |r| {
            Ok(Source {
                id: SourceId(r.get(0)?),
                brief_id: BriefId(r.get(1)?),
                kind: parse(r.get(2)?, "sources.kind")?,
                origin: r.get(3)?,
                text: r.get(4)?,
                added_by: UserRef {
                    id: UserId(r.get(5)?),
                    name: r.get(6)?,
                },
                created_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_asset(&mut self, new: &NewAsset<'_>) -> Result<AssetId> {
        self.tx.execute(
            "INSERT INTO assets (brand_id, brief_id, title, kind, channel, locale, personalised, state,
                current_version, pending_role, due, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', 0, NULL, ?8, ?9, ?10)",
            params![
                new.brand.0,
                new.brief.0,
                new.title,
                new.kind.as_str(),
                new.channel,
                new.locale,
                new.personalised,
                due::NONE,
                new.created_by.0,
                new.at
            ],
        )?;
        Ok(AssetId(self.tx.last_insert_rowid()))
    }

    fn asset(&mut self, id: AssetId) -> Result<Option<Asset>> {
        let sql = format!("{ASSET_SELECT} WHERE a.id = ?1");
        Ok(self.tx.query_row(&sql, [id.0], asset_row).optional()?)
    }

    fn assets(
        &mut self,
        brand: BrandId,
        state: Option<AssetState>,
        after: Option<AssetId>,
        limit: u32,
    ) -> Result<Vec<Asset>> {
        let sql = format!(
            "{ASSET_SELECT} WHERE a.brand_id = ?1 AND a.id > ?2 AND (?3 IS NULL OR a.state = ?3)
             ORDER BY a.id LIMIT ?4"
        );
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map(
            params![
                brand.0,
                after.map_or(0, |a| a.0),
                state.map(|s| s.as_str()),
                limit
            ],
            asset_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn update_asset(&mut self, id: AssetId, u: &AssetUpdate) -> Result<()> {
        self.tx.execute(
            "UPDATE assets SET state = ?2, current_version = ?3, pending_role = ?4, due = ?5,
                review_authors = ?6
             WHERE id = ?1",
            params![
                id.0,
                u.state.as_str(),
                u.current_version,
                u.pending_role.map(|r| r.as_str()),
                due::to_stored(u.due),
                to_json(&u.review_authors)?
            ],
        )?;
        Ok(())
    }

    fn insert_version(&mut self, new: &NewVersion<'_>) -> Result<VersionId> {
        let (kind, person, provider, model, template) = match new.author {
            Author::User { user } => ("user", user.id, None, None, None),
            Author::Model {
                provider,
                model,
                template,
                recorded_by,
            } => (
                "model",
                recorded_by.id,
                Some(provider.as_str()),
                Some(model.as_str()),
                template.as_ref(),
            ),
        };
        self.tx.execute(
            "INSERT INTO versions (asset_id, number, parent, body, chars, author_kind, author_id,
                model_provider, model_name, template_id, template_version, note, brief_version,
                findings, reverted_from, created_at, guardrail_findings, provenance)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            params![
                new.asset.0,
                new.number,
                new.parent,
                new.text,
                new.text.chars().count() as i64,
                kind,
                person.0,
                provider,
                model,
                template.map(|t| t.id.as_str()),
                template.map(|t| t.version.as_str()),
                new.note,
                new.brief_version,
                to_json(&new.findings)?,
                new.reverted_from,
                new.at,
                to_json(&new.guardrail_findings)?,
                new.provenance.map(to_json).transpose()?
            ],
        )?;
        Ok(VersionId(self.tx.last_insert_rowid()))
    }

    fn insert_brief_note(&mut self, new: &NewBriefNote<'_>) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO brief_notes (brief_id, brief_version, body, provenance, author_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                new.brief.0,
                new.brief_version,
                new.body,
                to_json(new.provenance)?,
                new.author.0,
                new.at
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    fn brief_notes(&mut self, brief: BriefId) -> Result<Vec<BriefNote>> {
        let mut stmt = self.tx.prepare(
            "SELECT n.id, n.brief_id, n.brief_version, n.body, n.provenance, n.author_id,
                u.name AS author_name, n.created_at
             FROM brief_notes n JOIN users u ON u.id = n.author_id
             WHERE n.brief_id = ?1 ORDER BY n.id",
        )?;
        let rows = stmt.query_map([brief.0], |r| {
            Ok(BriefNote {
                id: r.get("id")?,
                brief_id: BriefId(r.get("brief_id")?),
                brief_version: r.get("brief_version")?,
                body: r.get("body")?,
                provenance: json::<Provenance>(r.get("provenance")?, "brief_notes.provenance")?,
                by: user_ref(r, "author_id", "author_name")?,
                created_at: r.get("created_at")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn insert_activation(&mut self, new: &NewActivation<'_>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO prompt_activations (brand_id, task, version, digest, origin, activated_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![new.brand.0, new.task, new.version, new.digest, new.origin, new.by.0, new.at],
        )?;
        Ok(())
    }

    fn activations(&mut self, brand: BrandId) -> Result<Vec<PromptActivation>> {
        let mut stmt = self.tx.prepare(
            "SELECT a.brand_id, a.task, a.version, a.digest, a.origin, a.activated_by,
                u.name AS by_name, a.created_at
             FROM prompt_activations a JOIN users u ON u.id = a.activated_by
             WHERE a.id IN (SELECT MAX(id) FROM prompt_activations WHERE brand_id = ?1 GROUP BY task)
             ORDER BY a.task",
        )?;
        let rows = stmt.query_map([brand.0], |r| {
            Ok(PromptActivation {
                brand_id: BrandId(r.get("brand_id")?),
                task: r.get("task")?,
                version: r.get("version")?,
                digest: r.get("digest")?,
                origin: r.get("origin")?,
                by: user_ref(r, "activated_by", "by_name")?,
                created_at: r.get("created_at")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn version(&mut self, asset: AssetId, number: u32) -> Result<Option<Version>> {
        let sql = format!(
            "SELECT v.id, v.asset_id, v.number, v.parent, v.body, v.note, v.brief_version, v.findings,
                v.guardrail_findings, v.reverted_from, v.created_at, v.provenance, {AUTHOR_COLS}
             FROM versions v JOIN users u ON u.id = v.author_id
             WHERE v.asset_id = ?1 AND v.number = ?2"
        );
        Ok(self
            .tx
            .query_row(&sql, params![asset.0, number], |r| {
                Ok(Version {
                    id: VersionId(r.get("id")?),
                    asset_id: AssetId(r.get("asset_id")?),
                    number: r.get("number")?,
                    parent: r.get("parent")?,
                    text: r.get("body")?,
                    author: author_row(r)?,
                    note: r.get("note")?,
                    brief_version: r.get("brief_version")?,
                    findings: json::<FindingCounts>(r.get("findings")?, "versions.findings")?,
                    guardrail_findings: json::<Vec<Finding>>(
                        r.get("guardrail_findings")?,
                        "versions.guardrail_findings",
                    )?,
                    reverted_from: r.get("reverted_from")?,
                    provenance: r
                        .get::<_, Option<String>>("provenance")?
                        .map(|text| json::<Provenance>(text, "versions.provenance"))
                        .transpose()?,
                    created_at: r.get("created_at")?,
                })
            })
            .optional()?)
    }

    fn history(
        &mut self,
        asset: AssetId,
        before: Option<u32>,
        limit: u32,
    ) -> Result<Vec<VersionSummary>> {
        let sql = format!(
            "SELECT v.number, v.parent, v.note, v.chars, v.reverted_from, v.created_at, {AUTHOR_COLS}
             FROM versions v JOIN users u ON u.id = v.author_id
             WHERE v.asset_id = ?1 AND v.number < ?2 ORDER BY v.number DESC LIMIT ?3"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![asset.0, before.unwrap_or(u32::MAX), limit], |r| {
            Ok(VersionSummary {
                number: r.get("number")?,
                parent: r.get("parent")?,
                author: author_row(r)?,
                note: r.get("note")?,
                chars: r.get("chars")?,
                reverted_from: r.get("reverted_from")?,
                created_at: r.get("created_at")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn lineage(&mut self, asset: AssetId) -> Result<Vec<LineageEntry>> {
        let sql = format!(
            "SELECT v.number, v.parent, {AUTHOR_COLS} FROM versions v JOIN users u ON u.id = v.author_id
             WHERE v.asset_id = ?1 ORDER BY v.number"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map([asset.0], |r| {
            Ok(LineageEntry {
                number: r.get("number")?,
                parent: r.get("parent")?,
                author: author_row(r)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_review(&mut self, new: &NewReview<'_>) -> Result<ReviewId> {
        self.tx.execute(
            "INSERT INTO reviews (asset_id, version, tier, score, stages, submitted_by, submitted_at, policy_digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                new.asset.0,
                new.version,
                new.tier.as_str(),
                new.score,
                to_json(&new.stages)?,
                new.submitted_by.0,
                new.at,
                new.policy_digest
            ],
        )?;
        Ok(ReviewId(self.tx.last_insert_rowid()))
    }

    fn latest_review(&mut self, asset: AssetId) -> Result<Option<Review>> {
        let sql = format!("{REVIEW_SELECT} WHERE r.asset_id = ?1 ORDER BY r.id DESC LIMIT 1");
        let review = self.tx.query_row(&sql, [asset.0], review_row).optional()?;
        match review {
            Some(mut r) => {
                r.decisions = self.decisions(r.id)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    fn reviews(&mut self, asset: AssetId) -> Result<Vec<Review>> {
        let sql = format!("{REVIEW_SELECT} WHERE r.asset_id = ?1 ORDER BY r.id");
        let mut reviews: Vec<Review> = {
            let mut stmt = self.tx.prepare(&sql)?;
            let rows = stmt.query_map([asset.0], review_row)?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for r in &mut reviews {
            r.decisions = self.decisions(r.id)?;
        }
        Ok(reviews)
    }

    fn insert_decision(&mut self, review: ReviewId, d: &StageDecision) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO decisions (review_id, stage, role, decision, user_id, reason, comment, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    review.0,
                    d.stage,
                    d.role.as_str(),
                    d.decision.as_str(),
                    d.by.id.0,
                    d.reason.map(|r| r.as_str()),
                    d.comment,
                    d.at
                ],
            )
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "stage {} ({}) was decided by someone else at the same moment",
                    d.stage + 1,
                    d.role
                )),
                other => other,
            })?;
        Ok(())
    }

    fn insert_comment(&mut self, new: &NewComment<'_>) -> Result<CommentId> {
        self.tx.execute(
            "INSERT INTO comments (asset_id, version, range_start, range_end, quote, body, user_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                new.asset.0,
                new.version,
                new.range.map(|r| r.0),
                new.range.map(|r| r.1),
                new.quote,
                new.body,
                new.by.0,
                new.at
            ],
        )?;
        Ok(CommentId(self.tx.last_insert_rowid()))
    }

    fn comments(&mut self, asset: AssetId) -> Result<Vec<Comment>> {
        let mut stmt = self.tx.prepare(
            "SELECT c.id, c.asset_id, c.version, c.range_start, c.range_end, c.quote, c.body, c.user_id,
                u.name, c.created_at
             FROM comments c JOIN users u ON u.id = c.user_id WHERE c.asset_id = ?1 ORDER BY c.id",
        )?;
        let rows = stmt.query_map([asset.0], |r| {
            let start: Option<u32> = r.get(3)?;
            let end: Option<u32> = r.get(4)?;
            Ok(Comment {
                id: CommentId(r.get(0)?),
                asset_id: AssetId(r.get(1)?),
                version: r.get(2)?,
                range: start.zip(end),
                quote: r.get(5)?,
                body: r.get(6)?,
                by: UserRef {
                    id: UserId(r.get(7)?),
                    name: r.get(8)?,
                },
                created_at: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_sample(&mut self, s: &SpotCheckSample) -> Result<()> {
        self.tx.execute(
            "INSERT INTO spot_check_samples (review_id, asset_id, brand_id, seed, draw, rate, sampled, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![s.review.0, s.asset.0, s.brand.0, s.seed, s.draw, s.rate, s.sampled, s.at],
        )?;
        Ok(())
    }

    fn samples(
        &mut self,
        brand: BrandId,
        after: Option<ReviewId>,
        limit: u32,
    ) -> Result<Vec<SpotCheckSample>> {
        let mut stmt = self.tx.prepare(
            "SELECT review_id, asset_id, brand_id, seed, draw, rate, sampled, created_at
             FROM spot_check_samples WHERE brand_id = ?1 AND sampled = 1 AND review_id > ?2
             ORDER BY review_id LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![brand.0, after.map_or(0, |a| a.0), limit],
            sample_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn queue(
        &mut self,
        brand: BrandId,
        role: Role,
        after: Option<&QueueCursor>,
        limit: u32,
    ) -> Result<Vec<QueueItem>> {
        let (due, id) = match after {
            Some(c) => (due::to_stored(c.due), c.asset.0),
            None => (NaiveDate::MIN, 0),
        };
        // `(due, id) > (?3, ?4)`, split in two: SQLite seeks the index on the row value's
        // `due` only (`id` is the rowid), so a page deep among assets sharing one due date
        // would step over all the earlier ones. Each half seeks straight to its first row.
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, brand_id, title, kind, pending_role, current_version, due, review_authors,
                    (SELECT tier FROM reviews WHERE reviews.asset_id = assets.id ORDER BY reviews.id DESC LIMIT 1) AS tier
             FROM assets
             WHERE brand_id = ?1 AND pending_role = ?2 AND due = ?3 AND id > ?4
             UNION ALL
             SELECT id, brand_id, title, kind, pending_role, current_version, due, review_authors,
                    (SELECT tier FROM reviews WHERE reviews.asset_id = assets.id ORDER BY reviews.id DESC LIMIT 1) AS tier
             FROM assets
             WHERE brand_id = ?1 AND pending_role = ?2 AND due > ?3
             ORDER BY due, id LIMIT ?5",
        )?;
        let rows = stmt.query_map(params![brand.0, role.as_str(), due, id, limit], |r| {
            Ok(QueueItem {
                asset: AssetId(r.get(0)?),
                brand: BrandId(r.get(1)?),
                title: r.get(2)?,
                kind: parse(r.get(3)?, "assets.kind")?,
                role: parse(r.get(4)?, "assets.pending_role")?,
                version: r.get(5)?,
                due: due::from_stored(r.get(6)?),
                review_authors: json(r.get(7)?, "assets.review_authors")?,
                tier: r
                    .get::<_, Option<String>>(8)?
                    .map(|t| parse(t, "reviews.tier"))
                    .transpose()?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn audit_head(&mut self) -> Result<Option<(i64, String)>> {
        Ok(self
            .tx
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn append_audit(&mut self, e: &AuditEntry) -> Result<()> {
        self.tx.execute(
            "INSERT INTO audit_log (seq, at, actor, brand, action, subject, details, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![e.seq, e.at, e.actor, e.brand, e.action, e.subject, e.details.to_string(), e.prev_hash, e.hash],
        )?;
        Ok(())
    }

    fn audit_entries(
        &mut self,
        filter: &AuditFilter,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let brands = filter
            .brands
            .as_ref()
            .map(|b| serde_json::Value::from(b.clone()).to_string());
        let sql = format!(
            "SELECT {AUDIT_COLS} FROM audit_log
             WHERE seq > ?1 AND (?2 IS NULL OR subject = ?2)
               AND (?3 IS NULL OR brand IN (SELECT value FROM json_each(?3)))
             ORDER BY seq LIMIT ?4"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![after_seq, filter.subject, brands, limit], audit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_password_hash(&mut self, user: UserId, hash: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user.0, hash],
        )?;
        Ok(())
    }

    fn password_hash(&mut self, user: UserId) -> Result<Option<String>> {
        let hash: Option<Option<String>> = self
            .tx
            .query_row(
                "SELECT password_hash FROM users WHERE id = ?1",
                [user.0],
                |r| r.get(0),
            )
            .optional()?;
        Ok(hash.flatten())
    }

    fn insert_session(&mut self, new: &NewSession<'_>) -> Result<SessionId> {
        self.tx.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
            params![new.token_hash, new.user.0, new.csrf_token, new.at, new.expires_at],
        )?;
        Ok(SessionId(self.tx.last_insert_rowid()))
    }

    fn session_by_hash(&mut self, token_hash: &str) -> Result<Option<Session>> {
        let sql = format!("SELECT {SESSION_COLS} FROM sessions WHERE token_hash = ?1");
        Ok(self
            .tx
            .query_row(&sql, [token_hash], session_row)
            .optional()?)
    }

    fn touch_session(
        &mut self,
        id: SessionId,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE sessions SET last_seen_at = ?2, expires_at = ?3 WHERE id = ?1",
            params![id.0, at, expires_at],
        )?;
        Ok(())
    }

    fn revoke_session(&mut self, id: SessionId, at: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
            "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id.0, at],
        )?;
        Ok(())
    }

    fn revoke_sessions_of(&mut self, user: UserId, at: DateTime<Utc>) -> Result<u64> {
        let n = self.tx.execute(
            "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
            params![user.0, at],
        )?;
        Ok(n as u64)
    }

    fn insert_api_token(&mut self, new: &NewApiToken<'_>) -> Result<TokenId> {
        self.tx.execute(
            "INSERT INTO api_tokens (token_hash, name, prefix, user_id, brand_id, role, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                new.token_hash,
                new.name,
                new.prefix,
                new.user.0,
                new.brand.0,
                new.role.as_str(),
                new.at
            ],
        )?;
        Ok(TokenId(self.tx.last_insert_rowid()))
    }

    fn api_token_by_hash(&mut self, token_hash: &str) -> Result<Option<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.token_hash = ?1");
        Ok(self
            .tx
            .query_row(&sql, [token_hash], token_row)
            .optional()?)
    }

    fn api_token(&mut self, id: TokenId) -> Result<Option<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.id = ?1");
        Ok(self.tx.query_row(&sql, [id.0], token_row).optional()?)
    }

    fn api_tokens(&mut self, brand: BrandId) -> Result<Vec<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.brand_id = ?1 ORDER BY t.id");
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map([brand.0], token_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn touch_api_token(&mut self, id: TokenId, at: DateTime<Utc>) -> Result<()> {
        self.tx.execute(
            "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
            params![id.0, at],
        )?;
        Ok(())
    }

    fn revoke_api_token(&mut self, id: TokenId, at: DateTime<Utc>) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id.0, at],
        )?;
        Ok(n == 1)
    }

    fn record_login_attempt(
        &mut self,
        account: &str,
        ip: &str,
        at: DateTime<Utc>,
        succeeded: bool,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO login_attempts (account, ip, at, succeeded) VALUES (?1, ?2, ?3, ?4)",
            params![account, ip, at, succeeded],
        )?;
        Ok(())
    }

    fn failed_logins_since(
        &mut self,
        account: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, u32)> {
        Ok(self.tx.query_row(
            "SELECT
                (SELECT COUNT(*) FROM login_attempts
                 WHERE account = ?1 AND at >= ?3 AND succeeded = 0),
                (SELECT COUNT(*) FROM login_attempts
                 WHERE ip = ?2 AND at >= ?3 AND succeeded = 0)",
            params![account, ip, since],
            |r| Ok((saturate(r.get(0)?), saturate(r.get(1)?))),
        )?)
    }

    fn prune_login_attempts(&mut self, before: DateTime<Utc>) -> Result<u64> {
        let n = self
            .tx
            .execute("DELETE FROM login_attempts WHERE at < ?1", [before])?;
        Ok(n as u64)
    }

    fn insert_webhook(&mut self, new: &NewWebhook<'_>) -> Result<WebhookId> {
        self.tx.execute(
            "INSERT INTO webhooks (brand_id, url, secret, events, created_by, created_at, active)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)",
            params![
                new.brand.0,
                new.url,
                new.secret,
                stored_events(new.events),
                new.created_by.0,
                new.at
            ],
        )?;
        Ok(WebhookId(self.tx.last_insert_rowid()))
    }

    fn webhook(&mut self, id: WebhookId) -> Result<Option<Webhook>> {
        let sql = format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE id = ?1");
        Ok(self.tx.query_row(&sql, [id.0], webhook_row).optional()?)
    }

    fn webhooks(&mut self, brand: BrandId) -> Result<Vec<Webhook>> {
        let sql = format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE brand_id = ?1 ORDER BY id");
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map([brand.0], webhook_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_webhook_active(&mut self, id: WebhookId, active: bool) -> Result<()> {
        self.tx.execute(
            "UPDATE webhooks SET active = ?2 WHERE id = ?1",
            params![id.0, active],
        )?;
        Ok(())
    }

    fn enqueue_delivery(&mut self, new: &NewDelivery<'_>) -> Result<DeliveryId> {
        self.tx.execute(
            "INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at, attempts,
                next_attempt_at, state)
             VALUES (?1, ?2, ?3, ?4, 0, ?4, ?5)",
            params![
                new.webhook.0,
                new.event.as_str(),
                new.payload,
                new.at,
                DeliveryState::Pending.as_str()
            ],
        )?;
        Ok(DeliveryId(self.tx.last_insert_rowid()))
    }

    fn claim_delivery(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<Delivery>> {
        // A write transaction holds SQLite's one write lock, so nobody else claims between
        // the pick and the lease.
        let claimed: Option<i64> = self
            .tx
            .query_row(
                "UPDATE webhook_deliveries SET locked_until = ?2
                 WHERE id = (
                     SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                     WHERE d.state = 'pending' AND d.next_attempt_at <= ?1
                       AND (d.locked_until IS NULL OR d.locked_until < ?1) AND w.active = 1
                     ORDER BY d.next_attempt_at, d.id LIMIT 1)
                 RETURNING id",
                params![now, lease_until],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = claimed else {
            return Ok(None);
        };
        let sql = format!("{DELIVERY_SELECT} WHERE d.id = ?1");
        Ok(self.tx.query_row(&sql, [id], delivery_row).optional()?)
    }

    fn finish_delivery(&mut self, id: DeliveryId, outcome: &DeliveryOutcome) -> Result<()> {
        let state = outcome.state();
        let next = outcome.next.filter(|_| state == DeliveryState::Pending);
        let delivered_at = (state == DeliveryState::Delivered).then_some(outcome.at);
        self.tx.execute(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?2,
                last_error = ?3, locked_until = NULL, state = ?4,
                next_attempt_at = COALESCE(?5, next_attempt_at), delivered_at = ?6
             WHERE id = ?1 AND state = 'pending'",
            params![
                id.0,
                outcome.status,
                outcome.error,
                state.as_str(),
                next,
                delivered_at
            ],
        )?;
        Ok(())
    }

    fn deliveries(
        &mut self,
        brand: BrandId,
        after: Option<DeliveryId>,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        let sql = format!(
            "{DELIVERY_SELECT} WHERE w.brand_id = ?1 AND d.id < ?2 ORDER BY d.id DESC LIMIT ?3"
        );
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![brand.0, after.map_or(i64::MAX, |a| a.0), limit],
            delivery_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_experiment(&mut self, new: &NewExperiment<'_>) -> Result<ExperimentId> {
        self.tx.execute(
            "INSERT INTO experiments (brand_id, asset_id, hypothesis, lever, metric, metric_type,
                 inverse, state, variants, plan, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', '[]', NULL, ?8, ?9)",
            params![
                new.brand.0,
                new.asset.0,
                new.hypothesis,
                new.lever.as_str(),
                new.metric,
                new.metric_type.as_str(),
                new.inverse,
                new.created_by.0,
                new.at
            ],
        )?;
        Ok(ExperimentId(self.tx.last_insert_rowid()))
    }

    fn experiment(&mut self, id: ExperimentId) -> Result<Option<Experiment>> {
        let sql = format!("{EXPERIMENT_SELECT} WHERE e.id = ?1");
        Ok(self.tx.query_row(&sql, [id.0], experiment_row).optional()?)
    }

    fn experiments(&mut self, brand: BrandId) -> Result<Vec<Experiment>> {
        let sql = format!("{EXPERIMENT_SELECT} WHERE e.brand_id = ?1 ORDER BY e.id");
        let mut stmt = self.tx.prepare(&sql)?;
        let rows = stmt.query_map([brand.0], experiment_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn save_experiment(&mut self, e: &Experiment) -> Result<()> {
        let plan = e.plan.as_ref().map(to_json).transpose()?;
        self.tx.execute(
            "UPDATE experiments SET state = ?2, variants = ?3, plan = ?4, started_at = ?5,
                 stopped_at = ?6 WHERE id = ?1",
            params![
                e.id.0,
                e.state.as_str(),
                to_json(&e.variants)?,
                plan,
                e.started_at,
                e.stopped_at
            ],
        )?;
        Ok(())
    }

    fn insert_results(&mut self, new: &NewResults<'_>) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO experiment_results (experiment_id, source, rows, imported_by, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                new.experiment.0,
                new.source,
                to_json(new.rows)?,
                new.imported_by.0,
                new.at
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    fn latest_results(&mut self, experiment: ExperimentId) -> Result<Option<StoredResults>> {
        Ok(self
            .tx
            .query_row(
                "SELECT r.id, r.source, r.rows, r.imported_by, u.name AS imported_by_name, r.imported_at
                 FROM experiment_results r JOIN users u ON u.id = r.imported_by
                 WHERE r.experiment_id = ?1 ORDER BY r.id DESC LIMIT 1",
                [experiment.0],
                |r| {
                    Ok(StoredResults {
                        id: r.get("id")?,
                        source: r.get("source")?,
                        rows: json(r.get("rows")?, "experiment_results.rows")?,
                        imported_by: user_ref(r, "imported_by", "imported_by_name")?,
                        imported_at: r.get("imported_at")?,
                    })
                },
            )
            .optional()?)
    }
}

#[cfg(test)]
mod write_gate_tests {
    use super::*;

    fn drawn(gate: &WriteGate) -> u64 {
        gate.turns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .next
    }

    /// Waits (briefly) until `n` tickets have been drawn, so threads queue in a known order.
    fn until_drawn(gate: &WriteGate, n: u64) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while drawn(gate) < n {
            assert!(Instant::now() < deadline, "a writer never drew its ticket");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn fresh_gate() -> Arc<WriteGate> {
        Arc::new(WriteGate {
            turns: Mutex::new(Turns::default()),
            moved: Condvar::new(),
        })
    }

    #[test]
    fn writers_take_turns_in_the_order_they_arrived() {
        let gate = fresh_gate();
        let first = gate.enter().expect("the first writer goes at once");
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for (i, name) in ["a", "b", "c"].into_iter().enumerate() {
            let (gate2, order) = (Arc::clone(&gate), Arc::clone(&order));
            waiting.push(std::thread::spawn(move || {
                let turn = gate2.enter();
                order.lock().expect("order").push(name);
                turn.is_some()
            }));
            until_drawn(&gate, i as u64 + 2);
        }
        assert!(
            order.lock().expect("order").is_empty(),
            "nobody writes while the first does"
        );
        drop(first);
        for w in waiting {
            assert!(
                w.join().expect("writer thread"),
                "every writer got its turn"
            );
        }
        assert_eq!(*order.lock().expect("order"), ["a", "b", "c"]);
    }

    #[test]
    fn a_writer_that_gave_up_is_skipped() {
        let gate = fresh_gate();
        let first = gate.enter().expect("the first writer goes at once");
        {
            // what `enter` records when a writer's wait times out
            let mut turns = gate.turns.lock().expect("turns");
            let gave_up = turns.next;
            turns.next += 1;
            turns.abandoned.insert(gave_up);
        }
        let gate2 = Arc::clone(&gate);
        let next = std::thread::spawn(move || {
            let started = Instant::now();
            let turn = gate2.enter();
            (turn.is_some(), started.elapsed())
        });
        until_drawn(&gate, 3);
        drop(first);
        let (entered, waited) = next.join().expect("writer thread");
        assert!(
            entered,
            "the writer after an abandoned ticket gets its turn"
        );
        assert!(
            waited < Duration::from_millis(BUSY_TIMEOUT_MS / 2),
            "it did not wait for the abandoned ticket's timeout ({waited:?})"
        );
        assert!(gate.turns.lock().expect("turns").abandoned.is_empty());
    }

    #[test]
    fn one_gate_per_database_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
        std::fs::write(&a, b"").expect("a");
        std::fs::write(&b, b"").expect("b");
        let a1 = WriteGate::of(&a);
        let a2 = WriteGate::of(&dir.path().join(".").join("a.db"));
        assert!(
            Arc::ptr_eq(&a1, &a2),
            "the same file, however it is named, shares one gate"
        );
        assert!(!Arc::ptr_eq(&a1, &WriteGate::of(&b)));
    }
}
