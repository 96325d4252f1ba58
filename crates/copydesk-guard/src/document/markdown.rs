//! Markdown (CommonMark + GFM tables, footnotes, strikethrough, task lists) via pulldown-cmark.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{html, BlockKind, Builder};

pub(super) fn read(source: &str, body_start: usize, b: &mut Builder) {
    let body = &source[body_start..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut code = 0usize;
    let mut autolink = 0usize;
    let mut footnote_refs: Vec<(CowStr<'_>, usize)> = Vec::new();
    let mut footnote_defs: HashSet<CowStr<'_>> = HashSet::new();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => b.open(BlockKind::Paragraph),
                Tag::Heading { .. } => b.open(BlockKind::Heading),
                Tag::Item => b.open(BlockKind::ListItem),
                Tag::TableCell => b.open(BlockKind::TableCell),
                Tag::CodeBlock(_) | Tag::MetadataBlock(_) => code += 1,
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                } => {
                    b.attribution(range.start);
                    let is_url_text = matches!(link_type, LinkType::Autolink)
                        || (!dest_url.is_empty()
                            && source[range.clone()].trim_matches(['<', '>']) == &*dest_url);
                    if is_url_text {
                        autolink += 1;
                    }
                }
                Tag::FootnoteDefinition(label) => {
                    footnote_defs.insert(label);
                    b.open(BlockKind::Paragraph);
                }
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition => b.close(),
                TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => code = code.saturating_sub(1),
                TagEnd::Link => autolink = autolink.saturating_sub(1),
                _ => {}
            },
            Event::Text(_) if code == 0 && autolink == 0 => b.text(range, source),
            Event::Html(_) | Event::InlineHtml(_) if code == 0 => {
                html::read(source, range, b, false);
            }
            Event::FootnoteReference(label) => footnote_refs.push((label, range.start)),
            _ => {}
        }
    }
    for (label, at) in footnote_refs {
        if footnote_defs.contains(&label) {
            b.attribution(at);
        }
    }
}
