//! TF-IDF vectors of short texts: unigrams and bigrams of stemmed content words, sublinear
//! term frequency, the square root of the smoothed inverse document frequency, L2-normalised,
//! stored sparse.
//!
//! Stemming makes "charge", "charging" and "charged" one term, and bigrams keep the phrases
//! that name a theme ("battery life", "wait time") apart from their words' other uses. The
//! vocabulary is capped by document frequency so memory stays bounded at 100,000 texts: terms
//! in too few documents cannot define a theme, and terms in most documents cannot separate one.
//!
//! The inverse document frequency is dampened (square root) because in short texts a theme's
//! own word is common by definition: "support" is in most of the texts about support, and full
//! IDF would let a rarer word the text shares with another theme ("so slow") outweigh it.
//!
//! Bigrams are weighted at [`BIGRAM_WEIGHT`] of a unigram before normalising: a bigram repeats
//! what its two words already say, and at full weight texts that share a phrasing (a stock
//! sentence, a survey's answer template) would outweigh texts that share a topic.

use std::collections::HashMap;

use super::Item;
use crate::text::{is_content_word, normalise_into, words, Stemmer};

/// Sparse rows in compressed form: row `i` holds `cols[offsets[i]..offsets[i + 1]]` with their
/// `vals`, columns ascending, each non-empty row of unit length.
pub(super) struct Matrix {
    offsets: Vec<usize>,
    cols: Vec<u32>,
    vals: Vec<f32>,
    features: usize,
}

impl Matrix {
    pub(super) fn features(&self) -> usize {
        self.features
    }

    /// The features and weights of row `i`.
    pub(super) fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (start, end) = (self.offsets[i], self.offsets[i + 1]);
        (&self.cols[start..end], &self.vals[start..end])
    }
}

/// A feature: one stem, or two stems that follow each other within a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Term {
    Unigram(u32),
    Bigram(u32, u32),
}

/// What each feature column means, and how to show it.
pub(super) struct Vocabulary {
    features: Vec<Term>,
    /// Per stem id, the spelling readers used most often ("battery" for "batteri").
    display: Vec<String>,
}

impl Vocabulary {
    pub(super) fn term(&self, feature: u32) -> Term {
        self.features[feature as usize]
    }

    pub(super) fn len(&self) -> usize {
        self.features.len()
    }

    /// The feature in the words customers wrote, e.g. "battery life".
    pub(super) fn display(&self, feature: u32) -> String {
        match self.term(feature) {
            Term::Unigram(a) => self.display[a as usize].clone(),
            Term::Bigram(a, b) => {
                format!("{} {}", self.display[a as usize], self.display[b as usize])
            }
        }
    }
}

/// Vocabulary limits; see [`super::ResearchOptions`].
pub(super) struct Limits {
    pub max_features: usize,
    pub min_df: usize,
    pub max_df_share: f64,
}

const UNIGRAM: u32 = u32::MAX;

/// The weight of a bigram relative to a unigram with the same TF-IDF.
const BIGRAM_WEIGHT: f32 = 0.3;

/// Builds the TF-IDF matrix (one row per item, in order) and its vocabulary. `progress` gets
/// (done, total) now and then.
pub(super) fn vectorise(
    items: &[Item],
    limits: &Limits,
    progress: &mut dyn FnMut(usize, usize),
) -> (Matrix, Vocabulary) {
    let counted = count_terms(items, progress);
    let n = items.len();
    let max_df = limits.min_df.max((limits.max_df_share * n as f64) as usize);
    let mut kept: Vec<u32> = (0..counted.df.len() as u32)
        .filter(|&t| {
            let df = counted.df[t as usize] as usize;
            df >= limits.min_df && df <= max_df
        })
        .collect();
    // the most common terms first; ties by first appearance, so the choice is deterministic
    kept.sort_by_key(|&t| (std::cmp::Reverse(counted.df[t as usize]), t));
    kept.truncate(limits.max_features);

    let mut feature_of = vec![u32::MAX; counted.df.len()];
    let mut idf = Vec::with_capacity(kept.len());
    let mut features = Vec::with_capacity(kept.len());
    for (f, &t) in kept.iter().enumerate() {
        feature_of[t as usize] = f as u32;
        let df = counted.df[t as usize] as f64;
        let key = counted.term_keys[t as usize];
        let (a, b) = ((key >> 32) as u32, key as u32);
        let (term, weight) = if b == UNIGRAM {
            (Term::Unigram(a), 1.0)
        } else {
            (Term::Bigram(a, b), BIGRAM_WEIGHT)
        };
        features.push(term);
        idf.push(weight * ((((1 + n) as f64 / (1.0 + df)).ln() + 1.0).sqrt() as f32));
    }

    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0);
    let mut cols = Vec::new();
    let mut vals = Vec::new();
    let mut row: Vec<(u32, f32)> = Vec::new();
    for d in 0..n {
        row.clear();
        let terms = &counted.doc_terms[counted.doc_offsets[d]..counted.doc_offsets[d + 1]];
        for run in terms.chunk_by(|a, b| a == b) {
            let f = feature_of[run[0] as usize];
            if f != u32::MAX {
                let tf = 1.0 + (run.len() as f32).ln();
                row.push((f, tf * idf[f as usize]));
            }
        }
        row.sort_unstable_by_key(|&(f, _)| f);
        let norm = row.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for &(f, w) in &row {
                cols.push(f);
                vals.push(w / norm);
            }
        }
        offsets.push(cols.len());
    }

    let display = counted.display();
    (
        Matrix {
            offsets,
            cols,
            vals,
            features: features.len(),
        },
        Vocabulary { features, display },
    )
}

