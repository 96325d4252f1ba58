//! Research synthesis at scale: 100,000 short customer texts (eight planted themes of 5,000 to
//! 24,000 texts plus 5% chatter, generated deterministically by `tests/research/corpus.rs`)
//! through `synthesize`, timed, with the process's peak memory.
//!
//! `cargo bench -p copydesk-assist --bench research [-- --items N] [-- --runs R]`, or
//! bench/research.sh. Prints one line per run and a summary: wall time, items per second, the
//! resident memory before and the process's peak (VmHWM) after, and the themes found against
//! the planted ones.

#![allow(clippy::print_stdout)]

#[path = "../tests/research/corpus.rs"]
mod corpus;

use std::time::Instant;

use copydesk_assist::research::{synthesize, ResearchOptions};

// the allocator the copydesk binary ships with
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Planted theme sizes per 100,000 items; the rest of the items are noise.
const SHARES: [usize; 8] = [24_000, 18_000, 14_000, 11_000, 9_000, 8_000, 6_000, 5_000];

fn arg(name: &str) -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

/// A field of /proc/self/status in KiB (Linux only; 0 elsewhere).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let items_wanted = arg("--items").unwrap_or(100_000);
    let runs = arg("--runs").unwrap_or(3).max(1);
    let themes: Vec<(&corpus::ThemeSpec, usize)> = corpus::BENCH_THEMES
        .iter()
        .copied()
        .zip(SHARES.iter().map(|s| s * items_wanted / 100_000))
        .collect();
    let planted: usize = themes.iter().map(|(_, n)| n).sum();
    let (items, truth) = corpus::generate(2024, &themes, items_wanted - planted);
    let bytes: usize = items.iter().map(|i| i.text.len()).sum();
    let rss_before = status_kib("VmRSS:");
    println!(
        "research synthesis: {} items ({:.1} MiB of text, {} planted themes), {} run(s), \
         RSS before {:.0} MiB",
        items.len(),
        bytes as f64 / 1_048_576.0,
        themes.len(),
        runs,
        rss_before as f64 / 1024.0
    );

    let options = ResearchOptions::default();
    let mut best = f64::INFINITY;
    let mut last = None;
    for run in 1..=runs {
        let start = Instant::now();
        let synthesis = synthesize(&items, &options, &mut |_, _, _| {});
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        println!(
            "  run {run}: {secs:.2} s, {:.0} items/s, {} themes, {} unclustered",
            items.len() as f64 / secs,
            synthesis.themes.len(),
            synthesis.unclustered
        );
        last = Some(synthesis);
    }
    let peak = status_kib("VmHWM:");
    println!(
        "best {best:.2} s ({:.0} items/s); peak RSS of the process {:.0} MiB",
        items.len() as f64 / best,
        peak as f64 / 1024.0
    );
    let Some(synthesis) = last else {
        return;
    };
    println!("{:?}", synthesis.method);
    for theme in &synthesis.themes {
        let mut votes = vec![0usize; themes.len() + 1];
        for id in &theme.item_ids {
            votes[truth[id - 1].unwrap_or(themes.len())] += 1;
        }
        let (major, hits) = votes[..themes.len()]
            .iter()
            .enumerate()
            .max_by_key(|&(i, v)| (*v, std::cmp::Reverse(i)))
            .map_or((0, 0), |(i, v)| (i, *v));
        println!(
            "  {:>6} {:<22} planted {:<28} {:>6}  purity {:.3}  keyphrases {:?}",
            theme.count,
            format!("{:?}", theme.label),
            themes[major].0.name,
            themes[major].1,
            hits as f64 / theme.count as f64,
            theme.keyphrases
        );
    }
    println!(
        "  unclustered {} (noise planted {})",
        synthesis.unclustered,
        items_wanted - planted
    );
}
