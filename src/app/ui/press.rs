//! The press as a student reads it: the season's lead story as a newspaper's front page, and
//! the international wire as a ticker over the press column. Pure: the window decides when a
//! front page goes up and comes down (`scene::show`).

use super::Palette;
use crate::app::egui;
use crate::app::egui::{Color32, RichText, Ui};
use crate::sim::{Event, Logged, PublicLevel, Side, SideView, Spin};

/// A season's lead story, as one outlet printed it.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontPage {
    pub outlet: String,
    /// Whose press it is (`None`: the international press).
    pub home: Option<Side>,
    /// The outlet's tone now, 0 (doom-laden) to 100 (pragmatic).
    pub tone: f32,
    pub headline: String,
    /// The outlet's second story of the season, printed under the headline.
    pub dek: Option<String>,
    pub spin: Spin,
    /// The round the story was printed in.
    pub round: u32,
}

/// The front page worth stopping the table for among `new` log entries: the lead story of the
/// latest season's press that an outlet spun up or down (a neutral lead is no front page). The
/// viewer's own press first, then the other state's, then the international press.
pub fn front_page(level: &PublicLevel, view: &SideView, new: &[Logged]) -> Option<FrontPage> {
    let round = new
        .iter()
        .filter(|l| matches!(l.event, Event::Headline { .. }))
        .map(|l| l.round)
        .max()?;
    let rank = |home: Option<Side>| match home {
        Some(s) if s == view.side => 0,
        Some(_) => 1,
        None => 2,
    };
    let mut best: Option<(u8, FrontPage)> = None;
    for o in &level.outlets {
        let stories: Vec<(&str, Spin)> = new
            .iter()
            .filter(|l| l.round == round)
            .filter_map(|l| match &l.event {
                Event::Headline { outlet, text, spin } if *outlet == o.id => {
                    Some((text.as_str(), *spin))
                }
                _ => None,
            })
            .collect();
        let Some(&(lead, spin)) = stories.first() else {
            continue;
        };
        let r = rank(o.side);
        if spin == Spin::Neutral || best.as_ref().is_some_and(|(b, _)| *b <= r) {
            continue;
        }
        let tone = view
            .outlets
            .iter()
            .find(|v| v.id == o.id)
            .map_or(o.tone, |v| v.tone);
        best = Some((
            r,
            FrontPage {
                outlet: o.name.clone(),
                home: o.side,
                tone,
                headline: lead.to_string(),
                dek: stories.get(1).map(|s| s.0.to_string()),
                spin,
                round,
            },
        ));
    }
    best.map(|(_, p)| p)
}

/// The international wire: what the international press printed, newest first.
pub fn wire(level: &PublicLevel, log: &[Logged]) -> Vec<String> {
    let international: Vec<&str> = level
        .outlets
        .iter()
        .filter(|o| o.side.is_none())
        .map(|o| o.id.as_str())
        .collect();
    let mut out: Vec<(u32, String)> = log
        .iter()
        .filter_map(|l| match &l.event {
            Event::Headline { outlet, text, .. } if international.contains(&outlet.as_str()) => {
                Some((l.round, text.clone()))
            }
            _ => None,
        })
        .collect();
    // Newest round first, each round's stories in print order.
    out.sort_by_key(|l| std::cmp::Reverse(l.0));
    out.into_iter().map(|(_, t)| t).take(8).collect()
}

/// Pixels a second the wire scrolls at.
const TICKER_SPEED: f64 = 70.0;
/// Seconds the wire rests before and after its one pass.
const TICKER_REST: f64 = 1.5;

