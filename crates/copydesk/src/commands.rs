//! What each command does: resolve the workspace and actor, call the service, print.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use copydesk_core::asset::TemplateRef;
use copydesk_core::brief::{BriefContent, Claim};
use copydesk_core::brief_file::{self, BriefFormat};
use copydesk_core::diff::Granularity;
use copydesk_core::{
    AssetId, AssetKind, AssetState, BriefId, Decision, ReasonCode, Role, SourceKind,
};
use copydesk_service::{AssetSpec, AuthorSpec, NewUser, Service, VersionSpec};

use crate::cli::*;
use crate::failure::Failure;
use crate::input::read_text;
use crate::render;
use crate::workspace::Workspace;

/// The options every command shares.
pub struct Globals {
    pub workspace: Option<std::path::PathBuf>,
    pub database_url: Option<String>,
    pub actor: Option<String>,
    pub format: Format,
}

impl Globals {
    pub(crate) fn actor(&self) -> Result<&str, Failure> {
        self.actor
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| Failure::input("say who is acting: --as USER or COPYDESK_USER"))
    }
}

pub struct Session {
    pub workspace: Workspace,
    pub service: Service,
}

pub fn open(globals: &Globals) -> Result<Session, Failure> {
    let workspace = Workspace::locate(globals.workspace.as_deref())?;
    let url = workspace.database_url(globals.database_url.as_deref());
    if let Some(path) = url.strip_prefix("sqlite://") {
        if !Path::new(path).exists() {
            return Err(Failure::input(format!(
                "no database at {path}: run `copydesk init {}` first",
                workspace.root.display()
            )));
        }
    }
    let service = workspace.service(&url)?;
    Ok(Session { workspace, service })
}

/// Prints `value` as JSON, or as the text `text` renders.
pub(crate) fn emit<T: Serialize>(
    format: Format,
    value: &T,
    text: impl FnOnce(&T) -> String,
) -> Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(value)?),
        Format::Text | Format::Sarif | Format::Github => print!("{}", text(value)),
    }
    Ok(())
}

pub(crate) fn parse_name<T: std::str::FromStr>(text: &str) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    text.parse::<T>().map_err(|e| Failure::input(e.to_string()))
}

fn parse_roles(roles: &[String]) -> Result<Vec<Role>, Failure> {
    roles.iter().map(|r| parse_name(r)).collect()
}

pub fn dispatch(globals: &Globals, command: Command) -> Result<()> {
    let format = globals.format;
    if matches!(format, Format::Sarif | Format::Github) && !matches!(command, Command::Check(_)) {
        return Err(Failure::input(
            "--format sarif and --format github are for `copydesk check`; use text or json here",
        )
        .into());
    }
    match command {
        Command::Init(args) => crate::init::run(&args, globals.database_url.as_deref(), format),
        Command::Demo(args) => crate::demo::run(&args, globals.database_url.as_deref()),
        Command::Check(args) => crate::check::run(globals, &args),
        Command::Rules(args) => crate::check::rules(globals, &args),
        Command::Serve(args) => crate::serve::run(globals, &args),
        Command::User(cmd) => user(globals, cmd),
        Command::Brand(cmd) => brand(globals, cmd),
        Command::Token(cmd) => crate::integrations::token(globals, cmd),
        Command::Webhook(cmd) => crate::integrations::webhook(globals, cmd),
        Command::Brief(cmd) => brief(globals, cmd),
        Command::Source(cmd) => source(globals, cmd),
        Command::Asset(cmd) => asset(globals, cmd),
        Command::Version(cmd) => version(globals, cmd),
        Command::Review(cmd) => review(globals, cmd),
        Command::Publish { asset } => {
            let mut s = open(globals)?;
            let version = s.service.publish(globals.actor()?, AssetId(asset))?;
            emit(
                format,
                &serde_json::json!({"asset": asset, "version": version, "state": "published"}),
                |_| format!("asset {asset} v{version} published\n"),
            )
        }
        Command::Risk(RiskCmd::Explain { asset }) => {
            let mut s = open(globals)?;
            let explanation = s.service.risk_explain(globals.actor()?, AssetId(asset))?;
            emit(format, &explanation, |e| render::risk(asset, e))
        }
        Command::Audit(cmd) => audit(globals, cmd),
        Command::Draft(args) => crate::assist::draft(globals, &args),
        Command::Repurpose(args) => crate::assist::repurpose(globals, &args),
        Command::Research(args) => crate::assist::research(globals, &args),
        Command::Seo(args) => crate::assist::seo(globals, &args),
        Command::Prompt(cmd) => crate::assist::prompt(globals, cmd),
    }
}

