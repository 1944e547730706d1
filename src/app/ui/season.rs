//! The cards between rounds, pictures first: the season card (tension's arrow, the symbols
//! gained, lost and caught broken, every faction's move) and a leader's fall. Pure: built from
//! one side's view and log, drawn into a `Ui`, dismissed by the player.

use super::Palette;
use super::meters::Baseline;
use crate::app::egui;
use crate::app::egui::{Color32, RichText, Ui};
use crate::sim::map::MeasureIcon;
use crate::sim::{Event, Logged, PublicLevel, Side, SideView};
use egui_phosphor::regular as icon;

/// A commitment on the season card.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub icon: MeasureIcon,
    /// Who undertook it, where the view still knows.
    pub by: Option<Side>,
    pub name: String,
}

/// What a season changed, from one side's view.
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    /// The round that ended.
    pub round: u32,
    /// Tension before and after.
    pub tension: (f32, f32),
    pub clash_at: f32,
    /// Trust both ways, before and after: `trust[A]` is A's trust in B.
    pub trust: [(f32, f32); 2],
    /// Each state's factions: name, approval before and after.
    pub factions: [Vec<(String, f32, f32)>; 2],
    pub gained: Vec<Mark>,
    pub lost: Vec<Mark>,
    pub broken: Vec<Mark>,
    /// A new phase, and whether it is a step up.
    pub phase: Option<(String, bool)>,
}

/// The season that ended before `view`'s round, from the view and the viewer's log.
pub fn season(level: &PublicLevel, view: &SideView, log: &[Logged]) -> Option<Season> {
    if view.round < 2 {
        return None;
    }
    let base = Baseline::of(view, level)?;
    let ended = view.round - 1;
    let mark = |name: &str, by: Option<Side>| {
        let icon = level
            .measures
            .iter()
            .find(|m| m.name == name)
            .map_or(MeasureIcon::Legal, MeasureIcon::of);
        Mark {
            icon,
            by,
            name: name.to_string(),
        }
    };
    let by_id = |id: u32| view.commitments.iter().find(|c| c.id == id).map(|c| c.by);
    let (mut gained, mut lost, mut broken, mut phase) = (Vec::new(), Vec::new(), Vec::new(), None);
    for l in log.iter().filter(|l| l.round == ended) {
        match &l.event {
            Event::AgreementSigned {
                commitments,
                measures,
            } => {
                for (id, name) in commitments.iter().zip(measures) {
                    gained.push(mark(name, by_id(*id)));
                }
            }
            Event::GestureMade { side, measure, .. } => gained.push(mark(measure, Some(*side))),
            Event::CommitmentEnded { side, measure, .. } => lost.push(mark(measure, Some(*side))),
            Event::BreachCaught { side, measure, .. } => broken.push(mark(measure, Some(*side))),
            Event::PhaseChanged { to, up, .. } => phase = Some((to.clone(), *up)),
            _ => {}
        }
    }
    let factions = Side::BOTH.map(|s| {
        let now = if s == view.side { &view.me } else { &view.them };
        now.factions
            .iter()
            .zip(&base.factions[s.idx()])
            .map(|(f, b)| (f.name.to_string(), *b, f.approval))
            .collect()
    });
    Some(Season {
        round: ended,
        tension: (base.tension, view.tension),
        clash_at: level.end.clash_at,
        trust: [0, 1].map(|i| (base.trust[i], view.trust[i])),
        factions,
        gained,
        lost,
        broken,
        phase,
    })
}

/// The icon of a kind of measure, as the interface draws it.
pub fn icon_of(i: MeasureIcon) -> &'static str {
    match i {
        MeasureIcon::Hotline => icon::PHONE,
        MeasureIcon::Monitoring => icon::EYE,
        MeasureIcon::Corridor => icon::ROAD_HORIZON,
        MeasureIcon::Pullback => icon::ARROW_FAT_LINES_DOWN,
        MeasureIcon::Commission => icon::USERS_THREE,
        MeasureIcon::Trade => icon::HANDSHAKE,
        MeasureIcon::Legal => icon::SCALES,
        MeasureIcon::Aid => icon::FIRST_AID,
        MeasureIcon::People => icon::USERS,
        MeasureIcon::Statement => icon::MEGAPHONE,
    }
}

/// The colour of a state on cards, as on the map.
pub fn side_colour(pal: &Palette, side: Side) -> Color32 {
    let c = crate::app::scene::colours::Colours::new(pal.colour_blind()).side[side.idx()];
    Color32::from_rgb(c[0], c[1], c[2])
}

