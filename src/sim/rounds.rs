//! The round: the one entry point that applies an action, and the stages it moves through.

use super::action::{Action, ActionError, Item, Offer};
use super::event::{EndReason, Ending, Event, Logged};
use super::measures::{detection, verification_name};
use super::scenario::{NewsKind, Side, Term};
use super::state::{Match, News, Snapshot, Stage, Subject, clamp100};
use super::tuning::{
    BREACH_CAUGHT_STORY, CLASH_STORY, GESTURE_STORY, MAX_ITEMS, MEDIATOR_DRY_ROUNDS,
    PHASE_CHANGED_STORY, TALKS_FAILED_STORY,
};
pub use super::tuning::{
    CAUGHT_TENSION, CAUGHT_TRUST, TENSION_DRIFT, TREATY_RENEWAL_TRUST, WITHDRAW_TRUST,
};
use serde::{Deserialize, Serialize};

/// What a side is being asked to do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Need {
    /// Answer the event card.
    Respond,
    /// Make an offer, a gesture, or end the talks.
    Propose,
    /// Accept, reject or counter the offer on the table.
    Answer,
    /// Keep or break its commitments.
    Implement,
}

impl Match {
    /// Apply one action. On error nothing changes; on success the events it caused are returned
    /// (and kept in the match log).
    pub fn apply(&mut self, action: Action) -> Result<Vec<Event>, ActionError> {
        let start = self.log.len();
        self.apply_quiet(action)?;
        Ok(self.log[start..].iter().map(|l| l.event.clone()).collect())
    }

    /// Apply one action and keep what it caused only in the match log (no copy is returned).
    pub fn apply_quiet(&mut self, action: Action) -> Result<(), ActionError> {
        if self.ending.is_some() {
            return Err(ActionError::MatchOver);
        }
        self.out.clear();
        let mut round = self.round;
        self.dispatch(&action)?;
        self.advance();
        self.actions.push(action);
        // Each event belongs to the round it happened in: the home front of a round is logged
        // under that round, not under the next one it starts.
        let out = std::mem::take(&mut self.out);
        self.log.extend(out.into_iter().map(|event| {
            if let Event::RoundStarted { round: r } = event {
                round = r;
            }
            Logged { round, event }
        }));
        Ok(())
    }

    /// Whether `action` would be accepted now, without applying it (for greying out buttons).
    pub fn check(&self, action: &Action) -> Result<(), ActionError> {
        super::rules::check(self, action)
    }

    /// Who must act now, and what they are asked to do.
    pub fn needs(&self) -> Vec<(Side, Need)> {
        if self.paused {
            return Vec::new();
        }
        self.owed()
    }

    /// The first of [`Match::needs`] whose side `pick` accepts, without building the list (the
    /// table asks before every move).
    pub fn first_need(&self, mut pick: impl FnMut(Side) -> bool) -> Option<(Side, Need)> {
        if self.paused {
            return None;
        }
        let mut found = None;
        self.each_owed(|s, n| {
            if pick(s) {
                found = Some((s, n));
                return true;
            }
            false
        });
        found
    }

    /// Each of [`Match::needs`], in order, without building the list.
    pub(crate) fn each_need(&self, mut f: impl FnMut(Side, Need)) {
        if !self.paused {
            self.each_owed(|s, n| {
                f(s, n);
                false
            });
        }
    }

    /// Who owes a move at this stage, paused or not.
    fn owed(&self) -> Vec<(Side, Need)> {
        let mut v = Vec::new();
        self.each_owed(|s, n| {
            v.push((s, n));
            false
        });
        v
    }

    /// Whether anyone owes a move at this stage, paused or not.
    fn owes_any(&self) -> bool {
        self.each_owed(|_, _| true)
    }

    /// Each move owed at this stage, in order, until `f` says stop; whether it did.
    fn each_owed(&self, mut f: impl FnMut(Side, Need) -> bool) -> bool {
        match self.stage {
            Stage::Ended => false,
            Stage::Events => self.event.as_ref().is_some_and(|ev| {
                ev.struck
                    .iter()
                    .any(|&s| ev.answered[s.idx()].is_none() && f(s, Need::Respond))
            }),
            Stage::Negotiation => {
                let need = if self.talks.pending.is_some() {
                    Need::Answer
                } else {
                    Need::Propose
                };
                f(self.talks.turn, need)
            }
            Stage::Implementation => Side::BOTH
                .into_iter()
                .any(|s| !self.side(s).implemented && f(s, Need::Implement)),
        }
    }

