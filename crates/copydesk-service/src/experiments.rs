//! Experiments in the workflow: a strategist designs one (hypothesis and lever first), names
//! its variants (the asset's approved version as control, other reviewed assets as
//! challengers), fixes the sample size and method at launch, imports results and reads them.
//! The statistics live in `copydesk-stats`; this layer keeps who did what and when a look is
//! a peek.

use copydesk_core::asset::Asset;
use copydesk_core::experiment::{
    AnalysisMethod, Experiment, ExperimentDesign, ExperimentError, ExperimentState, MetricType,
    Plan, Variant,
};
use copydesk_core::{AssetId, AssetState, ExperimentId, Lever, Role};
use copydesk_stats::power::{self, Mde, Metric, PlanInput};
use copydesk_stats::{Alpha, Analysis, Method, Prior, Results, Settings, Tuning};
use copydesk_store::{NewExperiment, NewResults, StoredResults, Tx};
use serde::{Deserialize, Serialize};

use crate::access::{member, member_by_slug, Access, Actor};
use crate::assets::visible_asset;
use crate::audit::record;
use crate::{Result, Service, ServiceError};

/// Humans design, launch and stop experiments: strategists (and brand admins, who pass every
/// role check).
pub const EXPERIMENT_DESIGNERS: &[Role] = &[Role::Strategist];
/// Results come from analytics exports, imported by whoever runs the experiment.
pub const RESULT_IMPORTERS: &[Role] = &[Role::Strategist, Role::Editor];
const DESIGNS: &[Role] = EXPERIMENT_DESIGNERS;
const IMPORTS: &[Role] = RESULT_IMPORTERS;

/// A refusal because of where something is in its life (a draft asset, a running experiment).
fn conflict(message: String) -> ServiceError {
    ServiceError::Rule(copydesk_core::review::RuleError::Conflict(message))
}

impl From<ExperimentError> for ServiceError {
    fn from(e: ExperimentError) -> ServiceError {
        match e {
            ExperimentError::State { .. } => conflict(e.to_string()),
            _ => ServiceError::Invalid(e.to_string()),
        }
    }
}

/// An experiment with its newest imported results.
#[derive(Debug, Clone, Serialize)]
pub struct ExperimentView {
    pub brand: String,
    #[serde(flatten)]
    pub experiment: Experiment,
    pub results: Option<StoredResults>,
}

/// The newest results of an experiment, analysed with the method and α fixed at launch.
#[derive(Debug, Clone, Serialize)]
pub struct ExperimentReport {
    pub experiment: ExperimentId,
    pub brand: String,
    pub hypothesis: String,
    pub lever: Lever,
    pub metric: String,
    pub state: ExperimentState,
    pub plan: Plan,
    /// A fixed-horizon test read before every arm reached its planned size: the p-values and
    /// intervals are not valid yet (reading early and stopping on a good one inflates false
    /// positives). Never true for a sequential test.
    pub peek: bool,
    /// The smallest arm's users against the planned users per variant.
    pub smallest_arm: u64,
    pub import: i64,
    pub source: String,
    pub imported_by: String,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    pub analysis: Analysis,
}

/// What a strategist fixes at launch: the users per variant, given (`users`) or planned from
/// the baseline and the smallest effect worth detecting (`baseline`, `mde`), the analysis
/// method and α. The CLI's `experiment start` flags and the API's JSON body are this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Launch {
    /// Users per variant; leave out to plan it from `baseline` and `mde`.
    #[serde(default)]
    pub users: Option<u64>,
    /// The control's conversion rate or mean today.
    #[serde(default)]
    pub baseline: Option<f64>,
    /// The smallest effect worth detecting: relative (0.10 = +10%) unless `absolute`.
    #[serde(default)]
    pub mde: Option<f64>,
    #[serde(default)]
    pub absolute: bool,
    /// 1 − β for the planned size.
    #[serde(default = "Launch::default_power")]
    pub power: f64,
    /// The per-user standard deviation, needed to plan a mean metric.
    #[serde(default)]
    pub stddev: Option<f64>,
    #[serde(default = "Launch::default_alpha")]
    pub alpha: f64,
    #[serde(default = "Launch::default_method")]
    pub method: AnalysisMethod,
}

