//! Every tuning number of the rules, in one place, so the game's balance can be read and changed
//! without hunting through the code. What differs from level to level is in the level file; the
//! defaults it may leave out are at the end. Meters run 0..100 (tension, trust, approval, tone)
//! and chances 0..1.

// Tension and trust

/// Tension rises this much each round by itself: the security dilemma does not rest.
pub const TENSION_DRIFT: f32 = 1.0;
/// A caught breach costs this much of the other side's trust: large enough that one scandal
/// undoes several rounds of kept promises...
pub const CAUGHT_TRUST: f32 = 15.0;
/// ...and adds this much tension.
pub const CAUGHT_TENSION: f32 = 8.0;
/// Trust lost when a commitment is withdrawn: an open exit, cheaper than a caught breach.
pub const WITHDRAW_TRUST: f32 = 5.0;
/// Detection when no verification is chosen: the other side notices only by chance, so
/// verification is worth paying for.
pub const SELF_REPORT_DETECTION: f32 = 0.1;
/// Minimum trust (both ways) for a treaty to be renewed at review: institutions outlast leaders,
/// not a collapse of trust.
pub const TREATY_RENEWAL_TRUST: f32 = 25.0;

// Talks

/// Most commitments one offer may hold: keeps packages readable at the table and the
/// counterparts' search over them bounded.
pub const MAX_ITEMS: usize = 8;
/// Rounds in a row without an agreement before the mediator may table a bridging package: it
/// steps in when talks stall, not at the first setback.
pub const MEDIATOR_DRY_ROUNDS: u32 = 2;

// Ratification

/// How much more support a hardline successor needs to ratify than the level's `ratify_at`: the
/// fall of a leader makes the next deal harder.
pub const HARDLINER_RATIFY_MARGIN: f32 = 5.0;
/// Approval every faction of a side loses when its parliament rejects a signed package...
pub const FAILED_RATIFICATION_APPROVAL: f32 = 3.0;
/// ...the political capital its leader loses...
pub const FAILED_RATIFICATION_CAPITAL: f32 = 2.0;
/// ...and the trust the other side loses in it: a deal that cannot be delivered at home is costly
/// to offer or accept.
pub const FAILED_RATIFICATION_TRUST: f32 = 3.0;

// Public statements

/// What a statement does when the round ends: (the other side's trust in the sender, tension,
/// approval of every faction of the sender, approval scaled by each faction's hawkishness).
pub type StatementEffect = (f32, f32, f32, f32);
/// Reassurance: a little trust and calm, which hawks mind.
pub const REASSURE_EFFECT: StatementEffect = (2.0, -1.0, 0.0, -1.0);
/// A warning: pleases hawks at the price of trust and tension.
pub const WARN_EFFECT: StatementEffect = (-3.0, 3.0, 0.0, 3.0);
/// Acknowledging past harm: the most trust a word can buy, paid for by the hawks at home.
pub const ACKNOWLEDGE_HARM_EFFECT: StatementEffect = (5.0, -1.0, -1.0, -4.0);
/// An appeal to shared interest: cheap, mild, liked by everyone a little.
pub const SHARED_INTEREST_EFFECT: StatementEffect = (1.0, 0.0, 1.0, 0.0);
/// A milestone announced in a round a deal was signed: the public likes results.
pub const MILESTONE_DELIVERED_EFFECT: StatementEffect = (1.0, -1.0, 3.0, 0.0);
/// A milestone announced with nothing signed: empty claims cost credibility at home and abroad.
pub const MILESTONE_EMPTY_EFFECT: StatementEffect = (-1.0, 0.0, -2.0, 0.0);

// Leaders

/// Chance that each of a side's open pledges lapses when its leader falls to a successor: bare
/// pledges go with the leader who gave them, treaties do not.
pub const PLEDGE_LAPSE_CHANCE: f32 = 0.5;
/// Tension added when a leader falls to a successor: a change of power unsettles the neighbour.
pub const SUCCESSION_TENSION: f32 = 5.0;
/// A successor's factions start halfway between their approval at the fall and their starting
/// approval raised to at least this: a new leader gets a partial honeymoon.
pub const SUCCESSOR_APPROVAL_FLOOR: f32 = 50.0;

