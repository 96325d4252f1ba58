use copydesk_guard::{check_text, readability, CheckOptions, Format, KitFiles, Rules};

use crate::{check, matches, of};

#[test]
fn flesch_scores_match_the_formulas() {
    let s = readability("The cat sat on the mat. The dog ran.");
    assert_eq!((s.words, s.sentences), (9, 2));
    let ease = 206.835 - 1.015 * (9.0 / 2.0) - 84.6 * (s.syllables as f64 / 9.0);
    assert!((s.ease() - ease).abs() < 1e-9);
    assert!(s.ease() > 90.0, "simple prose reads easily: {}", s.ease());
    let hard = readability("Organisational interoperability necessitates comprehensive infrastructural standardisation considerations.");
    assert!(hard.grade() > 16.0, "{}", hard.grade());
}

#[test]
fn long_sentences_and_hard_paragraphs_are_reported() {
    let long = format!("{}.", "word ".repeat(50).trim());
    let f = check(&long);
    let rules: Vec<&str> = of(&f, "readability").iter().map(|(r, _)| *r).collect();
    assert!(
        rules.contains(&"copydesk.readability.sentence-length"),
        "{rules:?}"
    );
    let hard = "Comprehensive organisational interoperability necessitates infrastructural standardisation. ".repeat(8);
    let f = check(&hard);
    let rules: Vec<&str> = of(&f, "readability").iter().map(|(r, _)| *r).collect();
    assert!(
        rules.contains(&"copydesk.readability.paragraph"),
        "{rules:?}"
    );
    let easy = "We ship on Monday. You get the file. It works. ".repeat(10);
    assert!(of(&check(&easy), "readability").is_empty());
}

#[test]
fn channel_targets_come_from_the_kit() {
    let kit = Rules::load(&KitFiles {
        settings: Some((
            "guardrails.toml".into(),
            "[readability]\nmax_sentence_words = 40\n[channels.linkedin.readability]\nmax_sentence_words = 8\n".into(),
        )),
        ..KitFiles::default()
    })
    .expect("kit");
    let text = "This sentence has exactly eleven words in it for the test.";
    let blog = check_text(
        &kit,
        text,
        Format::Text,
        &CheckOptions {
            channel: Some("blog".into()),
            sponsored: None,
        },
    );
    assert!(of(&blog, "readability").is_empty());
    let li = check_text(
        &kit,
        text,
        Format::Text,
        &CheckOptions {
            channel: Some("LinkedIn".into()),
            sponsored: None,
        },
    );
    assert_eq!(of(&li, "readability").len(), 1);
}

#[test]
fn passive_voice_including_irregular_participles() {
    let f = check("The report was written by Ana. Mistakes were made. The form is automatically checked. We are excited. She wrote it.");
    assert_eq!(
        matches(&f, "passive"),
        ["was written", "were made", "is automatically checked"]
    );
}
