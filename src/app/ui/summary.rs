//! "Since last round": what changed and what happened, so the round's important change is
//! obvious when a player returns to the table.

use super::Palette;
use super::meters::Baseline;
use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::sim::{Event, Logged, PublicLevel, Side, SideView};

/// The log entries of round `round` (each event is logged under the round it happened in).
pub fn round_events(log: &[Logged], round: u32) -> Vec<&Event> {
    log.iter()
        .filter(|l| l.round == round)
        .map(|l| &l.event)
        .collect()
}

pub use crate::report::short_line;

/// Short lines for what happened in the previous round, as `viewer` saw it (headlines are
/// left to the news panel).
pub fn last_round_lines(sc: &PublicLevel, log: &[Logged], round: u32, viewer: Side) -> Vec<String> {
    if round < 2 {
        return Vec::new();
    }
    let events = round_events(log, round - 1);
    let mut lines: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::BreachHidden { side, measure, .. } if *side == viewer => Some(format!(
                "You quietly broke '{measure}' and nobody noticed (it comes out in the debrief)"
            )),
            e => short_line(sc, e),
        })
        .collect();
    // A stage that needed nobody passes without a screen; say why it was not seen.
    let talks_closed = events.iter().any(|e| matches!(e, Event::TalksEnded { .. }));
    let implemented = events
        .iter()
        .any(|e| matches!(e, Event::Implemented { .. }));
    if talks_closed && !implemented {
        lines.push(
            "No commitment was in force, so there was nothing to keep or break: the season ended with the talks."
                .into(),
        );
    }
    lines
}

/// The card; returns true when the player dismisses it.
pub fn summary_card(
    ui: &mut Ui,
    pal: &Palette,
    sc: &PublicLevel,
    view: &SideView,
    log: &[Logged],
) -> bool {
    let Some(base) = Baseline::of(view, sc) else {
        return false;
    };
    let mut close = false;
    let title = format!("Since last round (round {})", view.round.saturating_sub(1));
    super::card(ui, &title, |ui| {
        ui.horizontal_wrapped(|ui| {
            // Each meter is one unbreakable chip, so a row never splits "54 →" from "56 +2".
            let mut item = |name: &str, before: f32, now: f32, up_good: bool| {
                // The change between the figures as shown, so "52 → 51" never reads "±0".
                let d = now.round() - before.round();
                let style = ui.style().clone();
                let mut job = egui::text::LayoutJob::default();
                // Shown as the same whole numbers the change is taken from.
                let (b, n) = (before.round() as i64, now.round() as i64);
                RichText::new(format!("{name} {b} → {n}  ")).append_to(
                    &mut job,
                    &style,
                    egui::FontSelection::Default,
                    egui::Align::Center,
                );
                RichText::new(super::delta_text(d))
                    .color(pal.delta(d, up_good))
                    .strong()
                    .append_to(
                        &mut job,
                        &style,
                        egui::FontSelection::Default,
                        egui::Align::Center,
                    );
                ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
                ui.separator();
            };
            item("Tension", base.tension, view.tension, false);
            let me = view.side;
            item(
                "Their trust in you",
                base.trust[me.other().idx()],
                view.trust[me.other().idx()],
                true,
            );
            item(
                "Your trust in them",
                base.trust[me.idx()],
                view.trust[me.idx()],
                true,
            );
            let approval_before = crate::sim::state::weighted_factions(
                &view.private.factions,
                &base.factions[me.idx()],
            );
            item("Your approval", approval_before, view.me.approval, true);
        });
        let lines = last_round_lines(sc, log, view.round, view.side);
        let important = |l: &String| {
            l.starts_with("CAUGHT")
                || l.starts_with("You quietly broke")
                || l.starts_with("Signed")
                || l.starts_with("Phase")
                || l.starts_with("Ratification") && l.contains("FAILED")
                || l.contains("leader falls")
        };
        for l in &lines {
            let t = RichText::new(format!("• {l}"));
            ui.label(if important(l) {
                t.strong().color(pal.warn)
            } else {
                t
            });
        }
        if lines.is_empty() {
            ui.label(RichText::new("A quiet season.").italics());
        }
        if super::key_button(ui, "Got it", egui::Key::Space, true) {
            close = true;
        }
    });
    close
}

/// How a line of news reads for the viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Plain,
}

/// What happened at the table since the viewer's own last move this round, in words: the
/// other side's answer to an offer (and why, when the computer said), a vote that failed, the
/// talks closing and why, an answer given to an event. Nothing moves without a word.
pub fn since_my_move(
    sc: &PublicLevel,
    view: &SideView,
    log: &[Logged],
    their_reason: Option<&str>,
) -> Vec<(String, Tone)> {
    let me = view.side;
    let them = crate::app::ui::offer::short(sc, me.other());
    let this_round: Vec<&Event> = round_events(log, view.round);
    // From the viewer's last move on (offers and answers are moves; events they set off follow).
    let start = this_round
        .iter()
        .rposition(|e| match e {
            Event::OfferMade { side, .. } => *side == me,
            Event::OfferAccepted { side } | Event::OfferRejected { side } => *side == me,
            Event::GestureMade { side, .. } | Event::EventAnswered { side, .. } => *side == me,
            Event::TalksEnded { by, .. } => *by == Some(me),
            _ => false,
        })
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut answered_by_them = false;
    for e in &this_round[start..] {
        match e {
            Event::EventAnswered { side, label, .. } if *side == me => {
                out.push((format!("You answered the event: {label}."), Tone::Plain));
            }
            Event::OfferAccepted { side } if *side != me => {
                answered_by_them = true;
                out.push((
                    format!("{them} accepted your offer. It goes to both parliaments."),
                    Tone::Good,
                ));
            }
            Event::OfferRejected { side } if *side != me => {
                answered_by_them = true;
                out.push((format!("{them} turned your offer down."), Tone::Bad));
            }
            Event::Ratification {
                side,
                support,
                passed: false,
            } => out.push((
                format!(
                    "{} parliament voted it down ({support:.0}% support): the package does not enter force.",
                    if *side == me {
                        "Your".to_string()
                    } else {
                        format!("{them}'s")
                    }
                ),
                Tone::Bad,
            )),
            Event::AgreementSigned { .. } => {
                out.push((
                    "Signed: the package is in force from now on.".into(),
                    Tone::Good,
                ));
            }
            Event::TalksEnded { by, agreed: false } => out.push((
                match by {
                    Some(s) if *s != me => {
                        format!("{them} closed this round's talks without agreement.")
                    }
                    Some(_) => "You closed this round's talks.".into(),
                    None => "The round's exchanges are used up: the talks close without agreement."
                        .into(),
                },
                Tone::Bad,
            )),
            _ => {}
        }
    }
    if answered_by_them && let Some(r) = their_reason {
        out.push((format!("Their reason: “{r}”"), Tone::Plain));
    }
    out
}
