//! Assets and their versions: create, write, read, compare, revert.

use sha2::{Digest, Sha256};

use copydesk_core::asset::{
    Asset, Author, Finding, FindingCounts, TemplateRef, Version, VersionSummary,
};
use copydesk_core::brief::BriefRecord;
use copydesk_core::diff::{self, Diff, Granularity};
use copydesk_core::provenance::Provenance;
use copydesk_core::review::{transition, Action};
use copydesk_core::{AssetId, AssetKind, AssetState, BriefId, Role};
use copydesk_guard::{Category, CheckOptions, Format, Severity};
use copydesk_store::{AssetUpdate, NewAsset, NewVersion, Tx};

use crate::access::{member, member_by_slug, Access, Actor};
use crate::audit::record;
use crate::briefs::visible_brief;
use crate::{AssetView, Ctx, Result, Service, ServiceError};

const CREATES_ASSETS: &[Role] = &[Role::Strategist, Role::Editor];
const WRITES_VERSIONS: &[Role] = &[Role::Strategist, Role::Editor, Role::PromptEngineer];
const ARCHIVES: &[Role] = &[Role::Strategist, Role::BrandLead];

/// Who is writing a new version: the actor, or a model the actor ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorSpec {
    Human,
    Model {
        provider: String,
        model: String,
        template: Option<TemplateRef>,
    },
}

/// What `asset new` needs beyond the brief.
#[derive(Debug, Clone)]
pub struct AssetSpec {
    pub title: String,
    pub kind: AssetKind,
    /// Defaults to the brief's channel.
    pub channel: Option<String>,
    pub locale: String,
    pub personalised: bool,
}

/// A new version's text and provenance. Its guardrail findings are not given: saving runs
/// the check with the brand kit's rules.
#[derive(Debug, Clone)]
pub struct VersionSpec<'a> {
    pub text: &'a str,
    pub author: AuthorSpec,
    pub note: &'a str,
    /// How an AI-made text was made (assistance operations set it).
    pub provenance: Option<&'a Provenance>,
}

impl<'a> VersionSpec<'a> {
    /// A text a person wrote themselves.
    pub fn human(text: &'a str, note: &'a str) -> VersionSpec<'a> {
        VersionSpec {
            text,
            author: AuthorSpec::Human,
            note,
            provenance: None,
        }
    }
}

/// Runs the brand's guardrails over a version's text, on the asset's channel.
fn run_guardrails(
    ctx: &Ctx<'_>,
    access: &Access,
    asset: &Asset,
    text: &str,
) -> Result<(Vec<Finding>, FindingCounts)> {
    let rules = ctx.kits.guardrails(&access.brand.kit)?;
    let format = match Format::sniff(text) {
        Format::Html => Format::Html,
        _ => Format::Markdown,
    };
    let options = CheckOptions {
        channel: Some(asset.channel.clone()),
        sponsored: None,
    };
    let found = copydesk_guard::check_text(&rules, text, format, &options);
    let mut counts = FindingCounts::default();
    for f in &found {
        match f.severity {
            Severity::Error => counts.error += 1,
            Severity::Warning => counts.warning += 1,
            Severity::Suggestion => counts.info += 1,
        }
        if f.category == Category::Claim {
            counts.unsupported_claims += 1;
        }
    }
    Ok((found, counts))
}

/// Loads an asset the actor can see; assets of other brands are "not found". In a write
/// transaction the row stays locked until commit.
pub(crate) fn visible_asset(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: AssetId,
) -> Result<(Asset, Access)> {
    let missing = || format!("no asset {id}");
    let asset = tx
        .asset(id)?
        .ok_or_else(|| ServiceError::NotFound(missing()))?;
    let access = member(tx, actor, asset.brand_id, missing)?;
    Ok((asset, access))
}

pub(crate) fn text_digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

pub(crate) fn load_version(tx: &mut dyn Tx, asset: &Asset, number: u32) -> Result<Version> {
    tx.version(asset.id, number)?.ok_or_else(|| {
        ServiceError::NotFound(if asset.current_version == 0 {
            format!("asset {} has no versions yet", asset.id)
        } else {
            format!(
                "asset {} has no version {number} (versions are 1 to {})",
                asset.id, asset.current_version
            )
        })
    })
}

