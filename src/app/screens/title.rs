//! The title screen: choose a level and a mode, continue the autosave, settings, quit.

use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::app::game::{Mode, Setup};
use crate::app::save::{SaveStatus, Slot};
use crate::app::settings::Settings;
use crate::app::ui::{Palette, cycle, key_button, key_hint, key_pressed, solid_card};
use crate::sim::{Difficulty, Personality, Scenario, Side};
use std::path::PathBuf;
use std::sync::Arc;

/// A level file found in the levels folder: loaded, or its errors as `file:line:col: ...`.
#[derive(Debug, Clone)]
pub struct LevelEntry {
    pub path: PathBuf,
    pub result: Result<Arc<Scenario>, String>,
}

/// Load every level of a folder, in the order of [`sort_levels`].
pub fn load_levels(dir: &std::path::Path) -> Vec<LevelEntry> {
    let mut v: Vec<LevelEntry> = crate::level::load_dir(dir)
        .into_iter()
        .map(|e| LevelEntry {
            path: e.path,
            result: e.result.map(Arc::new).map_err(|e| e.to_string()),
        })
        .collect();
    sort_levels(&mut v);
    v
}

/// The order a new student should meet the levels in: tutorials first, then the shorter
/// matches before the longer ones, then by title; levels that fail to load come last, by file.
pub fn sort_levels(levels: &mut [LevelEntry]) {
    levels.sort_by_cached_key(|l| match &l.result {
        Ok(sc) => (
            0,
            !sc.id.starts_with("tutorial"),
            sc.rounds,
            sc.title.to_lowercase(),
            l.path.clone(),
        ),
        Err(_) => (1, true, 0, String::new(), l.path.clone()),
    });
}

/// Choices on the title screen.
#[derive(Debug, Clone, PartialEq, bevy::prelude::Resource)]
pub struct TitleState {
    pub selected: Option<usize>,
    pub vs_ai: bool,
    pub personality: Option<Personality>,
    pub difficulty: Option<Difficulty>,
    pub human: Side,
    pub seed: u64,
    pub show_settings: bool,
    /// The saved match the player asked to delete, waiting for a yes.
    pub confirm_delete: Option<std::path::PathBuf>,
    /// The level the counterpart choices belong to: another level starts from the counterpart
    /// its guide names.
    pub choices_for: Option<String>,
}

impl Default for TitleState {
    fn default() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() % 100_000);
        TitleState {
            selected: None,
            vs_ai: true,
            personality: None,
            difficulty: None,
            human: Side::A,
            seed,
            show_settings: false,
            choices_for: None,
            confirm_delete: None,
        }
    }
}

/// What the player asked for.
#[derive(Debug, Clone)]
pub enum TitleIntent {
    Start(Setup),
    /// Continue the saved match in this file.
    Continue(std::path::PathBuf),
    /// Delete the saved match in this file (confirmed).
    Delete(std::path::PathBuf),
    Settings(Settings),
    ReloadLevels,
    /// Open the page that joins a class on the network.
    JoinClass,
    Quit,
}

/// A personality in a sentence, for students choosing an opponent.
pub fn personality_hint(p: Personality) -> &'static str {
    match p {
        Personality::Hawk => "Hawk: asks a lot, concedes late, insists on verification.",
        Personality::Dove => "Dove: concedes early and makes goodwill gestures.",
        Personality::Reciprocator => {
            "Reciprocator: mirrors you — kindness for kindness, and the reverse."
        }
        Personality::Pragmatist => {
            "Pragmatist: learns what you value from your offers and trades for it."
        }
    }
}

