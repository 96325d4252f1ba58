//! Shared text utilities for the offline analyses: splitting prose into words, English stop
//! words and Snowball stemming.
//!
//! Research synthesis and keyword clustering must agree on what a "word" is, or a theme's
//! keyphrase and a keyword cluster's head would be compared on different terms; so both use
//! these functions and nothing else.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer as Snowball};

/// One word of a text: a byte range of the original, and whether punctuation separates it from
/// the word before (so a bigram never spans two clauses: "fast. Support" is not a phrase).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    pub clause_start: bool,
}

/// The words of `text`: maximal runs of letters and digits, with apostrophes inside a word kept
/// ("don't", "customer's") so contractions stay one token and can be matched as stop words.
pub(crate) fn words(text: &str) -> Words<'_> {
    Words {
        text,
        pos: 0,
        clause_start: true,
    }
}

/// Iterator returned by [`words`].
pub(crate) struct Words<'a> {
    text: &'a str,
    pos: usize,
    clause_start: bool,
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        let base = self.pos;
        let mut chars = self.text.get(base..)?.char_indices().peekable();
        let mut start = None;
        for (i, c) in chars.by_ref() {
            if c.is_alphanumeric() {
                start = Some(base + i);
                break;
            }
            if is_clause_break(c) {
                self.clause_start = true;
            }
        }
        let Some(start) = start else {
            self.pos = self.text.len();
            return None;
        };
        let mut end = self.text.len();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                continue;
            }
            // an apostrophe belongs to the word only when a letter or digit follows it
            if is_apostrophe(c) && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric()) {
                continue;
            }
            end = base + i;
            break;
        }
        self.pos = end;
        let clause_start = std::mem::replace(&mut self.clause_start, false);
        Some(Word {
            start,
            end,
            clause_start,
        })
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '\n'
            | '|'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{2014}'
            | '\u{2026}'
    )
}

/// Writes `word` lower-cased into `out` (cleared first), with curly apostrophes straightened and
/// a trailing possessive "'s" dropped, so "Customer’s" and "customers'" meet "customer".
pub(crate) fn normalise_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    if out.ends_with("'s") && out.len() > 2 {
        out.truncate(out.len() - 2);
    }
}

/// The lower-cased words of `text`, for callers that do not need byte ranges.
pub(crate) fn lower_words(text: &str) -> Vec<String> {
    let mut buf = String::new();
    words(text)
        .map(|w| {
            normalise_into(&text[w.start..w.end], &mut buf);
            buf.clone()
        })
        .collect()
}

/// Whether a lower-cased word carries no topic: function words, pronouns, auxiliaries, the
/// fillers every customer text has ("really", "just") and verbs that go with any topic ("took",
/// "kept", "make"), which would otherwise tie "the delivery took weeks" to "setup took hours",
/// and number words ("two weeks" and "two hours" say nothing in common).
/// Negations are stop words here too; the emotion lexicon reads them separately.
pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Whether a word can name a topic at all: two characters or more and not only digits
/// ("2", "10" and "2024" say nothing about a theme).
pub(crate) fn is_content_word(word: &str) -> bool {
    word.chars().count() >= 2 && !word.chars().all(|c| c.is_ascii_digit()) && !is_stop_word(word)
}

/// Where a CSV reader stopped (the 1-based line, 0 when unknown) and why, in words: a ragged
/// row says how many fields the header has and how many the row has.
pub(crate) fn csv_problem(err: &csv::Error) -> (usize, String) {
    let line = err.position().map_or(0, |p| p.line() as usize);
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields like the header, found {len}"),
        _ => err.to_string(),
    };
    (line, message)
}

/// `text` with its first character upper-cased.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// English Snowball ("Porter 2") stemming, so "charging", "charged" and "charges" are one term.
pub(crate) struct Stemmer(Snowball);

impl Stemmer {
    pub(crate) fn english() -> Self {
        Self(Snowball::create(Algorithm::English))
    }

    pub(crate) fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        self.0.stem(word)
    }
}

/// Sorted, so [`is_stop_word`] is a binary search (checked by a test).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "actually",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "came",
    "can",
    "can't",
    "cannot",
    "come",
    "comes",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "dozen",
    "during",
    "each",
    "eight",
    "either",
    "eleven",
    "else",
    "enough",
    "etc",
    "even",
    "ever",
    "every",
    "few",
    "five",
    "for",
    "four",
    "from",
    "further",
    "gave",
    "get",
    "gets",
    "getting",
    "give",
    "given",
    "gives",
    "go",
    "goes",
    "going",
    "gone",
    "got",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "hundred",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it'd",
    "it'll",
    "it's",
    "its",
    "itself",
    "just",
    "keep",
    "keeps",
    "kept",
    "knew",
    "know",
    "least",
    "less",
    "let",
    "let's",
    "like",
    "lot",
    "lots",
    "made",
    "make",
    "makes",
    "many",
    "may",
    "maybe",
    "me",
    "might",
    "mine",
    "more",
    "most",
    "much",
    "must",
    "mustn't",
    "my",
    "myself",
    "need",
    "needed",
    "needs",
    "never",
    "nine",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "otherwise",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "perhaps",
    "please",
    "pretty",
    "put",
    "puts",
    "quite",
    "rather",
    "really",
    "said",
    "same",
    "say",
    "says",
    "seem",
    "seemed",
    "seems",
    "seven",
    "she",
    "she'd",
    "she'll",
    "should",
    "shouldn't",
    "since",
    "six",
    "so",
    "some",
    "somehow",
    "something",
    "sometimes",
    "still",
    "such",
    "take",
    "taken",
    "takes",
    "taking",
    "ten",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "thing",
    "things",
    "think",
    "thirty",
    "this",
    "those",
    "though",
    "thought",
    "thousand",
    "three",
    "through",
    "thus",
    "to",
    "too",
    "took",
    "tried",
    "tries",
    "truly",
    "try",
    "twelve",
    "twenty",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "want",
    "wanted",
    "wants",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "well",
    "went",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won't",
    "would",
    "wouldn't",
    "yes",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_and_unique() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_keep_contractions_and_mark_clause_starts() {
        let text = "Don't wait. The customer’s “battery” life, sadly... ok";
        let got: Vec<(&str, bool)> = words(text)
            .map(|w| (&text[w.start..w.end], w.clause_start))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Don't", true),
                ("wait", false),
                ("The", true),
                ("customer’s", false),
                ("battery", true),
                ("life", true),
                ("sadly", true),
                ("ok", true),
            ]
        );
    }

    #[test]
    fn trailing_apostrophe_is_not_part_of_a_word() {
        let text = "the users' guide";
        let got: Vec<&str> = words(text).map(|w| &text[w.start..w.end]).collect();
        assert_eq!(got, vec!["the", "users", "guide"]);
    }

    #[test]
    fn normalising_lowercases_and_drops_possessives() {
        let mut out = String::new();
        normalise_into("Customer’s", &mut out);
        assert_eq!(out, "customer");
        normalise_into("ÉTÉ", &mut out);
        assert_eq!(out, "été");
    }

    #[test]
    fn stemming_joins_inflections() {
        let s = Stemmer::english();
        assert_eq!(s.stem("charging"), s.stem("charged"));
        assert_eq!(s.stem("prices"), s.stem("price"));
    }

    #[test]
    fn content_words_exclude_numbers_and_stop_words() {
        assert!(is_content_word("battery"));
        assert!(!is_content_word("2024"));
        assert!(!is_content_word("the"));
        assert!(!is_content_word("x"));
    }
}
