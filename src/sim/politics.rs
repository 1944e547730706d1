//! The home front: factions' reactions, ratification, statements and the leader's survival.

use super::action::Item;
use super::event::{EndReason, Ending, Event};
use super::scenario::{
    FactionRates, MeasureDef, NewsKind, OnOuster, Scenario, Side, Statement, Term,
};
use super::state::{Match, News, Subject, clamp100, weighted_approval};
use super::tuning::{
    ACKNOWLEDGE_HARM_EFFECT, FACTION_DRIFT, FEAR_SPAN, HARDLINER_RATIFY_MARGIN, LEADER_FELL_STORY,
    MILESTONE_DELIVERED_EFFECT, MILESTONE_EMPTY_EFFECT, NEUTRAL_TENSION, NEUTRAL_TONE,
    PARTISAN_DEAFNESS, PLEDGE_LAPSE_CHANCE, PRESS_SWAY, REASSURE_EFFECT, SHARED_INTEREST_EFFECT,
    STATEMENT_STORY_WEIGHT, STATEMENT_VALENCE_SCALE, SUCCESSION_TENSION, SUCCESSOR_APPROVAL_FLOOR,
    StatementEffect, WARN_EFFECT,
};

/// Approval change of each of `side`'s factions if `items` are signed.
pub fn package_reaction(sc: &Scenario, side: Side, items: &[Item]) -> Vec<f32> {
    let resolved: Vec<(&MeasureDef, bool)> = items
        .iter()
        .filter_map(|it| {
            sc.measure_index(&it.measure)
                .map(|i| (&sc.measures[i], it.by == side))
        })
        .collect();
    reactions_to(sc.faction_rates(side), &resolved)
}

/// Approval change of each faction (by its reaction tables) to commitments given as (measure,
/// undertaken by the faction's own side).
pub fn reactions_to(rates: &[FactionRates], items: &[(&MeasureDef, bool)]) -> Vec<f32> {
    rates
        .iter()
        .map(|r| items.iter().map(|(m, own)| reaction(r, m, *own)).sum())
        .collect()
}

/// One faction's approval change to one commitment: what it minds its own side giving, or
/// welcomes its side receiving, in the measure's area.
pub fn reaction((gives, gets): &FactionRates, m: &MeasureDef, own: bool) -> f32 {
    let a = m.area as usize;
    if own {
        gives[a] * m.burden
    } else {
        gets[a] * m.value
    }
}

/// Share of statement effects: how a message moves the sender's factions and the other's trust.
/// Returns (other side's trust, tension, approval for all, approval scaled by hawkishness).
pub fn statement_effects(st: Statement, delivered: bool) -> StatementEffect {
    match st {
        Statement::Reassure => REASSURE_EFFECT,
        Statement::Warn => WARN_EFFECT,
        Statement::AcknowledgeHarm => ACKNOWLEDGE_HARM_EFFECT,
        Statement::SharedInterest => SHARED_INTEREST_EFFECT,
        Statement::Milestone if delivered => MILESTONE_DELIVERED_EFFECT,
        Statement::Milestone => MILESTONE_EMPTY_EFFECT,
    }
}

impl Match {
    /// Weighted approval `side` would have after signing `items`, 0..100.
    pub fn support_after(&self, side: Side, items: &[Item]) -> f32 {
        let delta = package_reaction(&self.scenario, side, items);
        let after: Vec<f32> = self
            .side(side)
            .approval
            .iter()
            .zip(&delta)
            .map(|(a, d)| clamp100(a + d))
            .collect();
        weighted_approval(&self.scenario, side, &after)
    }

    /// Ratification threshold for a side (a hardline successor is harder to convince).
    pub fn ratify_at(&self, side: Side) -> f32 {
        let base = self.scenario.side(side).ratify_at;
        if self.side(side).hardliner {
            base + HARDLINER_RATIFY_MARGIN
        } else {
            base
        }
    }

    /// Apply the factions' reaction to a signed package.
    pub(crate) fn react_to_package(&mut self, items: &[Item]) {
        for s in Side::BOTH {
            let delta = package_reaction(&self.scenario, s, items);
            for (a, d) in self.side_mut(s).approval.iter_mut().zip(delta) {
                *a = clamp100(*a + d);
            }
        }
    }

