//! Bayesian analysis: the Gaussian ("effect") model of gbstats.

use serde::Serialize;
use statrs::distribution::{Continuous, ContinuousCDF, Normal};

use crate::frequentist::{check, estimate};
use crate::{Alpha, Difference, Moments, Prior, StatsError};

/// The posterior of the effect and what a marketer decides with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BayesResult {
    /// Posterior mean of the effect.
    pub effect: f64,
    /// Posterior standard deviation.
    pub sd: f64,
    /// P(variant is better than control); "better" means lower for an inverse metric.
    pub chance_to_beat_control: f64,
    /// Expected loss of choosing the control: E[max(Δ, 0)] (E[max(−Δ, 0)] when inverse).
    pub risk_control: f64,
    /// Expected loss of choosing the variant: E[max(−Δ, 0)] (E[max(Δ, 0)] when inverse).
    pub risk_variant: f64,
    /// The (1 − α) equal-tailed credible interval.
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The Gaussian approximation of the effect Δ ~ N(estimate, variance) from the data; with a
/// proper prior N(μ₀, σ₀²) the posterior is the precision-weighted combination
/// (precision 1/variance + 1/σ₀², mean (estimate/variance + μ₀/σ₀²)/precision). With no prior
/// (flat) the posterior is the data's Gaussian.
pub fn bayesian(
    control: &Moments,
    variant: &Moments,
    difference: Difference,
    prior: Option<Prior>,
    inverse: bool,
    alpha: Alpha,
) -> Result<BayesResult, StatsError> {
    check(control, variant, difference)?;
    let (data_mean, data_variance) = estimate(control, variant, difference)?;
    let (mean, precision) = match prior {
        None => (data_mean, 1.0 / data_variance),
        Some(prior) => {
            let (pm, pv) = match difference {
                Difference::Relative => (prior.mean(), prior.sd().powi(2)),
                Difference::Absolute => {
                    let m = control.unadjusted_mean;
                    (prior.mean() * m.abs(), prior.sd().powi(2) * m * m)
                }
            };
            let precision = 1.0 / data_variance + 1.0 / pv;
            ((data_mean / data_variance + pm / pv) / precision, precision)
        }
    };
    let sd = (1.0 / precision).sqrt();
    let standard = standard_normal();
    let z = mean / sd;
    let chance = if inverse {
        standard.cdf(-z)
    } else {
        standard.cdf(z)
    };
    let (gain, loss) = expected_gain_loss(mean, sd);
    let (risk_control, risk_variant) = if inverse { (loss, gain) } else { (gain, loss) };
    let q = standard.inverse_cdf(1.0 - alpha.get() / 2.0);
    Ok(BayesResult {
        effect: mean,
        sd,
        chance_to_beat_control: chance,
        risk_control,
        risk_variant,
        ci_low: mean - q * sd,
        ci_high: mean + q * sd,
    })
}

/// For Δ ~ N(μ, σ²): E[max(Δ, 0)] = μΦ(μ/σ) + σφ(μ/σ) and E[max(−Δ, 0)] = −μΦ(−μ/σ) + σφ(μ/σ).
pub fn expected_gain_loss(mu: f64, sigma: f64) -> (f64, f64) {
    let standard = standard_normal();
    let z = mu / sigma;
    let density = sigma * standard.pdf(z);
    // Both expectations are of non-negative quantities; far in a tail (|μ/σ| ≳ 30) the two
    // terms cancel to a rounding error that can fall just below zero.
    (
        (mu * standard.cdf(z) + density).max(0.0),
        (-mu * standard.cdf(-z) + density).max(0.0),
    )
}

pub(crate) fn standard_normal() -> Normal {
    Normal::standard()
}
