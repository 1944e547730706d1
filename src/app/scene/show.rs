//! What happens between moves, on screen: a leader's fall, the season card and the season's
//! front page, one after the other over the table. Each side has its own queue, filled from
//! its own log only, so at one screen a card waits for the player it belongs to.
//!
//! A front page goes up, stays a few seconds (or until clicked or Space) and settles into the
//! press column; the fall and season cards wait to be dismissed and hold the keys meanwhile.
//! Frames are asked for only while a card moves.

use crate::app::egui;
use crate::app::game::Game;
use crate::app::screens::{self, Step};
use crate::app::settings::Settings;
use crate::app::ui::Palette;
use crate::app::ui::press::{FrontPage, front_page, front_page_ui};
use crate::app::ui::season::{Fall, Season, fall_ui, falls, season, season_ui};
use crate::sim::{Event, Side, Stage};
use bevy::prelude::*;
use std::collections::VecDeque;

/// One card of the show.
#[derive(Debug, Clone, PartialEq)]
pub enum Card {
    Fall(Fall),
    Season(Season),
    Front(FrontPage),
}

impl Card {
    /// Seconds the card takes to come in.
    fn arrive_secs(&self) -> f64 {
        match self {
            Card::Fall(_) => 1.0,
            Card::Season(_) | Card::Front(_) => 0.35,
        }
    }
}

/// Seconds a front page stays up before it settles by itself.
pub const FRONT_SECS: f64 = 6.0;
/// Seconds a dismissed front page takes to fold into the press column.
pub const SETTLE_SECS: f64 = 0.6;

/// Where the card at the head of a queue stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// Coming in, 0 to 1.
    Arriving(f32),
    Up,
    /// A front page folding into the press column, 0 to 1.
    Settling(f32),
}

/// Each side's cards and how far its log was read.
#[derive(Resource, Debug, Default)]
pub struct Show {
    read: [usize; 2],
    queue: [VecDeque<Card>; 2],
    /// When the head card went up (seconds of real time).
    since: [Option<f64>; 2],
    /// When the head front page began to settle.
    settling: [Option<f64>; 2],
    /// Where the front page was last drawn, for its fold into the press column.
    last_rect: Option<egui::Rect>,
    /// A card between rounds is coming in or up this frame: the table under it, map included,
    /// is not drawn (a software renderer pays for every pixel under the card's black), and
    /// the map keeps its last picture.
    pub covers: bool,
}

impl Show {
    /// The cards waiting for `side`, the one up first.
    pub fn queued(&self, side: Side) -> &VecDeque<Card> {
        &self.queue[side.idx()]
    }

    /// The card up for `side`, and where it stands at `now`; its clock starts at the first ask.
    /// A front page past its time begins to settle, and a settled one gives way to the next.
    pub fn phase(&mut self, side: Side, now: f64) -> Option<(Card, Phase)> {
        let i = side.idx();
        loop {
            let card = self.queue[i].front()?.clone();
            let since = *self.since[i].get_or_insert(now);
            if let Some(d) = self.settling[i] {
                let f = (now - d) / SETTLE_SECS;
                if f >= 1.0 {
                    self.next(side);
                    continue;
                }
                return Some((card, Phase::Settling(f.max(0.0) as f32)));
            }
            let age = now - since;
            if matches!(card, Card::Front(_)) && age >= FRONT_SECS {
                self.settling[i] = Some(since + FRONT_SECS);
                continue;
            }
            let arrive = card.arrive_secs();
            if age < arrive {
                return Some((card, Phase::Arriving((age / arrive) as f32)));
            }
            return Some((card, Phase::Up));
        }
    }

    /// Whether a card between rounds is coming in or up for `side` at `now`, hiding the table.
    pub fn covering(&mut self, side: Side, now: f64) -> bool {
        self.phase(side, now).is_some_and(|(card, _)| covers(&card))
    }

    /// The player is done with the card up for `side`: a front page settles, others go.
    pub fn dismiss(&mut self, side: Side, now: f64) {
        let i = side.idx();
        match self.queue[i].front() {
            Some(Card::Front(_)) if self.settling[i].is_none() => self.settling[i] = Some(now),
            Some(Card::Front(_)) => {}
            Some(_) => self.next(side),
            None => {}
        }
    }

    fn next(&mut self, side: Side) {
        let i = side.idx();
        self.queue[i].pop_front();
        self.since[i] = None;
        self.settling[i] = None;
    }
}

