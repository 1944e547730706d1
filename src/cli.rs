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

#[cfg(feature = "host")]
mod class;
#[cfg(feature = "host")]
use class::{export, host, loadtest, sessions};

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
        /// Number of games, 1 to 1,000,000.
        #[arg(long, default_value_t = 1, value_parser = parse_sim_games)]
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
        /// Games per ordered pairing, 1 to 10,000 (every pairing of the 12 counterparts, in
        /// both roles, plays this many).
        #[arg(long, default_value_t = 10, value_parser = parse_tournament_games)]
        games: u32,
        /// Seed of the first game.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Instead, play each scripted strategy (always accept, hardliner, stubborn, break
        /// everything, ...) in seat A against every counterpart in seat B, beside the best
        /// counterpart's own utility against the same opponent.
        #[arg(long)]
        exploits: bool,
    },
    /// Bargain over any outcome space of discrete issues with additive utilities, speaking one
    /// JSON object a line on stdin and stdout (init, propose, respond, end; see docs/AI.md).
    Agent {
        /// hawk, dove, reciprocator or pragmatist.
        #[arg(long, default_value = "pragmatist")]
        personality: String,
        /// easy, normal or hard.
        #[arg(long, default_value = "hard")]
        difficulty: String,
        /// Instead, measure this character against the others and simple opponents on generated
        /// domains, and print a table (or JSON with --json).
        #[arg(long)]
        eval: bool,
        /// With --eval: number of generated domains.
        #[arg(long, default_value_t = 12, requires = "eval", value_parser = clap::value_parser!(u32).range(1..=10_000))]
        domains: u32,
        /// With --eval: seed of the domains and of the opponents' chance.
        #[arg(long, default_value_t = 1, requires = "eval")]
        seed: u64,
        /// With --eval: print one JSON object instead of a table.
        #[arg(long, requires = "eval")]
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
        /// title, join, briefing, handover, table, counter (a counter-offer to answer),
        /// season (the card between rounds), front (the season's front page arriving),
        /// ending or debrief.
        #[arg(long, default_value = "table")]
        screen: String,
        /// The state whose screen is shown: a or b.
        #[arg(long, default_value = "a")]
        side: String,
        #[arg(long)]
        out: PathBuf,
        /// Interface zoom, as in the game's settings: 0.75 to 1.5.
        #[arg(long, default_value_t = 1.0)]
        ui_scale: f32,
        /// The colour-blind palette (blue/orange instead of green/red), the map's too.
        #[arg(long)]
        colour_blind: bool,
    },
    /// Host a class: N tables, one join code per student seat, one port for every student
    /// (HTTP GET /health and the WebSocket at /ws). Every move is archived; after a restart,
    /// --resume takes the last session up where it stopped.
    #[cfg(feature = "host")]
    Host {
        #[arg(long, default_value_t = 7878)]
        port: u16,
        /// Level files, dealt to the tables in turn.
        #[arg(long, default_value = "levels/tutorial.ron")]
        level: Vec<PathBuf>,
        /// Number of tables, 1 to 200.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=200))]
        tables: u32,
        /// The archive (SQLite); by default in the user's data folder.
        #[arg(long)]
        db: Option<PathBuf>,
        /// One student per table, against a counterpart the host runs.
        #[arg(long)]
        vs_computer: bool,
        /// Take up the archive's latest session instead of starting a new one.
        #[arg(long)]
        resume: bool,
        /// Seed of table 1 (table k plays seed + k - 1); random if left out.
        #[arg(long)]
        seed: Option<u64>,
        /// The address to listen on: every interface by default, 127.0.0.1 for this computer
        /// alone.
        #[arg(long, default_value = "0.0.0.0")]
        bind: std::net::IpAddr,
        /// Print one JSON line (address, port, process id, archive, instructor code, seat
        /// codes) instead of the text for people, for a program that starts the host.
        #[arg(long)]
        announce_json: bool,
        /// Messages a connection may send at once before it is refused RateLimited.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        rate_burst: u32,
        /// Messages a second a connection earns back after its burst.
        #[arg(long, default_value_t = 5.0)]
        rate_per_second: f64,
        /// Serve without opening the instructor's console window (as on a server, or when
        /// the console runs on another computer: `detente console ADDR CODE`).
        #[arg(long)]
        headless: bool,
    },
    /// Measure a class host under load, on this computer only: starts `detente host` on
    /// 127.0.0.1 and two scripted students per table, which play whole matches through it,
    /// each deciding with a counterpart on its own view. Reports round trips, the host's CPU
    /// and memory, lost moves and seats out of step. Exit 0 when nothing was lost and every
    /// seat was in step, 1 otherwise, 2 when it could not run, 3 when matches were left
    /// unfinished at --max-seconds.
    #[cfg(feature = "host")]
    Loadtest {
        /// Number of tables (two students each), 1 to 200.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=200))]
        tables: u32,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Level files, dealt to the tables in turn.
        #[arg(long, default_value = "levels/tutorial.ron")]
        level: Vec<PathBuf>,
        /// Seed of table 1 and of the students' counterparts.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many seconds, matches finished or not.
        #[arg(long, default_value_t = 300.0)]
        max_seconds: f64,
        /// A student's mean pause before each move, in ms (0: move as soon as the answer is
        /// in; each pause is drawn between half and one and a half times this).
        #[arg(long, default_value_t = 0)]
        think_ms: u64,
    },
    /// List the class sessions in the archive: when each began, its tables and levels, and how
    /// many tables normalised, clashed, ran out of rounds, ousted a leader or are still running.
    #[cfg(feature = "host")]
    Sessions {
        /// The archive (SQLite); by default the one `host` writes.
        #[arg(long)]
        db: Option<PathBuf>,
        /// Print one JSON object per session, one per line.
        #[arg(long)]
        json: bool,
    },
    /// Write a class session's record into a folder: each table's debrief (HTML) and transcript
    /// (text), the students' results for grading (results.csv) and the class summary
    /// (class-summary.html). Each table is replayed on its level file; a table whose file is
    /// missing or was edited since is left out, by name, and the rest are written.
    #[cfg(feature = "host")]
    Export {
        /// The archive (SQLite); by default the one `host` writes.
        #[arg(long)]
        db: Option<PathBuf>,
        /// The session to export (see `detente sessions`); the latest if left out.
        #[arg(long)]
        session: Option<i64>,
        /// The folder to write into (made if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Open the game window and join a class: the address the host printed (e.g.
    /// 192.168.1.20:7878) and your seat code (e.g. RIVER-4821).
    Join { address: String, code: String },
    /// Open the instructor's console for a class: the host's address and the instructor code
    /// it printed. Every table at a glance; empty seats can be handed to the computer.
    Console { address: String, code: String },
}

