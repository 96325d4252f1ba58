//! The real binary, run in temporary workspaces: exit codes, messages, and that bad input
//! changes nothing.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use copydesk_store::test_support::{backends, TestBackend};

const BIN: &str = env!("CARGO_BIN_EXE_copydesk");

struct Ws {
    dir: tempfile::TempDir,
    url: Option<String>,
}

impl Ws {
    fn new() -> Ws {
        Ws::on(None)
    }

    fn on(backend: Option<&TestBackend>) -> Ws {
        let ws = Ws {
            dir: tempfile::tempdir().expect("temp dir"),
            url: backend
                .filter(|b| b.name != "sqlite")
                .map(|b| b.url.clone()),
        };
        ws.ok("admin", &["init", ws.path().to_str().expect("utf-8 path")]);
        ws.ok("admin", &["brand", "add", "acme"]);
        ws.ok(
            "admin",
            &[
                "user",
                "add",
                "alice",
                "--brand",
                "acme",
                "--role",
                "strategist",
            ],
        );
        ws.ok(
            "admin",
            &["user", "add", "bob", "--brand", "acme", "--role", "editor"],
        );
        ws
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, actor: &str, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        self.prepare(&mut c, actor);
        c.args(args);
        c
    }

    /// Runs `c` in the workspace, as `actor`, on the workspace's database.
    fn prepare(&self, c: &mut Command, actor: &str) {
        c.current_dir(self.path())
            .env_remove("COPYDESK_WORKSPACE")
            .env_remove("COPYDESK_DATABASE_URL")
            .env("COPYDESK_USER", actor);
        if let Some(url) = &self.url {
            c.env("COPYDESK_DATABASE_URL", url);
        }
    }

    fn run(&self, actor: &str, args: &[&str]) -> Output {
        self.cmd(actor, args).output().expect("run copydesk")
    }

    #[track_caller]
    fn ok(&self, actor: &str, args: &[&str]) -> String {
        let out = self.run(actor, args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs `args` with `input` on standard input.
    fn run_with_stdin(&self, actor: &str, args: &[&str], input: &str) -> Output {
        let mut child = self
            .cmd(actor, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait")
    }

    /// Runs a command expected to fail; returns its stderr.
    #[track_caller]
    fn fails(&self, code: i32, actor: &str, args: &[&str]) -> String {
        let out = self.run(actor, args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().count(),
            1,
            "one clear error line, got: {stderr}"
        );
        stderr
    }

    fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, content).expect("write file");
        path
    }

    fn audit_len(&self) -> usize {
        let json = self.ok(
            "admin",
            &["--format", "json", "audit", "log", "--limit", "100000"],
        );
        let entries: serde_json::Value = serde_json::from_str(&json).expect("json");
        entries.as_array().expect("array").len()
    }

    /// A brief (1) and an asset (1) in draft.
    fn with_asset(self) -> Ws {
        self.ok(
            "alice",
            &[
                "brief",
                "new",
                "--brand",
                "acme",
                "--title",
                "Launch",
                "--audience",
                "finance leads at retailers",
                "--channel",
                "blog",
                "--reach",
                "owned",
                "--collaboration",
                "producer",
            ],
        );
        self.ok(
            "alice",
            &["asset", "new", "1", "--title", "Post", "--kind", "blog"],
        );
        self
    }
}

#[test]
fn the_demo_runs_end_to_end_on_every_backend() {
    for backend in backends() {
        let mut cmd = Command::new(BIN);
        cmd.arg("demo")
            .env_remove("COPYDESK_DATABASE_URL")
            .env_remove("COPYDESK_USER");
        if backend.name != "sqlite" {
            cmd.args(["--database-url", &backend.url]);
        }
        let out = cmd.output().expect("run demo");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "demo on {}: {stdout}\n{}",
            backend.name,
            String::from_utf8_lossy(&out.stderr)
        );
        for expected in [
            "stages: editor → compliance",
            "bob wrote version 2 and cannot approve it",
            "asset is approved",
            "asset 1 v2 published",
            "audit chain OK",
        ] {
            assert!(
                stdout.contains(expected),
                "demo on {} lacks '{expected}':\n{stdout}",
                backend.name
            );
        }
    }
}

