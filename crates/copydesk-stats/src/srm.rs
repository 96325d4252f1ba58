//! Sample-ratio mismatch: did users arrive in the arms in the planned proportions?

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::StatsError;

/// Below this p-value the split is flagged as a mismatch (GrowthBook's default).
pub const SRM_THRESHOLD: f64 = 0.001;

/// Pearson's χ² test of the observed users per arm against the expected split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Srm {
    pub chi2: f64,
    /// P(χ²_{k−1} ≥ chi2).
    pub p_value: f64,
    /// p < [`SRM_THRESHOLD`].
    pub mismatch: bool,
}

/// χ² = Σ (observed − expected)²/expected with expected = weight/Σweights · Σusers, on k − 1
/// degrees of freedom, as gbstats' `check_srm` (arms of weight 0 are skipped; no users at
/// all gives p = 1). `weights` are the planned split (any scale); `None` means equal.
pub fn srm(users: &[u64], weights: Option<&[f64]>) -> Result<Srm, StatsError> {
    let k = users.len();
    if k < 2 {
        return Err(StatsError::Inconsistent(format!(
            "a sample-ratio check needs at least two arms, not {k}"
        )));
    }
    let equal = vec![1.0; k];
    let weights = weights.unwrap_or(&equal);
    if weights.len() != k {
        return Err(StatsError::Inconsistent(format!(
            "the split has {} parts but there are {k} arms",
            weights.len()
        )));
    }
    for &w in weights {
        if !(w >= 0.0 && w.is_finite()) {
            return Err(StatsError::parameter(
                "a split weight",
                "a non-negative number",
                w,
            ));
        }
    }
    let total_weight: f64 = weights.iter().sum();
    if total_weight <= 0.0 {
        return Err(StatsError::parameter(
            "the split's total",
            "positive",
            total_weight,
        ));
    }
    let total: f64 = users.iter().map(|&u| u as f64).sum();
    if total == 0.0 {
        return Ok(Srm {
            chi2: 0.0,
            p_value: 1.0,
            mismatch: false,
        });
    }
    let mut chi2 = 0.0;
    for (&o, &w) in users.iter().zip(weights) {
        if w <= 0.0 {
            continue;
        }
        let e = w / total_weight * total;
        chi2 += (o as f64 - e).powi(2) / e;
    }
    let dist = ChiSquared::new((k - 1) as f64)
        .map_err(|e| StatsError::Inconsistent(format!("χ² distribution: {e}")))?;
    let p_value = dist.sf(chi2).clamp(0.0, 1.0);
    Ok(Srm {
        chi2,
        p_value,
        mismatch: p_value < SRM_THRESHOLD,
    })
}
