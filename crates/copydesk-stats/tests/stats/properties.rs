//! Properties that hold for any data: p-values are probabilities, intervals contain their
//! estimate, identical arms show nothing, swapping arms mirrors the effect.

use copydesk_stats::{
    bayesian, sequential_test, t_test, Alpha, Difference, Moments, Statistic, Tuning,
};
use proptest::prelude::*;

fn conversion() -> impl Strategy<Value = Statistic> {
    (20u64..200_000).prop_flat_map(|n| {
        (Just(n), 1..n).prop_map(|(n, conversions)| Statistic::Proportion {
            n,
            sum: conversions as f64,
        })
    })
}

fn mean() -> impl Strategy<Value = Statistic> {
    (20u64..200_000, 0.5f64..500.0, 0.1f64..300.0)
        .prop_map(|(n, m, sd)| Statistic::from_mean_sd(n, m, sd))
}

fn arm() -> impl Strategy<Value = Statistic> {
    prop_oneof![conversion(), mean()]
}

fn pair() -> impl Strategy<Value = (Statistic, Statistic)> {
    prop_oneof![(conversion(), conversion()), (mean(), mean())]
}

fn alpha() -> impl Strategy<Value = Alpha> {
    (0.001f64..0.3).prop_map(|a| Alpha::new(a).expect("in range"))
}

fn difference() -> impl Strategy<Value = Difference> {
    prop_oneof![Just(Difference::Relative), Just(Difference::Absolute)]
}

fn ok_tests(
    a: &Moments,
    b: &Moments,
    d: Difference,
    alpha: Alpha,
) -> Vec<copydesk_stats::FrequentistResult> {
    vec![
        t_test(a, b, d, alpha).expect("t-test"),
        sequential_test(a, b, d, alpha, Tuning::default()).expect("sequential"),
    ]
}

proptest! {
    #[test]
    fn p_values_are_probabilities_and_intervals_contain_the_estimate(
        (a, b) in pair(), d in difference(), alpha in alpha(), inverse: bool,
    ) {
        let (a, b) = (a.moments(), b.moments());
        for r in ok_tests(&a, &b, d, alpha) {
            prop_assert!((0.0..=1.0).contains(&r.p_value), "p = {}", r.p_value);
            prop_assert!(r.ci_low <= r.effect && r.effect <= r.ci_high, "{r:?}");
        }
        let bayes = bayesian(&a, &b, d, None, inverse, alpha).expect("bayes");
        prop_assert!((0.0..=1.0).contains(&bayes.chance_to_beat_control));
        prop_assert!(bayes.ci_low <= bayes.effect && bayes.effect <= bayes.ci_high);
        prop_assert!(bayes.risk_control >= 0.0 && bayes.risk_variant >= 0.0);
    }

    #[test]
    fn identical_arms_show_nothing(a in arm(), d in difference(), alpha in alpha()) {
        let m = a.moments();
        for r in ok_tests(&m, &m, d, alpha) {
            prop_assert!(r.effect.abs() < 1e-12);
            prop_assert!((r.p_value - 1.0).abs() < 1e-9, "p = {}", r.p_value);
        }
        let bayes = bayesian(&m, &m, d, None, false, alpha).expect("bayes");
        prop_assert!((bayes.chance_to_beat_control - 0.5).abs() < 1e-9);
        prop_assert!((bayes.risk_control - bayes.risk_variant).abs() < 1e-12);
    }

    #[test]
    fn swapping_arms_mirrors_the_effect((a, b) in pair(), alpha in alpha()) {
        let (a, b) = (a.moments(), b.moments());
        // absolute: exactly mirrored, with the same p-value
        let ab = t_test(&a, &b, Difference::Absolute, alpha).expect("t-test");
        let ba = t_test(&b, &a, Difference::Absolute, alpha).expect("t-test");
        let scale = ab.effect.abs().max(1e-9);
        prop_assert!((ab.effect + ba.effect).abs() <= 1e-9 * scale);
        prop_assert!((ab.ci_low + ba.ci_high).abs() <= 1e-9 * scale.max(ab.ci_high.abs()));
        prop_assert!((ab.p_value - ba.p_value).abs() < 1e-9);
        // relative: (1 + lift) inverts
        let rab = t_test(&a, &b, Difference::Relative, alpha).expect("t-test");
        let rba = t_test(&b, &a, Difference::Relative, alpha).expect("t-test");
        prop_assert!(((1.0 + rab.effect) * (1.0 + rba.effect) - 1.0).abs() < 1e-9);
        prop_assert!(rab.effect.signum() == -rba.effect.signum() || rab.effect == 0.0);
        // Bayesian chances are complementary on the absolute scale
        let c1 = bayesian(&a, &b, Difference::Absolute, None, false, alpha).expect("bayes");
        let c2 = bayesian(&b, &a, Difference::Absolute, None, false, alpha).expect("bayes");
        prop_assert!((c1.chance_to_beat_control + c2.chance_to_beat_control - 1.0).abs() < 1e-9);
        prop_assert!((c1.risk_control - c2.risk_variant).abs() <= 1e-9 * c1.risk_control.max(1e-9));
    }

    #[test]
    fn inverse_flips_chance_and_risk((a, b) in pair(), alpha in alpha()) {
        let (a, b) = (a.moments(), b.moments());
        let up = bayesian(&a, &b, Difference::Relative, None, false, alpha).expect("bayes");
        let down = bayesian(&a, &b, Difference::Relative, None, true, alpha).expect("bayes");
        prop_assert!((up.chance_to_beat_control + down.chance_to_beat_control - 1.0).abs() < 1e-12);
        prop_assert_eq!(up.risk_control, down.risk_variant);
        prop_assert_eq!(up.risk_variant, down.risk_control);
    }

    #[test]
    fn adjusted_p_values_are_probabilities_not_below_the_raw_ones(
        p in proptest::collection::vec(0.0f64..=1.0, 1..12),
    ) {
        let holm = copydesk_stats::adjust::holm(&p);
        let bh = copydesk_stats::adjust::benjamini_hochberg(&p);
        for i in 0..p.len() {
            // p·m/m may round a hair below p
            prop_assert!(holm[i] >= p[i] - 1e-15 && holm[i] <= 1.0);
            prop_assert!(bh[i] >= p[i] - 1e-15 && bh[i] <= 1.0);
            prop_assert!(bh[i] <= holm[i] + 1e-15);
        }
    }

    #[test]
    fn srm_p_is_a_probability(users in proptest::collection::vec(0u64..1_000_000, 2..6)) {
        let r = copydesk_stats::srm(&users, None).expect("srm");
        prop_assert!((0.0..=1.0).contains(&r.p_value));
        prop_assert!(r.chi2 >= 0.0);
    }

    #[test]
    fn csv_parsing_never_panics(text in "\\PC{0,200}") {
        let _ = copydesk_stats::parse_results(&text);
        let _ = copydesk_stats::parse_batch(&text);
    }
}