/// Most games `sim` plays in one run: on a full level, at about a thousand games a second,
/// a quarter of an hour. A mistyped extra digit or two is refused instead of running for days.
pub const MAX_SIM_GAMES: u32 = 1_000_000;

/// Most games per ordered pairing in a `tournament`: with 144 pairings, about as many games as
/// [`MAX_SIM_GAMES`].
pub const MAX_TOURNAMENT_GAMES: u32 = 10_000;

/// Exit code when the reader of the output went away (`detente sim | head -1`): the code a
/// shell reports for a program stopped by a closed pipe.
pub const EXIT_PIPE_CLOSED: i32 = 141;

/// A command's exit code; `Err` when it stopped early because its output could not be written.
type Done = Result<i32, i32>;

/// Load one level or print its errors.
pub fn load_or_report(path: &std::path::Path) -> Option<Arc<Scenario>> {
    match level::load(path) {
        Ok(s) => Some(Arc::new(s)),
        Err(e) => {
            tell(&e.to_string());
            None
        }
    }
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let done = match cli.command {
        None => Ok(window()),
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
            exploits,
        }) => tournament(&level, games, seed, json, exploits),
        Some(Command::Agent {
            personality,
            difficulty,
            eval,
            domains,
            seed,
            json,
        }) => match parse_agent(&format!("{personality}:{difficulty}")) {
            Err(e) => {
                tell(&e);
                Ok(2)
            }
            Ok(who) if eval => bargain_eval(who, domains, seed, json),
            Ok((p, d)) => agent(crate::ai::bargain::Stance::new(p, d)),
        },
        Some(Command::Screenshot {
            level,
            seed,
            rounds,
            screen,
            side,
            out,
            ui_scale,
            colour_blind,
        }) => Ok(screenshot(
            &level,
            seed,
            rounds,
            (&screen, &side),
            &out,
            Look {
                ui_scale,
                colour_blind,
            },
        )),
        Some(Command::Join { address, code } | Command::Console { address, code }) => {
            Ok(join(&address, &code))
        }
        #[cfg(feature = "host")]
        Some(Command::Host {
            port,
            level,
            tables,
            db,
            vs_computer,
            resume,
            seed,
            bind,
            announce_json,
            rate_burst,
            rate_per_second,
            headless,
        }) => Ok(host(
            crate::net::host::HostConfig {
                levels: level,
                tables,
                vs_computer,
                db: db.unwrap_or_else(crate::net::archive::default_path),
                resume,
                seed,
                limits: crate::net::host::Limits {
                    burst: rate_burst,
                    per_second: rate_per_second,
                    ..Default::default()
                },
            },
            std::net::SocketAddr::new(bind, port),
            announce_json,
            headless || announce_json,
        )),
        #[cfg(feature = "host")]
        Some(Command::Sessions { db, json }) => {
            sessions(&db.unwrap_or_else(crate::net::archive::default_path), json)
        }
        #[cfg(feature = "host")]
        Some(Command::Export { db, session, out }) => export(
            &db.unwrap_or_else(crate::net::archive::default_path),
            session,
            &out,
        ),
        #[cfg(feature = "host")]
        Some(Command::Loadtest {
            tables,
            json,
            level,
            seed,
            max_seconds,
            think_ms,
        }) => loadtest(tables, json, level, seed, max_seconds, think_ms),
    };
    done.unwrap_or_else(|code| code)
}

