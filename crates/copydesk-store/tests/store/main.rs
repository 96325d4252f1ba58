//! The storage suite: every test runs against every backend `backends()` gives, a fresh empty
//! database each time. SQLite always; PostgreSQL when `COPYDESK_TEST_PG_URL` is set (see
//! `scripts/pg-start.sh`), and required when `COPYDESK_REQUIRE_PG=1`.

mod accounts;
mod experiments;

use chrono::{DateTime, NaiveDate, Utc};
use copydesk_core::asset::{Author, FindingCounts, TemplateRef, UserRef};
use copydesk_core::audit::{seal, AuditDraft, AuditEntry, Verifier};
use copydesk_core::brief::BriefContent;
use copydesk_core::review::StageDecision;
use copydesk_core::risk::Tier;
use copydesk_core::{
    AssetId, AssetKind, AssetState, BrandId, BriefId, Decision, ReasonCode, ReviewId, Role,
    SourceKind, UserId,
};
use copydesk_store::test_support::{backends, TestBackend};
use copydesk_store::{
    AssetUpdate, AuditFilter, NewAsset, NewComment, NewReview, NewSource, NewVersion, QueueCursor,
    SpotCheckSample, Store, StoreError, Tx, TxMode,
};

/// Runs `test` once per backend, on a fresh database.
fn each_backend(test: impl Fn(&TestBackend, &mut dyn Store)) {
    for backend in backends() {
        let mut store = backend.open();
        assert_eq!(store.backend(), backend.name);
        test(&backend, store.as_mut());
    }
}

fn write(store: &mut dyn Store) -> Box<dyn Tx + '_> {
    store
        .begin(TxMode::Write)
        .expect("a write transaction starts")
}

fn read(store: &mut dyn Store) -> Box<dyn Tx + '_> {
    store
        .begin(TxMode::Read)
        .expect("a read transaction starts")
}

/// A time with microseconds, the precision both backends keep.
fn at(offset_secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000 + offset_secs, 123_456_000).expect("a valid time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

struct Org {
    brand: BrandId,
    alice: UserId,
    bob: UserId,
    brief: BriefId,
}

fn brief_content(title: &str) -> BriefContent {
    BriefContent {
        title: title.into(),
        audience: "finance teams".into(),
        deadline: Some(day(2026, 3, 1)),
        regulated_topics: vec!["credit".into()],
        ..BriefContent::default()
    }
}

/// A brand, two people and a brief, committed.
fn org(store: &mut dyn Store) -> Org {
    let mut tx = write(store);
    let brand = tx
        .insert_brand("acme", "Acme", "# Acme kit", at(0))
        .expect("insert brand");
    let alice = tx
        .insert_user("alice", "Alice A.", false, at(1))
        .expect("insert alice");
    let bob = tx
        .insert_user("bob", "Bob B.", true, at(2))
        .expect("insert bob");
    let brief = tx
        .insert_brief(brand, &brief_content("Launch"), alice, at(3))
        .expect("insert brief");
    tx.commit().expect("commit");
    Org {
        brand,
        alice,
        bob,
        brief,
    }
}

fn new_asset(tx: &mut dyn Tx, org: &Org, title: &str) -> AssetId {
    tx.insert_asset(&NewAsset {
        brand: org.brand,
        brief: org.brief,
        title,
        kind: AssetKind::Blog,
        channel: "blog",
        locale: "en-GB",
        personalised: false,
        created_by: org.alice,
        at: at(10),
    })
    .expect("insert asset")
}

fn user_author(id: UserId, name: &str) -> Author {
    Author::User {
        user: UserRef {
            id,
            name: name.into(),
        },
    }
}

fn assert_conflict<T: std::fmt::Debug>(backend: &str, result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Conflict(message)) => message,
        other => panic!("{backend}: expected a conflict, got {other:?}"),
    }
}

