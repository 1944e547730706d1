//! The instructor's hand on a match: a card struck on purpose, talks closed when the round's
//! time runs out, a pause. Each is a rule change like a move, kept in the match with the number
//! of moves made before it, so a replay (and the debrief built on it) shows it where it
//! happened.

use super::event::Event;
use super::scenario::{Effects, Side};
use super::state::{Match, Stage};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which card an instructor plays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Card {
    /// One of the level's own cards, by id.
    Deck(String),
    /// A card written on the spot; its effects must stay within the level's ranges
    /// ([`Match::effect_ranges`]).
    Custom {
        title: String,
        text: String,
        effects: Effects,
    },
}

/// One thing an instructor does to a match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Steer {
    /// A card strikes `struck` now. Its effects land at once; its answers, if it has any, are
    /// not asked for, because talks may be under way.
    Strike {
        card: Card,
        struck: Vec<Side>,
    },
    /// The round's talks close as if its exchanges had run out (the round timer ran out).
    CloseTalks,
    /// Nobody may move until [`Steer::Resume`].
    Pause,
    Resume,
    /// Each round's talks get this many seconds (`None`: no limit). The clock itself runs
    /// outside the rules; the match only records the limit so both sides see it.
    Timer {
        secs: Option<u32>,
    },
}

/// A [`Steer`] with the number of moves made before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Steered {
    pub at: usize,
    pub steer: Steer,
}

/// What the log says an instructor did, worded from the level so every reader can show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SteerNote {
    Struck {
        title: String,
        text: String,
        struck: Vec<Side>,
    },
    TimeUp,
    Paused,
    Resumed,
    Timer {
        secs: Option<u32>,
    },
}

/// Longest title of a written card, in characters.
pub const MAX_CARD_TITLE: usize = 80;
/// Longest text of a written card, in characters.
pub const MAX_CARD_TEXT: usize = 400;
/// The widest effect a written card may have on a field no card of the level touches.
pub const DEFAULT_EFFECT_RANGE: f32 = 10.0;
/// The longest round timer, in seconds.
pub const MAX_TIMER_SECS: u32 = 3600;
/// The shortest round timer, in seconds.
pub const MIN_TIMER_SECS: u32 = 10;

/// Why a [`Steer`] was refused. A refused steer changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SteerError {
    MatchOver,
    UnknownCard(String),
    /// A card must strike one or both sides, each once.
    BadTarget,
    /// A written card's title or text is empty, too long or holds control characters.
    BadText,
    /// A written card's effect outside what the level's own cards do.
    OutOfRange {
        field: String,
        value: f32,
        min: f32,
        max: f32,
    },
    /// Talks can only be closed while they are on.
    NotTalking,
    AlreadyPaused,
    NotPaused,
    /// A timer outside [`MIN_TIMER_SECS`]..=[`MAX_TIMER_SECS`].
    BadTimer,
}

impl fmt::Display for SteerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SteerError::MatchOver => write!(f, "the match is over"),
            SteerError::UnknownCard(id) => write!(f, "the level has no card '{id}'"),
            SteerError::BadTarget => write!(f, "a card strikes one side or both"),
            SteerError::BadText => write!(
                f,
                "a card needs a title (at most {MAX_CARD_TITLE} characters) and a text (at most \
                 {MAX_CARD_TEXT}), without control characters"
            ),
            SteerError::OutOfRange {
                field,
                value,
                min,
                max,
            } => write!(
                f,
                "{field} {value} is outside what this level's cards do ({min} to {max})"
            ),
            SteerError::NotTalking => write!(f, "talks are not on at this table now"),
            SteerError::AlreadyPaused => write!(f, "the table is already paused"),
            SteerError::NotPaused => write!(f, "the table is not paused"),
            SteerError::BadTimer => write!(
                f,
                "a round timer runs {MIN_TIMER_SECS} to {MAX_TIMER_SECS} seconds"
            ),
        }
    }
}

/// The fields of [`Effects`] by name, for range checks and messages.
fn fields(e: &Effects) -> [(&'static str, f32); 10] {
    [
        ("tension", e.tension),
        ("trust", e.trust),
        ("own_trust", e.own_trust),
        ("economy", e.economy),
        ("security", e.security),
        ("capital", e.capital),
        ("other_economy", e.other_economy),
        ("other_security", e.other_security),
        ("approval", e.approval),
        ("hawks", e.hawks),
    ]
}

fn fair_text(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    !s.trim().is_empty() && n <= max && !s.chars().any(char::is_control)
}

/// The smallest and largest value of each effect field over every card and answer of a level,
/// widened to include 0. A field nothing touches gets ±[`DEFAULT_EFFECT_RANGE`].
pub fn effect_ranges(events: &[super::EventDef]) -> Vec<(&'static str, f32, f32)> {
    let all: Vec<&Effects> = events
        .iter()
        .flat_map(|e| std::iter::once(&e.effects).chain(e.responses.iter().map(|r| &r.effects)))
        .collect();
    fields(&Effects::default())
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let vals = all.iter().map(|e| fields(e)[i].1);
            let (lo, hi) = vals.fold((0.0f32, 0.0f32), |(lo, hi), v| (lo.min(v), hi.max(v)));
            if lo == 0.0 && hi == 0.0 {
                (*name, -DEFAULT_EFFECT_RANGE, DEFAULT_EFFECT_RANGE)
            } else {
                (*name, lo, hi)
            }
        })
        .collect()
}

