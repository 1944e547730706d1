//! Keeping the record of a class: read a session from the archive, replay every table on its
//! level file, and write the class's files (each table's debrief and transcript, the students'
//! results as CSV, the class summary). `detente sessions` and `detente export` call these, and
//! so can an instructor's window.

use super::archive::{Archive, ArchiveError, SessionInfo, StoredTable};
use crate::report::Beliefs;
use crate::report::class::{
    Class, ClassTable, Played, Tally, results_csv, summary_html, table_files, transcript,
};
use crate::sim::{Scenario, Side};
use crate::table::{Seat, Table};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a class could not be read or written.
#[derive(Debug)]
pub enum ExportError {
    Archive(ArchiveError),
    /// The archive has no session of this id (`None`: no session at all).
    NoSession(Option<i64>),
    /// A file could not be written.
    Write(PathBuf, std::io::Error),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Archive(e) => write!(f, "{e}"),
            ExportError::NoSession(None) => write!(f, "the archive holds no session yet"),
            ExportError::NoSession(Some(id)) => write!(f, "the archive has no session {id}"),
            ExportError::Write(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<ArchiveError> for ExportError {
    fn from(e: ArchiveError) -> Self {
        ExportError::Archive(e)
    }
}

/// Level files loaded once per export, by the path the archive names.
#[derive(Default)]
struct Levels(HashMap<String, Result<Arc<Scenario>, String>>);

impl Levels {
    /// The level a table was played on, as long as its file still holds what was played.
    fn of(&mut self, t: &StoredTable) -> Result<Arc<Scenario>, String> {
        let loaded = self
            .0
            .entry(t.level_file.clone())
            .or_insert_with(|| {
                crate::level::load(Path::new(&t.level_file))
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone();
        let level = loaded.map_err(|e| {
            // The loader's message starts with the file's name, said already.
            let first = e.lines().next().unwrap_or_default();
            let why = first
                .strip_prefix(&format!("{}: ", t.level_file))
                .unwrap_or(first);
            format!(
                "table {}: the level file {} is missing or unreadable ({why})",
                t.number, t.level_file
            )
        })?;
        if level.content_hash() != t.level_hash {
            return Err(format!(
                "table {}: the level file {} has been edited since the class played it; restore it to export this table",
                t.number, t.level_file
            ));
        }
        Ok(level)
    }
}

/// Replay a table as the host takes it up: students' seats held by people, the computer's by
/// the level's counterpart, which thinks before each of its moves as it did in class.
fn replay(level: Arc<Scenario>, t: &StoredTable) -> Result<Table, String> {
    let seats = super::host::class_seats(&level, &t.tokens(), t.seed);
    let difficulty = level.ai.difficulty;
    // Seats the instructor handed to the computer pass to it at the same move as in class.
    Table::replay_handed(level, &t.record(), seats, difficulty, &t.handed)
        .map_err(|(i, e)| format!("table {}: archived move {i} is refused: {e}", t.number))
}

/// What the computer believed of the student it played, when one side only was a student's.
fn beliefs(t: &Table) -> Option<Beliefs> {
    let human = Side::BOTH
        .into_iter()
        .find(|&s| t.is_person(s) && !t.is_person(s.other()))?;
    let i = t.insight(human.other())?;
    Some(Beliefs {
        about: human,
        believed: i.believed,
        truth: t.whole().scenario.weights()[human.idx()],
        ranking: i.ranking,
        acts_on_it: i.acts_on_it,
        offers_seen: i.offers_seen,
    })
}

/// One table replayed for the record; `Err` says why not, naming the level file.
pub fn class_table(t: &StoredTable, level: Result<Arc<Scenario>, String>) -> ClassTable {
    let codes = Side::BOTH.map(|side| {
        t.seats
            .iter()
            .find(|s| s.side == side)
            .and_then(|s| s.code.clone())
    });
    let played = level.and_then(|l| replay(l, t)).map(|table| played(&table));
    ClassTable {
        number: t.number,
        level_file: t.level_file.clone(),
        level_id: t.level_id.clone(),
        codes,
        played,
    }
}

fn played(table: &Table) -> Played {
    let taken = Side::BOTH.map(|s| table.taken_over(s));
    Played::new(table.whole(), beliefs(table).as_ref(), taken)
}

/// A table the host is running, as the class's files would show it now.
pub fn live_table(
    number: u32,
    level_file: &str,
    level_id: &str,
    codes: [Option<String>; 2],
    table: &Table,
) -> ClassTable {
    ClassTable {
        number,
        level_file: level_file.into(),
        level_id: level_id.into(),
        codes,
        played: Ok(played(table)),
    }
}

/// A session of the archive (the latest when `session` is `None`), every table replayed on its
/// level file. A table whose file is missing or edited is kept, with the reason.
pub fn read_class(db: &Archive, session: Option<i64>) -> Result<Class, ExportError> {
    let id = match session {
        Some(id) => id,
        None => db
            .latest_session_id()?
            .ok_or(ExportError::NoSession(None))?,
    };
    let stored = db.session(id)?.ok_or(ExportError::NoSession(Some(id)))?;
    let started_ms = db
        .sessions()?
        .into_iter()
        .find(|s| s.id == id)
        .map_or(0, |s| s.started_ms);
    let mut levels = Levels::default();
    let tables = stored
        .tables
        .iter()
        .map(|t| class_table(t, levels.of(t)))
        .collect();
    Ok(Class {
        session: id,
        started_ms,
        tables,
    })
}

/// Write `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let done = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// What an export wrote, and the tables it could not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Written {
    pub files: Vec<PathBuf>,
    /// The reason for each table left out, naming its level file.
    pub refused: Vec<String>,
}

/// Names of the class-wide files.
pub const RESULTS_FILE: &str = "results.csv";
pub const SUMMARY_FILE: &str = "class-summary.html";

/// Write the class's files into `out` (made if missing): a debrief and a transcript per table
/// that could be replayed, the results and the summary.
pub fn write_class(class: &Class, out: &Path) -> Result<Written, ExportError> {
    std::fs::create_dir_all(out).map_err(|e| ExportError::Write(out.to_path_buf(), e))?;
    let mut w = Written::default();
    let put = |name: &str, text: String, w: &mut Written| {
        let path = out.join(name);
        write_atomically(&path, text.as_bytes())
            .map_err(|e| ExportError::Write(path.clone(), e))?;
        w.files.push(path);
        Ok::<(), ExportError>(())
    };
    for t in &class.tables {
        match &t.played {
            Ok(p) => {
                let (debrief, text) = table_files(class, t.number);
                put(&debrief, p.report.html(), &mut w)?;
                put(&text, transcript(t, p), &mut w)?;
            }
            Err(why) => w.refused.push(why.clone()),
        }
    }
    put(RESULTS_FILE, results_csv(class), &mut w)?;
    put(SUMMARY_FILE, summary_html(class), &mut w)?;
    Ok(w)
}

/// A session as `detente sessions` lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SessionOverview {
    pub id: i64,
    /// Unix milliseconds.
    pub started_ms: i64,
    /// [`crate::report::class::utc`] of it.
    pub started: String,
    pub vs_computer: bool,
    pub tables: u32,
    /// The levels played, by id, each once, in table order.
    pub levels: Vec<String>,
    /// How its tables stand, each replayed on its level file.
    pub tally: Tally,
}

/// Every session of the archive, oldest first, each table replayed to see how it stands.
pub fn overview(db: &Archive) -> Result<Vec<SessionOverview>, ExportError> {
    let mut levels = Levels::default();
    let mut out = Vec::new();
    for SessionInfo {
        id,
        started_ms,
        vs_computer,
        tables,
    } in db.sessions()?
    {
        let stored = db.session(id)?.ok_or(ExportError::NoSession(Some(id)))?;
        let mut tally = Tally::default();
        let mut ids: Vec<String> = Vec::new();
        for t in &stored.tables {
            if !ids.contains(&t.level_id) {
                ids.push(t.level_id.clone());
            }
            // Who sat where does not change how a match ends: people in both seats, so no
            // counterpart has to think its way through the record.
            let ending = levels.of(t).and_then(|l| {
                let d = l.ai.difficulty;
                Table::replay(l, &t.record(), [Seat::Local, Seat::Local], d)
                    .map(|m| m.whole().ending)
                    .map_err(|(i, e)| format!("move {i}: {e}"))
            });
            tally.add(ending);
        }
        out.push(SessionOverview {
            id,
            started_ms,
            started: crate::report::class::utc(started_ms),
            vs_computer,
            tables,
            levels: ids,
            tally,
        });
    }
    Ok(out)
}
