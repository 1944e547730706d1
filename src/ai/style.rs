//! How a counterpart is tuned: personality, difficulty and the level's own settings.

use crate::sim::scenario::{AiDef, Difficulty, Personality};

/// The numbers and habits behind a personality at a difficulty, settled once so that decisions
/// read what a counterpart does rather than who it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub personality: Personality,
    pub difficulty: Difficulty,
    /// Concession exponent: below 1 concedes late (Boulware), above 1 early (Conceder).
    pub concede: f32,
    /// Share of its best attainable gain it asks at the start...
    pub start_aspiration: f32,
    /// ...and the share below which it never accepts (its reservation).
    pub floor: f32,
    /// Weight on the other side's estimated gain when building packages.
    pub generosity: f32,
    /// 0..1: readiness to quietly break a weakly verified commitment.
    pub deceit: f32,
    /// Opens with and answers unilateral gestures.
    pub gestures: bool,
    /// Mirrors the other side: gesture for gesture, breach for breach, warning for warning.
    pub mirrors: bool,
    /// Insists on the strongest verification for the other side's commitments.
    pub verify: bool,
    /// Withdraws a commitment of its own when the other side is caught cheating.
    pub retaliates: bool,
    /// Defections (caught breaches, withdrawals of kept commitments) it lets pass before it
    /// retaliates.
    pub forgives: u32,
    /// Share of its faith in the other side's word each defection leaves...
    pub scar: f32,
    /// ...and share of the faith lost that good conduct since can win back (never all of it).
    pub heals: f32,
    /// Learns the other side's priorities from their offers and trades across areas.
    pub models: bool,
    /// Weighs how its own press will read a package.
    pub reads_press: bool,
    /// Chance of a careless, less-than-best choice (easy opponents make mistakes).
    pub noise: f32,
    /// Bargaining power a modeller claims: the exponent on its own gain in the product of
    /// gains it maximises (1 is the symmetric Nash point).
    pub power: f32,
    /// Aspiration added in the first season, which is for opening positions.
    pub opening_firmness: f32,
    /// Aspiration added for each caught breach it retaliates for.
    pub hardens: f32,
    /// Tables bare demands, with nothing in them for the other side, when nothing that gives
    /// them something meets its aspiration.
    pub makes_demands: bool,
    /// How far its answers to event cards lean towards what hardliners want (below 0: away)...
    pub lean: f32,
    /// ...and how far once the other side has been caught more often than it forgives.
    pub lean_wronged: f32,
    /// Makes a gesture in the first round, unasked.
    pub gesture_first_round: bool,
    /// Makes a gesture, unasked, while the other side's trust is low, up to this round.
    pub gesture_when_distrusted_until: Option<u32>,
    /// Sends an offer it would sign back improved for both sides, with an exchange left.
    pub logrolls: bool,
    /// Aspiration learnt from each answer to its proposals: up when signed, down when refused.
    pub probe_step: f32,
    /// Lowers its reservation as tension nears the clash line.
    pub weighs_peril: bool,
    /// Comes down from its reservation while the other side's offers stand still.
    pub yields_to_standstill: bool,
    /// Chooses terms in its own favour (its burdens short, their promises lasting) and
    /// restates them on an offer it would otherwise sign.
    pub reads_fine_print: bool,
    /// After a refusal, tables a package that gives the other side more rather than the same.
    pub steps_away_from_refused: bool,
    /// Signs an offer at once when no package giving the other side what it claimed would give
    /// this side more.
    pub meets_their_claim: bool,
    /// Signs rather than close the season with a counter the other side would likely refuse.
    pub avoids_weak_last_word: bool,
    /// Breaks only commitments it would be caught breaking at most this often (any, if none).
    pub cheat_risk_limit: Option<f32>,
    /// 0..1: how far its aspiration moves toward the worth of a mediator's package on the table
    /// that clears its reservation (1: it settles for the mediator's package).
    pub mediator_pull: f32,
}