#[test]
fn brands_users_and_memberships() {
    each_backend(|b, store| {
        let name = b.name;
        let mut tx = write(store);
        let zeta = tx
            .insert_brand("zeta", "Zeta", "zeta kit", at(0))
            .expect("insert zeta");
        let acme = tx
            .insert_brand("acme", "Acme", "acme kit", at(1))
            .expect("insert acme");
        assert_ne!(zeta, acme);
        let bob = tx
            .insert_user("bob", "Bob", true, at(2))
            .expect("insert bob");
        let alice = tx
            .insert_user("alice", "Alice", false, at(3))
            .expect("insert alice");
        assert!(tx.grant(alice, acme, Role::Editor, at(4)).expect("grant"));
        assert!(tx
            .grant(alice, acme, Role::Compliance, at(4))
            .expect("grant"));
        assert!(tx
            .grant(alice, zeta, Role::Strategist, at(4))
            .expect("grant"));
        assert!(tx.grant(bob, acme, Role::BrandLead, at(4)).expect("grant"));
        assert!(
            !tx.grant(alice, acme, Role::Editor, at(5))
                .expect("grant again"),
            "{name}: a second grant of the same role reports false"
        );
        tx.commit().expect("commit");

        let mut tx = read(store);
        let brand = tx.brand(acme).expect("brand").expect("acme exists");
        assert_eq!(
            (brand.slug.as_str(), brand.name.as_str(), brand.kit.as_str()),
            ("acme", "Acme", "acme kit")
        );
        assert_eq!(brand.created_at, at(1), "{name}");
        assert_eq!(
            tx.brand_by_slug("zeta").expect("by slug").map(|b| b.id),
            Some(zeta)
        );
        assert_eq!(tx.brand_by_slug("nope").expect("by slug"), None);
        assert_eq!(tx.brand(BrandId(9_999)).expect("brand"), None);
        let slugs: Vec<String> = tx
            .brands()
            .expect("brands")
            .into_iter()
            .map(|b| b.slug)
            .collect();
        assert_eq!(slugs, ["acme", "zeta"], "{name}: brands by slug");

        let users = tx.users().expect("users");
        let names: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["alice", "bob"], "{name}: users by name");
        assert!(!users[0].is_admin && users[1].is_admin, "{name}: is_admin");
        let found = tx
            .user_by_name("bob")
            .expect("by name")
            .expect("bob exists");
        assert_eq!(
            (found.id, found.display_name.as_str(), found.created_at),
            (bob, "Bob", at(2))
        );
        assert_eq!(tx.user_by_name("carol").expect("by name"), None);

        let roles: Vec<(BrandId, Role)> = tx
            .memberships(alice)
            .expect("memberships")
            .into_iter()
            .map(|m| (m.brand, m.role))
            .collect();
        let mut expected = vec![
            (zeta, Role::Strategist),
            (acme, Role::Editor),
            (acme, Role::Compliance),
        ];
        expected.sort_by_key(|(brand, role)| (*brand, role.as_str()));
        assert_eq!(roles, expected, "{name}: memberships by brand, then role");

        let members: Vec<(String, Role)> = tx
            .members(acme)
            .expect("members")
            .into_iter()
            .map(|(u, r)| (u.name, r))
            .collect();
        assert_eq!(
            members,
            [
                ("alice".to_string(), Role::Compliance),
                ("alice".to_string(), Role::Editor),
                ("bob".to_string(), Role::BrandLead),
            ],
            "{name}: members by name, then role"
        );
        drop(tx);

        let mut tx = write(store);
        let message = assert_conflict(name, tx.insert_brand("acme", "Again", "", at(6)));
        assert!(message.starts_with("already recorded"), "{name}: {message}");
    });
}

#[test]
fn briefs_versions_and_sources() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let second = brief_content("Launch, revised");
        tx.insert_brief_version(org.brief, 2, &second, org.bob, at(20))
            .expect("insert brief version");
        let other = tx
            .insert_brief(org.brand, &brief_content("Other"), org.bob, at(21))
            .expect("insert second brief");
        let interview = tx
            .insert_source(&NewSource {
                brief: org.brief,
                kind: SourceKind::Interview,
                origin: "call with Dana",
                text: "We close the books in two days.",
                added_by: org.alice,
                at: at(22),
            })
            .expect("insert source");
        tx.insert_source(&NewSource {
            brief: org.brief,
            kind: SourceKind::ProductData,
            origin: "dashboard",
            text: "42% faster",
            added_by: org.bob,
            at: at(23),
        })
        .expect("insert source");
        tx.commit().expect("commit");

        let mut tx = read(store);
        let record = tx.brief(org.brief).expect("brief").expect("brief exists");
        assert_eq!(record.version, 2, "{name}");
        assert_eq!(
            record.content, second,
            "{name}: the current version's content"
        );
        assert_eq!(record.brand_id, org.brand);
        assert_eq!(
            (record.created_by.id, record.created_by.name.as_str()),
            (org.alice, "alice")
        );
        assert_eq!(
            (record.updated_by.id, record.updated_by.name.as_str()),
            (org.bob, "bob")
        );
        assert_eq!((record.created_at, record.updated_at), (at(3), at(20)));
        assert_eq!(
            tx.brief_version(org.brief, 1).expect("version 1"),
            Some(brief_content("Launch"))
        );
        assert_eq!(tx.brief_version(org.brief, 3).expect("version 3"), None);
        assert_eq!(tx.brief(BriefId(9_999)).expect("brief"), None);

        let all: Vec<BriefId> = tx
            .briefs(org.brand, None, 10)
            .expect("briefs")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(all, [org.brief, other], "{name}: briefs by id");
        let page: Vec<BriefId> = tx
            .briefs(org.brand, Some(org.brief), 10)
            .expect("briefs")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(page, [other], "{name}: briefs after a cursor");
        assert_eq!(tx.briefs(org.brand, None, 1).expect("briefs").len(), 1);

        let sources = tx.sources(org.brief).expect("sources");
        assert_eq!(sources.len(), 2, "{name}");
        assert_eq!(sources[0].id, interview);
        assert_eq!(sources[0].kind, SourceKind::Interview);
        assert_eq!(sources[0].origin, "call with Dana");
        assert_eq!(sources[0].text, "We close the books in two days.");
        assert_eq!(sources[0].added_by.name, "alice");
        assert_eq!(sources[0].created_at, at(22));
        assert_eq!(
            (sources[1].kind, sources[1].added_by.id),
            (SourceKind::ProductData, org.bob)
        );
        assert!(tx.sources(other).expect("sources").is_empty());
        drop(tx);

        let mut tx = write(store);
        assert_conflict(
            name,
            tx.insert_brief_version(org.brief, 2, &second, org.bob, at(24)),
        );
    });
}

