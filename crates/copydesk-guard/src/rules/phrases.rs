//! Literal phrase lists matched in one pass: every literal from every rule goes into one
//! trie, walked from each place a match on word boundaries can start, with word-boundary and
//! case checks after the match.

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
    /// Trie group id → the patterns sharing that text (case-folded).
    groups: Vec<Vec<usize>>,
    trie: Trie,
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
        self.trie = Trie::build(&texts)?;
        Ok(())
    }

    /// The leftmost-longest matches on word boundaries: from left to right, the longest
    /// phrase (ASCII case ignored) starting at each place; where that match is inside a word,
    /// or no pattern of its text matches the case, the search goes on from the next
    /// character, else from the match's end. Where several rules list the same text, each
    /// gets a hit.
    ///
    /// Two facts keep this to about one look-up per word instead of an automaton step per
    /// byte. A match whose first character continues a word never passes the boundary check,
    /// so only the starts of words and characters outside words are tried. And a match that
    /// starts a word and passes the check spans that whole word, which is then the first word
    /// of its phrase, so a word that starts no phrase is skipped after one hash look-up.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        if self.trie.is_empty() {
            return hits;
        }
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            let (word, len) = if b < 0x80 {
                (FOLDED_WORD_BYTE[usize::from(b)] != 0, 1)
            } else {
                text[at..]
                    .chars()
                    .next()
                    .map_or((false, 1), |c| (is_word(c), c.len_utf8()))
            };
            // here the character before `at` is never a word character: words are passed
            // whole, and a match ending in a word character is followed by none
            let (found, skip_to) = if word {
                let (run_end, hash) = first_word(text, at);
                let found = self
                    .trie
                    .after_first_word(&bytes[at..run_end], hash)
                    .and_then(|node| self.trie.longest_from(bytes, node, run_end));
                (found, run_end)
            } else {
                (self.trie.longest(bytes, at), at + len)
            };
            if let Some((end, group)) = found {
                if self.hits_at(text, at, end, group, &mut hits) {
                    at = end;
                    continue;
                }
            }
            at = skip_to;
        }
        // one hit per rule and place
        hits.sort_by_key(|h| (h.start, h.rule, h.entry));
        hits.dedup_by(|a, b| a.start == b.start && a.rule == b.rule);
        hits
    }

    /// Adds a hit for each pattern of `group` that `text[start..end]` matches on word
    /// boundaries and in case; whether there was one.
    fn hits_at(
        &self,
        text: &str,
        start: usize,
        end: usize,
        group: usize,
        hits: &mut Vec<Hit>,
    ) -> bool {
        if !on_boundaries(text, start, end) {
            return false;
        }
        let mut found = false;
        for &i in self.groups.get(group).map_or(&[][..], Vec::as_slice) {
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
        found
    }
}

/// The case-folded phrase texts as a trie, walked anchored: no failure links to build (which
/// was most of the time spent compiling the rules) and none to follow.
#[derive(Debug, Default)]
struct Trie {
    /// The root's children by byte; `NONE` where no text starts with that byte.
    root: Vec<u32>,
    nodes: Vec<Node>,
    /// Every node's children, each node's together and in byte order: (byte, node).
    edges: Vec<(u8, u32)>,
    /// The first words of the texts that start with a word character, by their hash
    /// (`first_word`) in an open-addressing table (hash 0: an empty slot) whose length is a
    /// power of two, each with the node it leads to.
    first_words: Vec<FirstWord>,
    /// The bytes of those first words, which `FirstWord::word` indexes.
    first_word_bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, Default)]
struct FirstWord {
    hash: u64,
    word: (u32, u32),
    node: u32,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// `edges[first_edge..first_edge + edge_count]` are this node's children.
    first_edge: u32,
    edge_count: u32,
    /// The group whose text ends here, or `NONE`.
    group: u32,
}

const NONE: u32 = u32::MAX;

