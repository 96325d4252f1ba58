//! The PostgreSQL store: one connection, READ COMMITTED write transactions that lock the asset
//! they read, and a transaction-level advisory lock that appends audit entries one at a time,
//! however many copydesk servers share the database. Text is sorted `COLLATE "C"` (byte
//! order), as SQLite sorts it, whatever the database's locale.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::types::{FromSqlOwned, ToSql};
use postgres::{Client, Config, IsolationLevel, NoTls, Row, Statement, Transaction};

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

/// Advisory lock keys ("copydesk" in ASCII, and the next number). Advisory locks are scoped to
/// one database, so two copydesk databases on one server do not block each other.
const MIGRATION_LOCK: i64 = 0x636f_7079_6465_736b;
const AUDIT_LOCK: i64 = MIGRATION_LOCK + 1;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The earliest date PostgreSQL can store (4714 BC, November 24, Julian day 0).
const PG_MIN_DATE: NaiveDate = match NaiveDate::from_ymd_opt(-4713, 11, 24) {
    Some(d) => d,
    None => panic!("4714 BC, November 24 is a date"),
};

pub struct PgStore {
    client: Client,
    config: Config,
    location: String,
    statements: HashMap<String, Statement>,
}

impl PgStore {
    /// Connects to the database a `postgres://` URL (or a `key=value` connection string) names
    /// and applies pending migrations.
    pub fn connect(url: &str) -> Result<PgStore> {
        let location = redact(url);
        let mut config: Config = url.parse().map_err(|e: postgres::Error| StoreError::Open {
            location: location.clone(),
            message: e.to_string(),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("copydesk");
        }
        let client = open_client(&config, &location)?;
        let mut store = PgStore {
            client,
            config,
            location,
            statements: HashMap::new(),
        };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<SchemaVersion> {
        let mut tx = self.client.transaction()?;
        // Several servers may start at once: the first to get the lock migrates, the others
        // then find the schema current.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
        )?;
        let found: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )?
            .try_get(0)?;
        migrate::refuse_newer(found, migrate::POSTGRES, &self.location)?;
        for m in migrate::POSTGRES.iter().filter(|m| m.version > found) {
            tx.batch_execute(m.sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[&m.version, &m.name, &Utc::now()],
            )?;
        }
        tx.commit()?;
        Ok(SchemaVersion(migrate::latest(migrate::POSTGRES)))
    }
}

fn open_client(config: &Config, location: &str) -> Result<Client> {
    let mut client = config.connect(NoTls).map_err(|e| StoreError::Open {
        location: location.to_string(),
        message: e.to_string(),
    })?;
    // Waiting on another writer's row or audit lock gives up like SQLite's busy timeout does,
    // instead of hanging a command forever.
    client.batch_execute(&format!(
        "SET lock_timeout = {}",
        crate::sqlite::BUSY_TIMEOUT_MS
    ))?;
    Ok(client)
}

impl Store for PgStore {
    fn begin(&mut self, mode: TxMode) -> Result<Box<dyn Tx + '_>> {
        if self.client.is_closed() {
            // The server restarted or dropped us; the schema was checked when we first connected.
            self.client = open_client(&self.config, &self.location)?;
            self.statements.clear();
        }
        let builder = self.client.build_transaction();
        let tx = match mode {
            // One snapshot for the whole transaction, like a SQLite read transaction; a
            // read-only REPEATABLE READ transaction never fails to serialise.
            TxMode::Read => builder
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true),
            // Writers lock what they depend on (the asset row, the audit lock) and each
            // statement then sees what the previous lock holder committed.
            TxMode::Write => builder.isolation_level(IsolationLevel::ReadCommitted),
        }
        .start()?;
        Ok(Box::new(PgTx {
            tx,
            statements: &mut self.statements,
            mode,
        }))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// The connection URL without its password, fit for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (before_query, query) = match rest.split_once('?') {
                Some((b, q)) => (b, Some(q)),
                None => (rest, None),
            };
            // The host follows the last '@', so a password holding '@' or '/' is still cut.
            let authority = match before_query.rfind('@') {
                Some(at) => {
                    let (userinfo, host) = before_query.split_at(at);
                    let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
                    format!("{user}{host}")
                }
                None => before_query.to_string(),
            };
            let query = query
                .map(|q| {
                    q.split('&')
                        .filter(|pair| !pair.starts_with("password="))
                        .collect::<Vec<_>>()
                        .join("&")
                })
                .filter(|q| !q.is_empty());
            match query {
                Some(q) => format!("{scheme}://{authority}?{q}"),
                None => format!("{scheme}://{authority}"),
            }
        }
        None => redact_key_values(url),
    }
}

/// `host=db password='x y' dbname=c` without the password.
fn redact_key_values(conninfo: &str) -> String {
    let mut kept = Vec::new();
    let mut rest = conninfo.trim_start();
    while !rest.is_empty() {
        let end = token_end(rest);
        let (token, tail) = rest.split_at(end);
        let key = token.split('=').next().unwrap_or_default().trim();
        if key != "password" {
            kept.push(token.trim());
        }
        rest = tail.trim_start();
    }
    kept.join(" ")
}

/// The end of one `key=value` token, where the value may be quoted with backslash escapes.
fn token_end(s: &str) -> usize {
    let mut quoted = false;
    let mut escaped = false;
    let mut after_equals = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '\'' if after_equals => quoted = !quoted,
            '=' => after_equals = true,
            c if c.is_whitespace() && !quoted && after_equals => return i,
            _ => {}
        }
    }
    s.len()
}

struct PgTx<'c> {
    tx: Transaction<'c>,
    statements: &'c mut HashMap<String, Statement>,
    mode: TxMode,
}

type Params<'a> = [&'a (dyn ToSql + Sync)];

