//! The prose of a document as one normalised string — whitespace runs collapsed to one space,
//! curly quotes straightened, blocks separated by a newline — with a map back to the original
//! bytes, so every check matches on clean text and reports exact source spans.

use std::ops::Range;

use crate::document::{BlockKind, Document};

#[derive(Debug)]
pub(crate) struct ProseBlock {
    pub range: Range<usize>,
    pub kind: BlockKind,
    /// Indices into `Prose::sentences`.
    pub sentences: Range<usize>,
}

#[derive(Debug)]
pub(crate) struct Prose<'a> {
    pub text: String,
    /// For each byte of `text`, the offset in the source of the character it came from.
    /// (u32: a document is at most 4 GiB; `Document::parse` keeps to that.)
    map: Vec<u32>,
    pub blocks: Vec<ProseBlock>,
    /// Every sentence of `text`, in order, and the block each belongs to.
    pub sentences: Vec<Range<usize>>,
    pub sentence_block: Vec<usize>,
    /// Every word of `text`, in order.
    words: Vec<Range<usize>>,
    source: &'a str,
}

impl<'a> Prose<'a> {
    pub fn build(doc: &Document<'a>) -> Prose<'a> {
        let source = doc.source;
        let capacity: usize = doc.segments.iter().map(|s| s.range.len() + 1).sum();
        let mut p = Prose {
            text: String::with_capacity(capacity),
            map: Vec::with_capacity(capacity),
            blocks: Vec::new(),
            words: Vec::new(),
            sentences: Vec::new(),
            sentence_block: Vec::new(),
            source,
        };
        let mut current: Option<usize> = None;
        let mut block_start = 0;
        for seg in &doc.segments {
            if current != Some(seg.block) {
                if let Some(block) = current {
                    p.close_block(block_start, doc.blocks[block]);
                }
                if !p.text.is_empty() {
                    p.text.push('\n');
                    p.map.push(offset(seg.range.start));
                }
                block_start = p.text.len();
                current = Some(seg.block);
            } else if !p.text.ends_with(' ') && p.text.len() > block_start {
                p.text.push(' ');
                p.map.push(offset(seg.range.start));
            }
            p.push_segment(seg.range.clone(), block_start);
        }
        if let Some(block) = current {
            p.close_block(block_start, doc.blocks[block]);
        }
        p.words = words(&p.text, 0..p.text.len());
        p
    }

    /// The words inside `range` of `text`.
    pub fn words_in(&self, range: Range<usize>) -> &[Range<usize>] {
        let from = self.words.partition_point(|w| w.start < range.start);
        let to = self.words.partition_point(|w| w.end <= range.end);
        &self.words[from..to.max(from)]
    }

    fn push_segment(&mut self, range: Range<usize>, block_start: usize) {
        let text = &self.source[range.clone()];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let run = i;
            // a run of plain ASCII is copied whole
            while i < bytes.len() && bytes[i] < 0x80 && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i > run {
                self.text.push_str(&text[run..i]);
                self.map
                    .extend(offset(range.start + run)..offset(range.start + i));
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let at = range.start + i;
            i += c.len_utf8();
            if c.is_whitespace() {
                if self.text.len() > block_start && !self.text.ends_with(' ') {
                    self.text.push(' ');
                    self.map.push(offset(at));
                }
                continue;
            }
            let c = match c {
                '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
                '\u{201c}' | '\u{201d}' => '"',
                c => c,
            };
            let before = self.text.len();
            self.text.push(c);
            self.map
                .extend(std::iter::repeat_n(offset(at), self.text.len() - before));
        }
    }

    fn close_block(&mut self, start: usize, kind: BlockKind) {
        while self.text.len() > start && self.text.ends_with(' ') {
            self.text.pop();
            self.map.pop();
        }
        if self.text.len() == start {
            // an empty block: drop its separator too
            if start > 0 && self.text.ends_with('\n') {
                self.text.pop();
                self.map.pop();
            }
            return;
        }
        let range = start..self.text.len();
        let first = self.sentences.len();
        let block = self.blocks.len();
        split_sentences(&self.text[range.clone()], start, &mut self.sentences);
        self.sentence_block.resize(self.sentences.len(), block);
        self.blocks.push(ProseBlock {
            range,
            kind,
            sentences: first..self.sentences.len(),
        });
    }

    /// The source byte range of a range of `text`.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        if self.map.is_empty() {
            return 0..0;
        }
        let start = self.map[range.start.min(self.map.len() - 1)] as usize;
        let end = if range.end == 0 {
            start
        } else {
            let last = self.map[(range.end - 1).min(self.map.len() - 1)] as usize;
            let len = self.source[last..].chars().next().map_or(0, char::len_utf8);
            last + len
        };
        start..end.max(start)
    }

    /// The position in `text` of a source offset (the first prose byte at or after it).
    pub fn source_to_text(&self, at: usize) -> usize {
        self.map.partition_point(|&m| (m as usize) < at)
    }

    /// Where an attribution at source offset `at` sits in `text`: on the prose just before it
    /// when nothing separates them (`42%.[^1]`), else on the prose just after it.
    pub fn anchor(&self, at: usize) -> usize {
        let p = self.source_to_text(at);
        if p == 0 || p > self.text.len() {
            return p;
        }
        let before = self.text.as_bytes()[p - 1];
        if before.is_ascii_whitespace() {
            return p;
        }
        let end_of_before = self.source_range(p - 1..p).end;
        let gap = self.source.get(end_of_before..at).unwrap_or(" ");
        if gap.chars().any(char::is_whitespace) {
            p
        } else {
            p - 1
        }
    }

    /// The sentences of a block.
    pub fn sentences_of(&self, block: &ProseBlock) -> &[Range<usize>] {
        &self.sentences[block.sentences.clone()]
    }

    /// The block holding `at` (a `text` offset).
    pub fn block_at(&self, at: usize) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.range.end <= at);
        (i < self.blocks.len() && self.blocks[i].range.start <= at).then_some(i)
    }
}

