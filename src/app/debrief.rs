//! The debrief: charts of the meters over the rounds, the timeline, hidden breaches revealed,
//! scores, and the agreed package set against the Pareto frontier and the Nash point.
//! Exportable as a self-contained HTML file.

use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::app::game::{Game, Mode};
use crate::app::ui::{Palette, card, fixed_label, key_button, key_pressed};
use crate::sim::scoring::DealReport;
use crate::sim::{Area, Event, Match, Side};
use egui_plot::{Legend, Line, MarkerShape, Plot, PlotPoints, Points};

/// What the debrief remembers between frames.
#[derive(Debug, Clone, Default, bevy::prelude::Resource)]
pub struct DebriefState {
    /// Which chart is shown.
    pub chart: Chart,
    /// Result of the last export, to show.
    pub exported: Option<String>,
    /// Show the press headlines in the timeline.
    pub show_press: bool,
    /// Each agreement against the deals open when it was signed, worked out once per match
    /// (keyed by how many actions the match had).
    pub deals: Option<(usize, Vec<DealReport>)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Chart {
    #[default]
    TensionTrust,
    Approval,
    Utility,
}

/// What the player asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebriefIntent {
    Export,
    ToTitle,
}

fn pts(m: &Match, f: impl Fn(&crate::sim::state::Snapshot) -> f32) -> PlotPoints<'static> {
    m.history
        .iter()
        .map(|h| [h.round as f64, f(h) as f64])
        .collect::<Vec<_>>()
        .into()
}

/// What the computer believed the human side valued, next to what it really valued.
#[derive(Debug, Clone, PartialEq)]
pub struct Beliefs {
    /// The person's side, whom the beliefs are about.
    pub about: Side,
    /// The computer's estimated weights, in the order of `Area::ALL`, summing to 1.
    pub believed: [f32; 7],
    /// The side's true private priorities, normalised the same way.
    pub truth: [f32; 7],
    /// Areas as the computer ranked them, its first guess first.
    pub ranking: Vec<Area>,
    /// Whether this opponent trades on its guess (only modelling styles do).
    pub acts_on_it: bool,
    /// How many of the person's offers it learnt from.
    pub offers_seen: u32,
}

/// Names joined for a sentence: "A", "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Beliefs {
    /// The area the computer took to be the person's first concern (its ranking's head).
    pub fn believed_top(&self) -> Area {
        self.ranking.first().copied().unwrap_or(Area::Concession)
    }

    /// The person's real first concerns: the areas of highest priority (more than one when
    /// the level weighs them level).
    pub fn true_tops(&self) -> Vec<Area> {
        let hi = self.truth.iter().fold(0.0f32, |m, w| m.max(*w));
        Area::ALL
            .into_iter()
            .zip(self.truth)
            .filter(|(_, w)| *w >= hi - 1e-4)
            .map(|(a, _)| a)
            .collect()
    }

    /// The person's real first concern (the first in display order, if several tie).
    pub fn true_top(&self) -> Area {
        self.true_tops()[0]
    }

    /// Whether the computer's first guess is one of the person's first concerns.
    pub fn guessed_right(&self) -> bool {
        self.informed() && self.true_tops().contains(&self.believed_top())
    }

    /// Whether the computer learnt anything: it saw at least one offer of the person's.
    pub fn informed(&self) -> bool {
        self.offers_seen > 0
    }

    /// The note beside an area's bars: its guess, the truth, or both.
    pub fn mark(&self, area: Area) -> &'static str {
        let guess = area == self.believed_top() && self.informed();
        let tops = self.true_tops();
        match (guess, tops.contains(&area), tops.len() > 1) {
            (true, true, false) => "◀ its guess, and your first concern",
            (true, true, true) => "◀ its guess, and your joint first concern",
            (true, false, _) => "◀ its guess",
            (false, true, false) => "★ your first concern",
            (false, true, true) => "★ your joint first concern",
            (false, false, _) => "",
        }
    }

    /// The finding in one plain sentence.
    pub fn sentence(&self) -> String {
        let tops = self.true_tops();
        let names: Vec<&str> = tops.iter().map(|a| a.label()).collect();
        let truth = and_list(&names);
        let was = if tops.len() > 1 {
            format!("{truth}, equally")
        } else {
            truth.clone()
        };
        if !self.informed() {
            return format!(
                "It never saw an offer from you, so it had nothing to learn from: to the end it thought every area mattered equally to you. Your first concern was {was}."
            );
        }
        let b = self.believed_top();
        if self.guessed_right() {
            let level: Vec<&str> = names.iter().copied().filter(|n| *n != b.label()).collect();
            return if level.is_empty() {
                format!(
                    "It read you right: it took {} to be your first concern, and it was.",
                    b.label()
                )
            } else {
                format!(
                    "It read you right: it took {} to be your first concern, and it was (level with {}).",
                    b.label(),
                    and_list(&level)
                )
            };
        }
        let nth = self
            .ranking
            .iter()
            .position(|a| tops.contains(a))
            .map_or(0, |i| i + 1);
        let place = match nth {
            2 => "second",
            3 => "third",
            4 => "fourth",
            5 => "fifth",
            6 => "sixth",
            7 => "last",
            _ => "low",
        };
        format!(
            "It took {} to be your first concern; it was {was} (which it ranked {place}).",
            b.label()
        )
    }
}