impl Launch {
    fn default_power() -> f64 {
        0.8
    }
    fn default_alpha() -> f64 {
        0.05
    }
    fn default_method() -> AnalysisMethod {
        AnalysisMethod::Fixed
    }

    /// A launch with a given number of users per variant.
    pub fn users(per_variant: u64, method: AnalysisMethod, alpha: f64) -> Launch {
        Launch {
            users: Some(per_variant),
            baseline: None,
            mde: None,
            absolute: false,
            power: Launch::default_power(),
            stddev: None,
            alpha,
            method,
        }
    }

    /// The users per variant given, or planned with as many arms as the experiment has.
    fn per_variant(&self, e: &Experiment, alpha: Alpha) -> Result<u64> {
        let invalid = |m: String| ServiceError::Invalid(m);
        match (self.users, self.baseline, self.mde) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(invalid(
                "give either the users per variant or a baseline and an MDE to plan them, not both"
                    .into(),
            )),
            (Some(n), None, None) => Ok(n),
            (None, Some(baseline), Some(mde)) => {
                let metric = match (e.metric_type, self.stddev) {
                    (MetricType::Conversion, _) => Metric::Conversion { baseline },
                    (MetricType::Mean, Some(stddev)) => Metric::Mean { baseline, stddev },
                    (MetricType::Mean, None) => {
                        return Err(invalid(format!(
                            "experiment {} measures a mean: planning its size needs the per-user standard deviation too (--stddev on the command line, \"stddev\" in the API, the standard deviation field on the page)",
                            e.id
                        )))
                    }
                };
                let planned = power::plan(&PlanInput {
                    metric,
                    mde: if self.absolute {
                        Mde::Absolute(mde)
                    } else {
                        Mde::Relative(mde)
                    },
                    alpha,
                    power: self.power,
                    variants: u32::try_from(e.variants.len().max(2)).unwrap_or(u32::MAX),
                    daily_traffic: None,
                })
                .map_err(|err| invalid(err.to_string()))?;
                Ok(planned.per_variant)
            }
            (None, Some(_), None) | (None, None, Some(_)) => Err(invalid(
                "planning the size needs both the baseline and the MDE".into(),
            )),
            (None, None, None) => Err(invalid(
                "say how many users each variant needs: --users N (\"users\"), or --baseline and --mde to plan it".into(),
            )),
        }
    }
}

impl ExperimentView {
    /// The analysis of the newest import with the launch's α and method (no I/O: callers
    /// that already hold the view need not read the experiment again).
    pub fn report(&self, prior: Option<Prior>) -> Result<ExperimentReport> {
        let e = &self.experiment;
        let id = e.id;
        let Some(plan) = e.plan else {
            return Err(ServiceError::Invalid(format!(
                "experiment {id} has not started, so it has no results: `copydesk experiment start {id} --users N` (or --baseline and --mde), then import them"
            )));
        };
        let Some(stored) = &self.results else {
            return Err(ServiceError::Invalid(format!(
                "experiment {id} has no results yet: `copydesk experiment import {id} FILE.csv` (or POST them to /api/v1/experiments/{id}/results)"
            )));
        };
        let results = Results::deserialize(&stored.rows).map_err(|err| {
            ServiceError::Invalid(format!(
                "experiment {id}: import {} is not in the results format ({err}); import the file again",
                stored.id
            ))
        })?;
        let invalid = |err: copydesk_stats::StatsError| {
            ServiceError::Invalid(format!("experiment {id}, import {}: {err}", stored.id))
        };
        let settings = Settings {
            control: e.variants.first().map(|v| v.name.clone()),
            alpha: Alpha::new(plan.alpha).map_err(invalid)?,
            method: match plan.method {
                AnalysisMethod::Fixed => Method::Fixed,
                AnalysisMethod::Sequential => Method::Sequential(Tuning::default()),
            },
            prior,
            split: None,
            inverse: e.inverse,
        };
        let analysis = copydesk_stats::analyze(&results, &settings).map_err(invalid)?;
        let smallest_arm = results.arms.iter().map(|a| a.stat.n()).min().unwrap_or(0);
        Ok(ExperimentReport {
            experiment: id,
            brand: self.brand.clone(),
            hypothesis: e.hypothesis.clone(),
            lever: e.lever,
            metric: e.metric.clone(),
            state: e.state,
            plan,
            peek: e.is_peek(smallest_arm),
            smallest_arm,
            import: stored.id,
            source: stored.source.clone(),
            imported_by: stored.imported_by.name.clone(),
            imported_at: stored.imported_at,
            analysis,
        })
    }
}

