//! The window in a class: joining a host, riding out its restart, and the instructor's console.

use super::*;

/// A class host on loopback, in its own runtime (the window never runs one).
fn class_host(
    db: &Path,
    port: u16,
    resume: bool,
) -> (tokio::runtime::Runtime, detente::net::host::Host) {
    use detente::net::host::{self, HostConfig, Limits};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let cfg = HostConfig {
        levels: vec![PathBuf::from("levels/tutorial.ron")],
        tables: 1,
        vs_computer: true,
        db: db.to_path_buf(),
        resume,
        seed: Some(3),
        limits: Limits::default(),
    };
    let h = rt
        .block_on(host::start(
            cfg,
            std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        ))
        .expect("the host starts");
    (rt, h)
}

/// Run the window's frames (with a little real time for the socket) until `done` holds.
fn frames_until(app: &mut bevy::app::App, what: &str, done: impl Fn(&bevy::app::App) -> bool) {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        app.update();
        if done(app) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("{what}: not within 30 s (screen {:?})", screen_of(app));
}

/// Play the viewer's seat with the level's counterpart, deciding once per new view (and
/// falling back to a safe move after a refusal), until `done` holds.
fn play_class_until(app: &mut bevy::app::App, what: &str, done: impl Fn(&bevy::app::App) -> bool) {
    let mut seat: Option<Counterpart> = None;
    let mut last = String::new();
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        app.update();
        if done(app) {
            return;
        }
        if screen_of(app) == Page::Briefing {
            app.world_mut().write_message(Nav::BriefingDone);
        }
        if screen_of(app) == Page::Table {
            let g = app.world().resource::<Game>();
            if let Some(side) = g.human_need() {
                let view = g.view();
                let key = serde_json::to_string(&view).unwrap();
                let refused = g.refused.is_some();
                if key != last || refused {
                    last = key;
                    let level = g.level().clone();
                    let c = seat
                        .get_or_insert_with(|| detente::table::level_counterpart(&level, side, 5));
                    let action = if refused {
                        detente::table::fallback(&view)
                    } else {
                        c.decide(&view, &level).action
                    };
                    app.world_mut().resource_mut::<Game>().refused = None;
                    app.world_mut().write_message(Move(action));
                }
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("{what}: not within 60 s (screen {:?})", screen_of(app));
}

#[test]
fn a_window_joins_a_class_plays_through_a_host_restart_and_reads_the_debrief() {
    use detente::app::class::Joining;
    use detente::net::client::Status;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("class");
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("class.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let (rt, host) = class_host(&db, 0, false);
    let addr = host.addr;
    let code = host.codes[0].code.clone();
    let mut app = headless_app(None);
    app.update();
    // The title's button opens the join page; the student types what the instructor gave.
    app.world_mut().write_message(Nav::OpenJoin);
    frames_until(&mut app, "the join page", |a| screen_of(a) == Page::Join);
    {
        let mut j = app.world_mut().resource_mut::<Joining>();
        j.address = addr.to_string();
        j.code = code.to_lowercase();
        j.remember = false;
        detente::app::class::connect(&mut j, None);
    }
    frames_until(&mut app, "the match starts", |a| {
        screen_of(a) == Page::Briefing
    });
    {
        let g = app.world().resource::<Game>();
        assert_eq!(g.mode, Mode::Class { human: Side::A });
        assert!(
            g.table().is_none(),
            "the window holds no match, only its seat"
        );
        assert!(g.client().is_some_and(|c| c.seat().is_some()));
    }
    play_class_until(&mut app, "round 2", |a| {
        a.world()
            .get_resource::<Game>()
            .is_some_and(|g| g.round() >= 2)
    });
    let before = app.world().resource::<Game>().view();

    // The host dies; the window notices and keeps trying.
    rt.block_on(host.stop());
    drop(rt);
    frames_until(&mut app, "the drop is seen", |a| {
        matches!(
            a.world().resource::<Game>().client().map(|c| c.status()),
            Some(Status::Reconnecting { .. })
        )
    });
    // Started again on the same archive, the host resumes the table; the window takes its
    // seat back by itself and sees the table exactly where it stood.
    let (rt, host) = class_host(&db, addr.port(), true);
    frames_until(&mut app, "the seat is taken back", |a| {
        a.world()
            .resource::<Game>()
            .client()
            .is_some_and(|c| c.status() == &Status::Seated)
    });
    frames_until(&mut app, "the view after the restart", |a| {
        a.world().resource::<Game>().view().round >= before.round
    });
    assert_eq!(
        serde_json::to_value(app.world().resource::<Game>().view()).unwrap(),
        serde_json::to_value(&before).unwrap(),
        "the resumed table is the one the student last saw"
    );

    play_class_until(&mut app, "the debrief", |a| screen_of(a) == Page::Debrief);
    let g = app.world().resource::<Game>();
    let m = g.finished().expect("the host revealed the whole match");
    assert!(m.ending.is_some());
    assert!(g.client().is_none(), "the debrief reads the replayed match");
    rt.block_on(host.stop());
}

fn status(
    table: u32,
    tension: f32,
    seats: [detente::net::protocol::SeatStatus; 2],
) -> detente::net::protocol::TableStatus {
    use detente::net::protocol::{Alert, SeatStatus, TableStatus};
    let mut alerts = Vec::new();
    if tension >= 85.0 {
        alerts.push(Alert::NearClash);
    }
    for s in Side::BOTH {
        if seats[s.idx()] == SeatStatus::Away {
            alerts.push(Alert::Disconnected(s));
        }
    }
    TableStatus {
        table,
        level: "river_accord".into(),
        round: 3,
        over: false,
        seats,
        title: "The Orvane Accord".into(),
        stage: Some(Stage::Negotiation),
        tension,
        trust: [30.0, 40.0],
        approval: [55.0, 48.0],
        in_force: 2,
        headline: Some(format!("Headline of table {table}")),
        ending: None,
        quiet_secs: 10,
        alerts,
        paused: false,
        round_timer: None,
        clock: None,
    }
}

/// The console over `tables`, with `watched` as the followed table, at a 1280x800 projector;
/// the state keeps what it asked for, and an opened table stays open as the window's would.
fn console_harness(
    tables: Vec<detente::net::protocol::TableStatus>,
    watched: Option<detente::net::client::Watched>,
) -> Harness<
    'static,
    (
        detente::app::screens::console::ConsoleState,
        Vec<detente::app::screens::console::ConsoleIntent>,
    ),
> {
    use detente::app::screens::console::{ConsoleData, ConsoleIntent, ConsoleState, console_ui};
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            move |ui, st: &mut (ConsoleState, Vec<ConsoleIntent>)| {
                detente::app::ui::apply_style(ui.ctx());
                if let Some(i) = console_ui(
                    ui,
                    &Palette::default(),
                    ConsoleData {
                        tables: &tables,
                        since_told_secs: 0,
                        link: (true, "Connected to the class".into()),
                        watched: watched.as_ref(),
                        summary: None,
                        now: std::time::Instant::now(),
                    },
                    &mut st.0,
                ) {
                    if let ConsoleIntent::Watch(t) = &i {
                        st.0.open = *t;
                    }
                    st.1.push(i);
                }
            },
            (ConsoleState::default(), Vec::new()),
        )
}

#[test]
fn the_console_puts_tables_in_trouble_first_and_hands_a_seat_over_only_on_a_second_press() {
    use detente::app::screens::console::{ConsoleIntent, ConsoleState, shown};
    use detente::net::protocol::SeatStatus::*;
    let mut tables: Vec<_> = (1..=50)
        .map(|n| status(n, 40.0, [Connected, Connected]))
        .collect();
    tables[6] = status(7, 90.0, [Away, Connected]);
    let st = ConsoleState::default();
    let order: Vec<u32> = shown(&tables, &st, 0).iter().map(|t| t.table).collect();
    assert_eq!(
        order[0], 7,
        "the table near a clash with a student gone comes first"
    );
    assert_eq!(order.len(), 50);
    // Quiet long enough, a table counts as stuck even between the host's reports.
    let quiet = shown(&tables, &st, 10_000);
    assert!(
        quiet
            .iter()
            .all(|t| !detente::app::screens::console::alerts(t, 10_000).is_empty())
    );
    // Finding by number.
    let found = ConsoleState {
        filter: "12".into(),
        ..Default::default()
    };
    assert_eq!(
        shown(&tables, &found, 0)
            .iter()
            .map(|t| t.table)
            .collect::<Vec<_>>(),
        vec![12]
    );

    let mut h = console_harness(tables.clone(), None);
    h.run();
    assert!(h.query_by_label_contains("need attention").is_some());
    // One empty seat in the class, so one button; the first press only asks.
    h.get_by_label("to computer…").click();
    h.run();
    assert!(h.state().1.is_empty());
    h.get_by_label_contains("the computer plays A").click();
    h.run();
    assert_eq!(h.state().1, vec![ConsoleIntent::TakeOver(7, Side::A)]);
    // A message for every screen is sent only once written.
    h.get_by_label("Send to every screen").click();
    h.run();
    assert_eq!(h.state().1.len(), 1, "nothing is sent before it is written");
    h.state_mut().0.message = "Ten minutes left".into();
    h.run();
    h.get_by_label("Send to every screen").click();
    h.run();
    assert_eq!(h.state().1.last(), Some(&ConsoleIntent::Broadcast));
    let leave = h.get_by_label("Leave the console").rect();
    assert!(leave.max.x <= 1280.0 && leave.max.y <= 800.0);
}

/// A class table of the tutorial played by the computer for `rounds` rounds, as the host
/// would show it to an instructor following it.
fn followed_table(rounds: u32) -> detente::net::protocol::ServerMsg {
    use detente::net::protocol::{SeatStatus, ServerMsg};
    let sc = tutorial();
    let mut t = detente::table::Table::new(sc.clone(), 5, detente::runner::level_seats(&sc, 5));
    while !t.is_over() && t.round() <= rounds {
        t.step();
    }
    t.seat_local(Side::A);
    ServerMsg::watched(
        3,
        &t,
        [SeatStatus::Connected, SeatStatus::Computer],
        Some(95),
        true,
        "levels/tutorial.ron",
    )
}

#[test]
fn the_console_opens_a_table_with_both_private_views_and_steers_it() {
    use detente::app::screens::console::ConsoleIntent;
    use detente::net::client::Client;
    use detente::net::protocol::SeatStatus::*;
    use detente::sim::Steer;
    use detente::sim::steer::Card;
    let tables: Vec<_> = (1..=20)
        .map(|n| status(n, 40.0, [Connected, Connected]))
        .collect();
    let client = Client::offline(vec![
        detente::net::protocol::ServerMsg::Class {
            tables: tables.clone(),
        },
        followed_table(2),
    ]);
    let w = client.watched().expect("the followed table").clone();
    assert_eq!(w.table, 3);
    let names = [
        w.views[0].me.name.to_string(),
        w.views[1].me.name.to_string(),
    ];
    let mut h = console_harness(tables, Some(w));
    h.run();
    // The overview first: a table opens with its own button.
    assert!(h.query_by_label_contains(&names[0]).is_none());
    h.get_all_by_label("open").nth(2).unwrap().click();
    h.run();
    assert_eq!(h.state().1.last(), Some(&ConsoleIntent::Watch(Some(3))));
    // Both sides' private views side by side, A's on the left.
    let a = h
        .get_by_label_contains(&format!("Private to {}", names[0]))
        .rect();
    let b = h
        .get_by_label_contains(&format!("Private to {}", names[1]))
        .rect();
    assert!(a.max.x <= b.min.x, "side by side: {a:?} {b:?}");
    assert!((a.min.y - b.min.y).abs() < 1.0);
    // Pause and a round timer for this table.
    h.get_by_label("Pause this table").click();
    h.run();
    assert_eq!(
        h.state().1.last(),
        Some(&ConsoleIntent::Steer(Some(3), Steer::Pause))
    );
    h.state_mut().0.table_timer = "2.5".into();
    h.run();
    h.get_all_by_label("Set").last().unwrap().click();
    h.run();
    assert_eq!(
        h.state().1.last(),
        Some(&ConsoleIntent::Steer(
            Some(3),
            Steer::Timer { secs: Some(150) }
        ))
    );
    // A written card is played only once it has a title and a text, and within the level's
    // ranges whatever the sliders were left at.
    let before = h.state().1.len();
    h.get_by_label("Play it at this table").click();
    h.run();
    assert_eq!(h.state().1.len(), before, "an empty card is not played");
    h.state_mut().0.draft.title = "Shots at the jetty".into();
    h.state_mut().0.draft.text = "A warning shot is fired over a fishing boat.".into();
    h.state_mut().0.draft.tension = 1_000.0;
    h.run();
    h.get_by_label("Play it at every table").click();
    h.run();
    let Some(ConsoleIntent::Steer(None, Steer::Strike { card, struck })) = h.state().1.last()
    else {
        panic!("{:?}", h.state().1.last());
    };
    assert_eq!(struck, &vec![Side::A]);
    let Card::Custom { effects, .. } = card else {
        panic!("{card:?}")
    };
    let sc = tutorial();
    let (_, _, hi) = detente::sim::steer::effect_ranges(&sc.events)
        .into_iter()
        .find(|(f, _, _)| *f == "tension")
        .unwrap();
    assert_eq!(effects.tension, hi, "held to the level's top");
    let mut m = detente::sim::Match::new(sc.clone(), 1);
    assert!(
        m.steer(Steer::Strike {
            card: card.clone(),
            struck: struck.clone()
        })
        .is_ok()
    );
    // Export, and back to every table.
    h.get_by_label("Export the class files").click();
    h.run();
    assert_eq!(h.state().1.last(), Some(&ConsoleIntent::Export));
    h.get_by_label_contains("All tables").click();
    h.run();
    assert_eq!(h.state().1.last(), Some(&ConsoleIntent::Watch(None)));
    assert!(
        h.query_by_label_contains(&format!("Private to {}", names[0]))
            .is_none()
    );
}

#[test]
fn a_student_sees_the_round_clock_count_down_and_the_pause() {
    use detente::net::client::Client;
    use detente::net::protocol::ServerMsg;
    let c = Client::offline(vec![ServerMsg::Clock {
        left_secs: Some(90),
        paused: false,
    }]);
    let now = std::time::Instant::now();
    let later = now + std::time::Duration::from_secs(30);
    let (l0, l1) = (c.clock(now).left.unwrap(), c.clock(later).left.unwrap());
    assert!(l0.as_secs() <= 90 && l0.as_secs() >= 89);
    assert!(
        l1 + std::time::Duration::from_secs(29) <= l0,
        "{l1:?} {l0:?}"
    );
    let (_, running) = detente::app::class::table_line(&c, later);
    let paused = Client::offline(vec![ServerMsg::Clock {
        left_secs: Some(90),
        paused: true,
    }]);
    assert_eq!(
        paused.clock(later).left,
        Some(std::time::Duration::from_secs(90)),
        "a paused clock stands still"
    );
    let (ok, stopped) = detente::app::class::table_line(&paused, later);
    assert!(!ok, "a pause is not all well");
    assert_ne!(running, stopped);
    assert!(
        running.contains("1:00") || running.contains("0:59"),
        "{running}"
    );
}
