//! The classroom host: one class session of several tables, served on one port (HTTP
//! `GET /health` and the WebSocket at `/ws`), every accepted move archived before anyone hears
//! of it. A connection is one task; the tables sit behind one lock, since a move takes
//! microseconds and a class is a few dozen students.

use super::archive::{Archive, ArchiveError, StoredSeat, StoredTable};
use super::protocol::{
    ClientMsg, Envelope, MAX_BROADCAST, MAX_FRAME, Reason, SeatStatus, ServerMsg, TableStatus,
    parse_client,
};
use crate::sim::{Action, MatchRecord, Scenario, Side};
use crate::table::{Refusal, Seat, Table, level_counterpart};
use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

mod codes;
mod conn;
mod instructor;
mod run;

use codes::{new_code, new_instructor_code, new_token, normal_code, random_bytes, same_secret};
use conn::{Conn, serve_socket};
pub use run::{run, run_then};

/// How much a connection may ask of the host.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A connection silent this long is closed (clients Ping to stay).
    pub idle: Duration,
    /// Messages a connection may send at once before it is refused ...
    pub burst: u32,
    /// ... and how many a second it earns back.
    pub per_second: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            idle: Duration::from_secs(120),
            burst: 20,
            per_second: 5.0,
        }
    }
}

/// What `detente host` was asked to run.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// Level files, dealt to the tables in turn.
    pub levels: Vec<PathBuf>,
    pub tables: u32,
    /// One student per table against a counterpart the host runs.
    pub vs_computer: bool,
    pub db: PathBuf,
    /// Take up the archive's latest session instead of starting a new one.
    pub resume: bool,
    /// Seed of table 1; table k plays seed + k - 1. Drawn at random when `None`.
    pub seed: Option<u64>,
    pub limits: Limits,
}

/// A join code as the host prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatCode {
    pub table: u32,
    pub side: Side,
    pub code: String,
    pub claimed: bool,
}

/// Why the host could not start.
#[derive(Debug)]
pub struct HostError(pub String);

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HostError {}

impl From<ArchiveError> for HostError {
    fn from(e: ArchiveError) -> Self {
        HostError(e.to_string())
    }
}

/// A running host.
pub struct Host {
    pub addr: SocketAddr,
    pub codes: Vec<SeatCode>,
    /// The code that gives a connection the instructor's role; never a seat's.
    pub instructor: String,
    /// Whether the session was taken up from the archive.
    pub resumed: bool,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<()>,
}

impl Host {
    /// Close every connection and stop serving.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.server.await;
    }
}

/// What a connection's task is told to do by others.
enum Out {
    Msg(ServerMsg),
    Close(Reason),
}

struct SeatState {
    /// `None` for a seat the computer holds.
    code: Option<String>,
    claimed: bool,
    /// Seq of the seat's last accepted move, over every connection it has had.
    last_act: u64,
    conn: Option<(u64, mpsc::UnboundedSender<Out>)>,
    /// How far the connection has been told of the log: entries of the whole log, and of the
    /// seat's own part, so each `View` carries only what is new to it.
    told: (usize, usize),
}

impl SeatState {
    fn student(&self) -> bool {
        self.code.is_some()
    }
}

struct Slot {
    id: i64,
    number: u32,
    level: Arc<Scenario>,
    file: String,
    hash: String,
    table: Table,
    seats: [SeatState; 2],
    /// Tokens by side, to rebuild the table's seats.
    tokens: [Option<String>; 2],
    /// Seats the instructor handed to a counterpart, with the number of moves then.
    handed: Vec<(usize, Side)>,
    /// When the table last moved (or was taken up), for the instructor's "stuck" alert.
    moved: Instant,
    /// The round's clock, when the instructor set a timer.
    clock: instructor::Clock,
}

impl Slot {
    fn waiting_for(&self) -> Vec<Side> {
        Side::BOTH
            .into_iter()
            .filter(|s| {
                let st = &self.seats[s.idx()];
                st.student() && !st.claimed && self.table.is_person(*s)
            })
            .collect()
    }

    /// Rebuild the table from `record` as it stood, with its handovers.
    fn rebuild(&self, record: &MatchRecord) -> Result<Table, (usize, crate::sim::ActionError)> {
        Table::replay_handed(
            self.level.clone(),
            record,
            self.seats(),
            self.level.ai.difficulty,
            &self.handed,
        )
    }

    fn status(&self) -> TableStatus {
        TableStatus::of(
            self.number,
            &self.table,
            self.seat_status(),
            self.moved.elapsed().as_secs(),
            self.clock_secs(),
        )
    }

