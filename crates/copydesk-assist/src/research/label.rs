//! Naming a theme and choosing its quotes.
//!
//! A keyphrase is a feature that is common in the theme and rare outside it: scored by the
//! share of the theme's documents that contain it minus the share of all other documents that
//! do. A phrase says more than a word, so when the best word has a phrase around it that
//! scores at least [`PHRASE_SHARE`] of the word's score, the phrase names the theme
//! ("battery life" rather than "battery").

use std::collections::HashSet;

use super::vectorise::{Matrix, Term, Vocabulary};
use crate::text::lower_words;

/// How close a bigram's score must come to its best word's for the bigram to be the label.
const PHRASE_SHARE: f64 = 0.3;

/// Quotes longer than this many characters are cut at a word boundary.
const QUOTE_CHARS: usize = 200;

/// The theme's keyphrases, best first, as features of the vocabulary.
pub(super) fn keyphrases(
    m: &Matrix,
    vocab: &Vocabulary,
    members: &[usize],
    df_all: &[u32],
    rows_all: usize,
    max: usize,
) -> Vec<u32> {
    let mut df_in = std::collections::HashMap::<u32, u32>::new();
    for &row in members {
        for &f in m.row(row).0 {
            *df_in.entry(f).or_default() += 1;
        }
    }
    let size = members.len() as f64;
    let rest = (rows_all - members.len()).max(1) as f64;
    let mut scored: Vec<(u32, f64)> = df_in
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(f, n)| {
            let p_in = f64::from(n) / size;
            let p_out = f64::from(df_all[f as usize] - n) / rest;
            (f, p_in - p_out)
        })
        .filter(|&(_, s)| s > 0.0)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

    if let Some(&(top, top_score)) = scored.first() {
        if let Term::Unigram(stem) = vocab.term(top) {
            let phrase = scored.iter().position(|&(f, s)| {
                s >= PHRASE_SHARE * top_score
                    && matches!(vocab.term(f), Term::Bigram(a, b) if a == stem || b == stem)
            });
            if let Some(p) = phrase {
                let promoted = scored.remove(p);
                scored.insert(0, promoted);
            }
        }
    }

    let mut covered: HashSet<u32> = HashSet::new();
    let mut chosen = Vec::new();
    for (f, _) in scored {
        if chosen.len() == max {
            break;
        }
        let keep = match vocab.term(f) {
            Term::Unigram(a) => covered.insert(a),
            Term::Bigram(a, b) => {
                let new = !covered.contains(&a) || !covered.contains(&b);
                if new {
                    covered.insert(a);
                    covered.insert(b);
                }
                new
            }
        };
        if keep {
            chosen.push(f);
        }
    }
    chosen
}

/// Up to `max` representative texts: the members most similar to the theme's centre first,
/// skipping near-repeats of a quote already taken and, while there are enough, texts of fewer
/// than four words. `members` holds each text, its similarity to the centre and its id.
pub(super) fn quotes(members: &[(&str, f32, usize)], max: usize) -> Vec<(usize, String)> {
    let mut order: Vec<&(&str, f32, usize)> = members.iter().collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    let mut taken: Vec<(usize, HashSet<String>)> = Vec::new();
    for min_words in [4, 1] {
        for &&(text, _, id) in &order {
            if taken.len() == max {
                break;
            }
            if taken.iter().any(|(t, _)| *t == id) {
                continue;
            }
            let words: HashSet<String> = lower_words(text).into_iter().collect();
            if words.len() < min_words {
                continue;
            }
            if taken.iter().any(|(_, w)| jaccard(w, &words) >= 0.6) {
                continue;
            }
            taken.push((id, words));
        }
    }
    let by_id: std::collections::HashMap<usize, &str> =
        members.iter().map(|&(t, _, id)| (id, t)).collect();
    taken
        .into_iter()
        .filter_map(|(id, _)| by_id.get(&id).map(|t| (id, trim_quote(t))))
        .collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

/// Collapses whitespace and cuts after the last whole word within [`QUOTE_CHARS`], marking
/// the cut with an ellipsis.
pub(super) fn trim_quote(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= QUOTE_CHARS {
        return collapsed;
    }
    let mut out = String::new();
    for word in collapsed.split(' ') {
        let extra = usize::from(!out.is_empty()) + word.chars().count();
        if out.chars().count() + extra > QUOTE_CHARS - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        // a single word longer than the limit: cut it at a character boundary
        out = collapsed.chars().take(QUOTE_CHARS - 1).collect();
    }
    let trimmed = out.trim_end_matches([',', ';', ':', '-', ' ']).len();
    out.truncate(trimmed);
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quotes_are_cut_between_words() {
        let text = "word ".repeat(100);
        let q = trim_quote(&text);
        assert!(q.chars().count() <= QUOTE_CHARS);
        assert!(q.ends_with("word…"));
        assert_eq!(trim_quote("  short   text "), "short text");
    }

    #[test]
    fn near_repeats_are_not_quoted_twice() {
        let members = [
            ("The battery dies by noon every day", 0.9, 1),
            ("the battery dies by noon every day!", 0.8, 2),
            ("Charging twice a day is no fun at all", 0.7, 3),
        ];
        let q = quotes(&members, 3);
        let ids: Vec<usize> = q.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, vec![1, 3]);
    }
}
