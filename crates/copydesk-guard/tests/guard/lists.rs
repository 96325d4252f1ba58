use copydesk_guard::{check_text, CheckOptions, Format, KitFiles, Rules};

use crate::{builtin, check, matches, of};

#[test]
fn superlatives_and_absolute_promises() {
    let f = check(
        "We are the #1 choice, best-in-class and risk-free. Results guaranteed. It never fails.",
    );
    let m = matches(&f, "superlative");
    for want in [
        "#1",
        "best-in-class",
        "risk-free",
        "guaranteed",
        "never fails",
    ] {
        assert!(m.contains(&want), "{want} missing from {m:?}");
    }
    let calm = check("Our number of customers grew. The best way to learn is to try, we think. Version 1 shipped.");
    assert!(!matches(&calm, "superlative").contains(&"#1"));
}

#[test]
fn cliches_match_across_inflections_and_case() {
    let f = check(
        "In today's fast-paced digital landscape, we unlock growth. She unlocks growth daily. \
         Unlocking Growth is our game-changer, a game changer that will streamline your workflows.",
    );
    let m = matches(&f, "cliche");
    for want in [
        "In today's fast-paced digital landscape",
        "unlock growth",
        "unlocks growth",
        "Unlocking Growth",
        "game-changer",
        "game changer",
        "streamline your workflows",
    ] {
        assert!(m.contains(&want), "{want} missing from {m:?}");
    }
    let f = check("The seamstress unlocked the door; growth came later.");
    assert!(
        matches(&f, "cliche").is_empty(),
        "{:?}",
        matches(&f, "cliche")
    );
}

#[test]
fn curly_apostrophes_match_straight_phrases() {
    let f = check("In today\u{2019}s fast-paced digital landscape, everything changes.");
    assert_eq!(
        matches(&f, "cliche"),
        ["In today\u{2019}s fast-paced digital landscape"]
    );
}

#[test]
fn every_cliche_explains_why_and_what_instead() {
    let rules = builtin();
    let cliches: Vec<_> = rules
        .list()
        .into_iter()
        .filter(|r| r.category.as_str() == "cliche")
        .collect();
    let phrases: usize = cliches.iter().map(|r| r.entries).sum();
    assert!(phrases >= 300, "only {phrases} cliché phrases");
    // every phrase in every shipped cliché file carries its reason and its advice
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/cliche");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("rules/cliche") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("YAML");
        let list = yaml["phrases"].as_sequence().expect("a phrases list");
        for p in list {
            let phrase = p["phrase"].as_str().unwrap_or("");
            for key in ["why", "instead"] {
                let value = p[key].as_str().unwrap_or("");
                assert!(
                    !value.trim().is_empty(),
                    "{}: '{phrase}' has no {key}",
                    path.display()
                );
            }
            seen += 1;
        }
    }
    assert_eq!(seen, phrases, "the listing counts what the files hold");
    let f = check("We empower teams with cutting-edge, seamless tools.");
    let c: Vec<_> = f
        .iter()
        .filter(|f| f.category.as_str() == "cliche")
        .collect();
    assert!(c.len() >= 3, "{c:?}");
    for finding in c {
        assert!(
            finding.message.contains(": "),
            "no why in {}",
            finding.message
        );
        assert!(
            !finding.suggestions.is_empty(),
            "no advice for {}",
            finding.matched
        );
    }
}

#[test]
fn jargon_is_its_own_category() {
    let f = check("Let's circle back next week, move the needle and grab the low-hanging fruit without trying to boil the ocean.");
    let m = matches(&f, "jargon");
    for want in [
        "circle back",
        "move the needle",
        "low-hanging fruit",
        "boil the ocean",
    ] {
        assert!(m.contains(&want), "{want} missing from {m:?}");
    }
    assert!(matches(&f, "cliche").iter().all(|c| !m.contains(c)));
}

#[test]
fn inclusive_language_with_suggestions() {
    let f = check("Hey guys, our chairman wants more manpower. Add them to the whitelist.");
    let inc: Vec<_> = f
        .iter()
        .filter(|f| f.category.as_str() == "inclusive")
        .collect();
    let m: Vec<&str> = inc.iter().map(|f| f.matched.as_str()).collect();
    for want in ["chairman", "manpower", "whitelist"] {
        assert!(m.contains(&want), "{want} missing from {m:?}");
    }
    assert!(inc.iter().all(|f| !f.suggestions.is_empty()));
    assert!(
        inc.iter().all(|f| !f.fixable),
        "inclusive suggestions are not applied blindly"
    );
}

fn kit(never_say: &str, terminology: &str) -> Rules {
    Rules::load(&KitFiles {
        never_say: Some(("never-say.toml".into(), never_say.into())),
        terminology: Some(("terminology.toml".into(), terminology.into())),
        ..KitFiles::default()
    })
    .expect("kit loads")
}

const NEVER_SAY: &str = r#"
[[never_say]]
phrase = "world-class"
instead = "say what is measurably good about it"

[[never_say]]
phrase = "utilize"
replace = "use"
"#;

const TERMS: &str = r#"
[[term]]
use = "copydesk"
not = ["copy desk"]

[[term]]
use = "GitHub"
"#;

#[test]
fn never_say_list_with_replacements() {
    let rules = kit(NEVER_SAY, TERMS);
    let f = check_text(
        &rules,
        "A world-class team. We utilize it; she utilizes it.",
        Format::Text,
        &CheckOptions::default(),
    );
    let banned: Vec<_> = f
        .iter()
        .filter(|f| f.category.as_str() == "banned")
        .collect();
    let m: Vec<&str> = banned.iter().map(|f| f.matched.as_str()).collect();
    assert_eq!(m, ["world-class", "utilize", "utilizes"]);
    assert!(!banned[0].fixable, "advice is not a replacement");
    assert!(banned[1].fixable);
    assert_eq!(banned[1].suggestions[0], "use");
    assert_eq!(banned[0].severity.as_str(), "error");
}

#[test]
fn terminology_has_one_spelling() {
    let rules = kit(NEVER_SAY, TERMS);
    let f = check_text(
        &rules,
        "Try CopyDesk or Copydesk or copy desk. copydesk is right. So is GitHub, not Github.",
        Format::Text,
        &CheckOptions::default(),
    );
    assert_eq!(
        of(&f, "terminology"),
        [
            ("copydesk.terminology", "CopyDesk"),
            ("copydesk.terminology", "Copydesk"),
            ("copydesk.terminology", "copy desk"),
            ("copydesk.terminology", "Github"),
        ]
    );
    let first = f
        .iter()
        .find(|f| f.category.as_str() == "terminology")
        .expect("a finding");
    assert_eq!(first.message, "write 'copydesk', not 'CopyDesk'");
    assert!(first.fixable);
}

#[test]
fn fix_applies_only_safe_substitutions() {
    let rules = kit(NEVER_SAY, TERMS);
    let text = "Utilize CopyDesk. A world-class team. Hey guys.";
    let f = check_text(&rules, text, Format::Text, &CheckOptions::default());
    let (fixed, changes) = copydesk_guard::fix::apply(text, &f);
    assert_eq!(fixed, "Use copydesk. A world-class team. Hey guys.");
    assert_eq!(changes.len(), 2);
    let again = check_text(&rules, &fixed, Format::Text, &CheckOptions::default());
    assert!(
        of(&again, "terminology").is_empty()
            && !of(&again, "banned").iter().any(|(_, m)| *m == "Use")
    );
}
