//! `copydesk experiment new|variant|list|show|start|stop|import|analyze ID`: experiments kept in
//! the workspace. The service decides, plans the size at launch and records; this module
//! parses and prints.

use std::fmt::Write as _;

use anyhow::Result;
use copydesk_core::experiment::{AnalysisMethod, Experiment, ExperimentDesign, MetricType};
use copydesk_core::{AssetId, ExperimentId, Lever};
use copydesk_service::{ExperimentReport, ExperimentView, Launch};
use copydesk_stats::display::{thousands, trim};
use copydesk_stats::verdict::{peek_warning, Launched};

use crate::commands::{emit, open, parse_name, Globals};
use crate::experiment::{
    prior, read, render, AnalyzeArgs, MethodArg, MetricTypeArg, StartArgs, StoredCmd,
};
use crate::failure::Failure;
use crate::input::shown;
use crate::render::time;

pub fn run(globals: &Globals, cmd: StoredCmd) -> Result<()> {
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    let format = globals.format;
    match cmd {
        StoredCmd::New(args) => {
            let design = ExperimentDesign {
                hypothesis: args.hypothesis,
                lever: args.lever.as_deref().map(parse_name::<Lever>).transpose()?,
                metric: args.metric,
                metric_type: match args.metric_type {
                    MetricTypeArg::Conversion => MetricType::Conversion,
                    MetricTypeArg::Mean => MetricType::Mean,
                },
                inverse: args.inverse,
            };
            let id = s
                .service
                .experiment_new(actor, &args.brand, AssetId(args.asset), &design)?;
            emit(format, &serde_json::json!({"experiment": id}), |_| {
                format!(
                    "experiment {id} designed on asset {}\nnext: `copydesk experiment variant {id} control`, then one challenger per variant with --asset and --lever\n",
                    args.asset
                )
            })
        }
        StoredCmd::Variant(args) => {
            let lever = args.lever.as_deref().map(parse_name::<Lever>).transpose()?;
            let variant = s.service.experiment_variant_add(
                actor,
                ExperimentId(args.id),
                &args.name,
                args.asset.map(AssetId),
                lever,
            )?;
            emit(format, &variant, |v| {
                format!(
                    "variant '{}' of experiment {}: asset {} version {}{}\n",
                    v.name,
                    args.id,
                    v.asset_id,
                    v.version,
                    match v.lever {
                        Some(l) => format!(", pulls {l}"),
                        None => " (control)".to_string(),
                    }
                )
            })
        }
        StoredCmd::List { brand } => {
            let list = s.service.experiment_list(actor, &brand)?;
            emit(format, &list, |list| list_text(list))
        }
        StoredCmd::Show { id } => {
            let view = s.service.experiment_show(actor, ExperimentId(id))?;
            emit(format, &view, show_text)
        }
        StoredCmd::Start(args) => {
            let id = ExperimentId(args.id);
            let plan = s.service.experiment_start(actor, id, &launch(&args))?;
            emit(
                format,
                &serde_json::json!({"experiment": id, "plan": plan}),
                |_| {
                    format!(
                        "experiment {id} started: {} users per variant, {}, α = {}\n",
                        thousands(plan.per_variant),
                        plan.method.describe(),
                        trim(plan.alpha, 4)
                    )
                },
            )
        }
        StoredCmd::Stop { id } => {
            s.service.experiment_stop(actor, ExperimentId(id))?;
            emit(
                format,
                &serde_json::json!({"experiment": id, "state": "stopped"}),
                |_| format!("experiment {id} stopped\n"),
            )
        }
        StoredCmd::Import(args) => {
            let text = read(&args.file)?;
            let source = shown(&args.file);
            let import = s.service.experiment_import(
                actor,
                ExperimentId(args.id),
                &source,
                &text,
                args.control.as_deref(),
            )?;
            emit(
                format,
                &serde_json::json!({"experiment": args.id, "import": import}),
                |_| {
                    format!(
                        "imported {source} into experiment {} (import {import}); `copydesk experiment analyze {}` reads it\n",
                        args.id, args.id
                    )
                },
            )
        }
    }
}

fn launch(args: &StartArgs) -> Launch {
    Launch {
        users: args.users,
        baseline: args.baseline,
        mde: args.mde,
        absolute: args.absolute,
        power: args.power,
        stddev: args.stddev,
        alpha: args.alpha,
        method: match args.method {
            MethodArg::Fixed => AnalysisMethod::Fixed,
            MethodArg::Sequential => AnalysisMethod::Sequential,
        },
    }
}

