//! The event deck: drawing a card, and the struck sides' answers.

use super::event::Event;
use super::scenario::{Effects, EventDef, NewsKind, ResponseDef, Side, Target, Trigger};
use super::state::{ActiveEvent, Match, News, Subject};
use super::tuning::{EVENT_STORY_WEIGHT, EVENT_VALENCE_SCALE};

impl Match {
    /// Whether a card's trigger holds now.
    pub fn trigger_holds(&self, t: &Trigger) -> bool {
        let sc = &self.scenario;
        let phase_at_least = |id: &String| sc.phase_index(id).is_some_and(|p| self.phase >= p);
        let phase_at_most = |id: &String| sc.phase_index(id).is_some_and(|p| self.phase <= p);
        let present = |id: &String| sc.measure_index(id).is_some_and(|i| self.in_force(i));
        t.min_round.is_none_or(|r| self.round >= r)
            && t.max_round.is_none_or(|r| self.round <= r)
            && t.min_tension.is_none_or(|x| self.tension >= x)
            && t.max_tension.is_none_or(|x| self.tension <= x)
            && t.min_phase.as_ref().is_none_or(phase_at_least)
            && t.max_phase.as_ref().is_none_or(phase_at_most)
            && t.measure_in_force.as_ref().is_none_or(present)
            && t.measure_absent.as_ref().is_none_or(|id| !present(id))
    }

    /// Whether `side` may give this answer now.
    pub fn response_available(&self, side: Side, r: &ResponseDef) -> bool {
        super::rules::response_available(self, side, r)
    }

    /// Draw a card for the new round; true if someone must answer it.
    pub(crate) fn draw_event(&mut self) -> bool {
        self.event = None;
        if !self.rng.chance(self.scenario.event_chance) {
            return false;
        }
        let sc = self.scenario.clone();
        let eligible: Vec<usize> = sc
            .events
            .iter()
            .enumerate()
            .filter(|(i, e)| !(e.once && self.drawn[*i] > 0) && self.trigger_holds(&e.trigger))
            .map(|(i, _)| i)
            .collect();
        let Some(k) = self
            .rng
            .weighted(eligible.iter().map(|&i| sc.events[i].weight))
        else {
            return false;
        };
        let card = eligible[k];
        let def: &EventDef = &sc.events[card];
        self.drawn[card] += 1;
        let struck = match def.target {
            Target::A => vec![Side::A],
            Target::B => vec![Side::B],
            Target::Both => vec![Side::A, Side::B],
            Target::Either => vec![if self.rng.chance(0.5) {
                Side::A
            } else {
                Side::B
            }],
        };
        for &s in &struck {
            self.apply_effects(s, &def.effects, 1.0);
        }
        self.emit(Event::EventDrawn {
            card: def.id.clone(),
            title: def.title.clone(),
            struck: struck.clone(),
        });
        self.event_story(def.title.clone(), &def.effects, &struck);
        let mut answered = [Some(usize::MAX), Some(usize::MAX)];
        for &s in &struck {
            if def.responses.iter().any(|r| self.response_available(s, r)) {
                answered[s.idx()] = None;
            }
        }
        let waiting = answered.iter().any(Option::is_none);
        self.event = Some(ActiveEvent {
            card,
            struck,
            answered,
        });
        waiting
    }

    /// The press's story of a card that struck `struck` (drawn or played by the instructor),
    /// good or bad news by what it does to tension and trust.
    pub(crate) fn event_story(&mut self, title: String, effects: &Effects, struck: &[Side]) {
        let valence = (-effects.tension / EVENT_VALENCE_SCALE
            + effects.trust / EVENT_VALENCE_SCALE)
            .clamp(-1.0, 1.0);
        self.news.push(News {
            kind: NewsKind::Event,
            actor: struck[0],
            subject: if struck.len() > 1 {
                Subject::Both
            } else {
                Subject::Actor
            },
            valence,
            weight: EVENT_STORY_WEIGHT,
            slots: vec![("event", title)],
            actor_slots: Default::default(),
            concession: [false; 2],
        });
    }

    /// A struck side answers the card.
    pub(crate) fn respond(&mut self, side: Side, response: &str) {
        let sc = self.scenario.clone();
        let (ri, _) =
            super::rules::response_of(&*self, side, response).expect("checked before carrying out");
        let card = self.event.as_ref().map_or(0, |e| e.card);
        let def = &sc.events[card];
        let r = &def.responses[ri];
        self.apply_effects(side, &r.effects, 1.0);
        let st = self.side_mut(side);
        st.capital = (st.capital - r.cost).max(0.0);
        if let Some(ev) = self.event.as_mut() {
            ev.answered[side.idx()] = Some(ri);
        }
        self.emit(Event::EventAnswered {
            side,
            card: def.id.clone(),
            response: r.id.clone(),
            label: r.label.clone(),
        });
    }
}
