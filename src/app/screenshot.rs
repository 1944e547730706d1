//! `detente screenshot`: play some rounds headless, open one screen at 1280x800, capture it
//! from inside Bevy and exit.

use super::game::{AiPace, Game, Mode};
use super::screens::{self, Page, Screen, Step};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use bevy::winit::WinitSettings;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Resource)]
struct Job {
    out: PathBuf,
    frames: u32,
    started: Option<f64>,
    requested: bool,
    done: bool,
}

/// What the table should show beyond the state after the rounds played.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// The first thing the shown side must do.
    Turn,
    /// A counter-offer from the other side, waiting for an answer.
    Counter,
    /// The cards between the last two rounds, played again: the season card first.
    Season,
    /// The last season's front page arriving.
    Front,
}

/// Put a match in the state the screen should show, for `human`'s seat.
pub fn prepare(
    level: &Path,
    seed: u64,
    rounds: u32,
    screen: Page,
    human: crate::sim::Side,
    moment: Moment,
) -> Result<Option<Game>, String> {
    if matches!(screen, Page::Title | Page::Join | Page::Console) {
        return Ok(None);
    }
    let sc = Arc::new(crate::level::load(level).map_err(|e| e.to_string())?);
    let mut g = Game::new(&super::game::Setup {
        level_file: level.to_path_buf(),
        scenario: sc.clone(),
        seed,
        mode: Mode::Watch,
    });
    if screen == Page::Debrief {
        g.auto_play(u32::MAX);
    } else {
        g.auto_play(rounds);
        // Let the computer move on until the shown side has something to do.
        let mut guard = 0;
        while !g.is_over() && guard < 1000 {
            guard += 1;
            let needed = g
                .table()
                .expect("a local match")
                .needs()
                .iter()
                .any(|(s, _)| *s == human);
            let view = g.table().expect("a local match").view(human);
            let countered =
                view.answers.is_some() && view.pending.as_ref().is_some_and(|(s, _)| *s != human);
            if needed && (moment != Moment::Counter || countered) {
                break;
            }
            if !g.ai_step() {
                break;
            }
        }
    }
    g.mode = Mode::VsAi {
        human,
        personality: sc.ai.personality,
        difficulty: sc.ai.difficulty,
    };
    if let Some(t) = g.table_mut() {
        t.seat_local(human);
    }
    g.viewer = human;
    g.briefed = [true, true];
    Ok(Some(g))
}

/// Tables in the console's picture: a class of two dozen students.
const CLASS_TABLES: u32 = 12;

/// A console showing a class at play: `CLASS_TABLES` tables of the level, each played by the
/// computer for `rounds` rounds from its own seed, with students in most seats; with `open`,
/// table 1 opened.
fn class_at_play(
    level: &Path,
    seed: u64,
    rounds: u32,
    open: bool,
) -> Result<super::class::Console, String> {
    use crate::net::protocol::{SeatStatus, ServerMsg, TableStatus};
    let sc = Arc::new(crate::level::load(level).map_err(|e| e.to_string())?);
    let mut msgs = Vec::new();
    let mut tables = Vec::new();
    for k in 0..CLASS_TABLES {
        let s = seed + u64::from(k);
        let mut t = crate::table::Table::new(sc.clone(), s, crate::runner::level_seats(&sc, s));
        // Tables move at their own pace: some a round behind.
        let upto = rounds.saturating_sub(k % 3).max(1);
        while !t.is_over() && t.round() <= upto {
            if t.step().is_none() {
                break;
            }
        }
        let seats = match k % 5 {
            3 => [SeatStatus::Connected, SeatStatus::Computer],
            4 => [SeatStatus::Away, SeatStatus::Connected],
            _ => [SeatStatus::Connected, SeatStatus::Connected],
        };
        // Students hold the seats the picture says they hold, so only the computer's give reasons.
        for side in crate::sim::Side::BOTH {
            if seats[side.idx()] != SeatStatus::Computer {
                t.seat_local(side);
            }
        }
        let quiet = u64::from(k) * 17 % 240;
        tables.push(TableStatus::of(k + 1, &t, seats, quiet, None));
        if open && k == 0 {
            msgs.push(ServerMsg::watched(
                1,
                &t,
                seats,
                None,
                true,
                &level.display().to_string(),
            ));
        }
    }
    msgs.insert(0, ServerMsg::Class { tables });
    Ok(super::class::Console {
        client: crate::net::client::Client::offline(msgs),
        told: std::time::Instant::now(),
    })
}

