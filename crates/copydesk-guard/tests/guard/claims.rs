use crate::{check, matches, of};

#[test]
fn unsourced_statistics_are_found() {
    let f = check("Teams cut onboarding time by 42% last year.\n\nSpend drops up to 40 percent.\n");
    assert_eq!(matches(&f, "claim"), ["42%", "up to 40 percent"]);
    assert!(of(&f, "claim")
        .iter()
        .all(|(r, _)| *r == "copydesk.claim.unsourced-statistic"));
}

#[test]
fn a_source_in_the_same_sentence_or_the_next_counts() {
    let sourced = [
        "Teams cut onboarding time by 42%, according to the 2025 Acme customer survey.",
        "Teams cut onboarding time by 42% (source: Forrester, 2024).",
        "A 2024 study by Forrester found a 42% drop in onboarding time.",
        "Teams cut onboarding time by 42%. That is what Gartner reported in its 2025 Market Guide report by Gartner.",
        "Teams cut onboarding time by 42% ([survey](https://example.com/survey)).",
        "Teams cut onboarding time by 42%.[^1]\n\n[^1]: Acme customer survey, 2025.",
        "Teams cut onboarding time by 42% according to https://example.com/report.",
    ];
    for text in sourced {
        let f = check(text);
        assert!(
            matches(&f, "claim").is_empty(),
            "{text}: {:?}",
            matches(&f, "claim")
        );
    }
}

#[test]
fn unnamed_sources_are_not_sources() {
    let unsourced = [
        "Teams cut onboarding time by 42% (industry estimate).",
        "Experts say teams cut onboarding time by 42%.",
        "Research shows teams cut onboarding time by 42%.",
        "Teams cut onboarding time by 42%, according to experts.",
        "Teams cut onboarding time by 42%.[^1]",
    ];
    for text in unsourced {
        let f = check(text);
        assert!(
            matches(&f, "claim").iter().any(|m| m.contains("42%")),
            "{text}: {f:?}"
        );
    }
}

#[test]
fn a_source_two_sentences_later_is_too_far() {
    let f = check("Teams cut onboarding by 42%. It is quick. Source: Acme survey 2025.");
    assert_eq!(matches(&f, "claim"), ["42%"]);
}

#[test]
fn a_source_line_after_the_paragraph_counts() {
    let f = check("Teams cut onboarding by 42%.\n\nSource: Acme customer survey, 2025.");
    assert!(matches(&f, "claim").is_empty(), "{f:?}");
}

#[test]
fn multipliers_durations_counts_money_and_research_claims() {
    let f = check(
        "Get 3.5x ROI within 90 days. It runs 2X faster and doubles output. \
         Trusted by 10,000 teams and 2 million users. Customers saved $1.2M in revenue leakage. \
         Our method is proven to work. Studies show buyers agree.",
    );
    let rules: Vec<&str> = of(&f, "claim").iter().map(|(r, _)| *r).collect();
    for want in [
        "copydesk.claim.unsourced-multiplier",
        "copydesk.claim.promised-duration",
        "copydesk.claim.unsourced-count",
        "copydesk.claim.unsourced-money",
        "copydesk.claim.unnamed-research",
    ] {
        assert!(rules.contains(&want), "{want} missing from {rules:?}");
    }
    let m = matches(&f, "claim");
    for want in [
        "3.5x",
        "within 90 days",
        "2X",
        "doubles",
        "10,000 teams",
        "2 million users",
        "$1.2M",
        "proven to",
        "Studies show",
    ] {
        assert!(m.contains(&want), "{want} missing from {m:?}");
    }
}

#[test]
fn ordinary_numbers_are_not_claims() {
    let f = check(
        "Join our webinar on 12 March at 3 pm. Chapter 2 covers setup. \
         The plan costs $29 a month. Call us in 2 days. We have 5 teams in 3 offices. Resolution 1080x1920.",
    );
    assert!(
        matches(&f, "claim").is_empty(),
        "{:?}",
        matches(&f, "claim")
    );
}
