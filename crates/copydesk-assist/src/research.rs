//! Research synthesis: the themes in many short texts (reviews, support tickets, survey
//! answers, interview notes), how many texts each covers, representative quotes, and the
//! emotions and hesitations they show — without a model, so it runs offline on any amount of
//! customer text and gives the same answer every time.
//!
//! Texts become TF-IDF vectors (`vectorise`). Themes are found on a sample by average-linkage
//! agglomerative clustering cut at a similarity threshold (`agglomerate`), so the number of
//! themes follows from the data; every text then joins the theme whose texts it is on average
//! most similar to (`assign`). Texts not similar enough to any theme, and themes too small to
//! matter, are reported as unclustered rather than forced into a theme. Themes are named by
//! their most distinctive phrases (`label`) and read for emotion cues (`emotion`).

mod agglomerate;
mod assign;
mod emotion;
mod error;
mod label;
mod parse;
mod rng;
mod vectorise;

use std::collections::HashMap;

use serde::Serialize;

pub use emotion::Emotion;
pub use error::ResearchError;
pub use parse::{parse_items, Item, ItemFormat, TEXT_COLUMNS};

use assign::Centres;
use emotion::{Found, Lexicon};
use rng::Rng;
use vectorise::{Limits, Matrix, Vocabulary};

/// How themes are found. The defaults suit anything from a few hundred to 100,000 short texts.
#[derive(Debug, Clone, PartialEq)]
pub struct ResearchOptions {
    /// Seed of the sample draw; the same seed and input give the same themes.
    pub seed: u64,
    /// How many texts themes are found on. Agglomerative clustering needs every pairwise
    /// similarity (4 bytes each), so memory grows with the square of this: 3,000 is 36 MB.
    pub sample_size: usize,
    /// Two groups of texts are one theme while their texts are on average at least this
    /// similar (cosine, 0..1). Lower gives fewer, broader themes; higher, more and narrower.
    /// The default suits texts of a sentence or two (reviews, ticket subjects, survey
    /// answers); texts of several paragraphs share more words with everything and need more.
    pub merge_similarity: f32,
    /// A text whose average similarity to the texts of its nearest theme (its similarity to the
    /// theme's centre) is below this is unclustered; by default the same as `merge_similarity`,
    /// the bar the theme's own texts had to clear.
    pub min_similarity: f32,
    /// The most themes reported (the largest are kept).
    pub max_themes: usize,
    /// The largest vocabulary (unigrams and bigrams, most frequent first).
    pub max_vocabulary: usize,
    /// The smallest theme; `None` means max(3, 1% of the items).
    pub min_theme_size: Option<usize>,
}

impl Default for ResearchOptions {
    fn default() -> Self {
        Self {
            seed: 0x00c0_ffee,
            sample_size: 3000,
            merge_similarity: 0.045,
            min_similarity: 0.045,
            max_themes: 30,
            max_vocabulary: 20_000,
            min_theme_size: None,
        }
    }
}

/// The step `synthesize` is on, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Building TF-IDF vectors; counts items.
    Vectorising,
    /// Clustering the sample, then assigning every item; counts sample items, then items.
    Clustering,
    /// Keyphrases, quotes and emotions; counts themes.
    Labelling,
}

/// What the texts say, theme by theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Synthesis {
    /// How many items were analysed.
    pub items: usize,
    /// Themes, largest first.
    pub themes: Vec<Theme>,
    /// How many items belong to no theme.
    pub unclustered: usize,
    /// The ids of those items, for a caller that lists them (not serialised: it can be most of
    /// a large input).
    #[serde(skip)]
    pub unclustered_ids: Vec<usize>,
    /// Emotions over all items, most frequent first.
    pub emotions: Vec<EmotionCount>,
    /// How the themes were found, so a reader can judge them.
    pub method: Method,
}

/// One theme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    /// The theme's most distinctive phrase, as customers wrote it ("battery life").
    pub label: String,
    /// Up to six distinctive phrases, the label first.
    pub keyphrases: Vec<String>,
    /// How many items the theme covers.
    pub count: usize,
    /// `count / items`, rounded to three decimals.
    pub share: f64,
    /// Two or three representative items (most similar to the theme's centre), at most about
    /// 200 characters each.
    pub quotes: Vec<String>,
    /// The ids of the quoted items, in the order of `quotes`.
    pub quote_ids: Vec<usize>,
    /// Emotions in the theme's items, most frequent first.
    pub emotions: Vec<EmotionCount>,
    /// Mean similarity of the items to the theme's centre, i.e. of an item to the theme's
    /// texts (0..1): how tight the theme is.
    pub cohesion: f64,
    /// The ids of every item in the theme (not serialised: a summary should stay small).
    #[serde(skip)]
    pub item_ids: Vec<usize>,
}

