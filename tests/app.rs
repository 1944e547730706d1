//! UI tests of the game window, in one binary: pure UI functions under egui_kittest, and the
//! Bevy plugins played headless to the debrief.
#![cfg(feature = "gui")]

use detente::ai::{Counterpart, Negotiator};
use detente::app::egui;
use detente::app::save::{self, SaveStatus};
use detente::app::screens::table::{TableCtx, TableState, table_ui};
use detente::app::screens::{self as pages, Intent, Page, Screen, Step, title::TitleState};
use detente::app::settings::Settings;
use detente::app::ui::Palette;
use detente::app::{AiPace, Game, Mode, Move, Nav, SaveDir, Setup, core_plugin};
use detente::sim::rules::Seen;
use detente::sim::{Action, Event, Logged, Match, Need, Scenario, Side, SideView, Stage};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[path = "app/class.rs"]
mod class;
#[path = "app/layout.rs"]
mod layout;
#[path = "app/show.rs"]
mod show;

fn tutorial() -> Arc<Scenario> {
    Arc::new(detente::level::load(Path::new("levels/tutorial.ron")).expect("tutorial loads"))
}

/// The level's own counterpart for each side, to play scripted seats.
fn agents(sc: &Scenario, seed: u64) -> [Counterpart; 2] {
    Side::BOTH.map(|s| detente::table::level_counterpart(sc.public(), s, seed))
}

/// One move for whoever must act, decided by `agents` from that side's view (a refused move
/// falls back to one that always moves on). `None` once the match is over.
fn step_match(m: &mut Match, agents: &mut [Counterpart; 2]) -> Option<()> {
    let (s, _) = *m.needs().first()?;
    let view = m.view(s);
    let sc = m.scenario.clone();
    let d = agents[s.idx()].decide(&view, sc.public());
    if m.apply(d.action).is_err() {
        m.apply(detente::table::fallback(&view))
            .expect("the fallback applies");
    }
    Some(())
}

/// The same for a game: each person's move is submitted from that seat.
fn step_game(g: &mut Game, agents: &mut [Counterpart; 2]) -> Option<()> {
    let (s, _) = *g.table().unwrap().needs().first()?;
    let view = g.table().unwrap().view(s);
    let level = g.level().clone();
    let d = agents[s.idx()].decide(&view, &level);
    if g.submit(s, d.action).is_err() {
        g.submit(s, detente::table::fallback(&view))
            .expect("the fallback applies");
    }
    Some(())
}

/// Play safe moves for everyone until `side` is asked for `need`.
fn advance_until(m: &mut Match, side: Side, need: Need) {
    for _ in 0..500 {
        if m.needs().contains(&(side, need)) {
            return;
        }
        let sc = m.scenario.clone();
        step_match(m, &mut agents(&sc, 7)).expect("match still running");
    }
    panic!("{side:?} was never asked to {need:?}");
}

/// The table's inputs for a person playing `view`'s side against the computer.
fn table_cx<'a>(
    m: &'a Match,
    view: &'a SideView,
    log: &'a [Logged],
    reason: Option<&'a str>,
) -> TableCtx<'a> {
    // The rules a seat asks, from its view and the public level (kept for the test's length).
    let seen: &'a Seen<'a> = Box::leak(Box::new(Seen::new(view, m.scenario.public())));
    TableCtx {
        sc: m.scenario.public(),
        view,
        rules: seen,
        log,
        reason,
        refused: None,
        notice: None,
        can_act: true,
        opponent: "the computer",
        link: None,
        map: None,
        pal: Palette::default(),
    }
}

/// A harness drawing the table for `side` of `m`, collecting the actions it returns.
fn table_harness(m: &Match, side: Side) -> Harness<'_, (TableState, Vec<Action>)> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 1000.0))
        .build_ui_state(
            move |ui, st: &mut (TableState, Vec<Action>)| {
                let view = m.view(side);
                let log: Vec<_> = m.log_for(side).cloned().collect();
                let cx = table_cx(m, &view, &log, Some("A test reason."));
                let acts = table_ui(ui, &cx, &mut st.0);
                st.1.extend(acts);
            },
            (TableState::default(), Vec::new()),
        )
}

#[test]
fn building_an_offer_yields_the_right_action() {
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Propose);
    let mut h = table_harness(&m, Side::A);
    h.run();
    h.get_by_label("we do: Lake hotline").click();
    h.run();
    h.get_by_label("they do: Lake hotline").click();
    h.run();
    // The live preview is drawn before sending.
    assert!(h.query_by_label_contains("Ratifies at home").is_some());
    h.get_by_label_contains("Send offer").click();
    h.run();
    let acts = h.state().1.clone();
    drop(h);
    assert_eq!(acts.len(), 1, "{acts:?}");
    let Action::Propose { side, offer } = &acts[0] else {
        panic!("expected a proposal, got {acts:?}");
    };
    assert_eq!(*side, Side::A);
    let got: Vec<(&str, Side)> = offer
        .items
        .iter()
        .map(|i| (i.measure.as_str(), i.by))
        .collect();
    assert_eq!(got, vec![("hotline", Side::A), ("hotline", Side::B)]);
    // The rules take it as it is.
    m.apply(acts[0].clone()).expect("the offer is legal");
}

#[test]
fn accepting_an_incoming_offer_applies_it() {
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Answer);
    let mut h = table_harness(&m, Side::A);
    h.run();
    assert!(h.query_by_label_contains("Their reason").is_some());
    h.get_by_label_contains("Accept").click();
    h.run();
    let acts = h.state().1.clone();
    drop(h);
    assert_eq!(acts, vec![Action::Accept { side: Side::A }]);
    let events = m.apply(acts[0].clone()).expect("accept applies");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::OfferAccepted { side: Side::A }))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Ratification { .. }))
    );
}

#[test]
fn keyboard_shortcuts_answer_the_offer() {
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Answer);
    let mut h = table_harness(&m, Side::A);
    h.run();
    h.key_press(egui::Key::R);
    h.run();
    assert_eq!(h.state().1, vec![Action::Reject { side: Side::A }]);
    // C opens the counter-offer builder, pre-filled with the offer on the table.
    let mut h = table_harness(&m, Side::A);
    h.run();
    h.key_press(egui::Key::C);
    h.run();
    assert!(h.state().0.countering);
    let pending = m.talks.pending.clone().expect("an offer is on the table").1;
    assert_eq!(h.state().0.draft.items, pending.items);
    assert!(h.query_by_label_contains("Send counter-offer").is_some());
}

fn game_for(mode: Mode) -> Game {
    let setup = Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: tutorial(),
        seed: 3,
        mode,
    };
    Game::new(&setup)
}

/// What the pages keep between frames, as the app keeps it while each page is up.
#[derive(Default)]
struct UiState {
    title: TitleState,
    table: detente::app::screens::table::TableState,
    debrief: detente::app::debrief::DebriefState,
}

/// Draw one page as the app's systems do, outside the app.
fn draw_page(
    ui: &mut egui::Ui,
    page: Page,
    game: Option<&Game>,
    levels: &[detente::app::screens::title::LevelEntry],
    st: &mut UiState,
) -> Vec<Intent> {
    let settings = Settings::default();
    let pal = Palette::new(settings.colour_blind);
    match (page, game) {
        (Page::Title, _) => {
            pages::title_page(ui, &pal, levels, &[], None, &mut st.title, &settings)
        }
        (Page::Briefing, Some(g)) => pages::briefing_page(ui, &pal, g),
        (Page::Handover, Some(g)) => pages::handover_page(ui, &pal, g),
        (Page::Table, Some(g)) => pages::table_page(ui, pal, g, &mut st.table),
        (Page::Debrief, Some(g)) => pages::debrief_page(ui, &pal, g, &mut st.debrief),
        (Page::Join, _) => {
            let (mut address, mut code) =
                ("192.168.1.20:7878".to_string(), "RIVER-4821".to_string());
            pages::join::join_ui(
                ui,
                &pal,
                &mut address,
                &mut code,
                None,
                std::time::Instant::now(),
            );
            Vec::new()
        }
        (Page::Console, _) => Vec::new(),
        (_, None) => Vec::new(),
    }
}

fn screen_harness(game: &Game, screen: Page) -> Harness<'_, UiState> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            move |ui, st: &mut UiState| {
                let _: Vec<Intent> = draw_page(ui, screen, Some(game), &[], st);
            },
            UiState::default(),
        )
}

