//! Research synthesis: parsing, theme quality on a planted corpus, determinism, edge cases.

#[path = "research/corpus.rs"]
mod corpus;

use copydesk_assist::research::{
    parse_items, synthesize, Item, ItemFormat, ResearchError, ResearchOptions, Stage, Synthesis,
};

fn run(items: &[Item]) -> Synthesis {
    synthesize(items, &ResearchOptions::default(), &mut |_, _, _| {})
}

// ---------------------------------------------------------------------------------------------
// Quality: five planted themes of different sizes plus noise

const SIZES: [usize; 5] = [160, 120, 90, 60, 40];
const NOISE: usize = 30;

fn planted(seed: u64) -> (Vec<Item>, Vec<Option<usize>>) {
    let themes: Vec<(&corpus::ThemeSpec, usize)> =
        corpus::QUALITY_THEMES.iter().copied().zip(SIZES).collect();
    corpus::generate(seed, &themes, NOISE)
}

/// Checks the synthesis of a planted corpus and returns a report line per theme.
fn check_planted(seed: u64) -> Vec<String> {
    let (items, truth) = planted(seed);
    let synthesis = run(&items);
    let mut report = Vec::new();
    let mut matched = [false; 5];
    for theme in &synthesis.themes {
        // the planted theme most of its items come from
        let mut votes = [0usize; 6];
        for id in &theme.item_ids {
            votes[truth[id - 1].map_or(5, |t| t)] += 1;
        }
        let (best, &hits) = votes[..5]
            .iter()
            .enumerate()
            .max_by_key(|&(i, v)| (*v, std::cmp::Reverse(i)))
            .unwrap_or((5, &0));
        let spec = corpus::QUALITY_THEMES[best];
        report.push(format!(
            "planted {:<28} true {:>3}  found {:>3}  purity {:.2}  label {:?}  keyphrases {:?}",
            spec.name,
            SIZES[best],
            theme.count,
            hits as f64 / theme.count as f64,
            theme.label,
            theme.keyphrases
        ));
        assert!(
            !matched[best],
            "seed {seed}: two themes for {}: {report:#?}",
            spec.name
        );
        matched[best] = true;
        let truth_size = SIZES[best] as f64;
        assert!(
            (theme.count as f64 - truth_size).abs() <= 0.15 * truth_size,
            "seed {seed}: {} has {} items, planted {}: {report:#?}",
            spec.name,
            theme.count,
            SIZES[best]
        );
        assert!(
            hits as f64 >= 0.85 * theme.count as f64,
            "seed {seed}: theme {:?} is not mostly {}: {report:#?}",
            theme.label,
            spec.name
        );
        let names = |s: &str| {
            let s = s.to_lowercase();
            spec.key_words.iter().any(|w| s.contains(w))
        };
        assert!(
            names(&theme.label) || theme.keyphrases.first().is_some_and(|k| names(k)),
            "seed {seed}: label {:?} does not name {}",
            theme.label,
            spec.name
        );
        assert!(theme.quotes.len() >= 2 && theme.quotes.len() <= 3);
        assert!(theme.quotes.iter().all(|q| q.chars().count() <= 200));
    }
    assert_eq!(
        synthesis.themes.len(),
        5,
        "seed {seed}: expected the 5 planted themes: {report:#?}\n{:?}",
        synthesis.method
    );
    report.push(format!(
        "unclustered {} (noise {NOISE}); sample groups {}",
        synthesis.unclustered, synthesis.method.candidates
    ));
    report
}

#[test]
fn finds_the_planted_themes_with_their_sizes_and_names() {
    for seed in 1..=10 {
        let report = check_planted(seed);
        eprintln!("seed {seed}:\n  {}", report.join("\n  "));
    }
}

#[test]
fn themes_are_sorted_and_shares_add_up() {
    let (items, _) = planted(1);
    let s = run(&items);
    assert!(s.themes.windows(2).all(|w| w[0].count >= w[1].count));
    let total: usize = s.themes.iter().map(|t| t.count).sum();
    assert_eq!(total + s.unclustered, s.items);
    for t in &s.themes {
        assert!((t.share - t.count as f64 / s.items as f64).abs() < 0.001);
    }
}