#[test]
fn assets_are_listed_and_updated() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let first = new_asset(tx.as_mut(), &org, "First");
        let second = new_asset(tx.as_mut(), &org, "Second");
        let third = new_asset(tx.as_mut(), &org, "Third");
        tx.update_asset(
            second,
            &AssetUpdate {
                state: AssetState::InReview,
                current_version: 3,
                pending_role: Some(Role::Editor),
                due: day(2026, 3, 1),
                review_authors: Vec::new(),
            },
        )
        .expect("update asset");
        tx.commit().expect("commit");

        let mut tx = read(store);
        let asset = tx.asset(first).expect("asset").expect("asset exists");
        assert_eq!(asset.title, "First");
        assert_eq!(asset.kind, AssetKind::Blog);
        assert_eq!(
            (asset.channel.as_str(), asset.locale.as_str()),
            ("blog", "en-GB")
        );
        assert!(!asset.personalised);
        assert_eq!(
            (asset.state, asset.current_version),
            (AssetState::Draft, 0),
            "{name}: a new asset is a draft without versions"
        );
        assert_eq!(
            (asset.brand_id, asset.brief_id, asset.created_by.id),
            (org.brand, org.brief, org.alice)
        );
        assert_eq!(asset.created_by.name, "alice");
        assert_eq!(asset.created_at, at(10));
        let updated = tx.asset(second).expect("asset").expect("asset exists");
        assert_eq!(
            (updated.state, updated.current_version),
            (AssetState::InReview, 3),
            "{name}"
        );
        assert_eq!(tx.asset(AssetId(9_999)).expect("asset"), None);

        let ids = |list: Vec<copydesk_core::asset::Asset>| -> Vec<AssetId> {
            list.into_iter().map(|a| a.id).collect()
        };
        assert_eq!(
            ids(tx.assets(org.brand, None, None, 10).expect("assets")),
            [first, second, third]
        );
        assert_eq!(
            ids(tx.assets(org.brand, None, Some(first), 1).expect("assets")),
            [second],
            "{name}: a page after a cursor"
        );
        assert_eq!(
            ids(tx
                .assets(org.brand, Some(AssetState::Draft), None, 10)
                .expect("assets")),
            [first, third],
            "{name}: filtered by state"
        );
        assert_eq!(
            ids(tx
                .assets(org.brand, Some(AssetState::Approved), None, 10)
                .expect("assets")),
            []
        );
        // Writes in a write transaction see what they wrote, and a locked read works too.
        drop(tx);
        let mut tx = write(store);
        let locked = tx.asset(second).expect("asset").expect("asset exists");
        assert_eq!(locked.current_version, 3);
    });
}

#[test]
fn versions_history_and_lineage() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let asset = new_asset(tx.as_mut(), &org, "Post");
        let alice = user_author(org.alice, "alice");
        let model = Author::Model {
            provider: "openai".into(),
            model: "gpt-x".into(),
            template: Some(TemplateRef {
                id: "blog-draft".into(),
                version: "3".into(),
            }),
            recorded_by: UserRef {
                id: org.bob,
                name: "bob".into(),
            },
        };
        let bare_model = Author::Model {
            provider: "offline".into(),
            model: "assistant".into(),
            template: None,
            recorded_by: UserRef {
                id: org.alice,
                name: "alice".into(),
            },
        };
        let findings = FindingCounts {
            error: 1,
            warning: 2,
            info: 3,
            unsupported_claims: 4,
        };
        let rules = copydesk_guard::Rules::builtin().expect("built-in rules");
        let stored_findings = copydesk_guard::check_text(
            &rules,
            "Grün: 42% more, guaranteed.",
            copydesk_guard::Format::Markdown,
            &copydesk_guard::CheckOptions::default(),
        );
        assert!(
            !stored_findings.is_empty(),
            "{name}: the check found nothing"
        );
        let texts = ["First draft.", "Zweite Fassung: grün, schön.", "Third."];
        let authors = [&alice, &model, &bare_model];
        let write_versions = |tx: &mut dyn Tx, asset| {
            for (i, (text, author)) in texts.iter().zip(authors).enumerate() {
                let number = u32::try_from(i + 1).expect("a small number");
                tx.insert_version(&NewVersion {
                    asset,
                    number,
                    parent: number.checked_sub(1).filter(|p| *p > 0),
                    text,
                    author,
                    note: &format!("note {number}"),
                    brief_version: 1,
                    findings,
                    guardrail_findings: &stored_findings,
                    reverted_from: (number == 3).then_some(1),
                    provenance: None,
                    at: at(30 + i64::from(number)),
                })
                .expect("insert version");
            }
        };
        write_versions(tx.as_mut(), asset);
        let duplicate = tx.insert_version(&NewVersion {
            asset,
            number: 2,
            parent: Some(1),
            text: "again",
            author: &alice,
            note: "",
            brief_version: 1,
            findings: FindingCounts::default(),
            guardrail_findings: &[],
            reverted_from: None,
            provenance: None,
            at: at(40),
        });
        assert_conflict(name, duplicate);
        drop(tx);

        // The conflict aborted that transaction (PostgreSQL) and dropping it rolled it back:
        // write the versions again and commit.
        let mut tx = write(store);
        let asset = new_asset(tx.as_mut(), &org, "Post");
        write_versions(tx.as_mut(), asset);
        tx.commit().expect("commit");

        let mut tx = read(store);
        let v2 = tx
            .version(asset, 2)
            .expect("version")
            .expect("version 2 exists");
        assert_eq!(v2.asset_id, asset);
        assert_eq!(v2.number, 2);
        assert_eq!(v2.parent, Some(1));
        assert_eq!(v2.text, texts[1], "{name}: text round-trips");
        assert_eq!(v2.author, model, "{name}: a model author with its template");
        assert_eq!(v2.note, "note 2");
        assert_eq!(v2.brief_version, 1);
        assert_eq!(v2.findings, findings);
        assert_eq!(v2.guardrail_findings, stored_findings, "{name}");
        assert_eq!(v2.reverted_from, None);
        assert_eq!(v2.created_at, at(32));
        let v1 = tx.version(asset, 1).expect("version").expect("version 1");
        assert_eq!((v1.parent, v1.author), (None, alice.clone()));
        let v3 = tx.version(asset, 3).expect("version").expect("version 3");
        assert_eq!(
            v3.author, bare_model,
            "{name}: a model author without template"
        );
        assert_eq!(v3.reverted_from, Some(1));
        assert_eq!(tx.version(asset, 4).expect("version"), None);

        let history = tx.history(asset, None, 10).expect("history");
        let numbers: Vec<u32> = history.iter().map(|v| v.number).collect();
        assert_eq!(numbers, [3, 2, 1], "{name}: newest first");
        assert_eq!(
            history[1].chars, 28,
            "{name}: chars counts characters, not bytes"
        );
        assert_eq!(history[1].author, model);
        assert_eq!(history[0].reverted_from, Some(1));
        assert_eq!(history[2].note, "note 1");
        assert_eq!(history[2].created_at, at(31));
        let page: Vec<u32> = tx
            .history(asset, Some(3), 1)
            .expect("history")
            .iter()
            .map(|v| v.number)
            .collect();
        assert_eq!(page, [2], "{name}: the page before version 3");
        let rest: Vec<u32> = tx
            .history(asset, Some(2), 10)
            .expect("history")
            .iter()
            .map(|v| v.number)
            .collect();
        assert_eq!(rest, [1]);

        let lineage = tx.lineage(asset).expect("lineage");
        let shape: Vec<(u32, Option<u32>, UserId)> = lineage
            .iter()
            .map(|l| (l.number, l.parent, l.author.person().id))
            .collect();
        assert_eq!(
            shape,
            [
                (1, None, org.alice),
                (2, Some(1), org.bob),
                (3, Some(2), org.alice)
            ],
            "{name}: lineage oldest first"
        );
        assert_eq!(lineage[1].author, model);
    });
}

