//! Will this level teach? Every counterpart plays every counterpart on one level, and the games
//! say how matches end, how often each mechanic comes into play, and which content never does,
//! with the likely cause, in words an instructor can act on.

use super::tournament::pool;
use crate::sim::scenario::{EventDef, MeasureDef, Requirement, Scenario, Side, Trigger};
use crate::sim::state::Snapshot;
use crate::sim::{Ending, Event, Match};
use crate::table::{Seat, Table};
use serde::Serialize;
use std::fmt::Write;
use std::sync::Arc;
use std::time::Instant;

mod text;
mod warnings;

/// Games per ordered pairing unless asked otherwise. With 144 pairings this is 2,880 games:
/// about a second for a full level on one idle core, and enough that a card or a measure seen
/// in none of them is one a class will hardly ever meet.
pub const GAMES_PER_PAIRING: u32 = 20;

/// A meter counts as pinned in a match when it sits at its bound for more than half of the
/// rounds; the report warns when that happens in more than half of the games.
const PINNED_SHARE: f64 = 0.5;

/// What a warning is about, so that tools and tests need not read the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// No game reached normalization, the ending the level is built for.
    BestEndingNever,
    /// One ending came in every game.
    EndingAlways,
    /// A measure no side allowed to undertake it can ever pay for.
    MeasureUnaffordable,
    /// A measure no game signed.
    MeasureNeverSigned,
    /// An event card no game drew.
    EventNeverDrawn,
    /// A phase no game reached.
    PhaseNeverReached,
    /// A meter sat at its bound for most of most matches.
    MeterPinned,
}

/// One thing an instructor should look at, with its likely cause and what to change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// The id of what it is about: a measure, event card or phase, an ending (`normalization`,
    /// `clash`, `ousted`, `round_limit`) or a meter (`tension`, `trust_a`, `trust_b`,
    /// `approval_a`, `approval_b`).
    pub subject: String,
    pub message: String,
}

/// How often something happened: in all, and in how many games at least once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    pub times: u32,
    pub games: u32,
}

impl Tally {
    fn add(&mut self, times: u32) {
        self.times += times;
        self.games += u32::from(times > 0);
    }
}

/// How the games ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Endings {
    pub normalization: u32,
    pub clash: u32,
    pub ousted: u32,
    pub round_limit: u32,
}

impl Endings {
    /// Every game ends one way, so this is the number of games.
    pub fn total(&self) -> u32 {
        self.normalization + self.clash + self.ousted + self.round_limit
    }

    fn rows(&self) -> [(&'static str, &'static str, u32); 4] {
        [
            ("normalization", "normalization", self.normalization),
            ("clash", "armed clash", self.clash),
            ("ousted", "leader ousted", self.ousted),
            ("round_limit", "round limit", self.round_limit),
        ]
    }
}

/// How often each mechanic came into play.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Mechanics {
    /// Packages signed (not gestures).
    pub agreements: Tally,
    pub gestures: Tally,
    /// Votes lost at home, one per side that rejected a package.
    pub ratification_failures: Tally,
    pub leader_falls: Tally,
    /// Rounds that opened with the mediator's bridging package on the table.
    pub mediator_proposals: Tally,
    pub breaches_caught: Tally,
    pub breaches_hidden: Tally,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseStat {
    pub id: String,
    pub name: String,
    /// Games in which the relationship reached this phase or a later one.
    pub games_reached: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventStat {
    pub id: String,
    pub title: String,
    pub drawn: Tally,
    /// Round starts at which the card could have been drawn.
    pub eligible_rounds: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureStat {
    pub id: String,
    pub name: String,
    /// Commitments put in force, by agreement or gesture (one per side that undertook it).
    pub signed: Tally,
    /// Times it was part of an offer or a counter-offer.
    pub offered: u32,
}

/// A meter and the games in which it sat at its bound for more than half the rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeterStat {
    /// `tension`, `trust_a`, `trust_b`, `approval_a` or `approval_b`.
    pub meter: String,
    pub games: u32,
}

/// What the games said about a level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub level: String,
    pub title: String,
    pub seed: u64,
    pub games_per_pairing: u32,
    /// Ordered pairings of counterparts (each against each, itself included, in both seats).
    pub pairings: u32,
    pub games: u32,
    /// Rounds played over all games.
    pub rounds: u32,
    pub elapsed_s: f64,
    pub endings: Endings,
    /// Over the games with an agreement; `None` when there was none.
    pub mean_first_agreement_round: Option<f64>,
    pub mechanics: Mechanics,
    pub phases: Vec<PhaseStat>,
    pub events: Vec<EventStat>,
    pub measures: Vec<MeasureStat>,
    pub pinned: Vec<MeterStat>,
    pub warnings: Vec<Warning>,
}

