//! The instructor steers through a real host: students cannot; a card struck at one table
//! reaches only it and replays after a restart; a pause stops every table; the round clock
//! counts down and closes talks; a followed table shows both private views; the summary and
//! the export cover the class.

use super::*;
use detente::sim::steer::{Card, SteerNote};
use detente::sim::{Event, Steer};

impl Client {
    /// Send an instructor's steer and read the host's answer.
    async fn steer(&mut self, table: Option<u32>, steer: Steer) -> Result<Vec<u32>, Reason> {
        self.send(ClientMsg::Steer { table, steer }).await;
        self.until(|m| match m {
            ServerMsg::Steered { applied, .. } => Some(Ok(applied.clone())),
            ServerMsg::Refused { reason, .. } => Some(Err(reason.clone())),
            _ => None,
        })
        .await
    }

    /// The next `Watched`: both views, whether it carries the level, and the log's length.
    async fn watched(&mut self) -> ([SideView; 2], bool, usize) {
        self.until(|m| match m {
            ServerMsg::Watched {
                views, level, log, ..
            } => Some(((**views).clone(), level.is_some(), log.len())),
            _ => None,
        })
        .await
    }

    /// Ask for the class summary and read it.
    async fn summary(&mut self) -> detente::report::class::Summary {
        self.send(ClientMsg::Summary).await;
        self.until(|m| match m {
            ServerMsg::Summary { summary } => Some(summary.clone()),
            _ => None,
        })
        .await
    }

    fn struck_cards(&self) -> usize {
        self.log
            .iter()
            .filter(|l| {
                matches!(
                    l.event,
                    Event::Steered {
                        note: SteerNote::Struck { .. }
                    }
                )
            })
            .count()
    }
}

