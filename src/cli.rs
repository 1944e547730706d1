//! The `detente` command line: the window by default, headless jobs as subcommands.

use crate::level;
use crate::runner;
use crate::sim::{Difficulty, Ending, Personality, Scenario, Side};
use crate::table::Seat;
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Détente: a negotiation training game. Without a subcommand it opens the game window.
#[derive(Parser, Debug)]
#[command(name = "detente", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check level files; prints every problem as file:line:col: field: message. With --play,
    /// a valid level is also played AI against AI and reported on. Exit 0 when clean, 1 when a
    /// file has errors, 3 when the play found only warnings.
    Check {
        /// Level files (.ron) to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// After validation, play every counterpart against every other and report how games
        /// end, how often each mechanic fires, and content that never comes into play.
        #[arg(long)]
        play: bool,
        /// With --play: print each report as one JSON object (one line per file).
        #[arg(long, requires = "play")]
        json: bool,
        /// With --play: seed of the run; every game's seed is derived from it.
        #[arg(long, default_value_t = 1, requires = "play")]
        seed: u64,
        /// With --play: games per ordered pairing of counterparts.
        #[arg(long, default_value_t = crate::eval::playtest::GAMES_PER_PAIRING, requires = "play")]
        games: u32,
    },
    /// Play AI against AI without a window: a transcript for one game, a summary for many.
    Sim {
        /// The level file.
        #[arg(long)]
        level: PathBuf,
        /// Seed of the first game; game k uses seed + k.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of games.
        #[arg(long, default_value_t = 1)]
        games: u32,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Who plays state A, as personality:difficulty (e.g. hawk:hard); the level's own
        /// counterpart if left out.
        #[arg(long, value_parser = parse_agent)]
        a: Option<(Personality, Difficulty)>,
        /// Who plays state B, likewise.
        #[arg(long, value_parser = parse_agent)]
        b: Option<(Personality, Difficulty)>,
        /// Also write the game's debrief to this HTML file (a single game only).
        #[arg(long, value_name = "FILE.html")]
        debrief: Option<PathBuf>,
    },
    /// Every AI personality and difficulty against every other, in both roles.
    Tournament {
        /// The level file.
        #[arg(long)]
        level: PathBuf,
        /// Games per ordered pairing.
        #[arg(long, default_value_t = 10)]
        games: u32,
        /// Seed of the first game.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Render one screen of a match to a PNG (needs a display, e.g. under xvfb-run).
    Screenshot {
        #[arg(long)]
        level: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Rounds to play AI against AI first.
        #[arg(long, default_value_t = 0)]
        rounds: u32,
        /// title, briefing, table or debrief.
        #[arg(long, default_value = "table")]
        screen: String,
        #[arg(long)]
        out: PathBuf,
    },
}

/// Load one level or print its errors.
pub fn load_or_report(path: &std::path::Path) -> Option<Arc<Scenario>> {
    match level::load(path) {
        Ok(s) => Some(Arc::new(s)),
        Err(e) => {
            eprintln!("{e}");
            None
        }
    }
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        None => window(),
        Some(Command::Check {
            files,
            play,
            json,
            seed,
            games,
        }) => check(&files, play.then_some((seed, games.max(1))), json),
        Some(Command::Sim {
            level,
            seed,
            games,
            json,
            a,
            b,
            debrief,
        }) => sim(&level, seed, games, json, [a, b], debrief.as_deref()),
        Some(Command::Tournament {
            level,
            games,
            seed,
            json,
        }) => tournament(&level, games, seed, json),
        Some(Command::Screenshot {
            level,
            seed,
            rounds,
            screen,
            out,
        }) => screenshot(&level, seed, rounds, &screen, &out),
    }
}

#[cfg(feature = "gui")]
fn window() -> i32 {
    crate::app::run()
}

#[cfg(not(feature = "gui"))]
fn window() -> i32 {
    eprintln!("this build has no game window; rebuild with the default `gui` feature");
    2
}

#[cfg(feature = "gui")]
fn screenshot(
    level: &std::path::Path,
    seed: u64,
    rounds: u32,
    screen: &str,
    out: &std::path::Path,
) -> i32 {
    crate::app::screenshot(level, seed, rounds, screen, out)
}

#[cfg(not(feature = "gui"))]
fn screenshot(_: &std::path::Path, _: u64, _: u32, _: &str, _: &std::path::Path) -> i32 {
    window()
}

