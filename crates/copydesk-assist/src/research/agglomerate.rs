//! Finding the themes on a sample: average-linkage agglomerative clustering (UPGMA) cut where
//! the texts of two groups stop being, on average, similar enough to be one theme.
//!
//! Average linkage scores a pair of groups by the mean cosine similarity over all pairs of
//! their texts. A theme's phrasings ("the battery dies by noon", "I charge the battery twice a
//! day") share its topic words and stay above the cut when merged, while different themes share
//! only fillers and stay below it; so the number of themes follows from the data and one
//! similarity, instead of being fixed in advance. Average linkage is used rather than a
//! centroid method (k-means) because it does not favour clusters of equal size: a theme of 160
//! texts beside one of 40 is not split to even them out.
//!
//! The dendrogram is built with the nearest-neighbour chain algorithm (O(n²) time on the dense
//! similarity matrix of the sample, Lance–Williams updates in place), which gives the same
//! merges as the greedy algorithm because average linkage is reducible. As the merge heights
//! of average linkage never increase, the merges at or above the cut form whole subtrees, so
//! cutting is a union-find over those merges.

use super::vectorise::Matrix;

/// One merge of the dendrogram: two sample positions (representatives of their groups) and the
/// average similarity between the groups.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Merge {
    a: usize,
    b: usize,
    similarity: f32,
}

/// Groups of sample positions whose average linkage is at least `threshold`, largest first
/// (ties: the group with the earliest member first), each sorted. `progress` gets (rows of the
/// similarity matrix done, sample size).
pub(super) fn groups(
    m: &Matrix,
    sample: &[usize],
    threshold: f32,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<Vec<usize>> {
    let n = sample.len();
    if n == 0 {
        return Vec::new();
    }
    let mut sims = similarity_matrix(m, sample, progress);
    let merges = nn_chain(&mut sims, n);
    cut(&merges, n, threshold)
}

/// The dense, symmetric cosine-similarity matrix of the sample rows (unit rows, so dot
/// products).
fn similarity_matrix(
    m: &Matrix,
    sample: &[usize],
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<f32> {
    let n = sample.len();
    let mut sims = vec![0.0f32; n * n];
    let mut dense = vec![0.0f32; m.features()];
    for i in 0..n {
        if i % 256 == 0 {
            progress(i, n);
        }
        let (cols, vals) = m.row(sample[i]);
        for (&f, &w) in cols.iter().zip(vals) {
            dense[f as usize] = w;
        }
        for j in i + 1..n {
            let (c, v) = m.row(sample[j]);
            let s: f32 = c.iter().zip(v).map(|(&f, &w)| w * dense[f as usize]).sum();
            sims[i * n + j] = s;
            sims[j * n + i] = s;
        }
        for &f in cols {
            dense[f as usize] = 0.0;
        }
    }
    progress(n, n);
    sims
}

/// The full average-linkage dendrogram of `n` points with similarity matrix `sims` (which is
/// overwritten: row and column `a` come to hold group `a`'s average similarities).
fn nn_chain(sims: &mut [f32], n: usize) -> Vec<Merge> {
    let mut active = vec![true; n];
    let mut size = vec![1usize; n];
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    let mut chain: Vec<usize> = Vec::with_capacity(n);
    let mut next_start = 0;
    while merges.len() + 1 < n {
        if chain.is_empty() {
            while !active[next_start] {
                next_start += 1;
            }
            chain.push(next_start);
        }
        let top = chain[chain.len() - 1];
        let previous = chain.len().checked_sub(2).map(|i| chain[i]);
        // the most similar active group; on a tie the previous chain element wins, which is
        // what guarantees the chain ends in a reciprocal pair
        let mut best = previous;
        let mut best_sim = previous.map_or(f32::NEG_INFINITY, |p| sims[top * n + p]);
        for c in 0..n {
            if c != top && active[c] && sims[top * n + c] > best_sim {
                best = Some(c);
                best_sim = sims[top * n + c];
            }
        }
        let Some(best) = best else {
            break;
        };
        if Some(best) != previous {
            chain.push(best);
            continue;
        }
        chain.truncate(chain.len() - 2);
        let (a, b) = (top.min(best), top.max(best));
        merges.push(Merge {
            a,
            b,
            similarity: best_sim,
        });
        let (na, nb) = (size[a] as f32, size[b] as f32);
        for c in 0..n {
            if active[c] && c != a && c != b {
                let s = (na * sims[a * n + c] + nb * sims[b * n + c]) / (na + nb);
                sims[a * n + c] = s;
                sims[c * n + a] = s;
            }
        }
        active[b] = false;
        size[a] += size[b];
    }
    merges
}

/// The groups formed by the merges at or above `threshold`.
fn cut(merges: &[Merge], n: usize, threshold: f32) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for merge in merges.iter().filter(|m| m.similarity >= threshold) {
        let (ra, rb) = (root(&mut parent, merge.a), root(&mut parent, merge.b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); n];
    for x in 0..n {
        let r = root(&mut parent, x);
        by_root[r].push(x);
    }
    let mut groups: Vec<Vec<usize>> = by_root.into_iter().filter(|g| !g.is_empty()).collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute-force UPGMA: repeatedly merge the pair of groups with the highest mean pairwise
    /// similarity.
    fn greedy(sims: &[f32], n: usize) -> Vec<f32> {
        let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
        let mut heights = Vec::new();
        while groups.len() > 1 {
            let mut best = (0, 1, f32::NEG_INFINITY);
            for i in 0..groups.len() {
                for j in i + 1..groups.len() {
                    let mut total = 0.0;
                    for &a in &groups[i] {
                        for &b in &groups[j] {
                            total += sims[a * n + b];
                        }
                    }
                    let s = total / (groups[i].len() * groups[j].len()) as f32;
                    if s > best.2 {
                        best = (i, j, s);
                    }
                }
            }
            let merged = groups.remove(best.1);
            groups[best.0].extend(merged);
            heights.push(best.2);
        }
        heights
    }

    #[test]
    fn nn_chain_matches_greedy_average_linkage() {
        // a fixed, irregular symmetric matrix with distinct values
        let n = 7;
        let mut sims = vec![0.0f32; n * n];
        let mut x = 17u32;
        for i in 0..n {
            for j in i + 1..n {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let s = (x >> 8) as f32 / (1u32 << 24) as f32;
                sims[i * n + j] = s;
                sims[j * n + i] = s;
            }
        }
        let mut expected = greedy(&sims, n);
        let mut got: Vec<f32> = nn_chain(&mut sims.clone(), n)
            .iter()
            .map(|m| m.similarity)
            .collect();
        expected.sort_by(f32::total_cmp);
        got.sort_by(f32::total_cmp);
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            assert!((g - e).abs() < 1e-5, "{got:?} vs {expected:?}");
        }
    }

    #[test]
    fn cut_keeps_groups_above_the_threshold() {
        // 0,1,2 close together; 3,4 close together; 5 alone
        let n = 6;
        let mut sims = vec![0.0f32; n * n];
        let mut set = |a: usize, b: usize, s: f32| {
            sims[a * n + b] = s;
            sims[b * n + a] = s;
        };
        set(0, 1, 0.9);
        set(0, 2, 0.6);
        set(1, 2, 0.7);
        set(3, 4, 0.5);
        set(2, 3, 0.05);
        let merges = nn_chain(&mut sims, n);
        assert_eq!(
            cut(&merges, n, 0.3),
            vec![vec![0, 1, 2], vec![3, 4], vec![5]]
        );
        assert_eq!(cut(&merges, n, 0.95).len(), 6);
    }
}
