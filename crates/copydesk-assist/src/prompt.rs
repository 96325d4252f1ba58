//! The prompt library: versioned minijinja templates, one per task, and the composition of
//! exactly what is sent to a model — brand voice and never-say list as constraints, the
//! brief's fields, the most relevant source material within a token budget, and the task.

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use copydesk_core::asset::TemplateRef;
use copydesk_core::brief::BriefContent;
pub use copydesk_core::PromptTask;
use copydesk_core::{Lever, RepurposeTarget};

use crate::rank;

/// The version label of the templates compiled into copydesk.
pub const BUILTIN_VERSION: &str = "builtin-1";

/// The layout the built-in templates extend; kit templates may extend it too.
pub const BASE_TEMPLATE: &str = "_base.j2";
const BASE_SOURCE: &str = include_str!("../templates/_base.j2");

/// The built-in template of each task.
fn builtin_source(task: PromptTask) -> &'static str {
    match task {
        PromptTask::Outline => include_str!("../templates/outline.j2"),
        PromptTask::Draft => include_str!("../templates/draft.j2"),
        PromptTask::Variants => include_str!("../templates/variants.j2"),
        PromptTask::Repurpose => include_str!("../templates/repurpose.j2"),
    }
}

/// One version of a task's template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    pub task: PromptTask,
    pub version: String,
    /// Where it was read from: a kit file's path, or "built-in".
    pub origin: String,
    pub source: String,
}

impl Template {
    pub fn builtin(task: PromptTask) -> Template {
        Template {
            task,
            version: BUILTIN_VERSION.to_string(),
            origin: "built-in".to_string(),
            source: builtin_source(task).to_string(),
        }
    }

    pub fn reference(&self) -> TemplateRef {
        TemplateRef {
            id: self.task.as_str().to_string(),
            version: self.version.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromptError {
    #[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Template {
        origin: String,
        line: Option<usize>,
        message: String,
    },
    #[error("{origin}: the template renders no `{block}` block; define {{% block system %}} and {{% block user %}}")]
    MissingBlock { origin: String, block: &'static str },
    #[error("the {task} task needs {what}")]
    MissingInput {
        task: PromptTask,
        what: &'static str,
    },
    #[error("the hypothesis has {words} word(s); say what you expect the lever to change and why, e.g. \"leading with the 212-customer proof raises demo bookings\"")]
    VagueHypothesis { words: usize },
}

/// The lever and hypothesis a variants task needs, checked once for every path (a model, the
/// offline assistant, `prompt render`): a test without them measures nothing.
pub fn variant_inputs(
    lever: Option<Lever>,
    hypothesis: Option<&str>,
) -> Result<(Lever, &str), PromptError> {
    let (Some(lever), Some(hypothesis)) = (lever, hypothesis.map(str::trim)) else {
        return Err(PromptError::MissingInput {
            task: PromptTask::Variants,
            what: "a lever and a hypothesis",
        });
    };
    let words = hypothesis.split_whitespace().count();
    if words < 3 {
        return Err(PromptError::VagueHypothesis { words });
    }
    Ok((lever, hypothesis))
}

/// A phrase the brand never uses, and what to say instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeverSay {
    pub phrase: String,
    pub instead: String,
}

/// What the brand kit contributes to every prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KitVoice {
    pub brand: String,
    pub voice: String,
    pub never_say: Vec<NeverSay>,
    /// Product and brand names with their one correct spelling.
    pub terms: Vec<String>,
}

/// Source material as a prompt cites it: `id` is what provenance records ("S12").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceText {
    pub id: String,
    pub kind: String,
    pub origin: String,
    pub text: String,
}

/// An approved asset to repurpose.
#[derive(Debug, Clone, Copy)]
pub struct RepurposeInput<'a> {
    pub to: RepurposeTarget,
    pub title: &'a str,
    pub text: &'a str,
}

/// Everything a prompt is composed from besides the template and the kit.
#[derive(Debug, Clone, Copy)]
pub struct PromptRequest<'a> {
    pub task: PromptTask,
    pub brief: &'a BriefContent,
    pub sources: &'a [SourceText],
    pub lever: Option<Lever>,
    pub hypothesis: Option<&'a str>,
    pub count: usize,
    pub repurpose: Option<RepurposeInput<'a>>,
    /// Tokens of source material the prompt may carry.
    pub source_budget: u32,
}

