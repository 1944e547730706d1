//! What happened: the rules' output after each action, and the match log.

use super::action::Offer;
use super::scenario::{EndingKind, Side, Spin, Statement};
use serde::{Deserialize, Serialize};

/// Why a commitment left force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    /// Its sunset came.
    Expired,
    /// A bare pledge lapsed with the leader who gave it.
    Lapsed,
    /// A treaty was not renewed at review.
    ReviewFailed,
    /// Its undertaker withdrew it.
    Withdrawn,
}

impl EndReason {
    /// A readable label.
    pub fn label(self) -> &'static str {
        match self {
            EndReason::Expired => "its sunset came",
            EndReason::Lapsed => "it lapsed with the leader who gave it",
            EndReason::ReviewFailed => "not renewed at review",
            EndReason::Withdrawn => "withdrawn",
        }
    }
}

/// How a match ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Ending {
    /// The level's normalization condition was met.
    Normalization,
    /// Tension reached the clash threshold: both lose.
    Clash,
    /// This side's leader fell and the level ends the match then.
    Ousted(Side),
    /// The round limit came first.
    RoundLimit,
}

impl Ending {
    /// Which kind of ending it is, as a level's `epilogues` name it.
    pub fn kind(self) -> EndingKind {
        match self {
            Ending::Normalization => EndingKind::Normalization,
            Ending::Clash => EndingKind::Clash,
            Ending::Ousted(_) => EndingKind::Ousted,
            Ending::RoundLimit => EndingKind::RoundLimit,
        }
    }

    /// A short label.
    pub fn label(self) -> String {
        match self {
            Ending::Normalization => "normalization".into(),
            Ending::Clash => "armed clash".into(),
            Ending::Ousted(s) => format!("leader of {s:?} ousted"),
            Ending::RoundLimit => "round limit".into(),
        }
    }
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    RoundStarted {
        round: u32,
    },
    EventDrawn {
        card: String,
        title: String,
        struck: Vec<Side>,
    },
    EventAnswered {
        side: Side,
        card: String,
        response: String,
        label: String,
    },
    OfferMade {
        side: Side,
        offer: Offer,
        counter: bool,
    },
    OfferAccepted {
        side: Side,
    },
    OfferRejected {
        side: Side,
    },
    Ratification {
        side: Side,
        support: f32,
        passed: bool,
    },
    AgreementSigned {
        commitments: Vec<u32>,
        measures: Vec<String>,
    },
    GestureMade {
        side: Side,
        measure: String,
        commitment: u32,
    },
    TalksEnded {
        by: Option<Side>,
        agreed: bool,
    },
    StatementMade {
        side: Side,
        statement: Statement,
    },
    /// A side carried out its commitments this round. `kept` counts what looks kept to everyone
    /// else: the commitments kept and those broken unseen.
    Implemented {
        side: Side,
        kept: u32,
    },
    BreachCaught {
        side: Side,
        commitment: u32,
        measure: String,
        verification: String,
    },
    /// Only the breaking side sees this until the debrief.
    BreachHidden {
        side: Side,
        commitment: u32,
        measure: String,
    },
    CommitmentEnded {
        side: Side,
        commitment: u32,
        measure: String,
        reason: EndReason,
    },
    TreatyRenewed {
        side: Side,
        commitment: u32,
        measure: String,
    },
    Headline {
        outlet: String,
        text: String,
        spin: Spin,
    },
    PhaseChanged {
        from: String,
        to: String,
        up: bool,
    },
    LeaderFell {
        side: Side,
        successor: Option<String>,
    },
    MatchEnded {
        ending: Ending,
    },
    /// An instructor stepped in (a card, the clock, a pause).
    Steered {
        note: super::steer::SteerNote,
    },
}

impl Event {
    /// Whether `side` may see this event during the match.
    pub fn visible_to(&self, side: Side) -> bool {
        match self {
            Event::BreachHidden { side: s, .. } => *s == side,
            _ => true,
        }
    }
}

/// An event with the round it happened in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logged {
    pub round: u32,
    pub event: Event,
}
