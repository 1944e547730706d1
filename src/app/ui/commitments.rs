//! Commitments in force, withdrawal, and the implementation choice: keep or quietly break each
//! of one's own commitments.

use super::Palette;
use super::offer::{Rules, short, term_short};
use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::sim::measures::{detection, verification_name};
use crate::sim::{Action, PublicLevel, SideView};
use std::collections::BTreeSet;

/// The list of commitments in force; own ones the rules would let go get a Withdraw button,
/// which asks once more before it acts (`confirm` holds the one asked about). `rules` is
/// `None` when the viewer may not act (the computer plays their side).
pub fn in_force(
    ui: &mut Ui,
    pal: &Palette,
    sc: &PublicLevel,
    view: &SideView,
    rules: Option<&dyn Rules>,
    confirm: &mut Option<u32>,
) -> Option<Action> {
    let mut out = None;
    if view.commitments.is_empty() {
        ui.label(
            RichText::new("Nothing in force yet.")
                .italics()
                .color(pal.muted),
        );
    }
    {
        {
            for c in &view.commitments {
                let Some(i) = sc.measure_index(&c.measure) else {
                    continue;
                };
                let m = &sc.measures[i];
                let mine = c.by == view.side;
                let mut hover = super::offer::measure_hover(sc, m);
                hover.push_str(&format!(
                    "\n\nUndertaken by {} in round {}: {}, {}.",
                    sc.side(c.by).name,
                    c.signed_round,
                    verification_name(m, c.verification),
                    c.term.label()
                ));
                let mut name = RichText::new(&m.name);
                if c.caught > 0 {
                    name = name.color(pal.bad);
                    hover.push_str(&format!("\nCaught broken {} time(s).", c.caught));
                }
                if let Some(h) = c.hidden_breaches
                    && h > 0
                {
                    name = name.color(pal.warn);
                    hover.push_str(&format!("\nYou broke it unseen {h} time(s)."));
                }
                ui.horizontal_wrapped(|ui| {
                    ui.label(name).on_hover_text(hover);
                    ui.label(
                        RichText::new(format!("{} · {}", short(sc, c.by), term_short(c.term)))
                            .small()
                            .color(if mine { pal.warn } else { pal.good }),
                    );
                    let withdraw = Action::Withdraw {
                        side: view.side,
                        commitment: c.id,
                    };
                    let allowed = mine && rules.is_some_and(|r| r.check(&withdraw).is_ok());
                    if allowed
                        && *confirm != Some(c.id)
                        && ui
                            .small_button("↩")
                            .on_hover_text("Withdraw it: costs their trust in you.")
                            .clicked()
                    {
                        *confirm = Some(c.id);
                    }
                });
                if *confirm == Some(c.id) {
                    ui.label(
                        RichText::new(format!(
                            "Withdraw '{}'? Their trust in you falls by {:.0}, and it leaves force now.",
                            m.name,
                            crate::sim::tuning::WITHDRAW_TRUST
                        ))
                        .color(pal.warn),
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Withdraw it").clicked() {
                            out = Some(Action::Withdraw {
                                side: view.side,
                                commitment: c.id,
                            });
                            *confirm = None;
                        }
                        if ui.button("Keep it").clicked() {
                            *confirm = None;
                        }
                    });
                }
            }
        }
    }
    out
}

/// Implementation: a Keep / Break switch for each own commitment and a button to carry out.
pub fn implement_ui(
    ui: &mut Ui,
    pal: &Palette,
    sc: &PublicLevel,
    view: &SideView,
    breaks: &mut BTreeSet<u32>,
) -> Option<Action> {
    let mut out = None;
    super::card(ui, "Implementation: keep your word?", |ui| {
        ui.label("Each of your commitments is carried out this round, unless you quietly break it. A broken commitment pays off at once, but it is caught with its verification's chance: then their trust crashes, tension jumps and the press finds out. Uncaught breaches come out in the debrief.");
        super::key_hint(
            ui,
            pal,
            "Keyboard: a row's number switches it between Keep and Break; Enter carries out.",
        );
        ui.add_space(6.0);
        let mine: Vec<_> = view
            .commitments
            .iter()
            .filter(|c| c.by == view.side)
            .collect();
        breaks.retain(|id| mine.iter().any(|c| c.id == *id));
        egui::Grid::new("implement")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for (n, c) in mine.into_iter().enumerate() {
                    let Some(i) = sc.measure_index(&c.measure) else {
                        continue;
                    };
                    let m = &sc.measures[i];
                    // Digits 1-9 switch a row between keep and break.
                    let key = super::DIGITS.get(n).copied();
                    if let Some(k) = key
                        && super::key_pressed(ui, k)
                        && !breaks.remove(&c.id)
                    {
                        breaks.insert(c.id);
                    }
                    let name = match key {
                        Some(k) => format!("[{}] {}", super::key_name(k), m.name),
                        None => m.name.clone(),
                    };
                    ui.label(RichText::new(name).strong());
                    let broken = breaks.contains(&c.id);
                    ui.horizontal(|ui| {
                        if ui.selectable_label(!broken, "Keep").clicked() {
                            breaks.remove(&c.id);
                        }
                        if ui
                            .selectable_label(broken, RichText::new("Break quietly").color(pal.bad))
                            .clicked()
                        {
                            breaks.insert(c.id);
                        }
                    });
                    let g = &m.breach_gain;
                    let mut gain = Vec::new();
                    if g.security != 0.0 {
                        gain.push(format!("security {:+.1}", g.security));
                    }
                    if g.economy != 0.0 {
                        gain.push(format!("economy {:+.1}", g.economy));
                    }
                    if g.capital != 0.0 {
                        gain.push(format!("capital {:+.1}", g.capital));
                    }
                    ui.label(
                        RichText::new(format!(
                            "{}: {:.0}% chance caught{}",
                            verification_name(m, c.verification),
                            detection(m, c.verification) * 100.0,
                            if gain.is_empty() {
                                String::new()
                            } else {
                                format!(" · breaking gains {}", gain.join(", "))
                            }
                        ))
                        .small()
                        .color(pal.muted),
                    );
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        let label = if breaks.is_empty() {
            "Carry out all commitments".to_string()
        } else {
            format!("Carry out, breaking {}", breaks.len())
        };
        if super::key_button(ui, &label, egui::Key::Enter, true) {
            out = Some(Action::Implement {
                side: view.side,
                breaks: breaks.iter().copied().collect(),
            });
        }
    });
    out
}
