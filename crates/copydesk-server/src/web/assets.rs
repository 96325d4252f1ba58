//! Assets: the list, a new asset, and the review page — the current version with its
//! guardrail findings, the brief beside it, history, diffs, comments and the decision.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use copydesk_core::asset::{Asset, Version, VersionSummary};
use copydesk_core::brief::BriefRecord;
use copydesk_core::diff::{Diff, Granularity};
use copydesk_core::{AssetId, AssetKind, AssetState, BriefId, Decision, ReasonCode};
use copydesk_service::{AssetSpec, AssetView, Service, VersionSpec};
use maud::{html, Markup};
use serde::Deserialize;

use super::frame::{page, Frame, Nav};
use super::text::{highlighted, inline_diff, label, side_by_side};
use super::{see_other, Notice, PageError, PlainForm};
use crate::api::word;
use crate::auth::{Caller, Credentials};
use crate::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    brand: Option<String>,
    state: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<ListQuery>,
) -> Result<Markup, PageError> {
    let only: Option<AssetState> = q
        .state
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| word("state", s))
        .transpose()?;
    let (frame, assets) = state
        .page(creds, q.brand, move |svc, caller, frame| {
            frame.in_brand(|brand| svc.asset_list(&caller.actor, brand, only, None, 500))
        })
        .await?;
    let body = html! {
        h1 { "Assets" }
        p { a.button href=(frame.href("/assets/new")) { "New asset" } }
        form.filters method="get" action="/assets" aria-label="Filter assets" {
            input type="hidden" name="brand" value=(frame.slug());
            div {
                label for="a-state" { "State" }
                select id="a-state" name="state" {
                    option value="" { "Any" }
                    @for s in AssetState::ALL {
                        option value=(s.as_str()) selected[only == Some(*s)] { (label(s.as_str())) }
                    }
                }
            }
            button type="submit" { "Filter" }
        }
        (asset_table(&frame, &assets))
    };
    Ok(page(&frame, Nav::Assets, "Assets", body))
}

fn asset_table(frame: &Frame, assets: &[Asset]) -> Markup {
    html! {
        @if assets.is_empty() {
            p.empty { "No assets here." }
        } @else {
            table {
                caption { (assets.len()) " assets" }
                thead { tr { th scope="col" { "Asset" } th scope="col" { "Kind" } th scope="col" { "Channel" } th scope="col" { "State" } th scope="col" { "Version" } } }
                tbody {
                    @for a in assets {
                        tr {
                            td { a href=(format!("/assets/{}?brand={}", a.id, frame.slug())) { (a.title) } }
                            td { (label(a.kind.as_str())) }
                            td { (a.channel) }
                            td { (state_badge(a.state)) }
                            td { (a.current_version) }
                        }
                    }
                }
            }
        }
    }
}

fn state_badge(state: AssetState) -> Markup {
    html! { span class=(format!("badge state-{}", state.as_str())) { (label(state.as_str())) } }
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    brand: Option<String>,
    brief: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<NewQuery>,
) -> Result<Markup, PageError> {
    let (frame, briefs) = state
        .page(creds, q.brand, |svc, caller, frame| {
            frame.in_brand(|brand| svc.brief_list(&caller.actor, brand, None, 500))
        })
        .await?;
    let body = html! {
        h1 { "New asset" }
        @if briefs.is_empty() {
            p.empty { "Every asset is written from a brief. " a href=(frame.href("/briefs/new")) { "Write a brief first." } }
        } @else {
            form.stack method="post" action="/assets" {
                (frame.csrf_field())
                input type="hidden" name="brand" value=(frame.slug());
                div.field {
                    label for="n-brief" { "Brief" }
                    select id="n-brief" name="brief" required {
                        @for b in &briefs {
                            option value=(b.id.0) selected[q.brief == Some(b.id.0)] { (b.content.title) }
                        }
                    }
                }
                div.field {
                    label for="n-title" { "Title" }
                    input id="n-title" name="title" type="text" required;
                }
                div.field {
                    label for="n-kind" { "Kind" }
                    select id="n-kind" name="kind" {
                        @for k in AssetKind::ALL { option value=(k.as_str()) { (label(k.as_str())) } }
                    }
                }
                div.field {
                    label for="n-channel" { "Channel" }
                    span.hint id="n-channel-hint" { "Leave empty to use the brief's channel." }
                    input id="n-channel" name="channel" type="text" aria-describedby="n-channel-hint";
                }
                div.field {
                    label for="n-text" { "First version" }
                    textarea id="n-text" name="text" rows="12" required {}
                }
                div.field {
                    label for="n-note" { "Note" }
                    input id="n-note" name="note" type="text";
                }
                button type="submit" { "Create asset" }
            }
        }
    };
    Ok(page(&frame, Nav::Assets, "New asset", body))
}