/// The computer's beliefs about the person it played against; `None` unless a person played
/// the computer (hotseat and watched matches have no such question).
pub fn beliefs_of(g: &Game) -> Option<Beliefs> {
    let Mode::VsAi { human, .. } = g.mode else {
        return None;
    };
    let m = g.table.finished()?;
    let i = g.table.insight(human.other())?;
    Some(Beliefs {
        about: human,
        believed: i.believed,
        truth: m.scenario.weights()[human.idx()],
        ranking: i.ranking,
        acts_on_it: i.acts_on_it,
        offers_seen: i.offers_seen,
    })
}

/// The ending in a sentence.
pub fn ending_text(m: &Match) -> String {
    use crate::sim::Ending::*;
    let sc = &m.scenario;
    match m.ending {
        Some(Normalization) => format!(
            "Normalization: {} and {} built a relationship that holds.",
            sc.side_a.name, sc.side_b.name
        ),
        Some(Clash) => "Armed clash: tension boiled over and both states lost.".into(),
        Some(Ousted(s)) => format!("{}'s leader fell at home.", sc.side(s).name),
        Some(RoundLimit) => "The rounds ran out before the relationship was normal.".into(),
        None => "The match is still under way.".into(),
    }
}

/// Draw the debrief.
pub fn debrief_ui(
    ui: &mut Ui,
    pal: &Palette,
    m: &Match,
    beliefs: Option<&Beliefs>,
    st: &mut DebriefState,
) -> Option<DebriefIntent> {
    let sc = &m.scenario;
    let s = m.scores();
    let mut out = None;
    egui::Panel::top("debrief-top").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("Debrief — {}", sc.title))
                    .heading()
                    .strong(),
            );
            ui.separator();
            ui.label(
                RichText::new(ending_text(m))
                    .strong()
                    .color(match m.ending {
                        Some(crate::sim::Ending::Normalization) => pal.good,
                        Some(crate::sim::Ending::RoundLimit) => pal.warn,
                        _ => pal.bad,
                    }),
            );
        });
        if let Some(epilogue) = m.epilogue() {
            ui.label(RichText::new(epilogue).italics());
        }
        ui.horizontal(|ui| {
            for side in Side::BOTH {
                ui.label(
                    RichText::new(format!(
                        "{}: score {:.2}, approval {:.0}%",
                        sc.side(side).name,
                        s.utility[side.idx()],
                        s.approval[side.idx()]
                    ))
                    .strong(),
                );
                ui.separator();
            }
            ui.label(RichText::new(format!("Joint stability {:.0}/100", s.stability)).strong());
            ui.separator();
            if key_button(ui, "Export debrief (HTML)", egui::Key::E, true) {
                out = Some(DebriefIntent::Export);
            }
            if key_button(ui, "Back to title", egui::Key::Escape, true) {
                out = Some(DebriefIntent::ToTitle);
            }
        });
        if let Some(e) = &st.exported {
            ui.label(RichText::new(e).small().color(pal.muted));
        }
        ui.add_space(2.0);
    });
    egui::Panel::right("debrief-right")
        .exact_size(470.0)
        .resizable(false)
        .show(ui, |ui| {
            ui.label(RichText::new("What you agreed vs. what was possible").strong());
            frontier_plot(ui, pal, m);
            ui.separator();
            ui.horizontal(|ui| {
                ui.label(RichText::new("Timeline").strong());
                if key_pressed(ui, egui::Key::H) {
                    st.show_press = !st.show_press;
                }
                ui.checkbox(&mut st.show_press, "show headlines [H]");
            });
            egui::ScrollArea::vertical()
                .id_salt("timeline")
                .show(ui, |ui| timeline(ui, pal, m, st.show_press));
        });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            for (key, chart, name) in [
                (egui::Key::Num1, Chart::TensionTrust, "Tension & trust  [1]"),
                (egui::Key::Num2, Chart::Approval, "Approval at home  [2]"),
                (egui::Key::Num3, Chart::Utility, "Value of the deal  [3]"),
            ] {
                if key_pressed(ui, key) {
                    st.chart = chart;
                }
                ui.selectable_value(&mut st.chart, chart, name);
            }
        });
        // Against the computer the chart gives room to what it believed of you.
        let share = if beliefs.is_some() { 0.42 } else { 0.55 };
        let chart_h = (ui.available_height() * share).max(200.0);
        egui::ScrollArea::vertical()
            .id_salt("debrief-central")
            .show(ui, |ui| {
                meters_plot(ui, pal, m, st.chart, chart_h);
                ui.add_space(6.0);
                if let Some(b) = beliefs {
                    beliefs_card(ui, pal, b);
                    ui.add_space(6.0);
                }
                breaches(ui, pal, m);
                ui.add_space(6.0);
                if st.deals.as_ref().is_none_or(|(n, _)| *n != m.actions.len()) {
                    st.deals = Some((m.actions.len(), m.deal_reports()));
                }
                if let Some((_, reports)) = &st.deals {
                    deals_card(ui, pal, m, reports);
                    ui.add_space(6.0);
                }
                card(ui, pal, "How to read the scores", |ui| {
                    ui.label(RichText::new("Score: the average, over the rounds played, of what the commitments in force were worth to each state by its own private priorities (0 is the worst package the catalogue allows, 1 the best). After normalization the seasons left count at the package in force. A clash scores 0; a leader who falls for good halves it.").small());
                    ui.label(RichText::new("The frontier: on the grey line no package could give one state more without giving the other less. The Nash point splits the gains most evenly. The line is drawn for the political capital of the rounds actually played; the gap between your final package and it is value left on the table.").small());
                });
            });
    });
    out
}

