//! The offline outline: the brief's own structure (problem, current belief, what to
//! understand, each claim with its proof and source, the call to action), each section
//! backed by the source sentences that say it best.

use std::collections::HashSet;

use serde::Serialize;

use copydesk_core::brief::BriefContent;

use crate::prompt::SourceText;
use crate::rank;
use crate::text::capitalise;

/// A sentence of source material quoted in the outline, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub text: String,
    pub source_id: String,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: String,
    pub points: Vec<String>,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outline {
    pub title: String,
    pub sections: Vec<Section>,
    /// Ids of the sources quoted.
    pub sources_used: Vec<String>,
}

/// Builds the outline. Each source sentence is quoted at most once, in the section whose
/// question it answers best, and only when it shares words with that section.
pub fn outline(brief: &BriefContent, sources: &[SourceText]) -> Outline {
    // each sentence with its source, and (same index) its terms for ranking
    let sentences: Vec<(&str, &SourceText)> = sources
        .iter()
        .flat_map(|source| {
            rank::sentences(&source.text)
                .into_iter()
                .map(move |text| (text, source))
        })
        .collect();
    let documents: Vec<Vec<String>> = sentences
        .iter()
        .map(|(text, _)| rank::terms(text))
        .collect();
    let mut quoted: HashSet<usize> = HashSet::new();
    let mut quotes_for = |query: &str, max: usize| -> Vec<Quote> {
        let query = rank::terms(query);
        let wanted: HashSet<&str> = query.iter().map(String::as_str).collect();
        // one shared word is chance; a sentence must share two with a question of four or more
        let needed = if wanted.len() >= 4 { 2 } else { 1 };
        let mut out = Vec::new();
        for (i, score) in rank::order(&query, &documents) {
            if out.len() == max || score <= 0.0 {
                break;
            }
            let shared: HashSet<&str> = documents[i]
                .iter()
                .map(String::as_str)
                .filter(|t| wanted.contains(t))
                .collect();
            if shared.len() < needed {
                continue;
            }
            if quoted.insert(i) {
                let (text, source) = sentences[i];
                out.push(Quote {
                    text: text.to_string(),
                    source_id: source.id.clone(),
                    origin: source.origin.clone(),
                });
            }
        }
        out
    };

    let mut sections = vec![
        Section {
            heading: "The problem".into(),
            points: vec![format!(
                "{}: {}",
                capitalise(brief.audience.trim().trim_end_matches('.')),
                brief.problem.trim()
            )],
            quotes: quotes_for(&brief.problem, 2),
        },
        Section {
            heading: "What they believe now".into(),
            points: vec![capitalise(brief.current_beliefs.trim())],
            quotes: quotes_for(&brief.current_beliefs, 2),
        },
        Section {
            heading: "What we want them to understand".into(),
            points: vec![capitalise(brief.desired_understanding.trim())],
            quotes: quotes_for(&brief.desired_understanding, 1),
        },
    ];
    for claim in &brief.claims {
        sections.push(Section {
            heading: format!("Claim: {}", capitalise(claim.claim.trim())),
            points: vec![
                format!("Proof: {}", claim.proof.trim()),
                format!("Source: {}", claim.source.trim()),
            ],
            quotes: quotes_for(&format!("{} {}", claim.claim, claim.proof), 1),
        });
    }
    sections.push(Section {
        heading: "Call to action".into(),
        points: vec![brief.call_to_action.trim().to_string()],
        quotes: Vec::new(),
    });
    let mut sources_used: Vec<String> = Vec::new();
    for q in sections.iter().flat_map(|s| &s.quotes) {
        if !sources_used.contains(&q.source_id) {
            sources_used.push(q.source_id.clone());
        }
    }
    Outline {
        title: brief.title.trim().to_string(),
        sections,
        sources_used,
    }
}

impl Outline {
    /// The outline as Markdown, the text of the version it becomes.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n", self.title);
        for section in &self.sections {
            out.push_str(&format!("\n## {}\n\n", section.heading));
            for point in &section.points {
                out.push_str(&format!("- {point}\n"));
            }
            for q in &section.quotes {
                out.push_str(&format!(
                    "\n> {} — {} [{}]\n",
                    q.text, q.origin, q.source_id
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_core::brief::Claim;

    #[test]
    fn sections_follow_the_brief_and_quote_the_best_source_sentences() {
        let brief = BriefContent {
            title: "Payroll in a day".into(),
            audience: "finance leads at retailers".into(),
            problem: "month-end payroll reconciliation takes three days".into(),
            current_beliefs: "automation needs expensive consultants".into(),
            desired_understanding: "a team of two can switch in a week".into(),
            claims: vec![Claim {
                claim: "customers close payroll in one day".into(),
                proof: "median close time across 212 customers".into(),
                source: "2026 usage report".into(),
            }],
            call_to_action: "Book a demo".into(),
            ..Default::default()
        };
        let sources = vec![
            SourceText {
                id: "S1".into(),
                kind: "interview".into(),
                origin: "interview, finance lead".into(),
                text: "Reconciliation at month-end took us three days. We thought we needed consultants for automation. The coffee was fine.".into(),
            },
            SourceText {
                id: "S2".into(),
                kind: "product_data".into(),
                origin: "usage report".into(),
                text: "Median close time across customers fell to one day.".into(),
            },
        ];
        let o = outline(&brief, &sources);
        let headings: Vec<_> = o.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "The problem",
                "What they believe now",
                "What we want them to understand",
                "Claim: Customers close payroll in one day",
                "Call to action"
            ]
        );
        assert_eq!(
            o.sections[0].quotes[0].text,
            "Reconciliation at month-end took us three days."
        );
        assert_eq!(
            o.sections[1].quotes[0].text,
            "We thought we needed consultants for automation."
        );
        assert_eq!(o.sections[3].quotes[0].source_id, "S2");
        let all: Vec<_> = o
            .sections
            .iter()
            .flat_map(|s| &s.quotes)
            .map(|q| q.text.as_str())
            .collect();
        assert!(!all.contains(&"The coffee was fine."));
        let md = o.to_markdown();
        assert!(md.starts_with("# Payroll in a day\n"));
        assert!(md.contains("- Source: 2026 usage report"));
    }
}