/// Appends a version as the asset's newest, checking the state machine; returns its number
/// and what its guardrail findings count.
pub(crate) fn append_version(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    asset: &Asset,
    access: &Access,
    spec: &VersionSpec<'_>,
    reverted_from: Option<u32>,
) -> Result<(u32, FindingCounts)> {
    let state = transition(asset.id, asset.state, Action::AddVersion)?;
    let brief = tx.brief(asset.brief_id)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "brief {} of asset {} is missing",
            asset.brief_id, asset.id
        ))
    })?;
    let person = access.user.as_ref();
    let author = match &spec.author {
        AuthorSpec::Human => Author::User { user: person },
        AuthorSpec::Model {
            provider,
            model,
            template,
        } => Author::Model {
            provider: provider.clone(),
            model: model.clone(),
            template: template.clone(),
            recorded_by: person,
        },
    };
    let (guardrail_findings, findings) = run_guardrails(ctx, access, asset, spec.text)?;
    let number = asset.current_version + 1;
    let parent = (asset.current_version > 0).then_some(asset.current_version);
    tx.insert_version(&NewVersion {
        asset: asset.id,
        number,
        parent,
        text: spec.text,
        author: &author,
        note: spec.note,
        brief_version: brief.version,
        findings,
        guardrail_findings: &guardrail_findings,
        reverted_from,
        provenance: spec.provenance,
        at: ctx.now,
    })?;
    tx.update_asset(asset.id, &AssetUpdate::settled(state, number))?;
    let action = if reverted_from.is_some() {
        "version.reverted"
    } else {
        "version.added"
    };
    record(
        tx,
        ctx,
        access.actor_name(),
        Some(&access.brand.slug),
        action,
        format!("asset:{}", asset.id),
        serde_json::json!({
            "version": number,
            "parent": parent,
            "author": author,
            "reverted_from": reverted_from,
            "brief_version": brief.version,
            "text_sha256": text_digest(spec.text),
            "findings": findings,
            "note": spec.note,
            "provenance": spec.provenance,
        }),
    )?;
    Ok((number, findings))
}

/// Creates an asset for a brief the actor can see, with its audit entry.
pub(crate) fn create_asset(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    brief: &BriefRecord,
    access: &Access,
    spec: &AssetSpec,
) -> Result<AssetId> {
    access.require(CREATES_ASSETS, "creating an asset")?;
    let channel = spec
        .channel
        .clone()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| brief.content.channel.clone());
    if channel.trim().is_empty() {
        return Err(ServiceError::Invalid(format!(
            "brief {} names no channel: give the asset one with --channel",
            brief.id
        )));
    }
    let id = tx.insert_asset(&NewAsset {
        brand: brief.brand_id,
        brief: brief.id,
        title: &spec.title,
        kind: spec.kind,
        channel: &channel,
        locale: &spec.locale,
        personalised: spec.personalised,
        created_by: access.user.id,
        at: ctx.now,
    })?;
    record(
        tx,
        ctx,
        access.actor_name(),
        Some(&access.brand.slug),
        "asset.created",
        format!("asset:{id}"),
        serde_json::json!({
            "brief": brief.id, "title": spec.title, "kind": spec.kind, "channel": channel,
            "locale": spec.locale, "personalised": spec.personalised,
        }),
    )?;
    Ok(id)
}

/// Moves an asset by an action that leaves it waiting for nobody, with its audit entry.
pub(crate) fn settle(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    asset: &Asset,
    access: &Access,
    action: Action,
    audit_action: &str,
    details: serde_json::Value,
) -> Result<AssetState> {
    let state = transition(asset.id, asset.state, action)?;
    tx.update_asset(
        asset.id,
        &AssetUpdate::settled(state, asset.current_version),
    )?;
    record(
        tx,
        ctx,
        access.actor_name(),
        Some(&access.brand.slug),
        audit_action,
        format!("asset:{}", asset.id),
        details,
    )?;
    Ok(state)
}

impl Service {
    /// A version's text before anything is written: not empty, within the size limit.
    fn check_version_text(&self, spec: &VersionSpec<'_>) -> Result<()> {
        if spec.text.trim().is_empty() {
            return Err(ServiceError::Invalid("the version text is empty".into()));
        }
        self.config.check_text_size("the version text", spec.text)
    }

