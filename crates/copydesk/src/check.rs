//! `copydesk check` and `copydesk rules`: the guardrails over files, folders or standard input.
//! Files are checked in parallel, a bounded batch at a time, and reported in input order, so
//! memory follows the largest file rather than the corpus.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::panic::AssertUnwindSafe;

use copydesk_guard::fix::{self, Change};
use copydesk_guard::{report, Category, CheckOptions, Finding, Format, Rules, Severity, Tally};

use crate::cli::{CheckArgs, ColorArg, Format as OutputFormat, RulesArgs, SeverityArg};
use crate::commands::Globals;
use crate::failure::{Failure, EXIT_INPUT, EXIT_REFUSED};
use crate::input::read_capped;
use crate::workspace::Workspace;

/// Largest input accepted, per file.
const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;
/// Extensions a folder walk picks up.
const CHECKED_EXTENSIONS: [&str; 9] = [
    "md", "markdown", "mdown", "mkd", "mdx", "html", "htm", "xhtml", "txt",
];

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Suggestion => Severity::Suggestion,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
}

/// The kit folder: `--kit`, else the workspace's `brand/` when there is one.
fn kit_dir(globals: &Globals, given: Option<&Path>) -> Result<Option<PathBuf>, Failure> {
    if let Some(dir) = given {
        if !dir.is_dir() {
            return Err(Failure::input(format!(
                "{}: no such brand kit folder",
                dir.display()
            )));
        }
        return Ok(Some(dir.to_path_buf()));
    }
    let Some(ws) = Workspace::find(globals.workspace.as_deref())? else {
        return Ok(None);
    };
    let dir = ws.root.join("brand");
    Ok(dir.is_dir().then_some(dir))
}

fn load_rules(globals: &Globals, kit: Option<&Path>) -> Result<(Rules, Option<PathBuf>), Failure> {
    let dir = kit_dir(globals, kit)?;
    let files = match &dir {
        Some(d) => {
            copydesk_service::read_guard_files(d).map_err(|e| Failure::input(e.to_string()))?
        }
        None => copydesk_guard::KitFiles::default(),
    };
    let rules = Rules::load(&files).map_err(|e| Failure::input(e.to_string()))?;
    for notice in &rules.notices {
        eprintln!("copydesk: {notice}");
    }
    Ok((rules, dir))
}