impl Trie {
    /// Builds the trie of `texts`, which are sorted and distinct.
    fn build(texts: &[String]) -> Result<Trie, String> {
        let too_many = || "too many phrase forms for one trie".to_string();
        let id = |n: usize| u32::try_from(n).map_err(|_| too_many());
        let mut nodes = vec![Node {
            first_edge: 0,
            edge_count: 0,
            group: NONE,
        }];
        // (parent, byte, child) in the order made; sorted texts make each node's children
        // in byte order, and a text shares with its predecessor exactly their common prefix
        let mut made: Vec<(u32, u8, u32)> = Vec::new();
        // the nodes along the previous text: path[d] is the node after d bytes
        let mut path: Vec<u32> = vec![0];
        let mut previous: &[u8] = &[];
        for (group, text) in texts.iter().enumerate() {
            let bytes = text.as_bytes();
            let shared = bytes
                .iter()
                .zip(previous)
                .take_while(|(a, b)| a == b)
                .count();
            path.truncate(shared + 1);
            for &b in &bytes[shared..] {
                let parent = path[path.len() - 1];
                let child = id(nodes.len())?;
                nodes.push(Node {
                    first_edge: 0,
                    edge_count: 0,
                    group: NONE,
                });
                made.push((parent, b, child));
                path.push(child);
            }
            if let Some(&end) = path.last() {
                nodes[end as usize].group = id(group)?;
            }
            previous = bytes;
        }
        // group the edges by parent, keeping their order (a counting sort)
        for &(parent, _, _) in &made {
            nodes[parent as usize].edge_count += 1;
        }
        let mut next = 0u32;
        for node in &mut nodes {
            node.first_edge = next;
            next += node.edge_count;
        }
        let mut filled: Vec<u32> = nodes.iter().map(|n| n.first_edge).collect();
        let mut edges = vec![(0u8, 0u32); made.len()];
        for &(parent, b, child) in &made {
            let slot = &mut filled[parent as usize];
            edges[*slot as usize] = (b, child);
            *slot += 1;
        }
        let mut root = vec![NONE; 256];
        if let Some(first) = nodes.first() {
            let from = first.first_edge as usize;
            for &(b, child) in &edges[from..from + first.edge_count as usize] {
                root[usize::from(b)] = child;
            }
        }
        let mut trie = Trie {
            root,
            nodes,
            edges,
            first_words: vec![FirstWord::default(); (texts.len() * 2).next_power_of_two().max(2)],
            first_word_bytes: Vec::new(),
        };
        let mask = trie.first_words.len() - 1;
        for text in texts {
            if !text.chars().next().is_some_and(is_word) {
                continue;
            }
            let (end, hash) = first_word(text, 0);
            let word = &text.as_bytes()[..end];
            if trie.after_first_word(word, hash).is_some() {
                continue;
            }
            let Some(node) = trie.walk(word) else {
                continue;
            };
            let mut slot = hash as usize & mask;
            while trie.first_words[slot].hash != 0 {
                slot = (slot + 1) & mask;
            }
            let from = id(trie.first_word_bytes.len())?;
            trie.first_word_bytes.extend_from_slice(word);
            trie.first_words[slot] = FirstWord {
                hash,
                word: (from, id(word.len())?),
                node,
            };
        }
        Ok(trie)
    }

    /// The node `word` (folded) leads to from the root, when it is the first word of some
    /// text; `hash` is its `first_word` hash.
    fn after_first_word(&self, word: &[u8], hash: u64) -> Option<u32> {
        let mask = self.first_words.len().wrapping_sub(1);
        let mut slot = hash as usize & mask;
        while let Some(entry) = self.first_words.get(slot) {
            if entry.hash == 0 {
                return None;
            }
            if entry.hash == hash {
                let (from, len) = (entry.word.0 as usize, entry.word.1 as usize);
                let known = self.first_word_bytes.get(from..from + len).unwrap_or(&[]);
                if known.len() == word.len()
                    && known
                        .iter()
                        .zip(word)
                        .all(|(k, w)| *k == w.to_ascii_lowercase())
                {
                    return Some(entry.node);
                }
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    /// The node a folded text leads to from the root, if the trie has it.
    fn walk(&self, folded: &[u8]) -> Option<u32> {
        let (&first, rest) = folded.split_first()?;
        let mut node = self.root_child(first)?;
        for &b in rest {
            node = self.child(node, b)?;
        }
        Some(node)
    }

    fn root_child(&self, folded: u8) -> Option<u32> {
        self.root
            .get(usize::from(folded))
            .copied()
            .filter(|&n| n != NONE)
    }

    fn child(&self, node: u32, folded: u8) -> Option<u32> {
        let n = self.nodes[node as usize];
        let from = n.first_edge as usize;
        let children = &self.edges[from..from + n.edge_count as usize];
        if children.len() <= 8 {
            children.iter().find(|e| e.0 == folded).map(|e| e.1)
        } else {
            children
                .binary_search_by_key(&folded, |e| e.0)
                .ok()
                .map(|k| children[k].1)
        }
    }

    fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// The longest text at `bytes[start..]` (ASCII case ignored): its end and group.
    fn longest(&self, bytes: &[u8], start: usize) -> Option<(usize, usize)> {
        let node = self.root_child(bytes.get(start)?.to_ascii_lowercase())?;
        self.longest_from(bytes, node, start + 1)
    }

    /// The longest text through `node`, reached at `bytes[..at]`: its end and group.
    fn longest_from(&self, bytes: &[u8], mut node: u32, at: usize) -> Option<(usize, usize)> {
        let group_at = |node: u32| {
            let group = self.nodes[node as usize].group;
            (group != NONE).then_some(group as usize)
        };
        let mut best = group_at(node).map(|g| (at, g));
        for (i, &b) in bytes.iter().enumerate().skip(at) {
            let Some(next) = self.child(node, b.to_ascii_lowercase()) else {
                break;
            };
            node = next;
            if let Some(group) = group_at(node) {
                best = Some((i + 1, group));
            }
        }
        best
    }
}

/// The end of the run of word characters starting at `start` (a word character) and a hash
/// of its bytes, ASCII letters lower-cased (FNV-1a; never 0, the empty slot).
#[inline]
fn first_word(text: &str, start: usize) -> (usize, u64) {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let bytes = text.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut at = start;
    loop {
        while let Some(&b) = bytes.get(at) {
            let folded = FOLDED_WORD_BYTE[usize::from(b)];
            if folded == 0 {
                break;
            }
            hash = (hash ^ u64::from(folded)).wrapping_mul(PRIME);
            at += 1;
        }
        // past the ASCII word bytes: a non-ASCII word character continues the run
        if bytes.get(at).is_none_or(|b| b.is_ascii()) {
            break;
        }
        let Some(c) = text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .filter(|&c| is_word(c))
        else {
            break;
        };
        for &b in &bytes[at..at + c.len_utf8()] {
            hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
        }
        at += c.len_utf8();
    }
    (at, hash.max(1))
}

/// ASCII word characters (letters, digits, `_`, as `is_word` has them) lower-cased, 0 for the
/// rest.
static FOLDED_WORD_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'_' {
            t[i] = b.to_ascii_lowercase();
        }
        i += 1;
    }
    t
};

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

