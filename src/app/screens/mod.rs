//! Screens: the state machine of the window, the navigation messages, and the one egui system
//! that draws the current screen by calling pure UI functions.

pub mod briefing;
pub mod console;
pub mod console_table;
pub mod handover;
pub mod join;
pub mod menu;
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
pub use title::{LevelEntry, TitleIntent, TitleState};

/// Which screen is up. A match's own steps are the sub-state [`Step`].
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    #[default]
    Title,
    /// Joining a class on the network, until the table's seats are all taken.
    Join,
    /// The instructor's view of a class.
    Console,
    /// A match under way.
    Match,
    Debrief,
}

/// The step of a match on screen: only while a match is under way.
#[derive(SubStates, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[source(Screen = Screen::Match)]
pub enum Step {
    /// A side reads its private brief.
    #[default]
    Briefing,
    /// Two players at one screen pass it over; nothing private is shown.
    Handover,
    /// The negotiation table.
    Table,
}

/// One page the window can draw: a screen, or a step of a match (for screenshots and tests
/// that draw a page without running the app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Title,
    Join,
    Console,
    Briefing,
    Handover,
    Table,
    Debrief,
}

impl Page {
    /// The page the states show.
    pub fn of(screen: Screen, step: Option<Step>) -> Page {
        match (screen, step) {
            (Screen::Title, _) => Page::Title,
            (Screen::Join, _) => Page::Join,
            (Screen::Console, _) => Page::Console,
            (Screen::Debrief, _) => Page::Debrief,
            (Screen::Match, Some(Step::Handover)) => Page::Handover,
            (Screen::Match, Some(Step::Table)) => Page::Table,
            (Screen::Match, _) => Page::Briefing,
        }
    }

    /// Go to this page.
    pub fn set(self, screen: &mut NextState<Screen>, step: &mut NextState<Step>) {
        match self {
            Page::Title => screen.set(Screen::Title),
            Page::Join => screen.set(Screen::Join),
            Page::Console => screen.set(Screen::Console),
            Page::Debrief => screen.set(Screen::Debrief),
            Page::Briefing | Page::Handover | Page::Table => {
                screen.set(Screen::Match);
                step.set(match self {
                    Page::Handover => Step::Handover,
                    Page::Table => Step::Table,
                    _ => Step::Briefing,
                });
            }
        }
    }
}

/// Requests to move between screens.
#[derive(Message, Debug, Clone)]
pub enum Nav {
    Start(Setup),
    /// Continue the saved match in this file.
    Continue(PathBuf),
    /// Delete this saved match (the title asked first).
    DeleteSave(PathBuf),
    /// Save the match now and go back to the title.
    SaveAndLeave,
    /// Give the match up: its save is deleted (the menu asked first).
    Abandon,
    BriefingDone,
    HandoverDone,
    ExportDebrief,
    /// Open the folder exports go to in the desktop's file manager.
    OpenExports,
    ToTitle,
    ReloadLevels,
    /// The page that joins a class.
    OpenJoin,
    Quit,
}

/// The levels found at start-up.
#[derive(Resource, Debug, Clone, Default)]
pub struct Levels(pub Vec<LevelEntry>);

/// The folder levels are read from (for Reload levels).
#[derive(Resource, Debug, Clone)]
pub struct LevelDir(pub PathBuf);

/// The saved matches the title screen lists, the most recent first.
#[derive(Resource, Debug, Clone, Default)]
pub struct Saves(pub Vec<save::Slot>);

/// A message for the title screen (e.g. why a save could not be continued).
#[derive(Resource, Debug, Clone, Default)]
pub struct Notice(pub Option<String>);

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
        Mode::Class { .. } => "the other seat of your table, over the network".into(),
    }
}