/// The card title of the beliefs section.
pub const BELIEFS_TITLE: &str = "What the computer believed you valued";

/// The computer's guess of each area's weight against the truth, as paired bars.
fn beliefs_card(ui: &mut Ui, pal: &Palette, b: &Beliefs) {
    card(ui, pal, BELIEFS_TITLE, |ui| {
        ui.label(RichText::new(b.sentence()).strong());
        ui.add_space(4.0);
        let scale = b
            .believed
            .iter()
            .chain(&b.truth)
            .fold(0.01f32, |m, w| m.max(*w));
        // A plain bar with its figure beside it (text over a bright fill is hard to read).
        let bar = |ui: &mut Ui, w: f32, colour: egui::Color32, hover: String| {
            ui.horizontal(|ui| {
                let (rect, resp) =
                    ui.allocate_exact_size(egui::vec2(130.0, 12.0), egui::Sense::hover());
                let p = ui.painter();
                p.rect_filled(rect, 3.0, egui::Color32::from_gray(45));
                let mut fill = rect;
                fill.set_width((rect.width() * w / scale).max(2.0));
                p.rect_filled(fill, 3.0, colour);
                resp.on_hover_text(hover);
                fixed_label(ui, 34.0, format!("{:.0}%", w * 100.0));
            });
        };
        egui::Grid::new("beliefs")
            .num_columns(4)
            .spacing(egui::vec2(12.0, 4.0))
            .show(ui, |ui| {
                ui.label(RichText::new("Area").color(pal.muted));
                ui.label(RichText::new("It believed").color(pal.warn));
                ui.label(RichText::new("You really valued").color(pal.good));
                ui.label("");
                ui.end_row();
                for (i, area) in Area::ALL.into_iter().enumerate() {
                    let mark = b.mark(area);
                    let mut name = RichText::new(area.label());
                    if !mark.is_empty() {
                        name = name.strong();
                    }
                    ui.label(name);
                    bar(
                        ui,
                        b.believed[i],
                        pal.warn,
                        format!(
                            "The computer's estimate of what {} meant to you.",
                            area.label()
                        ),
                    );
                    bar(
                        ui,
                        b.truth[i],
                        pal.good,
                        format!("Your private priority for {}.", area.label()),
                    );
                    let truth = b.true_tops().contains(&area);
                    ui.label(RichText::new(mark).small().strong().color(if truth {
                        pal.good
                    } else {
                        pal.warn
                    }));
                    ui.end_row();
                }
            });
        ui.add_space(2.0);
        ui.label(
            RichText::new(format!(
                "It learnt this from the {} offer(s) you made it: what you asked for, it took you to value; what you gave away easily, less. {}",
                b.offers_seen,
                if b.acts_on_it {
                    "It built its packages around that guess."
                } else {
                    "This opponent did not trade on the guess: only a Pragmatist, or any Hard opponent, builds its packages around what it thinks you value."
                }
            ))
            .small()
            .color(pal.muted),
        );
    });
}

