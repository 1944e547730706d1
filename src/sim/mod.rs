//! The rules of Détente as a pure, deterministic model: state in, action in, new state and
//! events out. No rendering here; every chance comes from the match's own seeded generator.

pub mod action;
pub mod deck;
pub mod event;
pub mod measures;
pub mod media;
pub mod offers;
pub mod politics;
pub mod public;
pub mod rng;
pub mod rounds;
pub mod rules;
pub mod scenario;
pub mod scoring;
pub mod state;
pub mod view;

pub use action::{Action, ActionError, Item, Offer};
pub use event::{EndReason, Ending, Event, Logged};
pub use public::PublicLevel;
pub use rounds::Need;
pub use scenario::*;
pub use state::{Match, Stage};
pub use view::SideView;

use serde::{Deserialize, Serialize};

/// Everything needed to replay a match: the level, the seed and the actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchRecord {
    /// The level's id.
    pub level: String,
    /// The level file it was loaded from, if any.
    #[serde(default)]
    pub level_file: Option<String>,
    pub seed: u64,
    pub actions: Vec<Action>,
}

impl Match {
    /// The record that replays this match.
    pub fn record(&self, level_file: Option<String>) -> MatchRecord {
        MatchRecord {
            level: self.scenario.id.clone(),
            level_file,
            seed: self.seed,
            actions: self.actions.clone(),
        }
    }

    /// Replay a record on its scenario; stops at the first refused action.
    pub fn replay(
        scenario: std::sync::Arc<Scenario>,
        record: &MatchRecord,
    ) -> Result<Match, (usize, ActionError)> {
        let mut m = Match::new(scenario, record.seed);
        for (i, a) in record.actions.iter().enumerate() {
            m.apply(a.clone()).map_err(|e| (i, e))?;
        }
        Ok(m)
    }
}
