//! One table: a match and the two seats around it. Every way of playing (the window, the
//! headless commands, the tournament, and a class host) runs its matches through this driver,
//! so a move takes one path whoever makes it: the seat is checked first, then the rules.
//!
//! The match itself never leaves the table while it is being played: a seat receives its own
//! view, its own part of the log and the public level. The whole match is handed out only once
//! it is over, for the debrief and the scores.

use crate::ai::{Counterpart, Decision, Negotiator, ReasonCode, Style};
use crate::sim::{
    Action, ActionError, Difficulty, Event, Logged, Match, MatchRecord, Need, Personality,
    PublicLevel, Scenario, Side, SideView, Stage,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Who sits in one state's chair.
pub enum Seat {
    /// A person at this machine.
    Local,
    /// A negotiator the table runs itself.
    Counterpart(Box<dyn Negotiator>),
    /// A person on another machine, known by the secret their client holds.
    Remote { token: String },
}

impl Seat {
    /// Whether a person holds the seat (here or elsewhere).
    pub fn is_person(&self) -> bool {
        !matches!(self, Seat::Counterpart(_))
    }
}

impl std::fmt::Debug for Seat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seat::Local => write!(f, "Local"),
            Seat::Counterpart(_) => write!(f, "Counterpart"),
            Seat::Remote { .. } => write!(f, "Remote"),
        }
    }
}

/// Why the table refused a move. A refused move changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Refusal {
    /// The seat is played by a counterpart; a person cannot move for it.
    HeldByCounterpart,
    /// The rules refused the move.
    Rules(ActionError),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::HeldByCounterpart => write!(f, "the computer plays that side"),
            Refusal::Rules(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// A move a counterpart made, as the table reports it.
#[derive(Debug, Clone)]
pub struct Turn {
    pub side: Side,
    /// What the counterpart decided and why; after a fallback, the move actually made.
    pub decision: Decision,
    /// The rules refused the counterpart's own move with this error, and the table made a
    /// move that always moves the match on instead.
    pub fell_back: Option<ActionError>,
    /// Where the events this move caused sit in the match log.
    pub events: std::ops::Range<usize>,
}

/// A seat passed to a counterpart during the match, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Takeover {
    /// The side's leader fell and a hardline successor, played by the computer, took over.
    Successor,
    /// The seat was left empty and handed to a counterpart.
    Abandoned,
}

/// A match and its two seats.
pub struct Table {
    m: Match,
    seats: [Seat; 2],
    /// The last decision each counterpart made, with its reason.
    last: [Option<Decision>; 2],
    taken_over: [Option<Takeover>; 2],
    /// How hard the counterparts the table brings in at a takeover play.
    difficulty: Difficulty,
    /// Whether to keep each counterpart's last decision for a screen to show (headless runs
    /// that nobody reads skip the copy).
    keep_last: bool,
    /// The last view each side's counterpart was shown, refreshed for its next move.
    views: [Option<SideView>; 2],
}

impl Table {
    /// A new match on `level` with `seed` and these seats.
    pub fn new(level: Arc<Scenario>, seed: u64, seats: [Seat; 2]) -> Table {
        let difficulty = level.ai.difficulty;
        Table::around(Match::new(level, seed), seats, difficulty)
    }

    /// The same, for runs nobody reads line by line (tournaments, summaries, benchmarks): the
    /// headlines are not worded, and everything else is the same match.
    pub fn headless(level: Arc<Scenario>, seed: u64, seats: [Seat; 2]) -> Table {
        let mut m = Match::new(level, seed);
        m.headlines = false;
        let difficulty = m.scenario.ai.difficulty;
        let mut t = Table::around(m, seats, difficulty);
        t.keep_last = false;
        t
    }

    /// A table around a match already set up (tests, a level's special start).
    pub fn from_match(m: Match, seats: [Seat; 2]) -> Table {
        let difficulty = m.scenario.ai.difficulty;
        Table::around(m, seats, difficulty)
    }

    fn around(m: Match, seats: [Seat; 2], difficulty: Difficulty) -> Table {
        Table {
            m,
            seats,
            last: [None, None],
            taken_over: [None, None],
            difficulty,
            keep_last: true,
            views: [None, None],
        }
    }

    /// Set how hard the counterparts brought in at a takeover play (the level's by default).
    pub fn with_difficulty(mut self, difficulty: Difficulty) -> Table {
        self.difficulty = difficulty;
        self
    }

