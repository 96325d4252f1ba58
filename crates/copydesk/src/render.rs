//! Text rendering of command results. JSON output is the serde form of the same values.

use std::fmt::Write as _;

use copydesk_core::asset::{Asset, Version, VersionSummary};
use copydesk_core::audit::AuditEntry;
use copydesk_core::brief::{BriefRecord, Gap, Source};
use copydesk_core::review::Review;
use copydesk_service::{
    AssetView, BriefView, QueuePage, RiskExplanation, SubmitOutcome, VerifyReport,
};

pub fn time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn gaps(out: &mut String, gaps: &[Gap]) {
    if gaps.is_empty() {
        let _ = writeln!(out, "complete: every question is answered");
    } else {
        let _ = writeln!(
            out,
            "incomplete: {} gap{}",
            gaps.len(),
            if gaps.len() == 1 { "" } else { "s" }
        );
        for g in gaps {
            let _ = writeln!(out, "  - {}: {}", g.field, g.message);
        }
    }
}

pub fn brief(view: &BriefView) -> String {
    let b = &view.brief;
    let c = &b.content;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "brief {} v{} · {} · {}",
        b.id, b.version, view.brand, c.title
    );
    let _ = writeln!(
        out,
        "  updated {} by {}",
        time(&b.updated_at),
        b.updated_by.name
    );
    let field = |out: &mut String, name: &str, value: &str| {
        if !value.trim().is_empty() {
            let _ = writeln!(out, "{name}: {}", value.trim());
        }
    };
    field(&mut out, "audience", &c.audience);
    field(&mut out, "problem", &c.problem);
    field(&mut out, "current beliefs", &c.current_beliefs);
    field(&mut out, "desired understanding", &c.desired_understanding);
    for claim in &c.claims {
        let _ = writeln!(
            out,
            "claim: {} (proof: {}; source: {})",
            claim.claim, claim.proof, claim.source
        );
    }
    field(&mut out, "must not sound like", &c.must_not_sound_like);
    field(&mut out, "channel", &c.channel);
    field(&mut out, "objective", &c.objective);
    field(&mut out, "call to action", &c.call_to_action);
    if let Some(d) = c.deadline {
        let _ = writeln!(out, "deadline: {d}");
    }
    if let Some(r) = c.reach {
        let _ = writeln!(out, "reach: {r}");
    }
    if !c.regulated_topics.is_empty() {
        let _ = writeln!(out, "regulated topics: {}", c.regulated_topics.join(", "));
    }
    if let Some(m) = c.collaboration_model {
        let _ = writeln!(out, "collaboration model: {m}");
    }
    for s in &view.sources {
        let _ = writeln!(
            out,
            "source {}: {} from {} ({} chars)",
            s.id,
            s.kind,
            s.origin,
            s.text.chars().count()
        );
    }
    gaps(&mut out, &view.gaps);
    out
}

pub fn brief_list(briefs: &[BriefRecord]) -> String {
    let mut out = String::new();
    for b in briefs {
        let _ = writeln!(
            out,
            "{:>6}  v{:<3} {:<10} {}",
            b.id,
            b.version,
            b.content
                .deadline
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            b.content.title
        );
    }
    out
}

pub fn sources(sources: &[Source]) -> String {
    let mut out = String::new();
    for s in sources {
        let excerpt: String = s.text.chars().take(60).collect();
        let _ = writeln!(
            out,
            "{:>6}  {:<18} {}  \"{}\"",
            s.id,
            s.kind.as_str(),
            s.origin,
            excerpt.replace('\n', " ")
        );
    }
    out
}

pub fn asset(view: &AssetView) -> String {
    let a = &view.asset;
    let mut out = String::new();
    let _ = writeln!(out, "asset {} · {} · {}", a.id, view.brand, a.title);
    let _ = writeln!(
        out,
        "  {} on channel {}, locale {}; brief {} \"{}\"",
        a.kind, a.channel, a.locale, a.brief_id, view.brief_title
    );
    let _ = writeln!(out, "  state: {}", a.state);
    match &view.current {
        Some(v) => {
            let _ = writeln!(
                out,
                "  version {} by {} · {}",
                v.number,
                v.author.describe(),
                time(&v.created_at)
            );
        }
        None => {
            let _ = writeln!(out, "  no versions yet");
        }
    }
    if let Some(r) = &view.review {
        review_round(&mut out, r);
    }
    for c in &view.comments {
        let anchor = match c.range {
            Some((s, e)) => format!(" on {s}..{e} \"{}\"", c.quote),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  comment by {} on v{}{anchor}: {}",
            c.by.name, c.version, c.body
        );
    }
    out
}

pub fn review_round(out: &mut String, r: &Review) {
    let stages: Vec<_> = r.stages.iter().map(|s| s.as_str()).collect();
    let _ = writeln!(
        out,
        "  review {} of v{}: score {}, tier {}, stages {}",
        r.id,
        r.version,
        r.score,
        r.tier,
        if stages.is_empty() {
            "none (auto-approved)".to_string()
        } else {
            stages.join(" → ")
        }
    );
    for d in &r.decisions {
        let reason = d.reason.map(|r| format!(" ({r})")).unwrap_or_default();
        let comment = if d.comment.is_empty() {
            String::new()
        } else {
            format!(": {}", d.comment)
        };
        let _ = writeln!(
            out,
            "    stage {} {}: {} by {}{reason}{comment}",
            d.stage + 1,
            d.role,
            d.decision,
            d.by.name
        );
    }
}

