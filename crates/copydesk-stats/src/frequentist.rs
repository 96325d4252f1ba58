//! Frequentist tests: Welch's t-test (fixed horizon) and asymptotic confidence sequences
//! (sequential), on the relative or absolute effect, as gbstats computes them.

use serde::Serialize;
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};

use crate::{Alpha, Difference, Moments, StatsError, Tuning};

/// The result of a frequentist test of variant against control.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrequentistResult {
    /// The estimated effect (relative lift or absolute difference).
    pub effect: f64,
    /// Its standard error.
    pub std_error: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Two-sided p-value (always-valid for a sequential test).
    pub p_value: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub dof: f64,
}

/// The point estimate and its variance: relative (μB − μA)/μA with the delta-method variance
/// σ²B/(μA²·nB) + σ²A·μB²/(μA⁴·nA), or absolute μB − μA with σ²B/nB + σ²A/nA. With CUPED the
/// adjusted means form the difference and the unadjusted means the ratio and the variance.
pub fn estimate(
    control: &Moments,
    variant: &Moments,
    difference: Difference,
) -> Result<(f64, f64), StatsError> {
    check(control, variant, difference)?;
    let (na, nb) = (control.n as f64, variant.n as f64);
    let (va, vb) = (control.variance, variant.variance);
    Ok(match difference {
        Difference::Relative => {
            let ma = control.unadjusted_mean;
            let mb = variant.unadjusted_mean;
            (
                (variant.mean - control.mean) / ma,
                vb / (ma.powi(2) * nb) + va * mb.powi(2) / (ma.powi(4) * na),
            )
        }
        Difference::Absolute => (variant.mean - control.mean, vb / nb + va / na),
    })
}

/// Welch–Satterthwaite degrees of freedom (gbstats uses them for relative effects too).
pub fn welch_dof(control: &Moments, variant: &Moments) -> f64 {
    let (na, nb) = (control.n as f64, variant.n as f64);
    let (va, vb) = (control.variance, variant.variance);
    (vb / nb + va / na).powi(2)
        / (vb.powi(2) / (nb.powi(2) * (nb - 1.0)) + va.powi(2) / (na.powi(2) * (na - 1.0)))
}

/// Two-sided Welch t-test with a (1 − α) confidence interval.
pub fn t_test(
    control: &Moments,
    variant: &Moments,
    difference: Difference,
    alpha: Alpha,
) -> Result<FrequentistResult, StatsError> {
    let (effect, variance) = estimate(control, variant, difference)?;
    let dof = welch_dof(control, variant);
    let t = students_t(dof)?;
    let se = variance.sqrt();
    let statistic = effect / se;
    let p_value = (2.0 * t.sf(statistic.abs())).clamp(0.0, 1.0);
    let width = t_quantile(&t, 1.0 - alpha.get() / 2.0) * se;
    Ok(FrequentistResult {
        effect,
        std_error: se,
        ci_low: effect - width,
        ci_high: effect + width,
        p_value,
        dof,
    })
}

/// ρ of the asymptotic confidence sequence for tuning N* (Waudby-Smith et al. 2023, eq. 161):
/// √((−2 ln α + ln(−2 ln α + 1)) / N*).
pub fn sequential_rho(alpha: Alpha, tuning: Tuning) -> f64 {
    let l = -2.0 * alpha.get().ln();
    ((l + (l + 1.0).ln()) / tuning.get()).sqrt()
}

/// A sequential test: the asymptotic confidence sequence (Waudby-Smith et al. 2023, eq. 9)
/// and its always-valid p-value (eq. 155), as in gbstats. N = nA + nB, s² = Var(effect)·N;
/// half-width s·√(2(Nρ²+1)·ln(√(Nρ²+1)/α) / (Nρ)²); p = min(1, √(Nρ²+1)·exp(−ρ²·t²/(2(Nρ²+1))))
/// with t² = effect²·N/Var(effect).
pub fn sequential_test(
    control: &Moments,
    variant: &Moments,
    difference: Difference,
    alpha: Alpha,
    tuning: Tuning,
) -> Result<FrequentistResult, StatsError> {
    let (effect, variance) = estimate(control, variant, difference)?;
    let n = (control.n + variant.n) as f64;
    let rho = sequential_rho(alpha, tuning);
    let s2 = variance * n;
    let nr2p1 = n * rho * rho + 1.0;
    let width =
        s2.sqrt() * (2.0 * nr2p1 * (nr2p1.sqrt() / alpha.get()).ln() / (n * rho).powi(2)).sqrt();
    let st2 = effect * effect * n / variance;
    let evalue = (rho * rho * st2 / (2.0 * nr2p1)).exp() / nr2p1.sqrt();
    let p_value = (1.0 / evalue).clamp(0.0, 1.0);
    Ok(FrequentistResult {
        effect,
        std_error: variance.sqrt(),
        ci_low: effect - width,
        ci_high: effect + width,
        p_value,
        dof: welch_dof(control, variant),
    })
}

/// The refusals gbstats makes before any test (it returns an uninformative default instead).
pub(crate) fn check(
    control: &Moments,
    variant: &Moments,
    difference: Difference,
) -> Result<(), StatsError> {
    for m in [control, variant] {
        if m.n < 2 {
            return Err(StatsError::TooFewUsers { users: m.n });
        }
    }
    if difference == Difference::Relative && (control.mean == 0.0 || control.unadjusted_mean == 0.0)
    {
        return Err(StatsError::ZeroBaseline);
    }
    // also refuses NaN
    let positive = |v: f64| v > 0.0;
    if !positive(control.variance) || !positive(variant.variance) {
        return Err(StatsError::ZeroVariance);
    }
    for v in [
        control.mean,
        variant.mean,
        control.unadjusted_mean,
        variant.unadjusted_mean,
    ] {
        if !v.is_finite() {
            return Err(StatsError::Inconsistent(format!(
                "a mean is not finite: {v}"
            )));
        }
    }
    Ok(())
}

/// The t quantile, polished by two Newton steps (statrs' inverse is good to about 1e-8).
fn t_quantile(t: &StudentsT, p: f64) -> f64 {
    let mut x = t.inverse_cdf(p);
    for _ in 0..2 {
        let density = t.pdf(x);
        if density > 0.0 {
            let next = x - (t.cdf(x) - p) / density;
            if next.is_finite() {
                x = next;
            }
        }
    }
    x
}

fn students_t(dof: f64) -> Result<StudentsT, StatsError> {
    StudentsT::new(0.0, 1.0, dof)
        .map_err(|_| StatsError::Inconsistent(format!("degrees of freedom out of range: {dof}")))
}
