//! The debrief's widgets: charts of the meters over the rounds, the timeline, hidden breaches
//! revealed, scores, and the agreed package set against the Pareto frontier and the Nash
//! point. What they show comes from [`crate::report`], which also writes the HTML export.

use crate::app::egui;
use crate::app::egui::{Color32, RichText, Ui};
use crate::app::game::{Game, Mode};
use crate::app::ui::{Palette, card, fixed_label, key_button, key_pressed};
use crate::report::{Kind, Report};
use crate::sim::{Area, Ending, Match, Side};
use egui_plot::{Legend, Line, MarkerShape, Plot, PlotPoints, Points};

// The class summary names the same lessons as the ending card, so the words live in the report.
pub use crate::report::{BELIEFS_TITLE, Beliefs, Chart, DEALS_TITLE, ending_lesson, export_html};

/// What the debrief remembers between frames.
#[derive(Debug, Clone, Default, bevy::prelude::Resource)]
pub struct DebriefState {
    /// Which chart is shown.
    pub chart: Chart,
    /// Result of the last export, to show.
    pub exported: Option<String>,
    /// Show the press headlines in the timeline.
    pub show_press: bool,
    /// The report of the match shown, built once: working out the deals replays the match.
    pub report: Option<Report>,
    /// The end-of-match card was read; the debrief proper follows it.
    pub ending_seen: bool,
}

impl DebriefState {
    /// Build the report of `m` with `beliefs`, unless the one held is of them already.
    fn refresh(&mut self, m: &Match, beliefs: Option<&Beliefs>) {
        let stale = self.report.as_ref().is_none_or(|r| {
            (r.seed, r.actions, &r.level) != (m.seed, m.actions.len(), &m.scenario.id)
                || r.beliefs.as_ref() != beliefs
        });
        if stale {
            self.report = Some(Report::new(m, beliefs));
        }
    }
}

/// What the player asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebriefIntent {
    Export,
    /// Open the folder the export went to.
    OpenFolder,
    ToTitle,
}

/// The computer's beliefs about the person it played against; `None` unless a person played
/// the computer (hotseat and watched matches have no such question).
pub fn beliefs_of(g: &Game) -> Option<Beliefs> {
    let Mode::VsAi { human, .. } = g.mode else {
        return None;
    };
    let m = g.finished()?;
    let i = g.table()?.insight(human.other())?;
    Some(Beliefs {
        about: human,
        believed: i.believed,
        truth: m.scenario.weights()[human.idx()],
        ranking: i.ranking,
        acts_on_it: i.acts_on_it,
        offers_seen: i.offers_seen,
    })
}

/// A series' colour: tension in the alarm colour, each state in its own.
fn ink(pal: &Palette, side: Option<Side>) -> Color32 {
    match side {
        None => pal.bad,
        Some(Side::A) => pal.good,
        Some(Side::B) => pal.accent,
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
    st.refresh(m, beliefs);
    // Held apart for the frame, so the widgets may change the rest of the state.
    let r = st.report.take().expect("refreshed above");
    let out = if st.ending_seen {
        draw(ui, pal, &r, st)
    } else {
        ending_card(ui, pal, &r, st);
        None
    };
    st.report = Some(r);
    out
}

/// The end of the match, on its own, before the debrief: what happened and what it teaches.
fn ending_card(ui: &mut Ui, pal: &Palette, r: &Report, st: &mut DebriefState) {
    let (title, lesson) = ending_lesson(r.ending);
    let colour = match r.ending {
        Some(Ending::Normalization) => pal.good,
        Some(Ending::RoundLimit) | None => pal.warn,
        _ => pal.bad,
    };
    // The way on stays in view; what the match came to scrolls above it.
    egui::Panel::bottom("ending-go").show(ui, |ui| {
        ui.add_space(6.0);
        ui.vertical_centered(|ui| {
            if key_button(ui, "Open the debrief", egui::Key::Enter, true) {
                st.ending_seen = true;
            }
        });
        ui.add_space(6.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(40.0);
                ui.label(RichText::new("The match is over").color(pal.muted));
                ui.label(RichText::new(title).size(40.0).strong().color(colour));
                ui.add_space(8.0);
                ui.label(RichText::new(r.ending_text()).strong());
                if let Some(epilogue) = &r.epilogue {
                    ui.add_space(6.0);
                    ui.label(epilogue);
                }
                ui.add_space(8.0);
                ui.label(RichText::new(lesson).italics());
                ui.add_space(12.0);
                for side in Side::BOTH {
                    ui.label(format!(
                        "{}: score {:.2}, approval {:.0}%",
                        r.side(side).name,
                        r.scores.utility[side.idx()],
                        r.scores.approval[side.idx()]
                    ));
                }
                if r.level.starts_with("tutorial") {
                    ui.add_space(12.0);
                    ui.set_max_width(720.0);
                    crate::app::ui::coach::lessons_card(ui, pal);
                }
            });
        });
    });
}

