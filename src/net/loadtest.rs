//! `detente loadtest`: a real host, started as a child process on the loopback address, and two
//! scripted students per table playing whole matches through it. Each student decides with a
//! counterpart on nothing but what its own client receives (its `SideView` and the
//! `PublicLevel` of its `Welcome`), and waits for the answer to each move before the next.
//!
//! Measured: the round trip of every move (sending `Act` to receiving its `View` or `Refused`),
//! the host's CPU time and peak memory from `/proc` (Linux), moves the host never answered or
//! lost, and seats whose last view is not the one the match's record gives.

use super::archive::Archive;
use super::protocol::{ClientMsg, Envelope, Reason, ServerMsg};
use crate::ai::{Counterpart, Negotiator};
use crate::sim::rng::Rng;
use crate::sim::{Action, Logged, Match, MatchRecord, PublicLevel, Scenario, Side, SideView};
use crate::table::{fallback, level_counterpart};
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::time::Instant as TokioInstant;
use tokio_tungstenite::connect_async_with_config;
use tokio_tungstenite::tungstenite::Message;

/// Longest wait for the answer to one move before it counts as lost.
const ANSWER_WAIT: Duration = Duration::from_secs(30);
/// Longest wait for the host to start and say where it listens.
const START_WAIT: Duration = Duration::from_secs(60);
/// After the time limit, how long a move already sent may still take to be answered.
const GRACE: Duration = Duration::from_secs(5);
/// Linux reports CPU time in `/proc` in ticks of 1/100 s on every architecture it runs on
/// (`USER_HZ`, fixed by the kernel's interface, whatever the kernel's own tick).
const TICKS_PER_SECOND: f64 = 100.0;

/// What to run.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// The `detente` executable the host is started from.
    pub host_exe: PathBuf,
    /// Level files, dealt to the tables in turn as the host deals them.
    pub levels: Vec<PathBuf>,
    pub tables: u32,
    /// Seed of the host's table 1, and of the students' counterparts.
    pub seed: u64,
    /// The whole run stops after this long, matches finished or not.
    pub max_seconds: f64,
    /// A student's mean pause before each move (0: as soon as the answer is in).
    pub think: Duration,
}

/// What was measured.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadReport {
    pub tables: u32,
    pub clients: u32,
    pub matches_finished: u32,
    /// Moves sent and answered.
    pub actions: u64,
    /// Of them, refused by the rules (a counterpart's move on a view already out of date, then
    /// its fallback).
    pub refused: u64,
    pub rtt_ms_p50: f64,
    pub rtt_ms_p99: f64,
    pub rtt_ms_max: f64,
    /// The host's CPU time (user and system, every thread) over the wall time of play, as a
    /// percentage of one core; `None` where `/proc` cannot be read.
    pub host_cpu_percent: Option<f64>,
    /// The host's CPU time per move, in µs: what the percentage comes to whatever the pace.
    pub host_cpu_us_per_action: Option<f64>,
    /// The students' process (this one) likewise: the load it takes to make the load.
    pub clients_cpu_percent: Option<f64>,
    /// How long the host's threads were ready to run but waited for a core, as a percentage
    /// of the wall time (summed over threads): high when other programs share the cores, and
    /// then the round trips say more about them than about the host.
    pub host_waited_percent: Option<f64>,
    /// The same for the students' process.
    pub clients_waited_percent: Option<f64>,
    /// The host's peak resident memory (`VmHWM`) in MB.
    pub host_rss_mb: Option<f64>,
    /// Moves sent that got no answer, and accepted moves missing from the match's record or
    /// from the archive read after the host was killed.
    pub lost: u64,
    /// Finished seats whose last view or log differs from the one the record gives.
    pub desyncs: u64,
    /// Wall time of play, from the first connection to the last match's end.
    pub seconds: f64,
    pub actions_per_second: f64,
    /// What the host sent the students, in kB per move.
    pub kb_per_action: f64,
    pub think_ms: u64,
    /// Anything unexpected, the first few of them.
    pub errors: Vec<String>,
}

impl LoadReport {
    /// Nothing lost, nobody out of step, nothing unexpected.
    pub fn sound(&self) -> bool {
        self.lost == 0 && self.desyncs == 0 && self.errors.is_empty()
    }
}

/// The host's `--announce-json` line, the parts used here.
#[derive(Debug, serde::Deserialize)]
struct Announced {
    addr: String,
    seats: Vec<AnnouncedSeat>,
    #[serde(default)]
    instructor: String,
}

#[derive(Debug, serde::Deserialize)]
struct AnnouncedSeat {
    table: u32,
    side: Side,
    code: String,
}

