//! Benchmark, not a test: how long a reviewer's first queue page, one asset's history and one
//! asset's page take when a SQLite database holds 10k, 100k and 1M versions (a tenth as many
//! assets). The answer must not grow with the total: the queue is a keyset page over the
//! `assets_queue` index, a history a keyset page over `versions (asset_id, number)`.
//!
//! For each scale it builds a database in a temporary directory (`TMPDIR` decides where):
//! people and brands through the [`Service`], then briefs, assets, versions, reviews,
//! decisions, comments and some audit entries straight through the store's [`Tx`] API. Once
//! every database is built it times the operations through the public [`Service`] API, the
//! path the CLI and the server use, in blocks that alternate between the scales, and prints a
//! Markdown report on stdout (progress goes to stderr): timings, SQLite's count of the work
//! each statement does, and the query plans.
//!
//! ```text
//! cargo bench -p copydesk-service --bench queue_history              # 10k, 100k, 1M versions
//! cargo bench -p copydesk-service --bench queue_history -- --quick   # 10k and 100k only
//! cargo bench -p copydesk-service --bench queue_history -- --scales 10000,50000 --iterations 500
//! ```
//!
//! `COPYDESK_BENCH_SCALES=10000,100000` does what `--scales` does; `--keep` leaves the
//! databases behind for a closer look. `bench/queue-history.sh` runs it and writes the report
//! into docs/benchmarks.md.

// The report on stdout is what this program is for.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sha2::{Digest, Sha256};

use copydesk_core::asset::{Author, FindingCounts, TemplateRef, UserRef};
use copydesk_core::audit::{seal, AuditDraft};
use copydesk_core::brief::{BriefContent, Claim};
use copydesk_core::policy::EXAMPLE_POLICY;
use copydesk_core::review::StageDecision;
use copydesk_core::risk::Tier;
use copydesk_core::{
    AssetId, AssetKind, AssetState, BrandId, BriefId, CollaborationModel, Decision, Reach,
    ReasonCode, Role,
};
use copydesk_service::{KitFolders, Service, ServiceConfig, POLICY_FILE};
use copydesk_store::{
    due_key, AssetUpdate, NewAsset, NewComment, NewReview, NewVersion, QueueCursor, Store, Tx,
    TxMode,
};

type BoxResult<T> = Result<T, Box<dyn std::error::Error>>;

const DEFAULT_SCALES: &[u64] = &[10_000, 100_000, 1_000_000];
const QUICK_SCALES: &[u64] = &[10_000, 100_000];
/// Rows written per transaction while populating.
const ROWS_PER_COMMIT: usize = 50_000;
/// Versions of the one long-lived asset whose history is paged.
const LONG_HISTORY: u32 = 1_000;
/// Versions of the typical asset whose history and page are read.
const TYPICAL_HISTORY: u32 = 10;
const PAGE: u32 = 50;
/// How many stretches of time the timed calls of each operation are spread over.
const BLOCKS: usize = 10;
const BRANDS: &[(&str, &str)] = &[
    ("acme", "Acme"),
    ("globex", "Globex"),
    ("initech", "Initech"),
];
/// The tables and indexes the measured statements search, whose depth the report shows.
const BTREES: &[&str] = &[
    "assets",
    "assets_queue",
    "versions",
    "sqlite_autoindex_versions_1",
];
/// The reviewer whose queue is read: an editor in every brand.
const REVIEWER: &str = "ed";

fn main() -> BoxResult<()> {
    let opts = Options::parse()?;
    // every database first, then the timings of all of them interleaved, so that the machine
    // being faster or slower for a while affects every scale alike
    let mut scales = Vec::new();
    for &versions in &opts.scales {
        scales.push(Scale::build(versions)?);
    }
    let timings = measure(&scales, &opts)?;
    print_report(&opts, &scales, &timings);
    for scale in scales {
        scale.finish(opts.keep);
    }
    Ok(())
}

struct Options {
    scales: Vec<u64>,
    iterations: usize,
    warmup: usize,
    /// Leave the databases behind (their paths go to stderr) for a closer look.
    keep: bool,
}

impl Options {
    fn parse() -> BoxResult<Options> {
        let mut opts = Options {
            scales: DEFAULT_SCALES.to_vec(),
            iterations: 200,
            warmup: 20,
            keep: false,
        };
        if let Ok(list) = std::env::var("COPYDESK_BENCH_SCALES") {
            if !list.trim().is_empty() {
                opts.scales = parse_scales(&list)?;
            }
        }
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f.to_string(), Some(v.to_string())),
                None => (arg.clone(), None),
            };
            let mut value = |name: &str| -> BoxResult<String> {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{name} needs a value").into())
            };
            match flag.as_str() {
                // cargo bench passes --bench to every bench target
                "--bench" => {}
                "--quick" => opts.scales = QUICK_SCALES.to_vec(),
                "--keep" => opts.keep = true,
                "--scales" => opts.scales = parse_scales(&value("--scales")?)?,
                "--iterations" => opts.iterations = value("--iterations")?.parse()?,
                "--warmup" => opts.warmup = value("--warmup")?.parse()?,
                other => {
                    return Err(format!(
                        "unknown argument '{other}' (expected --quick, --scales N,N,…, --iterations N, --warmup N, --keep)"
                    )
                    .into())
                }
            }
        }
        opts.scales.sort_unstable();
        opts.scales.dedup();
        if opts.iterations == 0 {
            return Err("--iterations must be at least 1".into());
        }
        Ok(opts)
    }
}

fn parse_scales(list: &str) -> BoxResult<Vec<u64>> {
    let mut scales = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let n: u64 = part.replace('_', "").parse()?;
        // the long history and a typical asset must fit, with 10 versions an asset on average
        if n < 2_000 {
            return Err(format!("scale {n} is too small: use at least 2000 versions").into());
        }
        scales.push(n);
    }
    if scales.is_empty() {
        return Err("no scales given".into());
    }
    Ok(scales)
}

/// Deterministic pseudo-random numbers (SplitMix64), so every run builds the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn percent(&mut self) -> u64 {
        self.below(100)
    }
}

/// Where an asset ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Draft,
    /// In review, waiting for the stage at this index of its stages.
    Waiting {
        multi_stage: bool,
        stage: u32,
    },
    ChangesRequested,
    Approved,
    Published,
    Rejected,
    Archived,
}