#[test]
fn init_twice_is_safe() {
    let ws = Ws::new();
    std::fs::write(ws.path().join("brand/policy.toml"), "# mine\n").expect("edit policy");
    let out = ws.ok("admin", &["init", "."]);
    assert!(out.contains("nothing overwritten"), "{out}");
    assert_eq!(
        std::fs::read_to_string(ws.path().join("brand/policy.toml")).expect("read"),
        "# mine\n"
    );
    assert!(ws.ok("admin", &["user", "list"]).contains("alice"));
}

#[test]
fn a_malformed_brief_file_names_file_line_and_field_and_writes_nothing() {
    let ws = Ws::new();
    let before = ws.audit_len();
    let new_brief = ["brief", "new", "--brand", "acme", "--file"];
    ws.write("brief.toml", b"title = \"Launch\"\nreach = \"moon\"\n");
    let err = ws.fails(2, "alice", &[&new_brief[..], &["brief.toml"]].concat());
    assert!(
        err.contains("brief.toml: line 2, column 9: unknown variant `moon`"),
        "{err}"
    );
    ws.write(
        "brief.md",
        b"---\ntitle: Launch\n---\n## Audience\nfinance leads\n## Budget\n10k\n",
    );
    let err = ws.fails(2, "alice", &[&new_brief[..], &["brief.md"]].concat());
    assert!(
        err.contains("brief.md: line 6: unknown section '## Budget'"),
        "{err}"
    );
    assert_eq!(ws.audit_len(), before);
    assert_eq!(ws.ok("alice", &["brief", "list", "--brand", "acme"]), "");
}