#[test]
fn reviews_decisions_and_conflicting_decisions() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let asset = new_asset(tx.as_mut(), &org, "Post");
        assert_eq!(tx.latest_review(asset).expect("latest review"), None);
        let first = tx
            .insert_review(&NewReview {
                asset,
                version: 1,
                tier: Tier::Single,
                score: 3,
                stages: &[Role::Editor],
                submitted_by: org.alice,
                at: at(50),
                policy_digest: "abc123",
            })
            .expect("insert review");
        let second = tx
            .insert_review(&NewReview {
                asset,
                version: 2,
                tier: Tier::MultiStage,
                score: 17,
                stages: &[Role::Editor, Role::Compliance],
                submitted_by: org.alice,
                at: at(51),
                policy_digest: "def456",
            })
            .expect("insert review");
        let approve = StageDecision {
            stage: 0,
            role: Role::Editor,
            decision: Decision::Approve,
            by: UserRef {
                id: org.bob,
                name: "bob".into(),
            },
            reason: None,
            comment: "fine".into(),
            at: at(52),
        };
        tx.insert_decision(second, &approve)
            .expect("insert decision");
        let changes = StageDecision {
            stage: 0,
            role: Role::Editor,
            decision: Decision::RequestChanges,
            by: UserRef {
                id: org.bob,
                name: "bob".into(),
            },
            reason: Some(ReasonCode::UnsupportedClaim),
            comment: "source the 42%".into(),
            at: at(53),
        };
        tx.insert_decision(first, &changes)
            .expect("insert decision");
        tx.commit().expect("commit");

        let mut tx = read(store);
        let latest = tx
            .latest_review(asset)
            .expect("latest review")
            .expect("a review exists");
        assert_eq!(latest.id, second, "{name}: the newest round");
        assert_eq!(latest.version, 2);
        assert_eq!(latest.tier, Tier::MultiStage);
        assert_eq!(latest.score, 17);
        assert_eq!(latest.stages, [Role::Editor, Role::Compliance]);
        assert_eq!(latest.submitted_by.name, "alice");
        assert_eq!(latest.submitted_at, at(51));
        assert_eq!(latest.policy_digest, "def456");
        assert_eq!(latest.decisions, std::slice::from_ref(&approve), "{name}");
        assert_eq!(latest.pending_stage(), Some((1, Role::Compliance)));
        let all = tx.reviews(asset).expect("reviews");
        let ids: Vec<ReviewId> = all.iter().map(|r| r.id).collect();
        assert_eq!(ids, [first, second], "{name}: rounds oldest first");
        assert_eq!(all[0].tier, Tier::Single);
        assert_eq!(
            all[0].decisions,
            [changes],
            "{name}: reason codes round-trip"
        );
        assert!(all[0].is_closed());
        drop(tx);

        let mut tx = write(store);
        let twice = StageDecision {
            decision: Decision::Reject,
            reason: Some(ReasonCode::Other),
            at: at(54),
            ..approve
        };
        let message = assert_conflict(name, tx.insert_decision(second, &twice));
        assert_eq!(
            message, "stage 1 (editor) was decided by someone else at the same moment",
            "{name}"
        );
        drop(tx);
        let mut tx = read(store);
        let decisions = tx
            .latest_review(asset)
            .expect("latest review")
            .expect("a review exists")
            .decisions;
        assert_eq!(decisions.len(), 1, "{name}: the first decision stands");
        assert_eq!(decisions[0].decision, Decision::Approve);
    });
}

