//! `copydesk seo`: an SEO brief from a keyword list and a brief's source material.

use anyhow::Result;

use copydesk_assist::seo::{self, SeoBrief, SeoTopic, SourceText};
use copydesk_core::BriefId;

use crate::cli::SeoArgs;
use crate::commands::{emit, open, Globals};
use crate::failure::Failure;
use crate::input::read_text;

pub fn run(globals: &Globals, args: &SeoArgs) -> Result<()> {
    let actor = globals.actor()?;
    let mut session = open(globals)?;
    let limit = session.workspace.config.limits.max_text_bytes;
    let text = read_text(&args.keywords, limit)?;
    let keywords = seo::parse_keywords(&text)
        .map_err(|e| Failure::input(format!("{}: {e}", args.keywords.display())))?;
    let view = session
        .service
        .brief_show(actor, BriefId(args.brief), None)?;
    let sources: Vec<SourceText> = view
        .sources
        .iter()
        .map(|s| SourceText {
            id: format!("S{}", s.id.0),
            text: s.text.clone(),
        })
        .collect();
    let content = &view.brief.content;
    let topic = SeoTopic {
        title: content.title.clone(),
        audience: content.audience.trim().trim_end_matches('.').to_string(),
        desired_understanding: content.desired_understanding.clone(),
        brand: view.brand.clone(),
    };
    let brief = seo::seo_brief(&keywords, &sources, &topic);
    emit(globals.format, &brief, render)
}

fn render(b: &SeoBrief) -> String {
    let mut out = format!("SEO brief for \"{}\" (offline assistant)\n", b.topic);
    if let Some(primary) = &b.primary_keyword {
        out.push_str(&format!("primary keyword: {primary}\n"));
    }
    out.push_str("\nkeyword clusters\n");
    for c in &b.clusters {
        let volume = c
            .total_volume
            .map(|v| format!(", volume {v}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} — {} ({}{volume}): {} keyword(s)\n",
            c.head,
            c.intent.as_str(),
            c.reason,
            c.keywords.len()
        ));
    }
    out.push_str("\nFAQ candidates\n");
    for f in &b.faq {
        out.push_str(&format!("  {} [{}]\n", f.question, f.source));
    }
    out.push_str("\ntitles\n");
    for t in &b.titles {
        out.push_str(&format!("  {t} ({} chars)\n", t.chars().count()));
    }
    out.push_str("\nmeta descriptions\n");
    for m in &b.meta_descriptions {
        out.push_str(&format!("  {m} ({} chars)\n", m.chars().count()));
    }
    out
}
