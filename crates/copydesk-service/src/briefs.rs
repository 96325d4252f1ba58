//! Briefs and the source material attached to them.

use copydesk_core::brief::{self, BriefContent, BriefRecord, Gap, Source};
use copydesk_core::{BriefId, Role, SourceKind};
use copydesk_store::{NewSource, Tx};

use crate::access::{member, member_by_slug, Access, Actor};
use crate::audit::record;
use crate::{BriefView, Result, Service, ServiceError};

const WRITES_BRIEFS: &[Role] = &[Role::Strategist];
const ADDS_SOURCES: &[Role] = &[Role::Strategist, Role::Editor];

/// Loads a brief the actor can see; briefs of other brands are "not found".
pub(crate) fn visible_brief(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: BriefId,
) -> Result<(BriefRecord, Access)> {
    let missing = || format!("no brief {id}");
    let brief = tx
        .brief(id)?
        .ok_or_else(|| ServiceError::NotFound(missing()))?;
    let access = member(tx, actor, brief.brand_id, missing)?;
    Ok((brief, access))
}

impl Service {
    pub fn brief_new(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        content: &BriefContent,
    ) -> Result<BriefId> {
        let actor: Actor = actor.into();
        if content.title.trim().is_empty() {
            return Err(ServiceError::Invalid("a brief needs a title".into()));
        }
        self.write(|tx, ctx| {
            let access = member_by_slug(tx, &actor, brand)?;
            access.require(WRITES_BRIEFS, "writing a brief")?;
            let id = tx.insert_brief(access.brand.id, content, access.user.id, ctx.now)?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "brief.created",
                format!("brief:{id}"),
                serde_json::json!({"version": 1, "title": content.title}),
            )?;
            Ok(id)
        })
    }

    /// Saves a new version of a brief; returns its number.
    pub fn brief_edit(
        &mut self,
        actor: impl Into<Actor>,
        id: BriefId,
        content: &BriefContent,
    ) -> Result<u32> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let (brief, access) = visible_brief(tx, &actor, id)?;
            access.require(WRITES_BRIEFS, "editing a brief")?;
            if &brief.content == content {
                return Err(ServiceError::Invalid(format!(
                    "brief {id} is unchanged: version {} already says this",
                    brief.version
                )));
            }
            let number = brief.version + 1;
            tx.insert_brief_version(id, number, content, access.user.id, ctx.now)?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "brief.edited",
                format!("brief:{id}"),
                serde_json::json!({"version": number}),
            )?;
            Ok(number)
        })
    }

    /// A brief with its sources and completeness gaps; an older version when asked.
    pub fn brief_show(
        &mut self,
        actor: impl Into<Actor>,
        id: BriefId,
        version: Option<u32>,
    ) -> Result<BriefView> {
        let actor: Actor = actor.into();
        self.read(|tx, ctx| {
            let (mut brief, access) = visible_brief(tx, &actor, id)?;
            if let Some(number) = version {
                brief.content = tx.brief_version(id, number)?.ok_or_else(|| {
                    ServiceError::NotFound(format!(
                        "brief {id} has no version {number} (latest is {})",
                        brief.version
                    ))
                })?;
                brief.version = number;
            }
            let sources = tx.sources(id)?;
            let gaps = brief::check(&brief.content, sources.len(), &ctx.config.brief_check);
            Ok(BriefView {
                brand: access.brand.slug,
                brief,
                sources,
                gaps,
            })
        })
    }

    /// The completeness gate: empty when the brief is complete enough to write from.
    pub fn brief_check(&mut self, actor: impl Into<Actor>, id: BriefId) -> Result<Vec<Gap>> {
        let actor: Actor = actor.into();
        Ok(self.brief_show(&actor, id, None)?.gaps)
    }

    /// The completeness gate on brief content not yet saved (an editor's live feedback):
    /// a new brief's in `brand`, or an edit of `existing`, whose attached sources count.
    pub fn brief_check_draft(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        existing: Option<BriefId>,
        content: &BriefContent,
    ) -> Result<Vec<Gap>> {
        let actor: Actor = actor.into();
        self.read(|tx, ctx| {
            let sources = match existing {
                Some(id) => {
                    visible_brief(tx, &actor, id)?;
                    tx.sources(id)?.len()
                }
                None => {
                    member_by_slug(tx, &actor, brand)?;
                    0
                }
            };
            Ok(brief::check(content, sources, &ctx.config.brief_check))
        })
    }

    pub fn brief_list(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        after: Option<BriefId>,
        limit: u32,
    ) -> Result<Vec<BriefRecord>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let access = member_by_slug(tx, &actor, brand)?;
            Ok(tx.briefs(access.brand.id, after, limit)?)
        })
    }

    pub fn source_add(
        &mut self,
        actor: impl Into<Actor>,
        brief: BriefId,
        kind: SourceKind,
        origin: &str,
        text: &str,
    ) -> Result<copydesk_core::SourceId> {
        let actor: Actor = actor.into();
        if text.trim().is_empty() {
            return Err(ServiceError::Invalid("source material is empty".into()));
        }
        if origin.trim().is_empty() {
            return Err(ServiceError::Invalid(
                "say where the source material comes from (its origin)".into(),
            ));
        }
        self.config.check_text_size("the source text", text)?;
        self.write(|tx, ctx| {
            let (_, access) = visible_brief(tx, &actor, brief)?;
            access.require(ADDS_SOURCES, "attaching source material")?;
            let id = tx.insert_source(&NewSource {
                brief,
                kind,
                origin,
                text,
                added_by: access.user.id,
                at: ctx.now,
            })?;
            record(tx, ctx, actor.name(), Some(&access.brand.slug), "source.added", format!("brief:{brief}"), serde_json::json!({"source": id, "kind": kind, "origin": origin, "chars": text.chars().count()}))?;
            Ok(id)
        })
    }

    pub fn source_list(&mut self, actor: impl Into<Actor>, brief: BriefId) -> Result<Vec<Source>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            visible_brief(tx, &actor, brief)?;
            Ok(tx.sources(brief)?)
        })
    }
}
