//! SEO briefs: keyword parsing, clustering and intent, FAQ extraction, title and description
//! lengths.

use copydesk_assist::seo::{
    parse_keywords, seo_brief, Intent, Keyword, KeywordCluster, SeoBrief, SeoError, SeoTopic,
    SourceText, META_MAX, META_MIN, TITLE_MAX,
};

const PAYROLL_CSV: &str = "\
keyword,volume,difficulty
payroll software,12000,72
best payroll software,5400,68
payroll software for small business,2900,55
small business payroll software,1900,52
best payroll software for small business,1300,60
top payroll software,480,58
payroll software reviews,720,50
how to run payroll,3600,40
how to do payroll,1600,38
how to run payroll yourself,390,30
what is payroll,2400,35
payroll software pricing,880,45
payroll software cost,590,42
payroll software free trial,320,40
acme payroll login,1000,10
acme payroll,2200,15
acme payroll app,260,12
acme vs gusto,210,33
gusto alternatives,1300,45
payroll tax calculator,8100,60
how to calculate payroll taxes,1900,48
";

fn topic() -> SeoTopic {
    SeoTopic {
        title: "Payroll software for small businesses".into(),
        audience: "small business owners".into(),
        desired_understanding: "running payroll yourself is manageable with the right software"
            .into(),
        brand: "Acme".into(),
    }
}

fn brief(sources: &[SourceText]) -> SeoBrief {
    let keywords = parse_keywords(PAYROLL_CSV).expect("the fixture is a valid keyword list");
    seo_brief(&keywords, sources, &topic())
}

fn cluster_of<'a>(brief: &'a SeoBrief, keyword: &str) -> &'a KeywordCluster {
    brief
        .clusters
        .iter()
        .find(|c| c.keywords.iter().any(|k| k.text == keyword))
        .unwrap_or_else(|| panic!("{keyword} is in no cluster: {:#?}", brief.clusters))
}