// The home front

/// Share of the gap to its starting approval a faction closes each round: moods fade, so one
/// deal does not buy support for ever.
pub const FACTION_DRIFT: f32 = 0.05;
/// Tension at which factions feel neither fear nor comfort and the press is not pulled either
/// way.
pub const NEUTRAL_TENSION: f32 = 50.0;
/// Tension above [`NEUTRAL_TENSION`] that moves a fully hawkish faction's approval by one point a
/// round (up for hawks, down for doves): high tension pleases hawks and frightens doves.
pub const FEAR_SPAN: f32 = 25.0;
/// Approval a centrist faction gains per round when every outlet it reads is at full reach and
/// fully upbeat (loses when fully grim).
pub const PRESS_SWAY: f32 = 1.5;
/// A neutral tone; tone is read as its distance from this over this, -1..1.
pub const NEUTRAL_TONE: f32 = 50.0;
/// How much less the press sways the most partisan factions (hawkishness ±1) than a centrist one:
/// partisans trust their own reading.
pub const PARTISAN_DEAFNESS: f32 = 0.5;

// The press

/// Most headlines an outlet prints per round.
pub const FRONT_PAGE: usize = 2;
/// A partisan outlet covers the other side's stories only from this weight up: the home press
/// reports its own side and the big news.
pub const FOREIGN_STORY_WEIGHT: f32 = 2.0;
/// How much darker a hawkish outlet reads the other side's caught breach, per unit of slant.
pub const HOSTILE_BREACH_SLANT: f32 = 0.3;
/// Tone points a story of weight [`TONE_SHIFT_WEIGHT`] moves its outlet per unit of reading.
pub const TONE_SHIFT: f32 = 6.0;
/// The story weight at which a reading moves tone by exactly [`TONE_SHIFT`].
pub const TONE_SHIFT_WEIGHT: f32 = 2.0;
/// Story weight beyond which a story moves tone no further: one clash should not fix the press's
/// mood for the rest of the match.
pub const STORY_WEIGHT_CAP: f32 = 4.0;
/// An outlet's reading beyond ± this makes an upbeat or grim headline; within it, a neutral one.
pub const SPIN_THRESHOLD: f32 = 0.2;
/// Tone lost per round per point of tension above [`NEUTRAL_TENSION`] (gained below it).
pub const PRESS_TENSION_PULL: f32 = 0.05;
/// Share of the gap to a neutral tone an outlet closes each round: the news cycle forgets.
pub const TONE_RECOVERY: f32 = 0.03;
/// Chance an outlet prints a template written for it when one fits: outlets keep their voice
/// without repeating themselves every round.
pub const OWN_VOICE_CHANCE: f32 = 0.7;

/// How a kind of story reads for peace (`valence`, -1..1, before an outlet's slant) and how big
/// it is (`weight`: bigger stories lead the front page, reach the other side's press and move
/// tone more).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Story {
    pub valence: f32,
    pub weight: f32,
}