fn user(globals: &Globals, cmd: UserCmd) -> Result<()> {
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        UserCmd::Password { name } => {
            let password = password_from_stdin(&format!("user password {name}"))?;
            s.service.password_set(actor, &name, &password)?;
            emit(
                globals.format,
                &serde_json::json!({"user": name, "password": "set", "sessions": "ended"}),
                |_| format!("password set for {name}; their open sessions have ended\n"),
            )
        }
        UserCmd::Add {
            name,
            display_name,
            admin,
            brand,
            roles,
            password_stdin,
        } => {
            let roles = parse_roles(&roles)?;
            // read before anything is written, so a missing password changes nothing
            let password = if password_stdin {
                Some(password_from_stdin(&format!(
                    "user add {name} --password-stdin"
                ))?)
            } else {
                None
            };
            let user = s.service.user_create(
                actor,
                &NewUser {
                    name: &name,
                    display_name: &display_name,
                    admin,
                    brand: brand.as_deref(),
                    roles: &roles,
                    password: password.as_deref(),
                },
            )?;
            emit(globals.format, &user, |u| {
                let roles: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
                match &brand {
                    Some(b) if !roles.is_empty() => {
                        format!("added user {} ({} in {b})\n", u.name, roles.join(", "))
                    }
                    _ => format!("added user {}\n", u.name),
                }
            })
        }
        UserCmd::Grant { name, brand, roles } => {
            let roles = parse_roles(&roles)?;
            let granted = s.service.user_grant(actor, &name, &brand, &roles)?;
            emit(globals.format, &granted, |g| {
                if g.is_empty() {
                    format!("{name} already had these roles in {brand}\n")
                } else {
                    let g: Vec<_> = g.iter().map(|r| r.as_str()).collect();
                    format!("granted {} to {name} in {brand}\n", g.join(", "))
                }
            })
        }
        UserCmd::List { brand } => {
            let members = s.service.user_list(actor, brand.as_deref())?;
            emit(globals.format, &members, |members| {
                members
                    .iter()
                    .map(|m| {
                        let roles: Vec<_> = m.roles.iter().map(|r| r.as_str()).collect();
                        format!(
                            "{:<16} {:<24} {}{}\n",
                            m.user.name,
                            m.user.display_name,
                            roles.join(", "),
                            if m.user.is_admin {
                                " [workspace admin]"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect()
            })
        }
    }
}

fn brand(globals: &Globals, cmd: BrandCmd) -> Result<()> {
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        BrandCmd::Add { slug, name, kit } => {
            let name = name.unwrap_or_else(|| slug.clone());
            let kit_dir = s.workspace.root.join(&kit);
            if !kit_dir.join(copydesk_service::POLICY_FILE).is_file() {
                return Err(Failure::input(format!(
                    "brand kit {} has no {}: copy the example kit (brand/) and adapt it",
                    kit_dir.display(),
                    copydesk_service::POLICY_FILE
                ))
                .into());
            }
            let brand = s.service.brand_add(actor, &slug, &name, &kit)?;
            emit(globals.format, &brand, |b| {
                format!("added brand {} ({}), kit {}\n", b.slug, b.name, b.kit)
            })
        }
        BrandCmd::List => {
            let brands = s.service.brand_list(actor)?;
            emit(globals.format, &brands, |brands| {
                brands
                    .iter()
                    .map(|b| format!("{:<16} {:<28} kit {}\n", b.slug, b.name, b.kit))
                    .collect()
            })
        }
    }
}

/// Reads a brief file, naming the file in any error.
fn read_brief_file(path: &Path, limit: usize) -> Result<BriefContent, Failure> {
    let text = read_text(path, limit)?;
    let ext = path.extension().and_then(|e| e.to_str());
    let format = BriefFormat::detect(ext, &text);
    brief_file::parse(&text, format).map_err(|e| Failure::input(format!("{}: {e}", path.display())))
}

/// Applies the flags on top of `base` (a file's content or the stored brief).
fn apply_fields(mut base: BriefContent, f: &BriefFields) -> Result<BriefContent, Failure> {
    let set = |slot: &mut String, value: &Option<String>| {
        if let Some(v) = value {
            *slot = v.clone();
        }
    };
    set(&mut base.title, &f.title);
    set(&mut base.audience, &f.audience);
    set(&mut base.problem, &f.problem);
    set(&mut base.current_beliefs, &f.current_beliefs);
    set(&mut base.desired_understanding, &f.desired_understanding);
    set(&mut base.must_not_sound_like, &f.must_not_sound_like);
    set(&mut base.channel, &f.channel);
    set(&mut base.objective, &f.objective);
    set(&mut base.call_to_action, &f.call_to_action);
    if !f.claims.is_empty() {
        base.claims = f
            .claims
            .iter()
            .map(|c| {
                let mut parts = c.splitn(3, '|').map(|p| p.trim().to_string());
                Claim {
                    claim: parts.next().unwrap_or_default(),
                    proof: parts.next().unwrap_or_default(),
                    source: parts.next().unwrap_or_default(),
                }
            })
            .collect();
    }
    if !f.source_material.is_empty() {
        base.source_material = f.source_material.clone();
    }
    if !f.topics.is_empty() {
        base.regulated_topics = f.topics.iter().map(|t| t.trim().to_lowercase()).collect();
    }
    if let Some(d) = &f.deadline {
        base.deadline = Some(d.parse().map_err(|_| {
            Failure::input(format!("--deadline '{d}' is not a date: write YYYY-MM-DD"))
        })?);
    }
    if let Some(r) = &f.reach {
        base.reach = Some(parse_name(r)?);
    }
    if let Some(m) = &f.collaboration_model {
        base.collaboration_model = Some(parse_name(m)?);
    }
    Ok(base)
}

fn brief(globals: &Globals, cmd: BriefCmd) -> Result<()> {
    let format = globals.format;
    // `brief check --file` needs neither a workspace nor a database: it runs in CI.
    if let BriefCmd::Check { brief: None, file } = &cmd {
        let Some(path) = file else {
            return Err(
                Failure::input("name a brief: copydesk brief check ID, or --file FILE").into(),
            );
        };
        let config = Workspace::find(globals.workspace.as_deref())?
            .map(|w| w.config)
            .unwrap_or_default()
            .service_config();
        let content = read_brief_file(path, config.max_text_bytes)?;
        let gaps = copydesk_core::brief::check(&content, 0, &config.brief_check);
        return report_gaps(format, &gaps);
    }
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    let limit = s.workspace.config.limits.max_text_bytes;
    match cmd {
        BriefCmd::New { brand, fields } => {
            let base = match &fields.file {
                Some(path) => read_brief_file(path, limit)?,
                None => BriefContent::default(),
            };
            let content = apply_fields(base, &fields)?;
            let id = s.service.brief_new(actor, &brand, &content)?;
            let gaps = s.service.brief_check(actor, id)?;
            emit(
                format,
                &serde_json::json!({"brief": id, "version": 1, "gaps": gaps}),
                |_| {
                    let mut out = format!("brief {id} created (version 1)\n");
                    render::gaps(&mut out, &gaps);
                    out
                },
            )
        }
        BriefCmd::Edit { brief, fields } => {
            let id = BriefId(brief);
            let base = match &fields.file {
                Some(path) => read_brief_file(path, limit)?,
                None => s.service.brief_show(actor, id, None)?.brief.content,
            };
            let content = apply_fields(base, &fields)?;
            let version = s.service.brief_edit(actor, id, &content)?;
            emit(
                format,
                &serde_json::json!({"brief": id, "version": version}),
                |_| format!("brief {id} is now at version {version}\n"),
            )
        }
        BriefCmd::Show { brief, version } => {
            let view = s.service.brief_show(actor, BriefId(brief), version)?;
            emit(format, &view, render::brief)
        }
        BriefCmd::Check { brief, .. } => {
            let id = brief
                .map(BriefId)
                .ok_or_else(|| Failure::input("name a brief"))?;
            let gaps = s.service.brief_check(actor, id)?;
            report_gaps(format, &gaps)
        }
        BriefCmd::List {
            brand,
            after,
            limit,
        } => {
            let briefs = s
                .service
                .brief_list(actor, &brand, after.map(BriefId), limit)?;
            emit(format, &briefs, |b| render::brief_list(b))
        }
        BriefCmd::Notes { brief } => {
            let notes = s.service.brief_notes(actor, BriefId(brief))?;
            emit(format, &notes, |notes| crate::assist::render_notes(notes))
        }
    }
}

fn report_gaps(format: Format, gaps: &[copydesk_core::brief::Gap]) -> Result<()> {
    emit(
        format,
        &serde_json::json!({"complete": gaps.is_empty(), "gaps": gaps}),
        |_| {
            let mut out = String::new();
            render::gaps(&mut out, gaps);
            out
        },
    )?;
    if gaps.is_empty() {
        Ok(())
    } else {
        Err(Failure::refused(format!(
            "the brief is incomplete ({} gap{}): generation will refuse it",
            gaps.len(),
            if gaps.len() == 1 { "" } else { "s" }
        ))
        .into())
    }
}

fn source(globals: &Globals, cmd: SourceCmd) -> Result<()> {
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        SourceCmd::Add {
            brief,
            kind,
            origin,
            file,
            text,
        } => {
            let kind: SourceKind = parse_name(&kind)?;
            let text = match (file, text) {
                (Some(path), _) => read_text(&path, s.workspace.config.limits.max_text_bytes)?,
                (None, Some(text)) => text,
                (None, None) => {
                    return Err(Failure::input("give the source text with --file or --text").into())
                }
            };
            let id = s
                .service
                .source_add(actor, BriefId(brief), kind, &origin, &text)?;
            emit(
                globals.format,
                &serde_json::json!({"source": id, "brief": brief}),
                |_| format!("source {id} ({kind}) attached to brief {brief}\n"),
            )
        }
        SourceCmd::List { brief } => {
            let sources = s.service.source_list(actor, BriefId(brief))?;
            emit(globals.format, &sources, |s| render::sources(s))
        }
    }
}

fn asset(globals: &Globals, cmd: AssetCmd) -> Result<()> {
    let format = globals.format;
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        AssetCmd::New {
            brief,
            title,
            kind,
            channel,
            locale,
            personalised,
        } => {
            let kind: AssetKind = parse_name(&kind)?;
            let id = s.service.asset_new(
                actor,
                BriefId(brief),
                &AssetSpec {
                    title,
                    kind,
                    channel,
                    locale,
                    personalised,
                },
                None,
            )?;
            emit(
                format,
                &serde_json::json!({"asset": id, "state": "draft"}),
                |_| format!("asset {id} created (draft)\n"),
            )
        }
        AssetCmd::Show { asset } => {
            let view = s.service.asset_show(actor, AssetId(asset))?;
            emit(format, &view, render::asset)
        }
        AssetCmd::List {
            brand,
            state,
            after,
            limit,
        } => {
            let state: Option<AssetState> = state.as_deref().map(parse_name).transpose()?;
            let assets = s
                .service
                .asset_list(actor, &brand, state, after.map(AssetId), limit)?;
            emit(format, &assets, |a| render::asset_list(a))
        }
        AssetCmd::History {
            asset,
            before,
            limit,
        } => {
            let versions = s
                .service
                .asset_history(actor, AssetId(asset), before, limit)?;
            emit(format, &versions, |v| render::history(v))
        }
        AssetCmd::Diff {
            asset,
            from,
            to,
            lines,
        } => {
            let granularity = if lines {
                Granularity::Lines
            } else {
                Granularity::Words
            };
            let diff = s
                .service
                .asset_diff(actor, AssetId(asset), from, to, granularity)?;
            emit(format, &diff, |d| {
                format!(
                    "{}({} added, {} removed)\n",
                    d.render_plain(),
                    d.stats.inserted,
                    d.stats.deleted
                )
            })
        }
        AssetCmd::Revert { asset, to, note } => {
            let number = s.service.asset_revert(actor, AssetId(asset), to, &note)?;
            emit(
                format,
                &serde_json::json!({"asset": asset, "version": number, "reverted_from": to}),
                |_| format!("asset {asset}: version {number} restores the text of version {to}\n"),
            )
        }
        AssetCmd::Archive { asset } => {
            let state = s.service.asset_archive(actor, AssetId(asset))?;
            emit(
                format,
                &serde_json::json!({"asset": asset, "state": state}),
                |_| format!("asset {asset} archived\n"),
            )
        }
    }
}

