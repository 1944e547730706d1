//! What a negotiator can do, and why the rules may refuse it.

use super::scenario::{Side, Statement, Term};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One commitment inside an offer: a measure, who undertakes it, and on what terms.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Measure id from the catalogue.
    pub measure: String,
    /// The state that undertakes it.
    pub by: Side,
    /// Index into the measure's verification options; `None` for self-report.
    pub verification: Option<usize>,
    /// How long it lasts.
    pub term: Term,
}

impl Clone for Item {
    fn clone(&self) -> Self {
        Item {
            measure: self.measure.clone(),
            by: self.by,
            verification: self.verification,
            term: self.term,
        }
    }

    /// Copies into the id's buffer: a view of the offer on the table is refreshed before every
    /// move in talks.
    fn clone_from(&mut self, source: &Self) {
        self.measure.clone_from(&source.measure);
        self.by = source.by;
        self.verification = source.verification;
        self.term = source.term;
    }
}

impl Item {
    /// A commitment on a measure's first verification option and first term.
    pub fn first_options(m: &super::scenario::MeasureDef, by: Side) -> Item {
        Item {
            measure: m.id.clone(),
            by,
            verification: if m.verification.is_empty() {
                None
            } else {
                Some(0)
            },
            term: m.terms.first().copied().unwrap_or(Term::Pledge),
        }
    }
}

/// A package of commitments for both sides with a public statement.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub items: Vec<Item>,
    pub statement: Statement,
}

impl Clone for Offer {
    fn clone(&self) -> Self {
        Offer {
            items: self.items.clone(),
            statement: self.statement,
        }
    }

    /// Copies into the items' buffers (see `Item::clone_from`).
    fn clone_from(&mut self, source: &Self) {
        self.items.clone_from(&source.items);
        self.statement = source.statement;
    }
}

/// Everything a negotiator (human, AI or remote) can send to the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// Answer the event card that struck this side.
    Respond { side: Side, response: String },
    /// Put an offer on the table.
    Propose { side: Side, offer: Offer },
    /// Accept the offer on the table.
    Accept { side: Side },
    /// Reject the offer on the table.
    Reject { side: Side },
    /// Reject the offer on the table and put another one in its place.
    Counter { side: Side, offer: Offer },
    /// A unilateral step, in force at once, asking nothing back.
    Gesture {
        side: Side,
        measure: String,
        verification: Option<usize>,
    },
    /// Withdraw one of one's own commitments in force.
    Withdraw { side: Side, commitment: u32 },
    /// Close this round's talks.
    EndTalks { side: Side },
    /// Implementation: keep every own commitment except the ones listed, which are quietly broken.
    Implement { side: Side, breaks: Vec<u32> },
}

impl Action {
    /// The side that sends it.
    pub fn side(&self) -> Side {
        match self {
            Action::Respond { side, .. }
            | Action::Propose { side, .. }
            | Action::Accept { side }
            | Action::Reject { side }
            | Action::Counter { side, .. }
            | Action::Gesture { side, .. }
            | Action::Withdraw { side, .. }
            | Action::EndTalks { side }
            | Action::Implement { side, .. } => *side,
        }
    }
}

/// Why an action was refused. A refused action changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ActionError {
    MatchOver,
    WrongStage {
        expected: super::state::Stage,
        actual: super::state::Stage,
    },
    NotYourTurn,
    /// A seat may act only for its own side.
    NotYourSide,
    NoOfferPending,
    OfferPending,
    NoExchangesLeft,
    EmptyOffer,
    TooManyItems {
        max: usize,
    },
    UnknownMeasure(String),
    NotAllowedFor {
        measure: String,
        side: Side,
    },
    BadVerification {
        measure: String,
    },
    BadTerm {
        measure: String,
    },
    PrerequisiteMissing {
        measure: String,
        needs: String,
    },
    AlreadyInForce {
        measure: String,
    },
    Duplicate {
        measure: String,
    },
    Unaffordable {
        need: f32,
        have: f32,
    },
    NotAGesture {
        measure: String,
    },
    GestureUsed,
    UnknownCommitment(u32),
    NotYourCommitment(u32),
    NotWithdrawable {
        measure: String,
    },
    NotStruck,
    AlreadyAnswered,
    UnknownResponse(String),
    ResponseUnavailable(String),
    AlreadyImplemented,
    /// An instructor has paused the match.
    Paused,
    /// A recorded instructor's steer could not be carried out on replay.
    Steering,
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ActionError::*;
        match self {
            MatchOver => write!(f, "the match is over"),
            WrongStage { expected, actual } => {
                write!(
                    f,
                    "that belongs to the {} stage; the round is at {}",
                    expected.label(),
                    actual.label()
                )
            }
            NotYourTurn => write!(f, "it is the other side's move"),
            NotYourSide => write!(f, "that move belongs to the other side's seat"),
            NoOfferPending => write!(f, "there is no offer on the table"),
            OfferPending => write!(f, "answer the offer on the table first"),
            NoExchangesLeft => write!(f, "no exchanges are left this round"),
            EmptyOffer => write!(f, "an offer needs at least one commitment"),
            TooManyItems { max } => write!(f, "an offer holds at most {max} commitments"),
            UnknownMeasure(m) => write!(f, "no measure '{m}' in this level"),
            NotAllowedFor { measure, side } => {
                write!(f, "'{measure}' cannot be undertaken by side {side:?}")
            }
            BadVerification { measure } => write!(f, "no such verification for '{measure}'"),
            BadTerm { measure } => write!(f, "that term is not offered for '{measure}'"),
            PrerequisiteMissing { measure, needs } => {
                write!(f, "'{measure}' needs {needs} first")
            }
            AlreadyInForce { measure } => write!(f, "'{measure}' is already in force"),
            Duplicate { measure } => write!(f, "'{measure}' appears twice in the offer"),
            Unaffordable { need, have } => {
                write!(f, "needs {need:.1} political capital, only {have:.1} left")
            }
            NotAGesture { measure } => write!(f, "'{measure}' cannot be made as a gesture"),
            GestureUsed => write!(f, "one gesture per round"),
            UnknownCommitment(c) => write!(f, "no commitment #{c} in force"),
            NotYourCommitment(c) => write!(f, "commitment #{c} is the other side's"),
            NotWithdrawable { measure } => write!(f, "'{measure}' cannot be withdrawn"),
            NotStruck => write!(f, "this event does not ask you for an answer"),
            AlreadyAnswered => write!(f, "already answered"),
            UnknownResponse(r) => write!(f, "no response '{r}' to this event"),
            ResponseUnavailable(r) => write!(f, "response '{r}' is not available now"),
            AlreadyImplemented => write!(f, "implementation already decided this round"),
            Paused => write!(f, "the instructor has paused this table"),
            Steering => write!(
                f,
                "an instructor's step in the record does not fit the match"
            ),
        }
    }
}

impl std::error::Error for ActionError {}