#[cfg(feature = "gui")]
fn window() -> i32 {
    crate::app::run()
}

#[cfg(feature = "gui")]
fn join(address: &str, code: &str) -> i32 {
    crate::app::run_join(address, code)
}

#[cfg(not(feature = "gui"))]
fn join(_address: &str, _code: &str) -> i32 {
    window()
}

#[cfg(not(feature = "gui"))]
fn window() -> i32 {
    tell("this build has no game window; rebuild with the default `gui` feature");
    2
}

#[cfg(feature = "gui")]
fn screenshot(
    level: &std::path::Path,
    seed: u64,
    rounds: u32,
    (screen, side): (&str, &str),
    out: &std::path::Path,
    look: Look,
) -> i32 {
    crate::app::screenshot(level, seed, rounds, screen, side, out, look)
}

#[cfg(not(feature = "gui"))]
fn screenshot(
    _: &std::path::Path,
    _: u64,
    _: u32,
    _: (&str, &str),
    _: &std::path::Path,
    _: Look,
) -> i32 {
    window()
}

/// How a screenshot is drawn: the player settings that change the picture.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub ui_scale: f32,
    pub colour_blind: bool,
}

fn tournament(path: &std::path::Path, games: u32, seed: u64, json: bool, exploits: bool) -> Done {
    let Some(sc) = load_or_report(path) else {
        return Ok(1);
    };
    if exploits {
        let mut bar = Progress::new(1, "exploits");
        let x = crate::eval::exploits::run(sc, games, seed, |done, total| {
            bar.total = total;
            bar.tick(done)
        });
        bar.finish();
        if !json {
            return say(&x.table()).map(|_| 0);
        }
        return match serde_json::to_string(&x) {
            Ok(s) => say(&format!("{s}\n")).map(|_| 0),
            Err(e) => {
                tell(&format!("cannot write JSON: {e}"));
                Ok(1)
            }
        };
    }
    let mut bar = Progress::new(1, "tournament");
    let t = crate::eval::tournament::run(sc, games, seed, |done, total| {
        bar.total = total;
        bar.tick(done)
    });
    bar.finish();
    if json {
        match serde_json::to_string(&t) {
            Ok(s) => say(&format!("{s}\n"))?,
            Err(e) => {
                tell(&format!("cannot write JSON: {e}"));
                return Ok(1);
            }
        }
    } else {
        say(&t.table())?;
    }
    Ok(0)
}

