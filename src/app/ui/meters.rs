//! Meters: bars that glide to a new value and flash when it changes, and the always-visible
//! top bar of the table.

use super::{Palette, delta_text};
use crate::app::egui;
use crate::app::egui::{Color32, Id, RichText, Sense, Ui, vec2};
use crate::sim::{PublicLevel, Side, SideView, Stage};

/// How long a changed meter flashes, in seconds.
pub const FLASH_SECS: f64 = 1.6;

/// The shown value (gliding towards `target`) and a flash strength 0..1 that starts at 1 when
/// the target changes. Requests repaints only while something moves.
pub fn animated(ui: &Ui, id: Id, target: f32) -> (f32, f32) {
    let ctx = ui.ctx();
    let now = ctx.input(|i| i.time);
    let key = id.with("flash");
    let stored = ctx.data(|d| d.get_temp::<(f32, f64)>(key));
    let since = match stored {
        // First sight of this meter: remember it, no flash.
        None => {
            ctx.data_mut(|d| d.insert_temp(key, (target, f64::NEG_INFINITY)));
            f64::NEG_INFINITY
        }
        Some((last, _)) if (last - target).abs() > 0.05 => {
            ctx.data_mut(|d| d.insert_temp(key, (target, now)));
            now
        }
        Some((_, since)) => since,
    };
    let shown = ctx.animate_value_with_time(id.with("glide"), target, 0.6);
    let age = now - since;
    let flash = if age < FLASH_SECS {
        ctx.request_repaint();
        (1.0 - age / FLASH_SECS) as f32
    } else {
        0.0
    };
    (shown, flash)
}

/// Options of a meter bar.
pub struct Meter<'a> {
    pub id: Id,
    pub label: &'a str,
    /// 0..100.
    pub value: f32,
    /// Change to show beside the value (since last round), if any.
    pub delta: Option<f32>,
    /// Whether a higher value is good news.
    pub up_good: bool,
    pub width: f32,
    /// A tick mark at this value (e.g. a threshold).
    pub mark: Option<f32>,
    pub hover: Option<String>,
    /// Fixed width for the label (long names are cut with "…"); `None` fits the text.
    pub label_width: Option<f32>,
}

/// Draw a labelled 0..100 bar.
pub fn meter(ui: &mut Ui, pal: &Palette, m: Meter) {
    let (shown, flash) = animated(ui, m.id, m.value);
    ui.horizontal(|ui| {
        // Tighter than the default spacing, so a long name, 100 and "−12 ▼" fit a side panel.
        ui.spacing_mut().item_spacing.x = 5.0;
        let lab = match m.label_width {
            Some(w) => ui
                .allocate_ui_with_layout(
                    vec2(w, 16.0),
                    egui::Layout::left_to_right(egui::Align::Center),
                    |ui| {
                        ui.set_width(w);
                        ui.add(egui::Label::new(m.label).truncate())
                    },
                )
                .inner
                .on_hover_text(m.label),
            None => ui.label(m.label),
        };
        if let Some(h) = &m.hover {
            lab.on_hover_text(h);
        }
        let (rect, resp) = ui.allocate_exact_size(vec2(m.width, 14.0), Sense::hover());
        let p = ui.painter();
        if flash > 0.0 {
            p.rect_filled(
                rect.expand(3.0),
                4.0,
                pal.flash.gamma_multiply(0.55 * flash),
            );
        }
        p.rect_filled(rect, 3.0, Color32::from_gray(55));
        let frac = (shown / 100.0).clamp(0.0, 1.0);
        let level = if m.up_good { frac } else { 1.0 - frac };
        let col = if level >= 0.6 {
            pal.good
        } else if level >= 0.3 {
            pal.warn
        } else {
            pal.bad
        };
        let mut fill = rect;
        fill.set_width(rect.width() * frac);
        p.rect_filled(fill, 3.0, col);
        if let Some(mark) = m.mark {
            let x = rect.left() + rect.width() * (mark / 100.0).clamp(0.0, 1.0);
            p.line_segment(
                [
                    egui::pos2(x, rect.top() - 3.0),
                    egui::pos2(x, rect.bottom() + 3.0),
                ],
                egui::Stroke::new(2.0, if m.up_good { Color32::WHITE } else { pal.bad }),
            );
        }
        if let Some(h) = m.hover {
            resp.on_hover_text(h);
        }
        let txt = RichText::new(format!("{:.0}", m.value)).strong();
        ui.label(if flash > 0.0 {
            txt.color(pal.flash)
        } else {
            txt
        });
        // The change between the whole numbers shown (and in "Since last round"), so 30.6 →
        // 34.2 reads +3, as 31 → 34 does.
        let shown_delta = m.delta.map(|d| m.value.round() - (m.value - d).round());
        if let Some(d) = shown_delta
            && d.abs() >= 0.5
        {
            ui.label(
                RichText::new(delta_text(d))
                    .small()
                    .color(pal.delta(d, m.up_good)),
            );
        }
    });
}