#[test]
fn handover_hides_every_private_part() {
    let mut g = game_for(Mode::Hotseat);
    // Bring side A to implementation with commitments of its own, so keep/break is on screen.
    let sc = tutorial();
    let mut agents = agents(&sc, 3);
    while !(g.table().unwrap().stage() == Stage::Implementation
        && g.table()
            .unwrap()
            .needs()
            .contains(&(Side::A, Need::Implement))
        && g.table()
            .unwrap()
            .view(Side::A)
            .commitments
            .iter()
            .any(|c| c.by == Side::A))
    {
        step_game(&mut g, &mut agents).expect("match runs");
    }
    g.viewer = Side::A;
    let brief_a = sc.side_a.brief.lines().next().unwrap().to_string();
    let brief_b = sc.side_b.brief.lines().next().unwrap().to_string();

    // Control: the private parts are really drawn on A's own screens.
    let mut h = screen_harness(&g, Page::Table);
    h.run();
    assert!(h.query_by_label_contains("Break quietly").is_some());
    drop(h);
    let mut h = screen_harness(&g, Page::Briefing);
    h.run();
    assert!(h.query_by_label_contains(&brief_a).is_some());
    assert!(h.query_by_label_contains("What matters to you").is_some());
    drop(h);

    // The handover shows none of it, for either side.
    for side in Side::BOTH {
        g.viewer = side;
        let mut h = screen_harness(&g, Page::Handover);
        h.run();
        assert!(h.query_by_label_contains("Hand over the screen").is_some());
        for secret in [
            brief_a.as_str(),
            brief_b.as_str(),
            "What matters to you",
            "Concessions",
            "Break quietly",
            "Keep",
            "Ratifies at home",
            "What moves your factions",
            "Your brief",
        ] {
            assert!(
                h.query_by_label_contains(secret).is_none(),
                "handover for {side:?} shows '{secret}'"
            );
        }
    }
}

fn headless_app(save: Option<PathBuf>) -> bevy::app::App {
    use bevy::prelude::*;
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::state::app::StatesPlugin));
    core_plugin(&mut app);
    app.insert_resource(AiPace(Duration::ZERO))
        .insert_resource(SaveDir(save));
    app
}

fn screen_of(app: &bevy::app::App) -> Page {
    let screen = *app
        .world()
        .resource::<bevy::state::state::State<Screen>>()
        .get();
    let step = app
        .world()
        .get_resource::<bevy::state::state::State<Step>>()
        .map(|s| *s.get());
    Page::of(screen, step)
}

/// Drive the app: confirm briefings and handovers, and play the human seats with the
/// level's counterpart, until the debrief.
fn play_to_debrief(app: &mut bevy::app::App) -> Vec<Page> {
    let mut seen = Vec::new();
    let mut scripted = agents(&tutorial(), 11);
    for _ in 0..5000 {
        app.update();
        let screen = screen_of(app);
        if seen.last() != Some(&screen) {
            seen.push(screen);
        }
        match screen {
            Page::Debrief => return seen,
            Page::Briefing => {
                app.world_mut().write_message(Nav::BriefingDone);
            }
            Page::Handover => {
                app.world_mut().write_message(Nav::HandoverDone);
            }
            Page::Table => {
                let g = app.world().resource::<Game>();
                if let Some(side) = g.human_need() {
                    assert_eq!(side, g.viewer, "a person acts only on their own screen");
                    let view = g.table().unwrap().view(side);
                    let level = g.level().clone();
                    let d = scripted[side.idx()].decide(&view, &level);
                    app.world_mut().write_message(Move(d.action));
                }
            }
            Page::Title | Page::Join | Page::Console => {}
        }
    }
    panic!("no debrief after 5000 frames; screens {seen:?}");
}

#[test]
fn a_full_match_against_the_ai_reaches_the_debrief_and_autosaves() {
    let dir = std::env::temp_dir().join(format!("detente-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut app = headless_app(Some(dir.clone()));
    app.world_mut().write_message(Nav::Start(Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: tutorial(),
        seed: 5,
        mode: Mode::VsAi {
            human: Side::B,
            personality: detente::sim::Personality::Reciprocator,
            difficulty: detente::sim::Difficulty::Normal,
        },
    }));
    let seen = play_to_debrief(&mut app);
    assert_eq!(seen.first(), Some(&Page::Title));
    assert!(seen.contains(&Page::Briefing));
    assert!(
        !seen.contains(&Page::Handover),
        "no handover against the computer"
    );
    let g = app.world().resource::<Game>();
    assert!(g.table().unwrap().is_over());

    // The match saved itself, in a file of its own, and the save replays to the same match.
    let slots = save::list(Some(&dir));
    assert_eq!(slots.len(), 1);
    let save_file = slots[0].path.clone();
    assert_eq!(g.slot.as_ref(), Some(&save_file));
    let SaveStatus::Ready(file, _) = save::probe(Some(&save_file)) else {
        panic!("no usable autosave");
    };
    let restored = file.restore().expect("the save restores");
    assert_eq!(
        restored.table().unwrap().whole().log,
        g.table().unwrap().whole().log
    );
    assert_eq!(
        restored.table().unwrap().whole().history,
        g.table().unwrap().whole().history
    );
    // The computer's memory is replayed too: it believes what it believed.
    let beliefs = detente::app::debrief::beliefs_of(g).expect("an AI match has beliefs");
    assert_eq!(
        detente::app::debrief::beliefs_of(&restored).as_ref(),
        Some(&beliefs)
    );

    // The debrief exports as one self-contained page, with what the computer believed.
    let html = detente::app::debrief::export_html(
        g.table().unwrap().finished().expect("over"),
        Some(&beliefs),
    );
    assert!(html.contains(&g.table().unwrap().whole().scenario.title) && html.contains("<svg"));
    assert!(html.contains(detente::app::debrief::BELIEFS_TITLE));
    assert!(html.contains(detente::app::debrief::DEALS_TITLE));
    assert!(!html.contains("src=\"http"), "no outside resources");

    // A damaged save is reported, not a crash.
    std::fs::write(&save_file, "{ this is not json").unwrap();
    assert!(matches!(
        save::probe(Some(&save_file)),
        SaveStatus::Broken(_)
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_debrief_shows_what_the_computer_believed_you_valued() {
    use detente::app::debrief::{BELIEFS_TITLE, beliefs_of};
    let mut app = headless_app(None);
    app.world_mut().write_message(Nav::Start(Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: tutorial(),
        seed: 8,
        mode: Mode::VsAi {
            human: Side::A,
            personality: detente::sim::Personality::Pragmatist,
            difficulty: detente::sim::Difficulty::Normal,
        },
    }));
    play_to_debrief(&mut app);
    let g = app.world().resource::<Game>();
    let b = beliefs_of(g).expect("beliefs in an AI match");
    assert_eq!(b.about, Side::A);
    assert!(b.informed(), "the computer saw offers: {:?}", b.believed);
    assert!((b.believed.iter().sum::<f32>() - 1.0).abs() < 1e-3);
    assert!((b.truth.iter().sum::<f32>() - 1.0).abs() < 1e-3);
    let guess = b.believed_top().label();
    let truth = b.true_top().label();
    let mut h = screen_harness(g, Page::Debrief);
    h.run();
    // The end of the match comes first, on its own card.
    assert!(h.query_by_label(BELIEFS_TITLE).is_none());
    assert!(!h.state().debrief.ending_seen);
    press(&mut h, egui::Key::Enter);
    assert!(h.state().debrief.ending_seen);
    assert!(h.query_by_label(BELIEFS_TITLE).is_some());
    // Each deal is set against what was open when it was signed.
    let reports = g.table().unwrap().whole().deal_reports();
    assert!(!reports.is_empty(), "the match signed something");
    assert!(
        h.query_by_label(detente::app::debrief::DEALS_TITLE)
            .is_some()
    );
    for d in &reports {
        assert!(
            h.query_by_label_contains(&format!("Round {}: {} commitment", d.round, d.items.len()))
                .is_some(),
            "no line for the deal of round {}",
            d.round
        );
    }
    // The sentence names the believed top area (and the true one).
    assert!(
        h.query_by_label_contains(&format!("took {guess} to be your first concern"))
            .is_some(),
        "no sentence naming {guess}"
    );
    if guess != truth {
        assert!(
            h.query_by_label_contains(&format!("it was {truth}"))
                .is_some()
        );
    }
    // One row is marked as its guess, one as the truth (the same row if it guessed right).
    assert_eq!(h.query_all_by_label_contains("◀ its guess").count(), 1);
    let star = h.query_all_by_label_contains("★ your").count();
    assert_eq!(star, b.true_tops().len() - usize::from(b.guessed_right()));
    drop(h);

    // Two people at one screen: there is no computer to have believed anything.
    let hot = game_for(Mode::Hotseat);
    assert!(beliefs_of(&hot).is_none());
    let mut h = screen_harness(&hot, Page::Debrief);
    h.run();
    assert!(h.query_by_label(BELIEFS_TITLE).is_none());
}

#[test]
fn a_hotseat_match_hands_over_between_players() {
    let mut app = headless_app(None);
    app.world_mut().write_message(Nav::Start(Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: tutorial(),
        seed: 3,
        mode: Mode::Hotseat,
    }));
    let seen = play_to_debrief(&mut app);
    let handovers = seen.iter().filter(|s| **s == Page::Handover).count();
    assert!(handovers >= 3, "screens {seen:?}");
    // Each player read a briefing.
    assert!(seen.iter().filter(|s| **s == Page::Briefing).count() >= 2);
}

#[test]
fn meters_flash_when_their_value_changes_and_then_rest() {
    use detente::app::ui::meters::animated;
    let ctx = egui::Context::default();
    let id = egui::Id::new("test-meter");
    let frame = |value: f32, t: f64| {
        let input = egui::RawInput {
            time: Some(t),
            ..Default::default()
        };
        let mut got = (0.0, 0.0);
        ctx.run_ui(input, |ui| got = animated(ui, id, value))
            .drop_without_applying_deltas();
        got
    };
    assert_eq!(frame(40.0, 0.0).1, 0.0, "no flash on first sight");
    assert_eq!(frame(40.0, 1.0).1, 0.0);
    let (_, flash) = frame(55.0, 2.0);
    assert!(flash > 0.9, "a change flashes, got {flash}");
    assert!(ctx.has_requested_repaint(), "a flash keeps frames coming");
    let (shown, flash) = frame(55.0, 10.0);
    assert_eq!(flash, 0.0, "the flash fades");
    assert!((shown - 55.0).abs() < 0.01);
    let _ = frame(55.0, 11.0);
    assert!(
        !ctx.has_requested_repaint(),
        "a still meter asks for no frames"
    );
}

#[test]
fn idle_table_asks_for_no_frames() {
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Answer);
    let ctx = egui::Context::default();
    let mut st = TableState::default();
    let view = m.view(Side::A);
    let log: Vec<_> = m.log_for(Side::A).cloned().collect();
    let mut requested = Vec::new();
    for frame in 0..6 {
        let input = egui::RawInput {
            time: Some(frame as f64 * 5.0),
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1280.0, 800.0),
            )),
            ..Default::default()
        };
        ctx.run_ui(input, |ui| {
            let cx = table_cx(&m, &view, &log, None);
            let _ = table_ui(ui, &cx, &mut st);
        })
        .drop_without_applying_deltas();
        requested.push(ctx.has_requested_repaint());
    }
    assert_eq!(
        requested.last(),
        Some(&false),
        "repaints requested: {requested:?}"
    );
}

