//! Grouping keywords that one page can serve: the same intent and mostly the same topic words.
//!
//! A keyword's topic is the set of stems of its content words, without intent signals and the
//! brand ("best payroll software" and "payroll software pricing" are both about {payroll,
//! software}). Keywords are split by intent first, since a comparison page and a pricing page
//! are different pages even on one topic; within an intent each keyword, taken in order of
//! volume, joins the group whose first keyword's topic it shares most (Jaccard similarity of
//! at least [`MIN_OVERLAP`]) or starts a group. Comparing with a group's first keyword rather
//! than any member keeps groups from drifting one shared word at a time.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::intent::{guess, is_signal_word, Intent};
use super::Keyword;
use crate::text::{is_content_word, lower_words, Stemmer};

/// The topic overlap (Jaccard) a keyword needs with a group's first keyword to join it.
const MIN_OVERLAP: f64 = 0.5;

/// A group of keywords one page can target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeywordCluster {
    /// The keyword to build the page around: the highest volume, or without volumes the one
    /// sharing most with the others (then the shortest).
    pub head: String,
    /// The likely search intent of the group.
    pub intent: Intent,
    /// The word the intent was read from (the strongest kind of signal in the group, the most
    /// common of that kind), if any.
    pub signal: Option<String>,
    /// Why that intent, in a sentence.
    pub reason: String,
    /// Every keyword of the group, the head first, then by volume.
    pub keywords: Vec<ClusterKeyword>,
    /// Total monthly searches of the keywords with a known volume, if any had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_volume: Option<u64>,
    /// Mean difficulty of the keywords with a known difficulty, if any had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<f64>,
}

/// One keyword of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterKeyword {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<u64>,
}

/// A keyword prepared for clustering.
pub(super) struct Prepared<'a> {
    pub keyword: &'a Keyword,
    pub topic: BTreeSet<String>,
    pub intent: Intent,
    pub signal: Option<String>,
    pub tier: u8,
    pub reason: String,
}

/// Stems of the content words of `words` that are not signals or the brand.
pub(super) fn topic(words: &[String], brand: &[String], stemmer: &Stemmer) -> BTreeSet<String> {
    let mut skip = vec![false; words.len()];
    if !brand.is_empty() {
        for i in 0..words.len() {
            if words.get(i..i + brand.len()) == Some(brand) {
                skip[i..i + brand.len()].fill(true);
            }
        }
    }
    words
        .iter()
        .zip(skip)
        .filter(|(w, skipped)| !skipped && is_content_word(w) && !is_signal_word(w))
        .map(|(w, _)| stemmer.stem(w).into_owned())
        .collect()
}

/// Reads each keyword's words, topic and intent.
pub(super) fn prepare<'a>(
    keywords: &'a [Keyword],
    brand: &[String],
    stemmer: &Stemmer,
) -> Vec<Prepared<'a>> {
    keywords
        .iter()
        .map(|keyword| {
            let words = lower_words(&keyword.text);
            let g = guess(&words, brand);
            Prepared {
                keyword,
                topic: topic(&words, brand, stemmer),
                intent: g.intent,
                signal: g.signal,
                tier: g.tier,
                reason: g.reason,
            }
        })
        .collect()
}

/// Groups prepared keywords; groups come largest total volume first, then most keywords.
pub(super) fn cluster(prepared: &[Prepared<'_>]) -> Vec<KeywordCluster> {
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (prepared[a].keyword, prepared[b].keyword);
        kb.volume
            .cmp(&ka.volume)
            .then(word_count(&ka.text).cmp(&word_count(&kb.text)))
            .then(ka.text.cmp(&kb.text))
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let p = &prepared[i];
        let best = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| prepared[g[0]].intent == p.intent)
            .map(|(gi, g)| (gi, jaccard(&prepared[g[0]].topic, &p.topic)))
            .filter(|&(_, s)| s >= MIN_OVERLAP)
            .fold(None, |best: Option<(usize, f64)>, (gi, s)| match best {
                Some((_, bs)) if bs >= s => best,
                _ => Some((gi, s)),
            });
        match best {
            Some((gi, _)) => groups[gi].push(i),
            None => groups.push(vec![i]),
        }
    }
    let mut clusters: Vec<KeywordCluster> = groups.iter().map(|g| build(prepared, g)).collect();
    clusters.sort_by(|a, b| {
        b.total_volume
            .unwrap_or(0)
            .cmp(&a.total_volume.unwrap_or(0))
            .then(b.keywords.len().cmp(&a.keywords.len()))
            .then(a.head.cmp(&b.head))
    });
    clusters
}

