//! Every case in tests/golden/cases.json (made by make_golden.py with gbstats and scipy),
//! recomputed here; agreement to 1e-6.

use copydesk_stats::power::{self, Mde, Metric, PlanInput};
use copydesk_stats::{
    adjust, bayesian, cuped, sequential_test, srm, t_test, Alpha, Covariate, Difference, Moments,
    Prior, Statistic, Tuning,
};
use serde_json::Value;

const CASES: &str = include_str!("../golden/cases.json");
const TOLERANCE: f64 = 1e-6;

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` is not a number in {v}"))
}

fn statistic(v: &Value) -> Statistic {
    let n = num(v, "n") as u64;
    match v["type"].as_str() {
        Some("proportion") => Statistic::Proportion {
            n,
            sum: num(v, "sum"),
        },
        Some("mean") => Statistic::Mean {
            n,
            sum: num(v, "sum"),
            sum_squares: num(v, "sum_squares"),
        },
        other => panic!("unknown statistic type {other:?}"),
    }
}

fn covariate(v: &Value) -> Option<Covariate> {
    let c = v.get("covariate")?;
    Some(Covariate {
        sum: num(c, "sum"),
        sum_squares: num(c, "sum_squares"),
        cross_sum: num(c, "cross_sum"),
    })
}

/// The two arms' moments, CUPED-adjusted when the case has covariates; and θ.
fn arms(case: &Value) -> (Moments, Moments, Option<f64>) {
    let (a, b) = (statistic(&case["control"]), statistic(&case["variant"]));
    match (covariate(&case["control"]), covariate(&case["variant"])) {
        (Some(ca), Some(cb)) => {
            let c = cuped((&a, &ca), (&b, &cb));
            (c.control, c.variant, Some(c.theta))
        }
        _ => (a.moments(), b.moments(), None),
    }
}

fn difference(case: &Value) -> Difference {
    match case["difference"].as_str() {
        Some("relative") => Difference::Relative,
        Some("absolute") => Difference::Absolute,
        other => panic!("unknown difference {other:?}"),
    }
}

struct Checker {
    worst: f64,
    worst_at: String,
    failures: Vec<String>,
}

impl Checker {
    fn close(&mut self, case: &str, field: &str, got: f64, want: f64) {
        let dev = (got - want).abs();
        if dev > self.worst {
            self.worst = dev;
            self.worst_at = format!("{case}.{field}");
        }
        if dev.is_nan() || dev > TOLERANCE {
            self.failures.push(format!(
                "{case}.{field}: got {got}, gbstats {want} (off by {dev:e})"
            ));
        }
    }

    fn fields(&mut self, case: &str, expected: &Value, got: &[(&str, f64)]) {
        for (field, value) in got {
            if let Some(want) = expected.get(*field).and_then(Value::as_f64) {
                self.close(case, field, *value, want);
            }
        }
    }
}

#[test]
fn agrees_with_gbstats() {
    let root: Value = serde_json::from_str(CASES).expect("cases.json is JSON");
    let cases = root["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40, "expected the full golden set");
    let mut check = Checker {
        worst: 0.0,
        worst_at: String::new(),
        failures: Vec::new(),
    };
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let kind = case["kind"].as_str().expect("kind");
        *kinds.entry(kind.to_string()).or_default() += 1;
        let expected = &case["expected"];
        match kind {
            "ttest" | "sequential" => {
                let (a, b, theta) = arms(case);
                let alpha = Alpha::new(num(case, "alpha")).expect("alpha");
                let r = if kind == "ttest" {
                    t_test(&a, &b, difference(case), alpha)
                } else {
                    let tuning = Tuning::new(num(case, "tuning")).expect("tuning");
                    sequential_test(&a, &b, difference(case), alpha, tuning)
                }
                .unwrap_or_else(|e| panic!("{name}: {e}"));
                check.fields(
                    name,
                    expected,
                    &[
                        ("effect", r.effect),
                        ("ci_low", r.ci_low),
                        ("ci_high", r.ci_high),
                        ("p_value", r.p_value),
                        ("std_error", r.std_error),
                    ],
                );
                // degrees of freedom are in the thousands: compare relatively
                let dof = num(expected, "dof");
                check.close(name, "dof/gbstats", r.dof / dof, 1.0);
                if let Some(want) = expected.get("theta").and_then(Value::as_f64) {
                    check.close(name, "theta", theta.expect("cuped case"), want);
                }
            }
            "bayes" => {
                let (a, b, _) = arms(case);
                let alpha = Alpha::new(num(case, "alpha")).expect("alpha");
                let prior = case["prior"]
                    .as_object()
                    .map(|_| Prior::new(num(&case["prior"], "mean"), num(&case["prior"], "sd")))
                    .transpose()
                    .expect("prior");
                let inverse = case["inverse"].as_bool().unwrap_or(false);
                let r = bayesian(&a, &b, difference(case), prior, inverse, alpha)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                check.fields(
                    name,
                    expected,
                    &[
                        ("effect", r.effect),
                        ("sd", r.sd),
                        ("chance_to_beat_control", r.chance_to_beat_control),
                        ("risk_control", r.risk_control),
                        ("risk_variant", r.risk_variant),
                        ("ci_low", r.ci_low),
                        ("ci_high", r.ci_high),
                    ],
                );
            }
            "srm" => {
                let users: Vec<u64> = case["users"]
                    .as_array()
                    .expect("users")
                    .iter()
                    .map(|u| u.as_u64().expect("count"))
                    .collect();
                let weights: Option<Vec<f64>> = case["weights"]
                    .as_array()
                    .map(|w| w.iter().map(|x| x.as_f64().expect("weight")).collect());
                let r = srm(&users, weights.as_deref()).unwrap_or_else(|e| panic!("{name}: {e}"));
                check.fields(name, expected, &[("chi2", r.chi2), ("p_value", r.p_value)]);
                assert_eq!(
                    Some(r.mismatch),
                    expected["mismatch"].as_bool(),
                    "{name}: mismatch"
                );
            }
            "adjust" => {
                let p: Vec<f64> = case["p_values"]
                    .as_array()
                    .expect("p")
                    .iter()
                    .map(|x| x.as_f64().expect("p"))
                    .collect();
                for (label, got) in [
                    ("holm", adjust::holm(&p)),
                    ("bh", adjust::benjamini_hochberg(&p)),
                ] {
                    let want = expected[label].as_array().expect("adjusted");
                    assert_eq!(got.len(), want.len());
                    for (i, (g, w)) in got.iter().zip(want).enumerate() {
                        check.close(name, &format!("{label}[{i}]"), *g, w.as_f64().expect("p"));
                    }
                }
            }
            "plan" => {
                let baseline = num(case, "baseline");
                let metric = match case["metric"].as_str() {
                    Some("conversion") => Metric::Conversion { baseline },
                    _ => Metric::Mean {
                        baseline,
                        stddev: num(case, "stddev"),
                    },
                };
                let mde = if case["absolute"].as_bool() == Some(true) {
                    Mde::Absolute(num(case, "mde"))
                } else {
                    Mde::Relative(num(case, "mde"))
                };
                let alpha = Alpha::new(num(case, "alpha")).expect("alpha");
                let variants = num(case, "variants") as u32;
                let plan = power::plan(&PlanInput {
                    metric,
                    mde,
                    alpha,
                    power: num(case, "power"),
                    variants,
                    daily_traffic: case["daily_traffic"].as_u64(),
                })
                .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    Some(plan.per_variant),
                    expected["per_variant"].as_u64(),
                    "{name}"
                );
                assert_eq!(Some(plan.total), expected["total"].as_u64(), "{name}");
                assert_eq!(plan.days, expected["days"].as_u64(), "{name}");
                let achieved =
                    power::power(metric, mde, alpha, variants, plan.per_variant).expect("power");
                check.fields(
                    name,
                    expected,
                    &[
                        ("alpha_per_comparison", plan.alpha_per_comparison),
                        ("power_at_per_variant", achieved),
                    ],
                );
            }
            other => panic!("{name}: unknown kind {other}"),
        }
    }
    assert!(
        check.failures.is_empty(),
        "{} disagreements with gbstats:\n{}",
        check.failures.len(),
        check.failures.join("\n")
    );
    for kind in ["ttest", "sequential", "bayes", "srm", "adjust", "plan"] {
        assert!(kinds.contains_key(kind), "no {kind} case");
    }
    eprintln!(
        "{} golden cases {kinds:?}; largest deviation {:e} at {}",
        cases.len(),
        check.worst,
        check.worst_at
    );
}