#[test]
fn repeated_modifier_events_are_dropped_before_egui_sees_them() {
    use bevy::prelude::World;
    use bevy_egui::EguiInput;
    let mut world = World::new();
    let shift = egui::Modifiers {
        shift: true,
        ..Default::default()
    };
    let e = world
        .spawn(EguiInput(egui::RawInput {
            events: vec![
                egui::Event::ModifiersChanged(egui::Modifiers::default()),
                egui::Event::PointerGone,
            ],
            ..Default::default()
        }))
        .id();
    // A registered system keeps its memory of the last modifiers between runs, as in the app.
    let sys = world.register_system(detente::app::idle::drop_repeated_modifiers);
    let run = |world: &mut World, events: Vec<egui::Event>| {
        world.get_mut::<EguiInput>(e).unwrap().0.events = events;
        world.run_system(sys).unwrap();
        world.get::<EguiInput>(e).unwrap().0.events.clone()
    };
    // Unchanged modifiers (the state egui starts from) are dropped every frame.
    let same = vec![egui::Event::ModifiersChanged(egui::Modifiers::default())];
    assert!(run(&mut world, same.clone()).is_empty());
    assert!(run(&mut world, same.clone()).is_empty());
    // A real change passes once, then its repeats are dropped.
    let held = vec![egui::Event::ModifiersChanged(shift)];
    assert_eq!(run(&mut world, held.clone()), held);
    assert!(run(&mut world, held.clone()).is_empty());
    // Releasing it passes again; other events always pass.
    let mut back = same.clone();
    back.push(egui::Event::PointerGone);
    assert_eq!(run(&mut world, back.clone()), back);
}

#[test]
fn continuing_the_autosave_picks_up_where_the_match_stopped() {
    let dir = std::env::temp_dir().join(format!("detente-continue-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut app = headless_app(Some(dir.clone()));
    app.world_mut().write_message(Nav::Start(Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: tutorial(),
        seed: 9,
        mode: Mode::VsAi {
            human: Side::A,
            personality: detente::sim::Personality::Dove,
            difficulty: detente::sim::Difficulty::Easy,
        },
    }));
    // Play until round 3 begins: two autosaves have been written.
    let mut scripted = agents(&tutorial(), 1);
    for _ in 0..2000 {
        app.update();
        match screen_of(&app) {
            Page::Briefing => {
                app.world_mut().write_message(Nav::BriefingDone);
            }
            Page::Table => {
                let g = app.world().resource::<Game>();
                if g.table().unwrap().round() >= 3 {
                    break;
                }
                if let Some(side) = g.human_need() {
                    let view = g.table().unwrap().view(side);
                    let level = g.level().clone();
                    let d = scripted[side.idx()].decide(&view, &level);
                    app.world_mut().write_message(Move(d.action));
                }
            }
            _ => {}
        }
    }
    let round = app.world().resource::<Game>().table().unwrap().round();
    assert!(round >= 3);

    // A fresh start of the game lists the save and continues it.
    let slots = save::list(Some(&dir));
    assert_eq!(slots.len(), 1);
    let SaveStatus::Ready(file, _) = &slots[0].status else {
        panic!("{:?}", slots[0].status);
    };
    assert_eq!((file.round, file.over), (round, false));
    let mut again = headless_app(Some(dir.clone()));
    again
        .world_mut()
        .write_message(Nav::Continue(slots[0].path.clone()));
    again.update();
    again.update();
    let g = again.world().resource::<Game>();
    assert_eq!(g.table().unwrap().round(), round);
    assert!(g.mode.is_human(Side::A));
    assert_eq!(
        g.slot.as_ref(),
        Some(&slots[0].path),
        "it goes on saving to its own file"
    );
    assert_eq!(
        screen_of(&again),
        Page::Table,
        "already briefed: straight to the table"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn adopting_the_mediators_bridge_fills_the_builder() {
    use detente::sim::{Item, Offer, Statement, Term};
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Propose);
    let bridge = Offer {
        items: vec![
            Item {
                measure: "hotline".into(),
                by: Side::A,
                verification: Some(0),
                term: Term::Pledge,
            },
            Item {
                measure: "hotline".into(),
                by: Side::B,
                verification: Some(0),
                term: Term::Pledge,
            },
        ],
        statement: Statement::SharedInterest,
    };
    m.bridge = Some(bridge.clone());
    let mut h = table_harness(&m, Side::A);
    h.run();
    assert!(h.query_by_label_contains("bridging proposal").is_some());
    h.get_by_label("Adopt into my offer").click();
    h.run();
    assert_eq!(h.state().0.draft.items, bridge.items);
    h.get_by_label_contains("Send offer").click();
    h.run();
    let acts = h.state().1.clone();
    drop(h);
    assert_eq!(
        acts,
        vec![Action::Propose {
            side: Side::A,
            offer: bridge
        }]
    );
}

#[test]
fn a_hardline_successor_is_played_by_the_computer_to_the_end() {
    let mut app = headless_app(None);
    app.world_mut().write_message(Nav::Start(Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: tutorial(),
        seed: 4,
        mode: Mode::VsAi {
            human: Side::A,
            personality: detente::sim::Personality::Hawk,
            difficulty: detente::sim::Difficulty::Normal,
        },
    }));
    app.update();
    app.world_mut().write_message(Nav::BriefingDone);
    app.update();
    app.world_mut()
        .resource_mut::<Game>()
        .table_mut()
        .unwrap()
        .successor_takes_over(Side::A);
    // Nobody scripts a single move: the computer plays both sides to the debrief.
    for _ in 0..3000 {
        app.update();
        if screen_of(&app) == Page::Debrief {
            break;
        }
    }
    assert_eq!(screen_of(&app), Page::Debrief);
    let g = app.world().resource::<Game>();
    assert!(g.table().unwrap().is_over());
    assert_eq!(
        g.table().unwrap().taken_over(Side::A),
        Some(detente::table::Takeover::Successor)
    );
    assert!(!g.is_human(Side::A));
}

#[test]
fn the_tutorial_comes_first_and_is_chosen_for_a_new_student() {
    use detente::app::screens::title::{LevelEntry, load_levels, sort_levels};
    let levels = load_levels(Path::new("levels"));
    let first = levels[0].result.as_ref().expect("the first level loads");
    assert_eq!(first.id, "tutorial");
    // Playable levels by length after the tutorial; a broken file goes last.
    let sc = |name: &str| {
        Arc::new(detente::level::load(&Path::new("levels").join(name)).expect("level loads"))
    };
    let mut v = vec![
        LevelEntry {
            path: "levels/aaa_broken.ron".into(),
            result: Err("1:1: expected a Level".into()),
        },
        LevelEntry {
            path: "levels/river_accord.ron".into(),
            result: Ok(sc("river_accord.ron")),
        },
        LevelEntry {
            path: "levels/ceasefire_line.ron".into(),
            result: Ok(sc("ceasefire_line.ron")),
        },
        LevelEntry {
            path: "levels/tutorial.ron".into(),
            result: Ok(tutorial()),
        },
    ];
    sort_levels(&mut v);
    let order: Vec<&str> = v.iter().map(|l| l.path.to_str().unwrap()).collect();
    assert_eq!(
        order,
        [
            "levels/tutorial.ron",
            "levels/river_accord.ron",
            "levels/ceasefire_line.ron",
            "levels/aaa_broken.ron"
        ]
    );

    // The title screen selects it and offers it in the New match card.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, st: &mut UiState| {
                let _ = draw_page(ui, Page::Title, None, &levels, st);
            },
            UiState::default(),
        );
    h.run();
    assert_eq!(h.state().title.selected, Some(0));
    assert!(
        h.query_all_by_label(&first.title).count() >= 2,
        "listed and chosen"
    );
}

