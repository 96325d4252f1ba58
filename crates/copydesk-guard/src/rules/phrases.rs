//! Literal phrase lists matched in one pass: every literal from every rule goes into one
//! Aho–Corasick automaton, with word-boundary and case checks after the match.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

/// One literal pattern and what it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub rule: usize,
    pub entry: usize,
    pub case_sensitive: bool,
    pub text: String,
}

#[derive(Debug, Default)]
pub(crate) struct PhraseSet {
    pub patterns: Vec<Pattern>,
    /// Automaton pattern id → the patterns sharing that text (case-folded).
    groups: Vec<Vec<usize>>,
    automaton: Option<AhoCorasick>,
}

/// A literal match in prose text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub rule: usize,
    pub entry: usize,
    pub start: usize,
    pub end: usize,
}

impl PhraseSet {
    pub fn add(&mut self, rule: usize, entry: usize, text: &str, case_sensitive: bool) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.patterns.push(Pattern {
            rule,
            entry,
            case_sensitive,
            text: text.to_string(),
        });
    }

    pub fn build(&mut self) -> Result<(), String> {
        self.patterns
            .sort_by_cached_key(|p| (p.text.to_ascii_lowercase(), p.rule, p.entry));
        self.patterns.dedup_by(|a, b| {
            a.rule == b.rule && a.text == b.text && a.case_sensitive == b.case_sensitive
        });
        let mut texts: Vec<String> = Vec::new();
        self.groups.clear();
        for (i, p) in self.patterns.iter().enumerate() {
            let folded = p.text.to_ascii_lowercase();
            if texts.last() != Some(&folded) {
                texts.push(folded);
                self.groups.push(Vec::new());
            }
            if let Some(g) = self.groups.last_mut() {
                g.push(i);
            }
        }
        if texts.is_empty() {
            self.automaton = None;
            return Ok(());
        }
        let ac = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .dense_depth(8)
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .map_err(|e| e.to_string())?;
        self.automaton = Some(ac);
        Ok(())
    }

    /// The leftmost-longest matches on word boundaries. Every pattern of every rule is in
    /// one automaton; where the longest match at a place is inside a word, the search goes on
    /// from the next character. Where several rules list the same text, each gets a hit.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = ac.find(Input::new(text).span(pos..text.len())) else {
                break;
            };
            let (start, end) = (m.start(), m.end());
            let mut found = false;
            if on_boundaries(text, start, end) {
                for &i in self
                    .groups
                    .get(m.pattern().as_usize())
                    .map_or(&[][..], Vec::as_slice)
                {
                    let p = &self.patterns[i];
                    if !p.case_sensitive || text[start..end] == p.text {
                        found = true;
                        hits.push(Hit {
                            rule: p.rule,
                            entry: p.entry,
                            start,
                            end,
                        });
                    }
                }
            }
            pos = if found {
                end
            } else {
                start + text[start..].chars().next().map_or(1, char::len_utf8)
            };
        }
        // one hit per rule and place
        hits.sort_by_key(|h| (h.start, h.rule, h.entry));
        hits.dedup_by(|a, b| a.start == b.start && a.rule == b.rule);
        hits
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A match must not start or end inside a word (where its own edge is a word character).
pub(crate) fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    let (Some(first), Some(last)) = (
        text[start..end].chars().next(),
        text[start..end].chars().next_back(),
    ) else {
        return false;
    };
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return false;
    }
    if is_word(first) && text[..start].chars().next_back().is_some_and(is_word) {
        return false;
    }
    if is_word(last) && text[end..].chars().next().is_some_and(is_word) {
        return false;
    }
    true
}

