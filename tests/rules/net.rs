//! The classroom host over a real socket: students join by code and play; each hears only of
//! its own seat; every kind of bad input is refused by name while the table plays on; a seat
//! comes back with its token, and a whole class comes back after the host restarts.

use crate::common::offer;
use detente::net::host::{self, Host, HostConfig, Limits, SeatCode};
use detente::net::protocol::{ClientMsg, Envelope, PROTOCOL_VERSION, Reason, ServerMsg};
use detente::sim::{Action, ActionError, Logged, Need, Side, SideView, Stage};
use detente::table::fallback;
use futures_util::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// Longest wait for any one message.
const WAIT: Duration = Duration::from_secs(10);
/// Most messages read while looking for one.
const MAX_READS: usize = 64;

pub(crate) fn db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("detente-net-{}", std::process::id()));
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
                            token, side, table, ..
                        } => {
                            self.token = token.clone();
                            self.side = Some(*side);
                            self.table = *table;
                            self.level = env.level.clone();
                        }
                        ServerMsg::View { view, log } => {
                            self.view = Some((**view).clone());
                            self.log = log.clone();
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
            envelope(1, &level, 100, serde_json::json!({ "kind": "Dance" })),
            Reason::UnknownKind,
        ),
        (
            envelope(
                1,
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
                1,
                "not-the-level",
                103,
                serde_json::json!({ "kind": "Ping" }),
            ),
            Reason::WrongLevel,
        ),
        (
            envelope(
                1,
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
                1,
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
            envelope(1, &level, 105, serde_json::json!({ "kind": "Ping" })),
            Reason::BadSeq { last: 105 },
        ),
        (
            envelope(
                1,
                &level,
                106,
                serde_json::json!({ "kind": "Join", "code": code(&h, 2, Side::A) }),
            ),
            Reason::AlreadySeated,
        ),
        (
            envelope(
                1,
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
