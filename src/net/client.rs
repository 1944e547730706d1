//! A student's end of a class: one seat's connection to the host, kept alive across drops.
//!
//! Bevy-free and non-blocking: the socket lives on `ewebsock`'s own thread, and the owner calls
//! [`Client::poll`] whenever it likes (the window does so every frame it draws, and the
//! connection wakes the window when a message arrives). What the client holds is exactly what
//! its seat was sent: its own view, its own log, the public level, and the whole record only
//! once the match is over.

use super::protocol::{ClientMsg, Envelope, PROTOCOL_VERSION, Reason, ServerMsg, TableStatus};
use crate::sim::{Action, Logged, MatchRecord, PublicLevel, Scenario, Side, SideView};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The port `detente host` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7878;

/// A connection says something at least this often, so the host's idle timeout never closes a
/// student who is only reading.
pub const KEEPALIVE: Duration = Duration::from_secs(30);

/// How long the socket thread waits for the host before it looks for something to send.
pub const SEND_POLL: Duration = Duration::from_millis(50);

/// The first wait before reconnecting; each failed attempt doubles it up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// The longest wait between two attempts to reconnect.
pub const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// The WebSocket address for what a student typed: `192.168.1.20`, `host:7878`, `http://host`
/// or a full `ws://host:7878/ws` all name the same host's socket.
pub fn socket_url(typed: &str) -> Result<String, String> {
    let t = typed.trim();
    if t.is_empty() {
        return Err("Type the address the instructor gave you, e.g. 192.168.1.20:7878.".into());
    }
    if t.chars().any(char::is_whitespace) {
        return Err(format!("\"{t}\" is not an address: it has a space in it."));
    }
    let (scheme, rest) = match t.split_once("://") {
        Some(("ws" | "http", rest)) => ("ws", rest),
        Some(("wss" | "https", rest)) => ("wss", rest),
        Some((other, _)) => {
            return Err(format!(
                "\"{other}://\" is not a class address; use the address the host printed."
            ));
        }
        None => ("ws", t),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err("The address has no computer name or number in it.".into());
    }
    let has_port = match authority.rsplit_once(':') {
        // An IPv6 address in brackets has colons of its own.
        Some((host, port)) if !port.contains(']') => {
            if host.is_empty() || port.parse::<u16>().is_err() {
                return Err(format!(
                    "\"{authority}\": the port must be a number up to 65535."
                ));
            }
            true
        }
        _ => false,
    };
    let authority = if has_port {
        authority.to_string()
    } else {
        format!("{authority}:{DEFAULT_PORT}")
    };
    let path = if path.is_empty() || path == "/" {
        "/ws"
    } else {
        path
    };
    Ok(format!("{scheme}://{authority}{path}"))
}

/// Where the connection stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Opening the socket (the first time, or again after a drop).
    Connecting,
    /// Connected; the seat is asked for.
    Joining,
    /// The seat is ours and the table plays (or waits for the other seat: see
    /// [`Client::waiting_for`]).
    Seated,
    /// The connection dropped; the next attempt is due at `at`.
    Reconnecting { attempt: u32, at: Instant },
    /// The host will not seat us, and asking again would not change that.
    Failed(Failure),
}

/// Why a client stopped trying.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The address could not be used at all.
    Address(String),
    /// No seat has this code.
    UnknownCode,
    /// The code's seat is someone else's now.
    SeatTaken,
    /// The host speaks another protocol version (a different release of the game).
    Version { host: u32 },
    /// The seat was taken up by another window with the same token.
    Replaced,
    /// The computer plays this seat now (the instructor handed it over).
    HeldByCounterpart,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Address(e) => f.write_str(e),
            Failure::UnknownCode => {
                f.write_str("No seat has that code. Check it with your instructor.")
            }
            Failure::SeatTaken => f.write_str(
                "Someone already sits in that seat. If it was you on another computer, ask your instructor for help.",
            ),
            Failure::Version { host } => write!(
                f,
                "The class runs another version of Détente (protocol {host}, this game speaks {PROTOCOL_VERSION})."
            ),
            Failure::Replaced => f.write_str(
                "This seat was opened in another window, which plays it now.",
            ),
            Failure::HeldByCounterpart => {
                f.write_str("The computer plays this seat now; your instructor handed it over.")
            }
        }
    }
}

