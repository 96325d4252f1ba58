use copydesk_guard::{KitFiles, Rules};

use crate::{check_with, kit_rules};

#[test]
fn existence_with_tokens_raw_nonword_exceptions_and_message() {
    let rules = kit_rules(&[(
        "Acme.Hedging",
        "extends: existence\nmessage: \"Avoid '%s'\"\nlevel: error\nignorecase: true\ntokens:\n  - very\n  - really\n  - (?:kind|sort) of\nexceptions:\n  - Really\n",
    )]);
    let f = check_with(
        &rules,
        "It is very good and kind of fast. Really? Veryfast.",
    );
    let ours: Vec<_> = f.iter().filter(|f| f.rule == "Acme.Hedging").collect();
    let m: Vec<&str> = ours.iter().map(|f| f.matched.as_str()).collect();
    assert_eq!(m, ["very", "kind of"]);
    assert_eq!(ours[0].message, "Avoid 'very'");
    assert_eq!(ours[0].severity.as_str(), "error");
    assert_eq!(ours[0].category.as_str(), "style");
}

#[test]
fn substitution_suggests_and_fixes() {
    let rules = kit_rules(&[(
        "Acme.Words",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\nignorecase: true\nswap:\n  e-mail: email\n  log(?:-| )in: sign in\n  utilise|utilize: use\n",
    )]);
    let text = "Send an e-mail, then log in to utilise it.";
    let f = check_with(&rules, text);
    let ours: Vec<_> = f.iter().filter(|f| f.rule == "Acme.Words").collect();
    assert_eq!(
        ours.iter().map(|f| f.matched.as_str()).collect::<Vec<_>>(),
        ["e-mail", "log in", "utilise"]
    );
    assert_eq!(ours[0].message, "Use 'email' instead of 'e-mail'.");
    let (fixed, _) = copydesk_guard::fix::apply(text, &f);
    assert_eq!(fixed, "Send an email, then sign in to use it.");
}

#[test]
fn occurrence_counts_per_scope() {
    let rules = kit_rules(&[(
        "Acme.SentenceLength",
        "extends: occurrence\nmessage: \"Sentence has %s words; keep it under 8\"\nscope: sentence\nlevel: suggestion\nmax: 8\ntoken: '\\b(\\w+)\\b'\n",
    )]);
    let f = check_with(
        &rules,
        "Short one here. This sentence, by contrast, goes on for well over eight words.",
    );
    let ours: Vec<_> = f
        .iter()
        .filter(|f| f.rule == "Acme.SentenceLength")
        .collect();
    assert_eq!(ours.len(), 1);
    assert!(ours[0].matched.starts_with("This sentence"));
    assert!(ours[0].message.contains("11 words"), "{}", ours[0].message);
}

#[test]
fn repetition_finds_doubled_words() {
    let rules = kit_rules(&[(
        "Acme.Repetition",
        "extends: repetition\nmessage: \"'%s' is repeated\"\nlevel: error\nalpha: true\nignorecase: true\ntokens:\n  - '[^\\s]+'\n",
    )]);
    let f = check_with(
        &rules,
        "This is the the plan. It is is fine. 42 42 is a number.",
    );
    let m: Vec<&str> = f
        .iter()
        .filter(|f| f.rule == "Acme.Repetition")
        .map(|f| f.matched.as_str())
        .collect();
    assert_eq!(m, ["the the", "is is"]);
}

#[test]
fn capitalization_of_headings() {
    let rules = kit_rules(&[(
        "Acme.Headings",
        "extends: capitalization\nmessage: \"'%s' should be in sentence case\"\nlevel: warning\nscope: heading\nmatch: $sentence\nexceptions:\n  - Acme\n",
    )]);
    let f = check_with(
        &rules,
        "# Why Acme Teams Ship Faster\n\n## Why Acme teams ship\n\nBody Text With Capitals.\n",
    );
    let m: Vec<&str> = f
        .iter()
        .filter(|f| f.rule == "Acme.Headings")
        .map(|f| f.matched.as_str())
        .collect();
    assert_eq!(m, ["Why Acme Teams Ship Faster"]);
    let title = kit_rules(&[(
        "Acme.Title",
        "extends: capitalization\nmessage: \"title case: %s\"\nmatch: $title\n",
    )]);
    let f = check_with(
        &title,
        "# A Guide to the Best Tools\n\n## a guide to tools\n",
    );
    let m: Vec<&str> = f
        .iter()
        .filter(|f| f.rule == "Acme.Title")
        .map(|f| f.matched.as_str())
        .collect();
    assert_eq!(m, ["a guide to tools"]);
}