fn draw(ui: &mut Ui, pal: &Palette, r: &Report, st: &mut DebriefState) -> Option<DebriefIntent> {
    let s = &r.scores;
    let mut out = None;
    egui::Panel::top("debrief-top").show(ui, |ui| {
        ui.add_space(4.0);
        // The way out first, so it stays in view however narrow the window is.
        ui.horizontal_wrapped(|ui| {
            if key_button(ui, "Back to title", egui::Key::Escape, true) {
                out = Some(DebriefIntent::ToTitle);
            }
            if key_button(ui, "Export debrief (HTML)", egui::Key::E, true) {
                out = Some(DebriefIntent::Export);
            }
            ui.separator();
            ui.label(
                RichText::new(format!("Debrief — {}", r.title))
                    .heading()
                    .strong(),
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(r.ending_text())
                    .strong()
                    .color(match r.ending {
                        Some(Ending::Normalization) => pal.good,
                        Some(Ending::RoundLimit) => pal.warn,
                        _ => pal.bad,
                    }),
            );
        });
        ui.horizontal_wrapped(|ui| {
            for side in Side::BOTH {
                ui.label(
                    RichText::new(format!(
                        "{}: score {:.2}, approval {:.0}%",
                        r.side(side).name,
                        s.utility[side.idx()],
                        s.approval[side.idx()]
                    ))
                    .strong(),
                );
                ui.separator();
            }
            ui.label(RichText::new(format!("Joint stability {:.0}/100", s.stability)).strong());
        });
        if let Some(e) = &st.exported {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(e).small().color(pal.muted));
                if ui.small_button("Open the folder").clicked() {
                    out = Some(DebriefIntent::OpenFolder);
                }
            });
        }
        ui.add_space(2.0);
    });
    egui::Panel::right("debrief-right")
        .exact_size(470.0)
        .resizable(false)
        .show(ui, |ui| {
            ui.label(RichText::new("What you agreed vs. what was possible").strong());
            frontier_plot(ui, pal, r);
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
                .show(ui, |ui| timeline(ui, pal, r, st.show_press));
        });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            let keys = [
                (egui::Key::Num1, "1"),
                (egui::Key::Num2, "2"),
                (egui::Key::Num3, "3"),
            ];
            for ((key, digit), chart) in keys.into_iter().zip(Chart::ALL) {
                if key_pressed(ui, key) {
                    st.chart = chart;
                }
                let name = format!("{}  [{digit}]", chart.title());
                ui.selectable_value(&mut st.chart, chart, name);
            }
        });
        // Against the computer the chart gives room to what it believed of you.
        let share = if r.beliefs.is_some() { 0.42 } else { 0.55 };
        let chart_h = (ui.available_height() * share).max(200.0);
        egui::ScrollArea::vertical()
            .id_salt("debrief-central")
            .show(ui, |ui| {
                meters_plot(ui, pal, r, st.chart, chart_h);
                ui.add_space(6.0);
                if let Some(b) = &r.beliefs {
                    beliefs_card(ui, pal, b);
                    ui.add_space(6.0);
                }
                breaches(ui, pal, r);
                ui.add_space(6.0);
                deals_card(ui, pal, r);
                ui.add_space(6.0);
                card(ui, "How to read the scores", |ui| {
                    ui.label(RichText::new("Score: the average, over the rounds played, of what the commitments in force were worth to each state by its own private priorities (0 is the worst package the catalogue allows, 1 the best). After normalization the seasons left count at the package in force. A clash scores 0; a leader who falls for good halves it.").small());
                    ui.label(RichText::new("The frontier: on the grey line no package could give one state more without giving the other less. The Nash point splits the gains most evenly. The line is drawn for the political capital of the rounds actually played; the gap between your final package and it is value left on the table.").small());
                });
            });
    });
    out
}

