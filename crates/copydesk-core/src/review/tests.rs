use chrono::TimeZone;

use super::*;
use crate::{AssetId, AssetKind, BrandId, BriefId, UserId};

fn user(id: i64, name: &str) -> UserRef {
    UserRef {
        id: UserId(id),
        name: name.into(),
    }
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0)
        .single()
        .expect("valid date")
}

fn asset(state: AssetState) -> Asset {
    Asset {
        id: AssetId(7),
        brand_id: BrandId(1),
        brief_id: BriefId(1),
        title: "Launch post".into(),
        kind: AssetKind::Blog,
        channel: "blog".into(),
        locale: "en-GB".into(),
        personalised: false,
        state,
        current_version: 2,
        created_by: user(1, "alice"),
        created_at: at(),
    }
}

fn review(stages: &[Role]) -> Review {
    Review {
        id: ReviewId(1),
        asset_id: AssetId(7),
        version: 2,
        tier: Tier::MultiStage,
        score: 80,
        stages: stages.to_vec(),
        submitted_by: user(2, "bob"),
        submitted_at: at(),
        policy_digest: String::new(),
        decisions: vec![],
    }
}

fn contributions() -> Vec<Contribution> {
    vec![
        Contribution {
            person: user(1, "alice"),
            version: 1,
            via_model: true,
        },
        Contribution {
            person: user(2, "bob"),
            version: 2,
            via_model: false,
        },
    ]
}

fn request<'a>(decision: Decision, actor: &'a UserRef, roles: &'a [Role]) -> DecisionRequest<'a> {
    DecisionRequest {
        decision,
        actor,
        actor_roles: roles,
        reason: None,
        brand: "acme",
    }
}

#[test]
fn every_state_and_action_pair_is_legal_or_refused_as_the_table_says() {
    use AssetState::*;
    let expected: &[(AssetState, Action, Option<AssetState>)] = &[
        (Draft, Action::AddVersion, Some(Draft)),
        (ChangesRequested, Action::AddVersion, Some(ChangesRequested)),
        (Draft, Action::Submit, Some(InReview)),
        (ChangesRequested, Action::Submit, Some(InReview)),
        (InReview, Action::AutoApprove, Some(Approved)),
        (InReview, Action::ApproveStage, Some(InReview)),
        (InReview, Action::ApproveFinalStage, Some(Approved)),
        (InReview, Action::RequestChanges, Some(ChangesRequested)),
        (InReview, Action::Reject, Some(Rejected)),
        (Approved, Action::Publish, Some(Published)),
    ];
    let actions = [
        Action::AddVersion,
        Action::Submit,
        Action::AutoApprove,
        Action::ApproveStage,
        Action::ApproveFinalStage,
        Action::RequestChanges,
        Action::Reject,
        Action::Publish,
        Action::Archive,
    ];
    let mut legal = 0;
    for from in AssetState::ALL {
        for action in actions {
            let got = transition(AssetId(7), *from, action);
            let want = if action == Action::Archive {
                (*from != Archived).then_some(Archived)
            } else {
                expected
                    .iter()
                    .find(|(f, a, _)| f == from && *a == action)
                    .and_then(|(_, _, to)| *to)
            };
            match (got, want) {
                (Ok(to), Some(want)) => {
                    assert_eq!(to, want, "{from} --{action:?}-->");
                    legal += 1;
                }
                (Err(RuleError::IllegalTransition { from: f, .. }), None) => assert_eq!(f, *from),
                (got, want) => panic!("{from} --{action:?}--> gave {got:?}, expected {want:?}"),
            }
        }
    }
    assert_eq!(legal, expected.len() + 6);
}

#[test]
fn illegal_transitions_say_where_the_asset_is() {
    let err = transition(AssetId(7), AssetState::Draft, Action::Publish).unwrap_err();
    assert_eq!(
        err.to_string(),
        "asset 7 is draft: cannot publish (only from approved)"
    );
}