fn version(globals: &Globals, cmd: VersionCmd) -> Result<()> {
    let format = globals.format;
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        VersionCmd::Add {
            asset,
            file,
            note,
            model,
            provider,
            template,
        } => {
            let template: Option<TemplateRef> = template
                .as_deref()
                .map(|t| t.parse().map_err(Failure::input))
                .transpose()?;
            let text = read_text(&file, s.workspace.config.limits.max_text_bytes)?;
            let author = match model {
                Some(model) => AuthorSpec::Model {
                    provider,
                    model,
                    template,
                },
                None => AuthorSpec::Human,
            };
            let number = s.service.version_add(
                actor,
                AssetId(asset),
                &VersionSpec {
                    text: &text,
                    author,
                    note: &note,
                    provenance: None,
                },
            )?;
            let saved = s
                .service
                .version_show(actor, AssetId(asset), Some(number))?;
            emit(
                format,
                &serde_json::json!({
                    "asset": asset,
                    "version": number,
                    "findings": saved.findings,
                    "guardrail_findings": saved.guardrail_findings,
                }),
                |_| render::version_saved(asset, &saved),
            )
        }
        VersionCmd::Show { asset, number } => {
            let v = s.service.version_show(actor, AssetId(asset), number)?;
            emit(format, &v, render::version)
        }
    }
}