/// The chain of phases with the current one lit.
pub fn phase_track(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, phase: usize) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Phase").color(pal.muted));
        for (i, p) in sc.phases.iter().enumerate() {
            if i > 0 {
                ui.label(RichText::new("→").color(pal.muted));
            }
            let mut t = RichText::new(&p.name);
            t = if i == phase {
                t.strong()
                    .color(Color32::BLACK)
                    .background_color(pal.accent)
            } else if i < phase {
                t.color(pal.accent)
            } else {
                t.color(pal.muted)
            };
            let mut hover = format!(
                "{}: both trusts ≥ {:.0}, tension ≤ {:.0}",
                p.name, p.min_trust, p.max_tension
            );
            if !p.areas.is_empty() {
                let areas: Vec<&str> = p.areas.iter().map(|a| a.label()).collect();
                hover.push_str(&format!(", in force: {}", areas.join(", ")));
            }
            ui.label(t).on_hover_text(hover);
        }
    });
}

/// Meters as they stood one round earlier: what "change since last round" is measured from.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub tension: f32,
    pub trust: [f32; 2],
    /// Each side's faction approvals.
    pub factions: [Vec<f32>; 2],
    pub tones: Vec<f32>,
}

impl Baseline {
    /// The snapshot before the latest one, or the level's start; `None` in round 1.
    pub fn of(view: &SideView, sc: &PublicLevel) -> Option<Baseline> {
        let h = &view.history;
        if h.len() >= 2 {
            let s = &h[h.len() - 2];
            return Some(Baseline {
                tension: s.tension,
                trust: s.trust,
                factions: s.factions.clone(),
                tones: s.tones.clone(),
            });
        }
        if h.len() == 1 {
            return Some(Baseline {
                tension: sc.start.tension,
                trust: [sc.start.trust_a, sc.start.trust_b],
                factions: Side::BOTH
                    .map(|s| sc.side(s).factions.iter().map(|f| f.approval).collect()),
                tones: sc.outlets.iter().map(|o| o.tone).collect(),
            });
        }
        None
    }
}

/// The always-visible top bar: round, stage, phases, tension, trust both ways, capital.
pub fn top_bar(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, view: &SideView) {
    let base = Baseline::of(view, sc);
    let me = view.side;
    let them = me.other();
    let (my_id, their_id) = (&sc.side(me).id, &sc.side(them).id);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&sc.title).heading().strong());
        ui.separator();
        ui.label(
            RichText::new(format!(
                "Round {} of {}",
                view.round.min(view.rounds),
                view.rounds
            ))
            .strong(),
        )
        .on_hover_text(
            "A round is one season: an event may come first, then the talks, then each side keeps or breaks what is in force. The match ends at the last round unless it ends sooner.",
        );
        ui.separator();
        let stage = match view.stage {
            Stage::Events => "Event",
            Stage::Negotiation => "Negotiation",
            Stage::Implementation => "Implementation",
            Stage::Ended => "Over",
        };
        ui.label(format!("Stage: {stage}")).on_hover_text(
            "Event: answer the season's event. Negotiation: offers, gestures, statements. Implementation: keep or break each of your commitments in force. A stage nobody needs is passed over.",
        );
        if view.stage == Stage::Negotiation {
            ui.separator();
            ui.label(format!("Exchanges left: {}", view.exchanges_left))
                .on_hover_text(
                    "Offers and counter-offers still possible this round. When they run out with no deal signed, the talks close for this round.",
                );
        }
        ui.separator();
        ui.label(
            RichText::new(format!("You lead: {}", sc.side(me).name))
                .color(pal.accent)
                .strong(),
        );
    });
    phase_track(ui, pal, sc, view.phase);
    ui.horizontal_wrapped(|ui| {
        meter(
            ui,
            pal,
            Meter {
                id: Id::new("m-tension"),
                label: "Tension",
                value: view.tension,
                delta: base.as_ref().map(|b| view.tension - b.tension),
                up_good: false,
                width: 120.0,
                mark: Some(sc.end.clash_at),
                hover: Some(format!(
                    "Shared tension, 0-100. At {:.0} the standoff becomes an armed clash and both lose.",
                    sc.end.clash_at
                )),
            label_width: None,
            },
        );
        ui.separator();
        for (from, to, s) in [(my_id, their_id, me), (their_id, my_id, them)] {
            let v = view.trust[s.idx()];
            meter(
                ui,
                pal,
                Meter {
                    id: Id::new(("m-trust", s)),
                    label: &format!("Trust {}→{}", cap(from), cap(to)),
                    value: v,
                    delta: base.as_ref().map(|b| v - b.trust[s.idx()]),
                    up_good: true,
                    width: 90.0,
                    mark: None,
                    hover: Some(format!(
                        "How far {} trusts {}. Kept commitments raise it; caught breaches crash it.",
                        sc.side(s).name,
                        sc.side(s.other()).name
                    )),
                label_width: None,
                },
            );
        }
        ui.separator();
        let cap_txt = format!(
            "Capital: you {:.0} · them {:.0}",
            view.private.capital, view.them.capital
        );
        let (_, flash) = animated(ui, Id::new(("m-capital", me)), view.private.capital);
        let t = RichText::new(cap_txt).strong();
        // Whole on one line: where the row is full, the figure moves down rather than breaking
        // between "you" and "them".
        ui.add(egui::Label::new(if flash > 0.0 { t.color(pal.flash) } else { t }).extend())
            .on_hover_text(
                "Political capital pays for the commitments you sign at home. It refills a little each round.",
            );
    });
}

/// Capitalise an id for short labels.
pub fn cap(id: &str) -> String {
    let mut c = id.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A side's display name.
pub fn side_name(sc: &PublicLevel, s: Side) -> &str {
    &sc.side(s).name
}