/// A headless app that reads levels as assets from `dir`.
fn level_asset_app(dir: &Path) -> bevy::app::App {
    use bevy::prelude::*;
    let mut app = App::new();
    app.insert_resource(detente::app::screens::LevelDir(dir.to_path_buf()));
    detente::app::levels::register_source(&mut app, dir);
    app.add_plugins((
        MinimalPlugins,
        bevy::state::app::StatesPlugin,
        bevy::asset::AssetPlugin::default(),
    ));
    core_plugin(&mut app);
    detente::app::levels::plugin(&mut app);
    app
}

#[test]
fn level_files_load_as_assets_and_changes_refresh_the_list() {
    use detente::app::levels::LevelAsset;
    use detente::app::screens::{Levels, Notice};
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("assets");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tut = dir.join("tutorial.ron");
    let river = dir.join("river_accord.ron");
    std::fs::copy("levels/tutorial.ron", &tut).unwrap();
    let text = std::fs::read_to_string("levels/river_accord.ron").unwrap();
    // One broken file: it loads as an asset carrying its errors.
    std::fs::write(&river, text.replacen("rounds:", "roundz:", 1)).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a level").unwrap();

    let mut app = level_asset_app(&dir);
    let loaded = |app: &bevy::app::App| app.world().resource::<Levels>().0.len();
    for _ in 0..400 {
        app.update();
        if loaded(&app) == 2
            && app
                .world()
                .resource::<bevy::asset::Assets<LevelAsset>>()
                .len()
                == 2
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let levels = &app.world().resource::<Levels>().0;
    assert_eq!(levels.len(), 2, "only .ron files are levels");
    assert!(levels.iter().any(|l| l.path == tut && l.result.is_ok()));
    assert!(levels.iter().any(|l| l.path == river && l.result.is_err()));
    assert!(
        app.world().resource::<Notice>().0.is_none(),
        "the first load is not news"
    );

    // The file is fixed on disk and the asset server reports it modified (what the file
    // watcher does in the `dev` build): the list follows, with a notice naming the file.
    std::fs::write(&river, &text).unwrap();
    let id = {
        let assets = app.world().resource::<bevy::asset::Assets<LevelAsset>>();
        assets
            .iter()
            .find(|(_, a)| a.path == river)
            .map(|(id, _)| id)
            .expect("the broken file is an asset")
    };
    {
        let mut assets = app
            .world_mut()
            .resource_mut::<bevy::asset::Assets<LevelAsset>>();
        let mut asset = assets.get_mut(id).expect("still loaded");
        // A write through the handle is what marks it modified.
        let asset: &mut LevelAsset = &mut asset;
        asset.result = Err("stale".into());
    }
    // The event is sent at the end of one frame and read in the next.
    app.update();
    app.update();
    let levels = &app.world().resource::<Levels>().0;
    assert!(levels.iter().any(|l| l.path == river && l.result.is_ok()));
    let notice = app
        .world()
        .resource::<Notice>()
        .0
        .clone()
        .expect("a notice");
    assert!(notice.contains("river_accord.ron"), "{notice}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn buttons_follow_the_rules_dry_run() {
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Propose);
    // With capital to spare, G makes a gesture the rules accept.
    let mut h = table_harness(&m, Side::A);
    h.run();
    h.key_press(egui::Key::G);
    h.run();
    let acts = h.state().1.clone();
    drop(h);
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert!(matches!(acts[0], Action::Gesture { .. }));
    assert!(m.check(&acts[0]).is_ok());
    // Broke: the rules refuse it, so the button is greyed out and G does nothing.
    m.sides[Side::A.idx()].capital = 0.0;
    assert!(m.check(&acts[0]).is_err());
    let mut h = table_harness(&m, Side::A);
    h.run();
    assert!(
        h.get_by_label_contains("Make gesture")
            .accesskit_node()
            .is_disabled(),
        "an unaffordable gesture is greyed out"
    );
    h.key_press(egui::Key::G);
    h.run();
    assert!(h.state().1.is_empty(), "{:?}", h.state().1);
}

#[test]
fn the_press_panel_shows_every_outlets_front_page_from_the_view() {
    let mut m = Match::new(tutorial(), 3);
    // Once the first round is over the press has printed.
    let mut agents = agents(&m.scenario.clone(), 3);
    while m.round < 2 {
        step_match(&mut m, &mut agents).expect("match runs");
    }
    let view = m.view(Side::A);
    assert_eq!(view.outlets.len(), m.scenario.outlets.len());
    let mut h = table_harness(&m, Side::A);
    h.run();
    for o in &view.outlets {
        assert!(h.query_by_label(&o.name).is_some(), "{} missing", o.name);
        for line in &o.front {
            assert!(h.query_all_by_label(line).count() >= 1, "'{line}' missing");
        }
    }
    // Last round's headlines are marked new.
    assert!(h.query_all_by_label("NEW").count() >= 1);
}

/// A harness drawing any screen, collecting what it asks for.
fn intent_harness<'a>(
    game: Option<&'a Game>,
    levels: &'a [detente::app::screens::title::LevelEntry],
    screen: Page,
) -> Harness<'a, (UiState, Vec<Intent>)> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            move |ui, st: &mut (UiState, Vec<Intent>)| {
                let got = draw_page(ui, screen, game, levels, &mut st.0);
                st.1.extend(got);
            },
            (UiState::default(), Vec::new()),
        )
}

fn press(h: &mut Harness<'_, impl Sized>, key: egui::Key) {
    h.key_press(key);
    h.run();
}

