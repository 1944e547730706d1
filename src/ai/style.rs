//! How a counterpart is tuned: personality, difficulty and the level's own settings.

use crate::sim::scenario::{AiDef, Difficulty, Personality};

/// The numbers behind a personality at a difficulty.
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
    /// Caught breaches it lets pass before it retaliates.
    pub forgives: u32,
    /// Learns the other side's priorities from their offers and trades across areas.
    pub models: bool,
    /// Weighs how its own press will read a package.
    pub reads_press: bool,
    /// Chance of a careless, less-than-best choice (easy opponents make mistakes).
    pub noise: f32,
    /// Bargaining power a modeller claims: the exponent on its own gain in the product of
    /// gains it maximises (1 is the symmetric Nash point).
    pub power: f32,
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
                models: false,
                reads_press: false,
                noise: 0.0,
                power: 1.0,
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
                retaliates: false,
                forgives: u32::MAX,
                models: false,
                reads_press: false,
                noise: 0.0,
                power: 1.0,
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
                models: false,
                reads_press: false,
                noise: 0.0,
                power: 1.0,
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
                models: true,
                reads_press: true,
                noise: 0.0,
                power: 1.0,
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
            }
            Difficulty::Hard => {
                // Opens where an easy opponent would, so no season is wasted, but packs its
                // packages in its own favour and learns how far it can push.
                s.start_aspiration *= 0.8;
                s.generosity *= 0.7;
                s.noise = 0.0;
                s.models = true;
                s.power = 1.5;
            }
        }
        s
    }

    /// A short readable name, e.g. "Hawk (hard)".
    pub fn label(&self) -> String {
        format!("{:?} ({:?})", self.personality, self.difficulty)
    }
}
