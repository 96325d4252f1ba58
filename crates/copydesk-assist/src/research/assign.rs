//! Assigning every text to the theme it is most similar to.
//!
//! A theme's centre is the mean of its sample texts' vectors, so a text's dot product with it
//! is the text's average cosine similarity to those texts: the same average-linkage measure
//! that formed the themes, applied to one more text. Centres are stored feature-major
//! (`centres[f * k + t]`) so scoring a sparse text against every theme reads one contiguous
//! slice per word of the text.

use super::vectorise::Matrix;

/// Theme centres.
pub(super) struct Centres {
    k: usize,
    centres: Vec<f32>,
}

impl Centres {
    /// The centres of `groups`, each a non-empty list of rows of `m`.
    pub(super) fn new(m: &Matrix, groups: &[Vec<usize>]) -> Self {
        let k = groups.len();
        let mut centres = vec![0.0f32; m.features() * k];
        for (t, group) in groups.iter().enumerate() {
            let weight = 1.0 / group.len().max(1) as f32;
            for &row in group {
                let (cols, vals) = m.row(row);
                for (&f, &w) in cols.iter().zip(vals) {
                    centres[f as usize * k + t] += w * weight;
                }
            }
        }
        Self { k, centres }
    }

    /// The theme row `row` is most similar to and that similarity (ties: the lower theme
    /// index); `None` without themes. `scores` is scratch space of any length.
    pub(super) fn nearest(
        &self,
        m: &Matrix,
        row: usize,
        scores: &mut Vec<f32>,
    ) -> Option<(usize, f32)> {
        if self.k == 0 {
            return None;
        }
        scores.clear();
        scores.resize(self.k, 0.0);
        let (cols, vals) = m.row(row);
        for (&f, &w) in cols.iter().zip(vals) {
            let c = &self.centres[f as usize * self.k..(f as usize + 1) * self.k];
            for (s, &x) in scores.iter_mut().zip(c) {
                *s += w * x;
            }
        }
        let mut best = 0;
        for t in 1..self.k {
            if scores[t] > scores[best] {
                best = t;
            }
        }
        Some((best, scores[best]))
    }
}