#[test]
fn brief_check_works_on_files_in_ci_and_exits_1_when_incomplete() {
    let ws = Ws::new();
    let file = ws.write(
        "brief.md",
        b"---\ntitle: Launch\nchannel: blog\n---\n## Audience\nTBD\n",
    );
    // in CI there is no workspace and no database: the file alone is checked
    let elsewhere = tempfile::tempdir().expect("dir");
    let out = Command::new(BIN)
        .current_dir(elsewhere.path())
        .env_remove("COPYDESK_WORKSPACE")
        .args(["brief", "check", "--file", file.to_str().expect("path")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("audience (who is this for) is a placeholder ('TBD')"));
    let out = ws.run(
        "alice",
        &["--format", "json", "brief", "check", "--file", "brief.md"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["complete"], false);
    let fields: Vec<_> = report["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| g["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields[0], "audience");
    assert!(
        fields.contains(&"claims") && fields.contains(&"deadline"),
        "{fields:?}"
    );
}

#[test]
fn unknown_ids_exit_3() {
    let ws = Ws::new().with_asset();
    assert!(ws
        .fails(3, "bob", &["asset", "show", "99"])
        .contains("no asset 99"));
    assert!(ws
        .fails(3, "bob", &["brief", "show", "42"])
        .contains("no brief 42"));
    assert!(ws
        .fails(3, "bob", &["version", "show", "1", "7"])
        .contains("asset 1 has no versions yet"));
    assert!(ws
        .fails(3, "nobody", &["asset", "show", "1"])
        .contains("no user named 'nobody'"));
}

#[test]
fn invalid_utf8_and_oversized_text_are_refused_with_where() {
    let ws = Ws::new().with_asset();
    let before = ws.audit_len();
    ws.write("bad.txt", b"ok line\nab\xffcd\n");
    let err = ws.fails(2, "bob", &["version", "add", "1", "--file", "bad.txt"]);
    assert!(
        err.contains("bad.txt: line 2, column 3: not valid UTF-8 (byte offset 10)"),
        "{err}"
    );
    let config = std::fs::read_to_string(ws.path().join("copydesk.toml")).expect("config");
    std::fs::write(
        ws.path().join("copydesk.toml"),
        config.replace("max_text_bytes = 5242880", "max_text_bytes = 100"),
    )
    .expect("config");
    ws.write("big.txt", "word ".repeat(40).as_bytes());
    let err = ws.fails(2, "bob", &["version", "add", "1", "--file", "big.txt"]);
    assert!(
        err.contains("big.txt: larger than the limit of 100 bytes"),
        "{err}"
    );
    let out = ws.run_with_stdin(
        "bob",
        &["version", "add", "1", "--file", "-"],
        &"x".repeat(101),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input: larger than the limit"));
    assert_eq!(ws.audit_len(), before);
}

#[test]
fn usage_errors_exit_2() {
    let ws = Ws::new().with_asset();
    let out = ws
        .cmd("", &["asset", "show", "1"])
        .env_remove("COPYDESK_USER")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("say who is acting"));
    assert!(ws
        .fails(
            2,
            "alice",
            &["asset", "new", "1", "--title", "x", "--kind", "tweet"]
        )
        .contains("unknown asset kind 'tweet'"));
    assert!(ws
        .fails(2, "bob", &["review", "reject", "1", "--reason", "meh"])
        .contains("unknown reason code 'meh'"));
    let elsewhere = tempfile::tempdir().expect("dir");
    let out = Command::new(BIN)
        .current_dir(elsewhere.path())
        .env_remove("COPYDESK_WORKSPACE")
        .args(["--as", "bob", "asset", "list", "--brand", "acme"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no copydesk workspace here"));
}

#[test]
fn passwords_come_from_stdin_and_a_weak_one_adds_nobody() {
    let ws = Ws::new();
    let before = ws.audit_len();
    let add = [
        "user",
        "add",
        "carl",
        "--brand",
        "acme",
        "--role",
        "editor",
        "--password-stdin",
    ];
    let weak = ws.run_with_stdin("admin", &add, "short\n");
    assert_eq!(weak.status.code(), Some(2));
    let err = String::from_utf8_lossy(&weak.stderr);
    assert!(err.contains("at least 10"), "{err}");
    let empty = ws.run_with_stdin("admin", &add, "");
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&empty.stderr).contains("copydesk user add carl --password-stdin"),
        "the refusal shows the command to pipe into"
    );
    assert!(!ws.ok("admin", &["user", "list"]).contains("carl"));
    assert_eq!(ws.audit_len(), before, "nothing written");

    let added = ws.run_with_stdin("admin", &add, "a long enough password\n");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let own = ws.run_with_stdin(
        "carl",
        &["user", "password", "carl"],
        "another long password\n",
    );
    assert!(
        own.status.success(),
        "{}",
        String::from_utf8_lossy(&own.stderr)
    );
    let other = ws.run_with_stdin(
        "carl",
        &["user", "password", "admin"],
        "another long password\n",
    );
    assert_eq!(
        other.status.code(),
        Some(1),
        "only admins set others' passwords"
    );
}

#[test]
fn a_database_from_a_newer_copydesk_is_refused() {
    let ws = Ws::new();
    let conn = rusqlite::Connection::open(ws.path().join("copydesk.db")).expect("open");
    conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')", []).expect("insert");
    drop(conn);
    let err = ws.fails(2, "admin", &["brand", "list"]);
    assert!(
        err.contains(&format!(
            "copydesk.db has schema version 999, newer than this copydesk understands ({})",
            copydesk_store::newest_schema()
        )),
        "{err}"
    );
}

#[test]
fn a_locked_database_is_a_clear_error_and_nothing_is_written() {
    for backend in backends() {
        let ws = Ws::on(Some(&backend)).with_asset();
        let before = ws.audit_len();
        ws.write("v.txt", b"hello");
        // another writer holds the lock for longer than copydesk waits (5 s)
        let err = if backend.name == "sqlite" {
            let conn = rusqlite::Connection::open(ws.path().join("copydesk.db")).expect("open");
            conn.execute_batch("BEGIN EXCLUSIVE").expect("lock");
            ws.fails(2, "bob", &["version", "add", "1", "--file", "v.txt"])
        } else {
            let mut client =
                postgres::Client::connect(&backend.url, postgres::NoTls).expect("connect");
            let mut tx = client.transaction().expect("begin");
            tx.execute("SELECT id FROM assets WHERE id = 1 FOR UPDATE", &[])
                .expect("lock");
            let err = ws.fails(2, "bob", &["version", "add", "1", "--file", "v.txt"]);
            tx.rollback().expect("unlock");
            err
        };
        assert!(
            err.contains("the database is busy"),
            "{}: {err}",
            backend.name
        );
        assert_eq!(ws.audit_len(), before);
    }
}

#[test]
fn json_output_is_machine_readable() {
    let ws = Ws::new().with_asset();
    ws.write("v.txt", b"Close payroll in a day.");
    ws.ok(
        "bob",
        &[
            "version",
            "add",
            "1",
            "--file",
            "v.txt",
            "--model",
            "m",
            "--template",
            "t@2",
        ],
    );
    let show: serde_json::Value =
        serde_json::from_str(&ws.ok("bob", &["--format", "json", "asset", "show", "1"]))
            .expect("json");
    assert_eq!(show["state"], "draft");
    assert_eq!(show["current"]["author"]["type"], "model");
    assert_eq!(show["current"]["author"]["template"]["version"], "2");
    let risk: serde_json::Value =
        serde_json::from_str(&ws.ok("bob", &["--format", "json", "risk", "explain", "1"]))
            .expect("json");
    assert!(risk["score"].as_i64().is_some());
    assert!(!risk["contributions"]
        .as_array()
        .expect("contributions")
        .is_empty());
}

/// Writers add versions one process at a time; the whole group is killed with SIGKILL after
/// some acknowledgements. Every acknowledged version must be there afterwards.
#[test]
fn a_writer_killed_mid_stream_loses_no_acknowledged_version() {
    for backend in backends() {
        let ws = Ws::on(Some(&backend)).with_asset();
        let script = format!(
            "for i in $(seq 1 100000); do printf 'version text %s' $i | {BIN} version add 1 --file - --note n$i >/dev/null && echo ack $i; done"
        );
        let mut writer = Command::new("bash");
        ws.prepare(&mut writer, "bob");
        writer
            .args(["-c", &script])
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = writer.spawn().expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let mut acked = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("line");
            if let Some(n) = line.strip_prefix("ack ") {
                acked.push(n.parse::<u32>().expect("number"));
            }
            if acked.len() == 25 {
                break;
            }
        }
        let group = format!("-{}", child.id());
        let killed = Command::new("kill")
            .args(["-9", "--", &group])
            .status()
            .expect("kill");
        assert!(killed.success());
        let _ = child.wait();
        let json = ws.ok(
            "bob",
            &[
                "--format", "json", "asset", "history", "1", "--limit", "100000",
            ],
        );
        let history: serde_json::Value = serde_json::from_str(&json).expect("json");
        let notes: Vec<String> = history
            .as_array()
            .expect("array")
            .iter()
            .map(|v| v["note"].as_str().unwrap_or("").to_string())
            .collect();
        for n in &acked {
            assert!(
                notes.contains(&format!("n{n}")),
                "acknowledged version n{n} lost on {}",
                backend.name
            );
        }
        let verify = ws.ok("admin", &["audit", "verify"]);
        assert!(verify.contains("audit chain OK"), "{verify}");
        if backend.name == "sqlite" {
            let conn = rusqlite::Connection::open(ws.path().join("copydesk.db")).expect("open");
            let check: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .expect("check");
            assert_eq!(check, "ok");
        }
    }
}
mod assist;
mod check;
mod experiment;
mod integrations;
