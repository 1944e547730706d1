//! The kind of claim behind a decision, so that code can tell reasons apart without reading
//! their wording.

use serde::{Deserialize, Serialize};

/// What a negotiator's reason claims, one variant per kind of claim. A counter that answers an
/// offer carries the code of why the offer was not signed; the action says a package came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReasonCode {
    // With the floor.
    /// A package worth enough to this side that its home front would accept.
    SellableAtHome,
    /// A package that trades across areas, giving the other side what it seems to value most.
    TradeAcrossAreas,
    /// Talks end: the package it would table now is the one it tabled last.
    WillNotRepeat,
    /// Talks end: no package it could sell at home and still wants is possible.
    NothingToOffer,
    /// Talks end: the other side's breaches and withdrawals leave their promises worth too
    /// little to trade for.
    TheirWordFailed,
    /// A commitment of its own withdrawn because the other side was caught breaking one.
    CaughtBreaking,
    /// A commitment of its own withdrawn because the other side withdrew one it had kept.
    AnswerWithdrawal,
    /// A gesture in answer to one of the other side's.
    AnswerInKind,
    /// An unasked gesture of good faith.
    OpeningGesture,
    /// The mediator's package on the table, tabled as its own: it is worth what it wants now.
    MediatorsPackage,

    // Answering an offer.
    /// Its part of the offer costs more political capital than it has.
    CannotPay,
    /// A faction it cannot afford to anger further would not swallow a concession.
    CannotSellAtHome,
    /// Its parliament would not ratify the offer.
    CannotRatify,
    /// The offer signed as it stands.
    Sign(Signing),
    /// An offer it would sign, tabled again on its own terms.
    OnOurTerms(Signing),
    /// Its own package, which came back on the other side's terms and which it would sign,
    /// restated on its terms.
    HoldToOurTerms(Signing),
    /// An offer it would sign, sent back improved for both sides.
    BetterForBoth,
    /// Not signed: a promise of the other side's needs real verification.
    DemandVerification,
    /// Not signed: in the first season only an offer near its ideal is signed.
    FirstSeasonBar,
    /// Not signed: the offer gives too little for this stage of the talks.
    RejectBelowAspiration,

    // Event cards.
    /// An answer that uses a measure both sides built.
    EventUseWhatWeBuilt,
    /// An answer that keeps tension from spiralling.
    EventCalmTension,
    /// An answer that shows the firmness its hardliners expect.
    EventHardlinersFirm,
    /// The answer that costs it least at home.
    EventCheapestAtHome,

    // Implementation.
    /// Every commitment carried out.
    KeepCommitments,
    /// A commitment quietly broken where it is unlikely to be caught.
    BreakUnlikelyCaught,

    // Other.
    /// Nothing was asked of the negotiator.
    NothingAsked,
    /// The negotiator's move was refused by the rules and a safe move was made instead.
    FellBack,
}

/// Why an offer would be signed as it stands (whether it is signed or its terms restated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Signing {
    /// It meets what this side hopes for.
    AboveAspiration,
    /// No package giving the other side what it claimed would give this side more.
    NoBetterPackage,
    /// A counter would close the season's talks and the other side would likely refuse it.
    LastWord,
    /// Time is short and it clears the least this side accepts.
    NearDeadline,
    /// The other side has stopped moving and it clears the least this side accepts.
    Stalled,
    /// It is the mediator's package and it clears the least this side accepts.
    Mediated,
}

impl ReasonCode {
    /// Why the offer would be signed, for a signature and for a restatement of terms alike.
    pub fn signing(self) -> Option<Signing> {
        match self {
            ReasonCode::Sign(s) | ReasonCode::OnOurTerms(s) | ReasonCode::HoldToOurTerms(s) => {
                Some(s)
            }
            _ => None,
        }
    }
}
