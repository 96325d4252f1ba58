#!/usr/bin/env python3
"""Reference values for copydesk-stats' golden tests, computed with GrowthBook's gbstats.

Not run in CI. To regenerate (from the repository root):

    python3 -m venv /tmp/gb && /tmp/gb/bin/pip install gbstats==0.8.0 scipy
    /tmp/gb/bin/python crates/copydesk-stats/tests/golden/make_golden.py

writes crates/copydesk-stats/tests/golden/cases.json. The Rust test
(tests/stats/golden.rs) recomputes every case and requires agreement to 1e-6.
"""

import importlib.metadata
import json
import math
import os

import numpy as np
import scipy
from scipy.stats import false_discovery_control, norm

from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig, GaussianPrior
from gbstats.frequentist.tests import (
    FrequentistConfig,
    SequentialConfig,
    SequentialTwoSidedTTest,
    TwoSidedTTest,
)
from gbstats.models.statistics import (
    ProportionStatistic,
    RegressionAdjustedStatistic,
    SampleMeanStatistic,
)
from gbstats.utils import check_srm

# --- arms, as plain data (the Rust test reads the same dictionaries) -----------------------

def proportion(n, conversions):
    return {"type": "proportion", "n": n, "sum": conversions}


def mean_sums(n, s, ss):
    return {"type": "mean", "n": n, "sum": s, "sum_squares": ss}


def mean_sd(n, mean, sd):
    s = mean * n
    return mean_sums(n, s, sd * sd * (n - 1) + s * s / n)


def with_cov(arm, cov_sum, cov_sum_squares, cross_sum):
    return dict(arm, covariate={"sum": cov_sum, "sum_squares": cov_sum_squares, "cross_sum": cross_sum})


def gb_stat(arm):
    if arm["type"] == "proportion":
        post = ProportionStatistic(n=arm["n"], sum=arm["sum"])
    else:
        post = SampleMeanStatistic(n=arm["n"], sum=arm["sum"], sum_squares=arm["sum_squares"])
    cov = arm.get("covariate")
    if cov is None:
        return post
    pre = SampleMeanStatistic(n=arm["n"], sum=cov["sum"], sum_squares=cov["sum_squares"])
    return RegressionAdjustedStatistic(
        n=arm["n"], post_statistic=post, pre_statistic=pre,
        post_pre_sum_of_products=cov["cross_sum"], theta=0,
    )


CONV_A = proportion(10000, 500)
CONV_B = proportion(10000, 560)
CONV_SMALL_A = proportion(1200, 61)
CONV_SMALL_B = proportion(1150, 49)
MEAN_A = mean_sd(2500, 42.0, 30.0)
MEAN_B = mean_sd(2450, 44.5, 33.0)
SUMS_A = mean_sums(800, 1603.2, 9211.7)
SUMS_B = mean_sums(790, 1490.4, 8120.3)
# CUPED: post Y and pre X with a strong correlation
CUPED_A = with_cov(mean_sums(1000, 10250.0, 131000.0), 9900.0, 118000.0, 121500.0)
CUPED_B = with_cov(mean_sums(1020, 10710.0, 139500.0), 10150.0, 121900.0, 129400.0)
CUPED_CONV_A = with_cov(proportion(5000, 400), 2600.0, 4100.0, 350.0)
CUPED_CONV_B = with_cov(proportion(5100, 455), 2680.0, 4250.0, 401.0)

PAIRS = {
    "conversion": (CONV_A, CONV_B),
    "conversion_small_negative": (CONV_SMALL_A, CONV_SMALL_B),
    "mean_sd": (MEAN_A, MEAN_B),
    "mean_sums": (SUMS_A, SUMS_B),
    "cuped_mean": (CUPED_A, CUPED_B),
    "cuped_conversion": (CUPED_CONV_A, CUPED_CONV_B),
}


def frequentist_case(pair, difference, alpha, sequential=None):
    a, b = PAIRS[pair]
    if sequential is None:
        test = TwoSidedTTest(gb_stat(a), gb_stat(b), FrequentistConfig(alpha=alpha, difference_type=difference))
    else:
        test = SequentialTwoSidedTTest(
            gb_stat(a), gb_stat(b),
            SequentialConfig(alpha=alpha, difference_type=difference, sequential_tuning_parameter=sequential),
        )
    r = test.compute_result()
    assert r.error_message is None, r.error_message
    expected = {
        "effect": r.expected, "ci_low": r.ci[0], "ci_high": r.ci[1], "p_value": r.p_value,
        "std_error": r.uplift.stddev, "dof": float(test.dof),
    }
    theta = getattr(test.stat_a, "theta", None)
    if theta is not None:
        expected["theta"] = theta
    return {
        "name": f"{'sequential' if sequential else 'ttest'}_{pair}_{difference}_{alpha}" + (f"_{sequential}" if sequential else ""),
        "kind": "sequential" if sequential else "ttest",
        "control": a, "variant": b, "difference": difference, "alpha": alpha,
        "tuning": sequential, "expected": expected,
    }


