//! Experiments: "humans design the experiment; AI produces the options" (PRODUCT.md). An
//! experiment starts from a written hypothesis and the lever it tests; its variants are
//! approved asset versions (the control is the experiment's asset; each challenger is another
//! asset of the same kind, drafted for one lever and reviewed like any other); the sample size
//! and analysis method are fixed before launch, so a look before the planned size is a peek
//! unless the method allows it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::asset::UserRef;
use crate::vocab::UnknownName;
use crate::{AssetId, BrandId, ExperimentId, Lever};

vocabulary!(
    /// What is measured per user: a conversion (0/1) or a mean of a value.
    MetricType, "metric type" {
        Conversion => "conversion",
        Mean => "mean",
    }
);

vocabulary!(
    /// How results are analysed: a fixed-horizon test read once, or a sequential one that may
    /// be read at any time (confidence sequences).
    AnalysisMethod, "analysis method" {
        Fixed => "fixed",
        Sequential => "sequential",
    }
);

vocabulary!(
    /// Where an experiment is: being designed, collecting data, or ended.
    ExperimentState, "experiment state" {
        Draft => "draft",
        Running => "running",
        Stopped => "stopped",
    }
);

impl AnalysisMethod {
    /// The method as a marketer reads it, with what it allows.
    pub fn describe(self) -> &'static str {
        match self {
            AnalysisMethod::Fixed => "fixed horizon (read once, at the planned size)",
            AnalysisMethod::Sequential => "sequential (safe to read at any time)",
        }
    }
}

/// Fewer words than this is a label, not a hypothesis.
pub const MIN_HYPOTHESIS_WORDS: usize = 6;

/// What a strategist writes before any variant exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExperimentDesign {
    pub hypothesis: String,
    pub lever: Option<Lever>,
    pub metric: String,
    pub metric_type: MetricType,
    /// Lower is better (e.g. unsubscribes).
    pub inverse: bool,
}

/// Why a design, a variant or a change of state is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExperimentError {
    #[error("an experiment needs a hypothesis: write what you expect to change, for whom and why (at least {MIN_HYPOTHESIS_WORDS} words), e.g. \"Naming the hours saved will lift demo requests from finance leads\"")]
    NoHypothesis,
    #[error("an experiment needs the lever it tests (one of: {0})")]
    NoLever(String),
    #[error("an experiment needs the metric it is judged by (e.g. demo_requests)")]
    NoMetric,
    #[error("{0}")]
    Variant(String),
    #[error("experiment {id} is {state}; {doing} needs it {needed}")]
    State {
        id: ExperimentId,
        state: ExperimentState,
        doing: &'static str,
        needed: &'static str,
    },
    #[error("the planned sample size must be at least 2 users per variant (given {0})")]
    Plan(u64),
}

impl ExperimentDesign {
    /// Refuses a design without a real hypothesis, a lever or a metric; returns the lever.
    pub fn validate(&self) -> Result<Lever, ExperimentError> {
        if self.hypothesis.split_whitespace().count() < MIN_HYPOTHESIS_WORDS {
            return Err(ExperimentError::NoHypothesis);
        }
        let Some(lever) = self.lever else {
            let all = Lever::ALL
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ExperimentError::NoLever(all));
        };
        if self.metric.trim().is_empty() {
            return Err(ExperimentError::NoMetric);
        }
        Ok(lever)
    }
}

/// One arm: an asset version, and for a challenger the lever it pulls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub name: String,
    /// The experiment's asset for the control; another asset for a challenger.
    pub asset_id: AssetId,
    /// The version shown: the asset's current version when added, its approved one from launch.
    pub version: u32,
    /// None for the control.
    pub lever: Option<Lever>,
    pub added_by: UserRef,
    pub added_at: DateTime<Utc>,
}

/// What is fixed at launch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub per_variant: u64,
    pub method: AnalysisMethod,
    pub alpha: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub id: ExperimentId,
    pub brand_id: BrandId,
    pub asset_id: AssetId,
    pub hypothesis: String,
    pub lever: Lever,
    pub metric: String,
    pub metric_type: MetricType,
    pub inverse: bool,
    pub state: ExperimentState,
    pub variants: Vec<Variant>,
    pub plan: Option<Plan>,
    pub created_by: UserRef,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
}

impl Experiment {
    fn require(
        &self,
        state: ExperimentState,
        doing: &'static str,
        needed: &'static str,
    ) -> Result<(), ExperimentError> {
        if self.state == state {
            Ok(())
        } else {
            Err(ExperimentError::State {
                id: self.id,
                state: self.state,
                doing,
                needed,
            })
        }
    }

