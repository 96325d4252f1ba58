//! Experiments: the brand's list, and one experiment with its variants, plan, the forms that
//! start and stop it and import results (for whom the service allows), and the analysis of
//! its newest results — the verdicts the CLI prints, a chart of each challenger's lift with
//! its interval, the peek and sample-ratio warnings, and the numbers.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use copydesk_core::experiment::{AnalysisMethod, Experiment, ExperimentState, MetricType};
use copydesk_core::ExperimentId;
use copydesk_service::{
    ExperimentReport, ExperimentView, Launch, Service, EXPERIMENT_DESIGNERS, RESULT_IMPORTERS,
};
use copydesk_stats::analysis::VariantReport;
use copydesk_stats::display::{signed_percent, thousands, trim};
use copydesk_stats::verdict::{chance_text, p_text, peek_warning, srm_sentence, verdict, Launched};
use maud::{html, Markup};

use serde::Deserialize;

use super::frame::{page, Frame, Nav};
use super::text::label;
use super::{BrandQuery, Notice, PageError, PlainForm};
use crate::api::word;
use crate::auth::{Caller, Credentials};
use crate::error::ApiError;
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
) -> Result<Response, PageError> {
    let notice = Notice::after(
        q.done.as_deref(),
        &[
            ("started", "Started: the plan is fixed from here on."),
            (
                "stopped",
                "Stopped. Its results stay and can still be read.",
            ),
            (
                "imported",
                "Results imported; the analysis below reads them.",
            ),
        ],
    );
    screen(
        &state,
        creds,
        q.brand,
        ExperimentId(id),
        notice,
        StatusCode::OK,
    )
    .await
}

async fn screen(
    state: &AppState,
    creds: Credentials,
    brand: Option<String>,
    id: ExperimentId,
    notice: Notice,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (frame, (view, analysis)) = state
        .page(creds, brand, move |svc, caller, _| {
            let view = svc.experiment_show(&caller.actor, id)?;
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
        (notice)
        (design(&frame, &view))
        (actions(&frame, e))
        h2 { "Results" }
        @match &analysis {
            None => p.empty { "No results imported yet." },
            Some(Err(why)) => p.alert.error role="alert" { "These results cannot be analysed: " (why) },
            Some(Ok(report)) => (results(report)),
        }
    };
    Ok((status, page(&frame, Nav::Experiments, &title, body)).into_response())
}

/// What the caller may do next with the experiment, by its state and their roles (the
/// service decides again when the form arrives).
fn actions(frame: &Frame, e: &Experiment) -> Markup {
    let may = |roles| frame.standing.as_ref().is_some_and(|s| s.holds_any(roles));
    let can_start = e.state == ExperimentState::Draft && may(EXPERIMENT_DESIGNERS);
    let can_stop = e.check_stop().is_ok() && may(EXPERIMENT_DESIGNERS);
    let can_import = e.check_import().is_ok() && may(RESULT_IMPORTERS);
    if !(can_start || can_stop || can_import) {
        return html! {};
    }
    let action = |what: &str| format!("/experiments/{}/{what}", e.id);
    html! {
        section aria-labelledby="run-h" {
            h2 id="run-h" { "Run it" }
            @if can_start {
                form.stack method="post" action=(action("start")) {
                    (frame.csrf_field())
                    input type="hidden" name="brand" value=(frame.slug());
                    p { "Fix the plan before launch: the users each variant needs, given or planned from today's rate and the smallest lift worth finding. Every variant must be approved first." }
                    div.field {
                        label for="s-users" { "Users per variant" }
                        input id="s-users" name="users" type="number" min="1" step="1" inputmode="numeric";
                    }
                    div.field {
                        label for="s-baseline" { "…or plan it: the control's rate or mean today" }
                        input id="s-baseline" name="baseline" type="number" step="any" placeholder="0.05";
                    }
                    div.field {
                        label for="s-mde" { "Smallest lift worth finding (relative, 0.10 = +10%)" }
                        input id="s-mde" name="mde" type="number" step="any" placeholder="0.10";
                    }
                    @if e.metric_type == MetricType::Mean {
                        div.field {
                            label for="s-stddev" { "Per-user standard deviation (to plan a mean)" }
                            input id="s-stddev" name="stddev" type="number" step="any" min="0";
                        }
                    }
                    div.field {
                        label for="s-method" { "Analysis" }
                        select id="s-method" name="method" {
                            option value="fixed" selected { (AnalysisMethod::Fixed.describe()) }
                            option value="sequential" { (AnalysisMethod::Sequential.describe()) }
                        }
                    }
                    div.field {
                        label for="s-alpha" { "Significance level α" }
                        input id="s-alpha" name="alpha" type="number" step="any" min="0" max="1" value="0.05";
                    }
                    button type="submit" { "Start the experiment" }
                }
            }
            @if can_stop {
                form method="post" action=(action("stop")) {
                    (frame.csrf_field())
                    input type="hidden" name="brand" value=(frame.slug());
                    button type="submit" { "Stop the experiment" }
                }
            }
            @if can_import {
                details.import {
                    summary { "Import results" }
                    form.stack method="post" action=(action("results")) {
                        (frame.csrf_field())
                        input type="hidden" name="brand" value=(frame.slug());
                        div.field {
                            label for="r-csv" { "Your analytics export (CSV, one row per variant)" }
                            textarea id="r-csv" name="csv" rows="6" required placeholder="variant,users,conversions" {}
                        }
                        div.field {
                            label for="r-source" { "Where it comes from" }
                            input id="r-source" name="source" type="text" value="web";
                        }
                        button type="submit" { "Import" }
                    }
                }
            }
        }
    }
}

/// Runs a form's action on an experiment: on success the browser goes back to its page with
/// `done` said; on failure the page is shown again with why.
async fn act<T, F>(
    state: &AppState,
    creds: Credentials,
    form: PlainForm,
    id: ExperimentId,
    done: &'static str,
    op: F,
) -> Result<Response, PageError>
where
    T: Send + 'static,
    F: FnOnce(&mut Service, &Caller) -> Result<T, ApiError> + Send + 'static,
{
    let brand = form.brand;
    let then = format!("/experiments/{id}?brand={brand}&done={done}");
    super::act(state, creds, &form.csrf, then, op, |creds, e| {
        screen(
            state,
            creds,
            Some(brand),
            id,
            Notice::Failed(e.message),
            e.status,
        )
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct StartForm {
    #[serde(flatten)]
    plain: PlainForm,
    #[serde(default)]
    users: String,
    #[serde(default)]
    baseline: String,
    #[serde(default)]
    mde: String,
    #[serde(default)]
    stddev: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    alpha: String,
}

/// A number typed into a form: empty is none, anything else must parse.
fn typed<T: std::str::FromStr>(field: &str, value: &str) -> Result<Option<T>, ApiError> {
    match value.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("{field}: '{v}' is not a number"),
            )
        }),
    }
}

