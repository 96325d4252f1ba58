//! Multiple-comparison adjustments of p-values (across variants × metrics).

/// Holm–Bonferroni adjusted p-values (family-wise error rate), in the input order:
/// sorted ascending, p₍ᵢ₎·(m − i + 1) made non-decreasing, capped at 1.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let order = sorted_order(p_values);
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        let value = (p_values[i] * (m - rank) as f64).min(1.0);
        running = running.max(value);
        adjusted[i] = running;
    }
    adjusted
}

/// Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order:
/// p₍ᵢ₎·m/i made non-increasing from the largest down, capped at 1.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let order = sorted_order(p_values);
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 1.0;
    for (rank, &i) in order.iter().enumerate().rev() {
        let value = (p_values[i] * m as f64 / (rank + 1) as f64).min(1.0);
        running = running.min(value);
        adjusted[i] = running;
    }
    adjusted
}

fn sorted_order(p_values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p_values.len()).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    order
}
