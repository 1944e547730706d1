//! The classroom wire protocol: JSON text frames over one WebSocket, each wrapped in an
//! [`Envelope`]. Serde only, so a client (the window, a test, a bot) can use it without the
//! host's server stack. docs/NETWORK.md describes it for people.

use crate::sim::{
    Action, ActionError, Ending, Logged, MatchRecord, PublicLevel, Scenario, Side, SideView, Stage,
    Steer, SteerError,
};
use serde::{Deserialize, Serialize};

/// The protocol's version; a message of another version is refused, not guessed at. Version 2:
/// a `View` carries only the log entries new to the connection (`log_from`), so a client of
/// version 1, which took each `log` for the whole, is refused rather than misled. Version 3:
/// the instructor steers tables, and students hear the round's clock (`Clock`).
pub const PROTOCOL_VERSION: u32 = 3;

/// The largest text frame the host reads; a larger one is refused with [`Reason::TooLarge`].
pub const MAX_FRAME: usize = 64 * 1024;

/// Every message, both ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<B> {
    /// [`PROTOCOL_VERSION`].
    pub v: u32,
    /// The content hash of the table's level (`Scenario::content_hash`). Empty until a seat is
    /// taken, since a client learns it in [`ServerMsg::Welcome`]; after that a client message
    /// for another level is refused, so a client never plays on a level it has not loaded.
    #[serde(default)]
    pub level: String,
    /// Strictly increasing per sender and connection; see docs/NETWORK.md for the rules.
    pub seq: u64,
    pub body: B,
}

impl<B> Envelope<B> {
    pub fn new(level: impl Into<String>, seq: u64, body: B) -> Envelope<B> {
        Envelope {
            v: PROTOCOL_VERSION,
            level: level.into(),
            seq,
            body,
        }
    }
}

/// What a student's client sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum ClientMsg {
    /// Take the seat this join code opens (once; reconnecting is [`ClientMsg::Resume`]), or,
    /// with the instructor code, the instructor's role (as often as needed).
    Join {
        code: String,
    },
    /// Take back the seat this token was issued for.
    Resume {
        token: String,
    },
    /// A move for one's own seat at one's own table.
    Act {
        table: u32,
        action: Action,
    },
    /// Instructor only: hand a seat nobody holds now (never taken, or its student gone) to a
    /// counterpart of the level's own character for the rest of the match.
    TakeOver {
        table: u32,
        side: Side,
    },
    /// Instructor only: a short message for every screen of the class (at most
    /// [`MAX_BROADCAST`] characters, no control characters).
    Broadcast {
        text: String,
    },
    /// Instructor only: steer one table, or every table whose match is not over (`None`).
    Steer {
        table: Option<u32>,
        steer: Steer,
    },
    /// Instructor only: follow one table with both sides' views ([`ServerMsg::Watched`]), or
    /// stop following (`None`).
    Watch {
        table: Option<u32>,
    },
    /// Instructor only: the class summary as it stands ([`ServerMsg::Summary`]).
    Summary,
    /// Instructor only: write the session's files (debriefs, transcripts, results, summary)
    /// next to the host's archive ([`ServerMsg::Exported`]).
    Export,
    Ping,
}

/// The longest message an instructor may send to every screen, in characters.
pub const MAX_BROADCAST: usize = 280;

impl ClientMsg {
    /// The `kind` tags a client may send; any other is [`Reason::UnknownKind`].
    pub const KINDS: [&'static str; 10] = [
        "Join",
        "Resume",
        "Act",
        "TakeOver",
        "Broadcast",
        "Steer",
        "Watch",
        "Summary",
        "Export",
        "Ping",
    ];

    /// Whether only the instructor may send it.
    pub fn instructors_only(&self) -> bool {
        matches!(
            self,
            ClientMsg::TakeOver { .. }
                | ClientMsg::Broadcast { .. }
                | ClientMsg::Steer { .. }
                | ClientMsg::Watch { .. }
                | ClientMsg::Summary
                | ClientMsg::Export
        )
    }
}

