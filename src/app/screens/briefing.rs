//! The briefing: the shared history, then the current player's private brief and priorities.

use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::app::ui::{Palette, card, factions::priorities, key_button};
use crate::sim::{PublicLevel, SideView};

/// Draw the briefing for `view`'s side; true when the player is ready.
pub fn briefing_ui(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, view: &SideView) -> bool {
    let mut go = false;
    // The way on stays in view at any scale; the brief scrolls above it.
    egui::Panel::bottom("briefing-go").show(ui, |ui| {
        ui.add_space(6.0);
        ui.vertical_centered(|ui| {
            go = key_button(ui, "To the table", egui::Key::Enter, true);
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.label(RichText::new(&sc.title).heading().strong());
            ui.add_space(6.0);
            ui.columns(2, |cols| {
                card(&mut cols[0], "What everyone knows", |ui| {
                    ui.label(&sc.history);
                });
                let side = sc.side(view.side);
                card(&mut cols[1], &format!("Your brief — {} (private)", side.name),
                    |ui| {
                        ui.label(RichText::new(format!("You are {}.", view.me.leader)).strong());
                        ui.label(&*view.private.brief);
                        ui.add_space(8.0);
                        ui.label(RichText::new("What matters to you (the other side cannot see this)").strong());
                        priorities(ui, pal, view);
                        ui.add_space(8.0);
                        ui.label(format!(
                            "Deals must win {:.0}% approval at home to ratify; below {:.0}% your government falls.",
                            view.private.ratify_at, view.private.ouster_below
                        ));
                    },
                );
            });
        });
    });
    go
}

/// Draw this step of a match while it is up (and the in-match menu is closed).
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    super::step_page_plugin(app, super::Step::Briefing, super::briefing_page);
}