/// The title page: the levels, the choices of a match, settings. Pure: returns intents.
pub fn title_page(
    ui: &mut egui::Ui,
    pal: &Palette,
    levels: &[LevelEntry],
    saves: &[save::Slot],
    notice: Option<&str>,
    st: &mut TitleState,
    settings: &Settings,
) -> Vec<Intent> {
    title::title_ui(ui, pal, levels, saves, notice, st, settings)
        .map(|i| match i {
            TitleIntent::Start(s) => Intent::Nav(Nav::Start(s)),
            TitleIntent::Continue(p) => Intent::Nav(Nav::Continue(p)),
            TitleIntent::Delete(p) => Intent::Nav(Nav::DeleteSave(p)),
            TitleIntent::Settings(s) => Intent::Settings(s),
            TitleIntent::ReloadLevels => Intent::Nav(Nav::ReloadLevels),
            TitleIntent::JoinClass => Intent::Nav(Nav::OpenJoin),
            TitleIntent::Quit => Intent::Nav(Nav::Quit),
        })
        .into_iter()
        .collect()
}

/// The handover page: the next player's name and nothing private.
pub fn handover_page(ui: &mut egui::Ui, pal: &Palette, g: &Game) -> Vec<Intent> {
    if handover::handover_ui(ui, pal, g.level(), g.viewer) {
        vec![Intent::Nav(Nav::HandoverDone)]
    } else {
        Vec::new()
    }
}

/// The briefing page, drawn from the viewer's view.
pub fn briefing_page(ui: &mut egui::Ui, pal: &Palette, g: &Game) -> Vec<Intent> {
    let view = g.view();
    if briefing::briefing_ui(ui, pal, g.level(), &view) {
        vec![Intent::Nav(Nav::BriefingDone)]
    } else {
        Vec::new()
    }
}

/// The table page, drawn from the viewer's view, its log and the public level; the buttons ask
/// the rules from that view alone.
pub fn table_page(
    ui: &mut egui::Ui,
    pal: Palette,
    g: &Game,
    st: &mut table::TableState,
) -> Vec<Intent> {
    table_page_with_map(ui, pal, g, st, None)
}

/// The table page with the region's scene above it.
pub fn table_page_with_map(
    ui: &mut egui::Ui,
    pal: Palette,
    g: &Game,
    st: &mut table::TableState,
    map: Option<egui::TextureId>,
) -> Vec<Intent> {
    let view = g.view();
    let log = g.log();
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
        link: g
            .client()
            .map(|c| crate::app::class::table_line(c, std::time::Instant::now())),
        map,
        pal,
    };
    table::table_ui(ui, &cx, st)
        .into_iter()
        .map(Intent::Act)
        .collect()
}

/// The debrief page. It reads the whole match, and only once the match is over.
pub fn debrief_page(
    ui: &mut egui::Ui,
    pal: &Palette,
    g: &Game,
    st: &mut DebriefState,
) -> Vec<Intent> {
    let Some(m) = g.finished() else {
        return Vec::new();
    };
    match debrief_ui(ui, pal, m, super::debrief::beliefs_of(g).as_ref(), st) {
        Some(DebriefIntent::Export) => vec![Intent::Nav(Nav::ExportDebrief)],
        Some(DebriefIntent::OpenFolder) => vec![Intent::Nav(Nav::OpenExports)],
        Some(DebriefIntent::ToTitle) => vec![Intent::Nav(Nav::ToTitle)],
        None => Vec::new(),
    }
}

