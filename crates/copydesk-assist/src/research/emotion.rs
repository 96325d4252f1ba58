//! Emotions and hesitations by lexicon: a few dozen cue words and phrases per kind, matched on
//! lower-cased words. Crude on purpose: a reader sees which cues were counted and can judge
//! them, which a model's score would not allow.
//!
//! A negated delight cue ("not happy", "never great") counts as frustration; a negated cue of
//! any other kind ("not confusing") counts as nothing.

use serde::Serialize;

use crate::text::{normalise_into, words};

/// What a customer text shows about how its writer feels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Emotion {
    Frustration,
    Delight,
    Confusion,
    /// Worry, doubt and reasons not to buy or switch ("not sure", "too expensive").
    Hesitation,
}

impl Emotion {
    pub const ALL: [Emotion; 4] = [
        Emotion::Frustration,
        Emotion::Delight,
        Emotion::Confusion,
        Emotion::Hesitation,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// Cue phrases of one to three words, lower case, apostrophes straight.
const CUES: &[(&str, Emotion)] = {
    use Emotion::{Confusion as C, Delight as D, Frustration as F, Hesitation as H};
    &[
        ("frustrated", F),
        ("frustrating", F),
        ("frustration", F),
        ("annoyed", F),
        ("annoying", F),
        ("angry", F),
        ("furious", F),
        ("terrible", F),
        ("awful", F),
        ("horrible", F),
        ("useless", F),
        ("worst", F),
        ("hate", F),
        ("hated", F),
        ("ridiculous", F),
        ("unacceptable", F),
        ("disappointed", F),
        ("disappointing", F),
        ("fed up", F),
        ("waste of", F),
        ("sucks", F),
        ("rubbish", F),
        ("pathetic", F),
        ("infuriating", F),
        ("irritating", F),
        ("never again", F),
        ("still waiting", F),
        ("fix this", F),
        ("joke", F),
        ("nightmare", F),
        ("unhappy", F),
        ("upset", F),
        ("love", D),
        ("loved", D),
        ("loving", D),
        ("amazing", D),
        ("awesome", D),
        ("great", D),
        ("fantastic", D),
        ("excellent", D),
        ("delighted", D),
        ("happy", D),
        ("perfect", D),
        ("wonderful", D),
        ("brilliant", D),
        ("impressed", D),
        ("superb", D),
        ("enjoy", D),
        ("enjoying", D),
        ("thrilled", D),
        ("glad", D),
        ("pleased", D),
        ("favourite", D),
        ("favorite", D),
        ("game changer", D),
        ("lifesaver", D),
        ("thank you", D),
        ("thanks", D),
        ("recommend", D),
        ("works great", D),
        ("confused", C),
        ("confusing", C),
        ("unclear", C),
        ("don't understand", C),
        ("doesn't make sense", C),
        ("no idea", C),
        ("can't figure", C),
        ("couldn't figure", C),
        ("hard to find", C),
        ("baffled", C),
        ("puzzled", C),
        ("not clear", C),
        ("makes no sense", C),
        ("how do i", C),
        ("where do i", C),
        ("what does", C),
        ("no clue", C),
        ("not obvious", C),
        ("not intuitive", C),
        ("unintuitive", C),
        ("not sure", H),
        ("unsure", H),
        ("worried", H),
        ("worry", H),
        ("worries", H),
        ("concerned", H),
        ("concern", H),
        ("concerns", H),
        ("hesitant", H),
        ("hesitate", H),
        ("hesitating", H),
        ("expensive", H),
        ("pricey", H),
        ("overpriced", H),
        ("too complicated", H),
        ("too complex", H),
        ("switching cost", H),
        ("switching costs", H),
        ("risky", H),
        ("afraid", H),
        ("nervous", H),
        ("doubt", H),
        ("doubts", H),
        ("skeptical", H),
        ("sceptical", H),
        ("on the fence", H),
        ("second thoughts", H),
        ("might cancel", H),
        ("thinking of cancelling", H),
        ("thinking of canceling", H),
        ("not convinced", H),
        ("can't afford", H),
        ("cost too much", H),
        ("costs too much", H),
        ("too much money", H),
        ("not worth", H),
        ("cheaper", H),
    ]
};

const NEGATORS: &[&str] = &[
    "not", "never", "no", "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't",
    "hardly", "barely", "nothing", "won't", "can't", "couldn't",
];

/// Emotion cues found in one text: per emotion, the cue phrases (negated delight shows as
/// "not <cue>").
#[derive(Debug, Default, Clone)]
pub(super) struct Found {
    pub cues: [Vec<String>; 4],
}

impl Found {
    pub(super) fn has(&self, e: Emotion) -> bool {
        !self.cues[e.index()].is_empty()
    }

    pub(super) fn cues(&self, e: Emotion) -> &[String] {
        &self.cues[e.index()]
    }
}

/// The cue lexicon, ready to match.
pub(super) struct Lexicon {
    by_phrase: std::collections::HashMap<&'static str, Emotion>,
}

impl Lexicon {
    pub(super) fn new() -> Self {
        Self {
            by_phrase: CUES.iter().copied().collect(),
        }
    }

    /// The cues in `text`: the longest cue starting at each word wins, and words inside a
    /// matched cue do not start another. A negation reaches two words ahead within its clause.
    pub(super) fn scan(&self, text: &str) -> Found {
        let mut buf = String::new();
        let mut clause = 0;
        // each word with the index of the first word of its clause
        let (words, clause_of): (Vec<String>, Vec<usize>) = words(text)
            .enumerate()
            .map(|(i, w)| {
                if w.clause_start {
                    clause = i;
                }
                normalise_into(&text[w.start..w.end], &mut buf);
                (buf.clone(), clause)
            })
            .unzip();
        let mut found = Found::default();
        let mut phrase = String::new();
        let mut i = 0;
        while i < words.len() {
            let mut matched = None;
            for len in (1..=3).rev() {
                if i + len > words.len() {
                    continue;
                }
                phrase.clear();
                for (n, w) in words[i..i + len].iter().enumerate() {
                    if n > 0 {
                        phrase.push(' ');
                    }
                    phrase.push_str(w);
                }
                if let Some(&e) = self.by_phrase.get(phrase.as_str()) {
                    matched = Some((len, e));
                    break;
                }
            }
            let Some((len, emotion)) = matched else {
                i += 1;
                continue;
            };
            // a cue that itself starts with a negation ("not sure") is not negated again
            let self_negated = NEGATORS.contains(&words[i].as_str());
            let negated = !self_negated
                && words[i.saturating_sub(2).max(clause_of[i])..i]
                    .iter()
                    .any(|w| NEGATORS.contains(&w.as_str()));
            match (emotion, negated) {
                (_, false) => found.cues[emotion.index()].push(phrase.clone()),
                (Emotion::Delight, true) => {
                    found.cues[Emotion::Frustration.index()].push(format!("not {phrase}"));
                }
                (_, true) => {}
            }
            i += len;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_are_lower_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (cue, _) in CUES {
            assert_eq!(*cue, cue.to_lowercase());
            assert!(seen.insert(*cue), "duplicate cue {cue}");
        }
    }

    #[test]
    fn phrases_and_negation() {
        let lex = Lexicon::new();
        let f = lex.scan("Not sure it's worth it, honestly I'm not happy. Too complicated!");
        assert_eq!(
            f.cues[Emotion::Hesitation.index()],
            ["not sure", "too complicated"]
        );
        assert_eq!(f.cues[Emotion::Frustration.index()], ["not happy"]);
        assert!(!f.has(Emotion::Delight));
        let g = lex.scan("The setup was not confusing at all. I love it");
        assert!(!g.has(Emotion::Confusion));
        assert!(g.has(Emotion::Delight));
    }
}
