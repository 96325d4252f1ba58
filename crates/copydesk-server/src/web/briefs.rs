//! Briefs: the list, the editor with live completeness feedback, and source material.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::NaiveDate;
use copydesk_core::brief::{BriefContent, Claim, Gap};
use copydesk_core::{BriefId, CollaborationModel, Reach, SourceKind};
use copydesk_service::BriefView;
use maud::{html, Markup};
use serde::Deserialize;

use super::frame::{page, Frame, Nav};
use super::text::label;
use super::{see_other, BrandQuery, PageError};
use crate::api::word;
use crate::auth::Credentials;
use crate::error::ApiError;
use crate::AppState;

pub async fn list(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Markup, PageError> {
    let (frame, briefs) = state
        .page(creds, q.brand, |svc, caller, frame| {
            frame.in_brand(|brand| svc.brief_list(&caller.actor, brand, None, 500))
        })
        .await?;
    let body = html! {
        h1 { "Briefs" }
        p { a.button href=(frame.href("/briefs/new")) { "New brief" } }
        @if briefs.is_empty() {
            p.empty { "No briefs yet." }
        } @else {
            table {
                caption { "Briefs of " (frame.slug()) }
                thead { tr { th scope="col" { "Brief" } th scope="col" { "Channel" } th scope="col" { "Deadline" } th scope="col" { "Version" } th scope="col" { "Updated by" } } }
                tbody {
                    @for b in &briefs {
                        tr {
                            td { a href=(format!("/briefs/{}?brand={}", b.id, frame.slug())) { (b.content.title) } }
                            td { (b.content.channel) }
                            td { @if let Some(d) = b.content.deadline { (d) } @else { "—" } }
                            td { (b.version) }
                            td { (b.updated_by.name) }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&frame, Nav::Briefs, "Briefs", body))
}

/// A brief form as submitted: repeated `claim`/`proof`/`source` fields make the claims.
struct BriefForm {
    csrf: String,
    brand: String,
    /// The brief being edited, when the live check is asked about one.
    existing: Option<BriefId>,
    content: BriefContent,
}

fn lines(value: &str) -> Vec<String> {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn optional_word<T: std::str::FromStr>(field: &str, value: &str) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    let value = value.trim();
    if value.is_empty() {
        Ok(None)
    } else {
        word(field, value).map(Some)
    }
}

impl BriefForm {
    fn parse(pairs: Vec<(String, String)>) -> Result<BriefForm, ApiError> {
        let mut form = BriefForm {
            csrf: String::new(),
            brand: String::new(),
            existing: None,
            content: BriefContent::default(),
        };
        let c = &mut form.content;
        let (mut claims, mut proofs, mut sources) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in pairs {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "brand" => form.brand = value,
                "brief" => form.existing = value.parse().ok().map(BriefId),
                "title" => c.title = value,
                "audience" => c.audience = value,
                "problem" => c.problem = value,
                "current_beliefs" => c.current_beliefs = value,
                "desired_understanding" => c.desired_understanding = value,
                "must_not_sound_like" => c.must_not_sound_like = value,
                "source_material" => c.source_material = lines(&value),
                "channel" => c.channel = value,
                "objective" => c.objective = value,
                "call_to_action" => c.call_to_action = value,
                "deadline" if value.trim().is_empty() => c.deadline = None,
                "deadline" => {
                    c.deadline = Some(NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(
                        |_| {
                            ApiError::new(
                                StatusCode::UNPROCESSABLE_ENTITY,
                                "invalid",
                                format!("deadline '{value}': give a date as YYYY-MM-DD"),
                            )
                        },
                    )?)
                }
                "reach" => c.reach = optional_word::<Reach>("reach", &value)?,
                "collaboration_model" => {
                    c.collaboration_model =
                        optional_word::<CollaborationModel>("collaboration_model", &value)?
                }
                "regulated_topics" => {
                    c.regulated_topics = value
                        .split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                "claim" => claims.push(value),
                "proof" => proofs.push(value),
                "source" => sources.push(value),
                _ => {}
            }
        }
        let mut proofs = proofs.into_iter();
        let mut sources = sources.into_iter();
        for claim in claims {
            let proof = proofs.next().unwrap_or_default();
            let source = sources.next().unwrap_or_default();
            if claim.trim().is_empty() && proof.trim().is_empty() && source.trim().is_empty() {
                continue;
            }
            c.claims.push(Claim {
                claim,
                proof,
                source,
            });
        }
        Ok(form)
    }
}

/// The completeness feedback: what the brief still lacks, or that it is ready.
fn gaps_panel(gaps: &[Gap]) -> Markup {
    html! {
        @if gaps.is_empty() {
            p.ready { "Complete: a draft can be written from this brief." }
        } @else {
            p { strong { (gaps.len()) " gap" @if gaps.len() != 1 { "s" } } " before drafting can start:" }
            ul.gaps {
                @for g in gaps {
                    li data-field=(g.field) { a href=(format!("#{}", field_anchor(&g.field))) { (g.message) } }
                }
            }
        }
    }
}

fn field_anchor(field: &str) -> String {
    if field.starts_with("claims") {
        "claim-0".into()
    } else {
        format!("f-{field}")
    }
}

fn text_field(id: &str, name: &str, label_text: &str, hint: &str, value: &str) -> Markup {
    html! {
        div.field {
            label for=(id) { (label_text) }
            @if !hint.is_empty() { span.hint id=(format!("{id}-hint")) { (hint) } }
            textarea id=(id) name=(name) rows="3" aria-describedby=[(!hint.is_empty()).then(|| format!("{id}-hint"))] { (value) }
        }
    }
}

fn choice<T: Copy + PartialEq>(
    id: &str,
    label_text: &str,
    all: &[T],
    name_of: impl Fn(T) -> &'static str,
    current: Option<T>,
) -> Markup {
    html! {
        div.field {
            label for=(id) { (label_text) }
            select id=(id) name=(id.trim_start_matches("f-")) {
                option value="" { "—" }
                @for v in all {
                    option value=(name_of(*v)) selected[current == Some(*v)] { (label(name_of(*v))) }
                }
            }
        }
    }
}

/// The editor, for a new brief (`id` none) or an existing one.
fn editor(frame: &Frame, id: Option<BriefId>, c: &BriefContent, gaps: &[Gap]) -> Markup {
    let action = match id {
        Some(id) => format!("/briefs/{id}"),
        None => "/briefs".to_string(),
    };
    let mut claim_rows: Vec<Claim> = c.claims.clone();
    claim_rows.push(Claim::default());
    html! {
        div.editor {
            form.stack.brief-form method="post" action=(action) data-check="/briefs/check" data-brief=[id.map(|i| i.0)] {
                (frame.csrf_field())
                input type="hidden" name="brand" value=(frame.slug());
                div.field {
                    label for="f-title" { "Title" }
                    input id="f-title" name="title" type="text" required value=(c.title);
                }
                (text_field("f-audience", "audience", "Who is this for?", "A specific group, not \"everyone\".", &c.audience))
                (text_field("f-problem", "problem", "What problem are they trying to solve?", "", &c.problem))
                (text_field("f-current_beliefs", "current_beliefs", "What do they already believe?", "", &c.current_beliefs))
                (text_field("f-desired_understanding", "desired_understanding", "What do we want them to understand?", "", &c.desired_understanding))
                fieldset.claims {
                    legend { "What can we credibly claim?" }
                    @for (i, claim) in claim_rows.iter().enumerate() {
                        div.claim-row {
                            label for=(format!("claim-{i}")) { "Claim " (i + 1) }
                            input id=(format!("claim-{i}")) name="claim" type="text" value=(claim.claim);
                            label for=(format!("proof-{i}")) { "Proof" }
                            input id=(format!("proof-{i}")) name="proof" type="text" value=(claim.proof);
                            label for=(format!("source-{i}")) { "Source" }
                            input id=(format!("source-{i}")) name="source" type="text" value=(claim.source);
                        }
                    }
                    p.hint { "Save to add another claim." }
                }
                (text_field("f-must_not_sound_like", "must_not_sound_like", "What should this not sound like?", "", &c.must_not_sound_like))
                (text_field("f-source_material", "source_material", "Source material", "One reference per line.", &c.source_material.join("\n")))
                div.field {
                    label for="f-channel" { "Channel" }
                    input id="f-channel" name="channel" type="text" value=(c.channel);
                }
                div.field {
                    label for="f-objective" { "Objective" }
                    input id="f-objective" name="objective" type="text" value=(c.objective);
                }
                div.field {
                    label for="f-call_to_action" { "Call to action" }
                    input id="f-call_to_action" name="call_to_action" type="text" value=(c.call_to_action);
                }
                div.field {
                    label for="f-deadline" { "Deadline" }
                    input id="f-deadline" name="deadline" type="date" value=[c.deadline.map(|d| d.to_string())];
                }
                (choice("f-reach", "Reach", Reach::ALL, Reach::as_str, c.reach))
                (choice("f-collaboration_model", "How AI may help", CollaborationModel::ALL, CollaborationModel::as_str, c.collaboration_model))
                div.field {
                    label for="f-regulated_topics" { "Regulated topics" }
                    span.hint id="f-regulated_topics-hint" { "Comma-separated, e.g. health, finance." }
                    input id="f-regulated_topics" name="regulated_topics" type="text" aria-describedby="f-regulated_topics-hint" value=(c.regulated_topics.join(", "));
                }
                button type="submit" { @if id.is_some() { "Save a new version" } @else { "Create brief" } }
            }
            aside.completeness aria-labelledby="completeness-h" {
                h2 id="completeness-h" { "Completeness" }
                div id="gaps" aria-live="polite" { (gaps_panel(gaps)) }
            }
        }
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    creds: Credentials,
    Query(q): Query<BrandQuery>,
) -> Result<Markup, PageError> {
    let (frame, gaps) = state
        .page(creds, q.brand, |svc, caller, frame| {
            Ok(svc.brief_check_draft(
                &caller.actor,
                frame.slug(),
                None,
                &BriefContent::default(),
            )?)
        })
        .await?;
    let body = html! {
        h1 { "New brief" }
        (editor(&frame, None, &BriefContent::default(), &gaps))
    };
    Ok(page(&frame, Nav::Briefs, "New brief", body))
}

pub async fn create(
    State(state): State<AppState>,
    creds: Credentials,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = BriefForm::parse(pairs)?;
    let creds = creds.with_form_csrf(&form.csrf);
    let brand = form.brand.clone();
    let id = state
        .run_as(creds, move |svc, caller| {
            svc.brief_new(&caller.actor, &form.brand, &form.content)
        })
        .await?;
    Ok(see_other(&format!("/briefs/{id}?brand={brand}&saved=1")))
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    brand: Option<String>,
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Markup, PageError> {
    let (frame, view) = state
        .page(creds, q.brand, move |svc, caller, _| {
            Ok(svc.brief_show(&caller.actor, BriefId(id), None)?)
        })
        .await?;
    Ok(brief_page(&frame, &view, q.saved.is_some()))
}

fn brief_page(frame: &Frame, view: &BriefView, saved: bool) -> Markup {
    let b = &view.brief;
    let body = html! {
        h1 { (b.content.title) }
        p.meta { "Brief " (b.id) ", version " (b.version) " · last edited by " (b.updated_by.name) " on " (b.updated_at.format("%Y-%m-%d %H:%M UTC")) }
        @if saved { p.alert.ok role="status" { "Saved as version " (b.version) "." } }
        (editor(frame, Some(b.id), &b.content, &view.gaps))
        section aria-labelledby="sources-h" {
            h2 id="sources-h" { "Source material" }
            @if view.sources.is_empty() {
                p.empty { "No source material attached yet." }
            } @else {
                ul.sources {
                    @for s in &view.sources {
                        li {
                            strong { (label(s.kind.as_str())) } " · " (s.origin) " · added by " (s.added_by.name)
                            details { summary { "Text (" (s.text.chars().count()) " characters)" } p.source-text { (s.text) } }
                        }
                    }
                }
            }
            form.stack method="post" action=(format!("/briefs/{}/sources", b.id)) {
                (frame.csrf_field())
                input type="hidden" name="brand" value=(frame.slug());
                h3 { "Attach source material" }
                div.field {
                    label for="s-kind" { "Kind" }
                    select id="s-kind" name="kind" {
                        @for k in SourceKind::ALL { option value=(k.as_str()) { (label(k.as_str())) } }
                    }
                }
                div.field {
                    label for="s-origin" { "Where it comes from" }
                    span.hint id="s-origin-hint" { "An interview, a ticket, a link…" }
                    input id="s-origin" name="origin" type="text" required aria-describedby="s-origin-hint";
                }
                div.field {
                    label for="s-text" { "Text" }
                    textarea id="s-text" name="text" rows="4" required {}
                }
                button type="submit" { "Attach" }
            }
        }
    };
    page(frame, Nav::Briefs, &b.content.title, body)
}

pub async fn edit(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = BriefForm::parse(pairs)?;
    let creds = creds.with_form_csrf(&form.csrf);
    let brand = form.brand.clone();
    state
        .run_as(creds, move |svc, caller| {
            svc.brief_edit(&caller.actor, BriefId(id), &form.content)
        })
        .await?;
    Ok(see_other(&format!("/briefs/{id}?brand={brand}&saved=1")))
}

/// Live feedback: the gaps of the editor's current content, as a fragment of HTML.
pub async fn check_draft(
    State(state): State<AppState>,
    creds: Credentials,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = BriefForm::parse(pairs)?;
    let creds = creds.with_form_csrf(&form.csrf);
    let gaps = state
        .run_as(creds, move |svc, caller| {
            svc.brief_check_draft(&caller.actor, &form.brand, form.existing, &form.content)
        })
        .await?;
    Ok(gaps_panel(&gaps).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SourceForm {
    csrf: String,
    brand: String,
    kind: String,
    origin: String,
    text: String,
}

pub async fn source_add(
    State(state): State<AppState>,
    creds: Credentials,
    Path(id): Path<i64>,
    Form(form): Form<SourceForm>,
) -> Result<Response, PageError> {
    let kind: SourceKind = word("kind", &form.kind)?;
    let creds = creds.with_form_csrf(&form.csrf);
    let brand = form.brand.clone();
    state
        .run_as(creds, move |svc, caller| {
            svc.source_add(&caller.actor, BriefId(id), kind, &form.origin, &form.text)
        })
        .await?;
    Ok(see_other(&format!("/briefs/{id}?brand={brand}#sources-h")))
}