impl Style {
    /// Settings for a personality at a difficulty, adjusted by the level's `ai` block
    /// (`flexibility` widens the room to concede, `deceit` shifts the readiness to cheat).
    pub fn new(p: Personality, d: Difficulty, level: &AiDef) -> Style {
        let mut s = match p {
            Personality::Hawk => Style {
                personality: p,
                difficulty: d,
                concede: 0.25,
                start_aspiration: 0.95,
                floor: 0.45,
                generosity: 0.35,
                deceit: 0.35,
                gestures: false,
                mirrors: false,
                verify: true,
                retaliates: true,
                forgives: 0,
                scar: 0.35,
                heals: 0.2,
                models: false,
                reads_press: false,
                noise: 0.0,
                power: 1.0,
                opening_firmness: 0.15,
                hardens: 0.1,
                makes_demands: true,
                lean: 0.6,
                lean_wronged: 0.6,
                gesture_first_round: false,
                gesture_when_distrusted_until: None,
                logrolls: false,
                probe_step: 0.0,
                weighs_peril: false,
                yields_to_standstill: false,
                reads_fine_print: false,
                steps_away_from_refused: false,
                meets_their_claim: false,
                avoids_weak_last_word: false,
                cheat_risk_limit: None,
                mediator_pull: 0.25,
            },
            Personality::Dove => Style {
                personality: p,
                difficulty: d,
                concede: 2.5,
                start_aspiration: 0.6,
                floor: 0.1,
                generosity: 1.2,
                deceit: 0.02,
                gestures: true,
                mirrors: false,
                verify: false,
                retaliates: true,
                forgives: 2,
                scar: 0.7,
                heals: 0.6,
                models: false,
                reads_press: false,
                noise: 0.0,
                power: 1.0,
                opening_firmness: 0.0,
                hardens: 0.0,
                makes_demands: false,
                lean: -0.6,
                lean_wronged: -0.6,
                gesture_first_round: true,
                gesture_when_distrusted_until: Some(u32::MAX),
                logrolls: false,
                probe_step: 0.0,
                weighs_peril: false,
                yields_to_standstill: false,
                reads_fine_print: false,
                steps_away_from_refused: false,
                meets_their_claim: false,
                avoids_weak_last_word: false,
                cheat_risk_limit: None,
                mediator_pull: 1.0,
            },
            Personality::Reciprocator => Style {
                personality: p,
                difficulty: d,
                concede: 1.0,
                start_aspiration: 0.75,
                floor: 0.25,
                generosity: 0.8,
                deceit: 0.05,
                gestures: true,
                mirrors: true,
                verify: false,
                retaliates: true,
                forgives: 1,
                scar: 0.5,
                heals: 0.5,
                models: false,
                reads_press: false,
                noise: 0.0,
                power: 1.0,
                opening_firmness: 0.15,
                hardens: 0.0,
                makes_demands: false,
                lean: 0.0,
                lean_wronged: 0.4,
                gesture_first_round: true,
                gesture_when_distrusted_until: None,
                logrolls: false,
                probe_step: 0.0,
                weighs_peril: false,
                yields_to_standstill: false,
                reads_fine_print: false,
                steps_away_from_refused: false,
                meets_their_claim: false,
                avoids_weak_last_word: false,
                cheat_risk_limit: None,
                mediator_pull: 0.5,
            },
            Personality::Pragmatist => Style {
                personality: p,
                difficulty: d,
                concede: 0.7,
                start_aspiration: 0.8,
                floor: 0.3,
                generosity: 0.9,
                deceit: 0.1,
                gestures: true,
                mirrors: false,
                verify: false,
                retaliates: true,
                forgives: 1,
                scar: 0.5,
                heals: 0.4,
                models: true,
                reads_press: true,
                noise: 0.0,
                power: 1.0,
                opening_firmness: 0.15,
                hardens: 0.0,
                makes_demands: false,
                lean: 0.0,
                lean_wronged: 0.0,
                gesture_first_round: false,
                gesture_when_distrusted_until: Some(3),
                logrolls: false,
                probe_step: 0.0,
                weighs_peril: false,
                yields_to_standstill: false,
                reads_fine_print: false,
                steps_away_from_refused: false,
                meets_their_claim: false,
                avoids_weak_last_word: false,
                cheat_risk_limit: None,
                mediator_pull: 0.6,
            },
        };
        let flex = level.flexibility.clamp(0.0, 1.0);
        s.floor *= 1.5 - flex;
        s.deceit = ((s.deceit + level.deceit.clamp(0.0, 1.0)) / 2.0).min(1.0);
        match d {
            Difficulty::Easy => {
                s.start_aspiration *= 0.75;
                s.floor *= 0.5;
                s.generosity *= 1.5;
                s.noise = 0.3;
                s.models = false;
            }
            Difficulty::Normal => {
                // A plain hand: no model of the other side, a little carelessness, and an
                // opening pitched short of its ideal so talks can start.
                s.start_aspiration *= 0.85;
                s.noise = 0.1;
                s.probe_step = 0.02;
                s.weighs_peril = true;
            }
            Difficulty::Hard => {
                // Opens where an easy opponent would, so no season is wasted, but packs its
                // packages in its own favour and learns how far it can push.
                s.start_aspiration *= 0.8;
                s.generosity *= 0.7;
                s.noise = 0.0;
                s.models = true;
                s.power = 1.5;
                s.probe_step = 0.05;
                s.weighs_peril = true;
                s.reads_fine_print = true;
                s.steps_away_from_refused = true;
                s.meets_their_claim = true;
                s.avoids_weak_last_word = true;
                // It cheats only where it is unlikely to be caught.
                s.cheat_risk_limit = Some(0.2);
                // A hawk concedes late and little; a sharp one knows that when the other side
                // stands still, the status quo is the only alternative.
                s.yields_to_standstill = p == Personality::Hawk;
            }
        }
        // Only a pragmatist with a model of the other side looks for a better deal for both.
        s.logrolls = s.models && p == Personality::Pragmatist;
        s
    }

    /// A short readable name, e.g. "Hawk (hard)".
    pub fn label(&self) -> String {
        format!("{:?} ({:?})", self.personality, self.difficulty)
    }
}
