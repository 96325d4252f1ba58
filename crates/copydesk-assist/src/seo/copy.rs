//! Title and meta-description candidates, assembled from templates around the head keywords and
//! the brief's topic, within the lengths search results show: titles up to [`TITLE_MAX`]
//! characters, descriptions from [`META_MIN`] to [`META_MAX`]. A candidate that does not fit
//! loses whole optional parts (the audience, the brand); a word is never cut in half.
//!
//! These are starting points for a writer, not copy to publish: they are assembled, not
//! written, and the guardrails and review still apply to whatever is chosen.

use super::intent::Intent;
use super::SeoTopic;
use crate::text::capitalise;

pub const TITLE_MAX: usize = 60;
pub const META_MIN: usize = 120;
pub const META_MAX: usize = 155;

/// At most this many candidates of each kind.
const MAX_CANDIDATES: usize = 5;

/// What the templates are filled with.
pub(super) struct Material<'a> {
    /// The head of the main keyword group, and its intent.
    pub primary: Option<(&'a str, Intent)>,
    /// Heads of the next groups, for "covers …" phrases in descriptions.
    pub secondary: Vec<&'a str>,
    pub topic: &'a SeoTopic,
}

/// Title candidates, each at most [`TITLE_MAX`] characters.
pub(super) fn titles(m: &Material<'_>) -> Vec<String> {
    let title = m.topic.title.trim();
    let brand = m.topic.brand.trim();
    let audience = m.topic.audience.trim();
    let mut out: Vec<String> = Vec::new();
    // each candidate is a list of alternatives, longest first; the first that fits is kept
    let mut offer = |alternatives: Vec<String>| {
        if let Some(t) = alternatives
            .into_iter()
            .map(|t| tidy(&t))
            .find(|t| !t.is_empty() && fits(t, TITLE_MAX))
        {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
                out.push(t);
            }
        }
    };
    let for_audience = |s: &str| -> String {
        if audience.is_empty() {
            String::new()
        } else {
            format!("{s}{}", title_case(audience))
        }
    };
    let with_brand = |s: &str| -> String {
        if brand.is_empty() {
            s.to_owned()
        } else {
            format!("{s} | {brand}")
        }
    };

    if let Some((head, intent)) = m.primary {
        let h = title_case(head);
        match intent {
            Intent::Informational => {
                let guide = if head.to_lowercase().starts_with("how to") {
                    "Step by Step"
                } else {
                    "A Practical Guide"
                };
                offer(vec![
                    format!("{h}: {guide}{}", for_audience(" for ")),
                    format!("{h}: {guide}"),
                ]);
                let mut explained = vec![format!("{h}, Explained")];
                if !audience.is_empty() {
                    explained.insert(
                        0,
                        format!("{h}: What {} Need to Know", title_case(audience)),
                    );
                }
                offer(explained);
            }
            Intent::Commercial => {
                let starts_best = head.to_lowercase().starts_with("best ");
                offer(vec![
                    format!("{h}: A Buyer's Guide{}", for_audience(" for ")),
                    format!("{h}: How to Choose"),
                ]);
                if !starts_best {
                    offer(vec![
                        format!("Best {h}{}", for_audience(" for ")),
                        format!("Best {h} Compared"),
                    ]);
                }
            }
            Intent::Transactional => {
                offer(vec![
                    with_brand(&format!("{h}: Plans, Costs and What You Get")),
                    format!("{h}: Plans, Costs and What You Get"),
                    format!("{h}: What It Costs"),
                ]);
            }
            Intent::Navigational => {
                offer(vec![with_brand(&h), h.clone()]);
            }
        }
        offer(vec![with_brand(&h), h.clone()]);
    }
    if !title.is_empty() {
        offer(vec![
            with_brand(title),
            title.to_owned(),
            cut_words(title, TITLE_MAX),
        ]);
    }
    out.truncate(MAX_CANDIDATES);
    out
}

