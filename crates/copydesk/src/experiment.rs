//! `copydesk experiment`: the subcommands, and `analyze FILE|plan`, A/B test statistics on a
//! results file alone, without a workspace or a database, so analysts can use them directly.
//! The numbers come from `copydesk-stats`; this module reads the file, renders the verdict and
//! prints. Experiments kept in the workspace are in `experiment_workflow`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use copydesk_stats::display::{percent, signed, signed_percent, thousands, trim};
use copydesk_stats::power::{self, Mde, Metric, PlanInput};
use copydesk_stats::verdict::{chance_text, p_text, srm_sentence, verdict, Launched};
use copydesk_stats::{
    analyze, parse_batch, parse_results, Alpha, Analysis, Method, MetricType, Prior, Settings,
    Tuning,
};
use serde::Serialize;

use crate::cli::Format;
use crate::commands::Globals;
use crate::experiment_workflow;
use crate::failure::Failure;
use crate::input::{read_capped, shown};

/// The largest results file read (a batch of 10,000 experiments is about 0.5 MB).
const MAX_RESULTS_BYTES: usize = 512 * 1024 * 1024;

#[derive(Debug, Subcommand)]
pub enum ExperimentCmd {
    #[command(flatten)]
    Stored(StoredCmd),
    /// Analyse a results CSV, or the newest results of an experiment in the workspace:
    /// sample-ratio check, lift with confidence interval and p-value (relative and absolute),
    /// chance to beat control and risk
    #[command(
        after_help = "File: one row per variant, the first is the control unless --control.\n  conversion: variant,users,conversions\n  mean:       variant,users,mean,stddev  or  variant,users,sum,sum_squares\n  CUPED:      add cov_sum,cov_sum_squares,cross_sum (the pre-period covariate)\n  --batch:    the same with an experiment column first; one JSON line per experiment\nAn experiment ID instead of a file: its α and method are the ones fixed at launch, and a fixed-horizon test read before its planned size is labelled a peek.\nExit codes: 0 analysed, 2 bad usage or a bad file (the error names the row and field), 3 no such experiment"
    )]
    Analyze(AnalyzeArgs),
    /// Users needed per variant before launch (and the power of a given size)
    Plan(PlanArgs),
}

/// Experiments kept in the workspace (`experiment_workflow`).
#[derive(Debug, Subcommand)]
pub enum StoredCmd {
    /// Design an experiment on an approved asset: a written hypothesis and the lever it tests
    /// come first (refused without them)
    New(NewArgs),
    /// Name a variant: first the control (the asset's approved version), then each challenger
    /// (another asset of the same kind, reviewed like any other)
    #[command(
        after_help = "A challenger is usually drafted for the lever by the model and edited by a person:\n  copydesk draft BRIEF --task variants --lever urgency --hypothesis \"…\" --kind email\nthen reviewed, and named here with --asset. Launch waits until every variant is approved."
    )]
    Variant(VariantArgs),
    /// Experiments of a brand
    List {
        #[arg(long)]
        brand: String,
    },
    /// An experiment: hypothesis, variants, plan and its newest results
    Show { id: i64 },
    /// Launch: fix the users per variant (given, or planned from --baseline and --mde) and the
    /// analysis method; every variant must be approved
    Start(StartArgs),
    /// End data collection
    Stop { id: i64 },
    /// Import results from an analytics export (CSV, one row per variant, as `analyze` reads it)
    #[command(
        after_help = "Every row names a variant of the experiment and every variant needs a row; the control is the experiment's, whatever the row order.\nExit codes: 0 imported, 1 refused (the experiment is not running or stopped, or your role may not), 2 a bad file (the error names the row and field) or usage, 3 no such experiment"
    )]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    #[arg(long)]
    pub brand: String,
    /// The asset tested; its approved version becomes the control
    #[arg(long)]
    pub asset: i64,
    /// What you expect to change, for whom and why (at least 6 words)
    #[arg(long, default_value = "")]
    pub hypothesis: String,
    /// clarity, urgency, emotional_appeal, proof, relevance, risk_reduction or value_framing
    #[arg(long)]
    pub lever: Option<String>,
    /// The metric the experiment is judged by, e.g. demo_requests
    #[arg(long, default_value = "")]
    pub metric: String,
    #[arg(long, value_enum, default_value_t = MetricTypeArg::Conversion)]
    pub metric_type: MetricTypeArg,
    /// Lower is better (unsubscribes, refunds)
    #[arg(long)]
    pub inverse: bool,
}

