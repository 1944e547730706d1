//! Autosave: a match is its level file, seed and action log (`Match::record`), written as JSON
//! after every round with an atomic replace, so a crash never leaves half a file.

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
}

impl SaveFile {
    /// The save of a game in progress.
    pub fn of(game: &Game) -> SaveFile {
        SaveFile {
            version: VERSION,
            record: game.table.record(Some(absolute(&game.level_file))),
            mode: game.mode,
            briefed: game.briefed,
            viewer: game.viewer,
            taken_over: Side::BOTH.map(|s| game.table.taken_over(s).is_some()),
        }
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

/// The autosave file.
pub fn autosave_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("autosave.json"))
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
            };
            let line = format!(
                "{} — seed {}, {} moves, {who}",
                s.record.level,
                s.record.seed,
                s.record.actions.len()
            );
            SaveStatus::Ready(s, line)
        }
        Err(e) => SaveStatus::Broken(format!(
            "the autosave {} is damaged and cannot be continued ({e}). Start a new match; it will be replaced.",
            path.display()
        )),
    }
}