/// A source as it went into the prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsedSource {
    pub id: String,
    pub kind: String,
    pub origin: String,
    pub text: String,
    pub truncated: bool,
    pub relevance: f64,
}

/// Exactly what would be sent, and what it was made from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComposedPrompt {
    pub template: TemplateRef,
    pub system: String,
    pub user: String,
    /// Ids of the sources in the prompt, most relevant first.
    pub sources_used: Vec<String>,
    /// Ids of the sources left out for want of room.
    pub sources_left_out: Vec<String>,
    pub source_tokens: u32,
    /// Estimated tokens of the whole prompt (about four characters each).
    pub approx_tokens: u32,
}

impl ComposedPrompt {
    /// Both messages as one text, for the privacy check and for showing.
    pub fn full_text(&self) -> String {
        format!("{}\n\n{}", self.system, self.user)
    }
}

/// What each lever asks of a variant; shared by the prompt and the offline variants.
pub fn lever_guidance(lever: Lever) -> &'static str {
    match lever {
        Lever::Clarity => "say plainly what it is and what changes for the reader; no metaphors",
        Lever::Urgency => {
            "give a real, specific reason to act now (a date, a limit that exists); never invent scarcity"
        }
        Lever::EmotionalAppeal => {
            "name the feeling the reader has about the problem, in their own words"
        }
        Lever::Proof => "lead with the strongest claim, its proof and its source",
        Lever::Relevance => "speak to this audience's situation, by name",
        Lever::RiskReduction => {
            "remove the reason to hesitate: an easy switch, a trial, a promise the brand keeps"
        }
        Lever::ValueFraming => "set the outcome against its cost, or the cost of doing nothing",
    }
}

/// What each repurposing target is, in the words a prompt uses.
pub fn target_guidance(target: RepurposeTarget) -> (&'static str, &'static str) {
    match target {
        RepurposeTarget::Linkedin => (
            "a LinkedIn post",
            "a first line that names the reader's problem, 3–5 short paragraphs, at most 1,300 characters, one call to action, at most 3 hashtags",
        ),
        RepurposeTarget::XThread => (
            "an X thread",
            "5–8 posts of at most 280 characters each, numbered 1/N, the first one standing on its own",
        ),
        RepurposeTarget::Email => (
            "a marketing e-mail",
            "a subject line (at most 60 characters), a preview line, a body of at most 200 words and one call to action",
        ),
        RepurposeTarget::ReleaseNotes => (
            "release notes",
            "what changed, who it is for and how to use it, as short bullet points under a heading per change",
        ),
        RepurposeTarget::BlogOutline => (
            "a blog outline",
            "an H2/H3 outline with 2–4 key points under each heading and where each claim's source goes",
        ),
    }
}

/// Chooses the sources that fit the budget, most relevant to the brief first. A source that
/// does not fit whole goes in as an excerpt when at least 64 tokens of room are left.
pub fn select_sources(
    brief: &BriefContent,
    sources: &[SourceText],
    budget: u32,
) -> (Vec<UsedSource>, Vec<String>) {
    let query = rank::brief_terms(brief);
    let docs: Vec<Vec<String>> = sources
        .iter()
        .map(|s| rank::terms(&format!("{} {}", s.origin, s.text)))
        .collect();
    let mut left = budget;
    let mut used = Vec::new();
    let mut left_out = Vec::new();
    for (i, score) in rank::order(&query, &docs) {
        let source = &sources[i];
        let cost = rank::tokens(&source.text);
        let (text, truncated) = if cost <= left {
            (source.text.clone(), false)
        } else if left >= 64 {
            (rank::excerpt(&source.text, left), true)
        } else {
            left_out.push(source.id.clone());
            continue;
        };
        left = left.saturating_sub(rank::tokens(&text));
        used.push(UsedSource {
            id: source.id.clone(),
            kind: source.kind.clone(),
            origin: source.origin.clone(),
            text,
            truncated,
            relevance: (score * 1000.0).round() / 1000.0,
        });
    }
    (used, left_out)
}

fn template_error(origin: &str, e: &minijinja::Error) -> PromptError {
    let mut message = e.kind().to_string();
    if let Some(detail) = e.detail() {
        message = format!("{message}: {detail}");
    }
    PromptError::Template {
        origin: origin.to_string(),
        line: e.line(),
        message,
    }
}