/// The wire in one line, newest first. When new stories come in while it is on screen and they
/// run past the column, it scrolls once as far as the last new story's end and comes back to
/// rest on the newest: frames are asked for only during that pass, so an idle table stays
/// asleep. Older stories and the wire a page opens on are already read (no pass). The whole
/// wire is on hover.
pub fn ticker(ui: &mut Ui, pal: &Palette, items: &[String]) {
    if items.is_empty() {
        return;
    }
    const SEP: &str = "   ·   ";
    let text = items.join(SEP);
    let font = egui::FontId::proportional(12.5);
    let text_colour = ui.visuals().text_color();
    let galley = ui
        .painter()
        .layout_no_wrap(text.clone(), font.clone(), text_colour);
    let tag = ui.painter().layout_no_wrap(
        format!("{} WIRE", egui_phosphor::regular::BROADCAST),
        egui::FontId::proportional(11.0),
        Color32::BLACK,
    );
    let height = galley.size().y.max(tag.size().y) + 6.0;
    let (rect, resp) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), height),
        egui::Sense::hover(),
    );
    let id = ui.id().with("ticker");
    let now = ui.input(|i| i.time);
    let key = egui::Id::new(&text);
    // When these stories came in (never, for the wire the ticker first shows), and how many of
    // them, at the head of the line, are new.
    let (start, fresh) = ui.data_mut(|d| {
        let e = d.get_temp_mut_or_insert_with(id, || (key, f64::NEG_INFINITY, 0, items.to_vec()));
        if e.0 != key {
            let fresh = items.iter().take_while(|i| !e.3.contains(i)).count();
            *e = (key, now, fresh, items.to_vec());
        }
        (e.1, e.2)
    });
    let tag_w = tag.size().x + 10.0;
    let room = rect.width() - tag_w - 4.0;
    let new_end = if fresh == 0 {
        0.0
    } else {
        ui.painter()
            .layout_no_wrap(items[..fresh].join(SEP), font.clone(), text_colour)
            .size()
            .x
    };
    let overflow = (new_end.min(galley.size().x) - room).max(0.0) as f64;
    let offset = if overflow > 0.0 {
        let t = now - start;
        let pass = overflow / TICKER_SPEED;
        if t < TICKER_REST * 2.0 + pass {
            ui.ctx().request_repaint();
            ((t - TICKER_REST) * TICKER_SPEED).clamp(0.0, overflow)
        } else {
            0.0
        }
    } else {
        0.0
    };
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 3.0, Color32::from_gray(24));
    let text_rect = egui::Rect::from_min_max(
        egui::pos2(rect.left() + tag_w, rect.top()),
        rect.right_bottom(),
    );
    painter.with_clip_rect(text_rect).galley(
        egui::pos2(
            text_rect.left() + 4.0 - offset as f32,
            rect.center().y - galley.size().y / 2.0,
        ),
        galley,
        text_colour,
    );
    let tag_rect =
        egui::Rect::from_min_size(rect.left_top(), egui::vec2(tag_w - 4.0, rect.height()));
    painter.rect_filled(tag_rect, 3.0, pal.warn);
    painter.galley(
        egui::pos2(tag_rect.left() + 3.0, rect.center().y - tag.size().y / 2.0),
        tag,
        Color32::BLACK,
    );
    resp.on_hover_text(items.join("\n"));
}

/// Newsprint.
const PAPER: Color32 = Color32::from_rgb(244, 240, 228);
const INK: Color32 = Color32::from_rgb(24, 24, 26);

/// The colour of a spin on the page: a band under the masthead.
fn spin_colour(pal: &Palette, spin: Spin) -> Color32 {
    match spin {
        Spin::Upbeat => pal.good,
        Spin::Neutral => Color32::from_gray(140),
        Spin::Grim => pal.bad,
    }
}

/// A front page: the masthead in the display face, whose press and its tone, the headline and
/// the dek. `level` names the states.
pub fn front_page_ui(ui: &mut Ui, pal: &Palette, level: &PublicLevel, p: &FrontPage) {
    let ctx = ui.ctx().clone();
    let display = |size| super::display_font(&ctx, size);
    egui::Frame::new()
        .fill(PAPER)
        .stroke(egui::Stroke::new(1.0, Color32::from_gray(90)))
        .corner_radius(2.0)
        .inner_margin(egui::Margin::symmetric(18, 12))
        .show(ui, |ui| {
            ui.set_width(480.0);
            ui.style_mut().visuals.override_text_color = Some(INK);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new(&p.outlet).font(display(30.0)).color(INK));
            });
            let whose = match p.home {
                Some(s) => format!("{} press", level.side(s).name),
                None => "International press".into(),
            };
            let band = spin_colour(pal, p.spin);
            let (r, _) =
                ui.allocate_exact_size(egui::vec2(ui.available_width(), 3.0), egui::Sense::hover());
            ui.painter().rect_filled(r, 0.0, band);
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{} {whose} · round {}",
                        egui_phosphor::regular::NEWSPAPER,
                        p.round
                    ))
                    .small(),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    tone_gauge(ui, p.tone);
                    ui.label(
                        RichText::new(format!("tone: {}", super::news::tone_word(p.tone))).small(),
                    );
                });
            });
            ui.add_space(6.0);
            ui.label(RichText::new(&p.headline).font(display(24.0)).color(INK));
            if let Some(d) = &p.dek {
                ui.add_space(2.0);
                ui.label(RichText::new(d).italics().size(14.0).color(INK));
            }
        });
}

/// A small bar from doom-laden (left) to pragmatic (right) with the tone marked.
fn tone_gauge(ui: &mut Ui, tone: f32) {
    let (r, _) = ui.allocate_exact_size(egui::vec2(70.0, 8.0), egui::Sense::hover());
    let p = ui.painter();
    p.rect_filled(r, 2.0, Color32::from_gray(200));
    let x = r.left() + r.width() * (tone / 100.0).clamp(0.0, 1.0);
    p.rect_filled(
        egui::Rect::from_min_max(r.left_top(), egui::pos2(x, r.bottom())),
        2.0,
        INK,
    );
}