/// How many items show an emotion, and the cues that were counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmotionCount {
    pub emotion: Emotion,
    /// Items with at least one cue of this emotion.
    pub count: usize,
    /// `count` over the items of the theme (or all items), rounded to three decimals.
    pub share: f64,
    /// The most frequent cues, up to five.
    pub cues: Vec<String>,
}

/// The numbers behind the themes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    /// Unigrams and bigrams kept as features.
    pub vocabulary: usize,
    /// Items the themes were found on (those with at least one feature, up to the sample size).
    pub sample: usize,
    /// Groups of the sample at or above the minimum theme size (scaled to the sample) before
    /// items were assigned.
    pub candidates: usize,
    /// The similarity at which the sample's dendrogram was cut.
    pub merge_similarity: f64,
    /// Items less similar than this to their nearest theme were unclustered.
    pub min_similarity: f64,
    /// Themes smaller than this were dropped.
    pub min_theme_size: usize,
}

/// Finds the themes in `items`. Never fails: texts with nothing to cluster on, and inputs too
/// small or too uniform to have themes, come back unclustered. `progress` is called with the
/// stage, units done and units in the stage.
pub fn synthesize(
    items: &[Item],
    options: &ResearchOptions,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Synthesis {
    let n = items.len();
    let min_theme_size = options.min_theme_size.unwrap_or(3.max(n.div_ceil(100)));
    let limits = Limits {
        max_features: options.max_vocabulary,
        min_df: 2.max(n / 10_000),
        max_df_share: 0.5,
    };
    let (matrix, vocab) = vectorise::vectorise(items, &limits, &mut |d, t| {
        progress(Stage::Vectorising, d, t);
    });
    let rows: Vec<usize> = (0..n).filter(|&i| !matrix.row(i).0.is_empty()).collect();

    // themes on the sample
    let sample = sample(&rows, options.sample_size, options.seed);
    let steps = sample.len() + rows.len();
    let groups = agglomerate::groups(&matrix, &sample, options.merge_similarity, &mut |d, _| {
        progress(Stage::Clustering, d, steps);
    });
    // a group must be big enough to reach the minimum theme size at the sample's scale
    let sample_min = min_theme_size
        .saturating_mul(sample.len())
        .div_ceil(rows.len().max(1))
        .max(2);
    let candidates: Vec<Vec<usize>> = groups
        .into_iter()
        .filter(|g| g.len() >= sample_min)
        .take(options.max_themes)
        .map(|g| g.into_iter().map(|i| sample[i]).collect())
        .collect();

    // every item to its nearest theme
    let centres = Centres::new(&matrix, &candidates);
    let mut members: Vec<Vec<(usize, f32)>> = vec![Vec::new(); candidates.len()];
    let mut scores = Vec::new();
    for (done, &row) in rows.iter().enumerate() {
        if done % 4096 == 0 {
            progress(Stage::Clustering, sample.len() + done, steps);
        }
        if let Some((t, similarity)) = centres.nearest(&matrix, row, &mut scores) {
            if similarity >= options.min_similarity {
                members[t].push((row, similarity));
            }
        }
    }
    progress(Stage::Clustering, steps, steps);
    members.retain(|m| !m.is_empty() && m.len() >= min_theme_size);
    members.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].0.cmp(&b[0].0)));

    let method = Method {
        vocabulary: vocab.len(),
        sample: sample.len(),
        candidates: candidates.len(),
        merge_similarity: round3(f64::from(options.merge_similarity)),
        min_similarity: round3(f64::from(options.min_similarity)),
        min_theme_size,
    };

    let labeller = Labeller::new(items, &matrix, &vocab, &rows);
    let mut themes = Vec::with_capacity(members.len());
    let mut in_theme = vec![false; n];
    for (t, theme) in members.iter().enumerate() {
        progress(Stage::Labelling, t, members.len() + 1);
        for &(row, _) in theme {
            in_theme[row] = true;
        }
        themes.push(labeller.theme(theme));
    }
    let unclustered_ids: Vec<usize> = (0..n)
        .filter(|&i| !in_theme[i])
        .map(|i| items[i].id)
        .collect();
    let all: Vec<usize> = (0..n).collect();
    let emotions = labeller.emotions(&all);
    progress(Stage::Labelling, members.len() + 1, members.len() + 1);

    Synthesis {
        items: n,
        themes,
        unclustered: unclustered_ids.len(),
        unclustered_ids,
        emotions,
        method,
    }
}