/// Every term of every document, before the vocabulary is cut.
struct Counted {
    /// Per document, its term ids sorted (repeated as often as they occur).
    doc_terms: Vec<u32>,
    doc_offsets: Vec<usize>,
    /// Per term id: `stem << 32 | stem` for a bigram, `stem << 32 | UNIGRAM` for a unigram.
    term_keys: Vec<u64>,
    df: Vec<u32>,
    /// Per spelling: its stem and how often it was written.
    spellings: Vec<(String, u32, u32)>,
    stems: usize,
}

impl Counted {
    /// Per stem, its most frequent spelling (ties: the alphabetically first).
    fn display(&self) -> Vec<String> {
        let mut best: Vec<Option<(u32, &str)>> = vec![None; self.stems];
        for (spelling, stem, count) in &self.spellings {
            let slot = &mut best[*stem as usize];
            let better = match slot {
                None => true,
                Some((c, s)) => *count > *c || (*count == *c && spelling.as_str() < *s),
            };
            if better {
                *slot = Some((*count, spelling));
            }
        }
        best.into_iter()
            .map(|b| b.map(|(_, s)| s.to_owned()).unwrap_or_default())
            .collect()
    }
}

fn count_terms(items: &[Item], progress: &mut dyn FnMut(usize, usize)) -> Counted {
    let stemmer = Stemmer::english();
    let mut spelling_ids: HashMap<String, u32> = HashMap::new();
    let mut spellings: Vec<(String, u32, u32)> = Vec::new();
    let mut stem_ids: HashMap<String, u32> = HashMap::new();
    let mut term_ids: HashMap<u64, u32> = HashMap::new();
    let mut term_keys: Vec<u64> = Vec::new();
    let mut df: Vec<u32> = Vec::new();
    let mut doc_terms: Vec<u32> = Vec::new();
    let mut doc_offsets = Vec::with_capacity(items.len() + 1);
    doc_offsets.push(0);
    let mut buf = String::new();
    let mut scratch: Vec<u32> = Vec::new();

    let mut intern = |key: u64, term_keys: &mut Vec<u64>, df: &mut Vec<u32>| -> u32 {
        *term_ids.entry(key).or_insert_with(|| {
            term_keys.push(key);
            df.push(0);
            (term_keys.len() - 1) as u32
        })
    };

    for (d, item) in items.iter().enumerate() {
        if d % 4096 == 0 {
            progress(d, items.len());
        }
        scratch.clear();
        let mut prev: Option<u32> = None;
        for w in words(&item.text) {
            if w.clause_start {
                prev = None;
            }
            normalise_into(&item.text[w.start..w.end], &mut buf);
            if !is_content_word(&buf) {
                continue;
            }
            let spelling = match spelling_ids.get(buf.as_str()) {
                Some(&s) => s,
                None => {
                    let stem = stemmer.stem(&buf);
                    let next = stem_ids.len() as u32;
                    let stem_id = *stem_ids.entry(stem.into_owned()).or_insert(next);
                    let id = spellings.len() as u32;
                    spellings.push((buf.clone(), stem_id, 0));
                    spelling_ids.insert(buf.clone(), id);
                    id
                }
            };
            let entry = &mut spellings[spelling as usize];
            entry.2 += 1;
            let stem = entry.1;
            scratch.push(intern(
                (u64::from(stem) << 32) | u64::from(UNIGRAM),
                &mut term_keys,
                &mut df,
            ));
            if let Some(p) = prev.filter(|&p| p != stem) {
                scratch.push(intern(
                    (u64::from(p) << 32) | u64::from(stem),
                    &mut term_keys,
                    &mut df,
                ));
            }
            prev = Some(stem);
        }
        scratch.sort_unstable();
        for run in scratch.chunk_by(|a, b| a == b) {
            df[run[0] as usize] += 1;
        }
        doc_terms.extend_from_slice(&scratch);
        doc_offsets.push(doc_terms.len());
    }
    progress(items.len(), items.len());
    Counted {
        doc_terms,
        doc_offsets,
        term_keys,
        df,
        spellings,
        stems: stem_ids.len(),
    }
}