    /// Who holds each seat now.
    fn seat_status(&self) -> [SeatStatus; 2] {
        Side::BOTH.map(|s| {
            let st = &self.seats[s.idx()];
            if !self.table.is_person(s) {
                SeatStatus::Computer
            } else if st.conn.is_some() {
                SeatStatus::Connected
            } else if st.claimed {
                SeatStatus::Away
            } else {
                SeatStatus::Open
            }
        })
    }

    fn seats(&self) -> [Seat; 2] {
        class_seats(&self.level, &self.tokens, self.table.seed())
    }

    /// What `side` is told about the table now: its view, its part of the log (all of it, or
    /// what its connection has not been told yet), and the record once over.
    fn news(&mut self, side: Side, whole_log: bool) -> Vec<ServerMsg> {
        let (from_whole, from_seat) = if whole_log {
            (0, 0)
        } else {
            self.seats[side.idx()].told
        };
        let whole = &self.table.whole().log;
        let log: Vec<_> = whole[from_whole.min(whole.len())..]
            .iter()
            .filter(|l| l.event.visible_to(side))
            .cloned()
            .collect();
        let seat = &mut self.seats[side.idx()];
        seat.told = (whole.len(), from_seat + log.len());
        let mut out = vec![ServerMsg::View {
            view: Box::new(self.table.view(side)),
            log,
            log_from: from_seat as u64,
            last_act: seat.last_act,
        }];
        if self.table.is_over() {
            out.push(ServerMsg::Ended {
                record: self.table.record(Some(self.file.clone())),
                scenario: self.level.clone(),
            });
        }
        out
    }

    /// Put the table back as it stood with `before` moves and `steers` instructor's steps,
    /// after a change the archive refused.
    fn undo(&mut self, before: usize, steers: usize) {
        let mut record = self.table.record(Some(self.file.clone()));
        record.actions.truncate(before);
        record.steering.truncate(steers);
        if let Ok(t) = self.rebuild(&record) {
            self.table = t;
        }
    }

    fn tell(&self, side: Side, msgs: Vec<ServerMsg>) {
        if let Some((_, tx)) = &self.seats[side.idx()].conn {
            for m in msgs {
                let _ = tx.send(Out::Msg(m));
            }
        }
    }

    /// Send each connected seat its news after a change at the table, then `extra`.
    fn tell_news(&mut self, extra: Option<ServerMsg>) {
        self.moved = Instant::now();
        for s in Side::BOTH {
            // A seat nobody holds is told everything when it is taken again.
            if self.seats[s.idx()].conn.is_some() {
                let mut news = self.news(s, false);
                news.extend(extra.clone());
                self.tell(s, news);
            }
        }
    }
}

struct Class {
    db: Archive,
    /// The archive's id of this session.
    session: i64,
    /// The instructor's code, in the form [`normal_code`] gives.
    instructor: String,
    tables: Vec<Slot>,
    by_code: HashMap<String, (usize, Side)>,
    by_token: HashMap<String, (usize, Side)>,
    /// The instructors' connections, told of every change in the class.
    watchers: Vec<(u64, mpsc::UnboundedSender<Out>)>,
    /// Instructors' connections following one table each (connection, table index).
    following: Vec<(u64, usize, mpsc::UnboundedSender<Out>)>,
    /// Where the Export button writes the session's files.
    export_dir: PathBuf,
}

struct Shared {
    class: Mutex<Class>,
    limits: Limits,
    next_conn: AtomicU64,
    stop: watch::Receiver<bool>,
}

fn say(line: &str) {
    eprintln!("host: {line}");
}

fn load_level(path: &Path) -> Result<Arc<Scenario>, HostError> {
    crate::level::load(path)
        .map(Arc::new)
        .map_err(|e| HostError(e.to_string()))
}

/// The moves a table made from `from` on, the first sent by a student with `seq`.
fn moves_since(t: &Table, from: usize, seq: Option<u64>) -> Vec<(Action, Option<u64>)> {
    t.whole().actions[from..]
        .iter()
        .enumerate()
        .map(|(i, a)| (a.clone(), if i == 0 { seq } else { None }))
        .collect()
}