/// Run the screenshot job; returns the exit code.
pub fn run(
    level: &Path,
    seed: u64,
    rounds: u32,
    (screen, side): (&str, &str),
    out: &Path,
    look: crate::cli::Look,
) -> i32 {
    let screen_name = screen;
    let settings = crate::app::settings::Settings {
        ui_scale: look.ui_scale,
        colour_blind: look.colour_blind,
        fullscreen: false,
    };
    if settings.sane().ui_scale != look.ui_scale {
        let s = crate::app::settings::Settings::SCALES;
        eprintln!(
            "--ui-scale {} is out of range: use {} to {}",
            look.ui_scale,
            s[0],
            s[s.len() - 1]
        );
        return 2;
    }
    let human = match side {
        "a" | "A" => crate::sim::Side::A,
        "b" | "B" => crate::sim::Side::B,
        other => {
            eprintln!("unknown side '{other}': use a or b");
            return 2;
        }
    };
    let moment = match screen {
        "counter" => Moment::Counter,
        "season" => Moment::Season,
        "front" => Moment::Front,
        _ => Moment::Turn,
    };
    let screen = match screen {
        "title" => Page::Title,
        "briefing" => Page::Briefing,
        "table" | "counter" | "season" | "front" => Page::Table,
        "debrief" | "ending" => Page::Debrief,
        "handover" => Page::Handover,
        "join" => Page::Join,
        "console" | "console-table" => Page::Console,
        other => {
            eprintln!(
                "unknown screen '{other}': use title, join, console, console-table, briefing, handover, table, counter, season, front, ending or debrief"
            );
            return 2;
        }
    };
    let game = match prepare(level, seed, rounds, screen, human, moment) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(out)
    };
    if let Some(dir) = out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::remove_file(&out);
    let mut app = super::window_app(1280, 800, level.parent().unwrap_or(Path::new(".")));
    // With `DETENTE_FRAME_TIMES=play` the computer plays both sides on while frames are
    // measured, so the scene animates as in a match; otherwise it stays still.
    let play = std::env::var("DETENTE_FRAME_TIMES").is_ok_and(|v| v == "play");
    let mut game = game;
    if play && let Some(t) = game.as_mut().and_then(|g| g.table_mut()) {
        t.hand_to_counterpart(human);
    }
    let pace = if play {
        Duration::from_millis(600)
    } else {
        Duration::from_secs(3600)
    };
    // Draw continuously so the capture happens on schedule.
    app.insert_resource(WinitSettings::game())
        .insert_resource(settings)
        .insert_resource(AiPace(pace))
        .insert_resource(screens::Levels(screens::title::load_levels(
            level.parent().unwrap_or(Path::new(".")),
        )))
        .insert_resource(Job {
            out: out.clone(),
            frames: 0,
            started: None,
            requested: false,
            done: false,
        })
        .add_systems(
            Startup,
            move |mut next: ResMut<NextState<Screen>>, mut step: ResMut<NextState<Step>>| {
                screen.set(&mut next, &mut step);
            },
        )
        .insert_resource(super::class::Joining {
            address: "192.168.1.20:7878".into(),
            code: "RIVER-4821".into(),
            client: None,
            remember: false,
            saved_token: None,
        })
        .add_systems(Update, capture);
    // The debrief opens on its end card; "debrief" shows what follows it.
    if screen_name == "debrief" {
        app.add_systems(
            Update,
            |st: Option<ResMut<super::debrief::DebriefState>>| {
                if let Some(mut st) = st
                    && !st.ending_seen
                {
                    st.ending_seen = true;
                }
            },
        );
    }
    if let Some(g) = game {
        if matches!(moment, Moment::Season | Moment::Front) {
            app.insert_resource(crate::app::scene::show::ShowFrom(
                g.round().saturating_sub(1),
            ));
        }
        app.insert_resource(g);
    }
    if screen == Page::Console {
        match class_at_play(level, seed, rounds, screen_name == "console-table") {
            Ok(console) => {
                app.insert_resource(console);
            }
            Err(e) => {
                eprintln!("{e}");
                return 1;
            }
        }
        if screen_name == "console-table" {
            app.insert_resource(screens::console::ConsoleState {
                open: Some(1),
                ..Default::default()
            });
        }
    }
    // Playing on, the player reads each card between rounds for a moment and moves on, as a
    // student would, so the table comes back.
    if play {
        app.add_systems(
            Update,
            |mut show: ResMut<crate::app::scene::show::Show>,
             game: Option<Res<Game>>,
             time: Res<Time<Real>>,
             mut up_since: Local<Option<f64>>| {
                let Some(g) = game else {
                    return;
                };
                let now = time.elapsed_secs_f64();
                if !show.covers {
                    *up_since = None;
                } else if now - *up_since.get_or_insert(now) > READ_SECS {
                    show.dismiss(g.viewer, now);
                    *up_since = None;
                }
            },
        );
    }
    // The front page comes after the season's other cards: pass them by.
    if moment == Moment::Front {
        app.add_systems(
            Update,
            |mut show: ResMut<crate::app::scene::show::Show>,
             game: Option<Res<Game>>,
             time: Res<Time<Real>>| {
                let Some(g) = game else {
                    return;
                };
                let now = time.elapsed_secs_f64();
                if show
                    .queued(g.viewer)
                    .front()
                    .is_some_and(|c| !matches!(c, crate::app::scene::show::Card::Front(_)))
                {
                    show.dismiss(g.viewer, now);
                }
            },
        );
    }
    let code = match app.run() {
        AppExit::Success => 0,
        AppExit::Error(c) => c.get() as i32,
    };
    if code == 0 && out.exists() {
        println!("saved {}", out.display());
        0
    } else {
        eprintln!("no screenshot was written to {}", out.display());
        1
    }
}

