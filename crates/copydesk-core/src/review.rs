//! The review workflow: the asset state machine, review rounds with ordered stages, and the
//! rules a decision must pass (role, stage order, separation of duties, reason codes).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::asset::{Asset, UserRef};
use crate::risk::Tier;
use crate::{AssetState, Decision, ReasonCode, ReviewId, Role};

/// A workflow rule refused an action. Messages name the rule and the people involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("asset {asset} is {from}: cannot {action} (only from {allowed})")]
    IllegalTransition {
        asset: crate::AssetId,
        action: &'static str,
        from: AssetState,
        allowed: String,
    },
    /// The actor lacks the role, or separation of duties forbids it.
    #[error("{0}")]
    Forbidden(String),
    /// Someone else acted first.
    #[error("{0}")]
    Conflict(String),
    /// The request itself is incomplete (a missing reason code, say).
    #[error("{0}")]
    Invalid(String),
}

/// Everything that moves an asset between states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    AddVersion,
    Submit,
    AutoApprove,
    ApproveStage,
    ApproveFinalStage,
    RequestChanges,
    Reject,
    Publish,
    Archive,
}

impl Action {
    /// The action a review decision performs (`last`: on the final stage).
    pub fn for_decision(decision: Decision, last: bool) -> Action {
        match (decision, last) {
            (Decision::Approve, false) => Action::ApproveStage,
            (Decision::Approve, true) => Action::ApproveFinalStage,
            (Decision::RequestChanges, _) => Action::RequestChanges,
            (Decision::Reject, _) => Action::Reject,
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            Action::AddVersion => "add a version",
            Action::Submit => "submit for review",
            Action::AutoApprove => "auto-approve",
            Action::ApproveStage | Action::ApproveFinalStage => "approve",
            Action::RequestChanges => "request changes",
            Action::Reject => "reject",
            Action::Publish => "publish",
            Action::Archive => "archive",
        }
    }

    /// The states this action may start from.
    pub fn allowed_from(self) -> &'static [AssetState] {
        use AssetState::*;
        match self {
            Action::AddVersion | Action::Submit => &[Draft, ChangesRequested],
            Action::AutoApprove
            | Action::ApproveStage
            | Action::ApproveFinalStage
            | Action::RequestChanges
            | Action::Reject => &[InReview],
            Action::Publish => &[Approved],
            Action::Archive => &[
                Draft,
                InReview,
                ChangesRequested,
                Approved,
                Published,
                Rejected,
            ],
        }
    }
}

/// The state machine: where `action` takes an asset that is `from`, or why it cannot.
pub fn transition(
    asset: crate::AssetId,
    from: AssetState,
    action: Action,
) -> Result<AssetState, RuleError> {
    use AssetState::*;
    if !action.allowed_from().contains(&from) {
        return Err(RuleError::IllegalTransition {
            asset,
            action: action.verb(),
            from,
            allowed: action
                .allowed_from()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
        });
    }
    Ok(match action {
        Action::AddVersion => from,
        Action::Submit | Action::ApproveStage => InReview,
        Action::AutoApprove | Action::ApproveFinalStage => Approved,
        Action::RequestChanges => ChangesRequested,
        Action::Reject => Rejected,
        Action::Publish => Published,
        Action::Archive => Archived,
    })
}

/// One review round: a submitted version, the stages it must pass, and the decisions so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub id: ReviewId,
    pub asset_id: crate::AssetId,
    pub version: u32,
    pub tier: Tier,
    pub score: i64,
    pub stages: Vec<Role>,
    pub submitted_by: UserRef,
    pub submitted_at: DateTime<Utc>,
    /// SHA-256 of the policy file the routing came from.
    pub policy_digest: String,
    pub decisions: Vec<StageDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDecision {
    /// 0-based index into the review's stages.
    pub stage: u32,
    pub role: Role,
    pub decision: Decision,
    pub by: UserRef,
    pub reason: Option<ReasonCode>,
    pub comment: String,
    pub at: DateTime<Utc>,
}

impl Review {
    /// Whether a decision other than approval closed this round.
    pub fn is_closed(&self) -> bool {
        self.decisions
            .iter()
            .any(|d| d.decision != Decision::Approve)
            || self.pending_stage().is_none()
    }

