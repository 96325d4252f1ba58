//! `disclosure`: a sponsored post must carry a disclosure from its channel's list, and where
//! readers see it before they decide: in the first characters or on the first line, not buried
//! at the end among other hashtags (FTC endorsement guides).

use crate::check::{Emitter, Note};
use crate::finding::{Category, Severity};
use crate::rules::phrases::on_boundaries;

const MISSING: &str = "copydesk.disclosure.missing";
const BURIED: &str = "copydesk.disclosure.buried";

pub(crate) fn run(out: &mut Emitter<'_, '_, '_>, sponsored: bool) {
    if !sponsored {
        return;
    }
    let settings = &out.rules.settings;
    let markers = settings.markers(out.channel);
    let limit = settings.conspicuous_chars(out.channel);
    let text = out.prose.text.as_str();
    let lower = text.to_lowercase();
    // to_lowercase may change lengths for some scripts; fall back to ASCII folding then
    let hay = if lower.len() == text.len() {
        lower
    } else {
        text.to_ascii_lowercase()
    };
    let mut first: Option<(usize, usize)> = None;
    for marker in &markers {
        let m = marker.to_lowercase();
        if m.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(i) = hay[from..].find(&m) {
            let start = from + i;
            let end = start + m.len();
            if on_boundaries(&hay, start, end) {
                if first.is_none_or(|(s, _)| start < s) {
                    first = Some((start, end));
                }
                break;
            }
            from = start + 1;
            while !hay.is_char_boundary(from) {
                from += 1;
            }
        }
    }
    let sponsor = out
        .doc
        .meta
        .brand
        .as_deref()
        .map(|b| format!(" (e.g. \"Paid partnership with {b}\")"))
        .unwrap_or_default();
    match first {
        None => {
            let Some(severity) = out.level(MISSING, Category::Disclosure, Severity::Error) else {
                return;
            };
            let end = out
                .prose
                .blocks
                .first()
                .and_then(|b| out.prose.sentences_of(b).first())
                .map_or(0, |s| s.end);
            let message = format!(
                "sponsored post without a disclosure: add one of {} at the start{sponsor}",
                markers
                    .iter()
                    .map(|m| format!("'{m}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let suggestion = markers
                .first()
                .cloned()
                .unwrap_or_else(|| "#ad".to_string());
            out.emit(
                0..end,
                Note {
                    rule: MISSING,
                    category: Category::Disclosure,
                    severity,
                    message,
                    suggestions: vec![suggestion],
                    fixable: false,
                },
            );
        }
        Some((start, end)) => {
            let chars_before = text[..start].chars().count();
            let src = out.doc.source;
            let line_of = |at: usize| src[..at.min(src.len())].matches('\n').count();
            let marker_line = line_of(out.prose.source_range(start..end).start);
            let first_line = line_of(out.prose.source_range(0..1).start);
            if chars_before < limit || marker_line == first_line {
                return;
            }
            let Some(severity) = out.level(BURIED, Category::Disclosure, Severity::Error) else {
                return;
            };
            let mut from = start.saturating_sub(200);
            while !text.is_char_boundary(from) {
                from += 1;
            }
            let hashtags_near = text[from..start]
                .split_whitespace()
                .rev()
                .take_while(|w| w.starts_with('#'))
                .count();
            let among = if hashtags_near > 0 {
                format!(" among {hashtags_near} other hashtag(s)")
            } else {
                String::new()
            };
            let message = format!(
                "disclosure '{}' is buried{among} at character {}: readers must see it before \"more\", within the first {limit} characters or on the first line",
                &text[start..end],
                chars_before + 1
            );
            out.emit(
                start..end,
                Note {
                    rule: BURIED,
                    category: Category::Disclosure,
                    severity,
                    message,
                    suggestions: vec!["move the disclosure to the start of the post".to_string()],
                    fixable: false,
                },
            );
        }
    }
}
