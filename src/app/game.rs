//! The match as a Bevy resource, and the one path every move takes: a [`Move`] message that a
//! single system applies with `Match::apply`. Humans, the AI and (later) a network peer all
//! write the same message.

use crate::ai::{Counterpart, Negotiator, Style, Table};
use crate::sim::{Action, Difficulty, Event, Match, Personality, Scenario, Side};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::save;
use super::screens::Screen;

/// A move for the rules: the only way the match changes.
#[derive(Message, Debug, Clone, PartialEq)]
pub struct Move(pub Action);

/// How the two seats are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Two players share this screen and hand it over between turns.
    Hotseat,
    /// One player leads `human`; the computer plays the other state.
    VsAi {
        human: Side,
        personality: Personality,
        difficulty: Difficulty,
    },
    /// The computer plays both states (screenshots, demos, tests).
    Watch,
}

impl Mode {
    /// Whether a person plays `side`.
    pub fn is_human(self, side: Side) -> bool {
        match self {
            Mode::Hotseat => true,
            Mode::VsAi { human, .. } => human == side,
            Mode::Watch => false,
        }
    }
}

/// Who sits in one state's chair.
pub enum Seat {
    Human,
    Ai(Box<Counterpart>),
}

impl Seat {
    pub fn is_human(&self) -> bool {
        matches!(self, Seat::Human)
    }
}

/// Everything needed to start a match.
#[derive(Debug, Clone)]
pub struct Setup {
    pub level_file: PathBuf,
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    pub mode: Mode,
}

/// The match being played.
#[derive(Resource)]
pub struct Game {
    pub m: Match,
    pub level_file: PathBuf,
    pub mode: Mode,
    pub seats: [Seat; 2],
    /// The side whose screen is shown (in hotseat, the side that last confirmed the handover).
    pub viewer: Side,
    /// Whether each side has read its briefing.
    pub briefed: [bool; 2],
    /// The latest reason each computer side gave for its move.
    pub reasons: [Option<String>; 2],
    /// The last refused move, shown to the player.
    pub refused: Option<String>,
    /// Sides whose fallen leader was replaced by a hardliner the computer now plays.
    pub taken_over: [bool; 2],
    /// A lasting message for the table (e.g. who took over).
    pub notice: Option<String>,
}

fn seat_for(mode: Mode, scenario: &Scenario, side: Side, seed: u64) -> Seat {
    if mode.is_human(side) {
        return Seat::Human;
    }
    let (p, d) = match mode {
        Mode::VsAi {
            personality,
            difficulty,
            ..
        } => (personality, difficulty),
        _ => (scenario.ai.personality, scenario.ai.difficulty),
    };
    Seat::Ai(Box::new(Counterpart::new(
        Style::new(p, d, &scenario.ai),
        side,
        seed,
    )))
}

impl Game {
    /// A fresh match.
    pub fn new(setup: &Setup) -> Game {
        let m = Match::new(setup.scenario.clone(), setup.seed);
        Game::from_match(m, setup.level_file.clone(), setup.mode)
    }

    /// Wrap a match already under way (a replayed save, a screenshot's prelude).
    ///
    /// Counterparts are rebuilt fresh: their learnt model of the other side starts over.
    pub fn from_match(m: Match, level_file: PathBuf, mode: Mode) -> Game {
        let sc = m.scenario.clone();
        let seats = Side::BOTH.map(|s| seat_for(mode, &sc, s, m.seed));
        let viewer = match mode {
            Mode::VsAi { human, .. } => human,
            _ => Side::A,
        };
        Game {
            m,
            level_file,
            mode,
            seats,
            viewer,
            briefed: [false; 2],
            reasons: [None, None],
            refused: None,
            taken_over: [false; 2],
            notice: None,
        }
    }

    /// Replay a recorded match move by move, letting each computer seat think before each of
    /// its recorded moves, so its memory (what it learnt of the other side, its grievances,
    /// its random stream) is the one it had when the match was saved. A successor takes over
    /// when the log says a leader fell, as in play.
    pub fn replay(
        scenario: Arc<Scenario>,
        record: &crate::sim::MatchRecord,
        level_file: PathBuf,
        mode: Mode,
    ) -> Result<Game, (usize, crate::sim::ActionError)> {
        let m = Match::new(scenario, record.seed);
        let mut g = Game::from_match(m, level_file, mode);
        for (i, a) in record.actions.iter().enumerate() {
            let side = a.side();
            if !g.seats[side.idx()].is_human()
                && let Some((_, reason)) = g.ai_decide(side)
            {
                g.reasons[side.idx()] = Some(reason);
            }
            let ev = g.m.apply(a.clone()).map_err(|e| (i, e))?;
            g.check_takeover(&ev);
        }
        Ok(g)
    }

    /// A hardline successor takes `side` over: the computer plays it from now on, as the
    /// design's home-front rule says.
    pub fn take_over(&mut self, side: Side) {
        let sc = self.m.scenario.clone();
        let difficulty = match self.mode {
            Mode::VsAi { difficulty, .. } => difficulty,
            _ => sc.ai.difficulty,
        };
        self.seats[side.idx()] = Seat::Ai(Box::new(Counterpart::new(
            Style::new(Personality::Hawk, difficulty, &sc.ai),
            side,
            self.m.seed ^ 0x05EC_017D,
        )));
        self.taken_over[side.idx()] = true;
        self.notice = Some(format!(
            "{} fell at home. A hardline successor, {}, now leads {}, and the computer plays that side to the end.",
            sc.side(side).leader,
            self.m.side(side).leader,
            sc.side(side).name
        ));
    }

