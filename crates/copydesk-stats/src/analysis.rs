//! One experiment's whole analysis: SRM, then every variant against the control, frequentist
//! (relative and absolute), Bayesian, adjusted p-values and the users still needed.

use serde::Serialize;

use crate::power::{self, Mde, Metric, PlanInput};
use crate::{
    adjust, bayesian, cuped, sequential_test, srm, t_test, Alpha, Difference, FrequentistResult,
    MetricType, Moments, Prior, Results, Srm, StatsError, Tuning,
};

/// Fixed-horizon or sequential (peek-safe) frequentist analysis.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Method {
    #[default]
    Fixed,
    Sequential(Tuning),
}

/// How to analyse.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// The control's name; the first arm when `None`.
    pub control: Option<String>,
    pub alpha: Alpha,
    pub method: Method,
    /// A proper prior on the relative lift; flat when `None`.
    pub prior: Option<Prior>,
    /// The planned split in file order (any scale); equal when `None`.
    pub split: Option<Vec<f64>>,
    /// Lower is better (for example a bounce or refund rate).
    pub inverse: bool,
}

/// The analysis, serialised as the JSON documented in docs/experiments.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    pub metric_type: MetricType,
    /// `fixed` or `sequential`.
    pub method: &'static str,
    pub alpha: f64,
    pub inverse: bool,
    /// Whether CUPED adjusted the comparisons.
    pub cuped: bool,
    pub srm: Srm,
    /// The control first, then the other variants in file order.
    pub variants: Vec<VariantReport>,
}

/// One variant; comparisons are absent on the control.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantReport {
    pub name: String,
    pub users: u64,
    /// The conversion rate or the mean (before CUPED).
    pub value: f64,
    /// The per-user standard deviation.
    pub stddev: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative: Option<Frequentist>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absolute: Option<Frequentist>,
    /// The Bayesian result on the relative lift.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bayes: Option<Bayes>,
    /// CUPED's θ for this comparison.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theta: Option<f64>,
    /// Users per variant needed to detect the observed lift with 80% power (α split by
    /// Bonferroni for more than one comparison).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users_for_power: Option<u64>,
    /// Why no comparison could be made, when none could.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A frequentist comparison as reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Frequentist {
    pub effect: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p_value: f64,
    /// Holm–Bonferroni adjusted across the variants (more than one comparison only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value_holm: Option<f64>,
    /// Benjamini–Hochberg adjusted across the variants (more than one comparison only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value_bh: Option<f64>,
}

/// A Bayesian comparison as reported (relative lift).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bayes {
    pub effect: f64,
    pub chance_to_beat_control: f64,
    pub risk_control: f64,
    pub risk_variant: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The power the `users_for_power` figure aims at.
pub const TARGET_POWER: f64 = 0.8;