#[test]
fn comments_with_and_without_ranges() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let asset = new_asset(tx.as_mut(), &org, "Post");
        let other = new_asset(tx.as_mut(), &org, "Other");
        let ranged = tx
            .insert_comment(&NewComment {
                asset,
                version: 2,
                range: Some((4, 9)),
                quote: "close",
                body: "Which books?",
                by: org.bob,
                at: at(60),
            })
            .expect("insert comment");
        tx.insert_comment(&NewComment {
            asset,
            version: 2,
            range: None,
            quote: "",
            body: "Good overall.",
            by: org.alice,
            at: at(61),
        })
        .expect("insert comment");
        tx.commit().expect("commit");

        let mut tx = read(store);
        let comments = tx.comments(asset).expect("comments");
        assert_eq!(comments.len(), 2, "{name}");
        let c = &comments[0];
        assert_eq!(c.id, ranged);
        assert_eq!((c.asset_id, c.version), (asset, 2));
        assert_eq!(c.range, Some((4, 9)), "{name}: ranges round-trip");
        assert_eq!(
            (c.quote.as_str(), c.body.as_str()),
            ("close", "Which books?")
        );
        assert_eq!((c.by.id, c.by.name.as_str()), (org.bob, "bob"));
        assert_eq!(c.created_at, at(60));
        assert_eq!(
            comments[1].range, None,
            "{name}: a comment on the whole text"
        );
        assert_eq!(comments[1].by.name, "alice");
        assert!(tx.comments(other).expect("comments").is_empty());
    });
}

/// Three auto-approved reviews of `asset` with their draws: sampled, not sampled, sampled.
fn three_samples(tx: &mut dyn Tx, org: &Org, asset: AssetId) -> Vec<SpotCheckSample> {
    let mut samples = Vec::new();
    for (i, sampled) in [true, false, true].into_iter().enumerate() {
        let offset = i64::try_from(i).expect("a small number");
        let review = tx
            .insert_review(&NewReview {
                asset,
                version: 1,
                tier: Tier::SpotCheck,
                score: 0,
                stages: &[],
                submitted_by: org.alice,
                at: at(70 + offset),
                policy_digest: "abc",
            })
            .expect("insert review");
        let sample = SpotCheckSample {
            asset,
            review,
            brand: org.brand,
            seed: format!("seed-{i}"),
            draw: 0.125 + offset as f64 / 3.0,
            rate: 0.1,
            sampled,
            at: at(70 + offset),
        };
        tx.insert_sample(&sample).expect("insert sample");
        samples.push(sample);
    }
    samples
}

#[test]
fn only_sampled_spot_checks_are_listed() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let asset = new_asset(tx.as_mut(), &org, "Post");
        let samples = three_samples(tx.as_mut(), &org, asset);
        assert_conflict(name, tx.insert_sample(&samples[0]));
        drop(tx);

        // Again, committed this time.
        let mut tx = write(store);
        let asset = new_asset(tx.as_mut(), &org, "Post");
        let samples = three_samples(tx.as_mut(), &org, asset);
        tx.commit().expect("commit");

        let mut tx = read(store);
        let listed = tx.samples(org.brand, None, 10).expect("samples");
        assert_eq!(
            listed,
            [samples[0].clone(), samples[2].clone()],
            "{name}: sampled draws only, floats exact"
        );
        let page = tx
            .samples(org.brand, Some(samples[0].review), 10)
            .expect("samples");
        assert_eq!(page, [samples[2].clone()], "{name}: after a cursor");
        assert_eq!(tx.samples(org.brand, None, 1).expect("samples").len(), 1);
        assert!(tx
            .samples(BrandId(9_999), None, 10)
            .expect("samples")
            .is_empty());
    });
}

#[test]
fn queue_pages_by_due_date_then_id_with_undated_assets_last() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let other_brand = tx
            .insert_brand("other", "Other", "", at(5))
            .expect("insert brand");
        let waiting = |role: Role, due: NaiveDate| AssetUpdate {
            state: AssetState::InReview,
            current_version: 1,
            pending_role: Some(role),
            due,
            review_authors: vec![UserId(42), UserId(7)],
        };
        let late = day(2026, 3, 2);
        let early = day(2026, 3, 1);
        let mut ids = Vec::new();
        for (title, due) in [
            ("late-1", late),
            ("undated-1", NaiveDate::MAX),
            ("early", early),
            ("late-2", late),
            ("undated-2", NaiveDate::MAX),
        ] {
            let id = new_asset(tx.as_mut(), &org, title);
            tx.update_asset(id, &waiting(Role::Editor, due))
                .expect("update asset");
            ids.push(id);
        }
        let compliance = new_asset(tx.as_mut(), &org, "for compliance");
        tx.update_asset(compliance, &waiting(Role::Compliance, early))
            .expect("update asset");
        let draft = new_asset(tx.as_mut(), &org, "draft");
        assert_ne!(draft, compliance);
        let elsewhere = tx
            .insert_asset(&NewAsset {
                brand: other_brand,
                brief: org.brief,
                title: "elsewhere",
                kind: AssetKind::Email,
                channel: "email",
                locale: "en",
                personalised: true,
                created_by: org.alice,
                at: at(10),
            })
            .expect("insert asset");
        tx.update_asset(elsewhere, &waiting(Role::Editor, early))
            .expect("update asset");
        tx.commit().expect("commit");
        let [late1, undated1, early_id, late2, undated2] = ids[..] else {
            panic!("five assets");
        };

        let mut tx = read(store);
        let mut pages = Vec::new();
        let mut cursor: Option<QueueCursor> = None;
        loop {
            let page = tx
                .queue(org.brand, Role::Editor, cursor.as_ref(), 2)
                .expect("queue");
            let Some(last) = page.last() else { break };
            cursor = Some(last.cursor());
            pages.push(page.iter().map(|i| i.asset).collect::<Vec<_>>());
            assert!(pages.len() < 10, "{name}: the queue pages forever");
        }
        assert_eq!(
            pages,
            [vec![early_id, late1], vec![late2, undated1], vec![undated2]],
            "{name}: by due date, then id, undated last"
        );

        let all = tx.queue(org.brand, Role::Editor, None, 10).expect("queue");
        assert!(
            all.iter()
                .all(|item| item.review_authors == [UserId(42), UserId(7)]),
            "{name}: the queue carries who wrote the version under review"
        );
        assert_eq!(all[0].due, Some(early));
        assert_eq!(all[0].title, "early");
        assert_eq!(
            (all[0].brand, all[0].kind, all[0].role, all[0].version),
            (org.brand, AssetKind::Blog, Role::Editor, 1)
        );
        assert_eq!(all[3].due, None, "{name}: no due date reads back as none");
        assert_eq!(
            all[3].cursor(),
            QueueCursor {
                due: NaiveDate::MAX,
                asset: undated1
            }
        );
        let after_max = tx
            .queue(
                org.brand,
                Role::Editor,
                Some(&QueueCursor {
                    due: NaiveDate::MAX,
                    asset: undated1,
                }),
                10,
            )
            .expect("queue");
        assert_eq!(
            after_max.iter().map(|i| i.asset).collect::<Vec<_>>(),
            [undated2],
            "{name}: a cursor at NaiveDate::MAX"
        );
        let from_min = tx
            .queue(
                org.brand,
                Role::Editor,
                Some(&QueueCursor {
                    due: NaiveDate::MIN,
                    asset: AssetId(0),
                }),
                10,
            )
            .expect("queue");
        assert_eq!(from_min.len(), 5, "{name}: a cursor at NaiveDate::MIN");
        let compliance_queue = tx
            .queue(org.brand, Role::Compliance, None, 10)
            .expect("queue");
        assert_eq!(
            compliance_queue.iter().map(|i| i.asset).collect::<Vec<_>>(),
            [compliance]
        );
        assert!(tx
            .queue(org.brand, Role::BrandLead, None, 10)
            .expect("queue")
            .is_empty());
    });
}

