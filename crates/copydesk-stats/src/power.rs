//! Sample size before launch, and power for a given size.

use serde::Serialize;
use statrs::distribution::ContinuousCDF;

use crate::bayes::standard_normal;
use crate::{Alpha, StatsError};

/// The metric a plan is for, with its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "metric_type", rename_all = "snake_case")]
pub enum Metric {
    /// A conversion rate strictly between 0 and 1.
    Conversion { baseline: f64 },
    /// A mean with its per-user standard deviation (assumed equal in every arm).
    Mean { baseline: f64, stddev: f64 },
}

/// The minimum detectable effect: relative to the baseline (0.10 = +10%) or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Mde {
    Relative(f64),
    Absolute(f64),
}

/// What a plan needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanInput {
    pub metric: Metric,
    pub mde: Mde,
    pub alpha: Alpha,
    /// 1 − β, strictly between 0 and 1.
    pub power: f64,
    /// Arms including the control (at least 2).
    pub variants: u32,
    /// Users entering the experiment per day, over all arms.
    pub daily_traffic: Option<u64>,
}

/// Users needed, and how α was split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Plan {
    pub per_variant: u64,
    pub total: u64,
    /// ⌈total / daily traffic⌉, when the traffic is known.
    pub days: Option<u64>,
    /// The value the variant must reach (baseline + effect).
    pub target: f64,
    /// Comparisons against the control (variants − 1).
    pub comparisons: u32,
    /// Whether α was split across comparisons (Bonferroni: more than one comparison).
    pub bonferroni: bool,
    /// α per comparison: α / comparisons.
    pub alpha_per_comparison: f64,
}

/// The per-arm variances and the difference the formula needs.
struct Setting {
    /// 2·p̄(1−p̄) (conversion) or 2σ² (mean): the variance under the null.
    null_variance: f64,
    /// p₁(1−p₁) + p₂(1−p₂) or 2σ²: the variance under the alternative.
    alt_variance: f64,
    delta: f64,
    target: f64,
}

fn setting(metric: Metric, mde: Mde) -> Result<Setting, StatsError> {
    let (baseline, spread) = match metric {
        Metric::Conversion { baseline } => {
            if !(baseline > 0.0 && baseline < 1.0) {
                return Err(StatsError::parameter(
                    "baseline conversion rate",
                    "strictly between 0 and 1",
                    baseline,
                ));
            }
            (baseline, None)
        }
        Metric::Mean { baseline, stddev } => {
            if !baseline.is_finite() {
                return Err(StatsError::parameter(
                    "baseline",
                    "a finite number",
                    baseline,
                ));
            }
            if !(stddev > 0.0 && stddev.is_finite()) {
                return Err(StatsError::parameter(
                    "standard deviation",
                    "a positive number",
                    stddev,
                ));
            }
            (baseline, Some(stddev))
        }
    };
    let target = match mde {
        Mde::Relative(r) => baseline * (1.0 + r),
        Mde::Absolute(d) => baseline + d,
    };
    let delta = target - baseline;
    if !(delta != 0.0 && delta.is_finite()) {
        return Err(StatsError::parameter(
            "minimum detectable effect",
            "a non-zero number",
            match mde {
                Mde::Relative(v) | Mde::Absolute(v) => v,
            },
        ));
    }
    Ok(match spread {
        None => {
            if !(target > 0.0 && target < 1.0) {
                return Err(StatsError::parameter(
                    "target conversion rate (baseline + effect)",
                    "strictly between 0 and 1",
                    target,
                ));
            }
            let mean = (baseline + target) / 2.0;
            Setting {
                null_variance: 2.0 * mean * (1.0 - mean),
                alt_variance: baseline * (1.0 - baseline) + target * (1.0 - target),
                delta,
                target,
            }
        }
        Some(sd) => Setting {
            null_variance: 2.0 * sd * sd,
            alt_variance: 2.0 * sd * sd,
            delta,
            target,
        },
    })
}

fn comparisons_of(variants: u32) -> Result<u32, StatsError> {
    if variants < 2 {
        return Err(StatsError::parameter(
            "variants",
            "at least 2 (a control and one more)",
            f64::from(variants),
        ));
    }
    Ok(variants - 1)
}

/// Users per variant by the classic two-proportion formula
/// n = (z₁₋α/₂·√(2p̄(1−p̄)) + z₁₋β·√(p₁(1−p₁)+p₂(1−p₂)))² / (p₂−p₁)², p̄ = (p₁+p₂)/2, rounded up;
/// for a mean metric the same with 2σ² for both variances. With more than two arms α is
/// split by Bonferroni across the comparisons with the control.
pub fn plan(input: &PlanInput) -> Result<Plan, StatsError> {
    let s = setting(input.metric, input.mde)?;
    if !(input.power > 0.0 && input.power < 1.0) {
        return Err(StatsError::parameter(
            "power",
            "strictly between 0 and 1",
            input.power,
        ));
    }
    let comparisons = comparisons_of(input.variants)?;
    let alpha = input.alpha.get() / f64::from(comparisons);
    let normal = standard_normal();
    let z_alpha = normal.inverse_cdf(1.0 - alpha / 2.0);
    let z_beta = normal.inverse_cdf(input.power);
    let n = (z_alpha * s.null_variance.sqrt() + z_beta * s.alt_variance.sqrt()).powi(2)
        / s.delta.powi(2);
    // guard against 1e-12 noise turning an exact integer into the next one
    let per_variant = (n - 1e-9).ceil().max(1.0);
    if !(per_variant.is_finite() && per_variant < 1e15) {
        return Err(StatsError::Inconsistent(format!(
            "the sample size is too large to be useful ({n:e} per variant)"
        )));
    }
    let per_variant = per_variant as u64;
    let total = per_variant.saturating_mul(u64::from(input.variants));
    let days = match input.daily_traffic {
        None => None,
        Some(0) => return Err(StatsError::parameter("daily traffic", "at least 1", 0.0)),
        Some(d) => Some(total.div_ceil(d)),
    };
    Ok(Plan {
        per_variant,
        total,
        days,
        target: s.target,
        comparisons,
        bonferroni: comparisons > 1,
        alpha_per_comparison: alpha,
    })
}

/// The power of the same test with `per_variant` users in each arm: the formula above solved
/// for z₁₋β, power = Φ((|p₂−p₁|·√n − z₁₋α/₂·√(2p̄(1−p̄))) / √(p₁(1−p₁)+p₂(1−p₂))), with α
/// split by Bonferroni for more than two arms.
pub fn power(
    metric: Metric,
    mde: Mde,
    alpha: Alpha,
    variants: u32,
    per_variant: u64,
) -> Result<f64, StatsError> {
    let s = setting(metric, mde)?;
    let comparisons = comparisons_of(variants)?;
    let alpha = alpha.get() / f64::from(comparisons);
    let normal = standard_normal();
    let z_alpha = normal.inverse_cdf(1.0 - alpha / 2.0);
    let z = (s.delta.abs() * (per_variant as f64).sqrt() - z_alpha * s.null_variance.sqrt())
        / s.alt_variance.sqrt();
    Ok(normal.cdf(z))
}