/// The seat the host gave us.
#[derive(Debug, Clone)]
pub struct Seat {
    pub side: Side,
    pub table: u32,
    pub level: Arc<PublicLevel>,
    /// The level's content hash, as every message for this table carries it.
    pub hash: String,
}

/// The table an instructor follows, as the host last showed it.
#[derive(Debug, Clone)]
pub struct Watched {
    pub table: u32,
    /// Side A's private view, then B's.
    pub views: Box<[SideView; 2]>,
    /// The whole log, both sides' and the hidden breaches.
    pub log: Vec<Logged>,
    /// The counterparts' last reasons (`None` for a student's seat).
    pub reasons: [Option<String>; 2],
    pub seats: [crate::net::protocol::SeatStatus; 2],
    /// The round's clock: seconds left when it was sent, and when that was.
    pub clock: Option<(u32, Instant)>,
    pub level: Option<Arc<PublicLevel>>,
    /// Once over: the whole match, for its debrief.
    pub revealed: Option<Revealed>,
}

/// What the host answered an instructor's request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Steered {
        applied: Vec<u32>,
        refused: Vec<(u32, crate::sim::SteerError)>,
    },
    Exported {
        dir: String,
        files: u32,
        skipped: Vec<String>,
    },
    Refused(Reason),
}

/// The round's clock as the host last told it, read at a given instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockShown {
    /// Time left for this round's talks, if a timer runs.
    pub left: Option<Duration>,
    pub paused: bool,
}

/// What is left at `now` of a clock that had `secs` seconds left at `at` (all of it, paused).
pub fn left_at(secs: u32, at: Instant, paused: bool, now: Instant) -> Duration {
    let left = Duration::from_secs(secs.into());
    if paused {
        left
    } else {
        left.saturating_sub(now.duration_since(at))
    }
}

/// The end of the match as the host revealed it: every move and the whole level.
#[derive(Debug, Clone)]
pub struct Revealed {
    pub record: MatchRecord,
    pub scenario: Arc<Scenario>,
}

type Wake = Arc<dyn Fn() + Send + Sync>;

struct Socket {
    tx: ewebsock::WsSender,
    /// Behind a mutex only so the client can be shared (a Bevy resource must be `Sync`); the
    /// client alone reads it, through `&mut`, so it is never locked.
    rx: std::sync::Mutex<ewebsock::WsReceiver>,
}

/// One seat's connection to a class host.
pub struct Client {
    url: String,
    code: String,
    token: Option<String>,
    socket: Option<Socket>,
    seq: u64,
    status: Status,
    attempt: u32,
    last_sent: Instant,
    wake: Wake,
    seat: Option<Seat>,
    waiting_for: Vec<Side>,
    view: Option<SideView>,
    log: Vec<Logged>,
    revealed: Option<Revealed>,
    refusals: Vec<Reason>,
    /// With the instructor's code: every table of the class, as the host last told it.
    class: Option<Vec<TableStatus>>,
    /// Messages from the instructor not yet shown.
    notices: Vec<String>,
    /// The round's clock: seconds left and paused, as told at that instant.
    clock: Option<(Option<u32>, bool, Instant)>,
    /// The instructor's: the table followed, and what the host showed of it.
    watching: Option<u32>,
    watched: Option<Watched>,
    summary: Option<crate::report::class::Summary>,
    replies: Vec<Reply>,
}

