//! Offline variants: headlines, subject lines and calls to action for one lever, from the
//! brief's claims and call to action by templates per lever. A test varies one lever; the
//! templates keep everything else as the brief says it.

use serde::Serialize;

use copydesk_core::brief::BriefContent;
use copydesk_core::Lever;

use crate::text::capitalise;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantKind {
    Headline,
    SubjectLine,
    CallToAction,
}

impl VariantKind {
    /// The longest a variant of this kind may be, in characters.
    pub fn limit(self) -> usize {
        match self {
            VariantKind::Headline => 70,
            VariantKind::SubjectLine => 60,
            VariantKind::CallToAction => 30,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VariantKind::Headline => "Headlines",
            VariantKind::SubjectLine => "Subject lines",
            VariantKind::CallToAction => "Calls to action",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    pub kind: VariantKind,
    pub lever: Lever,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariantSet {
    pub lever: Lever,
    pub hypothesis: String,
    pub variants: Vec<Variant>,
}

/// Fills of the templates: `{claim}`, `{short}` (the claim without its trailing clause), `{proof}`, `{source}`, `{audience}`, `{problem}`,
/// `{understanding}`, `{cta}`.
fn templates(lever: Lever, kind: VariantKind) -> &'static [&'static str] {
    use Lever::*;
    use VariantKind::*;
    match (lever, kind) {
        (Clarity, Headline) => &[
            "{Short}",
            "{Claim}",
            "{Understanding}",
            "What changes: {claim}",
            "{Claim}. Here is how.",
        ],
        (Clarity, SubjectLine) => &["{Short}", "{Claim}", "How {claim}", "{Understanding}"],
        (Clarity, CallToAction) => &["{Cta}", "See how it works", "{Cta} now"],
        (Urgency, Headline) => &[
            "{Short}, starting this month",
            "Still losing time to {problem}?",
            "{Problem}: fix it this month",
            "Stop {problem} before next month-end",
        ],
        (Urgency, SubjectLine) => &[
            "This month: {short}",
            "Before next month: {claim}",
            "This month: {claim}",
        ],
        (Urgency, CallToAction) => &["{Cta} today", "{Cta} this week"],
        (EmotionalAppeal, Headline) => &[
            "{Short}. Finally.",
            "Tired of {problem}?",
            "No more {problem}",
            "{Problem} should not cost your evenings",
        ],
        (EmotionalAppeal, SubjectLine) => &[
            "Finally: {short}",
            "Tired of {problem}?",
            "What if {claim}?",
        ],
        (EmotionalAppeal, CallToAction) => &["{Cta}", "Get your time back"],
        (Proof, Headline) => &[
            "Measured: {short}",
            "{Claim} ({source})",
            "{Proof}: {claim}",
            "{Claim}, says the {source}",
        ],
        (Proof, SubjectLine) => &[
            "Measured: {short}",
            "{Claim} ({source})",
            "The numbers: {claim}",
        ],
        (Proof, CallToAction) => &["See the {source}", "{Cta}"],
        (Relevance, Headline) => &[
            "For teams like yours: {short}",
            "For {audience}: {claim}",
            "{Audience}: {understanding}",
            "Built for {audience}",
        ],
        (Relevance, SubjectLine) => &[
            "For your team: {short}",
            "For {audience}: {claim}",
            "{Audience}, {claim}",
        ],
        (Relevance, CallToAction) => &["{Cta}", "See it for your team"],
        (RiskReduction, Headline) => &[
            "{Short}, without the risk",
            "{Understanding}",
            "{Claim} — without the risk",
            "Switching is easier than you think: {understanding}",
        ],
        (RiskReduction, SubjectLine) => &[
            "{Short}, risk-free to try",
            "{Understanding}",
            "No consultants needed: {claim}",
        ],
        (RiskReduction, CallToAction) => &["{Cta}, no commitment", "Try it safely"],
        (ValueFraming, Headline) => &[
            "{Short}: what that is worth",
            "What {problem} really costs you",
            "{Claim}: the time you get back",
            "The cost of {problem}, and the alternative",
        ],
        (ValueFraming, SubjectLine) => &[
            "What {short} is worth",
            "What {problem} costs you",
            "{Claim}: worth it?",
        ],
        (ValueFraming, CallToAction) => &["{Cta}", "See what you save"],
    }
}

fn fill(template: &str, brief: &BriefContent, claim_index: usize) -> String {
    let claim = brief.claims.get(claim_index).or(brief.claims.first());
    let pairs = [
        ("claim", claim.map_or("", |c| c.claim.as_str())),
        ("short", claim.map_or("", |c| short(&c.claim))),
        ("proof", claim.map_or("", |c| c.proof.as_str())),
        ("source", claim.map_or("", |c| c.source.as_str())),
        ("audience", brief.audience.as_str()),
        ("problem", brief.problem.as_str()),
        ("understanding", brief.desired_understanding.as_str()),
        ("cta", brief.call_to_action.as_str()),
    ];
    let mut out = template.to_string();
    for (key, value) in pairs {
        let value = value.trim().trim_end_matches('.');
        out = out.replace(&format!("{{{key}}}"), value);
        out = out.replace(&format!("{{{}}}", capitalise(key)), &capitalise(value));
    }
    out
}

/// A claim without its trailing clause ("…, instead of three"), for the shorter forms.
fn short(claim: &str) -> &str {
    let claim = claim.trim();
    [
        ",",
        " — ",
        " - ",
        " instead of ",
        " because ",
        " so that ",
        " compared ",
    ]
    .iter()
    .filter_map(|cut| claim.find(cut))
    .min()
    .map_or(claim, |at| &claim[..at])
}

/// Up to `count` variants of each kind for `lever`. A fill longer than its kind's limit is
/// dropped, not cut: a headline cut mid-phrase tests nothing.
pub fn variants(brief: &BriefContent, lever: Lever, hypothesis: &str, count: usize) -> VariantSet {
    let mut out = Vec::new();
    let claims = brief.claims.len().max(1);
    for kind in [
        VariantKind::Headline,
        VariantKind::SubjectLine,
        VariantKind::CallToAction,
    ] {
        let mut made: Vec<String> = Vec::new();
        'fill: for claim in 0..claims {
            for template in templates(lever, kind) {
                if made.len() == count {
                    break 'fill;
                }
                let text = fill(template, brief, claim);
                let fits = text.chars().count() <= kind.limit();
                let filled = !text.trim().is_empty() && !text.contains('{');
                if fits && filled && !made.iter().any(|m| m.eq_ignore_ascii_case(&text)) {
                    made.push(text);
                }
            }
        }
        out.extend(made.into_iter().map(|text| Variant { kind, lever, text }));
    }
    VariantSet {
        lever,
        hypothesis: hypothesis.trim().to_string(),
        variants: out,
    }
}

impl VariantSet {
    /// The variants as Markdown, grouped by kind.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# Variants: lever {}\n\nHypothesis: {}\n",
            self.lever, self.hypothesis
        );
        for kind in [
            VariantKind::Headline,
            VariantKind::SubjectLine,
            VariantKind::CallToAction,
        ] {
            out.push_str(&format!("\n## {}\n\n", kind.label()));
            for v in self.variants.iter().filter(|v| v.kind == kind) {
                out.push_str(&format!("- {}\n", v.text));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use copydesk_core::brief::Claim;

    fn brief() -> BriefContent {
        BriefContent {
            audience: "finance leads".into(),
            problem: "three-day payroll closes".into(),
            desired_understanding: "a team of two can switch in a week".into(),
            claims: vec![Claim {
                claim: "customers close payroll in one day".into(),
                proof: "median across 212 customers".into(),
                source: "2026 usage report".into(),
            }],
            call_to_action: "Book a demo".into(),
            ..Default::default()
        }
    }

    #[test]
    fn every_lever_gives_variants_within_limits() {
        for lever in Lever::ALL {
            let set = variants(&brief(), *lever, "h", 3);
            for kind in [
                VariantKind::Headline,
                VariantKind::SubjectLine,
                VariantKind::CallToAction,
            ] {
                let of_kind: Vec<_> = set.variants.iter().filter(|v| v.kind == kind).collect();
                assert!(!of_kind.is_empty(), "{lever} has no {kind:?}");
                assert!(of_kind.len() <= 3);
                for v in of_kind {
                    assert!(v.text.chars().count() <= kind.limit(), "{}", v.text);
                    assert!(!v.text.contains('{'));
                }
            }
        }
    }

    #[test]
    fn proof_variants_name_the_source() {
        let set = variants(&brief(), Lever::Proof, "h", 5);
        let headline = &set.variants[1];
        assert_eq!(
            headline.text,
            "Customers close payroll in one day (2026 usage report)"
        );
    }
}

#[cfg(test)]
mod long_claims {
    use super::*;
    use copydesk_core::brief::Claim;

    #[test]
    fn a_long_claim_still_gives_headlines_through_its_short_form() {
        let brief = BriefContent {
            claims: vec![Claim {
                claim: "Customers close monthly payroll in one day instead of three".into(),
                proof: "median close time across 212 customers, Jan–Sep 2026".into(),
                source: "2026 customer usage report, product analytics".into(),
            }],
            call_to_action: "Book a 20-minute payroll demo".into(),
            ..Default::default()
        };
        let set = variants(&brief, Lever::Proof, "h", 3);
        let headlines: Vec<_> = set
            .variants
            .iter()
            .filter(|v| v.kind == VariantKind::Headline)
            .collect();
        assert!(!headlines.is_empty());
        assert_eq!(
            headlines[0].text,
            "Measured: Customers close monthly payroll in one day"
        );
    }
}