/// Analyses one experiment.
pub fn analyze(results: &Results, settings: &Settings) -> Result<Analysis, StatsError> {
    let arms = &results.arms;
    let control_index = match &settings.control {
        None => 0,
        Some(name) => arms.iter().position(|a| &a.name == name).ok_or_else(|| {
            let names: Vec<&str> = arms.iter().map(|a| a.name.as_str()).collect();
            StatsError::Inconsistent(format!(
                "no variant named `{name}` to use as the control (variants: {})",
                names.join(", ")
            ))
        })?,
    };
    let users: Vec<u64> = arms.iter().map(|a| a.stat.n()).collect();
    let srm = srm(&users, settings.split.as_deref())?;
    let control = &arms[control_index];
    let use_cuped = arms.iter().all(|a| a.covariate.is_some());
    let comparisons = arms.len() - 1;
    let report = |arm: &crate::Arm| VariantReport {
        name: arm.name.clone(),
        users: arm.stat.n(),
        value: arm.stat.mean(),
        stddev: arm.stat.variance().max(0.0).sqrt(),
        relative: None,
        absolute: None,
        bayes: None,
        theta: None,
        users_for_power: None,
        note: None,
    };
    let mut variants = vec![report(control)];
    for (i, arm) in arms.iter().enumerate() {
        if i == control_index {
            continue;
        }
        let mut out = report(arm);
        let (a, b) = match (use_cuped, control.covariate, arm.covariate) {
            (true, Some(ca), Some(cb)) => {
                let c = cuped((&control.stat, &ca), (&arm.stat, &cb));
                out.theta = Some(c.theta);
                (c.control, c.variant)
            }
            _ => (control.stat.moments(), arm.stat.moments()),
        };
        match compare(&a, &b, settings) {
            Ok((relative, absolute, bayes)) => {
                out.relative = Some(reported(&relative));
                out.absolute = Some(reported(&absolute));
                out.bayes = Some(bayes);
                out.users_for_power = users_for_power(
                    results.metric_type,
                    &a,
                    &b,
                    relative.effect,
                    settings.alpha,
                    arms.len(),
                );
            }
            Err(e) => out.note = Some(e.to_string()),
        }
        variants.push(out);
    }
    if comparisons > 1 {
        adjust_all(&mut variants, |v| v.relative.as_mut());
        adjust_all(&mut variants, |v| v.absolute.as_mut());
    }
    Ok(Analysis {
        experiment: None,
        metric_type: results.metric_type,
        method: match settings.method {
            Method::Fixed => "fixed",
            Method::Sequential(_) => "sequential",
        },
        alpha: settings.alpha.get(),
        inverse: settings.inverse,
        cuped: use_cuped,
        srm,
        variants,
    })
}

type Comparison = (FrequentistResult, FrequentistResult, Bayes);

fn compare(a: &Moments, b: &Moments, settings: &Settings) -> Result<Comparison, StatsError> {
    let test = |difference| match settings.method {
        Method::Fixed => t_test(a, b, difference, settings.alpha),
        Method::Sequential(tuning) => sequential_test(a, b, difference, settings.alpha, tuning),
    };
    let relative = test(Difference::Relative)?;
    let absolute = test(Difference::Absolute)?;
    let bayes = bayesian(
        a,
        b,
        Difference::Relative,
        settings.prior,
        settings.inverse,
        settings.alpha,
    )?;
    Ok((
        relative,
        absolute,
        Bayes {
            effect: bayes.effect,
            chance_to_beat_control: bayes.chance_to_beat_control,
            risk_control: bayes.risk_control,
            risk_variant: bayes.risk_variant,
            ci_low: bayes.ci_low,
            ci_high: bayes.ci_high,
        },
    ))
}

fn reported(r: &FrequentistResult) -> Frequentist {
    Frequentist {
        effect: r.effect,
        ci_low: r.ci_low,
        ci_high: r.ci_high,
        p_value: r.p_value,
        p_value_holm: None,
        p_value_bh: None,
    }
}

fn adjust_all(
    variants: &mut [VariantReport],
    mut pick: impl FnMut(&mut VariantReport) -> Option<&mut Frequentist>,
) {
    let p: Vec<f64> = variants
        .iter_mut()
        .filter_map(|v| pick(v).map(|f| f.p_value))
        .collect();
    let holm = adjust::holm(&p);
    let bh = adjust::benjamini_hochberg(&p);
    let mut k = 0;
    for v in variants.iter_mut() {
        if let Some(f) = pick(v) {
            f.p_value_holm = holm.get(k).copied();
            f.p_value_bh = bh.get(k).copied();
            k += 1;
        }
    }
}

fn users_for_power(
    metric_type: MetricType,
    a: &Moments,
    b: &Moments,
    lift: f64,
    alpha: Alpha,
    arms: usize,
) -> Option<u64> {
    let metric = match metric_type {
        MetricType::Conversion => Metric::Conversion {
            baseline: a.unadjusted_mean,
        },
        MetricType::Mean => Metric::Mean {
            baseline: a.unadjusted_mean,
            stddev: ((a.variance + b.variance) / 2.0).sqrt(),
        },
    };
    let plan = power::plan(&PlanInput {
        metric,
        mde: Mde::Relative(lift),
        alpha,
        power: TARGET_POWER,
        variants: u32::try_from(arms).ok()?,
        daily_traffic: None,
    })
    .ok()?;
    Some(plan.per_variant)
}