fn meters_plot(ui: &mut Ui, pal: &Palette, m: &Match, chart: Chart, h: f32) {
    let sc = &m.scenario;
    let (a, b) = (&sc.side_a.id, &sc.side_b.id);
    Plot::new(("meters", chart as u8))
        .height(h)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(if chart == Chart::Utility { 1.0 } else { 100.0 })
        .include_x(1.0)
        .x_axis_label("round")
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |p| match chart {
            Chart::TensionTrust => {
                p.line(
                    Line::new("Tension", pts(m, |h| h.tension))
                        .color(pal.bad)
                        .width(2.5),
                );
                p.line(
                    Line::new(format!("Trust {a}→{b}"), pts(m, |h| h.trust[0]))
                        .color(pal.good)
                        .width(2.0),
                );
                p.line(
                    Line::new(format!("Trust {b}→{a}"), pts(m, |h| h.trust[1]))
                        .color(pal.accent)
                        .width(2.0),
                );
            }
            Chart::Approval => {
                p.line(
                    Line::new(format!("Approval {a}"), pts(m, |h| h.approval[0]))
                        .color(pal.good)
                        .width(2.0),
                );
                p.line(
                    Line::new(format!("Approval {b}"), pts(m, |h| h.approval[1]))
                        .color(pal.accent)
                        .width(2.0),
                );
            }
            Chart::Utility => {
                p.line(
                    Line::new(format!("In force, worth to {a}"), pts(m, |h| h.utility[0]))
                        .color(pal.good)
                        .width(2.0),
                );
                p.line(
                    Line::new(format!("In force, worth to {b}"), pts(m, |h| h.utility[1]))
                        .color(pal.accent)
                        .width(2.0),
                );
            }
        });
}