#[derive(Debug, Args)]
pub struct VariantArgs {
    pub id: i64,
    /// The variant's name in results files (letters, digits, '-', '_')
    pub name: String,
    /// The challenger's asset (the control is the experiment's own asset)
    #[arg(long)]
    pub asset: Option<i64>,
    /// The lever this challenger pulls
    #[arg(long)]
    pub lever: Option<String>,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    pub id: i64,
    /// Users per variant; or plan it with --baseline and --mde
    #[arg(long, value_name = "N", conflicts_with_all = ["baseline", "mde"])]
    pub users: Option<u64>,
    /// The control's conversion rate or mean today, to plan the size
    #[arg(long, requires = "mde")]
    pub baseline: Option<f64>,
    /// The smallest effect worth detecting, relative (0.10 = +10%) unless --absolute
    #[arg(long, allow_negative_numbers = true, requires = "baseline")]
    pub mde: Option<f64>,
    #[arg(long, requires = "mde")]
    pub absolute: bool,
    /// 1 − β for the planned size
    #[arg(long, default_value_t = 0.8)]
    pub power: f64,
    /// Per-user standard deviation (mean metrics)
    #[arg(long)]
    pub stddev: Option<f64>,
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    #[arg(long, value_enum, default_value_t = MethodArg::Fixed)]
    pub method: MethodArg,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub id: i64,
    /// Results CSV (`-` for standard input)
    pub file: PathBuf,
    /// The control's name in the file, checked against the experiment's
    #[arg(long, value_name = "NAME")]
    pub control: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    /// Fixed horizon: read the result once, at the planned sample size
    Fixed,
    /// Sequential (always-valid): safe to look at any time
    Sequential,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricTypeArg {
    Conversion,
    Mean,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Results CSV (`-` for standard input), or the ID of an experiment in the workspace
    #[arg(value_name = "FILE|ID")]
    pub target: PathBuf,
    /// The control variant (default: the first row)
    #[arg(long, value_name = "NAME")]
    pub control: Option<String>,
    /// Significance level [default: 0.05]
    #[arg(long)]
    pub alpha: Option<f64>,
    /// [default: fixed]
    #[arg(long, value_enum)]
    pub method: Option<MethodArg>,
    /// N* of the sequential test: the total sample size where its interval is tightest [default: 5000]
    #[arg(long, value_name = "N")]
    pub tuning: Option<f64>,
    /// Mean of a Gaussian prior on the relative lift (0.02 = +2%); flat prior without it
    #[arg(
        long,
        value_name = "M",
        allow_negative_numbers = true,
        requires = "prior_sd"
    )]
    pub prior_mean: Option<f64>,
    /// Standard deviation of that prior
    #[arg(long, value_name = "S", requires = "prior_mean")]
    pub prior_sd: Option<f64>,
    /// The planned split in file order, e.g. 50,50 (default: equal)
    #[arg(long, value_delimiter = ',', value_name = "W,W,…")]
    pub split: Option<Vec<f64>>,
    /// Lower is better (bounce rate, refunds, time to complete)
    #[arg(long)]
    pub inverse: bool,
    /// Many experiments in one file (an `experiment` column first); writes JSON lines
    #[arg(long)]
    pub batch: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The control's conversion rate (0.05 = 5%) or mean
    #[arg(long)]
    pub baseline: f64,
    /// Minimum detectable effect, relative to the baseline (0.10 = +10%) unless --absolute
    #[arg(long, allow_negative_numbers = true)]
    pub mde: f64,
    /// The MDE is an absolute difference (0.005 = half a percentage point)
    #[arg(long)]
    pub absolute: bool,
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// 1 − β
    #[arg(long, default_value_t = 0.8)]
    pub power: f64,
    /// Arms including the control; with more than 2, α is split by Bonferroni
    #[arg(long, default_value_t = 2)]
    pub variants: u32,
    /// Users entering the experiment per day, all arms together
    #[arg(long, value_name = "N")]
    pub daily_traffic: Option<u64>,
    #[arg(long, value_enum, default_value_t = MetricTypeArg::Conversion)]
    pub metric_type: MetricTypeArg,
    /// Per-user standard deviation (mean metrics)
    #[arg(long)]
    pub stddev: Option<f64>,
    /// Also report the power with this many users per variant
    #[arg(long, value_name = "N")]
    pub users: Option<u64>,
}

