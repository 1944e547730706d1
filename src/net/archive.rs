//! The host's archive: one SQLite file of class sessions, their tables, seats and every
//! accepted move, so a class survives a host restart and can be looked at afterwards. The
//! schema is in docs/NETWORK.md.

use crate::sim::{Action, Side};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sessions (
    id          INTEGER PRIMARY KEY,
    started     INTEGER NOT NULL,
    vs_computer INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tables (
    id         INTEGER PRIMARY KEY,
    session    INTEGER NOT NULL REFERENCES sessions(id),
    number     INTEGER NOT NULL,
    level_file TEXT NOT NULL,
    level_id   TEXT NOT NULL,
    level_hash TEXT NOT NULL,
    seed       INTEGER NOT NULL,
    UNIQUE (session, number)
);
CREATE TABLE IF NOT EXISTS seats (
    table_id INTEGER NOT NULL REFERENCES tables(id),
    side     TEXT NOT NULL CHECK (side IN ('A', 'B')),
    code     TEXT,
    token    TEXT UNIQUE,
    claimed  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (table_id, side)
);
CREATE TABLE IF NOT EXISTS actions (
    table_id INTEGER NOT NULL REFERENCES tables(id),
    idx      INTEGER NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('A', 'B')),
    seq      INTEGER,
    action   TEXT NOT NULL,
    at_ms    INTEGER NOT NULL,
    PRIMARY KEY (table_id, idx)
);
CREATE TABLE IF NOT EXISTS instructors (
    session INTEGER PRIMARY KEY REFERENCES sessions(id),
    secret  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notices (
    session INTEGER NOT NULL REFERENCES sessions(id),
    at_ms   INTEGER NOT NULL,
    text    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS handovers (
    table_id INTEGER NOT NULL REFERENCES tables(id),
    side     TEXT NOT NULL CHECK (side IN ('A', 'B')),
    at_idx   INTEGER NOT NULL,
    at_ms    INTEGER NOT NULL,
    PRIMARY KEY (table_id, side)
);
CREATE TABLE IF NOT EXISTS steering (
    table_id INTEGER NOT NULL REFERENCES tables(id),
    n        INTEGER NOT NULL,
    at_idx   INTEGER NOT NULL,
    steer    TEXT NOT NULL,
    at_ms    INTEGER NOT NULL,
    PRIMARY KEY (table_id, n)
);
";

/// Where the archive goes when `--db` is not given: `$XDG_DATA_HOME/detente/classes.sqlite`,
/// or `~/.local/share/detente/classes.sqlite`.
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("detente").join("classes.sqlite")
}

/// A seat as archived. A computer's seat has neither code nor token.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSeat {
    pub side: Side,
    pub code: Option<String>,
    pub token: Option<String>,
    pub claimed: bool,
}

/// A table as archived, with its moves in order.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTable {
    pub id: i64,
    pub number: u32,
    pub level_file: String,
    pub level_id: String,
    pub level_hash: String,
    pub seed: u64,
    pub seats: Vec<StoredSeat>,
    /// Each move with the seq its student sent it with (`None` for the computer's).
    pub actions: Vec<(Action, Option<u64>)>,
    /// Seats the instructor handed to a counterpart, each with how many moves the match had
    /// then.
    pub handed: Vec<(usize, Side)>,
    /// What the instructor did to the match, in order.
    pub steering: Vec<crate::sim::Steered>,
}

impl StoredTable {
    /// The record that replays this table's match.
    pub fn record(&self) -> crate::sim::MatchRecord {
        crate::sim::MatchRecord {
            format: crate::sim::RECORD_FORMAT,
            level: self.level_id.clone(),
            level_hash: Some(self.level_hash.clone()),
            level_file: Some(self.level_file.clone()),
            seed: self.seed,
            actions: self.actions.iter().map(|(a, _)| a.clone()).collect(),
            steering: self.steering.clone(),
        }
    }

