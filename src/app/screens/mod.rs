//! Screens: the state machine of the window, the navigation messages, and the one egui system
//! that draws the current screen by calling pure UI functions.

pub mod briefing;
pub mod handover;
pub mod table;
pub mod title;

use super::debrief::{DebriefIntent, DebriefState, debrief_ui};
use super::game::{Game, Mode, Move, Setup};
use super::save::{self, SaveStatus};
use super::settings::Settings;
use super::ui::{self, Palette};
use crate::app::egui;
use crate::sim::Action;
use bevy::prelude::*;
use std::path::PathBuf;
use title::{LevelEntry, TitleIntent, TitleState};

/// Which screen is up.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    Briefing,
    Handover,
    Table,
    Debrief,
}

/// Requests to move between screens.
#[derive(Message, Debug, Clone)]
pub enum Nav {
    Start(Setup),
    Continue,
    BriefingDone,
    HandoverDone,
    ExportDebrief,
    ToTitle,
    ReloadLevels,
    Quit,
}

/// The levels found at start-up.
#[derive(Resource, Debug, Clone, Default)]
pub struct Levels(pub Vec<LevelEntry>);

/// The folder levels are read from (for Reload levels).
#[derive(Resource, Debug, Clone)]
pub struct LevelDir(pub PathBuf);

/// What the title screen knows about the autosave.
#[derive(Resource, Debug, Clone)]
pub struct SaveInfo(pub SaveStatus);

/// Interface state kept between frames.
#[derive(Resource, Debug, Clone, Default)]
pub struct UiState {
    pub title: TitleState,
    pub table: table::TableState,
    pub debrief: DebriefState,
    /// A message for the title screen (e.g. why a save could not be continued).
    pub notice: Option<String>,
}

/// Everything a screen may read.
pub struct Inputs<'a> {
    pub screen: Screen,
    pub game: Option<&'a Game>,
    pub levels: &'a [LevelEntry],
    pub save: &'a SaveStatus,
    pub settings: &'a Settings,
}

/// What a screen asked for.
#[derive(Debug, Clone)]
pub enum Intent {
    Act(Action),
    Nav(Nav),
    Settings(Settings),
}

/// Describe who sits across from the viewer.
fn opponent(game: &Game) -> String {
    match game.mode {
        Mode::Hotseat => "the other player".into(),
        Mode::VsAi {
            personality,
            difficulty,
            ..
        } => format!("the computer: {personality:?}, {difficulty:?}"),
        Mode::Watch => "the computer".into(),
    }
}