/// At most `size` of `rows`, drawn without replacement and kept in their original order.
fn sample(rows: &[usize], size: usize, seed: u64) -> Vec<usize> {
    if rows.len() <= size {
        return rows.to_vec();
    }
    let mut rng = Rng::new(seed);
    let mut pool = rows.to_vec();
    for i in 0..size {
        let j = i + rng.below(pool.len() - i);
        pool.swap(i, j);
    }
    pool.truncate(size);
    pool.sort_unstable();
    pool
}

/// What naming themes needs: the matrix, the vocabulary, each feature's document frequency
/// over all clustered rows, and each item's emotion cues.
struct Labeller<'a> {
    items: &'a [Item],
    matrix: &'a Matrix,
    vocab: &'a Vocabulary,
    df_all: Vec<u32>,
    rows_all: usize,
    found: Vec<Found>,
}

impl<'a> Labeller<'a> {
    fn new(items: &'a [Item], matrix: &'a Matrix, vocab: &'a Vocabulary, rows: &[usize]) -> Self {
        let mut df_all = vec![0u32; matrix.features()];
        for &row in rows {
            for &f in matrix.row(row).0 {
                df_all[f as usize] += 1;
            }
        }
        let lexicon = Lexicon::new();
        let found = items.iter().map(|item| lexicon.scan(&item.text)).collect();
        Self {
            items,
            matrix,
            vocab,
            df_all,
            rows_all: rows.len(),
            found,
        }
    }

    fn theme(&self, members: &[(usize, f32)]) -> Theme {
        let rows: Vec<usize> = members.iter().map(|&(r, _)| r).collect();
        let phrases = label::keyphrases(
            self.matrix,
            self.vocab,
            &rows,
            &self.df_all,
            self.rows_all,
            6,
        );
        let keyphrases: Vec<String> = phrases.iter().map(|&f| self.vocab.display(f)).collect();
        let candidates: Vec<(&str, f32, usize)> = members
            .iter()
            .map(|&(r, s)| (self.items[r].text.as_str(), s, self.items[r].id))
            .collect();
        let (quote_ids, quotes) = label::quotes(&candidates, 3).into_iter().unzip();
        let count = members.len();
        let cohesion = members.iter().map(|&(_, s)| f64::from(s)).sum::<f64>() / count as f64;
        Theme {
            label: keyphrases.first().cloned().unwrap_or_default(),
            keyphrases,
            count,
            share: round3(count as f64 / self.items.len() as f64),
            quotes,
            quote_ids,
            emotions: self.emotions(&rows),
            cohesion: round3(cohesion),
            item_ids: rows.iter().map(|&r| self.items[r].id).collect(),
        }
    }

    /// Emotion counts over the items at `rows`, most frequent first (ties in [`Emotion`] order).
    fn emotions(&self, rows: &[usize]) -> Vec<EmotionCount> {
        let mut out = Vec::new();
        for emotion in Emotion::ALL {
            let mut count = 0;
            let mut cues: HashMap<&str, usize> = HashMap::new();
            for &r in rows {
                let found = &self.found[r];
                if found.has(emotion) {
                    count += 1;
                    for cue in found.cues(emotion) {
                        *cues.entry(cue.as_str()).or_default() += 1;
                    }
                }
            }
            if count == 0 {
                continue;
            }
            let mut cues: Vec<(&str, usize)> = cues.into_iter().collect();
            cues.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            out.push(EmotionCount {
                emotion,
                count,
                share: round3(count as f64 / rows.len() as f64),
                cues: cues
                    .into_iter()
                    .take(5)
                    .map(|(c, _)| c.to_owned())
                    .collect(),
            });
        }
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.emotion.cmp(&b.emotion)));
        out
    }
}

/// Rounds to three decimals, enough for a share or a similarity and stable in JSON.
fn round3(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1000.0).round() / 1000.0
    } else {
        0.0
    }
}