#[test]
fn the_title_screen_works_from_the_keyboard() {
    use detente::app::screens::title::load_levels;
    let levels = load_levels(Path::new("levels"));
    let mut h = intent_harness(None, &levels, Page::Title);
    h.run();
    assert_eq!(h.state().0.title.selected, Some(0));
    press(&mut h, egui::Key::ArrowDown);
    assert_eq!(h.state().0.title.selected, Some(1));
    press(&mut h, egui::Key::ArrowUp);
    press(&mut h, egui::Key::ArrowUp);
    assert_eq!(h.state().0.title.selected, Some(0), "stops at the first");
    // Mode, opponent, difficulty, side.
    press(&mut h, egui::Key::M);
    assert!(!h.state().0.title.vs_ai);
    press(&mut h, egui::Key::M);
    assert!(h.state().0.title.vs_ai);
    let sc = levels[0].result.as_ref().unwrap();
    let p0 = sc.ai.personality;
    press(&mut h, egui::Key::P);
    let p1 = h.state().0.title.personality.unwrap();
    assert_ne!(p1, p0);
    let d0 = h.state().0.title.difficulty.unwrap();
    press(&mut h, egui::Key::D);
    let d1 = h.state().0.title.difficulty.unwrap();
    assert_ne!(d1, d0);
    press(&mut h, egui::Key::S);
    assert_eq!(h.state().0.title.human, Side::B);
    assert!(h.state().1.is_empty(), "{:?}", h.state().1);
    press(&mut h, egui::Key::F5);
    assert!(matches!(h.state().1[..], [Intent::Nav(Nav::ReloadLevels)]));
    press(&mut h, egui::Key::Enter);
    let Some(Intent::Nav(Nav::Start(setup))) = h.state().1.last() else {
        panic!("Enter starts: {:?}", h.state().1);
    };
    assert_eq!(setup.scenario.id, "tutorial");
    assert_eq!(
        setup.mode,
        Mode::VsAi {
            human: Side::B,
            personality: p1,
            difficulty: d1
        }
    );
}

#[test]
fn an_offer_can_be_built_and_sent_with_the_keyboard_alone() {
    use detente::sim::Statement;
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Propose);
    let mut h = table_harness(&m, Side::A);
    h.run();
    // N picks the next gesture.
    assert!(h.query_by_label("Gesture [N]:").is_some());
    let g0 = h.state().0.gesture.clone();
    press(&mut h, egui::Key::N);
    assert!(h.state().0.gesture.is_some() && h.state().0.gesture != g0);
    // Tab to the "we do: Lake hotline" switch.
    let mut tabs = 0;
    while !h.get_by_label("we do: Lake hotline").is_focused() {
        press(&mut h, egui::Key::Tab);
        tabs += 1;
        assert!(tabs < 200, "Tab never reached the catalogue");
    }
    press(&mut h, egui::Key::Space);
    assert_eq!(h.state().0.draft.items.len(), 1);
    // Enter presses the focused switch; it does not send as well.
    press(&mut h, egui::Key::Enter);
    assert!(h.state().0.draft.items.is_empty());
    assert!(h.state().1.is_empty());
    press(&mut h, egui::Key::Space);
    // Letter shortcuts work while a switch has the focus: S picks the next statement.
    press(&mut h, egui::Key::S);
    assert_eq!(h.state().0.draft.statement, Statement::Warn);
    press(&mut h, egui::Key::S);
    assert_eq!(h.state().0.draft.statement, Statement::AcknowledgeHarm);
    // Esc lets go of the focus; Enter sends.
    press(&mut h, egui::Key::Escape);
    press(&mut h, egui::Key::Enter);
    let acts = h.state().1.clone();
    drop(h);
    let [Action::Propose { offer, .. }] = &acts[..] else {
        panic!("expected one proposal: {acts:?}");
    };
    assert_eq!(offer.items.len(), 1);
    assert_eq!(offer.statement, Statement::AcknowledgeHarm);

    // Del clears the package.
    let mut h = table_harness(&m, Side::A);
    h.run();
    h.get_by_label("they do: Lake hotline").click();
    h.run();
    assert_eq!(h.state().0.draft.items.len(), 1);
    press(&mut h, egui::Key::Delete);
    assert!(h.state().0.draft.items.is_empty());
}

#[test]
fn esc_leaves_the_counter_offer_and_digits_choose_what_to_break() {
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Answer);
    let mut h = table_harness(&m, Side::A);
    h.run();
    press(&mut h, egui::Key::C);
    assert!(h.state().0.countering);
    assert!(
        h.query_by_label_contains("Back to their offer  [B]")
            .is_some()
    );
    press(&mut h, egui::Key::B);
    assert!(!h.state().0.countering);
    assert!(h.query_by_label_contains("Accept  [A]").is_some());
    drop(h);

    // Implementation: 1 switches the first commitment to Break, Enter carries out.
    let mut m = Match::new(tutorial(), 3);
    let mut agents = agents(&m.scenario.clone(), 3);
    while !(m.needs().contains(&(Side::A, Need::Implement))
        && m.commitments.iter().any(|c| c.by == Side::A))
    {
        step_match(&mut m, &mut agents).expect("match runs");
    }
    let first = m
        .view(Side::A)
        .commitments
        .iter()
        .find(|c| c.by == Side::A)
        .map(|c| c.id)
        .unwrap();
    let mut h = table_harness(&m, Side::A);
    h.run();
    press(&mut h, egui::Key::Num1);
    assert!(h.state().0.breaks.contains(&first));
    press(&mut h, egui::Key::Num1);
    assert!(h.state().0.breaks.is_empty(), "1 again keeps it");
    press(&mut h, egui::Key::Num1);
    press(&mut h, egui::Key::Enter);
    assert_eq!(
        h.state().1,
        vec![Action::Implement {
            side: Side::A,
            breaks: vec![first]
        }]
    );
}

#[test]
fn the_debrief_works_from_the_keyboard() {
    use detente::app::debrief::Chart;
    // The debrief opens once the match is over: let the computer play it out.
    let mut g = game_for(Mode::Watch);
    g.auto_play(u32::MAX);
    assert!(g.table().unwrap().is_over());
    let mut h = intent_harness(Some(&g), &[], Page::Debrief);
    h.run();
    press(&mut h, egui::Key::Enter);
    press(&mut h, egui::Key::Num2);
    assert_eq!(h.state().0.debrief.chart, Chart::Approval);
    press(&mut h, egui::Key::H);
    assert!(h.state().0.debrief.show_press);
    press(&mut h, egui::Key::E);
    assert!(matches!(h.state().1[..], [Intent::Nav(Nav::ExportDebrief)]));
    press(&mut h, egui::Key::Escape);
    assert!(matches!(
        h.state().1.last(),
        Some(Intent::Nav(Nav::ToTitle))
    ));
}

#[test]
fn the_home_front_panel_fits_the_widest_numbers() {
    // The longest faction names, every approval at 100 after a fall of 12: nothing may run
    // past the left panel's edge.
    let sc = Arc::new(detente::level::load(Path::new("levels/river_accord.ron")).unwrap());
    let mut m = Match::new(sc, 3);
    let mut agents = agents(&m.scenario.clone(), 3);
    while m.round < 3 {
        step_match(&mut m, &mut agents).expect("match runs");
    }
    let n = m.history.len();
    for side in Side::BOTH {
        let k = m.sides[side.idx()].approval.len();
        m.sides[side.idx()].approval = vec![100.0; k];
        m.history[n - 2].factions[side.idx()] = vec![112.0; k];
    }
    // Drawn with the game's own text sizes.
    let view = m.view(Side::A);
    let log: Vec<_> = m.log_for(Side::A).cloned().collect();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, st: &mut (bool, TableState)| {
                if !st.0 {
                    detente::app::ui::apply_style(ui.ctx());
                    st.0 = true;
                }
                let cx = table_cx(&m, &view, &log, None);
                let _ = table_ui(ui, &cx, &mut st.1);
            },
            (false, TableState::default()),
        );
    h.run();
    h.run();
    let deltas: Vec<_> = h.query_all_by_label("−12 ▼").collect();
    assert!(deltas.len() >= 6, "found {}", deltas.len());
    for d in deltas {
        let r = d.rect();
        assert!(r.right() <= 290.0 - 8.0, "'−12 ▼' ends at {}", r.right());
    }
}

#[test]
fn a_counter_offer_shows_what_it_changed() {
    use detente::sim::{Item, Offer, Statement, Term};
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Propose);
    let it = |id: &str, by: Side, term: Term| Item {
        measure: id.into(),
        by,
        verification: None,
        term,
    };
    let ours = Offer {
        items: vec![
            it("hotline", Side::A, Term::Pledge),
            it("hotline", Side::B, Term::Pledge),
        ],
        statement: Statement::Reassure,
    };
    m.apply(Action::Propose {
        side: Side::A,
        offer: ours,
    })
    .expect("proposal applies");
    let theirs = Offer {
        items: vec![
            it("hotline", Side::A, Term::Pledge),
            it("hotline", Side::B, Term::Treaty(3)),
            it("clinic_boats", Side::A, Term::Pledge),
        ],
        statement: Statement::Reassure,
    };
    m.apply(Action::Counter {
        side: Side::B,
        offer: theirs,
    })
    .expect("counter applies");
    let mut h = table_harness(&m, Side::A);
    h.run();
    assert!(
        h.query_by_label_contains("Changed from the offer it answers")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Lake hotline (Brevik): pledge → treaty (review 3)")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Added: Shared clinic boats (you)")
            .is_some()
    );
    // The line naming our own unchanged hotline is not there.
    assert!(h.query_by_label_contains("Lake hotline (you)").is_none());
}

