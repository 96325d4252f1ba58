//! FAQ candidates: the questions customers actually asked in the source material (interview
//! notes, tickets, sales calls), ranked by how much they share with the keywords, so the FAQ
//! answers what people search for in their own words.
//!
//! A sentence is a question when it ends with "?", starts with an auxiliary verb ("Can I…",
//! "Does it…", "Is there…"), or starts with a question word followed by an auxiliary or a
//! question-shaped word ("How do…", "What is…", "How much…", "How to…"); "How we built it."
//! is not a question.

use std::collections::BTreeSet;

use serde::Serialize;

use super::cluster::{jaccard, KeywordCluster, Prepared};
use super::SourceText;
use crate::text::{capitalise, is_content_word, lower_words, Stemmer};

/// At most this many candidates are returned.
const MAX_QUESTIONS: usize = 10;

/// One question found in the sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaqCandidate {
    /// The question, whitespace collapsed, ending with "?".
    pub question: String,
    /// The id of the source text it came from.
    pub source: String,
    /// Heads of the keyword groups with a keyword whose topic words (two or more) all appear
    /// in the question.
    pub keywords: Vec<String>,
    /// Topic words shared with the keywords, plus two for each keyword group matched.
    pub score: f64,
}

const AUXILIARIES: &[&str] = &[
    "can", "could", "does", "do", "did", "is", "are", "was", "were", "should", "will", "would",
    "has", "have", "may", "might", "must", "isn't", "doesn't", "don't", "can't", "won't",
];
const QUESTION_WORDS: &[&str] = &[
    "how", "what", "why", "when", "where", "which", "who", "whose",
];
/// Words that make "how …"/"what …" a question rather than a statement ("how much", "how to").
const AFTER_QUESTION_WORD: &[&str] = &[
    "much", "many", "long", "often", "far", "to", "kind", "kinds", "type", "types", "happens",
];

/// The question candidates in `sources`, best first.
pub(super) fn candidates(
    sources: &[SourceText],
    prepared: &[Prepared<'_>],
    clusters: &[KeywordCluster],
    stemmer: &Stemmer,
) -> Vec<FaqCandidate> {
    let head_of: std::collections::HashMap<&str, &str> = clusters
        .iter()
        .flat_map(|c| {
            c.keywords
                .iter()
                .map(|k| (k.text.as_str(), c.head.as_str()))
        })
        .collect();
    let keyword_stems: BTreeSet<&str> = prepared
        .iter()
        .flat_map(|p| p.topic.iter().map(String::as_str))
        .collect();
    let mut found: Vec<(FaqCandidate, BTreeSet<String>, usize)> = Vec::new();
    let mut order = 0;
    for source in sources {
        for sentence in sentences(&source.text) {
            let Some(question) = as_question(&sentence) else {
                continue;
            };
            let words = lower_words(&question);
            let stems: BTreeSet<String> = words
                .iter()
                .filter(|w| is_content_word(w))
                .map(|w| stemmer.stem(w).into_owned())
                .collect();
            let shared = stems
                .iter()
                .filter(|s| keyword_stems.contains(s.as_str()))
                .count();
            // a one-word topic ("payroll") matches too much to say anything
            let mut matched: Vec<String> = Vec::new();
            for p in prepared {
                if p.topic.len() >= 2 && p.topic.is_subset(&stems) {
                    let head = head_of.get(p.keyword.text.as_str()).copied();
                    let head = head.unwrap_or(p.keyword.text.as_str());
                    if !matched.iter().any(|m| m == head) {
                        matched.push(head.to_owned());
                    }
                }
            }
            if !prepared.is_empty() && shared == 0 {
                continue;
            }
            let score = shared as f64 + 2.0 * matched.len() as f64;
            order += 1;
            found.push((
                FaqCandidate {
                    question,
                    source: source.id.clone(),
                    keywords: matched,
                    score,
                },
                stems,
                order,
            ));
        }
    }
    found.sort_by(|a, b| b.0.score.total_cmp(&a.0.score).then(a.2.cmp(&b.2)));
    let mut out: Vec<(FaqCandidate, BTreeSet<String>)> = Vec::new();
    for (candidate, stems, _) in found {
        if out.len() == MAX_QUESTIONS {
            break;
        }
        // the same question asked twice, perhaps worded a little differently
        if out.iter().any(|(_, s)| jaccard(s, &stems) >= 0.8) {
            continue;
        }
        out.push((candidate, stems));
    }
    out.into_iter().map(|(c, _)| c).collect()
}

/// Sentences of a text: split after ".", "!" or "?" followed by a space, and at line breaks;
/// list markers and "Q:" prefixes removed, whitespace collapsed.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
                out.push(std::mem::take(&mut current));
            }
        }
        out.push(current);
    }
    out.into_iter()
        .map(|s| clean(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn clean(s: &str) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut rest = collapsed.as_str();
    loop {
        let before = rest;
        rest = rest.trim_start_matches(['-', '*', '•', '>', ' ']);
        for prefix in ["Q:", "Q.", "Question:"] {
            if let Some(r) = rest.strip_prefix(prefix) {
                rest = r.trim_start();
            }
        }
        // "1." or "2)" list numbers
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            if let Some(r) = rest[digits..]
                .strip_prefix('.')
                .or_else(|| rest[digits..].strip_prefix(')'))
            {
                rest = r.trim_start();
            }
        }
        if rest == before {
            break;
        }
    }
    rest.to_owned()
}

/// The sentence as a question ending in "?", if it is one of 3 to 30 words.
fn as_question(sentence: &str) -> Option<String> {
    let words = lower_words(sentence);
    if !(3..=30).contains(&words.len()) {
        return None;
    }
    let first = words[0].as_str();
    let second = words[1].as_str();
    let asks = sentence.ends_with('?')
        || AUXILIARIES.contains(&first)
        || (QUESTION_WORDS.contains(&first)
            && (AUXILIARIES.contains(&second) || AFTER_QUESTION_WORD.contains(&second)));
    if !asks {
        return None;
    }
    let body = sentence.trim_end_matches(['.', '!', '?', ' ', ',', ';', ':']);
    if body.is_empty() {
        return None;
    }
    Some(format!("{}?", capitalise(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_are_recognised() {
        assert_eq!(
            as_question("how much does payroll cost.").as_deref(),
            Some("How much does payroll cost?")
        );
        assert_eq!(
            as_question("Can I run payroll myself").as_deref(),
            Some("Can I run payroll myself?")
        );
        assert_eq!(as_question("How we built our payroll engine."), None);
        assert_eq!(as_question("Why?"), None);
        assert!(as_question("Payroll is hard, right?").is_some());
    }

    #[test]
    fn sentences_split_and_lose_list_markers() {
        let text = "Intro line. - Q: How do I start?\n2. What is payroll tax? Done";
        assert_eq!(
            sentences(text),
            vec![
                "Intro line.",
                "How do I start?",
                "What is payroll tax?",
                "Done"
            ]
        );
    }
}