fn draft(n: i64, brand: Option<&str>, subject: &str) -> AuditDraft {
    AuditDraft {
        at: at(100 + n),
        actor: "alice".into(),
        brand: brand.map(str::to_string),
        action: "asset.created".into(),
        subject: subject.into(),
        details: serde_json::json!({"n": n, "ratio": 0.1, "nested": {"b": [1, 2], "a": null}}),
    }
}

fn append(tx: &mut dyn Tx, d: AuditDraft) -> AuditEntry {
    let head = tx.audit_head().expect("audit head");
    let entry = seal(head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())), d);
    tx.append_audit(&entry).expect("append audit entry");
    entry
}

#[test]
fn audit_log_appends_and_filters() {
    each_backend(|b, store| {
        let name = b.name;
        let mut tx = write(store);
        assert_eq!(tx.audit_head().expect("audit head"), None, "{name}");
        let written = vec![
            append(tx.as_mut(), draft(1, Some("acme"), "asset:1")),
            append(tx.as_mut(), draft(2, Some("beta"), "asset:2")),
            append(tx.as_mut(), draft(3, None, "user:bob")),
            append(tx.as_mut(), draft(4, Some("acme"), "asset:2")),
        ];
        tx.commit().expect("commit");

        let mut tx = read(store);
        assert_eq!(
            tx.audit_head().expect("audit head"),
            Some((4, written[3].hash.clone())),
            "{name}"
        );
        let all = tx
            .audit_entries(&AuditFilter::default(), 0, 100)
            .expect("audit entries");
        assert_eq!(all, written, "{name}: entries read back exactly");
        let mut verifier = Verifier::default();
        for e in &all {
            verifier
                .push(e)
                .unwrap_or_else(|e| panic!("{name}: the chain breaks: {e}"));
        }
        assert_eq!(verifier.head(), (4, written[3].hash.as_str()));

        let seqs =
            |entries: Vec<AuditEntry>| -> Vec<i64> { entries.iter().map(|e| e.seq).collect() };
        let about_asset_2 = AuditFilter {
            subject: Some("asset:2".into()),
            brands: None,
        };
        assert_eq!(
            seqs(tx.audit_entries(&about_asset_2, 0, 100).expect("entries")),
            [2, 4],
            "{name}: by subject"
        );
        let acme = AuditFilter {
            subject: None,
            brands: Some(vec!["acme".into()]),
        };
        assert_eq!(
            seqs(tx.audit_entries(&acme, 0, 100).expect("entries")),
            [1, 4],
            "{name}: by brand"
        );
        let two_brands = AuditFilter {
            subject: None,
            brands: Some(vec!["acme".into(), "beta".into()]),
        };
        assert_eq!(
            seqs(tx.audit_entries(&two_brands, 0, 100).expect("entries")),
            [1, 2, 4]
        );
        let no_brands = AuditFilter {
            subject: None,
            brands: Some(Vec::new()),
        };
        assert_eq!(
            seqs(tx.audit_entries(&no_brands, 0, 100).expect("entries")),
            Vec::<i64>::new(),
            "{name}: an empty brand list matches nothing"
        );
        let both = AuditFilter {
            subject: Some("asset:2".into()),
            brands: Some(vec!["beta".into()]),
        };
        assert_eq!(seqs(tx.audit_entries(&both, 0, 100).expect("entries")), [2]);
        assert_eq!(
            seqs(
                tx.audit_entries(&AuditFilter::default(), 1, 2)
                    .expect("entries")
            ),
            [2, 3],
            "{name}: after a seq, limited"
        );
        assert!(tx
            .audit_entries(&AuditFilter::default(), 4, 100)
            .expect("entries")
            .is_empty());
        drop(tx);

        let mut tx = write(store);
        let stale = seal(None, draft(5, None, "asset:9"));
        assert_conflict(name, tx.append_audit(&stale));
    });
}