impl Client {
    /// Start joining the class at `address` with the join `code`; with the `token` a former
    /// join was given, the same seat is taken back instead. `wake` is called from the socket's
    /// thread whenever something arrives (the window uses it to draw a frame).
    pub fn join(
        address: &str,
        code: &str,
        token: Option<String>,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Client {
        let mut c = Client::blank(code, token, Arc::new(wake));
        match socket_url(address) {
            Ok(url) => {
                c.url = url;
                c.open(Instant::now());
            }
            Err(e) => c.status = Status::Failed(Failure::Address(e)),
        }
        c
    }

    fn blank(code: &str, token: Option<String>, wake: Wake) -> Client {
        Client {
            url: String::new(),
            code: code.trim().to_uppercase(),
            token,
            socket: None,
            seq: 0,
            status: Status::Connecting,
            attempt: 0,
            last_sent: Instant::now(),
            wake,
            seat: None,
            waiting_for: Vec::new(),
            view: None,
            log: Vec::new(),
            revealed: None,
            refusals: Vec::new(),
            class: None,
            notices: Vec::new(),
            clock: None,
            watching: None,
            watched: None,
            summary: None,
            replies: Vec::new(),
        }
    }

    /// A client that never connects and shows what `msgs` say, as if the host had sent them
    /// (a picture of the console for the README, a layout test).
    pub fn offline(msgs: Vec<ServerMsg>) -> Client {
        let mut c = Client::blank("", None, Arc::new(|| {}));
        c.status = Status::Seated;
        let now = Instant::now();
        for m in msgs {
            if let ServerMsg::Watched { table, .. } = &m {
                c.watching = Some(*table);
            }
            c.handle(m, now);
        }
        c
    }

    /// The socket address in use.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The join code this client was started with (upper case).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The secret that takes this seat back; keep it to resume after closing the game.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    /// The seat, once the host gave it.
    pub fn seat(&self) -> Option<&Seat> {
        self.seat.as_ref()
    }

    /// The seats still empty at our table (the match waits for them).
    pub fn waiting_for(&self) -> &[Side] {
        &self.waiting_for
    }

    /// Our seat's latest view.
    pub fn view(&self) -> Option<&SideView> {
        self.view.as_ref()
    }

    /// Our seat's part of the match log.
    pub fn log(&self) -> &[Logged] {
        &self.log
    }

    /// The whole match, once it is over.
    pub fn revealed(&self) -> Option<&Revealed> {
        self.revealed.as_ref()
    }

    /// With the instructor's code: the class's tables (`None` for a student's seat).
    pub fn class(&self) -> Option<&[TableStatus]> {
        self.class.as_deref()
    }

    /// Messages from the instructor since the last call.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Send a short message to every screen of the class (the instructor's connection only).
    pub fn broadcast(&mut self, text: &str) -> bool {
        self.class.is_some()
            && self.send(ClientMsg::Broadcast {
                text: text.to_string(),
            })
    }

    /// Ask the host to hand an empty seat to the computer (the instructor's connection only).
    pub fn take_over(&mut self, table: u32, side: Side) -> bool {
        self.class.is_some() && self.send(ClientMsg::TakeOver { table, side })
    }

    /// The round's clock at our table now: time left and whether the instructor paused it.
    pub fn clock(&self, now: Instant) -> ClockShown {
        match self.clock {
            Some((left, paused, at)) => ClockShown {
                left: left.map(|secs| left_at(secs, at, paused, now)),
                paused,
            },
            None => ClockShown {
                left: None,
                paused: self.view.as_ref().is_some_and(|v| v.paused),
            },
        }
    }

    /// Steer one table, or every table (`None`); the instructor's connection only.
    pub fn steer(&mut self, table: Option<u32>, steer: crate::sim::Steer) -> bool {
        self.class.is_some() && self.send(ClientMsg::Steer { table, steer })
    }

    /// Follow one table with both sides' views, or stop (`None`); the instructor's only.
    pub fn watch(&mut self, table: Option<u32>) -> bool {
        if self.class.is_none() {
            return false;
        }
        self.watching = table;
        if self.watched.as_ref().map(|w| w.table) != table {
            self.watched = None;
        }
        self.send(ClientMsg::Watch { table })
    }

    /// The table followed, as the host last showed it.
    pub fn watched(&self) -> Option<&Watched> {
        self.watched
            .as_ref()
            .filter(|w| Some(w.table) == self.watching)
    }

    /// Ask for the class summary as it stands; it arrives in [`Client::summary`].
    pub fn ask_summary(&mut self) -> bool {
        self.class.is_some() && self.send(ClientMsg::Summary)
    }

    pub fn summary(&self) -> Option<&crate::report::class::Summary> {
        self.summary.as_ref()
    }

    /// Ask the host to write the session's files beside its archive.
    pub fn export(&mut self) -> bool {
        self.class.is_some() && self.send(ClientMsg::Export)
    }

    /// The host's answers to the instructor's requests since the last call.
    pub fn take_replies(&mut self) -> Vec<Reply> {
        std::mem::take(&mut self.replies)
    }

    /// Whether the match can be played now: seated, both seats taken, a view in hand.
    pub fn ready(&self) -> bool {
        self.status == Status::Seated && self.waiting_for.is_empty() && self.view.is_some()
    }

    /// Refusals of our moves since the last call (a rule, the rate limit, ...).
    pub fn take_refusals(&mut self) -> Vec<Reason> {
        std::mem::take(&mut self.refusals)
    }

    /// Send a move for our seat. Without a live connection it is not sent (the view after the
    /// reconnect shows where the match stands), and `false` says so.
    pub fn act(&mut self, action: Action) -> bool {
        let Some(table) = self.seat.as_ref().map(|s| s.table) else {
            return false;
        };
        if self.status != Status::Seated {
            return false;
        }
        self.send(ClientMsg::Act { table, action })
    }

    /// Read what arrived, reconnect when due, and keep the connection alive. Returns whether
    /// anything a screen shows changed.
    pub fn poll(&mut self, now: Instant) -> bool {
        let mut changed = false;
        while let Some(ev) = self.socket.as_mut().and_then(|s| {
            s.rx.get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .try_recv()
        }) {
            changed = true;
            match ev {
                ewebsock::WsEvent::Opened => {
                    self.status = Status::Joining;
                    let body = match &self.token {
                        Some(token) => ClientMsg::Resume {
                            token: token.clone(),
                        },
                        None => ClientMsg::Join {
                            code: self.code.clone(),
                        },
                    };
                    self.send(body);
                }
                ewebsock::WsEvent::Message(ewebsock::WsMessage::Text(text)) => {
                    match serde_json::from_str::<Envelope<ServerMsg>>(&text) {
                        Ok(env) => self.handle(env.body, now),
                        // A message this client cannot read is dropped; the next view corrects
                        // whatever it would have said.
                        Err(e) => log_line(&format!("unreadable message from the host: {e}")),
                    }
                }
                ewebsock::WsEvent::Message(_) => {}
                ewebsock::WsEvent::Error(e) => {
                    log_line(&format!("connection: {e}"));
                    self.dropped(now);
                }
                ewebsock::WsEvent::Closed => self.dropped(now),
            }
        }
        if let Status::Reconnecting { at, .. } = self.status
            && now >= at
        {
            self.open(now);
            changed = true;
        }
        if self.status == Status::Seated && now.duration_since(self.last_sent) >= KEEPALIVE {
            self.send(ClientMsg::Ping);
        }
        changed
    }

    /// When the owner should poll next even if nothing arrives (a reconnect or keep-alive due).
    pub fn next_due(&self) -> Option<Instant> {
        match &self.status {
            Status::Reconnecting { at, .. } => Some(*at),
            Status::Seated => {
                let keepalive = self.last_sent + KEEPALIVE;
                // A round clock that runs is shown to the second.
                let now = Instant::now();
                Some(match self.clock(now).left {
                    Some(_) if !self.clock(now).paused => {
                        keepalive.min(now + Duration::from_secs(1))
                    }
                    _ => keepalive,
                })
            }
            _ => None,
        }
    }

    fn handle(&mut self, msg: ServerMsg, now: Instant) {
        match msg {
            ServerMsg::Welcome {
                token,
                side,
                table,
                last_act,
                level,
            } => {
                let hash = level.hash.clone();
                self.token = Some(token);
                self.seq = self.seq.max(last_act);
                self.seat = Some(Seat {
                    side,
                    table,
                    level,
                    hash,
                });
                self.attempt = 0;
                self.status = Status::Seated;
            }
            ServerMsg::Lobby { waiting_for } => self.waiting_for = waiting_for,
            ServerMsg::View {
                view,
                log,
                log_from,
                ..
            } => {
                // The host sends the whole log after a Welcome, then only what is new.
                let from = log_from as usize;
                if from == 0 || from > self.log.len() {
                    if from > self.log.len() {
                        log_line("the host's log skipped entries; taking what it sent");
                    }
                    self.log = log;
                } else {
                    self.log.truncate(from);
                    self.log.extend(log);
                }
                self.view = Some(*view);
            }
            ServerMsg::Ended { record, scenario } => {
                self.revealed = Some(Revealed { record, scenario });
            }
            ServerMsg::Class { tables } => {
                // The instructor's code took no seat but the class's overview.
                self.class = Some(tables);
                self.attempt = 0;
                if self.status == Status::Joining
                    && let Some(table) = self.watching
                {
                    // A new connection follows nothing until asked again.
                    self.status = Status::Seated;
                    self.send(ClientMsg::Watch { table: Some(table) });
                }
                self.status = Status::Seated;
            }
            ServerMsg::Notice { text } => self.notices.push(text),
            ServerMsg::Clock { left_secs, paused } => {
                self.clock = Some((left_secs, paused, now));
            }
            ServerMsg::Steered { applied, refused } => {
                self.replies.push(Reply::Steered { applied, refused })
            }
            ServerMsg::Exported {
                dir,
                files,
                skipped,
            } => self.replies.push(Reply::Exported {
                dir,
                files,
                skipped,
            }),
            ServerMsg::Summary { summary } => self.summary = Some(summary),
            ServerMsg::Watched {
                table,
                views,
                log,
                reasons,
                seats,
                clock,
                level,
                record,
                scenario,
            } => {
                let level = level.or_else(|| {
                    self.watched
                        .as_ref()
                        .filter(|w| w.table == table)
                        .and_then(|w| w.level.clone())
                });
                self.watched = Some(Watched {
                    table,
                    views,
                    log,
                    reasons,
                    seats,
                    clock: clock.map(|c| (c, now)),
                    level,
                    revealed: record
                        .zip(scenario)
                        .map(|(record, scenario)| Revealed { record, scenario }),
                });
            }
            ServerMsg::Pong => {}
            ServerMsg::Refused { reason, .. } => self.refused(reason, now),
        }
    }

    fn refused(&mut self, reason: Reason, now: Instant) {
        log_line(&format!("the host refused a message: {reason:?}"));
        let fail = |c: &mut Client, f: Failure| {
            c.status = Status::Failed(f);
            c.close();
        };
        match reason {
            // A token from another session (or a wiped archive): ask with the code instead.
            Reason::UnknownToken if self.status == Status::Joining => {
                self.token = None;
                self.send(ClientMsg::Join {
                    code: self.code.clone(),
                });
            }
            Reason::UnknownCode if self.status == Status::Joining => {
                fail(self, Failure::UnknownCode)
            }
            Reason::SeatTaken if self.status == Status::Joining => fail(self, Failure::SeatTaken),
            Reason::WrongVersion { expected } => fail(self, Failure::Version { host: expected }),
            Reason::Replaced => fail(self, Failure::Replaced),
            Reason::HeldByCounterpart => fail(self, Failure::HeldByCounterpart),
            // The host closes an idle connection; come straight back.
            Reason::Idle => self.dropped(now),
            other if self.class.is_some() => self.replies.push(Reply::Refused(other)),
            other => self.refusals.push(other),
        }
    }

    fn open(&mut self, now: Instant) {
        let wake = self.wake.clone();
        match ewebsock::connect_with_wakeup(
            self.url.clone(),
            ewebsock::Options {
                // The socket thread wakes this often to send what is queued: ewebsock's 10 ms
                // cost an idle window about half a percent of a core, and a move that waits
                // at most this long to leave is not felt at a turn-based table.
                read_timeout: Some(SEND_POLL),
                ..Default::default()
            },
            move || wake(),
        ) {
            Ok((tx, rx)) => {
                self.socket = Some(Socket {
                    tx,
                    rx: std::sync::Mutex::new(rx),
                });
                self.status = Status::Connecting;
            }
            Err(e) => {
                log_line(&format!("cannot connect to {}: {e}", self.url));
                self.socket = None;
                self.schedule(now);
            }
        }
    }

    fn dropped(&mut self, now: Instant) {
        self.close();
        if matches!(self.status, Status::Failed(_)) || self.revealed.is_some() {
            return;
        }
        self.schedule(now);
    }

    fn schedule(&mut self, now: Instant) {
        self.attempt += 1;
        self.status = Status::Reconnecting {
            attempt: self.attempt,
            at: now + backoff(self.attempt),
        };
    }

    fn close(&mut self) {
        if let Some(mut s) = self.socket.take() {
            s.tx.close();
        }
    }

    fn send(&mut self, body: ClientMsg) -> bool {
        let Some(socket) = self.socket.as_mut() else {
            return false;
        };
        self.seq += 1;
        let level = self
            .seat
            .as_ref()
            .map(|s| s.hash.clone())
            .unwrap_or_default();
        let text = match serde_json::to_string(&Envelope::new(level, self.seq, body)) {
            Ok(t) => t,
            Err(e) => {
                log_line(&format!("cannot write a message: {e}"));
                return false;
            }
        };
        socket.tx.send(ewebsock::WsMessage::Text(text));
        self.last_sent = Instant::now();
        true
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.close();
    }
}

/// The wait before reconnect attempt `n` (from 1): doubling from [`FIRST_BACKOFF`], capped.
pub fn backoff(attempt: u32) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    FIRST_BACKOFF
        .saturating_mul(1 << doublings)
        .min(MAX_BACKOFF)
}

