//! Pure egui drawing code: functions take a view and return what the player asked for.
//! Nothing here knows about Bevy, and nothing here implements a rule.

pub mod coach;
pub mod commitments;
pub mod event_card;
pub mod factions;
pub mod meters;
pub mod news;
pub mod offer;
pub mod press;
pub mod season;
pub mod summary;

/// The number keys 1–9, for choosing the n-th item of a list.
pub(crate) const DIGITS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

use crate::app::egui;
use crate::app::egui::{Color32, RichText, Ui};

/// Colours of the interface. The colour-blind-safe variant uses the Okabe-Ito blue/orange pair;
/// every colour also comes with a sign or a word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub good: Color32,
    pub bad: Color32,
    pub warn: Color32,
    pub accent: Color32,
    pub muted: Color32,
    pub card: Color32,
    pub flash: Color32,
}

impl Palette {
    pub fn new(colour_blind: bool) -> Palette {
        if colour_blind {
            Palette {
                good: Color32::from_rgb(86, 180, 233),
                bad: Color32::from_rgb(230, 159, 0),
                warn: Color32::from_rgb(240, 228, 66),
                accent: Color32::from_rgb(0, 158, 115),
                muted: Color32::from_gray(150),
                card: Color32::from_rgb(32, 36, 44),
                flash: Color32::from_rgb(255, 255, 255),
            }
        } else {
            Palette {
                good: Color32::from_rgb(96, 200, 120),
                bad: Color32::from_rgb(235, 95, 85),
                warn: Color32::from_rgb(235, 185, 70),
                accent: Color32::from_rgb(110, 170, 240),
                muted: Color32::from_gray(150),
                card: Color32::from_rgb(32, 36, 44),
                flash: Color32::from_rgb(255, 240, 160),
            }
        }
    }

    /// Whether this is the colour-blind-safe palette.
    pub fn colour_blind(&self) -> bool {
        *self == Palette::new(true)
    }

    /// Colour for a change where up is good (`up_good`) or bad.
    pub fn delta(&self, d: f32, up_good: bool) -> Color32 {
        if d.abs() < 0.5 {
            self.muted
        } else if (d > 0.0) == up_good {
            self.good
        } else {
            self.bad
        }
    }
}

impl Default for Palette {
    fn default() -> Self {
        Palette::new(false)
    }
}

/// "+3 ▲" / "−2 ▼" / "±0".
pub fn delta_text(d: f32) -> String {
    // Round once, and print that number: a change that shows as 0 never carries an arrow.
    let r = d.round() as i64;
    match r.signum() {
        0 => "±0".into(),
        1 => format!("+{r} ▲"),
        _ => format!("−{} ▼", -r),
    }
}

/// A coloured change label.
pub fn delta_label(ui: &mut Ui, pal: &Palette, d: f32, up_good: bool) {
    ui.label(
        RichText::new(delta_text(d))
            .color(pal.delta(d, up_good))
            .strong(),
    );
}

/// A card: a framed group with a title, outlined on the page. It leaves its ground to the
/// window's clear colour: a filled card costs a software renderer every pixel it covers on
/// every frame, and the table's cards cover a third of the window.
pub fn card<R>(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui) -> R) -> egui::InnerResponse<R> {
    framed(ui, Color32::TRANSPARENT, title, add)
}

/// A card with a ground of its own, for a page drawn over the map (the title), where an
/// outline alone would leave the text over the map's names.
pub fn solid_card<R>(
    ui: &mut Ui,
    pal: &Palette,
    title: &str,
    add: impl FnOnce(&mut Ui) -> R,
) -> egui::InnerResponse<R> {
    framed(ui, pal.card, title, add)
}

fn framed<R>(
    ui: &mut Ui,
    fill: Color32,
    title: &str,
    add: impl FnOnce(&mut Ui) -> R,
) -> egui::InnerResponse<R> {
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, Color32::from_gray(70)))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::same(10))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            // Ragged-right text reads better than egui's justified columns.
            ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                if !title.is_empty() {
                    ui.label(RichText::new(title).heading().strong());
                    ui.add_space(4.0);
                }
                add(ui)
            })
            .inner
        })
}

/// A button with its keyboard shortcut in the label; true when clicked or the key is pressed.
/// The key works only while `enabled` holds and no widget needs it (see [`key_pressed`]).
pub fn key_button(ui: &mut Ui, text: &str, key: egui::Key, enabled: bool) -> bool {
    let label = format!("{text}  [{}]", key_name(key));
    let clicked = ui
        .add_enabled(enabled, egui::Button::new(RichText::new(label).strong()))
        .clicked();
    clicked || (enabled && key_pressed(ui, key))
}

/// Whether a key also drives egui's own keyboard focus: Enter and Space press the focused
/// widget, arrows and Tab move the focus.
fn acts_on_focus(key: egui::Key) -> bool {
    use egui::Key::*;
    matches!(
        key,
        Enter | Space | Tab | ArrowUp | ArrowDown | ArrowLeft | ArrowRight
    )
}

