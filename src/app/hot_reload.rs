//! Dev hot reload: with the `dev` feature, an edited level file reloads without restarting.
//!
//! A background thread looks at the modification times of the levels folder once a second and
//! wakes the window only when a file was added, removed or changed; the title screen's list
//! (with any errors) is then read again. Normal builds have no thread and no timer, so the
//! idle window still sleeps. The functions that decide what changed are plain and always
//! built, so they are tested without the feature.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::screens::title::LevelEntry;

/// Each level file of a folder with its modification time (`None` if it cannot be read).
pub type Stamps = BTreeMap<PathBuf, Option<SystemTime>>;

/// The `.ron` files of `dir` and when each was last modified.
pub fn stamps(dir: &Path) -> Stamps {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| {
            let t = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
            (p, t)
        })
        .collect()
}

/// The files added, removed or modified between two looks at a folder, in path order.
pub fn changed(before: &Stamps, now: &Stamps) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = now
        .iter()
        .filter(|(p, t)| before.get(*p) != Some(t))
        .map(|(p, _)| p.clone())
        .chain(before.keys().filter(|p| !now.contains_key(*p)).cloned())
        .collect();
    v.sort();
    v
}

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

#[cfg(feature = "dev")]
pub use watcher::plugin;

#[cfg(feature = "dev")]
mod watcher {
    use super::*;
    use crate::app::screens::{LevelDir, Levels, Notice, TitleState, reload_levels};
    use bevy::prelude::*;
    use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// Files the watcher thread saw change, waiting for the next frame.
    #[derive(Resource, Default, Clone)]
    struct Pending(Arc<Mutex<Vec<PathBuf>>>);

    /// Watch the levels folder and reload the list when a file changes.
    pub fn plugin(app: &mut App) {
        app.init_resource::<Pending>()
            .add_systems(Startup, start)
            .add_systems(Update, apply);
    }

    fn start(
        dir: Option<Res<LevelDir>>,
        pending: Res<Pending>,
        proxy: Option<Res<EventLoopProxyWrapper>>,
    ) {
        let Some(dir) = dir.map(|d| d.0.clone()) else {
            return;
        };
        let pending = pending.clone();
        let proxy = proxy.map(|p| p.clone());
        info!("dev: watching {} for level changes", dir.display());
        std::thread::spawn(move || {
            let mut last = stamps(&dir);
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let now = stamps(&dir);
                let c = changed(&last, &now);
                if c.is_empty() {
                    continue;
                }
                last = now;
                if let Ok(mut p) = pending.0.lock() {
                    p.extend(c);
                }
                // Wake the sleeping window; stop when it has closed.
                if let Some(p) = &proxy
                    && p.send_event(WinitUserEvent::WakeUp).is_err()
                {
                    return;
                }
            }
        });
    }

    fn apply(
        pending: Res<Pending>,
        dir: Option<Res<LevelDir>>,
        mut levels: ResMut<Levels>,
        mut title: ResMut<TitleState>,
        mut notice_res: ResMut<Notice>,
        mut redraw: MessageWriter<bevy::window::RequestRedraw>,
    ) {
        let files: Vec<PathBuf> = match pending.0.lock() {
            Ok(mut p) if !p.is_empty() => std::mem::take(&mut *p),
            _ => return,
        };
        let Some(dir) = dir else { return };
        let mut files = files;
        files.sort();
        files.dedup();
        reload_levels(&mut levels, &dir.0, title.as_mut());
        let notice = reload_notice(&files, &levels.0);
        info!("dev: {notice}");
        notice_res.0 = Some(notice);
        redraw.write(bevy::window::RequestRedraw);
    }
}
