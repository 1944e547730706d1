//! The kind of claim behind a decision, so that code can tell reasons apart without reading
//! their wording, and the wording itself, put into words only when read.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

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

/// A negotiator's reason in plain words. Most runs nobody reads (tournaments, summaries,
/// benchmarks), and wording a reason (its percentages above all) cost more than some of the
/// decisions it explains, so a reason keeps what it needs and is worded the first time someone
/// reads it, always to the same text.
pub struct Reason {
    words: Words,
    text: OnceLock<String>,
}

enum Words {
    /// Worded already, in `text`.
    Done,
    Fixed(&'static str),
    Later(Box<dyn Fn() -> String + Send + Sync>),
}

impl Clone for Reason {
    /// A copy holds the words themselves (worded now if they were not yet): copies are made
    /// for someone to read them.
    fn clone(&self) -> Reason {
        match self.words {
            Words::Fixed(s) => Reason::from(s),
            _ => Reason::from(self.as_str().to_string()),
        }
    }
}

impl Reason {
    /// A reason worded when first read.
    pub fn later(words: impl Fn() -> String + Send + Sync + 'static) -> Reason {
        Reason {
            words: Words::Later(Box::new(words)),
            text: OnceLock::new(),
        }
    }

    /// A reason worded from this one when first read (a clause added, its full stop dropped).
    pub fn then(self, words: impl Fn(&str) -> String + Send + Sync + 'static) -> Reason {
        Reason::later(move || words(self.as_str()))
    }

    /// The reason's words.
    pub fn as_str(&self) -> &str {
        match &self.words {
            Words::Fixed(s) => s,
            Words::Done => self.text.get().map_or("", String::as_str),
            Words::Later(f) => self.text.get_or_init(f),
        }
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Reason {
        Reason {
            words: Words::Done,
            text: OnceLock::from(text),
        }
    }
}

impl From<&'static str> for Reason {
    fn from(text: &'static str) -> Reason {
        Reason {
            words: Words::Fixed(text),
            text: OnceLock::new(),
        }
    }
}

impl std::ops::Deref for Reason {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Reason {
    fn eq(&self, other: &Reason) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Reason {}

impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Reason> for str {
    fn eq(&self, other: &Reason) -> bool {
        self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn a_reason_is_worded_once_when_first_read_and_reads_the_same_everywhere() {
        let worded = Arc::new(AtomicU32::new(0));
        let count = worded.clone();
        let r = Reason::later(move || {
            count.fetch_add(1, Ordering::Relaxed);
            format!("Worth {:.0}% of our best.", 61.6f32)
        });
        assert_eq!(worded.load(Ordering::Relaxed), 0, "not worded until read");
        assert_eq!(r.as_str(), "Worth 62% of our best.");
        assert_eq!(r.to_string(), "Worth 62% of our best.");
        assert_eq!(format!("{r:?}"), "\"Worth 62% of our best.\"");
        assert_eq!(worded.load(Ordering::Relaxed), 1, "worded once");
        let copy = r.clone();
        assert_eq!(copy, r);
        let added = r.then(|w| {
            format!(
                "{}; we table our own package instead.",
                w.trim_end_matches('.')
            )
        });
        assert_eq!(
            &*added,
            "Worth 62% of our best; we table our own package instead."
        );
        assert_eq!(Reason::from("Fixed."), Reason::from(String::from("Fixed.")));
    }
}