/// Apply navigation requests.
#[allow(clippy::too_many_arguments)]
pub fn handle_nav(
    mut commands: Commands,
    mut nav: MessageReader<Nav>,
    game: Option<ResMut<Game>>,
    mut screen: ResMut<NextState<Screen>>,
    mut step: ResMut<NextState<Step>>,
    mut notice: ResMut<Notice>,
    mut title: ResMut<TitleState>,
    mut saves: ResMut<Saves>,
    save_dir: Res<super::game::SaveDir>,
    mut exit: MessageWriter<AppExit>,
    mut levels: ResMut<Levels>,
    level_dir: Option<Res<LevelDir>>,
    mut exported: ResMut<Exported>,
) {
    let mut game = game;
    for n in nav.read() {
        match n {
            Nav::Start(setup) => {
                let mut g = Game::new(setup);
                let first = first_page(&mut g);
                commands.insert_resource(g);
                notice.0 = None;
                first.set(&mut screen, &mut step);
            }
            Nav::Continue(path) => match save::probe(Some(path)) {
                SaveStatus::Ready(file, _) => match file.restore() {
                    Ok(mut g) => {
                        g.slot = Some(path.clone());
                        let first = if g.is_over() {
                            Page::Debrief
                        } else {
                            first_page(&mut g)
                        };
                        commands.insert_resource(g);
                        notice.0 = None;
                        first.set(&mut screen, &mut step);
                    }
                    Err(e) => notice.0 = Some(format!("Cannot continue the saved match: {e}")),
                },
                SaveStatus::Broken(e) => notice.0 = Some(e),
                SaveStatus::None => notice.0 = Some("That saved match is gone.".into()),
            },
            Nav::DeleteSave(path) => {
                if let Err(e) = std::fs::remove_file(path) {
                    notice.0 = Some(format!("Could not delete {}: {e}", path.display()));
                }
                saves.0 = save::list(save_dir.0.as_deref());
            }
            Nav::SaveAndLeave => {
                if let Some(g) = game.as_mut() {
                    super::game::autosave(g, &save_dir);
                    notice.0 = g.slot.as_ref().filter(|_| save_dir.0.is_some()).map(|p| {
                        format!("Saved. Continue it from the list below ({}).", p.display())
                    });
                }
                commands.remove_resource::<Game>();
                saves.0 = save::list(save_dir.0.as_deref());
                screen.set(Screen::Title);
            }
            Nav::Abandon => {
                if let Some(path) = game.as_ref().and_then(|g| g.slot.clone()) {
                    let _ = std::fs::remove_file(path);
                }
                commands.remove_resource::<Game>();
                saves.0 = save::list(save_dir.0.as_deref());
                notice.0 = None;
                screen.set(Screen::Title);
            }
            Nav::BriefingDone => {
                if let Some(g) = game.as_mut() {
                    let v = g.viewer;
                    g.briefed[v.idx()] = true;
                }
                step.set(Step::Table);
            }
            Nav::HandoverDone => {
                let briefed = game.as_ref().is_some_and(|g| g.briefed[g.viewer.idx()]);
                step.set(if briefed { Step::Table } else { Step::Briefing });
            }
            Nav::ExportDebrief => {
                if let Some(g) = game.as_ref() {
                    exported.0 = Some(export(g));
                }
            }
            Nav::OpenExports => {
                let dir = save::exports_dir();
                if let Err(e) = save::open_folder(&dir) {
                    exported.0 = Some(format!("Could not open {}: {e}", dir.display()));
                }
            }
            Nav::ToTitle => {
                commands.remove_resource::<Game>();
                saves.0 = save::list(save_dir.0.as_deref());
                screen.set(Screen::Title);
            }
            Nav::ReloadLevels => {
                if let Some(dir) = &level_dir {
                    reload_levels(&mut levels, &dir.0, title.as_mut());
                }
            }
            Nav::OpenJoin => {
                notice.0 = None;
                screen.set(Screen::Join);
            }
            Nav::Quit => {
                exit.write(AppExit::Success);
            }
        }
    }
}

/// The line the debrief shows after an export, kept until the next match.
#[derive(Resource, Debug, Clone, Default)]
pub struct Exported(pub Option<String>);

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

/// The first page of a match: the handover in hotseat, else the briefing (or the table if
/// already read).
fn first_page(g: &mut Game) -> Page {
    if g.mode == Mode::Hotseat {
        if let Some(s) = g.human_need() {
            g.viewer = s;
        }
        Page::Handover
    } else if g.briefed[g.viewer.idx()] {
        Page::Table
    } else {
        Page::Briefing
    }
}