pub fn run(cmd: ExperimentCmd, globals: &Globals) -> Result<()> {
    let format = globals.format;
    if matches!(format, Format::Sarif | Format::Github) {
        return Err(Failure::input(
            "--format sarif and --format github are for `copydesk check`; use text or json here",
        )
        .into());
    }
    match cmd {
        ExperimentCmd::Analyze(args) => match stored_experiment(&args.target) {
            Some(id) => experiment_workflow::analyze(globals, id, &args),
            None => analyze_cmd(&args, format),
        },
        ExperimentCmd::Plan(args) => plan_cmd(&args, format),
        ExperimentCmd::Stored(cmd) => experiment_workflow::run(globals, cmd),
    }
}

/// `analyze 12` reads experiment 12 from the workspace, unless a file of that name exists.
fn stored_experiment(target: &Path) -> Option<i64> {
    let id = target.to_str()?.parse::<i64>().ok()?;
    (!target.exists()).then_some(id)
}

fn input<E: std::fmt::Display>(e: E) -> Failure {
    Failure::input(e.to_string())
}

fn settings(args: &AnalyzeArgs) -> Result<Settings, Failure> {
    let alpha = Alpha::new(args.alpha.unwrap_or(0.05)).map_err(input)?;
    let method = match (args.method.unwrap_or(MethodArg::Fixed), args.tuning) {
        (MethodArg::Fixed, Some(_)) => {
            return Err(Failure::input("--tuning is for --method sequential"))
        }
        (MethodArg::Fixed, None) => Method::Fixed,
        (MethodArg::Sequential, tuning) => Method::Sequential(match tuning {
            None => Tuning::default(),
            Some(n) => Tuning::new(n).map_err(input)?,
        }),
    };
    Ok(Settings {
        control: args.control.clone(),
        alpha,
        method,
        prior: prior(args)?,
        split: args.split.clone(),
        inverse: args.inverse,
    })
}

pub(crate) fn prior(args: &AnalyzeArgs) -> Result<Option<Prior>, Failure> {
    match (args.prior_mean, args.prior_sd) {
        (Some(m), Some(s)) => Ok(Some(Prior::new(m, s).map_err(input)?)),
        _ => Ok(None),
    }
}

pub(crate) fn read(path: &Path) -> Result<String, Failure> {
    read_capped(path, MAX_RESULTS_BYTES, |shown| {
        format!("{shown}: larger than {MAX_RESULTS_BYTES} bytes")
    })
}

fn analyze_cmd(args: &AnalyzeArgs, format: Format) -> Result<()> {
    let settings = settings(args)?;
    let text = read(&args.target)?;
    let file = shown(&args.target);
    if args.batch {
        return batch(&text, &file, &settings);
    }
    let results = parse_results(&text).map_err(|e| Failure::input(format!("{file}: {e}")))?;
    let analysis =
        analyze(&results, &settings).map_err(|e| Failure::input(format!("{file}: {e}")))?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&analysis)?),
        _ => print!("{}", render(&analysis, &file, None)),
    }
    Ok(())
}

