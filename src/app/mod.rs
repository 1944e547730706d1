//! The game window: Bevy plugins that show the `sim` model and turn clicks into actions.
//!
//! Layout follows one plugin function per module: [`core_plugin`] holds the match, the move
//! path and the screen flow (no window needed, so tests run it headless), with
//! [`screens::plugin`] for the screens' states (a match's steps are a sub-state) and the state
//! each page keeps while it is up; [`ui_plugin`] adds egui drawing ([`screens::draw_plugin`]: one
//! system per screen, gated by its state), which only calls pure functions from [`ui`],
//! [`screens`] and [`debrief`].

pub use bevy_egui::egui;

pub mod class;
pub mod debrief;
pub mod frame_stats;
pub mod game;
pub mod hot_reload;
pub mod idle;
pub mod levels;
pub mod save;
pub mod scene;
pub mod screens;
pub mod screenshot;
pub mod settings;
pub mod ui;

use bevy::prelude::*;
use bevy::winit::WinitSettings;
use std::path::Path;

pub use game::{AiPace, Game, Mode, Move, SaveDir, Setup};
pub use screens::{Nav, Page, Screen, Step};

/// The match, the move path and the screen flow. Needs `StatesPlugin` and a time source.
pub fn core_plugin(app: &mut App) {
    screens::plugin(app);
    app.add_message::<Move>()
        .add_message::<Nav>()
        .add_message::<bevy::window::RequestRedraw>()
        .init_resource::<game::AiPace>()
        .init_resource::<game::SaveDir>()
        .init_resource::<screens::Levels>()
        .init_resource::<settings::Settings>()
        .add_systems(
            Update,
            (
                screens::handle_nav,
                game::ai_moves,
                game::apply_moves,
                game::route,
            )
                .chain(),
        )
        .add_systems(Update, log_screen);
    class::plugin(app);
}

/// Log each screen change (handy when driving the window from a script).
fn log_screen(screen: Res<State<Screen>>, step: Option<Res<State<Step>>>) {
    if screen.is_changed() || step.as_ref().is_some_and(|s| s.is_changed()) {
        info!(
            "screen: {:?}",
            Page::of(*screen.get(), step.map(|s| *s.get()))
        );
    }
}

/// egui drawing for every screen, full-screen setting, and the idle-CPU fix.
pub fn ui_plugin(app: &mut App) {
    app.add_plugins(bevy_egui::EguiPlugin::default())
        .insert_resource(ClearColor(Color::srgb(0.09, 0.1, 0.12)))
        // egui draws on the window's camera, never on the map's (which renders to an image).
        .insert_resource(bevy_egui::EguiGlobalSettings {
            auto_create_primary_context: false,
            ..default()
        })
        .add_systems(Startup, |mut commands: Commands| {
            // egui smooths its own edges: multisampling the whole window would only cost a
            // software renderer time.
            commands.spawn((
                Camera2d,
                bevy_egui::PrimaryEguiContext,
                bevy::render::view::Msaa::Off,
            ));
        })
        .add_systems(
            Update,
            (screens::apply_window_settings, screenshot::f12_screenshot),
        );
    screens::draw_plugin(app);
    scene::plugin(app);
    idle::plugin(app);
}

/// A windowed app of the given size with both plugins, reading levels from `levels`.
pub fn window_app(width: u32, height: u32, levels: &Path) -> App {
    let mut app = App::new();
    app.insert_resource(screens::LevelDir(levels.to_path_buf()));
    levels::register_source(&mut app, levels);
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: "Détente".into(),
            resolution:
                bevy::window::WindowResolution::new(width, height).with_scale_factor_override(1.0),
            ..default()
        }),
        ..default()
    }))
    .insert_resource(quiet_winit());
    core_plugin(&mut app);
    frame_stats::plugin(&mut app);
    ui_plugin(&mut app);
    levels::plugin(&mut app);
    app
}

/// A turn-based game needs frames only when something happens: wake for window and user
/// events (input, `RequestRedraw`, egui's wake-ups), not for raw device motion, and otherwise
/// sleep up to a minute. (`desktop_app()` wakes every 5 s, which costs a few percent of a core
/// on a software renderer.)
pub fn quiet_winit() -> WinitSettings {
    use bevy::winit::UpdateMode;
    use std::time::Duration;
    WinitSettings {
        focused_mode: UpdateMode::reactive_low_power(Duration::from_secs(60)),
        unfocused_mode: UpdateMode::reactive_low_power(Duration::from_secs(60)),
    }
}

/// Where level files are read from: `$DETENTE_LEVELS`, else `levels` in the working folder.
pub fn levels_dir() -> std::path::PathBuf {
    std::env::var_os("DETENTE_LEVELS")
        .map(Into::into)
        .unwrap_or_else(|| "levels".into())
}

fn exit_code(e: AppExit) -> i32 {
    match e {
        AppExit::Success => 0,
        AppExit::Error(c) => c.get() as i32,
    }
}

/// Open the game window; returns the exit code.
pub fn run() -> i32 {
    run_with(None)
}

/// Open the game window on the join page, connecting to `address` with `code` at once
/// (`detente join`).
pub fn run_join(address: &str, code: &str) -> i32 {
    run_with(Some(class::JoinAtStart {
        address: address.into(),
        code: code.into(),
    }))
}

fn run_with(join: Option<class::JoinAtStart>) -> i32 {
    let dir = levels_dir();
    let mut app = window_app(1280, 800, &dir);
    let saves = save::saves_dir();
    if let (Some(data), Some(saves)) = (save::data_dir(), &saves) {
        save::adopt_legacy_autosave(&data, saves);
    }
    let settings = settings::Settings::load();
    app.insert_resource(screens::Levels(screens::title::load_levels(&dir)))
        .insert_resource(screens::Saves(save::list(saves.as_deref())))
        .insert_resource(game::SaveDir(saves))
        .insert_resource(settings);
    let mut joining = class::Joining::remembered();
    if let Some(j) = join {
        joining.address = j.address;
        joining.code = j.code;
        app.insert_resource(joining)
            .add_systems(Startup, class::join_at_start);
    } else {
        app.insert_resource(joining);
    }
    exit_code(app.run())
}

/// Render one screen to a PNG.
pub fn screenshot(
    level: &Path,
    seed: u64,
    rounds: u32,
    screen: &str,
    side: &str,
    out: &Path,
    look: crate::cli::Look,
) -> i32 {
    screenshot::run(level, seed, rounds, (screen, side), out, look)
}