impl Class {
    fn new_session(cfg: &HostConfig, db: Archive) -> Result<Class, HostError> {
        if cfg.levels.is_empty() {
            return Err(HostError("no level to play".into()));
        }
        let levels = cfg
            .levels
            .iter()
            .map(|p| load_level(p).map(|l| (p.display().to_string(), l)))
            .collect::<Result<Vec<_>, _>>()?;
        let session = db.new_session(cfg.vs_computer)?;
        let instructor = new_instructor_code();
        db.set_instructor(session, &instructor)?;
        let base = cfg
            .seed
            .unwrap_or_else(|| u64::from_le_bytes(random_bytes::<8>()) >> 1);
        let mut class = Class {
            db,
            session,
            instructor,
            tables: Vec::new(),
            by_code: HashMap::new(),
            by_token: HashMap::new(),
            watchers: Vec::new(),
            following: Vec::new(),
            export_dir: export_dir(&cfg.db),
        };
        for k in 0..cfg.tables.max(1) {
            let (file, level) = &levels[k as usize % levels.len()];
            let seed = base.wrapping_add(u64::from(k));
            let seats: Vec<StoredSeat> = Side::BOTH
                .into_iter()
                .map(|side| {
                    let student = side == Side::A || !cfg.vs_computer;
                    StoredSeat {
                        side,
                        code: student.then(|| new_code(&class.by_code)),
                        token: student.then(new_token),
                        claimed: false,
                    }
                })
                .collect();
            // Two codes of one table must differ too.
            let mut seats = seats;
            while seats[1].code.is_some() && seats[1].code == seats[0].code {
                seats[1].code = Some(new_code(&class.by_code));
            }
            let stored = StoredTable {
                id: 0,
                number: k + 1,
                level_file: file.clone(),
                level_id: level.id.clone(),
                level_hash: level.content_hash(),
                seed,
                seats,
                actions: Vec::new(),
                handed: Vec::new(),
                steering: Vec::new(),
            };
            let id = class.db.add_table(session, &stored)?;
            class.add(StoredTable { id, ..stored }, level.clone())?;
        }
        Ok(class)
    }

    fn resume(cfg: &HostConfig, db: Archive) -> Result<Class, HostError> {
        let Some(session) = db.latest_session()? else {
            return Err(HostError("the archive has no session to resume".into()));
        };
        // An archive from before instructors had a code gets one now, kept from then on.
        let instructor = match session.instructor {
            Some(code) => code,
            None => {
                let code = new_instructor_code();
                db.set_instructor(session.id, &code)?;
                code
            }
        };
        let mut class = Class {
            db,
            session: session.id,
            instructor,
            tables: Vec::new(),
            by_code: HashMap::new(),
            by_token: HashMap::new(),
            watchers: Vec::new(),
            following: Vec::new(),
            export_dir: export_dir(&cfg.db),
        };
        let mut loaded: HashMap<String, Arc<Scenario>> = HashMap::new();
        for t in session.tables {
            let level = match loaded.get(&t.level_file) {
                Some(l) => l.clone(),
                None => {
                    let l = load_level(Path::new(&t.level_file))?;
                    loaded.insert(t.level_file.clone(), l.clone());
                    l
                }
            };
            if level.content_hash() != t.level_hash {
                return Err(HostError(format!(
                    "table {}: {} has been edited since the class began; restore it to resume",
                    t.number, t.level_file
                )));
            }
            class.add(t, level)?;
        }
        say(&format!(
            "resumed session {} ({} tables)",
            session.id,
            class.tables.len()
        ));
        Ok(class)
    }

    /// Seat a stored table: replay its moves, then let counterparts make any move still due.
    fn add(&mut self, t: StoredTable, level: Arc<Scenario>) -> Result<(), HostError> {
        let k = self.tables.len();
        let mut tokens = [None, None];
        let mut seats = [(); 2].map(|_| SeatState {
            code: None,
            claimed: false,
            last_act: 0,
            conn: None,
            told: (0, 0),
        });
        for s in &t.seats {
            let i = s.side.idx();
            tokens[i] = s.token.clone();
            seats[i].code = s.code.clone();
            seats[i].claimed = s.claimed;
            seats[i].last_act = t
                .actions
                .iter()
                .filter(|(a, _)| a.side() == s.side)
                .filter_map(|(_, q)| *q)
                .max()
                .unwrap_or(0);
            if let Some(c) = &s.code {
                self.by_code.insert(normal_code(c), (k, s.side));
            }
            if let Some(tok) = &s.token {
                self.by_token.insert(tok.clone(), (k, s.side));
            }
        }
        let record = t.record();
        let mut slot = Slot {
            id: t.id,
            number: t.number,
            hash: t.level_hash.clone(),
            file: t.level_file.clone(),
            table: Table::new(level.clone(), t.seed, [Seat::Local, Seat::Local]),
            level: level.clone(),
            seats,
            tokens,
            handed: t.handed.clone(),
            moved: Instant::now(),
            clock: Default::default(),
        };
        slot.table = slot.rebuild(&record).map_err(|(i, e)| {
            HostError(format!(
                "table {}: archived move {i} is refused: {e}",
                t.number
            ))
        })?;
        let before = slot.table.whole().actions.len();
        slot.table.run_counterparts();
        let due = moves_since(&slot.table, before, None);
        if !due.is_empty() {
            self.db.append(slot.id, before, &due)?;
        }
        // A timer set before a restart runs again from its full length.
        slot.arm();
        self.tables.push(slot);
        Ok(())
    }

