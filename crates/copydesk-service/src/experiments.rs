//! Experiments in the workflow: a strategist designs one (hypothesis and lever first), names
//! its variants among the asset's versions, fixes the sample size and method at launch, and
//! imports results. The statistics live in `copydesk-stats`; this layer keeps who did what.

use copydesk_core::experiment::{
    Experiment, ExperimentDesign, ExperimentError, ExperimentState, Plan, Variant,
};
use copydesk_core::{AssetId, AssetState, ExperimentId, Lever, Role};
use copydesk_store::{NewExperiment, NewResults, StoredResults, Tx};
use serde::Serialize;

use crate::access::{member, member_by_slug, Access, Actor};
use crate::assets::visible_asset;
use crate::audit::record;
use crate::{Result, Service, ServiceError};

/// Humans design experiments: strategists (and brand admins, who pass every role check).
const DESIGNS: &[Role] = &[Role::Strategist];
/// Results come from analytics exports, imported by whoever runs the experiment.
const IMPORTS: &[Role] = &[Role::Strategist, Role::Editor];

impl From<ExperimentError> for ServiceError {
    fn from(e: ExperimentError) -> ServiceError {
        match e {
            ExperimentError::State { .. } => {
                ServiceError::Rule(copydesk_core::review::RuleError::Conflict(e.to_string()))
            }
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
    /// Designs an experiment on an asset; refused without a hypothesis, a lever or a metric.
    pub fn experiment_new(
        &mut self,
        actor: impl Into<Actor>,
        asset: AssetId,
        design: &ExperimentDesign,
    ) -> Result<ExperimentId> {
        let actor: Actor = actor.into();
        let lever = design.validate()?;
        self.write(|tx, ctx| {
            let (asset, access) = visible_asset(tx, &actor, asset)?;
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

    /// Names a variant: the first is the control and must be the asset's approved version;
    /// each challenger is another version of the asset and says which lever it pulls.
    pub fn experiment_variant_add(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
        name: &str,
        version: u32,
        lever: Option<Lever>,
    ) -> Result<()> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let (mut e, access) = visible_experiment(tx, &actor, id)?;
            access.require(DESIGNS, "adding a variant")?;
            e.check_new_variant(name)?;
            let asset = tx
                .asset(e.asset_id)?
                .ok_or_else(|| ServiceError::NotFound(format!("no asset {}", e.asset_id)))?;
            if version == 0 || version > asset.current_version {
                return Err(ServiceError::Invalid(format!(
                    "asset {} has no version {version} (latest is {})",
                    asset.id, asset.current_version
                )));
            }
            let control = e.variants.is_empty();
            if control {
                let approved = matches!(asset.state, AssetState::Approved | AssetState::Published)
                    && version == asset.current_version;
                if !approved {
                    let what_to_do = if matches!(
                        asset.state,
                        AssetState::Approved | AssetState::Published
                    ) {
                        format!("name version {} as the control", asset.current_version)
                    } else {
                        "get it approved first".to_string()
                    };
                    return Err(ServiceError::Invalid(format!(
                        "the control must be the approved version of asset {}: it is {} at version {}; {what_to_do}",
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
            } else if lever.is_none() {
                return Err(ServiceError::Invalid(format!(
                    "variant '{name}' needs the lever it pulls (the experiment tests {})",
                    e.lever.as_str()
                )));
            }
            if e.variants.iter().any(|v| v.version == version) {
                return Err(ServiceError::Invalid(format!(
                    "version {version} is already a variant of experiment {id}"
                )));
            }
            e.variants.push(Variant {
                name: name.to_string(),
                version,
                lever,
                added_by: copydesk_core::asset::UserRef {
                    id: access.user.id,
                    name: access.user.name.clone(),
                },
                added_at: ctx.now,
            });
            tx.save_experiment(&e)?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "experiment.variant_added",
                format!("experiment:{id}"),
                serde_json::json!({"name": name, "version": version, "lever": lever, "control": control}),
            )
        })
    }

    /// Launches: the sample size per variant and the analysis method are fixed from here on.
    pub fn experiment_start(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
        plan: Plan,
    ) -> Result<()> {
        let actor: Actor = actor.into();
        if !(plan.alpha > 0.0 && plan.alpha < 1.0) {
            return Err(ServiceError::Invalid(format!(
                "alpha {}: give a significance level between 0 and 1, e.g. 0.05",
                plan.alpha
            )));
        }
        self.write(|tx, ctx| {
            let (mut e, access) = visible_experiment(tx, &actor, id)?;
            access.require(DESIGNS, "starting an experiment")?;
            e.check_start(&plan)?;
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
                serde_json::json!({"plan": plan}),
            )
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

    /// Records an import of results (rows as parsed from the analytics export, each with a
    /// `variant`); every row must name one of the experiment's variants.
    pub fn experiment_import(
        &mut self,
        actor: impl Into<Actor>,
        id: ExperimentId,
        source: &str,
        rows: &serde_json::Value,
    ) -> Result<i64> {
        let actor: Actor = actor.into();
        let list = rows
            .as_array()
            .filter(|r| !r.is_empty())
            .ok_or_else(|| ServiceError::Invalid(format!("{source}: no result rows to import")))?;
        self.write(|tx, ctx| {
            let (e, access) = visible_experiment(tx, &actor, id)?;
            access.require(IMPORTS, "importing results")?;
            e.check_import()?;
            for (i, row) in list.iter().enumerate() {
                let name = row["variant"].as_str().unwrap_or("");
                if !e.variants.iter().any(|v| v.name == name) {
                    let known = e
                        .variants
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(ServiceError::Invalid(format!(
                        "{source}: row {}: variant '{name}' is not in experiment {id} (its variants: {known})",
                        i + 2
                    )));
                }
            }
            let import = tx.insert_results(&NewResults {
                experiment: id,
                source,
                rows,
                imported_by: access.user.id,
                at: ctx.now,
            })?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "experiment.results_imported",
                format!("experiment:{id}"),
                serde_json::json!({"import": import, "source": source, "rows": list.len()}),
            )?;
            Ok(import)
        })
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