    /// Replay a record with these seats. Each counterpart thinks before each of its recorded
    /// moves, so its memory (what it learnt of the other side, its grievances, its random
    /// stream) is the one it had when the record was made; takeovers happen as they did.
    /// Stops at the first move the rules refuse, with its index.
    pub fn replay(
        level: Arc<Scenario>,
        record: &MatchRecord,
        seats: [Seat; 2],
        difficulty: Difficulty,
    ) -> Result<Table, (usize, ActionError)> {
        Table::replay_handed(level, record, seats, difficulty, &[])
    }

    /// [`Table::replay`] of a match in which seats left empty were handed to a counterpart
    /// ([`Table::hand_to_counterpart`]): `(at, side)` hands `side` over once the record's first
    /// `at` moves are made, so the counterpart starts with the memory it started with then.
    pub fn replay_handed(
        level: Arc<Scenario>,
        record: &MatchRecord,
        seats: [Seat; 2],
        difficulty: Difficulty,
        handed: &[(usize, Side)],
    ) -> Result<Table, (usize, ActionError)> {
        let mut t = Table::around(Match::new(level, record.seed), seats, difficulty);
        let hand = |t: &mut Table, at: usize| {
            for &(_, side) in handed.iter().filter(|(i, _)| *i == at) {
                if t.is_person(side) {
                    t.hand_to_counterpart(side);
                }
            }
        };
        for (i, a) in record.actions.iter().enumerate() {
            hand(&mut t, i);
            t.replay_steering(record, i)
                .map_err(|_| (i, ActionError::Steering))?;
            let side = a.side();
            if let Seat::Counterpart(c) = &mut t.seats[side.idx()] {
                let view = t.m.view_brief(side);
                t.last[side.idx()] = Some(c.decide(&view, t.m.scenario.public()));
            }
            let start = t.m.log.len();
            t.m.apply_quiet(a.clone()).map_err(|e| (i, e))?;
            t.after(start);
        }
        hand(&mut t, record.actions.len());
        let end = record.actions.len();
        t.replay_steering(record, end)
            .map_err(|_| (end, ActionError::Steering))?;
        Ok(t)
    }

    /// The public level, as every seat receives it.
    pub fn public(&self) -> &Arc<PublicLevel> {
        self.m.scenario.public()
    }

    /// What `side` may know now.
    pub fn view(&self, side: Side) -> SideView {
        self.m.view(side)
    }

    /// The match log as `side` may see it.
    pub fn log_for(&self, side: Side) -> impl Iterator<Item = &Logged> {
        self.m.log_for(side)
    }

    /// How many entries the whole log holds (what a seat's part is cut from).
    pub fn log_len(&self) -> usize {
        self.m.log.len()
    }

    /// Who must act now, and what they are asked to do (public).
    pub fn needs(&self) -> Vec<(Side, Need)> {
        self.m.needs()
    }

    /// The round under way.
    pub fn round(&self) -> u32 {
        self.m.round
    }

    /// The stage of the round.
    pub fn stage(&self) -> Stage {
        self.m.stage
    }

    /// The match's seed.
    pub fn seed(&self) -> u64 {
        self.m.seed
    }

    /// Whether the match is over.
    pub fn is_over(&self) -> bool {
        self.m.is_over()
    }

    /// The whole match, once it is over (for the debrief and the scores); `None` during play.
    pub fn finished(&self) -> Option<&Match> {
        self.m.is_over().then_some(&self.m)
    }

    /// The whole match, whether or not it is over: for code that reports on a table from
    /// outside play (a headless run's transcript, an archive, an instructor). Seats never get it.
    pub fn whole(&self) -> &Match {
        &self.m
    }

    /// Give up the table and keep the match (for scores after a headless run).
    pub fn into_match(self) -> Match {
        self.m
    }

    /// The record that replays this match.
    pub fn record(&self, level_file: Option<String>) -> MatchRecord {
        self.m.record(level_file)
    }

    /// The seat of `side`.
    pub fn seat(&self, side: Side) -> &Seat {
        &self.seats[side.idx()]
    }

    /// Whether a person holds `side`'s seat.
    pub fn is_person(&self, side: Side) -> bool {
        self.seats[side.idx()].is_person()
    }

    /// The last decision `side`'s counterpart made, with its reason.
    pub fn last_decision(&self, side: Side) -> Option<&Decision> {
        self.last[side.idx()].as_ref()
    }

    /// Whether and why `side`'s seat passed to a counterpart during the match.
    pub fn taken_over(&self, side: Side) -> Option<Takeover> {
        self.taken_over[side.idx()]
    }

