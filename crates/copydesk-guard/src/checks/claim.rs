//! `claim`: statistics and measurable claims with no source in the same sentence or the next.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Emitter, Note};
use crate::finding::Category;

struct ClaimPattern {
    id: &'static str,
    what: &'static str,
    /// Written with `\b`; compiled with ASCII word boundaries (`fast_regex`).
    pattern: &'static str,
    /// The sentence must also say something about results (for money figures).
    needs_result_context: bool,
}

fn re(p: &str) -> Regex {
    crate::fast_regex(p)
}

static PATTERNS: [ClaimPattern; 6] = [
    ClaimPattern {
        id: "copydesk.claim.unsourced-statistic",
        what: "statistic",
        pattern: r"(?i)\b(?:(?:up to|over|more than|nearly|almost|at least) )?\d+(?:[.,]\d+)? ?(?:%|percent\b|per cent\b)",
        needs_result_context: false,
    },
    ClaimPattern {
        id: "copydesk.claim.unsourced-multiplier",
        what: "multiplier",
        pattern: r"(?i)\b(?:(?:up to|over|more than) )?\d+(?:\.\d+)? ?(?:x\b|×)|\b(?:doubles|doubled|doubling|triples|tripled|tripling|quadruples|quadrupled|halves|halved|halving)\b|\b(?:twice|(?:two|three|four|five|ten|\d+) times) (?:as|more|faster|better|higher|cheaper|quicker)\b",
        needs_result_context: false,
    },
    ClaimPattern {
        id: "copydesk.claim.unsourced-money",
        what: "money figure",
        pattern: r"(?i)(?:[$€£¥] ?\d[\d,]*(?:\.\d+)?(?: ?(?:k|m|bn|b|million|billion|thousand|trillion)\b)?|\b\d[\d,]*(?:\.\d+)? ?(?:million |billion |thousand )?(?:usd|eur|gbp|dollars|euros|pounds)\b)",
        needs_result_context: true,
    },
    ClaimPattern {
        id: "copydesk.claim.promised-duration",
        what: "promised time to result",
        pattern: r"(?i)\b(?:within|in (?:just|only|under|less than|as little as)|in as few as|under|after just|after only) (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|sixty|ninety) (?:seconds?|minutes?|hours?|days?|weeks?|months?|quarters?)\b",
        needs_result_context: false,
    },
    ClaimPattern {
        id: "copydesk.claim.unsourced-count",
        what: "count used as proof",
        pattern: r"(?i)\b(?:(?:over|more than|nearly|almost|at least) )?(?:\d{1,3}(?:,\d{3})+|\d{4,}|\d+(?:\.\d+)? ?(?:k|m|million|thousand|billion)\b)\+? (?:happy |satisfied |active |global |leading |paying |enterprise )?(?:teams|customers|companies|users|brands|businesses|marketers|people|organi[sz]ations|clients|developers|agencies|retailers|merchants|creators|sellers|professionals|enterprises|startups|members|subscribers|downloads|installs|reviews|stores|schools|hospitals|partners|shoppers|readers|patients|students)\b",
        needs_result_context: false,
    },
    ClaimPattern {
        id: "copydesk.claim.unnamed-research",
        what: "appeal to unnamed research",
        pattern: r"(?i)\b(?:(?:clinically|scientifically) )?proven to\b|\b(?:clinically|scientifically) proven\b|\b(?:studies|research|data|science|experts|surveys) (?:show|shows|prove|proves|have shown|has shown|suggest|suggests|say|says|agree|confirm|confirms)\b",
        needs_result_context: false,
    },
];

/// Each pattern anchored at the start of the haystack: tried only where a candidate starts.
static ANCHORED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    PATTERNS
        .iter()
        .map(|p| re(&format!("^(?:{})", p.pattern)))
        .collect()
});

/// Every claim pattern at once, to find candidates in one pass.
static ANY: LazyLock<Regex> = LazyLock::new(|| {
    let all: Vec<String> = PATTERNS
        .iter()
        .map(|p| format!("(?:{})", p.pattern))
        .collect();
    re(&all.join("|"))
});

static RESULT_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:save|saves|saved|saving|savings|earn|earns|earned|generate|generates|generated|revenue|return|returns|roi|profit|profits|increase|increased|grow|grew|growth|cut|cuts|reduce|reduces|reduced|worth|lose|losing|lost|pipeline|added|boost|boosted|more)\b",
    )
});

static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\(\s*source\s*:|\bsources?\s*:\s*\S|\b(?:19|20)\d{2} (?:[\w-]+ ){0,3}(?:study|survey|report|analysis|benchmark|census|poll|audit|index)\b|\b(?:study|survey|report|research|analysis|benchmark|poll|data|audit|index) (?:by|from|of|published by|conducted by) (?:the )?[\w&-]+|\b(?:cited in|published in|reported by|as reported (?:by|in)|data from|figures from|per) (?:the )?[A-Za-z][\w&-]+|\bsee (?:footnote|note|table|figure|appendix) \w",
    )
});

/// A block that starts by citing: "Source: …", "Sources: …", "According to …", "Data: …".
static SOURCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\W{0,3}(?:sources?|according to|data|via|figures|footnotes?|references?)\b")
});