    /// The first stage not yet approved, unless the round is closed.
    pub fn pending_stage(&self) -> Option<(u32, Role)> {
        if self
            .decisions
            .iter()
            .any(|d| d.decision != Decision::Approve)
        {
            return None;
        }
        self.stages
            .iter()
            .enumerate()
            .find(|(i, _)| {
                !self
                    .decisions
                    .iter()
                    .any(|d| d.stage as usize == *i && d.decision == Decision::Approve)
            })
            .map(|(i, role)| (i as u32, *role))
    }
}

/// Someone who wrote or edited the reviewed version or one of its ancestors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub person: UserRef,
    pub version: u32,
    /// True when the person ran the model that wrote the version.
    pub via_model: bool,
}

/// A decision someone wants to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRequest<'a> {
    pub decision: Decision,
    pub actor: &'a UserRef,
    /// The actor's roles in the asset's brand.
    pub actor_roles: &'a [Role],
    pub reason: Option<ReasonCode>,
    pub brand: &'a str,
}

/// What a permitted decision does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionOutcome {
    pub stage: u32,
    pub role: Role,
    pub new_state: AssetState,
    /// The stage that waits next, if the round goes on.
    pub next_role: Option<Role>,
}

/// Checks a decision against every review rule and says what it does.
pub fn decide(
    asset: &Asset,
    review: &Review,
    contributions: &[Contribution],
    request: &DecisionRequest<'_>,
) -> Result<DecisionOutcome, RuleError> {
    let actor = request.actor;
    if asset.state != AssetState::InReview {
        transition(
            asset.id,
            asset.state,
            Action::for_decision(request.decision, false),
        )?;
    }
    let Some((stage, role)) = review.pending_stage() else {
        return Err(RuleError::Conflict(format!(
            "the review of asset {} is already closed",
            asset.id
        )));
    };
    if !request.actor_roles.contains(&role) {
        // The actor's own stage was decided by someone else a moment ago: a race, not a mistake.
        if let Some(done) = review
            .decisions
            .iter()
            .find(|d| request.actor_roles.contains(&d.role))
        {
            return Err(RuleError::Conflict(format!(
                "stage {} ({}) of asset {} was already approved by {} at {}",
                done.stage + 1,
                done.role,
                asset.id,
                done.by.name,
                done.at.format("%Y-%m-%d %H:%M:%S%.3f UTC")
            )));
        }
        let later = review.stages[stage as usize..]
            .iter()
            .find(|r| request.actor_roles.contains(r));
        return Err(RuleError::Forbidden(match later {
            Some(later) => format!(
                "stages are approved in order: stage {} ({role}) of asset {} must be approved before {later}",
                stage + 1,
                asset.id
            ),
            None => format!(
                "asset {} waits for stage {} ({role}); {} is not {role} in {}",
                asset.id,
                stage + 1,
                actor.name,
                request.brand
            ),
        }));
    }
    if request.decision == Decision::Approve {
        if let Some(c) = contributions
            .iter()
            .filter(|c| c.person.id == actor.id)
            .max_by_key(|c| c.version)
        {
            let what = if c.via_model {
                "ran the model that wrote"
            } else {
                "wrote"
            };
            return Err(RuleError::Forbidden(format!(
                "{} {what} version {} and cannot approve it (separation of duties)",
                actor.name, c.version
            )));
        }
    } else if request.reason.is_none() {
        return Err(RuleError::Invalid(format!(
            "{} needs a reason code (one of: {})",
            match request.decision {
                Decision::Reject => "rejecting",
                _ => "requesting changes",
            },
            ReasonCode::ALL
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let is_last = stage as usize + 1 == review.stages.len();
    let action = Action::for_decision(request.decision, is_last);
    let new_state = transition(asset.id, asset.state, action)?;
    let next_role = match action {
        Action::ApproveStage => review.stages.get(stage as usize + 1).copied(),
        _ => None,
    };
    Ok(DecisionOutcome {
        stage,
        role,
        new_state,
        next_role,
    })
}

#[cfg(test)]
mod tests;