/// Write the debrief HTML to the data folder; returns a line for the player.
fn export(g: &Game) -> String {
    let Some(m) = g.finished() else {
        return "The debrief opens when the match is over.".into();
    };
    // Where the student keeps documents, not a hidden data folder.
    let dir = save::exports_dir();
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

/// The settings a player can change from the title and the in-match menu. The scale is chosen
/// from fixed steps, not dragged: a drag rescales the slider under the pointer.
pub fn settings_controls(ui: &mut egui::Ui, s: &mut Settings) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Interface scale:");
        for v in Settings::SCALES {
            ui.selectable_value(&mut s.ui_scale, v, format!("{:.0}%", v * 100.0));
        }
    });
    ui.checkbox(
        &mut s.colour_blind,
        "Colour-blind-safe palette (blue/orange)",
    );
    ui.checkbox(&mut s.fullscreen, "Full screen");
}

/// A new interface scale on trial: kept only if the player confirms it, as displays do, so a
/// scale that hides the controls undoes itself.
#[derive(Resource, Debug, Clone, Copy, PartialEq)]
pub struct ScaleTrial {
    /// The scale to go back to.
    pub previous: f32,
    /// When the trial began (seconds of real time).
    pub started: f64,
}

/// A short message over any page (a screenshot saved, or why not), until the next key or click.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct Toast(pub Option<String>);

fn toast(mut contexts: bevy_egui::EguiContexts, mut toast: ResMut<Toast>) -> Result {
    let Some(text) = toast.0.clone() else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let dismissed = ctx.input(|i| {
        i.pointer.any_click()
            || i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Key { pressed: true, .. }))
    });
    egui::Area::new(egui::Id::new("toast"))
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -12.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(text);
            });
        });
    if dismissed {
        toast.0 = None;
    }
    Ok(())
}

/// How long a new scale waits for a yes before it is undone.
pub const SCALE_TRIAL_SECS: f64 = 12.0;

/// Ask whether to keep a new scale; undo it when the time runs out or on Revert.
fn scale_trial(
    mut contexts: bevy_egui::EguiContexts,
    mut commands: Commands,
    trial: Option<Res<ScaleTrial>>,
    mut settings: ResMut<Settings>,
    time: Res<Time<Real>>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) -> Result {
    let Some(trial) = trial else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let left = SCALE_TRIAL_SECS - (time.elapsed_secs_f64() - trial.started);
    let mut keep = None;
    egui::Area::new(egui::Id::new("scale-trial"))
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 8.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(format!(
                    "Keep the interface at {:.0}%? It goes back to {:.0}% in {:.0} s.",
                    settings.ui_scale * 100.0,
                    trial.previous * 100.0,
                    left.max(0.0).ceil()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Keep").clicked() {
                        keep = Some(true);
                    }
                    if ui.button("Go back").clicked() {
                        keep = Some(false);
                    }
                });
            });
        });
    if left <= 0.0 {
        keep = Some(false);
    }
    match keep {
        Some(true) => commands.remove_resource::<ScaleTrial>(),
        Some(false) => {
            settings.ui_scale = trial.previous;
            settings.store();
            commands.remove_resource::<ScaleTrial>();
        }
        // The countdown needs frames while it runs.
        None => {
            redraw.write(bevy::window::RequestRedraw);
        }
    }
    Ok(())
}

/// Style and zoom for every page, before any page draws.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Prepare;

fn prepare(
    mut contexts: bevy_egui::EguiContexts,
    mut settings: ResMut<Settings>,
    mut styled: Local<bool>,
    mut clear: ResMut<ClearColor>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if !*styled {
        ui::apply_style(ctx);
        *styled = true;
    }
    let [r, g, b, _] = ui::page_colour(ctx).to_array();
    let ground = Color::srgb_u8(r, g, b);
    if clear.0 != ground {
        clear.0 = ground;
    }
    // Ctrl+0 always brings the interface back to its normal size.
    if ctx.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Num0))
        && settings.ui_scale != 1.0
    {
        settings.ui_scale = 1.0;
        settings.store();
    }
    if (ctx.zoom_factor() - settings.ui_scale).abs() > 1e-3 {
        ctx.set_zoom_factor(settings.ui_scale);
    }
    Ok(())
}