    /// Each side's seat token (`None` where the computer plays from the start).
    pub fn tokens(&self) -> [Option<String>; 2] {
        Side::BOTH.map(|side| {
            self.seats
                .iter()
                .find(|s| s.side == side)
                .and_then(|s| s.token.clone())
        })
    }
}

/// A class session as archived.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    pub id: i64,
    pub vs_computer: bool,
    /// The instructor's code (`None` in an archive from before instructors had one).
    pub instructor: Option<String>,
    pub tables: Vec<StoredTable>,
}

/// Why the archive could not be read or written.
#[derive(Debug)]
pub enum ArchiveError {
    Sql(rusqlite::Error),
    Io(std::io::Error),
    /// A stored move or side that does not read back.
    Corrupt(String),
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArchiveError::Sql(e) => write!(f, "archive: {e}"),
            ArchiveError::Io(e) => write!(f, "archive: {e}"),
            ArchiveError::Corrupt(e) => write!(f, "archive: {e}"),
        }
    }
}

impl std::error::Error for ArchiveError {}

impl From<rusqlite::Error> for ArchiveError {
    fn from(e: rusqlite::Error) -> Self {
        ArchiveError::Sql(e)
    }
}

fn side_str(s: Side) -> &'static str {
    match s {
        Side::A => "A",
        Side::B => "B",
    }
}

