//! The scenario definition a level file describes. Pure data: the rules read it, never change it.
//! What is worked out from it once (the frontier, lookups, shared texts) lives in
//! [`super::derived`].

pub use super::derived::{Derived, FactionRates, Needs, SharedNames, rates_of};
pub use super::hash::{Fnv, FnvHasher};
use super::tuning::{
    DEFAULT_AI_DECEIT, DEFAULT_AI_FLEXIBILITY, DEFAULT_CLASH_AT, DEFAULT_INDEX,
    DEFAULT_MAX_CAPITAL, DEFAULT_OUSTER_BELOW, DEFAULT_RATIFY_AT, DEFAULT_REACH, DEFAULT_TONE,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One of the two negotiating states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Side {
    A,
    B,
}

impl Side {
    /// Both sides, A first.
    pub const BOTH: [Side; 2] = [Side::A, Side::B];

    /// The other state.
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }

    /// 0 for A, 1 for B: the index into per-side arrays.
    pub fn idx(self) -> usize {
        self as usize
    }
}

/// The seven issue areas every measure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Area {
    Concession,
    Economic,
    Security,
    Communication,
    Humanitarian,
    PeopleToPeople,
    Legal,
}

impl Area {
    /// All areas in display order.
    pub const ALL: [Area; 7] = [
        Area::Concession,
        Area::Economic,
        Area::Security,
        Area::Communication,
        Area::Humanitarian,
        Area::PeopleToPeople,
        Area::Legal,
    ];

    /// A readable label.
    pub fn label(self) -> &'static str {
        match self {
            Area::Concession => "Concessions",
            Area::Economic => "Economic deals",
            Area::Security => "Security guarantees",
            Area::Communication => "Communication",
            Area::Humanitarian => "Humanitarian",
            Area::PeopleToPeople => "People-to-people",
            Area::Legal => "Legal & institutional",
        }
    }
}

/// Who may undertake a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Party {
    /// Only state A.
    A,
    /// Only state B.
    B,
    /// Either state, each on its own.
    Either,
}

impl Party {
    /// Whether `side` may undertake a measure with this party.
    pub fn allows(self, side: Side) -> bool {
        matches!(
            (self, side),
            (Party::Either, _) | (Party::A, Side::A) | (Party::B, Side::B)
        )
    }
}

/// How long a commitment lasts once in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Term {
    /// A bare pledge: open-ended, but it may lapse when the leader who gave it falls.
    Pledge,
    /// Ends by itself after this many rounds.
    Sunset(u32),
    /// A treaty reviewed every this many rounds; it survives a change of leader,
    /// and at each review it is renewed only while the sides' trust holds.
    Treaty(u32),
}

impl Term {
    /// A short readable label.
    pub fn label(self) -> String {
        match self {
            Term::Pledge => "open pledge".into(),
            Term::Sunset(n) => format!("sunset after {n} rounds"),
            Term::Treaty(n) => format!("treaty, review every {n} rounds"),
        }
    }
}

/// The message types a public statement can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Statement {
    Reassure,
    Warn,
    AcknowledgeHarm,
    SharedInterest,
    Milestone,
}

impl Statement {
    /// All message types in display order.
    pub const ALL: [Statement; 5] = [
        Statement::Reassure,
        Statement::Warn,
        Statement::AcknowledgeHarm,
        Statement::SharedInterest,
        Statement::Milestone,
    ];

    /// A readable label.
    pub fn label(self) -> &'static str {
        match self {
            Statement::Reassure => "Reassure",
            Statement::Warn => "Warn",
            Statement::AcknowledgeHarm => "Acknowledge past harm",
            Statement::SharedInterest => "Appeal to shared interest",
            Statement::Milestone => "Announce a milestone",
        }
    }

    /// What the leader says, as the press quotes it in the `{statement}` slot.
    pub fn words(self) -> &'static str {
        match self {
            Statement::Reassure => "'We seek no quarrel, and we keep our word'",
            Statement::Warn => "'Our patience has limits'",
            Statement::AcknowledgeHarm => "'We acknowledge the wrongs of the past'",
            Statement::SharedInterest => "'What we share matters more than what divides us'",
            Statement::Milestone => "'Today we have taken a real step forward'",
        }
    }
}

/// Changes to the world, seen from one actor's side (the state that undertakes a measure,
/// answers an event, or is hit by it). Every field defaults to 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Effects {
    /// Shared tension, 0..100.
    pub tension: f32,
    /// The other state's trust in the actor.
    pub trust: f32,
    /// The actor's trust in the other state.
    pub own_trust: f32,
    /// The actor's economy index.
    pub economy: f32,
    /// The actor's security index.
    pub security: f32,
    /// The actor's political capital.
    pub capital: f32,
    /// The other state's economy index.
    pub other_economy: f32,
    /// The other state's security index.
    pub other_security: f32,
    /// Approval of every faction of the actor.
    pub approval: f32,
    /// Approval of the actor's factions scaled by how hawkish each is
    /// (positive pleases hawks and displeases doves).
    pub hawks: f32,
}

