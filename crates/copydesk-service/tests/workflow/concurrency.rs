use std::sync::{Arc, Barrier};

use copydesk_core::{AssetKind, AssetState, Decision, Reach};
use copydesk_service::ErrorKind;

use crate::world::{default_policy, each_backend};

#[test]
fn two_reviewers_approving_one_stage_at_once_exactly_one_wins() {
    each_backend(default_policy(), |w| {
        for round in 0..5 {
            let brief = w.brief(Reach::Owned, &["finance"]);
            let asset = w.drafted(brief, AssetKind::Blog);
            w.svc.review_submit("bob", asset).expect("submit");
            let barrier = Arc::new(Barrier::new(2));
            let handles: Vec<_> = ["dana", "erin"]
                .into_iter()
                .map(|who| {
                    let mut svc = w.another_service();
                    let barrier = Arc::clone(&barrier);
                    std::thread::spawn(move || {
                        barrier.wait();
                        svc.review_decide(who, asset, Decision::Approve, None, "", true)
                    })
                })
                .collect();
            let results: Vec<_> = handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect();
            let wins = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(wins, 1, "round {round} on {}: {results:?}", w.name());
            let loser = results
                .into_iter()
                .find_map(|r| r.err())
                .expect("one loser");
            assert_eq!(loser.kind(), ErrorKind::Conflict, "{loser}");
            assert!(
                loser.to_string().contains("already approved by")
                    || loser.to_string().contains("at the same moment"),
                "{loser}"
            );
            let review = w
                .svc
                .asset_show("bob", asset)
                .expect("show")
                .review
                .expect("review");
            assert_eq!(review.decisions.len(), 1);
            assert_eq!(
                w.svc.asset_show("bob", asset).expect("show").asset.state,
                AssetState::InReview
            );
        }
    });
}
