//! What happens on screen between moves: front pages, the wire, the season card, a leader's
//! fall and standing, and the scene's palette.

use super::*;
use bevy::prelude::{App, AssetApp, ColorMaterial, Mesh};
use detente::app::scene::show::{Card, FRONT_SECS, Phase, SETTLE_SECS, Show};
use detente::app::ui::press::{front_page, ticker, wire};
use detente::app::ui::season::{fall_ui, season_ui};
use detente::sim::Event;
use detente::sim::Spin;

fn load(path: &str) -> Scenario {
    detente::level::load(Path::new(path)).expect("level loads")
}

/// The computer on both seats of `sc`, the screen on `viewer`'s side.
fn watch(sc: Scenario, seed: u64, viewer: Side) -> Game {
    let mut g = Game::new(&Setup {
        level_file: PathBuf::from("level.ron"),
        scenario: Arc::new(sc),
        seed,
        mode: Mode::Watch,
    });
    g.viewer = viewer;
    g
}

/// A headless app with the scene and its queues, and `g` put up.
fn show_app(g: Game) -> App {
    let mut app = headless_app(None);
    app.add_plugins(bevy::asset::AssetPlugin::default())
        .init_asset::<Mesh>()
        .init_asset::<ColorMaterial>();
    detente::app::scene::follow_plugin(&mut app);
    app.world_mut().insert_resource(g);
    app.update();
    app
}

/// Let the computer move, a frame after each move, until the viewer's queue satisfies `done`.
fn play_until(app: &mut App, what: &str, done: impl Fn(&[Card]) -> bool) {
    for _ in 0..3000 {
        let v = app.world().resource::<Game>().viewer;
        let queued: Vec<Card> = app
            .world()
            .resource::<Show>()
            .queued(v)
            .iter()
            .cloned()
            .collect();
        if done(&queued) {
            return;
        }
        let moved = app.world_mut().resource_mut::<Game>().ai_step();
        assert!(moved, "the match ended before {what}");
        app.update();
    }
    panic!("never saw {what}");
}

