//! The match log as dated lines, each of a kind.

use crate::sim::{Event, Match, PublicLevel, Side};

/// What a timeline line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Offers and the answers to them.
    Offer,
    /// Agreements, ratifications and gestures.
    Deal,
    /// Event cards and the answers to them.
    Event,
    /// Broken commitments, caught or not.
    Breach,
    /// The press's headlines.
    Press,
    /// Phases, fallen leaders, the end.
    Milestone,
}

impl Kind {
    /// A stable lower-case name (the HTML page's class).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Offer => "offer",
            Kind::Deal => "deal",
            Kind::Event => "event",
            Kind::Breach => "breach",
            Kind::Press => "press",
            Kind::Milestone => "milestone",
        }
    }

    /// The kind of a logged event; `None` for what the timeline leaves out.
    pub fn of(e: &Event) -> Option<Kind> {
        Some(match e {
            Event::OfferMade { .. } | Event::OfferAccepted { .. } | Event::OfferRejected { .. } => {
                Kind::Offer
            }
            Event::AgreementSigned { .. }
            | Event::Ratification { .. }
            | Event::GestureMade { .. } => Kind::Deal,
            Event::EventDrawn { .. } | Event::EventAnswered { .. } => Kind::Event,
            Event::BreachCaught { .. } | Event::BreachHidden { .. } => Kind::Breach,
            Event::Headline { .. } => Kind::Press,
            Event::PhaseChanged { .. }
            | Event::LeaderFell { .. }
            | Event::MatchEnded { .. }
            | Event::Steered { .. } => Kind::Milestone,
            _ => return None,
        })
    }
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub round: u32,
    pub kind: Kind,
    pub text: String,
    /// The index in the match log of the entry it tells.
    pub entry: usize,
}

/// The match log as lines, in log order: offers, agreements, events, breaches (hidden ones
/// too), headlines and milestones.
pub fn timeline(m: &Match) -> Vec<Line> {
    let sc = m.scenario.public();
    m.log
        .iter()
        .enumerate()
        .filter_map(|(entry, l)| {
            let kind = Kind::of(&l.event)?;
            let text =
                short_line(sc, &l.event).or_else(|| crate::runner::describe(sc, &l.event))?;
            Some(Line {
                round: l.round,
                kind,
                text,
                entry,
            })
        })
        .collect()
}

/// A short line for one event, or `None` for what a summary leaves out (headlines,
/// statements, implementation, passed ratifications and round starts).
pub fn short_line(sc: &PublicLevel, e: &Event) -> Option<String> {
    let name = |s: Side| capitalised(&sc.side(s).id);
    Some(match e {
        Event::Headline { .. }
        | Event::StatementMade { .. }
        | Event::Implemented { .. }
        | Event::RoundStarted { .. } => return None,
        Event::Ratification { passed: true, .. } => return None,
        Event::OfferMade {
            side,
            offer,
            counter,
        } => format!(
            "{} {} a package of {} commitment(s)",
            name(*side),
            if *counter { "counters with" } else { "offers" },
            offer.items.len()
        ),
        Event::AgreementSigned { measures, .. } => {
            let mut uniq: Vec<&String> = Vec::new();
            for m in measures {
                if !uniq.contains(&m) {
                    uniq.push(m);
                }
            }
            let names: Vec<&str> = uniq.iter().map(|s| s.as_str()).collect();
            format!("Signed: {}", names.join(", "))
        }
        other => crate::runner::describe(sc, other)?,
    })
}

fn capitalised(id: &str) -> String {
    let mut c = id.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
