//! Counterpart negotiators. They see only their own side's view and the public catalogue,
//! and every decision carries one plain sentence of why.

mod counterpart;
mod model;
mod reason;
mod style;
pub mod tournament;

use crate::sim::scenario::*;
use crate::sim::{Action, SideView};
pub use counterpart::Counterpart;
pub use model::OpponentModel;
pub use reason::{ReasonCode, Signing};
pub use style::Style;

/// An action with the reason the negotiator gives for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub action: Action,
    /// The kind of claim the reason makes.
    pub code: ReasonCode,
    /// The reason in plain words, for the player.
    pub reason: String,
}

/// The public part of a level: what any negotiator may read. Private briefs and the other
/// side's priorities and factions are not reachable through it.
#[derive(Clone, Copy)]
pub struct Table<'a>(&'a Scenario);

impl<'a> Table<'a> {
    /// Wrap a scenario, exposing only its public parts.
    pub fn new(sc: &'a Scenario) -> Self {
        Table(sc)
    }
    /// The measures catalogue.
    pub fn measures(&self) -> &'a [MeasureDef] {
        &self.0.measures
    }
    /// A measure and its index, by id.
    pub fn measure(&self, id: &str) -> Option<(usize, &'a MeasureDef)> {
        self.0.measure_index(id).map(|i| (i, &self.0.measures[i]))
    }
    /// A measure and its index, from an id a view handed out (quicker than by text).
    pub fn shared(&self, id: &std::sync::Arc<str>) -> Option<(usize, &'a MeasureDef)> {
        let i = self
            .0
            .shared_index(id)
            .or_else(|| self.0.measure_index(id))?;
        Some((i, &self.0.measures[i]))
    }
    /// The event deck.
    pub fn events(&self) -> &'a [EventDef] {
        &self.0.events
    }
    /// The phases in order.
    pub fn phases(&self) -> &'a [PhaseDef] {
        &self.0.phases
    }
    /// The press.
    pub fn outlets(&self) -> &'a [OutletDef] {
        &self.0.outlets
    }
    /// Whether independent observers can verify commitments.
    pub fn observers(&self) -> bool {
        self.0.observers.is_some()
    }
    /// Tension at which talks collapse into an armed clash.
    pub fn clash_at(&self) -> f32 {
        self.0.end.clash_at
    }
}

/// Anything that can sit at the table in a side's place.
pub trait Negotiator: Send {
    /// Decide the next action for the view's side; only called when the view has a need.
    fn decide(&mut self, view: &SideView, table: Table) -> Decision;
    /// What the negotiator believes the other side values, normalised over areas
    /// (in the order of `Area::ALL`).
    fn beliefs(&self) -> Option<[f32; 7]> {
        None
    }
}

/// Build the counterpart a level asks for.
pub fn from_level(sc: &Scenario, side: Side, seed: u64) -> Counterpart {
    Counterpart::new(
        Style::new(sc.ai.personality, sc.ai.difficulty, &sc.ai),
        side,
        seed,
    )
}

/// All personalities, in display order.
pub const PERSONALITIES: [Personality; 4] = [
    Personality::Hawk,
    Personality::Dove,
    Personality::Reciprocator,
    Personality::Pragmatist,
];

/// All difficulties, in display order.
pub const DIFFICULTIES: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Normal, Difficulty::Hard];
