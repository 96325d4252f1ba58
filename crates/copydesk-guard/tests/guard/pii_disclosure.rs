use copydesk_guard::{check_text, CheckOptions, Format};

use crate::{builtin, check, matches, of};

#[test]
fn emails_phones_cards_ibans_and_ssns() {
    let f = check(
        "Write to jane.doe@example.com or call +44 20 7946 0958 or (415) 555-2671. \
         Card 4111 1111 1111 1111 paid; IBAN GB82 WEST 1234 5698 7654 32. SSN 123-45-6789.",
    );
    let rules: Vec<&str> = of(&f, "pii").iter().map(|(r, _)| *r).collect();
    assert_eq!(
        rules,
        [
            "copydesk.pii.email",
            "copydesk.pii.phone",
            "copydesk.pii.phone",
            "copydesk.pii.card",
            "copydesk.pii.iban",
            "copydesk.pii.ssn"
        ]
    );
    for finding in f.iter().filter(|f| f.category.as_str() == "pii") {
        assert!(
            !finding.message.contains(&finding.matched),
            "{} repeats the value",
            finding.message
        );
    }
}

#[test]
fn invalid_numbers_are_not_personal_data() {
    let f = check(
        "Order 4111 1111 1111 1112 shipped. IBAN GB82 WEST 1234 5698 7654 33 is wrong. \
         SSN 000-12-3456 is not issued. We grew 2024 to 2025 by 15 points. Version 10.2.3.",
    );
    assert!(matches(&f, "pii").is_empty(), "{:?}", matches(&f, "pii"));
}

fn post(front: &str, body: &str) -> Vec<copydesk_guard::Finding> {
    let text = format!("---\n{front}\n---\n{body}");
    check_text(builtin(), &text, Format::Markdown, &CheckOptions::default())
}

#[test]
fn sponsored_posts_need_a_conspicuous_disclosure() {
    let disclosed = post(
        "channel: instagram\nsponsored: true\nbrand: Acme",
        "#ad Loving my new Acme boots for the trail.\n",
    );
    assert!(of(&disclosed, "disclosure").is_empty(), "{disclosed:?}");
    let partnership = post(
        "sponsored: true",
        "Paid partnership with Acme. Loving my boots.\n",
    );
    assert!(of(&partnership, "disclosure").is_empty());

    let long = "Loving my new boots. ".repeat(10);
    let buried = post(
        "channel: instagram\nsponsored: true",
        &format!("{long}\n\n#travel #hiking #boots #ad\n"),
    );
    assert_eq!(
        of(&buried, "disclosure"),
        [("copydesk.disclosure.buried", "#ad")]
    );
    let b = buried
        .iter()
        .find(|f| f.category.as_str() == "disclosure")
        .expect("buried");
    assert!(
        b.message.contains("buried") && b.message.contains("3 other hashtag"),
        "{}",
        b.message
    );

    let missing = post(
        "channel: instagram\nsponsored: true\nbrand: Acme",
        "Loving my new Acme boots. #travel\n",
    );
    let m: Vec<_> = missing
        .iter()
        .filter(|f| f.category.as_str() == "disclosure")
        .collect();
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].rule, "copydesk.disclosure.missing");
    assert!(
        m[0].message.contains("Paid partnership with Acme"),
        "{}",
        m[0].message
    );
    assert_eq!(m[0].severity.as_str(), "error");

    let unsponsored = post("channel: instagram", "Loving my new boots. #travel\n");
    assert!(of(&unsponsored, "disclosure").is_empty());
}

#[test]
fn a_buried_disclosure_after_multibyte_text_is_reported_not_a_panic() {
    // regression: the look-back for hashtags sliced inside '€'
    // shifting the marker byte by byte makes the look-back land inside a '€' at least once
    for pad in 0..40 {
        let body = format!(
            "{}{}\n\n#travel #ad\n",
            "Save €5 on boots today and more. ".repeat(7),
            "x".repeat(pad)
        );
        let f = post("sponsored: true", &body);
        assert_eq!(
            of(&f, "disclosure"),
            [("copydesk.disclosure.buried", "#ad")]
        );
    }
}

#[test]
fn the_first_line_of_a_short_post_is_conspicuous() {
    let long_first_line = format!(
        "{} #ad\n\nMore words here.\n",
        "Loving my new boots on the trail today ".repeat(4)
    );
    let f = post("sponsored: true", &long_first_line);
    assert!(of(&f, "disclosure").is_empty(), "{f:?}");
}

#[test]
fn the_cli_option_overrides_front_matter() {
    let opts = CheckOptions {
        channel: None,
        sponsored: Some(true),
    };
    let f = check_text(builtin(), "Loving my boots.", Format::Text, &opts);
    assert_eq!(of(&f, "disclosure").len(), 1);
}