fn parse_range(text: &str) -> Result<(u32, u32), Failure> {
    let bad = || {
        Failure::input(format!(
            "--range '{text}': write START..END in characters, e.g. 10..42"
        ))
    };
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    Ok((
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    ))
}

fn review(globals: &Globals, cmd: ReviewCmd) -> Result<()> {
    let format = globals.format;
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    let decided = |asset: i64, r: &copydesk_service::DecisionResult| match r.next_role {
        Some(next) => format!(
            "asset {asset}: stage {}/{} ({}) {}; now waiting for {next}\n",
            r.stage, r.stages, r.role, "done"
        ),
        None => format!(
            "asset {asset}: stage {}/{} ({}) done; asset is {}\n",
            r.stage, r.stages, r.role, r.state
        ),
    };
    match cmd {
        ReviewCmd::Submit { asset } => {
            let outcome = s.service.review_submit(actor, AssetId(asset))?;
            emit(format, &outcome, |o| render::submit(asset, o))
        }
        ReviewCmd::Queue {
            brand,
            after,
            limit,
        } => {
            let page = s
                .service
                .review_queue(actor, brand.as_deref(), after.as_deref(), limit)?;
            emit(format, &page, render::queue)
        }
        ReviewCmd::Approve {
            asset,
            proud,
            reason,
            comment,
        } => {
            let reason: Option<ReasonCode> = reason.as_deref().map(parse_name).transpose()?;
            let r = s.service.review_decide(
                actor,
                AssetId(asset),
                Decision::Approve,
                reason,
                &comment,
                proud,
            )?;
            emit(format, &r, |r| decided(asset, r))
        }
        ReviewCmd::RequestChanges {
            asset,
            reason,
            comment,
        } => close_round(
            &mut s,
            actor,
            format,
            asset,
            Decision::RequestChanges,
            &reason,
            &comment,
        ),
        ReviewCmd::Reject {
            asset,
            reason,
            comment,
        } => close_round(
            &mut s,
            actor,
            format,
            asset,
            Decision::Reject,
            &reason,
            &comment,
        ),
        ReviewCmd::Comment {
            asset,
            text,
            version,
            range,
        } => {
            let range = range.as_deref().map(parse_range).transpose()?;
            let id = s
                .service
                .review_comment(actor, AssetId(asset), version, range, &text)?;
            emit(
                format,
                &serde_json::json!({"comment": id, "asset": asset}),
                |_| format!("comment {id} added to asset {asset}\n"),
            )
        }
        ReviewCmd::Samples { brand, limit } => {
            let samples = s.service.review_samples(actor, &brand, limit)?;
            emit(format, &samples, |samples| {
                if samples.is_empty() {
                    return "no auto-approved asset was sampled for audit\n".to_string();
                }
                samples
                    .iter()
                    .map(|x| {
                        format!(
                            "asset {:>7}  review {:>7}  draw {:.4} < rate {}  seed {}\n",
                            x.asset, x.review, x.draw, x.rate, x.seed
                        )
                    })
                    .collect()
            })
        }
        ReviewCmd::Rounds { asset } => {
            let rounds = s.service.review_rounds(actor, AssetId(asset))?;
            emit(format, &rounds, |rounds| {
                let mut out = String::new();
                for r in rounds {
                    render::review_round(&mut out, r);
                }
                out
            })
        }
    }
}

