//! The sentences of an experiment report, shared by the CLI and the web page so both say the
//! same thing: the sample-ratio check and one verdict per challenger.

use std::fmt::Write as _;

use crate::analysis::{Analysis, VariantReport};
use crate::display::{percent, signed_percent, thousands, trim};
use crate::MetricType;

/// What an experiment kept in the workspace fixed at launch, for its verdicts.
#[derive(Debug, Clone, Copy)]
pub struct Launched {
    pub per_variant: u64,
    /// Read before the planned size with a fixed-horizon method.
    pub peek: bool,
}

/// Why a fixed-horizon test read before its planned size is not a result, after "the" (the
/// CLI and the web page put their own label and capital in front).
pub fn peek_warning(smallest_arm: u64, per_variant: u64) -> String {
    format!(
        "smallest arm has {} of the {} planned users. A fixed-horizon test read early is not a result: stopping on a good-looking early read inflates false positives. Wait for the planned size, or plan a sequential test next time.",
        thousands(smallest_arm),
        thousands(per_variant)
    )
}

/// Whether users arrived in the planned split, with χ² and p.
pub fn srm_sentence(a: &Analysis) -> String {
    if a.srm.mismatch {
        format!(
            "SAMPLE RATIO MISMATCH: χ² = {}, {} — users did not arrive in the planned split; fix the assignment before trusting any result below",
            trim(a.srm.chi2, 2),
            p_is(a.srm.p_value)
        )
    } else {
        format!(
            "sample ratio: χ² = {}, {} — users arrived as planned",
            trim(a.srm.chi2, 2),
            p_is(a.srm.p_value)
        )
    }
}

/// One sentence a marketer can act on: how the variant compares with the control, whether it
/// is significant, the chance it is better, and what to do next (decide, keep collecting, or
/// distrust the numbers when the sample ratio is off or the look is a peek).
pub fn verdict(
    a: &Analysis,
    control: &VariantReport,
    v: &VariantReport,
    launched: Option<Launched>,
) -> String {
    let level = trim((1.0 - a.alpha) * 100.0, 2);
    let (Some(r), Some(b)) = (&v.relative, &v.bayes) else {
        return format!(
            "{}: no comparison possible: {}",
            v.name,
            v.note.as_deref().unwrap_or("not enough data")
        );
    };
    let conversion = a.metric_type == MetricType::Conversion;
    let size = percent(r.effect.abs(), 1);
    let up = r.effect >= 0.0;
    let change = match (conversion, a.inverse) {
        (true, false) => format!(
            "{} converts {size} {} than {}",
            v.name,
            if up { "better" } else { "worse" },
            control.name
        ),
        (true, true) => format!(
            "{}'s rate is {size} {} than {}'s",
            v.name,
            if up { "higher" } else { "lower" },
            control.name
        ),
        (false, _) => format!(
            "{} averages {size} {} than {}",
            v.name,
            if up { "higher" } else { "lower" },
            control.name
        ),
    };
    let p = r.p_value_holm.unwrap_or(r.p_value);
    let significant = p < a.alpha;
    let better = up != a.inverse;
    let mut out = format!(
        "{change} ({level}% CI {} to {}); {}significant at α = {}{}; {} chance {} is better",
        signed_percent(r.ci_low, 1),
        signed_percent(r.ci_high, 1),
        if significant { "" } else { "not " },
        trim(a.alpha, 4),
        if r.p_value_holm.is_some() {
            " after Holm's correction"
        } else {
            ""
        },
        chance_text(b.chance_to_beat_control),
        v.name,
    );
    let have = control.users.min(v.users);
    if a.srm.mismatch {
        out.push_str("; but the sample ratio is off, so do not act on it");
    } else if let Some(l) = launched.filter(|l| l.peek) {
        let _ = write!(
            out,
            "; this is a peek: decide at the planned {} users per variant ({} to go)",
            thousands(l.per_variant),
            thousands(l.per_variant.saturating_sub(have))
        );
    } else if significant {
        if better {
            let _ = write!(out, "; {} wins", v.name);
        } else {
            let _ = write!(out, "; keep {}", control.name);
        }
    } else if let Some(l) = launched.filter(|l| have < l.per_variant) {
        let _ = write!(
            out,
            "; keep collecting — {} more users per variant reach the planned {}",
            thousands(l.per_variant - have),
            thousands(l.per_variant)
        );
    } else {
        match v.users_for_power {
            Some(needed) => {
                if needed > have {
                    let _ = write!(
                        out,
                        "; keep collecting — {} more users per variant reach 80% power",
                        thousands(needed - have)
                    );
                } else {
                    out.push_str(
                        "; 80% power for a change this size is already reached: the difference is probably too small to matter",
                    );
                }
            }
            None => out.push_str("; no difference worth chasing"),
        }
    }
    out
}

/// A p-value for a table cell: "0.051" or "<0.001".
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// "p = 0.051" or "p < 0.001".
pub fn p_is(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// A chance as a whole percentage, never a false 0% or 100%.
pub fn chance_text(c: f64) -> String {
    let pct = c * 100.0;
    if pct > 99.5 {
        ">99%".to_string()
    } else if pct < 0.5 {
        "<1%".to_string()
    } else {
        format!("{pct:.0}%")
    }
}