/// The host process, killed when dropped so an interrupted run leaves none behind.
struct HostProcess {
    child: Child,
    db: PathBuf,
    /// The host's standard error, gathered in a thread, for the report when it fails.
    stderr: Arc<std::sync::Mutex<Vec<String>>>,
}

impl HostProcess {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn last_words(&self) -> String {
        let lines = self.stderr.lock().map(|l| l.clone()).unwrap_or_default();
        lines[lines.len().saturating_sub(10)..].join("\n")
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.db.display()));
        }
    }
}

fn temp_db() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "detente-loadtest-{}-{nanos}.sqlite",
        std::process::id()
    ))
}

/// Start the host and read its announcement.
fn start_host(cfg: &LoadConfig) -> Result<(HostProcess, Announced), String> {
    let db = temp_db();
    let mut cmd = Command::new(&cfg.host_exe);
    cmd.arg("host")
        .arg("--headless")
        .args(["--bind", "127.0.0.1", "--port", "0", "--announce-json"])
        .arg("--db")
        .arg(&db)
        .args(["--tables", &cfg.tables.to_string()])
        .args(["--seed", &cfg.seed.to_string()])
        // Students here wait for each answer; the rate limit is for people's clients.
        .args(["--rate-burst", "1000000", "--rate-per-second", "1000000"]);
    for l in &cfg.levels {
        cmd.arg("--level").arg(l);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", cfg.host_exe.display()))?;
    let stderr = Arc::new(std::sync::Mutex::new(Vec::new()));
    if let Some(err) = child.stderr.take() {
        let keep = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Ok(mut l) = keep.lock() {
                    // The last lines are what tells why a host stopped.
                    if l.len() > 1000 {
                        l.drain(..500);
                    }
                    l.push(line);
                }
            }
        });
    }
    let out = child.stdout.take();
    let host = HostProcess { child, db, stderr };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        if let Some(out) = out {
            let mut r = BufReader::new(out);
            let _ = r.read_line(&mut line);
            let _ = tx.send(line);
            // Keep reading so the host never blocks on a full pipe.
            let _ = std::io::copy(&mut r, &mut std::io::sink());
        }
    });
    let line = rx
        .recv_timeout(START_WAIT)
        .map_err(|_| format!("the host did not start: {}", host.last_words()))?;
    let announced: Announced = serde_json::from_str(line.trim()).map_err(|e| {
        format!(
            "the host's announcement {line:?} does not read ({e}): {}",
            host.last_words()
        )
    })?;
    Ok((host, announced))
}

/// (utime + stime) in seconds, from `/proc/<pid>/stat` (`/proc/self/stat` for `None`).
fn cpu_seconds(pid: Option<u32>) -> Option<f64> {
    let who = pid.map_or("self".to_string(), |p| p.to_string());
    let stat = std::fs::read_to_string(format!("/proc/{who}/stat")).ok()?;
    // The command name may hold spaces; the fields after it are fixed.
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS_PER_SECOND)
}

/// Time the process's threads waited on a run queue, in seconds: the second field of each
/// `/proc/<pid>/task/<tid>/schedstat` (threads that ended before the reading are missed).
fn waited_seconds(pid: Option<u32>) -> Option<f64> {
    let who = pid.map_or("self".to_string(), |p| p.to_string());
    let tasks = std::fs::read_dir(format!("/proc/{who}/task")).ok()?;
    let mut ns = 0u64;
    for t in tasks.flatten() {
        let stat = std::fs::read_to_string(t.path().join("schedstat")).ok()?;
        ns += stat.split_whitespace().nth(1)?.parse::<u64>().ok()?;
    }
    Some(ns as f64 / 1e9)
}

