//! AI assistance as workflow operations: generating from a complete brief (through a
//! configured model or the offline assistant), repurposing an asset, the prompt library's
//! active versions, and where each output lands by collaboration model.
//!
//! An operation reads what it needs in one transaction, calls the model with no transaction
//! open (a model call takes seconds), then saves the output in a second transaction. A
//! failed or cancelled call therefore saves nothing.

use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use copydesk_assist::privacy;
use copydesk_assist::prompt::{
    self, ComposedPrompt, KitVoice, PromptRequest, PromptTask, RepurposeInput, SourceText, Template,
};
use copydesk_assist::{outline, repurpose, variants};
use copydesk_core::asset::{Asset, FindingCounts};
use copydesk_core::brief::{self, BriefRecord, Source};
use copydesk_core::policy::AiPolicy;
use copydesk_core::provenance::{AssistantLabel, BriefNote, PromptActivation, Provenance};
use copydesk_core::{
    AssetId, AssetKind, AssetState, BriefId, CollaborationModel, DraftTask, Lever, PiiAction,
    RepurposeTarget, Role,
};
use copydesk_provider::{cost, Cancel, ChatModel, ChatRequest, Locality, Message};
use copydesk_store::{NewActivation, NewBriefNote, Tx};

use crate::access::{member_by_slug, Access, Actor};
use crate::assets::{
    append_version, create_asset, visible_asset, AssetSpec, AuthorSpec, VersionSpec,
};
use crate::audit::record;
use crate::briefs::visible_brief;
use crate::review::submit;
use crate::{Ctx, Result, Service, ServiceError, SubmitOutcome};

const GENERATES: &[Role] = &[Role::Strategist, Role::Editor, Role::PromptEngineer];
const ACTIVATES_PROMPTS: &[Role] = &[Role::PromptEngineer];
const READS_PROMPTS: &[Role] = &[
    Role::Strategist,
    Role::Editor,
    Role::Compliance,
    Role::BrandLead,
    Role::PromptEngineer,
];

/// The name and model the offline assistant records in provenance.
pub const OFFLINE_PROVIDER: &str = "copydesk";
pub const OFFLINE_MODEL: &str = "offline-assistant";

/// A configured model and the brands it serves (empty: every brand).
#[derive(Clone)]
pub struct ProviderEntry {
    pub brands: Vec<String>,
    pub model: Arc<dyn ChatModel>,
}

impl std::fmt::Debug for ProviderEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderEntry")
            .field("name", &self.model.name())
            .field("model", &self.model.model())
            .field("brands", &self.brands)
            .finish()
    }
}

/// What to generate from a brief.
#[derive(Debug, Clone)]
pub struct DraftRequest {
    pub brief: BriefId,
    pub task: Option<DraftTask>,
    pub lever: Option<Lever>,
    pub hypothesis: Option<String>,
    pub count: usize,
    /// A provider by name; the brand's first configured provider otherwise, and the offline
    /// assistant when none is configured.
    pub provider: Option<String>,
    /// Force the offline assistant even when a provider is configured.
    pub offline: bool,
    /// Add the output as a new version of this asset instead of creating one.
    pub asset: Option<AssetId>,
    /// Kind of the asset created (default: from the brief's channel).
    pub kind: Option<AssetKind>,
    pub title: Option<String>,
}

impl DraftRequest {
    /// A draft of `brief` with every option at its default.
    pub fn new(brief: BriefId) -> DraftRequest {
        DraftRequest {
            brief,
            task: None,
            lever: None,
            hypothesis: None,
            count: 5,
            provider: None,
            offline: false,
            asset: None,
            kind: None,
            title: None,
        }
    }
}

/// What to repurpose, and for where.
#[derive(Debug, Clone)]
pub struct RepurposeRequest {
    pub asset: AssetId,
    pub to: RepurposeTarget,
    pub provider: Option<String>,
    pub offline: bool,
}

/// Where generated text was saved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "saved_as", rename_all = "snake_case")]
pub enum Saved {
    /// `advisor`: a note on the brief.
    BriefNote { brief: BriefId, note: i64 },
    /// `producer` or `agent`: a version of an asset.
    Version {
        asset: AssetId,
        version: u32,
        state: AssetState,
        findings: FindingCounts,
    },
}