/// What the host sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum ServerMsg {
    /// The seat is yours: keep `token` to come back. `last_act` is the seq of the seat's last
    /// accepted move (0 for none); the next move must carry a higher one.
    Welcome {
        token: String,
        side: Side,
        table: u32,
        last_act: u64,
        level: std::sync::Arc<PublicLevel>,
    },
    /// The match waits for these seats to be taken.
    Lobby {
        waiting_for: Vec<Side>,
    },
    /// The seat's own view after every change at the table, and the entries of its own part
    /// of the log from number `log_from` on: the whole of it after `Welcome` (0), and after
    /// that what is new since the connection's last `View`, for the client to append.
    /// `last_act` is the seq of the seat's last accepted move, so a client tells the answer to
    /// its own move from news of the other seat's.
    View {
        view: Box<SideView>,
        log: Vec<Logged>,
        #[serde(default)]
        log_from: u64,
        #[serde(default)]
        last_act: u64,
    },
    /// The message with seq `to` (0 when it could not be read) was refused and changed nothing.
    Refused {
        to: u64,
        reason: Reason,
    },
    /// The match is over: the whole record and the whole level (both sides' briefs, now
    /// public), so the client can replay the match for the debrief.
    Ended {
        record: MatchRecord,
        scenario: std::sync::Arc<Scenario>,
    },
    /// The connection holds the instructor's role (sent on joining with the instructor code,
    /// and after each instructor change): every table's state, without anyone's private view.
    Class {
        tables: Vec<TableStatus>,
    },
    /// A message from the instructor to every screen of the class.
    Notice {
        text: String,
    },
    /// The round's clock at the seat's table: seconds left for this round's talks when a timer
    /// runs (`None` without one, or between talks), and whether the instructor paused it.
    Clock {
        left_secs: Option<u32>,
        paused: bool,
    },
    /// What an instructor's steer did: the tables it changed, and those that refused it, why.
    Steered {
        applied: Vec<u32>,
        refused: Vec<(u32, SteerError)>,
    },
    /// The table an instructor follows, after every change there: both sides' private views,
    /// the whole log (breaches nobody caught included), the counterparts' last reasons, and
    /// once over the record and level for its debrief.
    Watched {
        table: u32,
        views: Box<[SideView; 2]>,
        log: Vec<Logged>,
        reasons: [Option<String>; 2],
        seats: [SeatStatus; 2],
        clock: Option<u32>,
        /// The table's public level, in the first `Watched` after a `Watch` only.
        #[serde(default)]
        level: Option<std::sync::Arc<PublicLevel>>,
        #[serde(default)]
        record: Option<MatchRecord>,
        #[serde(default)]
        scenario: Option<std::sync::Arc<Scenario>>,
    },
    /// The class summary as it stands.
    Summary {
        summary: crate::report::class::Summary,
    },
    /// The session's files were written to `dir` on the host's machine.
    Exported {
        dir: String,
        files: u32,
        /// Tables left out (level missing or edited), with why.
        skipped: Vec<String>,
    },
    Pong,
}

/// A table as the instructor sees it from outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableStatus {
    pub table: u32,
    /// The level's id.
    pub level: String,
    pub round: u32,
    pub over: bool,
    /// Side A's seat, then side B's.
    pub seats: [SeatStatus; 2],
    /// The level's title.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub tension: f32,
    /// A's trust in B, then B's in A.
    #[serde(default)]
    pub trust: [f32; 2],
    /// Each side's weighted approval at home.
    #[serde(default)]
    pub approval: [f32; 2],
    /// Commitments in force.
    #[serde(default)]
    pub in_force: u32,
    /// The latest headline of any outlet.
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub ending: Option<Ending>,
    /// Seconds since the table's last move (or since the host took it up).
    #[serde(default)]
    pub quiet_secs: u64,
    /// What an instructor should look at now.
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// Whether the instructor paused the table.
    #[serde(default)]
    pub paused: bool,
    /// Seconds each round's talks get, if the instructor set a timer.
    #[serde(default)]
    pub round_timer: Option<u32>,
    /// Seconds left on this round's clock, while talks are on under a timer.
    #[serde(default)]
    pub clock: Option<u32>,
}