    fn check_takeover(&mut self, events: &[Event]) {
        for e in events {
            if let Event::LeaderFell {
                side,
                successor: Some(_),
            } = e
                && self.seats[side.idx()].is_human()
            {
                self.take_over(*side);
            }
        }
    }

    /// The first side a person must act for now.
    pub fn human_need(&self) -> Option<Side> {
        self.m
            .needs()
            .into_iter()
            .map(|(s, _)| s)
            .find(|s| self.seats[s.idx()].is_human())
    }

    /// The first side the computer must act for now.
    pub fn ai_need(&self) -> Option<Side> {
        self.m
            .needs()
            .into_iter()
            .map(|(s, _)| s)
            .find(|s| !self.seats[s.idx()].is_human())
    }

    /// Let the computer decide for `side`; `None` if a person holds that seat.
    pub fn ai_decide(&mut self, side: Side) -> Option<(Action, String)> {
        let view = self.m.view(side);
        let sc = self.m.scenario.clone();
        match &mut self.seats[side.idx()] {
            Seat::Ai(c) => {
                let d = c.decide(&view, Table::new(&sc));
                Some((d.action, d.reason))
            }
            Seat::Human => None,
        }
    }

    /// Apply one move; a refused move changes nothing and is remembered for the player.
    pub fn apply(&mut self, action: Action) -> Result<Vec<Event>, String> {
        match self.m.apply(action.clone()) {
            Ok(ev) => {
                self.refused = None;
                self.check_takeover(&ev);
                Ok(ev)
            }
            Err(e) => {
                // A computer move the rules refuse falls back to one that always moves on.
                let side = action.side();
                if !self.seats[side.idx()].is_human() {
                    let fb = crate::runner::safe_action(&self.m, side);
                    if let Ok(ev) = self.m.apply(fb) {
                        self.reasons[side.idx()] = Some(format!("(fell back: {e})"));
                        self.check_takeover(&ev);
                        return Ok(ev);
                    }
                }
                let msg = e.to_string();
                self.refused = Some(msg.clone());
                Err(msg)
            }
        }
    }

    /// Play the computer's moves until a person must act or `until_round` is passed.
    /// Used to set up screenshots and by tests.
    pub fn auto_play(&mut self, until_round: u32) {
        let mut guard = 0;
        while !self.m.is_over() && self.m.round <= until_round && guard < 10_000 {
            guard += 1;
            let Some(side) = self.ai_need() else {
                break;
            };
            if let Some((a, r)) = self.ai_decide(side) {
                self.reasons[side.idx()] = Some(r);
                let _ = self.apply(a);
            }
        }
    }
}

/// How long the computer waits before it moves, so a student can follow.
#[derive(Resource, Debug, Clone, Copy)]
pub struct AiPace(pub Duration);

impl Default for AiPace {
    fn default() -> Self {
        AiPace(Duration::from_millis(700))
    }
}

/// The computer moves for its sides, after a short pause.
pub fn ai_moves(
    game: Option<ResMut<Game>>,
    pace: Res<AiPace>,
    time: Res<Time<Real>>,
    screen: Res<State<Screen>>,
    mut waited: Local<Duration>,
    mut moves: MessageWriter<Move>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(mut game) = game else {
        return;
    };
    // The computer waits while a person reads a briefing or passes the device.
    let playing = matches!(screen.get(), Screen::Table);
    let Some(side) = game.ai_need().filter(|_| playing) else {
        *waited = Duration::ZERO;
        return;
    };
    *waited += time.delta();
    if *waited < pace.0 {
        // Keep the reactive loop ticking until the pause is over.
        redraw.write(bevy::window::RequestRedraw);
        return;
    }
    *waited = Duration::ZERO;
    if let Some((action, reason)) = game.ai_decide(side) {
        game.reasons[side.idx()] = Some(reason);
        moves.write(Move(action));
    }
}

/// Where autosaves go; `None` turns saving off (tests, screenshots).
#[derive(Resource, Debug, Clone, Default)]
pub struct SavePath(pub Option<PathBuf>);

/// The single system that changes the match.
pub fn apply_moves(
    game: Option<ResMut<Game>>,
    mut moves: MessageReader<Move>,
    save_path: Res<SavePath>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(mut game) = game else {
        moves.clear();
        return;
    };
    let mut changed = false;
    let round_before = game.m.round;
    for Move(action) in moves.read() {
        if game.m.is_over() {
            break;
        }
        if let Err(e) = game.apply(action.clone()) {
            warn!("move refused: {e}");
        }
        changed = true;
    }
    if changed {
        redraw.write(bevy::window::RequestRedraw);
        let new_round = game.m.round != round_before || game.m.is_over();
        if new_round && let Some(path) = &save_path.0 {
            let file = save::SaveFile::of(&game);
            if let Err(e) = save::write_atomic(path, &file) {
                warn!("autosave failed: {e}");
            }
        }
    }
}

/// Move between screens as the match demands: hand the device over between two people,
/// and go to the debrief at the end.
pub fn route(
    game: Option<ResMut<Game>>,
    screen: Res<State<Screen>>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(mut game) = game else {
        return;
    };
    let here = *screen.get();
    if game.m.is_over() {
        if matches!(here, Screen::Table | Screen::Handover) {
            next.set(Screen::Debrief);
        }
        return;
    }
    if here != Screen::Table {
        return;
    }
    if let Some(side) = game.human_need()
        && side != game.viewer
    {
        if game.mode == Mode::Hotseat {
            game.viewer = side;
            next.set(Screen::Handover);
        } else {
            game.viewer = side;
        }
    }
}
