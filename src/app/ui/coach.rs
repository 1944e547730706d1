//! The coach of a first match: in a tutorial level (its id starts with `tutorial`), one short
//! mark that points at the next thing to do, and one new idea a round; at the end, the seven
//! lessons the game teaches.

use super::{Palette, card};
use crate::app::egui::{RichText, Ui};
use crate::sim::{Need, PublicLevel, SideView, Stage};

/// Whether a level coaches its player.
pub fn coaches(level: &PublicLevel) -> bool {
    level.id.starts_with("tutorial")
}

/// The idea each round of a tutorial brings in, one at a time.
pub const IDEAS: [&str; 6] = [
    "Round 1 — trading: you give what costs you little and ask for what you value most. Your priorities are private; theirs too.",
    "Round 2 — small steps: a unilateral gesture (G) asks nothing back. Steps that are returned build trust, the way the Cold War's hotline did.",
    "Round 3 — trust, but verify: each commitment can carry a check. A quiet breach is caught with that check's chance; without one it rarely is.",
    "Round 4 — two-level games: every package must pass at home. Watch the preview's support against what your parliament needs.",
    "Round 5 — institutions: a treaty survives a change of leader, a bare pledge may not. Terms matter as much as the split.",
    "Round 6 — words count: the statement sent with an offer moves trust and your factions. A milestone pleases only if something was signed.",
];

/// The next step for the view's side, in one line, or `None` when nothing is asked of it.
pub fn next_step(view: &SideView) -> Option<&'static str> {
    if view.stage == Stage::Ended {
        return None;
    }
    Some(match view.needs.first()? {
        Need::Respond => {
            "An event struck you. Choose an answer with its number key; some answers need a measure in force, like a hotline."
        }
        Need::Propose => {
            "Your move. In the catalogue, switch on something your state does (we) and something you want (they); check the preview, then send with Enter. Or press G for a gesture, or E to close this round's talks."
        }
        Need::Answer => {
            "An offer is on the table. Read “If you accept”: does it pass at home? Then A accepts, R rejects, C counters with your own package."
        }
        Need::Implement => {
            "Keep your word, or quietly break a commitment (its number key), then Enter. A breach can be caught: checks make that likelier, and a caught one costs trust."
        }
    })
}

/// The coach's card for a tutorial: the round's idea and the next step.
pub fn coach_card(ui: &mut Ui, pal: &Palette, level: &PublicLevel, view: &SideView) {
    if !coaches(level) || view.stage == Stage::Ended {
        return;
    }
    let idea = IDEAS.get(view.round.saturating_sub(1) as usize);
    let step = next_step(view);
    if idea.is_none() && step.is_none() {
        return;
    }
    card(ui, "Coach", |ui| {
        if let Some(i) = idea {
            ui.label(RichText::new(*i).italics());
        }
        if let Some(s) = step {
            ui.label(
                RichText::new(format!("Next: {s}"))
                    .strong()
                    .color(pal.accent),
            );
        }
    });
}

/// The seven lessons, each with the mechanic that makes it felt.
pub const LESSONS: [(&str, &str); 7] = [
    (
        "Small reciprocated steps build trust",
        "gestures, and commitments kept round after round",
    ),
    (
        "A deal must also pass at home",
        "factions, their approval, and ratification",
    ),
    (
        "Trust, but verify",
        "checks on commitments; breaches caught, or revealed only in the debrief",
    ),
    (
        "Trading across issues creates value",
        "private priorities and the packages that give each side what it values most",
    ),
    (
        "Tension feeds on itself",
        "incidents, warnings and broken promises raise it; hotlines and reporting damp it",
    ),
    (
        "Institutions outlast leaders",
        "treaties with reviews survive a fall at home; bare pledges may lapse",
    ),
    (
        "Public words matter",
        "the statement with each offer, and the press that reads it",
    ),
];

/// The seven lessons, for the end of a tutorial.
pub fn lessons_card(ui: &mut Ui, pal: &Palette) {
    card(ui, "What the tutorial taught", |ui| {
        for (n, (lesson, how)) in LESSONS.iter().enumerate() {
            ui.label(RichText::new(format!("{}. {lesson}", n + 1)).strong());
            ui.label(
                RichText::new(format!("   felt through {how}"))
                    .small()
                    .color(pal.muted),
            );
        }
    });
}
