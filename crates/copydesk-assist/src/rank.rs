//! Relevance of source material to a brief: BM25 over plain word terms. A prompt has room
//! for only so much source text, and the offline outline quotes only the best sentences, so
//! both rank by the same measure.

use std::collections::{HashMap, HashSet};

use copydesk_core::brief::BriefContent;

use crate::text;

/// Lower-cased word terms of at least three letters, stop words (the research vocabulary's)
/// left out, with a crude plural fold ("teams" → "team") so a brief and its sources meet on
/// the same words.
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| w.chars().count() >= 3 && !text::is_stop_word(w))
        .map(|w| fold(&w))
        .collect()
}

fn fold(word: &str) -> String {
    if word.len() > 4 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// The words of a brief that say what it is about: title, audience, problem, beliefs, the
/// understanding sought and the claims.
pub fn brief_terms(brief: &BriefContent) -> Vec<String> {
    let mut text = [
        brief.title.as_str(),
        &brief.audience,
        &brief.problem,
        &brief.current_beliefs,
        &brief.desired_understanding,
    ]
    .join(" ");
    for claim in &brief.claims {
        text.push(' ');
        text.push_str(&claim.claim);
        text.push(' ');
        text.push_str(&claim.proof);
    }
    terms(&text)
}

/// BM25 scores of `documents` for `query` (k1 = 1.2, b = 0.75), in document order.
pub fn bm25(query: &[String], documents: &[Vec<String>]) -> Vec<f64> {
    let n = documents.len();
    if n == 0 {
        return Vec::new();
    }
    let query: HashSet<&str> = query.iter().map(String::as_str).collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for doc in documents {
        let seen: HashSet<&str> = doc
            .iter()
            .map(String::as_str)
            .filter(|t| query.contains(t))
            .collect();
        for t in seen {
            *df.entry(t).or_default() += 1;
        }
    }
    let avg_len = documents.iter().map(Vec::len).sum::<usize>() as f64 / n as f64;
    let (k1, b) = (1.2, 0.75);
    documents
        .iter()
        .map(|doc| {
            let mut tf: HashMap<&str, usize> = HashMap::new();
            for t in doc.iter().map(String::as_str).filter(|t| query.contains(t)) {
                *tf.entry(t).or_default() += 1;
            }
            let len_norm = 1.0 - b + b * doc.len() as f64 / avg_len.max(1.0);
            tf.iter()
                .map(|(t, &f)| {
                    let d = df.get(t).copied().unwrap_or(0) as f64;
                    let idf = ((n as f64 - d + 0.5) / (d + 0.5) + 1.0).ln();
                    let f = f as f64;
                    idf * f * (k1 + 1.0) / (f + k1 * len_norm)
                })
                .sum()
        })
        .collect()
}

/// Indices of `documents` from the most to the least relevant; ties keep their order.
pub fn order(query: &[String], documents: &[Vec<String>]) -> Vec<(usize, f64)> {
    let scores = bm25(query, documents);
    let mut ranked: Vec<(usize, f64)> = scores.into_iter().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// Sentences of a text, for quoting: split after `.`, `!` or `?` followed by a space, and
/// at line breaks.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let bytes = line.as_bytes();
        for (i, &c) in bytes.iter().enumerate() {
            let ends =
                matches!(c, b'.' | b'!' | b'?') && bytes.get(i + 1).is_none_or(|n| *n == b' ');
            if ends {
                push_sentence(&mut out, &line[start..=i]);
                start = i + 1;
            }
        }
        push_sentence(&mut out, &line[start..]);
    }
    out
}

fn push_sentence<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim().trim_start_matches(['>', '-', '*', ' ']).trim();
    if s.split_whitespace().count() >= 3 {
        out.push(s);
    }
}

/// Estimated tokens of a text for budgeting: about four characters per token, the usual
/// rule of thumb for English with BPE tokenizers.
pub fn tokens(text: &str) -> u32 {
    let chars = text.chars().count() as u64;
    u32::try_from(chars.div_ceil(4)).unwrap_or(u32::MAX)
}

/// The longest prefix of `text` within `max_tokens`, cut after a sentence or, failing that,
/// a word, marked with an ellipsis.
pub fn excerpt(text: &str, max_tokens: u32) -> String {
    let max_chars = max_tokens as usize * 4;
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut = text
        .char_indices()
        .nth(max_chars.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let end = head
        .rfind(['.', '!', '?'])
        .filter(|&i| i > cut / 2)
        .map(|i| i + 1)
        .or_else(|| head.rfind(char::is_whitespace))
        .unwrap_or(cut);
    format!("{}…", head[..end].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25_prefers_documents_that_share_rare_terms() {
        let query = terms("payroll reconciliation takes days");
        let docs = vec![
            terms("Our lunch menu changes every week and the days are long."),
            terms("Payroll reconciliation took three days every month end."),
            terms("Nothing to see here at all."),
        ];
        let ranked = order(&query, &docs);
        assert_eq!(ranked[0].0, 1);
        assert!(ranked[0].1 > ranked[1].1);
        assert_eq!(ranked[2].1, 0.0);
    }

    #[test]
    fn excerpts_stay_within_budget_and_end_cleanly() {
        let text = "One two three four. Five six seven eight nine ten eleven twelve.";
        let cut = excerpt(text, 6);
        assert!(cut.chars().count() <= 25, "{cut}");
        assert_eq!(cut, "One two three four.…");
        assert_eq!(excerpt("short", 10), "short");
    }

    #[test]
    fn sentences_split_on_terminal_punctuation_and_lines() {
        let s = sentences("It took days. Really, three days!\n> We tried v2.1 and it broke?");
        assert_eq!(
            s,
            vec![
                "It took days.",
                "Really, three days!",
                "We tried v2.1 and it broke?"
            ]
        );
    }
}
