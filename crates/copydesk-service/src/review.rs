//! Risk routing, review rounds, decisions, comments, spot-check samples and publishing.

use copydesk_core::account::WebhookEvent;
use copydesk_core::asset::{quote, Asset};
use copydesk_core::review::{
    decide, transition, Action, Contribution, DecisionRequest, Review, StageDecision,
};
use copydesk_core::risk::{assess, RiskInputs, Routing, Tier};
use copydesk_core::{sampling, AssetId, BrandId, CommentId, Decision, ReasonCode, Role};
use copydesk_store::{
    due_key, AssetUpdate, LineageEntry, NewComment, NewReview, QueueCursor, SpotCheckSample, Tx,
};

use crate::access::{in_brand, member_by_slug, memberships, resolve, Access, Actor};
use crate::assets::{load_version, settle, visible_asset};
use crate::audit::record;
use crate::webhooks::{emit, Event};
use crate::{
    Ctx, DecisionResult, LoadedPolicy, QueueEntry, QueuePage, Result, RiskExplanation, Service,
    ServiceError, SubmitOutcome,
};

const SUBMITS: &[Role] = &[Role::Strategist, Role::Editor, Role::PromptEngineer];
const PUBLISHES: &[Role] = &[Role::Strategist, Role::Editor, Role::BrandLead];

fn risk_inputs(tx: &mut dyn Tx, asset: &Asset) -> Result<RiskInputs> {
    let brief = tx.brief(asset.brief_id)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "brief {} of asset {} is missing",
            asset.brief_id, asset.id
        ))
    })?;
    let findings = if asset.current_version > 0 {
        load_version(tx, asset, asset.current_version)?.findings
    } else {
        Default::default()
    };
    Ok(RiskInputs {
        kind: asset.kind,
        channel: asset.channel.clone(),
        reach: brief.content.reach,
        topics: brief.content.regulated_topics.clone(),
        collaboration_model: brief.content.collaboration_model,
        findings,
        personalised: asset.personalised,
    })
}

fn route(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    asset: &Asset,
    access: &Access,
) -> Result<(LoadedPolicy, RiskInputs, Routing)> {
    let policy = ctx.kits.policy(&access.brand.kit)?;
    let inputs = risk_inputs(tx, asset)?;
    let routing = assess(&policy.policy, &inputs);
    Ok((policy, inputs, routing))
}

/// Everyone who wrote the reviewed version or one of its ancestors.
fn contributions(lineage: &[LineageEntry], version: u32) -> Vec<Contribution> {
    let mut out = Vec::new();
    let mut next = Some(version);
    // a parent always has a smaller number, so this walk ends
    while let Some(number) = next {
        let Some(entry) = lineage.iter().find(|e| e.number == number) else {
            break;
        };
        out.push(Contribution {
            person: entry.author.person().clone(),
            version: entry.number,
            via_model: matches!(entry.author, copydesk_core::asset::Author::Model { .. }),
        });
        next = entry.parent.filter(|p| *p < number);
    }
    out
}