/// A unilateral gesture.
pub const GESTURE_STORY: Story = Story {
    valence: 0.5,
    weight: 2.0,
};
/// A signed agreement, before what each of its commitments adds...
pub const AGREEMENT_STORY: Story = Story {
    valence: 0.6,
    weight: 3.0,
};
/// ...per commitment: a bigger deal is bigger and better news.
pub const AGREEMENT_STORY_PER_ITEM: Story = Story {
    valence: 0.05,
    weight: 0.5,
};
/// Talks that ended without agreement after at least one offer.
pub const TALKS_FAILED_STORY: Story = Story {
    valence: -0.4,
    weight: 1.5,
};
/// A parliament rejecting a signed package.
pub const RATIFICATION_FAILED_STORY: Story = Story {
    valence: -0.5,
    weight: 4.0,
};
/// A caught breach: a scandal.
pub const BREACH_CAUGHT_STORY: Story = Story {
    valence: -0.8,
    weight: 4.5,
};
/// The relationship moving up a phase (the valence turns negative for a step back).
pub const PHASE_CHANGED_STORY: Story = Story {
    valence: 0.7,
    weight: 3.5,
};
/// A leader's fall.
pub const LEADER_FELL_STORY: Story = Story {
    valence: -0.6,
    weight: 5.0,
};
/// An armed clash: the biggest story there is.
pub const CLASH_STORY: Story = Story {
    valence: -1.0,
    weight: 10.0,
};
/// A round with no news: filler that moves nobody.
pub const QUIET_STORY: Story = Story {
    valence: 0.0,
    weight: 0.5,
};
/// A public statement's weight; its valence is its effect on trust over
/// [`STATEMENT_VALENCE_SCALE`].
pub const STATEMENT_STORY_WEIGHT: f32 = 1.0;
/// The trust effect of a statement that reads as fully upbeat news (acknowledging past harm).
pub const STATEMENT_VALENCE_SCALE: f32 = 5.0;
/// An event card's weight; its valence is its trust effect minus its tension effect, each over
/// [`EVENT_VALENCE_SCALE`].
pub const EVENT_STORY_WEIGHT: f32 = 2.5;
/// The effect of an event card on trust or tension that reads as fully good or bad news.
pub const EVENT_VALENCE_SCALE: f32 = 10.0;

// Scores

/// Stability points per point of calm (100 − tension)...
pub const STABILITY_CALM_WEIGHT: f32 = 0.4;
/// ...per point of mean trust...
pub const STABILITY_TRUST_WEIGHT: f32 = 0.4;
/// ...and for reaching the level's last phase (in proportion to the phases climbed), so that
/// calm, trust and a mature relationship each count.
pub const STABILITY_PHASE_POINTS: f32 = 20.0;
/// Share of its utility a side keeps when its leader falls for good: losing power at home is a
/// defeat, but what was achieved abroad still counts for something.
pub const OUSTED_UTILITY_SHARE: f32 = 0.5;
/// Weights between the two sides swept to find a level's frontier: it is worked out once per
/// level, so it can afford a fine sweep.
pub const FRONTIER_STEPS: usize = 200;
/// Weights swept for the frontier of the deals open at one moment: coarser, as it is worked out
/// afresh for every deal the debrief and the tournament judge.
pub const SESSION_FRONTIER_STEPS: usize = 60;
/// Added to a commitment's share of its payer's budget when packing the frontier by worth per
/// cost, so commitments that cost nothing rank by worth instead of all ranking infinitely high.
pub const LOAD_FLOOR: f32 = 0.02;

// Level defaults: what a level file may leave out

/// A side's cap on political capital.
pub const DEFAULT_MAX_CAPITAL: f32 = 30.0;
/// A side's starting economy and security indices: the middle of the scale.
pub const DEFAULT_INDEX: f32 = 50.0;
/// The weighted approval a deal needs to be ratified.
pub const DEFAULT_RATIFY_AT: f32 = 40.0;
/// The weighted approval below which a leader falls.
pub const DEFAULT_OUSTER_BELOW: f32 = 25.0;
/// An outlet's starting tone: neither doom-laden nor pragmatic.
pub const DEFAULT_TONE: f32 = 50.0;
/// How much an outlet's tone moves its public.
pub const DEFAULT_REACH: f32 = 0.5;
/// The tension at which an armed clash ends the match: the top of the scale.
pub const DEFAULT_CLASH_AT: f32 = 100.0;
/// How much of its aspiration the computer counterpart gives up by the last round.
pub const DEFAULT_AI_FLEXIBILITY: f32 = 0.5;
/// How readily the computer counterpart quietly breaks a commitment when unobserved.
pub const DEFAULT_AI_DECEIT: f32 = 0.2;