/// The seed of game `g` of the pairing numbered `pairing`: `(seed << 32) + (pairing << 16) + g`.
/// Runs with different seeds share no game, so a second seed is a second sample.
pub fn game_seed(seed: u64, pairing: usize, g: u32) -> u64 {
    (seed << 32)
        .wrapping_add((pairing as u64) << 16)
        .wrapping_add(g as u64)
}

/// Play `games_per_pairing` games for every ordered pairing of the tournament's counterparts,
/// mirror pairings included, and report. Pairing `a * n + b` puts entry `a` of [`pool`] (of
/// size `n`) in state A's seat and entry `b` in state B's; each game's counterparts are built
/// from its [`game_seed`] as `detente sim --seed` builds them, so any game can be watched
/// again. The same level and seed give the same report (but for `elapsed_s`).
pub fn run(sc: Arc<Scenario>, games_per_pairing: u32, seed: u64) -> Report {
    let start = Instant::now();
    let pool = pool();
    let n = pool.len();
    let mut obs = Obs::new(&sc);
    for a in 0..n {
        for b in 0..n {
            for g in 0..games_per_pairing {
                let s = game_seed(seed, a * n + b, g);
                let seat = |k: usize, side: Side| {
                    let (p, d) = pool[k];
                    Seat::Counterpart(Box::new(crate::table::counterpart(
                        sc.public(),
                        side,
                        s,
                        p,
                        d,
                    )))
                };
                obs.play(&sc, s, [seat(a, Side::A), seat(b, Side::B)]);
            }
        }
    }
    let mut r = obs.report(&sc, seed, games_per_pairing, (n * n) as u32);
    r.elapsed_s = start.elapsed().as_secs_f64();
    r
}

/// The conditions a trigger may set, in the order of [`Trigger`]'s fields.
const CONDITIONS: [&str; 8] = [
    "min_round",
    "max_round",
    "min_tension",
    "max_tension",
    "min_phase",
    "max_phase",
    "measure_in_force",
    "measure_absent",
];

/// One condition of a card's trigger, checked on its own.
enum Check {
    /// Asked of the rules, through a trigger that sets only this condition.
    Rule(Trigger),
    /// Tension moves when a card is drawn, so the tension a card was drawn against is the one
    /// the last round ended with, not the one seen after the draw.
    MinTension(f32),
    MaxTension(f32),
}

fn checks(t: &Trigger) -> Vec<(usize, Check)> {
    let only = |f: &dyn Fn(&mut Trigger)| {
        let mut x = Trigger::default();
        f(&mut x);
        Check::Rule(x)
    };
    let mut v = Vec::new();
    if t.min_round.is_some() {
        v.push((0, only(&|x| x.min_round = t.min_round)));
    }
    if t.max_round.is_some() {
        v.push((1, only(&|x| x.max_round = t.max_round)));
    }
    if let Some(x) = t.min_tension {
        v.push((2, Check::MinTension(x)));
    }
    if let Some(x) = t.max_tension {
        v.push((3, Check::MaxTension(x)));
    }
    if t.min_phase.is_some() {
        v.push((4, only(&|x| x.min_phase = t.min_phase.clone())));
    }
    if t.max_phase.is_some() {
        v.push((5, only(&|x| x.max_phase = t.max_phase.clone())));
    }
    if t.measure_in_force.is_some() {
        v.push((
            6,
            only(&|x| x.measure_in_force = t.measure_in_force.clone()),
        ));
    }
    if t.measure_absent.is_some() {
        v.push((7, only(&|x| x.measure_absent = t.measure_absent.clone())));
    }
    v
}

