//! The press: each outlet reads the season's news through its own slant and writes headlines.

use super::event::Event;
use super::scenario::{NewsKind, Side, Spin};
use super::state::{Match, News, Subject, clamp100};
pub use super::tuning::FRONT_PAGE;
use super::tuning::{
    FOREIGN_STORY_WEIGHT, HOSTILE_BREACH_SLANT, NEUTRAL_TENSION, NEUTRAL_TONE, OWN_VOICE_CHANCE,
    PRESS_TENSION_PULL, QUIET_STORY, SPIN_THRESHOLD, STORY_WEIGHT_CAP, TONE_RECOVERY, TONE_SHIFT,
    TONE_SHIFT_WEIGHT,
};

/// Fill `{slot}` placeholders; unknown slots stay as written (the level check refuses them).
pub fn fill(template: &str, slots: &[(&str, String)]) -> String {
    fill_with(template, |key| {
        slots
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| std::borrow::Cow::Borrowed(v.as_str()))
    })
}

/// Fill `{slot}` placeholders, asking `value` only for the slots the template uses.
pub fn fill_with<'a>(
    template: &str,
    mut value: impl FnMut(&str) -> Option<std::borrow::Cow<'a, str>>,
) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                match value(key) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{slot}` names a template uses.
pub fn slots_of(template: &str) -> Vec<&str> {
    let mut v = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                v.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    v
}

impl Match {
    /// How an outlet reads a piece of news: -1 (grim) .. 1 (upbeat).
    fn reading(&self, outlet: usize, n: &News) -> f32 {
        let d = &self.scenario.outlets[outlet];
        let mut r = n.valence;
        if let Some(home) = d.side
            && n.concession[home.idx()]
        {
            r -= d.slant;
        }
        if d.side.is_some() && d.side != Some(n.actor) && n.kind == NewsKind::BreachCaught {
            r -= HOSTILE_BREACH_SLANT * d.slant.max(0.0);
        }
        r.clamp(-1.0, 1.0)
    }

    /// Outlets move their tone and write this round's front pages.
    pub(crate) fn write_press(&mut self) {
        if self.news.is_empty() {
            self.news.push(News {
                kind: NewsKind::Quiet,
                actor: Side::A,
                subject: Subject::Relationship,
                valence: QUIET_STORY.valence,
                weight: QUIET_STORY.weight,
                slots: Vec::new(),
                actor_slots: Default::default(),
                concession: [false; 2],
            });
        }
        let news = std::mem::take(&mut self.news);
        let mut used = Vec::new();
        for o in 0..self.outlets.len() {
            let side = self.scenario.outlets[o].side;
            let mut mine: Vec<&News> = news
                .iter()
                .filter(|n| {
                    side.is_none()
                        || n.subject != Subject::Actor
                        || n.weight >= FOREIGN_STORY_WEIGHT
                        || Some(n.actor) == side
                        || n.kind == NewsKind::Quiet
                })
                .collect();
            mine.sort_by(|a, b| b.weight.total_cmp(&a.weight));
            let mut shift = 0.0;
            let mut front = Vec::new();
            for n in mine.iter().take(FRONT_PAGE) {
                let r = self.reading(o, n);
                shift += r * TONE_SHIFT * n.weight.min(STORY_WEIGHT_CAP) / TONE_SHIFT_WEIGHT;
                let spin = if r > SPIN_THRESHOLD {
                    Spin::Upbeat
                } else if r < -SPIN_THRESHOLD {
                    Spin::Grim
                } else {
                    Spin::Neutral
                };
                if let Some(line) = self.headline_text(o, n, spin, &mut used) {
                    front.push(line);
                }
            }
            let tension_pull = -(self.tension - NEUTRAL_TENSION) * PRESS_TENSION_PULL;
            let st = &mut self.outlets[o];
            st.tone =
                clamp100(st.tone + shift + tension_pull + (NEUTRAL_TONE - st.tone) * TONE_RECOVERY);
            if !self.headlines {
                continue;
            }
            if !front.is_empty() {
                st.front = front.iter().map(|(t, _)| t.clone()).collect();
            }
            let id = self.scenario.outlets[o].id.clone();
            for (text, spin) in front {
                self.emit(Event::Headline {
                    outlet: id.clone(),
                    text,
                    spin,
                });
            }
        }
    }

    /// Write one headline; `used` holds the templates already printed this round, so that
    /// different outlets word the same story differently where the level allows it.
    fn headline_text(
        &mut self,
        outlet: usize,
        n: &News,
        spin: Spin,
        used: &mut Vec<usize>,
    ) -> Option<(String, Spin)> {
        // The level is borrowed apart from the generator (a copy of its handle costs two atomic
        // operations, at every story).
        let sc = &*self.scenario;
        let any = sc.headlines_for(outlet, n.kind);
        if any.is_empty() {
            return None;
        }
        let hl = &sc.headlines;
        // Prefer, in order: a fresh template of the right spin, a fresh neutral one (another
        // outlet already printed the obvious line), then a repeat of the right spin, then any.
        let tier = |i: usize, t: u8| match t {
            0 => hl[i].spin == spin && !used.contains(&i),
            1 => hl[i].spin == Spin::Neutral && !used.contains(&i),
            2 => hl[i].spin == spin,
            _ => true,
        };
        let t = (0..3)
            .find(|&t| any.iter().any(|&i| tier(i, t)))
            .unwrap_or(3);
        let pool = || any.iter().copied().filter(move |&i| tier(i, t));
        // Outlet-specific templates speak in that outlet's voice: prefer them.
        let own = || pool().filter(|&i| hl[i].outlet.is_some());
        let owns = own().count();
        let k = if owns > 0 && self.rng.chance(OWN_VOICE_CHANCE) {
            let r = self.rng.below(owns);
            own().nth(r)
        } else {
            let r = self.rng.below(pool().count());
            pool().nth(r)
        }
        .expect("drawn below the count");
        used.push(k);
        let pick = &sc.headlines[k];
        if !self.headlines {
            return Some((String::new(), pick.spin));
        }
        use std::borrow::Cow;
        let written = self.subject_for(outlet, n);
        let name = |s: Side| sc.side(s).name.as_str();
        let (actor, other, leader) = match written {
            Some(s) => (
                Cow::Borrowed(name(s)),
                Cow::Borrowed(name(s.other())),
                Cow::Borrowed(self.side(s).leader.as_str()),
            ),
            None => (
                Cow::Owned(format!("{} and {}", name(Side::A), name(Side::B))),
                Cow::Borrowed(BOTH_OTHER),
                Cow::Owned(format!(
                    "{} and {}",
                    self.sides[0].leader, self.sides[1].leader
                )),
            ),
        };
        let own = written.map_or(&[][..], |s| n.actor_slots[s.idx()].as_slice());
        // The story's own values come first: a fallen leader's story names the leader who fell,
        // not the successor already in office.
        let text = fill_with(&pick.text, |key| {
            if let Some((_, v)) = own.iter().chain(&n.slots).find(|(k, _)| *k == key) {
                return Some(Cow::Borrowed(v.as_str()));
            }
            match key {
                "actor" => Some(actor.clone()),
                "other" => Some(other.clone()),
                "leader" => Some(leader.clone()),
                "outlet" => Some(Cow::Borrowed(sc.outlets[outlet].name.as_str())),
                "round" => Some(Cow::Owned(self.round.to_string())),
                "tension" => Some(Cow::Owned(format!("{:.0}", self.tension))),
                _ => None,
            }
        });
        Some((text, pick.spin))
    }

    /// The state `outlet` writes as `{actor}` in story `n`, or `None` for both at once.
    fn subject_for(&self, outlet: usize, n: &News) -> Option<Side> {
        match (n.subject, self.scenario.outlets[outlet].side) {
            (Subject::Actor, _) => Some(n.actor),
            (Subject::Relationship | Subject::Both, Some(home)) => Some(home),
            (Subject::Relationship, None) => Some(n.actor),
            (Subject::Both, None) => None,
        }
    }
}

/// `{other}` when `{actor}` names both states: "Aldora and Brevik blame each other".
const BOTH_OTHER: &str = "each other";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_slots_and_keeps_unknown() {
        let s = fill(
            "{actor} signs {measure} {x}",
            &[("actor", "Valdor".into()), ("measure", "hotline".into())],
        );
        assert_eq!(s, "Valdor signs hotline {x}");
        assert_eq!(fill("no slots", &[]), "no slots");
        assert_eq!(fill("open {brace", &[]), "open {brace");
    }

    #[test]
    fn slots_are_listed() {
        assert_eq!(slots_of("{a} and {b} {c"), vec!["a", "b"]);
    }
}