    /// The season's public statements take effect.
    pub(crate) fn apply_statements(&mut self) {
        for s in Side::BOTH {
            let Some(st) = self.side(s).statement else {
                continue;
            };
            let (trust, tension, all, hawks) = statement_effects(st, self.talks.agreed);
            let o = s.other().idx();
            self.trust[o] = clamp100(self.trust[o] + trust);
            self.tension = clamp100(self.tension + tension);
            let hawkish: Vec<f32> = self
                .scenario
                .side(s)
                .factions
                .iter()
                .map(|f| f.hawkish)
                .collect();
            for (a, h) in self.side_mut(s).approval.iter_mut().zip(hawkish) {
                *a = clamp100(*a + all + hawks * h);
            }
            self.emit(Event::StatementMade {
                side: s,
                statement: st,
            });
            let valence = trust / STATEMENT_VALENCE_SCALE;
            self.news.push(News {
                kind: NewsKind::Statement,
                actor: s,
                subject: Subject::Actor,
                valence,
                weight: STATEMENT_STORY_WEIGHT,
                slots: vec![("statement", st.words().into())],
                actor_slots: Default::default(),
                concession: Side::BOTH.map(|x| x == s && st == Statement::AcknowledgeHarm),
            });
        }
    }

    /// Factions drift back toward where they started, feel the tension, and read their press.
    pub(crate) fn home_front_drift(&mut self) {
        for s in Side::BOTH {
            let tension = self.tension;
            let tones: Vec<(f32, f32)> = self
                .scenario
                .outlets
                .iter()
                .zip(&self.outlets)
                .filter(|(d, _)| d.side.is_none() || d.side == Some(s))
                .map(|(d, o)| (o.tone, d.reach.clamp(0.0, 1.0)))
                .collect();
            let press: f32 = tones
                .iter()
                .map(|(t, r)| (t - NEUTRAL_TONE) / NEUTRAL_TONE * r * PRESS_SWAY)
                .sum::<f32>()
                / tones.len().max(1) as f32;
            let sc = &*self.scenario;
            let st = &mut self.sides[s.idx()];
            for (a, f) in st.approval.iter_mut().zip(&sc.side(s).factions) {
                let drift = (f.approval - *a) * FACTION_DRIFT;
                let fear = f.hawkish * (tension - NEUTRAL_TENSION) / FEAR_SPAN;
                let read = press * (1.0 - PARTISAN_DEAFNESS * f.hawkish.abs());
                *a = clamp100(*a + drift + fear + read);
            }
        }
    }

    /// A leader below the level's threshold falls.
    pub(crate) fn check_ouster(&mut self) {
        for s in Side::BOTH {
            if self.ending.is_some() {
                return;
            }
            if self.approval(s) >= self.scenario.side(s).ouster_below {
                continue;
            }
            let def = self.scenario.side(s).clone();
            match (&def.on_ouster, self.side(s).hardliner) {
                (OnOuster::Successor(name), false) => {
                    let fallen = self.side(s).leader.clone();
                    let st = self.side_mut(s);
                    st.leader = name.clone();
                    st.hardliner = true;
                    st.capital = def.capital.min(def.max_capital);
                    for (a, f) in st.approval.iter_mut().zip(&def.factions) {
                        *a = clamp100((*a + f.approval.max(SUCCESSOR_APPROVAL_FLOOR)) / 2.0);
                    }
                    // Bare pledges go with the leader who gave them; treaties outlast leaders.
                    let mut lapsed = Vec::new();
                    let mut i = 0;
                    while i < self.commitments.len() {
                        let c = &self.commitments[i];
                        if c.by == s
                            && c.term == Term::Pledge
                            && self.rng.chance(PLEDGE_LAPSE_CHANCE)
                        {
                            lapsed.push(self.commitments.remove(i));
                        } else {
                            i += 1;
                        }
                    }
                    for c in lapsed {
                        let measure = self.scenario.measures[c.measure].name.clone();
                        self.emit(Event::CommitmentEnded {
                            side: s,
                            commitment: c.id,
                            measure,
                            reason: EndReason::Lapsed,
                        });
                    }
                    self.tension = clamp100(self.tension + SUCCESSION_TENSION);
                    self.emit(Event::LeaderFell {
                        side: s,
                        successor: Some(name.clone()),
                    });
                    self.news.push(News {
                        kind: NewsKind::LeaderFell,
                        actor: s,
                        subject: Subject::Actor,
                        valence: LEADER_FELL_STORY.valence,
                        weight: LEADER_FELL_STORY.weight,
                        slots: vec![("successor", name.clone()), ("leader", fallen)],
                        actor_slots: Default::default(),
                        concession: [false; 2],
                    });
                }
                _ => {
                    self.emit(Event::LeaderFell {
                        side: s,
                        successor: None,
                    });
                    self.news.push(News {
                        kind: NewsKind::LeaderFell,
                        actor: s,
                        subject: Subject::Actor,
                        valence: LEADER_FELL_STORY.valence,
                        weight: LEADER_FELL_STORY.weight,
                        slots: vec![("successor", "no one".into())],
                        actor_slots: Default::default(),
                        concession: [false; 2],
                    });
                    self.ending = Some(Ending::Ousted(s));
                }
            }
        }
    }
}
