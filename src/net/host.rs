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

mod instructor;

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

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    if getrandom::fill(&mut b).is_err() {
        // No system generator: fall back to the clock and std's per-process random keys,
        // still unguessable enough for a classroom, never a fixed value.
        use std::hash::{BuildHasher, Hasher};
        for chunk in b.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(Instant::now().elapsed().as_nanos());
            let x = h.finish().to_le_bytes();
            chunk.copy_from_slice(&x[..chunk.len()]);
        }
    }
    b
}

fn new_token() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The instructor's code: as secret as a token, since it can hand seats to the computer, and
/// in capitals so it reads like the seat codes it is typed in place of.
fn new_instructor_code() -> String {
    format!("TEACH-{}", new_token().to_uppercase())
}

/// Compare secrets in time that does not depend on where they first differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// Words easy to read aloud and to type, with no two alike at a glance.
const WORDS: [&str; 32] = [
    "RIVER", "CEDAR", "HARBOR", "MAPLE", "FALCON", "AMBER", "ISLAND", "LANTERN", "MEADOW",
    "ORCHID", "PEBBLE", "QUARTZ", "SUMMIT", "TUNDRA", "VELVET", "WILLOW", "COMET", "DELTA",
    "EMBER", "FJORD", "GLACIER", "HAZEL", "JASPER", "KESTREL", "LAGOON", "MARBLE", "NECTAR",
    "OTTER", "PRAIRIE", "RAVEN", "SPRUCE", "THISTLE",
];

fn new_code(taken: &HashMap<String, (usize, Side)>) -> String {
    loop {
        let b = random_bytes::<3>();
        let n = u32::from_le_bytes([b[1], b[2], 0, 0]) % 10_000;
        let code = format!("{}-{n:04}", WORDS[b[0] as usize % WORDS.len()]);
        if !taken.contains_key(&code) {
            return code;
        }
    }
}