#[test]
fn conditional_requires_a_definition() {
    let rules = kit_rules(&[(
        "Acme.Acronyms",
        "extends: conditional\nmessage: \"Spell out '%s' on first use\"\nlevel: suggestion\nfirst: '\\b([A-Z]{3,5})\\b'\nsecond: '(?:\\b[A-Z][a-z]+ )+\\(([A-Z]{3,5})\\)'\nexceptions:\n  - FAQ\n",
    )]);
    let f = check_with(
        &rules,
        "Our Customer Data Platform (CDP) feeds the CRM. See the FAQ. The CDP is fast.",
    );
    let m: Vec<&str> = f
        .iter()
        .filter(|f| f.rule == "Acme.Acronyms")
        .map(|f| f.matched.as_str())
        .collect();
    assert_eq!(m, ["CRM"]);
}

#[test]
fn a_kit_file_replaces_a_built_in_one() {
    let empty = kit_rules(&[(
        "copydesk.cliche.openers",
        "extends: existence\nmessage: \"opener '%s'\"\ntokens:\n  - once upon a time\n",
    )]);
    let f = check_with(
        &empty,
        "In today's fast-paced digital landscape, once upon a time.",
    );
    let m: Vec<&str> = f
        .iter()
        .filter(|f| f.rule == "copydesk.cliche.openers")
        .map(|f| f.matched.as_str())
        .collect();
    assert_eq!(m, ["once upon a time"]);
    assert_eq!(
        f.iter()
            .find(|f| f.rule == "copydesk.cliche.openers")
            .map(|f| f.category.as_str()),
        Some("cliche")
    );
}

fn load_error(text: &str) -> copydesk_guard::RuleError {
    Rules::load(&KitFiles {
        styles: vec![("styles/Acme/Bad.yml".into(), "Acme.Bad".into(), text.into())],
        ..KitFiles::default()
    })
    .expect_err("the rule is invalid")
}

#[test]
fn invalid_rule_files_name_file_line_and_key() {
    let e = load_error("extends: existence\nmessage: x\nlevel: fatal\ntokens:\n  - a\n");
    assert_eq!(
        (e.file.as_str(), e.line, e.key.as_deref()),
        ("styles/Acme/Bad.yml", Some(3), Some("level"))
    );
    assert!(
        e.to_string()
            .starts_with("styles/Acme/Bad.yml:3: key 'level': unknown level 'fatal'"),
        "{e}"
    );

    let e = load_error("extends: existence\nmessage: x\ntokens:\n  - ok\n  - '(unclosed'\n");
    assert_eq!((e.line, e.key.as_deref()), (Some(5), Some("tokens")));

    let e = load_error("extends: spellchecker\nmessage: x\n");
    assert_eq!((e.line, e.key.as_deref()), (Some(1), Some("extends")));

    let e = load_error("extends: substitution\nmessage: x\n");
    assert!(e.message.contains("swap"), "{e}");

    let e = load_error("extends: existence\nmessage: [unclosed\n");
    assert_eq!(e.line, Some(2), "{e}");

    let e = load_error("extends: existence\nscope: nowhere\ntokens: [a]\n");
    assert_eq!(e.key.as_deref(), Some("scope"));
}

#[test]
fn unsupported_extension_points_are_skipped_with_a_notice() {
    let rules = Rules::load(&KitFiles {
        styles: vec![(
            "styles/Acme/Spelling.yml".into(),
            "Acme.Spelling".into(),
            "extends: spelling\nmessage: x\n".into(),
        )],
        ..KitFiles::default()
    })
    .expect("loads");
    assert_eq!(rules.notices.len(), 1);
    assert!(rules.notices[0].contains("spelling"));
}