/// A change in whole points with its arrow, coloured by whether it is good.
fn delta(ui: &mut Ui, pal: &Palette, d: f32, up_good: bool) {
    super::delta_label(ui, pal, d, up_good);
}

/// The season card; true when the player dismisses it (the button, Space or Enter).
pub fn season_ui(
    ui: &mut Ui,
    pal: &Palette,
    level: &PublicLevel,
    view: &SideView,
    s: &Season,
) -> bool {
    let mut close = false;
    ui.label(
        RichText::new(format!("Season {} ends", s.round)).font(super::display_font(ui.ctx(), 24.0)),
    );
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        tension_picture(ui, pal, s);
        ui.add_space(12.0);
        ui.vertical(|ui| {
            let me = view.side;
            for (who, i, up_good) in [
                ("Their trust in you", me.other().idx(), true),
                ("Your trust in them", me.idx(), true),
            ] {
                ui.horizontal(|ui| {
                    let (b, n) = s.trust[i];
                    ui.label(format!("{} {who} {:.0} → {:.0}", icon::HANDSHAKE, b, n));
                    delta(ui, pal, n.round() - b.round(), up_good);
                });
            }
            if let Some((to, up)) = &s.phase {
                let arrow = if *up {
                    icon::ARROW_FAT_UP
                } else {
                    icon::ARROW_FAT_DOWN
                };
                ui.label(
                    RichText::new(format!("{arrow} Phase: {to}"))
                        .strong()
                        .color(if *up { pal.good } else { pal.bad }),
                );
            }
        });
    });
    ui.separator();
    let rows: [(&str, Color32, &[Mark], &str); 3] = [
        (
            icon::PLUS_CIRCLE,
            pal.good,
            &s.gained,
            "In force from this season",
        ),
        (icon::X_CIRCLE, pal.bad, &s.broken, "Caught broken"),
        (icon::MINUS_CIRCLE, pal.muted, &s.lost, "Left force"),
    ];
    let mut any = false;
    for (sign, colour, marks, hover) in rows {
        if marks.is_empty() {
            continue;
        }
        any = true;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(sign).size(20.0).color(colour))
                .on_hover_text(hover);
            for m in marks {
                let c = m.by.map_or(pal.muted, |b| side_colour(pal, b));
                ui.label(RichText::new(icon_of(m.icon)).size(22.0).color(c))
                    .on_hover_text(&m.name);
                ui.label(RichText::new(&m.name).small());
            }
        });
    }
    if !any {
        ui.label(
            RichText::new("No commitment came or went.")
                .italics()
                .color(pal.muted),
        );
    }
    ui.separator();
    ui.columns(2, |cols| {
        for (col, side) in [(0, view.side), (1, view.side.other())] {
            let ui = &mut cols[col];
            ui.label(
                RichText::new(format!("{} {}", icon::USERS, level.side(side).name))
                    .strong()
                    .color(side_colour(pal, side)),
            );
            for (name, b, n) in &s.factions[side.idx()] {
                ui.horizontal(|ui| {
                    approval_bar(ui, pal, *b, *n);
                    ui.label(RichText::new(name).small());
                    delta(ui, pal, n.round() - b.round(), true);
                });
            }
        }
    });
    ui.add_space(6.0);
    if super::key_button(ui, "On to the new season", egui::Key::Space, true)
        || super::key_pressed(ui, egui::Key::Enter)
    {
        close = true;
    }
    close
}

/// A thermometer of tension from calm to the clash line, with an arrow for the season's move.
fn tension_picture(ui: &mut Ui, pal: &Palette, s: &Season) {
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(120.0, 70.0), egui::Sense::hover());
    let p = ui.painter_at(rect);
    let bar = egui::Rect::from_min_size(
        rect.left_top() + egui::vec2(0.0, 24.0),
        egui::vec2(120.0, 14.0),
    );
    p.rect_filled(bar, 4.0, Color32::from_gray(60));
    let at = |t: f32| bar.left() + bar.width() * (t / s.clash_at.max(1.0)).clamp(0.0, 1.0);
    let (b, n) = s.tension;
    let up = n.round() > b.round();
    let colour = if n.round() == b.round() {
        pal.muted
    } else if up {
        pal.bad
    } else {
        pal.good
    };
    p.rect_filled(
        egui::Rect::from_min_max(bar.left_top(), egui::pos2(at(n), bar.bottom())),
        4.0,
        colour,
    );
    // The arrow from where tension stood to where it stands.
    let y = bar.bottom() + 8.0;
    p.arrow(
        egui::pos2(at(b), y),
        egui::vec2(at(n) - at(b), 0.0),
        egui::Stroke::new(3.0, colour),
    );
    p.text(
        rect.left_top(),
        egui::Align2::LEFT_TOP,
        format!("{} Tension {:.0} → {:.0}", icon::THERMOMETER, b, n),
        egui::FontId::proportional(13.0),
        ui.visuals().text_color(),
    );
    resp.on_hover_text(format!(
        "Tension went from {b:.0} to {n:.0}; at {:.0} the states clash.",
        s.clash_at
    ));
}