#[test]
fn a_dropped_transaction_writes_nothing() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        {
            let mut tx = write(store);
            tx.insert_brand("ghost", "Ghost", "", at(0))
                .expect("insert brand");
            let asset = new_asset(tx.as_mut(), &org, "ghost asset");
            tx.update_asset(
                asset,
                &AssetUpdate {
                    state: AssetState::InReview,
                    current_version: 1,
                    pending_role: Some(Role::Editor),
                    due: NaiveDate::MAX,
                    review_authors: Vec::new(),
                },
            )
            .expect("update asset");
            append(tx.as_mut(), draft(1, Some("ghost"), "brand:ghost"));
            assert!(
                tx.brand_by_slug("ghost").expect("by slug").is_some(),
                "{name}: a transaction sees its own writes"
            );
            // dropped without commit
        }
        let mut tx = read(store);
        assert_eq!(tx.brand_by_slug("ghost").expect("by slug"), None, "{name}");
        assert!(tx
            .assets(org.brand, None, None, 10)
            .expect("assets")
            .is_empty());
        assert!(tx
            .queue(org.brand, Role::Editor, None, 10)
            .expect("queue")
            .is_empty());
        assert_eq!(tx.audit_head().expect("audit head"), None);
        drop(tx);

        // After a failed statement the transaction is dropped, and the store still works.
        {
            let mut tx = write(store);
            tx.insert_brand("kept", "Kept", "", at(0))
                .expect("insert brand");
            assert_conflict(name, tx.insert_brand("acme", "Acme", "", at(0)));
        }
        let mut tx = write(store);
        assert_eq!(tx.brand_by_slug("kept").expect("by slug"), None, "{name}");
        tx.insert_brand("kept", "Kept", "", at(0))
            .expect("insert brand");
        tx.commit().expect("commit");
        let mut tx = read(store);
        assert!(
            tx.brand_by_slug("kept").expect("by slug").is_some(),
            "{name}"
        );
    });
}

/// Runs one statement on the database directly, outside the store, returning the error text.
fn raw_statement(backend: &TestBackend, sql: &str) -> Result<u64, String> {
    match backend.name {
        "sqlite" => {
            let path = backend
                .url
                .strip_prefix("sqlite://")
                .expect("a sqlite:// URL");
            let conn = rusqlite::Connection::open(path).expect("open the SQLite file");
            conn.execute(sql, [])
                .map(|n| n as u64)
                .map_err(|e| e.to_string())
        }
        "postgres" => {
            let mut client =
                postgres::Client::connect(&backend.url, postgres::NoTls).expect("connect");
            client.execute(sql, &[]).map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_string(),
                None => e.to_string(),
            })
        }
        other => panic!("unknown backend {other}"),
    }
}

#[test]
fn history_cannot_be_rewritten() {
    each_backend(|b, store| {
        let name = b.name;
        let org = org(store);
        let mut tx = write(store);
        let asset = new_asset(tx.as_mut(), &org, "Post");
        tx.insert_version(&NewVersion {
            asset,
            number: 1,
            parent: None,
            text: "original",
            author: &user_author(org.alice, "alice"),
            note: "",
            brief_version: 1,
            findings: FindingCounts::default(),
            guardrail_findings: &[],
            reverted_from: None,
            provenance: None,
            at: at(80),
        })
        .expect("insert version");
        let review = tx
            .insert_review(&NewReview {
                asset,
                version: 1,
                tier: Tier::Single,
                score: 1,
                stages: &[Role::Editor],
                submitted_by: org.alice,
                at: at(81),
                policy_digest: "abc",
            })
            .expect("insert review");
        tx.insert_decision(
            review,
            &StageDecision {
                stage: 0,
                role: Role::Editor,
                decision: Decision::Approve,
                by: UserRef {
                    id: org.bob,
                    name: "bob".into(),
                },
                reason: None,
                comment: String::new(),
                at: at(82),
            },
        )
        .expect("insert decision");
        append(tx.as_mut(), draft(1, Some("acme"), "asset:1"));
        tx.commit().expect("commit");

        for (sql, message) in [
            (
                "UPDATE versions SET body = 'forged'",
                "versions are immutable",
            ),
            ("DELETE FROM versions", "versions are immutable"),
            (
                "UPDATE decisions SET decision = 'reject'",
                "decisions are immutable",
            ),
            ("DELETE FROM decisions", "decisions are immutable"),
            (
                "UPDATE audit_log SET actor = 'mallory'",
                "the audit log is append-only",
            ),
            ("DELETE FROM audit_log", "the audit log is append-only"),
        ] {
            match raw_statement(b, sql) {
                Err(e) => assert!(e.contains(message), "{name}: {sql}: {e}"),
                Ok(n) => panic!("{name}: {sql} changed {n} rows"),
            }
        }

        let mut tx = read(store);
        let version = tx.version(asset, 1).expect("version").expect("version 1");
        assert_eq!(version.text, "original", "{name}");
        let review = tx
            .latest_review(asset)
            .expect("latest review")
            .expect("the review");
        assert_eq!(review.decisions[0].decision, Decision::Approve);
        let entries = tx
            .audit_entries(&AuditFilter::default(), 0, 10)
            .expect("entries");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].actor, "alice");
    });
}

