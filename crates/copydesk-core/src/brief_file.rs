//! Brief files: TOML, or Markdown with YAML (`---`) or TOML (`+++`) front matter whose
//! `## Heading` sections answer the open questions. Errors name the line and the field.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::brief::BriefContent;

/// Why a brief file could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location(*line, *column))]
pub struct BriefFileError {
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

/// The formats a brief file can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BriefFormat {
    Toml,
    Markdown,
}

impl BriefFormat {
    /// Picks the format from a file extension, or from the content when there is none.
    pub fn detect(extension: Option<&str>, content: &str) -> BriefFormat {
        match extension.map(|e| e.to_ascii_lowercase()) {
            Some(e) if e == "toml" => BriefFormat::Toml,
            Some(e) if e == "md" || e == "markdown" => BriefFormat::Markdown,
            // Front matter means Markdown; whatever parses as TOML is TOML (a TOML file may
            // open with a `# comment` that looks like a heading); broken TOML without headings
            // stays TOML, so its error is reported with its line.
            _ => {
                let first = content.trim_start().lines().next().unwrap_or("").trim_end();
                let fenced = first == "---" || first == "+++";
                let headed = content.lines().any(|l| l.starts_with('#'));
                if fenced || content.parse::<toml::Table>().is_err() && headed {
                    BriefFormat::Markdown
                } else {
                    BriefFormat::Toml
                }
            }
        }
    }
}

pub fn parse(content: &str, format: BriefFormat) -> Result<BriefContent, BriefFileError> {
    match format {
        BriefFormat::Toml => parse_toml(content, 0),
        BriefFormat::Markdown => parse_markdown(content),
    }
}

/// Parses TOML; `line_offset` shifts reported lines when the TOML is front matter.
fn parse_toml(content: &str, line_offset: usize) -> Result<BriefContent, BriefFileError> {
    toml::from_str(content).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let (l, c) = line_col(content, span.start);
                (Some(l + line_offset), Some(c))
            }
            None => (None, None),
        };
        BriefFileError {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

fn parse_yaml(content: &str, line_offset: usize) -> Result<BriefContent, BriefFileError> {
    if content.trim().is_empty() {
        return Ok(BriefContent::default());
    }
    serde_yaml_ng::from_str(content).map_err(|e| {
        let location = e.location();
        let message = e.to_string();
        // serde_yaml appends " at line L column C"; we report the location ourselves.
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        BriefFileError {
            line: location.as_ref().map(|l| l.line() + line_offset),
            column: location.as_ref().map(|l| l.column()),
            message,
        }
    })
}

fn parse_markdown(content: &str) -> Result<BriefContent, BriefFileError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let (mut brief, body, body_line) = split_front_matter(content)?;
    let mut seen: Vec<&'static str> = Vec::new();
    for section in sections(body) {
        let line = body_line + line_col(body, section.heading_at).0 - 1;
        let Some(field) = heading_field(&section.heading) else {
            return Err(BriefFileError {
                line: Some(line),
                column: None,
                message: format!(
                    "unknown section '## {}' (expected one of: {})",
                    section.heading,
                    SECTION_NAMES.join(", ")
                ),
            });
        };
        if seen.contains(&field) {
            return Err(BriefFileError {
                line: Some(line),
                column: None,
                message: format!("section for '{field}' appears twice"),
            });
        }
        seen.push(field);
        let text = section.text.trim().to_string();
        let slot = match field {
            "audience" => &mut brief.audience,
            "problem" => &mut brief.problem,
            "current_beliefs" => &mut brief.current_beliefs,
            "desired_understanding" => &mut brief.desired_understanding,
            "must_not_sound_like" => &mut brief.must_not_sound_like,
            "objective" => &mut brief.objective,
            "call_to_action" => &mut brief.call_to_action,
            _ => {
                // source_material: one reference per list item or line
                let items = text
                    .lines()
                    .map(|l| l.trim().trim_start_matches(['-', '*', '+']).trim())
                    .filter(|l| !l.is_empty())
                    .map(str::to_string);
                brief.source_material.extend(items);
                continue;
            }
        };
        if !slot.trim().is_empty() {
            return Err(BriefFileError {
                line: Some(line),
                column: None,
                message: format!("'{field}' is given both in the front matter and as a section"),
            });
        }
        *slot = text;
    }
    Ok(brief)
}

/// Returns the front matter's brief, the Markdown body, and the 1-based line the body starts on.
fn split_front_matter(content: &str) -> Result<(BriefContent, &str, usize), BriefFileError> {
    let first = content.lines().next().unwrap_or("").trim_end();
    let fence = match first {
        "---" => "---",
        "+++" => "+++",
        _ => return Ok((BriefContent::default(), content, 1)),
    };
    let after_open = content.find('\n').map(|i| i + 1).unwrap_or(content.len());
    let rest = &content[after_open..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            let matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + matter.lines().count() + 1;
            let brief = if fence == "---" {
                parse_yaml(matter, 1)?
            } else {
                parse_toml(matter, 1)?
            };
            return Ok((brief, body, body_line));
        }
        offset += line.len();
    }
    Err(BriefFileError {
        line: Some(1),
        column: None,
        message: format!("front matter opened with '{fence}' is never closed"),
    })
}