#[test]
fn authors_cannot_approve_their_own_work() {
    let bob = user(2, "bob");
    let err = decide(
        &asset(AssetState::InReview),
        &review(&[Role::Editor]),
        &contributions(),
        &request(Decision::Approve, &bob, &[Role::Editor]),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "bob wrote version 2 and cannot approve it (separation of duties)"
    );
    let alice = user(1, "alice");
    let err = decide(
        &asset(AssetState::InReview),
        &review(&[Role::Editor]),
        &contributions(),
        &request(Decision::Approve, &alice, &[Role::Editor]),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "alice ran the model that wrote version 1 and cannot approve it (separation of duties)"
    );
}

#[test]
fn stages_are_approved_in_order() {
    let carol = user(3, "carol");
    let r = review(&[Role::Editor, Role::Compliance]);
    let err = decide(
        &asset(AssetState::InReview),
        &r,
        &contributions(),
        &request(Decision::Approve, &carol, &[Role::Compliance]),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "stages are approved in order: stage 1 (editor) of asset 7 must be approved before compliance"
    );

    let dana = user(4, "dana");
    let outcome = decide(
        &asset(AssetState::InReview),
        &r,
        &contributions(),
        &request(Decision::Approve, &dana, &[Role::Editor]),
    )
    .expect("dana may approve the editor stage");
    assert_eq!(outcome.new_state, AssetState::InReview);
    assert_eq!(outcome.next_role, Some(Role::Compliance));
}

#[test]
fn the_last_stage_approves_the_asset() {
    let carol = user(3, "carol");
    let mut r = review(&[Role::Editor, Role::Compliance]);
    r.decisions.push(StageDecision {
        stage: 0,
        role: Role::Editor,
        decision: Decision::Approve,
        by: user(4, "dana"),
        reason: None,
        comment: String::new(),
        at: at(),
    });
    let outcome = decide(
        &asset(AssetState::InReview),
        &r,
        &contributions(),
        &request(Decision::Approve, &carol, &[Role::Compliance]),
    )
    .expect("carol approves compliance");
    assert_eq!(outcome.new_state, AssetState::Approved);
    assert_eq!(outcome.stage, 1);

    // a second editor arriving late gets a conflict, not a permissions lecture
    let erin = user(5, "erin");
    let err = decide(
        &asset(AssetState::InReview),
        &r,
        &contributions(),
        &request(Decision::Approve, &erin, &[Role::Editor]),
    )
    .unwrap_err();
    assert!(matches!(err, RuleError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("already approved by dana"));
}

#[test]
fn rejections_need_a_reason_and_the_right_role() {
    let dana = user(4, "dana");
    let r = review(&[Role::Editor]);
    let err = decide(
        &asset(AssetState::InReview),
        &r,
        &contributions(),
        &request(Decision::Reject, &dana, &[Role::Editor]),
    )
    .unwrap_err();
    assert!(matches!(err, RuleError::Invalid(_)));
    let mut req = request(Decision::Reject, &dana, &[Role::Editor]);
    req.reason = Some(ReasonCode::Generic);
    let outcome = decide(&asset(AssetState::InReview), &r, &contributions(), &req)
        .expect("reject with reason");
    assert_eq!(outcome.new_state, AssetState::Rejected);

    let sam = user(9, "sam");
    let mut req = request(Decision::RequestChanges, &sam, &[Role::Strategist]);
    req.reason = Some(ReasonCode::Generic);
    let err = decide(&asset(AssetState::InReview), &r, &contributions(), &req).unwrap_err();
    assert_eq!(
        err.to_string(),
        "asset 7 waits for stage 1 (editor); sam is not editor in acme"
    );
}

#[test]
fn decisions_need_an_asset_in_review() {
    let dana = user(4, "dana");
    let err = decide(
        &asset(AssetState::Draft),
        &review(&[Role::Editor]),
        &contributions(),
        &request(Decision::Approve, &dana, &[Role::Editor]),
    )
    .unwrap_err();
    assert!(matches!(err, RuleError::IllegalTransition { .. }));
}