/// Meta-description candidates, each from [`META_MIN`] to [`META_MAX`] characters.
pub(super) fn meta_descriptions(m: &Material<'_>) -> Vec<String> {
    let t = m.topic;
    let head = m.primary.map(|(h, _)| h.to_lowercase());
    let audience = t.audience.trim();
    let brand = t.brand.trim();
    let understanding = sentence(&t.desired_understanding);
    let title = t.title.trim();

    let mut pieces: Vec<Vec<String>> = Vec::new();
    let covers = covers(&m.secondary);
    let who = if audience.is_empty() {
        String::new()
    } else {
        format!(" for {audience}")
    };
    let from = if brand.is_empty() {
        String::new()
    } else {
        format!(" from {brand}")
    };
    let subject = head.clone().unwrap_or_else(|| title.to_lowercase());

    if !subject.is_empty() {
        pieces.push(vec![
            understanding.clone(),
            sentence(&format!("A practical guide to {subject}{who}")),
            covers.clone(),
            sentence(&format!("Read the guide{from}")),
        ]);
        pieces.push(vec![
            sentence(&what_to_know(audience, &subject)),
            understanding.clone(),
            covers.clone(),
            sentence(&format!("Straight answers{from}, with examples")),
        ]);
        pieces.push(vec![
            sentence(&format!("Everything about {subject}{who}, in plain words")),
            covers.clone(),
            understanding.clone(),
            sentence(&format!("Practical steps and examples{from}")),
        ]);
    }
    if !title.is_empty() {
        pieces.push(vec![
            sentence(title),
            understanding.clone(),
            sentence(&format!("A guide{who}{from}")),
            covers,
        ]);
    }

    let mut out: Vec<String> = Vec::new();
    for p in pieces {
        if let Some(d) = assemble(&p, META_MIN, META_MAX) {
            if !out.iter().any(|o| o == &d) {
                out.push(d);
            }
        }
    }
    out.truncate(MAX_CANDIDATES);
    out
}

/// "Covers a, b and c." from the next groups' heads, or nothing.
fn covers(heads: &[&str]) -> String {
    let heads: Vec<String> = heads.iter().take(3).map(|h| h.to_lowercase()).collect();
    match heads.as_slice() {
        [] => String::new(),
        [a] => format!("Covers {a}."),
        [rest @ .., last] => format!("Covers {} and {last}.", rest.join(", ")),
    }
}

fn what_to_know(audience: &str, subject: &str) -> String {
    if audience.is_empty() {
        format!("What to know about {subject}")
    } else {
        format!("What {audience} should know about {subject}")
    }
}

/// Joins the non-empty pieces in order, skipping any that would pass `max`; the result if it
/// reaches `min`. A first piece longer than `max` on its own is cut after its last whole word
/// and marked with an ellipsis.
fn assemble(pieces: &[String], min: usize, max: usize) -> Option<String> {
    let mut out = String::new();
    for piece in pieces.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let joined = if out.is_empty() {
            piece.to_owned()
        } else {
            format!("{out} {piece}")
        };
        if fits(&joined, max) {
            out = joined;
        } else if out.is_empty() {
            let cut = cut_words(piece, max - 1);
            if !cut.is_empty() {
                out = format!("{}…", cut.trim_end_matches(['.', ',', ';', ':']));
            }
        }
    }
    (out.chars().count() >= min && fits(&out, max)).then_some(out)
}

fn fits(s: &str, max: usize) -> bool {
    s.chars().count() <= max
}

/// The longest prefix of whole words within `max` characters.
fn cut_words(s: &str, max: usize) -> String {
    let mut out = String::new();
    for word in s.split_whitespace() {
        let len = out.chars().count() + usize::from(!out.is_empty()) + word.chars().count();
        if len > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A phrase as a sentence: trimmed, first letter capitalised, ending in a full stop.
fn sentence(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s.trim_end_matches([' ', ',', ';', ':']);
    if s.is_empty() {
        return String::new();
    }
    let mut out = capitalise(s);
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Collapses whitespace and drops separators left dangling at the end.
fn tidy(s: &str) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches([' ', ':', '|', ',', '-'])
        .to_owned()
}

/// Title case for English headlines: each lower-case word capitalised except short function
/// words after the first; words with capitals already (brands, acronyms) are left alone.
pub(super) fn title_case(s: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
        "per", "the", "to", "vs", "via", "with",
    ];
    s.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            if w.chars().any(char::is_uppercase) || (i > 0 && SMALL.contains(&w)) {
                w.to_owned()
            } else {
                capitalise(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_keeps_brands_and_small_words() {
        assert_eq!(
            title_case("payroll software for small business vs ADP"),
            "Payroll Software for Small Business vs ADP"
        );
    }

    #[test]
    fn cutting_never_splits_a_word() {
        assert_eq!(cut_words("one two three", 9), "one two");
        assert_eq!(cut_words("unbreakable", 5), "");
    }

    #[test]
    fn assembling_skips_pieces_that_do_not_fit() {
        let pieces = vec!["a".repeat(100), "b".repeat(60), "c".repeat(30)];
        let got = assemble(&pieces, 120, 155);
        assert_eq!(got.map(|g| g.chars().count()), Some(131));
    }
}
