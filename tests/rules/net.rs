//! The classroom host over a real socket: students join by code and play; each hears only of
//! its own seat; every kind of bad input is refused by name while the table plays on; a seat
//! comes back with its token, and a whole class comes back after the host restarts; only the
//! instructor hands an empty seat to the computer, and that survives a restart too; the load
//! test plays whole matches through a host process and loses nothing.

use crate::common::offer;
use detente::ai::{Counterpart, Negotiator};
use detente::net::host::{self, Host, HostConfig, Limits, SeatCode};
use detente::net::loadtest::{self, LoadConfig};
use detente::net::protocol::{
    Alert, ClientMsg, Envelope, PROTOCOL_VERSION, Reason, SeatStatus, ServerMsg, TableStatus,
};
use detente::sim::{Action, ActionError, Logged, Need, PublicLevel, Side, SideView, Stage};
use detente::table::{fallback, level_counterpart};
use futures_util::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// Longest wait for any one message.
const WAIT: Duration = Duration::from_secs(10);
/// Most messages read while looking for one.
const MAX_READS: usize = 64;

pub(crate) fn db(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("net");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
    }
    p
}

pub(crate) fn config(db: PathBuf, tables: u32) -> HostConfig {
    HostConfig {
        levels: vec![PathBuf::from("levels/tutorial.ron")],
        tables,
        vs_computer: false,
        db,
        resume: false,
        seed: Some(7),
        limits: Limits {
            idle: Duration::from_secs(60),
            burst: 1_000,
            per_second: 1_000.0,
        },
    }
}

pub(crate) async fn start(cfg: HostConfig) -> Host {
    tokio::time::timeout(
        WAIT,
        host::start(cfg, SocketAddr::from(([127, 0, 0, 1], 0))),
    )
    .await
    .expect("the host starts in time")
    .expect("the host starts")
}

pub(crate) fn code(h: &Host, table: u32, side: Side) -> String {
    h.codes
        .iter()
        .find(|c: &&SeatCode| c.table == table && c.side == side)
        .expect("a code for the seat")
        .code
        .clone()
}

pub(crate) struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    seq: u64,
    level: String,
    table: u32,
    side: Option<Side>,
    token: String,
    /// Every byte the host sent this client.
    heard: Vec<u8>,
    pub(crate) view: Option<SideView>,
    log: Vec<Logged>,
    /// The level as the seat's `Welcome` gave it.
    public: Option<Arc<PublicLevel>>,
}

impl Client {
    async fn connect(h: &Host) -> Client {
        let url = format!("ws://{}/ws", h.addr);
        let (ws, _) = tokio::time::timeout(WAIT, connect_async(url))
            .await
            .expect("connects in time")
            .expect("connects");
        Client {
            ws,
            seq: 0,
            level: String::new(),
            table: 0,
            side: None,
            token: String::new(),
            heard: Vec::new(),
            view: None,
            log: Vec::new(),
            public: None,
        }
    }

    async fn raw(&mut self, m: Message) {
        tokio::time::timeout(WAIT, self.ws.send(m))
            .await
            .expect("sends in time")
            .expect("sends");
    }

    async fn send(&mut self, body: ClientMsg) -> u64 {
        self.seq += 1;
        let env = Envelope::new(self.level.clone(), self.seq, body);
        self.raw(Message::text(serde_json::to_string(&env).unwrap()))
            .await;
        self.seq
    }