#[derive(Debug, Deserialize)]
pub struct NewAssetForm {
    csrf: String,
    brand: String,
    brief: i64,
    title: String,
    kind: String,
    #[serde(default)]
    channel: String,
    text: String,
    #[serde(default)]
    note: String,
}

pub async fn create(
    State(state): State<AppState>,
    creds: Credentials,
    Form(form): Form<NewAssetForm>,
) -> Result<Response, PageError> {
    let kind: AssetKind = word("kind", &form.kind)?;
    let creds = creds.with_form_csrf(&form.csrf);
    let brand = form.brand.clone();
    let id = state
        .run_as(creds, move |svc, caller| {
            let spec = AssetSpec {
                title: form.title,
                kind,
                channel: Some(form.channel.trim().to_string()).filter(|c| !c.is_empty()),
                locale: "en".into(),
                personalised: false,
            };
            let first = VersionSpec::human(&form.text, &form.note);
            svc.asset_new(&caller.actor, BriefId(form.brief), &spec, Some(&first))
        })
        .await?;
    Ok(see_other(&format!("/assets/{id}?brand={brand}")))
}

/// Everything the review page shows.
struct Screen {
    view: AssetView,
    version: Option<Version>,
    history: Vec<VersionSummary>,
    brief: Option<BriefRecord>,
}

/// A message above the page: what just happened, or why it did not.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    brand: Option<String>,
    /// Another version than the current one.
    v: Option<u32>,
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let notice = Notice::after(
        q.done.as_deref(),
        &[
            ("submitted", "Submitted for review."),
            ("decided", "Your decision is recorded."),
            ("commented", "Comment added."),
            ("published", "Published."),
            ("saved", "New version saved; the guardrails ran on it."),
        ],
    );
    screen(
        &state,
        creds,
        q.brand,
        AssetId(id),
        q.v,
        notice,
        StatusCode::OK,
    )
    .await
}

async fn screen(
    state: &AppState,
    creds: Credentials,
    brand: Option<String>,
    id: AssetId,
    number: Option<u32>,
    notice: Notice,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (frame, s) = state
        .page(creds, brand, move |svc, caller, _| {
            let view = svc.asset_show(&caller.actor, id)?;
            let version = match (number, view.asset.current_version) {
                (None, 0) => None,
                (n, _) => Some(svc.version_show(&caller.actor, id, n)?),
            };
            let history = svc.asset_history(&caller.actor, id, None, 200)?;
            let brief = svc
                .brief_show(&caller.actor, view.asset.brief_id, None)
                .ok()
                .map(|b| b.brief);
            Ok(Screen {
                view,
                version,
                history,
                brief,
            })
        })
        .await?;
    Ok((status, review_page(&frame, &s, &notice)).into_response())
}