/// The outcome of a generation, for the CLI and the API alike.
#[derive(Debug, Clone, Serialize)]
pub struct AssistOutcome {
    pub saved: Saved,
    pub collaboration_model: CollaborationModel,
    pub text: String,
    pub provenance: Provenance,
    /// For `agent` output: the review it was submitted to (auto-approved or routed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<SubmitOutcome>,
}

/// A task's template versions in a brand and which one is active.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateListing {
    pub task: PromptTask,
    pub active: String,
    pub versions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activated: Option<PromptActivation>,
}

/// Everything read in the first transaction of a generation.
struct Prepared {
    brief: BriefRecord,
    access: Access,
    model: CollaborationModel,
    ai: AiPolicy,
    kit: KitVoice,
    sources: Vec<SourceText>,
    template: Template,
    asset: Option<Asset>,
}

fn source_texts(sources: &[Source]) -> Vec<SourceText> {
    sources
        .iter()
        .map(|s| SourceText {
            id: format!("S{}", s.id.0),
            kind: s.kind.as_str().to_string(),
            origin: s.origin.clone(),
            text: s.text.clone(),
        })
        .collect()
}

fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The active template of a task in a brand: the activated kit version (refused if its
/// file changed since activation), or the built-in one.
fn active_template(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    access: &Access,
    task: PromptTask,
) -> Result<Template> {
    let activation = tx
        .activations(access.brand.id)?
        .into_iter()
        .find(|a| a.task == task.as_str());
    let Some(activation) = activation else {
        return Ok(Template::builtin(task));
    };
    if activation.version == prompt::BUILTIN_VERSION {
        return Ok(Template::builtin(task));
    }
    let template = ctx
        .kits
        .templates(&access.brand.kit, task)?
        .into_iter()
        .find(|t| t.version == activation.version)
        .ok_or_else(|| {
            ServiceError::Invalid(format!(
                "the active {task} template, version {}, is no longer in the brand kit ({}); activate another with `copydesk prompt activate`",
                activation.version, activation.origin
            ))
        })?;
    if digest(&template.source) != activation.digest {
        return Err(ServiceError::Invalid(format!(
            "{} changed after it was activated by {}: a prompt engineer must review and activate it again (`copydesk prompt activate --brand {} --task {task} --version {}`)",
            template.origin, activation.by.name, access.brand.slug, activation.version
        )));
    }
    Ok(template)
}

/// Reads and checks everything a generation needs; refuses an incomplete brief.
fn prepare(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    actor: &Actor,
    brief_id: BriefId,
    task: PromptTask,
    asset: Option<AssetId>,
) -> Result<Prepared> {
    let (brief, access) = visible_brief(tx, actor, brief_id)?;
    access.require(GENERATES, "generating text")?;
    let sources = tx.sources(brief.id)?;
    let gaps = brief::check(&brief.content, sources.len(), &ctx.config.brief_check);
    if !gaps.is_empty() {
        return Err(ServiceError::BriefIncomplete {
            brief: brief.id,
            gaps,
        });
    }
    let model = brief
        .content
        .collaboration_model
        .unwrap_or(CollaborationModel::Producer);
    let policy = ctx.kits.policy(&access.brand.kit)?;
    let mut kit = ctx.kits.voice(&access.brand.kit)?;
    kit.brand = access.brand.name.clone();
    let template = active_template(tx, ctx, &access, task)?;
    let asset = match asset {
        Some(id) => {
            let (asset, _) = visible_asset(tx, actor, id)?;
            if asset.brief_id != brief.id {
                return Err(ServiceError::Invalid(format!(
                    "asset {id} belongs to brief {}, not brief {}",
                    asset.brief_id, brief.id
                )));
            }
            Some(asset)
        }
        None => None,
    };
    Ok(Prepared {
        brief,
        access,
        model,
        ai: policy.policy.ai,
        kit,
        sources: source_texts(&sources),
        template,
        asset,
    })
}

fn kind_for_channel(channel: &str) -> AssetKind {
    let c = channel.to_ascii_lowercase();
    match c.as_str() {
        "email" | "newsletter" => AssetKind::Email,
        "linkedin" | "x" | "twitter" | "social" | "instagram" | "facebook" => AssetKind::SocialPost,
        "ad" | "ads" | "paid" => AssetKind::Ad,
        "landing_page" | "landing" | "web" => AssetKind::LandingPage,
        "press" | "press_release" => AssetKind::PressRelease,
        "video" => AssetKind::VideoScript,
        "release_notes" => AssetKind::ReleaseNotes,
        "report" => AssetKind::Report,
        "seo" | "seo_page" => AssetKind::SeoPage,
        _ => AssetKind::Blog,
    }
}

fn kind_for_target(target: RepurposeTarget) -> AssetKind {
    match target {
        RepurposeTarget::Linkedin | RepurposeTarget::XThread => AssetKind::SocialPost,
        RepurposeTarget::Email => AssetKind::Email,
        RepurposeTarget::ReleaseNotes => AssetKind::ReleaseNotes,
        RepurposeTarget::BlogOutline => AssetKind::Blog,
    }
}

/// Refuses `agent` for asset kinds the policy does not mark agent-eligible.
fn check_agent(model: CollaborationModel, kind: AssetKind, ai: &AiPolicy) -> Result<()> {
    if model == CollaborationModel::Agent && !ai.agent_kinds.contains(&kind) {
        let allowed = if ai.agent_kinds.is_empty() {
            "none".to_string()
        } else {
            ai.agent_kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(ServiceError::Forbidden(format!(
            "the agent collaboration model may not write a {kind} for this brand (agent-eligible kinds in policy.toml [ai] agent_kinds: {allowed}); use producer, or ask the brand lead to change the policy"
        )));
    }
    Ok(())
}

/// The model's answer, or the offline assistant's, with how it was made.
struct Generated {
    text: String,
    provenance: Provenance,
}

/// Checks the composed prompt for personal data: for an external provider the policy
/// blocks or redacts; a local provider may receive it. Returns the messages to send and how
/// many values were redacted.
fn guard_prompt(
    composed: &ComposedPrompt,
    model: &dyn ChatModel,
    ai: &AiPolicy,
) -> Result<(String, String, usize)> {
    let scan = |text: &str| {
        privacy::scan(text).ok_or_else(|| {
            ServiceError::Invalid(
                "the privacy check could not run (built-in rules failed to compile); nothing was sent".into(),
            )
        })
    };
    let in_system = scan(&composed.system)?;
    let in_user = scan(&composed.user)?;
    if model.locality() == Locality::Local || (in_system.is_empty() && in_user.is_empty()) {
        return Ok((composed.system.clone(), composed.user.clone(), 0));
    }
    match ai.external_pii {
        PiiAction::Block => {
            let found = in_system
                .into_iter()
                .map(|p| ("system", p))
                .chain(in_user.into_iter().map(|p| ("user", p)))
                .collect();
            Err(ServiceError::PrivacyBlocked {
                provider: model.name().to_string(),
                found,
            })
        }
        PiiAction::Redact => Ok((
            privacy::redact(&composed.system, &in_system),
            privacy::redact(&composed.user, &in_user),
            in_system.len() + in_user.len(),
        )),
    }
}

/// One generation: what to make, from what, and how provenance names it.
struct Job<'a> {
    prepared: &'a Prepared,
    task: PromptTask,
    /// The task as provenance records it ("draft", "repurpose:x_thread").
    label: String,
    lever: Option<Lever>,
    hypothesis: Option<&'a str>,
    count: usize,
    repurpose: Option<RepurposeInput<'a>>,
    /// Sources known before generating (the repurposed asset).
    sources: Vec<String>,
}

impl Job<'_> {
    fn compose(&self) -> Result<ComposedPrompt> {
        let prepared = self.prepared;
        Ok(prompt::compose(
            &prepared.kit,
            &PromptRequest {
                task: self.task,
                brief: &prepared.brief.content,
                sources: &prepared.sources,
                lever: self.lever,
                hypothesis: self.hypothesis,
                count: self.count.max(1),
                repurpose: self.repurpose,
                source_budget: prepared.ai.source_budget_tokens,
            },
            &prepared.template,
        )?)
    }

    /// Runs the job through `model`, or offline through `offline` (which returns the text
    /// and the source ids it quotes). Writes nothing.
    fn run(
        &self,
        model: Option<&dyn ChatModel>,
        offline: impl FnOnce() -> Result<(String, Vec<String>)>,
        on_delta: &mut dyn FnMut(&str),
        cancel: &Cancel,
    ) -> Result<Generated> {
        let started = Instant::now();
        let mut provenance = Provenance {
            assistant: AssistantLabel::Offline,
            provider: OFFLINE_PROVIDER.to_string(),
            model: OFFLINE_MODEL.to_string(),
            locality: None,
            task: self.label.clone(),
            template: None,
            brief_version: self.prepared.brief.version,
            sources: self.sources.clone(),
            input_tokens: 0,
            output_tokens: 0,
            tokens_estimated: false,
            cost: None,
            latency_ms: 0,
            attempts: 1,
            redacted: 0,
            lever: self.lever,
            hypothesis: self.hypothesis.map(str::to_string),
        };
        let text = match model {
            Some(model) => {
                let composed = self.compose()?;
                let (system, user, redacted) = guard_prompt(&composed, model, &self.prepared.ai)?;
                let request = ChatRequest::new(vec![Message::system(system), Message::user(user)]);
                let completion = model.complete(&request, on_delta, cancel)?;
                provenance.assistant = AssistantLabel::Online;
                provenance.provider = model.name().to_string();
                provenance.model = completion.model.clone();
                provenance.locality = Some(model.locality().as_str().to_string());
                provenance.template = Some(composed.template);
                provenance.sources.extend(composed.sources_used);
                provenance.input_tokens = completion.usage.input_tokens;
                provenance.output_tokens = completion.usage.output_tokens;
                provenance.tokens_estimated = completion.usage.estimated;
                provenance.cost = cost(model.price(), &completion.usage);
                provenance.attempts = completion.attempts;
                provenance.redacted = redacted;
                completion.text.trim().to_string()
            }
            None => {
                let (text, quoted) = offline()?;
                on_delta(&text);
                provenance.sources.extend(quoted);
                text
            }
        };
        provenance.latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(Generated { text, provenance })
    }
}