fn frontier_plot(ui: &mut Ui, pal: &Palette, m: &Match) {
    let sc = &m.scenario;
    let f = m.frontier_played();
    let fin = m.scores().final_point;
    let to = |p: [f32; 2]| [p[0] as f64, p[1] as f64];
    Plot::new("frontier")
        .height(250.0)
        .data_aspect(1.0)
        .legend(Legend::default())
        .include_x(0.0)
        .include_x(1.0)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label(format!("worth to {}", sc.side_a.id))
        .y_axis_label(format!("worth to {}", sc.side_b.id))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |p| {
            let line: Vec<[f64; 2]> = f.points.iter().map(|q| to(*q)).collect();
            p.line(
                Line::new("Pareto frontier", line)
                    .color(pal.muted)
                    .width(2.0),
            );
            p.points(
                Points::new("No deal", vec![to(f.disagreement)])
                    .shape(MarkerShape::Square)
                    .radius(5.0)
                    .color(pal.muted),
            );
            p.points(
                Points::new("Nash point", vec![to(f.nash)])
                    .shape(MarkerShape::Diamond)
                    .radius(7.0)
                    .color(pal.warn),
            );
            p.points(
                Points::new("Your final package", vec![to(fin)])
                    .shape(MarkerShape::Circle)
                    .radius(7.0)
                    .color(pal.good),
            );
        });
    let gap = f.distance(fin);
    ui.label(
        RichText::new(if gap < 0.01 {
            "Your final package sits on the frontier: no deal could have served both states better.".to_string()
        } else {
            format!(
                "Your final package is {gap:.2} short of the frontier: trading across areas could have given both states more."
            )
        })
        .small(),
    );
}

