//! Documents: the prose of a Markdown, HTML or plain-text file, as byte ranges of the original,
//! grouped into blocks, with its front matter, links and inline switches.

mod html;
mod markdown;
mod plain;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

/// How a file's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Text,
}

impl Format {
    /// The format a file extension names, if it names one.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdown" | "mkd" | "mdx" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// A guess from the content, for stdin and unknown extensions.
    pub fn sniff(text: &str) -> Format {
        let head = text.trim_start();
        let lower: String = head
            .chars()
            .take(64)
            .collect::<String>()
            .to_ascii_lowercase();
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return Format::Html;
        }
        if head.starts_with("---\n") || head.starts_with("---\r\n") || head.starts_with('#') {
            return Format::Markdown;
        }
        let first = head.lines().take(200);
        let markdownish = first.filter(|l| {
            let l = l.trim_start();
            l.starts_with("# ")
                || l.starts_with("## ")
                || l.starts_with("```")
                || l.starts_with("- ")
                || l.starts_with("* ")
                || l.contains("](")
        });
        if markdownish.count() > 0 {
            return Format::Markdown;
        }
        if lower.starts_with('<') {
            return Format::Html;
        }
        Format::Text
    }
}

/// Front matter fields the checks use. Read, never linted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Meta {
    pub channel: Option<String>,
    pub locale: Option<String>,
    pub sponsored: Option<bool>,
    /// The sponsor's name.
    pub brand: Option<String>,
    pub audience: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    TableCell,
}

/// A run of prose in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub range: Range<usize>,
    pub block: usize,
}

/// A parsed document. Parsing never fails: broken markup is read as well as it can be, and
/// malformed front matter is reported as a finding.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub source: &'a str,
    pub format: Format,
    pub meta: Meta,
    /// Where the front matter is broken, and how.
    pub meta_error: Option<(Range<usize>, String)>,
    pub(crate) segments: Vec<Segment>,
    pub(crate) blocks: Vec<BlockKind>,
    /// Byte offsets of links and of citation markers whose definition exists: attributions.
    pub(crate) attributions: Vec<usize>,
    /// HTML comments, where inline switches live.
    pub(crate) comments: Vec<Range<usize>>,
}

impl<'a> Document<'a> {
    /// Texts longer than 4 GiB are checked up to that point (offsets are kept in 32 bits).
    pub fn parse(source: &'a str, format: Format) -> Document<'a> {
        let mut cap = source.len().min(u32::MAX as usize);
        while !source.is_char_boundary(cap) {
            cap -= 1;
        }
        let source = &source[..cap];
        let mut b = Builder::default();
        let mut meta = Meta::default();
        let mut meta_error = None;
        let body_start = match format {
            Format::Markdown | Format::Text => match front_matter(source) {
                Some(fm) => {
                    match serde_yaml_ng::from_str::<Option<Meta>>(&source[fm.yaml.clone()]) {
                        Ok(m) => meta = m.unwrap_or_default(),
                        Err(e) => {
                            let at = e
                                .location()
                                .map(|l| fm.yaml.start + l.index())
                                .unwrap_or(fm.yaml.start)
                                .min(fm.yaml.end);
                            let end = source[at..fm.yaml.end]
                                .find('\n')
                                .map_or(fm.yaml.end, |n| at + n);
                            meta_error = Some((at..end, first_line(&e.to_string())));
                        }
                    }
                    fm.body_start
                }
                None => 0,
            },
            Format::Html => 0,
        };
        match format {
            Format::Markdown => markdown::read(source, body_start, &mut b),
            Format::Html => html::read(source, 0..source.len(), &mut b, true),
            Format::Text => plain::read(source, body_start, &mut b),
        }
        let mut doc = b.finish(source);
        doc.meta = meta;
        doc.meta_error = meta_error;
        doc.format = format;
        doc
    }

    /// The source range a block spans, from its first to its last prose byte.
    pub(crate) fn block_range(&self, block: usize) -> Option<Range<usize>> {
        let first = self.segments.iter().find(|s| s.block == block)?;
        let last = self
            .segments
            .iter()
            .rfind(|s| s.block == block)
            .unwrap_or(first);
        Some(first.range.start..last.range.end)
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

struct FrontMatter {
    yaml: Range<usize>,
    body_start: usize,
}

/// YAML front matter: `---` on the first line, closed by `---` or `...` on a line of its own.
fn front_matter(source: &str) -> Option<FrontMatter> {
    let rest = source.strip_prefix('\u{feff}').unwrap_or(source);
    let offset = source.len() - rest.len();
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = offset + first_end + 1;
    let mut pos = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Some(FrontMatter {
                yaml: yaml_start..pos,
                body_start: pos + line.len(),
            });
        }
        pos += line.len();
    }
    None
}

static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    crate::fast_regex(r"(?i)\b(?:https?://|www\.)[^\s<>()\[\]{}]+[^\s<>()\[\]{}.,;:!?'\x22]")
});
static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,6}|#x[0-9A-Fa-f]{1,6});").expect("literal regex")
});