#[test]
fn timestamps_round_trip_at_microsecond_precision() {
    let times = [
        DateTime::from_timestamp(1_790_000_000, 123_456_000).expect("a time"),
        DateTime::from_timestamp(1_790_000_000, 999_999_000).expect("a time"),
        DateTime::from_timestamp(1_790_000_000, 1_000).expect("a time"),
        DateTime::from_timestamp(946_684_799, 500_001_000).expect("a time before 2000"),
        DateTime::from_timestamp(-1_000_000_000, 250_000_000).expect("a time before 1970"),
        DateTime::from_timestamp(4_102_444_800, 654_321_000).expect("a time after 2100"),
    ];
    each_backend(|b, store| {
        let name = b.name;
        let mut tx = write(store);
        let mut head = None;
        let mut written = Vec::new();
        for (i, t) in times.iter().enumerate() {
            tx.insert_brand(&format!("b{i}"), "B", "", *t)
                .expect("insert brand");
            let entry = seal(
                head.as_ref()
                    .map(|(seq, hash): &(i64, String)| (*seq, hash.as_str())),
                AuditDraft {
                    at: *t,
                    ..draft(0, None, "time")
                },
            );
            tx.append_audit(&entry).expect("append");
            head = Some((entry.seq, entry.hash.clone()));
            written.push(entry);
        }
        tx.commit().expect("commit");

        let mut tx = read(store);
        for (i, t) in times.iter().enumerate() {
            let brand = tx
                .brand_by_slug(&format!("b{i}"))
                .expect("by slug")
                .expect("the brand");
            assert_eq!(brand.created_at, *t, "{name}: {t}");
        }
        let read_back = tx
            .audit_entries(&AuditFilter::default(), 0, 100)
            .expect("entries");
        assert_eq!(read_back, written, "{name}");
        let mut verifier = Verifier::default();
        for e in &read_back {
            verifier
                .push(e)
                .unwrap_or_else(|e| panic!("{name}: the chain breaks: {e}"));
        }
    });
}

#[test]
fn reopening_keeps_data_and_migrations_are_idempotent() {
    for backend in backends() {
        let name = backend.name;
        {
            let mut store = backend.open();
            let mut tx = write(store.as_mut());
            tx.insert_brand("acme", "Acme", "kit", at(0))
                .expect("insert brand");
            tx.commit().expect("commit");
        }
        // Two stores at once, then a third after both are gone.
        let mut first = backend.open();
        let mut second = backend.open();
        for store in [&mut first, &mut second] {
            let mut tx = read(store.as_mut());
            let brand = tx.brand_by_slug("acme").expect("by slug");
            assert_eq!(brand.map(|b| b.kit), Some("kit".into()), "{name}");
        }
        drop((first, second));
        let mut store = backend.open();
        let mut tx = read(store.as_mut());
        assert_eq!(tx.brands().expect("brands").len(), 1, "{name}");
    }
}

#[test]
fn concurrent_writers_append_one_audit_chain() {
    const PER_WRITER: i64 = 15;
    for backend in backends() {
        let name = backend.name;
        backend.open(); // migrate before the writers race
        std::thread::scope(|s| {
            for writer in 0..2 {
                let backend = &backend;
                s.spawn(move || {
                    let mut store = backend.open();
                    for n in 0..PER_WRITER {
                        let mut tx = write(store.as_mut());
                        append(
                            tx.as_mut(),
                            draft(n, Some("acme"), &format!("writer:{writer}")),
                        );
                        tx.commit().expect("commit");
                    }
                });
            }
        });
        let mut store = backend.open();
        let mut tx = read(store.as_mut());
        let entries = tx
            .audit_entries(&AuditFilter::default(), 0, 1_000)
            .expect("entries");
        assert_eq!(
            i64::try_from(entries.len()).expect("a small number"),
            2 * PER_WRITER,
            "{name}"
        );
        let mut verifier = Verifier::default();
        for e in &entries {
            verifier
                .push(e)
                .unwrap_or_else(|e| panic!("{name}: the chain breaks: {e}"));
        }
    }
}

#[test]
fn concurrent_writers_do_not_lose_asset_updates() {
    const PER_WRITER: u32 = 15;
    for backend in backends() {
        let name = backend.name;
        let asset = {
            let mut store = backend.open();
            let org = org(store.as_mut());
            let mut tx = write(store.as_mut());
            let asset = new_asset(tx.as_mut(), &org, "contended");
            tx.commit().expect("commit");
            asset
        };
        std::thread::scope(|s| {
            for _ in 0..2 {
                let backend = &backend;
                s.spawn(move || {
                    let mut store = backend.open();
                    for _ in 0..PER_WRITER {
                        let mut tx = write(store.as_mut());
                        // Locks the row until commit, so the increment cannot be lost.
                        let current = tx.asset(asset).expect("asset").expect("the asset");
                        tx.update_asset(
                            asset,
                            &AssetUpdate {
                                state: AssetState::Draft,
                                current_version: current.current_version + 1,
                                pending_role: None,
                                due: NaiveDate::MAX,
                                review_authors: Vec::new(),
                            },
                        )
                        .expect("update asset");
                        tx.commit().expect("commit");
                    }
                });
            }
        });
        let mut store = backend.open();
        let mut tx = read(store.as_mut());
        let asset = tx.asset(asset).expect("asset").expect("the asset");
        assert_eq!(asset.current_version, 2 * PER_WRITER, "{name}");
    }
}

#[test]
fn servers_starting_together_migrate_once() {
    for backend in backends() {
        let name = backend.name;
        std::thread::scope(|s| {
            let opened: Vec<_> = (0..4)
                .map(|_| s.spawn(|| open_and_count_brands(&backend)))
                .collect();
            for handle in opened {
                assert_eq!(handle.join().expect("the opener finishes"), 0, "{name}");
            }
        });
    }
}

fn open_and_count_brands(backend: &TestBackend) -> usize {
    let mut store = backend.open();
    let mut tx = read(store.as_mut());
    tx.brands().expect("brands").len()
}