impl Service {
    /// Adds configured providers; the service picks one per brand.
    pub fn with_providers(mut self, providers: Vec<ProviderEntry>) -> Service {
        self.providers = providers;
        self
    }

    /// The provider a brand's generation uses: the one named, or the first configured for
    /// the brand; `None` means the offline assistant.
    fn provider_for(&self, brand: &str, named: Option<&str>) -> Result<Option<Arc<dyn ChatModel>>> {
        let serves =
            |p: &&ProviderEntry| p.brands.is_empty() || p.brands.iter().any(|b| b == brand);
        match named {
            Some(name) => self
                .providers
                .iter()
                .filter(serves)
                .find(|p| p.model.name() == name)
                .map(|p| Some(Arc::clone(&p.model)))
                .ok_or_else(|| {
                    let known: Vec<&str> = self
                        .providers
                        .iter()
                        .filter(serves)
                        .map(|p| p.model.name())
                        .collect();
                    ServiceError::Invalid(format!(
                        "no provider '{name}' for brand {brand} (configured: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                }),
            None => Ok(self
                .providers
                .iter()
                .find(serves)
                .map(|p| Arc::clone(&p.model))),
        }
    }

    /// Exactly what would be sent for a task: `copydesk prompt render`.
    pub fn prompt_render(
        &mut self,
        actor: impl Into<Actor>,
        request: &DraftRequest,
        repurpose_to: Option<(AssetId, RepurposeTarget)>,
    ) -> Result<ComposedPrompt> {
        let actor: Actor = actor.into();
        let task = match repurpose_to {
            Some(_) => PromptTask::Repurpose,
            None => request.task.unwrap_or(DraftTask::Draft).into(),
        };
        self.read(|tx, ctx| {
            let (brief_id, asset_id) = match repurpose_to {
                Some((asset, _)) => (visible_asset(tx, &actor, asset)?.0.brief_id, Some(asset)),
                None => (request.brief, None),
            };
            let prepared = prepare(tx, ctx, &actor, brief_id, task, asset_id)?;
            let asset_text = match (&prepared.asset, repurpose_to) {
                (Some(asset), Some(_)) => Some(approved_text(tx, asset)?),
                _ => None,
            };
            let repurpose = match (&prepared.asset, repurpose_to, &asset_text) {
                (Some(asset), Some((_, to)), Some(text)) => Some(RepurposeInput {
                    to,
                    title: &asset.title,
                    text,
                }),
                _ => None,
            };
            Job {
                prepared: &prepared,
                task,
                label: task.as_str().to_string(),
                lever: request.lever,
                hypothesis: request.hypothesis.as_deref(),
                count: request.count,
                repurpose,
                sources: Vec::new(),
            }
            .compose()
        })
    }

    /// Generates from a brief (outline, draft or variants) and saves the output where the
    /// brief's collaboration model says.
    pub fn draft(
        &mut self,
        actor: impl Into<Actor>,
        request: &DraftRequest,
        on_delta: &mut dyn FnMut(&str),
        cancel: &Cancel,
    ) -> Result<AssistOutcome> {
        let actor: Actor = actor.into();
        let task = request.task.unwrap_or(DraftTask::Draft);
        if task == DraftTask::Variants {
            prompt::variant_inputs(request.lever, request.hypothesis.as_deref())?;
        }
        let prepared = self
            .read(|tx, ctx| prepare(tx, ctx, &actor, request.brief, task.into(), request.asset))?;
        let kind = prepared
            .asset
            .as_ref()
            .map(|a| a.kind)
            .or(request.kind)
            .unwrap_or_else(|| kind_for_channel(&prepared.brief.content.channel));
        check_agent(prepared.model, kind, &prepared.ai)?;
        let model =
            self.chosen_provider(&prepared, request.provider.as_deref(), request.offline)?;
        let job = Job {
            prepared: &prepared,
            task: task.into(),
            label: task.as_str().to_string(),
            lever: request.lever,
            hypothesis: request.hypothesis.as_deref(),
            count: request.count,
            repurpose: None,
            sources: Vec::new(),
        };
        let generated = job.run(
            model.as_deref(),
            || offline_draft(&prepared, request, task),
            on_delta,
            cancel,
        )?;
        let title = request.title.clone().unwrap_or_else(|| match task {
            DraftTask::Draft => prepared.brief.content.title.clone(),
            other => format!("{} ({other})", prepared.brief.content.title),
        });
        let asset = prepared.asset.as_ref().map(|a| a.id);
        self.save(&actor, &prepared, asset, kind, &title, generated)
    }

    /// Repurposes an approved (or published) asset for another channel: a new asset on the
    /// same brief, saved by the brief's collaboration model.
    pub fn repurpose(
        &mut self,
        actor: impl Into<Actor>,
        request: &RepurposeRequest,
        on_delta: &mut dyn FnMut(&str),
        cancel: &Cancel,
    ) -> Result<AssistOutcome> {
        let actor: Actor = actor.into();
        let (asset, to) = (request.asset, request.to);
        let (prepared, text) = self.read(|tx, ctx| {
            let (source, _) = visible_asset(tx, &actor, asset)?;
            let prepared = prepare(
                tx,
                ctx,
                &actor,
                source.brief_id,
                PromptTask::Repurpose,
                Some(asset),
            )?;
            let text = approved_text(tx, &source)?;
            Ok((prepared, text))
        })?;
        let kind = kind_for_target(to);
        check_agent(prepared.model, kind, &prepared.ai)?;
        let model =
            self.chosen_provider(&prepared, request.provider.as_deref(), request.offline)?;
        let source_title = prepared
            .asset
            .as_ref()
            .map(|a| a.title.clone())
            .unwrap_or_default();
        let job = Job {
            prepared: &prepared,
            task: PromptTask::Repurpose,
            label: format!("repurpose:{to}"),
            lever: None,
            hypothesis: None,
            count: 1,
            repurpose: Some(RepurposeInput {
                to,
                title: &source_title,
                text: &text,
            }),
            sources: vec![format!("asset:{asset}")],
        };
        let cta = &prepared.brief.content.call_to_action;
        let generated = job.run(
            model.as_deref(),
            || {
                Ok((
                    repurpose::repurpose(to, &source_title, &text, cta),
                    Vec::new(),
                ))
            },
            on_delta,
            cancel,
        )?;
        // the output is a new asset on the same brief, not a version of the source asset
        let title = format!("{source_title} ({to})");
        self.save(&actor, &prepared, None, kind, &title, generated)
    }

    /// The model a generation uses: none when the offline assistant was asked for.
    fn chosen_provider(
        &self,
        prepared: &Prepared,
        named: Option<&str>,
        offline: bool,
    ) -> Result<Option<Arc<dyn ChatModel>>> {
        if offline {
            return Ok(None);
        }
        self.provider_for(&prepared.access.brand.slug, named)
    }

    /// Saves generated text by collaboration model: advisor → a note on the brief; producer
    /// → a draft version; agent → a version submitted for review at once.
    /// `asset`: the asset the version is added to; `None` creates one.
    fn save(
        &mut self,
        actor: &Actor,
        prepared: &Prepared,
        asset_id: Option<AssetId>,
        kind: AssetKind,
        title: &str,
        generated: Generated,
    ) -> Result<AssistOutcome> {
        if generated.text.trim().is_empty() {
            return Err(ServiceError::Invalid(
                "the assistant returned no text; nothing was saved. Try again; with a model, check its max_tokens and the prompt (`copydesk prompt render`)".into(),
            ));
        }
        self.config
            .check_text_size("the generated text", &generated.text)?;
        let model = prepared.model;
        let brief_id = prepared.brief.id;
        self.write(|tx, ctx| {
            // access is checked again: roles may have changed while the model ran
            let (brief, access) = visible_brief(tx, actor, brief_id)?;
            access.require(GENERATES, "generating text")?;
            let provenance = generated.provenance;
            if model == CollaborationModel::Advisor {
                let note = tx.insert_brief_note(&NewBriefNote {
                    brief: brief.id,
                    brief_version: provenance.brief_version,
                    body: &generated.text,
                    provenance: &provenance,
                    author: access.user.id,
                    at: ctx.now,
                })?;
                record(
                    tx,
                    ctx,
                    actor.name(),
                    Some(&access.brand.slug),
                    "brief.note_added",
                    format!("brief:{}", brief.id),
                    serde_json::json!({
                        "note": note, "text_sha256": digest(&generated.text), "provenance": provenance,
                    }),
                )?;
                return Ok(AssistOutcome {
                    saved: Saved::BriefNote {
                        brief: brief.id,
                        note,
                    },
                    collaboration_model: model,
                    text: generated.text,
                    provenance,
                    review: None,
                });
            }
            let id = match asset_id {
                Some(id) => id,
                None => create_asset(
                    tx,
                    ctx,
                    &brief,
                    &access,
                    &AssetSpec {
                        title: title.to_string(),
                        kind,
                        channel: None,
                        locale: "en".to_string(),
                        personalised: false,
                    },
                )?,
            };
            let (asset, access) = visible_asset(tx, actor, id)?;
            let note = format!(
                "{} {} by {}/{}",
                provenance.assistant.as_str(),
                provenance.task,
                provenance.provider,
                provenance.model
            );
            let (number, saved) = append_version(
                tx,
                ctx,
                &asset,
                &access,
                &VersionSpec {
                    text: &generated.text,
                    author: AuthorSpec::Model {
                        provider: provenance.provider.clone(),
                        model: provenance.model.clone(),
                        template: provenance.template.clone(),
                    },
                    note: &note,
                    provenance: Some(&provenance),
                },
                None,
            )?;
            let review = if model == CollaborationModel::Agent {
                let serious = saved.error + saved.warning > 0;
                Some(submit(tx, ctx, actor, id, serious)?)
            } else {
                None
            };
            let state = tx.asset(id)?.map_or(AssetState::Draft, |a| a.state);
            Ok(AssistOutcome {
                saved: Saved::Version {
                    asset: id,
                    version: number,
                    state,
                    findings: saved,
                },
                collaboration_model: model,
                text: generated.text,
                provenance,
                review,
            })
        })
    }

    /// The advisor notes on a brief, oldest first.
    pub fn brief_notes(
        &mut self,
        actor: impl Into<Actor>,
        brief: BriefId,
    ) -> Result<Vec<BriefNote>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let (brief, _) = visible_brief(tx, &actor, brief)?;
            Ok(tx.brief_notes(brief.id)?)
        })
    }

    /// Every task's template versions in a brand, and the active one.
    pub fn prompt_list(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
    ) -> Result<Vec<TemplateListing>> {
        let actor: Actor = actor.into();
        self.read(|tx, ctx| {
            let access = member_by_slug(tx, &actor, brand)?;
            access.require(READS_PROMPTS, "reading the prompt library")?;
            let activations = tx.activations(access.brand.id)?;
            let mut out = Vec::new();
            for &task in PromptTask::ALL {
                let mut versions = vec![prompt::BUILTIN_VERSION.to_string()];
                versions.extend(
                    ctx.kits
                        .templates(&access.brand.kit, task)?
                        .into_iter()
                        .map(|t| t.version),
                );
                let activated = activations
                    .iter()
                    .find(|a| a.task == task.as_str())
                    .cloned();
                out.push(TemplateListing {
                    task,
                    active: activated
                        .as_ref()
                        .map_or(prompt::BUILTIN_VERSION.to_string(), |a| a.version.clone()),
                    versions,
                    activated,
                });
            }
            Ok(out)
        })
    }

    /// Makes a template version the active one for a task: prompt engineers and admins
    /// only, validated first, audited with the template's digest.
    pub fn prompt_activate(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        task: PromptTask,
        version: &str,
    ) -> Result<PromptActivation> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let access = member_by_slug(tx, &actor, brand)?;
            access.require(ACTIVATES_PROMPTS, "changing the active prompt template")?;
            let template = if version == prompt::BUILTIN_VERSION {
                Template::builtin(task)
            } else {
                let available = ctx.kits.templates(&access.brand.kit, task)?;
                let names: Vec<String> = available.iter().map(|t| t.version.clone()).collect();
                available
                    .into_iter()
                    .find(|t| t.version == version)
                    .ok_or_else(|| {
                        ServiceError::NotFound(format!(
                            "no {task} template version '{version}' in the brand kit (prompts/{task}/{version}.j2); available: {}",
                            if names.is_empty() { prompt::BUILTIN_VERSION.to_string() } else { format!("{}, {}", prompt::BUILTIN_VERSION, names.join(", ")) }
                        ))
                    })?
            };
            prompt::validate(&template)?;
            let sum = digest(&template.source);
            tx.insert_activation(&NewActivation {
                brand: access.brand.id,
                task: task.as_str(),
                version: &template.version,
                digest: &sum,
                origin: &template.origin,
                by: access.user.id,
                at: ctx.now,
            })?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "prompt.activated",
                format!("prompt:{task}"),
                serde_json::json!({
                    "version": template.version, "origin": template.origin, "template_sha256": sum,
                }),
            )?;
            Ok(PromptActivation {
                brand_id: access.brand.id,
                task: task.as_str().to_string(),
                version: template.version,
                digest: sum,
                origin: template.origin,
                by: access.user.as_ref(),
                created_at: ctx.now,
            })
        })
    }
}