/// The forms of a list phrase: the first word inflected as a verb, the last pluralised, and
/// hyphens and spaces between words interchangeable.
pub(crate) fn forms(phrase: &str) -> Vec<String> {
    let phrase = phrase.trim().replace(['\u{2019}', '\u{2018}'], "'");
    let words: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = vec![words.join(" ")];
    if let Some(first) = words.first() {
        if first.chars().all(|c| c.is_ascii_alphabetic()) && first.len() > 2 {
            for f in verb_forms(first) {
                let mut w = words.clone();
                w[0] = &f;
                out.push(w.join(" "));
            }
        }
    }
    if let Some(last) = words.last() {
        if last.chars().all(|c| c.is_ascii_alphabetic()) && last.len() > 2 && words.len() > 1 {
            let plural = plural(last);
            let mut w = words.clone();
            let n = w.len() - 1;
            w[n] = &plural;
            out.push(w.join(" "));
        }
    }
    let mut all = Vec::with_capacity(out.len() * 3);
    for form in out {
        if form.contains('-') {
            all.push(form.replace('-', " "));
            all.push(form.replace('-', ""));
        } else if form.matches(' ').count() == 1 {
            all.push(form.replace(' ', "-"));
        }
        all.push(form);
    }
    all.sort();
    all.dedup();
    all
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn verb_forms(word: &str) -> Vec<String> {
    let w = word.as_bytes();
    let n = w.len();
    let last = w[n - 1];
    let stem = &word[..n - 1];
    if word.ends_with("ie") {
        return vec![
            format!("{word}s"),
            format!("{word}d"),
            format!("{}ying", &word[..n - 2]),
        ];
    }
    if last == b'e' {
        return vec![format!("{word}s"), format!("{word}d"), format!("{stem}ing")];
    }
    if last == b'y' && !is_vowel(w[n - 2]) {
        return vec![
            format!("{stem}ies"),
            format!("{stem}ied"),
            format!("{word}ing"),
        ];
    }
    if word.ends_with('s')
        || word.ends_with('x')
        || word.ends_with('z')
        || word.ends_with("ch")
        || word.ends_with("sh")
    {
        return vec![
            format!("{word}es"),
            format!("{word}ed"),
            format!("{word}ing"),
        ];
    }
    let short_cvc = n <= 4
        && !is_vowel(last)
        && !matches!(last, b'w' | b'x' | b'y')
        && is_vowel(w[n - 2])
        && !is_vowel(w[n - 3.min(n)]);
    if short_cvc {
        let l = last as char;
        return vec![
            format!("{word}s"),
            format!("{word}{l}ed"),
            format!("{word}{l}ing"),
        ];
    }
    vec![
        format!("{word}s"),
        format!("{word}ed"),
        format!("{word}ing"),
    ]
}

fn plural(word: &str) -> String {
    let w = word.as_bytes();
    let n = w.len();
    if word.ends_with('s') || word.ends_with('x') || word.ends_with("ch") || word.ends_with("sh") {
        format!("{word}es")
    } else if w[n - 1] == b'y' && !is_vowel(w[n - 2]) {
        format!("{}ies", &word[..n - 1])
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflects_first_word_and_pluralises_last() {
        let f = forms("unlock growth");
        for want in [
            "unlock growth",
            "unlocks growth",
            "unlocked growth",
            "unlocking growth",
            "unlock growths",
            "unlock-growth",
        ] {
            assert!(f.contains(&want.to_string()), "{want} missing from {f:?}");
        }
        let f = forms("streamline your workflow");
        assert!(f.contains(&"streamlining your workflow".to_string()));
        assert!(f.contains(&"streamline your workflows".to_string()));
        let f = forms("game-changer");
        assert!(f.contains(&"game changer".to_string()));
        assert!(f.contains(&"gamechanger".to_string()));
        let f = forms("simplify");
        assert!(f.contains(&"simplifies".to_string()) && f.contains(&"simplified".to_string()));
    }

    #[test]
    fn boundaries_respect_words() {
        assert!(on_boundaries("we empower you", 3, 10));
        assert!(!on_boundaries("disempowered", 3, 10));
        assert!(on_boundaries("we are #1 here", 7, 9));
        assert!(!on_boundaries("we are #10 here", 7, 9));
    }
}