    fn codes(&self) -> Vec<SeatCode> {
        self.tables
            .iter()
            .flat_map(|t| {
                Side::BOTH.into_iter().filter_map(move |s| {
                    let st = &t.seats[s.idx()];
                    st.code.as_ref().map(|c| SeatCode {
                        table: t.number,
                        side: s,
                        code: c.clone(),
                        claimed: st.claimed,
                    })
                })
            })
            .collect()
    }

    /// Give seat (k, side) to connection `conn`, closing the one that held it.
    fn bind(&mut self, k: usize, side: Side, conn: &mut Conn) -> Vec<ServerMsg> {
        let slot = &mut self.tables[k];
        let seat = &mut slot.seats[side.idx()];
        if let Some((old, tx)) = seat.conn.take()
            && old != conn.id
        {
            let _ = tx.send(Out::Close(Reason::Replaced));
        }
        seat.conn = Some((conn.id, conn.tx.clone()));
        conn.seat = Some((k, side));
        conn.level = slot.hash.clone();
        let mut out = vec![ServerMsg::Welcome {
            token: slot.tokens[side.idx()].clone().unwrap_or_default(),
            side,
            table: slot.number,
            last_act: seat.last_act,
            level: slot.table.public().clone(),
        }];
        out.extend(slot.news(side, true));
        if slot.clock_left().is_some() || slot.table.whole().paused {
            out.push(slot.clock_msg());
        }
        let lobby = ServerMsg::Lobby {
            waiting_for: slot.waiting_for(),
        };
        slot.tell(side.other(), vec![lobby.clone()]);
        out.push(lobby);
        out
    }

    fn act(&mut self, conn: &Conn, seq: u64, table: u32, action: Action) -> Result<(), Reason> {
        let (k, side) = conn.seat.ok_or(Reason::NotSeated)?;
        let slot = &mut self.tables[k];
        if table != slot.number {
            return Err(Reason::NotYourTable);
        }
        if action.side() != side {
            return Err(Reason::NotYourSeat);
        }
        let last = slot.seats[side.idx()].last_act;
        if seq <= last {
            return Err(Reason::BadSeq { last });
        }
        if !slot.waiting_for().is_empty() {
            return Err(Reason::Waiting);
        }
        let before = slot.table.whole().actions.len();
        slot.table.submit(side, action).map_err(|r| match r {
            Refusal::HeldByCounterpart => Reason::HeldByCounterpart,
            Refusal::Rules(e) => Reason::Rules(e),
        })?;
        slot.table.run_counterparts();
        let moves = moves_since(&slot.table, before, Some(seq));
        if let Err(e) = self.db.append(slot.id, before, &moves) {
            say(&format!(
                "table {}: cannot archive a move ({e}); undone",
                slot.number
            ));
            slot.undo(before, slot.table.whole().steering.len());
            return Err(Reason::Archive);
        }
        slot.seats[side.idx()].last_act = seq;
        slot.tell_news(None);
        Ok(())
    }

    /// The instructor hands table `number`'s `side` seat, which nobody holds now, to a
    /// counterpart; it moves at once if the match waits for it.
    fn take_over(&mut self, number: u32, side: Side) -> Result<(), Reason> {
        let k = self
            .tables
            .iter()
            .position(|t| t.number == number)
            .ok_or(Reason::UnknownTable)?;
        let slot = &mut self.tables[k];
        if slot.table.is_over() {
            return Err(Reason::MatchOver);
        }
        if !slot.table.is_person(side) {
            return Err(Reason::HeldByCounterpart);
        }
        if slot.seats[side.idx()].conn.is_some() {
            return Err(Reason::SeatOccupied);
        }
        let before = slot.table.whole().actions.len();
        let waiting = slot.waiting_for();
        slot.table.hand_to_counterpart(side);
        slot.handed.push((before, side));
        // As at a table against the computer, it moves when due even before the other
        // student arrives; only students wait for each other.
        slot.table.run_counterparts();
        let moves = moves_since(&slot.table, before, None);
        if let Err(e) = self.db.hand_over(slot.id, side, before, &moves) {
            say(&format!(
                "table {}: cannot archive a takeover ({e}); undone",
                slot.number
            ));
            slot.handed.pop();
            slot.undo(before, slot.table.whole().steering.len());
            return Err(Reason::Archive);
        }
        say(&format!(
            "table {} seat {side:?} handed to the computer",
            slot.number
        ));
        let lobby = slot.waiting_for();
        slot.tell_news((lobby != waiting).then_some(ServerMsg::Lobby { waiting_for: lobby }));
        Ok(())
    }