/// Draw the current screen. Pure: reads the inputs, returns intents.
pub fn screen_ui(ui: &mut egui::Ui, inp: &Inputs, st: &mut UiState) -> Vec<Intent> {
    let pal = Palette::new(inp.settings.colour_blind);
    let mut out = Vec::new();
    match (inp.screen, inp.game) {
        (Screen::Title, _) => {
            if let Some(i) = title::title_ui(
                ui,
                &pal,
                inp.levels,
                inp.save,
                st.notice.as_deref(),
                &mut st.title,
                inp.settings,
            ) {
                out.push(match i {
                    TitleIntent::Start(s) => Intent::Nav(Nav::Start(s)),
                    TitleIntent::Continue => Intent::Nav(Nav::Continue),
                    TitleIntent::Settings(s) => Intent::Settings(s),
                    TitleIntent::ReloadLevels => Intent::Nav(Nav::ReloadLevels),
                    TitleIntent::Quit => Intent::Nav(Nav::Quit),
                });
            }
        }
        (Screen::Handover, Some(g)) => {
            if handover::handover_ui(ui, &pal, g.level(), g.viewer) {
                out.push(Intent::Nav(Nav::HandoverDone));
            }
        }
        (Screen::Briefing, Some(g)) => {
            let view = g.view();
            if briefing::briefing_ui(ui, &pal, g.level(), &view) {
                out.push(Intent::Nav(Nav::BriefingDone));
            }
        }
        (Screen::Table, Some(g)) => {
            let view = g.view();
            let log: Vec<_> = g.table.log_for(g.viewer).cloned().collect();
            let them = g.viewer.other();
            let opp = opponent(g);
            let level = g.level();
            let seen = crate::sim::rules::Seen::new(&view, level);
            let cx = table::TableCtx {
                sc: level,
                view: &view,
                rules: &seen,
                log: &log,
                reason: g.reason(them),
                refused: g.refused.as_deref(),
                notice: g.notice.as_deref(),
                can_act: g.is_human(g.viewer),
                opponent: &opp,
                pal,
            };
            out.extend(
                table::table_ui(ui, &cx, &mut st.table)
                    .into_iter()
                    .map(Intent::Act),
            );
        }
        // The debrief, and only once the match is over, reads the whole record.
        (Screen::Debrief, Some(g)) if g.table.finished().is_some() => {
            let m = g.table.finished().expect("checked above");
            match debrief_ui(
                ui,
                &pal,
                m,
                super::debrief::beliefs_of(g).as_ref(),
                &mut st.debrief,
            ) {
                Some(DebriefIntent::Export) => out.push(Intent::Nav(Nav::ExportDebrief)),
                Some(DebriefIntent::ToTitle) => out.push(Intent::Nav(Nav::ToTitle)),
                None => {}
            }
        }
        (_, _) => {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.label("No match is loaded.");
                if ui.button("Back to title").clicked() {
                    out.push(Intent::Nav(Nav::ToTitle));
                }
            });
        }
    }
    out
}

/// Apply navigation requests.
#[allow(clippy::too_many_arguments)]
pub fn handle_nav(
    mut commands: Commands,
    mut nav: MessageReader<Nav>,
    game: Option<ResMut<Game>>,
    mut next: ResMut<NextState<Screen>>,
    mut st: ResMut<UiState>,
    mut save_info: ResMut<SaveInfo>,
    save_path: Res<super::game::SavePath>,
    mut exit: MessageWriter<AppExit>,
    mut levels: ResMut<Levels>,
    level_dir: Option<Res<LevelDir>>,
) {
    let mut game = game;
    for n in nav.read() {
        match n {
            Nav::Start(setup) => {
                let mut g = Game::new(setup);
                let first = first_screen(&mut g);
                commands.insert_resource(g);
                st.table = Default::default();
                st.debrief = Default::default();
                st.notice = None;
                next.set(first);
            }
            Nav::Continue => match &save_info.0 {
                SaveStatus::Ready(file, _) => match file.restore() {
                    Ok(mut g) => {
                        let first = if g.table.is_over() {
                            Screen::Debrief
                        } else {
                            first_screen(&mut g)
                        };
                        commands.insert_resource(g);
                        st.table = Default::default();
                        st.debrief = Default::default();
                        st.notice = None;
                        next.set(first);
                    }
                    Err(e) => st.notice = Some(format!("Cannot continue the saved match: {e}")),
                },
                SaveStatus::Broken(e) => st.notice = Some(e.clone()),
                SaveStatus::None => st.notice = Some("There is no saved match.".into()),
            },
            Nav::BriefingDone => {
                if let Some(g) = game.as_mut() {
                    let v = g.viewer;
                    g.briefed[v.idx()] = true;
                }
                next.set(Screen::Table);
            }
            Nav::HandoverDone => {
                let briefed = game.as_ref().is_some_and(|g| g.briefed[g.viewer.idx()]);
                next.set(if briefed {
                    Screen::Table
                } else {
                    Screen::Briefing
                });
            }
            Nav::ExportDebrief => {
                if let Some(g) = game.as_ref() {
                    st.debrief.exported = Some(export(g));
                }
            }
            Nav::ToTitle => {
                commands.remove_resource::<Game>();
                save_info.0 = save::probe(save_path.0.as_deref());
                next.set(Screen::Title);
            }
            Nav::ReloadLevels => {
                if let Some(dir) = &level_dir {
                    reload_levels(&mut levels, &dir.0, &mut st.title);
                }
            }
            Nav::Quit => {
                exit.write(AppExit::Success);
            }
        }
    }
}