pub async fn start(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<StartForm>,
) -> Result<Response, PageError> {
    let id = ExperimentId(id);
    let launch = (|| {
        let planned = Launch::users(0, AnalysisMethod::Fixed, 0.05);
        Ok::<_, ApiError>(Launch {
            users: typed("users per variant", &form.users)?,
            baseline: typed("baseline", &form.baseline)?,
            mde: typed("smallest lift", &form.mde)?,
            stddev: typed("standard deviation", &form.stddev)?,
            alpha: typed("α", &form.alpha)?.unwrap_or(planned.alpha),
            method: match form.method.as_str() {
                "" => planned.method,
                m => word("method", m)?,
            },
            ..planned
        })
    })();
    act(
        &state,
        creds,
        form.plain,
        id,
        "started",
        move |svc, caller| {
            svc.experiment_start(&caller.actor, id, &launch?)
                .map_err(ApiError::from)
        },
    )
    .await
}

pub async fn stop(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<PlainForm>,
) -> Result<Response, PageError> {
    let id = ExperimentId(id);
    act(&state, creds, form, id, "stopped", move |svc, caller| {
        svc.experiment_stop(&caller.actor, id)
            .map_err(ApiError::from)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct ResultsForm {
    #[serde(flatten)]
    plain: PlainForm,
    csv: String,
    #[serde(default)]
    source: String,
}

pub async fn import(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<ResultsForm>,
) -> Result<Response, PageError> {
    let id = ExperimentId(id);
    let source = match form.source.trim() {
        "" => "web".to_string(),
        s => s.to_string(),
    };
    let csv = form.csv;
    act(
        &state,
        creds,
        form.plain,
        id,
        "imported",
        move |svc, caller| {
            svc.experiment_import(&caller.actor, id, &source, &csv, None)
                .map_err(ApiError::from)
        },
    )
    .await
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
                "The " (peek_warning(r.smallest_arm, r.plan.per_variant))
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
