//! Sufficient statistics of one arm, and CUPED regression adjustment.

use serde::{Deserialize, Serialize};

/// The sufficient statistics of one arm's metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Statistic {
    /// A conversion metric: `sum` of the users who converted, out of `n`.
    Proportion { n: u64, sum: f64 },
    /// A mean metric: `n` users, Σx and Σx².
    Mean { n: u64, sum: f64, sum_squares: f64 },
}

impl Statistic {
    /// A mean metric from its mean and sample standard deviation.
    pub fn from_mean_sd(n: u64, mean: f64, sd: f64) -> Statistic {
        let nf = n as f64;
        let sum = mean * nf;
        let sum_squares = if n == 0 {
            0.0
        } else {
            sd * sd * (nf - 1.0) + sum * sum / nf
        };
        Statistic::Mean {
            n,
            sum,
            sum_squares,
        }
    }

    pub fn n(&self) -> u64 {
        match *self {
            Statistic::Proportion { n, .. } | Statistic::Mean { n, .. } => n,
        }
    }

    pub fn sum(&self) -> f64 {
        match *self {
            Statistic::Proportion { sum, .. } | Statistic::Mean { sum, .. } => sum,
        }
    }

    /// Σx²; for a proportion every x is 0 or 1, so it equals Σx.
    pub fn sum_squares(&self) -> f64 {
        match *self {
            Statistic::Proportion { sum, .. } => sum,
            Statistic::Mean { sum_squares, .. } => sum_squares,
        }
    }

    /// The mean (the conversion rate for a proportion); 0 without users.
    pub fn mean(&self) -> f64 {
        let n = self.n();
        if n == 0 {
            0.0
        } else {
            self.sum() / n as f64
        }
    }

    /// The variance of one user's value: p(1−p) for a proportion, and
    /// (Σx² − (Σx)²/n)/(n−1) for a mean (0 for fewer than two users).
    pub fn variance(&self) -> f64 {
        match *self {
            Statistic::Proportion { .. } => {
                let p = self.mean();
                p * (1.0 - p)
            }
            Statistic::Mean {
                n,
                sum,
                sum_squares,
            } => {
                if n <= 1 {
                    0.0
                } else {
                    let nf = n as f64;
                    (sum_squares - sum * sum / nf) / (nf - 1.0)
                }
            }
        }
    }

    /// The moments the tests use, without adjustment.
    pub fn moments(&self) -> Moments {
        let mean = self.mean();
        Moments {
            n: self.n(),
            mean,
            unadjusted_mean: mean,
            variance: self.variance(),
        }
    }

    /// The same kind of statistic over both arms together.
    fn joint(&self, other: &Statistic) -> Statistic {
        let n = self.n() + other.n();
        match (*self, *other) {
            (Statistic::Proportion { sum: a, .. }, Statistic::Proportion { sum: b, .. }) => {
                Statistic::Proportion { n, sum: a + b }
            }
            _ => Statistic::Mean {
                n,
                sum: self.sum() + other.sum(),
                sum_squares: self.sum_squares() + other.sum_squares(),
            },
        }
    }
}

/// What a test needs from an arm: its size, its (possibly CUPED-adjusted) mean, the mean
/// before adjustment (the denominator of a relative effect) and the variance of one user's value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub unadjusted_mean: f64,
    pub variance: f64,
}

/// The pre-experiment covariate X of one arm, for CUPED: ΣX, ΣX² and ΣXY (Y the metric).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Covariate {
    pub sum: f64,
    pub sum_squares: f64,
    pub cross_sum: f64,
}

/// CUPED for one comparison: θ and both arms' adjusted moments.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cuped {
    /// cov(Y, X) / var(X) over both arms pooled; 0 means no adjustment was possible.
    pub theta: f64,
    pub control: Moments,
    pub variant: Moments,
}

/// CUPED (regression adjustment) as gbstats does it: θ = cov(Y,X)/var(X) computed on the
/// two arms pooled; each arm's mean becomes Ȳ − θX̄ and its variance
/// var(Y) + θ²var(X) − 2θcov(Y,X). When the pooled X or Y has no variance θ is 0 and the
/// arms are returned unadjusted.
pub fn cuped(control: (&Statistic, &Covariate), variant: (&Statistic, &Covariate)) -> Cuped {
    let pre = |s: &Statistic, c: &Covariate| Statistic::Mean {
        n: s.n(),
        sum: c.sum,
        sum_squares: c.sum_squares,
    };
    let (ya, xa) = (control.0, pre(control.0, control.1));
    let (yb, xb) = (variant.0, pre(variant.0, variant.1));
    let joint_y = ya.joint(yb);
    let joint_x = xa.joint(&xb);
    let unadjusted = Cuped {
        theta: 0.0,
        control: ya.moments(),
        variant: yb.moments(),
    };
    if joint_x.variance() == 0.0 || joint_y.variance() == 0.0 {
        return unadjusted;
    }
    let theta = covariance(
        &joint_y,
        &joint_x,
        control.1.cross_sum + variant.1.cross_sum,
    ) / joint_x.variance();
    if theta == 0.0 || !theta.is_finite() {
        return unadjusted;
    }
    let adjust = |y: &Statistic, x: &Statistic, cross: f64| {
        let variance = if y.n() <= 1 {
            0.0
        } else {
            y.variance() + theta * theta * x.variance() - 2.0 * theta * covariance(y, x, cross)
        };
        Moments {
            n: y.n(),
            mean: y.mean() - theta * x.mean(),
            unadjusted_mean: y.mean(),
            variance,
        }
    };
    Cuped {
        theta,
        control: adjust(ya, &xa, control.1.cross_sum),
        variant: adjust(yb, &xb, variant.1.cross_sum),
    }
}

/// The sample covariance of Y and X from their sums and ΣXY.
fn covariance(y: &Statistic, x: &Statistic, cross_sum: f64) -> f64 {
    let n = y.n();
    if n <= 1 {
        return 0.0;
    }
    let nf = n as f64;
    (cross_sum - y.sum() * x.sum() / nf) / (nf - 1.0)
}