/// Read the levels folder again, keeping the chosen level chosen if it still loads.
pub fn reload_levels(levels: &mut Levels, dir: &std::path::Path, title: &mut TitleState) {
    let chosen = title
        .selected
        .and_then(|i| levels.0.get(i))
        .map(|l| l.path.clone());
    levels.0 = title::load_levels(dir);
    title.selected = chosen.and_then(|p| {
        levels
            .0
            .iter()
            .position(|l| l.path == p && l.result.is_ok())
    });
}

/// The first screen of a match: the handover in hotseat, else the briefing (or the table if
/// already read).
fn first_screen(g: &mut Game) -> Screen {
    if g.mode == Mode::Hotseat {
        if let Some(s) = g.human_need() {
            g.viewer = s;
        }
        Screen::Handover
    } else if g.briefed[g.viewer.idx()] {
        Screen::Table
    } else {
        Screen::Briefing
    }
}

/// Write the debrief HTML to the data folder; returns a line for the player.
fn export(g: &Game) -> String {
    let Some(m) = g.table.finished() else {
        return "The debrief opens when the match is over.".into();
    };
    let dir = save::data_dir().unwrap_or_else(|| PathBuf::from("."));
    let path = dir.join(format!("debrief-{}-seed{}.html", m.scenario.id, m.seed));
    match save::write_text_atomic(
        &path,
        &super::debrief::export_html(m, super::debrief::beliefs_of(g).as_ref()),
    ) {
        Ok(()) => format!("Saved {}", path.display()),
        Err(e) => format!("Could not save {}: {e}", path.display()),
    }
}

/// A root `Ui` covering the whole window.
pub fn root_ui(ctx: &egui::Context) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        egui::Id::new("root"),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.content_rect()),
    )
}

/// The egui system: draw the screen, then send what the player asked for.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    mut contexts: bevy_egui::EguiContexts,
    screen: Res<State<Screen>>,
    game: Option<Res<Game>>,
    levels: Res<Levels>,
    save_info: Res<SaveInfo>,
    mut settings: ResMut<Settings>,
    mut st: ResMut<UiState>,
    mut moves: MessageWriter<Move>,
    mut nav: MessageWriter<Nav>,
    mut styled: Local<bool>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if !*styled {
        ui::apply_style(ctx);
        *styled = true;
    }
    if (ctx.zoom_factor() - settings.ui_scale).abs() > 1e-3 {
        ctx.set_zoom_factor(settings.ui_scale);
    }
    let mut root = root_ui(ctx);
    let inp = Inputs {
        screen: *screen.get(),
        game: game.as_deref(),
        levels: &levels.0,
        save: &save_info.0,
        settings: &settings,
    };
    let intents = screen_ui(&mut root, &inp, &mut st);
    for i in intents {
        match i {
            Intent::Act(a) => {
                moves.write(Move(a));
            }
            Intent::Nav(n) => {
                nav.write(n);
            }
            Intent::Settings(s) => {
                *settings = s;
                s.store();
            }
        }
    }
    Ok(())
}

/// Full screen on or off when the setting changes.
pub fn apply_window_settings(
    settings: Res<Settings>,
    mut windows: Query<&mut bevy::window::Window, With<bevy::window::PrimaryWindow>>,
) {
    if !settings.is_changed() {
        return;
    }
    for mut w in &mut windows {
        let want = if settings.fullscreen {
            bevy::window::WindowMode::BorderlessFullscreen(bevy::window::MonitorSelection::Current)
        } else {
            bevy::window::WindowMode::Windowed
        };
        if w.mode != want {
            w.mode = want;
        }
    }
}
