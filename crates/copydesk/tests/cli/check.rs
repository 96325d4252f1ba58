//! `copydesk check` and `copydesk rules`: formats, exit codes, folders, stdin, kits, --fix.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::{Ws, BIN};

const POST: &str = "---\nchannel: blog\n---\n# Launch\n\nWe unlock growth for teams.\nTeams cut onboarding time by 42%.\n";
const CLEAN: &str = "We ship on Monday. You get the file.\n";
const PII: &str = "Write to jane.doe@example.com today.\n";

fn check_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("COPYDESK_WORKSPACE")
        .env("NO_COLOR", "1")
        .arg("check")
        .args(args)
        .output()
        .expect("run copydesk check")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn text_output_is_rustc_style_and_warnings_exit_0() {
    let dir = folder(&[("post.md", POST)]);
    let out = check_in(dir.path(), &["post.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("warning[claim]: unsourced statistic"),
        "{text}"
    );
    assert!(text.contains(" --> post.md:7:30"), "{text}");
    assert!(
        text.contains("7 | Teams cut onboarding time by 42%."),
        "{text}"
    );
    assert!(
        text.contains("  |                              ^^^"),
        "{text}"
    );
    assert!(
        text.contains("= rule: copydesk.claim.unsourced-statistic"),
        "{text}"
    );
    assert!(text.contains("= help: "), "{text}");
    assert!(
        text.trim_end()
            .ends_with("2 finding(s) in 1 file(s): 0 error(s), 2 warning(s), 0 suggestion(s)"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when piped");
    let strict = check_in(dir.path(), &["post.md", "--fail-on", "warning"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn errors_exit_1() {
    let dir = folder(&[("a.txt", PII), ("b.txt", CLEAN)]);
    let out = check_in(dir.path(), &["a.txt", "b.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[pii]"));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let clean = check_in(dir.path(), &["b.txt"]);
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = folder(&[("post.md", POST), ("clean.md", CLEAN)]);
    let out = check_in(dir.path(), &["--format", "json", "post.md", "clean.md"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "post.md");
    assert_eq!(files[1]["findings"].as_array().map(Vec::len), Some(0));
    let f = &files[0]["findings"][1];
    assert_eq!(f["rule"], "copydesk.claim.unsourced-statistic");
    assert_eq!(f["category"], "claim");
    assert_eq!(f["severity"], "warning");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(7), Some(30))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(7), Some(33))
    );
    let (s, e) = (
        f["byte_start"].as_u64().unwrap_or(0) as usize,
        f["byte_end"].as_u64().unwrap_or(0) as usize,
    );
    assert_eq!(&POST[s..e], "42%");
    assert_eq!(f["match"], "42%");
    assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(f["suggestions"].is_array());
    let summary = &v["summary"];
    assert_eq!(summary["files"], 2);
    assert_eq!(summary["findings"], 2);
    assert_eq!(
        (
            summary["errors"].as_u64(),
            summary["warnings"].as_u64(),
            summary["suggestions"].as_u64()
        ),
        (Some(0), Some(2), Some(0))
    );
}

#[test]
fn sarif_and_github_formats() {
    let dir = folder(&[("post.md", POST)]);
    let out = check_in(dir.path(), &["--format", "sarif", "post.md"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid SARIF JSON");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "copydesk");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["ruleId"], "copydesk.claim.unsourced-statistic");
    assert_eq!(results[1]["level"], "warning");
    let region = &results[1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(7), Some(30))
    );
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(ids.contains(&"copydesk.claim.unsourced-statistic"));

    let out = check_in(dir.path(), &["--format", "github", "post.md"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("claim"))
        .expect("a claim line");
    assert!(line.starts_with("::warning file=post.md,line=7,col=30,endLine=7,endColumn=33,title=copydesk.claim.unsourced-statistic::unsourced statistic"), "{line}");
}

#[test]
fn folders_recurse_honouring_gitignore_and_stdin_needs_ext() {
    let dir = folder(&[
        ("docs/a.md", POST),
        ("docs/deep/b.html", "<p>We unlock growth.</p>"),
        ("docs/skip/c.md", POST),
        ("docs/code.rs", "// unlock growth"),
        ("docs/.gitignore", "skip/\n"),
    ]);
    let out = check_in(dir.path(), &["--format", "json", "docs"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let paths: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["docs/a.md", "docs/deep/b.html"]);

    let mut child = Command::new(BIN)
        .current_dir(dir.path())
        .args(["check", "-", "--ext", "md", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"# Hi\n\nWe unlock growth `unlock growth`.\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["files"][0]["path"], "<stdin>");
    assert_eq!(v["summary"]["findings"], 1);
}

#[test]
fn filters_by_category_rule_and_severity() {
    let dir = folder(&[("post.md", POST), ("pii.txt", PII)]);
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--format", "json", "post.md", "pii.txt"];
        all.extend_from_slice(args);
        serde_json::from_str(&stdout(&check_in(dir.path(), &all))).expect("JSON")
    };
    assert_eq!(json(&["--category", "claim"])["summary"]["findings"], 1);
    assert_eq!(json(&["--category", "claim,pii"])["summary"]["findings"], 2);
    assert_eq!(
        json(&["--rule", "copydesk.cliche"])["summary"]["findings"],
        1
    );
    assert_eq!(json(&["--min-severity", "error"])["summary"]["findings"], 1);
    let bad = check_in(dir.path(), &["post.md", "--category", "buzz"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("--category buzz: unknown category"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn bad_input_exits_2_naming_where() {
    let dir = folder(&[("ok.md", CLEAN)]);
    std::fs::write(dir.path().join("bad.md"), b"fine\n\xff\xfe broken\n").expect("write");
    let out = check_in(dir.path(), &["ok.md", "bad.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad.md: line 2, column 1: not valid UTF-8"),
        "{}",
        stderr(&out)
    );
    let missing = check_in(dir.path(), &["nope.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nope.md: no such file or folder"));

    let kit = folder(&[(
        "styles/Acme/Bad.yml",
        "extends: existence\nmessage: x\nlevel: loud\ntokens: [a]\n",
    )]);
    let out = check_in(
        dir.path(),
        &["ok.md", "--kit", kit.path().to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("Bad.yml:3: key 'level': unknown level 'loud'"),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "nothing checked with a broken kit");
}

#[test]
fn fix_rewrites_safe_substitutions_in_place() {
    let kit = folder(&[
        ("never-say.toml", "[[never_say]]\nphrase = \"utilize\"\nreplace = \"use\"\n\n[[never_say]]\nphrase = \"world-class\"\ninstead = \"say what is good\"\n"),
        ("terminology.toml", "[[term]]\nuse = \"copydesk\"\nnot = [\"copy desk\"]\n"),
    ]);
    let dir = folder(&[("a.md", "Utilize CopyDesk, a world-class copy desk.\n")]);
    let kit_path = kit.path().to_str().expect("utf-8");
    let out = check_in(dir.path(), &["a.md", "--fix", "--kit", kit_path]);
    let text = stdout(&out);
    assert!(
        text.contains("fixed a.md:1:1: 'Utilize' → 'Use' (copydesk.banned)"),
        "{text}"
    );
    assert!(
        text.contains("fixed a.md:1:9: 'CopyDesk' → 'copydesk' (copydesk.terminology)"),
        "{text}"
    );
    let fixed = std::fs::read_to_string(dir.path().join("a.md")).expect("read");
    assert_eq!(fixed, "Use copydesk, a world-class copydesk.\n");
    assert_eq!(
        out.status.code(),
        Some(1),
        "world-class (an error) is left for a person"
    );
    let again = check_in(dir.path(), &["a.md", "--fix", "--kit", kit_path]);
    assert!(!stdout(&again).contains("fixed "));
    let stdin_fix = check_in(dir.path(), &["-", "--fix"]);
    assert_eq!(stdin_fix.status.code(), Some(2));
}

#[test]
fn a_workspace_uses_its_brand_kit_and_versions_store_findings() {
    let ws = Ws::new().with_asset();
    std::fs::write(ws.path().join("post.md"), "Our world-class team ships.\n").expect("write");
    let out = ws.run("alice", &["check", "post.md", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["files"][0]["findings"][0]["rule"], "copydesk.banned");
    assert_eq!(out.status.code(), Some(1));

    let listing = ws.ok("alice", &["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&listing).expect("JSON");
    let ids: Vec<&str> = v["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"copydesk.banned")
            && ids.contains(&"copydesk.terminology")
            && ids.contains(&"copydesk.pii.card")
    );

    std::fs::write(
        ws.path().join("draft.md"),
        "Our world-class team cut costs by 42%.\n",
    )
    .expect("draft");
    let saved = ws.ok(
        "bob",
        &[
            "version", "add", "1", "--file", "draft.md", "--format", "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&saved).expect("JSON");
    assert_eq!(v["findings"]["error"], 1);
    assert_eq!(v["findings"]["unsupported_claims"], 1);
    let rules: Vec<&str> = v["guardrail_findings"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(
        rules,
        ["copydesk.banned", "copydesk.claim.unsourced-statistic"]
    );
    let explain = ws.ok("bob", &["risk", "explain", "1"]);
    assert!(
        explain.contains("guardrail finding(s) of severity error"),
        "{explain}"
    );
}