fn side_of(s: &str) -> Result<Side, ArchiveError> {
    match s {
        "A" => Ok(Side::A),
        "B" => Ok(Side::B),
        _ => Err(ArchiveError::Corrupt(format!("unknown side {s:?}"))),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// An open archive file.
pub struct Archive {
    conn: Connection,
}

impl Archive {
    /// Open or create the archive at `path` (and its folder), in WAL mode so a reader (a report,
    /// a backup) never blocks the host.
    pub fn open(path: &Path) -> Result<Archive, ArchiveError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(ArchiveError::Io)?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Archive { conn })
    }

    /// The journal mode SQLite reports (`wal` once open).
    pub fn journal_mode(&self) -> Result<String, ArchiveError> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }

    pub fn new_session(&self, vs_computer: bool) -> Result<i64, ArchiveError> {
        self.conn.execute(
            "INSERT INTO sessions (started, vs_computer) VALUES (?1, ?2)",
            params![now_ms(), vs_computer],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Archive a new table with its seats, all at once.
    pub fn add_table(&mut self, session: i64, t: &StoredTable) -> Result<i64, ArchiveError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO tables (session, number, level_file, level_id, level_hash, seed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                session,
                t.number,
                t.level_file,
                t.level_id,
                t.level_hash,
                t.seed as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        for s in &t.seats {
            tx.execute(
                "INSERT INTO seats (table_id, side, code, token, claimed) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, side_str(s.side), s.code, s.token, s.claimed],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Keep the session's instructor code, so it stays the same after a restart.
    pub fn set_instructor(&self, session: i64, secret: &str) -> Result<(), ArchiveError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO instructors (session, secret) VALUES (?1, ?2)",
            params![session, secret],
        )?;
        Ok(())
    }

    /// Keep a message the instructor sent to every screen.
    pub fn notice(&self, session: i64, text: &str) -> Result<(), ArchiveError> {
        self.conn.execute(
            "INSERT INTO notices (session, at_ms, text) VALUES (?1, ?2, ?3)",
            params![session, now_ms(), text],
        )?;
        Ok(())
    }

    /// The messages the instructor sent to every screen in a session, oldest first.
    pub fn notices(&self, session: i64) -> Result<Vec<String>, ArchiveError> {
        let mut q = self
            .conn
            .prepare("SELECT text FROM notices WHERE session = ?1 ORDER BY rowid")?;
        let rows = q.query_map([session], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Mark a seat taken: its code opens it no more.
    pub fn claim(&self, table: i64, side: Side) -> Result<(), ArchiveError> {
        self.conn.execute(
            "UPDATE seats SET claimed = 1 WHERE table_id = ?1 AND side = ?2",
            params![table, side_str(side)],
        )?;
        Ok(())
    }

    /// Append moves `first..` of a table in one transaction: all of them or none.
    pub fn append(
        &mut self,
        table: i64,
        first: usize,
        actions: &[(Action, Option<u64>)],
    ) -> Result<(), ArchiveError> {
        let tx = self.conn.transaction()?;
        insert_actions(&tx, table, first, actions)?;
        tx.commit()?;
        Ok(())
    }

    /// Record that `side`'s seat passed to a counterpart when the table had `first` moves, with
    /// the moves the counterpart made at once, in one transaction.
    pub fn hand_over(
        &mut self,
        table: i64,
        side: Side,
        first: usize,
        actions: &[(Action, Option<u64>)],
    ) -> Result<(), ArchiveError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO handovers (table_id, side, at_idx, at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![table, side_str(side), first as i64, now_ms()],
        )?;
        insert_actions(&tx, table, first, actions)?;
        tx.commit()?;
        Ok(())
    }

    /// Record the instructor's `n`th steer of a table, with the moves counterparts made at once
    /// after it (from move `first` on), in one transaction.
    pub fn steer(
        &mut self,
        table: i64,
        n: usize,
        steer: &crate::sim::Steered,
        actions: &[(Action, Option<u64>)],
    ) -> Result<(), ArchiveError> {
        let tx = self.conn.transaction()?;
        let json = serde_json::to_string(&steer.steer)
            .map_err(|e| ArchiveError::Corrupt(format!("steer: {e}")))?;
        tx.execute(
            "INSERT INTO steering (table_id, n, at_idx, steer, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![table, n as i64, steer.at as i64, json, now_ms()],
        )?;
        insert_actions(&tx, table, steer.at, actions)?;
        tx.commit()?;
        Ok(())
    }

    /// The latest session, with its tables, seats and moves.
    pub fn latest_session(&self) -> Result<Option<StoredSession>, ArchiveError> {
        match self.latest_session_id()? {
            Some(id) => self.session(id),
            None => Ok(None),
        }
    }
}

/// A session as `detente sessions` lists it, before its tables are replayed.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub id: i64,
    /// When it began, unix milliseconds.
    pub started_ms: i64,
    pub vs_computer: bool,
    pub tables: u32,
}

// Read-only queries for reports and exports: they never write, so they can run beside a host.
impl Archive {
    /// Open an archive that must exist already: a report on a mistyped path should say so
    /// rather than create an empty archive there.
    pub fn open_existing(path: &Path) -> Result<Archive, ArchiveError> {
        if !path.is_file() {
            return Err(ArchiveError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no archive at {}", path.display()),
            )));
        }
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Archive { conn })
    }

    /// Every session, oldest first, with its number of tables.
    pub fn sessions(&self) -> Result<Vec<SessionInfo>, ArchiveError> {
        let mut q = self.conn.prepare(
            "SELECT s.id, s.started, s.vs_computer, COUNT(t.id) FROM sessions s
             LEFT JOIN tables t ON t.session = s.id GROUP BY s.id ORDER BY s.id",
        )?;
        let rows = q.query_map([], |r| {
            Ok(SessionInfo {
                id: r.get(0)?,
                started_ms: r.get(1)?,
                vs_computer: r.get(2)?,
                tables: r.get::<_, i64>(3)? as u32,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The id of the latest session, if any.
    pub fn latest_session_id(&self) -> Result<Option<i64>, ArchiveError> {
        Ok(self
            .conn
            .query_row("SELECT MAX(id) FROM sessions", [], |r| r.get(0))?)
    }

    /// One session, with its tables, seats, moves and handovers; `None` when there is no
    /// such session.
    pub fn session(&self, id: i64) -> Result<Option<StoredSession>, ArchiveError> {
        let Some((id, vs_computer)) = self
            .conn
            .query_row(
                "SELECT id, vs_computer FROM sessions WHERE id = ?1",
                [id],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)),
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut tables = Vec::new();
        let mut q = self.conn.prepare(
            "SELECT id, number, level_file, level_id, level_hash, seed FROM tables
             WHERE session = ?1 ORDER BY number",
        )?;
        let rows = q.query_map([id], |r| {
            Ok(StoredTable {
                id: r.get(0)?,
                number: r.get(1)?,
                level_file: r.get(2)?,
                level_id: r.get(3)?,
                level_hash: r.get(4)?,
                seed: r.get::<_, i64>(5)? as u64,
                seats: Vec::new(),
                actions: Vec::new(),
                handed: Vec::new(),
                steering: Vec::new(),
            })
        })?;
        for t in rows {
            tables.push(t?);
        }
        for t in &mut tables {
            let mut q = self.conn.prepare(
                "SELECT side, code, token, claimed FROM seats WHERE table_id = ?1 ORDER BY side",
            )?;
            let rows = q.query_map([t.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })?;
            for row in rows {
                let (side, code, token, claimed) = row?;
                t.seats.push(StoredSeat {
                    side: side_of(&side)?,
                    code,
                    token,
                    claimed,
                });
            }
            let mut q = self
                .conn
                .prepare("SELECT idx, seq, action FROM actions WHERE table_id = ?1 ORDER BY idx")?;
            let rows = q.query_map([t.id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for (expected, row) in rows.enumerate() {
                let (idx, seq, json) = row?;
                if idx != expected as i64 {
                    return Err(ArchiveError::Corrupt(format!(
                        "table {} is missing move {expected}",
                        t.number
                    )));
                }
                let a: Action = serde_json::from_str(&json)
                    .map_err(|e| ArchiveError::Corrupt(format!("move {idx}: {e}")))?;
                t.actions.push((a, seq.map(|s| s as u64)));
            }
            let mut q = self.conn.prepare(
                "SELECT at_idx, side FROM handovers WHERE table_id = ?1 ORDER BY at_idx, side",
            )?;
            let rows = q.query_map([t.id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (at, side) = row?;
                t.handed.push((at as usize, side_of(&side)?));
            }
            let mut q = self
                .conn
                .prepare("SELECT at_idx, steer FROM steering WHERE table_id = ?1 ORDER BY n")?;
            let rows = q.query_map([t.id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (at, json) = row?;
                let steer = serde_json::from_str(&json)
                    .map_err(|e| ArchiveError::Corrupt(format!("steer at move {at}: {e}")))?;
                t.steering.push(crate::sim::Steered {
                    at: at as usize,
                    steer,
                });
            }
        }
        let instructor = self
            .conn
            .query_row(
                "SELECT secret FROM instructors WHERE session = ?1",
                [id],
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        Ok(Some(StoredSession {
            id,
            vs_computer,
            instructor,
            tables,
        }))
    }
}

/// Moves `first..` of a table, inside the caller's transaction.
fn insert_actions(
    tx: &rusqlite::Transaction<'_>,
    table: i64,
    first: usize,
    actions: &[(Action, Option<u64>)],
) -> Result<(), ArchiveError> {
    let at = now_ms();
    // Prepared once per connection: SQLite parses the statement once for the whole class.
    let mut stmt = tx.prepare_cached(
        "INSERT INTO actions (table_id, idx, side, seq, action, at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, (a, seq)) in actions.iter().enumerate() {
        let json = serde_json::to_string(a)
            .map_err(|e| ArchiveError::Corrupt(format!("cannot write a move: {e}")))?;
        stmt.execute(params![
            table,
            (first + i) as i64,
            side_str(a.side()),
            seq.map(|s| s as i64),
            json,
            at
        ])?;
    }
    Ok(())
}