impl Fate {
    fn pick(rng: &mut Rng) -> Fate {
        let multi_stage = rng.percent() < 30;
        match rng.percent() {
            0..20 => Fate::Waiting {
                multi_stage,
                stage: 0,
            },
            20..24 => Fate::Waiting {
                multi_stage: true,
                stage: 1,
            },
            24..26 => Fate::Waiting {
                multi_stage: true,
                stage: 2,
            },
            26..36 => Fate::ChangesRequested,
            36..51 => Fate::Approved,
            51..71 => Fate::Published,
            71..73 => Fate::Rejected,
            73..75 => Fate::Archived,
            _ => Fate::Draft,
        }
    }

    fn state(self) -> AssetState {
        match self {
            Fate::Draft => AssetState::Draft,
            Fate::Waiting { .. } => AssetState::InReview,
            Fate::ChangesRequested => AssetState::ChangesRequested,
            Fate::Approved => AssetState::Approved,
            Fate::Published => AssetState::Published,
            Fate::Rejected => AssetState::Rejected,
            Fate::Archived => AssetState::Archived,
        }
    }

    fn stages(self) -> &'static [Role] {
        const SINGLE: &[Role] = &[Role::Editor];
        const MULTI: &[Role] = &[Role::Editor, Role::Compliance, Role::BrandLead];
        match self {
            Fate::Waiting {
                multi_stage: true, ..
            } => MULTI,
            _ => SINGLE,
        }
    }
}

struct PlannedBrief {
    brand: usize,
    deadline: Option<NaiveDate>,
    id: BriefId,
}

struct PlannedAsset {
    brief: usize,
    kind: AssetKind,
    versions: u32,
    fate: Fate,
    /// When its first version was written, in seconds after [`epoch`].
    offset: u64,
    id: AssetId,
}