    /// `find` as the Aho–Corasick search had it: the leftmost place any text matches (ASCII
    /// case ignored), the longest text there; the search goes on from its end when a pattern
    /// of that text hits there, else from the next character.
    fn leftmost_longest_scan(set: &PhraseSet, text: &str) -> Vec<(usize, usize, usize, usize)> {
        let matches_at = |p: &Pattern, at: usize| {
            text.as_bytes()
                .get(at..at + p.text.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(p.text.as_bytes()))
        };
        let mut hits = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let leftmost = (pos..text.len()).find_map(|at| {
                let longest = set.patterns.iter().filter(|p| matches_at(p, at));
                longest
                    .map(|p| at + p.text.len())
                    .max()
                    .map(|end| (at, end))
            });
            let Some((start, end)) = leftmost else {
                break;
            };
            let mut found = false;
            if on_boundaries(text, start, end) {
                for p in &set.patterns {
                    let same_text = p.text.len() == end - start && matches_at(p, start);
                    if same_text && (!p.case_sensitive || text[start..end] == p.text) {
                        found = true;
                        hits.push((start, p.rule, p.entry, end));
                    }
                }
            }
            pos = if found {
                end
            } else {
                start + text[start..].chars().next().map_or(1, char::len_utf8)
            };
        }
        hits.sort();
        hits.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        hits
    }

    #[test]
    fn find_agrees_with_a_leftmost_longest_scan() {
        let mut set = PhraseSet::default();
        let phrases = [
            ("a", false),
            ("A b", true),
            ("a b", false),
            ("ab", false),
            ("b a", false),
            ("b-a", false),
            ("é", false),
            ("aé", false),
            ("_a", false),
            ("#1", false),
            ("1", true),
        ];
        for (entry, &(text, case_sensitive)) in phrases.iter().enumerate() {
            set.add(entry % 3, entry, text, case_sensitive);
        }
        assert_eq!(set.build(), Ok(()));
        // every text of up to five characters from these
        let alphabet = ["a", "A", "b", " ", "-", "é", "_", "#", "1"];
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..5 {
            let mut longer = Vec::with_capacity(texts.len() * alphabet.len());
            for text in &texts {
                for c in alphabet {
                    let text = format!("{text}{c}");
                    let found: Vec<_> = set
                        .find(&text)
                        .iter()
                        .map(|h| (h.start, h.rule, h.entry, h.end))
                        .collect();
                    assert_eq!(found, leftmost_longest_scan(&set, &text), "{text:?}");
                    checked += 1;
                    longer.push(text);
                }
            }
            texts = longer;
        }
        assert!(checked > 60_000, "{checked} texts");
    }

    #[test]
    fn boundaries_respect_words() {
        assert!(on_boundaries("we empower you", 3, 10));
        assert!(!on_boundaries("disempowered", 3, 10));
        assert!(on_boundaries("we are #1 here", 7, 9));
        assert!(!on_boundaries("we are #10 here", 7, 9));
    }
}
