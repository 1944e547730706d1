//! The rules of Détente as a pure, deterministic model: state in, action in, new state and
//! events out. No rendering here; every chance comes from the match's own seeded generator.

pub mod action;
pub mod deck;
pub mod derived;
pub mod event;
pub mod exact;
pub mod hash;
pub mod map;
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
pub mod steer;
pub mod tuning;
pub mod view;

pub use action::{Action, ActionError, Item, Offer};
pub use event::{EndReason, Ending, Event, Logged};
pub use public::PublicLevel;
pub use rounds::Need;
pub use scenario::*;
pub use state::{Match, Stage};
pub use steer::{Steer, SteerError, Steered};
pub use view::{Available, SideView};

use serde::{Deserialize, Serialize};

/// The format of [`MatchRecord`]; a record of a later format is refused rather than misread.
/// Format 3 added the instructor's steering.
pub const RECORD_FORMAT: u32 = 3;

/// Everything needed to replay a match: the level, the seed and the actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchRecord {
    /// The record's format ([`RECORD_FORMAT`]; records from before formats were numbered read
    /// as 1).
    #[serde(default = "first_format")]
    pub format: u32,
    /// The level's id.
    pub level: String,
    /// The level's content hash ([`Scenario::content_hash`]) when the match was played, so a
    /// replay on an edited level is refused instead of becoming another match.
    #[serde(default)]
    pub level_hash: Option<String>,
    /// The level file it was loaded from, if any.
    #[serde(default)]
    pub level_file: Option<String>,
    pub seed: u64,
    pub actions: Vec<Action>,
    /// What an instructor did, in order, each placed by the number of moves before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steering: Vec<Steered>,
}

impl Match {
    /// The record that replays this match.
    pub fn record(&self, level_file: Option<String>) -> MatchRecord {
        MatchRecord {
            format: RECORD_FORMAT,
            level: self.scenario.id.clone(),
            level_hash: Some(self.scenario.content_hash()),
            level_file,
            seed: self.seed,
            actions: self.actions.clone(),
            steering: self.steering.clone(),
        }
    }

    /// Replay a record on its scenario; stops at the first refused action. Whether the record
    /// fits this scenario is [`MatchRecord::fits`].
    pub fn replay(
        scenario: std::sync::Arc<Scenario>,
        record: &MatchRecord,
    ) -> Result<Match, (usize, ActionError)> {
        let mut m = Match::new(scenario, record.seed);
        for (i, a) in record.actions.iter().enumerate() {
            record
                .steer_at(&mut m, i)
                .map_err(|_| (i, ActionError::Steering))?;
            m.apply(a.clone()).map_err(|e| (i, e))?;
        }
        let end = record.actions.len();
        record
            .steer_at(&mut m, end)
            .map_err(|_| (end, ActionError::Steering))?;
        Ok(m)
    }
}

fn first_format() -> u32 {
    1
}

/// Why a record cannot be replayed on a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecordMismatch {
    /// The record is of a later format than this program reads.
    Format { found: u32, known: u32 },
    /// The record was made on another level.
    Level { recorded: String, found: String },
    /// The level has been edited since the match was played.
    Edited,
}

impl std::fmt::Display for RecordMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordMismatch::Format { found, known } => write!(
                f,
                "the record is of format {found}, newer than this program reads ({known})"
            ),
            RecordMismatch::Level { recorded, found } => {
                write!(f, "the record is for level '{recorded}', not '{found}'")
            }
            RecordMismatch::Edited => write!(f, "the level has been edited since the match"),
        }
    }
}

impl MatchRecord {
    /// Carry out the steering recorded after the first `at` moves.
    pub fn steer_at(&self, m: &mut Match, at: usize) -> Result<(), SteerError> {
        for s in self.steering.iter().filter(|s| s.at == at) {
            m.steer(s.steer.clone())?;
        }
        Ok(())
    }

    /// Whether this record can be replayed on `sc` as the match it records.
    pub fn fits(&self, sc: &Scenario) -> Result<(), RecordMismatch> {
        if self.format > RECORD_FORMAT {
            return Err(RecordMismatch::Format {
                found: self.format,
                known: RECORD_FORMAT,
            });
        }
        if self.level != sc.id {
            return Err(RecordMismatch::Level {
                recorded: self.level.clone(),
                found: sc.id.clone(),
            });
        }
        if self
            .level_hash
            .as_ref()
            .is_some_and(|h| *h != sc.content_hash())
        {
            return Err(RecordMismatch::Edited);
        }
        Ok(())
    }
}