/// Draw the title screen.
pub fn title_ui(
    ui: &mut Ui,
    pal: &Palette,
    levels: &[LevelEntry],
    saves: &[Slot],
    notice: Option<&str>,
    st: &mut TitleState,
    settings: &Settings,
) -> Option<TitleIntent> {
    let mut out = None;
    if st.selected.is_none() {
        st.selected = levels.iter().position(|l| l.result.is_ok());
    }
    // ↑ / ↓ walk the playable levels.
    let playable: Vec<usize> = (0..levels.len())
        .filter(|i| levels[*i].result.is_ok())
        .collect();
    if let Some(cur) = st
        .selected
        .and_then(|s| playable.iter().position(|i| *i == s))
    {
        if key_pressed(ui, egui::Key::ArrowDown) && cur + 1 < playable.len() {
            st.selected = Some(playable[cur + 1]);
        }
        if key_pressed(ui, egui::Key::ArrowUp) && cur > 0 {
            st.selected = Some(playable[cur - 1]);
        }
    }
    // The name and the game's own buttons stay in view whatever the scale; the rest scrolls.
    // Opaque, over the map behind the page.
    let ground = crate::app::ui::page_colour(ui.ctx());
    egui::Panel::top("title-top")
        .frame(egui::Frame::side_top_panel(ui.style()).fill(ground))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new("Détente")
                        .size(30.0)
                        .strong()
                        .color(pal.accent),
                );
                ui.label(
                    RichText::new(
                        "A negotiation game about turning old enemies into predictable neighbours",
                    )
                    .italics(),
                );
            });
            ui.horizontal_wrapped(|ui| {
                let label = if st.show_settings {
                    "Hide settings"
                } else {
                    "Settings"
                };
                if ui.button(label).clicked() {
                    st.show_settings = !st.show_settings;
                }
                if ui
                    .button("Join a class  [J]")
                    .on_hover_text("Play one seat of a table your instructor hosts on the network.")
                    .clicked()
                    || key_pressed(ui, egui::Key::J)
                {
                    out = Some(TitleIntent::JoinClass);
                }
                let reload = ui
                    .button("Reload levels  [F5]")
                    .on_hover_text("Read the levels folder again (after editing a level file).")
                    .clicked();
                if reload || key_pressed(ui, egui::Key::F5) {
                    out = Some(TitleIntent::ReloadLevels);
                }
                if ui.button("Quit").clicked() {
                    out = Some(TitleIntent::Quit);
                }
            });
            if st.show_settings {
                let mut s = *settings;
                super::settings_controls(ui, &mut s);
                if s != *settings {
                    out = Some(TitleIntent::Settings(s));
                }
            }
            ui.add_space(4.0);
        });
    // Translucent, so the chosen level's map shows behind the choices.
    let veil = crate::app::ui::page_colour(ui.ctx());
    let veil = egui::Color32::from_rgba_unmultiplied(veil.r(), veil.g(), veil.b(), 205);
    egui::CentralPanel::default()
        .frame(egui::Frame::central_panel(ui.style()).fill(veil))
        .show(ui, |ui| {
        // At a large interface scale the page scrolls.
        egui::ScrollArea::vertical().id_salt("title-page").show(ui, |ui| {
        if let Some(n) = notice {
            solid_card(ui, pal, "", |ui| {
                ui.label(RichText::new(n).color(pal.warn));
            });
            ui.add_space(6.0);
        }
        ui.columns(2, |cols| {
            level_list(&mut cols[0], pal, levels, st);
            let ui = &mut cols[1];
            let chosen = st
                .selected
                .and_then(|i| levels.get(i))
                .and_then(|l| l.result.as_ref().ok().map(|sc| (l, sc)));
            solid_card(ui, pal, "New match", |ui| {
                let Some((entry, sc)) = chosen else {
                    ui.label("Choose a level that loads.");
                    return;
                };
                if st.choices_for.as_deref() != Some(sc.id.as_str()) {
                    st.choices_for = Some(sc.id.clone());
                    st.personality = None;
                    st.difficulty = None;
                }
                ui.label(RichText::new(&sc.title).strong());
                ui.label(&sc.summary);
                ui.label(
                    RichText::new(format!(
                        "{} rounds · {} exchanges per round · {} vs {}",
                        sc.rounds, sc.exchanges, sc.side_a.name, sc.side_b.name
                    ))
                    .small()
                    .color(pal.muted),
                );
                ui.add_space(6.0);
                if key_pressed(ui, egui::Key::M) {
                    st.vs_ai = !st.vs_ai;
                }
                ui.horizontal(|ui| {
                    ui.label("Mode [M]:");
                    ui.selectable_value(&mut st.vs_ai, true, "Against the computer");
                    ui.selectable_value(&mut st.vs_ai, false, "Two players at this screen");
                });
                if st.vs_ai {
                    let p = st.personality.get_or_insert(sc.ai.personality);
                    if key_pressed(ui, egui::Key::P) {
                        *p = cycle(&crate::ai::PERSONALITIES, *p);
                    }
                    ui.horizontal(|ui| {
                        ui.label("Opponent [P]:");
                        for q in crate::ai::PERSONALITIES {
                            ui.selectable_value(p, q, format!("{q:?}"))
                                .on_hover_text(personality_hint(q));
                        }
                    });
                    ui.label(RichText::new(personality_hint(*p)).small().color(pal.muted));
                    let d = st.difficulty.get_or_insert(sc.ai.difficulty);
                    let levels_of_play = [Difficulty::Easy, Difficulty::Normal, Difficulty::Hard];
                    if key_pressed(ui, egui::Key::D) {
                        *d = cycle(&levels_of_play, *d);
                    }
                    ui.horizontal(|ui| {
                        ui.label("Difficulty [D]:");
                        for q in levels_of_play {
                            ui.selectable_value(d, q, format!("{q:?}"));
                        }
                    });
                    if key_pressed(ui, egui::Key::S) {
                        st.human = st.human.other();
                    }
                    ui.horizontal(|ui| {
                        ui.label("You lead [S]:");
                        for s in Side::BOTH {
                            ui.selectable_value(&mut st.human, s, &sc.side(s).name);
                        }
                    });
                } else {
                    ui.label(
                        RichText::new("Each player sees only their own brief; the screen hides it while you hand over.")
                            .small()
                            .color(pal.muted),
                    );
                }
                ui.horizontal(|ui| {
                    ui.label("Seed:");
                    ui.add(egui::DragValue::new(&mut st.seed).range(0..=u64::MAX))
                        .on_hover_text("The same level, seed and moves always give the same match.");
                });
                ui.add_space(6.0);
                if key_button(ui, "Start", egui::Key::Enter, true) {
                    let mode = if st.vs_ai {
                        Mode::VsAi {
                            human: st.human,
                            personality: st.personality.unwrap_or(sc.ai.personality),
                            difficulty: st.difficulty.unwrap_or(sc.ai.difficulty),
                        }
                    } else {
                        Mode::Hotseat
                    };
                    out = Some(TitleIntent::Start(Setup {
                        level_file: entry.path.clone(),
                        scenario: sc.clone(),
                        seed: st.seed,
                        mode,
                    }));
                }
            });
            ui.add_space(8.0);
            solid_card(ui, pal, "Saved matches", |ui| {
                saved_matches(ui, pal, saves, st, &mut out);
            });
            ui.add_space(8.0);
            key_hint(
                ui,
                pal,
                "Keyboard: ↑ ↓ choose a level · M P D S change the match · Enter starts · Tab moves between buttons, Space presses, Esc lets go.",
            );
        });
        });
    });
    out
}