/// Requests changes or rejects: decisions that end the round and need a reason.
fn close_round(
    s: &mut Session,
    actor: &str,
    format: Format,
    asset: i64,
    decision: Decision,
    reason: &str,
    comment: &str,
) -> Result<()> {
    let reason: ReasonCode = parse_name(reason)?;
    let r = s.service.review_decide(
        actor,
        AssetId(asset),
        decision,
        Some(reason),
        comment,
        false,
    )?;
    let done = match decision {
        Decision::Reject => "rejected",
        _ => "changes requested",
    };
    emit(format, &r, |r| {
        format!("asset {asset}: {done} ({reason}); asset is {}\n", r.state)
    })
}

fn audit(globals: &Globals, cmd: AuditCmd) -> Result<()> {
    let format = globals.format;
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        AuditCmd::Log {
            asset,
            after,
            limit,
        } => {
            let entries =
                s.service
                    .audit_log(actor, asset.map(|a| format!("asset:{a}")), after, limit)?;
            emit(format, &entries, |e| render::audit_log(e))
        }
        AuditCmd::Verify => {
            // drawn on stderr only when it is a terminal; hidden when piped
            let bar = indicatif::ProgressBar::new(0).with_style(
                indicatif::ProgressStyle::with_template("verifying {bar:30} {pos}/{len} entries")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let report = s
                .service
                .audit_verify_with_progress(actor, &mut |done, total| {
                    bar.set_length(total.max(0) as u64);
                    bar.set_position(done.max(0) as u64);
                })?;
            bar.finish_and_clear();
            emit(format, &report, render::verify)?;
            match &report.broken {
                None => Ok(()),
                Some(b) => Err(Failure::refused(format!(
                    "the audit chain is broken at entry {}",
                    b.seq()
                ))
                .into()),
            }
        }
    }
}

/// The first line of standard input, without its line ending: a password piped in, so it
/// never appears in the process list or the shell's history.
fn password_from_stdin(command: &str) -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Failure::input(format!("cannot read the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(Failure::input(format!(
            "no password on stdin: pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | copydesk {command}`"
        )));
    }
    Ok(password)
}