fn tournament(path: &std::path::Path, games: u32, seed: u64, json: bool) -> i32 {
    let Some(sc) = load_or_report(path) else {
        return 1;
    };
    let mut bar = Progress::new(1, "tournament");
    let t = crate::eval::tournament::run(sc, games.max(1), seed, |done, total| {
        bar.total = total;
        bar.tick(done)
    });
    bar.finish();
    if json {
        match serde_json::to_string(&t) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("cannot write JSON: {e}");
                return 1;
            }
        }
    } else {
        say(&t.table());
    }
    0
}

/// Validate each file and, when `play` gives a seed and games per pairing, playtest the valid
/// ones.
fn check(files: &[PathBuf], play: Option<(u64, u32)>, json: bool) -> i32 {
    let mut bad = 0;
    let mut warned = false;
    for f in files {
        let s = match level::load(f) {
            Ok(s) => s,
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
                continue;
            }
        };
        if !json {
            println!(
                "{}: ok ({}: {} measures, {} events, {} outlets)",
                f.display(),
                s.title,
                s.measures.len(),
                s.events.len(),
                s.outlets.len()
            );
        }
        let Some((seed, games)) = play else {
            continue;
        };
        let report = crate::eval::playtest::run(Arc::new(s), games, seed);
        warned |= !report.warnings.is_empty();
        if json {
            match serde_json::to_string(&report) {
                Ok(j) => say(&format!("{j}\n")),
                Err(e) => {
                    eprintln!("cannot write JSON: {e}");
                    return 1;
                }
            }
        } else {
            say(&report.text());
        }
    }
    if bad > 0 {
        eprintln!("{bad} of {} level file(s) have errors", files.len());
        1
    } else if warned {
        3
    } else {
        0
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal and the job runs long.
pub struct Progress {
    total: u64,
    start: Instant,
    last: Instant,
    shown: bool,
    label: &'static str,
}

impl Progress {
    pub fn new(total: u64, label: &'static str) -> Self {
        let now = Instant::now();
        Progress {
            total,
            start: now,
            last: now,
            shown: false,
            label,
        }
    }

    pub fn tick(&mut self, done: u64) {
        use std::io::IsTerminal;
        let now = Instant::now();
        if now.duration_since(self.start).as_millis() < 500
            || now.duration_since(self.last).as_millis() < 100
        {
            return;
        }
        if !std::io::stderr().is_terminal() {
            return;
        }
        self.last = now;
        self.shown = true;
        let frac = done as f64 / self.total.max(1) as f64;
        let width = 30;
        let filled = (frac * width as f64) as usize;
        eprint!(
            "\r{} [{}{}] {done}/{} ",
            self.label,
            "#".repeat(filled),
            "-".repeat(width - filled),
            self.total
        );
        let _ = std::io::stderr().flush();
    }

    pub fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

/// Print to stdout; a closed pipe (e.g. `| head`) ends the output quietly instead of panicking.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Parse `personality[:difficulty]`, e.g. `hawk:hard` or `dove`.
fn parse_agent(s: &str) -> Result<(Personality, Difficulty), String> {
    let (p, d) = s.split_once(':').unwrap_or((s, "normal"));
    let p = match p.to_lowercase().as_str() {
        "hawk" => Personality::Hawk,
        "dove" => Personality::Dove,
        "reciprocator" => Personality::Reciprocator,
        "pragmatist" => Personality::Pragmatist,
        other => {
            return Err(format!(
                "unknown personality '{other}' (hawk, dove, reciprocator, pragmatist)"
            ));
        }
    };
    let d = match d.to_lowercase().as_str() {
        "easy" => Difficulty::Easy,
        "normal" => Difficulty::Normal,
        "hard" => Difficulty::Hard,
        other => return Err(format!("unknown difficulty '{other}' (easy, normal, hard)")),
    };
    Ok((p, d))
}

type Seats = [Option<(Personality, Difficulty)>; 2];

fn seats_for(sc: &Scenario, seats: Seats, seed: u64) -> [Seat; 2] {
    let level = sc.public();
    Side::BOTH.map(|side| {
        let c = match seats[side.idx()] {
            Some((p, d)) => crate::table::counterpart(level, side, seed, p, d),
            None => crate::table::level_counterpart(level, side, seed),
        };
        Seat::Counterpart(Box::new(c))
    })
}

fn sim(
    path: &std::path::Path,
    seed: u64,
    games: u32,
    json: bool,
    seats: Seats,
    debrief: Option<&std::path::Path>,
) -> i32 {
    if debrief.is_some() && (games > 1 || json) {
        eprintln!("--debrief reports a single game: leave out --games and --json");
        return 2;
    }
    let Some(sc) = load_or_report(path) else {
        return 1;
    };
    if games <= 1 && !json {
        let seats = seats_for(&sc, seats, seed);
        let (m, text) = runner::transcript(sc, seed, seats);
        say(&text);
        // Counterparts on both sides: nobody's beliefs about a person to show.
        if let Some(out) = debrief
            && let Err(e) = std::fs::write(out, crate::report::export_html(&m, None))
        {
            eprintln!("cannot write {}: {e}", out.display());
            return 1;
        }
        return 0;
    }
    let games = games.max(1);
    let start = Instant::now();
    let mut outcomes: BTreeMap<String, u32> = BTreeMap::new();
    let (mut rounds, mut ua, mut ub, mut stab, mut agreed) = (0u64, 0f64, 0f64, 0f64, 0u32);
    let (mut first_round, mut final_point) = (0u64, [0f64; 2]);
    let mut by_round: Vec<([f64; 2], u32)> = Vec::new();
    let mut bar = Progress::new(games as u64, "sim");
    for g in 0..games {
        let s = seed.wrapping_add(g as u64);
        let m = runner::play_headless(sc.clone(), s, seats_for(&sc, seats, s));
        let key = match m.ending {
            Some(Ending::Normalization) => "normalization",
            Some(Ending::Clash) => "clash",
            Some(Ending::Ousted(_)) => "ousted",
            Some(Ending::RoundLimit) | None => "round_limit",
        };
        *outcomes.entry(key.into()).or_default() += 1;
        rounds += m.round as u64;
        let sc = m.scores();
        ua += sc.utility[0] as f64;
        ub += sc.utility[1] as f64;
        stab += sc.stability as f64;
        if let Some(l) = m
            .log
            .iter()
            .find(|l| matches!(l.event, crate::sim::Event::AgreementSigned { .. }))
        {
            agreed += 1;
            first_round += l.round as u64;
        }
        for (r, snap) in m.history.iter().enumerate() {
            if by_round.len() <= r {
                by_round.push(([0f64; 2], 0u32));
            }
            by_round[r].0[0] += snap.utility[0] as f64;
            by_round[r].0[1] += snap.utility[1] as f64;
            by_round[r].1 += 1;
        }
        let end = m.in_force_point();
        final_point[0] += end[0] as f64;
        final_point[1] += end[1] as f64;
        bar.tick(g as u64 + 1);
    }
    bar.finish();
    let elapsed = start.elapsed().as_secs_f64();
    let n = games as f64;
    if json {
        let obj = serde_json::json!({
            "level": sc.id,
            "seed": seed,
            "games": games,
            "outcomes": outcomes,
            "mean_rounds": rounds as f64 / n,
            "agreement_rate": agreed as f64 / n,
            "mean_utility": [ua / n, ub / n],
            "mean_final_point": [final_point[0] / n, final_point[1] / n],
            "mean_first_agreement_round": first_round as f64 / (agreed.max(1)) as f64,
            "mean_utility_by_round": by_round
                .iter()
                .map(|(u, k)| [u[0] / *k as f64, u[1] / *k as f64])
                .collect::<Vec<_>>(),
            "mean_stability": stab / n,
            "elapsed_s": elapsed,
            "games_per_second": n / elapsed.max(1e-9),
        });
        println!("{obj}");
    } else {
        println!("{}: {games} games from seed {seed}", sc.title);
        for (k, v) in &outcomes {
            println!("  {k:<14} {v:>6}  ({:.1}%)", *v as f64 * 100.0 / n);
        }
        println!("  mean rounds    {:.2}", rounds as f64 / n);
        println!(
            "  agreements     {:.1}% of games",
            agreed as f64 * 100.0 / n
        );
        println!(
            "  mean utility   {} {:.3}, {} {:.3}",
            sc.side_a.name,
            ua / n,
            sc.side_b.name,
            ub / n
        );
        println!("  mean stability {:.1}", stab / n);
        println!("  {:.2} s, {:.0} games/s", elapsed, n / elapsed.max(1e-9));
    }
    0
}