/// `analyze ID`: the α and method were fixed at launch; only a prior may be added.
pub fn analyze(globals: &Globals, id: i64, args: &AnalyzeArgs) -> Result<()> {
    let fixed = [
        ("--control", args.control.is_some()),
        ("--alpha", args.alpha.is_some()),
        ("--method", args.method.is_some()),
        ("--tuning", args.tuning.is_some()),
        ("--split", args.split.is_some()),
        ("--inverse", args.inverse),
        ("--batch", args.batch),
    ];
    if let Some((flag, _)) = fixed.iter().find(|(_, given)| *given) {
        return Err(Failure::input(format!(
            "{flag} does not apply to experiment {id}: its control, α, method and direction were fixed when it was designed and started (analyse an exported CSV file to explore other settings)"
        ))
        .into());
    }
    let prior = prior(args)?;
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    let report = s
        .service
        .experiment_analyze(actor, ExperimentId(id), prior)?;
    emit(globals.format, &report, report_text)
}

fn report_text(r: &ExperimentReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "experiment {} ({}, {}): {}",
        r.experiment, r.brand, r.state, r.hypothesis
    );
    let _ = writeln!(
        out,
        "lever {}, metric {}; planned {} users per variant, {}",
        r.lever,
        r.metric,
        thousands(r.plan.per_variant),
        r.plan.method.describe()
    );
    let _ = writeln!(
        out,
        "results: import {} ({}), by {} at {}",
        r.import,
        r.source,
        r.imported_by,
        time(&r.imported_at)
    );
    if r.peek {
        let _ = writeln!(
            out,
            "PEEK: the {}",
            peek_warning(r.smallest_arm, r.plan.per_variant)
        );
    }
    out.push('\n');
    let launched = Launched {
        per_variant: r.plan.per_variant,
        peek: r.peek,
    };
    out.push_str(&render(
        &r.analysis,
        &format!("experiment {}", r.experiment),
        Some(launched),
    ));
    out
}

fn list_text(list: &[Experiment]) -> String {
    if list.is_empty() {
        return "no experiments\n".to_string();
    }
    let mut out = String::new();
    for e in list {
        let _ = writeln!(
            out,
            "{:>4}  {:<8}  asset {:<5} {:<16} {:<22} {} variant(s)  {}",
            e.id,
            e.state.as_str(),
            e.asset_id,
            e.lever.as_str(),
            e.metric,
            e.variants.len(),
            e.hypothesis
        );
    }
    out
}

fn show_text(view: &ExperimentView) -> String {
    let e = &view.experiment;
    let mut out = String::new();
    let _ = writeln!(out, "experiment {} ({}) — {}", e.id, view.brand, e.state);
    let _ = writeln!(out, "hypothesis: {}", e.hypothesis);
    let _ = writeln!(
        out,
        "lever: {}; metric: {} ({}{})",
        e.lever,
        e.metric,
        e.metric_type,
        if e.inverse { ", lower is better" } else { "" }
    );
    let _ = writeln!(
        out,
        "designed by {} at {}",
        e.created_by.name,
        time(&e.created_at)
    );
    match &e.plan {
        Some(plan) => {
            let _ = writeln!(
                out,
                "plan: {} users per variant, {}, α = {}{}",
                thousands(plan.per_variant),
                plan.method.describe(),
                trim(plan.alpha, 4),
                e.started_at
                    .map(|t| format!("; started {}", time(&t)))
                    .unwrap_or_default()
            );
        }
        None => out.push_str("plan: not started\n"),
    }
    if e.variants.is_empty() {
        out.push_str("variants: none yet (the control comes first)\n");
    }
    for v in &e.variants {
        let _ = writeln!(
            out,
            "  {:<16} asset {} v{}  {}",
            v.name,
            v.asset_id,
            v.version,
            match v.lever {
                Some(l) => format!("pulls {l}"),
                None => "control".to_string(),
            }
        );
    }
    if let Some(r) = &view.results {
        let _ = writeln!(
            out,
            "newest results: import {} ({}) by {} at {}",
            r.id,
            r.source,
            r.imported_by.name,
            time(&r.imported_at)
        );
    }
    out
}
