//! Checked parameters: a value of these types is always inside its domain.

use serde::Serialize;

use crate::StatsError;

/// A significance level α, strictly between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Alpha(f64);

impl Alpha {
    pub fn new(alpha: f64) -> Result<Alpha, StatsError> {
        if alpha > 0.0 && alpha < 1.0 {
            Ok(Alpha(alpha))
        } else {
            Err(StatsError::parameter(
                "alpha",
                "strictly between 0 and 1",
                alpha,
            ))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl Default for Alpha {
    /// α = 0.05.
    fn default() -> Alpha {
        Alpha(0.05)
    }
}

/// Which effect is estimated: the relative lift μB/μA − 1 or the absolute difference μB − μA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    Relative,
    Absolute,
}

/// A Gaussian prior N(mean, sd²) on the relative lift (as GrowthBook's default prior type);
/// for an absolute effect it is rescaled by the control's mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prior {
    mean: f64,
    sd: f64,
}

impl Prior {
    pub fn new(mean: f64, sd: f64) -> Result<Prior, StatsError> {
        if !mean.is_finite() {
            return Err(StatsError::parameter("prior mean", "a finite number", mean));
        }
        if !(sd > 0.0 && sd.is_finite()) {
            return Err(StatsError::parameter(
                "prior standard deviation",
                "a positive number",
                sd,
            ));
        }
        Ok(Prior { mean, sd })
    }

    pub fn mean(&self) -> f64 {
        self.mean
    }

    pub fn sd(&self) -> f64 {
        self.sd
    }
}

/// The tuning parameter N* of a sequential test: the total sample size at which the
/// confidence sequence is tightest. GrowthBook's default is 5000.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Tuning(f64);

impl Tuning {
    pub fn new(n_star: f64) -> Result<Tuning, StatsError> {
        if n_star > 0.0 && n_star.is_finite() {
            Ok(Tuning(n_star))
        } else {
            Err(StatsError::parameter(
                "sequential tuning",
                "a positive number",
                n_star,
            ))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning(5000.0)
    }
}