/// Every experiment is parsed and analysed before anything is written: a bad row anywhere
/// writes nothing.
fn batch(text: &str, file: &str, settings: &Settings) -> Result<()> {
    let experiments = parse_batch(text).map_err(|e| Failure::input(format!("{file}: {e}")))?;
    let mut out = Vec::with_capacity(experiments.len() * 700);
    for experiment in experiments {
        let mut analysis = analyze(&experiment.results, settings).map_err(|e| {
            Failure::input(format!("{file}: experiment `{}`: {e}", experiment.name))
        })?;
        analysis.experiment = Some(experiment.name);
        serde_json::to_writer(&mut out, &analysis)?;
        out.push(b'\n');
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(&out)?;
    lock.flush()?;
    Ok(())
}

/// The plan as printed with `--format json`.
#[derive(Debug, Serialize)]
struct PlanReport {
    per_variant: u64,
    total: u64,
    days: Option<u64>,
    metric_type: &'static str,
    baseline: f64,
    target: f64,
    mde: f64,
    mde_kind: &'static str,
    alpha: f64,
    power: f64,
    variants: u32,
    comparisons: u32,
    bonferroni: bool,
    alpha_per_comparison: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    daily_traffic: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    power_at_users: Option<PowerAt>,
}

#[derive(Debug, Serialize)]
struct PowerAt {
    users_per_variant: u64,
    power: f64,
}

fn plan_cmd(args: &PlanArgs, format: Format) -> Result<()> {
    let alpha = Alpha::new(args.alpha).map_err(input)?;
    let metric = match (args.metric_type, args.stddev) {
        (MetricTypeArg::Conversion, None) => Metric::Conversion {
            baseline: args.baseline,
        },
        (MetricTypeArg::Conversion, Some(_)) => return Err(Failure::input(
            "--stddev is for --metric-type mean (a conversion rate's spread follows from the rate)",
        )
        .into()),
        (MetricTypeArg::Mean, Some(stddev)) => Metric::Mean {
            baseline: args.baseline,
            stddev,
        },
        (MetricTypeArg::Mean, None) => {
            return Err(Failure::input(
                "--metric-type mean needs --stddev (the per-user standard deviation)",
            )
            .into())
        }
    };
    let mde = if args.absolute {
        Mde::Absolute(args.mde)
    } else {
        Mde::Relative(args.mde)
    };
    let plan = power::plan(&PlanInput {
        metric,
        mde,
        alpha,
        power: args.power,
        variants: args.variants,
        daily_traffic: args.daily_traffic,
    })
    .map_err(input)?;
    let power_at_users = match args.users {
        None => None,
        Some(n) => Some(PowerAt {
            users_per_variant: n,
            power: power::power(metric, mde, alpha, args.variants, n).map_err(input)?,
        }),
    };
    let report = PlanReport {
        per_variant: plan.per_variant,
        total: plan.total,
        days: plan.days,
        metric_type: match args.metric_type {
            MetricTypeArg::Conversion => "conversion",
            MetricTypeArg::Mean => "mean",
        },
        baseline: args.baseline,
        target: plan.target,
        mde: args.mde,
        mde_kind: if args.absolute {
            "absolute"
        } else {
            "relative"
        },
        alpha: args.alpha,
        power: args.power,
        variants: args.variants,
        comparisons: plan.comparisons,
        bonferroni: plan.bonferroni,
        alpha_per_comparison: plan.alpha_per_comparison,
        daily_traffic: args.daily_traffic,
        power_at_users,
    };
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        _ => print!("{}", render_plan(&report)),
    }
    Ok(())
}