#[test]
fn json_has_the_documented_shape() {
    let (items, _) = planted(2);
    let value = serde_json::to_value(run(&items)).unwrap_or_default();
    assert_eq!(value["items"], 500);
    assert!(value["unclustered"].is_u64());
    let theme = &value["themes"][0];
    assert!(theme["label"].is_string());
    assert!(theme["keyphrases"][0].is_string());
    assert!(theme["count"].is_u64());
    assert!(theme["share"].is_f64());
    assert!(theme["quotes"][0].is_string());
    assert!(theme.get("item_ids").is_none());
}

#[test]
fn same_input_gives_same_output() {
    let (items, _) = planted(3);
    let a = serde_json::to_string(&run(&items)).unwrap_or_default();
    let b = serde_json::to_string(&run(&items)).unwrap_or_default();
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn empty_input_has_no_themes() {
    let s = run(&[]);
    assert_eq!(s.items, 0);
    assert!(s.themes.is_empty());
    assert_eq!(s.unclustered, 0);
}

#[test]
fn noise_alone_has_no_themes() {
    let (items, _) = corpus::generate(9, &[], 36);
    let s = run(&items);
    assert!(s.themes.is_empty(), "{:#?}", s.themes);
    assert_eq!(s.unclustered, 36);
}

#[test]
fn a_handful_of_items_is_unclustered() {
    let items = vec![
        Item::new(1, "The battery dies fast"),
        Item::new(2, "Battery dies by noon"),
    ];
    let s = run(&items);
    assert!(s.themes.is_empty());
    assert_eq!(s.unclustered, 2);
    assert_eq!(s.unclustered_ids, vec![1, 2]);
}

#[test]
fn one_theme_among_chatter_is_one_theme() {
    let (items, _) = corpus::generate(4, &[(&corpus::BATTERY, 35)], 36);
    let s = run(&items);
    assert_eq!(s.themes.len(), 1, "{:#?}", s.themes);
    assert!((30..=40).contains(&s.themes[0].count), "{:#?}", s.themes);
    assert!(s.themes[0].label.contains("battery"));
}

#[test]
fn extreme_options_do_not_panic() {
    let (items, _) = planted(5);
    for options in [
        ResearchOptions {
            min_theme_size: Some(0),
            ..ResearchOptions::default()
        },
        ResearchOptions {
            min_theme_size: Some(usize::MAX),
            ..ResearchOptions::default()
        },
        ResearchOptions {
            sample_size: 0,
            max_themes: 0,
            ..ResearchOptions::default()
        },
        ResearchOptions {
            merge_similarity: 2.0,
            min_similarity: -1.0,
            max_vocabulary: 0,
            ..ResearchOptions::default()
        },
    ] {
        let s = synthesize(&items, &options, &mut |_, _, _| {});
        let total: usize = s.themes.iter().map(|t| t.count).sum();
        assert_eq!(total + s.unclustered, items.len());
    }
}

#[test]
fn progress_reports_every_stage() {
    let (items, _) = planted(1);
    let mut stages = Vec::new();
    synthesize(
        &items,
        &ResearchOptions::default(),
        &mut |stage, done, total| {
            assert!(done <= total, "{stage:?} {done}/{total}");
            if stages.last() != Some(&stage) {
                stages.push(stage);
            }
        },
    );
    assert_eq!(
        stages,
        vec![Stage::Vectorising, Stage::Clustering, Stage::Labelling]
    );
}

#[test]
fn emotions_are_counted_per_theme_and_overall() {
    let items: Vec<Item> = (0..40)
        .map(|i| {
            let text = if i % 2 == 0 {
                "Way too expensive, not sure I will renew the subscription price"
            } else {
                "The subscription price is too expensive and overpriced"
            };
            Item::new(i + 1, format!("{text} {i}"))
        })
        .collect();
    let s = run(&items);
    let hesitation = s
        .emotions
        .iter()
        .find(|e| e.emotion == copydesk_assist::research::Emotion::Hesitation);
    assert_eq!(hesitation.map(|e| e.count), Some(40));
    assert!(hesitation.is_some_and(|e| e.cues.contains(&"expensive".to_owned())));
}

// ---------------------------------------------------------------------------------------------
// Parsing

#[test]
fn csv_picks_the_text_column_and_keeps_metadata() {
    let csv = "id,Rating,Review\n1,2,\"Battery dies, fast\"\n2,5,\n3,4,\"Multi\nline\"\n";
    let items = parse_items(csv, ItemFormat::Csv, None).unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].id, 2);
    assert_eq!(items[0].text, "Battery dies, fast");
    assert_eq!(
        items[0].metadata.get("Rating").map(String::as_str),
        Some("2")
    );
    assert_eq!(items[1].id, 4);
    assert_eq!(items[1].text, "Multi\nline");
}

