//! `pii`: personal data that must not go into a public model or a post. Messages never repeat
//! the full value.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Emitter, Note};
use crate::finding::{Category, Severity};

fn re(p: &str) -> Regex {
    crate::fast_regex(p)
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b",
    )
});
static CARD: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d(?:[ -]?\d){12,18}\b"));
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"));
static SSN: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{3}-\d{2}-\d{4}\b"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]?\d{2,4}){2,4}\b|(?:\(\d{3}\) ?|\b\d{3}[.-])\d{3}[.-]\d{4}\b|\b0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}\b)",
    )
});

pub(crate) fn warm_up() {
    for pattern in [&EMAIL, &CARD, &IBAN, &SSN, &PHONE] {
        LazyLock::force(pattern);
    }
}

pub(crate) fn run(out: &mut Emitter<'_, '_, '_>) {
    let text = out.prose.text.as_str();
    let mut hits: Vec<(&'static str, std::ops::Range<usize>, String)> = Vec::new();
    // Blocks are separated by newlines, which no pattern crosses: each pattern runs only on
    // the blocks that can hold a match (an '@'; seven digits or more).
    let blocks = &out.prose.blocks;
    let with_at = blocks
        .iter()
        .filter(|b| text[b.range.clone()].contains('@'));
    for block in with_at {
        let base = block.range.start;
        for m in EMAIL.find_iter(&text[block.range.clone()]) {
            let range = base + m.start()..base + m.end();
            let v = m.as_str();
            let domain = v.rsplit('@').next().unwrap_or("");
            let first = v.chars().next().unwrap_or('?');
            hits.push((
                "copydesk.pii.email",
                range,
                format!("e-mail address ({first}…@{domain})"),
            ));
        }
    }
    // Digits per block, counted in one vectorisable pass; each pattern below needs a minimum.
    let digit_dense = blocks.iter().filter_map(|b| {
        let bytes = &text.as_bytes()[b.range.clone()];
        let ascii_digits: usize = bytes
            .iter()
            .map(|c| usize::from(c.wrapping_sub(b'0') < 10))
            .sum();
        (ascii_digits >= 7).then_some((b, ascii_digits))
    });
    for (block, ascii_digits) in digit_dense {
        let base = block.range.start;
        let text = &text[block.range.clone()];
        let at = |m: regex::Match<'_>| base + m.start()..base + m.end();
        let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
        let cards = (ascii_digits >= 13).then(|| CARD.find_iter(text));
        for m in cards.into_iter().flatten() {
            let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
            if (13..=19).contains(&digits.len()) && luhn(&digits) {
                let last4: String = digits[digits.len() - 4..]
                    .iter()
                    .map(|d| char::from(b'0' + *d as u8))
                    .collect();
                hits.push((
                    "copydesk.pii.card",
                    at(m),
                    format!("payment card number ending {last4}"),
                ));
                taken.push(at(m));
            }
        }
        let ibans = may_hold_iban(text.as_bytes()).then(|| IBAN.find_iter(text));
        for m in ibans.into_iter().flatten() {
            if iban_valid(m.as_str()) {
                let country = &m.as_str()[..2];
                hits.push((
                    "copydesk.pii.iban",
                    at(m),
                    format!("IBAN ({country}…, checksum valid)"),
                ));
                taken.push(at(m));
            }
        }
        let ssns = (ascii_digits >= 9 && memchr::memchr(b'-', text.as_bytes()).is_some())
            .then(|| SSN.find_iter(text));
        for m in ssns.into_iter().flatten() {
            if ssn_plausible(m.as_str()) {
                hits.push((
                    "copydesk.pii.ssn",
                    at(m),
                    "US social security number".to_string(),
                ));
                taken.push(at(m));
            }
        }
        for m in PHONE.find_iter(text) {
            let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
            let overlaps = taken
                .iter()
                .any(|t| t.start < at(m).end && at(m).start < t.end);
            if (7..=15).contains(&digits) && !overlaps {
                let v = m.as_str();
                let tail: String = v
                    .chars()
                    .filter(char::is_ascii_digit)
                    .skip(digits - 2)
                    .collect();
                hits.push((
                    "copydesk.pii.phone",
                    at(m),
                    format!("phone number (…{tail})"),
                ));
            }
        }
    }
    for (id, range, what) in hits {
        let Some(severity) = out.level(id, Category::Pii, Severity::Error) else {
            continue;
        };
        let message = format!("personal data: {what}; remove it or replace it with a placeholder before it reaches a model or a post");
        out.emit(
            range,
            Note {
                rule: id,
                category: Category::Pii,
                severity,
                message,
                suggestions: vec!["[redacted]".to_string()],
                fixable: false,
            },
        );
    }
}

/// Whether two capital letters followed by two digits (an IBAN's start) occur anywhere.
fn may_hold_iban(bytes: &[u8]) -> bool {
    bytes.windows(4).any(|w| {
        w[0].is_ascii_uppercase()
            && w[1].is_ascii_uppercase()
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
    })
}

/// The Luhn checksum of a card number.
pub(crate) fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1.
pub(crate) fn iban_valid(s: &str) -> bool {
    let compact: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let mut rem: u32 = 0;
    for c in compact[4..].iter().chain(&compact[..4]) {
        let v = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        let (mul, add) = if v < 10 { (10, v) } else { (100, v) };
        rem = (rem * mul + add) % 97;
    }
    rem == 1
}

/// Area not 000, 666 or 9xx; group not 00; serial not 0000.
fn ssn_plausible(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [area, group, serial] = parts[..] else {
        return false;
    };
    area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_iban() {
        let d = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>();
        assert!(luhn(&d("4111 1111 1111 1111")));
        assert!(!luhn(&d("4111 1111 1111 1112")));
        assert!(iban_valid("GB82 WEST 1234 5698 7654 32"));
        assert!(iban_valid("DE89370400440532013000"));
        assert!(!iban_valid("GB82 WEST 1234 5698 7654 33"));
    }
}
