//! What the title screen says when level files change on disk (with the `dev` feature, Bevy's
//! file watcher reports the edits; see [`super::levels`]).

use std::path::PathBuf;

use super::screens::title::LevelEntry;

/// What the title screen says after a reload: which files changed and whether they load now.
pub fn reload_notice(changed: &[PathBuf], levels: &[LevelEntry]) -> String {
    let parts: Vec<String> = changed
        .iter()
        .map(|p| {
            let name = p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
            match levels.iter().find(|l| &l.path == p).map(|l| &l.result) {
                Some(Ok(_)) => format!("{name} reloaded"),
                Some(Err(_)) => format!("{name} has errors (see the list)"),
                None => format!("{name} removed"),
            }
        })
        .collect();
    format!("Level files changed on disk: {}.", parts.join("; "))
}
