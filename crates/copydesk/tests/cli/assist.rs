//! The AI assistance commands through the real binary: offline drafting saved with its
//! provenance, research and its input errors, and a provider whose key is missing.

use super::Ws;

const BRIEF: &str = r#"title = "Payroll close in one day"
audience = "finance leads at mid-size European retailers"
problem = "month-end payroll takes three days of manual reconciliation"
current_beliefs = "automation tools are built for enterprises and need consultants"
desired_understanding = "a team of two can switch in a week without outside help"
must_not_sound_like = "a generic SaaS launch full of superlatives"
channel = "blog"
objective = "demo requests"
call_to_action = "Book a demo"
deadline = "2026-12-01"
reach = "owned"
collaboration_model = "producer"

[[claims]]
claim = "customers close payroll in one day"
proof = "median close time across 212 customers"
source = "2026 customer usage report"
"#;

/// A workspace with brief 1, complete, and an interview attached to it.
fn with_complete_brief() -> Ws {
    let ws = Ws::new();
    let brief = ws.write("brief.toml", BRIEF.as_bytes());
    ws.ok(
        "alice",
        &[
            "brief",
            "new",
            "--brand",
            "acme",
            "--file",
            brief.to_str().expect("utf-8"),
        ],
    );
    let interview = ws.write(
        "interview.txt",
        b"Month-end payroll reconciliation took our team three days. We thought automation needed consultants.",
    );
    ws.ok(
        "alice",
        &[
            "source",
            "add",
            "1",
            "--kind",
            "interview",
            "--origin",
            "interview with Ana",
            "--file",
            interview.to_str().expect("utf-8"),
        ],
    );
    ws
}

#[test]
fn an_offline_outline_is_saved_as_a_version_with_its_provenance() {
    let ws = with_complete_brief();
    let out = ws.ok(
        "alice",
        &["--format", "json", "draft", "1", "--task", "outline"],
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["saved"]["saved_as"], "version", "{json}");
    assert_eq!(json["provenance"]["assistant"], "offline");
    assert_eq!(json["provenance"]["provider"], "copydesk");
    assert_eq!(json["provenance"]["sources"], serde_json::json!(["S1"]));
    let text = json["text"].as_str().expect("text");
    assert!(text.contains("## The problem"), "{text}");
    let version = ws.ok("alice", &["--format", "json", "version", "show", "1"]);
    let version: serde_json::Value = serde_json::from_str(&version).expect("json");
    assert_eq!(version["provenance"]["task"], "outline", "{version}");
}

#[test]
fn variants_without_a_hypothesis_exit_2_and_save_nothing() {
    let ws = with_complete_brief();
    let before = ws.audit_len();
    let err = ws.fails(
        2,
        "alice",
        &["draft", "1", "--task", "variants", "--lever", "proof"],
    );
    assert!(err.contains("a lever and a hypothesis"), "{err}");
    let err = ws.fails(
        2,
        "alice",
        &[
            "draft",
            "1",
            "--task",
            "variants",
            "--lever",
            "proof",
            "--hypothesis",
            "proof wins",
        ],
    );
    assert!(err.contains("the hypothesis has 2 word(s)"), "{err}");
    assert_eq!(ws.audit_len(), before);
}

#[test]
fn a_provider_whose_key_is_not_set_names_the_variable() {
    let ws = with_complete_brief();
    let config = ws.path().join("copydesk.toml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str(
        "\n[[provider]]\nname = \"openai\"\nbase_url = \"https://api.openai.com/v1\"\nmodel = \"gpt-4o-mini\"\napi_key_env = \"COPYDESK_TEST_KEY_THAT_IS_NOT_SET\"\nlocality = \"external\"\n",
    );
    std::fs::write(&config, text).expect("config");
    let before = ws.audit_len();
    let err = ws.fails(2, "alice", &["draft", "1"]);
    assert!(err.contains("COPYDESK_TEST_KEY_THAT_IS_NOT_SET"), "{err}");
    assert!(err.contains("[[provider]] 1 ('openai')"), "{err}");
    assert_eq!(ws.audit_len(), before);
}

#[test]
fn research_reports_themes_and_names_the_line_of_a_bad_row() {
    let ws = Ws::new();
    let mut csv = String::from("id,text\n");
    for i in 0..15 {
        csv.push_str(&format!(
            "{i},\"The battery dies by noon, battery life is poor ({i})\"\n"
        ));
        csv.push_str(&format!(
            "{},\"Support never answered my ticket, support is slow ({i})\"\n",
            i + 100
        ));
    }
    let file = ws.write("reviews.csv", csv.as_bytes());
    let out = ws.ok(
        "alice",
        &[
            "--format",
            "json",
            "research",
            file.to_str().expect("utf-8"),
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["items"], 30, "{json}");
    let themes = json["themes"].as_array().expect("themes");
    let labels: Vec<&str> = themes.iter().filter_map(|t| t["label"].as_str()).collect();
    assert!(labels.iter().any(|l| l.contains("battery")), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("support")), "{labels:?}");
    let counted: u64 = themes
        .iter()
        .filter_map(|t| t["count"].as_u64())
        .sum::<u64>()
        + json["unclustered"].as_u64().expect("unclustered");
    assert_eq!(counted, 30);

    let bad = ws.write("bad.csv", b"id,text\n1,fine\n2,too,many,fields\n");
    let err = ws.fails(2, "alice", &["research", bad.to_str().expect("utf-8")]);
    assert!(err.contains("bad.csv") && err.contains("line 3"), "{err}");
}