/// The computer's guess of each area's weight against the truth, as paired bars.
fn beliefs_card(ui: &mut Ui, pal: &Palette, b: &Beliefs) {
    card(ui, BELIEFS_TITLE, |ui| {
        ui.label(RichText::new(b.sentence()).strong());
        ui.add_space(4.0);
        let scale = b
            .believed
            .iter()
            .chain(&b.truth)
            .fold(0.01f32, |m, w| m.max(*w));
        // A plain bar with its figure beside it (text over a bright fill is hard to read).
        let bar = |ui: &mut Ui, w: f32, colour: Color32, hover: String| {
            ui.horizontal(|ui| {
                let (rect, resp) =
                    ui.allocate_exact_size(egui::vec2(130.0, 12.0), egui::Sense::hover());
                let p = ui.painter();
                p.rect_filled(rect, 3.0, Color32::from_gray(45));
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
        ui.label(RichText::new(b.how_learnt()).small().color(pal.muted));
    });
}

fn meters_plot(ui: &mut Ui, pal: &Palette, r: &Report, chart: Chart, h: f32) {
    let data = r.chart(chart);
    Plot::new(("meters", chart as u8))
        .height(h)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(chart.ymax())
        .include_x(1.0)
        .x_axis_label("round")
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |p| {
            for s in &data.series {
                let side = s.meter.side();
                let points: PlotPoints = s
                    .points
                    .iter()
                    .map(|&(round, v)| [round as f64, v as f64])
                    .collect::<Vec<_>>()
                    .into();
                p.line(
                    Line::new(s.name.clone(), points)
                        .color(ink(pal, side))
                        // Tension, the shared danger, stands out.
                        .width(if side.is_none() { 2.5 } else { 2.0 }),
                );
            }
        });
}

fn frontier_plot(ui: &mut Ui, pal: &Palette, r: &Report) {
    let d = &r.deals;
    let f = &d.frontier;
    let to = |p: [f32; 2]| [p[0] as f64, p[1] as f64];
    Plot::new("frontier")
        .height(250.0)
        .data_aspect(1.0)
        .legend(Legend::default())
        .include_x(0.0)
        .include_x(1.0)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label(format!("worth to {}", r.side(Side::A).id))
        .y_axis_label(format!("worth to {}", r.side(Side::B).id))
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
                Points::new("Your final package", vec![to(d.final_point)])
                    .shape(MarkerShape::Circle)
                    .radius(7.0)
                    .color(pal.good),
            );
        });
    ui.label(RichText::new(d.verdict()).small());
}

fn deals_card(ui: &mut Ui, pal: &Palette, r: &Report) {
    card(ui, DEALS_TITLE, |ui| {
        if r.deals.each.is_empty() {
            ui.label("No agreement was signed.");
            return;
        }
        ui.label(
            RichText::new("Every package the two states could have signed at that moment, with the capital they held, is the yardstick.")
                .small()
                .color(pal.muted),
        );
        for d in &r.deals.each {
            let colour = if d.report.distance < 0.03 {
                pal.good
            } else {
                pal.warn
            };
            ui.label(RichText::new(&d.text).color(colour));
        }
    });
}

fn breaches(ui: &mut Ui, pal: &Palette, r: &Report) {
    card(ui, "Broken commitments, revealed", |ui| {
        if r.breaches.is_empty() {
            ui.label("Nobody broke a commitment. Every promise was kept.");
        }
        for b in &r.breaches {
            ui.label(RichText::new(r.breach_text(b)).color(if b.caught {
                pal.bad
            } else {
                pal.warn
            }));
        }
    });
}

fn timeline(ui: &mut Ui, pal: &Palette, r: &Report, show_press: bool) {
    let mut last = 0;
    for line in &r.timeline {
        if line.kind == Kind::Press && !show_press {
            continue;
        }
        if line.round != last {
            ui.label(
                RichText::new(format!("Round {}", line.round))
                    .strong()
                    .color(pal.accent),
            );
            last = line.round;
        }
        let t = RichText::new(&line.text).small();
        ui.label(match line.kind {
            Kind::Breach => t.color(pal.bad),
            Kind::Deal | Kind::Milestone => t.strong(),
            Kind::Press => t.italics().color(pal.muted),
            Kind::Offer | Kind::Event => t,
        });
    }
}

/// The debrief's state lives while the debrief is up.
pub fn plugin(app: &mut bevy::prelude::App) {
    use crate::app::screens::Screen;
    use bevy::prelude::*;
    app.add_systems(OnEnter(Screen::Debrief), |mut c: Commands| {
        c.init_resource::<DebriefState>();
    })
    .add_systems(OnExit(Screen::Debrief), |mut c: Commands| {
        c.remove_resource::<DebriefState>();
    });
}

/// Draw the debrief while it is up.
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    use crate::app::screens::{Pages, Screen};
    use bevy::prelude::*;
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw_page.run_if(in_state(Screen::Debrief)).in_set(Pages),
    );
}

fn draw_page(
    mut contexts: bevy_egui::EguiContexts,
    game: Option<bevy::prelude::Res<Game>>,
    st: Option<bevy::prelude::ResMut<DebriefState>>,
    exported: bevy::prelude::Res<crate::app::screens::Exported>,
    mut out: crate::app::screens::Outbox,
) -> bevy::prelude::Result {
    let (Some(g), Some(mut st)) = (game, st) else {
        return Ok(());
    };
    let mut root = crate::app::screens::root_ui(contexts.ctx_mut()?);
    if st.exported != exported.0 {
        st.exported = exported.0.clone();
    }
    let intents = crate::app::screens::debrief_page(&mut root, &out.palette(), &g, st.as_mut());
    out.send(intents);
    Ok(())
}