impl PgTx<'_> {
    /// The prepared statement for `sql`, prepared once per connection.
    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql)?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn execute(&mut self, sql: &str, params: &Params<'_>) -> Result<u64> {
        let s = self.statement(sql)?;
        Ok(self.tx.execute(&s, params)?)
    }

    fn query(&mut self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        Ok(self.tx.query(&s, params)?)
    }

    fn query_opt(&mut self, sql: &str, params: &Params<'_>) -> Result<Option<Row>> {
        let s = self.statement(sql)?;
        Ok(self.tx.query_opt(&s, params)?)
    }

    /// Runs an `INSERT ... RETURNING id`.
    fn insert_returning_id(&mut self, sql: &str, params: &Params<'_>) -> Result<i64> {
        let s = self.statement(sql)?;
        let row = self.tx.query_one(&s, params)?;
        Cols(&row).get("id")
    }

    fn query_map<T>(
        &mut self,
        sql: &str,
        params: &Params<'_>,
        map: impl Fn(Cols<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.query(sql, params)?
            .iter()
            .map(|r| map(Cols(r)))
            .collect()
    }

    fn query_row<T>(
        &mut self,
        sql: &str,
        params: &Params<'_>,
        map: impl Fn(Cols<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.query_opt(sql, params)?
            .as_ref()
            .map(|r| map(Cols(r)))
            .transpose()
    }

    fn decisions(&mut self, review: ReviewId) -> Result<Vec<StageDecision>> {
        self.query_map(
            "SELECT d.stage, d.role, d.decision, d.user_id, u.name AS user_name, d.reason,
                d.comment, d.decided_at
             FROM decisions d JOIN users u ON u.id = d.user_id
             WHERE d.review_id = $1 ORDER BY d.stage",
            &[&review.0],
            |r| {
                Ok(StageDecision {
                    stage: r.u32("stage")?,
                    role: r.parse("role")?,
                    decision: r.parse("decision")?,
                    by: r.user_ref("user_id", "user_name")?,
                    reason: r.opt_parse("reason")?,
                    comment: r.get("comment")?,
                    at: r.get("decided_at")?,
                })
            },
        )
    }
}

/// One result row, read by column name. Whatever does not decode into what copydesk wrote is
/// [`StoreError::Corrupt`].
#[derive(Clone, Copy)]
struct Cols<'r>(&'r Row);

impl Cols<'_> {
    fn get<T: FromSqlOwned>(&self, col: &str) -> Result<T> {
        self.0
            .try_get(col)
            .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
    }

    fn u32(&self, col: &str) -> Result<u32> {
        let v: i64 = self.get(col)?;
        u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{col}: {v} is out of range")))
    }

    fn opt_u32(&self, col: &str) -> Result<Option<u32>> {
        match self.get::<Option<i64>>(col)? {
            Some(v) => u32::try_from(v)
                .map(Some)
                .map_err(|_| StoreError::Corrupt(format!("{col}: {v} is out of range"))),
            None => Ok(None),
        }
    }

    fn opt_u16(&self, col: &str) -> Result<Option<u16>> {
        match self.get::<Option<i64>>(col)? {
            Some(v) => u16::try_from(v)
                .map(Some)
                .map_err(|_| StoreError::Corrupt(format!("{col}: {v} is out of range"))),
            None => Ok(None),
        }
    }

    /// A count as a `u32`, the largest one when it is larger.
    fn count(&self, col: &str) -> Result<u32> {
        let v: i64 = self.get(col)?;
        Ok(u32::try_from(v).unwrap_or(u32::MAX))
    }

    fn u64(&self, col: &str) -> Result<u64> {
        let v: i64 = self.get(col)?;
        u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("{col}: {v} is out of range")))
    }

    fn parse<T: FromStr>(&self, col: &str) -> Result<T>
    where
        T::Err: Display,
    {
        parse(self.get(col)?, col)
    }

    fn opt_parse<T: FromStr>(&self, col: &str) -> Result<Option<T>>
    where
        T::Err: Display,
    {
        self.get::<Option<String>>(col)?
            .map(|s| parse(s, col))
            .transpose()
    }

    fn json<T: serde::de::DeserializeOwned>(&self, col: &str) -> Result<T> {
        let text: String = self.get(col)?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
    }

    fn user_ref(&self, id: &str, name: &str) -> Result<UserRef> {
        Ok(UserRef {
            id: UserId(self.get(id)?),
            name: self.get(name)?,
        })
    }
}

fn parse<T: FromStr>(text: String, col: &str) -> Result<T>
where
    T::Err: Display,
{
    text.parse::<T>()
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(e.to_string()))
}

fn sql_limit(n: u32) -> i64 {
    i64::from(n)
}

const BRAND_COLS: &str = "id, slug, name, kit, created_at";
fn brand_row(r: Cols<'_>) -> Result<Brand> {
    Ok(Brand {
        id: BrandId(r.get("id")?),
        slug: r.get("slug")?,
        name: r.get("name")?,
        kit: r.get("kit")?,
        created_at: r.get("created_at")?,
    })
}

