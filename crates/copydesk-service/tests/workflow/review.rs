use copydesk_core::{AssetKind, AssetState, Decision, Reach, ReasonCode};
use copydesk_service::ErrorKind;

use crate::world::{assert_refused, default_policy, each_backend};

#[test]
fn the_happy_path_walks_every_state_to_published() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &["finance"]);
        let asset = w.drafted(brief, AssetKind::Blog);
        let submitted = w.svc.review_submit("bob", asset).expect("submit");
        assert_eq!(submitted.state, AssetState::InReview, "{}", w.name());
        assert_eq!(submitted.routing.stages.len(), 2);
        let r = w.approve("dana", asset).expect("editor approves");
        assert_eq!((r.state, r.stage, r.stages), (AssetState::InReview, 1, 2));
        let r = w.approve("carol", asset).expect("compliance approves");
        assert_eq!(r.state, AssetState::Approved);
        assert_eq!(w.svc.publish("lee", asset).expect("publish"), 2);
        let view = w.svc.asset_show("lee", asset).expect("show");
        assert_eq!(view.asset.state, AssetState::Published);
        assert_eq!(view.review.expect("review").decisions.len(), 2);
    });
}

#[test]
fn illegal_transitions_are_refused_and_change_nothing() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &["finance"]);
        let asset = w.drafted(brief, AssetKind::Blog);
        let before = w.audit_len();
        assert_refused(
            w.svc.publish("lee", asset),
            ErrorKind::Refused,
            "is draft: cannot publish (only from approved)",
        );
        assert_refused(
            w.approve("dana", asset),
            ErrorKind::Refused,
            "is draft: cannot approve",
        );
        assert_refused(
            w.svc.review_decide(
                "dana",
                asset,
                Decision::Reject,
                Some(ReasonCode::Generic),
                "",
                false,
            ),
            ErrorKind::Refused,
            "cannot reject",
        );
        w.svc.review_submit("bob", asset).expect("submit");
        assert_refused(
            w.svc.review_submit("bob", asset),
            ErrorKind::Refused,
            "is in_review: cannot submit",
        );
        assert_refused(
            w.svc.version_add(
                "bob",
                asset,
                &copydesk_service::VersionSpec {
                    text: "sneaky edit",
                    author: copydesk_service::AuthorSpec::Human,
                    note: "",
                    provenance: None,
                },
            ),
            ErrorKind::Refused,
            "is in_review: cannot add a version",
        );
        assert_refused(
            w.svc.publish("lee", asset),
            ErrorKind::Refused,
            "is in_review: cannot publish",
        );
        // the refused attempts above wrote nothing; only the submit did (one entry)
        assert_eq!(w.audit_len(), before + 1);
        assert_eq!(
            w.svc
                .asset_history("bob", asset, None, 10)
                .expect("history")
                .len(),
            2
        );

        // request changes → edit → resubmit → reject → archive
        w.svc
            .review_decide(
                "dana",
                asset,
                Decision::RequestChanges,
                Some(ReasonCode::OffBrandTone),
                "too salesy",
                false,
            )
            .expect("request changes");
        assert_eq!(
            w.svc.asset_show("bob", asset).expect("show").asset.state,
            AssetState::ChangesRequested
        );
        w.edit(asset, "bob", "Calmer words.");
        w.svc.review_submit("bob", asset).expect("resubmit");
        w.svc
            .review_decide(
                "dana",
                asset,
                Decision::Reject,
                Some(ReasonCode::FactualError),
                "wrong number",
                false,
            )
            .expect("reject");
        assert_refused(
            w.svc.review_submit("bob", asset),
            ErrorKind::Refused,
            "is rejected: cannot submit",
        );
        assert_eq!(
            w.svc.asset_archive("alice", asset).expect("archive"),
            AssetState::Archived
        );
        assert_refused(
            w.svc.asset_archive("alice", asset),
            ErrorKind::Refused,
            "is archived: cannot archive",
        );
        assert_eq!(w.svc.review_rounds("bob", asset).expect("rounds").len(), 2);
    });
}

#[test]
fn authors_and_model_runners_cannot_approve() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &["finance"]);
        let asset = w.drafted(brief, AssetKind::Blog);
        w.svc
            .user_grant("admin", "alice", "acme", &[copydesk_core::Role::Editor])
            .expect("grant");
        w.svc.review_submit("bob", asset).expect("submit");
        assert_refused(
            w.approve("bob", asset),
            ErrorKind::Refused,
            "bob wrote version 2 and cannot approve it",
        );
        assert_refused(
            w.approve("alice", asset),
            ErrorKind::Refused,
            "alice ran the model that wrote version 1 and cannot approve it",
        );
        w.approve("dana", asset).expect("dana approves");
    });
}

#[test]
fn stages_are_approved_in_order() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &["finance"]);
        let asset = w.drafted(brief, AssetKind::Blog);
        w.svc.review_submit("bob", asset).expect("submit");
        assert_refused(
            w.approve("carol", asset),
            ErrorKind::Refused,
            "stage 1 (editor) of asset",
        );
        assert_refused(
            w.approve("lee", asset),
            ErrorKind::Refused,
            "lee is not editor in acme",
        );
        w.approve("dana", asset).expect("editor first");
        assert_refused(
            w.approve("erin", asset),
            ErrorKind::Conflict,
            "already approved by dana",
        );
        w.approve("carol", asset).expect("then compliance");
    });
}