impl Match {
    /// Whether `steer` would be accepted now.
    pub fn check_steer(&self, steer: &Steer) -> Result<(), SteerError> {
        if self.ending.is_some() {
            return Err(SteerError::MatchOver);
        }
        match steer {
            Steer::Strike { card, struck } => {
                let one_or_both =
                    matches!(struck.len(), 1 | 2) && !(struck.len() == 2 && struck[0] == struck[1]);
                if !one_or_both {
                    return Err(SteerError::BadTarget);
                }
                match card {
                    Card::Deck(id) => {
                        if !self.scenario.events.iter().any(|e| e.id == *id) {
                            return Err(SteerError::UnknownCard(id.clone()));
                        }
                    }
                    Card::Custom {
                        title,
                        text,
                        effects,
                    } => {
                        if !fair_text(title, MAX_CARD_TITLE) || !fair_text(text, MAX_CARD_TEXT) {
                            return Err(SteerError::BadText);
                        }
                        let ranges = effect_ranges(&self.scenario.events);
                        for ((field, value), (_, min, max)) in fields(effects).iter().zip(ranges) {
                            if !value.is_finite() || *value < min || *value > max {
                                return Err(SteerError::OutOfRange {
                                    field: field.to_string(),
                                    value: *value,
                                    min,
                                    max,
                                });
                            }
                        }
                    }
                }
            }
            Steer::CloseTalks if self.stage != Stage::Negotiation => {
                return Err(SteerError::NotTalking);
            }
            Steer::Pause if self.paused => return Err(SteerError::AlreadyPaused),
            Steer::Resume if !self.paused => return Err(SteerError::NotPaused),
            Steer::Timer { secs: Some(s) } if !(MIN_TIMER_SECS..=MAX_TIMER_SECS).contains(s) => {
                return Err(SteerError::BadTimer);
            }
            _ => {}
        }
        Ok(())
    }

    /// Carry out an instructor's steer, keep it in the match, and return the events it caused.
    /// It draws nothing from the match's generator, so the moves after it play out as they
    /// would have.
    pub fn steer(&mut self, steer: Steer) -> Result<Vec<Event>, SteerError> {
        self.check_steer(&steer)?;
        self.out.clear();
        let round = self.round;
        match &steer {
            Steer::Strike { card, struck } => self.strike(card, struck),
            Steer::CloseTalks => {
                self.emit(Event::Steered {
                    note: SteerNote::TimeUp,
                });
                self.close_talks();
            }
            Steer::Pause => {
                self.paused = true;
                self.emit(Event::Steered {
                    note: SteerNote::Paused,
                });
            }
            Steer::Resume => {
                self.paused = false;
                self.emit(Event::Steered {
                    note: SteerNote::Resumed,
                });
            }
            Steer::Timer { secs } => {
                self.round_timer = *secs;
                self.emit(Event::Steered {
                    note: SteerNote::Timer { secs: *secs },
                });
            }
        }
        self.settle();
        self.steering.push(Steered {
            at: self.actions.len(),
            steer,
        });
        let out = std::mem::take(&mut self.out);
        let mut round = round;
        let start = self.log.len();
        self.log.extend(out.into_iter().map(|event| {
            if let Event::RoundStarted { round: r } = event {
                round = r;
            }
            super::Logged { round, event }
        }));
        Ok(self.log[start..].iter().map(|l| l.event.clone()).collect())
    }

    fn strike(&mut self, card: &Card, struck: &[Side]) {
        let sc = self.scenario.clone();
        let (title, text, effects) = match card {
            Card::Deck(id) => {
                let i = sc
                    .events
                    .iter()
                    .position(|e| e.id == *id)
                    .expect("checked before carrying out");
                self.drawn[i] += 1;
                let d = &sc.events[i];
                (d.title.clone(), d.text.clone(), d.effects)
            }
            Card::Custom {
                title,
                text,
                effects,
            } => (title.clone(), text.clone(), *effects),
        };
        for &s in struck {
            self.apply_effects(s, &effects, 1.0);
        }
        self.emit(Event::Steered {
            note: SteerNote::Struck {
                title: title.clone(),
                text,
                struck: struck.to_vec(),
            },
        });
        self.event_story(title, &effects, struck);
    }
}
