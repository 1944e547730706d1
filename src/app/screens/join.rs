//! "Join a class": the address and seat code the instructor gave, then the lobby until both
//! seats of the table are taken.

use crate::app::class::{Joining, link_line};
use crate::app::egui::{self, RichText, Ui};
use crate::app::ui::{Palette, card, key_button, key_pressed};
use crate::net::client::{Client, Status};
use std::time::Instant;

/// What the join page asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinIntent {
    /// Connect with the fields as typed (again, after a failure).
    Join,
    /// Stop trying and go back to the title.
    Back,
}

/// Draw the join page; pure apart from the text fields it edits.
pub fn join_ui(
    ui: &mut Ui,
    pal: &Palette,
    address: &mut String,
    code: &mut String,
    client: Option<&Client>,
    now: Instant,
) -> Option<JoinIntent> {
    let mut out = None;
    let busy = client.is_some_and(|c| !matches!(c.status(), Status::Failed(_)));
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(24.0);
                ui.set_max_width(560.0);
                card(ui, "Join a class", |ui| {
                    ui.label(
                        "Your instructor runs the class on one computer and gives each student a seat code. Type the address and your code as they were given.",
                    );
                    ui.add_space(8.0);
                    egui::Grid::new("join-fields")
                        .num_columns(2)
                        .spacing([8.0, 6.0])
                        .show(ui, |ui| {
                            ui.label("Address");
                            ui.add_enabled(
                                !busy,
                                egui::TextEdit::singleline(address)
                                    .hint_text("e.g. 192.168.1.20:7878")
                                    .desired_width(260.0),
                            )
                            .on_hover_text(
                                "The computer running the class, with its port (7878 unless the instructor says otherwise).",
                            );
                            ui.end_row();
                            ui.label("Seat code");
                            ui.add_enabled(
                                !busy,
                                egui::TextEdit::singleline(code)
                                    .hint_text("e.g. RIVER-4821")
                                    .desired_width(260.0),
                            )
                            .on_hover_text(
                                "Your own seat's code. The same code takes the seat back if the game was closed.",
                            );
                            ui.end_row();
                        });
                    ui.add_space(8.0);
                    ui.horizontal_wrapped(|ui| {
                        let ready = !busy && !address.trim().is_empty() && !code.trim().is_empty();
                        let label = if client.is_some() { "Try again" } else { "Join" };
                        if key_button(ui, label, egui::Key::Enter, ready) {
                            out = Some(JoinIntent::Join);
                        }
                        if ui.button("Back to the title  [Esc]").clicked()
                            || key_pressed(ui, egui::Key::Escape)
                        {
                            out = Some(JoinIntent::Back);
                        }
                    });
                });
                if let Some(c) = client {
                    ui.add_space(8.0);
                    card(ui, "", |ui| status(ui, pal, c, now));
                }
                ui.add_space(6.0);
                ui.label(
                    RichText::new(
                        "No class? A match against the computer or at one screen starts from the title.",
                    )
                    .small()
                    .color(pal.muted),
                );
            });
        });
    });
    out
}

/// Where the connection stands, in words a student can act on.
fn status(ui: &mut Ui, pal: &Palette, c: &Client, now: Instant) {
    let (ok, line) = link_line(c, now);
    let colour = if ok { pal.good } else { pal.warn };
    ui.label(RichText::new(line).color(colour).strong());
    if let Status::Failed(_) = c.status() {
        return;
    }
    let Some(seat) = c.seat() else {
        ui.label(RichText::new(c.url()).small().color(pal.muted));
        return;
    };
    let level = &seat.level;
    ui.label(format!(
        "Table {} · {} · you lead {}",
        seat.table,
        level.title,
        level.side(seat.side).name
    ));
    if c.waiting_for().is_empty() {
        ui.label("Both seats are taken: the match is starting.");
    } else {
        let names: Vec<&str> = c
            .waiting_for()
            .iter()
            .map(|s| level.side(*s).name.as_str())
            .collect();
        ui.label(format!(
            "Waiting for the student leading {} to join. The match starts when every seat is taken.",
            names.join(" and ")
        ));
        ui.spinner();
    }
}

/// The page's fields live for the whole run, so a student finds them as they left them.
pub fn plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(OnExit(super::Screen::Join), |mut j: ResMut<Joining>| {
        // Leaving the page without a match drops the connection; a started match took it.
        j.client = None;
    });
}

/// Draw the join page while it is up.
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw.run_if(in_state(super::Screen::Join))
            .in_set(super::Pages),
    );
}

fn draw(
    mut contexts: bevy_egui::EguiContexts,
    joining: Option<bevy::prelude::ResMut<Joining>>,
    proxy: Option<bevy::prelude::Res<bevy::winit::EventLoopProxyWrapper>>,
    mut screen: bevy::prelude::ResMut<bevy::prelude::NextState<super::Screen>>,
    out: super::Outbox,
) -> bevy::prelude::Result {
    let Some(mut j) = joining else {
        return Ok(());
    };
    let mut root = super::root_ui(contexts.ctx_mut()?);
    let j = j.as_mut();
    let (mut address, mut code) = (j.address.clone(), j.code.clone());
    let intent = join_ui(
        &mut root,
        &out.palette(),
        &mut address,
        &mut code,
        j.client.as_ref(),
        Instant::now(),
    );
    j.address = address;
    j.code = code;
    match intent {
        Some(JoinIntent::Join) => crate::app::class::connect(j, proxy.as_deref()),
        Some(JoinIntent::Back) => screen.set(super::Screen::Title),
        None => {}
    }
    Ok(())
}
