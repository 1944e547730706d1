//! The match state: everything the rules track between actions.

use super::action::{Action, Offer};
use super::event::{Ending, Event, Logged};
use super::rng::Rng;
use super::scenario::{Scenario, Side, Statement, Term};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Where the round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// An event card waits for the struck sides' answers.
    Events,
    /// Offers, answers and gestures.
    Negotiation,
    /// Each side keeps or quietly breaks its commitments.
    Implementation,
    /// The match is over.
    Ended,
}

impl Stage {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Events => "events",
            Stage::Negotiation => "negotiation",
            Stage::Implementation => "implementation",
            Stage::Ended => "end",
        }
    }
}

/// Per-side state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideState {
    pub leader: String,
    /// A hardline successor has taken over.
    pub hardliner: bool,
    /// Approval of each faction, in the level's order, 0..100.
    pub approval: Vec<f32>,
    /// Approval at the start of the round, for "change since last round".
    pub approval_before: Vec<f32>,
    pub capital: f32,
    pub economy: f32,
    pub security: f32,
    pub gesture_used: bool,
    pub implemented: bool,
    /// The last public statement made this round.
    pub statement: Option<Statement>,
    /// Private utility accumulated, one normalised value per round played.
    pub utility_sum: f32,
}

/// A commitment in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: u32,
    /// Index into the level's measures.
    pub measure: usize,
    pub by: Side,
    pub verification: Option<usize>,
    pub term: Term,
    pub signed_round: u32,
    pub gesture: bool,
    /// Rounds it was kept.
    pub kept: u32,
    /// Rounds it was broken without being caught (revealed in the debrief).
    pub hidden_breaches: u32,
    /// Windfalls of unseen breaches not yet on the public meters: they land when a breach of
    /// this commitment is caught.
    #[serde(default)]
    pub banked: u32,
    /// Rounds it was broken and caught.
    pub caught: u32,
}

/// A broken commitment, for the debrief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breach {
    pub round: u32,
    pub side: Side,
    pub measure: String,
    pub caught: bool,
}

/// This round's talks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Talks {
    /// Whose move it is.
    pub turn: Side,
    pub exchanges_used: u32,
    /// The offer on the table and who made it.
    pub pending: Option<(Side, Offer)>,
    /// The offer the one on the table answers, when it is a counter-offer.
    #[serde(default)]
    pub answers: Option<Offer>,
    pub agreed: bool,
}

/// The event card in play this round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveEvent {
    pub card: usize,
    pub struck: Vec<Side>,
    /// Answer index per side, once given.
    pub answered: [Option<usize>; 2],
}

/// A news outlet's running state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutletState {
    pub tone: f32,
    /// Its latest front page (newest first).
    pub front: Vec<String>,
}

/// Meters at the end of one round, for charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub round: u32,
    pub tension: f32,
    pub trust: [f32; 2],
    pub phase: usize,
    pub approval: [f32; 2],
    pub factions: [Vec<f32>; 2],
    pub capital: [f32; 2],
    pub economy: [f32; 2],
    pub security: [f32; 2],
    pub utility: [f32; 2],
    pub tones: Vec<f32>,
}

/// Whom a story is about, which decides the state an outlet writes as `{actor}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// What `actor` did or suffered: every outlet writes `actor`.
    Actor,
    /// Something both states did or share (an agreement, a phase change, a clash, a quiet
    /// round): each state's press writes its own state, the international press `actor`.
    Relationship,
    /// An event card that struck both states: each state's press writes its own state, the
    /// international press both of them.
    Both,
}