/// A faction's approval as a short bar, the part lost or gained this season marked.
fn approval_bar(ui: &mut Ui, pal: &Palette, before: f32, now: f32) {
    let (r, _) = ui.allocate_exact_size(egui::vec2(60.0, 9.0), egui::Sense::hover());
    let p = ui.painter();
    p.rect_filled(r, 2.0, Color32::from_gray(55));
    let x = |v: f32| r.left() + r.width() * (v / 100.0).clamp(0.0, 1.0);
    p.rect_filled(
        egui::Rect::from_min_max(r.left_top(), egui::pos2(x(now.min(before)), r.bottom())),
        2.0,
        Color32::from_gray(170),
    );
    if (now - before).abs() >= 0.5 {
        let colour = if now > before { pal.good } else { pal.bad };
        p.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(x(now.min(before)), r.top()),
                egui::pos2(x(now.max(before)), r.bottom()),
            ),
            0.0,
            colour,
        );
    }
}

/// A leader's fall.
#[derive(Debug, Clone, PartialEq)]
pub struct Fall {
    pub side: Side,
    pub leader: String,
    /// The hardliner who takes over, when the level has one.
    pub successor: Option<String>,
}

/// Every fall among `new` log entries.
pub fn falls(level: &PublicLevel, new: &[Logged]) -> Vec<Fall> {
    new.iter()
        .filter_map(|l| match &l.event {
            Event::LeaderFell { side, successor } => Some(Fall {
                side: *side,
                // Only the level's own leader can fall during a match: a successor never does.
                leader: level.side(*side).leader.clone(),
                successor: successor.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The fall card: the leader's figure topples as the card arrives (`progress` 0 to 1); true
/// when the player dismisses it.
pub fn fall_ui(
    ui: &mut Ui,
    pal: &Palette,
    level: &PublicLevel,
    viewer: Side,
    f: &Fall,
    progress: f32,
) -> bool {
    let state = &level.side(f.side).name;
    ui.label(
        RichText::new(format!("{} falls", f.leader))
            .font(super::display_font(ui.ctx(), 26.0))
            .color(pal.bad),
    );
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(90.0, 90.0), egui::Sense::hover());
        let p = ui.painter_at(rect);
        // A podium, and the figure tipping off it.
        let ground = rect.bottom() - 8.0;
        p.rect_filled(
            egui::Rect::from_min_max(
                egui::pos2(rect.left() + 15.0, ground - 14.0),
                egui::pos2(rect.right() - 15.0, ground),
            ),
            2.0,
            Color32::from_gray(90),
        );
        let pivot = egui::pos2(rect.center().x + 12.0, ground - 14.0);
        let angle = progress.clamp(0.0, 1.0) * 1.3;
        let along = |len: f32| pivot + egui::vec2(angle.sin(), -angle.cos()) * len;
        let colour = side_colour(pal, f.side);
        p.line_segment([pivot, along(40.0)], egui::Stroke::new(7.0, colour));
        p.circle_filled(along(50.0), 9.0, colour);
        ui.vertical(|ui| {
            let whose = if f.side == viewer {
                "Your government".to_string()
            } else {
                format!("The government of {state}")
            };
            ui.label(RichText::new(format!("{whose} has lost its majority at home.")).strong());
            match &f.successor {
                Some(s) => {
                    ui.label(format!("{s}, a hardliner, now leads {state}."));
                    ui.label(
                        RichText::new(
                            "Bare pledges may lapse with the leader who gave them; treaties stay.",
                        )
                        .small()
                        .color(pal.muted),
                    );
                }
                None => {
                    ui.label(format!("{state} leaves the table: the match ends."));
                }
            }
        });
    });
    ui.add_space(6.0);
    super::key_button(ui, "Continue", egui::Key::Space, true)
        || super::key_pressed(ui, egui::Key::Enter)
}