    /// Check the move with the one set of rules every seat asks, then carry it out.
    fn dispatch(&mut self, action: &Action) -> Result<(), ActionError> {
        super::rules::check(&*self, action)?;
        match action {
            Action::Respond { side, response } => self.respond(*side, response),
            Action::Propose { side, offer } => self.propose(*side, offer, false),
            Action::Counter { side, offer } => self.propose(*side, offer, true),
            Action::Accept { side } => {
                let (from, offer) = self
                    .talks
                    .pending
                    .take()
                    .expect("checked: an offer is pending");
                self.emit(Event::OfferAccepted { side: *side });
                self.ratify_and_sign(from, &offer);
                self.end_talks(None);
            }
            Action::Reject { side } => {
                self.talks.pending = None;
                self.emit(Event::OfferRejected { side: *side });
                if self.talks.exchanges_used >= self.scenario.exchanges {
                    self.end_talks(None);
                }
            }
            Action::Gesture {
                side,
                measure,
                verification,
            } => self.gesture(*side, measure, *verification),
            Action::Withdraw { side, commitment } => self.withdraw(*side, *commitment),
            Action::EndTalks { side } => self.end_talks(Some(*side)),
            Action::Implement { side, breaks } => self.implement(*side, breaks),
        }
        Ok(())
    }

    fn propose(&mut self, side: Side, offer: &Offer, counter: bool) {
        if counter {
            self.emit(Event::OfferRejected { side });
        }
        self.talks.exchanges_used += 1;
        let answered = self.talks.pending.replace((side, offer.clone()));
        self.talks.answers = answered.filter(|_| counter).map(|(_, o)| o);
        self.talks.turn = side.other();
        self.side_mut(side).statement = Some(offer.statement);
        self.emit(Event::OfferMade {
            side,
            offer: offer.clone(),
            counter,
        });
    }

    fn gesture(&mut self, side: Side, measure: &str, verification: Option<usize>) {
        let items = [
            super::rules::gesture_item(&*self, side, measure, verification)
                .expect("checked before carrying out"),
        ];
        let ids = self.sign(&items, true);
        self.side_mut(side).gesture_used = true;
        let name = self.scenario.measures[self.commitments.last().map_or(0, |c| c.measure)]
            .name
            .clone();
        self.emit(Event::GestureMade {
            side,
            measure: name.clone(),
            commitment: ids[0],
        });
        self.news.push(News {
            kind: NewsKind::Gesture,
            actor: side,
            subject: Subject::Actor,
            valence: GESTURE_STORY.valence,
            weight: GESTURE_STORY.weight,
            slots: vec![("measure", name), ("count", "1".into())],
            actor_slots: Default::default(),
            concession: Side::BOTH.map(|s| s == side),
        });
    }

    fn withdraw(&mut self, side: Side, id: u32) {
        let pos = self
            .commitments
            .iter()
            .position(|c| c.id == id && c.by == side)
            .expect("checked before carrying out");
        let m = &self.scenario.measures[self.commitments[pos].measure];
        let name = m.name.clone();
        self.commitments.remove(pos);
        let o = side.other().idx();
        self.trust[o] = clamp100(self.trust[o] - WITHDRAW_TRUST);
        self.emit(Event::CommitmentEnded {
            side,
            commitment: id,
            measure: name,
            reason: EndReason::Withdrawn,
        });
    }

    fn end_talks(&mut self, by: Option<Side>) {
        let agreed = self.talks.agreed;
        self.emit(Event::TalksEnded { by, agreed });
        if !agreed && self.talks.exchanges_used > 0 {
            self.news.push(News {
                kind: NewsKind::TalksFailed,
                actor: by.unwrap_or(self.talks.turn),
                subject: Subject::Actor,
                valence: TALKS_FAILED_STORY.valence,
                weight: TALKS_FAILED_STORY.weight,
                slots: Vec::new(),
                actor_slots: Default::default(),
                concession: [false; 2],
            });
        }
        self.stage = Stage::Implementation;
        self.talks.pending = None;
        for s in Side::BOTH {
            let has = self.commitments.iter().any(|c| c.by == s);
            self.side_mut(s).implemented = !has;
        }
    }