#[test]
fn more_users_give_more_power() {
    use copydesk_stats::power::{power, Mde, Metric};
    let metric = Metric::Conversion { baseline: 0.05 };
    let alpha = Alpha::default();
    let mut last = 0.0;
    for n in [1_000, 10_000, 31_234, 100_000] {
        let p = power(metric, Mde::Relative(0.1), alpha, 2, n).expect("power");
        assert!(p > last, "power {p} at n = {n}");
        last = p;
    }
}

#[test]
fn refusals_are_errors_not_panics() {
    use copydesk_stats::StatsError;
    let zero = Statistic::Proportion { n: 100, sum: 0.0 }.moments();
    let some = Statistic::Proportion { n: 100, sum: 5.0 }.moments();
    let one = Statistic::Proportion { n: 1, sum: 1.0 }.moments();
    let alpha = Alpha::default();
    assert_eq!(
        t_test(&zero, &some, Difference::Relative, alpha),
        Err(StatsError::ZeroBaseline)
    );
    assert_eq!(
        t_test(&some, &zero, Difference::Absolute, alpha),
        Err(StatsError::ZeroVariance)
    );
    assert_eq!(
        t_test(&one, &some, Difference::Absolute, alpha),
        Err(StatsError::TooFewUsers { users: 1 })
    );
    assert!(Alpha::new(0.0).is_err() && Alpha::new(1.0).is_err() && Alpha::new(f64::NAN).is_err());
    assert!(copydesk_stats::Prior::new(0.0, 0.0).is_err());
    assert!(Tuning::new(-1.0).is_err());
    assert!(copydesk_stats::srm(&[10], None).is_err());
    assert!(copydesk_stats::srm(&[10, 10], Some(&[1.0])).is_err());
    assert!(copydesk_stats::srm(&[10, 10], Some(&[1.0, -1.0])).is_err());
}