/// Compiles the front ends' patterns now rather than on first use.
pub(crate) fn warm_up() {
    LazyLock::force(&BARE_URL);
    LazyLock::force(&ENTITY);
    plain::warm_up();
}

/// Collects prose segments as the front ends find them.
#[derive(Default)]
pub(crate) struct Builder {
    segments: Vec<Segment>,
    blocks: Vec<BlockKind>,
    open: Vec<(BlockKind, Option<usize>)>,
    attributions: Vec<usize>,
    comments: Vec<Range<usize>>,
    /// Used when text arrives outside any block (plain text, loose HTML).
    loose: Option<usize>,
}

impl Builder {
    pub fn open(&mut self, kind: BlockKind) {
        self.open.push((kind, None));
        self.loose = None;
    }

    pub fn close(&mut self) {
        self.open.pop();
        self.loose = None;
    }

    /// Ends the current loose block, so the next text starts a new one.
    pub fn boundary(&mut self) {
        self.loose = None;
    }

    pub fn text(&mut self, range: Range<usize>, source: &str) {
        if source
            .get(range.clone())
            .is_none_or(|t| t.chars().all(char::is_whitespace))
        {
            return;
        }
        let block = match self.open.last_mut() {
            Some((kind, id)) => match id {
                Some(id) => *id,
                None => {
                    self.blocks.push(*kind);
                    let new = self.blocks.len() - 1;
                    *id = Some(new);
                    new
                }
            },
            None => match self.loose {
                Some(id) => id,
                None => {
                    self.blocks.push(BlockKind::Paragraph);
                    let new = self.blocks.len() - 1;
                    self.loose = Some(new);
                    new
                }
            },
        };
        self.segments.push(Segment { range, block });
    }

    pub fn attribution(&mut self, at: usize) {
        self.attributions.push(at);
    }

    pub fn comment(&mut self, range: Range<usize>) {
        self.comments.push(range);
    }

    /// Cuts bare URLs and character references out of the prose (URLs count as attributions).
    fn finish(self, source: &str) -> Document<'_> {
        let mut segments = Vec::with_capacity(self.segments.len());
        let mut attributions = self.attributions;
        for seg in self.segments {
            let text = &source[seg.range.clone()];
            let bytes = text.as_bytes();
            let quick = memchr::memchr2(b':', b'&', bytes).is_some()
                || memchr::memmem::find(bytes, b"www.").is_some();
            if !quick {
                segments.push(seg);
                continue;
            }
            let mut cuts: Vec<Range<usize>> = Vec::new();
            for m in BARE_URL.find_iter(text) {
                attributions.push(seg.range.start + m.start());
                cuts.push(m.range());
            }
            for m in ENTITY.find_iter(text) {
                cuts.push(m.range());
            }
            cuts.sort_by_key(|r| r.start);
            let mut at = 0;
            for cut in cuts {
                if cut.start < at {
                    at = at.max(cut.end);
                    continue;
                }
                if cut.start > at {
                    segments.push(Segment {
                        range: seg.range.start + at..seg.range.start + cut.start,
                        block: seg.block,
                    });
                }
                at = cut.end;
            }
            if at < text.len() {
                segments.push(Segment {
                    range: seg.range.start + at..seg.range.end,
                    block: seg.block,
                });
            }
        }
        attributions.sort_unstable();
        Document {
            source,
            format: Format::Text,
            meta: Meta::default(),
            meta_error: None,
            segments,
            blocks: self.blocks,
            attributions,
            comments: self.comments,
        }
    }
}