impl TableStatus {
    /// How `table` (number `number`) stands, for the instructor: its meters from outside,
    /// the seats, how long it has been quiet, its round clock, and what needs attention.
    pub fn of(
        number: u32,
        table: &crate::table::Table,
        seats: [SeatStatus; 2],
        quiet_secs: u64,
        clock: Option<u32>,
    ) -> TableStatus {
        let m = table.whole();
        let level = &m.scenario;
        let views = Side::BOTH.map(|s| table.view(s));
        let mut alerts = Vec::new();
        if !table.is_over() {
            if m.tension >= level.end.clash_at - NEAR_CLASH {
                alerts.push(Alert::NearClash);
            }
            for s in Side::BOTH {
                let v = &views[s.idx()];
                if v.me.approval <= v.private.ouster_below + NEAR_OUSTER {
                    alerts.push(Alert::NearOuster(s));
                }
            }
            let waits_for_student = table.needs().iter().any(|(s, _)| table.is_person(*s));
            if waits_for_student && quiet_secs >= STUCK_SECS {
                alerts.push(Alert::Stuck);
            }
            for s in Side::BOTH {
                if seats[s.idx()] == SeatStatus::Away {
                    alerts.push(Alert::Disconnected(s));
                }
            }
        }
        TableStatus {
            table: number,
            level: level.id.clone(),
            round: table.round(),
            over: table.is_over(),
            seats,
            title: level.title.clone(),
            stage: Some(table.stage()),
            tension: m.tension,
            trust: m.trust,
            approval: Side::BOTH.map(|s| views[s.idx()].me.approval),
            in_force: m.commitments.len() as u32,
            headline: m.log.iter().rev().find_map(|l| match &l.event {
                crate::sim::Event::Headline { text, .. } => Some(text.clone()),
                _ => None,
            }),
            ending: m.ending,
            quiet_secs,
            alerts,
            paused: m.paused,
            round_timer: m.round_timer,
            clock,
        }
    }
}

impl ServerMsg {
    /// Table `number` as an instructor following it sees it: both private views, the whole
    /// log, the counterparts' last reasons, the level when asked, and once over its record.
    pub fn watched(
        number: u32,
        table: &crate::table::Table,
        seats: [SeatStatus; 2],
        clock: Option<u32>,
        with_level: bool,
        level_file: &str,
    ) -> ServerMsg {
        let over = table.is_over();
        ServerMsg::Watched {
            table: number,
            views: Box::new(Side::BOTH.map(|s| table.view(s))),
            log: table.whole().log.clone(),
            reasons: Side::BOTH.map(|s| {
                (!table.is_person(s))
                    .then(|| table.last_decision(s).map(|d| d.reason.to_string()))
                    .flatten()
            }),
            seats,
            clock,
            level: with_level.then(|| table.public().clone()),
            record: over.then(|| table.record(Some(level_file.to_string()))),
            scenario: over.then(|| table.whole().scenario.clone()),
        }
    }
}

/// Something at a table an instructor may need to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Alert {
    /// Tension within [`NEAR_CLASH`] of the level's clash line.
    NearClash,
    /// A leader's approval within [`NEAR_OUSTER`] of the point where they fall.
    NearOuster(Side),
    /// No move for [`STUCK_SECS`] while the match waits for a student.
    Stuck,
    /// A student who was seated has no connection now.
    Disconnected(Side),
}

