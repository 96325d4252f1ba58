//! Whatever the text, every finding's byte span slices the original to its match, and its
//! line and column agree with those bytes.

use copydesk_guard::Format;
use proptest::prelude::*;

use crate::check_as;

fn pieces() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "unlock growth",
        "42%",
        "3.5x",
        "within 90 days",
        "10,000 teams",
        "guaranteed",
        "#1",
        "best-in-class",
        "circle back",
        "guys",
        "was written",
        "jane@example.com",
        "4111 1111 1111 1111",
        "**",
        "_",
        "`",
        "```\n",
        "# ",
        "- ",
        "[^1]",
        "[^1]: src\n",
        "[x](http://a.b)",
        "<p>",
        "</p>",
        "<script>",
        "</script>",
        "<!-- copydesk off -->",
        "<!-- copydesk on -->",
        "&amp;",
        "\n",
        "\n\n",
        " ",
        "Grüße",
        "–",
        "’",
        "✨",
        "é",
        "\t",
        "---\n",
        "sponsored: true\n",
        "|a|b|\n|-|-|\n",
        "> ",
        "https://x.y/z",
        ".",
        "!",
        "?",
        "(source: A)",
    ]);
    prop::collection::vec(
        prop_oneof![words.prop_map(str::to_string), "[ -~]{0,6}", "\\PC{0,3}"],
        0..40,
    )
    .prop_map(|v| v.concat())
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn spans_slice_the_original(text in pieces(), format in prop::sample::select(vec![Format::Markdown, Format::Html, Format::Text])) {
        for f in check_as(&text, format) {
            prop_assert!(f.byte_start <= f.byte_end && f.byte_end <= text.len());
            prop_assert_eq!(&text[f.byte_start..f.byte_end], f.matched.as_str());
            prop_assert_eq!(line_col(&text, f.byte_start), (f.line, f.column));
            prop_assert_eq!(line_col(&text, f.byte_end), (f.end_line, f.end_column));
        }
    }
}