/// A verification option for a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// Readable name, e.g. "Joint monitoring".
    pub name: String,
    /// Chance, 0..1, that a broken commitment is caught in a round.
    pub detection: f32,
    /// Political capital the undertaking state pays once when the commitment is signed.
    #[serde(default)]
    pub cost: f32,
    /// Whether it needs the level's observers (a third party) to exist.
    #[serde(default)]
    pub needs_observers: bool,
}

/// A prerequisite for proposing a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Requirement {
    /// That measure must be in force (by either side).
    Measure(String),
    /// The relationship must have reached at least this phase.
    Phase(String),
}

/// One entry of the measures catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// Unique id used in files and actions.
    pub id: String,
    /// Readable name.
    pub name: String,
    /// Issue area.
    pub area: Area,
    /// Who may undertake it.
    pub by: Party,
    /// One or two sentences for the catalogue.
    #[serde(default)]
    pub description: String,
    /// Political capital the undertaking state spends when it is signed.
    #[serde(default)]
    pub cost: f32,
    /// Worth to the other state, before its priorities weigh it (0..10, typically 1..5).
    pub value: f32,
    /// Burden on the undertaking state, before its priorities weigh it (0..10).
    pub burden: f32,
    /// Effects per round while kept, from the undertaking state's side.
    #[serde(default)]
    pub effects: Effects,
    /// Effects once, when signed, from the undertaking state's side.
    #[serde(default)]
    pub on_sign: Effects,
    /// Verification options; the first is the default. An empty list means self-report only.
    #[serde(default)]
    pub verification: Vec<Verification>,
    /// Allowed terms; the first is the default. Empty means an open pledge only.
    #[serde(default)]
    pub terms: Vec<Term>,
    /// Prerequisites, all of which must hold.
    #[serde(default)]
    pub requires: Vec<Requirement>,
    /// Whether the undertaking state may withdraw it during talks.
    #[serde(default = "yes")]
    pub withdrawable: bool,
    /// Whether it can be made as a unilateral gesture.
    #[serde(default)]
    pub gesture: bool,
    /// What quietly breaking it gains the breaker per round (security, economy, capital).
    #[serde(default)]
    pub breach_gain: Effects,
    /// Where on the map it acts: the id of one of the map's places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// How the map draws it while in force; by its area when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<super::map::MeasureIcon>,
}

fn yes() -> bool {
    true
}

/// One domestic faction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactionDef {
    /// Unique id within its state.
    pub id: String,
    /// Readable name.
    pub name: String,
    /// Weight in the leader's overall approval (any positive number; normalised).
    pub weight: f32,
    /// Starting approval, 0..100.
    pub approval: f32,
    /// -1 (dovish) .. 1 (hawkish).
    #[serde(default)]
    pub hawkish: f32,
    /// Approval change per unit of burden when the own state undertakes a measure in an area.
    /// Negative for concessions this faction resents, positive for those it welcomes.
    #[serde(default)]
    pub gives: BTreeMap<Area, f32>,
    /// Approval change per unit of value when the other state undertakes a measure in an area.
    #[serde(default)]
    pub gets: BTreeMap<Area, f32>,
}

/// What happens when a leader falls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OnOuster {
    /// The match ends.
    Defeat,
    /// A successor takes over with the given name; factions reset part-way toward 50,
    /// the successor is a hardliner (the AI may take over that side).
    Successor(String),
}

/// One of the two states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideDef {
    /// Short id, e.g. "valdor".
    pub id: String,
    /// Full name, e.g. "Republic of Valdor".
    pub name: String,
    /// The leader at the start.
    pub leader: String,
    /// Private brief, shown only to this state's player.
    pub brief: String,
    /// Private priorities over areas (any non-negative weights; normalised).
    pub priorities: BTreeMap<Area, f32>,
    /// Domestic factions.
    pub factions: Vec<FactionDef>,
    /// Political capital at the start.
    pub capital: f32,
    /// Political capital regained each round.
    pub capital_per_round: f32,
    /// Cap on political capital.
    #[serde(default = "capital_cap")]
    pub max_capital: f32,
    /// Economy index at the start, 0..100.
    #[serde(default = "index_default")]
    pub economy: f32,
    /// Security index at the start, 0..100.
    #[serde(default = "index_default")]
    pub security: f32,
    /// A deal is ratified only when the weighted approval after it is at least this (0..100).
    #[serde(default = "ratify_default")]
    pub ratify_at: f32,
    /// The leader falls when weighted approval drops below this (0..100).
    #[serde(default = "ouster_default")]
    pub ouster_below: f32,
    /// What follows the leader's fall.
    #[serde(default = "defeat")]
    pub on_ouster: OnOuster,
}

