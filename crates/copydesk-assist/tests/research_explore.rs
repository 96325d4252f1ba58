#[path = "research/corpus.rs"]
mod corpus;
use copydesk_assist::research::*;

fn env<T: std::str::FromStr>(k: &str, d: T) -> T {
    std::env::var(k)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(d)
}

#[test]
fn explore() {
    let seed: u64 = env("SEED", 1);
    let sizes = [160, 120, 90, 60, 40];
    let themes: Vec<(&corpus::ThemeSpec, usize)> =
        corpus::QUALITY_THEMES.iter().copied().zip(sizes).collect();
    let (items, truth) = corpus::generate(seed, &themes, 30);
    let opts = ResearchOptions {
        merge_similarity: env("TAU", 0.04),
        min_similarity: env("MIN", 0.1),
        ..Default::default()
    };
    let s = synthesize(&items, &opts, &mut |_, _, _| {});
    eprintln!("{:?}", s.method);
    for t in &s.themes {
        let mut votes = [0usize; 6];
        for id in &t.item_ids {
            votes[truth[id - 1].map_or(5, |t| t)] += 1;
        }
        eprintln!(
            "{:>4} {:?} {:?} coh {} votes {:?}",
            t.count, t.label, t.keyphrases, t.cohesion, votes
        );
        for q in &t.quotes {
            eprintln!("       > {q}");
        }
        let major = (0..5).max_by_key(|&i| votes[i]).unwrap();
        for id in &t.item_ids {
            if truth[id - 1] != Some(major) {
                eprintln!("       ! {:?} {}", truth[id - 1], items[id - 1].text);
            }
        }
        for e in &t.emotions {
            eprintln!("       ~ {:?} {} {:?}", e.emotion, e.count, e.cues);
        }
    }
    let mut votes = [0usize; 6];
    for id in &s.unclustered_ids {
        votes[truth[id - 1].map_or(5, |t| t)] += 1;
    }
    eprintln!("unclustered {} votes {:?}", s.unclustered, votes);
}

#[test]
fn dump() {
    let Ok(path) = std::env::var("DUMP_TO") else {
        return;
    };
    let seed: u64 = env("SEED", 1);
    let sizes = [160, 120, 90, 60, 40];
    let themes: Vec<(&corpus::ThemeSpec, usize)> =
        corpus::QUALITY_THEMES.iter().copied().zip(sizes).collect();
    let (items, truth) = corpus::generate(seed, &themes, 30);
    let mut out = String::new();
    for (it, t) in items.iter().zip(&truth) {
        out.push_str(&format!("{}\t{}\n", t.map_or(-1, |t| t as i64), it.text));
    }
    std::fs::write(path, out).unwrap();
}