#[tokio::test]
async fn students_cannot_send_an_instructors_message() {
    let h = start(config(db("steer-students"), 1)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut stranger = Client::connect(&h).await;
    for c in [&mut a, &mut stranger] {
        for body in [
            ClientMsg::Steer {
                table: Some(1),
                steer: Steer::Pause,
            },
            ClientMsg::Watch { table: Some(1) },
            ClientMsg::Summary,
            ClientMsg::Export,
        ] {
            c.send(body.clone()).await;
            assert_eq!(c.refusal().await.1, Reason::NotInstructor, "{body:?}");
        }
    }
    // Nothing was paused: A still has the floor.
    assert!(!a.view.as_ref().unwrap().paused);
    h.stop().await;
}

#[tokio::test]
async fn a_card_struck_at_one_table_reaches_it_alone_and_replays_after_a_restart() {
    let path = db("steer-card");
    let h = start(config(path.clone(), 2)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut b = Client::join(&h, 1, Side::B).await;
    let mut c = Client::join(&h, 2, Side::A).await;
    let (mut t, _) = Client::instructor(&h).await;
    let level = a.public.clone().unwrap();
    let card = level.events[0].id.clone();
    let unknown = t
        .steer(
            Some(1),
            Steer::Strike {
                card: Card::Deck("no_such_card".into()),
                struck: vec![Side::A],
            },
        )
        .await;
    assert!(matches!(unknown, Err(Reason::Steer(_))), "{unknown:?}");
    let applied = t
        .steer(
            Some(1),
            Steer::Strike {
                card: Card::Deck(card),
                struck: vec![Side::A],
            },
        )
        .await
        .unwrap();
    assert_eq!(applied, vec![1]);
    for s in [&mut a, &mut b] {
        s.view_update().await;
        assert_eq!(s.struck_cards(), 1, "both students at table 1 see the card");
    }
    // Table 2 heard nothing: the answer to a ping is the next thing it hears.
    c.send(ClientMsg::Ping).await;
    c.until(|m| match m {
        ServerMsg::Pong => Some(()),
        other => panic!("table 2 heard {other:?}"),
    })
    .await;
    assert_eq!(c.struck_cards(), 0);
    // A plays on, then the host restarts; the card is where it was.
    play(&mut a, &mut b, 60, |v| v.round > 1).await;
    let (view, log, token) = (a.view.clone(), a.log.clone(), a.token.clone());
    drop((a, b, c, t));
    h.stop().await;
    let mut cfg = config(path, 2);
    cfg.resume = true;
    let h = start(cfg).await;
    let mut back = Client::connect(&h).await;
    back.send(ClientMsg::Resume { token }).await;
    back.until(|m| matches!(m, ServerMsg::View { .. }).then_some(()))
        .await;
    assert_eq!(back.view, view);
    assert_eq!(back.log, log);
    assert_eq!(back.struck_cards(), 1);
    h.stop().await;
}

#[tokio::test]
async fn a_pause_stops_every_table_until_the_instructor_resumes() {
    let h = start(config(db("steer-pause"), 2)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut b = Client::join(&h, 1, Side::B).await;
    let (mut t, _) = Client::instructor(&h).await;
    assert_eq!(t.steer(None, Steer::Pause).await.unwrap(), vec![1, 2]);
    let paused = a
        .until(|m| match m {
            ServerMsg::Clock { paused, .. } => Some(*paused),
            _ => None,
        })
        .await;
    assert!(paused);
    // The view came before the clock.
    b.view_update().await;
    assert!(a.view.as_ref().unwrap().paused);
    assert!(a.view.as_ref().unwrap().needs.is_empty());
    let side = a.view.as_ref().unwrap().turn;
    let mover = if side == Side::A { &mut a } else { &mut b };
    mover.act(Action::EndTalks { side }).await;
    assert_eq!(mover.refusal().await.1, Reason::Rules(ActionError::Paused));
    // The console sees the pause.
    let tables = t.class().await;
    assert!(tables.iter().all(|s| s.paused));
    assert_eq!(t.steer(None, Steer::Resume).await.unwrap(), vec![1, 2]);
    a.view_update().await;
    b.view_update().await;
    play(&mut a, &mut b, 60, |v| v.round > 1).await;
    h.stop().await;
}

#[tokio::test]
async fn the_round_clock_counts_down_and_closes_talks_when_it_runs_out() {
    let h = start(config(db("steer-clock"), 1)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let b = Client::join(&h, 1, Side::B).await;
    let (mut t, _) = Client::instructor(&h).await;
    let secs = detente::sim::steer::MIN_TIMER_SECS;
    t.steer(Some(1), Steer::Timer { secs: Some(secs) })
        .await
        .unwrap();
    let left = a
        .until(|m| match m {
            ServerMsg::Clock { left_secs, .. } => Some(*left_secs),
            _ => None,
        })
        .await;
    assert!(left.is_some_and(|s| s <= secs && s + 2 >= secs), "{left:?}");
    let status = t.class().await;
    assert_eq!(status[0].round_timer, Some(secs));
    assert!(status[0].clock.is_some());
    // Nobody moves: the clock closes the round's talks.
    let round = a.view.as_ref().unwrap().round;
    let started = std::time::Instant::now();
    tokio::time::sleep(Duration::from_secs(u64::from(secs) - 2)).await;
    let closed = loop {
        let v = a.view_update().await;
        if let Some(l) = a.log.iter().find(|l| {
            matches!(
                l.event,
                Event::Steered {
                    note: SteerNote::TimeUp
                }
            )
        }) {
            break (l.round, v);
        }
        assert!(started.elapsed().as_secs() < u64::from(secs) + 5);
    };
    assert_eq!(closed.0, round);
    assert!(
        started.elapsed().as_secs_f32() >= secs as f32 - 1.5,
        "not before its time"
    );
    drop(b);
    h.stop().await;
}

#[tokio::test]
async fn a_followed_table_shows_both_private_views_and_its_live_log() {
    let h = start(config(db("steer-watch"), 2)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut b = Client::join(&h, 1, Side::B).await;
    let (mut t, _) = Client::instructor(&h).await;
    t.send(ClientMsg::Watch { table: Some(9) }).await;
    assert_eq!(t.refusal().await.1, Reason::UnknownTable);
    t.send(ClientMsg::Watch { table: Some(1) }).await;
    let first = t.watched().await;
    let (views, with_level, logged) = first;
    assert!(with_level, "the first carries the level");
    assert_eq!([views[0].side, views[1].side], [Side::A, Side::B]);
    assert_eq!(views[0], *a.view.as_ref().unwrap());
    assert_eq!(views[1], *b.view.as_ref().unwrap());
    // A move at the table reaches the follower.
    let m = a_move(&a).or_else(|| a_move(&b)).unwrap();
    let mover = if m.side() == Side::A { &mut a } else { &mut b };
    mover.act(m).await;
    a.view_update().await;
    b.view_update().await;
    let next = t.watched().await;
    assert!(!next.1, "the level is sent once");
    assert!(next.2 > logged);
    assert_eq!(next.0[0], *a.view.as_ref().unwrap());
    h.stop().await;
}

#[tokio::test]
async fn the_summary_and_the_export_cover_a_finished_class() {
    let path = db("steer-export");
    let mut cfg = config(path.clone(), 1);
    cfg.vs_computer = true;
    let h = start(cfg).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let (mut t, _) = Client::instructor(&h).await;
    let before = t.summary().await;
    assert_eq!((before.tally.running, before.tally.finished()), (1, 0));
    play_alone(&mut a, 500).await;
    assert!(a.over());
    let after = t.summary().await;
    assert_eq!((after.tally.running, after.tally.finished()), (0, 1));
    assert_eq!(after.scores.len(), 1, "one student's score");
    t.send(ClientMsg::Export).await;
    let (dir, files) = t
        .until(|m| match m {
            ServerMsg::Exported { dir, files, .. } => Some((dir.clone(), *files)),
            ServerMsg::Refused { reason, .. } => panic!("refused: {reason:?}"),
            _ => None,
        })
        .await;
    let dir = std::path::PathBuf::from(dir);
    assert!(dir.join("results.csv").is_file());
    assert!(dir.join("class-summary.html").is_file());
    assert_eq!(files as usize, std::fs::read_dir(&dir).unwrap().count());
    h.stop().await;
}
