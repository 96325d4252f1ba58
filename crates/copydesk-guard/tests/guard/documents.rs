use copydesk_guard::{Document, Format};

use crate::{check, check_as, matches};

#[test]
fn positions_are_exact_in_lines_characters_and_bytes() {
    let text = "---\nchannel: blog\n---\n# Grüße\n\nÜber 42% der Teams – fast.\n";
    let f = check(text);
    let claim = f
        .iter()
        .find(|f| f.category.as_str() == "claim")
        .expect("a claim");
    assert_eq!((claim.line, claim.column), (6, 6));
    assert_eq!((claim.end_line, claim.end_column), (6, 9));
    assert_eq!(&text[claim.byte_start..claim.byte_end], "42%");
    assert_eq!(claim.matched, "42%");
}

#[test]
fn code_urls_and_front_matter_are_not_prose() {
    let text = "---\ntitle: unlock growth 42%\n---\nPlain text.\n\n```\nunlock growth by 42%\n```\n\nUse `seamless 42%` here. See https://example.com/unlock-growth-42%.\n\n    indented seamless code\n";
    let f = check(text);
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn markdown_markup_does_not_hide_phrases() {
    let f = check("We **unlock growth** and _streamline your\nworkflows_ with [cutting-edge](https://x.test) tools.");
    let m = matches(&f, "cliche");
    assert!(m.contains(&"unlock growth"), "{m:?}");
    assert!(m.contains(&"streamline your\nworkflows"), "{m:?}");
    assert!(m.contains(&"cutting-edge"), "{m:?}");
}

#[test]
fn html_skips_script_style_pre_and_tags() {
    let html = "<!doctype html><html><head><title>Seamless</title><style>p{content:'unlock growth'}</style>\n<script>var x = 'best-in-class 42%';</script></head>\n<body><p class=\"lead\">We <b>unlock growth</b> &amp; more.</p><pre>seamless 42%</pre><p>Contact <a href=\"mailto:x@y.z\">us</a>.</p></body></html>";
    let f = check_as(html, Format::Html);
    let m: Vec<&str> = f.iter().map(|f| f.matched.as_str()).collect();
    assert_eq!(m, ["Seamless", "unlock growth"], "{f:?}");
    let g = f
        .iter()
        .find(|f| f.matched == "unlock growth")
        .expect("found");
    assert_eq!(&html[g.byte_start..g.byte_end], "unlock growth");
    assert_eq!(g.line, 3);
}

#[test]
fn formats_are_chosen_by_extension_or_content() {
    assert_eq!(Format::from_extension("MD"), Some(Format::Markdown));
    assert_eq!(Format::from_extension("htm"), Some(Format::Html));
    assert_eq!(Format::from_extension("txt"), Some(Format::Text));
    assert_eq!(Format::from_extension("rs"), None);
    assert_eq!(Format::sniff("<!DOCTYPE html><p>x</p>"), Format::Html);
    assert_eq!(Format::sniff("---\nchannel: x\n---\nHi"), Format::Markdown);
    assert_eq!(Format::sniff("# Title\n\ntext"), Format::Markdown);
    assert_eq!(Format::sniff("Just a note.\nAnother line."), Format::Text);
}

#[test]
fn front_matter_is_read() {
    let doc = Document::parse("---\nchannel: linkedin\nlocale: de-DE\nsponsored: true\nbrand: Acme\naudience: CFOs\nkind: post\n---\nHi\n", Format::Markdown);
    assert_eq!(doc.meta.channel.as_deref(), Some("linkedin"));
    assert_eq!(doc.meta.locale.as_deref(), Some("de-DE"));
    assert_eq!(doc.meta.sponsored, Some(true));
    assert_eq!(doc.meta.brand.as_deref(), Some("Acme"));
}

#[test]
fn broken_front_matter_is_a_finding_not_a_failure() {
    let text = "---\nchannel: [blog\nsponsored: true\n---\nWe unlock growth.\n";
    let f = check(text);
    let fm = f
        .iter()
        .find(|f| f.rule == "copydesk.style.front-matter")
        .expect("reported");
    assert!(fm.line >= 2 && fm.line <= 4, "line {}", fm.line);
    assert!(f.iter().any(|f| f.matched == "unlock growth"));
}

#[test]
fn inline_switches_turn_checks_off_and_on() {
    let text = "We unlock growth.\n\n<!-- copydesk off -->\n\nWe unlock growth here.\n\n<!-- copydesk on -->\n\n<!-- copydesk ignore copydesk.cliche, claim -->\nSeamless and 42% better.\n\nSeamless again.\n";
    let f = check(text);
    let lines: Vec<(usize, &str)> = f.iter().map(|f| (f.line, f.matched.as_str())).collect();
    assert_eq!(lines, [(1, "unlock growth"), (12, "Seamless")], "{f:?}");
}

#[test]
fn ignore_names_a_single_rule_or_a_category() {
    let text = "<!-- copydesk ignore copydesk.claim.unsourced-statistic -->\nWe grew 42% and 3x.\n";
    let f = check(text);
    assert_eq!(matches(&f, "claim"), ["3x"]);
    let text = "<!-- vale off -->\nWe unlock growth.\n<!-- vale on -->\nWe unlock growth.\n";
    assert_eq!(check(text).len(), 1);
}

#[test]
fn plain_text_paragraphs_and_comments() {
    let text =
        "Line one unlocks growth.\n<!-- copydesk ignore cliche -->\nSeamless.\n\nSeamless again.";
    let f = check_as(text, Format::Text);
    let m: Vec<(usize, &str)> = f.iter().map(|f| (f.line, f.matched.as_str())).collect();
    assert_eq!(m, [(1, "unlocks growth"), (5, "Seamless")], "{f:?}");
}

#[test]
fn never_fails_on_odd_input() {
    for text in [
        "",
        "\u{feff}",
        "---",
        "---\n",
        "<",
        "<<>>",
        "<!--",
        "[^",
        "```",
        "\r\n\r\n",
        "\u{0}",
        "&&&;",
        "#",
        "%s%s",
        "ℌ𝔢𝔩𝔩𝔬 ✨ 42 %",
    ] {
        for format in [Format::Markdown, Format::Html, Format::Text] {
            let f = check_as(text, format);
            for x in f {
                assert_eq!(&text[x.byte_start..x.byte_end], x.matched);
            }
        }
    }
}