/// Longest line `agent` reads; a longer one is answered with an error and skipped.
pub const MAX_AGENT_LINE: usize = 1 << 20;

/// `detente agent`: answer each line of stdin with one line on stdout until stdin closes.
fn agent(stance: crate::ai::bargain::Stance) -> Done {
    use std::io::{BufRead, Read};
    let mut agent = crate::ai::bargain::wire::Agent::new(stance);
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let read = (&mut input)
            .take(MAX_AGENT_LINE as u64 + 1)
            .read_until(b'\n', &mut buf);
        match read {
            Ok(0) => return Ok(0),
            Ok(_) => {}
            Err(e) => {
                tell(&format!("detente agent: cannot read the input: {e}"));
                return Ok(1);
            }
        }
        if buf.len() > MAX_AGENT_LINE && buf.last() != Some(&b'\n') {
            // Drop the rest of the line without holding it.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                match (&mut input).take(1 << 16).read_until(b'\n', &mut rest) {
                    Ok(0) => break,
                    Ok(_) if rest.last() == Some(&b'\n') => break,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            let msg = serde_json::json!({
                "type": "error",
                "message": format!("a line longer than {MAX_AGENT_LINE} bytes was skipped"),
            });
            say(&format!("{msg}\n"))?;
            continue;
        }
        let reply = match std::str::from_utf8(&buf) {
            Ok(line) => agent.handle(line),
            Err(_) => Some(
                serde_json::json!({"type": "error", "message": "the line is not UTF-8"})
                    .to_string(),
            ),
        };
        if let Some(r) = reply {
            say(&format!("{r}\n"))?;
        }
    }
}

fn bargain_eval(who: (Personality, Difficulty), domains: u32, seed: u64, json: bool) -> Done {
    let mut bar = Progress::new(1, "agent --eval");
    let r = crate::eval::bargain::run(who, domains, seed, |done, total| {
        bar.total = total;
        bar.tick(done)
    });
    bar.finish();
    if json {
        match serde_json::to_string(&r) {
            Ok(s) => say(&format!("{s}\n"))?,
            Err(e) => {
                tell(&format!("cannot write JSON: {e}"));
                return Ok(1);
            }
        }
    } else {
        say(&r.table())?;
    }
    Ok(0)
}

/// Validate each file and, when `play` gives a seed and games per pairing, playtest the valid
/// ones.
fn check(files: &[PathBuf], play: Option<(u64, u32)>, json: bool) -> Done {
    let mut bad = 0;
    let mut warned = false;
    for f in files {
        let s = match level::load(f) {
            Ok(s) => s,
            Err(e) => {
                bad += 1;
                tell(&e.to_string());
                continue;
            }
        };
        if !json {
            say(&format!(
                "{}: ok ({}: {} measures, {} events, {} outlets)\n",
                f.display(),
                s.title,
                s.measures.len(),
                s.events.len(),
                s.outlets.len()
            ))?;
        }
        let Some((seed, games)) = play else {
            continue;
        };
        let report = crate::eval::playtest::run(Arc::new(s), games, seed);
        warned |= !report.warnings.is_empty();
        if json {
            match serde_json::to_string(&report) {
                Ok(j) => say(&format!("{j}\n"))?,
                Err(e) => {
                    tell(&format!("cannot write JSON: {e}"));
                    return Ok(1);
                }
            }
        } else {
            say(&report.text())?;
        }
    }
    if bad > 0 {
        tell(&format!(
            "{bad} of {} level file(s) have errors",
            files.len()
        ));
        Ok(1)
    } else if warned {
        Ok(3)
    } else {
        Ok(0)
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
        let frac = (done as f64 / self.total.max(1) as f64).min(1.0);
        let width = 30;
        let filled = (frac * width as f64) as usize;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} [{}{}] {done}/{} ",
            self.label,
            "#".repeat(filled),
            "-".repeat(width - filled),
            self.total
        )
        .and_then(|_| err.flush());
    }

    pub fn finish(&self) {
        if self.shown {
            tell("");
        }
    }
}