fn review_page(frame: &Frame, s: &Screen, notice: &Notice) -> Markup {
    let a = &s.view.asset;
    let base = format!("/assets/{}", a.id);
    let in_review = a.state == AssetState::InReview;
    let body = html! {
        div.asset-head {
            h1 { (a.title) }
            p.meta {
                (state_badge(a.state)) " " (label(a.kind.as_str())) " · " (a.channel)
                " · brief " a href=(format!("/briefs/{}?brand={}", a.brief_id, frame.slug())) { (s.view.brief_title) }
                " · " a href=(format!("{base}/audit?brand={}", frame.slug())) { "Audit trail" }
            }
        }
        (notice)
        div.review-layout {
            div.review-main {
                @if let Some(v) = &s.version {
                    (version_section(frame, a, v))
                } @else {
                    p.empty { "No version yet." }
                }
                @if let Some(r) = &s.view.review { (review_progress(r)) }
                (comments_section(frame, s))
                @if in_review { (decision_form(frame, a)) }
                (actions(frame, a))
            }
            aside.review-side {
                @if let Some(b) = &s.brief { (brief_summary(frame, b)) }
                (history_section(frame, a, &s.history))
            }
        }
    };
    page(frame, Nav::Assets, &a.title, body)
}

fn version_section(frame: &Frame, a: &Asset, v: &Version) -> Markup {
    html! {
        section aria-labelledby="version-h" {
            h2 id="version-h" {
                "Version " (v.number)
                @if v.number != a.current_version { " (not the current one: " a href=(format!("/assets/{}?brand={}", a.id, frame.slug())) { "see version " (a.current_version) } ")" }
            }
            p.meta { "Written by " (v.author.describe()) " on " (v.created_at.format("%Y-%m-%d %H:%M UTC"))
                @if !v.note.is_empty() { " · " em { (v.note) } } }
            p.meta { (v.findings.error) " errors, " (v.findings.warning) " warnings, " (v.findings.info) " suggestions from the guardrails. Hover or focus a highlighted passage for its message." }
            div.version-text id="version-text" data-version=(v.number) {
                (highlighted(&v.text, &v.guardrail_findings))
            }
            @if !v.guardrail_findings.is_empty() {
                details.findings {
                    summary { "All " (v.guardrail_findings.len()) " findings" }
                    ol {
                        @for f in &v.guardrail_findings {
                            li {
                                span class=(format!("sev sev-{}", f.severity.as_str())) { (f.severity.as_str()) }
                                " line " (f.line) ":" (f.column) " · " strong { (label(f.category.as_str())) } " — " (f.message)
                                " “" (f.matched) "”"
                                @if let Some(sug) = f.suggestions.first() { " Try: " em { (sug) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn review_progress(r: &copydesk_core::review::Review) -> Markup {
    html! {
        section aria-labelledby="round-h" {
            h2 id="round-h" { "Review of version " (r.version) }
            p.meta { "Risk tier " span class=(format!("tier tier-{}", r.tier.as_str())) { (label(r.tier.as_str())) } " (score " (r.score) "), submitted by " (r.submitted_by.name) }
            @if r.stages.is_empty() {
                p { "Spot-check tier: no review stage is required." }
            } @else {
                ol.stages {
                    @for (i, role) in r.stages.iter().enumerate() {
                        li {
                            (label(role.as_str())) ": "
                            @match r.decisions.iter().rev().find(|d| d.stage as usize == i) {
                                Some(d) => {
                                    strong { (label(d.decision.as_str())) } " by " (d.by.name)
                                    @if let Some(reason) = d.reason { " (" (label(reason.as_str())) ")" }
                                    @if !d.comment.is_empty() { " — " (d.comment) }
                                }
                                None => { "waiting" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn comments_section(frame: &Frame, s: &Screen) -> Markup {
    let a = &s.view.asset;
    let number = s.version.as_ref().map_or(a.current_version, |v| v.number);
    html! {
        section aria-labelledby="comments-h" {
            h2 id="comments-h" { "Comments" }
            @if s.view.comments.is_empty() {
                p.empty { "No comments yet." }
            } @else {
                ul.comments {
                    @for c in &s.view.comments {
                        li {
                            p.meta { strong { (c.by.name) } " on version " (c.version) ", " (c.created_at.format("%Y-%m-%d %H:%M UTC")) }
                            @if !c.quote.is_empty() { blockquote { (c.quote) } }
                            p { (c.body) }
                        }
                    }
                }
            }
            @if s.version.is_some() {
                form.stack.comment-form method="post" action=(format!("/assets/{}/comments", a.id)) {
                    (frame.csrf_field())
                    input type="hidden" name="brand" value=(frame.slug());
                    input type="hidden" name="version" value=(number);
                    input type="hidden" name="start" id="c-start" value="";
                    input type="hidden" name="end" id="c-end" value="";
                    div.field {
                        label for="c-quote" { "Passage (optional)" }
                        span.hint id="c-quote-hint" { "Select text in the version to quote it here, or type the exact words." }
                        input id="c-quote" name="quote" type="text" aria-describedby="c-quote-hint";
                    }
                    div.field {
                        label for="c-body" { "Comment" }
                        textarea id="c-body" name="body" rows="3" required {}
                    }
                    button type="submit" { "Add comment" }
                }
            }
        }
    }
}

fn decision_form(frame: &Frame, a: &Asset) -> Markup {
    html! {
        section aria-labelledby="decide-h" {
            h2 id="decide-h" { "Your decision" }
            form.stack.decision-form method="post" action=(format!("/assets/{}/decisions", a.id)) {
                (frame.csrf_field())
                input type="hidden" name="brand" value=(frame.slug());
                fieldset {
                    legend { "Decision" }
                    @for d in Decision::ALL {
                        div.radio {
                            input type="radio" name="decision" id=(format!("d-{}", d.as_str())) value=(d.as_str()) required;
                            label for=(format!("d-{}", d.as_str())) { (label(d.as_str())) }
                        }
                    }
                }
                div.field {
                    label for="d-reason" { "Reason (to request changes or reject)" }
                    select id="d-reason" name="reason" {
                        option value="" { "—" }
                        @for r in ReasonCode::ALL { option value=(r.as_str()) { (label(r.as_str())) } }
                    }
                }
                div.field {
                    label for="d-comment" { "Note with your decision" }
                    textarea id="d-comment" name="comment" rows="3" {}
                }
                div.proud {
                    input type="checkbox" id="d-proud" name="proud" value="yes";
                    label for="d-proud" { "Would we be proud to have this represent the brand? Yes — approving needs this." }
                }
                button type="submit" { "Record decision" }
            }
        }
    }
}

fn actions(frame: &Frame, a: &Asset) -> Markup {
    let can_submit = matches!(a.state, AssetState::Draft | AssetState::ChangesRequested)
        && a.current_version > 0;
    html! {
        section aria-labelledby="actions-h" {
            h2 id="actions-h" { "Work on it" }
            div.actions {
                @if can_submit {
                    form method="post" action=(format!("/assets/{}/submit", a.id)) {
                        (frame.csrf_field())
                        input type="hidden" name="brand" value=(frame.slug());
                        button type="submit" { "Submit version " (a.current_version) " for review" }
                    }
                }
                @if a.state == AssetState::Approved {
                    form method="post" action=(format!("/assets/{}/publish", a.id)) {
                        (frame.csrf_field())
                        input type="hidden" name="brand" value=(frame.slug());
                        button type="submit" { "Publish" }
                    }
                }
            }
            details.new-version {
                summary { "Write a new version" }
                form.stack method="post" action=(format!("/assets/{}/versions", a.id)) {
                    (frame.csrf_field())
                    input type="hidden" name="brand" value=(frame.slug());
                    div.field {
                        label for="v-text" { "Text" }
                        textarea id="v-text" name="text" rows="12" required {}
                    }
                    div.field {
                        label for="v-note" { "What changed and why" }
                        input id="v-note" name="note" type="text";
                    }
                    button type="submit" { "Save version" }
                }
            }
        }
    }
}

fn brief_summary(frame: &Frame, b: &BriefRecord) -> Markup {
    let c = &b.content;
    html! {
        section.brief-side aria-labelledby="brief-h" {
            h2 id="brief-h" { "The brief" }
            p { a href=(format!("/briefs/{}?brand={}", b.id, frame.slug())) { (c.title) } " (version " (b.version) ")" }
            dl {
                dt { "Audience" } dd { (c.audience) }
                dt { "Problem" } dd { (c.problem) }
                dt { "They believe" } dd { (c.current_beliefs) }
                dt { "We want them to understand" } dd { (c.desired_understanding) }
                dt { "Must not sound like" } dd { (c.must_not_sound_like) }
                @if !c.claims.is_empty() {
                    dt { "Claims" }
                    dd { ul { @for cl in &c.claims { li { (cl.claim) @if !cl.source.is_empty() { " — " em { (cl.source) } } } } } }
                }
            }
        }
    }
}

fn history_section(frame: &Frame, a: &Asset, history: &[VersionSummary]) -> Markup {
    let base = format!("/assets/{}", a.id);
    let previous = a.current_version.saturating_sub(1).max(1);
    html! {
        section aria-labelledby="history-h" {
            h2 id="history-h" { "Versions" }
            ol.history reversed {
                @for v in history {
                    li {
                        a href=(format!("{base}?brand={}&v={}", frame.slug(), v.number)) { "Version " (v.number) }
                        " by " (v.author.describe())
                        br;
                        span.muted { (v.created_at.format("%Y-%m-%d %H:%M")) @if !v.note.is_empty() { " · " (v.note) } }
                        @if let Some(parent) = v.parent {
                            " · " a href=(format!("{base}/diff?brand={}&from={parent}&to={}", frame.slug(), v.number)) { "changes from " (parent) }
                        }
                    }
                }
            }
            @if a.current_version > 1 {
                form.stack.diff-form method="get" action=(format!("{base}/diff")) {
                    input type="hidden" name="brand" value=(frame.slug());
                    h3 { "Compare versions" }
                    div.field {
                        label for="diff-from" { "From" }
                        select id="diff-from" name="from" {
                            @for v in history { option value=(v.number) selected[v.number == previous] { (v.number) } }
                        }
                    }
                    div.field {
                        label for="diff-to" { "To" }
                        select id="diff-to" name="to" {
                            @for v in history { option value=(v.number) selected[v.number == a.current_version] { (v.number) } }
                        }
                    }
                    div.field {
                        label for="diff-view" { "View" }
                        select id="diff-view" name="view" {
                            option value="side" { "Side by side" }
                            option value="inline" { "Inline" }
                        }
                    }
                    button type="submit" { "Compare" }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    brand: Option<String>,
    from: u32,
    to: Option<u32>,
    view: Option<String>,
    by: Option<String>,
}

pub async fn diff(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> Result<Markup, PageError> {
    let granularity = match q.by.as_deref() {
        Some("lines") => Granularity::Lines,
        _ => Granularity::Words,
    };
    let (from, to) = (q.from, q.to);
    let (frame, (view, diff)) = state
        .page(creds, q.brand, move |svc, caller, _| {
            let view = svc.asset_show(&caller.actor, AssetId(id))?;
            let diff: Diff = svc.asset_diff(&caller.actor, AssetId(id), from, to, granularity)?;
            Ok((view, diff))
        })
        .await?;
    let to = to.unwrap_or(view.asset.current_version);
    let side = q.view.as_deref() != Some("inline");
    let base = format!(
        "/assets/{id}/diff?brand={}&from={from}&to={to}",
        frame.slug()
    );
    let body = html! {
        h1 { (view.asset.title) ": version " (from) " → " (to) }
        p.meta {
            a href=(format!("/assets/{id}?brand={}", frame.slug())) { "Back to the asset" }
            " · " (diff.stats.inserted) " added, " (diff.stats.deleted) " removed · "
            @if side { a href=(format!("{base}&view=inline")) { "Inline view" } } @else { a href=(format!("{base}&view=side")) { "Side-by-side view" } }
        }
        @if side {
            (side_by_side(&diff, from, to))
        } @else {
            div.version-text.diff-inline { (inline_diff(&diff)) }
        }
    };
    Ok(page(&frame, Nav::Assets, "Compare versions", body))
}

/// Runs a form's action on an asset: on success the browser goes back to the asset page
/// with `done` said; on failure the page is shown again with why.
async fn act<T, E, F>(
    state: &AppState,
    creds: Credentials,
    form: PlainForm,
    id: AssetId,
    done: &'static str,
    op: F,
) -> Result<Response, PageError>
where
    T: Send + 'static,
    E: Into<ApiError>,
    F: FnOnce(&mut Service, &Caller) -> Result<T, E> + Send + 'static,
{
    let brand = form.brand;
    let then = format!("/assets/{id}?brand={brand}&done={done}");
    super::act(state, creds, &form.csrf, then, op, |creds, e| {
        screen(
            state,
            creds,
            Some(brand),
            id,
            None,
            Notice::Failed(e.message),
            e.status,
        )
    })
    .await
}

pub async fn submit(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<PlainForm>,
) -> Result<Response, PageError> {
    let id = AssetId(id);
    act(&state, creds, form, id, "submitted", move |svc, caller| {
        svc.review_submit(&caller.actor, id)
    })
    .await
}

pub async fn publish(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<PlainForm>,
) -> Result<Response, PageError> {
    let id = AssetId(id);
    act(&state, creds, form, id, "published", move |svc, caller| {
        svc.publish(&caller.actor, id)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct VersionForm {
    #[serde(flatten)]
    plain: PlainForm,
    text: String,
    #[serde(default)]
    note: String,
}

pub async fn version_add(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<VersionForm>,
) -> Result<Response, PageError> {
    let id = AssetId(id);
    let (text, note) = (form.text, form.note);
    act(
        &state,
        creds,
        form.plain,
        id,
        "saved",
        move |svc, caller| svc.version_add(&caller.actor, id, &VersionSpec::human(&text, &note)),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(flatten)]
    plain: PlainForm,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    comment: String,
    proud: Option<String>,
}

fn unprocessable(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
}

pub async fn decide(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let id = AssetId(id);
    let DecisionForm {
        plain,
        decision,
        reason,
        comment,
        proud,
    } = form;
    act(&state, creds, plain, id, "decided", move |svc, caller| {
        if decision.is_empty() {
            return Err(unprocessable("choose approve, request changes or reject"));
        }
        let decision: Decision = word("decision", &decision)?;
        let reason: Option<ReasonCode> = Some(reason.as_str())
            .filter(|r| !r.is_empty())
            .map(|r| word("reason", r))
            .transpose()?;
        svc.review_decide(
            &caller.actor,
            id,
            decision,
            reason,
            &comment,
            proud.is_some(),
        )
        .map_err(ApiError::from)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct CommentForm {
    // not a flattened `PlainForm`: flattening hands `version` over as a string
    csrf: String,
    brand: String,
    version: Option<u32>,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    quote: String,
    body: String,
}

/// The character range a comment form anchors to: the selection's offsets when the script
/// sent them, else the first place the typed passage appears.
fn anchor(start: &str, end: &str, quote: &str, text: &str) -> Result<Option<(u32, u32)>, ApiError> {
    if let (Ok(start), Ok(end)) = (start.parse::<u32>(), end.parse::<u32>()) {
        return Ok(Some((start, end)));
    }
    let quote = quote.trim();
    if quote.is_empty() {
        return Ok(None);
    }
    let at = text.find(quote).ok_or_else(|| {
        unprocessable(format!(
            "the passage “{quote}” is not in this version's text; copy it exactly, or select it"
        ))
    })?;
    let start = text[..at].chars().count() as u32;
    Ok(Some((start, start + quote.chars().count() as u32)))
}

pub async fn comment(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<CommentForm>,
) -> Result<Response, PageError> {
    let id = AssetId(id);
    let CommentForm {
        csrf,
        brand,
        version,
        start,
        end,
        quote,
        body,
    } = form;
    let plain = PlainForm { csrf, brand };
    act(&state, creds, plain, id, "commented", move |svc, caller| {
        let version = svc.version_show(&caller.actor, id, version)?;
        let range = anchor(&start, &end, &quote, &version.text)?;
        svc.review_comment(&caller.actor, id, Some(version.number), range, &body)
            .map_err(ApiError::from)
    })
    .await
}
