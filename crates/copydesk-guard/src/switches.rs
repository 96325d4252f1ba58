//! Inline switches in documents: `<!-- copydesk off -->` … `<!-- copydesk on -->`, and
//! `<!-- copydesk ignore RULE[, RULE…] -->` for the block that follows. Vale's
//! `<!-- vale off -->` / `<!-- vale on -->` are honoured too.

use std::ops::Range;

use crate::document::Document;
use crate::finding::Category;

#[derive(Debug, Default)]
pub(crate) struct Switches {
    off: Vec<Range<usize>>,
    /// (rule id prefix or category name, source range).
    ignored: Vec<(String, Range<usize>)>,
}

impl Switches {
    pub fn read(doc: &Document<'_>) -> Switches {
        let mut s = Switches::default();
        let mut off_since: Option<usize> = None;
        for c in &doc.comments {
            let body = doc.source[c.clone()]
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim();
            let mut words = body.split_whitespace();
            let (Some(tool), Some(verb)) = (words.next(), words.next()) else {
                continue;
            };
            if !(tool.eq_ignore_ascii_case("copydesk") || tool.eq_ignore_ascii_case("vale")) {
                continue;
            }
            match verb {
                "off" => {
                    off_since.get_or_insert(c.end);
                }
                "on" => {
                    if let Some(start) = off_since.take() {
                        s.off.push(start..c.start);
                    }
                }
                "ignore" if tool.eq_ignore_ascii_case("copydesk") => {
                    let next_block = doc
                        .segments
                        .iter()
                        .find(|seg| seg.range.start >= c.end)
                        .and_then(|seg| doc.block_range(seg.block))
                        .map(|r| c.end..r.end.max(c.end));
                    let range = next_block.unwrap_or(c.end..c.end);
                    for rule in words.flat_map(|w| w.split(',')).filter(|w| !w.is_empty()) {
                        s.ignored.push((rule.to_string(), range.clone()));
                    }
                }
                _ => {}
            }
        }
        if let Some(start) = off_since {
            s.off.push(start..doc.source.len());
        }
        s
    }

    pub fn suppressed(&self, id: &str, category: Category, at: usize) -> bool {
        if self.off.iter().any(|r| r.contains(&at)) {
            return true;
        }
        self.ignored.iter().any(|(rule, r)| {
            r.contains(&at)
                && (rule == id
                    || rule == category.as_str()
                    || id
                        .strip_prefix(rule.as_str())
                        .is_some_and(|rest| rest.starts_with('.')))
        })
    }
}
