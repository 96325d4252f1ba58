//! `copydesk experiment analyze|plan`: on a file alone, outside any workspace.

use std::path::Path;
use std::process::{Command, Output};

use super::BIN;

const CONVERSION: &str = "variant,users,conversions\ncontrol,10000,500\nb,10000,560\n";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("COPYDESK_WORKSPACE")
        .env_remove("COPYDESK_DATABASE_URL")
        .env_remove("COPYDESK_USER")
        .arg("experiment")
        .args(args)
        .output()
        .expect("run copydesk experiment")
}

fn with_file(name: &str, text: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), text).expect("write");
    run_in(dir.path(), args)
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed ({:?}): {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("JSON")
}

fn close(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - want).abs() < 1e-6, "got {got}, want {want}");
}

#[test]
fn analyze_json_has_the_documented_shape() {
    let v = json(&with_file(
        "r.csv",
        CONVERSION,
        &["analyze", "r.csv", "--format", "json"],
    ));
    assert_eq!(v["metric_type"], "conversion");
    assert_eq!(v["method"], "fixed");
    assert_eq!(v["srm"]["mismatch"], false);
    close(&v["srm"]["chi2"], 0.0);
    close(&v["srm"]["p_value"], 1.0);
    let variants = v["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["name"], "control");
    assert_eq!(variants[0]["users"], 10000);
    close(&variants[0]["value"], 0.05);
    assert!(variants[0].get("relative").is_none());
    let b = &variants[1];
    assert_eq!(b["name"], "b");
    // gbstats 0.8.0 (tests/golden/cases.json, ttest_conversion_*)
    close(&b["relative"]["effect"], 0.12);
    close(&b["relative"]["ci_low"], -0.011455970456835773);
    close(&b["relative"]["ci_high"], 0.2514559704568357);
    close(&b["relative"]["p_value"], 0.07358684429420292);
    close(&b["absolute"]["effect"], 0.006);
    close(&b["absolute"]["p_value"], 0.05824971798537759);
    for key in [
        "chance_to_beat_control",
        "risk_control",
        "risk_variant",
        "ci_low",
        "ci_high",
    ] {
        assert!(b["bayes"][key].is_f64(), "bayes.{key}");
    }
    assert!(
        b["bayes"]["chance_to_beat_control"]
            .as_f64()
            .expect("chance")
            > 0.96
    );
}

#[test]
fn analyze_text_is_a_verdict() {
    let out = ok(&with_file("r.csv", CONVERSION, &["analyze", "r.csv"]));
    assert_eq!(
        out,
        "r.csv: conversion metric, fixed horizon, α = 0.05
sample ratio: χ² = 0, p = 1.000 — users arrived as planned

variant   users   rate             lift (95% CI)      p  chance better
control  10,000  5.00%
b        10,000  5.60%  +12.0% (−1.1% to +25.1%)  0.074            96%

b converts 12.0% better than control (95% CI −1.1% to +25.1%); not significant at α = 0.05; 96% chance b is better; keep collecting — 11,885 more users per variant reach 80% power
"
    );
}

#[test]
fn analyze_flags_a_sample_ratio_mismatch_and_names_the_control() {
    let text = "variant,users,conversions\nA,10000,500\nB,10600,560\nC,10000,480\n";
    let v = json(&with_file(
        "r.csv",
        text,
        &["analyze", "r.csv", "--control", "B", "--format", "json"],
    ));
    assert_eq!(v["srm"]["mismatch"], true);
    assert_eq!(v["variants"][0]["name"], "B");
    // three arms: two comparisons, adjusted p-values present
    assert!(v["variants"][1]["relative"]["p_value_holm"].is_f64());
    assert!(v["variants"][2]["relative"]["p_value_bh"].is_f64());
    let text_out = ok(&with_file("r.csv", text, &["analyze", "r.csv"]));
    assert!(text_out.contains("SAMPLE RATIO MISMATCH"), "{text_out}");
}

#[test]
fn analyze_sequential_with_prior_and_split() {
    let v = json(&with_file(
        "r.csv",
        "variant,users,mean,stddev\nold,2500,42,30\nnew,2450,44.5,33\n",
        &[
            "analyze",
            "r.csv",
            "--method",
            "sequential",
            "--tuning",
            "5000",
            "--prior-mean",
            "0",
            "--prior-sd",
            "0.1",
            "--split",
            "50,50",
            "--format",
            "json",
        ],
    ));
    assert_eq!(v["method"], "sequential");
    assert_eq!(v["metric_type"], "mean");
    // gbstats 0.8.0: sequential_mean_sd_relative_0.05_5000
    let rel = &v["variants"][1]["relative"];
    close(&rel["effect"], 0.05952380952380952);
    let golden: serde_json::Value = serde_json::from_str(include_str!(
        "../../../copydesk-stats/tests/golden/cases.json"
    ))
    .expect("golden");
    let case = golden["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == "sequential_mean_sd_relative_0.05_5000")
        .expect("golden case");
    close(
        &rel["ci_low"],
        case["expected"]["ci_low"].as_f64().expect("ci"),
    );
    close(
        &rel["p_value"],
        case["expected"]["p_value"].as_f64().expect("p"),
    );
}

#[test]
fn bad_csv_is_refused_with_row_and_field() {
    for (text, message) in [
        (
            "variant,users,conversions\na,100,5\nb,100,120\n",
            "copydesk: r.csv: row 3, field `conversions`: 120 conversions but only 100 users\n",
        ),
        (
            "variant,users,conversions\na,-100,5\nb,100,12\n",
            "copydesk: r.csv: row 2, field `users`: must not be negative (-100)\n",
        ),
        (
            "variant,users\na,100\nb,100\n",
            "copydesk: r.csv: missing column `conversions` (a results file has variant,users and then conversions, or mean,stddev, or sum,sum_squares)\n",
        ),
    ] {
        let o = with_file("r.csv", text, &["analyze", "r.csv", "--format", "json"]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&o.stderr), message);
        assert!(o.stdout.is_empty());
    }
    let o = with_file("r.csv", CONVERSION, &["analyze", "r.csv", "--control", "z"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "copydesk: r.csv: no variant named `z` to use as the control (variants: control, b)\n"
    );
    let o = with_file("r.csv", CONVERSION, &["analyze", "missing.csv"]);
    assert_eq!(o.status.code(), Some(2));
    let o = with_file("r.csv", CONVERSION, &["analyze", "r.csv", "--alpha", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn batch_writes_json_lines_or_nothing() {
    let text = "experiment,variant,users,conversions\n\
                e1,a,1000,50\ne1,b,1000,61\ne2,a,2000,100\ne2,b,2000,90\ne3,a,500,20\ne3,b,500,25\n";
    let out = ok(&with_file("b.csv", text, &["analyze", "--batch", "b.csv"]));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["experiment"], "e2");
    assert!(
        lines[1]["variants"][1]["relative"]["effect"]
            .as_f64()
            .expect("effect")
            < 0.0
    );
    let bad = format!("{text}e4,a,10,5\ne4,b,10,11\n");
    let o = with_file("b.csv", &bad, &["analyze", "--batch", "b.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "copydesk: b.csv: row 9, field `conversions`: 11 conversions but only 10 users\n"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn plan_matches_the_two_proportion_formula() {
    let dir = tempfile::tempdir().expect("temp dir");
    let v: serde_json::Value = serde_json::from_str(&ok(&run_in(
        dir.path(),
        &[
            "plan",
            "--baseline",
            "0.05",
            "--mde",
            "0.10",
            "--alpha",
            "0.05",
            "--power",
            "0.8",
            "--variants",
            "2",
            "--daily-traffic",
            "1000",
            "--format",
            "json",
        ],
    )))
    .expect("JSON");
    // n = (1.959964·√(2·0.0525·0.9475) + 0.841621·√(0.05·0.95 + 0.055·0.945))² / 0.005² = 31233.2
    assert_eq!(v["per_variant"], 31234);
    assert_eq!(v["total"], 62468);
    assert_eq!(v["days"], 63);
    assert_eq!(v["bonferroni"], false);
    let three: serde_json::Value = serde_json::from_str(&ok(&run_in(
        dir.path(),
        &[
            "plan",
            "--baseline",
            "0.05",
            "--mde",
            "0.10",
            "--variants",
            "3",
            "--format",
            "json",
        ],
    )))
    .expect("JSON");
    assert_eq!(three["bonferroni"], true);
    assert_eq!(three["alpha_per_comparison"], 0.025);
    assert_eq!(three["per_variant"], 37824);
    assert_eq!(three["days"], serde_json::Value::Null);
    let text = ok(&run_in(
        dir.path(),
        &[
            "plan",
            "--baseline",
            "42",
            "--mde",
            "0.05",
            "--metric-type",
            "mean",
            "--stddev",
            "30",
            "--daily-traffic",
            "700",
            "--users",
            "2000",
        ],
    ));
    // (1.959964 + 0.841621)²·2·30² / 2.1² = 3203.3; power at 2,000: Φ((2.1·√2000 − 1.96·√1800)/√1800) = Φ(0.2536)
    assert_eq!(
        text,
        "42 → 44.1 (+5.0% relative); α = 0.05 two-sided, 80% power
3,204 users per variant, 6,408 in total; 10 days at 700 users a day
one comparison with the control: α is not split
with 2,000 users per variant the power is 60.0%
"
    );
    let o = run_in(dir.path(), &["plan", "--baseline", "1.5", "--mde", "0.1"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "copydesk: baseline conversion rate must be strictly between 0 and 1, not 1.5\n"
    );
}

/// The workflow from the command line: refusals first (each writes nothing), then design,
/// variants, review-gated launch with a planned size, bad and good imports, and the analysis of
/// the stored results, which must equal the analysis of the same file without a workspace.
#[test]
fn an_experiment_is_designed_launched_imported_and_analysed_in_a_workspace() {
    let ws = super::Ws::new().with_asset();
    ws.ok(
        "admin",
        &["user", "add", "erin", "--brand", "acme", "--role", "editor"],
    );
    ws.write("a.txt", b"Close payroll in a day, not three.");
    ws.ok("bob", &["version", "add", "1", "--file", "a.txt"]);
    let design = |hypothesis: &str, lever: Option<&str>| {
        let mut args = vec![
            "experiment",
            "new",
            "--brand",
            "acme",
            "--asset",
            "1",
            "--metric",
            "demo_requests",
        ];
        if !hypothesis.is_empty() {
            args.extend(["--hypothesis", hypothesis]);
        }
        if let Some(lever) = lever {
            args.extend(["--lever", lever]);
        }
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let hypothesis = "Naming the hours saved will lift demo requests from finance leads";
    let audit = ws.audit_len();
    for (args, why) in [
        (design("", Some("value_framing")), "needs a hypothesis"),
        (
            design("new headline", Some("value_framing")),
            "needs a hypothesis",
        ),
        (design(hypothesis, None), "needs the lever it tests"),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = ws.fails(2, "alice", &args);
        assert!(err.contains(why), "{args:?}: {err}");
    }
    assert_eq!(ws.audit_len(), audit, "a refused design writes nothing");
    assert_eq!(
        ws.ok("alice", &["experiment", "list", "--brand", "acme"]),
        "no experiments\n"
    );

    let args = design(hypothesis, Some("value_framing"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ws.ok("alice", &args);
    // the control must be approved first
    let err = ws.fails(1, "alice", &["experiment", "variant", "1", "control"]);
    assert!(
        err.contains("the control must be the approved version"),
        "{err}"
    );
    ws.ok("bob", &["review", "submit", "1"]);
    ws.ok("erin", &["review", "approve", "1", "--proud"]);
    ws.ok("alice", &["experiment", "variant", "1", "control"]);

    ws.ok(
        "alice",
        &["asset", "new", "1", "--title", "Post B", "--kind", "blog"],
    );
    ws.write("b.txt", b"Close payroll in four hours, not three days.");
    ws.ok("bob", &["version", "add", "2", "--file", "b.txt"]);
    let err = ws.fails(
        2,
        "alice",
        &["experiment", "variant", "1", "hours", "--asset", "2"],
    );
    assert!(err.contains("needs the lever it pulls"), "{err}");
    ws.ok(
        "alice",
        &[
            "experiment",
            "variant",
            "1",
            "hours",
            "--asset",
            "2",
            "--lever",
            "value_framing",
        ],
    );
    let start = [
        "--format",
        "json",
        "experiment",
        "start",
        "1",
        "--baseline",
        "0.05",
        "--mde",
        "0.10",
    ];
    let err = ws.fails(1, "alice", &start);
    assert!(
        err.contains("every variant goes through review before launch: 'hours' (asset 2) is draft"),
        "{err}"
    );
    ws.ok("bob", &["review", "submit", "2"]);
    ws.ok("erin", &["review", "approve", "2", "--proud"]);
    let started = json_of(&ws.ok("alice", &start));
    let planned = json_of(&ws.ok(
        "alice",
        &[
            "--format",
            "json",
            "experiment",
            "plan",
            "--baseline",
            "0.05",
            "--mde",
            "0.10",
        ],
    ));
    assert_eq!(started["plan"]["per_variant"], planned["per_variant"]);
    assert_eq!(started["plan"]["method"], "fixed");

    // bad rows: the error names the file, row and field; nothing is imported
    let audit = ws.audit_len();
    for (csv, why) in [
        (
            "variant,users,conversions\ncontrol,1000,50\nhours,-3,2\n",
            "bad.csv: row 3, field `users`",
        ),
        (
            "variant,users,conversions\ncontrol,1000,50\nhours,100,101\n",
            "bad.csv: row 3, field `conversions`: 101 conversions but only 100 users",
        ),
        (
            "variant,users\ncontrol,1000\nhours,1000\n",
            "missing column",
        ),
        (
            "variant,users,conversions\ncontrol,1000,50\nother,1000,60\n",
            "row 3: variant 'other' is not in experiment 1",
        ),
        (
            "variant,users,conversions\ncontrol,1000,50\n",
            "bad.csv: needs at least two variants (a control and one more), found 1",
        ),
    ] {
        ws.write("bad.csv", csv.as_bytes());
        let err = ws.fails(2, "bob", &["experiment", "import", "1", "bad.csv"]);
        assert!(err.contains(why), "{csv}: {err}");
    }
    assert_eq!(ws.audit_len(), audit, "a refused import writes nothing");
    let analysed = ws.run("bob", &["experiment", "analyze", "1"]);
    assert_eq!(analysed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&analysed.stderr).contains("has no results yet"));

    // the export lists the challenger first; the control is the experiment's
    let csv = "variant,users,conversions\nhours,1000,62\ncontrol,1000,50\n";
    ws.write("r.csv", csv.as_bytes());
    ws.ok("bob", &["experiment", "import", "1", "r.csv"]);
    let report = json_of(&ws.ok("bob", &["--format", "json", "experiment", "analyze", "1"]));
    assert_eq!(report["peek"], true, "{report}");
    assert_eq!(report["smallest_arm"], 1000);
    let alone = json(&run_in(
        ws.path(),
        &[
            "analyze",
            "r.csv",
            "--control",
            "control",
            "--format",
            "json",
        ],
    ));
    assert_eq!(report["analysis"], alone, "same numbers as the file alone");
    close(
        &report["analysis"]["variants"][1]["relative"]["effect"],
        0.24,
    );

    let text = ws.ok("bob", &["experiment", "analyze", "1"]);
    assert!(
        text.contains("PEEK: the smallest arm has 1,000 of the"),
        "{text}"
    );
    assert!(
        text.contains("this is a peek: decide at the planned"),
        "{text}"
    );
    let err = ws.fails(2, "bob", &["experiment", "analyze", "1", "--alpha", "0.1"]);
    assert!(
        err.contains("--alpha does not apply to experiment 1"),
        "{err}"
    );

    ws.ok("alice", &["experiment", "stop", "1"]);
    let shown = json_of(&ws.ok("bob", &["--format", "json", "experiment", "show", "1"]));
    assert_eq!(shown["state"], "stopped");
    assert_eq!(shown["variants"][1]["asset_id"], 2);
    assert_eq!(shown["results"]["source"], "r.csv");
}

fn json_of(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