/// With `DETENTE_FRAME_TIMES` set, the times between frames from the first second on, each
/// with whether the scene's camera drew on the frame before (its picture is rendered while the
/// next frame runs); the capture waits fifteen seconds, long enough for the computer playing
/// on to bring a season card and front pages. With `DETENTE_FRAME_DUMP=FILE` each frame is also
/// written as a line: time, milliseconds, and whether the scene drew and whether a card covered
/// the table (1 or 0), to see which frames are slow.
#[derive(Default)]
struct FrameTimes(Vec<Frame>, bool);

/// One measured frame.
struct Frame {
    /// Seconds since the start.
    at: f64,
    ms: f64,
    /// The scene's camera drew on the frame before.
    drew: bool,
    /// A card between rounds covered the table.
    covers: bool,
}

/// Seconds a card between rounds stays up, once in, when the computer plays on.
const READ_SECS: f64 = 1.5;

/// Seconds after the start the frame times are read from and to.
const MEASURE: (f64, f64) = (1.0, 16.0);

fn capture(
    mut commands: Commands,
    mut job: ResMut<Job>,
    time: Res<Time<Real>>,
    mut exit: MessageWriter<AppExit>,
    mut times: Local<FrameTimes>,
    drawing: Res<crate::app::scene::Drawing>,
    show: Option<Res<crate::app::scene::show::Show>>,
) {
    job.frames += 1;
    let now = time.elapsed_secs_f64();
    let started = *job.started.get_or_insert(now);
    let measuring = std::env::var_os("DETENTE_FRAME_TIMES").is_some();
    if measuring && !job.requested && now - started >= MEASURE.0 {
        let covers = show.as_ref().is_some_and(|s| s.covers);
        let drew = times.1;
        times.0.push(Frame {
            at: now,
            ms: time.delta_secs_f64() * 1000.0,
            drew,
            covers,
        });
    }
    times.1 = drawing.0;
    if job.done {
        if measuring && !times.0.is_empty() {
            if let Some(path) = std::env::var_os("DETENTE_FRAME_DUMP") {
                let lines: Vec<String> = times
                    .0
                    .iter()
                    .map(|f| {
                        let bit = u8::from;
                        let (d, c) = (bit(f.drew), bit(f.covers));
                        format!("{:.3}\t{:.1}\t{d}\t{c}", f.at, f.ms)
                    })
                    .collect();
                let _ = std::fs::write(path, lines.join("\n"));
            }
            let mut all: Vec<f64> = times.0.iter().map(|f| f.ms).collect();
            let n = all.len();
            let (p50, p95, max) = super::frame_stats::percentiles(&mut all);
            println!(
                "frames {n} over {:.0} s: p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms",
                MEASURE.1 - MEASURE.0
            );
            let mut scene: Vec<f64> = times.0.iter().filter(|f| f.drew).map(|f| f.ms).collect();
            if !scene.is_empty() {
                let k = scene.len();
                let (p50, p95, max) = super::frame_stats::percentiles(&mut scene);
                println!(
                    "of which {k} after the scene drew: p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms"
                );
            }
        }
        exit.write(AppExit::Success);
        return;
    }
    if now - started > 60.0 {
        error!("screenshot timed out");
        exit.write(AppExit::error());
        return;
    }
    let wait = if measuring { MEASURE.1 } else { 2.5 };
    if !job.requested && job.frames >= 12 && now - started >= wait {
        job.requested = true;
        let path = job.out.clone();
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path))
            .observe(|_: On<ScreenshotCaptured>, mut job: ResMut<Job>| {
                job.done = true;
            });
    }
}

/// F12 saves what the window shows as a PNG in the exports folder, and says where. With two
/// players at one screen it is off: a capture could keep a private brief for the other player.
pub fn f12_screenshot(
    mut commands: Commands,
    keys: Res<ButtonInput<KeyCode>>,
    game: Option<Res<Game>>,
    screen: Res<State<Screen>>,
    mut toast: ResMut<screens::Toast>,
) {
    if !keys.just_pressed(KeyCode::F12) {
        return;
    }
    let hotseat = game.is_some_and(|g| g.mode == Mode::Hotseat);
    if hotseat && *screen.get() == Screen::Match {
        toast.0 = Some(
            "Screenshots (F12) are off while two players share the screen: a picture could keep the other player's brief."
                .into(),
        );
        return;
    }
    let dir = super::save::exports_dir();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        toast.0 = Some(format!(
            "Could not save a screenshot in {}: {e}",
            dir.display()
        ));
        return;
    }
    let stamp = super::save::now();
    let path = dir.join(format!("detente-{stamp}.png"));
    toast.0 = Some(format!("Screenshot saved: {}", path.display()));
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path));
}
