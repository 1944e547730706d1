//! Saved matches: one file per match in the saves folder, so starting a match never overwrites
//! another. A match is its level file, seed and action log (`Match::record`), written as JSON
//! after every move with an atomic replace, so a crash never leaves half a file.

use super::game::{Game, Mode};
use crate::sim::{MatchRecord, Side};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Format version of the save file.
pub const VERSION: u32 = 1;

/// What the autosave holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SaveFile {
    pub version: u32,
    pub record: MatchRecord,
    pub mode: Mode,
    pub briefed: [bool; 2],
    pub viewer: Side,
    /// Sides a hardline successor took over (played by the computer).
    #[serde(default)]
    pub taken_over: [bool; 2],
    /// What the title screen lists: the level's title, the round reached of how many, whether
    /// the match is over, and when it was saved (seconds since 1970, UTC).
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub round: u32,
    #[serde(default)]
    pub rounds: u32,
    #[serde(default)]
    pub over: bool,
    #[serde(default)]
    pub saved_at: u64,
}

impl SaveFile {
    /// The save of a game in progress in this window (`None` for a class seat: its host
    /// keeps the match).
    pub fn of(game: &Game) -> Option<SaveFile> {
        let table = game.table()?;
        Some(SaveFile {
            version: VERSION,
            record: table.record(Some(absolute(&game.level_file))),
            mode: game.mode,
            briefed: game.briefed,
            viewer: game.viewer,
            taken_over: Side::BOTH.map(|s| table.taken_over(s).is_some()),
            title: game.level().title.clone(),
            round: table.round(),
            rounds: game.level().rounds,
            over: table.is_over(),
            saved_at: now(),
        })
    }

    /// Rebuild the game: load the level named in the record and replay the actions.
    pub fn restore(&self) -> Result<Game, String> {
        let file = self
            .record
            .level_file
            .clone()
            .ok_or("the save does not name its level file")?;
        let sc = crate::level::load(Path::new(&file))
            .map_err(|e| format!("the saved match's level no longer loads:\n{e}"))?;
        if sc.id != self.record.level {
            return Err(format!(
                "the save is for level '{}' but {file} now holds '{}'",
                self.record.level, sc.id
            ));
        }
        if let Some(hash) = &self.record.level_hash
            && *hash != sc.content_hash()
        {
            return Err(format!(
                "{file} has been edited since this match was saved, so the match cannot be \
                 replayed as it was played; start a new match on the edited level"
            ));
        }
        let mut g = Game::replay(Arc::new(sc), &self.record, PathBuf::from(&file), self.mode)
            .map_err(|(i, e)| {
                format!(
                    "the saved moves no longer fit the level (move {}: {e})",
                    i + 1
                )
            })?;
        g.briefed = self.briefed;
        if self.mode == Mode::Hotseat {
            g.viewer = self.viewer;
        }
        Ok(g)
    }
}

/// The level file's full path, so a save finds its level whatever folder the game starts in.
fn absolute(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The folder for saves and settings: `$XDG_DATA_HOME/detente`, else `~/.local/share/detente`
/// (`%APPDATA%\detente` on Windows).
pub fn data_dir() -> Option<PathBuf> {
    let non_empty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(x) = non_empty("XDG_DATA_HOME") {
        return Some(PathBuf::from(x).join("detente"));
    }
    if cfg!(windows)
        && let Some(a) = non_empty("APPDATA")
    {
        return Some(PathBuf::from(a).join("detente"));
    }
    non_empty("HOME").map(|h| PathBuf::from(h).join(".local/share/detente"))
}

/// Where exports a student keeps go (debriefs, screenshots): a `Détente` folder in their
/// documents when there is one, else in the home folder, else the data folder.
pub fn exports_dir() -> PathBuf {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    if let Some(home) = home {
        let docs = home.join("Documents");
        return if docs.is_dir() {
            docs.join("Détente")
        } else {
            home.join("Détente")
        };
    }
    data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("exports")
}

/// Open a folder in the desktop's file manager (best effort, never blocks).
pub fn open_folder(dir: &Path) -> std::io::Result<()> {
    let program = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// The folder of saved matches.
pub fn saves_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("saves"))
}

/// Seconds since 1970 (UTC).
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A file of its own for a new match on `level` in `dir`: never one that exists.
pub fn new_slot(dir: &Path, level: &str) -> PathBuf {
    let stamp = now();
    let safe: String = level
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    (0..)
        .map(|n| {
            let name = if n == 0 {
                format!("{safe}-{stamp}.json")
            } else {
                format!("{safe}-{stamp}-{n}.json")
            };
            dir.join(name)
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// Move the single save of earlier versions into the saves folder, once.
pub fn adopt_legacy_autosave(data: &Path, saves: &Path) {
    let old = data.join("autosave.json");
    if old.exists() {
        let _ = std::fs::create_dir_all(saves);
        let _ = std::fs::rename(&old, saves.join("autosave-earlier.json"));
    }
}

/// One saved match as the title screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub path: PathBuf,
    pub status: SaveStatus,
}

/// The saved matches in `dir`, the most recently saved first.
pub fn list(dir: Option<&Path>) -> Vec<Slot> {
    let Some(dir) = dir else {
        return Vec::new();
    };
    let mut v: Vec<(u64, Slot)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|path| {
            let status = probe(Some(&path));
            let when = match &status {
                SaveStatus::Ready(f, _) => f.saved_at,
                _ => 0,
            };
            (when, Slot { path, status })
        })
        .filter(|(_, s)| s.status != SaveStatus::None)
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.path.cmp(&b.1.path)));
    v.into_iter().map(|(_, s)| s).collect()
}

/// A date and time (UTC) as people write it: `2026-12-01 17:06`.
pub fn date(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// Write JSON to a temporary file beside `path`, then rename it over `path`.
pub fn write_atomic<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    write_text_atomic(path, &text)
}

/// Write text atomically (temporary file + rename).
pub fn write_text_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// What the title screen knows about the autosave.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    None,
    /// A readable save: a one-line description.
    Ready(SaveFile, String),
    /// A save that cannot be used, with the reason in plain words.
    Broken(String),
}

/// Read the autosave and say whether it can be continued.
pub fn probe(path: Option<&Path>) -> SaveStatus {
    let Some(path) = path else {
        return SaveStatus::None;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SaveStatus::None,
        Err(e) => return SaveStatus::Broken(format!("cannot read {}: {e}", path.display())),
    };
    match serde_json::from_str::<SaveFile>(&text) {
        Ok(s) if s.version != VERSION => SaveStatus::Broken(format!(
            "{} was written by another version of the game (format {}, this one reads {VERSION})",
            path.display(),
            s.version
        )),
        Ok(s) => {
            let who = match s.mode {
                Mode::Hotseat => "two players".to_string(),
                Mode::VsAi { personality, .. } => format!("against the computer ({personality:?})"),
                Mode::Watch => "computer against computer".into(),
                Mode::Class { .. } => "a class table".into(),
            };
            let progress = if s.over {
                "finished".to_string()
            } else if s.rounds > 0 {
                format!("round {} of {}", s.round, s.rounds)
            } else {
                format!("{} moves", s.record.actions.len())
            };
            let when = if s.saved_at > 0 {
                format!(", saved {} UTC", date(s.saved_at))
            } else {
                String::new()
            };
            let line = format!("{progress}, {who}, seed {}{when}", s.record.seed);
            SaveStatus::Ready(s, line)
        }
        Err(e) => SaveStatus::Broken(format!(
            "the save {} is damaged and cannot be continued ({e}); delete it, or start a new match",
            path.display()
        )),
    }
}