    fn implement(&mut self, side: Side, breaks: &[u32]) {
        let ids: Vec<usize> = (0..self.commitments.len())
            .filter(|&i| self.commitments[i].by == side)
            .collect();
        let mut kept = 0;
        let sc = self.scenario.clone();
        for i in ids {
            let c = self.commitments[i].clone();
            let m = &sc.measures[c.measure];
            // Every commitment draws its chance of detection, kept or not, so the stream of
            // chance (the next event card, the next lapse) never tells whether one was broken.
            let roll = self.rng.unit();
            if breaks.contains(&c.id) {
                self.broken_now.push((c.id, side));
                let caught = roll < detection(m, c.verification);
                self.breaches.push(super::state::Breach {
                    round: self.round,
                    side,
                    measure: m.name.clone(),
                    caught,
                });
                if caught {
                    // Earlier windfalls of this commitment come to light with this breach.
                    let gains = 1 + std::mem::take(&mut self.commitments[i].banked);
                    self.apply_effects(side, &m.breach_gain, gains as f32);
                    self.commitments[i].caught += 1;
                    let o = side.other().idx();
                    self.trust[o] = clamp100(self.trust[o] - CAUGHT_TRUST);
                    self.tension = clamp100(self.tension + CAUGHT_TENSION);
                    self.emit(Event::BreachCaught {
                        side,
                        commitment: c.id,
                        measure: m.name.clone(),
                        verification: verification_name(m, c.verification),
                    });
                    self.news.push(News {
                        kind: NewsKind::BreachCaught,
                        actor: side,
                        subject: Subject::Actor,
                        valence: BREACH_CAUGHT_STORY.valence,
                        weight: BREACH_CAUGHT_STORY.weight,
                        slots: vec![("measure", m.name.clone()), ("count", "1".into())],
                        actor_slots: Default::default(),
                        concession: [false; 2],
                    });
                } else {
                    // Nobody but the breaker knows: the world moves as if the commitment was
                    // kept (trust moves as the other side believes), and the windfall waits off
                    // the books until a breach of it is caught.
                    kept += 1;
                    self.commitments[i].hidden_breaches += 1;
                    self.commitments[i].banked += 1;
                    self.apply_effects(side, &m.effects, 1.0);
                    self.emit(Event::BreachHidden {
                        side,
                        commitment: c.id,
                        measure: m.name.clone(),
                    });
                }
            } else {
                kept += 1;
                self.commitments[i].kept += 1;
                self.apply_effects(side, &m.effects, 1.0);
            }
        }
        self.side_mut(side).implemented = true;
        self.emit(Event::Implemented { side, kept });
    }

    /// Home front, expirations, phase and end checks, then the next round.
    fn end_round(&mut self) {
        let broken = std::mem::take(&mut self.broken_now);
        self.tension = clamp100(self.tension + TENSION_DRIFT);
        self.apply_statements();
        self.accrue_utility(&broken);
        self.home_front_drift();
        self.expire();
        let old = self.phase;
        self.phase = self.derive_phase();
        if self.phase != old {
            let (from, to) = (
                self.scenario.phases[old].name.clone(),
                self.scenario.phases[self.phase].name.clone(),
            );
            let up = self.phase > old;
            self.emit(Event::PhaseChanged {
                from,
                to: to.clone(),
                up,
            });
            self.news.push(News {
                kind: NewsKind::PhaseChanged,
                actor: Side::A,
                subject: Subject::Relationship,
                valence: if up {
                    PHASE_CHANGED_STORY.valence
                } else {
                    -PHASE_CHANGED_STORY.valence
                },
                weight: PHASE_CHANGED_STORY.weight,
                slots: vec![("phase", to)],
                actor_slots: Default::default(),
                concession: [false; 2],
            });
        }
        self.check_ouster();
        if self.tension >= self.scenario.end.clash_at && self.ending.is_none() {
            self.ending = Some(Ending::Clash);
            self.news.push(News {
                kind: NewsKind::Clash,
                actor: Side::A,
                subject: Subject::Relationship,
                valence: CLASH_STORY.valence,
                weight: CLASH_STORY.weight,
                slots: Vec::new(),
                actor_slots: Default::default(),
                concession: [false; 2],
            });
        }
        self.write_press();
        let norm = self
            .scenario
            .phase_index(&self.scenario.end.normalize_phase)
            .unwrap_or(usize::MAX);
        if self.phase >= norm && self.treaties() >= self.scenario.end.treaties {
            self.phase_held += 1;
        } else {
            self.phase_held = 0;
        }
        if self.ending.is_none() && self.phase_held >= self.scenario.end.hold_rounds.max(1) {
            self.ending = Some(Ending::Normalization);
        }
        if self.talks.agreed {
            self.dry_rounds = 0;
        } else {
            self.dry_rounds += 1;
        }
        self.snapshot();
        if self.ending.is_none() && self.round >= self.scenario.rounds {
            self.ending = Some(Ending::RoundLimit);
        }
        if let Some(ending) = self.ending {
            self.stage = Stage::Ended;
            self.emit(Event::MatchEnded { ending });
        } else {
            self.start_round();
        }
    }

    fn accrue_utility(&mut self, broken: &[(u32, Side)]) {
        // A commitment broken this round is worth nothing to either side this round.
        let point = super::scoring::package_point(
            &self.scenario,
            self.commitments
                .iter()
                .filter(|c| !broken.iter().any(|(id, _)| *id == c.id))
                .map(|c| (c.measure, c.by)),
        );
        for s in Side::BOTH {
            self.side_mut(s).utility_sum += point[s.idx()];
        }
    }