/// A card between rounds covers the table from its first frame, and comes in over black: a
/// table dimming under a part-dark veil cost a software renderer the dearest frames of all (the
/// table, a veil over the whole window and the card at once). A front page never covers it.
fn covers(card: &Card) -> bool {
    !matches!(card, Card::Front(_))
}

/// For screenshots: replay the viewer's log from this round on when a match is put up, so
/// its cards are shown again.
#[derive(Resource, Debug, Clone, Copy)]
pub struct ShowFrom(pub u32);

/// The queues (no window needed).
pub fn plugin(app: &mut App) {
    app.init_resource::<Show>().add_systems(Update, queue);
}

/// The cards drawn over the table.
pub fn draw_plugin(app: &mut App) {
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw.run_if(in_state(Step::Table))
            .run_if(screens::menu_closed)
            .after(screens::Prepare)
            .before(screens::Pages),
    );
}

/// How long `side`'s log is, where this window holds it.
fn log_len(g: &Game, side: Side) -> usize {
    match g.table() {
        Some(t) => t.log_for(side).count(),
        None if side == g.viewer => g.log().len(),
        None => 0,
    }
}

/// Read what is new in the viewer's log and queue its cards.
fn queue(game: Option<Res<Game>>, mut show: ResMut<Show>, from: Option<Res<ShowFrom>>) {
    let Some(g) = game else {
        return;
    };
    if g.is_added() {
        // A match put up (new or continued) starts with nothing to announce.
        *show = Show {
            read: Side::BOTH.map(|s| log_len(&g, s)),
            ..default()
        };
        if let Some(from) = from {
            let v = g.viewer.idx();
            show.read[v] = g
                .log()
                .iter()
                .position(|l| l.round >= from.0)
                .unwrap_or(show.read[v]);
        }
    } else if !g.is_changed() {
        return;
    }
    let v = g.viewer;
    let log = g.log();
    let start = show.read[v.idx()].min(log.len());
    show.read[v.idx()] = log.len();
    let new = &log[start..];
    if new.is_empty() {
        return;
    }
    let level = g.level();
    let view = g.view();
    let mut cards: Vec<Card> = falls(level, new).into_iter().map(Card::Fall).collect();
    let turned = new
        .iter()
        .any(|l| matches!(l.event, Event::RoundStarted { round } if round >= 2));
    if turned
        && view.stage != Stage::Ended
        && let Some(s) = season(level, &view, &log)
    {
        cards.push(Card::Season(s));
    }
    if view.stage != Stage::Ended
        && let Some(p) = front_page(level, &view, new)
    {
        cards.push(Card::Front(p));
    }
    show.queue[v.idx()].extend(cards);
}

/// Draw the viewer's card, if one is up.
fn draw(
    mut contexts: bevy_egui::EguiContexts,
    game: Option<Res<Game>>,
    mut show: ResMut<Show>,
    time: Res<Time<Real>>,
    settings: Res<Settings>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
    mut clear: ResMut<ClearColor>,
) -> Result {
    let Some(g) = game else {
        return Ok(());
    };
    let side = g.viewer;
    let now = time.elapsed_secs_f64();
    let Some((card, phase)) = show.phase(side, now) else {
        if show.covers {
            show.covers = false;
        }
        return Ok(());
    };
    let covers = covers(&card);
    if show.covers != covers {
        show.covers = covers;
    }
    // A card that covers the table stands on a black window: clearing to black costs nothing,
    // where painting the veil would cost a software renderer the whole window again.
    if covers && clear.0 != Color::BLACK {
        clear.0 = Color::BLACK;
    }
    let ctx = contexts.ctx_mut()?;
    let pal = Palette::new(settings.colour_blind);
    let level = g.level();
    let screen = ctx.content_rect();
    let moving = !matches!(phase, Phase::Up) || matches!(card, Card::Front(_));
    match (&card, phase) {
        (Card::Front(_), Phase::Settling(f)) => {
            settle(ctx, show.last_rect, screen, f);
        }
        (Card::Front(p), phase) => {
            let opacity = match phase {
                Phase::Arriving(f) => f,
                _ => 1.0,
            };
            let lift = (1.0 - opacity) * 30.0;
            let resp = egui::Area::new(egui::Id::new("front-page"))
                .order(egui::Order::Foreground)
                .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 96.0 + lift))
                .sense(egui::Sense::click())
                .show(ctx, |ui| {
                    ui.multiply_opacity(opacity);
                    front_page_ui(ui, &pal, level, p);
                    // The time left before it settles.
                    let left = 1.0 - ((now - show.since[side.idx()].unwrap_or(now)) / FRONT_SECS);
                    let w = ui.min_rect().width();
                    let (r, _) = ui.allocate_exact_size(egui::vec2(w, 3.0), egui::Sense::hover());
                    ui.painter().rect_filled(
                        egui::Rect::from_min_size(
                            r.min,
                            egui::vec2(w * left.clamp(0.0, 1.0) as f32, 3.0),
                        ),
                        0.0,
                        pal.muted,
                    );
                })
                .response;
            show.last_rect = Some(resp.rect);
            let space = !ctx.egui_wants_keyboard_input()
                && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Space));
            if resp.clicked() || space {
                show.dismiss(side, now);
            }
        }
        (card, phase) => {
            let progress = match phase {
                Phase::Arriving(f) => f,
                _ => 1.0,
            };
            let view = g.view();
            if between_rounds(ctx, &pal, level, &view, card, progress) {
                show.dismiss(side, now);
            }
        }
    }
    if moving {
        redraw.write(bevy::window::RequestRedraw);
    }
    Ok(())
}