#[derive(Default)]
struct CardObs {
    drawn: Tally,
    eligible: u32,
    /// Draws to expect from the rounds it was eligible in, given the other cards eligible then.
    expected: f64,
    /// Round starts at which each condition held, by [`CONDITIONS`] index.
    held: [u32; 8],
}

/// How often each of a phase's conditions held at the end of a round.
#[derive(Default, Clone, Copy)]
struct PhaseObs {
    reached: u32,
    trust: u32,
    tension: u32,
    areas: u32,
}

/// One game under way.
struct Game {
    signed: Vec<u32>,
    next_id: u32,
    snapshots: usize,
    round: u32,
    mediator: u32,
    streak: u32,
}

/// Everything observed over all games.
struct Obs {
    probes: Vec<Vec<(usize, Check)>>,
    normalize: usize,
    games: u32,
    endings: Endings,
    ending_rounds: [u64; 4],
    mechanics: Mechanics,
    first_sum: u64,
    round_starts: u32,
    round_ends: u32,
    cards: Vec<CardObs>,
    phases: Vec<PhaseObs>,
    area_rounds: [u32; 7],
    best_trust: f32,
    low_tension: f32,
    /// Round ends in the normalization phase with the treaties it needs.
    norm_treaty_rounds: u32,
    best_streak: u32,
    offered: Vec<u32>,
    signed: Vec<Tally>,
    pinned: [u32; 5],
    eligible: Vec<usize>,
}

impl Obs {
    fn new(sc: &Scenario) -> Obs {
        Obs {
            probes: sc.events.iter().map(|e| checks(&e.trigger)).collect(),
            normalize: sc
                .phase_index(&sc.end.normalize_phase)
                .unwrap_or(usize::MAX),
            games: 0,
            endings: Endings::default(),
            ending_rounds: [0; 4],
            mechanics: Mechanics::default(),
            first_sum: 0,
            round_starts: 0,
            round_ends: 0,
            cards: sc.events.iter().map(|_| CardObs::default()).collect(),
            phases: vec![PhaseObs::default(); sc.phases.len()],
            area_rounds: [0; 7],
            best_trust: 0.0,
            low_tension: 100.0,
            norm_treaty_rounds: 0,
            best_streak: 0,
            offered: vec![0; sc.measures.len()],
            signed: vec![Tally::default(); sc.measures.len()],
            pinned: [0; 5],
            eligible: Vec::new(),
        }
    }

    /// One game, move by move through the table (the same match `runner::play_headless`
    /// plays), watching what the final match no longer shows: the mediator's packages, the
    /// commitments that have since ended, and what held when each card was drawn.
    fn play(&mut self, sc: &Arc<Scenario>, seed: u64, seats: [Seat; 2]) {
        let mut t = Table::headless(sc.clone(), seed, seats);
        let mut g = Game {
            signed: vec![0; sc.measures.len()],
            next_id: 1,
            snapshots: 0,
            round: 1,
            mediator: 0,
            streak: 0,
        };
        self.round_start(t.whole(), sc.start.tension.clamp(0.0, 100.0));
        let mut guard = 0;
        while guard < 10_000 && t.step().is_some() {
            guard += 1;
            self.observe(t.whole(), &mut g);
        }
        self.finish(&t.into_match(), &g);
    }

    fn observe(&mut self, m: &Match, g: &mut Game) {
        if m.next_id > g.next_id {
            for c in m.commitments.iter().filter(|c| c.id >= g.next_id) {
                g.signed[c.measure] += 1;
            }
            g.next_id = m.next_id;
        }
        while g.snapshots < m.history.len() {
            self.round_end(m, &m.history[g.snapshots], g);
            g.snapshots += 1;
        }
        if m.round > g.round {
            g.round = m.round;
            g.mediator += u32::from(m.bridge.is_some());
            let tension = m.history.last().map_or(m.tension, |h| h.tension);
            self.round_start(m, tension);
        }
    }