    fn expire(&mut self) {
        let round = self.round;
        let min_trust = self.trust[0].min(self.trust[1]);
        let mut i = 0;
        while i < self.commitments.len() {
            let c = &self.commitments[i];
            let age = round + 1 - c.signed_round;
            let (id, by, measure) = (c.id, c.by, c.measure);
            // The name is copied only for an event that reports it.
            let name = |m: &Match| m.scenario.measures[measure].name.clone();
            match c.term {
                Term::Sunset(n) if age >= n => {
                    self.commitments.remove(i);
                    let measure = name(self);
                    self.emit(Event::CommitmentEnded {
                        side: by,
                        commitment: id,
                        measure,
                        reason: EndReason::Expired,
                    });
                    continue;
                }
                Term::Treaty(n) if n > 0 && age.is_multiple_of(n) => {
                    if min_trust >= TREATY_RENEWAL_TRUST {
                        let measure = name(self);
                        self.emit(Event::TreatyRenewed {
                            side: by,
                            commitment: id,
                            measure,
                        });
                    } else {
                        self.commitments.remove(i);
                        let measure = name(self);
                        self.emit(Event::CommitmentEnded {
                            side: by,
                            commitment: id,
                            measure,
                            reason: EndReason::ReviewFailed,
                        });
                        continue;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    fn snapshot(&mut self) {
        let s = Snapshot {
            round: self.round,
            tension: self.tension,
            trust: self.trust,
            phase: self.phase,
            approval: Side::BOTH.map(|s| self.approval(s)),
            factions: Side::BOTH.map(|s| self.side(s).approval.clone()),
            capital: Side::BOTH.map(|s| self.side(s).capital),
            economy: Side::BOTH.map(|s| self.side(s).economy),
            security: Side::BOTH.map(|s| self.side(s).security),
            utility: self.in_force_point(),
            tones: self.outlets.iter().map(|o| o.tone).collect(),
        };
        self.history.push(s);
    }

    /// Begin the next round: capital, the event card, then talks.
    pub(crate) fn start_round(&mut self) {
        self.round += 1;
        self.talks.exchanges_used = 0;
        self.talks.pending = None;
        self.talks.answers = None;
        self.talks.agreed = false;
        self.talks.turn = if self.round % 2 == 1 {
            Side::A
        } else {
            Side::B
        };
        let round = self.round;
        for s in Side::BOTH {
            let d = self.scenario.side(s);
            let (gain, cap) = (d.capital_per_round, d.max_capital);
            let st = self.side_mut(s);
            st.approval_before = st.approval.clone();
            if round > 1 {
                st.capital = (st.capital + gain).min(cap);
            }
            st.gesture_used = false;
            st.implemented = false;
            st.statement = None;
        }
        self.emit(Event::RoundStarted { round: self.round });
        self.bridge = if self.dry_rounds >= MEDIATOR_DRY_ROUNDS {
            self.mediator_bridge()
        } else {
            None
        };
        if self.draw_event() {
            self.stage = Stage::Events;
        } else {
            self.stage = Stage::Negotiation;
        }
        if self.tension >= self.scenario.end.clash_at {
            self.ending = Some(Ending::Clash);
            self.stage = Stage::Ended;
            self.emit(Event::MatchEnded {
                ending: Ending::Clash,
            });
        }
    }

    /// Close this round's talks from outside (the instructor's clock), as if they ran out.
    pub(crate) fn close_talks(&mut self) {
        self.end_talks(None);
    }

    /// Move past stages that need nobody's input (after an instructor's steer).
    pub(crate) fn settle(&mut self) {
        self.advance();
    }

    /// Move past stages that need nobody's input.
    fn advance(&mut self) {
        loop {
            match self.stage {
                Stage::Events if !self.owes_any() => self.stage = Stage::Negotiation,
                Stage::Implementation if !self.owes_any() => self.end_round(),
                _ => return,
            }
        }
    }

    /// A neutral mediator's bridging package: the level's Nash package, cut to what is legal now.
    fn mediator_bridge(&mut self) -> Option<Offer> {
        let med = self.scenario.mediator.clone()?;
        if !self.rng.chance(med.chance.clamp(0.0, 1.0)) {
            return None;
        }
        let sc = self.scenario.clone();
        let mut items: Vec<Item> = Vec::new();
        for &(i, by) in &sc.frontier().nash_package {
            let m = &self.scenario.measures[i];
            let it = Item::first_options(m, by);
            if items.len() < MAX_ITEMS && self.check_item(&it, &items).is_ok() {
                items.push(it);
            }
        }
        (!items.is_empty()).then_some(Offer {
            items,
            statement: super::scenario::Statement::SharedInterest,
        })
    }
}
