//! Offline repurposing: the sentences of an approved asset, re-cut for another channel. It
//! adds nothing: every sentence comes from the asset, so its claims keep their sources.

use copydesk_core::RepurposeTarget;

use crate::rank;

/// Sentences in order, with Markdown headings kept apart.
struct Parts<'a> {
    headings: Vec<&'a str>,
    sentences: Vec<&'a str>,
}

fn parts(text: &str) -> Parts<'_> {
    let headings = text
        .lines()
        .filter_map(|line| line.trim().strip_prefix('#'))
        .map(|h| h.trim_start_matches('#').trim())
        .collect();
    let sentences = rank::sentences(text)
        .into_iter()
        .filter(|s| !s.starts_with('#'))
        .collect();
    Parts {
        headings,
        sentences,
    }
}

fn push_within(out: &mut String, sentence: &str, limit: usize) -> bool {
    let extra = if out.is_empty() { 0 } else { 1 } + sentence.chars().count();
    if out.chars().count() + extra > limit {
        return false;
    }
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(sentence);
    true
}

/// The asset re-cut for `to`. `title` heads the e-mail and the outline; `cta` closes the
/// LinkedIn post and the e-mail.
pub fn repurpose(to: RepurposeTarget, title: &str, text: &str, cta: &str) -> String {
    let p = parts(text);
    let cta = cta.trim();
    match to {
        RepurposeTarget::XThread => {
            let mut posts: Vec<String> = Vec::new();
            let mut current = String::new();
            for s in &p.sentences {
                // 274 leaves room for the " 10/10" numbering
                if !push_within(&mut current, s, 274) {
                    if !current.is_empty() {
                        posts.push(std::mem::take(&mut current));
                    }
                    if !push_within(&mut current, s, 274) {
                        let cut: String = s.chars().take(273).collect();
                        posts.push(format!("{}…", cut.trim_end()));
                    }
                }
                if posts.len() == 8 {
                    break;
                }
            }
            if !current.is_empty() && posts.len() < 8 {
                posts.push(current);
            }
            let n = posts.len();
            posts
                .iter()
                .enumerate()
                .map(|(i, post)| format!("{post} {}/{n}", i + 1))
                .collect::<Vec<_>>()
                .join("\n\n")
        }
        RepurposeTarget::Linkedin => {
            let mut out = String::new();
            let budget = 1300usize.saturating_sub(cta.chars().count() + 2);
            let mut paragraph = String::new();
            for (i, s) in p.sentences.iter().enumerate() {
                if out.chars().count() + paragraph.chars().count() + s.chars().count() + 3 > budget
                {
                    break;
                }
                push_within(&mut paragraph, s, usize::MAX);
                // the first sentence stands alone as the hook; then two sentences a paragraph
                if i == 0 || i % 2 == 0 {
                    out.push_str(&paragraph);
                    out.push_str("\n\n");
                    paragraph.clear();
                }
            }
            if !paragraph.is_empty() {
                out.push_str(&paragraph);
                out.push_str("\n\n");
            }
            out.push_str(cta);
            out.trim().to_string()
        }
        RepurposeTarget::Email => {
            let subject: String = title.chars().take(60).collect();
            let preview = p.sentences.first().copied().unwrap_or("");
            let mut body = String::new();
            let mut words = 0;
            for s in p.sentences.iter().skip(1) {
                let w = s.split_whitespace().count();
                if words + w > 200 {
                    break;
                }
                words += w;
                body.push_str(s);
                body.push(' ');
            }
            format!(
                "Subject: {subject}\nPreview: {preview}\n\n{}\n\n{cta}",
                body.trim()
            )
        }
        RepurposeTarget::ReleaseNotes => {
            let mut out = format!("## {}\n\n", title.trim());
            for s in &p.sentences {
                out.push_str(&format!("- {s}\n"));
            }
            out
        }
        RepurposeTarget::BlogOutline => {
            let mut out = format!("# {}\n", title.trim());
            if p.headings.is_empty() {
                for chunk in p.sentences.chunks(3) {
                    let heading = chunk.first().copied().unwrap_or("");
                    out.push_str(&format!("\n## {heading}\n\n"));
                    for s in chunk.iter().skip(1) {
                        out.push_str(&format!("- {s}\n"));
                    }
                }
            } else {
                for h in p
                    .headings
                    .iter()
                    .filter(|h| !h.eq_ignore_ascii_case(title.trim()))
                {
                    out.push_str(&format!("\n## {h}\n"));
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# Payroll in a day\n\nPayroll used to take three days. Now it takes one, says the 2026 usage report. Teams of two switch in a week. Nobody works late any more.";

    #[test]
    fn a_thread_numbers_posts_within_280_characters() {
        let long = format!(
            "{TEXT} {}",
            "Each month-end check is now automatic and logged. ".repeat(20)
        );
        let thread = repurpose(RepurposeTarget::XThread, "t", &long, "Book a demo");
        let posts: Vec<_> = thread.split("\n\n").collect();
        assert!(posts.len() > 1 && posts.len() <= 8);
        for (i, post) in posts.iter().enumerate() {
            assert!(post.chars().count() <= 280, "{post}");
            assert!(post.ends_with(&format!("{}/{}", i + 1, posts.len())));
        }
    }

    #[test]
    fn every_target_keeps_the_assets_words() {
        for target in RepurposeTarget::ALL {
            let out = repurpose(*target, "Payroll in a day", TEXT, "Book a demo");
            assert!(
                out.contains("2026 usage report") || *target == RepurposeTarget::BlogOutline,
                "{target}: {out}"
            );
        }
        let email = repurpose(
            RepurposeTarget::Email,
            "Payroll in a day",
            TEXT,
            "Book a demo",
        );
        assert!(email
            .starts_with("Subject: Payroll in a day\nPreview: Payroll used to take three days."));
        assert!(email.ends_with("Book a demo"));
    }
}