    /// What `side`'s counterpart learnt of the other side, if it models it.
    pub fn insight(&self, side: Side) -> Option<crate::ai::Insight> {
        match &self.seats[side.idx()] {
            Seat::Counterpart(c) => c.insight(),
            _ => None,
        }
    }

    /// Seat a person at this machine in `side`'s chair (a screenshot's prelude played by the
    /// computer, a student taking a seat back).
    pub fn seat_local(&mut self, side: Side) {
        self.seats[side.idx()] = Seat::Local;
        self.taken_over[side.idx()] = None;
    }

    /// Whether `action` would be taken from `seat` now, without making it: the seat is checked
    /// first (its own side, held by a person), then the rules.
    pub fn check(&self, seat: Side, action: &Action) -> Result<(), Refusal> {
        if action.side() != seat {
            return Err(Refusal::Rules(ActionError::NotYourSide));
        }
        if !self.seats[seat.idx()].is_person() {
            return Err(Refusal::HeldByCounterpart);
        }
        self.m.check(action).map_err(Refusal::Rules)
    }

    /// A person's move from `seat`: the seat is checked first, then the rules. Returns the
    /// events it caused that the seat may see.
    pub fn submit(&mut self, seat: Side, action: Action) -> Result<Vec<Event>, Refusal> {
        self.check(seat, &action)?;
        let start = self.m.log.len();
        self.m.apply_quiet(action).map_err(Refusal::Rules)?;
        self.after(start);
        Ok(self.m.log[start..]
            .iter()
            .filter(|l| l.event.visible_to(seat))
            .map(|l| l.event.clone())
            .collect())
    }

    /// An instructor's steer ([`crate::sim::Steer`]): checked by the rules, kept in the match
    /// so replays show it, and followed by what the rules do after any move (a fallen leader's
    /// successor takes over). Returns every event it caused; counterparts move on the next
    /// [`Table::step`].
    pub fn steer(
        &mut self,
        steer: crate::sim::Steer,
    ) -> Result<Vec<Event>, crate::sim::SteerError> {
        let start = self.m.log.len();
        self.m.steer(steer)?;
        self.after(start);
        Ok(self.m.log[start..]
            .iter()
            .map(|l| l.event.clone())
            .collect())
    }

    fn replay_steering(
        &mut self,
        record: &MatchRecord,
        at: usize,
    ) -> Result<(), crate::sim::SteerError> {
        for s in record.steering.iter().filter(|s| s.at == at) {
            self.steer(s.steer.clone())?;
        }
        Ok(())
    }

    /// The first side a counterpart must move for now.
    pub fn counterpart_need(&self) -> Option<Side> {
        self.m
            .first_need(|s| !self.seats[s.idx()].is_person())
            .map(|(s, _)| s)
    }

    /// The first side a person must move for now.
    pub fn person_need(&self) -> Option<Side> {
        self.m
            .first_need(|s| self.seats[s.idx()].is_person())
            .map(|(s, _)| s)
    }

    /// Let the counterpart whose move it is decide and move. A move the rules refuse falls back
    /// to one that always moves the match on, and the turn says so. `None` when no counterpart
    /// has a move to make (the match is over, or a person must act).
    pub fn step(&mut self) -> Option<Turn> {
        self.move_once(true).flatten()
    }

    /// Let the counterpart whose move it is move (see [`Table::step`]); with `report`, the move
    /// is reported as a [`Turn`], without it the decision is not copied for a report nobody
    /// reads. `None` when no counterpart has a move to make.
    fn move_once(&mut self, report: bool) -> Option<Option<Turn>> {
        let side = self.counterpart_need()?;
        // Each side's view is kept and brought up to date, not built again for every move.
        let view = match &mut self.views[side.idx()] {
            Some(view) => {
                self.m.refresh_brief(side, view);
                view
            }
            slot => slot.insert(self.m.view_brief(side)),
        };
        let Seat::Counterpart(c) = &mut self.seats[side.idx()] else {
            return None;
        };
        let mut decision = c.decide(view, self.m.scenario.public());
        let start = self.m.log.len();
        let mut fell_back = None;
        let applied = if report || self.keep_last {
            self.m.apply_quiet(decision.action.clone())
        } else {
            // Nobody reads this decision again: its action goes to the match as it is.
            let action = std::mem::replace(&mut decision.action, Action::EndTalks { side });
            self.m.apply_quiet(action)
        };
        if let Err(e) = applied {
            decision = Decision {
                action: fallback(view),
                code: ReasonCode::FellBack,
                reason: format!("The computer's move was refused ({e}), so it moved on.").into(),
            };
            fell_back = Some(e);
            // The fallback is legal in every state a need can be in; if a level ever made it
            // not so, end the talks for that side rather than stall the table.
            if self.m.apply_quiet(decision.action.clone()).is_err() {
                decision.action = Action::EndTalks { side };
                let _ = self.m.apply_quiet(decision.action.clone());
            }
        }
        if !report {
            if self.keep_last {
                self.last[side.idx()] = Some(decision);
            }
            self.after(start);
            return Some(None);
        }
        if self.keep_last {
            self.last[side.idx()] = Some(decision.clone());
        }
        self.after(start);
        Some(Some(Turn {
            side,
            decision,
            fell_back,
            events: start..self.m.log.len(),
        }))
    }