/// A card between rounds over the dimmed table, `progress` 0 to 1 as it comes in; true when
/// the player dismisses it. The card holds the keys: the table under it sees none this frame.
pub fn between_rounds(
    ctx: &egui::Context,
    pal: &Palette,
    level: &crate::sim::PublicLevel,
    view: &crate::sim::SideView,
    card: &Card,
    progress: f32,
) -> bool {
    let screen = ctx.content_rect();
    backdrop(ctx, screen);
    let mut done = false;
    egui::Area::new(egui::Id::new("between-rounds"))
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            ui.multiply_opacity(progress.clamp(0.2, 1.0));
            egui::Frame::popup(ui.style())
                .fill(pal.card)
                .inner_margin(egui::Margin::same(16))
                .show(ui, |ui| {
                    ui.set_width(560.0_f32.min(screen.width() - 40.0));
                    done = match card {
                        Card::Season(s) => season_ui(ui, pal, level, view, s),
                        Card::Fall(f) => fall_ui(ui, pal, level, view.side, f, progress),
                        Card::Front(_) => true,
                    };
                });
        });
    ctx.input_mut(|i| {
        i.events
            .retain(|e| !matches!(e, egui::Event::Key { .. } | egui::Event::Text(_)))
    });
    done
}

/// Catch the clicks meant for the table under a card.
fn backdrop(ctx: &egui::Context, screen: egui::Rect) {
    let id = egui::Id::new("between-rounds-backdrop");
    egui::Area::new(id)
        .order(egui::Order::Middle)
        .fixed_pos(screen.min)
        .show(ctx, |ui| {
            ui.allocate_exact_size(screen.size(), egui::Sense::click());
        });
}

/// A front page folding into the press column: a sheet of newsprint that shrinks towards the
/// column's head and fades.
fn settle(ctx: &egui::Context, from: Option<egui::Rect>, screen: egui::Rect, f: f32) {
    let from = from.unwrap_or(egui::Rect::from_center_size(
        screen.center(),
        egui::vec2(520.0, 200.0),
    ));
    let to = egui::Rect::from_min_size(
        egui::pos2(screen.right() - 250.0, screen.top() + 70.0),
        egui::vec2(230.0, 24.0),
    );
    let e = f * f;
    let lerp = |a: f32, b: f32| a + (b - a) * e;
    let r = egui::Rect::from_min_max(
        egui::pos2(lerp(from.left(), to.left()), lerp(from.top(), to.top())),
        egui::pos2(
            lerp(from.right(), to.right()),
            lerp(from.bottom(), to.bottom()),
        ),
    );
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::new("front-page-settle"),
    ));
    let alpha = ((1.0 - f) * 255.0) as u8;
    painter.rect_filled(
        r,
        2.0,
        egui::Color32::from_rgba_unmultiplied(244, 240, 228, alpha),
    );
    // A few lines of print, shrinking with the sheet.
    for k in 1..5 {
        let y = r.top() + r.height() * k as f32 / 5.0;
        painter.line_segment(
            [
                egui::pos2(r.left() + 8.0, y),
                egui::pos2(r.right() - 8.0, y),
            ],
            egui::Stroke::new(
                1.5,
                egui::Color32::from_rgba_unmultiplied(30, 30, 30, alpha / 2),
            ),
        );
    }
}