/// Each saved match with its level, progress and date: Continue, or Delete after a yes. The
/// most recent one also answers to C.
fn saved_matches(
    ui: &mut Ui,
    pal: &Palette,
    saves: &[Slot],
    st: &mut TitleState,
    out: &mut Option<TitleIntent>,
) {
    if saves.is_empty() {
        ui.label(
            RichText::new("No saved match yet. Every match saves itself after each move, in a file of its own.")
                .color(pal.muted),
        );
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("saves")
        .max_height(220.0)
        .show(ui, |ui| {
            for (n, slot) in saves.iter().enumerate() {
                let asking = st.confirm_delete.as_ref() == Some(&slot.path);
                match &slot.status {
                    SaveStatus::Ready(file, line) => {
                        let title = if file.title.is_empty() {
                            file.record.level.clone()
                        } else {
                            file.title.clone()
                        };
                        ui.label(RichText::new(title).strong());
                        ui.label(RichText::new(line).small().color(pal.muted));
                    }
                    SaveStatus::Broken(why) => {
                        ui.label(RichText::new(why).small().color(pal.bad));
                    }
                    SaveStatus::None => continue,
                }
                ui.horizontal(|ui| {
                    if asking {
                        ui.label(
                            RichText::new("Delete this saved match for good?").color(pal.warn),
                        );
                        if ui.button("Yes, delete").clicked() {
                            *out = Some(TitleIntent::Delete(slot.path.clone()));
                            st.confirm_delete = None;
                        }
                        if ui.button("No, keep it").clicked() {
                            st.confirm_delete = None;
                        }
                        return;
                    }
                    let ready = matches!(slot.status, SaveStatus::Ready(..));
                    let go = if n == 0 {
                        key_button(ui, "Continue", egui::Key::C, ready)
                    } else {
                        ui.add_enabled(ready, egui::Button::new("Continue"))
                            .clicked()
                    };
                    if go {
                        *out = Some(TitleIntent::Continue(slot.path.clone()));
                    }
                    if ui.button("Delete…").clicked() {
                        st.confirm_delete = Some(slot.path.clone());
                    }
                });
                ui.add_space(4.0);
            }
        });
}

fn level_list(ui: &mut Ui, pal: &Palette, levels: &[LevelEntry], st: &mut TitleState) {
    solid_card(ui, pal, "Levels", |ui| {
        if levels.is_empty() {
            ui.label(
                RichText::new("No level files (.ron) found in the levels folder.").color(pal.bad),
            );
        }
        egui::ScrollArea::vertical()
            .id_salt("levels")
            .max_height(560.0)
            .show(ui, |ui| {
                for (i, l) in levels.iter().enumerate() {
                    if let Ok(sc) = &l.result {
                        let sel = st.selected == Some(i);
                        if ui
                            .selectable_label(sel, RichText::new(&sc.title).strong())
                            .clicked()
                        {
                            st.selected = Some(i);
                        }
                        ui.label(RichText::new(&sc.summary).small().color(pal.muted));
                        ui.add_space(4.0);
                    }
                }
                let broken: Vec<&LevelEntry> =
                    levels.iter().filter(|l| l.result.is_err()).collect();
                if !broken.is_empty() {
                    ui.separator();
                    ui.label(
                        RichText::new("Levels with errors (fix the file, then Reload levels)")
                            .color(pal.bad),
                    );
                }
                for l in broken {
                    let Err(e) = &l.result else { continue };
                    let name = l.path.file_name().map_or_else(
                        || l.path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    let problems = e
                        .lines()
                        .filter(|x| !x.starts_with(' ') && !x.starts_with('|'))
                        .count()
                        .max(1);
                    egui::CollapsingHeader::new(
                        RichText::new(format!("{name}: {problems} problem(s)"))
                            .strong()
                            .color(pal.bad),
                    )
                    .id_salt(("broken", &l.path))
                    .show(ui, |ui| {
                        ui.label(RichText::new(e).monospace().small().color(pal.bad));
                    });
                    // The first problem is always visible.
                    if let Some(first) = e.lines().next() {
                        ui.label(RichText::new(first).monospace().small().color(pal.bad));
                    }
                }
            });
    });
}

/// The title screen's choices, kept for the whole run so a student finds them as they left them.
pub fn plugin(app: &mut bevy::prelude::App) {
    app.init_resource::<TitleState>();
}

/// Draw the title page while it is up.
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw.run_if(in_state(super::Screen::Title))
            .in_set(super::Pages),
    );
}

fn draw(
    mut contexts: bevy_egui::EguiContexts,
    levels: bevy::prelude::Res<super::Levels>,
    saves: bevy::prelude::Res<super::Saves>,
    notice: bevy::prelude::Res<super::Notice>,
    mut st: bevy::prelude::ResMut<TitleState>,
    mut out: super::Outbox,
    map: Option<bevy::prelude::Res<crate::app::scene::MapImage>>,
) -> bevy::prelude::Result {
    let mut root = super::root_ui(contexts.ctx_mut()?);
    let chosen = st
        .selected
        .and_then(|i| levels.0.get(i))
        .and_then(|l| l.result.as_ref().ok());
    if let (Some(map), Some(sc)) = (map, chosen) {
        crate::app::scene::backdrop(&root, map.texture, &sc.public().map);
    }
    let settings = *out.settings;
    let intents = super::title_page(
        &mut root,
        &out.palette(),
        &levels.0,
        &saves.0,
        notice.0.as_deref(),
        st.as_mut(),
        &settings,
    );
    out.send(intents);
    Ok(())
}