fn texts(cluster: &KeywordCluster) -> Vec<&str> {
    cluster.keywords.iter().map(|k| k.text.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// Clustering and intent

#[test]
fn keywords_that_belong_together_are_grouped() {
    let b = brief(&[]);
    let software = cluster_of(&b, "payroll software");
    assert_eq!(software.head, "payroll software");
    for k in [
        "best payroll software",
        "payroll software for small business",
        "small business payroll software",
        "best payroll software for small business",
        "top payroll software",
        "payroll software reviews",
    ] {
        assert!(
            texts(software).contains(&k),
            "{k} not with payroll software: {software:#?}"
        );
    }
    assert_eq!(
        texts(cluster_of(&b, "payroll software pricing")),
        vec![
            "payroll software pricing",
            "payroll software cost",
            "payroll software free trial"
        ]
    );
    assert_eq!(
        texts(cluster_of(&b, "how to run payroll")),
        vec![
            "how to run payroll",
            "what is payroll",
            "how to do payroll",
            "how to run payroll yourself"
        ]
    );
    assert_eq!(
        texts(cluster_of(&b, "acme payroll login")),
        vec!["acme payroll", "acme payroll login", "acme payroll app"]
    );
    assert_eq!(
        texts(cluster_of(&b, "acme vs gusto")),
        vec!["gusto alternatives", "acme vs gusto"]
    );
    assert_eq!(
        texts(cluster_of(&b, "payroll tax calculator")),
        vec!["payroll tax calculator", "how to calculate payroll taxes"]
    );
    // every keyword exactly once
    let total: usize = b.clusters.iter().map(|c| c.keywords.len()).sum();
    assert_eq!(total, 21);
    assert_eq!(b.clusters.len(), 6);
}

#[test]
fn intents_are_guessed_with_their_signal() {
    let b = brief(&[]);
    let check = |keyword: &str, intent: Intent, signals: &[&str]| {
        let c = cluster_of(&b, keyword);
        assert_eq!(c.intent, intent, "{keyword}: {c:#?}");
        let signal = c.signal.as_deref().unwrap_or("");
        assert!(signals.contains(&signal), "{keyword}: signal {signal:?}");
        assert!(c.reason.contains(signal), "{}", c.reason);
    };
    check("best payroll software", Intent::Commercial, &["best"]);
    check("acme vs gusto", Intent::Commercial, &["vs", "alternatives"]);
    check(
        "payroll software pricing",
        Intent::Transactional,
        &["pricing", "cost", "free trial"],
    );
    check(
        "how to run payroll",
        Intent::Informational,
        &["how", "what"],
    );
    check("acme payroll login", Intent::Navigational, &["login"]);
    check(
        "payroll tax calculator",
        Intent::Informational,
        &["", "how"],
    );
}

#[test]
fn clusters_carry_volume_and_come_largest_first() {
    let b = brief(&[]);
    let software = cluster_of(&b, "payroll software");
    assert_eq!(
        software.total_volume,
        Some(12000 + 5400 + 2900 + 1900 + 1300 + 480 + 720)
    );
    assert!(b
        .clusters
        .windows(2)
        .all(|w| w[0].total_volume >= w[1].total_volume));
    assert_eq!(b.primary_keyword.as_deref(), Some("payroll software"));
    assert!(software
        .difficulty
        .is_some_and(|d| (0.0..=100.0).contains(&d)));
}

#[test]
fn without_volumes_the_most_central_keyword_leads() {
    let keywords: Vec<Keyword> = [
        "email marketing tips for small business",
        "email marketing tips",
        "tips for email marketing",
    ]
    .into_iter()
    .map(Keyword::new)
    .collect();
    let b = seo_brief(&keywords, &[], &SeoTopic::default());
    assert_eq!(b.clusters.len(), 1);
    assert_eq!(b.clusters[0].head, "email marketing tips");
    assert_eq!(b.clusters[0].total_volume, None);
}

#[test]
fn brief_serialises() {
    let b = brief(&[]);
    let v = serde_json::to_value(&b).unwrap();
    assert_eq!(v["clusters"][0]["head"], "payroll software");
    assert_eq!(v["clusters"][0]["intent"], "commercial");
    assert!(v["titles"][0].is_string());
}

// ---------------------------------------------------------------------------------------------
// FAQ

#[test]
fn faq_comes_from_source_questions_ranked_by_keyword_overlap() {
    let sources = vec![
        SourceText {
            id: "interview-3".into(),
            text: "We switched last year. How much does payroll software cost for a team of \
                   ten? Our accountant wasn't sure.\n- Can I run payroll myself without an \
                   accountant\nHow we chose our vendor."
                .into(),
        },
        SourceText {
            id: "tickets".into(),
            text: "Where is the parking? Is the payroll software cost different per \
                   employee? how much does payroll software cost for a team of ten?"
                .into(),
        },
    ];
    let b = brief(&sources);
    let questions: Vec<(&str, &str)> = b
        .faq
        .iter()
        .map(|f| (f.question.as_str(), f.source.as_str()))
        .collect();
    assert_eq!(
        questions,
        vec![
            (
                "How much does payroll software cost for a team of ten?",
                "interview-3"
            ),
            (
                "Is the payroll software cost different per employee?",
                "tickets"
            ),
            (
                "Can I run payroll myself without an accountant?",
                "interview-3"
            ),
        ],
        "{:#?}",
        b.faq
    );
    assert!(b.faq[0].keywords.contains(&"payroll software".to_owned()));
    assert!(b.faq.windows(2).all(|w| w[0].score >= w[1].score));
}

// ---------------------------------------------------------------------------------------------
// Titles and descriptions

fn check_lengths(b: &SeoBrief, what: &str) {
    assert!(!b.titles.is_empty(), "{what}: no titles");
    for t in &b.titles {
        let n = t.chars().count();
        assert!(n <= TITLE_MAX && n > 0, "{what}: title of {n}: {t:?}");
    }
    for m in &b.meta_descriptions {
        let n = m.chars().count();
        assert!(
            (META_MIN..=META_MAX).contains(&n),
            "{what}: description of {n}: {m:?}"
        );
    }
}

#[test]
fn titles_and_descriptions_fit_their_limits() {
    let b = brief(&[]);
    check_lengths(&b, "payroll");
    assert!(b.meta_descriptions.len() >= 2, "{:#?}", b.meta_descriptions);
    assert!(
        b.titles.iter().any(|t| t.contains("Payroll Software")),
        "{:#?}",
        b.titles
    );

    let keywords = parse_keywords(PAYROLL_CSV).unwrap();
    let long = SeoTopic {
        title: "The complete, unabridged and exhaustively researched handbook of payroll \
                administration for organisations of every conceivable size"
            .into(),
        audience: "finance and operations leaders at rapidly growing multinational companies"
            .into(),
        desired_understanding: "payroll ".repeat(60),
        brand: "Acme Payroll Services International".into(),
    };
    let b = seo_brief(&keywords, &[], &long);
    check_lengths(&b, "long topic");
    // a cut never leaves part of a word
    for m in b.meta_descriptions.iter().chain(&b.titles) {
        for word in m.split(|c: char| !c.is_alphanumeric()) {
            if word.to_lowercase().starts_with("pay") {
                assert!(
                    ["payroll", "Payroll"].contains(&word),
                    "cut word {word:?} in {m:?}"
                );
            }
        }
    }

    let empty = seo_brief(&keywords, &[], &SeoTopic::default());
    check_lengths(&empty, "empty topic");
    let nothing = seo_brief(&[], &[], &SeoTopic::default());
    assert!(nothing.titles.is_empty() && nothing.meta_descriptions.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Parsing

#[test]
fn plain_lists_skip_blanks_comments_and_repeats() {
    let k = parse_keywords(
        "\u{feff}# seed list\npayroll software\n\n  Payroll   Software \nhow to run payroll\n",
    )
    .unwrap();
    let got: Vec<(&str, usize)> = k.iter().map(|k| (k.text.as_str(), k.line)).collect();
    assert_eq!(
        got,
        vec![("payroll software", 2), ("how to run payroll", 5)]
    );
}

#[test]
fn csv_exports_in_their_usual_shapes() {
    let k = parse_keywords("Keyword;Search Volume;KD\npayroll;\"1,200\";40\nrun payroll;1.2k;\n")
        .unwrap();
    assert_eq!(k[0].volume, Some(1200));
    assert_eq!(k[0].difficulty, Some(40.0));
    assert_eq!(k[1].volume, Some(1200));
    assert_eq!(k[1].difficulty, None);
    let tabs = parse_keywords("keyword\tvolume\npayroll app\t90\n").unwrap();
    assert_eq!(tabs[0].text, "payroll app");
    assert_eq!(tabs[0].volume, Some(90));
    assert_eq!(tabs[0].line, 2);
}

#[test]
fn parse_errors_name_their_line() {
    let cases: [(&str, SeoError, &str); 4] = [
        (
            "keyword,volume\npayroll,100\nrun payroll,lots\n",
            SeoError::Volume {
                line: 3,
                value: "lots".into(),
            },
            "line 3: volume \"lots\" is not a whole number (like 1200, 1,200 or 1.2k)",
        ),
        (
            "keyword,difficulty\npayroll,140\n",
            SeoError::Difficulty {
                line: 2,
                value: "140".into(),
            },
            "line 2: difficulty \"140\" is not a number from 0 to 100",
        ),
        (
            "keyword,volume\npayroll,100\nrun,payroll,9\n",
            SeoError::Csv {
                line: 3,
                message: "expected 2 fields like the header, found 3".into(),
            },
            "line 3: expected 2 fields like the header, found 3",
        ),
        (
            "keyword,volume\npayroll,100\n,50\n",
            SeoError::EmptyKeyword { line: 3 },
            "line 3: the keyword is empty",
        ),
    ];
    for (input, expected, message) in cases {
        let err = parse_keywords(input).unwrap_err();
        assert_eq!(err, expected);
        assert_eq!(err.to_string(), message);
    }
    let long = format!("payroll\n\n{}\n", "word ".repeat(60));
    let err = parse_keywords(&long).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3: a keyword of 299 characters (the limit is 200); is this a keyword list?"
    );
}