#[test]
fn a_pages_state_lives_only_while_the_page_is_up() {
    use detente::app::screens::table::TableState;
    let mut app = headless_app(None);
    let start = || {
        Nav::Start(Setup {
            level_file: PathBuf::from("levels/tutorial.ron"),
            scenario: tutorial(),
            seed: 2,
            mode: Mode::VsAi {
                human: Side::A,
                personality: detente::sim::Personality::Dove,
                difficulty: detente::sim::Difficulty::Easy,
            },
        })
    };
    app.world_mut().write_message(start());
    // A state set by a system shows after the next frame.
    app.update();
    app.update();
    app.update();
    assert_eq!(screen_of(&app), Page::Briefing);
    assert!(app.world().get_resource::<TableState>().is_none());
    app.world_mut().write_message(Nav::BriefingDone);
    app.update();
    app.update();
    assert_eq!(screen_of(&app), Page::Table);
    // A half-built offer at the table...
    app.world_mut().resource_mut::<TableState>().gesture = Some("hotline".into());
    app.world_mut().write_message(Nav::ToTitle);
    app.update();
    app.update();
    assert_eq!(screen_of(&app), Page::Title);
    assert!(
        app.world().get_resource::<TableState>().is_none(),
        "gone with its page"
    );
    // ...is not carried into the next match.
    app.world_mut().write_message(start());
    app.update();
    app.world_mut().write_message(Nav::BriefingDone);
    app.update();
    app.update();
    assert_eq!(screen_of(&app), Page::Table);
    assert_eq!(app.world().resource::<TableState>().gesture, None);
}

#[test]
fn the_match_menu_pauses_hides_the_table_and_asks_before_giving_up() {
    use detente::app::screens::menu::{MatchMenu, menu_ui};
    let g = game_for(Mode::Hotseat);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, st: &mut (MatchMenu, UiState, Vec<Intent>)| {
                st.0.toggle_on_escape(ui);
                let got = if st.0.open {
                    menu_ui(
                        ui,
                        &Palette::default(),
                        &mut st.0,
                        &Settings::default(),
                        true,
                        false,
                    )
                } else {
                    draw_page(ui, Page::Briefing, Some(&g), &[], &mut st.1)
                };
                st.2.extend(got);
            },
            (MatchMenu::default(), UiState::default(), Vec::new()),
        );
    h.run();
    let brief = tutorial().side_a.brief.lines().next().unwrap().to_string();
    assert!(
        h.query_by_label_contains(&brief).is_some(),
        "the brief is on screen"
    );
    press(&mut h, egui::Key::Escape);
    assert!(h.state().0.open);
    assert!(
        h.query_by_label_contains(&brief).is_none(),
        "the menu hides the private page"
    );
    // Giving up asks first; No keeps the match.
    h.get_by_label("Give the match up…").click();
    h.run();
    assert!(h.state().2.is_empty(), "one press gives nothing up");
    press(&mut h, egui::Key::N);
    assert!(!h.state().0.confirm_abandon);
    h.get_by_label("Give the match up…").click();
    h.run();
    press(&mut h, egui::Key::Y);
    assert!(matches!(h.state().2[..], [Intent::Nav(Nav::Abandon)]));
    // Esc resumes.
    press(&mut h, egui::Key::Escape);
    assert!(!h.state().0.open);
    assert!(h.query_by_label_contains(&brief).is_some());
}

