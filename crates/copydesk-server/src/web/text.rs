//! Turning stored text into markup: guardrail findings highlighted in place, diffs inline or
//! side by side, vocabulary words as people read them.

use copydesk_core::asset::Finding;
use copydesk_core::diff::{Diff, OpKind};
use maud::{html, Markup};

/// A vocabulary word for people: `request_changes` → "Request changes".
pub fn label(word: &str) -> String {
    let spaced = word.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Findings that can be marked without overlapping: sorted by start, each kept only when it
/// starts at or after the end of the one before (the full list is shown beside the text).
fn markable(text: &str, findings: &[Finding]) -> Vec<(usize, usize, Vec<usize>)> {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| (findings[i].byte_start, findings[i].byte_end));
    let mut spans: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for i in order {
        let f = &findings[i];
        let (start, end) = (f.byte_start, f.byte_end);
        if start >= end
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        match spans.last_mut() {
            Some(last) if start < last.1 => last.2.push(i),
            _ => spans.push((start, end, vec![i])),
        }
    }
    spans
}

/// The text with each finding's span marked; focusing or hovering a mark shows its message
/// and suggestion. `data-tip` parts are not part of the text (comment offsets skip them).
pub fn highlighted(text: &str, findings: &[Finding]) -> Markup {
    let spans = markable(text, findings);
    // the plain text before each mark: from the end of the previous one
    let befores: Vec<&str> = spans
        .iter()
        .scan(0, |at, (start, end, _)| {
            let before = &text[*at..*start];
            *at = *end;
            Some(before)
        })
        .collect();
    let rest = spans.last().map_or(text, |(_, end, _)| &text[*end..]);
    html! {
        @for (n, ((start, end, which), before)) in spans.iter().zip(&befores).enumerate() {
            (before)
            @let first = &findings[which[0]];
            mark class=(format!("finding sev-{}", first.severity.as_str())) tabindex="0"
                aria-describedby=(format!("tip-{n}")) data-category=(first.category.as_str()) {
                (&text[*start..*end])
            }
            span.tip role="tooltip" id=(format!("tip-{n}")) data-tip {
                @for i in which {
                    @let f = &findings[*i];
                    span.tip-line {
                        strong { (label(f.category.as_str())) " (" (f.severity.as_str()) "): " }
                        (f.message)
                        @if let Some(s) = f.suggestions.first() { span.tip-try { "Try: " em { (s) } } }
                    }
                }
            }
        }
        (rest)
    }
}

/// The diff as one text: deletions struck through, insertions underlined.
pub fn inline_diff(diff: &Diff) -> Markup {
    html! {
        @for op in &diff.ops {
            @match op.op {
                OpKind::Equal => { (op.text) }
                OpKind::Delete => { del { span.sr-only { "[removed: " } (op.text) span.sr-only { "]" } } }
                OpKind::Insert => { ins { span.sr-only { "[added: " } (op.text) span.sr-only { "]" } } }
            }
        }
    }
}

/// The diff as two columns: the old text with its deletions, the new with its insertions.
pub fn side_by_side(diff: &Diff, from: u32, to: u32) -> Markup {
    html! {
        div.sxs {
            section aria-labelledby="sxs-old" {
                h3 id="sxs-old" { "Version " (from) }
                div.text {
                    @for op in &diff.ops {
                        @match op.op {
                            OpKind::Equal => { (op.text) }
                            OpKind::Delete => { del { (op.text) } }
                            OpKind::Insert => {}
                        }
                    }
                }
            }
            section aria-labelledby="sxs-new" {
                h3 id="sxs-new" { "Version " (to) }
                div.text {
                    @for op in &diff.ops {
                        @match op.op {
                            OpKind::Equal => { (op.text) }
                            OpKind::Insert => { ins { (op.text) } }
                            OpKind::Delete => {}
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_core::diff::{diff, Granularity};

    fn finding(start: usize, end: usize, message: &str) -> Finding {
        let json = serde_json::json!({
            "rule": "copydesk.Test", "category": "claim", "severity": "warning",
            "line": 1, "column": start + 1, "end_line": 1, "end_column": end + 1,
            "byte_start": start, "byte_end": end, "match": "", "message": message,
            "suggestions": ["cite a source"],
        });
        serde_json::from_value(json).expect("a finding")
    }

    #[test]
    fn findings_are_marked_in_place_and_text_is_escaped() {
        let text = "We grew 42% <fast>.";
        let html = highlighted(text, &[finding(8, 11, "no source")]).into_string();
        assert!(
            html.starts_with("We grew <mark class=\"finding sev-warning\""),
            "{html}"
        );
        assert!(html.contains(">42%</mark>"), "{html}");
        assert!(html.contains("no source"));
        assert!(html.contains("cite a source"));
        assert!(html.ends_with(" &lt;fast&gt;."), "{html}");
    }

    #[test]
    fn overlapping_findings_share_a_mark_and_bad_spans_are_skipped() {
        let text = "Café best ever";
        let findings = [
            finding(6, 10, "first"),
            finding(8, 15, "second"),
            finding(4, 5, "inside é"),
            finding(3, 99, "past the end"),
        ];
        let html = highlighted(text, &findings).into_string();
        assert_eq!(html.matches("<mark").count(), 1, "{html}");
        assert!(html.contains("first") && html.contains("second"));
        assert!(!html.contains("inside é") && !html.contains("past the end"));
    }

    #[test]
    fn diffs_show_removed_and_added_words() {
        let d = diff("the quick fox", "the slow fox", Granularity::Words);
        let inline = inline_diff(&d).into_string();
        assert!(inline.contains("<del>") && inline.contains("quick"));
        assert!(inline.contains("<ins>") && inline.contains("slow"));
        let sxs = side_by_side(&d, 1, 2).into_string();
        let (old, new) = sxs.split_once("sxs-new").expect("two columns");
        assert!(old.contains("quick") && !old.contains("slow"));
        assert!(new.contains("slow") && !new.contains("quick"));
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("request_changes"), "Request changes");
        assert_eq!(label(""), "");
    }
}
