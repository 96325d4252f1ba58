//! `passive`: a form of "to be" followed (perhaps after an adverb) by a past participle.

use crate::check::{Emitter, Note};
use crate::finding::Category;
use crate::rules::PASSIVE_RULE;
use std::borrow::Cow;

const BE: [&str; 9] = [
    "am", "is", "are", "was", "were", "be", "been", "being", "get",
];

/// Irregular past participles (the regular ones end in -ed).
const IRREGULAR: [&str; 139] = [
    "arisen",
    "awoken",
    "beaten",
    "become",
    "begun",
    "bent",
    "bet",
    "bid",
    "bitten",
    "bled",
    "blown",
    "borne",
    "bought",
    "bred",
    "broken",
    "brought",
    "built",
    "burnt",
    "burst",
    "caught",
    "chosen",
    "clung",
    "come",
    "cost",
    "crept",
    "cut",
    "dealt",
    "done",
    "drawn",
    "dreamt",
    "driven",
    "drunk",
    "dug",
    "eaten",
    "fallen",
    "fed",
    "felt",
    "fled",
    "flown",
    "flung",
    "forbidden",
    "forecast",
    "forgiven",
    "forgotten",
    "fought",
    "found",
    "frozen",
    "given",
    "gone",
    "gotten",
    "ground",
    "grown",
    "heard",
    "held",
    "hidden",
    "hit",
    "hung",
    "hurt",
    "kept",
    "knelt",
    "known",
    "laid",
    "lain",
    "leant",
    "learnt",
    "led",
    "left",
    "lent",
    "let",
    "lit",
    "lost",
    "made",
    "meant",
    "met",
    "mistaken",
    "misunderstood",
    "overcome",
    "overseen",
    "overtaken",
    "paid",
    "proven",
    "put",
    "quit",
    "read",
    "rebuilt",
    "redone",
    "rewritten",
    "ridden",
    "risen",
    "run",
    "rung",
    "said",
    "sat",
    "seen",
    "sent",
    "set",
    "sewn",
    "shaken",
    "shed",
    "shone",
    "shot",
    "shown",
    "shrunk",
    "shut",
    "slain",
    "slept",
    "slid",
    "slung",
    "sold",
    "sought",
    "spent",
    "spoken",
    "spread",
    "sprung",
    "spun",
    "stolen",
    "stood",
    "struck",
    "stuck",
    "stung",
    "sung",
    "sunk",
    "swept",
    "sworn",
    "swum",
    "taken",
    "taught",
    "thought",
    "thrown",
    "told",
    "torn",
    "understood",
    "undertaken",
    "upset",
    "withdrawn",
    "woken",
    "won",
    "worn",
    "written",
];

/// -ed words that after "to be" are usually adjectives, not passives.
const ADJECTIVES: [&str; 24] = [
    "interested",
    "excited",
    "tired",
    "bored",
    "concerned",
    "pleased",
    "satisfied",
    "surprised",
    "worried",
    "delighted",
    "thrilled",
    "committed",
    "dedicated",
    "based",
    "located",
    "supposed",
    "used",
    "married",
    "prepared",
    "qualified",
    "talented",
    "experienced",
    "detailed",
    "advanced",
];

fn adverb(w: &str) -> bool {
    w.ends_with("ly")
        || matches!(
            w,
            "not"
                | "also"
                | "often"
                | "always"
                | "never"
                | "still"
                | "then"
                | "now"
                | "being"
                | "already"
                | "all"
                | "even"
                | "just"
        )
}

fn participle(w: &str) -> bool {
    (w.len() > 3 && w.ends_with("ed") && !ADJECTIVES.contains(&w))
        || IRREGULAR.binary_search(&w).is_ok()
}

/// Whether a word is a form of "to be" (in any ASCII case), without lower-casing it first.
fn is_be(w: &str) -> bool {
    let bytes = w.as_bytes();
    // every form has two to five letters and starts with a, i, w, b or g (`| 0x20`
    // lower-cases an ASCII letter and turns no other byte into one of these)
    (2..=5).contains(&bytes.len())
        && matches!(bytes[0] | 0x20, b'a' | b'i' | b'w' | b'b' | b'g')
        && BE.iter().any(|be| be.eq_ignore_ascii_case(w))
}

fn lowercase(w: &str) -> Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

pub(crate) fn run(out: &mut Emitter<'_, '_, '_>) {
    let (id, category, default) = PASSIVE_RULE;
    let Some(severity) = out.level(id, category, default) else {
        return;
    };
    let text = out.prose.text.as_str();
    let mut hits = Vec::new();
    for block in &out.prose.blocks {
        let ws = out.prose.words_in(block.range.clone());
        // lower-cased only where needed: after a form of "to be", which few words are
        let lower = |k: usize| lowercase(&text[ws[k].clone()]);
        let mut i = 0;
        while i < ws.len() {
            if !is_be(&text[ws[i].clone()]) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < ws.len() && j - i <= 2 && {
                let w = lower(j);
                adverb(&w) && !participle(&w)
            } {
                j += 1;
            }
            let same_sentence = j < ws.len()
                && !text[ws[i].end..ws[j.min(ws.len() - 1)].start]
                    .contains(['.', '!', '?', ';', ':']);
            if same_sentence && participle(&lower(j)) {
                hits.push(ws[i].start..ws[j].end);
                i = j + 1;
            } else {
                i += 1;
            }
        }
    }
    for r in hits {
        let matched = text[r.clone()].to_string();
        let message = format!(
            "passive voice: '{matched}' hides who acts; name the actor and use an active verb"
        );
        out.emit(
            r,
            Note {
                rule: id,
                category: Category::Passive,
                severity,
                message,
                suggestions: Vec::new(),
                fixable: false,
            },
        );
    }
}

#[cfg(test)]
mod be_tests {
    use super::{is_be, BE};

    /// `is_be` rejects words by length and first letter before looking in `BE`: a form added
    /// to `BE` outside that shape would never be found.
    #[test]
    fn every_form_of_be_passes_the_shortcut_in_any_case() {
        for be in BE {
            assert!(is_be(be), "{be}");
            assert!(is_be(&be.to_ascii_uppercase()), "{be}");
        }
        assert!(!is_be("bee") && !is_be("i") && !is_be("gets"));
    }
}
