//! Whole AI-against-AI matches per second, and the cost of one action, on one core.
//! Run: cargo bench --no-default-features --bench matches

use detente::level;
use detente::runner;
use detente::sim::Match;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let games: u64 = std::env::var("BENCH_GAMES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    println!(
        "{:<16} {:>8} {:>12} {:>10} {:>14} {:>14}",
        "level", "games", "matches/s", "rounds", "apply ns/act", "decide us/dec"
    );
    let only = std::env::var("BENCH_LEVEL").ok();
    for entry in level::load_dir(Path::new("levels")) {
        let sc = Arc::new(entry.result.expect("valid level"));
        if only.as_ref().is_some_and(|o| *o != sc.id) {
            continue;
        }
        // Warm up caches and the allocator.
        for s in 0..50 {
            black_box(runner::play_headless(
                sc.clone(),
                s,
                runner::level_seats(&sc, s),
            ));
        }
        let start = Instant::now();
        let mut records = Vec::new();
        let mut rounds = 0u64;
        let mut decisions = 0u64;
        for s in 0..games {
            let m = runner::play_headless(sc.clone(), s, runner::level_seats(&sc, s));
            rounds += m.round as u64;
            decisions += m.actions.len() as u64;
            if s < 500 {
                records.push(m.record(None));
            }
        }
        let whole = start.elapsed().as_secs_f64();
        // The rules alone: replay recorded actions without any decision-making.
        let start = Instant::now();
        let mut actions = 0u64;
        for r in &records {
            let mut m = Match::new(sc.clone(), r.seed);
            for a in &r.actions {
                black_box(m.apply(a.clone()).ok());
                actions += 1;
            }
        }
        let rules = start.elapsed().as_secs_f64();
        let rules_per_match = rules / records.len() as f64;
        let decide = (whole - rules_per_match * games as f64).max(0.0) / decisions as f64;
        println!(
            "{:<16} {:>8} {:>12.0} {:>10.2} {:>14.0} {:>14.1}",
            sc.id,
            games,
            games as f64 / whole,
            rounds as f64 / games as f64,
            rules * 1e9 / actions as f64,
            decide * 1e6,
        );
    }
}

// The same allocator as the shipped binary, so the figures match what `detente sim` does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
