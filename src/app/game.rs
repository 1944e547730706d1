//! The table as a Bevy resource, and the one path every move takes: a person's click becomes a
//! [`Move`] message that a single system submits to the table from the seat on screen; the
//! computer's seats move through the same table.

use crate::net::client::Client;
use crate::sim::{
    Action, Difficulty, Event, Logged, Match, Personality, PublicLevel, Scenario, Side, SideView,
};
use crate::table::{Seat, Table, Takeover};
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::save;
use super::screens::{Screen, Step};

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
    /// One seat of a class: this window leads `human`, and the table lives on the host.
    Class { human: Side },
}

impl Mode {
    /// Whether a person plays `side`.
    pub fn is_human(self, side: Side) -> bool {
        match self {
            Mode::Hotseat => true,
            Mode::VsAi { human, .. } | Mode::Class { human } => human == side,
            Mode::Watch => false,
        }
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

/// Where the match is played.
pub enum Source {
    /// In this window: a table whose seats the mode fills.
    Local(Box<Table>),
    /// On a class host: this window holds one seat's connection and what it was sent.
    Class(Box<Client>),
}

/// The match being played and what the window keeps about it. Screens draw from the viewer's
/// view, never from the match.
#[derive(Resource)]
pub struct Game {
    pub source: Source,
    pub level_file: PathBuf,
    pub mode: Mode,
    /// The side whose screen is shown (in hotseat, the side that last confirmed the handover).
    pub viewer: Side,
    /// Whether each side has read its briefing.
    pub briefed: [bool; 2],
    /// The last refused move, shown to the player.
    pub refused: Option<String>,
    /// A lasting message for the table (e.g. who took over).
    pub notice: Option<String>,
    /// The file this match saves to (its own: no other match writes it).
    pub slot: Option<PathBuf>,
}

fn seats_for(mode: Mode, scenario: &Scenario, seed: u64) -> [Seat; 2] {
    Side::BOTH.map(|side| {
        if mode.is_human(side) {
            return Seat::Local;
        }
        let (p, d) = match mode {
            Mode::VsAi {
                personality,
                difficulty,
                ..
            } => (personality, difficulty),
            _ => (scenario.ai.personality, scenario.ai.difficulty),
        };
        Seat::Counterpart(Box::new(crate::table::counterpart(
            scenario.public(),
            side,
            seed,
            p,
            d,
        )))
    })
}

/// How hard the counterparts the table brings in at a takeover play.
fn difficulty_of(mode: Mode, scenario: &Scenario) -> Difficulty {
    match mode {
        Mode::VsAi { difficulty, .. } => difficulty,
        _ => scenario.ai.difficulty,
    }
}

impl Game {
    /// A fresh match.
    pub fn new(setup: &Setup) -> Game {
        let sc = &setup.scenario;
        let table = Table::new(
            sc.clone(),
            setup.seed,
            seats_for(setup.mode, sc, setup.seed),
        )
        .with_difficulty(difficulty_of(setup.mode, sc));
        Game::around(table, setup.level_file.clone(), setup.mode)
    }

    fn around(table: Table, level_file: PathBuf, mode: Mode) -> Game {
        let viewer = match mode {
            Mode::VsAi { human, .. } | Mode::Class { human } => human,
            _ => Side::A,
        };
        let mut g = Game {
            source: Source::Local(Box::new(table)),
            level_file,
            mode,
            viewer,
            briefed: [false; 2],
            refused: None,
            notice: None,
            slot: None,
        };
        g.note_takeovers();
        g
    }

    /// Replay a recorded match move by move through the table, so each computer seat thinks
    /// before each of its recorded moves and ends with the memory it had when the match was
    /// saved. A successor takes over when the log says a leader fell, as in play.
    pub fn replay(
        scenario: Arc<Scenario>,
        record: &crate::sim::MatchRecord,
        level_file: PathBuf,
        mode: Mode,
    ) -> Result<Game, (usize, crate::sim::ActionError)> {
        let seats = seats_for(mode, &scenario, record.seed);
        let difficulty = difficulty_of(mode, &scenario);
        let table = Table::replay(scenario, record, seats, difficulty)?;
        Ok(Game::around(table, level_file, mode))
    }

    /// A class seat that the host has seated, with its first view in hand (else `None`).
    pub fn class(client: Client) -> Result<Game, Box<Client>> {
        let Some(side) = client.seat().map(|s| s.side) else {
            return Err(Box::new(client));
        };
        if client.view().is_none() {
            return Err(Box::new(client));
        }
        let level_file = PathBuf::from(client.url());
        Ok(Game {
            source: Source::Class(Box::new(client)),
            level_file,
            mode: Mode::Class { human: side },
            viewer: side,
            briefed: [false; 2],
            refused: None,
            notice: None,
            slot: None,
        })
    }

    /// The local table, when the match is played in this window.
    pub fn table(&self) -> Option<&Table> {
        match &self.source {
            Source::Local(t) => Some(t),
            Source::Class(_) => None,
        }
    }

    /// The local table, to change it.
    pub fn table_mut(&mut self) -> Option<&mut Table> {
        match &mut self.source {
            Source::Local(t) => Some(t),
            Source::Class(_) => None,
        }
    }

    /// The class connection, while the match is played on a host.
    pub fn client(&self) -> Option<&Client> {
        match &self.source {
            Source::Class(c) => Some(c),
            Source::Local(_) => None,
        }
    }

    /// The class connection, to poll it.
    pub fn client_mut(&mut self) -> Option<&mut Client> {
        match &mut self.source {
            Source::Class(c) => Some(c),
            Source::Local(_) => None,
        }
    }

    /// The public level.
    pub fn level(&self) -> &Arc<PublicLevel> {
        match &self.source {
            Source::Local(t) => t.public(),
            // A class game is made only once the host seated it (see [`Game::class`]).
            Source::Class(c) => &c.seat().expect("a class game is seated").level,
        }
    }

    /// What the viewer may see now.
    pub fn view(&self) -> SideView {
        match &self.source {
            Source::Local(t) => t.view(self.viewer),
            Source::Class(c) => c.view().cloned().expect("a class game has a view"),
        }
    }

    /// The viewer's part of the match log.
    pub fn log(&self) -> Vec<Logged> {
        match &self.source {
            Source::Local(t) => t.log_for(self.viewer).cloned().collect(),
            Source::Class(c) => c.log().to_vec(),
        }
    }

    /// Whether the match is over.
    pub fn is_over(&self) -> bool {
        match &self.source {
            Source::Local(t) => t.is_over(),
            // Over for the window once the host revealed it, so the debrief has the match.
            Source::Class(c) => c.revealed().is_some(),
        }
    }

    /// The round under way.
    pub fn round(&self) -> u32 {
        match &self.source {
            Source::Local(t) => t.round(),
            Source::Class(c) => c.view().map_or(1, |v| v.round),
        }
    }

    /// The whole match, once it is over and revealed.
    pub fn finished(&self) -> Option<&Match> {
        self.table().and_then(|t| t.finished())
    }

    /// The latest reason `side`'s computer gave for its move.
    pub fn reason(&self, side: Side) -> Option<&str> {
        self.table()?.last_decision(side).map(|d| d.reason.as_str())
    }

    /// Whether a person plays `side` now.
    pub fn is_human(&self, side: Side) -> bool {
        match &self.source {
            Source::Local(t) => t.is_person(side),
            Source::Class(_) => self.mode.is_human(side),
        }
    }

    /// A lasting notice when a hardline successor took a person's seat.
    fn note_takeovers(&mut self) {
        if self.notice.is_some() {
            return;
        }
        let Some(table) = self.table() else {
            return;
        };
        let mut notice = None;
        for side in Side::BOTH {
            if table.taken_over(side) == Some(Takeover::Successor) && notice.is_none() {
                let level = table.public();
                let view = table.view(side);
                notice = Some(format!(
                    "{} fell at home. A hardline successor, {}, now leads {}, and the computer plays that side to the end.",
                    level.side(side).leader,
                    view.me.leader,
                    level.side(side).name
                ));
            }
        }
        self.notice = notice;
    }

    /// The first side a person must act for now.
    pub fn human_need(&self) -> Option<Side> {
        match &self.source {
            Source::Local(t) => t.person_need(),
            Source::Class(c) => c
                .view()
                .filter(|v| !v.needs.is_empty() && v.ending.is_none())
                .map(|v| v.side),
        }
    }

    /// The first side the computer must act for now (never, in a class: the host moves it).
    pub fn ai_need(&self) -> Option<Side> {
        self.table()?.counterpart_need()
    }

    /// A person's move from `side`'s seat; a refused move changes nothing and is remembered
    /// for the player. In a class the move is sent, and a refusal arrives later.
    pub fn submit(&mut self, side: Side, action: Action) -> Result<Vec<Event>, String> {
        let result = match &mut self.source {
            Source::Local(t) => t.submit(side, action).map_err(|e| e.to_string()),
            Source::Class(c) => {
                if c.act(action) {
                    Ok(Vec::new())
                } else {
                    Err("Not connected to the class: the move was not sent. It can be made again once the connection is back.".into())
                }
            }
        };
        match result {
            Ok(ev) => {
                self.refused = None;
                self.note_takeovers();
                Ok(ev)
            }
            Err(msg) => {
                self.refused = Some(msg.clone());
                Err(msg)
            }
        }
    }

    /// Let the computer make the move it owes now, if any.
    pub fn ai_step(&mut self) -> bool {
        let moved = self.table_mut().is_some_and(|t| t.step().is_some());
        if moved {
            self.note_takeovers();
        }
        moved
    }

    /// Play the computer's moves until a person must act or `until_round` is passed.
    /// Used to set up screenshots and by tests.
    pub fn auto_play(&mut self, until_round: u32) {
        let mut guard = 0;
        while !self.is_over() && self.round() <= until_round && guard < 10_000 {
            guard += 1;
            if !self.ai_step() {
                break;
            }
        }
    }

    /// Once a class match is over and the host revealed it, replay it here so the debrief
    /// reads the whole match as it does after a match in this window. Returns whether it did.
    pub fn take_revealed(&mut self) -> bool {
        let Some(client) = self.client() else {
            return false;
        };
        let Some(r) = client.revealed() else {
            return false;
        };
        match Table::replay(
            r.scenario.clone(),
            &r.record,
            [Seat::Local, Seat::Local],
            r.scenario.ai.difficulty,
        ) {
            Ok(table) => {
                self.source = Source::Local(Box::new(table));
                true
            }
            Err((i, e)) => {
                self.notice = Some(format!(
                    "The host's record of the match could not be replayed here (move {}: {e}); the debrief is not available.",
                    i + 1
                ));
                false
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

/// The computer moves for its sides through the table, after a short pause.
pub fn ai_moves(
    game: Option<ResMut<Game>>,
    pace: Res<AiPace>,
    time: Res<Time<Real>>,
    step: Option<Res<State<Step>>>,
    save_path: Res<SaveDir>,
    mut waited: Local<Duration>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(mut game) = game else {
        return;
    };
    // The computer waits while a person reads a briefing or passes the device.
    let playing = step.is_some_and(|s| *s.get() == Step::Table);
    if game.ai_need().filter(|_| playing).is_none() {
        *waited = Duration::ZERO;
        return;
    }
    *waited += time.delta();
    if *waited < pace.0 {
        // Keep the reactive loop ticking until the pause is over.
        redraw.write(bevy::window::RequestRedraw);
        return;
    }
    *waited = Duration::ZERO;
    if game.ai_step() {
        redraw.write(bevy::window::RequestRedraw);
        autosave(&mut game, &save_path);
    }
}

/// Save the match to its own file, if saving is on; a match without a file yet gets one.
pub fn autosave(game: &mut Game, saves: &SaveDir) {
    let Some(dir) = &saves.0 else {
        return;
    };
    // A class match is kept by its host; the window keeps only the way back to the seat.
    if matches!(game.mode, Mode::Class { .. }) {
        return;
    }
    let level = game.level().id.clone();
    let slot = game
        .slot
        .get_or_insert_with(|| save::new_slot(dir, &level))
        .clone();
    let Some(file) = save::SaveFile::of(game) else {
        return;
    };
    if let Err(e) = save::write_atomic(&slot, &file) {
        warn!("saving the match failed: {e}");
    }
}

/// The folder saved matches go to; `None` turns saving off (tests, screenshots).
#[derive(Resource, Debug, Clone, Default)]
pub struct SaveDir(pub Option<PathBuf>);

/// The single system that takes a person's moves: each is submitted from the seat on screen,
/// and the table checks the seat before the rules.
pub fn apply_moves(
    game: Option<ResMut<Game>>,
    mut moves: MessageReader<Move>,
    save_path: Res<SaveDir>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(mut game) = game else {
        moves.clear();
        return;
    };
    let mut changed = false;
    for Move(action) in moves.read() {
        if game.is_over() {
            break;
        }
        let seat = game.viewer;
        if let Err(e) = game.submit(seat, action.clone()) {
            warn!("move refused: {e}");
        }
        changed = true;
    }
    if changed {
        redraw.write(bevy::window::RequestRedraw);
        autosave(&mut game, &save_path);
    }
}

/// Move between pages as the match demands: hand the device over between two people, and go
/// to the debrief at the end.
pub fn route(
    game: Option<ResMut<Game>>,
    screen: Res<State<Screen>>,
    step: Option<Res<State<Step>>>,
    mut next_screen: ResMut<NextState<Screen>>,
    mut next_step: ResMut<NextState<Step>>,
) {
    let Some(mut game) = game else {
        return;
    };
    if *screen.get() != Screen::Match {
        return;
    }
    let step = step.map(|s| *s.get());
    if game.is_over() {
        if matches!(step, Some(Step::Table | Step::Handover)) {
            next_screen.set(Screen::Debrief);
        }
        return;
    }
    if step != Some(Step::Table) {
        return;
    }
    if let Some(side) = game.human_need()
        && side != game.viewer
    {
        game.viewer = side;
        if game.mode == Mode::Hotseat {
            next_step.set(Step::Handover);
        }
    }
}