/// How a student types a code: case and surrounding spaces do not matter.
fn normal_code(code: &str) -> String {
    code.trim().to_uppercase()
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

/// Seat a connection holds, the last seq it sent, and where others reach it.
struct Conn {
    id: u64,
    seat: Option<(usize, Side)>,
    /// Whether the connection joined with the instructor's code.
    instructor: bool,
    /// The level hash of the seat's table, once seated.
    level: String,
    last_seq: u64,
    out_seq: u64,
    tx: mpsc::UnboundedSender<Out>,
}

/// A token bucket: `burst` at once, `per_second` after.
struct Bucket {
    tokens: f64,
    last: Instant,
    burst: f64,
    rate: f64,
}

impl Bucket {
    fn new(l: &Limits) -> Bucket {
        Bucket {
            tokens: f64::from(l.burst),
            last: Instant::now(),
            burst: f64::from(l.burst),
            rate: l.per_second,
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

fn refused(to: u64, reason: Reason) -> ServerMsg {
    ServerMsg::Refused { to, reason }
}

/// Answer one text frame.
fn on_text(sh: &Shared, conn: &mut Conn, text: &str) -> Vec<ServerMsg> {
    let env = match parse_client(text) {
        Ok(e) => e,
        Err((to, r)) => return vec![refused(to, r)],
    };
    if env.seq <= conn.last_seq {
        return vec![refused(
            env.seq,
            Reason::BadSeq {
                last: conn.last_seq,
            },
        )];
    }
    conn.last_seq = env.seq;
    if conn.seat.is_some() && env.level != conn.level {
        return vec![refused(env.seq, Reason::WrongLevel)];
    }
    let Ok(mut class) = sh.class.lock() else {
        return vec![refused(env.seq, Reason::Archive)];
    };
    let seq = env.seq;
    match env.body {
        ClientMsg::Ping => vec![ServerMsg::Pong],
        ClientMsg::Join { .. } | ClientMsg::Resume { .. }
            if conn.seat.is_some() || conn.instructor =>
        {
            vec![refused(seq, Reason::AlreadySeated)]
        }
        ClientMsg::Join { code } if same_secret(&normal_code(&code), &class.instructor) => {
            conn.instructor = true;
            class.watchers.push((conn.id, conn.tx.clone()));
            say(&format!("connection {}: instructor", conn.id));
            vec![class.status()]
        }
        ClientMsg::Join { code } => {
            let Some(&(k, side)) = class.by_code.get(&normal_code(&code)) else {
                return vec![refused(seq, Reason::UnknownCode)];
            };
            let slot = &class.tables[k];
            if slot.seats[side.idx()].claimed {
                return vec![refused(seq, Reason::SeatTaken)];
            }
            if !slot.table.is_person(side) {
                return vec![refused(seq, Reason::HeldByCounterpart)];
            }
            if let Err(e) = class.db.claim(slot.id, side) {
                say(&format!("cannot archive a join ({e})"));
                return vec![refused(seq, Reason::Archive)];
            }
            class.tables[k].seats[side.idx()].claimed = true;
            say(&format!("table {} seat {side:?} joined", k + 1));
            let out = class.bind(k, side, conn);
            class.notify();
            out
        }
        ClientMsg::Resume { token } => {
            let Some(&(k, side)) = class.by_token.get(token.trim()) else {
                return vec![refused(seq, Reason::UnknownToken)];
            };
            say(&format!("table {} seat {side:?} resumed", k + 1));
            let out = class.bind(k, side, conn);
            class.notify();
            out
        }
        ClientMsg::Act { table, action } => match class.act(conn, seq, table, action) {
            // The view comes through the seat's channel, with the other seat's.
            Ok(()) => {
                if let Some((k, _)) = conn.seat {
                    class.touched(k);
                }
                class.notify();
                Vec::new()
            }
            Err(r) => vec![refused(seq, r)],
        },
        ref m if m.instructors_only() && !conn.instructor => {
            vec![refused(seq, Reason::NotInstructor)]
        }
        ClientMsg::Steer { table, steer } => match class.steer(table, steer) {
            Ok(done) => {
                class.notify();
                vec![done]
            }
            Err(r) => vec![refused(seq, r)],
        },
        ClientMsg::Watch { table } => match class.follow(conn.id, &conn.tx, table) {
            Ok(out) => out,
            Err(r) => vec![refused(seq, r)],
        },
        ClientMsg::Summary => vec![class.summary()],
        ClientMsg::Export => match class.export() {
            Ok(done) => vec![done],
            Err(r) => vec![refused(seq, r)],
        },
        ClientMsg::Broadcast { text } => {
            let text = text.trim();
            if text.is_empty()
                || text.chars().count() > MAX_BROADCAST
                || text.chars().any(char::is_control)
            {
                return vec![refused(seq, Reason::BadBroadcast)];
            }
            // Kept before it is sent, like every instructor action.
            if let Err(e) = class.db.notice(class.session, text) {
                say(&format!("cannot archive a broadcast ({e})"));
                return vec![refused(seq, Reason::Archive)];
            }
            say(&format!("instructor to every screen: {text}"));
            let msg = ServerMsg::Notice { text: text.into() };
            for slot in &class.tables {
                for side in Side::BOTH {
                    slot.tell(side, vec![msg.clone()]);
                }
            }
            for (_, tx) in &class.watchers {
                let _ = tx.send(Out::Msg(msg.clone()));
            }
            Vec::new()
        }
        ClientMsg::TakeOver { table, side } => match class.take_over(table, side) {
            // Every instructor's connection, this one too, hears of it.
            Ok(()) => {
                if let Ok(k) = class.index(table) {
                    class.touched(k);
                }
                class.notify();
                Vec::new()
            }
            Err(r) => vec![refused(seq, r)],
        },
    }
}

async fn send(ws: &mut WebSocket, conn: &mut Conn, msg: ServerMsg) -> Result<(), ()> {
    conn.out_seq += 1;
    let env = Envelope::new(conn.level.clone(), conn.out_seq, msg);
    let text = serde_json::to_string(&env).map_err(|_| ())?;
    ws.send(Message::Text(text.into())).await.map_err(|_| ())
}

fn who(conn: &Conn) -> String {
    match conn.seat {
        Some((k, s)) => format!("connection {} (table {} seat {s:?})", conn.id, k + 1),
        None if conn.instructor => format!("connection {} (instructor)", conn.id),
        None => format!("connection {}", conn.id),
    }
}

async fn serve_socket(mut ws: WebSocket, sh: Arc<Shared>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut conn = Conn {
        id: sh.next_conn.fetch_add(1, Ordering::Relaxed),
        seat: None,
        instructor: false,
        level: String::new(),
        last_seq: 0,
        out_seq: 0,
        tx,
    };
    let mut bucket = Bucket::new(&sh.limits);
    let mut stop = sh.stop.clone();
    let idle = tokio::time::sleep(sh.limits.idle);
    tokio::pin!(idle);
    'conn: loop {
        let replies = tokio::select! {
            incoming = ws.recv() => {
                let Some(Ok(msg)) = incoming else { break };
                idle.as_mut().reset(tokio::time::Instant::now() + sh.limits.idle);
                let text = match msg {
                    Message::Text(t) => Some(t),
                    Message::Binary(_) => None,
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => continue,
                };
                if !bucket.take() {
                    vec![refused(0, Reason::RateLimited)]
                } else {
                    match text {
                        Some(t) if t.len() > MAX_FRAME => vec![refused(0, Reason::TooLarge)],
                        Some(t) => on_text(&sh, &mut conn, t.as_str()),
                        None => vec![refused(0, Reason::Malformed)],
                    }
                }
            }
            Some(out) = rx.recv() => match out {
                Out::Msg(m) => vec![m],
                Out::Close(r) => {
                    let _ = send(&mut ws, &mut conn, refused(0, r)).await;
                    break;
                }
            },
            _ = &mut idle => {
                say(&format!("{}: idle, closed", who(&conn)));
                let _ = send(&mut ws, &mut conn, refused(0, Reason::Idle)).await;
                break;
            }
            _ = stop.changed() => break,
        };
        for r in replies {
            if let ServerMsg::Refused { reason, .. } = &r {
                say(&format!("{}: refused {reason:?}", who(&conn)));
            }
            if send(&mut ws, &mut conn, r).await.is_err() {
                break 'conn;
            }
        }
    }
    if let Ok(mut class) = sh.class.lock() {
        if let Some((k, side)) = conn.seat {
            let seat = &mut class.tables[k].seats[side.idx()];
            if seat.conn.as_ref().is_some_and(|(id, _)| *id == conn.id) {
                seat.conn = None;
            }
        }
        class.watchers.retain(|(id, _)| *id != conn.id);
        class.following.retain(|(id, _, _)| *id != conn.id);
        // The instructor sees a student leave.
        class.notify();
    }
    let _ = ws.send(Message::Close(None)).await;
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

/// `detente host`: serve a class on `addr` until Ctrl-C. With `announce_json`, standard output
/// gets one JSON line instead of the text for people (for a program that starts the host, such
/// as `detente loadtest`). Returns the exit code.
pub fn run(cfg: HostConfig, addr: SocketAddr, announce_json: bool) -> i32 {
    run_then(cfg, addr, announce_json, None)
}

/// [`run`], telling `ready` where the host listens and its instructor code once it serves (the
/// console window that `detente host` opens connects with them).
pub fn run_then(
    cfg: HostConfig,
    addr: SocketAddr,
    announce_json: bool,
    ready: Option<std::sync::mpsc::Sender<(SocketAddr, String)>>,
) -> i32 {
    // One thread: every move goes through the one lock on the class anyway, and a move's
    // work (microseconds) is less than handing it between threads, which a pool of workers
    // did several times a move, waking and parking threads.
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say(&format!("cannot start: {e}"));
            return 1;
        }
    };
    rt.block_on(async move {
        let db = cfg.db.clone();
        let host = match start(cfg, addr).await {
            Ok(h) => h,
            Err(e) => {
                say(&e.to_string());
                return 1;
            }
        };
        if announce_json {
            println!("{}", announcement(&host, &db));
        } else {
            print_codes(&host, &db);
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if let Some(tx) = ready {
            let _ = tx.send((host.addr, host.instructor.clone()));
        }
        ended().await;
        host.stop().await;
        0
    })
}

/// The `--announce-json` line: where the host listens, its process, archive and codes.
fn announcement(host: &Host, db: &Path) -> serde_json::Value {
    serde_json::json!({
        "addr": host.addr.to_string(),
        "port": host.addr.port(),
        "pid": std::process::id(),
        "resumed": host.resumed,
        "archive": db.display().to_string(),
        "instructor": host.instructor,
        "seats": host.codes.iter().map(|c| serde_json::json!({
            "table": c.table,
            "side": c.side,
            "code": c.code,
            "claimed": c.claimed,
        })).collect::<Vec<_>>(),
    })
}

fn print_codes(host: &Host, db: &Path) {
    let port = host.addr.port();
    let address = match lan_address() {
        Some(ip) if host.addr.ip().is_unspecified() => format!("{ip}:{port}"),
        _ if !host.addr.ip().is_unspecified() => host.addr.to_string(),
        _ => format!("<this computer's address>:{port}"),
    };
    println!(
        "Détente class {} on port {port}. Students press \"Join a class\" and type {address} with their seat code (or run `detente join {address} CODE`).",
        if host.resumed { "resumed" } else { "started" },
    );
    println!("Archive: {}", db.display());
    println!(
        "Instructor code (keep it to yourself: it opens the class console, which steers every table): {}",
        host.instructor
    );
    println!(
        "The class console: `detente console {address} {}`, or \"Join a class\" with the instructor code.",
        host.instructor
    );
    for c in &host.codes {
        println!(
            "  table {:>2} seat {:?}: {}{}",
            c.table,
            c.side,
            c.code,
            if c.claimed { " (taken)" } else { "" }
        );
    }
    println!("Ctrl-C ends the session; `detente host --resume` takes it up again.");
}

/// This computer's address on the network its default route leads to, as students would type
/// it. Nothing is sent: connecting a UDP socket only picks the route. `None` offline.
fn lan_address() -> Option<std::net::IpAddr> {
    let probe = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // A documentation address (RFC 5737): never answered, only routed.
    probe.connect("192.0.2.1:9").ok()?;
    let ip = probe.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// Ctrl-C, or (on Unix) the polite stop a service manager sends.
async fn ended() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