/// Points of tension below the clash line that raise [`Alert::NearClash`].
pub const NEAR_CLASH: f32 = 15.0;
/// Points of approval above the ouster line that raise [`Alert::NearOuster`].
pub const NEAR_OUSTER: f32 = 5.0;
/// Seconds without a move that make a waiting table [`Alert::Stuck`].
pub const STUCK_SECS: u64 = 180;

/// Who holds a seat now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeatStatus {
    /// Its join code has not been used.
    Open,
    /// A student is connected.
    Connected,
    /// Its student has been seated but no connection holds it now.
    Away,
    /// The computer plays it (from the start, after a takeover, or after a leader's fall).
    Computer,
}

/// Why the host refused a message. The connection stays open unless said otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// Not JSON, not an envelope, a body that does not fit its kind, or a binary frame.
    Malformed,
    /// A body whose `kind` is none of [`ClientMsg::KINDS`].
    UnknownKind,
    /// A frame over [`MAX_FRAME`] bytes.
    TooLarge,
    WrongVersion {
        expected: u32,
    },
    /// The envelope names another level than the seat's table plays.
    WrongLevel,
    /// An action for the other side's seat.
    NotYourSeat,
    /// An action for another table than the seat's.
    NotYourTable,
    /// An action before a seat was taken on this connection.
    NotSeated,
    /// A Join or Resume on a connection that already holds a seat.
    AlreadySeated,
    /// A seq not above the last one (a replayed or stale message); `last` is the one to beat.
    BadSeq {
        last: u64,
    },
    /// Too many messages too fast; wait and send again.
    RateLimited,
    /// No seat has this join code.
    UnknownCode,
    /// No seat has this token.
    UnknownToken,
    /// The code's seat was already taken; reconnecting needs its token.
    SeatTaken,
    /// The computer plays that side (after a takeover).
    HeldByCounterpart,
    /// The other seat is not taken yet.
    Waiting,
    /// The rules refused the move.
    Rules(ActionError),
    /// The move could not be archived, so it was undone; try again.
    Archive,
    /// Nothing arrived for too long; the host closes the connection.
    Idle,
    /// Another connection took this seat; the host closes this one.
    Replaced,
    /// An instructor's message from a connection without the instructor's role.
    NotInstructor,
    /// A broadcast that is empty, longer than [`MAX_BROADCAST`] or holds control characters.
    BadBroadcast,
    /// No table has this number.
    UnknownTable,
    /// A student is connected to that seat; only an empty seat is handed over.
    SeatOccupied,
    /// The match at that table is over.
    MatchOver,
    /// The rules refused an instructor's steer.
    Steer(SteerError),
    /// The session's files could not be written.
    ExportFailed(String),
}

/// What a client's text frame turned out to be.
pub type Parsed = Result<Envelope<ClientMsg>, (u64, Reason)>;

/// Read a client's text frame, telling a malformed envelope from an unknown kind and a body
/// that does not fit its kind. The refused message's seq comes with the reason when it could
/// be read.
pub fn parse_client(text: &str) -> Parsed {
    if text.len() > MAX_FRAME {
        return Err((0, Reason::TooLarge));
    }
    let raw: Envelope<serde_json::Value> =
        serde_json::from_str(text).map_err(|_| (0, Reason::Malformed))?;
    if raw.v != PROTOCOL_VERSION {
        return Err((
            raw.seq,
            Reason::WrongVersion {
                expected: PROTOCOL_VERSION,
            },
        ));
    }
    let kind = raw.body.get("kind").and_then(|k| k.as_str());
    match kind {
        Some(k) if ClientMsg::KINDS.contains(&k) => {}
        Some(_) => return Err((raw.seq, Reason::UnknownKind)),
        None => return Err((raw.seq, Reason::Malformed)),
    }
    let body = serde_json::from_value(raw.body).map_err(|_| (raw.seq, Reason::Malformed))?;
    Ok(Envelope {
        v: raw.v,
        level: raw.level,
        seq: raw.seq,
        body,
    })
}
