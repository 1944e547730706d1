//! Between two people at one screen: everything private is hidden until the next player
//! confirms they hold the device.

use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::app::ui::{Palette, key_button};
use crate::sim::{PublicLevel, Side};

/// Draw the handover card for `next`; true when that player confirms. Draws nothing private.
pub fn handover_ui(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, next: Side) -> bool {
    let mut go = false;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.3);
            ui.label(RichText::new("Hand over the screen").size(30.0).strong());
            ui.add_space(10.0);
            ui.label(
                RichText::new(format!("{}'s turn.", sc.side(next).name))
                    .size(18.0)
                    .color(pal.accent),
            );
            ui.label(format!(
                "Players for {}: please look away now. Only the player leading {} may press the button.",
                sc.side(next.other()).name,
                sc.side(next).name
            ));
            ui.add_space(16.0);
            go = key_button(ui, &format!("I lead {}: show my screen", sc.side(next).name), egui::Key::Enter, true);
        });
    });
    go
}

/// Draw this step of a match while it is up (and the in-match menu is closed).
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    super::step_page_plugin(app, super::Step::Handover, super::handover_page);
}