    /// Creates an asset from a brief, with its first version when `first` is given.
    pub fn asset_new(
        &mut self,
        actor: impl Into<Actor>,
        brief: BriefId,
        spec: &AssetSpec,
        first: Option<&VersionSpec<'_>>,
    ) -> Result<AssetId> {
        let actor: Actor = actor.into();
        if spec.title.trim().is_empty() {
            return Err(ServiceError::Invalid("an asset needs a title".into()));
        }
        if let Some(first) = first {
            self.check_version_text(first)?;
        }
        // one transaction: an asset whose first version is refused is not left behind
        self.write(|tx, ctx| {
            let (brief, access) = visible_brief(tx, &actor, brief)?;
            let id = create_asset(tx, ctx, &brief, &access, spec)?;
            if let Some(first) = first {
                let (asset, access) = visible_asset(tx, &actor, id)?;
                access.require(WRITES_VERSIONS, "adding a version")?;
                append_version(tx, ctx, &asset, &access, first, None)?;
            }
            Ok(id)
        })
    }

    pub fn asset_show(&mut self, actor: impl Into<Actor>, id: AssetId) -> Result<AssetView> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            let brief_title = tx
                .brief(asset.brief_id)?
                .map(|b| b.content.title)
                .unwrap_or_default();
            let current = tx.history(id, None, 1)?.into_iter().next();
            let review = tx.latest_review(id)?;
            let comments = tx.comments(id)?;
            Ok(AssetView {
                brand: access.brand.slug,
                asset,
                brief_title,
                current,
                review,
                comments,
            })
        })
    }

    pub fn asset_list(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        state: Option<AssetState>,
        after: Option<AssetId>,
        limit: u32,
    ) -> Result<Vec<Asset>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let access = member_by_slug(tx, &actor, brand)?;
            Ok(tx.assets(access.brand.id, state, after, limit)?)
        })
    }

    /// Newest first; `before` pages back through older versions.
    pub fn asset_history(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
        before: Option<u32>,
        limit: u32,
    ) -> Result<Vec<VersionSummary>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            visible_asset(tx, &actor, id)?;
            Ok(tx.history(id, before, limit)?)
        })
    }

    /// One version; the current one when `number` is none.
    pub fn version_show(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
        number: Option<u32>,
    ) -> Result<Version> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let (asset, _) = visible_asset(tx, &actor, id)?;
            load_version(tx, &asset, number.unwrap_or(asset.current_version))
        })
    }

    /// The difference between two versions (`to` defaults to the current one).
    pub fn asset_diff(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
        from: u32,
        to: Option<u32>,
        granularity: Granularity,
    ) -> Result<Diff> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let (asset, _) = visible_asset(tx, &actor, id)?;
            let old = load_version(tx, &asset, from)?;
            let new = load_version(tx, &asset, to.unwrap_or(asset.current_version))?;
            Ok(diff::diff(&old.text, &new.text, granularity))
        })
    }

    pub fn version_add(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
        spec: &VersionSpec<'_>,
    ) -> Result<u32> {
        let actor: Actor = actor.into();
        self.check_version_text(spec)?;
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            access.require(WRITES_VERSIONS, "adding a version")?;
            append_version(tx, ctx, &asset, &access, spec, None).map(|(number, _)| number)
        })
    }

    /// Makes a new version whose text is an old one's; history itself is never changed.
    pub fn asset_revert(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
        to: u32,
        note: &str,
    ) -> Result<u32> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            access.require(WRITES_VERSIONS, "reverting")?;
            let old = load_version(tx, &asset, to)?;
            if to == asset.current_version {
                return Err(ServiceError::Invalid(format!(
                    "version {to} is already the current version of asset {id}"
                )));
            }
            let note = if note.trim().is_empty() {
                format!("revert to version {to}")
            } else {
                note.to_string()
            };
            let spec = VersionSpec {
                text: &old.text,
                author: AuthorSpec::Human,
                note: &note,
                provenance: None,
            };
            append_version(tx, ctx, &asset, &access, &spec, Some(to)).map(|(number, _)| number)
        })
    }

    pub fn asset_archive(&mut self, actor: impl Into<Actor>, id: AssetId) -> Result<AssetState> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            access.require(ARCHIVES, "archiving")?;
            let from = asset.state;
            settle(
                tx,
                ctx,
                &asset,
                &access,
                Action::Archive,
                "asset.archived",
                serde_json::json!({"from": from}),
            )
        })
    }
}
