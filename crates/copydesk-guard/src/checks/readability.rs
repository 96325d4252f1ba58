//! `readability`: Flesch reading ease and Flesch–Kincaid grade per document and per paragraph
//! against the channel's targets, and over-long sentences.

use std::ops::Range;

use crate::check::{Emitter, Note};
use crate::document::BlockKind;
use crate::finding::{Category, Severity};
use crate::prose::scan_words;

const DOCUMENT: &str = "copydesk.readability.document";
const PARAGRAPH: &str = "copydesk.readability.paragraph";
const SENTENCE: &str = "copydesk.readability.sentence-length";

/// Paragraphs shorter than this are too small for the formulas to mean much.
const PARAGRAPH_MIN_WORDS: usize = 40;
const DOCUMENT_MIN_WORDS: usize = 100;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl Scores {
    pub fn add(&mut self, other: Scores) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.syllables += other.syllables;
    }

    /// Flesch reading ease: higher is easier; 60–70 is plain English.
    pub fn ease(&self) -> f64 {
        let (w, s, y) = (
            self.words.max(1) as f64,
            self.sentences.max(1) as f64,
            self.syllables as f64,
        );
        206.835 - 1.015 * (w / s) - 84.6 * (y / w)
    }

    /// Flesch–Kincaid grade level.
    pub fn grade(&self) -> f64 {
        let (w, s, y) = (
            self.words.max(1) as f64,
            self.sentences.max(1) as f64,
            self.syllables as f64,
        );
        0.39 * (w / s) + 11.8 * (y / w) - 15.59
    }
}

/// Scores of a piece of plain English text (for callers outside a check).
pub fn score(text: &str) -> Scores {
    let mut total = Scores::default();
    for s in crate::prose::sentences(text) {
        total.add(sentence_scores(text, s));
    }
    total
}

fn sentence_scores(text: &str, s: Range<usize>) -> Scores {
    let mut syllables = Vec::new();
    scan_words(text, s, |_, count| syllables.push(count));
    scores_of(&syllables)
}

/// The scores of one sentence from the syllables of its words (0: a word without letters,
/// which the formulas do not count).
fn scores_of(syllables: &[u32]) -> Scores {
    let mut sc = Scores::default();
    for &count in syllables {
        if count > 0 {
            sc.words += 1;
            sc.syllables += count as usize;
        }
    }
    sc.sentences = usize::from(sc.words > 0);
    sc
}

pub(crate) fn run(out: &mut Emitter<'_, '_, '_>) {
    let targets = out.rules.settings.targets(out.channel);
    let doc_level = out.level(DOCUMENT, Category::Readability, Severity::Suggestion);
    let para_level = out.level(PARAGRAPH, Category::Readability, Severity::Suggestion);
    let sent_level = out.level(SENTENCE, Category::Readability, Severity::Suggestion);
    if doc_level.is_none() && para_level.is_none() && sent_level.is_none() {
        return;
    }
    let mut total = Scores::default();
    let mut first_sentence: Option<Range<usize>> = None;
    let mut reports = Vec::new();
    for block in &out.prose.blocks {
        let mut para = Scores::default();
        for s in out.prose.sentences_of(block) {
            let sc = scores_of(out.prose.syllables_in(s.clone()));
            if first_sentence.is_none() && sc.words > 0 {
                first_sentence = Some(s.clone());
            }
            if let (Some(level), Some(max)) = (sent_level, targets.max_sentence_words) {
                if sc.words > max {
                    reports.push((
                        SENTENCE,
                        level,
                        s.clone(),
                        format!(
                            "sentence of {} words (the target is at most {max}): split it",
                            sc.words
                        ),
                    ));
                }
            }
            para.add(sc);
        }
        if block.kind == BlockKind::Paragraph && para.words >= PARAGRAPH_MIN_WORDS {
            if let Some(level) = para_level {
                if let Some(problem) = judge(para, targets.min_ease, targets.max_grade) {
                    let span = out
                        .prose
                        .sentences_of(block)
                        .first()
                        .cloned()
                        .unwrap_or(block.range.clone());
                    reports.push((PARAGRAPH, level, span, format!("hard paragraph: {problem}")));
                }
            }
        }
        total.add(para);
    }
    if let (Some(level), Some(span)) = (doc_level, first_sentence) {
        if total.words >= DOCUMENT_MIN_WORDS {
            if let Some(problem) = judge(total, targets.min_ease, targets.max_grade) {
                reports.push((DOCUMENT, level, span, format!("hard document: {problem}")));
            }
        }
    }
    for (id, level, span, message) in reports {
        out.emit(
            span,
            Note {
                rule: id,
                category: Category::Readability,
                severity: level,
                message,
                suggestions: vec!["use shorter sentences and plainer words".to_string()],
                fixable: false,
            },
        );
    }
}

fn judge(s: Scores, min_ease: Option<f64>, max_grade: Option<f64>) -> Option<String> {
    let (ease, grade) = (s.ease(), s.grade());
    let too_hard = min_ease.is_some_and(|m| ease < m);
    let too_high = max_grade.is_some_and(|m| grade > m);
    if !(too_hard || too_high) {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(m) = min_ease {
        parts.push(format!("Flesch reading ease {ease:.1} (target ≥ {m})"));
    }
    if let Some(m) = max_grade {
        parts.push(format!("Flesch–Kincaid grade {grade:.1} (target ≤ {m})"));
    }
    Some(parts.join(", "))
}