pub fn asset_list(assets: &[Asset]) -> String {
    let mut out = String::new();
    for a in assets {
        let _ = writeln!(
            out,
            "{:>7}  {:<18} {:<14} v{:<3} {}",
            a.id,
            a.state.as_str(),
            a.kind.as_str(),
            a.current_version,
            a.title
        );
    }
    out
}

pub fn history(versions: &[VersionSummary]) -> String {
    let mut out = String::new();
    for v in versions {
        let parent = v
            .parent
            .map(|p| format!("← v{p}"))
            .unwrap_or_else(|| "     ".into());
        let revert = v
            .reverted_from
            .map(|r| format!(" (revert to v{r})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "v{:<4} {parent:<6} {}  {:>6} chars  {}{revert}  {}",
            v.number,
            time(&v.created_at),
            v.chars,
            v.author.describe(),
            v.note
        );
    }
    out
}

pub fn version(v: &Version) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "asset {} version {} by {} · {}",
        v.asset_id,
        v.number,
        v.author.describe(),
        time(&v.created_at)
    );
    if !v.note.is_empty() {
        let _ = writeln!(out, "note: {}", v.note);
    }
    out.push_str(&guardrail_lines(v));
    let _ = writeln!(out, "---");
    out.push_str(&v.text);
    if !v.text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The guardrails' verdict on a saved version: counts, then one line per finding.
fn guardrail_lines(v: &Version) -> String {
    let f = &v.findings;
    let mut out = format!(
        "guardrails: {} error(s), {} warning(s), {} suggestion(s), {} unsourced claim(s)\n",
        f.error, f.warning, f.info, f.unsupported_claims
    );
    for g in &v.guardrail_findings {
        let _ = writeln!(
            out,
            "  {}:{} {} [{}] {}",
            g.line, g.column, g.severity, g.rule, g.message
        );
    }
    out
}

pub fn version_saved(asset: i64, v: &Version) -> String {
    format!(
        "asset {asset}: version {} saved\n{}",
        v.number,
        guardrail_lines(v)
    )
}

pub fn submit(asset: i64, s: &SubmitOutcome) -> String {
    let mut out = String::new();
    let r = &s.routing;
    let _ = writeln!(
        out,
        "asset {asset} v{} submitted: risk score {}, tier {}",
        s.version, r.score, r.tier
    );
    for g in &r.gates {
        let _ = writeln!(out, "  mandatory gate: {} ({})", g.name, g.role);
    }
    match &s.sample {
        Some(sample) => {
            let _ = writeln!(
                out,
                "  auto-approved by spot-check policy; draw {:.4} vs rate {} → {}",
                sample.draw,
                sample.rate,
                if sample.sampled {
                    "sampled for audit"
                } else {
                    "not sampled"
                }
            );
        }
        None => {
            let stages: Vec<_> = r.stages.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(out, "  stages: {}", stages.join(" → "));
            let _ = writeln!(
                out,
                "  state: {}, waiting for {}",
                s.state,
                stages.first().copied().unwrap_or("-")
            );
        }
    }
    out
}

pub fn risk(asset: i64, e: &RiskExplanation) -> String {
    let mut out = String::new();
    let r = &e.routing;
    let _ = writeln!(
        out,
        "asset {asset}: risk score {} (policy {})",
        r.score, e.policy
    );
    for c in &r.contributions {
        let _ = writeln!(out, "  {:>+5}  {:<20} {}", c.points, c.factor, c.detail);
    }
    let _ = writeln!(out, "score tier: {}", r.score_tier);
    for g in &r.gates {
        let _ = writeln!(out, "mandatory gate: {} → {}", g.name, g.role);
    }
    let stages: Vec<_> = r.stages.iter().map(|s| s.as_str()).collect();
    let _ = writeln!(
        out,
        "tier: {}; stages: {}",
        r.tier,
        if stages.is_empty() {
            "none (auto-approve, sampled for audit)".into()
        } else {
            stages.join(" → ")
        }
    );
    out
}

pub fn queue(page: &QueuePage) -> String {
    let mut out = String::new();
    if page.items.is_empty() {
        let _ = writeln!(out, "nothing waits for you");
    }
    for e in &page.items {
        let due = e
            .item
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "no deadline".into());
        let note = if e.authored_by_you {
            "  (you wrote part of it: someone else must approve)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:>7}  {:<10} {:<12} {:<12} v{:<3} {}{note}",
            e.item.asset,
            e.brand_slug,
            e.item.role.as_str(),
            due,
            e.item.version,
            e.item.title
        );
    }
    if let Some(next) = &page.next {
        let _ = writeln!(out, "more: --after {next}");
    }
    out
}

pub fn audit_log(entries: &[AuditEntry]) -> String {
    let mut out = String::new();
    for e in entries {
        let _ = writeln!(
            out,
            "{:>6}  {}  {:<10} {:<8} {:<18} {:<10} {}",
            e.seq,
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.brand.as_deref().unwrap_or("-"),
            e.action,
            e.subject,
            e.details
        );
    }
    out
}

pub fn verify(report: &VerifyReport) -> String {
    match &report.broken {
        None => format!(
            "audit chain OK: {} entries; head {} {}\n",
            report.entries, report.head_seq, report.head_hash
        ),
        Some(b) => format!(
            "audit chain BROKEN at entry {}: {b}\n  {} entries verified before it; last good entry {} {}\n",
            b.seq(),
            report.entries,
            report.head_seq,
            report.head_hash
        ),
    }
}