/// One plain line per agreement: how close it came to the best deals open when it was signed.
pub fn deal_lines(m: &Match, reports: &[DealReport]) -> Vec<String> {
    reports
        .iter()
        .map(|d| {
            let fit = if d.distance < 0.01 {
                "on the frontier of the deals open then".to_string()
            } else {
                format!("{:.2} short of the best deals open then", d.distance)
            };
            let split = d.nash_ratio.map_or(String::new(), |r| {
                format!(
                    "; {:.0}% of the most even split's product of gains",
                    r * 100.0
                )
            });
            format!(
                "Round {}: {} commitment{} ({}) — {fit}{split}.",
                d.round,
                d.items.len(),
                if d.items.len() == 1 { "" } else { "s" },
                d.items
                    .iter()
                    .map(|&(i, by)| format!(
                        "{} by {}",
                        m.scenario.measures[i].name,
                        m.scenario.side(by).id
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect()
}

/// The title of the per-deal card.
pub const DEALS_TITLE: &str = "Each deal against what was open at the time";

fn deals_card(ui: &mut Ui, pal: &Palette, m: &Match, reports: &[DealReport]) {
    card(ui, pal, DEALS_TITLE, |ui| {
        if reports.is_empty() {
            ui.label("No agreement was signed.");
            return;
        }
        ui.label(
            RichText::new("Every package the two states could have signed at that moment, with the capital they held, is the yardstick.")
                .small()
                .color(pal.muted),
        );
        for (line, d) in deal_lines(m, reports).into_iter().zip(reports) {
            let colour = if d.distance < 0.03 {
                pal.good
            } else {
                pal.warn
            };
            ui.label(RichText::new(line).color(colour));
        }
    });
}

fn breaches(ui: &mut Ui, pal: &Palette, m: &Match) {
    let sc = &m.scenario;
    card(ui, pal, "Broken commitments, revealed", |ui| {
        if m.breaches.is_empty() {
            ui.label("Nobody broke a commitment. Every promise was kept.");
        }
        for b in &m.breaches {
            let t = format!(
                "Round {}: {} broke '{}' — {}",
                b.round,
                sc.side(b.side).name,
                b.measure,
                if b.caught {
                    "caught"
                } else {
                    "never caught (hidden until now)"
                }
            );
            ui.label(RichText::new(t).color(if b.caught { pal.bad } else { pal.warn }));
        }
    });
}

/// Timeline lines: (round, text, kind) for offers, agreements, events, breaches, headlines.
pub fn timeline_lines(m: &Match) -> Vec<(u32, String, &'static str)> {
    let sc = &m.scenario;
    let mut out = Vec::new();
    for l in &m.log {
        let round = l.round;
        let kind = match &l.event {
            Event::OfferMade { .. } | Event::OfferAccepted { .. } | Event::OfferRejected { .. } => {
                "offer"
            }
            Event::AgreementSigned { .. }
            | Event::Ratification { .. }
            | Event::GestureMade { .. } => "deal",
            Event::EventDrawn { .. } | Event::EventAnswered { .. } => "event",
            Event::BreachCaught { .. } | Event::BreachHidden { .. } => "breach",
            Event::Headline { .. } => "press",
            Event::PhaseChanged { .. } | Event::LeaderFell { .. } | Event::MatchEnded { .. } => {
                "milestone"
            }
            _ => "other",
        };
        if kind == "other" {
            continue;
        }
        let short = crate::app::ui::summary::short_line(sc.public(), &l.event);
        if let Some(t) = short.or_else(|| crate::runner::describe(sc.public(), &l.event)) {
            out.push((round, t, kind));
        }
    }
    out
}

fn timeline(ui: &mut Ui, pal: &Palette, m: &Match, show_press: bool) {
    let mut last = 0;
    for (round, text, kind) in timeline_lines(m) {
        if kind == "press" && !show_press {
            continue;
        }
        if round != last {
            ui.label(
                RichText::new(format!("Round {round}"))
                    .strong()
                    .color(pal.accent),
            );
            last = round;
        }
        let t = RichText::new(text).small();
        ui.label(match kind {
            "breach" => t.color(pal.bad),
            "deal" | "milestone" => t.strong(),
            "press" => t.italics().color(pal.muted),
            _ => t,
        });
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An SVG line chart of 0..100 series over the rounds.
fn svg_chart(m: &Match, series: &[(&str, &str, Vec<f32>)], ymax: f32) -> String {
    let (w, h, pad) = (560.0, 220.0, 30.0);
    let n = m.history.len().max(2) as f32;
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f32 / (n - 1.0);
    let y = |v: f32| h - pad - (h - 2.0 * pad) * (v / ymax).clamp(0.0, 1.0);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' viewBox='0 0 {w} {h}'><rect width='100%' height='100%' fill='#fafafa'/>"
    );
    s.push_str(&format!(
        "<line x1='{pad}' y1='{}' x2='{}' y2='{}' stroke='#999'/>",
        h - pad,
        w - pad,
        h - pad
    ));
    for (i, hs) in m.history.iter().enumerate() {
        s.push_str(&format!(
            "<text x='{}' y='{}' font-size='10' text-anchor='middle'>{}</text>",
            x(i),
            h - pad + 14.0,
            hs.round
        ));
    }
    for (k, (name, colour, vals)) in series.iter().enumerate() {
        let p: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        s.push_str(&format!(
            "<polyline fill='none' stroke='{colour}' stroke-width='2' points='{}'/>",
            p.join(" ")
        ));
        s.push_str(&format!(
            "<text x='{}' y='{}' font-size='11' fill='{colour}'>{}</text>",
            pad + 140.0 * k as f32,
            14,
            esc(name)
        ));
    }
    s.push_str("</svg>");
    s
}

/// The beliefs section of the HTML page: the sentence and a table with bars.
fn beliefs_html(h: &mut String, b: &Beliefs) {
    h.push_str(&format!(
        "<h2>{}</h2><p><strong>{}</strong></p><table><tr><th>Area</th><th>It believed</th><th>You really valued</th><th></th></tr>",
        BELIEFS_TITLE,
        esc(&b.sentence())
    ));
    let bar = |w: f32, colour: &str| {
        format!(
            "<span style='display:inline-block;width:{:.0}px;height:10px;background:{colour}'></span> {:.0}%",
            (w * 300.0).round(),
            w * 100.0
        )
    };
    for (i, area) in Area::ALL.into_iter().enumerate() {
        let mark = b.mark(area);
        let name = if mark.is_empty() {
            esc(area.label())
        } else {
            format!("<strong>{}</strong>", esc(area.label()))
        };
        h.push_str(&format!(
            "<tr><td>{name}</td><td>{}</td><td>{}</td><td>{mark}</td></tr>",
            bar(b.believed[i], "#d90"),
            bar(b.truth[i], "#393")
        ));
    }
    h.push_str("</table>");
}

/// The whole debrief as one self-contained HTML page.
pub fn export_html(m: &Match, beliefs: Option<&Beliefs>) -> String {
    let sc = &m.scenario;
    let s = m.scores();
    let f = m.frontier_played();
    let (a, b) = (&sc.side_a.name, &sc.side_b.name);
    let mut h = String::new();
    h.push_str(&format!(
        "<!doctype html><html><head><meta charset='utf-8'><title>Détente debrief — {}</title><style>body{{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}}td,th{{padding:2px 10px;text-align:left}}.breach{{color:#b30}}.round{{margin-top:1em;font-weight:bold}}</style></head><body>",
        esc(&sc.title)
    ));
    h.push_str(&format!(
        "<h1>Debrief: {}</h1><p>Seed {} · {} rounds played</p><h2>{}</h2>",
        esc(&sc.title),
        m.seed,
        m.history.len(),
        esc(&ending_text(m))
    ));
    if let Some(epilogue) = m.epilogue() {
        h.push_str(&format!("<p><em>{}</em></p>", esc(epilogue)));
    }
    h.push_str("<table><tr><th></th><th>score</th><th>approval</th></tr>");
    for side in Side::BOTH {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{:.2}</td><td>{:.0}%</td></tr>",
            esc(&sc.side(side).name),
            s.utility[side.idx()],
            s.approval[side.idx()]
        ));
    }
    h.push_str(&format!(
        "</table><p>Joint stability: {:.0}/100</p>",
        s.stability
    ));
    let col = |f: &dyn Fn(&crate::sim::state::Snapshot) -> f32| -> Vec<f32> {
        m.history.iter().map(f).collect()
    };
    h.push_str("<h2>Tension and trust</h2>");
    h.push_str(&svg_chart(
        m,
        &[
            ("Tension", "#c33", col(&|x| x.tension)),
            (
                &format!("Trust {}→{}", sc.side_a.id, sc.side_b.id),
                "#393",
                col(&|x| x.trust[0]),
            ),
            (
                &format!("Trust {}→{}", sc.side_b.id, sc.side_a.id),
                "#36c",
                col(&|x| x.trust[1]),
            ),
        ],
        100.0,
    ));
    h.push_str("<h2>Approval at home</h2>");
    h.push_str(&svg_chart(
        m,
        &[
            (&sc.side_a.id, "#393", col(&|x| x.approval[0])),
            (&sc.side_b.id, "#36c", col(&|x| x.approval[1])),
        ],
        100.0,
    ));
    h.push_str(&format!(
        "<h2>The deal against the frontier</h2><p>Final package: worth {:.2} to {} and {:.2} to {}. Nash bargaining point: {:.2} / {:.2}. Distance to the Pareto frontier: {:.2}.</p>",
        s.final_point[0],
        esc(a),
        s.final_point[1],
        esc(b),
        f.nash[0],
        f.nash[1],
        f.distance(s.final_point)
    ));
    h.push_str(&format!("<h2>{DEALS_TITLE}</h2><ul>"));
    let reports = m.deal_reports();
    if reports.is_empty() {
        h.push_str("<li>No agreement was signed.</li>");
    }
    for line in deal_lines(m, &reports) {
        h.push_str(&format!("<li>{}</li>", esc(&line)));
    }
    h.push_str("</ul>");
    if let Some(b) = beliefs {
        beliefs_html(&mut h, b);
    }
    h.push_str("<h2>Broken commitments</h2><ul>");
    if m.breaches.is_empty() {
        h.push_str("<li>None: every promise was kept.</li>");
    }
    for br in &m.breaches {
        h.push_str(&format!(
            "<li class='breach'>Round {}: {} broke '{}' — {}</li>",
            br.round,
            esc(&sc.side(br.side).name),
            esc(&br.measure),
            if br.caught { "caught" } else { "never caught" }
        ));
    }
    h.push_str("</ul><h2>Timeline</h2>");
    let mut last = 0;
    for (round, text, kind) in timeline_lines(m) {
        if round != last {
            h.push_str(&format!("<div class='round'>Round {round}</div>"));
            last = round;
        }
        h.push_str(&format!("<div class='{kind}'>{}</div>", esc(&text)));
    }
    h.push_str("</body></html>\n");
    h
}
