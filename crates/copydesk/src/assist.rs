//! The AI assistance commands: `draft`, `repurpose`, `research`, `seo` and `prompt`. Drafts
//! stream to the terminal as they arrive; Ctrl-C cancels a model call and saves nothing.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use copydesk_assist::prompt::{ComposedPrompt, PromptTask};
use copydesk_assist::research::{self, ItemFormat, ResearchOptions, Stage, Synthesis};
use copydesk_core::provenance::{BriefNote, Provenance};
use copydesk_core::{AssetId, AssetKind, BriefId, DraftTask, Lever, RepurposeTarget};
use copydesk_provider::Cancel;
use copydesk_service::{
    AssistOutcome, DraftRequest, RepurposeRequest, Saved, Service, TemplateListing,
};

use crate::cli::{DraftArgs, Format, PromptCmd, RepurposeArgs, ResearchArgs, SeoArgs};
use crate::commands::{emit, open, parse_name, Globals};
use crate::failure::Failure;
use crate::input::read_capped;

/// The service with the workspace's providers, for commands that may call a model.
fn service_with_providers(globals: &Globals) -> Result<Service, Failure> {
    let session = open(globals)?;
    let providers = session.workspace.providers()?;
    Ok(session.service.with_providers(providers))
}

/// A cancel token that Ctrl-C sets. A second Ctrl-C ends the process the usual way.
fn cancel_on_interrupt() -> Cancel {
    let cancel = Cancel::default();
    let handle = cancel.clone();
    let pressed = std::sync::atomic::AtomicBool::new(false);
    // Installing fails only when a handler exists already; then Ctrl-C simply ends the
    // process, which saves nothing either.
    let _ = ctrlc::set_handler(move || {
        if pressed.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\ncancelling: nothing will be saved");
        handle.cancel();
    });
    cancel
}

/// Streams text to stdout in text mode on a terminal; otherwise the text is printed once,
/// whole, with the outcome.
struct Stream {
    live: bool,
    shown: bool,
}

impl Stream {
    fn new(format: Format) -> Stream {
        Stream {
            live: format == Format::Text && std::io::stdout().is_terminal(),
            shown: false,
        }
    }

    fn delta(&mut self, text: &str) {
        if self.live {
            let mut out = std::io::stdout().lock();
            // a closed terminal is not worth failing a saved draft over
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            self.shown = true;
        }
    }
}

pub fn draft(globals: &Globals, args: &DraftArgs) -> Result<()> {
    let actor = globals.actor()?;
    let request = DraftRequest {
        brief: BriefId(args.brief),
        task: Some(parse_name::<DraftTask>(&args.task)?),
        lever: args.lever.as_deref().map(parse_name::<Lever>).transpose()?,
        hypothesis: args.hypothesis.clone(),
        count: args.count,
        provider: args.provider.clone(),
        offline: args.offline,
        asset: args.asset.map(AssetId),
        kind: args
            .kind
            .as_deref()
            .map(parse_name::<AssetKind>)
            .transpose()?,
        title: args.title.clone(),
    };
    let mut service = service_with_providers(globals)?;
    let cancel = cancel_on_interrupt();
    let mut stream = Stream::new(globals.format);
    let outcome = service.draft(actor, &request, &mut |d| stream.delta(d), &cancel)?;
    show_outcome(globals.format, &outcome, stream.shown)
}

pub fn repurpose(globals: &Globals, args: &RepurposeArgs) -> Result<()> {
    let actor = globals.actor()?;
    let to = parse_name::<RepurposeTarget>(&args.to)?;
    let mut service = service_with_providers(globals)?;
    let cancel = cancel_on_interrupt();
    let mut stream = Stream::new(globals.format);
    let request = RepurposeRequest {
        asset: AssetId(args.asset),
        to,
        provider: args.provider.clone(),
        offline: args.offline,
    };
    let outcome = service.repurpose(actor, &request, &mut |d| stream.delta(d), &cancel)?;
    show_outcome(globals.format, &outcome, stream.shown)
}

fn show_outcome(format: Format, outcome: &AssistOutcome, streamed: bool) -> Result<()> {
    emit(format, outcome, |o| {
        let mut out = String::new();
        if streamed {
            out.push_str("\n\n");
        } else {
            out.push_str(&o.text);
            out.push_str("\n\n");
        }
        match &o.saved {
            Saved::BriefNote { brief, note } => out.push_str(&format!(
                "saved as note {note} on brief {brief} (advisor: a person writes the text)\n"
            )),
            Saved::Version {
                asset,
                version,
                state,
                findings,
            } => {
                out.push_str(&format!(
                    "saved as asset {asset} version {version} ({state}; {} error, {} warning, {} suggestion finding(s); `copydesk version show {asset} {version}` shows them)\n",
                    findings.error, findings.warning, findings.info
                ));
                if let Some(review) = &o.review {
                    out.push_str(&format!(
                        "agent output submitted: tier {}, score {}, now {}\n",
                        review.routing.tier, review.routing.score, review.state
                    ));
                }
            }
        }
        out.push_str(&provenance_line(&o.provenance));
        out
    })
}

fn provenance_line(p: &Provenance) -> String {
    let template = p
        .template
        .as_ref()
        .map(|t| format!(", template {}@{}", t.id, t.version))
        .unwrap_or_default();
    let cost = p.cost.map(|c| format!(", cost {c:.4}")).unwrap_or_default();
    let estimated = if p.tokens_estimated {
        " (estimated)"
    } else {
        ""
    };
    let sources = if p.sources.is_empty() {
        "none".to_string()
    } else {
        p.sources.join(", ")
    };
    format!(
        "[{}] {}/{}{template}; brief v{}; sources {sources}; tokens {} in, {} out{estimated}{cost}; {} ms{}\n",
        p.assistant.as_str(),
        p.provider,
        p.model,
        p.brief_version,
        p.input_tokens,
        p.output_tokens,
        p.latency_ms,
        if p.redacted > 0 {
            format!("; {} personal-data value(s) redacted", p.redacted)
        } else {
            String::new()
        }
    )
}