/// Whether the shortcut `key` was pressed this frame (without modifiers).
///
/// Keyboard play mixes shortcuts with egui's focus (Tab to a widget, Space or Enter to press
/// it, Esc to let go): letter, digit and other keys work unless a text field is being typed
/// in; Enter, Space and the arrows only while no widget has the focus, so they never press
/// a focused widget and a shortcut at once.
pub fn key_pressed(ui: &Ui, key: egui::Key) -> bool {
    let ctx = ui.ctx();
    let free = if acts_on_focus(key) {
        !ctx.egui_wants_keyboard_input()
    } else {
        !ctx.text_edit_focused()
    };
    free && ui.input(|i| i.key_pressed(key) && i.modifiers.is_none())
}

/// A small muted line of keyboard hints.
pub fn key_hint(ui: &mut Ui, pal: &Palette, text: &str) {
    ui.label(RichText::new(text).small().color(pal.muted));
}

/// The next value after `cur` in `all`, wrapping round (the first if `cur` is not in it).
pub fn cycle<T: PartialEq + Copy>(all: &[T], cur: T) -> T {
    let i = all.iter().position(|x| *x == cur).map_or(0, |i| i + 1);
    all[i % all.len()]
}

/// How a key is written in button labels.
pub fn key_name(key: egui::Key) -> &'static str {
    match key {
        egui::Key::Enter => "Enter",
        egui::Key::Space => "Space",
        egui::Key::Escape => "Esc",
        egui::Key::Delete => "Del",
        egui::Key::ArrowUp => "↑",
        egui::Key::ArrowDown => "↓",
        k => k.name(),
    }
}

/// The display face's family: mastheads and the titles of the cards between rounds.
pub fn display_family() -> egui::FontFamily {
    egui::FontFamily::Name("display".into())
}

/// A font of the display face, or of the text face where the display face is not loaded
/// (a bare context in tests): asking egui for a family it lacks would panic.
pub fn display_font(ctx: &egui::Context, size: f32) -> egui::FontId {
    let family = display_family();
    if ctx.fonts(|f| f.definitions().families.contains_key(&family)) {
        egui::FontId::new(size, family)
    } else {
        egui::FontId::proportional(size)
    }
}

/// The game's fonts, built into the program (see `assets/LICENSES.md`): Noto Sans for text
/// (every accent of the European languages), Noto Serif Display for mastheads, Phosphor for
/// icons, and egui's own faces behind them for arrows and symbols.
pub fn fonts() -> egui::FontDefinitions {
    use crate::app::egui::FontFamily::Proportional;
    use std::sync::Arc;
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "text".into(),
        Arc::new(egui::FontData::from_static(include_bytes!(
            "../../../assets/fonts/NotoSans-Regular.ttf"
        ))),
    );
    fonts.font_data.insert(
        "display".into(),
        Arc::new(egui::FontData::from_static(include_bytes!(
            "../../../assets/fonts/NotoSerifDisplay-Bold.ttf"
        ))),
    );
    if let Some(fam) = fonts.families.get_mut(&Proportional) {
        fam.insert(0, "text".into());
        // Arrows and triangles (→ ▲ ▼) come from Hack.
        fam.push("Hack".into());
    }
    egui_phosphor::add_to_fonts(&mut fonts, egui_phosphor::Variant::Regular);
    let mut display = vec!["display".to_string()];
    display.extend(fonts.families[&Proportional].iter().cloned());
    fonts.families.insert(display_family(), display);
    fonts
}

/// Set readable sizes for a 1280x800 window.
pub fn apply_style(ctx: &egui::Context) {
    use crate::app::egui::{FontFamily::Proportional, FontId, TextStyle};
    ctx.set_fonts(fonts());
    ctx.all_styles_mut(|s| {
        s.text_styles = [
            (TextStyle::Heading, FontId::new(19.0, Proportional)),
            (TextStyle::Body, FontId::new(14.0, Proportional)),
            (TextStyle::Button, FontId::new(14.0, Proportional)),
            (TextStyle::Small, FontId::new(11.5, Proportional)),
            (
                TextStyle::Monospace,
                FontId::new(13.0, egui::FontFamily::Monospace),
            ),
        ]
        .into();
        s.spacing.item_spacing = egui::vec2(8.0, 5.0);
        if s.visuals.dark_mode {
            s.visuals.override_text_color = Some(Color32::from_gray(218));
        }
        s.spacing.button_padding = egui::vec2(8.0, 4.0);
        // Panels leave their ground to the window's clear colour (`page_colour`): painting it
        // again would cost a software renderer a whole window of pixels each frame.
        s.visuals.panel_fill = Color32::TRANSPARENT;
    });
}

/// The ground of every page, which the window is cleared to: egui's panel colour for the
/// theme in use.
pub fn page_colour(ctx: &egui::Context) -> Color32 {
    if ctx.theme() == egui::Theme::Dark {
        egui::Visuals::dark().panel_fill
    } else {
        egui::Visuals::light().panel_fill
    }
}

/// A label in a box of fixed width, cut with "…" if too long (full text on hover).
pub fn fixed_label(ui: &mut Ui, width: f32, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.allocate_ui_with_layout(
        egui::vec2(width, 18.0),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_width(width);
            ui.add(egui::Label::new(text).truncate())
        },
    )
    .inner
}