fn author_ids(contributions: &[Contribution]) -> Vec<copydesk_core::UserId> {
    let mut ids: Vec<_> = contributions.iter().map(|c| c.person.id).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Submits the current version of an asset (see [`Service::review_submit`]). With
/// `escalate_spot_check`, a spot-check tier becomes a single review instead of an
/// auto-approval.
pub(crate) fn submit(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    actor: &Actor,
    id: AssetId,
    escalate_spot_check: bool,
) -> Result<SubmitOutcome> {
    let (asset, access) = visible_asset(tx, actor, id)?;
    access.require(SUBMITS, "submitting for review")?;
    let in_review = transition(asset.id, asset.state, Action::Submit)?;
    if asset.current_version == 0 {
        return Err(ServiceError::Rule(
            copydesk_core::review::RuleError::Invalid(format!(
                "asset {id} has no version to review: add one first"
            )),
        ));
    }
    let (policy, _, mut routing) = route(tx, ctx, &asset, &access)?;
    if escalate_spot_check && routing.tier == Tier::SpotCheck {
        // agent output with findings at warning level or above is never auto-approved
        routing.tier = Tier::Single;
        routing.stages = policy.policy.tiers.single_stages.clone();
    }
    let review = tx.insert_review(&NewReview {
        asset: id,
        version: asset.current_version,
        tier: routing.tier,
        score: routing.score,
        stages: &routing.stages,
        submitted_by: access.user.id,
        at: ctx.now,
        policy_digest: &policy.digest,
    })?;
    let subject = format!("asset:{id}");
    let brand = Some(access.brand.slug.as_str());
    record(
        tx,
        ctx,
        actor.name(),
        brand,
        "review.requested",
        subject.clone(),
        serde_json::json!({
            "review": review, "version": asset.current_version, "score": routing.score,
            "tier": routing.tier, "stages": routing.stages,
            "gates": routing.gates.iter().map(|g| &g.name).collect::<Vec<_>>(),
            "policy_sha256": policy.digest,
        }),
    )?;
    let brief = tx.brief(asset.brief_id)?;
    let due = due_key(brief.and_then(|b| b.content.deadline));
    let (state, sample) = if routing.tier == Tier::SpotCheck {
        let approved = transition(asset.id, in_review, Action::AutoApprove)?;
        let spot = &policy.policy.spot_check;
        let draw = sampling::draw(&spot.seed, id, asset.current_version, spot.sample_rate);
        let sample = SpotCheckSample {
            asset: id,
            review,
            brand: asset.brand_id,
            seed: draw.seed.clone(),
            draw: draw.value,
            rate: draw.rate,
            sampled: draw.sampled,
            at: ctx.now,
        };
        tx.insert_sample(&sample)?;
        tx.update_asset(id, &AssetUpdate::settled(approved, asset.current_version))?;
        record(
            tx,
            ctx,
            actor.name(),
            brand,
            "asset.approved",
            subject,
            serde_json::json!({
                "review": review, "version": asset.current_version, "by": "policy:spot_check",
                "draw": draw.value, "rate": draw.rate, "seed": draw.seed, "sampled": draw.sampled,
            }),
        )?;
        (approved, Some(sample))
    } else {
        let first = routing.stages.first().copied();
        let lineage = tx.lineage(id)?;
        tx.update_asset(
            id,
            &AssetUpdate {
                state: in_review,
                current_version: asset.current_version,
                pending_role: first,
                due,
                review_authors: author_ids(&contributions(&lineage, asset.current_version)),
            },
        )?;
        (in_review, None)
    };
    let event = |kind, details| Event {
        kind,
        brand: &access.brand,
        asset: &asset,
        state,
        version: asset.current_version,
        actor: actor.name(),
        details,
    };
    emit(
        tx,
        ctx,
        event(
            WebhookEvent::ReviewRequested,
            serde_json::json!({"review": review, "tier": routing.tier, "stages": routing.stages}),
        ),
    )?;
    if sample.is_some() {
        emit(
            tx,
            ctx,
            event(
                WebhookEvent::AssetApproved,
                serde_json::json!({"review": review, "auto_approved": true}),
            ),
        )?;
    }
    Ok(SubmitOutcome {
        review,
        version: asset.current_version,
        routing,
        state,
        sample,
    })
}

impl Service {
    pub fn risk_explain(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
    ) -> Result<RiskExplanation> {
        let actor: Actor = actor.into();
        self.read(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            let (policy, inputs, routing) = route(tx, ctx, &asset, &access)?;
            Ok(RiskExplanation {
                policy: policy.path,
                inputs,
                routing,
            })
        })
    }

    /// Submits the current version: scores it, picks the tier and stages, and either opens a
    /// review round or (spot-check) auto-approves it and records the sample draw.
    pub fn review_submit(&mut self, actor: impl Into<Actor>, id: AssetId) -> Result<SubmitOutcome> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| submit(tx, ctx, &actor, id, false))
    }

    /// Approves, requests changes or rejects the pending stage of an asset's review.
    /// Approving needs `proud`: the explicit answer to "would we be proud to have this
    /// represent the brand?".
    pub fn review_decide(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
        decision: Decision,
        reason: Option<ReasonCode>,
        comment: &str,
        proud: bool,
    ) -> Result<DecisionResult> {
        let actor: Actor = actor.into();
        if decision == Decision::Approve && !proud {
            return Err(ServiceError::Invalid(
                "before approving, answer: would we be proud to have this represent the brand? (confirm with --proud, or \"proud\": true over the API)".into(),
            ));
        }
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            let review = tx.latest_review(id)?;
            let Some(review) = review else {
                // no round yet: the state machine explains why
                transition(asset.id, asset.state, Action::for_decision(decision, false))?;
                return Err(ServiceError::NotFound(format!("asset {id} has no review")));
            };
            let lineage = tx.lineage(id)?;
            let contributed = contributions(&lineage, review.version);
            let outcome = decide(&asset, &review, &contributed, &DecisionRequest {
                decision,
                actor: &access.user.as_ref(),
                actor_roles: &access.roles,
                reason,
                brand: &access.brand.slug,
            })?;
            tx.insert_decision(review.id, &StageDecision {
                stage: outcome.stage,
                role: outcome.role,
                decision,
                by: access.user.as_ref(),
                reason,
                comment: comment.to_string(),
                at: ctx.now,
            })?;
            let due = if outcome.next_role.is_some() {
                due_key(tx.brief(asset.brief_id)?.and_then(|b| b.content.deadline))
            } else {
                due_key(None)
            };
            let review_authors = if outcome.next_role.is_some() { author_ids(&contributed) } else { Vec::new() };
            tx.update_asset(id, &AssetUpdate {
                state: outcome.new_state,
                current_version: asset.current_version,
                pending_role: outcome.next_role,
                due,
                review_authors,
            })?;
            let subject = format!("asset:{id}");
            let brand = Some(access.brand.slug.as_str());
            record(tx, ctx, actor.name(), brand, "review.decided", subject.clone(), serde_json::json!({
                "review": review.id, "version": review.version, "stage": outcome.stage + 1,
                "role": outcome.role, "decision": decision, "reason": reason, "comment": comment,
                "proud": decision == Decision::Approve,
            }))?;
            let event = |kind, details| Event {
                kind,
                brand: &access.brand,
                asset: &asset,
                state: outcome.new_state,
                version: review.version,
                actor: actor.name(),
                details,
            };
            emit(tx, ctx, event(WebhookEvent::ReviewDecided, serde_json::json!({
                "review": review.id,
                "decision": {
                    "stage": outcome.stage + 1, "stages": review.stages.len(), "role": outcome.role,
                    "decision": decision, "reason": reason,
                },
            })))?;
            if outcome.new_state == copydesk_core::AssetState::Approved {
                record(tx, ctx, actor.name(), brand, "asset.approved", subject, serde_json::json!({
                    "review": review.id, "version": review.version, "stages": review.stages,
                }))?;
                emit(tx, ctx, event(WebhookEvent::AssetApproved, serde_json::json!({
                    "review": review.id, "auto_approved": false,
                })))?;
            }
            Ok(DecisionResult {
                stage: outcome.stage + 1,
                stages: review.stages.len() as u32,
                role: outcome.role,
                state: outcome.new_state,
                next_role: outcome.next_role,
            })
        })
    }

    /// Comments on a version (the current one by default), optionally anchored to a
    /// character range whose text is kept with the comment.
    pub fn review_comment(
        &mut self,
        actor: impl Into<Actor>,
        id: AssetId,
        version: Option<u32>,
        range: Option<(u32, u32)>,
        body: &str,
    ) -> Result<CommentId> {
        let actor: Actor = actor.into();
        if body.trim().is_empty() {
            return Err(ServiceError::Invalid("the comment is empty".into()));
        }
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            let number = version.unwrap_or(asset.current_version);
            let v = load_version(tx, &asset, number)?;
            let quoted = match range {
                Some((start, end)) => quote(&v.text, start, end).map_err(|e| {
                    ServiceError::Invalid(format!("version {number} of asset {id}: {e}"))
                })?,
                None => String::new(),
            };
            let comment = tx.insert_comment(&NewComment {
                asset: id,
                version: number,
                range,
                quote: &quoted,
                body,
                by: access.user.id,
                at: ctx.now,
            })?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "comment.added",
                format!("asset:{id}"),
                serde_json::json!({
                    "comment": comment, "version": number, "range": range, "quote": quoted,
                }),
            )?;
            Ok(comment)
        })
    }

    /// What waits for the actor: assets whose pending stage is one of their roles, in every
    /// brand they belong to (or one), soonest due first.
    pub fn review_queue(
        &mut self,
        actor: impl Into<Actor>,
        brand: Option<&str>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<QueuePage> {
        let actor: Actor = actor.into();
        let cursor = after.map(parse_cursor).transpose()?;
        self.read(|tx, _| {
            let user = resolve(tx, &actor)?;
            let only = match brand {
                Some(slug) => Some(in_brand(tx, &actor, user.clone(), slug)?.brand.id),
                None => None,
            };
            let mut slugs: Vec<(BrandId, String)> = Vec::new();
            let mut items: Vec<QueueEntry> = Vec::new();
            // an asset waits for one role in one brand, so the per-role pages never overlap
            for m in memberships(tx, &actor, &user)? {
                if only.is_some_and(|b| b != m.brand) {
                    continue;
                }
                let slug = match slugs.iter().find(|(id, _)| *id == m.brand) {
                    Some((_, slug)) => slug.clone(),
                    None => {
                        let slug = tx.brand(m.brand)?.map(|b| b.slug).unwrap_or_default();
                        slugs.push((m.brand, slug.clone()));
                        slug
                    }
                };
                for item in tx.queue(m.brand, m.role, cursor.as_ref(), limit)? {
                    items.push(QueueEntry {
                        brand_slug: slug.clone(),
                        authored_by_you: item.review_authors.contains(&user.id),
                        item,
                    });
                }
            }
            items.sort_by_key(|e| e.item.cursor());
            items.truncate(limit as usize);
            let next = if items.len() == limit as usize {
                items.last().map(|e| format_cursor(&e.item.cursor()))
            } else {
                None
            };
            Ok(QueuePage { items, next })
        })
    }

    /// Auto-approved assets that the spot-check draw sampled for a human audit.
    pub fn review_samples(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        limit: u32,
    ) -> Result<Vec<SpotCheckSample>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let access = member_by_slug(tx, &actor, brand)?;
            Ok(tx.samples(access.brand.id, None, limit)?)
        })
    }

    /// Every review round of an asset, oldest first.
    pub fn review_rounds(&mut self, actor: impl Into<Actor>, id: AssetId) -> Result<Vec<Review>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            visible_asset(tx, &actor, id)?;
            Ok(tx.reviews(id)?)
        })
    }

    pub fn publish(&mut self, actor: impl Into<Actor>, id: AssetId) -> Result<u32> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, id)?;
            access.require(PUBLISHES, "publishing")?;
            let details = serde_json::json!({"version": asset.current_version});
            let state = settle(
                tx,
                ctx,
                &asset,
                &access,
                Action::Publish,
                "asset.published",
                details,
            )?;
            emit(
                tx,
                ctx,
                Event {
                    kind: WebhookEvent::AssetPublished,
                    brand: &access.brand,
                    asset: &asset,
                    state,
                    version: asset.current_version,
                    actor: actor.name(),
                    details: serde_json::Value::Null,
                },
            )?;
            Ok(asset.current_version)
        })
    }
}

fn format_cursor(c: &QueueCursor) -> String {
    format!("{}~{}", c.due, c.asset)
}

fn parse_cursor(text: &str) -> Result<QueueCursor> {
    let bad = || {
        ServiceError::Invalid(format!(
            "'{text}' is not a queue cursor (pass back the `next` value of the previous page)"
        ))
    };
    let (due, asset) = text.split_once('~').ok_or_else(bad)?;
    Ok(QueueCursor {
        due: due.parse().map_err(|_| bad())?,
        asset: AssetId(asset.parse().map_err(|_| bad())?),
    })
}