#[test]
fn decisions_need_reasons_and_approvals_need_pride() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &["finance"]);
        let asset = w.drafted(brief, AssetKind::Blog);
        w.svc.review_submit("bob", asset).expect("submit");
        assert_refused(
            w.svc
                .review_decide("dana", asset, Decision::Reject, None, "", false),
            ErrorKind::Invalid,
            "rejecting needs a reason code",
        );
        assert_refused(
            w.svc
                .review_decide("dana", asset, Decision::Approve, None, "", false),
            ErrorKind::Invalid,
            "would we be proud",
        );
    });
}

#[test]
fn other_brands_are_invisible_and_roles_are_checked() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &["finance"]);
        let asset = w.drafted(brief, AssetKind::Blog);
        assert_refused(
            w.svc.asset_show("gina", asset),
            ErrorKind::NotFound,
            &format!("no asset {asset}"),
        );
        assert_refused(
            w.svc.brief_show("gina", brief, None),
            ErrorKind::NotFound,
            &format!("no brief {brief}"),
        );
        assert_refused(
            w.svc.asset_list("gina", "acme", None, None, 10),
            ErrorKind::NotFound,
            "no brand 'acme'",
        );
        assert_refused(
            w.svc.asset_diff(
                "gina",
                asset,
                1,
                None,
                copydesk_core::diff::Granularity::Words,
            ),
            ErrorKind::NotFound,
            "no asset",
        );
        assert_refused(
            w.svc.review_submit("gina", asset),
            ErrorKind::NotFound,
            "no asset",
        );
        let gina_brands = w.svc.brand_list("gina").expect("brands");
        assert_eq!(
            gina_brands
                .iter()
                .map(|b| b.slug.as_str())
                .collect::<Vec<_>>(),
            ["globex"]
        );
        assert!(w
            .svc
            .audit_log("gina", None, 0, 1000)
            .expect("log")
            .iter()
            .all(|e| e.brand.as_deref() != Some("acme")));
        // compliance may not write briefs; editors may not create brands
        assert_refused(
            w.svc.brief_new("carol", "acme", &Default::default()),
            ErrorKind::Invalid,
            "needs a title",
        );
        let content = copydesk_core::brief::BriefContent {
            title: "x".into(),
            ..Default::default()
        };
        assert_refused(
            w.svc.brief_new("carol", "acme", &content),
            ErrorKind::Refused,
            "carol has compliance in acme; writing a brief needs strategist",
        );
        assert_refused(
            w.svc.brand_add("bob", "initech", "Initech", "brand"),
            ErrorKind::Refused,
            "not a workspace admin",
        );
        assert_refused(
            w.svc.asset_show("nobody", asset),
            ErrorKind::NotFound,
            "no user named 'nobody'",
        );
    });
}

#[test]
fn the_queue_lists_what_waits_for_each_role_by_due_date() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &["finance"]);
        let mut assets = Vec::new();
        for _ in 0..5 {
            let a = w.drafted(brief, AssetKind::Blog);
            w.svc.review_submit("bob", a).expect("submit");
            assets.push(a);
        }
        let page = w.svc.review_queue("dana", None, None, 3).expect("queue");
        assert_eq!(
            page.items.iter().map(|e| e.item.asset).collect::<Vec<_>>(),
            assets[..3]
        );
        let next = page.next.expect("a second page");
        let page2 = w
            .svc
            .review_queue("dana", None, Some(&next), 3)
            .expect("queue 2");
        assert_eq!(
            page2.items.iter().map(|e| e.item.asset).collect::<Vec<_>>(),
            assets[3..]
        );
        assert!(page2.next.is_none());
        // bob wrote them: they show, marked
        assert!(w
            .svc
            .review_queue("bob", None, None, 10)
            .expect("q")
            .items
            .iter()
            .all(|e| e.authored_by_you));
        // compliance waits until the editors are done
        assert!(w
            .svc
            .review_queue("carol", None, None, 10)
            .expect("q")
            .items
            .is_empty());
        w.approve("dana", assets[0]).expect("approve");
        let carol = w
            .svc
            .review_queue("carol", Some("acme"), None, 10)
            .expect("q");
        assert_eq!(carol.items.len(), 1);
        assert_eq!(carol.items[0].item.asset, assets[0]);
        assert_refused(
            w.svc.review_queue("dana", None, Some("garbage"), 3),
            ErrorKind::Invalid,
            "not a queue cursor",
        );
    });
}

#[test]
fn comments_keep_the_text_they_point_at() {
    each_backend(default_policy(), |w| {
        let brief = w.brief(Reach::Owned, &[]);
        let asset = w.drafted(brief, AssetKind::Blog);
        w.svc
            .review_comment("dana", asset, Some(2), Some((0, 13)), "nice opener")
            .expect("comment");
        let view = w.svc.asset_show("dana", asset).expect("show");
        assert_eq!(view.comments[0].quote, "Close payroll");
        assert_eq!(view.comments[0].range, Some((0, 13)));
        assert_refused(
            w.svc
                .review_comment("dana", asset, Some(2), Some((5, 500)), "x"),
            ErrorKind::Invalid,
            "ends past the text",
        );
        assert_refused(
            w.svc.review_comment("dana", asset, Some(9), None, "x"),
            ErrorKind::NotFound,
            "has no version 9",
        );
    });
}