    /// Which cards could have been drawn as this round began, and which of their conditions
    /// held.
    fn round_start(&mut self, m: &Match, tension: f32) {
        let sc = &m.scenario;
        self.round_starts += 1;
        let this = m.event.as_ref().map(|e| e.card);
        self.eligible.clear();
        let mut weight = 0.0f64;
        for (i, card) in sc.events.iter().enumerate() {
            let before = m.drawn[i] - u32::from(this == Some(i));
            let mut all = !(card.once && before > 0);
            for (k, check) in &self.probes[i] {
                let ok = match check {
                    Check::Rule(t) => m.trigger_holds(t),
                    Check::MinTension(x) => tension >= *x,
                    Check::MaxTension(x) => tension <= *x,
                };
                self.cards[i].held[*k] += u32::from(ok);
                all &= ok;
            }
            if all {
                self.cards[i].eligible += 1;
                weight += card.weight as f64;
                self.eligible.push(i);
            }
        }
        if weight > 0.0 {
            for &i in &self.eligible {
                self.cards[i].expected +=
                    sc.event_chance as f64 * sc.events[i].weight as f64 / weight;
            }
        }
    }

    /// Which of each phase's conditions held as this round ended (the commitments are those the
    /// phase was judged on: the next round's start changes none).
    fn round_end(&mut self, m: &Match, h: &Snapshot, g: &mut Game) {
        let sc = &m.scenario;
        self.round_ends += 1;
        let trust = h.trust[0].min(h.trust[1]);
        self.best_trust = self.best_trust.max(trust);
        self.low_tension = self.low_tension.min(h.tension);
        let mut areas = [false; 7];
        for c in &m.commitments {
            areas[sc.measures[c.measure].area as usize] = true;
        }
        for (a, in_force) in areas.iter().enumerate() {
            self.area_rounds[a] += u32::from(*in_force);
        }
        for (p, def) in sc.phases.iter().enumerate() {
            let o = &mut self.phases[p];
            o.trust += u32::from(trust >= def.min_trust);
            o.tension += u32::from(h.tension <= def.max_tension);
            o.areas += u32::from(def.areas.iter().all(|a| areas[*a as usize]));
        }
        if h.phase >= self.normalize && m.treaties() >= sc.end.treaties {
            self.norm_treaty_rounds += 1;
            g.streak += 1;
            self.best_streak = self.best_streak.max(g.streak);
        } else {
            g.streak = 0;
        }
    }

