//! Library throughput of the guardrails on one core, every built-in check on.
//!
//! `cargo bench -p copydesk-guard --bench throughput -- DIR` checks every .md, .html and .txt
//! file below DIR (bench/guard-throughput.sh makes the corpus with bench/corpus.py). Files are
//! read first, so the timing covers parsing and checking only; the best of three passes is
//! reported. See docs/benchmarks.md.

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use copydesk_guard::{check_text, CheckOptions, Format, Rules};

// the allocator the copydesk binary ships with
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
            .is_some()
        {
            out.push(path);
        }
    }
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .or_else(|| std::env::var("COPYDESK_BENCH_CORPUS").ok());
    let Some(dir) = dir else {
        eprintln!("usage: cargo bench -p copydesk-guard --bench throughput -- CORPUS_DIR");
        std::process::exit(2);
    };
    let mut paths = Vec::new();
    collect(Path::new(&dir), &mut paths);
    paths.sort();
    let docs: Vec<(Format, String)> = paths
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let format = p
                .extension()
                .and_then(|e| e.to_str())
                .and_then(Format::from_extension)?;
            Some((format, text))
        })
        .collect();
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();

    let started = Instant::now();
    let rules = Rules::builtin().expect("built-in rules");
    let compile = started.elapsed();

    let options = CheckOptions::default();
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..3 {
        let started = Instant::now();
        findings = 0;
        for (format, text) in &docs {
            findings += check_text(&rules, text, *format, &options).len();
        }
        best = best.min(started.elapsed());
    }
    let mb = bytes as f64 / 1_000_000.0;
    println!("files             {}", docs.len());
    println!("bytes             {bytes} ({mb:.1} MB)");
    println!(
        "rules compiled in {:.1} ms ({} phrase forms)",
        compile.as_secs_f64() * 1e3,
        rules.phrase_forms()
    );
    println!("findings          {findings}");
    println!(
        "check, one core   {:.3} s  →  {:.1} MB/s",
        best.as_secs_f64(),
        mb / best.as_secs_f64()
    );
}