/// Write to stdout, the one way commands print their results. A reader that went away (`| head`)
/// stops the command quietly with [`EXIT_PIPE_CLOSED`]; any other failure, such as a full disk,
/// is reported on stderr and stops it with 1. `Err` holds the exit code.
pub fn say(text: &str) -> Result<(), i32> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(EXIT_PIPE_CLOSED),
        Err(e) => {
            tell(&format!("detente: cannot write the output: {e}"));
            Err(1)
        }
    }
}

/// Write a line to stderr. Unlike `eprintln!`, a stderr that cannot be written is ignored
/// rather than a panic: there is nowhere left to report it.
pub fn tell(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// `--games` of `sim`: at least 1, at most [`MAX_SIM_GAMES`].
fn parse_sim_games(s: &str) -> Result<u32, String> {
    parse_games(s, MAX_SIM_GAMES, "")
}

/// `--games` of `tournament`: at least 1, at most [`MAX_TOURNAMENT_GAMES`] per pairing.
fn parse_tournament_games(s: &str) -> Result<u32, String> {
    parse_games(s, MAX_TOURNAMENT_GAMES, " per pairing")
}

/// `1000000` as `1,000,000`.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn parse_games(s: &str, max: u32, per: &str) -> Result<u32, String> {
    let n: u64 =
        s.trim().replace(['_', ','], "").parse().map_err(|_| {
            format!("'{s}' is not a number of games; write a whole number such as 100")
        })?;
    if n == 0 {
        return Err("at least 1 game is needed".into());
    }
    if n > u64::from(max) {
        return Err(format!(
            "at most {} games{per} in one run; run several with different --seed values instead",
            thousands(max)
        ));
    }
    Ok(n as u32)
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
) -> Done {
    if debrief.is_some() && (games > 1 || json) {
        tell("--debrief reports a single game: leave out --games and --json");
        return Ok(2);
    }
    let Some(sc) = load_or_report(path) else {
        return Ok(1);
    };
    if games == 1 && !json {
        let seats = seats_for(&sc, seats, seed);
        let (m, text) = runner::transcript(sc, seed, seats);
        say(&text)?;
        // Counterparts on both sides: nobody's beliefs about a person to show.
        if let Some(out) = debrief
            && let Err(e) = std::fs::write(out, crate::report::export_html(&m, None))
        {
            tell(&format!("cannot write {}: {e}", out.display()));
            return Ok(1);
        }
        return Ok(0);
    }
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
        say(&format!("{obj}\n"))?;
    } else {
        let mut out = format!("{}: {games} games from seed {seed}\n", sc.title);
        for (k, v) in &outcomes {
            out += &format!("  {k:<14} {v:>6}  ({:.1}%)\n", *v as f64 * 100.0 / n);
        }
        out += &format!("  mean rounds    {:.2}\n", rounds as f64 / n);
        out += &format!(
            "  agreements     {:.1}% of games\n",
            agreed as f64 * 100.0 / n
        );
        out += &format!(
            "  mean utility   {} {:.3}, {} {:.3}\n",
            sc.side_a.name,
            ua / n,
            sc.side_b.name,
            ub / n
        );
        out += &format!("  mean stability {:.1}\n", stab / n);
        out += &format!("  {:.2} s, {:.0} games/s\n", elapsed, n / elapsed.max(1e-9));
        say(&out)?;
    }
    Ok(0)
}