/// Where a page's intents go: moves to the table, navigation to the screen flow, settings to
/// disk.
#[derive(bevy::ecs::system::SystemParam)]
pub struct Outbox<'w, 's> {
    moves: MessageWriter<'w, Move>,
    nav: MessageWriter<'w, Nav>,
    /// The player's settings (a page may change them).
    pub settings: ResMut<'w, Settings>,
    trial: Option<Res<'w, ScaleTrial>>,
    time: Res<'w, Time<Real>>,
    commands: Commands<'w, 's>,
}

impl Outbox<'_, '_> {
    /// Carry out what a page asked for.
    pub fn send(&mut self, intents: Vec<Intent>) {
        for i in intents {
            match i {
                Intent::Act(a) => {
                    self.moves.write(Move(a));
                }
                Intent::Nav(n) => {
                    self.nav.write(n);
                }
                Intent::Settings(s) => {
                    let s = s.sane();
                    if s.ui_scale != self.settings.ui_scale && self.trial.is_none() {
                        self.commands.insert_resource(ScaleTrial {
                            previous: self.settings.ui_scale,
                            started: self.time.elapsed_secs_f64(),
                        });
                    }
                    *self.settings = s;
                    s.store();
                }
            }
        }
    }

    /// The palette the settings ask for.
    pub fn palette(&self) -> Palette {
        Palette::new(self.settings.colour_blind)
    }
}

/// The pages draw in this set, after [`Prepare`] and before what floats over them.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pages;

/// Add the draw system of a match step whose page needs only the game: gated by the step and
/// by the in-match menu being closed.
pub fn step_page_plugin(
    app: &mut App,
    step: Step,
    page: fn(&mut egui::Ui, &Palette, &Game) -> Vec<Intent>,
) {
    let draw = move |mut contexts: bevy_egui::EguiContexts,
                     game: Option<Res<Game>>,
                     mut out: Outbox|
          -> Result {
        let mut root = root_ui(contexts.ctx_mut()?);
        if let Some(g) = game {
            let intents = page(&mut root, &out.palette(), &g);
            out.send(intents);
        }
        Ok(())
    };
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw.run_if(in_state(step))
            .run_if(menu_closed)
            .in_set(Pages),
    );
}

/// Whether the in-match menu is closed (a match page draws only then).
pub fn menu_closed(menu: Option<Res<menu::MatchMenu>>) -> bool {
    menu.is_none_or(|m| !m.open)
}

/// The screens' state and flow: what each page keeps lives while its page is up.
pub fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .add_sub_state::<Step>()
        .init_resource::<Notice>()
        .init_resource::<Saves>()
        .init_resource::<Toast>()
        .init_resource::<Exported>()
        .init_resource::<crate::app::class::Joining>()
        .add_systems(OnEnter(Screen::Match), |mut e: ResMut<Exported>| {
            e.0 = None;
        });
    title::plugin(app);
    join::plugin(app);
    console::plugin(app);
    menu::plugin(app);
    table::plugin(app);
    super::debrief::plugin(app);
}

/// The egui drawing of every page: each screen module adds its own system, gated by its state.
pub fn draw_plugin(app: &mut App) {
    use bevy_egui::EguiPrimaryContextPass as Pass;
    app.configure_sets(Pass, (Prepare, Pages.after(Prepare)))
        .add_systems(Pass, prepare.in_set(Prepare))
        .add_systems(Pass, (toast, scale_trial).after(Pages));
    title::draw_plugin(app);
    join::draw_plugin(app);
    console::draw_plugin(app);
    menu::draw_plugin(app);
    briefing::draw_plugin(app);
    handover::draw_plugin(app);
    table::draw_plugin(app);
    super::debrief::draw_plugin(app);
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
