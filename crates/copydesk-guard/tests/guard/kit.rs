use copydesk_guard::{check_text, CheckOptions, Format, KitFiles, Rules};

use crate::of;

fn settings(toml: &str) -> Result<Rules, copydesk_guard::RuleError> {
    Rules::load(&KitFiles {
        settings: Some(("brand/guardrails.toml".into(), toml.into())),
        ..KitFiles::default()
    })
}

const TEXT: &str = "We unlock growth and circle back. The report was written by Ana.";

fn run(rules: &Rules, channel: Option<&str>) -> Vec<copydesk_guard::Finding> {
    check_text(
        rules,
        TEXT,
        Format::Text,
        &CheckOptions {
            channel: channel.map(str::to_string),
            sponsored: None,
        },
    )
}

#[test]
fn severities_are_overridden_by_rule_prefix_category_and_channel() {
    let rules = settings(
        "[rules]\n\"copydesk.passive\" = \"off\"\n\"copydesk.cliche\" = \"error\"\n[categories]\njargon = \"suggestion\"\n[channels.email.rules]\n\"copydesk.cliche.growth-promises\" = \"off\"\n",
    )
    .expect("settings");
    let f = run(&rules, None);
    assert!(of(&f, "passive").is_empty());
    let cliche = f
        .iter()
        .find(|f| f.category.as_str() == "cliche")
        .expect("cliche");
    assert_eq!(cliche.severity.as_str(), "error");
    let jargon = f
        .iter()
        .find(|f| f.category.as_str() == "jargon")
        .expect("jargon");
    assert_eq!(jargon.severity.as_str(), "suggestion");
    let email = run(&rules, Some("email"));
    assert!(of(&email, "cliche").is_empty());
}

#[test]
fn invalid_settings_name_the_line() {
    let e = settings("[rules]\n\"copydesk.passive\" = \"loud\"\n").expect_err("invalid");
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(2), Some("copydesk.passive"))
    );
    let e = settings("[categories]\nbuzzwords = \"off\"\n").expect_err("invalid");
    assert_eq!(e.line, Some(2));
    let e = settings("[readability]\nmax_grade = \"ten\"\n").expect_err("invalid");
    assert_eq!(e.line, Some(2));
    let e = settings("[unknown]\n").expect_err("invalid");
    assert_eq!(e.line, Some(1));
    let e = settings("[channels.email.channels.promo]\nrules = {}\n").expect_err("nested");
    assert_eq!(e.key.as_deref(), Some("email"));
    assert!(e.message.contains("cannot hold channels"), "{e}");
}

#[test]
fn disclosure_markers_per_channel() {
    let rules =
        settings("[channels.tiktok.disclosure]\nmarkers = [\"#werbung\"]\n").expect("settings");
    let opts = |c: &str| CheckOptions {
        channel: Some(c.into()),
        sponsored: Some(true),
    };
    let f = check_text(
        &rules,
        "#werbung Neue Schuhe!",
        Format::Text,
        &opts("tiktok"),
    );
    assert!(of(&f, "disclosure").is_empty());
    let f = check_text(&rules, "#ad Neue Schuhe!", Format::Text, &opts("tiktok"));
    assert_eq!(of(&f, "disclosure").len(), 1);
}

#[test]
fn an_empty_list_entry_is_named_by_its_own_line() {
    let e = Rules::load(&KitFiles {
        never_say: Some((
            "never-say.toml".into(),
            "[[never_say]]\nphrase = \"synergy\"\n\n[[never_say]]\nphrase = \" \"\n".into(),
        )),
        ..KitFiles::default()
    })
    .expect_err("an empty phrase");
    assert_eq!((e.line, e.key.as_deref()), (Some(4), Some("phrase")));
    assert!(e.message.contains("entry 2 has an empty phrase"), "{e}");
}