fn render_plan(r: &PlanReport) -> String {
    let conversion = r.metric_type == "conversion";
    let value = |v: f64| {
        if conversion {
            percent(v, 2)
        } else {
            trim(v, 4)
        }
    };
    let mut out = String::new();
    let change = if r.mde_kind == "relative" {
        format!("{} relative", signed_percent(r.mde, 1))
    } else if conversion {
        format!("{} points", signed(r.mde * 100.0, 2))
    } else {
        format!("{} absolute", signed(r.mde, 4))
    };
    let _ = writeln!(
        out,
        "{} → {} ({change}); α = {} two-sided, {} power",
        value(r.baseline),
        value(r.target),
        trim(r.alpha, 4),
        percent(r.power, 0),
    );
    let _ = write!(
        out,
        "{} users per variant, {} in total",
        thousands(r.per_variant),
        thousands(r.total)
    );
    match (r.days, r.daily_traffic) {
        (Some(days), Some(daily)) => {
            let _ = writeln!(
                out,
                "; {} {} at {} users a day",
                thousands(days),
                if days == 1 { "day" } else { "days" },
                thousands(daily)
            );
        }
        _ => out.push('\n'),
    }
    if r.bonferroni {
        let _ = writeln!(
            out,
            "{} variants: α is split by Bonferroni across {} comparisons with the control ({} each)",
            r.variants,
            r.comparisons,
            trim(r.alpha_per_comparison, 6)
        );
    } else {
        let _ = writeln!(out, "one comparison with the control: α is not split");
    }
    if let Some(p) = &r.power_at_users {
        let _ = writeln!(
            out,
            "with {} users per variant the power is {}",
            thousands(p.users_per_variant),
            percent(p.power, 1)
        );
    }
    out
}

/// The text report: the sample-ratio check, a table, and one verdict per variant.
pub(crate) fn render(a: &Analysis, file: &str, launched: Option<Launched>) -> String {
    let conversion = a.metric_type == MetricType::Conversion;
    let level = trim((1.0 - a.alpha) * 100.0, 2);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{file}: {} metric, {}, α = {}{}{}",
        a.metric_type.as_str(),
        if a.method == "sequential" {
            "sequential (safe to peek)"
        } else {
            "fixed horizon"
        },
        trim(a.alpha, 4),
        if a.inverse { ", lower is better" } else { "" },
        if a.cuped { ", CUPED-adjusted" } else { "" },
    );
    let _ = writeln!(out, "{}", srm_sentence(a));
    out.push('\n');
    let value_header = if conversion { "rate" } else { "mean" };
    let rows: Vec<[String; 6]> = a
        .variants
        .iter()
        .map(|v| {
            let value = if conversion {
                percent(v.value, 2)
            } else {
                trim(v.value, 4)
            };
            match (&v.relative, &v.bayes) {
                (Some(r), Some(b)) => [
                    v.name.clone(),
                    thousands(v.users),
                    value,
                    format!(
                        "{} ({} to {})",
                        signed_percent(r.effect, 1),
                        signed_percent(r.ci_low, 1),
                        signed_percent(r.ci_high, 1)
                    ),
                    p_text(r.p_value_holm.unwrap_or(r.p_value)),
                    chance_text(b.chance_to_beat_control),
                ],
                _ => [
                    v.name.clone(),
                    thousands(v.users),
                    value,
                    String::new(),
                    String::new(),
                    String::new(),
                ],
            }
        })
        .collect();
    let header = [
        "variant".to_string(),
        "users".to_string(),
        value_header.to_string(),
        format!("lift ({level}% CI)"),
        if a.variants.len() > 2 {
            "p (Holm)".to_string()
        } else {
            "p".to_string()
        },
        "chance better".to_string(),
    ];
    let mut widths = [0usize; 6];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
    let control = &a.variants[0];
    for v in &a.variants[1..] {
        let _ = writeln!(out, "{}", verdict(a, control, v, launched));
    }
    out
}