fn stats_metric(metric: MetricType) -> copydesk_stats::MetricType {
    match metric {
        MetricType::Conversion => copydesk_stats::MetricType::Conversion,
        MetricType::Mean => copydesk_stats::MetricType::Mean,
    }
}

fn is_approved(asset: &Asset) -> bool {
    matches!(asset.state, AssetState::Approved | AssetState::Published)
}

/// Parses an analytics export and lines it up with the experiment's variants: every row names
/// a variant, every variant has a row, the metric type is the experiment's, and the control
/// comes first whatever the file's order.
fn results_for(e: &Experiment, source: &str, csv: &str, control: Option<&str>) -> Result<Results> {
    let invalid = |message: String| ServiceError::Invalid(format!("{source}: {message}"));
    let mut results = copydesk_stats::parse_results(csv).map_err(|e| invalid(e.to_string()))?;
    let expected = stats_metric(e.metric_type);
    if results.metric_type != expected {
        return Err(invalid(format!(
            "these are {} results, but experiment {} measures {} ({}): {}",
            results.metric_type.as_str(),
            e.id,
            e.metric,
            e.metric_type.as_str(),
            match expected {
                copydesk_stats::MetricType::Conversion => "give variant,users,conversions",
                copydesk_stats::MetricType::Mean =>
                    "give variant,users,mean,stddev or variant,users,sum,sum_squares",
            }
        )));
    }
    let known = || {
        e.variants
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let experiment_control = e.variants.first().map(|v| v.name.as_str()).unwrap_or("");
    if let Some(named) = control {
        if named != experiment_control {
            return Err(invalid(format!(
                "--control {named}: the control of experiment {} is '{experiment_control}' (fixed when it was designed)",
                e.id
            )));
        }
    }
    for arm in &results.arms {
        if !e.variants.iter().any(|v| v.name == arm.name) {
            return Err(invalid(format!(
                "row {}: variant '{}' is not in experiment {} (its variants: {})",
                arm.row,
                arm.name,
                e.id,
                known()
            )));
        }
    }
    if let Some(missing) = e
        .variants
        .iter()
        .find(|v| !results.arms.iter().any(|a| a.name == v.name))
    {
        return Err(invalid(format!(
            "no row for variant '{}' (every variant needs one: {})",
            missing.name,
            known()
        )));
    }
    results
        .arms
        .sort_by_key(|a| e.variants.iter().position(|v| v.name == a.name));
    Ok(results)
}

fn visible_experiment(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: ExperimentId,
) -> Result<(Experiment, Access)> {
    let missing = || format!("no experiment {id}");
    let experiment = tx
        .experiment(id)?
        .ok_or_else(|| ServiceError::NotFound(missing()))?;
    let access = member(tx, actor, experiment.brand_id, missing)?;
    Ok((experiment, access))
}

impl Service {
    /// Designs an experiment on an asset of a brand; refused without a hypothesis, a lever or
    /// a metric.
    pub fn experiment_new(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        asset: AssetId,
        design: &ExperimentDesign,
    ) -> Result<ExperimentId> {
        let actor: Actor = actor.into();
        let lever = design.validate()?;
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, asset)?;
            if access.brand.slug != brand {
                return Err(ServiceError::Invalid(format!(
                    "asset {} belongs to brand '{}', not '{brand}'",
                    asset.id, access.brand.slug
                )));
            }
            access.require(DESIGNS, "designing an experiment")?;
            let id = tx.insert_experiment(&NewExperiment {
                brand: asset.brand_id,
                asset: asset.id,
                hypothesis: design.hypothesis.trim(),
                lever,
                metric: design.metric.trim(),
                metric_type: design.metric_type,
                inverse: design.inverse,
                created_by: access.user.id,
                at: ctx.now,
            })?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "experiment.created",
                format!("experiment:{id}"),
                serde_json::json!({
                    "asset": asset.id, "hypothesis": design.hypothesis.trim(), "lever": lever,
                    "metric": design.metric.trim(), "metric_type": design.metric_type,
                    "inverse": design.inverse,
                }),
            )?;
            Ok(id)
        })
    }

    /// Names a variant. The first is the control: the experiment's asset at its approved
    /// version. Each challenger is another asset of the brand and kind (drafted for the lever,
    /// e.g. by `copydesk draft --task variants`), says which lever it pulls, and goes through
    /// review like any other version: launch waits until every variant is approved.
    pub fn experiment_variant_add(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
        name: &str,
        asset: Option<AssetId>,
        lever: Option<Lever>,
    ) -> Result<Variant> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let (mut e, access) = visible_experiment(tx, &actor, id)?;
            access.require(DESIGNS, "adding a variant")?;
            e.check_new_variant(name)?;
            let control = e.variants.is_empty();
            let asset_id = match (control, asset) {
                (true, None) => e.asset_id,
                (true, Some(a)) if a == e.asset_id => a,
                (true, Some(a)) => {
                    return Err(ServiceError::Invalid(format!(
                        "the control is the experiment's own asset {}, not asset {a}: add it first, without --asset",
                        e.asset_id
                    )))
                }
                (false, None) => {
                    return Err(ServiceError::Invalid(format!(
                        "challenger '{name}' needs --asset: another asset of the brand holding the variant (draft one with `copydesk draft BRIEF --task variants --lever {}`)",
                        e.lever.as_str()
                    )))
                }
                (false, Some(a)) if a == e.asset_id => {
                    return Err(ServiceError::Invalid(format!(
                        "asset {a} is the control; a challenger is another asset"
                    )))
                }
                (false, Some(a)) => a,
            };
            let (asset, _) = visible_asset(tx, &actor, asset_id)?;
            if asset.brand_id != e.brand_id {
                return Err(ServiceError::NotFound(format!("no asset {asset_id}")));
            }
            if control {
                if !is_approved(&asset) {
                    return Err(conflict(format!(
                        "the control must be the approved version of asset {}: it is {} at version {}; get it approved first",
                        asset.id,
                        asset.state.as_str(),
                        asset.current_version
                    )));
                }
                if lever.is_some() {
                    return Err(ServiceError::Invalid(
                        "the control pulls no lever: give --lever to challengers only".into(),
                    ));
                }
            } else {
                if lever.is_none() {
                    return Err(ServiceError::Invalid(format!(
                        "variant '{name}' needs the lever it pulls (the experiment tests {})",
                        e.lever.as_str()
                    )));
                }
                let control_kind = tx.asset(e.asset_id)?.map(|a| a.kind);
                if let Some(kind) = control_kind.filter(|k| *k != asset.kind) {
                    return Err(ServiceError::Invalid(format!(
                        "asset {} is a {}, but the control is a {}: a challenger is the same kind of asset",
                        asset.id,
                        asset.kind.as_str(),
                        kind.as_str()
                    )));
                }
                if matches!(asset.state, AssetState::Rejected | AssetState::Archived)
                    || asset.current_version == 0
                {
                    return Err(ServiceError::Invalid(format!(
                        "asset {} is {}{}: a challenger must be able to pass review",
                        asset.id,
                        asset.state.as_str(),
                        if asset.current_version == 0 { " and has no version" } else { "" }
                    )));
                }
            }
            if e.variants.iter().any(|v| v.asset_id == asset.id) {
                return Err(ServiceError::Invalid(format!(
                    "asset {} is already a variant of experiment {id}",
                    asset.id
                )));
            }
            let variant = Variant {
                name: name.to_string(),
                asset_id: asset.id,
                version: asset.current_version,
                lever,
                added_by: copydesk_core::asset::UserRef {
                    id: access.user.id,
                    name: access.user.name.clone(),
                },
                added_at: ctx.now,
            };
            e.variants.push(variant.clone());
            tx.save_experiment(&e)?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "experiment.variant_added",
                format!("experiment:{id}"),
                serde_json::json!({
                    "name": name, "asset": asset.id, "version": asset.current_version,
                    "lever": lever, "control": control,
                }),
            )?;
            Ok(variant)
        })
    }

    /// Launches: the sample size per variant (given, or planned here for the experiment's
    /// number of arms) and the analysis method are fixed from here on. Returns the plan.
    pub fn experiment_start(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
        launch: &Launch,
    ) -> Result<Plan> {
        let actor: Actor = actor.into();
        let alpha =
            Alpha::new(launch.alpha).map_err(|err| ServiceError::Invalid(err.to_string()))?;
        self.write(|tx, ctx| {
            let (mut e, access) = visible_experiment(tx, &actor, id)?;
            access.require(DESIGNS, "starting an experiment")?;
            let plan = Plan {
                per_variant: launch.per_variant(&e, alpha)?,
                method: launch.method,
                alpha: launch.alpha,
            };
            e.check_start(&plan)?;
            let mut waiting = Vec::new();
            for variant in &mut e.variants {
                let asset = tx.asset(variant.asset_id)?.ok_or_else(|| {
                    ServiceError::NotFound(format!("no asset {}", variant.asset_id))
                })?;
                if is_approved(&asset) {
                    variant.version = asset.current_version;
                } else {
                    waiting.push(format!(
                        "'{}' (asset {}) is {}",
                        variant.name,
                        asset.id,
                        asset.state.as_str()
                    ));
                }
            }
            if !waiting.is_empty() {
                return Err(conflict(format!(
                    "every variant goes through review before launch: {}; start once they are approved",
                    waiting.join(", ")
                )));
            }
            e.state = ExperimentState::Running;
            e.plan = Some(plan);
            e.started_at = Some(ctx.now);
            tx.save_experiment(&e)?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "experiment.started",
                format!("experiment:{id}"),
                serde_json::json!({
                    "plan": plan,
                    "variants": e.variants.iter()
                        .map(|v| serde_json::json!({"name": v.name, "asset": v.asset_id, "version": v.version}))
                        .collect::<Vec<_>>(),
                }),
            )?;
            Ok(plan)
        })
    }

    pub fn experiment_stop(&mut self, actor: impl Into<Actor>, id: ExperimentId) -> Result<()> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let (mut e, access) = visible_experiment(tx, &actor, id)?;
            access.require(DESIGNS, "stopping an experiment")?;
            e.check_stop()?;
            e.state = ExperimentState::Stopped;
            e.stopped_at = Some(ctx.now);
            tx.save_experiment(&e)?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "experiment.stopped",
                format!("experiment:{id}"),
                serde_json::json!({}),
            )
        })
    }

    /// Records an import of results from an analytics export (CSV, one row per variant, as
    /// `copydesk experiment analyze` reads it). Every row must name one of the experiment's
    /// variants and every variant needs a row; the stored results keep the control first.
    pub fn experiment_import(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
        source: &str,
        csv: &str,
        control: Option<&str>,
    ) -> Result<i64> {
        let actor: Actor = actor.into();
        self.config.check_text_size("the results file", csv)?;
        self.write(|tx, ctx| {
            let (e, access) = visible_experiment(tx, &actor, id)?;
            access.require(IMPORTS, "importing results")?;
            e.check_import()?;
            let results = results_for(&e, source, csv, control)?;
            let rows = serde_json::to_value(&results)
                .map_err(|err| ServiceError::Invalid(format!("{source}: {err}")))?;
            let import = tx.insert_results(&NewResults {
                experiment: id,
                source,
                rows: &rows,
                imported_by: access.user.id,
                at: ctx.now,
            })?;
            let users: Vec<_> = results
                .arms
                .iter()
                .map(|a| serde_json::json!({"variant": a.name, "users": a.stat.n()}))
                .collect();
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "experiment.results_imported",
                format!("experiment:{id}"),
                serde_json::json!({"import": import, "source": source, "arms": users}),
            )?;
            Ok(import)
        })
    }

    /// Analyses the newest imported results with the α and method fixed at launch; a
    /// fixed-horizon test read before its planned size is marked as a peek.
    pub fn experiment_analyze(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
        prior: Option<Prior>,
    ) -> Result<ExperimentReport> {
        self.experiment_show(actor, id)?.report(prior)
    }

    pub fn experiment_show(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
    ) -> Result<ExperimentView> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let (experiment, access) = visible_experiment(tx, &actor, id)?;
            let results = tx.latest_results(id)?;
            Ok(ExperimentView {
                brand: access.brand.slug,
                experiment,
                results,
            })
        })
    }

    pub fn experiment_list(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
    ) -> Result<Vec<Experiment>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let access = member_by_slug(tx, &actor, brand)?;
            Ok(tx.experiments(access.brand.id)?)
        })
    }
}