#[test]
fn csv_column_can_be_named() {
    let csv = "\u{feff}who,notes\nann,Setup was confusing\n";
    let items = parse_items(csv, ItemFormat::Csv, Some("Notes")).unwrap_or_default();
    assert_eq!(
        items,
        vec![{
            let mut i = Item::new(2, "Setup was confusing");
            i.metadata.insert("who".into(), "ann".into());
            i
        }]
    );
}

#[test]
fn csv_without_a_text_column_names_what_it_found() {
    let err = parse_items("id,rating\n1,2\n", ItemFormat::Csv, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no text column: expected one of text, body, comment, review, answer, message, content, \
         feedback, response, found id, rating"
    );
    let err = parse_items("id,rating\n1,2\n", ItemFormat::Csv, Some("notes")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no column named \"notes\": found id, rating"
    );
}

#[test]
fn csv_ragged_row_names_its_line() {
    let err = parse_items("id,text\n1,fine\n2,too,many\n", ItemFormat::Csv, None).unwrap_err();
    assert_eq!(
        err,
        ResearchError::Csv {
            line: 3,
            message: "expected 2 fields like the header, found 3".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "line 3: expected 2 fields like the header, found 3"
    );
}

#[test]
fn jsonl_reads_objects_and_strings() {
    let jsonl = "{\"body\": \"Support is slow\", \"stars\": 2, \"tags\": [1]}\n\n\
                 \"Shipping took forever\"\n{\"body\": null}\n";
    let items = parse_items(jsonl, ItemFormat::Jsonl, None).unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].id, 1);
    assert_eq!(items[0].text, "Support is slow");
    assert_eq!(
        items[0].metadata.get("stars").map(String::as_str),
        Some("2")
    );
    assert!(!items[0].metadata.contains_key("tags"));
    assert_eq!(items[1], Item::new(3, "Shipping took forever"));
}

#[test]
fn jsonl_errors_name_their_line() {
    let bad_json = "\"ok\"\n{\"text\": \"fine\"}\n{not json}\n";
    let err = parse_items(bad_json, ItemFormat::Jsonl, None).unwrap_err();
    assert!(
        err.to_string().starts_with("line 3: not valid JSON: "),
        "{err}"
    );

    let no_field = "{\"text\": \"a\"}\n{\"rating\": 3, \"id\": 7}\n";
    let err = parse_items(no_field, ItemFormat::Jsonl, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: no text field: expected one of text, body, comment, review, answer, message, \
         content, feedback, response, found id, rating"
    );
    let err = parse_items(no_field, ItemFormat::Jsonl, Some("note")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1: no text field: expected \"note\", found text"
    );

    let not_text = "{\"text\": 42}\n";
    let err = parse_items(not_text, ItemFormat::Jsonl, None).unwrap_err();
    assert_eq!(err.to_string(), "line 1: field \"text\" is not a string");

    let not_item = "\"fine\"\n[1, 2]\n";
    let err = parse_items(not_item, ItemFormat::Jsonl, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: expected an object with a text field, or a string"
    );
}

#[test]
fn text_is_one_item_per_non_empty_line() {
    let items =
        parse_items("first\n\n  second  \r\n\t\nthird", ItemFormat::Text, None).unwrap_or_default();
    assert_eq!(
        items,
        vec![
            Item::new(1, "first"),
            Item::new(3, "second"),
            Item::new(5, "third")
        ]
    );
}

#[test]
fn empty_input_parses_to_no_items() {
    for format in [ItemFormat::Csv, ItemFormat::Jsonl, ItemFormat::Text] {
        assert_eq!(parse_items("", format, None), Ok(Vec::new()));
    }
}