/// One populated database, ready to be timed.
struct Scale {
    versions: u64,
    assets: usize,
    briefs: usize,
    /// Assets waiting for the reviewer (editor, all brands).
    waiting_for_reviewer: i64,
    populate: Vec<(&'static str, Duration)>,
    db_bytes: u64,
    plans: Vec<QueryPlan>,
    work: Vec<Work>,
    /// Levels of the B-trees the measured statements search, by name.
    depths: Vec<(&'static str, i64)>,
    targets: Targets,
    /// Queue cursors as the CLI passes them back: after the first page, from the middle of
    /// the reviewer's queue, and just before its last page (among assets without a deadline).
    next_cursor: String,
    middle_cursor: String,
    tail_cursor: String,
    /// The assets on the reviewer's first queue page.
    first_page: Vec<AssetId>,
    url: String,
    kits: PathBuf,
    dir: tempfile::TempDir,
}

struct Timing {
    operation: &'static str,
    min_us: f64,
    median_us: f64,
    p95_us: f64,
    rows: usize,
}

fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

impl Scale {
    fn build(versions: u64) -> BoxResult<Scale> {
        let assets = (versions / 10) as usize;
        eprintln!("== {versions} versions, {assets} assets");
        let dir = tempfile::tempdir()?;
        let kits = dir.path().join("kits");
        std::fs::create_dir_all(kits.join("brand"))?;
        std::fs::write(kits.join("brand").join(POLICY_FILE), EXAMPLE_POLICY)?;
        let db = dir.path().join("copydesk.db");
        let url = format!("sqlite://{}", db.display());

        let started = Instant::now();
        let mut svc = open_service(&url, &kits)?;
        people(&mut svc)?;
        drop(svc);
        let mut populate = vec![("people and brands (Service)", started.elapsed())];

        let mut rng = Rng(0x00C0_FFEE ^ versions);
        let mut plan = plan(assets, versions, &mut rng)?;
        let mut store = copydesk_store::open(&url)?;
        let phases = populate_store(&mut *store, &mut plan, &mut rng)?;
        populate.extend(phases);
        drop(store);
        eprintln!("   populated in {:.1} s", total(&populate).as_secs_f64());

        let conn = rusqlite::Connection::open(&db)?;
        // fold the WAL into the database file so its size is the data's size
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let db_bytes = std::fs::metadata(&db)?.len();
        let waiting_for_reviewer: i64 = conn.query_row(
            "SELECT COUNT(*) FROM assets WHERE pending_role = 'editor'",
            [],
            |r| r.get(0),
        )?;
        let cursor_at = |offset: i64| -> rusqlite::Result<String> {
            conn.query_row(
                "SELECT due || '~' || id FROM assets WHERE pending_role = 'editor'
                 ORDER BY due, id LIMIT 1 OFFSET ?1",
                [offset],
                |r| r.get(0),
            )
        };
        let middle_cursor = cursor_at(waiting_for_reviewer / 2)?;
        let tail_cursor = cursor_at((waiting_for_reviewer - i64::from(PAGE) - 1).max(0))?;
        // the same two places in brand 1's part of the queue, for the store's query alone
        let brand_cursor = |offset_from_end: i64| -> rusqlite::Result<QueueCursor> {
            conn.query_row(
                "SELECT due, id FROM assets WHERE brand_id = 1 AND pending_role = 'editor'
                 ORDER BY due DESC, id DESC LIMIT 1 OFFSET ?1",
                [offset_from_end],
                |r| {
                    Ok(QueueCursor {
                        due: r.get(0)?,
                        asset: AssetId(r.get(1)?),
                    })
                },
            )
        };
        let brand_waiting: i64 = conn.query_row(
            "SELECT COUNT(*) FROM assets WHERE brand_id = 1 AND pending_role = 'editor'",
            [],
            |r| r.get(0),
        )?;
        let targets = Targets {
            typical: plan
                .assets
                .iter()
                .find(|a| a.versions == TYPICAL_HISTORY && a.fate == TYPICAL_FATE)
                .map(|a| a.id)
                .ok_or("no typical asset was planned")?,
            long: plan.assets[plan.long].id,
            brand_middle: brand_cursor(brand_waiting / 2)?,
            brand_tail: brand_cursor(i64::from(PAGE))?,
        };
        let (plans, work) = plans_and_work(&conn, &targets)?;
        eprintln!("   measuring B-tree depths");
        let mut depths = Vec::new();
        for name in BTREES {
            // dbstat paths: "/" is the root, "/000/" its first child, "/000/01a/" below that
            let depth: i64 = conn.query_row(
                "SELECT MAX(LENGTH(path) - LENGTH(REPLACE(path, '/', ''))) FROM dbstat
                 WHERE name = ?1 AND pagetype != 'overflow'",
                [name],
                |r| r.get(0),
            )?;
            depths.push((*name, depth));
        }
        drop(conn);

        let mut svc = open_service(&url, &kits)?;
        let first = svc.review_queue(REVIEWER, None, None, PAGE)?;
        drop(svc);
        Ok(Scale {
            versions,
            assets,
            briefs: plan.briefs.len(),
            waiting_for_reviewer,
            populate,
            db_bytes,
            plans,
            work,
            depths,
            targets,
            next_cursor: first
                .next
                .ok_or("the first queue page has no next cursor")?,
            middle_cursor,
            tail_cursor,
            first_page: first.items.iter().map(|e| e.item.asset).collect(),
            url,
            kits,
            dir,
        })
    }

    /// Fresh connections, as a server process would hold.
    fn open(&self) -> BoxResult<Bench> {
        Ok(Bench {
            svc: open_service(&self.url, &self.kits)?,
            store: copydesk_store::open(&self.url)?,
            raw: rusqlite::Connection::open(self.dir.path().join("copydesk.db"))?,
        })
    }

    /// Deletes the database, or with `keep` leaves it and says where.
    fn finish(self, keep: bool) {
        if keep {
            let kept = self.dir.keep();
            eprintln!("kept {}", kept.join("copydesk.db").display());
        }
    }
}

/// The typical asset waits for the reviewer, so its page shows an open review round.
const TYPICAL_FATE: Fate = Fate::Waiting {
    multi_stage: false,
    stage: 0,
};

fn open_service(url: &str, kits: &Path) -> BoxResult<Service> {
    Ok(Service::new(
        copydesk_store::open(url)?,
        Box::new(KitFolders::new(kits.to_path_buf())),
        ServiceConfig::default(),
    ))
}

/// An admin, three brands and the people who write and review in them.
fn people(svc: &mut Service) -> BoxResult<()> {
    svc.bootstrap("admin")?;
    for (slug, name) in BRANDS {
        svc.brand_add("admin", slug, name, "brand")?;
    }
    let everywhere: &[(&str, &str, Role)] = &[
        ("sam", "Sam Strategist", Role::Strategist),
        ("pat", "Pat Prompter", Role::PromptEngineer),
        (REVIEWER, "Ed Editor", Role::Editor),
        ("erin", "Erin Editor", Role::Editor),
        ("cleo", "Cleo Compliance", Role::Compliance),
        ("lena", "Lena Lead", Role::BrandLead),
    ];
    let (first, others) = BRANDS.split_first().ok_or("no brands")?;
    for (name, display, role) in everywhere {
        svc.user_add("admin", name, display, false, Some(first.0), &[*role])?;
        for (slug, _) in others {
            svc.user_grant("admin", name, slug, &[*role])?;
        }
    }
    Ok(())
}

struct Plan {
    briefs: Vec<PlannedBrief>,
    assets: Vec<PlannedAsset>,
    /// Index of the asset with [`LONG_HISTORY`] versions.
    long: usize,
}

/// Decides every brief and asset, and how many versions each asset gets: 1 to 19 (10 on
/// average), one asset [`LONG_HISTORY`], adjusted so the total is exactly `versions`.
fn plan(assets: usize, versions: u64, rng: &mut Rng) -> BoxResult<Plan> {
    let first_day = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("bad date")?;
    let briefs: Vec<PlannedBrief> = (0..(assets / 10).max(BRANDS.len()))
        .map(|i| PlannedBrief {
            brand: i % BRANDS.len(),
            // one brief in ten has no deadline; its assets sort last in a queue
            deadline: (rng.percent() >= 10).then(|| first_day + chrono::Days::new(rng.below(365))),
            id: BriefId(0),
        })
        .collect();
    let long = assets / 2;
    let mut planned: Vec<PlannedAsset> = (0..assets)
        .map(|i| PlannedAsset {
            brief: rng.below(briefs.len() as u64) as usize,
            kind: pick_kind(rng),
            versions: if i == long {
                LONG_HISTORY
            } else {
                1 + rng.below(19) as u32
            },
            fate: if i == long {
                Fate::Draft
            } else {
                Fate::pick(rng)
            },
            offset: rng.below(YEAR_SECS / 2),
            id: AssetId(0),
        })
        .collect();
    let mut sum: u64 = planned.iter().map(|a| u64::from(a.versions)).sum();
    let mut i = 0;
    while sum != versions {
        if i > assets * 40 {
            return Err(format!("cannot spread {versions} versions over {assets} assets").into());
        }
        let index = i % assets;
        i += 1;
        if index == long {
            continue;
        }
        let a = &mut planned[index];
        if sum < versions && a.versions < 19 {
            a.versions += 1;
            sum += 1;
        } else if sum > versions && a.versions > 1 {
            a.versions -= 1;
            sum -= 1;
        }
    }
    let typical = planned
        .iter_mut()
        .find(|a| a.versions == TYPICAL_HISTORY)
        .ok_or("no asset has the typical number of versions")?;
    typical.fate = TYPICAL_FATE;
    Ok(Plan {
        briefs,
        assets: planned,
        long,
    })
}

const YEAR_SECS: u64 = 365 * 24 * 3600;

fn pick_kind(rng: &mut Rng) -> AssetKind {
    match rng.percent() {
        0..20 => AssetKind::Blog,
        20..45 => AssetKind::SocialPost,
        45..65 => AssetKind::Email,
        65..75 => AssetKind::Ad,
        75..85 => AssetKind::LandingPage,
        85..90 => AssetKind::PressRelease,
        90..95 => AssetKind::SeoPage,
        _ => AssetKind::ReleaseNotes,
    }
}

fn channel(kind: AssetKind) -> &'static str {
    match kind {
        AssetKind::Blog | AssetKind::SeoPage | AssetKind::ReleaseNotes => "blog",
        AssetKind::SocialPost | AssetKind::InfluencerPost | AssetKind::VideoScript => "social",
        AssetKind::Email => "email",
        AssetKind::Ad => "ad",
        AssetKind::LandingPage => "landing_page",
        AssetKind::PressRelease => "press",
        AssetKind::Report => "report",
    }
}

/// Body length in bytes, by kind: a tweet-sized post to a long blog post.
fn body_len(kind: AssetKind, rng: &mut Rng) -> usize {
    let (lo, hi) = match kind {
        AssetKind::Ad => (60, 150),
        AssetKind::SocialPost | AssetKind::InfluencerPost => (120, 280),
        AssetKind::Email => (800, 1_600),
        AssetKind::ReleaseNotes => (500, 1_500),
        AssetKind::LandingPage | AssetKind::VideoScript => (1_500, 2_500),
        AssetKind::Blog => (2_500, 3_800),
        AssetKind::SeoPage | AssetKind::PressRelease | AssetKind::Report => (2_000, 3_500),
    };
    rng.range(lo, hi) as usize
}

const PROSE: &str = "Month-end payroll used to take our finance team three days. \
Now it closes in one, because every approval, every exception and every bank file lives in one place. \
Retailers with forty to four hundred staff switched in under a week, without consultants. \
Here is what changed, what stayed the same, and what we would do differently next time. ";

fn total(phases: &[(&str, Duration)]) -> Duration {
    phases.iter().map(|(_, d)| *d).sum()
}

/// Everything below the people: briefs, assets, versions (interleaved in time across assets,
/// as they would be written), then reviews, decisions, comments and the assets' final state.
fn populate_store(
    store: &mut dyn Store,
    plan: &mut Plan,
    rng: &mut Rng,
) -> BoxResult<Vec<(&'static str, Duration)>> {
    let mut phases = Vec::new();
    let digest = hex::encode(Sha256::digest(EXAMPLE_POLICY.as_bytes()));
    let (people, brands, mut head) = {
        let mut tx = store.begin(TxMode::Read)?;
        let mut people = std::collections::HashMap::new();
        for user in tx.users()? {
            people.insert(user.name.clone(), user.as_ref());
        }
        let mut brands = Vec::new();
        for (slug, _) in BRANDS {
            brands.push(tx.brand_by_slug(slug)?.ok_or("brand missing")?);
        }
        let head = tx.audit_head()?.ok_or("the audit log is empty")?;
        tx.commit()?;
        (people, brands, head)
    };
    let person = |name: &str| -> BoxResult<UserRef> {
        Ok(people
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no user {name}"))?)
    };
    let (sam, pat, ed, erin, cleo) = (
        person("sam")?,
        person("pat")?,
        person(REVIEWER)?,
        person("erin")?,
        person("cleo")?,
    );

    // briefs
    let started = Instant::now();
    eprintln!("   briefs: {}", plan.briefs.len());
    for chunk in plan.briefs.chunks_mut(ROWS_PER_COMMIT) {
        let mut tx = store.begin(TxMode::Write)?;
        for (i, b) in chunk.iter_mut().enumerate() {
            let content = brief_content(i, b.deadline);
            b.id = tx.insert_brief(brands[b.brand].id, &content, sam.id, epoch())?;
        }
        tx.commit()?;
    }
    phases.push(("briefs", started.elapsed()));

    // assets, each with its "asset.created" audit entry
    let started = Instant::now();
    eprintln!("   assets: {}", plan.assets.len());
    let mut done = 0;
    for chunk in plan.assets.chunks_mut(ROWS_PER_COMMIT / 2) {
        let mut tx = store.begin(TxMode::Write)?;
        for a in chunk.iter_mut() {
            let brief = &plan.briefs[a.brief];
            let brand = &brands[brief.brand];
            let title = format!("{} for brief {}", a.kind, brief.id);
            let created = at(a.offset);
            a.id = tx.insert_asset(&NewAsset {
                brand: brand.id,
                brief: brief.id,
                title: &title,
                kind: a.kind,
                channel: channel(a.kind),
                locale: "en-GB",
                personalised: a.kind == AssetKind::Email && rng.percent() < 30,
                created_by: sam.id,
                at: created,
            })?;
            head = audit(
                &mut *tx,
                head,
                created,
                &brand.slug,
                "asset.created",
                a.id,
                serde_json::json!({"brief": brief.id, "title": title, "kind": a.kind}),
            )?;
        }
        tx.commit()?;
        done += chunk.len();
        eprintln!("     {done}");
    }
    phases.push(("assets + audit", started.elapsed()));

    // versions, in the order they were written: each asset's spread over the months after
    // its creation, so one asset's versions are scattered across the table, as in real use
    let started = Instant::now();
    let mut events: Vec<(u64, u32, u32)> = Vec::new();
    for (i, a) in plan.assets.iter().enumerate() {
        let step = (YEAR_SECS / 2) / u64::from(a.versions + 1);
        for n in 1..=a.versions {
            events.push((a.offset + u64::from(n) * step, i as u32, n));
        }
    }
    events.sort_unstable();
    eprintln!("   versions: {}", events.len());
    let by_model = Author::Model {
        provider: "llama.cpp".into(),
        model: "gemma-3-270m".into(),
        template: Some(TemplateRef {
            id: "blog-draft".into(),
            version: "3".into(),
        }),
        recorded_by: pat.clone(),
    };
    let by_sam = Author::User { user: sam.clone() };
    let by_ed = Author::User { user: ed.clone() };
    let mut body = String::new();
    let prose = PROSE.repeat(4_000 / PROSE.len() + 2);
    let mut done = 0;
    for chunk in events.chunks(ROWS_PER_COMMIT) {
        let mut tx = store.begin(TxMode::Write)?;
        for &(when, index, number) in chunk {
            let a = &plan.assets[index as usize];
            let len = body_len(a.kind, rng);
            let start = rng.below(PROSE.len() as u64) as usize;
            body.clear();
            let _ = write!(body, "v{number}. ");
            body.push_str(&prose[start..start + len]);
            let roll = rng.percent();
            let (author, note) = match roll {
                0..30 => (&by_model, "model draft"),
                30..35 => (&by_ed, "editor's tightening"),
                _ => (&by_sam, "edit"),
            };
            let reverted_from = (number > 2 && roll == 99).then(|| number - 2);
            tx.insert_version(&NewVersion {
                asset: a.id,
                number,
                parent: (number > 1).then(|| number - 1),
                text: &body,
                author,
                note,
                brief_version: 1,
                findings: FindingCounts {
                    error: 0,
                    warning: rng.below(3) as u32,
                    info: rng.below(5) as u32,
                    unsupported_claims: u32::from(rng.percent() < 10),
                },
                guardrail_findings: &[],
                reverted_from,
                provenance: None,
                at: at(when),
            })?;
        }
        tx.commit()?;
        done += chunk.len();
        eprintln!("     {done}");
    }
    drop(events);
    phases.push(("versions", started.elapsed()));

    // where each asset ended up: review rounds, decisions, comments, state and queue position
    let started = Instant::now();
    eprintln!("   reviews, decisions, comments, states");
    let mut done = 0;
    for chunk in plan.assets.chunks(ROWS_PER_COMMIT / 4) {
        let mut tx = store.begin(TxMode::Write)?;
        for a in chunk {
            let brief = &plan.briefs[a.brief];
            let brand = &brands[brief.brand];
            let submitted = at(a.offset + YEAR_SECS / 2);
            let mut pending_role = None;
            let mut due = due_key(None);
            if a.fate != Fate::Draft {
                let stages = a.fate.stages();
                let multi = stages.len() > 1;
                let review = tx.insert_review(&NewReview {
                    asset: a.id,
                    version: a.versions,
                    tier: if multi {
                        Tier::MultiStage
                    } else {
                        Tier::Single
                    },
                    score: if multi { 75 } else { 35 },
                    stages,
                    submitted_by: sam.id,
                    at: submitted,
                    policy_digest: &digest,
                })?;
                head = audit(
                    &mut *tx,
                    head,
                    submitted,
                    &brand.slug,
                    "review.requested",
                    a.id,
                    serde_json::json!({"review": review, "version": a.versions, "stages": stages}),
                )?;
                let decided = |stage: u32, decision: Decision, reason: Option<ReasonCode>| {
                    let by = match stages[stage as usize] {
                        Role::Compliance => cleo.clone(),
                        _ => erin.clone(),
                    };
                    StageDecision {
                        stage,
                        role: stages[stage as usize],
                        decision,
                        by,
                        reason,
                        comment: String::from("looked at it"),
                        at: submitted + chrono::Duration::hours(i64::from(stage) + 1),
                    }
                };
                match a.fate {
                    Fate::Waiting { stage, .. } => {
                        for s in 0..stage {
                            tx.insert_decision(review, &decided(s, Decision::Approve, None))?;
                        }
                        pending_role = Some(stages[stage as usize]);
                        due = due_key(brief.deadline);
                    }
                    Fate::ChangesRequested => tx.insert_decision(
                        review,
                        &decided(0, Decision::RequestChanges, Some(ReasonCode::Generic)),
                    )?,
                    Fate::Rejected => tx.insert_decision(
                        review,
                        &decided(0, Decision::Reject, Some(ReasonCode::OffBrandTone)),
                    )?,
                    Fate::Approved | Fate::Published | Fate::Archived => {
                        tx.insert_decision(review, &decided(0, Decision::Approve, None))?
                    }
                    Fate::Draft => {}
                }
                if matches!(a.fate, Fate::Waiting { .. } | Fate::ChangesRequested)
                    && ((a.fate == TYPICAL_FATE && a.versions == TYPICAL_HISTORY)
                        || rng.percent() < 50)
                {
                    tx.insert_comment(&NewComment {
                        asset: a.id,
                        version: a.versions,
                        range: Some((3, 12)),
                        quote: "Month-end",
                        body: "Is this claim in the brief's proof points?",
                        by: erin.id,
                        at: submitted,
                    })?;
                }
            }
            tx.update_asset(
                a.id,
                &AssetUpdate {
                    state: a.fate.state(),
                    current_version: a.versions,
                    pending_role,
                    due,
                    // sam ran and wrote every version here; the queue shows it to other reviewers
                    review_authors: if pending_role.is_some() {
                        vec![sam.id]
                    } else {
                        Vec::new()
                    },
                },
            )?;
        }
        tx.commit()?;
        done += chunk.len();
        eprintln!("     {done}");
    }
    phases.push(("reviews + states", started.elapsed()));
    Ok(phases)
}

fn at(offset_secs: u64) -> DateTime<Utc> {
    epoch() + chrono::Duration::seconds(offset_secs as i64)
}

fn brief_content(i: usize, deadline: Option<NaiveDate>) -> BriefContent {
    BriefContent {
        title: format!("Payroll in a day, wave {i}"),
        audience: "finance leads at mid-size retailers".into(),
        problem: "month-end payroll takes three days".into(),
        current_beliefs: "automation needs consultants to set up".into(),
        desired_understanding: "a small team can switch within a week".into(),
        claims: vec![Claim {
            claim: "close in one day".into(),
            proof: "median of 212 customers".into(),
            source: "2026 usage report".into(),
        }],
        must_not_sound_like: "a generic launch full of superlatives".into(),
        source_material: vec!["interview with Ana".into()],
        channel: "blog".into(),
        objective: "demo requests".into(),
        call_to_action: "Book a demo".into(),
        deadline,
        reach: Some(Reach::Owned),
        regulated_topics: Vec::new(),
        collaboration_model: Some(CollaborationModel::Producer),
    }
}

fn audit(
    tx: &mut dyn Tx,
    head: (i64, String),
    at: DateTime<Utc>,
    brand: &str,
    action: &str,
    asset: AssetId,
    details: serde_json::Value,
) -> BoxResult<(i64, String)> {
    let entry = seal(
        Some((head.0, head.1.as_str())),
        AuditDraft {
            at,
            actor: "sam".into(),
            brand: Some(brand.to_string()),
            action: action.to_string(),
            subject: format!("asset:{asset}"),
            details,
        },
    );
    tx.append_audit(&entry)?;
    Ok((entry.seq, entry.hash))
}

/// What the timed operations of one scale run against.
struct Bench {
    svc: Service,
    store: Box<dyn Store>,
    /// A plain SQLite connection for replaying the queue page's statements.
    raw: rusqlite::Connection,
}

/// The timed operations.
#[derive(Debug, Clone, Copy)]
enum Op {
    QueueFirst,
    QueueSecond,
    QueueMiddle,
    QueueLast,
    TxQueueFirst,
    TxQueueLast,
    TxLineage,
    SqlReplay,
    HistoryTypical,
    HistoryLong,
    HistoryLongBefore500,
    ShowTypical,
    ShowLong,
    NewConnection,
    NewConnectionQueue,
    NewConnectionHistoryTypical,
    NewConnectionHistoryLong,
    NewConnectionShow,
}

const OPS: &[Op] = &[
    Op::QueueFirst,
    Op::QueueSecond,
    Op::QueueMiddle,
    Op::QueueLast,
    Op::TxQueueFirst,
    Op::TxQueueLast,
    Op::TxLineage,
    Op::SqlReplay,
    Op::HistoryTypical,
    Op::HistoryLong,
    Op::HistoryLongBefore500,
    Op::ShowTypical,
    Op::ShowLong,
    Op::NewConnection,
    Op::NewConnectionQueue,
    Op::NewConnectionHistoryTypical,
    Op::NewConnectionHistoryLong,
    Op::NewConnectionShow,
];

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::QueueFirst => "queue, first page",
            Op::QueueSecond => "queue, second page (cursor)",
            Op::QueueMiddle => "queue, page from the middle (cursor)",
            Op::QueueLast => "queue, last page (cursor among undated assets)",
            Op::TxQueueFirst => "`Tx::queue` alone, one brand, first page",
            Op::TxQueueLast => "`Tx::queue` alone, one brand, last page",
            Op::TxLineage => "`Tx::lineage` of the first page's 50 assets (off the queue path)",
            Op::SqlReplay => "queue page's SQL alone (3 queue statements)",
            Op::HistoryTypical => "history, 10-version asset",
            Op::HistoryLong => "history, 1,000-version asset, first page",
            Op::HistoryLongBefore500 => "history, 1,000-version asset, page before v500",
            Op::ShowTypical => "asset show, 10-version asset",
            Op::ShowLong => "asset show, 1,000-version asset",
            Op::NewConnection => "new connection only (open + migration check)",
            Op::NewConnectionQueue => "new connection + queue, first page",
            Op::NewConnectionHistoryTypical => "new connection + history, 10-version asset",
            Op::NewConnectionHistoryLong => "new connection + history, 1,000-version asset",
            Op::NewConnectionShow => "new connection + asset show, 10-version asset",
        }
    }

    /// Runs once; returns how many rows came back.
    fn run(self, b: &mut Bench, s: &Scale) -> BoxResult<usize> {
        let t = &s.targets;
        let queue = |svc: &mut Service, after: Option<&str>| -> BoxResult<usize> {
            Ok(svc.review_queue(REVIEWER, None, after, PAGE)?.items.len())
        };
        let fresh = || open_service(&s.url, &s.kits);
        Ok(match self {
            Op::QueueFirst => queue(&mut b.svc, None)?,
            Op::QueueSecond => queue(&mut b.svc, Some(&s.next_cursor))?,
            Op::QueueMiddle => queue(&mut b.svc, Some(&s.middle_cursor))?,
            Op::QueueLast => queue(&mut b.svc, Some(&s.tail_cursor))?,
            Op::TxQueueFirst | Op::TxQueueLast => {
                let after = matches!(self, Op::TxQueueLast).then_some(&t.brand_tail);
                let mut tx = b.store.begin(TxMode::Read)?;
                let n = tx.queue(BrandId(1), Role::Editor, after, PAGE)?.len();
                tx.commit()?;
                n
            }
            Op::TxLineage => {
                let mut tx = b.store.begin(TxMode::Read)?;
                let mut n = 0;
                for &asset in &s.first_page {
                    n += tx.lineage(asset)?.len();
                }
                tx.commit()?;
                n
            }
            Op::SqlReplay => replay_queue_page(&b.raw, s)?,
            Op::HistoryTypical => b.svc.asset_history(REVIEWER, t.typical, None, PAGE)?.len(),
            Op::HistoryLong => b.svc.asset_history(REVIEWER, t.long, None, PAGE)?.len(),
            Op::HistoryLongBefore500 => b
                .svc
                .asset_history(REVIEWER, t.long, Some(500), PAGE)?
                .len(),
            Op::ShowTypical => {
                usize::from(b.svc.asset_show(REVIEWER, t.typical)?.current.is_some())
            }
            Op::ShowLong => usize::from(b.svc.asset_show(REVIEWER, t.long)?.current.is_some()),
            // what the CLI pays: every command opens the database (and checks migrations)
            // anew, so SQLite's page cache starts empty; the file is in the OS cache
            Op::NewConnection => {
                fresh()?;
                0
            }
            Op::NewConnectionQueue => queue(&mut fresh()?, None)?,
            Op::NewConnectionHistoryTypical => fresh()?
                .asset_history(REVIEWER, t.typical, None, PAGE)?
                .len(),
            Op::NewConnectionHistoryLong => {
                fresh()?.asset_history(REVIEWER, t.long, None, PAGE)?.len()
            }
            Op::NewConnectionShow => {
                usize::from(fresh()?.asset_show(REVIEWER, t.typical)?.current.is_some())
            }
        })
    }
}