    /// A new variant's name must be free, and variants are only added while designing.
    pub fn check_new_variant(&self, name: &str) -> Result<(), ExperimentError> {
        self.require(ExperimentState::Draft, "adding a variant", "in draft")?;
        let valid = !name.is_empty()
            && name.len() <= 40
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(ExperimentError::Variant(format!(
                "variant name '{name}': use 1 to 40 letters, digits, '-' or '_'"
            )));
        }
        if self.variants.iter().any(|v| v.name == name) {
            return Err(ExperimentError::Variant(format!(
                "experiment {} already has a variant named '{name}'",
                self.id
            )));
        }
        Ok(())
    }

    /// Starting needs a control and at least one challenger, and a plan.
    pub fn check_start(&self, plan: &Plan) -> Result<(), ExperimentError> {
        self.require(ExperimentState::Draft, "starting", "in draft")?;
        if self.variants.len() < 2 {
            return Err(ExperimentError::Variant(format!(
                "experiment {} has {} variant(s); it needs the control and at least one challenger to start",
                self.id,
                self.variants.len()
            )));
        }
        if plan.per_variant < 2 {
            return Err(ExperimentError::Plan(plan.per_variant));
        }
        Ok(())
    }

    pub fn check_stop(&self) -> Result<(), ExperimentError> {
        self.require(ExperimentState::Running, "stopping", "running")
    }

    pub fn check_import(&self) -> Result<(), ExperimentError> {
        if self.state == ExperimentState::Draft {
            return Err(ExperimentError::State {
                id: self.id,
                state: self.state,
                doing: "importing results",
                needed: "running or stopped",
            });
        }
        Ok(())
    }

    /// Whether reading results now is a peek: a fixed-horizon test read before every arm
    /// reached its planned size. A sequential test may be read at any time.
    pub fn is_peek(&self, smallest_arm: u64) -> bool {
        match self.plan {
            Some(plan) => plan.method == AnalysisMethod::Fixed && smallest_arm < plan.per_variant,
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design() -> ExperimentDesign {
        ExperimentDesign {
            hypothesis: "Naming the hours saved will lift demo requests from finance leads".into(),
            lever: Some(Lever::ValueFraming),
            metric: "demo_requests".into(),
            metric_type: MetricType::Conversion,
            inverse: false,
        }
    }

    #[test]
    fn a_design_needs_a_hypothesis_a_lever_and_a_metric() {
        assert_eq!(design().validate(), Ok(Lever::ValueFraming));
        let vague = ExperimentDesign {
            hypothesis: "try a new headline".into(),
            ..design()
        };
        assert_eq!(vague.validate(), Err(ExperimentError::NoHypothesis));
        let no_lever = ExperimentDesign {
            lever: None,
            ..design()
        };
        let err = no_lever.validate().unwrap_err().to_string();
        assert!(err.contains("clarity, urgency"), "{err}");
        let no_metric = ExperimentDesign {
            metric: " ".into(),
            ..design()
        };
        assert_eq!(no_metric.validate(), Err(ExperimentError::NoMetric));
    }

    fn experiment(state: ExperimentState, arms: usize, plan: Option<Plan>) -> Experiment {
        let who = UserRef {
            id: crate::UserId(1),
            name: "alice".into(),
        };
        Experiment {
            id: ExperimentId(7),
            brand_id: BrandId(1),
            asset_id: AssetId(1),
            hypothesis: design().hypothesis,
            lever: Lever::ValueFraming,
            metric: "demo_requests".into(),
            metric_type: MetricType::Conversion,
            inverse: false,
            state,
            variants: (0..arms)
                .map(|i| Variant {
                    name: format!("v{i}"),
                    asset_id: AssetId(i as i64 + 1),
                    version: i as u32 + 1,
                    lever: (i > 0).then_some(Lever::ValueFraming),
                    added_by: who.clone(),
                    added_at: DateTime::UNIX_EPOCH,
                })
                .collect(),
            plan,
            created_by: who,
            created_at: DateTime::UNIX_EPOCH,
            started_at: None,
            stopped_at: None,
        }
    }

    #[test]
    fn the_life_of_an_experiment_is_draft_running_stopped() {
        let plan = Plan {
            per_variant: 8200,
            method: AnalysisMethod::Fixed,
            alpha: 0.05,
        };
        assert!(experiment(ExperimentState::Draft, 1, None)
            .check_start(&plan)
            .is_err());
        assert_eq!(
            experiment(ExperimentState::Draft, 2, None).check_start(&plan),
            Ok(())
        );
        assert!(experiment(ExperimentState::Running, 2, Some(plan))
            .check_new_variant("c")
            .is_err());
        assert!(experiment(ExperimentState::Draft, 2, None)
            .check_new_variant("v1")
            .is_err());
        assert!(experiment(ExperimentState::Draft, 2, None)
            .check_new_variant("b c")
            .is_err());
        assert!(experiment(ExperimentState::Draft, 2, None)
            .check_import()
            .is_err());
        assert_eq!(
            experiment(ExperimentState::Running, 2, Some(plan)).check_stop(),
            Ok(())
        );
        assert!(experiment(ExperimentState::Stopped, 2, Some(plan))
            .check_stop()
            .is_err());
    }

    #[test]
    fn reading_a_fixed_test_early_is_a_peek_but_a_sequential_one_is_not() {
        let fixed = Plan {
            per_variant: 1000,
            method: AnalysisMethod::Fixed,
            alpha: 0.05,
        };
        let running = experiment(ExperimentState::Running, 2, Some(fixed));
        assert!(running.is_peek(999));
        assert!(!running.is_peek(1000));
        let sequential = experiment(
            ExperimentState::Running,
            2,
            Some(Plan {
                method: AnalysisMethod::Sequential,
                ..fixed
            }),
        );
        assert!(!sequential.is_peek(10));
    }
}