    fn finish(&mut self, m: &Match, g: &Game) {
        let sc = &m.scenario;
        self.games += 1;
        let e = &mut self.endings;
        let k = match m.ending {
            Some(Ending::Normalization) => {
                e.normalization += 1;
                0
            }
            Some(Ending::Clash) => {
                e.clash += 1;
                1
            }
            Some(Ending::Ousted(_)) => {
                e.ousted += 1;
                2
            }
            Some(Ending::RoundLimit) | None => {
                e.round_limit += 1;
                3
            }
        };
        self.ending_rounds[k] += m.round as u64;
        let (mut agreements, mut gestures, mut failed, mut fell) = (0, 0, 0, 0);
        let mut first = None;
        for l in &m.log {
            match &l.event {
                Event::AgreementSigned { .. } => {
                    agreements += 1;
                    first.get_or_insert(l.round);
                }
                Event::GestureMade { .. } => gestures += 1,
                Event::Ratification { passed: false, .. } => failed += 1,
                Event::LeaderFell { .. } => fell += 1,
                Event::OfferMade { offer, .. } => {
                    for it in &offer.items {
                        if let Some(i) = sc.measure_index(&it.measure) {
                            self.offered[i] += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        self.first_sum += first.unwrap_or(0) as u64;
        let caught = m.breaches.iter().filter(|b| b.caught).count() as u32;
        let mech = &mut self.mechanics;
        mech.agreements.add(agreements);
        mech.gestures.add(gestures);
        mech.ratification_failures.add(failed);
        mech.leader_falls.add(fell);
        mech.mediator_proposals.add(g.mediator);
        mech.breaches_caught.add(caught);
        mech.breaches_hidden.add(m.breaches.len() as u32 - caught);
        for (c, &d) in self.cards.iter_mut().zip(&m.drawn) {
            c.drawn.add(d);
        }
        for (t, &s) in self.signed.iter_mut().zip(&g.signed) {
            t.add(s);
        }
        let top = m.history.iter().map(|h| h.phase).max().unwrap_or(m.phase);
        for p in self.phases.iter_mut().take(top + 1) {
            p.reached += 1;
        }
        let half = |f: &dyn Fn(&Snapshot) -> bool| {
            let n = m.history.iter().filter(|h| f(h)).count();
            n as f64 > PINNED_SHARE * m.history.len() as f64
        };
        // The round's drift lands after the commitments have pulled tension to the floor, so a
        // tension held there ends each round one drift above it.
        let floor = crate::sim::rounds::TENSION_DRIFT + 1e-3;
        let pinned = [
            half(&|h| h.tension <= floor),
            half(&|h| h.trust[0] >= 99.0),
            half(&|h| h.trust[1] >= 99.0),
            half(&|h| !(1.0..99.0).contains(&h.approval[0])),
            half(&|h| !(1.0..99.0).contains(&h.approval[1])),
        ];
        for (c, p) in self.pinned.iter_mut().zip(pinned) {
            *c += u32::from(p);
        }
    }

    fn report(&self, sc: &Scenario, seed: u64, games_per_pairing: u32, pairings: u32) -> Report {
        let agreed = self.mechanics.agreements.games;
        let mut r = Report {
            level: sc.id.clone(),
            title: sc.title.clone(),
            seed,
            games_per_pairing,
            pairings,
            games: self.games,
            rounds: self.round_ends,
            elapsed_s: 0.0,
            endings: self.endings,
            mean_first_agreement_round: (agreed > 0).then(|| self.first_sum as f64 / agreed as f64),
            mechanics: self.mechanics,
            phases: sc
                .phases
                .iter()
                .zip(&self.phases)
                .map(|(p, o)| PhaseStat {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    games_reached: o.reached,
                })
                .collect(),
            events: sc
                .events
                .iter()
                .zip(&self.cards)
                .map(|(e, o)| EventStat {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    drawn: o.drawn,
                    eligible_rounds: o.eligible,
                })
                .collect(),
            measures: sc
                .measures
                .iter()
                .enumerate()
                .map(|(i, m)| MeasureStat {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    signed: self.signed[i],
                    offered: self.offered[i],
                })
                .collect(),
            pinned: METERS
                .iter()
                .zip(self.pinned)
                .map(|(m, games)| MeterStat {
                    meter: m.to_string(),
                    games,
                })
                .collect(),
            warnings: Vec::new(),
        };
        r.warnings = self.warnings(sc, &r);
        r
    }
}

const METERS: [&str; 5] = ["tension", "trust_a", "trust_b", "approval_a", "approval_b"];

fn pct(n: u32, of: u32) -> f64 {
    n as f64 * 100.0 / of.max(1) as f64
}

fn num(x: f32) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

impl WarningKind {
    /// The snake_case name the JSON report uses.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::BestEndingNever => "best_ending_never",
            WarningKind::EndingAlways => "ending_always",
            WarningKind::MeasureUnaffordable => "measure_unaffordable",
            WarningKind::MeasureNeverSigned => "measure_never_signed",
            WarningKind::EventNeverDrawn => "event_never_drawn",
            WarningKind::PhaseNeverReached => "phase_never_reached",
            WarningKind::MeterPinned => "meter_pinned",
        }
    }
}