def bayes_case(pair, difference, alpha, prior=None, inverse=False):
    a, b = PAIRS[pair]
    gp = GaussianPrior(mean=prior[0], variance=prior[1] ** 2, proper=True) if prior else GaussianPrior()
    config = EffectBayesianConfig(
        inverse=inverse, alpha=alpha, difference_type=difference, prior_type="relative", prior_effect=gp,
    )
    r = EffectBayesianABTest(gb_stat(a), gb_stat(b), config).compute_result()
    assert r.error_message is None, r.error_message
    name = f"bayes_{pair}_{difference}_{'proper' if prior else 'flat'}" + ("_inverse" if inverse else "")
    return {
        "name": name, "kind": "bayes", "control": a, "variant": b, "difference": difference,
        "alpha": alpha, "inverse": inverse,
        "prior": {"mean": prior[0], "sd": prior[1]} if prior else None,
        "expected": {
            "effect": r.expected, "sd": r.uplift.stddev, "chance_to_beat_control": r.chance_to_win,
            "risk_control": r.risk[0], "risk_variant": r.risk[1], "ci_low": r.ci[0], "ci_high": r.ci[1],
        },
    }


def srm_case(name, users, weights):
    total = sum(users)
    tw = sum(weights) if weights else len(users)
    w = weights or [1.0] * len(users)
    chi2 = sum((o - wi / tw * total) ** 2 / (wi / tw * total) for o, wi in zip(users, w) if wi > 0)
    p = float(check_srm(users, w))
    return {
        "name": name, "kind": "srm", "users": users, "weights": weights,
        "expected": {"chi2": chi2, "p_value": p, "mismatch": p < 0.001},
    }


def holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, p[i] * (m - rank)))
        out[i] = running
    return out


def adjust_case(name, p):
    return {
        "name": name, "kind": "adjust", "p_values": p,
        "expected": {"holm": holm(p), "bh": [float(x) for x in false_discovery_control(p, method="bh")]},
    }


def plan_case(name, metric, baseline, mde, absolute, alpha, power, variants, stddev=None, daily=None):
    p1 = baseline
    p2 = baseline + mde if absolute else baseline * (1 + mde)
    comparisons = variants - 1
    a = alpha / comparisons
    za = norm.ppf(1 - a / 2)
    zb = norm.ppf(power)
    if metric == "conversion":
        pbar = (p1 + p2) / 2
        v0, v1 = 2 * pbar * (1 - pbar), p1 * (1 - p1) + p2 * (1 - p2)
    else:
        v0 = v1 = 2 * stddev ** 2
    n = (za * math.sqrt(v0) + zb * math.sqrt(v1)) ** 2 / (p2 - p1) ** 2
    per_variant = math.ceil(n)
    total = per_variant * variants
    # the power with exactly per_variant users (just above the target)
    achieved = norm.cdf((abs(p2 - p1) * math.sqrt(per_variant) - za * math.sqrt(v0)) / math.sqrt(v1))
    return {
        "name": name, "kind": "plan", "metric": metric, "baseline": baseline, "mde": mde,
        "absolute": absolute, "alpha": alpha, "power": power, "variants": variants,
        "stddev": stddev, "daily_traffic": daily,
        "expected": {
            "per_variant": per_variant, "total": total,
            "days": math.ceil(total / daily) if daily else None,
            "alpha_per_comparison": a, "power_at_per_variant": achieved,
        },
    }


cases = []
for pair in PAIRS:
    for difference in ("relative", "absolute"):
        cases.append(frequentist_case(pair, difference, 0.05))
cases.append(frequentist_case("conversion", "relative", 0.1))
for pair in ("conversion", "mean_sd", "cuped_mean"):
    for difference in ("relative", "absolute"):
        cases.append(frequentist_case(pair, difference, 0.05, sequential=5000))
cases.append(frequentist_case("conversion", "relative", 0.05, sequential=20000))
cases.append(frequentist_case("conversion_small_negative", "relative", 0.1, sequential=1000))
for pair in ("conversion", "conversion_small_negative", "mean_sd", "cuped_mean"):
    for difference in ("relative", "absolute"):
        cases.append(bayes_case(pair, difference, 0.05))
        cases.append(bayes_case(pair, difference, 0.05, prior=(0.0, 0.1)))
cases.append(bayes_case("conversion", "relative", 0.05, prior=(0.05, 0.03)))
cases.append(bayes_case("conversion", "relative", 0.05, inverse=True))
cases.append(bayes_case("mean_sums", "relative", 0.1, prior=(-0.02, 0.05), inverse=True))
cases.append(srm_case("srm_two_equal", [10000, 10000], None))
cases.append(srm_case("srm_two_off", [10000, 10400], None))
cases.append(srm_case("srm_two_weighted", [6100, 3900], [60.0, 40.0]))
cases.append(srm_case("srm_three_equal", [3300, 3350, 3280], None))
cases.append(srm_case("srm_three_mismatch", [3300, 3600, 3150], None))
cases.append(srm_case("srm_three_weighted", [5050, 2450, 2500], [50.0, 25.0, 25.0]))
cases.append(adjust_case("adjust_four", [0.01, 0.04, 0.03, 0.005]))
cases.append(adjust_case("adjust_ties", [0.02, 0.02, 0.5, 0.001, 0.9]))
cases.append(plan_case("plan_issue_example", "conversion", 0.05, 0.10, False, 0.05, 0.8, 2, daily=1000))
cases.append(plan_case("plan_absolute", "conversion", 0.20, 0.02, True, 0.05, 0.9, 2))
cases.append(plan_case("plan_three_variants", "conversion", 0.05, 0.10, False, 0.05, 0.8, 3, daily=2500))
cases.append(plan_case("plan_mean", "mean", 42.0, 0.05, False, 0.05, 0.8, 2, stddev=30.0, daily=700))
cases.append(plan_case("plan_mean_absolute_four", "mean", 10.0, -0.5, True, 0.01, 0.8, 4, stddev=4.0))

out = {
    "generator": "crates/copydesk-stats/tests/golden/make_golden.py",
    "gbstats": importlib.metadata.version("gbstats"),
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"{len(cases)} cases written to {path}")
