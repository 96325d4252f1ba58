//! A/B test statistics for copydesk, computed as GrowthBook's open-source engine `gbstats`
//! computes them, so results are comparable with a tool teams already trust.
//!
//! Pure: no files, no clock, no randomness. Callers hand in numbers (or CSV text) and get
//! numbers back; anything that cannot be computed is a [`StatsError`], never a panic.
//!
//! - [`Statistic`]: sufficient statistics of an arm (proportion or mean), [`cuped`].
//! - [`t_test`] and [`sequential_test`]: frequentist, relative or absolute ([`Difference`]).
//! - [`bayesian`]: Gaussian posterior, chance to beat control, risk, credible interval.
//! - [`srm`]: sample-ratio mismatch. [`adjust`]: Holm and Benjamini–Hochberg.
//! - [`power`]: sample size and power. [`import`]: results CSV. [`analysis`]: all of it.
//! - [`display`] and [`verdict`]: numbers and sentences as a marketer reads them.

pub mod adjust;
pub mod analysis;
mod bayes;
pub mod display;
mod error;
mod frequentist;
pub mod import;
mod params;
pub mod power;
mod srm;
mod stat;
pub mod verdict;

pub use analysis::{analyze, Analysis, Method, Settings};
pub use bayes::{bayesian, expected_gain_loss, BayesResult};
pub use error::{ImportError, StatsError};
pub use frequentist::{
    estimate, sequential_rho, sequential_test, t_test, welch_dof, FrequentistResult,
};
pub use import::{parse_batch, parse_results, Arm, Experiment, MetricType, Results};
pub use params::{Alpha, Difference, Prior, Tuning};
pub use srm::{srm, Srm, SRM_THRESHOLD};
pub use stat::{cuped, Covariate, Cuped, Moments, Statistic};