/// The statements the reviewer's first queue page runs (a queue query per brand) on a plain
/// connection: what the SQL costs without the rows being turned into Rust values.
fn replay_queue_page(conn: &rusqlite::Connection, s: &Scale) -> BoxResult<usize> {
    let statements = statements(&s.targets);
    let queue = match statements.as_slice() {
        [queue, ..] => &queue.sql,
        _ => return Err("the statement list changed".into()),
    };
    conn.execute_batch("BEGIN")?;
    let mut n = 0;
    for brand in 1..=BRANDS.len() as i64 {
        let mut stmt = conn.prepare_cached(queue)?;
        let mut rows = stmt.query(rusqlite::params![
            brand,
            Role::Editor.as_str(),
            NaiveDate::MIN,
            0,
            PAGE
        ])?;
        while rows.next()?.is_some() {
            n += 1;
        }
    }
    conn.execute_batch("COMMIT")?;
    Ok(n)
}

/// Times every operation on every scale `iterations` times, in [`BLOCKS`] blocks. In a
/// block each scale's operations run in turn, each warmed up and then called back to back
/// (so a connection's page cache holds what the operation reads). The blocks alternate the
/// scales over the whole measurement, so a slow moment of the machine falls on all of them
/// rather than on one.
fn measure(scales: &[Scale], opts: &Options) -> BoxResult<Vec<Vec<Timing>>> {
    let blocks = BLOCKS.min(opts.iterations);
    eprintln!(
        "timing {} operations on {} scales: {} warm-up + {} timed calls each, in {blocks} blocks",
        OPS.len(),
        scales.len(),
        opts.warmup,
        opts.iterations
    );
    // let the populating writes reach the disk before timing anything
    let _ = std::process::Command::new("sync").status();
    std::thread::sleep(Duration::from_secs(1));
    let mut benches = scales
        .iter()
        .map(Scale::open)
        .collect::<BoxResult<Vec<_>>>()?;
    let mut micros = vec![vec![Vec::with_capacity(opts.iterations); OPS.len()]; scales.len()];
    let mut rows = vec![vec![0; OPS.len()]; scales.len()];
    for block in 0..blocks {
        let calls = opts.iterations / blocks + usize::from(block < opts.iterations % blocks);
        for turn in 0..scales.len() {
            let i = (block + turn) % scales.len();
            for (j, op) in OPS.iter().enumerate() {
                for _ in 0..opts.warmup.div_ceil(blocks) {
                    op.run(&mut benches[i], &scales[i])?;
                }
                for _ in 0..calls {
                    let started = Instant::now();
                    rows[i][j] = op.run(&mut benches[i], &scales[i])?;
                    micros[i][j].push(started.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
        eprintln!("   block {} of {blocks}", block + 1);
    }
    let mut timings = Vec::new();
    for (i, per_op) in micros.iter_mut().enumerate() {
        let mut scale = Vec::new();
        for (j, m) in per_op.iter_mut().enumerate() {
            m.sort_by(f64::total_cmp);
            let at = |q: f64| m[((q * m.len() as f64).ceil() as usize).clamp(1, m.len()) - 1];
            scale.push(Timing {
                operation: OPS[j].name(),
                min_us: at(0.0),
                median_us: at(0.5),
                p95_us: at(0.95),
                rows: rows[i][j],
            });
        }
        timings.push(scale);
    }
    Ok(timings)
}

/// The statements the measured operations run, each with the arguments it is run with. The
/// SQL is copied from crates/copydesk-store/src/sqlite.rs (it is private there); keep the two
/// in step.
struct Statement {
    name: &'static str,
    sql: String,
    /// What the arguments stand for, and the arguments; the first case is also explained.
    cases: Vec<(&'static str, Args)>,
}

type Args = Vec<Box<dyn rusqlite::ToSql>>;

/// A statement's name and its `EXPLAIN QUERY PLAN` lines, indented as a tree.
type QueryPlan = (String, Vec<String>);

/// Where the statements are pointed: the two measured assets and two cursors into brand 1's
/// part of the reviewer's queue.
struct Targets {
    typical: AssetId,
    long: AssetId,
    brand_middle: QueueCursor,
    brand_tail: QueueCursor,
}

fn statements(t: &Targets) -> Vec<Statement> {
    const AUTHOR_COLS: &str = "v.author_kind, v.author_id, u.name AS author_name, \
        v.model_provider, v.model_name, v.template_id, v.template_version";
    let queue = |due: NaiveDate, id: i64| -> Args {
        vec![
            Box::new(1i64),
            Box::new(Role::Editor.as_str()),
            Box::new(due),
            Box::new(id),
            Box::new(PAGE),
        ]
    };
    let history = |asset: AssetId, before: u32| -> Args {
        vec![Box::new(asset.0), Box::new(before), Box::new(PAGE)]
    };
    let one = |asset: AssetId| -> Args { vec![Box::new(asset.0)] };
    vec![
        Statement {
            name: "queue page (`Tx::queue`, once per brand × role of the reviewer)",
            sql: "SELECT id, brand_id, title, kind, pending_role, current_version, due, review_authors FROM assets
             WHERE brand_id = ?1 AND pending_role = ?2 AND due = ?3 AND id > ?4
             UNION ALL
             SELECT id, brand_id, title, kind, pending_role, current_version, due, review_authors FROM assets
             WHERE brand_id = ?1 AND pending_role = ?2 AND due > ?3
             ORDER BY due, id LIMIT ?5"
                .into(),
            cases: vec![
                ("queue, brand 1, first page", queue(NaiveDate::MIN, 0)),
                (
                    "queue, brand 1, page from the middle",
                    queue(t.brand_middle.due, t.brand_middle.asset.0),
                ),
                (
                    "queue, brand 1, last page",
                    queue(t.brand_tail.due, t.brand_tail.asset.0),
                ),
            ],
        },
        Statement {
            name: "history page (`Tx::history`)",
            sql: format!(
                "SELECT v.number, v.parent, v.note, v.chars, v.reverted_from, v.created_at, {AUTHOR_COLS}
                 FROM versions v JOIN users u ON u.id = v.author_id
                 WHERE v.asset_id = ?1 AND v.number < ?2 ORDER BY v.number DESC LIMIT ?3"
            ),
            cases: vec![
                ("history, 10-version asset", history(t.typical, u32::MAX)),
                ("history, 1,000-version asset, first page", history(t.long, u32::MAX)),
                ("history, 1,000-version asset, before v500", history(t.long, 500)),
            ],
        },
        Statement {
            name: "lineage (`Tx::lineage`, the separation-of-duties check of a decision)",
            sql: format!(
                "SELECT v.number, v.parent, {AUTHOR_COLS} FROM versions v JOIN users u ON u.id = v.author_id
                 WHERE v.asset_id = ?1 ORDER BY v.number"
            ),
            cases: vec![
                ("lineage, 10-version asset", one(t.typical)),
                ("lineage, 1,000-version asset", one(t.long)),
            ],
        },
        Statement {
            name: "latest review (`Tx::latest_review`, asset show)",
            sql: "SELECT r.id, r.asset_id, r.version, r.tier, r.score, r.stages,
                r.submitted_by, u.name AS submitted_by_name, r.submitted_at, r.policy_digest
             FROM reviews r JOIN users u ON u.id = r.submitted_by
             WHERE r.asset_id = ?1 ORDER BY r.id DESC LIMIT 1"
                .into(),
            cases: vec![("latest review, 10-version asset", one(t.typical))],
        },
        Statement {
            name: "comments (`Tx::comments`, asset show)",
            sql: "SELECT c.id, c.asset_id, c.version, c.range_start, c.range_end, c.quote, c.body, c.user_id,
                u.name, c.created_at
             FROM comments c JOIN users u ON u.id = c.user_id WHERE c.asset_id = ?1 ORDER BY c.id"
                .into(),
            cases: vec![("comments, 10-version asset", one(t.typical))],
        },
    ]
}

/// How much work one statement did: rows returned and SQLite virtual-machine steps, which
/// count every index entry and row visited, whatever the machine's speed.
struct Work {
    case: &'static str,
    rows: usize,
    vm_steps: i32,
}

/// `EXPLAIN QUERY PLAN` of each statement (with its first case's arguments), and the work
/// each case does.
fn plans_and_work(
    conn: &rusqlite::Connection,
    targets: &Targets,
) -> BoxResult<(Vec<QueryPlan>, Vec<Work>)> {
    let mut plans = Vec::new();
    let mut work = Vec::new();
    for statement in statements(targets) {
        if let Some((_, args)) = statement.cases.first() {
            plans.push((
                statement.name.to_string(),
                explain(conn, &statement.sql, args)?,
            ));
        }
        for (case, args) in &statement.cases {
            let mut stmt = conn.prepare(&statement.sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut n = 0;
            while rows.next()?.is_some() {
                n += 1;
            }
            drop(rows);
            work.push(Work {
                case,
                rows: n,
                vm_steps: stmt.get_status(rusqlite::StatementStatus::VmStep),
            });
        }
    }
    Ok((plans, work))
}

fn explain(conn: &rusqlite::Connection, sql: &str, args: &Args) -> BoxResult<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut lines = Vec::new();
    for (_, parent, detail) in &rows {
        let mut depth = 0;
        let mut p = *parent;
        while p != 0 {
            depth += 1;
            p = rows
                .iter()
                .find(|(i, _, _)| *i == p)
                .map_or(0, |(_, pp, _)| *pp);
        }
        lines.push(format!("{}{detail}", "  ".repeat(depth)));
    }
    Ok(lines)
}

fn print_report(opts: &Options, runs: &[Scale], timings: &[Vec<Timing>]) {
    println!(
        "SQLite {} (bundled with rusqlite). Reviewer `{REVIEWER}` is an editor in all {} brands; \
         pages of {PAGE}. Each operation: {} warm-up calls, then {} timed calls, in {} blocks \
         that alternate between the scales.",
        rusqlite::version(),
        BRANDS.len(),
        opts.warmup,
        opts.iterations,
        BLOCKS.min(opts.iterations)
    );
    println!();
    println!("#### Data");
    println!();
    println!(
        "| versions | assets | briefs | waiting for the reviewer | populate | database file |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for r in runs {
        println!(
            "| {} | {} | {} | {} | {:.1} s | {:.1} MiB |",
            thousands(r.versions),
            thousands(r.assets as u64),
            thousands(r.briefs as u64),
            thousands(r.waiting_for_reviewer as u64),
            total(&r.populate).as_secs_f64(),
            r.db_bytes as f64 / (1024.0 * 1024.0)
        );
    }
    println!();
    println!("Populate time by phase:");
    println!();
    for r in runs {
        let phases: Vec<String> = r
            .populate
            .iter()
            .map(|(name, d)| format!("{name} {:.1} s", d.as_secs_f64()))
            .collect();
        println!(
            "- {} versions: {}",
            thousands(r.versions),
            phases.join(", ")
        );
    }
    let heads: Vec<String> = runs.iter().map(|r| thousands(r.versions)).collect();
    if let Some(first) = runs.first() {
        println!();
        println!("B-tree depth (levels from root to leaf; every row or index entry looked up costs one page per level):");
        println!();
        println!("| B-tree | {} |", heads.join(" | "));
        println!("|---|{}", "---:|".repeat(runs.len()));
        for (i, (name, _)) in first.depths.iter().enumerate() {
            let cells: Vec<String> = runs
                .iter()
                .map(|r| {
                    r.depths
                        .get(i)
                        .map_or_else(String::new, |d| d.1.to_string())
                })
                .collect();
            println!("| `{name}` | {} |", cells.join(" | "));
        }
    }
    by_scale("Median µs by scale", runs, timings, |t| t.median_us);
    by_scale(
        "Fastest call µs by scale (the least disturbed by other load on the machine)",
        runs,
        timings,
        |t| t.min_us,
    );
    println!();
    println!("#### All timings");
    println!();
    println!("| versions | operation | median µs | p95 µs | fastest µs | rows returned |");
    println!("|---:|---|---:|---:|---:|---:|");
    for (r, scale) in runs.iter().zip(timings) {
        for t in scale {
            println!(
                "| {} | {} | {:.0} | {:.0} | {:.0} | {} |",
                thousands(r.versions),
                t.operation,
                t.median_us,
                t.p95_us,
                t.min_us,
                t.rows
            );
        }
    }
    if let Some(first) = runs.first() {
        println!();
        println!("#### Work per statement");
        println!();
        println!(
            "SQLite virtual-machine steps (`SQLITE_STMTSTATUS_VM_STEP`) of one run of each \
             statement the operations above use: a count of the index entries and rows visited, \
             independent of the machine's speed."
        );
        println!();
        println!("| statement | rows | VM steps at {} |", heads.join(" | "));
        println!("|---|---:|{}", "---:|".repeat(runs.len()));
        for (i, w) in first.work.iter().enumerate() {
            let cells: Vec<String> = runs
                .iter()
                .map(|r| {
                    r.work
                        .get(i)
                        .map_or_else(String::new, |w| w.vm_steps.to_string())
                })
                .collect();
            println!("| {} | {} | {} |", w.case, w.rows, cells.join(" | "));
        }
    }
    if let Some(largest) = runs.last() {
        println!();
        println!("#### Query plans");
        println!();
        println!(
            "`EXPLAIN QUERY PLAN` at {} versions (no `ANALYZE` has been run, as in production):",
            thousands(largest.versions)
        );
        for (name, lines) in &largest.plans {
            println!();
            println!("{name}:");
            println!();
            println!("```text");
            for line in lines {
                println!("{line}");
            }
            println!("```");
        }
    }
}

/// One row per operation, one column per scale, and the largest scale's time over the
/// smallest's.
fn by_scale(title: &str, runs: &[Scale], timings: &[Vec<Timing>], pick: fn(&Timing) -> f64) {
    let (Some(smallest), Some(largest), Some(small_runs), Some(large_runs)) =
        (runs.first(), runs.last(), timings.first(), timings.last())
    else {
        return;
    };
    let heads: Vec<String> = runs.iter().map(|r| thousands(r.versions)).collect();
    println!();
    println!("#### {title}");
    println!();
    println!(
        "| operation | {} | {} ÷ {} |",
        heads.join(" | "),
        thousands(largest.versions),
        thousands(smallest.versions)
    );
    println!("|---|{}---:|", "---:|".repeat(runs.len()));
    for (i, t) in small_runs.iter().enumerate() {
        let cells: Vec<String> = timings
            .iter()
            .map(|scale| {
                scale
                    .get(i)
                    .map_or_else(String::new, |t| format!("{:.0}", pick(t)))
            })
            .collect();
        let ratio = large_runs.get(i).map_or(f64::NAN, |l| pick(l) / pick(t));
        println!("| {} | {} | {ratio:.2} |", t.operation, cells.join(" | "));
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut groups: Vec<&str> = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    groups.join(",")
}