#[test]
fn every_match_saves_to_its_own_file_and_leaving_keeps_it() {
    use detente::app::screens::Saves;
    let dir = std::env::temp_dir().join(format!("detente-slots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut app = headless_app(Some(dir.clone()));
    let start = |seed: u64| {
        Nav::Start(Setup {
            level_file: PathBuf::from("levels/tutorial.ron"),
            scenario: tutorial(),
            seed,
            mode: Mode::Hotseat,
        })
    };
    let settle = |app: &mut bevy::app::App| {
        app.update();
        app.update();
    };
    // Two matches, one after the other: saving and leaving the first keeps it.
    app.world_mut().write_message(start(1));
    settle(&mut app);
    app.world_mut().write_message(Nav::SaveAndLeave);
    settle(&mut app);
    assert_eq!(screen_of(&app), Page::Title);
    app.world_mut().write_message(start(2));
    settle(&mut app);
    app.world_mut().write_message(Nav::SaveAndLeave);
    settle(&mut app);
    let slots = app.world().resource::<Saves>().0.clone();
    assert_eq!(slots.len(), 2, "nothing overwritten: {slots:?}");
    let seeds: Vec<u64> = slots
        .iter()
        .filter_map(|s| match &s.status {
            SaveStatus::Ready(f, _) => Some(f.record.seed),
            _ => None,
        })
        .collect();
    assert_eq!(seeds.len(), 2);
    assert!(seeds.contains(&1) && seeds.contains(&2));

    // Continue one, then give it up: only its file goes.
    let keep = slots[1].path.clone();
    app.world_mut()
        .write_message(Nav::Continue(slots[0].path.clone()));
    settle(&mut app);
    assert_eq!(screen_of(&app), Page::Handover);
    app.world_mut().write_message(Nav::Abandon);
    settle(&mut app);
    assert_eq!(screen_of(&app), Page::Title);
    assert!(!slots[0].path.exists());
    assert!(keep.exists());
    assert_eq!(app.world().resource::<Saves>().0.len(), 1);

    // Deleting from the title removes the last one.
    app.world_mut().write_message(Nav::DeleteSave(keep.clone()));
    settle(&mut app);
    assert!(!keep.exists());
    assert!(app.world().resource::<Saves>().0.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_saved_scale_outside_the_safe_range_is_brought_back() {
    let wild = Settings {
        ui_scale: 2.0,
        ..Settings::default()
    };
    assert_eq!(wild.sane().ui_scale, 1.5);
    let tiny = Settings {
        ui_scale: 0.2,
        ..Settings::default()
    };
    assert_eq!(tiny.sane().ui_scale, 0.75);
    let nan = Settings {
        ui_scale: f32::NAN,
        ..Settings::default()
    };
    assert_eq!(nan.sane().ui_scale, 1.0);
    for s in Settings::SCALES {
        let ok = Settings {
            ui_scale: s,
            ..Settings::default()
        };
        assert_eq!(ok.sane(), ok);
    }
}

#[test]
fn the_counterpart_a_level_names_is_chosen_for_it() {
    use detente::app::screens::title::load_levels;
    let levels = load_levels(Path::new("levels"));
    let playable: Vec<usize> = (0..levels.len())
        .filter(|i| levels[*i].result.is_ok())
        .collect();
    let named = |i: usize| levels[i].result.as_ref().unwrap().ai.personality;
    // Two levels whose guides name different counterparts.
    let (a, b) = playable
        .iter()
        .flat_map(|&a| playable.iter().map(move |&b| (a, b)))
        .find(|&(a, b)| a < b && named(a) != named(b))
        .expect("the shipped levels name different counterparts");
    let mut h = intent_harness(None, &levels, Page::Title);
    h.state_mut().0.title.selected = Some(a);
    h.run();
    assert_eq!(h.state().0.title.personality, Some(named(a)));
    // The player picks another one for this level...
    press(&mut h, egui::Key::P);
    assert_ne!(h.state().0.title.personality, Some(named(a)));
    // ...and a level that names its own counterpart starts from that one.
    h.state_mut().0.title.selected = Some(b);
    h.run();
    h.run();
    assert_eq!(h.state().0.title.personality, Some(named(b)));
}

#[test]
fn withdrawing_a_commitment_asks_first() {
    let sc = tutorial();
    let mut m = Match::new(sc.clone(), 3);
    // Play until side A may propose with a withdrawable commitment of its own in force.
    let mut agents = agents(&sc, 3);
    let mut found = false;
    for _ in 0..600 {
        if m.is_over() {
            break;
        }
        if m.needs().contains(&(Side::A, Need::Propose))
            && m.commitments.iter().any(|c| {
                c.by == Side::A
                    && m.check(&Action::Withdraw {
                        side: Side::A,
                        commitment: c.id,
                    })
                    .is_ok()
            })
        {
            found = true;
            break;
        }
        step_match(&mut m, &mut agents);
    }
    assert!(found, "no withdrawable commitment came up");
    let mut h = table_harness(&m, Side::A);
    h.run();
    h.get_all_by_label("↩")
        .next()
        .expect("a withdraw button")
        .click();
    h.run();
    assert!(h.state().1.is_empty(), "one press withdraws nothing");
    assert!(h.state().0.confirm_withdraw.is_some());
    h.get_by_label("Keep it").click();
    h.run();
    assert!(h.state().1.is_empty());
    assert!(h.state().0.confirm_withdraw.is_none());
    h.get_all_by_label("↩").next().unwrap().click();
    h.run();
    h.get_by_label("Withdraw it").click();
    h.run();
    assert!(matches!(
        h.state().1[..],
        [Action::Withdraw { side: Side::A, .. }]
    ));
}

#[test]
fn every_answer_to_a_players_move_is_announced() {
    use detente::app::ui::summary::{Tone, since_my_move};
    use detente::sim::{Item, Offer, Statement, Term};
    let sc = tutorial();
    let mut calm = sc.as_ref().clone();
    calm.event_chance = 0.0;
    calm.mediator = None;
    let sc = Arc::new(calm);
    let hotline = |by| Item {
        measure: "hotline".into(),
        by,
        verification: None,
        term: Term::Pledge,
    };
    let offer = Offer {
        items: vec![hotline(Side::A), hotline(Side::B)],
        statement: Statement::Reassure,
    };
    let lines = |m: &Match| {
        let log: Vec<Logged> = m.log_for(Side::A).cloned().collect();
        since_my_move(sc.public(), &m.view(Side::A), &log, Some("A reason."))
    };
    // A offers; nothing has answered yet.
    let mut m = Match::new(sc.clone(), 1);
    advance_until(&mut m, Side::A, Need::Propose);
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap();
    assert!(lines(&m).is_empty(), "{:?}", lines(&m));
    // B turns it down: A reads that, and B's reason.
    let mut refused = m.clone();
    refused.apply(Action::Reject { side: Side::B }).unwrap();
    let l = lines(&refused);
    assert_eq!(l.first().map(|x| x.1), Some(Tone::Bad), "{l:?}");
    assert!(l.iter().any(|x| x.0.contains("A reason.")));
    // B accepts: A reads the acceptance and the signing, both good news.
    let mut signed = m.clone();
    signed.apply(Action::Accept { side: Side::B }).unwrap();
    let l = lines(&signed);
    if signed.commitments.is_empty() {
        assert!(
            l.iter().any(|x| x.1 == Tone::Bad),
            "a failed vote is told: {l:?}"
        );
    } else {
        assert!(l.len() >= 2 && l.iter().all(|x| x.1 != Tone::Bad), "{l:?}");
    }
}

#[test]
fn a_measure_missing_from_the_catalogue_says_what_it_waits_for() {
    use detente::app::ui::offer::missing_prerequisites;
    let mut locked_seen = 0;
    for entry in detente::level::load_dir(Path::new("levels")) {
        let sc = Arc::new(entry.result.expect("shipped levels load"));
        for seed in 0..4 {
            let mut m = Match::new(sc.clone(), seed);
            let mut agents = agents(&sc, seed);
            for _ in 0..200 {
                if m.stage == Stage::Negotiation {
                    let v = m.view(Side::A);
                    for d in &sc.measures {
                        let open = v.available.iter().any(|(id, _)| **id == *d.id);
                        let in_force_both = Side::BOTH
                            .iter()
                            .filter(|s| d.by.allows(**s))
                            .all(|s| m.in_force_by(sc.measure_index(&d.id).unwrap(), *s));
                        let needs = missing_prerequisites(sc.public(), &v, d);
                        if !open && !in_force_both {
                            assert!(
                                !needs.is_empty(),
                                "{}: '{}' vanished unexplained",
                                sc.id,
                                d.id
                            );
                            locked_seen += 1;
                        }
                        if open {
                            assert!(needs.is_empty(), "{}: '{}' open yet waiting", sc.id, d.id);
                        }
                    }
                }
                if step_match(&mut m, &mut agents).is_none() {
                    break;
                }
            }
        }
    }
    assert!(locked_seen > 0, "no locked measure was ever checked");
}

#[test]
fn changes_never_read_minus_zero_or_disagree_with_their_figures() {
    use detente::app::ui::delta_text;
    use detente::app::ui::offer::signed_points;
    for d in [-0.5f32, -0.49, -0.0, 0.0, 0.49, 0.5, 1.5, -1.5] {
        let t = delta_text(d);
        let shown: i64 = t
            .trim_start_matches(['+', '−', '±'])
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(shown, (d.round() as i64).abs(), "{d} → {t}");
        assert_eq!(
            shown == 0,
            !t.contains('▲') && !t.contains('▼'),
            "{d} → {t}"
        );
    }
    for x in [-0.4f32, -0.0, 0.3] {
        assert_eq!(signed_points(x), "0");
    }
    assert_eq!(signed_points(9.4), "+9");
    assert_eq!(signed_points(-9.6), "-10");
}

#[test]
fn the_tutorial_coaches_its_player_and_other_levels_do_not() {
    use detente::app::ui::coach::{LESSONS, next_step};
    let mut m = Match::new(tutorial(), 3);
    advance_until(&mut m, Side::A, Need::Propose);
    let mut h = table_harness(&m, Side::A);
    h.run();
    assert!(h.query_by_label("Coach").is_some());
    drop(h);
    // Every need gets a next step.
    for need in [Need::Propose, Need::Answer, Need::Implement, Need::Respond] {
        let mut v = m.view(Side::A);
        v.needs = vec![need];
        assert!(next_step(&v).is_some(), "{need:?}");
    }
    let sc = Arc::new(detente::level::load(Path::new("levels/river_accord.ron")).unwrap());
    let mut other = Match::new(sc, 3);
    advance_until(&mut other, Side::A, Need::Propose);
    let mut h = table_harness(&other, Side::A);
    h.run();
    assert!(h.query_by_label("Coach").is_none());
    drop(h);
    // The tutorial's end lists the seven lessons.
    let mut done = game_for(Mode::Watch);
    done.auto_play(u32::MAX);
    let mut h = screen_harness(&done, Page::Debrief);
    h.run();
    assert!(h.query_by_label_contains(LESSONS[0].0).is_some());
    assert_eq!(LESSONS.len(), 7);
}

/// Reading speed of the time model: a slow reader of instructions, below the usual 200-250
/// words a minute of adult silent reading.
const WORDS_PER_MINUTE: f32 = 180.0;
/// Seconds to make up one's mind and press for one move, and for each commitment picked into
/// an offer or kept/broken.
const SECONDS_PER_MOVE: f32 = 10.0;
const SECONDS_PER_ITEM: f32 = 5.0;

fn words(t: &str) -> usize {
    t.split_whitespace().count()
}

#[test]
fn the_tutorial_fits_in_ten_minutes_for_a_slow_reader_who_reads_everything() {
    use detente::app::ui::coach::{IDEAS, LESSONS, next_step};
    use detente::app::ui::summary::{last_round_lines, since_my_move};
    let sc = tutorial();
    let mut worst = 0.0f32;
    for seed in 1..=20 {
        let mut m = Match::new(sc.clone(), seed);
        let mut ag = agents(&sc, seed);
        let me = Side::A;
        // The briefing: the shared history and the private brief, read in full once.
        let brief = m.view(me);
        let mut read = words(&sc.history) + words(&brief.private.brief) + words(&sc.summary);
        let (mut moves, mut items) = (0usize, 0usize);
        let mut seen_round = 0;
        let mut last_step = None;
        let mut guard = 0;
        while let Some(&(s, _)) = m.needs().first() {
            guard += 1;
            assert!(guard < 2000, "the tutorial ends");
            if s == me {
                let view = m.view(me);
                let log: Vec<Logged> = m.log_for(me).cloned().collect();
                if view.round != seen_round {
                    seen_round = view.round;
                    read += IDEAS.get(view.round as usize - 1).map_or(0, |i| words(i));
                    read += last_round_lines(sc.public(), &log, view.round, me)
                        .iter()
                        .map(|l| words(l))
                        .sum::<usize>();
                }
                let step = next_step(&view);
                if step != last_step {
                    read += step.map_or(0, words);
                    last_step = step;
                }
                read += since_my_move(sc.public(), &view, &log, None)
                    .iter()
                    .map(|(l, _)| words(l))
                    .sum::<usize>();
                let d = ag[0].decide(&view, sc.public());
                items += match &d.action {
                    Action::Propose { offer, .. } => offer.items.len(),
                    Action::Implement { breaks, .. } => 1 + breaks.len(),
                    _ => 0,
                };
                moves += 1;
                if m.apply(d.action).is_err() {
                    m.apply(detente::table::fallback(&view)).unwrap();
                }
            } else {
                step_match(&mut m, &mut ag).unwrap();
            }
        }
        read += LESSONS
            .iter()
            .map(|(a, b)| words(a) + words(b))
            .sum::<usize>();
        let minutes = read as f32 / WORDS_PER_MINUTE
            + (moves as f32 * SECONDS_PER_MOVE + items as f32 * SECONDS_PER_ITEM) / 60.0;
        println!("seed {seed}: {read} words, {moves} moves, {items} items: {minutes:.1} min");
        worst = worst.max(minutes);
    }
    println!("longest tutorial: {worst:.1} min");
    assert!(
        worst < 10.0,
        "the tutorial takes {worst:.1} minutes by the model"
    );
}

/// A commitment in force, as a view carries it.
fn in_force(id: u32, measure: &str, by: Side, caught: u32) -> detente::sim::view::CommitmentView {
    detente::sim::view::CommitmentView {
        id,
        measure: measure.into(),
        by,
        verification: None,
        term: detente::sim::Term::Pledge,
        signed_round: 1,
        gesture: false,
        caught,
        hidden_breaches: None,
    }
}

#[test]
fn the_map_draws_each_commitment_where_it_works_and_marks_a_caught_breach() {
    use detente::app::scene::symbols::{symbols, troops};
    use detente::sim::map::MeasureIcon;
    let sc = tutorial();
    let level = sc.public();
    let m = Match::new(sc.clone(), 1);
    let mut view = m.view(Side::A);
    assert!(
        symbols(&view, level).is_empty(),
        "nothing in force, nothing drawn"
    );
    // A hotline runs between the capitals; a measure with a place stands at it.
    view.commitments = vec![
        in_force(1, "hotline", Side::A, 0),
        in_force(2, "lakeside_market", Side::B, 0),
    ];
    let s = symbols(&view, level);
    assert_eq!(s.len(), 2);
    let hotline = s.iter().find(|s| s.id == 1).unwrap();
    assert_eq!(hotline.icon, MeasureIcon::Hotline);
    assert_eq!(hotline.at, level.map.capital(Side::A));
    assert_eq!(hotline.to, Some(level.map.capital(Side::B)));
    let market = s.iter().find(|s| s.id == 2).unwrap();
    assert_eq!(
        Some(market.at),
        level.map.place("mira_market").map(|p| p.at)
    );
    assert!(!market.broken);
    // Caught broken: the same symbol, marked.
    view.commitments[1].caught = 1;
    let s = symbols(&view, level);
    assert!(s.iter().find(|s| s.id == 2).unwrap().broken);
    assert!(!s.iter().find(|s| s.id == 1).unwrap().broken);
    // Withdrawn or lapsed: gone.
    view.commitments.remove(0);
    assert!(symbols(&view, level).iter().all(|s| s.id != 1));
    // A quiet breach the viewer does not know of changes nothing on the map.
    let mut theirs = view.clone();
    theirs.commitments[0].hidden_breaches = Some(3);
    assert_eq!(symbols(&theirs, level), symbols(&view, level));
    // Both sides' pledges at one place, and both hotlines, stand apart rather than one on
    // the other.
    view.commitments = vec![
        in_force(1, "hotline", Side::A, 0),
        in_force(2, "hotline", Side::B, 0),
        in_force(3, "lakeside_market", Side::A, 0),
        in_force(4, "lakeside_market", Side::B, 0),
    ];
    let s = symbols(&view, level);
    let dist = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).hypot(a.1 - b.1);
    let (h1, h2) = (&s[0], &s[1]);
    let (ends1, ends2) = ((h1.at, h1.to.unwrap()), (h2.at, h2.to.unwrap()));
    // The second line runs beside the first: each of its ends is off both of the first's.
    for e in [ends2.0, ends2.1] {
        assert!(
            dist(e, ends1.0) > 0.5 && dist(e, ends1.1) > 0.5,
            "{ends1:?} {ends2:?}"
        );
    }
    assert!(
        dist(s[2].at, s[3].at) >= 2.3 * 2.0,
        "{:?} {:?}",
        s[2].at,
        s[3].at
    );
    // The border fills with troops only near the clash line, more the nearer.
    let clash = level.end.clash_at;
    assert_eq!(troops(clash - 40.0, clash), 0);
    assert!(troops(clash - 10.0, clash) > 0);
    assert!(troops(clash, clash) > troops(clash - 10.0, clash));
}

#[test]
fn the_scene_follows_the_match_symbol_by_symbol() {
    use bevy::prelude::*;
    let mut app = headless_app(None);
    app.add_plugins(bevy::asset::AssetPlugin::default())
        .init_asset::<Mesh>()
        .init_asset::<ColorMaterial>();
    detente::app::scene::follow_plugin(&mut app);
    let sc = tutorial();
    let mut g = Game::new(&Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: sc.clone(),
        seed: 4,
        mode: Mode::Watch,
    });
    app.world_mut().insert_resource(Game::new(&Setup {
        level_file: PathBuf::from("levels/tutorial.ron"),
        scenario: sc.clone(),
        seed: 4,
        mode: Mode::Watch,
    }));
    app.update();
    assert!(detente::app::scene::drawn_symbols(app.world_mut()).is_empty());
    // Play on; after each move the scene holds exactly the commitments in force, marked as
    // the view marks them.
    let mut seen_some = false;
    for _ in 0..400 {
        if g.is_over() || !g.ai_step() {
            break;
        }
        let want: Vec<(u32, bool)> = {
            let mut v: Vec<(u32, bool)> = g
                .view()
                .commitments
                .iter()
                .map(|c| (c.id, c.caught > 0))
                .collect();
            v.sort();
            v
        };
        // The same match, moved on, replaces the resource as a window's would change.
        let record = g.table().unwrap().record(None);
        let mut shown = Game::replay(
            sc.clone(),
            &record,
            PathBuf::from("levels/tutorial.ron"),
            Mode::Watch,
        )
        .expect("replays");
        shown.viewer = g.viewer;
        *app.world_mut().resource_mut::<Game>() = shown;
        app.update();
        let drawn = detente::app::scene::drawn_symbols(app.world_mut());
        assert_eq!(drawn, want);
        seen_some |= !drawn.is_empty();
    }
    assert!(seen_some, "the match signed something the map drew");
}

#[test]
fn each_faction_stands_as_a_crowd_that_grows_with_its_approval() {
    use detente::app::scene::symbols::{Mood, crowds};
    let sc = tutorial();
    let level = sc.public();
    let m = Match::new(sc.clone(), 2);
    let mut view = m.view(Side::A);
    let base = crowds(&view, level);
    assert_eq!(
        base.len(),
        view.me.factions.len() + view.them.factions.len()
    );
    // Both sides see the same crowds: approval is public.
    let theirs = crowds(&m.view(Side::B), level);
    let key = |c: &detente::app::scene::symbols::Crowd| (c.side.idx(), c.index, c.size, c.mood);
    let mut a: Vec<_> = base.iter().map(key).collect();
    let mut b: Vec<_> = theirs.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // A faction that turns against the government shrinks and protests; one won over grows
    // and cheers.
    view.me.factions[0].approval = 15.0;
    view.me.factions[1].approval = 95.0;
    let after = crowds(&view, level);
    let of = |i: usize| {
        after
            .iter()
            .find(|c| c.side == Side::A && c.index == i)
            .unwrap()
    };
    assert_eq!(of(0).mood, Mood::Protesting);
    assert_eq!(of(1).mood, Mood::Cheering);
    assert!(of(1).size > of(0).size);
    // Each crowd stands on its own state's side of the line.
    let mid = level.map.along_border(0.5).0;
    for c in &after {
        let capital_x = level.map.capital(c.side).0;
        assert_eq!(c.at.0 < mid, capital_x < mid, "{c:?}");
    }
}