#[derive(Debug)]
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn shown(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, Failure> {
    let mut out = Vec::new();
    let mut stdin_seen = false;
    for path in paths {
        if path == Path::new("-") {
            if !stdin_seen {
                out.push(Input::Stdin);
                stdin_seen = true;
            }
            continue;
        }
        if path.is_file() {
            out.push(Input::File(path.clone()));
            continue;
        }
        if !path.is_dir() {
            return Err(Failure::input(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
        let walk = ignore::WalkBuilder::new(path)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walk {
            let entry = entry.map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
            let p = entry.path();
            let wanted = entry.file_type().is_some_and(|t| t.is_file())
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| CHECKED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if wanted {
                out.push(Input::File(p.to_path_buf()));
            }
        }
    }
    Ok(out)
}

fn read_input(input: &Input) -> Result<String, String> {
    let path = match input {
        Input::Stdin => Path::new("-"),
        Input::File(p) => p.as_path(),
    };
    read_capped(path, MAX_FILE_BYTES, |shown| {
        format!("{shown}: larger than {MAX_FILE_BYTES} bytes, the most `copydesk check` reads from one file")
    })
    .map_err(|f| f.message)
}

struct Filter {
    min: Option<Severity>,
    categories: Vec<Category>,
    rules: Vec<String>,
}

impl Filter {
    fn keeps(&self, f: &Finding) -> bool {
        self.min.is_none_or(|m| f.severity >= m)
            && (self.categories.is_empty() || self.categories.contains(&f.category))
            && (self.rules.is_empty()
                || self.rules.iter().any(|r| {
                    f.rule == *r
                        || f.rule
                            .strip_prefix(r.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                }))
    }
}

/// One file's result, already rendered in the output format (on the worker, so formatting
/// runs in parallel too); the text itself is dropped once rendered.
struct Checked {
    tally: Tally,
    worst: Option<Severity>,
    rendered: Vec<u8>,
    sarif: Vec<serde_json::Value>,
    error: Option<String>,
}

impl Checked {
    fn failed(error: String) -> Checked {
        Checked {
            tally: Tally::default(),
            worst: None,
            rendered: Vec::new(),
            sarif: Vec::new(),
            error: Some(error),
        }
    }
}

struct Job<'a> {
    rules: &'a Rules,
    ext: Option<Format>,
    options: CheckOptions,
    filter: Filter,
    fix: bool,
    output: OutputFormat,
    colour: bool,
}

impl Job<'_> {
    fn format_of(&self, input: &Input, text: &str) -> Format {
        if let Some(f) = self.ext {
            return f;
        }
        match input {
            Input::File(p) => p
                .extension()
                .and_then(|e| e.to_str())
                .and_then(Format::from_extension)
                .unwrap_or_else(|| Format::sniff(text)),
            Input::Stdin => Format::sniff(text),
        }
    }

    fn run(&self, input: &Input) -> Checked {
        let path = input.shown();
        let failed = Checked::failed;
        let mut text = match read_input(input) {
            Ok(t) => t,
            Err(e) => return failed(e),
        };
        let format = self.format_of(input, &text);
        let mut findings = copydesk_guard::check_text(self.rules, &text, format, &self.options);
        let mut changes = Vec::new();
        if self.fix {
            let eligible: Vec<Finding> = findings
                .iter()
                .filter(|f| self.filter.keeps(f))
                .cloned()
                .collect();
            let (fixed, applied) = fix::apply(&text, &eligible);
            if !applied.is_empty() {
                if let Input::File(p) = input {
                    if let Err(e) = write_atomically(p, &fixed) {
                        return failed(format!("{path}: cannot write the fixes: {e}"));
                    }
                }
                text = fixed;
                findings = copydesk_guard::check_text(self.rules, &text, format, &self.options);
                changes = applied;
            }
        }
        findings.retain(|f| self.filter.keeps(f));
        let (rendered, sarif) = self.render(&path, &text, &findings, &changes);
        Checked {
            tally: Tally::of(&findings),
            worst: findings.iter().map(|f| f.severity).max(),
            rendered,
            sarif,
            error: None,
        }
    }

    /// One file's part of the report.
    fn render(
        &self,
        path: &str,
        text: &str,
        findings: &[Finding],
        changes: &[Change],
    ) -> (Vec<u8>, Vec<serde_json::Value>) {
        let mut out = Vec::new();
        let mut sarif = Vec::new();
        // writing into a Vec cannot fail
        match self.output {
            OutputFormat::Text => {
                for ch in changes {
                    let _ = writeln!(
                        out,
                        "fixed {path}:{}:{}: '{}' → '{}' ({})",
                        ch.line, ch.column, ch.from, ch.to, ch.rule
                    );
                }
                for f in findings {
                    let _ = writeln!(out, "{}", report::text_finding(path, text, f, self.colour));
                }
            }
            OutputFormat::Json => {
                let file = report::FileReport {
                    path,
                    findings,
                    fixed: changes,
                };
                file.write_json(&mut out);
            }
            OutputFormat::Sarif => {
                sarif.extend(findings.iter().map(|f| report::sarif_result(path, f)));
            }
            OutputFormat::Github => {
                for f in findings {
                    let _ = writeln!(out, "{}", report::github_finding(path, f));
                }
            }
        }
        (out, sarif)
    }
}

/// Writes beside the file and renames over it, so a crash leaves the old or the new text.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// How far ahead of the printer the workers may run, in files per worker: enough that a large
/// file on one worker does not idle the others, few enough that memory stays bounded by the
/// largest files rather than the corpus.
const FILES_AHEAD_PER_WORKER: usize = 8;

/// Checks `inputs` on `threads` workers and hands each result to `emit` in input order.
fn check_in_order(
    job: &Job<'_>,
    inputs: &[Input],
    threads: usize,
    emit: impl FnMut(Checked) -> std::io::Result<()> + Send,
) -> std::io::Result<()> {
    let check = |input: &Input| {
        // a crash on one file is that file's error, not a hung or silent run
        std::panic::catch_unwind(AssertUnwindSafe(|| job.run(input))).unwrap_or_else(|_| {
            Checked::failed(format!(
                "{}: checking stopped on an internal error (please report it with this file)",
                input.shown()
            ))
        })
    };
    crate::in_order::run(inputs, threads, FILES_AHEAD_PER_WORKER, check, emit)
}

/// Writes reports as files finish, in input order.
struct Printer {
    format: OutputFormat,
    files: usize,
    tally: Tally,
    first_json: bool,
    sarif: Vec<serde_json::Value>,
    out: std::io::BufWriter<Box<dyn Write + Send>>,
}

/// Reports are written in writes of this size: a file's report is about 16 KiB of JSON on
/// average, so the default 8 KiB would cost a system call or two per file.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// Standard output for the report. On Unix it is written through a duplicate of the
/// descriptor: `Stdout` is line-buffered and searches every write for its last newline, a
/// pass over all of the output (42 MB of JSON for the 12 MiB benchmark corpus); the
/// `BufWriter` around it batches the writes anyway.
fn report_output() -> Box<dyn Write + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout())
}

impl Printer {
    fn start(&mut self) -> std::io::Result<()> {
        if self.format == OutputFormat::Json {
            write!(self.out, "{{\"files\":[")?;
        }
        Ok(())
    }

    fn file(&mut self, c: Checked) -> std::io::Result<()> {
        self.files += 1;
        self.tally.merge(c.tally);
        if self.format == OutputFormat::Json {
            if !self.first_json {
                write!(self.out, ",")?;
            }
            self.first_json = false;
            writeln!(self.out)?;
        }
        self.out.write_all(&c.rendered)?;
        self.sarif.extend(c.sarif);
        Ok(())
    }

    fn finish(&mut self, rules: &Rules) -> std::io::Result<()> {
        let summary = report::text_summary(self.files, self.tally);
        match self.format {
            OutputFormat::Text => writeln!(self.out, "{summary}")?,
            OutputFormat::Json => {
                writeln!(
                    self.out,
                    "\n],\"summary\":{}}}",
                    report::json_summary(self.files, self.tally)
                )?;
            }
            OutputFormat::Sarif => {
                let log = report::sarif_log(
                    env!("CARGO_PKG_VERSION"),
                    &rules.list(),
                    std::mem::take(&mut self.sarif),
                );
                writeln!(
                    self.out,
                    "{}",
                    serde_json::to_string_pretty(&log).unwrap_or_default()
                )?;
            }
            OutputFormat::Github => eprintln!("{summary}"),
        }
        self.out.flush()
    }
}

pub fn run(globals: &Globals, args: &CheckArgs) -> Result<()> {
    // Start-up work that does not depend on itself runs side by side: the checks' patterns
    // compile on a spare thread (detached: a worker that needs one first waits for it), and
    // the paths are listed while the rules load.
    std::thread::spawn(copydesk_guard::warm_up);
    let (rules, inputs) = std::thread::scope(|s| {
        let inputs = s.spawn(|| collect_inputs(&args.paths));
        let rules = load_rules(globals, args.kit.as_deref());
        let inputs = inputs
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rules, inputs)
    });
    let (rules, _) = rules?;
    let ext = match &args.ext {
        Some(e) => Some(
            Format::from_extension(e.trim_start_matches('.'))
                .ok_or_else(|| Failure::input(format!("--ext {e}: use md, html or txt")))?,
        ),
        None => None,
    };
    let mut categories = Vec::new();
    for c in &args.category {
        categories.push(Category::parse(c.trim()).ok_or_else(|| {
            Failure::input(format!(
                "--category {c}: unknown category (use one of {})",
                Category::ALL.map(Category::as_str).join(", ")
            ))
        })?);
    }
    let inputs = inputs?;
    if args.fix && inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        return Err(
            Failure::input("--fix rewrites files in place; it cannot fix standard input").into(),
        );
    }
    let colour = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let job = Job {
        rules: &rules,
        ext,
        options: CheckOptions {
            channel: args.channel.clone(),
            sponsored: args.sponsored.then_some(true),
        },
        filter: Filter {
            min: args.min_severity.map(Severity::from),
            categories,
            rules: args.rule.clone(),
        },
        fix: args.fix,
        output: globals.format,
        colour,
    };
    let threads = match args.threads {
        Some(0) => return Err(Failure::input("--threads 0: give at least one worker").into()),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let mut printer = Printer {
        format: globals.format,
        files: 0,
        tally: Tally::default(),
        first_json: true,
        sarif: Vec::new(),
        out: std::io::BufWriter::with_capacity(OUTPUT_BUFFER, report_output()),
    };
    let progress = if std::io::stderr().is_terminal() && inputs.len() > 50 {
        let bar = ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    printer.start()?;
    let mut unreadable = Vec::new();
    let mut worst: Option<Severity> = None;
    check_in_order(&job, &inputs, threads, |c| {
        if let Some(e) = c.error {
            unreadable.push(e);
        } else {
            worst = worst.max(c.worst);
            match &progress {
                Some(bar) => bar.suspend(|| printer.file(c))?,
                None => printer.file(c)?,
            }
        }
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        Ok(())
    })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    printer.finish(&rules)?;
    if !unreadable.is_empty() {
        let more = if unreadable.len() > 1 {
            format!(" (and {} more unreadable)", unreadable.len() - 1)
        } else {
            String::new()
        };
        for e in unreadable.iter().skip(1) {
            eprintln!("copydesk: {e}");
        }
        return Err(Failure {
            code: EXIT_INPUT,
            message: format!("{}{more}", unreadable[0]),
        }
        .into());
    }
    if worst.is_some_and(|w| w >= Severity::from(args.fail_on)) {
        return Err(Failure::silent(EXIT_REFUSED).into());
    }
    Ok(())
}

pub fn rules(globals: &Globals, args: &RulesArgs) -> Result<()> {
    let (rules, dir) = load_rules(globals, args.kit.as_deref())?;
    let list = rules.list();
    match globals.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "kit": dir,
                "rules": list,
                "phrase_forms": rules.phrase_forms(),
            }))?
        ),
        _ => {
            match &dir {
                Some(d) => println!("rules: built-in + brand kit {}", d.display()),
                None => println!("rules: built-in (no brand kit)"),
            }
            for r in &list {
                let entries = if r.entries > 0 {
                    format!(" · {} entries", r.entries)
                } else {
                    String::new()
                };
                println!(
                    "{:<48} {:<12} {:<10} {}{entries}",
                    r.id, r.category, r.level, r.kind
                );
            }
            println!(
                "{} rules; {} phrase forms matched in one pass",
                list.len(),
                rules.phrase_forms()
            );
        }
    }
    Ok(())
}
