//! Differences between two versions, by word (for prose) or by line.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Words,
    Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    Equal,
    Delete,
    Insert,
}

/// One run of text that is kept, removed or added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffOp {
    pub op: OpKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DiffStats {
    pub inserted: usize,
    pub deleted: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub granularity: Granularity,
    pub ops: Vec<DiffOp>,
    /// Words (or lines) added and removed.
    pub stats: DiffStats,
}

pub fn diff(old: &str, new: &str, granularity: Granularity) -> Diff {
    let text_diff = match granularity {
        Granularity::Words => TextDiff::configure()
            .algorithm(similar::Algorithm::Patience)
            .diff_words(old, new),
        Granularity::Lines => TextDiff::configure()
            .algorithm(similar::Algorithm::Patience)
            .diff_lines(old, new),
    };
    let mut ops: Vec<DiffOp> = Vec::new();
    let mut stats = DiffStats::default();
    for change in text_diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => OpKind::Equal,
            ChangeTag::Delete => OpKind::Delete,
            ChangeTag::Insert => OpKind::Insert,
        };
        let text = change.value();
        let counted = match granularity {
            Granularity::Words => !text.trim().is_empty(),
            Granularity::Lines => true,
        };
        if counted {
            match op {
                OpKind::Insert => stats.inserted += 1,
                OpKind::Delete => stats.deleted += 1,
                OpKind::Equal => {}
            }
        }
        match ops.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => ops.push(DiffOp {
                op,
                text: text.to_string(),
            }),
        }
    }
    if granularity == Granularity::Words {
        ops = merge_hunks(ops);
    }
    Diff {
        granularity,
        ops,
        stats,
    }
}

/// Folds whitespace that separates changes into the changes, so a rewritten phrase reads
/// as one removal and one insertion instead of alternating single words.
fn merge_hunks(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::new();
    let mut deleted = String::new();
    let mut inserted = String::new();
    let mut pending_space: Option<String> = None;
    let flush = |out: &mut Vec<DiffOp>, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            out.push(DiffOp {
                op: OpKind::Delete,
                text: std::mem::take(deleted),
            });
        }
        if !inserted.is_empty() {
            out.push(DiffOp {
                op: OpKind::Insert,
                text: std::mem::take(inserted),
            });
        }
    };
    let in_hunk = |d: &String, i: &String| !d.is_empty() || !i.is_empty();
    for op in ops {
        match op.op {
            OpKind::Equal if op.text.trim().is_empty() && in_hunk(&deleted, &inserted) => {
                pending_space = Some(op.text);
            }
            OpKind::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                if let Some(space) = pending_space.take() {
                    out.push(DiffOp {
                        op: OpKind::Equal,
                        text: space,
                    });
                }
                match out.last_mut() {
                    Some(last) if last.op == OpKind::Equal => last.text.push_str(&op.text),
                    _ => out.push(op),
                }
            }
            OpKind::Delete | OpKind::Insert => {
                if let Some(space) = pending_space.take() {
                    if !deleted.is_empty() {
                        deleted.push_str(&space);
                    }
                    if !inserted.is_empty() {
                        inserted.push_str(&space);
                    }
                }
                if op.op == OpKind::Delete {
                    deleted.push_str(&op.text);
                } else {
                    inserted.push_str(&op.text);
                }
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    if let Some(space) = pending_space {
        out.push(DiffOp {
            op: OpKind::Equal,
            text: space,
        });
    }
    out
}

impl Diff {
    /// Word diffs as `[-removed-]{+added+}` inline, line diffs as `-`/`+`/` ` prefixed lines.
    pub fn render_plain(&self) -> String {
        let mut out = String::new();
        match self.granularity {
            Granularity::Words => {
                for op in &self.ops {
                    match op.op {
                        OpKind::Equal => out.push_str(&op.text),
                        OpKind::Delete => {
                            out.push_str("[-");
                            out.push_str(&op.text);
                            out.push_str("-]");
                        }
                        OpKind::Insert => {
                            out.push_str("{+");
                            out.push_str(&op.text);
                            out.push_str("+}");
                        }
                    }
                }
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Granularity::Lines => {
                for op in &self.ops {
                    let sign = match op.op {
                        OpKind::Equal => ' ',
                        OpKind::Delete => '-',
                        OpKind::Insert => '+',
                    };
                    for line in op.text.lines() {
                        out.push(sign);
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changed_words() {
        let d = diff(
            "Close payroll in three days.",
            "Close payroll in one day.",
            Granularity::Words,
        );
        assert_eq!(
            d.render_plain(),
            "Close payroll in [-three days.-]{+one day.+}\n"
        );
        assert_eq!(
            d.stats,
            DiffStats {
                inserted: 2,
                deleted: 2
            }
        );
    }

    #[test]
    fn line_diff_prefixes_lines() {
        let d = diff("a\nb\nc\n", "a\nB\nc\n", Granularity::Lines);
        assert_eq!(d.render_plain(), " a\n-b\n+B\n c\n");
        assert_eq!(
            d.stats,
            DiffStats {
                inserted: 1,
                deleted: 1
            }
        );
    }

    #[test]
    fn identical_texts_have_no_changes() {
        let d = diff("same", "same", Granularity::Words);
        assert_eq!(d.stats, DiffStats::default());
        assert!(d.ops.iter().all(|op| op.op == OpKind::Equal));
    }
}