pub fn render_notes(notes: &[BriefNote]) -> String {
    if notes.is_empty() {
        return "no notes\n".to_string();
    }
    let mut out = String::new();
    for n in notes {
        out.push_str(&format!(
            "note {} (brief v{}, {} by {})\n{}\n{}\n",
            n.id,
            n.brief_version,
            n.created_at.format("%Y-%m-%d %H:%M"),
            n.by.name,
            n.body.trim(),
            provenance_line(&n.provenance)
        ));
    }
    out
}

pub fn prompt(globals: &Globals, cmd: PromptCmd) -> Result<()> {
    let actor = globals.actor()?;
    let mut session = open(globals)?;
    match cmd {
        PromptCmd::Render {
            brief,
            task,
            lever,
            hypothesis,
            count,
            asset,
            to,
        } => {
            let request = DraftRequest {
                task: Some(parse_name::<DraftTask>(&task)?),
                lever: lever.as_deref().map(parse_name::<Lever>).transpose()?,
                hypothesis,
                count,
                ..DraftRequest::new(BriefId(brief.unwrap_or(0)))
            };
            let repurpose = match (asset, to) {
                (Some(a), Some(t)) => Some((AssetId(a), parse_name::<RepurposeTarget>(&t)?)),
                _ => None,
            };
            let composed = session.service.prompt_render(actor, &request, repurpose)?;
            emit(globals.format, &composed, render_prompt)
        }
        PromptCmd::List { brand } => {
            let listing = session.service.prompt_list(actor, &brand)?;
            emit(globals.format, &listing, |l| render_listing(l))
        }
        PromptCmd::Activate {
            brand,
            task,
            version,
        } => {
            let task = parse_name::<PromptTask>(&task)?;
            let done = session
                .service
                .prompt_activate(actor, &brand, task, &version)?;
            emit(globals.format, &done, |a| {
                format!(
                    "{} template for {brand} is now version {} ({}, sha256 {})\n",
                    a.task,
                    a.version,
                    a.origin,
                    &a.digest[..12.min(a.digest.len())]
                )
            })
        }
    }
}

fn render_prompt(p: &ComposedPrompt) -> String {
    format!(
        "# template {}@{}; about {} tokens ({} of source material); sources {}{}\n\n--- system ---\n{}\n\n--- user ---\n{}\n",
        p.template.id,
        p.template.version,
        p.approx_tokens,
        p.source_tokens,
        if p.sources_used.is_empty() { "none".to_string() } else { p.sources_used.join(", ") },
        if p.sources_left_out.is_empty() {
            String::new()
        } else {
            format!(" (left out for room: {})", p.sources_left_out.join(", "))
        },
        p.system,
        p.user
    )
}

fn render_listing(listing: &[TemplateListing]) -> String {
    let mut out = String::new();
    for l in listing {
        let by = l
            .activated
            .as_ref()
            .map(|a| {
                format!(
                    " (activated by {} {})",
                    a.by.name,
                    a.created_at.format("%Y-%m-%d")
                )
            })
            .unwrap_or_else(|| " (default)".to_string());
        out.push_str(&format!(
            "{:<10} active {}{by}; versions: {}\n",
            l.task.as_str(),
            l.active,
            l.versions.join(", ")
        ));
    }
    out
}

/// A progress bar on a terminal, nothing when piped.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// The largest file `research` reads: texts are held in memory while they are clustered.
const RESEARCH_FILE_LIMIT: usize = 512 * 1024 * 1024;

pub fn research(globals: &Globals, args: &ResearchArgs) -> Result<()> {
    let mut items = Vec::new();
    for path in &args.files {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = ItemFormat::from_extension(&ext).unwrap_or(ItemFormat::Text);
        let text = read_capped(path, RESEARCH_FILE_LIMIT, |shown| {
            format!("{shown}: larger than {RESEARCH_FILE_LIMIT} bytes, the most one research file may hold; split it into several files")
        })?;
        let parsed = research::parse_items(&text, format, args.column.as_deref())
            .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
        // ids are line numbers within a file: later files count on from the last id
        let offset = items.last().map_or(0, |item: &research::Item| item.id);
        items.extend(parsed.into_iter().map(|mut item| {
            item.id += offset;
            item
        }));
    }
    let bar = progress_bar();
    let synthesis = research::synthesize(
        &items,
        &ResearchOptions::default(),
        &mut |stage, done, total| {
            if let Some(bar) = &bar {
                bar.set_message(match stage {
                    Stage::Vectorising => "vectorising",
                    Stage::Clustering => "clustering",
                    Stage::Labelling => "labelling",
                });
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    emit(globals.format, &synthesis, render_synthesis)
}

fn render_synthesis(s: &Synthesis) -> String {
    let mut out = format!(
        "{} items, {} themes, {} unclustered (offline assistant)\n",
        s.items,
        s.themes.len(),
        s.unclustered
    );
    for (i, t) in s.themes.iter().enumerate() {
        out.push_str(&format!(
            "\n{}. {} — {} items ({:.0}%)\n   keyphrases: {}\n",
            i + 1,
            t.label,
            t.count,
            t.share * 100.0,
            t.keyphrases.join(", ")
        ));
        for q in &t.quotes {
            out.push_str(&format!("   > {q}\n"));
        }
    }
    out
}

pub fn seo(globals: &Globals, args: &SeoArgs) -> Result<()> {
    crate::assist_seo::run(globals, args)
}
