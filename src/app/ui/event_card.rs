//! The event card of the round, with a button per answer this side may give.

use super::Palette;
use super::offer::Rules;
use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::sim::{Action, PublicLevel, SideView};

/// Draw the card; returns the answer chosen (click or number key).
pub fn event_card(
    ui: &mut Ui,
    pal: &Palette,
    sc: &PublicLevel,
    view: &SideView,
    rules: &dyn Rules,
) -> Option<Action> {
    let ev = view.event.as_ref()?;
    let def = sc.events.iter().find(|e| e.id == ev.card)?;
    let mut out = None;
    super::card(ui, &def.title, |ui| {
        ui.label(&def.text);
        let struck: Vec<&str> = ev
            .struck
            .iter()
            .map(|s| sc.side(*s).name.as_str())
            .collect();
        ui.label(RichText::new(format!("It strikes {}.", struck.join(" and "))).color(pal.muted));
        ui.add_space(6.0);
        if ev.my_responses.is_empty() {
            ui.label(RichText::new("Waiting for their answer…").italics());
            return;
        }
        ui.label(RichText::new("How do you answer?").strong());
        // Event answers take the keys 1–6.
        let keys = &super::DIGITS[..6];
        for (n, id) in ev.my_responses.iter().enumerate() {
            let Some(r) = def.responses.iter().find(|r| &r.id == id) else {
                continue;
            };
            let mut label = r.label.clone();
            if r.cost > 0.0 {
                label.push_str(&format!(" ({:.0} capital)", r.cost));
            }
            let action = Action::Respond {
                side: view.side,
                response: r.id.clone(),
            };
            let check = rules.check(&action);
            let key = keys.get(n).copied();
            let shown = ui.scope(|ui| match key {
                Some(k) => super::key_button(ui, &label, k, check.is_ok()),
                None => ui
                    .add_enabled(check.is_ok(), egui::Button::new(&label))
                    .clicked(),
            });
            let hover = match &check {
                Ok(()) => effects_text(&r.effects),
                Err(e) => format!("Not now: {e}\n{}", effects_text(&r.effects)),
            };
            shown.response.on_hover_text(hover);
            if shown.inner && out.is_none() {
                out = Some(action);
            }
        }
    });
    out
}

/// What an answer does, in words ("tension +3 · their trust in you −2").
pub fn effects_text(e: &crate::sim::Effects) -> String {
    let mut v = Vec::new();
    let mut add = |name: &str, x: f32| {
        if x.abs() >= 0.05 {
            v.push(format!("{name} {x:+.0}"));
        }
    };
    add("tension", e.tension);
    add("their trust in you", e.trust);
    add("your trust in them", e.own_trust);
    add("your economy", e.economy);
    add("your security", e.security);
    add("political capital", e.capital);
    add("their economy", e.other_economy);
    add("their security", e.other_security);
    add("approval at home", e.approval);
    if e.hawks > 0.05 {
        v.push("pleases your hawks".into());
    } else if e.hawks < -0.05 {
        v.push("angers your hawks".into());
    }
    if v.is_empty() {
        "No immediate effect.".into()
    } else {
        format!("Likely effect: {}", v.join(" · "))
    }
}