static ACCORDING_TO: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\baccording to (?:the |a |an )?([\w'-]+)"));

/// Words after "according to" that name nobody.
const UNNAMED: [&str; 16] = [
    "experts",
    "research",
    "studies",
    "analysts",
    "industry",
    "many",
    "some",
    "most",
    "sources",
    "reports",
    "data",
    "estimates",
    "insiders",
    "people",
    "recent",
    "science",
];

/// Phrases that look like a source but name none.
static NOT_A_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\((?:industry |internal |our )?(?:estimate|estimates|est\.)\)|\bsources? (?:say|said)\b",
    )
});

fn has_attribution(text: &str) -> bool {
    if ATTRIBUTION
        .find_iter(text)
        .any(|m| !NOT_A_SOURCE.is_match(m.as_str()))
    {
        return true;
    }
    // the pattern needs these words: a byte search rules most sentences out before a scan
    if !mentions_according_to(text) {
        return false;
    }
    ACCORDING_TO.captures_iter(text).any(|c| {
        c.get(1)
            .is_some_and(|w| !UNNAMED.contains(&w.as_str().to_ascii_lowercase().as_str()))
    })
}

/// Whether `text` holds "according to " in any ASCII case, which `ACCORDING_TO` needs (its
/// letters have no non-ASCII case forms, so `(?i)` matches no other spelling).
fn mentions_according_to(text: &str) -> bool {
    const WORDS: &[u8] = b"according to ";
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'a', b'A', bytes).any(|i| {
        bytes
            .get(i..i + WORDS.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(WORDS))
    })
}

pub(crate) fn warm_up() {
    LazyLock::force(&ANCHORED);
    for pattern in [
        &ANY,
        &RESULT_CONTEXT,
        &ATTRIBUTION,
        &SOURCE_LINE,
        &ACCORDING_TO,
        &NOT_A_SOURCE,
    ] {
        LazyLock::force(pattern);
    }
}

pub(crate) fn run(out: &mut Emitter<'_, '_, '_>) {
    let prose = out.prose;
    let text = prose.text.as_str();
    let markers: Vec<usize> = out
        .doc
        .attributions
        .iter()
        .map(|&a| prose.anchor(a))
        .collect();
    let sentences = &prose.sentences;
    let sentence_block = &prose.sentence_block;
    // One pass finds where any pattern matches; the patterns themselves are then tried only
    // at those places, anchored there, to name which claim it is.
    let mut hits: Vec<(usize, usize, Range<usize>)> = Vec::new();
    for candidate in ANY.find_iter(text) {
        let s = sentences.partition_point(|r| r.end <= candidate.start());
        // claims never cross a block (a newline), so the search stops there
        let block_end = text[candidate.start()..]
            .find('\n')
            .map_or(text.len(), |i| candidate.start() + i);
        let at = candidate.start();
        let hay = &text[at..block_end];
        for p in 0..PATTERNS.len() {
            if let Some(m) = ANCHORED[p].find(hay) {
                hits.push((s, p, at + m.start()..at + m.end()));
            }
        }
    }
    if hits.is_empty() {
        return;
    }
    let mut sourced_cache: Vec<Option<bool>> = vec![None; sentences.len()];
    let mut sourced = |s: usize| -> bool {
        if let Some(v) = sourced_cache.get(s).copied().flatten() {
            return v;
        }
        let Some(r) = sentences.get(s) else {
            return false;
        };
        let marker = markers.iter().any(|&m| m >= r.start && m <= r.end);
        let v = marker || has_attribution(&text[r.clone()]);
        if let Some(slot) = sourced_cache.get_mut(s) {
            *slot = Some(v);
        }
        v
    };
    hits.sort_by_key(|h| (h.2.start, h.1));
    let mut last_end = 0;
    let mut last_pattern = usize::MAX;
    for (s, p, range) in hits {
        let pattern = &PATTERNS[p];
        if range.start < last_end && last_pattern == p {
            continue;
        }
        // the next sentence counts when it is in the same block, or a source line after it
        let next_counts = match (sentence_block.get(s), sentence_block.get(s + 1)) {
            (Some(a), Some(b)) if a == b => true,
            (Some(_), Some(_)) => sentences
                .get(s + 1)
                .is_some_and(|r| SOURCE_LINE.is_match(&text[r.clone()])),
            _ => false,
        };
        if sourced(s) || (next_counts && sourced(s + 1)) {
            continue;
        }
        if pattern.needs_result_context {
            let Some(r) = sentences.get(s) else { continue };
            if !RESULT_CONTEXT.is_match(&text[r.clone()]) {
                continue;
            }
        }
        let Some(severity) = out.level(
            pattern.id,
            Category::Claim,
            crate::finding::Severity::Warning,
        ) else {
            continue;
        };
        last_end = range.end;
        last_pattern = p;
        let matched = text[range.clone()].to_string();
        let message = format!(
            "unsourced {}: '{matched}' needs a named source in this sentence or the next (\"according to …\", \"(source: …)\", a link or a footnote)",
            pattern.what
        );
        let suggestions = vec![
            "name the source: (source: ORGANISATION, YEAR), or link to it".to_string(),
            "or remove the figure".to_string(),
        ];
        out.emit(
            range,
            Note {
                rule: pattern.id,
                category: Category::Claim,
                severity,
                message,
                suggestions,
                fixable: false,
            },
        );
    }
}