const ABBREVIATIONS: [&str; 30] = [
    "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "vs", "etc", "e.g", "i.e", "st",
    "jr", "sr", "no", "fig", "approx", "u.s", "u.k", "jan", "feb", "aug", "sept", "oct", "nov",
    "dec", "est", "dept",
];

/// Sentence ranges in `text` (one block of normalised prose).
pub(crate) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    split_sentences(text, 0, &mut out);
    out
}

/// Appends the sentences of `text` to `out`, offset by `base`.
fn split_sentences(text: &str, base: usize, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let Some(next) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) else {
            break;
        };
        i += next;
        let c = bytes[i];
        let mut end = i + 1;
        while end < bytes.len() && matches!(bytes[end], b'.' | b'!' | b'?') {
            end += 1;
        }
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
            end += 1;
        }
        let at_end = end == bytes.len();
        let spaced = at_end || bytes[end] == b' ';
        if !spaced || (c == b'.' && !at_end && !ends_sentence(text, start, i, end)) {
            i = end;
            continue;
        }
        out.push(base + start..base + end);
        start = end;
        while start < bytes.len() && bytes[start] == b' ' {
            start += 1;
        }
        i = start;
    }
    if start < bytes.len() {
        out.push(base + start..base + bytes.len());
    }
}

/// Whether a period at `dot` ends a sentence: not an abbreviation or an initial, and the next
/// word does not start in lower case.
fn ends_sentence(text: &str, start: usize, dot: usize, after: usize) -> bool {
    let word_start = text[start..dot]
        .rfind([' ', '('])
        .map_or(start, |i| start + i + 1);
    let word = &text[word_start..dot];
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    let next = text[after..].trim_start().chars().next();
    !matches!(next, Some(c) if c.is_lowercase())
}

/// Word ranges within `text[range]`: runs of letters and digits, with inner apostrophes and
/// hyphens.
pub(crate) fn words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let slice = &text[range.clone()];
    let bytes = slice.as_bytes();
    let base = range.start;
    // (is the character at i alphanumeric, its length); ASCII by table, the rest decoded
    let class = |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (ALNUM[usize::from(b)], 1)
        } else {
            slice[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
        }
    };
    let mut out = Vec::with_capacity(bytes.len() / 6);
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let (alnum, len) = class(i);
        if !alnum {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        let mut end = i;
        while i < n {
            let (alnum, len) = class(i);
            if alnum {
                i += len;
                end = i;
            } else if (bytes[i] == b'\'' || bytes[i] == b'-') && i + 1 < n && class(i + 1).0 {
                i += 1;
            } else {
                break;
            }
        }
        out.push(base + start..base + end);
    }
    out
}

/// A source offset as stored in the map (documents are capped at `u32::MAX` bytes).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// An estimate of the syllables in an English word, as readability formulas count them.
pub(crate) fn syllables(word: &str) -> usize {
    let bytes = word.as_bytes();
    if bytes.len() <= 3 {
        return 1;
    }
    if !bytes.iter().all(u8::is_ascii_alphabetic) {
        let letters: String = word.chars().filter(char::is_ascii_alphabetic).collect();
        return if letters.len() == bytes.len() || letters.is_empty() {
            1
        } else {
            syllables(&letters)
        };
    }
    let vowel = |b: u8| VOWEL[usize::from(b)];
    let mut count = 0;
    let mut prev = false;
    for &b in bytes {
        let v = vowel(b);
        count += usize::from(v && !prev);
        prev = v;
    }
    let n = bytes.len();
    let (a, b, c) = (
        bytes[n - 3].to_ascii_lowercase(),
        bytes[n - 2].to_ascii_lowercase(),
        bytes[n - 1].to_ascii_lowercase(),
    );
    let silent_e = c == b'e' && (b != b'l' || vowel(a));
    if silent_e && count > 1 {
        count -= 1;
    }
    if c == b'd' && b == b'e' && !matches!(a, b't' | b'd') && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// ASCII vowels (and y), either case.
static VOWEL: [bool; 256] = {
    let mut t = [false; 256];
    let vowels = *b"aeiouyAEIOUY";
    let mut i = 0;
    while i < vowels.len() {
        t[vowels[i] as usize] = true;
        i += 1;
    }
    t
};

/// ASCII letters and digits.
static ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};