const USER_COLS: &str = "id, name, display_name, is_admin, created_at";
fn user_row(r: Cols<'_>) -> Result<User> {
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
fn brief_row(r: Cols<'_>) -> Result<BriefRecord> {
    Ok(BriefRecord {
        id: BriefId(r.get("id")?),
        brand_id: BrandId(r.get("brand_id")?),
        version: r.u32("current_version")?,
        content: r.json("content")?,
        created_by: r.user_ref("created_by", "created_by_name")?,
        updated_by: r.user_ref("author_id", "author_name")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

const ASSET_SELECT: &str = "SELECT a.id, a.brand_id, a.brief_id, a.title, a.kind, a.channel,
        a.locale, a.personalised, a.state, a.current_version, a.created_by,
        u.name AS created_by_name, a.created_at
    FROM assets a JOIN users u ON u.id = a.created_by";
fn asset_row(r: Cols<'_>) -> Result<Asset> {
    Ok(Asset {
        id: AssetId(r.get("id")?),
        brand_id: BrandId(r.get("brand_id")?),
        brief_id: BriefId(r.get("brief_id")?),
        title: r.get("title")?,
        kind: r.parse("kind")?,
        channel: r.get("channel")?,
        locale: r.get("locale")?,
        personalised: r.get("personalised")?,
        state: r.parse("state")?,
        current_version: r.u32("current_version")?,
        created_by: r.user_ref("created_by", "created_by_name")?,
        created_at: r.get("created_at")?,
    })
}

const AUTHOR_COLS: &str = "v.author_kind, v.author_id, u.name AS author_name, v.model_provider,
    v.model_name, v.template_id, v.template_version";
fn author_row(r: Cols<'_>) -> Result<Author> {
    let person = r.user_ref("author_id", "author_name")?;
    let kind: String = r.get("author_kind")?;
    if kind == "model" {
        let template = match (
            r.get::<Option<String>>("template_id")?,
            r.get::<Option<String>>("template_version")?,
        ) {
            (Some(id), Some(version)) => Some(TemplateRef { id, version }),
            _ => None,
        };
        Ok(Author::Model {
            provider: r
                .get::<Option<String>>("model_provider")?
                .unwrap_or_default(),
            model: r.get::<Option<String>>("model_name")?.unwrap_or_default(),
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
fn review_row(r: Cols<'_>) -> Result<Review> {
    Ok(Review {
        id: ReviewId(r.get("id")?),
        asset_id: AssetId(r.get("asset_id")?),
        version: r.u32("version")?,
        tier: r.parse("tier")?,
        score: r.get("score")?,
        stages: r.json("stages")?,
        submitted_by: r.user_ref("submitted_by", "submitted_by_name")?,
        submitted_at: r.get("submitted_at")?,
        policy_digest: r.get("policy_digest")?,
        decisions: Vec::new(),
    })
}

const AUDIT_COLS: &str = "seq, at, actor, brand, action, subject, details, prev_hash, hash";
fn audit_row(r: Cols<'_>) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get("seq")?,
        at: r.get("at")?,
        actor: r.get("actor")?,
        brand: r.get("brand")?,
        action: r.get("action")?,
        subject: r.get("subject")?,
        details: r.json("details")?,
        prev_hash: r.get("prev_hash")?,
        hash: r.get("hash")?,
    })
}

fn sample_row(r: Cols<'_>) -> Result<SpotCheckSample> {
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

fn queue_row(r: Cols<'_>) -> Result<QueueItem> {
    Ok(QueueItem {
        asset: AssetId(r.get("id")?),
        brand: BrandId(r.get("brand_id")?),
        title: r.get("title")?,
        kind: r.parse("kind")?,
        role: r.parse("pending_role")?,
        version: r.u32("current_version")?,
        due: due::from_stored(r.get("due")?),
        review_authors: r.json("review_authors")?,
        tier: r.opt_parse("tier")?,
    })
}

const SESSION_COLS: &str =
    "id, user_id, csrf_token, created_at, expires_at, last_seen_at, revoked_at";
fn session_row(r: Cols<'_>) -> Result<Session> {
    Ok(Session {
        id: SessionId(r.get("id")?),
        user: UserId(r.get("user_id")?),
        csrf_token: Secret::new(r.get::<String>("csrf_token")?),
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
        last_seen_at: r.get("last_seen_at")?,
        revoked_at: r.get("revoked_at")?,
    })
}

const TOKEN_SELECT: &str = "SELECT t.id, t.name, t.prefix, t.user_id, u.name AS user_name,
        t.brand_id, t.role, t.created_at, t.last_used_at, t.revoked_at
    FROM api_tokens t JOIN users u ON u.id = t.user_id";
fn token_row(r: Cols<'_>) -> Result<ApiToken> {
    Ok(ApiToken {
        id: TokenId(r.get("id")?),
        name: r.get("name")?,
        user: UserId(r.get("user_id")?),
        user_name: r.get("user_name")?,
        brand: BrandId(r.get("brand_id")?),
        role: r.parse("role")?,
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
fn experiment_row(r: Cols<'_>) -> Result<Experiment> {
    let plan: Option<String> = r.get("plan")?;
    Ok(Experiment {
        id: ExperimentId(r.get("id")?),
        brand_id: BrandId(r.get("brand_id")?),
        asset_id: AssetId(r.get("asset_id")?),
        hypothesis: r.get("hypothesis")?,
        lever: r.parse("lever")?,
        metric: r.get("metric")?,
        metric_type: r.parse("metric_type")?,
        inverse: r.get("inverse")?,
        state: r.parse("state")?,
        variants: r.json("variants")?,
        plan: plan
            .map(|p| {
                serde_json::from_str(&p)
                    .map_err(|e| StoreError::Corrupt(format!("experiments.plan: {e}")))
            })
            .transpose()?,
        created_by: r.user_ref("created_by", "created_by_name")?,
        created_at: r.get("created_at")?,
        started_at: r.get("started_at")?,
        stopped_at: r.get("stopped_at")?,
    })
}

const WEBHOOK_COLS: &str = "id, brand_id, url, secret, events, created_by, created_at, active";
fn webhook_row(r: Cols<'_>) -> Result<Webhook> {
    let events: String = r.get("events")?;
    Ok(Webhook {
        id: WebhookId(r.get("id")?),
        brand: BrandId(r.get("brand_id")?),
        url: r.get("url")?,
        secret: Secret::new(r.get::<String>("secret")?),
        events: events
            .split(',')
            .filter(|name| !name.is_empty())
            .map(|name| parse(name.to_string(), "events"))
            .collect::<Result<_>>()?,
        created_by: UserId(r.get("created_by")?),
        created_at: r.get("created_at")?,
        active: r.get("active")?,
    })
}

const DELIVERY_SELECT: &str = "SELECT d.id, d.webhook_id, w.url, d.event, d.payload,
        d.created_at, d.attempts, d.next_attempt_at, d.state, d.last_status, d.last_error,
        d.delivered_at
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id";
fn delivery_row(r: Cols<'_>) -> Result<Delivery> {
    Ok(Delivery {
        id: DeliveryId(r.get("id")?),
        webhook: WebhookId(r.get("webhook_id")?),
        url: r.get("url")?,
        event: r.parse("event")?,
        payload: r.get("payload")?,
        created_at: r.get("created_at")?,
        attempts: r.u32("attempts")?,
        next_attempt_at: r.get("next_attempt_at")?,
        state: r.parse("state")?,
        last_status: r.opt_u16("last_status")?,
        last_error: r.get("last_error")?,
        delivered_at: r.get("delivered_at")?,
    })
}

impl Tx for PgTx<'_> {
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
        self.insert_returning_id(
            "INSERT INTO brands (slug, name, kit, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            &[&slug, &name, &kit, &at],
        )
        .map(BrandId)
    }

    fn brand(&mut self, id: BrandId) -> Result<Option<Brand>> {
        let sql = format!("SELECT {BRAND_COLS} FROM brands WHERE id = $1");
        self.query_row(&sql, &[&id.0], brand_row)
    }

    fn brand_by_slug(&mut self, slug: &str) -> Result<Option<Brand>> {
        let sql = format!("SELECT {BRAND_COLS} FROM brands WHERE slug = $1");
        self.query_row(&sql, &[&slug], brand_row)
    }

    fn brands(&mut self) -> Result<Vec<Brand>> {
        let sql = format!("SELECT {BRAND_COLS} FROM brands ORDER BY slug COLLATE \"C\"");
        self.query_map(&sql, &[], brand_row)
    }

    fn insert_user(
        &mut self,
        name: &str,
        display_name: &str,
        is_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<UserId> {
        self.insert_returning_id(
            "INSERT INTO users (name, display_name, is_admin, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[&name, &display_name, &is_admin, &at],
        )
        .map(UserId)
    }

    fn user_by_name(&mut self, name: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE name = $1");
        self.query_row(&sql, &[&name], user_row)
    }

    fn user_by_id(&mut self, id: UserId) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        self.query_row(&sql, &[&id.0], user_row)
    }

    fn users(&mut self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users ORDER BY name COLLATE \"C\"");
        self.query_map(&sql, &[], user_row)
    }

    fn grant(
        &mut self,
        user: UserId,
        brand: BrandId,
        role: Role,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self.execute(
            "INSERT INTO memberships (user_id, brand_id, role, granted_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[&user.0, &brand.0, &role.as_str(), &at],
        )?;
        Ok(n == 1)
    }

    fn memberships(&mut self, user: UserId) -> Result<Vec<Membership>> {
        self.query_map(
            "SELECT brand_id, role FROM memberships WHERE user_id = $1 ORDER BY brand_id, role COLLATE \"C\"",
            &[&user.0],
            |r| {
                Ok(Membership {
                    brand: BrandId(r.get("brand_id")?),
                    role: r.parse("role")?,
                })
            },
        )
    }

    fn members(&mut self, brand: BrandId) -> Result<Vec<(User, Role)>> {
        self.query_map(
            "SELECT u.id, u.name, u.display_name, u.is_admin, u.created_at, m.role
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.brand_id = $1 ORDER BY u.name COLLATE \"C\", m.role COLLATE \"C\"",
            &[&brand.0],
            |r| Ok((user_row(r)?, r.parse("role")?)),
        )
    }

    fn insert_brief(
        &mut self,
        brand: BrandId,
        content: &BriefContent,
        author: UserId,
        at: DateTime<Utc>,
    ) -> Result<BriefId> {
        let id = BriefId(self.insert_returning_id(
            "INSERT INTO briefs (brand_id, current_version, created_by, created_at)
             VALUES ($1, 1, $2, $3) RETURNING id",
            &[&brand.0, &author.0, &at],
        )?);
        self.execute(
            "INSERT INTO brief_versions (brief_id, number, content, author_id, created_at)
             VALUES ($1, 1, $2, $3, $4)",
            &[&id.0, &to_json(content)?, &author.0, &at],
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
        let number = i64::from(number);
        self.execute(
            "INSERT INTO brief_versions (brief_id, number, content, author_id, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[&brief.0, &number, &to_json(content)?, &author.0, &at],
        )?;
        self.execute(
            "UPDATE briefs SET current_version = $2 WHERE id = $1",
            &[&brief.0, &number],
        )?;
        Ok(())
    }

    fn brief(&mut self, id: BriefId) -> Result<Option<BriefRecord>> {
        let sql = format!("{BRIEF_SELECT} WHERE b.id = $1");
        self.query_row(&sql, &[&id.0], brief_row)
    }

    fn brief_version(&mut self, id: BriefId, number: u32) -> Result<Option<BriefContent>> {
        let content: Option<String> = self.query_row(
            "SELECT content FROM brief_versions WHERE brief_id = $1 AND number = $2",
            &[&id.0, &i64::from(number)],
            |r| r.get("content"),
        )?;
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
            format!("{BRIEF_SELECT} WHERE b.brand_id = $1 AND b.id > $2 ORDER BY b.id LIMIT $3");
        self.query_map(
            &sql,
            &[&brand.0, &after.map_or(0, |a| a.0), &sql_limit(limit)],
            brief_row,
        )
    }

    fn insert_source(&mut self, new: &NewSource<'_>) -> Result<SourceId> {
        self.insert_returning_id(
            "INSERT INTO sources (brief_id, kind, origin, body, added_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &new.brief.0,
                &new.kind.as_str(),
                &new.origin,
                &new.text,
                &new.added_by.0,
                &new.at,
            ],
        )
        .map(SourceId)
    }

    fn sources(&mut self, brief: BriefId) -> Result<Vec<Source>> {
        self.query_map(
            "SELECT s.id, s.brief_id, s.kind, s.origin, s.body, s.added_by,
                u.name AS added_by_name, s.created_at
             FROM sources s JOIN users u ON u.id = s.added_by WHERE s.brief_id = $1 ORDER BY s.id",
            &[&brief.0],
            |r| {
                Ok(Source {
                    id: SourceId(r.get("id")?),
                    brief_id: BriefId(r.get("brief_id")?),
                    kind: r.parse("kind")?,
                    origin: r.get("origin")?,
                    text: r.get("body")?,
                    added_by: r.user_ref("added_by", "added_by_name")?,
                    created_at: r.get("created_at")?,
                })
            },
        )
    }

    fn insert_asset(&mut self, new: &NewAsset<'_>) -> Result<AssetId> {
        self.insert_returning_id(
            "INSERT INTO assets (brand_id, brief_id, title, kind, channel, locale, personalised,
                state, current_version, pending_role, due, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', 0, NULL, $8, $9, $10) RETURNING id",
            &[
                &new.brand.0,
                &new.brief.0,
                &new.title,
                &new.kind.as_str(),
                &new.channel,
                &new.locale,
                &new.personalised,
                &due::NONE,
                &new.created_by.0,
                &new.at,
            ],
        )
        .map(AssetId)
    }

    fn asset(&mut self, id: AssetId) -> Result<Option<Asset>> {
        let sql = match self.mode {
            // Two reviewers deciding on one asset queue here; the second sees the first's
            // committed state.
            TxMode::Write => format!("{ASSET_SELECT} WHERE a.id = $1 FOR UPDATE OF a"),
            TxMode::Read => format!("{ASSET_SELECT} WHERE a.id = $1"),
        };
        self.query_row(&sql, &[&id.0], asset_row)
    }

    fn assets(
        &mut self,
        brand: BrandId,
        state: Option<AssetState>,
        after: Option<AssetId>,
        limit: u32,
    ) -> Result<Vec<Asset>> {
        let sql = format!(
            "{ASSET_SELECT} WHERE a.brand_id = $1 AND a.id > $2
               AND ($3::TEXT IS NULL OR a.state = $3::TEXT)
             ORDER BY a.id LIMIT $4"
        );
        self.query_map(
            &sql,
            &[
                &brand.0,
                &after.map_or(0, |a| a.0),
                &state.map(|s| s.as_str()),
                &sql_limit(limit),
            ],
            asset_row,
        )
    }

    fn update_asset(&mut self, id: AssetId, u: &AssetUpdate) -> Result<()> {
        self.execute(
            "UPDATE assets SET state = $2, current_version = $3, pending_role = $4, due = $5,
                review_authors = $6
             WHERE id = $1",
            &[
                &id.0,
                &u.state.as_str(),
                &i64::from(u.current_version),
                &u.pending_role.map(|r| r.as_str()),
                &due::to_stored(u.due),
                &to_json(&u.review_authors)?,
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
        let chars = i64::try_from(new.text.chars().count())
            .map_err(|_| StoreError::Backend("the text is too long to store".into()))?;
        self.insert_returning_id(
            "INSERT INTO versions (asset_id, number, parent, body, chars, author_kind, author_id,
                model_provider, model_name, template_id, template_version, note, brief_version,
                findings, reverted_from, created_at, guardrail_findings, provenance)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
             RETURNING id",
            &[
                &new.asset.0,
                &i64::from(new.number),
                &new.parent.map(i64::from),
                &new.text,
                &chars,
                &kind,
                &person.0,
                &provider,
                &model,
                &template.map(|t| t.id.as_str()),
                &template.map(|t| t.version.as_str()),
                &new.note,
                &i64::from(new.brief_version),
                &to_json(&new.findings)?,
                &new.reverted_from.map(i64::from),
                &new.at,
                &to_json(&new.guardrail_findings)?,
                &new.provenance.map(to_json).transpose()?,
            ],
        )
        .map(VersionId)
    }

    fn insert_brief_note(&mut self, new: &NewBriefNote<'_>) -> Result<i64> {
        self.insert_returning_id(
            "INSERT INTO brief_notes (brief_id, brief_version, body, provenance, author_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &new.brief.0,
                &i64::from(new.brief_version),
                &new.body,
                &to_json(new.provenance)?,
                &new.author.0,
                &new.at,
            ],
        )
    }

    fn brief_notes(&mut self, brief: BriefId) -> Result<Vec<BriefNote>> {
        self.query_map(
            "SELECT n.id, n.brief_id, n.brief_version, n.body, n.provenance, n.author_id,
                u.name AS author_name, n.created_at
             FROM brief_notes n JOIN users u ON u.id = n.author_id
             WHERE n.brief_id = $1 ORDER BY n.id",
            &[&brief.0],
            |r| {
                Ok(BriefNote {
                    id: r.get("id")?,
                    brief_id: BriefId(r.get("brief_id")?),
                    brief_version: r.u32("brief_version")?,
                    body: r.get("body")?,
                    provenance: r.json::<Provenance>("provenance")?,
                    by: r.user_ref("author_id", "author_name")?,
                    created_at: r.get("created_at")?,
                })
            },
        )
    }

    fn insert_activation(&mut self, new: &NewActivation<'_>) -> Result<()> {
        self.insert_returning_id(
            "INSERT INTO prompt_activations (brand_id, task, version, digest, origin, activated_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[&new.brand.0, &new.task, &new.version, &new.digest, &new.origin, &new.by.0, &new.at],
        )
        .map(|_| ())
    }

    fn activations(&mut self, brand: BrandId) -> Result<Vec<PromptActivation>> {
        self.query_map(
            "SELECT a.brand_id, a.task, a.version, a.digest, a.origin, a.activated_by,
                u.name AS by_name, a.created_at
             FROM prompt_activations a JOIN users u ON u.id = a.activated_by
             WHERE a.id IN (SELECT MAX(id) FROM prompt_activations WHERE brand_id = $1 GROUP BY task)
             ORDER BY a.task",
            &[&brand.0],
            |r| {
                Ok(PromptActivation {
                    brand_id: BrandId(r.get("brand_id")?),
                    task: r.get("task")?,
                    version: r.get("version")?,
                    digest: r.get("digest")?,
                    origin: r.get("origin")?,
                    by: r.user_ref("activated_by", "by_name")?,
                    created_at: r.get("created_at")?,
                })
            },
        )
    }

    fn version(&mut self, asset: AssetId, number: u32) -> Result<Option<Version>> {
        let sql = format!(
            "SELECT v.id, v.asset_id, v.number, v.parent, v.body, v.note, v.brief_version,
                v.findings, v.guardrail_findings, v.reverted_from, v.created_at, v.provenance,
                {AUTHOR_COLS}
             FROM versions v JOIN users u ON u.id = v.author_id
             WHERE v.asset_id = $1 AND v.number = $2"
        );
        self.query_row(&sql, &[&asset.0, &i64::from(number)], |r| {
            Ok(Version {
                id: VersionId(r.get("id")?),
                asset_id: AssetId(r.get("asset_id")?),
                number: r.u32("number")?,
                parent: r.opt_u32("parent")?,
                text: r.get("body")?,
                author: author_row(r)?,
                note: r.get("note")?,
                brief_version: r.u32("brief_version")?,
                findings: r.json::<FindingCounts>("findings")?,
                guardrail_findings: r.json::<Vec<Finding>>("guardrail_findings")?,
                reverted_from: r.opt_u32("reverted_from")?,
                provenance: r
                    .get::<Option<String>>("provenance")?
                    .map(|text| {
                        serde_json::from_str::<Provenance>(&text)
                            .map_err(|e| StoreError::Corrupt(format!("versions.provenance: {e}")))
                    })
                    .transpose()?,
                created_at: r.get("created_at")?,
            })
        })
    }

    fn history(
        &mut self,
        asset: AssetId,
        before: Option<u32>,
        limit: u32,
    ) -> Result<Vec<VersionSummary>> {
        let sql = format!(
            "SELECT v.number, v.parent, v.note, v.chars, v.reverted_from, v.created_at,
                {AUTHOR_COLS}
             FROM versions v JOIN users u ON u.id = v.author_id
             WHERE v.asset_id = $1 AND v.number < $2 ORDER BY v.number DESC LIMIT $3"
        );
        let before = i64::from(before.unwrap_or(u32::MAX));
        self.query_map(&sql, &[&asset.0, &before, &sql_limit(limit)], |r| {
            Ok(VersionSummary {
                number: r.u32("number")?,
                parent: r.opt_u32("parent")?,
                author: author_row(r)?,
                note: r.get("note")?,
                chars: r.u64("chars")?,
                reverted_from: r.opt_u32("reverted_from")?,
                created_at: r.get("created_at")?,
            })
        })
    }

    fn lineage(&mut self, asset: AssetId) -> Result<Vec<LineageEntry>> {
        let sql = format!(
            "SELECT v.number, v.parent, {AUTHOR_COLS}
             FROM versions v JOIN users u ON u.id = v.author_id
             WHERE v.asset_id = $1 ORDER BY v.number"
        );
        self.query_map(&sql, &[&asset.0], |r| {
            Ok(LineageEntry {
                number: r.u32("number")?,
                parent: r.opt_u32("parent")?,
                author: author_row(r)?,
            })
        })
    }

    fn insert_review(&mut self, new: &NewReview<'_>) -> Result<ReviewId> {
        self.insert_returning_id(
            "INSERT INTO reviews (asset_id, version, tier, score, stages, submitted_by,
                submitted_at, policy_digest)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &new.asset.0,
                &i64::from(new.version),
                &new.tier.as_str(),
                &new.score,
                &to_json(&new.stages)?,
                &new.submitted_by.0,
                &new.at,
                &new.policy_digest,
            ],
        )
        .map(ReviewId)
    }

    fn latest_review(&mut self, asset: AssetId) -> Result<Option<Review>> {
        let sql = format!("{REVIEW_SELECT} WHERE r.asset_id = $1 ORDER BY r.id DESC LIMIT 1");
        match self.query_row(&sql, &[&asset.0], review_row)? {
            Some(mut r) => {
                r.decisions = self.decisions(r.id)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    fn reviews(&mut self, asset: AssetId) -> Result<Vec<Review>> {
        let sql = format!("{REVIEW_SELECT} WHERE r.asset_id = $1 ORDER BY r.id");
        let mut reviews = self.query_map(&sql, &[&asset.0], review_row)?;
        for r in &mut reviews {
            r.decisions = self.decisions(r.id)?;
        }
        Ok(reviews)
    }

    fn insert_decision(&mut self, review: ReviewId, d: &StageDecision) -> Result<()> {
        self.execute(
            "INSERT INTO decisions (review_id, stage, role, decision, user_id, reason, comment,
                decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &review.0,
                &i64::from(d.stage),
                &d.role.as_str(),
                &d.decision.as_str(),
                &d.by.id.0,
                &d.reason.map(|r| r.as_str()),
                &d.comment,
                &d.at,
            ],
        )
        .map_err(|e| match e {
            StoreError::Conflict(_) => StoreError::Conflict(format!(
                "stage {} ({}) was decided by someone else at the same moment",
                u64::from(d.stage) + 1,
                d.role
            )),
            other => other,
        })?;
        Ok(())
    }

    fn insert_comment(&mut self, new: &NewComment<'_>) -> Result<CommentId> {
        self.insert_returning_id(
            "INSERT INTO comments (asset_id, version, range_start, range_end, quote, body,
                user_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &new.asset.0,
                &i64::from(new.version),
                &new.range.map(|r| i64::from(r.0)),
                &new.range.map(|r| i64::from(r.1)),
                &new.quote,
                &new.body,
                &new.by.0,
                &new.at,
            ],
        )
        .map(CommentId)
    }

    fn comments(&mut self, asset: AssetId) -> Result<Vec<Comment>> {
        self.query_map(
            "SELECT c.id, c.asset_id, c.version, c.range_start, c.range_end, c.quote, c.body,
                c.user_id, u.name AS user_name, c.created_at
             FROM comments c JOIN users u ON u.id = c.user_id
             WHERE c.asset_id = $1 ORDER BY c.id",
            &[&asset.0],
            |r| {
                let start = r.opt_u32("range_start")?;
                let end = r.opt_u32("range_end")?;
                Ok(Comment {
                    id: CommentId(r.get("id")?),
                    asset_id: AssetId(r.get("asset_id")?),
                    version: r.u32("version")?,
                    range: start.zip(end),
                    quote: r.get("quote")?,
                    body: r.get("body")?,
                    by: r.user_ref("user_id", "user_name")?,
                    created_at: r.get("created_at")?,
                })
            },
        )
    }

    fn insert_sample(&mut self, s: &SpotCheckSample) -> Result<()> {
        self.execute(
            "INSERT INTO spot_check_samples (review_id, asset_id, brand_id, seed, draw, rate,
                sampled, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &s.review.0,
                &s.asset.0,
                &s.brand.0,
                &s.seed,
                &s.draw,
                &s.rate,
                &s.sampled,
                &s.at,
            ],
        )?;
        Ok(())
    }

    fn samples(
        &mut self,
        brand: BrandId,
        after: Option<ReviewId>,
        limit: u32,
    ) -> Result<Vec<SpotCheckSample>> {
        self.query_map(
            "SELECT review_id, asset_id, brand_id, seed, draw, rate, sampled, created_at
             FROM spot_check_samples WHERE brand_id = $1 AND sampled AND review_id > $2
             ORDER BY review_id LIMIT $3",
            &[&brand.0, &after.map_or(0, |a| a.0), &sql_limit(limit)],
            sample_row,
        )
    }

    fn queue(
        &mut self,
        brand: BrandId,
        role: Role,
        after: Option<&QueueCursor>,
        limit: u32,
    ) -> Result<Vec<QueueItem>> {
        let limit = sql_limit(limit);
        match after {
            // A cursor before the earliest storable date is before every asset.
            Some(c) if c.due >= PG_MIN_DATE => self.query_map(
                "SELECT id, brand_id, title, kind, pending_role, current_version, due, review_authors,
                    (SELECT tier FROM reviews WHERE reviews.asset_id = assets.id ORDER BY reviews.id DESC LIMIT 1) AS tier
             FROM assets
                 WHERE brand_id = $1 AND pending_role = $2 AND (due, id) > ($3, $4)
                 ORDER BY due, id LIMIT $5",
                &[
                    &brand.0,
                    &role.as_str(),
                    &due::to_stored(c.due),
                    &c.asset.0,
                    &limit,
                ],
                queue_row,
            ),
            _ => self.query_map(
                "SELECT id, brand_id, title, kind, pending_role, current_version, due, review_authors,
                    (SELECT tier FROM reviews WHERE reviews.asset_id = assets.id ORDER BY reviews.id DESC LIMIT 1) AS tier
             FROM assets
                 WHERE brand_id = $1 AND pending_role = $2
                 ORDER BY due, id LIMIT $3",
                &[&brand.0, &role.as_str(), &limit],
                queue_row,
            ),
        }
    }

    fn audit_head(&mut self) -> Result<Option<(i64, String)>> {
        if self.mode == TxMode::Write {
            // Held until commit or rollback. It must be taken in its own statement: under
            // READ COMMITTED the next statement then sees the previous holder's entry.
            self.execute("SELECT pg_advisory_xact_lock($1)", &[&AUDIT_LOCK])?;
        }
        self.query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            &[],
            |r| Ok((r.get("seq")?, r.get("hash")?)),
        )
    }

    fn append_audit(&mut self, e: &AuditEntry) -> Result<()> {
        self.execute(
            "INSERT INTO audit_log (seq, at, actor, brand, action, subject, details, prev_hash,
                hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &e.seq,
                &e.at,
                &e.actor,
                &e.brand,
                &e.action,
                &e.subject,
                &e.details.to_string(),
                &e.prev_hash,
                &e.hash,
            ],
        )?;
        Ok(())
    }

    fn audit_entries(
        &mut self,
        filter: &AuditFilter,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let sql = format!(
            "SELECT {AUDIT_COLS} FROM audit_log
             WHERE seq > $1 AND ($2::TEXT IS NULL OR subject = $2::TEXT)
               AND ($3::TEXT[] IS NULL OR brand = ANY($3::TEXT[]))
             ORDER BY seq LIMIT $4"
        );
        self.query_map(
            &sql,
            &[
                &after_seq,
                &filter.subject,
                &filter.brands.as_deref(),
                &sql_limit(limit),
            ],
            audit_row,
        )
    }

    fn set_password_hash(&mut self, user: UserId, hash: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET password_hash = $2 WHERE id = $1",
            &[&user.0, &hash],
        )?;
        Ok(())
    }

    fn password_hash(&mut self, user: UserId) -> Result<Option<String>> {
        let hash: Option<Option<String>> = self.query_row(
            "SELECT password_hash FROM users WHERE id = $1",
            &[&user.0],
            |r| r.get("password_hash"),
        )?;
        Ok(hash.flatten())
    }

    fn insert_session(&mut self, new: &NewSession<'_>) -> Result<SessionId> {
        self.insert_returning_id(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at,
                last_seen_at)
             VALUES ($1, $2, $3, $4, $5, $4) RETURNING id",
            &[
                &new.token_hash,
                &new.user.0,
                &new.csrf_token,
                &new.at,
                &new.expires_at,
            ],
        )
        .map(SessionId)
    }

    fn session_by_hash(&mut self, token_hash: &str) -> Result<Option<Session>> {
        let sql = format!("SELECT {SESSION_COLS} FROM sessions WHERE token_hash = $1");
        self.query_row(&sql, &[&token_hash], session_row)
    }

    fn touch_session(
        &mut self,
        id: SessionId,
        at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.execute(
            "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1",
            &[&id.0, &at, &expires_at],
        )?;
        Ok(())
    }

    fn revoke_session(&mut self, id: SessionId, at: DateTime<Utc>) -> Result<()> {
        self.execute(
            "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id.0, &at],
        )?;
        Ok(())
    }

    fn revoke_sessions_of(&mut self, user: UserId, at: DateTime<Utc>) -> Result<u64> {
        self.execute(
            "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
            &[&user.0, &at],
        )
    }

    fn insert_api_token(&mut self, new: &NewApiToken<'_>) -> Result<TokenId> {
        self.insert_returning_id(
            "INSERT INTO api_tokens (token_hash, name, prefix, user_id, brand_id, role,
                created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            &[
                &new.token_hash,
                &new.name,
                &new.prefix,
                &new.user.0,
                &new.brand.0,
                &new.role.as_str(),
                &new.at,
            ],
        )
        .map(TokenId)
    }

    fn api_token_by_hash(&mut self, token_hash: &str) -> Result<Option<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.token_hash = $1");
        self.query_row(&sql, &[&token_hash], token_row)
    }

    fn api_token(&mut self, id: TokenId) -> Result<Option<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.id = $1");
        self.query_row(&sql, &[&id.0], token_row)
    }

    fn api_tokens(&mut self, brand: BrandId) -> Result<Vec<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.brand_id = $1 ORDER BY t.id");
        self.query_map(&sql, &[&brand.0], token_row)
    }

    fn touch_api_token(&mut self, id: TokenId, at: DateTime<Utc>) -> Result<()> {
        self.execute(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
            &[&id.0, &at],
        )?;
        Ok(())
    }

    fn revoke_api_token(&mut self, id: TokenId, at: DateTime<Utc>) -> Result<bool> {
        let n = self.execute(
            "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id.0, &at],
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
        self.execute(
            "INSERT INTO login_attempts (account, ip, at, succeeded) VALUES ($1, $2, $3, $4)",
            &[&account, &ip, &at, &succeeded],
        )?;
        Ok(())
    }

    fn failed_logins_since(
        &mut self,
        account: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, u32)> {
        let counts = self.query_row(
            "SELECT
                (SELECT COUNT(*) FROM login_attempts
                 WHERE account = $1 AND at >= $3 AND NOT succeeded) AS by_account,
                (SELECT COUNT(*) FROM login_attempts
                 WHERE ip = $2 AND at >= $3 AND NOT succeeded) AS by_ip",
            &[&account, &ip, &since],
            |r| Ok((r.count("by_account")?, r.count("by_ip")?)),
        )?;
        Ok(counts.unwrap_or((0, 0)))
    }

    fn prune_login_attempts(&mut self, before: DateTime<Utc>) -> Result<u64> {
        self.execute("DELETE FROM login_attempts WHERE at < $1", &[&before])
    }

    fn insert_webhook(&mut self, new: &NewWebhook<'_>) -> Result<WebhookId> {
        self.insert_returning_id(
            "INSERT INTO webhooks (brand_id, url, secret, events, created_by, created_at, active)
             VALUES ($1, $2, $3, $4, $5, $6, TRUE) RETURNING id",
            &[
                &new.brand.0,
                &new.url,
                &new.secret,
                &stored_events(new.events),
                &new.created_by.0,
                &new.at,
            ],
        )
        .map(WebhookId)
    }

    fn webhook(&mut self, id: WebhookId) -> Result<Option<Webhook>> {
        let sql = format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE id = $1");
        self.query_row(&sql, &[&id.0], webhook_row)
    }

    fn webhooks(&mut self, brand: BrandId) -> Result<Vec<Webhook>> {
        let sql = format!("SELECT {WEBHOOK_COLS} FROM webhooks WHERE brand_id = $1 ORDER BY id");
        self.query_map(&sql, &[&brand.0], webhook_row)
    }

    fn set_webhook_active(&mut self, id: WebhookId, active: bool) -> Result<()> {
        self.execute(
            "UPDATE webhooks SET active = $2 WHERE id = $1",
            &[&id.0, &active],
        )?;
        Ok(())
    }

    fn enqueue_delivery(&mut self, new: &NewDelivery<'_>) -> Result<DeliveryId> {
        self.insert_returning_id(
            "INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at, attempts,
                next_attempt_at, state)
             VALUES ($1, $2, $3, $4, 0, $4, $5) RETURNING id",
            &[
                &new.webhook.0,
                &new.event.as_str(),
                &new.payload,
                &new.at,
                &DeliveryState::Pending.as_str(),
            ],
        )
        .map(DeliveryId)
    }

    fn claim_delivery(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<Delivery>> {
        // Servers sharing the database each lock the row they pick and pass over rows another
        // claimer holds (SKIP LOCKED); a row leased and committed meanwhile is re-checked
        // against the WHERE clause under READ COMMITTED and dropped, its lease being taken.
        let claimed: Option<i64> = self.query_row(
            "UPDATE webhook_deliveries SET locked_until = $2
             WHERE id = (
                 SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                 WHERE d.state = 'pending' AND d.next_attempt_at <= $1
                   AND (d.locked_until IS NULL OR d.locked_until < $1) AND w.active
                 ORDER BY d.next_attempt_at, d.id LIMIT 1
                 FOR UPDATE OF d SKIP LOCKED)
             RETURNING id",
            &[&now, &lease_until],
            |r| r.get("id"),
        )?;
        let Some(id) = claimed else {
            return Ok(None);
        };
        let sql = format!("{DELIVERY_SELECT} WHERE d.id = $1");
        self.query_row(&sql, &[&id], delivery_row)
    }

    fn finish_delivery(&mut self, id: DeliveryId, outcome: &DeliveryOutcome) -> Result<()> {
        let state = outcome.state();
        let next = outcome.next.filter(|_| state == DeliveryState::Pending);
        let delivered_at = (state == DeliveryState::Delivered).then_some(outcome.at);
        self.execute(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2,
                last_error = $3, locked_until = NULL, state = $4,
                next_attempt_at = COALESCE($5, next_attempt_at), delivered_at = $6
             WHERE id = $1 AND state = 'pending'",
            &[
                &id.0,
                &outcome.status.map(i64::from),
                &outcome.error,
                &state.as_str(),
                &next,
                &delivered_at,
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
            "{DELIVERY_SELECT} WHERE w.brand_id = $1 AND d.id < $2 ORDER BY d.id DESC LIMIT $3"
        );
        self.query_map(
            &sql,
            &[
                &brand.0,
                &after.map_or(i64::MAX, |a| a.0),
                &sql_limit(limit),
            ],
            delivery_row,
        )
    }

    fn insert_experiment(&mut self, new: &NewExperiment<'_>) -> Result<ExperimentId> {
        self.insert_returning_id(
            "INSERT INTO experiments (brand_id, asset_id, hypothesis, lever, metric, metric_type,
                 inverse, state, variants, plan, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', '[]', NULL, $8, $9) RETURNING id",
            &[
                &new.brand.0,
                &new.asset.0,
                &new.hypothesis,
                &new.lever.as_str(),
                &new.metric,
                &new.metric_type.as_str(),
                &new.inverse,
                &new.created_by.0,
                &new.at,
            ],
        )
        .map(ExperimentId)
    }

    fn experiment(&mut self, id: ExperimentId) -> Result<Option<Experiment>> {
        let sql = format!("{EXPERIMENT_SELECT} WHERE e.id = $1");
        self.query_row(&sql, &[&id.0], experiment_row)
    }

    fn experiments(&mut self, brand: BrandId) -> Result<Vec<Experiment>> {
        let sql = format!("{EXPERIMENT_SELECT} WHERE e.brand_id = $1 ORDER BY e.id");
        self.query_map(&sql, &[&brand.0], experiment_row)
    }

    fn save_experiment(&mut self, e: &Experiment) -> Result<()> {
        let plan = e.plan.as_ref().map(to_json).transpose()?;
        self.execute(
            "UPDATE experiments SET state = $2, variants = $3, plan = $4, started_at = $5,
                 stopped_at = $6 WHERE id = $1",
            &[
                &e.id.0,
                &e.state.as_str(),
                &to_json(&e.variants)?,
                &plan,
                &e.started_at,
                &e.stopped_at,
            ],
        )?;
        Ok(())
    }

    fn insert_results(&mut self, new: &NewResults<'_>) -> Result<i64> {
        self.insert_returning_id(
            "INSERT INTO experiment_results (experiment_id, source, rows, imported_by, imported_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &new.experiment.0,
                &new.source,
                &to_json(new.rows)?,
                &new.imported_by.0,
                &new.at,
            ],
        )
    }

    fn latest_results(&mut self, experiment: ExperimentId) -> Result<Option<StoredResults>> {
        self.query_row(
            "SELECT r.id, r.source, r.rows, r.imported_by, u.name AS imported_by_name, r.imported_at
             FROM experiment_results r JOIN users u ON u.id = r.imported_by
             WHERE r.experiment_id = $1 ORDER BY r.id DESC LIMIT 1",
            &[&experiment.0],
            |r| {
                let rows: String = r.get("rows")?;
                Ok(StoredResults {
                    id: r.get("id")?,
                    source: r.get("source")?,
                    rows: serde_json::from_str(&rows).map_err(|e| {
                        StoreError::Corrupt(format!("experiment_results.rows: {e}"))
                    })?,
                    imported_by: r.user_ref("imported_by", "imported_by_name")?,
                    imported_at: r.get("imported_at")?,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_removes_passwords() {
        let cases = [
            (
                "postgres://app:s3cret@db.example:5432/copydesk",
                "postgres://app@db.example:5432/copydesk",
            ),
            (
                "postgresql://app:p@ss/word@db/copydesk?sslmode=disable",
                "postgresql://app@db/copydesk?sslmode=disable",
            ),
            (
                "postgres://db/copydesk?user=app&password=s3cret&connect_timeout=5",
                "postgres://db/copydesk?user=app&connect_timeout=5",
            ),
            (
                "postgres://db/copydesk?password=s3cret",
                "postgres://db/copydesk",
            ),
            (
                "postgres://postgres@127.0.0.1:5433/postgres",
                "postgres://postgres@127.0.0.1:5433/postgres",
            ),
            (
                "host=db user=app password='a b\\' c' dbname=copydesk",
                "host=db user=app dbname=copydesk",
            ),
            (
                "host=db password=s3cret dbname=copydesk",
                "host=db dbname=copydesk",
            ),
        ];
        for (given, expected) in cases {
            assert_eq!(redact(given), expected, "{given}");
        }
    }

    #[test]
    fn connection_errors_hide_the_password() {
        // Nothing listens on port 1, so this fails fast without touching the network.
        let err = PgStore::connect("postgres://app:s3cret@127.0.0.1:1/copydesk")
            .expect_err("nothing listens on port 1");
        let text = err.to_string();
        assert!(matches!(err, StoreError::Open { .. }), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(
            text.contains("postgres://app@127.0.0.1:1/copydesk"),
            "{text}"
        );
    }
}