    /// Let counterparts move until a person must act or the match ends (bounded).
    pub fn run_counterparts(&mut self) -> Vec<Turn> {
        let mut turns = Vec::new();
        while turns.len() < 10_000 {
            match self.step() {
                Some(t) => turns.push(t),
                None => break,
            }
        }
        turns
    }

    /// Play to the end when counterparts hold both seats (bounded).
    pub fn play_out(&mut self) {
        let mut guard = 0;
        while guard < 10_000 && self.move_once(false).is_some() {
            guard += 1;
        }
    }

    /// Hand `side`'s seat to `negotiator` from now on.
    pub fn hand_over(&mut self, side: Side, negotiator: Box<dyn Negotiator>, why: Takeover) {
        self.seats[side.idx()] = Seat::Counterpart(negotiator);
        self.taken_over[side.idx()] = Some(why);
    }

    /// Hand a seat left empty to a counterpart of the level's own character.
    pub fn hand_to_counterpart(&mut self, side: Side) {
        let c = counterpart(
            self.public(),
            side,
            self.m.seed,
            self.public().ai.personality,
            self.difficulty,
        );
        self.hand_over(side, Box::new(c), Takeover::Abandoned);
    }

    /// After a move: when a person's leader falls to a hardline successor, the computer plays
    /// that side to the end, as the home-front rule says.
    fn after(&mut self, start: usize) {
        let fallen: Vec<Side> = self.m.log[start..]
            .iter()
            .filter_map(|l| match l.event {
                Event::LeaderFell {
                    side,
                    successor: Some(_),
                } => Some(side),
                _ => None,
            })
            .collect();
        for side in fallen {
            if self.seats[side.idx()].is_person() {
                self.successor_takes_over(side);
            }
        }
    }

    /// A hardline successor, a hawk played by the computer, takes `side`'s seat.
    pub fn successor_takes_over(&mut self, side: Side) {
        let c = counterpart(
            self.public(),
            side,
            self.m.seed ^ 0x05EC_017D,
            Personality::Hawk,
            self.difficulty,
        );
        self.hand_over(side, Box::new(c), Takeover::Successor);
    }
}

/// A counterpart of this character for `side`: the one place counterparts are built from a
/// level.
pub fn counterpart(
    level: &PublicLevel,
    side: Side,
    seed: u64,
    personality: Personality,
    difficulty: Difficulty,
) -> Counterpart {
    Counterpart::new(Style::new(personality, difficulty, &level.ai), side, seed)
}

/// The counterpart the level itself names, for `side`.
pub fn level_counterpart(level: &PublicLevel, side: Side, seed: u64) -> Counterpart {
    counterpart(level, side, seed, level.ai.personality, level.ai.difficulty)
}

/// Both seats held by the level's own counterpart.
pub fn level_seats(level: &PublicLevel, seed: u64) -> [Seat; 2] {
    Side::BOTH.map(|s| Seat::Counterpart(Box::new(level_counterpart(level, s, seed))))
}

/// A move that is legal whatever the view's side is asked to do: reject, keep every
/// commitment, give the first available answer, or close the talks.
pub fn fallback(view: &SideView) -> Action {
    let side = view.side;
    let need = view.needs.first().copied();
    match need {
        Some(Need::Answer) => Action::Reject { side },
        Some(Need::Implement) => Action::Implement {
            side,
            breaks: Vec::new(),
        },
        Some(Need::Respond) => Action::Respond {
            side,
            response: view
                .event
                .as_ref()
                .and_then(|e| e.my_responses.first().cloned())
                .unwrap_or_default(),
        },
        _ => Action::EndTalks { side },
    }
}
