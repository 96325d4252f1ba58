//! Results CSV: the formats, and bad rows refused with their row number and field.

use copydesk_stats::{
    analyze, parse_batch, parse_results, ImportError, MetricType, Settings, Statistic,
};

fn refused(text: &str) -> String {
    match parse_results(text) {
        Ok(r) => panic!("accepted {text:?}: {r:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn conversion_file() {
    let r = parse_results("variant,users,conversions\ncontrol,10000,500\nb,10000,560\n")
        .expect("parses");
    assert_eq!(r.metric_type, MetricType::Conversion);
    assert_eq!(r.arms.len(), 2);
    assert_eq!(r.arms[1].name, "b");
    assert_eq!(r.arms[1].row, 3);
    assert_eq!(
        r.arms[1].stat,
        Statistic::Proportion {
            n: 10000,
            sum: 560.0
        }
    );
}

#[test]
fn mean_files_agree() {
    let sd = parse_results("Variant, Users, Mean, StdDev\na,100,5,2\nb,100,6,2\n").expect("mean");
    let sums = parse_results("variant,users,sum,sum_squares\na,100,500,2896\nb,100,600,3996\n")
        .expect("sums");
    assert_eq!(sd.metric_type, MetricType::Mean);
    for (x, y) in sd.arms.iter().zip(&sums.arms) {
        assert!((x.stat.mean() - y.stat.mean()).abs() < 1e-12);
        assert!((x.stat.variance() - y.stat.variance()).abs() < 1e-9);
    }
}

#[test]
fn cuped_columns_are_read() {
    let r = parse_results(
        "variant,users,sum,sum_squares,cov_sum,cov_sum_squares,cross_sum\n\
         a,1000,10250,131000,9900,118000,121500\nb,1020,10710,139500,10150,121900,129400\n",
    )
    .expect("parses");
    assert!(r.arms.iter().all(|a| a.covariate.is_some()));
    let analysis = analyze(&r, &Settings::default()).expect("analysis");
    assert!(analysis.cuped);
    assert!(analysis.variants[1].theta.is_some());
}

#[test]
fn bad_rows_name_row_and_field() {
    let cases = [
        (
            "variant,users,conversions\na,100,5\nb,-100,5\n",
            "row 3, field `users`: must not be negative (-100)",
        ),
        (
            "variant,users,conversions\na,100,-5\nb,100,5\n",
            "row 2, field `conversions`: must not be negative (-5)",
        ),
        (
            "variant,users,conversions\na,100,5\nb,100,120\n",
            "row 3, field `conversions`: 120 conversions but only 100 users",
        ),
        (
            "variant,users,conversions\na,100,5\nb,100\n",
            "row 3: missing field `conversions`",
        ),
        (
            "variant,users,conversions\na,100,5\n\nb,1e,5\n",
            "row 4, field `users`: `1e` is not a number",
        ),
        (
            "variant,users,conversions\na,100.5,5\nb,100,5\n",
            "row 2, field `users`: must be a whole number of users (100.5)",
        ),
        (
            "variant,users\na,100\nb,100\n",
            "missing column `conversions` (a results file has variant,users and then conversions, or mean,stddev, or sum,sum_squares)",
        ),
        (
            "variant,users,mean\na,100,5\nb,100,6\n",
            "missing column `stddev` (a results file has variant,users and then conversions, or mean,stddev, or sum,sum_squares)",
        ),
        (
            "name,users,conversions\na,100,5\n",
            "missing column `variant` (a results file has variant,users and then conversions, or mean,stddev, or sum,sum_squares)",
        ),
        (
            "variant,users,conversions,cov_sum\na,100,5,3\nb,100,5,3\n",
            "missing column `cov_sum_squares` (CUPED needs all of cov_sum, cov_sum_squares and cross_sum)",
        ),
        (
            "variant,users,sum,sum_squares\na,100,500,10\nb,100,5,3\n",
            "row 2, field `sum_squares`: 10 is less than sum²/users, so the variance would be negative",
        ),
        (
            "variant,users,conversions\na,100,5\na,100,6\n",
            "row 3, field `variant`: variant `a` appears twice",
        ),
        (
            "variant,users,conversions\na,100,5\n",
            "needs at least two variants (a control and one more), found 1",
        ),
        ("variant,users,conversions\n", "no data rows"),
        ("", "no data rows"),
        (
            "variant,users,conversions\na,100,5\n,100,5\n",
            "row 3: missing field `variant`",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(refused(text), want, "for {text:?}");
    }
}

#[test]
fn batch_groups_by_experiment() {
    let text = "experiment,variant,users,conversions\n\
                e1,a,100,5\ne2,a,200,10\ne1,b,100,7\ne2,b,200,12\ne2,c,210,9\n";
    let batch = parse_batch(text).expect("batch");
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[0].name, "e1");
    assert_eq!(batch[1].results.arms.len(), 3);
    let err = parse_batch("variant,experiment,users,conversions\na,e1,1,1\n").expect_err("order");
    assert!(matches!(err, ImportError::MissingColumn { .. }));
    let err =
        parse_batch("experiment,variant,users,conversions\ne1,a,100,5\ne2,a,100,5\ne2,b,1,1\n")
            .expect_err("lonely");
    assert_eq!(
        err.to_string(),
        "experiment `e1` needs at least two variants (a control and one more), found 1"
    );
}