fn capital_cap() -> f32 {
    DEFAULT_MAX_CAPITAL
}
fn index_default() -> f32 {
    DEFAULT_INDEX
}
fn ratify_default() -> f32 {
    DEFAULT_RATIFY_AT
}
fn ouster_default() -> f32 {
    DEFAULT_OUSTER_BELOW
}
fn defeat() -> OnOuster {
    OnOuster::Defeat
}

/// When an event card may be drawn. Every condition present must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Trigger {
    pub min_round: Option<u32>,
    pub max_round: Option<u32>,
    pub min_tension: Option<f32>,
    pub max_tension: Option<f32>,
    /// At least this phase reached.
    pub min_phase: Option<String>,
    /// At most this phase reached.
    pub max_phase: Option<String>,
    /// This measure is in force.
    pub measure_in_force: Option<String>,
    /// This measure is not in force.
    pub measure_absent: Option<String>,
}

/// Which state an event card strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    A,
    B,
    /// One of the two, drawn at random.
    Either,
    /// Both; each answers on its own.
    Both,
}

/// One answer a struck state may give to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    /// Unique id within the event.
    pub id: String,
    /// What the player reads on the button.
    pub label: String,
    /// Effects from the answering state's side.
    #[serde(default)]
    pub effects: Effects,
    /// Only available while this measure is in force (e.g. using the hotline).
    #[serde(default)]
    pub needs_measure: Option<String>,
    /// Political capital it costs.
    #[serde(default)]
    pub cost: f32,
}

/// One card of the event deck.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    pub id: String,
    pub title: String,
    /// What happened, shown on the card.
    pub text: String,
    /// Relative weight among the cards eligible this round.
    #[serde(default = "one")]
    pub weight: f32,
    /// Drawn at most once per match.
    #[serde(default)]
    pub once: bool,
    #[serde(default)]
    pub trigger: Trigger,
    /// Which state it strikes.
    pub target: Target,
    /// Effects on the struck state when drawn.
    #[serde(default)]
    pub effects: Effects,
    /// Answers to choose from; empty means no choice.
    #[serde(default)]
    pub responses: Vec<ResponseDef>,
}

fn one() -> f32 {
    1.0
}

/// A news outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutletDef {
    pub id: String,
    pub name: String,
    /// Whose press it is; `None` for the international press.
    #[serde(default)]
    pub side: Option<Side>,
    /// Starting tone, 0 (doom-laden) .. 100 (pragmatic).
    #[serde(default = "tone_default")]
    pub tone: f32,
    /// -1 (dovish) .. 1 (hawkish): how it spins what happens.
    #[serde(default)]
    pub slant: f32,
    /// 0..1: how much its tone moves its public's approval.
    #[serde(default = "reach_default")]
    pub reach: f32,
}

fn tone_default() -> f32 {
    DEFAULT_TONE
}
fn reach_default() -> f32 {
    DEFAULT_REACH
}

/// What a headline template is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NewsKind {
    Agreement,
    TalksFailed,
    Gesture,
    BreachCaught,
    Event,
    Statement,
    RatificationFailed,
    LeaderFell,
    PhaseChanged,
    Clash,
    Quiet,
}

impl NewsKind {
    /// The slots a template of this kind may use, besides the common ones.
    pub fn slots(self) -> &'static [&'static str] {
        match self {
            NewsKind::Agreement | NewsKind::Gesture | NewsKind::BreachCaught => {
                &["measure", "count"]
            }
            NewsKind::Event => &["event"],
            NewsKind::Statement => &["statement"],
            NewsKind::RatificationFailed => &["support"],
            NewsKind::LeaderFell => &["successor"],
            NewsKind::PhaseChanged => &["phase"],
            _ => &[],
        }
    }

    /// Slots every template may use.
    pub const COMMON_SLOTS: [&'static str; 6] =
        ["actor", "other", "leader", "outlet", "round", "tension"];
}

/// Spin of a headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Spin {
    Upbeat,
    Neutral,
    Grim,
}

/// A headline template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadlineDef {
    pub kind: NewsKind,
    /// Only this outlet uses it; otherwise any outlet.
    #[serde(default)]
    pub outlet: Option<String>,
    /// The spin it carries; outlets pick templates that match their reading of the news.
    #[serde(default = "neutral")]
    pub spin: Spin,
    /// Text with `{slot}` placeholders.
    pub text: String,
}