#[test]
fn a_spun_lead_story_goes_up_as_a_front_page_and_settles_into_the_press_column() {
    for viewer in Side::BOTH {
        let mut app = show_app(watch(load("levels/river_accord.ron"), 3, viewer));
        play_until(&mut app, "a front page", |q| {
            q.iter().any(|c| matches!(c, Card::Front(_)))
        });
        let g = app.world().resource::<Game>();
        let (view, log, level) = (g.view(), g.log(), g.level().clone());
        let page = app
            .world()
            .resource::<Show>()
            .queued(viewer)
            .iter()
            .find_map(|c| match c {
                Card::Front(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        // The lead story of an outlet as its press column prints it, from the latest press,
        // and spun one way or the other.
        let outlet = view
            .outlets
            .iter()
            .find(|o| o.name == page.outlet)
            .expect("an outlet of the view");
        assert_eq!(outlet.front.first(), Some(&page.headline));
        assert_ne!(page.spin, Spin::Neutral);
        let latest = log
            .iter()
            .filter(|l| matches!(l.event, Event::Headline { .. }))
            .map(|l| l.round)
            .max();
        assert_eq!(Some(page.round), latest);
        // The viewer's own press comes first when it spun its lead.
        let spun_at_home = level.outlets.iter().any(|o| {
            o.side == Some(viewer)
                && log
                    .iter()
                    .filter(|l| l.round == page.round)
                    .find_map(|l| match &l.event {
                        Event::Headline { outlet, spin, .. } if *outlet == o.id => Some(*spin),
                        _ => None,
                    })
                    .is_some_and(|s| s != Spin::Neutral)
        });
        assert_eq!(spun_at_home, page.home == Some(viewer), "{page:?}");
        // A season whose leads are all neutral makes no front page.
        let flat: Vec<Logged> = log
            .iter()
            .cloned()
            .map(|mut l| {
                if let Event::Headline { spin, .. } = &mut l.event {
                    *spin = Spin::Neutral;
                }
                l
            })
            .collect();
        assert_eq!(front_page(&level, &view, &flat), None);
        // Up, then settling, then gone: the cards before it are passed by first.
        let mut show = app.world_mut().resource_mut::<Show>();
        while !matches!(show.queued(viewer).front(), Some(Card::Front(_))) {
            show.dismiss(viewer, 0.0);
        }
        let t = 100.0;
        let phase = |show: &mut Show, at: f64| show.phase(viewer, at);
        assert!(matches!(
            phase(&mut show, t),
            Some((Card::Front(_), Phase::Arriving(_)))
        ));
        assert!(matches!(
            phase(&mut show, t + 1.0),
            Some((Card::Front(_), Phase::Up))
        ));
        assert!(matches!(
            phase(&mut show, t + FRONT_SECS + 0.1),
            Some((Card::Front(_), Phase::Settling(_)))
        ));
        assert!(
            !matches!(
                phase(&mut show, t + FRONT_SECS + SETTLE_SECS + 0.2),
                Some((Card::Front(_), _))
            ),
            "the front page settled"
        );
    }
}

#[test]
fn a_front_page_settles_at_once_when_dismissed() {
    let mut app = show_app(watch(load("levels/river_accord.ron"), 3, Side::A));
    play_until(&mut app, "a front page", |q| {
        q.iter().any(|c| matches!(c, Card::Front(_)))
    });
    let mut show = app.world_mut().resource_mut::<Show>();
    while !matches!(show.queued(Side::A).front(), Some(Card::Front(_))) {
        show.dismiss(Side::A, 0.0);
    }
    assert!(matches!(
        show.phase(Side::A, 10.0),
        Some((_, Phase::Arriving(_)))
    ));
    show.dismiss(Side::A, 11.0);
    assert!(matches!(
        show.phase(Side::A, 11.1),
        Some((_, Phase::Settling(_)))
    ));
    assert!(show.phase(Side::A, 11.0 + SETTLE_SECS + 0.1).is_none());
    // Side B's queue is its own: nothing was read for it while A watched.
    assert!(show.queued(Side::B).is_empty());
}

/// Frames of one ticker, each with its stories and time; whether each asked for another frame.
fn ticker_frames(frames: &[(&[String], f64)]) -> Vec<bool> {
    let ctx = egui::Context::default();
    frames
        .iter()
        .map(|(items, t)| {
            let input = egui::RawInput {
                time: Some(*t),
                screen_rect: Some(egui::Rect::from_min_size(
                    egui::Pos2::ZERO,
                    egui::vec2(260.0, 100.0),
                )),
                ..Default::default()
            };
            ctx.run_ui(input, |ui| ticker(ui, &Palette::default(), items))
                .drop_without_applying_deltas();
            ctx.has_requested_repaint()
        })
        .collect()
}

#[test]
fn the_wire_scrolls_once_through_new_stories_and_then_rests() {
    let sc = load("levels/river_accord.ron");
    let mut m = Match::new(Arc::new(sc), 3);
    let mut ag = agents(&m.scenario.clone(), 3);
    while m.view(Side::A).round < 3 {
        step_match(&mut m, &mut ag).unwrap();
    }
    let log: Vec<Logged> = m.log_for(Side::A).cloned().collect();
    let items = wire(m.scenario.public(), &log);
    assert!(!items.is_empty(), "the international press printed");
    // Only the international press, newest first.
    let intl: Vec<&str> = m
        .scenario
        .outlets
        .iter()
        .filter(|o| o.side.is_none())
        .map(|o| o.id.as_str())
        .collect();
    let newest = log
        .iter()
        .rev()
        .find_map(|l| match &l.event {
            Event::Headline { outlet, .. } if intl.contains(&outlet.as_str()) => Some(l.round),
            _ => None,
        })
        .unwrap();
    let first_of_newest = log
        .iter()
        .find_map(|l| match &l.event {
            Event::Headline { outlet, text, .. }
                if l.round == newest && intl.contains(&outlet.as_str()) =>
            {
                Some(text.clone())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(items[0], first_of_newest);
    // The wire a page opens on rests; a longer one arriving moves for a while, then stops
    // asking for frames (egui asks once more after the last frame that asked).
    let long: Vec<String> = items.iter().cycle().take(4).cloned().collect();
    let mut more = long.clone();
    more.insert(
        0,
        "Fresh news from the river: both states agree to reopen the old ferry crossing at the delta"
            .into(),
    );
    let frames = ticker_frames(&[
        (&long, 0.0),
        (&long, 1.0),
        (&long, 2.0),
        (&more, 3.0),
        (&more, 5.0),
        (&more, 7.0),
        (&more, 600.0),
        (&more, 601.0),
        (&more, 602.0),
    ]);
    // (A new egui context asks for its first two frames itself.)
    assert!(!frames[2], "it opens at rest: {frames:?}");
    assert!(
        frames[3] && frames[4] && frames[5],
        "it scrolls: {frames:?}"
    );
    assert!(!frames[7] && !frames[8], "then rests: {frames:?}");
    // Stories already read never move again, whatever comes after them.
    let mut older = more.clone();
    older.push("An old story from another season".into());
    let frames = ticker_frames(&[(&more, 0.0), (&more, 1.0), (&older, 2.0), (&older, 3.0)]);
    assert_eq!(frames[2..], [false, false]);
    // New stories that fit the column never move.
    let short = vec!["Talks".to_string()];
    let shorter = vec!["Talks resume".to_string()];
    let frames = ticker_frames(&[
        (&short, 0.0),
        (&short, 1.0),
        (&shorter, 2.0),
        (&shorter, 3.0),
    ]);
    assert_eq!(frames[2..], [false, false]);
}

#[test]
fn the_season_card_shows_what_the_season_changed_and_goes_with_a_key() {
    let mut app = show_app(watch(load("levels/river_accord.ron"), 3, Side::A));
    play_until(&mut app, "a season card with a new commitment", |q| {
        q.iter()
            .any(|c| matches!(c, Card::Season(s) if !s.gained.is_empty()))
    });
    let g = app.world().resource::<Game>();
    let (view, log, level) = (g.view(), g.log(), g.level().clone());
    let season = app
        .world()
        .resource::<Show>()
        .queued(Side::A)
        .iter()
        .find_map(|c| match c {
            Card::Season(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(season.round + 1, view.round);
    // Tension from the snapshot before the season to now.
    let h = &view.history;
    let before = if h.len() >= 2 {
        h[h.len() - 2].tension
    } else {
        level.start.tension
    };
    assert_eq!(season.tension, (before, view.tension));
    // What was signed or given that season, by name.
    let mut signed: Vec<String> = log
        .iter()
        .filter(|l| l.round == season.round)
        .flat_map(|l| match &l.event {
            Event::AgreementSigned { measures, .. } => measures.clone(),
            Event::GestureMade { measure, .. } => vec![measure.clone()],
            _ => Vec::new(),
        })
        .collect();
    let mut gained: Vec<String> = season.gained.iter().map(|m| m.name.clone()).collect();
    signed.sort();
    gained.sort();
    assert_eq!(gained, signed);
    // Every faction of both states, with where it stood and stands.
    assert_eq!(season.factions[0].len(), view.me.factions.len());
    assert_eq!(season.factions[1].len(), view.them.factions.len());
    assert_eq!(season.factions[0][0].2, view.me.factions[0].approval);
    // On screen: each new commitment is named; Space closes the card.
    let mut h = Harness::builder()
        .with_size(egui::vec2(800.0, 700.0))
        .build_ui_state(
            |ui, closed: &mut bool| {
                *closed |= season_ui(ui, &Palette::default(), &level, &view, &season);
            },
            false,
        );
    h.run();
    for m in &season.gained {
        assert!(h.query_by_label(&m.name).is_some(), "{} is shown", m.name);
    }
    assert!(!*h.state());
    press(&mut h, egui::Key::Space);
    assert!(*h.state());
}

/// The ceasefire level with state B's leader bound to fall at the first home front.
fn falling_b() -> Scenario {
    let mut sc = load("levels/ceasefire_line.ron");
    sc.side_b.ouster_below = 99.0;
    sc
}

#[test]
fn a_leaders_fall_is_a_card_and_the_figure_topples() {
    let mut app = show_app(watch(falling_b(), 2, Side::A));
    assert_eq!(
        detente::app::scene::drawn_leaders(app.world_mut())
            .iter()
            .map(|l| l.0)
            .collect::<Vec<_>>(),
        vec![Side::A, Side::B],
        "one leader a state"
    );
    play_until(&mut app, "a fall", |q| {
        q.iter().any(|c| matches!(c, Card::Fall(_)))
    });
    let level = app.world().resource::<Game>().level().clone();
    let queued: Vec<Card> = app
        .world()
        .resource::<Show>()
        .queued(Side::A)
        .iter()
        .cloned()
        .collect();
    let Some(Card::Fall(f)) = queued.first() else {
        panic!("the fall comes first: {queued:?}");
    };
    assert_eq!(f.side, Side::B);
    assert_eq!(f.leader, level.side(Side::B).leader);
    let view = app.world().resource::<Game>().view();
    assert_eq!(f.successor.as_deref(), Some(view.them.leader.as_str()));
    // On the map the fallen leader topples while the successor stands.
    let leaders = detente::app::scene::drawn_leaders(app.world_mut());
    let b: Vec<_> = leaders.iter().filter(|l| l.0 == Side::B).collect();
    assert_eq!(b.len(), 2, "{leaders:?}");
    assert_eq!(
        b.iter().filter(|l| l.2).count(),
        1,
        "one topples: {leaders:?}"
    );
    // The card names both and goes with a key.
    let mut h = Harness::builder()
        .with_size(egui::vec2(700.0, 400.0))
        .build_ui_state(
            |ui, closed: &mut bool| {
                *closed |= fall_ui(ui, &Palette::default(), &level, Side::A, f, 1.0);
            },
            false,
        );
    h.run();
    assert!(h.query_by_label_contains(&f.leader).is_some());
    assert!(
        h.query_by_label_contains(f.successor.as_deref().unwrap())
            .is_some()
    );
    press(&mut h, egui::Key::Enter);
    assert!(*h.state());
}

#[test]
fn a_leader_near_a_fall_shakes_by_what_the_viewer_may_know() {
    use detente::app::scene::symbols::{SHAKY_MARGIN, SHAKY_PUBLIC, figures};
    let mut sc = load("levels/ceasefire_line.ron");
    let start = Match::new(Arc::new(sc.clone()), 2);
    let a = start.view(Side::A).me.approval;
    assert!(
        a > SHAKY_PUBLIC + 1.0,
        "the level starts A above the public line"
    );
    // A's own line just under its approval: A's leader is near a fall, and only A knows it.
    sc.side_a.ouster_below = a - 2.0;
    let sc = Arc::new(sc);
    for (viewer, a_shakes) in [(Side::A, true), (Side::B, false)] {
        let mut app = show_app(watch((*sc).clone(), 2, viewer));
        let leaders = detente::app::scene::drawn_leaders(app.world_mut());
        assert!(
            leaders.contains(&(Side::A, a_shakes, false)),
            "{viewer:?} sees {leaders:?}"
        );
        assert!(leaders.contains(&(Side::B, false, false)), "{leaders:?}");
    }
    // The figure: taller the more the public approves, leaning once approval is under half.
    let m = Match::new(sc.clone(), 2);
    let mut view = m.view(Side::A);
    let level = sc.public();
    view.me.approval = 90.0;
    view.them.approval = 20.0;
    let f = figures(&view, level);
    assert!(f[0].scale > f[1].scale);
    assert_eq!(f[0].tilt, 0.0);
    assert!(f[1].tilt > 0.0);
    assert!(!f[0].shaky && f[1].shaky, "{f:?}");
    view.me.approval = view.private.ouster_below + SHAKY_MARGIN + 1.0;
    assert!(!figures(&view, level)[0].shaky);
    view.me.approval = view.private.ouster_below + SHAKY_MARGIN - 1.0;
    assert!(figures(&view, level)[0].shaky);
}

#[test]
fn the_scene_takes_the_colour_blind_palette() {
    use detente::app::scene::colours::Colours;
    let mut app = show_app(watch(load("levels/river_accord.ron"), 3, Side::A));
    let plain = detente::app::scene::drawn_colours(app.world_mut());
    let cb = Colours::new(true);
    let rgba = |c: [u8; 3]| [c[0], c[1], c[2], 255];
    assert!(!plain.contains(&rgba(cb.land[0])), "{plain:?}");
    app.world_mut().resource_mut::<Settings>().colour_blind = true;
    app.update();
    let blind = detente::app::scene::drawn_colours(app.world_mut());
    assert_ne!(plain, blind);
    assert!(blind.contains(&rgba(cb.land[0])), "{blind:?}");
    assert!(blind.contains(&rgba(cb.side[0])), "the leaders: {blind:?}");
    // And back.
    app.world_mut().resource_mut::<Settings>().colour_blind = false;
    app.update();
    assert_eq!(detente::app::scene::drawn_colours(app.world_mut()), plain);
}

#[test]
fn a_card_between_rounds_comes_in_over_black_and_holds_its_keys() {
    use detente::app::scene::show::between_rounds;
    let mut app = show_app(watch(load("levels/river_accord.ron"), 3, Side::A));
    play_until(&mut app, "a season card", |q| {
        q.iter().any(|c| matches!(c, Card::Season(_)))
    });
    let g = app.world().resource::<Game>();
    let (view, level) = (g.view(), g.level().clone());
    let card = app
        .world()
        .resource::<Show>()
        .queued(Side::A)
        .iter()
        .find(|c| matches!(c, Card::Season(_)))
        .unwrap()
        .clone();
    let ctx = egui::Context::default();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    let frame = |t: f64, events: Vec<egui::Event>, progress: f32| {
        let input = egui::RawInput {
            time: Some(t),
            screen_rect: Some(screen),
            events,
            ..Default::default()
        };
        let mut seen_below = (false, false);
        let mut out = ctx.run_ui(input, |ui| {
            seen_below.0 = between_rounds(
                ui.ctx(),
                &Palette::default(),
                &level,
                &view,
                &card,
                progress,
            );
            // What the table, drawn after the card, would see of the keys.
            seen_below.1 = ui.input(|i| i.key_pressed(egui::Key::A));
        });
        let shapes = std::mem::take(&mut out.shapes);
        out.drop_without_applying_deltas();
        (shapes, seen_below)
    };
    let key = |k| egui::Event::Key {
        key: k,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    };
    let veil = |shapes: &[egui::epaint::ClippedShape]| {
        shapes
            .iter()
            .filter_map(|c| match &c.shape {
                egui::Shape::Rect(r) if r.rect.contains_rect(screen) && r.fill.r() == 0 => {
                    Some(r.fill.a())
                }
                _ => None,
            })
            .max()
    };
    // From its first frame to when it is up, the card stands on the window's black (the table
    // is not drawn under it): no veil is painted over the whole window.
    for (t, progress) in [(0.0, 0.0), (0.05, 0.1), (0.1, 0.5), (0.2, 1.0)] {
        let (shapes, _) = frame(t, Vec::new(), progress);
        assert_eq!(veil(&shapes), None, "at {progress}");
        assert!(!shapes.is_empty(), "the card is drawn at {progress}");
    }
    // A table key does nothing under the card; Space closes it.
    let (_, (closed, table_saw_a)) = frame(0.25, vec![key(egui::Key::A)], 1.0);
    assert!(!closed && !table_saw_a);
    let (_, (closed, _)) = frame(0.3, vec![key(egui::Key::Space)], 1.0);
    assert!(closed);
}

#[test]
fn the_title_shows_the_map_of_the_chosen_level_and_a_match_its_own() {
    use detente::app::scene::drawn_level;
    use detente::app::screens::{Levels, title::load_levels};
    let mut app = headless_app(None);
    app.add_plugins(bevy::asset::AssetPlugin::default())
        .init_asset::<Mesh>()
        .init_asset::<ColorMaterial>();
    detente::app::scene::follow_plugin(&mut app);
    let levels = load_levels(Path::new("levels"));
    let hash = |i: usize| levels[i].result.as_ref().unwrap().public().hash.clone();
    assert!(levels.len() >= 2 && hash(0) != hash(1));
    app.world_mut().insert_resource(Levels(levels.clone()));
    app.world_mut().resource_mut::<TitleState>().selected = Some(0);
    app.update();
    assert_eq!(drawn_level(app.world()), (hash(0), false));
    // ↓ to another level: its map replaces the first.
    app.world_mut().resource_mut::<TitleState>().selected = Some(1);
    app.update();
    assert_eq!(drawn_level(app.world()), (hash(1), false));
    // A match on the level chosen before draws its own map, for the match.
    let sc = levels[0].result.as_ref().unwrap().clone();
    app.world_mut().insert_resource(Game::new(&Setup {
        level_file: levels[0].path.clone(),
        scenario: sc,
        seed: 1,
        mode: Mode::Watch,
    }));
    app.update();
    assert_eq!(drawn_level(app.world()), (hash(0), true));
}

/// The Grey Line's table for side A, whose leader is near a fall, frames of 20 ms, and the
/// computer moving only when the test says.
fn table_with_a_leader_near_a_fall() -> App {
    use bevy::state::state::NextState;
    let mut sc = load("levels/ceasefire_line.ron");
    let a = Match::new(Arc::new(sc.clone()), 2)
        .view(Side::A)
        .me
        .approval;
    sc.side_a.ouster_below = a - 2.0;
    let mut app = show_app(watch(sc, 2, Side::A));
    app.insert_resource(AiPace(std::time::Duration::from_secs(3600)))
        .insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
            std::time::Duration::from_millis(20),
        ));
    app.world_mut()
        .resource_mut::<NextState<Screen>>()
        .set(Screen::Match);
    app.update();
    app.world_mut()
        .resource_mut::<NextState<Step>>()
        .set(Step::Table);
    app.update();
    app
}

#[test]
fn the_scene_rests_once_nothing_moves_even_with_a_leader_near_a_fall() {
    use detente::app::scene::scene_drawing;
    // A's leader near a fall shakes after each move, for a moment, not for ever.
    let mut app = table_with_a_leader_near_a_fall();
    let frames = |app: &mut App, n: usize| -> Vec<bool> {
        (0..n)
            .map(|_| {
                app.update();
                scene_drawing(app.world())
            })
            .collect()
    };
    assert_eq!(screen_of(&app), Page::Table, "the map is up");
    let mut drew = 0;
    for step in 0..4 {
        assert!(app.world_mut().resource_mut::<Game>().ai_step());
        let seen = frames(&mut app, 150);
        let rest = seen.iter().rposition(|d| *d).map_or(0, |i| i + 1);
        drew += seen.iter().filter(|d| **d).count();
        assert!(
            rest < seen.len() - 20,
            "after move {step} the scene drew until frame {rest} of {}",
            seen.len()
        );
        // It draws the shake itself, not only the frames after the move (1.6 s at 20 ms;
        // the shake starts on the frame after the move is seen).
        assert!(
            seen[1..60].iter().all(|d| *d),
            "after move {step} the leader shook unseen: {seen:?}"
        );
    }
    assert!(drew > 0, "the moves were drawn");
}

#[test]
fn the_map_is_drawn_plainer_while_it_moves_and_smooth_once_still() {
    use detente::app::scene::{image_size_for, scene_drawing, scene_moving, supersample};
    // While it moves the map is drawn at fewer pixels; still, at more, to smooth its edges.
    let (moving, still) = (supersample(true), supersample(false));
    assert!(moving >= 1.0 && still > moving, "{moving} {still}");
    assert!(image_size_for(500.0 * moving).0 < image_size_for(500.0 * still).0);
    // A leader near a fall shakes after a move: the map counts as moving for the shake, and
    // still once it ends, while the scene rests.
    let mut app = table_with_a_leader_near_a_fall();
    assert!(app.world_mut().resource_mut::<Game>().ai_step());
    let seen: Vec<(bool, bool)> = (0..150)
        .map(|_| {
            app.update();
            (scene_moving(app.world()), scene_drawing(app.world()))
        })
        .collect();
    assert!(
        seen[2..60].iter().all(|(m, _)| *m),
        "moving through the shake: {seen:?}"
    );
    assert!(
        seen[120..].iter().all(|(m, d)| !*m && !*d),
        "still and at rest after it: {seen:?}"
    );
}

#[test]
fn the_scene_is_drawn_at_the_size_it_is_shown() {
    use detente::app::scene::{IMAGE_SIZE, image_size_for};
    let (full_w, full_h) = IMAGE_SIZE;
    for shown in [0.0, 120.0, 346.0, 383.4, 700.0, 1280.0, 4000.0] {
        let (w, h) = image_size_for(shown);
        assert_eq!(w * full_h, h * full_w, "the map's proportions at {shown}");
        assert!(w <= full_w && w >= 200, "{shown} -> {w}");
        assert!(
            w as f32 >= shown.min(full_w as f32) && (w as f32) < shown.max(200.0) + 40.0,
            "{shown} px shown, {w} px drawn"
        );
    }
    // A layout that moves by a pixel does not redraw the map at a new size.
    assert_eq!(image_size_for(345.0), image_size_for(346.0));
}

#[test]
fn a_card_between_rounds_covers_the_table_from_its_first_frame_and_a_front_page_never_does() {
    let mut app = show_app(watch(load("levels/river_accord.ron"), 3, Side::A));
    play_until(&mut app, "a season card", |q| {
        q.iter().any(|c| matches!(c, Card::Season(_)))
    });
    let mut show = app.world_mut().resource_mut::<Show>();
    let mut seen = (false, false);
    let mut t = 0.0;
    // Walk the queue: each card arrives, stays up, then the player moves on.
    for _ in 0..40 {
        let Some(card) = show.queued(Side::A).front().cloned() else {
            break;
        };
        let arriving = show.covering(Side::A, t);
        let up = show.covering(Side::A, t + 0.9);
        let half_in = show.covering(Side::A, t + 0.15);
        match card {
            Card::Season(_) => {
                assert!(
                    arriving && half_in && up,
                    "the table is hidden from the card's first frame until it goes"
                );
                seen.0 = true;
            }
            Card::Front(_) => {
                assert!(
                    !arriving && !half_in && !up,
                    "a front page leaves the table in view"
                );
                seen.1 = true;
            }
            Card::Fall(_) => {}
        }
        show.dismiss(Side::A, t + 1.0);
        t += 10.0;
    }
    assert!(seen.0, "a season card was up");
    assert!(!show.covering(Side::A, t), "nothing covers an empty queue");
}

#[test]
fn the_map_names_never_cover_one_another() {
    let mut checked = 0;
    for entry in std::fs::read_dir("levels").expect("levels folder") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let game = watch(load(path.to_str().unwrap()), 1, Side::A);
        let map = &game.level().map;
        // The map at the table's size and at the title's.
        for size in [egui::vec2(346.0, 208.0), egui::vec2(1000.0, 600.0)] {
            // The game's own fonts, whose sizes decide where the names collide.
            let ctx = egui::Context::default();
            detente::app::ui::apply_style(&ctx);
            let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
            let at = egui::Rect::from_min_size(egui::pos2(40.0, 30.0), size);
            let input = egui::RawInput {
                screen_rect: Some(screen),
                ..Default::default()
            };
            let mut out = ctx.run_ui(input, |ui| {
                detente::app::scene::labels(ui, at, map);
            });
            let shapes = std::mem::take(&mut out.shapes);
            out.drop_without_applying_deltas();
            // Each name once: its shadow (drawn in one colour over it) left out.
            let names: Vec<(String, egui::Rect)> = shapes
                .iter()
                .filter_map(|c| match &c.shape {
                    egui::Shape::Text(t) if t.override_text_color.is_none() => Some((
                        t.galley.text().to_string(),
                        t.galley.rect.translate(t.pos.to_vec2()),
                    )),
                    _ => None,
                })
                .collect();
            assert!(
                names.len() >= map.places.len(),
                "{}: every place is named",
                path.display()
            );
            for (i, (a, ra)) in names.iter().enumerate() {
                for (b, rb) in &names[i + 1..] {
                    assert!(
                        !ra.shrink(0.5).intersects(rb.shrink(0.5)),
                        "{} at {size:?}: {a:?} {ra:?} covers {b:?} {rb:?}",
                        path.display()
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 6, "the shipped levels were checked");
}