const SECTION_NAMES: &[&str] = &[
    "Audience (Who is this for?)",
    "Problem",
    "Current beliefs",
    "Desired understanding",
    "Must not sound like",
    "Source material",
    "Objective",
    "Call to action",
];

fn heading_field(heading: &str) -> Option<&'static str> {
    let h: String = heading
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
    let field = match h.as_str() {
        "audience" | "who is this for" => "audience",
        "problem" | "what problem are they trying to solve" => "problem",
        "current beliefs" | "what do they already believe" => "current_beliefs",
        "desired understanding" | "what do we want them to understand" => "desired_understanding",
        "must not sound like" | "what should this not sound like" => "must_not_sound_like",
        "source material" | "sources" | "what source material should shape it" => "source_material",
        "objective" => "objective",
        "call to action" | "cta" => "call_to_action",
        _ => return None,
    };
    Some(field)
}

struct Section {
    heading: String,
    heading_at: usize,
    text: String,
}

fn sections(body: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut in_heading: Option<(usize, String)> = None;
    let mut body_start: Option<usize> = None;
    let events: Vec<_> = Parser::new(body).into_offset_iter().collect();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H3 => {
                if let (Some(start), Some(last)) = (body_start.take(), out.last_mut()) {
                    last.text = body[start..range.start].to_string();
                }
                in_heading = Some((range.start, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = in_heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(level)) if level <= HeadingLevel::H3 => {
                if let Some((at, heading)) = in_heading.take() {
                    // a level-1 heading is the document title, not a question
                    if level == HeadingLevel::H1 {
                        continue;
                    }
                    out.push(Section {
                        heading: heading.trim().to_string(),
                        heading_at: at,
                        text: String::new(),
                    });
                    body_start = Some(range.end);
                }
            }
            _ => {}
        }
    }
    if let (Some(start), Some(last)) = (body_start, out.last_mut()) {
        last.text = body[start..].to_string();
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = text.get(..byte).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reach;

    #[test]
    fn markdown_sections_fill_the_open_questions() {
        let text = "---\ntitle: Launch\nchannel: blog\nreach: owned\nclaims:\n  - claim: one day close\n    proof: median of 212\n    source: usage report\n---\n# Launch\n\n## Who is this for?\nFinance leads at retailers.\n\n## Problem\nPayroll takes three days.\n\n## Source material\n- interview with Ana\n- ticket 4411\n";
        let brief = parse(text, BriefFormat::Markdown).expect("valid brief");
        assert_eq!(brief.title, "Launch");
        assert_eq!(brief.reach, Some(Reach::Owned));
        assert_eq!(brief.audience, "Finance leads at retailers.");
        assert_eq!(brief.problem, "Payroll takes three days.");
        assert_eq!(brief.source_material, ["interview with Ana", "ticket 4411"]);
        assert_eq!(brief.claims[0].source, "usage report");
    }

    #[test]
    fn errors_name_the_line() {
        let yaml = "---\ntitle: x\nreach: moon\n---\n";
        let err = parse(yaml, BriefFormat::Markdown).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.contains("unknown variant `moon`"),
            "{}",
            err.message
        );

        let toml = "title = \"x\"\naudiense = \"typo\"\n";
        let err = parse(toml, BriefFormat::Toml).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("unknown field `audiense`"),
            "{}",
            err.message
        );

        let md = "## Audience\nA\n\n## Budget\n1\n";
        let err = parse(md, BriefFormat::Markdown).unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err
            .to_string()
            .starts_with("line 4: unknown section '## Budget'"));
    }

    #[test]
    fn content_without_an_extension_is_told_apart() {
        let toml = "# Q4 launch brief\ntitle = \"Launch\"\n";
        assert_eq!(BriefFormat::detect(None, toml), BriefFormat::Toml);
        assert_eq!(
            BriefFormat::detect(None, "# Launch\n\n## Audience\nx\n"),
            BriefFormat::Markdown
        );
        assert_eq!(
            BriefFormat::detect(None, "---\ntitle: x\n---\n"),
            BriefFormat::Markdown
        );
        assert_eq!(BriefFormat::detect(Some("TOML"), "## x"), BriefFormat::Toml);
        assert_eq!(
            BriefFormat::detect(None, "title = \"unterminated\n"),
            BriefFormat::Toml
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = parse("---\ntitle: x\n", BriefFormat::Markdown).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: front matter opened with '---' is never closed"
        );
    }
}
