//! Counterpart negotiators. They see only their own side's view and the public catalogue,
//! and every decision carries one plain sentence of why.

pub mod bargain;
mod counterpart;
mod model;
mod reason;
mod style;

use crate::sim::scenario::*;
use crate::sim::{Action, PublicLevel, SideView};
pub use counterpart::Counterpart;
pub use model::OpponentModel;
pub use reason::{Reason, ReasonCode, Signing};
pub use style::Style;

/// An action with the reason the negotiator gives for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub action: Action,
    /// The kind of claim the reason makes.
    pub code: ReasonCode,
    /// The reason in plain words, for the player.
    pub reason: Reason,
}

/// Anything that can sit at the table in a side's place.
pub trait Negotiator: Send + Sync {
    /// Decide the next action for the view's side; only called when the view has a need.
    fn decide(&mut self, view: &SideView, table: &PublicLevel) -> Decision;
    /// What the negotiator believes the other side values, normalised over areas
    /// (in the order of `Area::ALL`).
    fn beliefs(&self) -> Option<[f32; 7]> {
        None
    }
    /// What the negotiator has learnt of the other side, for the debrief; `None` if it keeps
    /// no model.
    fn insight(&self) -> Option<Insight> {
        None
    }
}

/// What a counterpart learnt of the other side over a match.
#[derive(Debug, Clone, PartialEq)]
pub struct Insight {
    /// Believed priorities, normalised, in the order of `Area::ALL`.
    pub believed: [f32; 7],
    /// Areas from what it believes the other side values most to least.
    pub ranking: Vec<Area>,
    /// Whether its character acts on the model (or only keeps it).
    pub acts_on_it: bool,
    /// How many of the other side's offers it learnt from.
    pub offers_seen: u32,
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