/// The text of an asset's newest approved or published version: only approved work is
/// repurposed.
fn approved_text(tx: &mut dyn Tx, asset: &Asset) -> Result<String> {
    if !matches!(asset.state, AssetState::Approved | AssetState::Published) {
        return Err(ServiceError::Rule(
            copydesk_core::review::RuleError::Invalid(format!(
                "asset {} is {}; only approved or published assets are repurposed",
                asset.id, asset.state
            )),
        ));
    }
    let version = crate::assets::load_version(tx, asset, asset.current_version)?;
    Ok(version.text)
}

/// The offline assistant's answer to a draft task, and the source ids it quotes.
fn offline_draft(
    prepared: &Prepared,
    request: &DraftRequest,
    task: DraftTask,
) -> Result<(String, Vec<String>)> {
    let brief = &prepared.brief.content;
    match task {
        DraftTask::Outline | DraftTask::Draft => {
            let o = outline::outline(brief, &prepared.sources);
            let mut text = o.to_markdown();
            if task == DraftTask::Draft {
                text = format!(
                    "<!-- offline assistant: a writing scaffold from the brief and its sources; configure a provider for a prose draft -->\n{text}"
                );
            }
            Ok((text, o.sources_used))
        }
        DraftTask::Variants => {
            let (lever, hypothesis) =
                prompt::variant_inputs(request.lever, request.hypothesis.as_deref())?;
            let set = variants::variants(brief, lever, hypothesis, request.count.max(1));
            Ok((set.to_markdown(), Vec::new()))
        }
    }
}