/// Something newsworthy this round, waiting for the press.
#[derive(Debug, Clone, PartialEq)]
pub struct News {
    pub kind: super::scenario::NewsKind,
    pub actor: Side,
    /// Whom it is about; see [`Subject`].
    pub subject: Subject,
    /// How good it is for peace, -1..1, before an outlet's slant.
    pub valence: f32,
    /// How big a story it is.
    pub weight: f32,
    /// Slot values specific to the kind.
    pub slots: Vec<(&'static str, String)>,
    /// Slot values that replace those of `slots` when an outlet writes this state as `{actor}`:
    /// an agreement's `{measure}` is then one the state itself undertook.
    pub actor_slots: [Vec<(&'static str, String)>; 2],
    /// Whether each side gave something up (its hawkish press reads that darker).
    pub concession: [bool; 2],
}

/// The whole match.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub scenario: Arc<Scenario>,
    pub seed: u64,
    pub rng: Rng,
    pub round: u32,
    pub stage: Stage,
    pub tension: f32,
    /// trust[A] is A's trust in B; trust[B] is B's trust in A.
    pub trust: [f32; 2],
    pub phase: usize,
    /// Consecutive rounds the normalization phase has held.
    pub phase_held: u32,
    pub sides: [SideState; 2],
    pub commitments: Vec<Commitment>,
    pub next_id: u32,
    pub talks: Talks,
    pub event: Option<ActiveEvent>,
    /// How often each event card was drawn.
    pub drawn: Vec<u32>,
    pub outlets: Vec<OutletState>,
    pub news: Vec<News>,
    pub breaches: Vec<Breach>,
    pub history: Vec<Snapshot>,
    pub log: Vec<Logged>,
    pub actions: Vec<Action>,
    pub ending: Option<Ending>,
    /// A bridging package the mediator tabled, if any.
    pub bridge: Option<Offer>,
    /// Commitments broken this round (id, breaker).
    pub broken_now: Vec<(u32, Side)>,
    /// Rounds in a row without an agreement.
    pub dry_rounds: u32,
    /// Whether the press's headlines are worded. Headless runs that nobody reads (tournaments,
    /// summaries, benchmarks) turn it off; the press's tone and every draw of chance are the same.
    pub headlines: bool,
    /// Whether an instructor has paused the match: nobody may move until it resumes.
    pub paused: bool,
    /// Seconds each round's talks get, if an instructor set a limit.
    pub round_timer: Option<u32>,
    /// What an instructor did, each with the number of moves made before it.
    pub steering: Vec<super::steer::Steered>,
    /// Events produced by the action being applied.
    pub(crate) out: Vec<Event>,
    /// The commitments open in the state the last view was built in.
    pub(crate) open: super::view::OpenList,
}

/// Clamp a meter into 0..100.
pub fn clamp100(x: f32) -> f32 {
    x.clamp(0.0, 100.0)
}

impl Match {
    /// A new match on `scenario` with `seed`, at the start of round 1.
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Match {
        let side = |s: Side| {
            let d = scenario.side(s);
            let approval: Vec<f32> = d.factions.iter().map(|f| clamp100(f.approval)).collect();
            SideState {
                leader: d.leader.clone(),
                hardliner: false,
                approval_before: approval.clone(),
                approval,
                capital: d.capital.min(d.max_capital),
                economy: clamp100(d.economy),
                security: clamp100(d.security),
                gesture_used: false,
                implemented: false,
                statement: None,
                utility_sum: 0.0,
            }
        };
        let mut m = Match {
            seed,
            rng: Rng::new(seed),
            round: 0,
            stage: Stage::Negotiation,
            tension: clamp100(scenario.start.tension),
            trust: [
                clamp100(scenario.start.trust_a),
                clamp100(scenario.start.trust_b),
            ],
            phase: 0,
            phase_held: 0,
            sides: [side(Side::A), side(Side::B)],
            commitments: Vec::new(),
            next_id: 1,
            talks: Talks {
                turn: Side::A,
                exchanges_used: 0,
                pending: None,
                answers: None,
                agreed: false,
            },
            event: None,
            drawn: vec![0; scenario.events.len()],
            outlets: scenario
                .outlets
                .iter()
                .map(|o| OutletState {
                    tone: clamp100(o.tone),
                    front: Vec::new(),
                })
                .collect(),
            news: Vec::new(),
            breaches: Vec::new(),
            history: Vec::new(),
            log: Vec::new(),
            actions: Vec::new(),
            ending: None,
            bridge: None,
            dry_rounds: 0,
            headlines: true,
            paused: false,
            round_timer: None,
            steering: Vec::new(),
            broken_now: Vec::new(),
            out: Vec::new(),
            open: Default::default(),
            scenario,
        };
        m.phase = m.derive_phase();
        m.start_round();
        let first = std::mem::take(&mut m.out);
        m.log
            .extend(first.into_iter().map(|event| Logged { round: 1, event }));
        m
    }

    /// The level's epilogue for the way the match ended, if it wrote one.
    pub fn epilogue(&self) -> Option<&str> {
        let kind = self.ending?.kind();
        self.scenario.end.epilogues.get(&kind).map(String::as_str)
    }

    /// Per-side state.
    pub fn side(&self, s: Side) -> &SideState {
        &self.sides[s.idx()]
    }

    pub(crate) fn side_mut(&mut self, s: Side) -> &mut SideState {
        &mut self.sides[s.idx()]
    }

    /// Weighted approval of a side's factions, 0..100.
    pub fn approval(&self, s: Side) -> f32 {
        weighted_approval(&self.scenario, s, &self.side(s).approval)
    }

    /// Whether a measure is in force by either side.
    pub fn in_force(&self, measure: usize) -> bool {
        self.commitments.iter().any(|c| c.measure == measure)
    }

    /// Whether the measure is in force undertaken by `by`.
    pub fn in_force_by(&self, measure: usize, by: Side) -> bool {
        self.commitments
            .iter()
            .any(|c| c.measure == measure && c.by == by)
    }

    /// Number of treaty-term commitments in force.
    pub fn treaties(&self) -> u32 {
        self.commitments
            .iter()
            .filter(|c| matches!(c.term, Term::Treaty(_)))
            .count() as u32
    }

    /// The highest phase whose conditions hold now.
    pub fn derive_phase(&self) -> usize {
        let min_trust = self.trust[0].min(self.trust[1]);
        let mut best = 0;
        for (i, p) in self.scenario.phases.iter().enumerate() {
            let areas_ok = p.areas.iter().all(|a| {
                self.commitments
                    .iter()
                    .any(|c| self.scenario.measures[c.measure].area == *a)
            });
            if min_trust >= p.min_trust && self.tension <= p.max_tension && areas_ok {
                best = i;
            } else {
                break;
            }
        }
        best
    }

    /// Whether the match is over.
    pub fn is_over(&self) -> bool {
        self.ending.is_some()
    }

    pub(crate) fn emit(&mut self, e: Event) {
        self.out.push(e);
    }
}

/// Weighted approval of a side for given faction approvals.
pub fn weighted_approval(sc: &Scenario, s: Side, approval: &[f32]) -> f32 {
    weighted_factions(&sc.side(s).factions, approval)
}

/// Weighted approval of factions `f` at approvals `approval`.
pub fn weighted_factions(f: &[super::scenario::FactionDef], approval: &[f32]) -> f32 {
    let total: f32 = f.iter().map(|f| f.weight.max(0.0)).sum();
    if total <= 0.0 {
        return approval.iter().sum::<f32>() / approval.len().max(1) as f32;
    }
    f.iter()
        .zip(approval)
        .map(|(f, a)| f.weight.max(0.0) * a)
        .sum::<f32>()
        / total
}
