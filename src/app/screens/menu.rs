//! The in-match menu (Esc): resume, settings, save and leave, or give the match up after a
//! yes. While it is open the match page is hidden, so two players at one screen can open it
//! without showing a brief.

use super::Intent;
use super::Nav;
use crate::app::egui::{self, RichText, Ui};
use crate::app::settings::Settings;
use crate::app::ui::{Palette, card, key_button};
use bevy::prelude::Resource;

/// What the menu keeps while a match is up.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct MatchMenu {
    pub open: bool,
    /// Give up was pressed once; the second press must confirm.
    pub confirm_abandon: bool,
}

impl MatchMenu {
    /// Esc opens and closes the menu. While a widget has the keyboard focus, Esc first lets
    /// go of it (as everywhere in the game); the next Esc opens the menu.
    pub fn toggle_on_escape(&mut self, ui: &Ui) {
        let focused = ui.ctx().memory(|m| m.focused().is_some());
        if (self.open || !focused) && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.open = !self.open;
            self.confirm_abandon = false;
        }
    }
}

/// Draw the menu; returns what the player chose.
pub fn menu_ui(
    ui: &mut Ui,
    pal: &Palette,
    st: &mut MatchMenu,
    settings: &Settings,
    saving: bool,
    class: bool,
) -> Vec<Intent> {
    let mut out = Vec::new();
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(24.0);
                ui.set_max_width(520.0);
                // A class table goes on for the other seat: only a match in this window pauses.
                let title = if class { "Menu" } else { "Match paused" };
                card(ui, title, |ui| {
                    let hint = if class {
                        "The table is hidden while this menu is open; the class goes on."
                    } else {
                        "The table is hidden while this menu is open."
                    };
                    ui.label(RichText::new(hint).small().color(pal.muted));
                    ui.add_space(6.0);
                    if key_button(ui, "Resume", egui::Key::R, true) {
                        st.open = false;
                    }
                    let leave = if class {
                        "Leave the table (join again with the same code to come back)"
                    } else if saving {
                        "Save and leave to the title"
                    } else {
                        "Leave to the title (saving is off)"
                    };
                    if key_button(ui, leave, egui::Key::L, true) {
                        out.push(Intent::Nav(Nav::SaveAndLeave));
                    }
                    ui.add_space(6.0);
                    if class {
                        // The host keeps the match; only the instructor can end a seat's part.
                    } else if st.confirm_abandon {
                        ui.label(
                            RichText::new(
                                "Give this match up for good? Its save is deleted and it cannot be continued.",
                            )
                            .color(pal.warn),
                        );
                        ui.horizontal(|ui| {
                            if key_button(ui, "Yes, give it up", egui::Key::Y, true) {
                                out.push(Intent::Nav(Nav::Abandon));
                            }
                            if key_button(ui, "No", egui::Key::N, true) {
                                st.confirm_abandon = false;
                            }
                        });
                    } else if ui.button("Give the match up…").clicked() {
                        st.confirm_abandon = true;
                    }
                });
                ui.add_space(8.0);
                let mut s = *settings;
                card(ui, "Settings", |ui| {
                    crate::app::screens::settings_controls(ui, &mut s);
                });
                if s != *settings {
                    out.push(Intent::Settings(s));
                }
                ui.add_space(6.0);
                ui.label(
                    RichText::new("Esc or R resumes · L leaves (the match is kept) · Ctrl+0 resets the interface scale")
                        .small()
                        .color(pal.muted),
                );
            });
        });
    });
    out
}

/// The menu's state lives while a match is up.
pub fn plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(OnEnter(super::Screen::Match), |mut c: Commands| {
        c.init_resource::<MatchMenu>();
    })
    .add_systems(OnExit(super::Screen::Match), |mut c: Commands| {
        c.remove_resource::<MatchMenu>();
    });
}

/// Esc and the menu, before the match's pages: when it is open they do not draw.
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw.run_if(in_state(super::Screen::Match))
            .after(super::Prepare)
            .before(super::Pages),
    );
}

fn draw(
    mut contexts: bevy_egui::EguiContexts,
    menu: Option<bevy::prelude::ResMut<MatchMenu>>,
    saves: bevy::prelude::Res<crate::app::SaveDir>,
    game: Option<bevy::prelude::Res<crate::app::Game>>,
    mut out: super::Outbox,
) -> bevy::prelude::Result {
    let Some(mut menu) = menu else {
        return Ok(());
    };
    let mut root = super::root_ui(contexts.ctx_mut()?);
    menu.toggle_on_escape(&root);
    if menu.open {
        let settings = *out.settings;
        let intents = menu_ui(
            &mut root,
            &out.palette(),
            &mut menu,
            &settings,
            saves.0.is_some(),
            game.is_some_and(|g| g.client().is_some()),
        );
        out.send(intents);
    }
    Ok(())
}