fn environment<'s>(template: &'s Template) -> Result<Environment<'s>, PromptError> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // a misspelt variable in a kit template is an error, not an empty string in the prompt
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template(BASE_TEMPLATE, BASE_SOURCE)
        .map_err(|e| template_error("built-in _base.j2", &e))?;
    env.add_template("task", &template.source)
        .map_err(|e| template_error(&template.origin, &e))?;
    Ok(env)
}

/// Checks a template before anyone activates it: it must parse, define both blocks and use
/// no variable copydesk does not provide (composed against a complete example request).
pub fn validate(template: &Template) -> Result<(), PromptError> {
    let brief = copydesk_core::brief::example();
    let sources = [SourceText {
        id: "S1".into(),
        kind: "interview".into(),
        origin: "example".into(),
        text: "It took us three days every month.".into(),
    }];
    let kit = KitVoice {
        brand: "Example".into(),
        voice: "Plain.".into(),
        never_say: vec![NeverSay {
            phrase: "synergy".into(),
            instead: "say who works with whom".into(),
        }],
        terms: vec!["Example".into()],
    };
    let request = PromptRequest {
        task: template.task,
        brief: &brief,
        sources: &sources,
        lever: Some(Lever::Clarity),
        hypothesis: Some("a plainer headline gets more demo requests"),
        count: 3,
        repurpose: Some(RepurposeInput {
            to: RepurposeTarget::Linkedin,
            title: "Example",
            text: "Example text.",
        }),
        source_budget: 500,
    };
    compose(&kit, &request, template).map(|_| ())
}

/// Composes the prompt for a request with a template: the one place a prompt is made, for
/// sending and for `copydesk prompt render` alike.
pub fn compose(
    kit: &KitVoice,
    request: &PromptRequest<'_>,
    template: &Template,
) -> Result<ComposedPrompt, PromptError> {
    let task = request.task;
    if task == PromptTask::Variants {
        variant_inputs(request.lever, request.hypothesis)?;
    }
    if task == PromptTask::Repurpose && request.repurpose.is_none() {
        return Err(PromptError::MissingInput {
            task,
            what: "the asset to repurpose",
        });
    }
    let (sources, left_out) = select_sources(request.brief, request.sources, request.source_budget);
    let source_tokens = sources.iter().map(|s| rank::tokens(&s.text)).sum();
    let (target_label, target_guidance) = request
        .repurpose
        .map(|r| target_guidance(r.to))
        .unwrap_or(("", ""));
    let context = minijinja::context! {
        brand => &kit.brand,
        voice => kit.voice.trim(),
        never_say => &kit.never_say,
        terms => &kit.terms,
        brief => request.brief,
        sources => &sources,
        task => task.as_str(),
        lever => request.lever.map(|l| l.as_str()).unwrap_or(""),
        lever_guidance => request.lever.map(lever_guidance).unwrap_or(""),
        hypothesis => request.hypothesis.unwrap_or(""),
        count => request.count,
        target => request.repurpose.map(|r| r.to.as_str()).unwrap_or(""),
        target_label => target_label,
        target_guidance => target_guidance,
        asset => minijinja::context! {
            title => request.repurpose.map(|r| r.title).unwrap_or(""),
            text => request.repurpose.map(|r| r.text.trim()).unwrap_or(""),
        },
    };
    let env = environment(template)?;
    let compiled = env
        .get_template("task")
        .map_err(|e| template_error(&template.origin, &e))?;
    let mut captured = compiled
        .render_captured(context)
        .map_err(|e| template_error(&template.origin, &e))?;
    let mut render = |block: &'static str| -> Result<String, PromptError> {
        match captured.with_state_mut(|state| state.render_block(block)) {
            Ok(text) => Ok(tidy(&text)),
            Err(e) if e.kind() == minijinja::ErrorKind::UnknownBlock => {
                Err(PromptError::MissingBlock {
                    origin: template.origin.clone(),
                    block,
                })
            }
            Err(e) => Err(template_error(&template.origin, &e)),
        }
    };
    let system = render("system")?;
    let user = render("user")?;
    let approx_tokens = rank::tokens(&system) + rank::tokens(&user);
    Ok(ComposedPrompt {
        template: template.reference(),
        system,
        user,
        sources_used: sources.iter().map(|s| s.id.clone()).collect(),
        sources_left_out: left_out,
        source_tokens,
        approx_tokens,
    })
}

/// Trailing spaces off every line, at most one blank line in a row, no blank edges.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}