    /// The next message, or `None` when the host closed the connection.
    async fn next(&mut self) -> Option<ServerMsg> {
        loop {
            let m = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("the host answers in time");
            match m {
                Some(Ok(Message::Text(t))) => {
                    self.heard.extend_from_slice(t.as_bytes());
                    let env: Envelope<ServerMsg> = serde_json::from_str(t.as_str()).unwrap();
                    assert_eq!(env.v, PROTOCOL_VERSION);
                    match &env.body {
                        ServerMsg::Welcome {
                            token,
                            side,
                            table,
                            level,
                            ..
                        } => {
                            self.public = Some(level.clone());
                            self.token = token.clone();
                            self.side = Some(*side);
                            self.table = *table;
                            self.level = env.level.clone();
                        }
                        ServerMsg::View {
                            view,
                            log,
                            log_from,
                            ..
                        } => {
                            self.view = Some((**view).clone());
                            // Only what is new since this connection's last view.
                            assert_eq!(*log_from as usize, self.log.len(), "a gap in the log");
                            self.log.extend(log.iter().cloned());
                        }
                        _ => {}
                    }
                    return Some(env.body);
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Read until a message `pick` accepts.
    pub(crate) async fn until<T>(&mut self, mut pick: impl FnMut(&ServerMsg) -> Option<T>) -> T {
        for _ in 0..MAX_READS {
            let m = self.next().await.expect("the connection stays open");
            if let Some(t) = pick(&m) {
                return t;
            }
        }
        panic!("no such message in {MAX_READS}");
    }

    async fn refusal(&mut self) -> (u64, Reason) {
        self.until(|m| match m {
            ServerMsg::Refused { to, reason } => Some((*to, reason.clone())),
            ServerMsg::View { .. } => panic!("expected a refusal, the table moved"),
            _ => None,
        })
        .await
    }

    pub(crate) async fn view_update(&mut self) -> SideView {
        self.until(|m| match m {
            ServerMsg::View { view, .. } => Some((**view).clone()),
            ServerMsg::Refused { reason, .. } => panic!("refused: {reason:?}"),
            _ => None,
        })
        .await
    }

    pub(crate) async fn join(h: &Host, table: u32, side: Side) -> Client {
        let mut c = Client::connect(h).await;
        c.send(ClientMsg::Join {
            code: code(h, table, side),
        })
        .await;
        c.until(|m| matches!(m, ServerMsg::Lobby { .. }).then_some(()))
            .await;
        assert_eq!(c.side, Some(side));
        assert!(c.view.is_some());
        c
    }

    pub(crate) async fn act(&mut self, action: Action) -> u64 {
        let table = self.table;
        self.send(ClientMsg::Act { table, action }).await
    }
}

/// The move `c` makes when its view asks for one: an offer of hotlines at the first chance,
/// otherwise the move that always moves the match on.
pub(crate) fn a_move(c: &Client) -> Option<Action> {
    let v = c.view.as_ref()?;
    let need = *v.needs.first()?;
    let level = detente::level::load(std::path::Path::new("levels/tutorial.ron")).unwrap();
    Some(match need {
        Need::Propose if v.commitments.is_empty() && v.pending.is_none() => Action::Propose {
            side: v.side,
            offer: offer(&level, &[("hotline", Side::A), ("hotline", Side::B)]),
        },
        Need::Answer => Action::Accept { side: v.side },
        _ => fallback(v),
    })
}

/// Play moves until `done` holds or `max` moves; both clients hear of every move.
async fn play(a: &mut Client, b: &mut Client, max: usize, done: impl Fn(&SideView) -> bool) {
    for _ in 0..max {
        if done(a.view.as_ref().unwrap()) {
            return;
        }
        let (mover, other) = if a_move(a).is_some() {
            (&mut *a, &mut *b)
        } else {
            (&mut *b, &mut *a)
        };
        let action = a_move(mover).expect("someone has a move to make");
        mover.act(action).await;
        mover.view_update().await;
        other.view_update().await;
    }
    panic!("not done after {max} moves");
}

#[tokio::test]
async fn two_students_play_a_round_and_each_hears_only_of_its_own_seat() {
    let h = start(config(db("round"), 2)).await;
    assert_eq!(h.codes.len(), 4);
    let health = reqwest_free_get(h.addr, "/health").await;
    assert!(
        health.starts_with("HTTP/1.1 200") && health.ends_with("ok\n"),
        "{health}"
    );

    let mut a = Client::join(&h, 1, Side::A).await;
    let mut b = Client::join(&h, 1, Side::B).await;
    // A hears that its partner arrived.
    let waiting = a
        .until(|m| match m {
            ServerMsg::Lobby { waiting_for } => Some(waiting_for.clone()),
            _ => None,
        })
        .await;
    assert!(waiting.is_empty());
    assert_eq!((a.table, b.table), (1, 1));
    assert_ne!(a.token, b.token);

    let round = a.view.as_ref().unwrap().round;
    play(&mut a, &mut b, 60, |v| v.round > round).await;
    assert_eq!(a.view.as_ref().unwrap().round, round + 1);
    assert_eq!(b.view.as_ref().unwrap().round, round + 1);
    assert!(
        a.log.len() > 3,
        "the round left a log: {} entries",
        a.log.len()
    );

    // Nothing private of B ever reached A, and the other way round; each heard its own brief.
    let private = |c: &Client| {
        let p = &c.view.as_ref().unwrap().private;
        let brief = serde_json::to_string(&*p.brief).unwrap();
        let priorities = serde_json::to_string(&*p.priorities).unwrap();
        (
            brief.trim_matches('"').to_string(),
            priorities,
            p.brief.to_string(),
        )
    };
    let (a_brief, a_prio, _) = private(&a);
    let (b_brief, b_prio, b_text) = private(&b);
    assert_ne!(a_brief, b_brief);
    let heard = |c: &Client, s: &str| c.heard.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(heard(&a, &a_brief) && heard(&b, &b_brief));
    assert!(!heard(&a, &b_brief), "A heard B's brief");
    assert!(!heard(&a, &b_prio), "A heard B's priorities");
    assert!(!heard(&b, &a_brief), "B heard A's brief");
    assert!(!heard(&b, &a_prio), "B heard A's priorities");
    // Not even a sentence of it.
    let first_line = b_text.lines().next().unwrap();
    assert!(!heard(&a, first_line), "A heard {first_line:?}");

    // The other table was untouched.
    let mut c = Client::join(&h, 2, Side::A).await;
    assert_eq!(c.view.as_ref().unwrap().round, round);
    assert!(c.view.as_ref().unwrap().commitments.is_empty());
    c.act(Action::EndTalks { side: Side::A }).await;
    assert_eq!(c.refusal().await.1, Reason::Waiting);
    h.stop().await;
}

/// A plain HTTP GET without an HTTP client crate.
async fn reqwest_free_get(addr: SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::time::timeout(WAIT, TcpStream::connect(addr))
        .await
        .unwrap()
        .unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    tokio::time::timeout(WAIT, s.read_to_string(&mut out))
        .await
        .unwrap()
        .unwrap();
    out
}

fn envelope(v: u32, level: &str, seq: u64, body: serde_json::Value) -> Message {
    Message::text(
        serde_json::json!({ "v": v, "level": level, "seq": seq, "body": body }).to_string(),
    )
}

#[tokio::test]
async fn every_kind_of_bad_input_is_refused_by_name_and_the_table_plays_on() {
    let h = start(config(db("refusals"), 2)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    // Alone at the table, A may not move yet.
    let s = a.act(Action::EndTalks { side: Side::A }).await;
    assert_eq!(a.refusal().await, (s, Reason::Waiting));
    let mut b = Client::join(&h, 1, Side::B).await;
    let level = a.level.clone();
    assert_eq!(level.len(), b.level.len());
    assert!(!level.is_empty());
    let propose = a_move(&a).expect("A opens the talks");
    let mut count = 0;

    let cases: Vec<(Message, Reason)> = vec![
        (Message::text("{ not json"), Reason::Malformed),
        (Message::text("[1, 2, 3]"), Reason::Malformed),
        (Message::binary(vec![1u8, 2, 3]), Reason::Malformed),
        (
            envelope(
                PROTOCOL_VERSION,
                &level,
                100,
                serde_json::json!({ "kind": "Dance" }),
            ),
            Reason::UnknownKind,
        ),
        (
            envelope(
                PROTOCOL_VERSION,
                &level,
                101,
                serde_json::json!({ "kind": "Act", "table": 1, "action": "Win" }),
            ),
            Reason::Malformed,
        ),
        (
            Message::text(format!("{{\"pad\": \"{}\"}}", "x".repeat(70 * 1024))),
            Reason::TooLarge,
        ),
        (
            envelope(99, &level, 102, serde_json::json!({ "kind": "Ping" })),
            Reason::WrongVersion {
                expected: PROTOCOL_VERSION,
            },
        ),
        (
            envelope(
                PROTOCOL_VERSION,
                "not-the-level",
                103,
                serde_json::json!({ "kind": "Ping" }),
            ),
            Reason::WrongLevel,
        ),
        (
            envelope(
                PROTOCOL_VERSION,
                &level,
                104,
                serde_json::to_value(ClientMsg::Act {
                    table: 1,
                    action: Action::EndTalks { side: Side::B },
                })
                .unwrap(),
            ),
            Reason::NotYourSeat,
        ),
        (
            envelope(
                PROTOCOL_VERSION,
                &level,
                105,
                serde_json::to_value(ClientMsg::Act {
                    table: 2,
                    action: propose.clone(),
                })
                .unwrap(),
            ),
            Reason::NotYourTable,
        ),
        // A replay of seq 105.
        (
            envelope(
                PROTOCOL_VERSION,
                &level,
                105,
                serde_json::json!({ "kind": "Ping" }),
            ),
            Reason::BadSeq { last: 105 },
        ),
        (
            envelope(
                PROTOCOL_VERSION,
                &level,
                106,
                serde_json::json!({ "kind": "Join", "code": code(&h, 2, Side::A) }),
            ),
            Reason::AlreadySeated,
        ),
        (
            envelope(
                PROTOCOL_VERSION,
                &level,
                107,
                serde_json::to_value(ClientMsg::Act {
                    table: 1,
                    action: Action::Accept { side: Side::A },
                })
                .unwrap(),
            ),
            Reason::Rules(ActionError::NoOfferPending),
        ),
    ];
    let before = a.view.clone();
    for (msg, reason) in cases {
        a.raw(msg).await;
        assert_eq!(a.refusal().await.1, reason);
        count += 1;
    }
    assert_eq!(count, 13);
    assert_eq!(a.view, before, "a refused message changed A's view");

    // Strangers: a wrong code, a taken seat, a wrong token, a move before any seat.
    let mut s = Client::connect(&h).await;
    s.send(ClientMsg::Join {
        code: "NOSUCH-0000".into(),
    })
    .await;
    assert_eq!(s.refusal().await.1, Reason::UnknownCode);
    s.send(ClientMsg::Join {
        code: code(&h, 1, Side::B).to_lowercase(),
    })
    .await;
    assert_eq!(s.refusal().await.1, Reason::SeatTaken);
    s.send(ClientMsg::Resume {
        token: "0".repeat(32),
    })
    .await;
    assert_eq!(s.refusal().await.1, Reason::UnknownToken);
    s.send(ClientMsg::Act {
        table: 1,
        action: Action::EndTalks { side: Side::A },
    })
    .await;
    assert_eq!(s.refusal().await.1, Reason::NotSeated);
    s.send(ClientMsg::Ping).await;
    s.until(|m| matches!(m, ServerMsg::Pong).then_some(()))
        .await;

    // After all that, the table plays on: A's offer reaches both seats.
    a.seq = 200;
    a.act(propose).await;
    let va = a.view_update().await;
    let vb = b.view_update().await;
    assert_eq!(va.pending.as_ref().map(|p| p.0), Some(Side::A));
    assert_eq!(vb.pending, va.pending);
    assert_eq!(vb.needs, vec![Need::Answer]);
    h.stop().await;
}

#[tokio::test]
async fn a_flood_is_rate_limited_and_a_silent_connection_times_out() {
    let mut cfg = config(db("flood"), 1);
    cfg.limits = Limits {
        idle: Duration::from_millis(500),
        burst: 5,
        per_second: 1.0,
    };
    let h = start(cfg).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    for _ in 0..12 {
        a.send(ClientMsg::Ping).await;
    }
    let (mut pongs, mut limited) = (0, 0);
    for _ in 0..12 {
        match a.next().await.expect("still connected") {
            ServerMsg::Pong => pongs += 1,
            ServerMsg::Refused {
                reason: Reason::RateLimited,
                ..
            } => limited += 1,
            m => panic!("unexpected {m:?}"),
        }
    }
    // Five at once (the join took one), perhaps one more earned meanwhile.
    assert!((4..=6).contains(&pongs), "{pongs} pongs");
    assert_eq!(pongs + limited, 12);

    // Then silence: the host says why and closes.
    let r = a
        .until(|m| match m {
            ServerMsg::Refused { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .await;
    assert_eq!(r, Reason::Idle);
    assert!(a.next().await.is_none(), "the connection is closed");

    // The seat is not lost: its token brings it back.
    let mut again = Client::connect(&h).await;
    again
        .send(ClientMsg::Resume {
            token: a.token.clone(),
        })
        .await;
    again
        .until(|m| matches!(m, ServerMsg::Welcome { .. }).then_some(()))
        .await;
    assert_eq!(again.side, Some(Side::A));
    h.stop().await;
}

#[tokio::test]
async fn a_token_brings_back_the_exact_seat_and_a_replayed_move_is_refused() {
    let h = start(config(db("resume"), 1)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut b = Client::join(&h, 1, Side::B).await;
    let propose = a_move(&a).unwrap();
    let sent = a.act(propose.clone()).await;
    a.view_update().await;
    b.view_update().await;
    let (view, log, token) = (a.view.clone(), a.log.clone(), a.token.clone());
    drop(a);

    let mut back = Client::connect(&h).await;
    back.send(ClientMsg::Resume { token }).await;
    let last_act = back
        .until(|m| match m {
            ServerMsg::Welcome { last_act, .. } => Some(*last_act),
            _ => None,
        })
        .await;
    assert_eq!(last_act, sent);
    back.until(|m| matches!(m, ServerMsg::View { .. }).then_some(()))
        .await;
    assert_eq!(back.view, view);
    assert_eq!(back.log, log);

    // The same move again, as a fresh connection would resend it: stale.
    back.seq = sent - 1;
    back.act(propose).await;
    assert_eq!(back.refusal().await.1, Reason::BadSeq { last: sent });

    // A second connection with the token takes the seat; the first is told and closed.
    let mut other = Client::connect(&h).await;
    other
        .send(ClientMsg::Resume {
            token: back.token.clone(),
        })
        .await;
    other
        .until(|m| matches!(m, ServerMsg::Welcome { .. }).then_some(()))
        .await;
    assert_eq!(back.refusal().await.1, Reason::Replaced);
    assert!(back.next().await.is_none());

    // B answers, and the seat's new connection hears of it.
    let answer = a_move(&b).unwrap();
    b.act(answer).await;
    b.view_update().await;
    other.view_update().await;
    h.stop().await;
}

#[tokio::test]
async fn after_a_restart_every_table_resumes_where_it_stood() {
    let path = db("restart");
    let h = start(config(path.clone(), 2)).await;
    let codes = h.codes.clone();
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut b = Client::join(&h, 1, Side::B).await;
    let round = a.view.as_ref().unwrap().round;
    play(&mut a, &mut b, 60, |v| v.round > round).await;
    // And one move into the next round.
    let m = a_move(&a).or_else(|| a_move(&b)).unwrap();
    let mover = if m.side() == Side::A { &mut a } else { &mut b };
    mover.act(m).await;
    a.view_update().await;
    b.view_update().await;
    let seen = [
        (a.view.clone(), a.log.clone(), a.token.clone(), a.seq),
        (b.view.clone(), b.log.clone(), b.token.clone(), b.seq),
    ];
    drop((a, b));
    h.stop().await;

    let mut cfg = config(path, 2);
    cfg.resume = true;
    cfg.seed = None;
    let h = start(cfg).await;
    assert!(h.resumed);
    let claimed: Vec<bool> = h.codes.iter().map(|c| c.claimed).collect();
    assert_eq!(claimed, vec![true, true, false, false]);
    let same: Vec<_> = h.codes.iter().map(|c| c.code.clone()).collect();
    assert_eq!(
        same,
        codes.iter().map(|c| c.code.clone()).collect::<Vec<_>>()
    );

    let mut back = Vec::new();
    for (view, log, token, seq) in seen {
        let mut c = Client::connect(&h).await;
        c.send(ClientMsg::Resume { token }).await;
        c.until(|m| matches!(m, ServerMsg::View { .. }).then_some(()))
            .await;
        assert_eq!(c.view, view, "the view after the restart");
        assert_eq!(c.log, log, "the log after the restart");
        c.seq = seq;
        back.push(c);
    }
    // A code already used opens nothing after the restart either.
    let mut s = Client::connect(&h).await;
    s.send(ClientMsg::Join {
        code: codes[0].code.clone(),
    })
    .await;
    assert_eq!(s.refusal().await.1, Reason::SeatTaken);

    // The match goes on.
    let [mut a, mut b]: [Client; 2] = back.try_into().ok().unwrap();
    let round = a.view.as_ref().unwrap().round;
    play(&mut a, &mut b, 60, |v| {
        v.round > round || v.stage == Stage::Ended
    })
    .await;
    h.stop().await;
}

#[tokio::test]
async fn a_student_plays_the_computer() {
    let mut cfg = config(db("computer"), 1);
    cfg.vs_computer = true;
    let h = start(cfg).await;
    assert_eq!(
        h.codes.len(),
        1,
        "one code per table: the computer needs none"
    );
    let mut a = Client::join(&h, 1, Side::A).await;
    let round = a.view.as_ref().unwrap().round;
    for _ in 0..40 {
        if a.view.as_ref().unwrap().round > round {
            break;
        }
        let m = a_move(&a).expect("the computer never keeps the student waiting");
        a.act(m).await;
        a.view_update().await;
    }
    assert!(a.view.as_ref().unwrap().round > round);
    let b_moved = a
        .log
        .iter()
        .any(|l| format!("{:?}", l.event).contains("side: B"));
    assert!(b_moved, "the computer made moves A could see");
    h.stop().await;
}

impl Client {
    /// Connect with the instructor's code and read the class's state.
    async fn instructor(h: &Host) -> (Client, Vec<TableStatus>) {
        let mut t = Client::connect(h).await;
        // Typed as a person would: the case does not matter.
        t.send(ClientMsg::Join {
            code: h.instructor.to_lowercase(),
        })
        .await;
        let tables = t.class().await;
        (t, tables)
    }

    async fn class(&mut self) -> Vec<TableStatus> {
        self.until(|m| match m {
            ServerMsg::Class { tables } => Some(tables.clone()),
            ServerMsg::Refused { reason, .. } => panic!("refused: {reason:?}"),
            _ => None,
        })
        .await
    }

    async fn take_over(&mut self, table: u32, side: Side) -> Result<Vec<TableStatus>, Reason> {
        self.send(ClientMsg::TakeOver { table, side }).await;
        self.until(|m| match m {
            ServerMsg::Class { tables } => Some(Ok(tables.clone())),
            ServerMsg::Refused { reason, .. } => Some(Err(reason.clone())),
            _ => None,
        })
        .await
    }

    fn over(&self) -> bool {
        self.view.as_ref().is_some_and(|v| v.stage == Stage::Ended)
    }
}

/// A plays `moves` moves alone (or to the end); the computer must answer every one at once.
async fn play_alone(a: &mut Client, moves: usize) {
    for _ in 0..moves {
        if a.over() {
            return;
        }
        let m = a_move(a).expect("the computer never keeps the student waiting");
        a.act(m).await;
        a.view_update().await;
    }
}

#[tokio::test]
async fn only_the_instructor_hands_an_empty_seat_to_the_computer() {
    let h = start(config(db("takeover"), 2)).await;
    assert!(h.codes.iter().all(|c| c.code != h.instructor));
    let mut a = Client::join(&h, 1, Side::A).await;

    // A student cannot, seated or not, nor become the instructor once seated.
    a.send(ClientMsg::TakeOver {
        table: 1,
        side: Side::B,
    })
    .await;
    assert_eq!(a.refusal().await.1, Reason::NotInstructor);
    a.send(ClientMsg::Join {
        code: h.instructor.clone(),
    })
    .await;
    assert_eq!(a.refusal().await.1, Reason::AlreadySeated);
    let mut s = Client::connect(&h).await;
    s.send(ClientMsg::TakeOver {
        table: 1,
        side: Side::B,
    })
    .await;
    assert_eq!(s.refusal().await.1, Reason::NotInstructor);

    let (mut t, tables) = Client::instructor(&h).await;
    assert_eq!(tables.len(), 2);
    assert_eq!(tables[0].seats, [SeatStatus::Connected, SeatStatus::Open]);
    assert_eq!(tables[1].seats, [SeatStatus::Open, SeatStatus::Open]);
    // The instructor is not a seat: no move, no second role.
    t.send(ClientMsg::Act {
        table: 1,
        action: Action::EndTalks { side: Side::B },
    })
    .await;
    assert_eq!(t.refusal().await.1, Reason::NotSeated);
    assert_eq!(
        t.take_over(1, Side::A).await.unwrap_err(),
        Reason::SeatOccupied
    );
    assert_eq!(
        t.take_over(3, Side::B).await.unwrap_err(),
        Reason::UnknownTable
    );
    let tables = t.take_over(1, Side::B).await.expect("the seat is empty");
    assert_eq!(
        tables[0].seats,
        [SeatStatus::Connected, SeatStatus::Computer]
    );
    assert_eq!(tables[1].seats, [SeatStatus::Open, SeatStatus::Open]);
    assert_eq!(
        t.take_over(1, Side::B).await.unwrap_err(),
        Reason::HeldByCounterpart
    );
    // The seat's code opens it no more.
    s.send(ClientMsg::Join {
        code: code(&h, 1, Side::B),
    })
    .await;
    assert_eq!(s.refusal().await.1, Reason::HeldByCounterpart);

    // A hears that the match is on, and plays: the round can only end if B moved too.
    let waiting = a
        .until(|m| match m {
            ServerMsg::Lobby { waiting_for } => Some(waiting_for.clone()),
            _ => None,
        })
        .await;
    assert!(waiting.is_empty());
    let round = a.view.as_ref().unwrap().round;
    for _ in 0..40 {
        if a.view.as_ref().unwrap().round > round {
            break;
        }
        play_alone(&mut a, 1).await;
    }
    assert!(a.view.as_ref().unwrap().round > round, "B never moved");
    h.stop().await;
}

/// A student whose moves a counterpart decides on its client's view alone.
struct Bot {
    c: Client,
    me: Counterpart,
}

impl Bot {
    async fn join(h: &Host, side: Side) -> Bot {
        let c = Client::join(h, 1, side).await;
        let me = level_counterpart(c.public.as_ref().unwrap(), side, 11);
        Bot { c, me }
    }

    /// Make the move the view asks for (the fallback if the rules refuse it) and wait for its
    /// answer; `others` hear of it. False when the seat has nothing to do.
    async fn turn(&mut self, others: &mut [&mut Client]) -> bool {
        let Some(view) = self.c.view.clone().filter(|v| !v.needs.is_empty()) else {
            return false;
        };
        let public = self.c.public.clone().unwrap();
        let mut action = self.me.decide(&view, &public).action;
        loop {
            let seq = self.c.act(action).await;
            let accepted = self
                .c
                .until(|m| match m {
                    ServerMsg::View { last_act, .. } if *last_act >= seq => Some(true),
                    ServerMsg::Refused { to, .. } if *to == seq => Some(false),
                    _ => None,
                })
                .await;
            if accepted {
                break;
            }
            action = fallback(&view);
        }
        for o in others {
            o.view_update().await;
        }
        true
    }
}

/// Two students play, B leaves, the instructor hands B's seat to the computer, and A plays on
/// to the end; with `restart`, the host is stopped and resumed in the middle of it. A's last
/// view and log.
async fn abandoned_seat(name: &str, restart: bool) -> (SideView, Vec<Logged>) {
    let path = db(name);
    // A level whose counterparts learn from what they see, so one that came back with
    // another memory would soon play otherwise.
    let level = PathBuf::from("levels/river_accord.ron");
    let mut cfg = config(path.clone(), 1);
    cfg.levels = vec![level.clone()];
    let mut h = start(cfg.clone()).await;
    let mut a = Bot::join(&h, Side::A).await;
    let mut b = Bot::join(&h, Side::B).await;
    let round = a.c.view.as_ref().unwrap().round;
    for _ in 0..200 {
        if a.c.view.as_ref().unwrap().round > round + 1 {
            break;
        }
        if !a.turn(&mut [&mut b.c]).await {
            assert!(b.turn(&mut [&mut a.c]).await, "nobody has a move");
        }
    }
    assert!(a.c.view.as_ref().unwrap().round > round + 1);
    drop(b);

    let (mut t, _) = Client::instructor(&h).await;
    // The host notices the closed connection in its own time.
    let mut handed = None;
    for _ in 0..100 {
        match t.take_over(1, Side::B).await {
            Ok(tables) => {
                handed = Some(tables);
                break;
            }
            Err(Reason::SeatOccupied) => tokio::time::sleep(Duration::from_millis(20)).await,
            Err(r) => panic!("refused: {r:?}"),
        }
    }
    let tables = handed.expect("the seat is handed over once B is gone");
    assert_eq!(
        tables[0].seats,
        [SeatStatus::Connected, SeatStatus::Computer]
    );
    // A hears of the table's change (the computer may have moved at once).
    a.c.view_update().await;
    for _ in 0..4 {
        assert!(a.turn(&mut []).await, "the computer keeps A waiting");
    }

    if restart {
        let (view, log, token, seq) = (
            a.c.view.clone(),
            a.c.log.clone(),
            a.c.token.clone(),
            a.c.seq,
        );
        let code = h.instructor.clone();
        drop(t);
        h.stop().await;
        cfg.resume = true;
        h = start(cfg).await;
        assert_eq!(h.instructor, code, "the instructor's code is kept");
        let (_, tables) = Client::instructor(&h).await;
        assert_eq!(tables[0].seats, [SeatStatus::Away, SeatStatus::Computer]);
        a.c = Client::connect(&h).await;
        a.c.send(ClientMsg::Resume { token }).await;
        a.c.until(|m| matches!(m, ServerMsg::View { .. }).then_some(()))
            .await;
        assert_eq!(a.c.view, view);
        assert_eq!(a.c.log, log);
        a.c.seq = seq;
    }
    for _ in 0..500 {
        if a.c.over() {
            break;
        }
        assert!(a.turn(&mut []).await, "the computer keeps A waiting");
    }
    assert!(a.c.over(), "the match ends");
    h.stop().await;
    (a.c.view.unwrap(), a.c.log)
}

#[tokio::test]
async fn a_seat_handed_to_the_computer_stays_so_and_plays_the_same_after_a_restart() {
    let straight = abandoned_seat("handed-straight", false).await;
    let restarted = abandoned_seat("handed-restarted", true).await;
    // The computer that took B's seat came back with the memory it had, so it made the same
    // moves to the end of the match as the one that was never stopped.
    assert!(
        straight == restarted,
        "the matches went apart after the restart"
    );
}

#[test]
fn the_load_test_plays_whole_matches_through_a_host_process_and_loses_nothing() {
    let report = loadtest::run(&LoadConfig {
        host_exe: PathBuf::from(env!("CARGO_BIN_EXE_detente")),
        levels: vec![PathBuf::from("levels/tutorial.ron")],
        tables: 2,
        seed: 5,
        max_seconds: 60.0,
        think: Duration::ZERO,
    })
    .expect("the load test runs");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.clients, 4);
    assert_eq!(report.matches_finished, 2);
    assert!(report.actions > 4, "{} moves", report.actions);
    assert_eq!(report.lost, 0);
    assert_eq!(report.desyncs, 0);
    assert!(report.rtt_ms_p50 > 0.0 && report.rtt_ms_p99 >= report.rtt_ms_p50);
    if cfg!(target_os = "linux") {
        assert!(report.host_rss_mb.is_some_and(|mb| mb > 1.0));
        assert!(report.host_cpu_percent.is_some());
    }
}

#[tokio::test]
async fn the_instructor_watches_every_table_change_as_it_happens() {
    let h = start(config(db("watch"), 2)).await;
    let (mut t, tables) = Client::instructor(&h).await;
    let first = tables[0].clone();
    assert_eq!(first.round, 1);
    assert!(!first.title.is_empty() && first.stage.is_some());
    assert_eq!(first.in_force, 0);
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut b = Client::join(&h, 1, Side::B).await;
    // Joins reach the console without asking.
    let seated = loop {
        let tables = t.class().await;
        if tables[0].seats == [SeatStatus::Connected, SeatStatus::Connected] {
            break tables;
        }
    };
    assert_eq!(seated[1].seats, [SeatStatus::Open, SeatStatus::Open]);
    // A round played at table 1 shows on the console, and table 2 stays as it was.
    play(&mut a, &mut b, 60, |v| v.round > 1).await;
    let now = loop {
        let tables = t.class().await;
        if tables[0].round > 1 {
            break tables;
        }
    };
    let view = a.view.as_ref().unwrap();
    assert_eq!(now[0].tension, view.tension);
    assert_eq!(now[0].trust, view.trust);
    assert_eq!(now[0].in_force as usize, view.commitments.len());
    assert_eq!(now[1].round, 1);
    // A student who leaves is flagged.
    drop(b);
    let gone = loop {
        let tables = t.class().await;
        if tables[0].seats[1] == SeatStatus::Away {
            break tables;
        }
    };
    assert!(gone[0].alerts.contains(&Alert::Disconnected(Side::B)));
    assert!(!gone[1].alerts.contains(&Alert::Disconnected(Side::B)));
    h.stop().await;
}

#[tokio::test]
async fn the_instructors_message_reaches_every_screen_and_is_kept() {
    let path = db("broadcast");
    let h = start(config(path.clone(), 2)).await;
    let mut a = Client::join(&h, 1, Side::A).await;
    let mut c = Client::join(&h, 2, Side::B).await;
    // A student cannot speak to the class.
    a.send(ClientMsg::Broadcast {
        text: "free pizza".into(),
    })
    .await;
    assert_eq!(a.refusal().await.1, Reason::NotInstructor);
    let (mut t, _) = Client::instructor(&h).await;
    for bad in ["", "   ", "bell\u{7}", &"x".repeat(281)] {
        t.send(ClientMsg::Broadcast { text: bad.into() }).await;
        assert_eq!(t.refusal().await.1, Reason::BadBroadcast, "{bad:?}");
    }
    t.send(ClientMsg::Broadcast {
        text: "Ten minutes left in this round".into(),
    })
    .await;
    for s in [&mut a, &mut c] {
        let got = s
            .until(|m| match m {
                ServerMsg::Notice { text } => Some(text.clone()),
                _ => None,
            })
            .await;
        assert_eq!(got, "Ten minutes left in this round");
    }
    h.stop().await;
    let archive = detente::net::archive::Archive::open(&path).unwrap();
    let session = archive.latest_session_id().unwrap().unwrap();
    assert_eq!(
        archive.notices(session).unwrap(),
        vec!["Ten minutes left in this round".to_string()]
    );
}

mod steer;
