//! Numbers as people read them in experiment reports (the CLI's verdicts and the web page):
//! grouped thousands, percentages with a sign and a true minus.

/// 12345 → "12,345".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        let left = digits.len() - i;
        if i > 0 && left / 3 * 3 == left {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number with at most `places` decimals, trailing zeros dropped.
pub fn trim(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

pub fn percent(v: f64, places: usize) -> String {
    format!("{:.places$}%", v * 100.0)
}

/// +12.0% / −1.1% (a true minus sign).
pub fn signed_percent(v: f64, places: usize) -> String {
    format!("{}%", signed(v * 100.0, places))
}

pub fn signed(v: f64, places: usize) -> String {
    let s = format!("{:.places$}", v.abs());
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if zero {
        s
    } else if v < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(31234), "31,234");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(signed_percent(0.12, 1), "+12.0%");
        assert_eq!(signed_percent(-0.011, 1), "−1.1%");
        assert_eq!(signed_percent(-0.0001, 1), "0.0%");
        assert_eq!(trim(0.050, 4), "0.05");
        assert_eq!(trim(-0.00001, 2), "0");
        assert_eq!(percent(0.0525, 2), "5.25%");
    }
}
