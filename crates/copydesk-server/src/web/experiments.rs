//! Experiments: the brand's list, and one experiment with its variants, plan and the analysis
//! of its newest results — the verdicts the CLI prints, a chart of each challenger's lift with
//! its interval, the peek and sample-ratio warnings, and the numbers.

use axum::extract::{Path, Query, State};
use copydesk_core::experiment::Experiment;
use copydesk_core::ExperimentId;
use copydesk_service::{ExperimentReport, ExperimentView};
use copydesk_stats::analysis::VariantReport;
use copydesk_stats::display::{signed_percent, thousands, trim};
use copydesk_stats::verdict::{chance_text, p_text, srm_sentence, verdict, Launched};
use maud::{html, Markup};

use super::frame::{page, Frame, Nav};
use super::text::label;
use super::{BrandQuery, PageError};
use crate::auth::Credentials;
use crate::AppState;

pub async fn list(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Markup, PageError> {
    let (frame, experiments) = state
        .page(creds, q.brand, move |svc, caller, frame| {
            frame.in_brand(|brand| svc.experiment_list(&caller.actor, brand))
        })
        .await?;
    let body = html! {
        h1 { "Experiments" }
        p { "Designed and launched with " code { "copydesk experiment" } " or the API (" code { "POST /api/v1/experiments" } "); results are imported from your analytics export." }
        (experiment_table(&frame, &experiments))
    };
    Ok(page(&frame, Nav::Experiments, "Experiments", body))
}

fn experiment_table(frame: &Frame, experiments: &[Experiment]) -> Markup {
    html! {
        @if experiments.is_empty() {
            p.empty { "No experiments in this brand yet." }
        } @else {
            table {
                thead { tr { th scope="col" { "#" } th scope="col" { "Hypothesis" } th scope="col" { "Lever" } th scope="col" { "Metric" } th scope="col" { "Variants" } th scope="col" { "State" } } }
                tbody {
                    @for e in experiments {
                        tr {
                            td { (e.id) }
                            td { a href=(frame.href(&format!("/experiments/{}", e.id))) { (e.hypothesis) } }
                            td { (label(e.lever.as_str())) }
                            td { (e.metric) }
                            td { (e.variants.len()) }
                            td { (e.state) }
                        }
                    }
                }
            }
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<BrandQuery>,
) -> Result<Markup, PageError> {
    let (frame, (view, analysis)) = state
        .page(creds, q.brand, move |svc, caller, _| {
            let view = svc.experiment_show(&caller.actor, ExperimentId(id))?;
            // an analysis that cannot be made (an arm without variance) is said on the page,
            // not turned into an error page
            let analysis = match (&view.experiment.plan, &view.results) {
                (Some(_), Some(_)) => Some(view.report(None).map_err(|e| e.to_string())),
                _ => None,
            };
            Ok((view, analysis))
        })
        .await?;
    let e = &view.experiment;
    let title = format!("Experiment {}", e.id);
    let body = html! {
        h1 { (title) }
        (design(&frame, &view))
        h2 { "Results" }
        @match &analysis {
            None => p.empty { "No results imported yet." },
            Some(Err(why)) => p.alert.error role="alert" { "These results cannot be analysed: " (why) },
            Some(Ok(report)) => (results(report)),
        }
    };
    Ok(page(&frame, Nav::Experiments, &title, body))
}

fn design(frame: &Frame, view: &ExperimentView) -> Markup {
    let e = &view.experiment;
    html! {
        blockquote.hypothesis { (e.hypothesis) }
        dl.facts {
            dt { "Lever" } dd { (label(e.lever.as_str())) }
            dt { "Metric" } dd { (e.metric) " (" (e.metric_type) @if e.inverse { ", lower is better" } ")" }
            dt { "State" } dd { (e.state) }
            dt { "Designed by" } dd { (e.created_by.name) ", " (e.created_at.format("%Y-%m-%d")) }
            dt { "Plan" } dd {
                @match &e.plan {
                    None => "not started",
                    Some(plan) => {
                        (thousands(plan.per_variant)) " users per variant, "
                        (plan.method.describe()) ", α = " (plan.alpha)
                    }
                }
            }
        }
        table {
            caption { "Variants: the control first; each is an approved asset version." }
            thead { tr { th scope="col" { "Variant" } th scope="col" { "Asset" } th scope="col" { "Version" } th scope="col" { "Lever" } } }
            tbody {
                @for v in &e.variants {
                    tr {
                        td { (v.name) }
                        td { a href=(frame.href(&format!("/assets/{}", v.asset_id))) { "Asset " (v.asset_id) } }
                        td { (v.version) }
                        td { @match v.lever { Some(l) => (label(l.as_str())), None => "control" } }
                    }
                }
            }
        }
    }
}

fn results(r: &ExperimentReport) -> Markup {
    let a = &r.analysis;
    let conversion = a.metric_type == copydesk_stats::MetricType::Conversion;
    let level = format!("{}%", trim((1.0 - a.alpha) * 100.0, 2));
    let launched = Launched {
        per_variant: r.plan.per_variant,
        peek: r.peek,
    };
    html! {
        p { "Import " (r.import) " (" (r.source) "), by " (r.imported_by) " on " (r.imported_at.format("%Y-%m-%d %H:%M")) " UTC." }
        @if r.peek {
            p.alert.error role="alert" {
                strong { "Peek. " }
                "The smallest arm has " (thousands(r.smallest_arm)) " of the " (thousands(r.plan.per_variant))
                " planned users. A fixed-horizon test read early is not a result: deciding now inflates false positives. Wait for the planned size."
            }
        }
        @if a.srm.mismatch {
            p.alert.error role="alert" { (srm_sentence(a)) }
        } @else {
            p { (srm_sentence(a)) }
        }
        @if let Some(control) = a.variants.first() {
            ul.verdicts aria-label="Verdicts" {
                @for v in &a.variants[1..] {
                    li { (verdict(a, control, v, Some(launched))) }
                }
            }
        }
        (chart(a, &level))
        table {
            caption { "Lift against " (a.variants.first().map(|v| v.name.as_str()).unwrap_or("the control")) ", " (level) " interval; p-values " @if a.variants.len() > 2 { "Holm-adjusted" } @else { "two-sided" } "." }
            thead { tr { th scope="col" { "Variant" } th scope="col" { "Users" } th scope="col" { @if conversion { "Rate" } @else { "Mean" } } th scope="col" { "Lift" } th scope="col" { "Interval" } th scope="col" { "p" } th scope="col" { "Chance better" } } }
            tbody {
                @for v in &a.variants {
                    tr {
                        td { (v.name) }
                        td { (thousands(v.users)) }
                        td { @if conversion { (format!("{:.2}%", v.value * 100.0)) } @else { (format!("{:.4}", v.value)) } }
                        @match (&v.relative, &v.bayes) {
                            (Some(rel), Some(b)) => {
                                td { (signed_percent(rel.effect, 1)) }
                                td { (signed_percent(rel.ci_low, 1)) " to " (signed_percent(rel.ci_high, 1)) }
                                td { (p_text(rel.p_value_holm.unwrap_or(rel.p_value))) }
                                td { (chance_text(b.chance_to_beat_control)) }
                            }
                            _ => { td colspan="4" { (v.note.as_deref().unwrap_or("control")) } }
                        }
                    }
                }
            }
        }
    }
}

/// Each challenger's relative lift as a dot on its interval, around a line at zero. Drawn as
/// SVG attributes (no inline style, so the page's strict CSP holds).
fn chart(a: &copydesk_stats::Analysis, level: &str) -> Markup {
    let compared: Vec<(&VariantReport, f64, f64, f64)> = a
        .variants
        .iter()
        .filter_map(|v| {
            v.relative
                .as_ref()
                .map(|r| (v, r.effect, r.ci_low, r.ci_high))
        })
        .filter(|(_, e, l, h)| e.is_finite() && l.is_finite() && h.is_finite())
        .collect();
    if compared.is_empty() {
        return html! {};
    }
    let reach = compared
        .iter()
        .flat_map(|(_, _, l, h)| [l.abs(), h.abs()])
        .fold(0.01_f64, f64::max)
        * 1.1;
    let (left, width, row) = (120.0, 440.0, 36.0);
    let x = |v: f64| left + (v + reach) / (2.0 * reach) * width;
    let height = row * compared.len() as f64 + 30.0;
    let description = compared
        .iter()
        .map(|(v, e, l, h)| {
            format!(
                "{}: {} ({} to {})",
                v.name,
                signed_percent(*e, 1),
                signed_percent(*l, 1),
                signed_percent(*h, 1)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        figure.chart {
            svg role="img" aria-labelledby="lift-title lift-desc" viewBox=(format!("0 0 {} {height}", left + width + 20.0)) width="100%" {
                title id="lift-title" { "Lift against the control with " (level) " intervals" }
                desc id="lift-desc" { (description) }
                line x1=(x(0.0)) x2=(x(0.0)) y1="0" y2=(height - 24.0) stroke="#555" stroke-dasharray="4 3" {}
                text x=(x(0.0)) y=(height - 8.0) text-anchor="middle" font-size="12" fill="#333" { "0%" }
                text x=(x(-reach / 1.1)) y=(height - 8.0) text-anchor="middle" font-size="12" fill="#333" { (signed_percent(-reach / 1.1, 0)) }
                text x=(x(reach / 1.1)) y=(height - 8.0) text-anchor="middle" font-size="12" fill="#333" { (signed_percent(reach / 1.1, 0)) }
                @for (i, (v, e, l, h)) in compared.iter().enumerate() {
                    @let y = row * i as f64 + row / 2.0;
                    @let colour = if l > &0.0 || h < &0.0 { "#1a6b34" } else { "#44546a" };
                    text x=(left - 8.0) y=(y + 4.0) text-anchor="end" font-size="13" fill="#222" { (v.name) }
                    line x1=(x(*l)) x2=(x(*h)) y1=(y) y2=(y) stroke=(colour) stroke-width="4" stroke-linecap="round" {}
                    circle cx=(x(*e)) cy=(y) r="6" fill=(colour) {}
                }
            }
            figcaption { "Each dot is a challenger's lift; the bar its " (level) " interval. A bar that does not cross 0% is significant." }
        }
    }
}