fn neutral() -> Spin {
    Spin::Neutral
}

/// A stage of the relationship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseDef {
    pub id: String,
    pub name: String,
    /// Both sides' trust must be at least this.
    #[serde(default)]
    pub min_trust: f32,
    /// Tension must be at most this.
    #[serde(default = "hundred")]
    pub max_tension: f32,
    /// At least one measure of each of these areas must be in force.
    #[serde(default)]
    pub areas: Vec<Area>,
}

/// No cap: tension never exceeds 100.
fn hundred() -> f32 {
    100.0
}

/// How the match can end besides the round limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndDef {
    /// Tension at or above which an armed clash ends the match.
    #[serde(default = "clash_default")]
    pub clash_at: f32,
    /// Normalization: this phase held for `hold_rounds` consecutive rounds...
    pub normalize_phase: String,
    pub hold_rounds: u32,
    /// ...with at least this many treaties in force.
    #[serde(default)]
    pub treaties: u32,
    /// The level's own closing text for each way the match can end, shown after it; an ending
    /// left out has none. Left out of the content hash while empty, so adding the field did not
    /// change the hash of levels without it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub epilogues: BTreeMap<EndingKind, String>,
}

/// The ways a match can end, as a level names them for its epilogues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EndingKind {
    /// The normalization condition was met.
    Normalization,
    /// An armed clash.
    Clash,
    /// A leader fell and the level ends the match then (`on_ouster: Defeat`), either state's.
    Ousted,
    /// The round limit came first.
    RoundLimit,
}

fn clash_default() -> f32 {
    DEFAULT_CLASH_AT
}

/// Personality of an AI counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Personality {
    Hawk,
    Dove,
    Reciprocator,
    Pragmatist,
}

/// Difficulty of an AI counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Difficulty {
    Easy,
    Normal,
    Hard,
}

/// The AI counterpart's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiDef {
    pub personality: Personality,
    pub difficulty: Difficulty,
    /// 0..1: how much of its aspiration it will give up by the last round.
    pub flexibility: f32,
    /// 0..1: how readily it quietly breaks a commitment when unobserved.
    pub deceit: f32,
}

impl Default for AiDef {
    fn default() -> Self {
        AiDef {
            personality: Personality::Pragmatist,
            difficulty: Difficulty::Normal,
            flexibility: DEFAULT_AI_FLEXIBILITY,
            deceit: DEFAULT_AI_DECEIT,
        }
    }
}

/// A neutral mediator who tables a bridging proposal when talks stall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediatorDef {
    pub name: String,
    /// Chance, 0..1, that the mediator steps in after a round with no agreement.
    pub chance: f32,
}

/// Starting shared meters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartDef {
    pub tension: f32,
    /// A's trust in B.
    pub trust_a: f32,
    /// B's trust in A.
    pub trust_b: f32,
}

/// A whole scenario as one level file describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique id.
    pub id: String,
    /// Title shown on the title screen.
    pub title: String,
    /// One-line summary for the level list.
    pub summary: String,
    /// Shared history, shown to both players.
    pub history: String,
    /// Round limit.
    pub rounds: u32,
    /// Offers plus counters allowed per round.
    pub exchanges: u32,
    /// Chance, 0..1, that an event card is drawn at the start of a round.
    pub event_chance: f32,
    pub start: StartDef,
    pub side_a: SideDef,
    pub side_b: SideDef,
    pub phases: Vec<PhaseDef>,
    pub measures: Vec<MeasureDef>,
    #[serde(default)]
    pub events: Vec<EventDef>,
    pub outlets: Vec<OutletDef>,
    pub headlines: Vec<HeadlineDef>,
    pub end: EndDef,
    #[serde(default)]
    pub ai: AiDef,
    /// Whether independent observers are available for verification.
    #[serde(default)]
    pub observers: Option<String>,
    #[serde(default)]
    pub mediator: Option<MediatorDef>,
    /// The region as a map; a plain two-state map is drawn when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<super::map::MapDef>,
    /// Work derived from the scenario once and shared by every match on it.
    #[serde(skip)]
    pub derived: Derived,
}

impl Scenario {
    /// The definition of one side.
    pub fn side(&self, side: Side) -> &SideDef {
        match side {
            Side::A => &self.side_a,
            Side::B => &self.side_b,
        }
    }

    /// Index of a phase by id.
    pub fn phase_index(&self, id: &str) -> Option<usize> {
        self.phases.iter().position(|p| p.id == id)
    }
}
