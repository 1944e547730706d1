//! Level files as Bevy assets: a RON loader that keeps a broken file's errors instead of
//! failing, and the title screen's list refreshed when the asset server reports a change. With
//! the `dev` feature Bevy's own file watcher reports edits, so an instructor sees a saved level
//! (or its errors) at once; without it the folder is read once and the window never polls.

use super::screens::{LevelDir, Levels, Notice, TitleState, reload_levels};
use crate::sim::Scenario;
use bevy::asset::io::{AssetSourceBuilder, Reader};
use bevy::asset::{AssetLoader, LoadContext};
use bevy::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The asset source levels are read from: `levels://name.ron`.
pub const SOURCE: &str = "levels";

/// One level file: the level, or what is wrong with it, as `detente check` says it.
#[derive(Asset, TypePath, Debug)]
pub struct LevelAsset {
    /// The file it was read from.
    pub path: PathBuf,
    pub result: Result<Arc<Scenario>, String>,
}

/// Reads `.ron` level files. A file that does not parse or check still loads, carrying its
/// errors, so the title screen can list it with what to fix.
#[derive(TypePath)]
pub struct LevelLoader {
    dir: PathBuf,
}

impl FromWorld for LevelLoader {
    fn from_world(world: &mut World) -> Self {
        LevelLoader {
            dir: world
                .get_resource::<LevelDir>()
                .map_or_else(super::levels_dir, |d| d.0.clone()),
        }
    }
}

impl AssetLoader for LevelLoader {
    type Asset = LevelAsset;
    type Settings = ();
    type Error = std::io::Error;

    async fn load(
        &self,
        reader: &mut dyn Reader,
        _settings: &(),
        ctx: &mut LoadContext<'_>,
    ) -> Result<LevelAsset, Self::Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).await?;
        let path = self.dir.join(ctx.path().path());
        let result = crate::level::parse(&path.display().to_string(), &bytes)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        Ok(LevelAsset { path, result })
    }

    fn extensions(&self) -> &[&str] {
        &["ron"]
    }
}

/// The level files, kept loaded so the asset server reports their changes.
#[derive(Resource, Default)]
struct Files(Vec<Handle<LevelAsset>>);

/// Load every `.ron` file of the folder not loaded yet. (Loading the folder as a whole would
/// stop at the guide and any other file that is not a level.)
fn load_files(server: &AssetServer, dir: &Path, files: &mut Files) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron"))
        .collect();
    names.sort();
    for n in names {
        let h = server.load::<LevelAsset>(format!("{SOURCE}://{n}"));
        if !files.0.contains(&h) {
            files.0.push(h);
        }
    }
}

/// Register the levels folder as an asset source. Call before `DefaultPlugins` (or
/// `AssetPlugin`).
pub fn register_source(app: &mut App, dir: &Path) {
    // Bevy reads a relative source from beside the executable; the levels folder is named from
    // where the game was started.
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(dir)
    };
    let dir = dir.display().to_string();
    app.register_asset_source(SOURCE, AssetSourceBuilder::platform_default(&dir, None));
}

/// Level files as assets, and the title screen's list following them. Needs `AssetPlugin`
/// with the source from [`register_source`].
pub fn plugin(app: &mut App) {
    app.init_asset::<LevelAsset>()
        .init_asset_loader::<LevelLoader>()
        .init_resource::<Files>()
        .add_systems(
            Startup,
            |server: Res<AssetServer>, dir: Option<Res<LevelDir>>, mut files: ResMut<Files>| {
                if let Some(dir) = dir {
                    load_files(&server, &dir.0, &mut files);
                }
            },
        )
        .add_systems(Update, follow);
}

/// Read the folder again when a level file changes: an edit, a new file, a file gone. The list
/// is read from the folder itself, so a deleted file leaves it too.
#[allow(clippy::too_many_arguments)]
fn follow(
    mut events: MessageReader<AssetEvent<LevelAsset>>,
    server: Res<AssetServer>,
    mut files: ResMut<Files>,
    assets: Res<Assets<LevelAsset>>,
    dir: Option<Res<LevelDir>>,
    mut levels: ResMut<Levels>,
    mut title: ResMut<TitleState>,
    mut notice: ResMut<Notice>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let mut edited: Vec<PathBuf> = Vec::new();
    let mut any = false;
    for e in events.read() {
        match e {
            AssetEvent::Modified { id } | AssetEvent::Removed { id } => {
                any = true;
                if let Some(a) = assets.get(*id) {
                    edited.push(a.path.clone());
                }
            }
            AssetEvent::Added { .. } => any = true,
            _ => {}
        }
    }
    if !any {
        return;
    }
    let Some(dir) = dir else { return };
    reload_levels(&mut levels, &dir.0, title.as_mut());
    load_files(&server, &dir.0, &mut files);
    if !edited.is_empty() {
        edited.sort();
        edited.dedup();
        let text = super::hot_reload::reload_notice(&edited, &levels.0);
        info!("{text}");
        notice.0 = Some(text);
    }
    redraw.write(bevy::window::RequestRedraw);
}