    fn status(&self) -> ServerMsg {
        ServerMsg::Class {
            tables: self.tables.iter().map(Slot::status).collect(),
        }
    }

    /// Tell every instructor's connection how the class stands now (after any change at a
    /// table, a join, or a student leaving); forget connections that closed.
    fn notify(&mut self) {
        if self.watchers.is_empty() {
            return;
        }
        let status = self.status();
        self.watchers
            .retain(|(_, tx)| tx.send(Out::Msg(status.clone())).is_ok());
    }
}

/// The folder beside the archive where the Export button writes a session's files.
fn export_dir(db: &Path) -> PathBuf {
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "class".into());
    db.parent()
        .unwrap_or(Path::new("."))
        .join(format!("{stem}-export"))
}

/// The seats of a class table: a student's where a token was issued, else the level's own
/// counterpart. The host and the export build tables alike, so a replay meets the same seats.
pub(crate) fn class_seats(level: &Scenario, tokens: &[Option<String>; 2], seed: u64) -> [Seat; 2] {
    Side::BOTH.map(|s| match &tokens[s.idx()] {
        Some(token) => Seat::Remote {
            token: token.clone(),
        },
        None => Seat::Counterpart(Box::new(level_counterpart(level.public(), s, seed))),
    })
}

async fn upgrade(State(sh): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    // Frames a little over the protocol's limit still reach the host, which refuses them by
    // name; far larger ones close the connection at the WebSocket layer.
    // A small read buffer: tungstenite zeroes the whole free part of it before every read,
    // 128 KiB by default, while a student's frames are a few hundred bytes (a larger one
    // still gets room for its full length).
    ws.max_message_size(16 * MAX_FRAME)
        .max_frame_size(16 * MAX_FRAME)
        .read_buffer_size(4 * 1024)
        .on_upgrade(move |socket| serve_socket(socket, sh))
}

async fn health() -> &'static str {
    "ok\n"
}

/// Start the host on `addr` (port 0 picks a free one): a new session, or the archive's latest
/// with `cfg.resume`.
pub async fn start(cfg: HostConfig, addr: SocketAddr) -> Result<Host, HostError> {
    let db = Archive::open(&cfg.db)?;
    let class = if cfg.resume {
        Class::resume(&cfg, db)?
    } else {
        Class::new_session(&cfg, db)?
    };
    let codes = class.codes();
    let instructor = class.instructor.clone();
    let (stop, stop_rx) = watch::channel(false);
    let shared = Arc::new(Shared {
        class: Mutex::new(class),
        limits: cfg.limits.clone(),
        next_conn: AtomicU64::new(1),
        stop: stop_rx.clone(),
    });
    let app = Router::new()
        .route("/health", get(health))
        .route("/ws", get(upgrade))
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| HostError(format!("cannot listen on {addr}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| HostError(e.to_string()))?;
    // A view leaves in several segments; with Nagle's algorithm the last one waits for the
    // client's delayed acknowledgement (40 ms on Linux) before it is sent.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        let _ = tcp.set_nodelay(true);
    });
    // The round clocks: a table whose time ran out closes its talks within a quarter second.
    let clocks = shared.clone();
    let mut clock_stop = stop_rx.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_millis(250));
        loop {
            tokio::select! {
                _ = every.tick() => {}
                _ = clock_stop.changed() => break,
            }
            if let Ok(mut class) = clocks.class.lock()
                && class.tick()
            {
                class.notify();
            }
        }
    });
    let mut done = stop_rx;
    let server = tokio::spawn(async move {
        let shutdown = async move {
            let _ = done.changed().await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            say(&format!("server stopped: {e}"));
        }
    });
    Ok(Host {
        addr,
        codes,
        instructor,
        resumed: cfg.resume,
        stop,
        server,
    })
}