/// A `kB` line of `/proc/<pid>/status`, in MB.
fn status_mb(pid: u32, key: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// One scripted student's run.
#[derive(Default)]
struct Seat {
    table: u32,
    side: Option<Side>,
    level_hash: String,
    rtts: Vec<Duration>,
    accepted: Vec<Action>,
    refused: u64,
    unanswered: u64,
    errors: Vec<String>,
    view: Option<SideView>,
    log: Vec<Logged>,
    record: Option<MatchRecord>,
    /// Bytes of text the host sent this seat.
    heard: u64,
}

/// A move sent and not yet answered.
struct InFlight {
    seq: u64,
    sent: Instant,
    action: Action,
}

/// Play one seat to the match's end or the deadline.
async fn student(url: String, code: String, seed: u64, think: Duration, deadline: Instant) -> Seat {
    let mut seat = Seat::default();
    // Without Nagle's algorithm, as a client of a turn-by-turn protocol should: a frame
    // written in two parts would otherwise wait for the host's delayed acknowledgement.
    let connect = connect_async_with_config(url, None, true);
    let ws = match tokio::time::timeout(ANSWER_WAIT, connect).await {
        Ok(Ok((ws, _))) => ws,
        Ok(Err(e)) => {
            seat.errors.push(format!("cannot connect: {e}"));
            return seat;
        }
        Err(_) => {
            seat.errors.push("cannot connect in time".into());
            return seat;
        }
    };
    let (mut tx, mut rx) = ws.split();
    let mut seq = 0u64;
    let mut level = String::new();
    let mut send = async |level: &str, body: ClientMsg, seq: &mut u64| {
        *seq += 1;
        let env = Envelope::new(level, *seq, body);
        let text = serde_json::to_string(&env).unwrap_or_default();
        tx.send(Message::text(text)).await.is_ok()
    };
    if !send(&level, ClientMsg::Join { code }, &mut seq).await {
        seat.errors.push("cannot send the join".into());
        return seat;
    }
    let mut jitter = Rng::new(seed);
    let mut public: Option<Arc<PublicLevel>> = None;
    let mut me: Option<Counterpart> = None;
    let mut in_flight: Option<InFlight> = None;
    // When a student who has been asked to move will have thought long enough.
    let mut ready_at: Option<Instant> = None;
    let (mut started, mut held, mut use_fallback, mut stale) = (false, false, false, false);
    loop {
        let now = Instant::now();
        let over = seat.record.is_some() || now >= deadline;
        if over && in_flight.is_none() {
            break;
        }
        // Move when the seat is asked to and its last move has been answered, after a pause
        // to think if asked for one (reading what arrives meanwhile).
        let asked = seat.view.as_ref().is_some_and(|v| !v.needs.is_empty());
        if !over && in_flight.is_none() && started && !held && !stale && asked {
            let at = *ready_at.get_or_insert_with(|| now + think.mul_f32(0.5 + jitter.unit()));
            if let (true, Some(view), Some(public), Some(me)) =
                (now >= at, &seat.view, &public, &mut me)
            {
                ready_at = None;
                let action = if use_fallback {
                    fallback(view)
                } else {
                    me.decide(view, public).action
                };
                let table = seat.table;
                let sent = Instant::now();
                let body = ClientMsg::Act {
                    table,
                    action: action.clone(),
                };
                if !send(&level, body, &mut seq).await {
                    seat.errors.push("the connection closed".into());
                    break;
                }
                in_flight = Some(InFlight { seq, sent, action });
            }
        }
        let wait_until = match &in_flight {
            Some(f) if over => (f.sent + ANSWER_WAIT).min(deadline.max(now) + GRACE),
            Some(f) => f.sent + ANSWER_WAIT,
            None => ready_at.map_or(deadline, |at| at.min(deadline)),
        };
        let frame = tokio::time::timeout_at(TokioInstant::from_std(wait_until), rx.next()).await;
        let arrived = Instant::now();
        let text = match frame {
            Err(_) => {
                if in_flight.take().is_some() {
                    seat.unanswered += 1;
                    seat.errors
                        .push(format!("table {}: a move was not answered", seat.table));
                }
                continue;
            }
            Ok(Some(Ok(Message::Text(t)))) => {
                seat.heard += t.len() as u64;
                t
            }
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => {
                if in_flight.take().is_some() {
                    seat.unanswered += 1;
                }
                if seat.record.is_none() && Instant::now() < deadline {
                    seat.errors.push(format!(
                        "table {}: the host closed the connection",
                        seat.table
                    ));
                }
                break;
            }
            Ok(Some(Ok(_))) => continue,
        };
        let env: Envelope<ServerMsg> = match serde_json::from_str(text.as_str()) {
            Ok(e) => e,
            Err(e) => {
                seat.errors.push(format!("unreadable message: {e}"));
                continue;
            }
        };
        match env.body {
            ServerMsg::Welcome {
                side,
                table,
                level: l,
                ..
            } => {
                seat.side = Some(side);
                seat.table = table;
                seat.level_hash = env.level.clone();
                level = env.level;
                me = Some(level_counterpart(&l, side, seed));
                public = Some(l);
            }
            ServerMsg::Lobby { waiting_for } => started = waiting_for.is_empty(),
            ServerMsg::View {
                view,
                log,
                log_from,
                last_act,
            } => {
                seat.view = Some(*view);
                if log_from != seat.log.len() as u64 {
                    seat.errors.push(format!(
                        "table {}: the log went on from entry {log_from}, not {}",
                        seat.table,
                        seat.log.len()
                    ));
                    seat.log.truncate(log_from as usize);
                }
                seat.log.extend(log);
                stale = false;
                if let Some(f) = in_flight.take_if(|f| last_act >= f.seq) {
                    seat.rtts.push(arrived - f.sent);
                    seat.accepted.push(f.action);
                    use_fallback = false;
                }
            }
            ServerMsg::Refused { to, reason } => {
                let Some(f) = in_flight.take_if(|f| f.seq == to) else {
                    seat.errors.push(format!("refused out of turn: {reason:?}"));
                    continue;
                };
                seat.rtts.push(arrived - f.sent);
                match reason {
                    Reason::Rules(_) => {
                        seat.refused += 1;
                        // The counterpart's move, then the fallback; after that the view
                        // itself is out of date, and the news is on its way.
                        stale = use_fallback;
                        use_fallback = !use_fallback;
                    }
                    Reason::HeldByCounterpart => held = true,
                    r => seat
                        .errors
                        .push(format!("table {}: refused {r:?}", seat.table)),
                }
            }
            ServerMsg::Ended { record, .. } => seat.record = Some(record),
            // A student's client hears the clock too; instructors' replies never reach one.
            ServerMsg::Class { .. }
            | ServerMsg::Notice { .. }
            | ServerMsg::Clock { .. }
            | ServerMsg::Steered { .. }
            | ServerMsg::Watched { .. }
            | ServerMsg::Summary { .. }
            | ServerMsg::Exported { .. }
            | ServerMsg::Pong => {}
        }
    }
    seat
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// Whether a finished seat's last view and log are the ones its record gives.
fn in_step(seat: &Seat, level: &Arc<Scenario>, record: &MatchRecord) -> bool {
    let (Some(side), Some(view)) = (seat.side, &seat.view) else {
        return false;
    };
    match Match::replay(level.clone(), record) {
        Ok(m) => m.view(side) == *view && m.log_for(side).eq(seat.log.iter()),
        Err(_) => false,
    }
}

/// Run the load test. `Err` when it could not run at all (no host, no level).
pub fn run(cfg: &LoadConfig) -> Result<LoadReport, String> {
    let mut levels: HashMap<String, Arc<Scenario>> = HashMap::new();
    for p in &cfg.levels {
        let l = crate::level::load(p).map_err(|e| e.to_string())?;
        levels.insert(l.content_hash(), Arc::new(l));
    }
    let (host, announced) = start_host(cfg)?;
    // So an instructor's console can watch the run: `detente console ADDR CODE`.
    eprintln!(
        "detente loadtest: host at {} (instructor code {})",
        announced.addr, announced.instructor
    );
    let pid = host.pid();
    let url = format!("ws://{}/ws", announced.addr);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the clients: {e}"))?;
    let cpu_before = cpu_seconds(Some(pid)).zip(cpu_seconds(None));
    let waited_before = waited_seconds(Some(pid)).zip(waited_seconds(None));
    let began = Instant::now();
    let deadline = began + Duration::from_secs_f64(cfg.max_seconds.max(0.0));
    let seats: Vec<Seat> = rt.block_on(async {
        let tasks: Vec<_> = announced
            .seats
            .iter()
            .map(|s| {
                let seed = cfg
                    .seed
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .wrapping_add(u64::from(s.table) * 2 + s.side.idx() as u64);
                tokio::spawn(student(
                    url.clone(),
                    s.code.clone(),
                    seed,
                    cfg.think,
                    deadline,
                ))
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap_or_default());
        }
        out
    });
    let seconds = began.elapsed().as_secs_f64();
    let percent = |a: f64, b: f64| (b - a) / seconds * 100.0;
    let cpu_after = cpu_seconds(Some(pid)).zip(cpu_seconds(None));
    let (cpu, clients_cpu) = match cpu_before.zip(cpu_after) {
        Some(((h0, c0), (h1, c1))) => (Some(percent(h0, h1)), Some(percent(c0, c1))),
        None => (None, None),
    };
    let rss = status_mb(pid, "VmHWM:");
    let (waited, clients_waited) =
        match waited_before.zip(waited_seconds(Some(pid)).zip(waited_seconds(None))) {
            Some(((h0, c0), (h1, c1))) => (Some(percent(h0, h1)), Some(percent(c0, c1))),
            None => (None, None),
        };
    let mut report = LoadReport {
        tables: cfg.tables,
        clients: announced.seats.len() as u32,
        host_cpu_percent: cpu,
        clients_cpu_percent: clients_cpu,
        host_waited_percent: waited,
        clients_waited_percent: clients_waited,
        host_rss_mb: rss,
        seconds,
        think_ms: cfg.think.as_millis() as u64,
        ..LoadReport::default()
    };

    // Kill the host outright: what it acknowledged must be in the archive all the same.
    let mut host = host;
    let _ = host.child.kill();
    let _ = host.child.wait();
    let archived: HashMap<u32, Vec<Action>> = Archive::open(&host.db)
        .and_then(|a| a.latest_session())
        .map_err(|e| format!("cannot read the archive after the run: {e}"))?
        .map(|s| {
            s.tables
                .into_iter()
                .map(|t| (t.number, t.actions.into_iter().map(|(a, _)| a).collect()))
                .collect()
        })
        .unwrap_or_default();

    let mut rtts = Vec::new();
    let mut heard = 0;
    let mut finished_tables = std::collections::BTreeSet::new();
    for seat in &seats {
        rtts.extend_from_slice(&seat.rtts);
        heard += seat.heard;
        report.actions += seat.rtts.len() as u64;
        report.refused += seat.refused;
        report.lost += seat.unanswered;
        report.errors.extend(seat.errors.iter().cloned());
        let Some(side) = seat.side else { continue };
        let kept = archived.get(&seat.table).cloned().unwrap_or_default();
        // The seat's accepted moves open its part of the archived match (a counterpart may
        // have played the side on after a leader's fall).
        let ours: Vec<&Action> = kept.iter().filter(|a| a.side() == side).collect();
        let matched = seat
            .accepted
            .iter()
            .zip(&ours)
            .take_while(|(a, b)| a == *b)
            .count();
        report.lost += (seat.accepted.len() - matched) as u64;
        if let Some(record) = &seat.record {
            finished_tables.insert(seat.table);
            if record.actions != kept {
                report.lost += record.actions.len().saturating_sub(kept.len()).max(1) as u64;
                report.errors.push(format!(
                    "table {}: the archive differs from the record",
                    seat.table
                ));
            }
            match levels.get(&seat.level_hash) {
                Some(level) if in_step(seat, level, record) => {}
                Some(_) => report.desyncs += 1,
                None => report
                    .errors
                    .push(format!("table {}: a level not given here", seat.table)),
            }
        }
    }
    report.matches_finished = finished_tables.len() as u32;
    rtts.sort_unstable();
    report.rtt_ms_p50 = percentile(&rtts, 0.50);
    report.rtt_ms_p99 = percentile(&rtts, 0.99);
    report.rtt_ms_max = percentile(&rtts, 1.0);
    report.actions_per_second = report.actions as f64 / seconds.max(1e-9);
    report.host_cpu_us_per_action = report
        .host_cpu_percent
        .map(|p| p / 100.0 * seconds * 1e6 / (report.actions as f64).max(1.0));
    report.kb_per_action = heard as f64 / 1000.0 / (report.actions as f64).max(1.0);
    report.errors.truncate(20);
    Ok(report)
}

/// The report for people.
pub fn describe(r: &LoadReport) -> String {
    let or_na = |x: Option<f64>, unit: &str| match x {
        Some(v) => format!("{v:.1}{unit}"),
        None => "n/a".into(),
    };
    let mut s = format!(
        "{} tables, {} clients: {} of {} matches finished in {:.2} s{}\n\
         {} moves ({:.0}/s, {} refused by the rules, {:.1} kB sent per move), \
         round trip p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms\n\
         host: {} of one core ({} per move), peak memory {}; \
         waited for a core {} of the time (students: {} CPU, {} waiting)\n\
         lost: {}, out of step: {}\n",
        r.tables,
        r.clients,
        r.matches_finished,
        r.tables,
        r.seconds,
        if r.think_ms > 0 {
            format!(", students thinking {} ms a move on average", r.think_ms)
        } else {
            String::new()
        },
        r.actions,
        r.actions_per_second,
        r.refused,
        r.kb_per_action,
        r.rtt_ms_p50,
        r.rtt_ms_p99,
        r.rtt_ms_max,
        or_na(r.host_cpu_percent, "%"),
        or_na(r.host_cpu_us_per_action, " µs"),
        or_na(r.host_rss_mb, " MB"),
        or_na(r.host_waited_percent, "%"),
        or_na(r.clients_cpu_percent, "%"),
        or_na(r.clients_waited_percent, "%"),
        r.lost,
        r.desyncs,
    );
    for e in &r.errors {
        s.push_str(&format!("  {e}\n"));
    }
    s
}