fn log_line(line: &str) {
    eprintln!("class: {line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_addresses_name_the_hosts_socket() {
        for (typed, url) in [
            ("192.168.1.20", "ws://192.168.1.20:7878/ws"),
            (" 192.168.1.20:9000 ", "ws://192.168.1.20:9000/ws"),
            ("http://class.local", "ws://class.local:7878/ws"),
            ("ws://10.0.0.2:7878/ws", "ws://10.0.0.2:7878/ws"),
            (
                "https://class.example.org/",
                "wss://class.example.org:7878/ws",
            ),
            ("[::1]:7000", "ws://[::1]:7000/ws"),
            ("[::1]", "ws://[::1]:7878/ws"),
        ] {
            assert_eq!(socket_url(typed).as_deref(), Ok(url), "{typed}");
        }
        for bad in [
            "",
            "  ",
            "ftp://x",
            "host:port",
            "host:99999",
            "a b",
            "ws://",
        ] {
            assert!(socket_url(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn backoff_doubles_then_holds() {
        assert_eq!(backoff(1), FIRST_BACKOFF);
        assert_eq!(backoff(2), FIRST_BACKOFF * 2);
        assert!(backoff(3) > backoff(2));
        assert_eq!(backoff(40), MAX_BACKOFF);
        assert!((1..40).all(|n| backoff(n) <= backoff(n + 1)));
    }

    #[test]
    fn a_bad_address_fails_at_once_without_a_socket() {
        let c = Client::join("no such:place", "RIVER-1", None, || {});
        assert!(matches!(c.status(), Status::Failed(Failure::Address(_))));
        assert!(c.next_due().is_none());
    }
}