fn build(prepared: &[Prepared<'_>], group: &[usize]) -> KeywordCluster {
    let head = head_of(prepared, group);
    let mut members: Vec<usize> = group.to_vec();
    members.sort_by(|&a, &b| {
        (b == head)
            .cmp(&(a == head))
            .then(prepared[b].keyword.volume.cmp(&prepared[a].keyword.volume))
            .then(prepared[a].keyword.text.cmp(&prepared[b].keyword.text))
    });
    // the strongest kind of signal in the group stands for it, the most common word of that
    // kind (ties: alphabetical)
    let mut signals: HashMap<(u8, &str), usize> = HashMap::new();
    for &i in group {
        if let Some(s) = &prepared[i].signal {
            *signals.entry((prepared[i].tier, s.as_str())).or_default() += 1;
        }
    }
    let chosen = signals
        .into_iter()
        .min_by(|a, b| {
            a.0 .0
                .cmp(&b.0 .0)
                .then(b.1.cmp(&a.1))
                .then(a.0 .1.cmp(b.0 .1))
        })
        .map(|((_, s), _)| s.to_owned());
    let signal = chosen;
    let reason = group
        .iter()
        .find(|&&i| prepared[i].signal == signal)
        .map_or_else(
            || prepared[group[0]].reason.clone(),
            |&i| prepared[i].reason.clone(),
        );
    let volumes: Vec<u64> = group
        .iter()
        .filter_map(|&i| prepared[i].keyword.volume)
        .collect();
    let difficulties: Vec<f64> = group
        .iter()
        .filter_map(|&i| prepared[i].keyword.difficulty)
        .collect();
    KeywordCluster {
        head: prepared[head].keyword.text.clone(),
        intent: prepared[group[0]].intent,
        signal,
        reason,
        keywords: members
            .iter()
            .map(|&i| ClusterKeyword {
                text: prepared[i].keyword.text.clone(),
                volume: prepared[i].keyword.volume,
            })
            .collect(),
        total_volume: (!volumes.is_empty()).then(|| volumes.iter().sum()),
        difficulty: (!difficulties.is_empty()).then(|| {
            let mean = difficulties.iter().sum::<f64>() / difficulties.len() as f64;
            (mean * 10.0).round() / 10.0
        }),
    }
}

/// The head: the highest volume; without volumes, the keyword sharing most with the others,
/// then the shortest, then the alphabetically first.
fn head_of(prepared: &[Prepared<'_>], group: &[usize]) -> usize {
    let centrality = |i: usize| -> f64 {
        group
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| jaccard(&prepared[i].topic, &prepared[j].topic))
            .sum()
    };
    let mut best = group[0];
    for &i in &group[1..] {
        let (a, b) = (prepared[i].keyword, prepared[best].keyword);
        let better = match a.volume.cmp(&b.volume) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => {
                let (ca, cb) = (centrality(i), centrality(best));
                ca > cb + 1e-9
                    || ((ca - cb).abs() <= 1e-9
                        && (a.text.chars().count(), &a.text) < (b.text.chars().count(), &b.text))
            }
        };
        if better {
            best = i;
        }
    }
    best
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Jaccard similarity of two topics; two empty topics (a bare brand, "login") are the same.
pub(super) fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}
