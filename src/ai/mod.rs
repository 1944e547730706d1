//! Counterpart negotiators. They see only their own side's view and the public catalogue,
//! and every decision carries one plain sentence of why.

mod model;

use crate::sim::rng::Rng;
use crate::sim::scenario::*;
use crate::sim::{Action, Item, Need, Offer, SideView, Stage};
pub use model::OpponentModel;

/// An action with the reason the negotiator gives for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub action: Action,
    pub reason: String,
}

/// The public part of a level: what any negotiator may read. Private briefs and the other
/// side's priorities and factions are not reachable through it.
#[derive(Clone, Copy)]
pub struct Table<'a>(&'a Scenario);

impl<'a> Table<'a> {
    /// Wrap a scenario, exposing only its public parts.
    pub fn new(sc: &'a Scenario) -> Self {
        Table(sc)
    }
    pub fn measures(&self) -> &'a [MeasureDef] {
        &self.0.measures
    }
    pub fn measure(&self, id: &str) -> Option<(usize, &'a MeasureDef)> {
        self.0.measure_index(id).map(|i| (i, &self.0.measures[i]))
    }
    pub fn events(&self) -> &'a [EventDef] {
        &self.0.events
    }
    pub fn phases(&self) -> &'a [PhaseDef] {
        &self.0.phases
    }
    pub fn observers(&self) -> bool {
        self.0.observers.is_some()
    }
}

/// Anything that can sit at the table in a side's place.
pub trait Negotiator: Send {
    /// Decide the next action for the view's side; only called when the view has a need.
    fn decide(&mut self, view: &SideView, table: Table) -> Decision;
    /// What the negotiator believes the other side values, normalised over areas.
    fn beliefs(&self) -> Option<[f32; 7]> {
        None
    }
}

/// How a counterpart is tuned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub personality: Personality,
    pub difficulty: Difficulty,
    /// Concession exponent: below 1 concedes late (Boulware), above 1 early (Conceder).
    pub concede: f32,
    /// Share of its best gain it asks at the start, and the floor it ends at.
    pub start_aspiration: f32,
    pub floor: f32,
    /// Weight on the other side's estimated gain when building packages.
    pub generosity: f32,
    /// 0..1: readiness to quietly break a weakly verified commitment.
    pub deceit: f32,
    /// Makes unilateral gestures.
    pub gestures: bool,
    /// Mirrors the other side's last move.
    pub mirrors: bool,
    /// Insists on strong verification for the other side's commitments.
    pub verify: bool,
}

impl Style {
    /// Settings for a personality at a difficulty, adjusted by the level.
    pub fn new(p: Personality, d: Difficulty, level: &AiDef) -> Style {
        let mut s = match p {
            Personality::Hawk => Style {
                personality: p,
                difficulty: d,
                concede: 0.3,
                start_aspiration: 0.9,
                floor: 0.35,
                generosity: 0.35,
                deceit: 0.3,
                gestures: false,
                mirrors: false,
                verify: true,
            },
            Personality::Dove => Style {
                personality: p,
                difficulty: d,
                concede: 2.0,
                start_aspiration: 0.6,
                floor: 0.05,
                generosity: 1.0,
                deceit: 0.05,
                gestures: true,
                mirrors: false,
                verify: false,
            },
            Personality::Reciprocator => Style {
                personality: p,
                difficulty: d,
                concede: 1.0,
                start_aspiration: 0.75,
                floor: 0.2,
                generosity: 0.7,
                deceit: 0.1,
                gestures: true,
                mirrors: true,
                verify: false,
            },
            Personality::Pragmatist => Style {
                personality: p,
                difficulty: d,
                concede: 0.8,
                start_aspiration: 0.8,
                floor: 0.25,
                generosity: 0.7,
                deceit: 0.15,
                gestures: true,
                mirrors: false,
                verify: true,
            },
        };
        s.floor *= 1.5 - level.flexibility.clamp(0.0, 1.0);
        s.deceit = (s.deceit + level.deceit.clamp(0.0, 1.0)) / 2.0;
        match d {
            Difficulty::Easy => {
                s.start_aspiration *= 0.8;
                s.floor *= 0.5;
            }
            Difficulty::Normal => {}
            Difficulty::Hard => {
                s.start_aspiration = (s.start_aspiration * 1.1).min(1.0);
                s.floor *= 1.3;
            }
        }
        s
    }
}

/// The counterpart: one engine, tuned by its style.
pub struct Counterpart {
    pub style: Style,
    rng: Rng,
    model: OpponentModel,
    /// The last offer learnt from, so the model learns from each once.
    last_seen: Option<u64>,
    last_offer_key: Option<u64>,
}

/// Build the counterpart a level asks for.
pub fn from_level(sc: &Scenario, side: Side, seed: u64) -> Counterpart {
    Counterpart::new(
        Style::new(sc.ai.personality, sc.ai.difficulty, &sc.ai),
        side,
        seed,
    )
}

impl Counterpart {
    /// A counterpart with its own generator, derived from the match seed and its side.
    pub fn new(style: Style, side: Side, seed: u64) -> Self {
        Counterpart {
            style,
            rng: Rng::new(seed ^ ((0xA1 + side.idx() as u64) * 0x9E37_79B9)),
            model: OpponentModel::default(),
            last_seen: None,
            last_offer_key: None,
        }
    }

    fn aspiration(&self, v: &SideView) -> f32 {
        let t = if v.rounds <= 1 {
            1.0
        } else {
            (v.round - 1) as f32 / (v.rounds - 1) as f32
        };
        let s = &self.style;
        s.floor + (s.start_aspiration - s.floor) * (1.0 - t.clamp(0.0, 1.0).powf(1.0 / s.concede))
    }
}

/// Own raw utility of a commitment, from the view's own priorities.
fn own_utility(v: &SideView, m: &MeasureDef, by: Side) -> f32 {
    let w = v.private.priorities.get(&m.area).copied().unwrap_or(0.0);
    if by == v.side {
        -w * m.burden
    } else {
        w * m.value
    }
}

/// Own utility span over the catalogue, for normalising gains.
fn own_span(v: &SideView, t: Table) -> f32 {
    let mut span = 0.0;
    for m in t.measures() {
        for s in Side::BOTH {
            if m.by.allows(s) {
                span += own_utility(v, m, s).abs();
            }
        }
    }
    span.max(1e-6)
}

/// What a commitment is worth to this side now, beyond its private utility: calm when tension
/// runs high, and the trust it builds.
fn security_bonus(v: &SideView, m: &MeasureDef) -> f32 {
    (-m.effects.tension) * (v.tension / 100.0) * 0.15
}

/// Approval change of own factions for a package, from own private faction detail.
fn support_after(v: &SideView, items: &[(usize, Side)], t: Table) -> f32 {
    let f = &v.private.factions;
    let total: f32 = f.iter().map(|f| f.weight.max(0.0)).sum::<f32>().max(1e-6);
    f.iter()
        .zip(&v.me.factions)
        .map(|(f, pf)| {
            let d: f32 = items
                .iter()
                .map(|&(i, by)| {
                    let m = &t.measures()[i];
                    if by == v.side {
                        f.gives.get(&m.area).copied().unwrap_or(0.0) * m.burden
                    } else {
                        f.gets.get(&m.area).copied().unwrap_or(0.0) * m.value
                    }
                })
                .sum();
            f.weight.max(0.0) * (pf.approval + d).clamp(0.0, 100.0)
        })
        .sum::<f32>()
        / total
}

fn capital_cost(v: &SideView, items: &[(usize, Side)], t: Table, verif: &[Option<usize>]) -> f32 {
    side_cost(v.side, items, t, verif)
}

fn side_cost(side: Side, items: &[(usize, Side)], t: Table, verif: &[Option<usize>]) -> f32 {
    items
        .iter()
        .zip(verif)
        .filter(|((_, by), _)| *by == side)
        .map(|(&(i, _), &ver)| crate::sim::measures::item_cost(&t.measures()[i], ver))
        .sum()
}

impl Counterpart {
    fn pick_verification(
        &self,
        m: &MeasureDef,
        by: Side,
        me: Side,
        observers: bool,
    ) -> Option<usize> {
        let usable = |v: &&Verification| !v.needs_observers || observers;
        if m.verification.is_empty() {
            return None;
        }
        let options = m.verification.iter().enumerate().filter(|(_, v)| usable(v));
        if by != me && self.style.verify {
            options
                .max_by(|a, b| a.1.detection.total_cmp(&b.1.detection))
                .map(|(i, _)| i)
        } else if by != me {
            Some(0).filter(|_| usable(&&m.verification[0]))
        } else {
            options
                .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
                .map(|(i, _)| i)
        }
    }

    fn pick_term(m: &MeasureDef) -> Term {
        m.terms
            .iter()
            .copied()
            .find(|t| matches!(t, Term::Treaty(_)))
            .or_else(|| m.terms.first().copied())
            .unwrap_or(Term::Pledge)
    }

    /// Build the package this side would propose now, with its own gain and estimated cost.
    fn build_package(
        &mut self,
        v: &SideView,
        t: Table,
        aspiration: f32,
    ) -> Option<(Offer, f32, f32)> {
        let span = own_span(v, t);
        let target = aspiration * self.best_gain(v, t);
        let me = v.side;
        let factions = &v.private.factions;
        let weight_total: f32 = factions
            .iter()
            .map(|f| f.weight.max(0.0))
            .sum::<f32>()
            .max(1e-6);
        // Per candidate: (measure, undertaker, own gain, their estimated gain, own cost,
        // their cost, own factions' approval changes).
        struct Cand {
            i: usize,
            by: Side,
            own: f32,
            theirs: f32,
            cost: f32,
        }
        let nf = factions.len();
        // Own factions' approval change per candidate, candidate-major.
        let mut deltas: Vec<f32> = Vec::with_capacity(v.available.len() * nf);
        let cands: Vec<Cand> = v
            .available
            .iter()
            .filter_map(|(id, by)| t.measure(id).map(|(i, m)| (i, *by, m)))
            .map(|(i, by, m)| {
                deltas.extend(factions.iter().map(|f| {
                    if by == me {
                        f.gives.get(&m.area).copied().unwrap_or(0.0) * m.burden
                    } else {
                        f.gets.get(&m.area).copied().unwrap_or(0.0) * m.value
                    }
                }));
                let ver = self.pick_verification(m, by, me, t.observers());
                Cand {
                    i,
                    by,
                    own: (own_utility(v, m, by) + security_bonus(v, m)) / span,
                    theirs: self.model.utility(m, by, me),
                    cost: crate::sim::measures::item_cost(m, ver),
                }
            })
            .collect();
        let support = |sum: &[f32]| {
            factions
                .iter()
                .zip(&v.me.factions)
                .zip(sum)
                .map(|((f, pf), d)| f.weight.max(0.0) * (pf.approval + d).clamp(0.0, 100.0))
                .sum::<f32>()
                / weight_total
        };
        let mut best: Option<(Vec<usize>, f32, f32)> = None;
        let mut order: Vec<usize> = Vec::with_capacity(cands.len());
        let mut sum = vec![0.0; factions.len()];
        for k in 0..12 {
            let lambda = self.style.generosity * (0.15 + k as f32 * 0.15);
            let score = |c: &Cand| c.own + lambda * c.theirs;
            order.clear();
            order.extend((0..cands.len()).filter(|&j| score(&cands[j]) > 0.0));
            order.sort_by(|&a, &b| score(&cands[b]).total_cmp(&score(&cands[a])));
            let mut pick: Vec<usize> = Vec::new();
            let (mut my_cost, mut their_cost, mut own, mut theirs) = (0.0, 0.0, 0.0, 0.0);
            sum.iter_mut().for_each(|x| *x = 0.0);
            for &j in &order {
                if pick.len() >= crate::sim::offers::MAX_ITEMS {
                    break;
                }
                let c = &cands[j];
                let (mc, tc) = if c.by == me {
                    (my_cost + c.cost, their_cost)
                } else {
                    (my_cost, their_cost + c.cost)
                };
                if mc > v.private.capital || tc > v.them.capital {
                    continue;
                }
                let delta = &deltas[j * nf..(j + 1) * nf];
                for (s, d) in sum.iter_mut().zip(delta) {
                    *s += d;
                }
                if support(&sum) < v.private.ratify_at + 3.0 {
                    for (s, d) in sum.iter_mut().zip(delta) {
                        *s -= d;
                    }
                    continue;
                }
                my_cost = mc;
                their_cost = tc;
                own += own_utility(v, &t.measures()[c.i], c.by) / span;
                theirs += c.theirs;
                pick.push(j);
            }
            if !pick.is_empty()
                && own >= target
                && theirs > 0.0
                && best.as_ref().is_none_or(|b| theirs > b.2)
            {
                best = Some((pick, own, theirs));
            }
        }
        let best = best.map(|(p, o, th)| {
            (
                p.iter()
                    .map(|&j| (cands[j].i, cands[j].by))
                    .collect::<Vec<_>>(),
                o,
                th,
            )
        });
        let (pick, own, theirs): (Vec<(usize, Side)>, f32, f32) = best?;
        let items: Vec<Item> = pick
            .iter()
            .map(|&(i, by)| {
                let m = &t.measures()[i];
                Item {
                    measure: m.id.clone(),
                    by,
                    verification: self.pick_verification(m, by, v.side, t.observers()),
                    term: Self::pick_term(m),
                }
            })
            .collect();
        let statement = self.statement(v, &items);
        Some((Offer { items, statement }, own, theirs))
    }

    /// The most this side could gain from any package (normalised).
    fn best_gain(&self, v: &SideView, t: Table) -> f32 {
        let span = own_span(v, t);
        let mut gains: Vec<f32> = v
            .available
            .iter()
            .filter(|(_, by)| *by != v.side)
            .filter_map(|(id, by)| t.measure(id).map(|(_, m)| own_utility(v, m, *by) / span))
            .collect();
        gains.sort_by(|a, b| b.total_cmp(a));
        gains
            .iter()
            .take(crate::sim::offers::MAX_ITEMS / 2)
            .sum::<f32>()
            .max(0.01)
    }

    fn statement(&self, v: &SideView, items: &[Item]) -> Statement {
        let my_trust = v.trust[v.side.idx()];
        let their_trust = v.trust[v.side.other().idx()];
        let caught_them = v.commitments.iter().any(|c| c.by != v.side && c.caught > 0);
        if caught_them && self.style.personality != Personality::Dove {
            Statement::Warn
        } else if their_trust < 25.0 && self.style.personality != Personality::Hawk {
            Statement::AcknowledgeHarm
        } else if my_trust < 35.0 {
            Statement::Reassure
        } else if items.iter().any(|i| i.by == v.side) {
            Statement::SharedInterest
        } else {
            Statement::Milestone
        }
    }

    fn offer_gain(&self, v: &SideView, t: Table, offer: &Offer) -> f32 {
        let span = own_span(v, t);
        offer
            .items
            .iter()
            .filter_map(|it| t.measure(&it.measure).map(|(_, m)| (it, m)))
            .map(|(it, m)| (own_utility(v, m, it.by) + security_bonus(v, m)) / span)
            .sum()
    }

    fn answer(&mut self, v: &SideView, t: Table, from: Side, offer: &Offer) -> Decision {
        let me = v.side;
        let _ = from;
        let items: Vec<(usize, Side)> = offer
            .items
            .iter()
            .filter_map(|it| t.measure(&it.measure).map(|(i, _)| (i, it.by)))
            .collect();
        let verif: Vec<Option<usize>> = offer.items.iter().map(|i| i.verification).collect();
        let gain = self.offer_gain(v, t, offer);
        let need = self.aspiration(v) * self.best_gain(v, t);
        let support = support_after(v, &items, t);
        let cost = capital_cost(v, &items, t, &verif);
        if cost > v.private.capital {
            return self.counter_or_reject(v, t, format!("We cannot pay for our part: it needs {cost:.0} political capital and we have {:.0}.", v.private.capital));
        }
        if support < v.private.ratify_at {
            let worst = v
                .private
                .factions
                .iter()
                .zip(&v.me.factions)
                .min_by(|a, b| a.1.approval.total_cmp(&b.1.approval))
                .map(|(f, pf)| format!("{} are at {:.0}%", f.name, pf.approval))
                .unwrap_or_default();
            return self.counter_or_reject(v, t, format!("{worst}; our parliament would not ratify this package (support {support:.0}%, we need {:.0}%).", v.private.ratify_at));
        }
        let last_chance = v.exchanges_left == 0 || v.round == v.rounds;
        let tolerance = if last_chance { 0.7 } else { 1.0 };
        if gain >= need * tolerance && gain > 0.0 {
            let reason = if gain >= need {
                format!(
                    "This package serves our priorities well enough (gain {:.2}, we hoped for {:.2}).",
                    gain, need
                )
            } else {
                "Time is short; this is close enough to what we need.".to_string()
            };
            return Decision {
                action: Action::Accept { side: me },
                reason,
            };
        }
        self.counter_or_reject(v, t, format!("Too little for us: worth {gain:.2} to us, we need at least {need:.2} at this stage."))
    }

    fn counter_or_reject(&mut self, v: &SideView, t: Table, why: String) -> Decision {
        let me = v.side;
        if v.exchanges_left > 0 {
            let asp = self.aspiration(v);
            if let Some((offer, _, _)) = self.build_package(v, t, asp) {
                let key = offer_key(&offer);
                if self.last_offer_key != Some(key) || v.exchanges_left > 1 {
                    self.last_offer_key = Some(key);
                    return Decision {
                        action: Action::Counter { side: me, offer },
                        reason: format!("{why} We put our own package on the table."),
                    };
                }
            }
        }
        Decision {
            action: Action::Reject { side: me },
            reason: why,
        }
    }

    fn respond(&mut self, v: &SideView, t: Table) -> Decision {
        let ev = v.event.as_ref().expect("asked to respond without an event");
        let def = t
            .events()
            .iter()
            .find(|e| e.id == ev.card)
            .expect("event in catalogue");
        let hawkish: f32 = v
            .private
            .factions
            .iter()
            .map(|f| f.hawkish * f.weight)
            .sum::<f32>()
            / v.private
                .factions
                .iter()
                .map(|f| f.weight)
                .sum::<f32>()
                .max(1e-6);
        let lean = match self.style.personality {
            Personality::Hawk => 0.6,
            Personality::Dove => -0.6,
            _ => 0.0,
        };
        let score = |r: &ResponseDef| {
            let e = &r.effects;
            -e.tension * (0.3 + v.tension / 100.0)
                + e.trust * 0.3
                + e.own_trust * 0.1
                + e.approval * 0.5
                + e.hawks * (hawkish + lean) * 0.5
                + e.security * 0.2
                + e.economy * 0.2
                + e.capital * 0.3
                - r.cost * 0.3
        };
        let best = def
            .responses
            .iter()
            .filter(|r| ev.my_responses.contains(&r.id))
            .max_by(|a, b| score(a).total_cmp(&score(b)))
            .expect("a response is available when asked");
        let reason = if best.effects.tension < 0.0 {
            format!(
                "Tension is at {:.0}; we choose to '{}' to keep it from spiralling.",
                v.tension, best.label
            )
        } else if best.effects.hawks > 0.0 {
            format!("Our hardliners expect firmness, so we '{}'.", best.label)
        } else {
            format!("We '{}': it costs us least at home.", best.label)
        };
        Decision {
            action: Action::Respond {
                side: v.side,
                response: best.id.clone(),
            },
            reason,
        }
    }

    fn implement(&mut self, v: &SideView, t: Table) -> Decision {
        let mut breaks = Vec::new();
        let mut note = String::new();
        let approval = v.me.approval;
        let danger = (v.private.ouster_below + 10.0 - approval).max(0.0) / 10.0;
        for c in v.commitments.iter().filter(|c| c.by == v.side) {
            let Some((_, m)) = t.measure(&c.measure) else {
                continue;
            };
            let p_catch = crate::sim::measures::detection(m, c.verification);
            let their_trust_low = v.trust[v.side.idx()] < 20.0;
            let temptation = self.style.deceit
                * (1.0 - p_catch)
                * (0.5 + danger + if their_trust_low { 0.5 } else { 0.0 });
            if m.burden > 0.0 && self.rng.chance(temptation * 0.5) {
                breaks.push(c.id);
                if note.is_empty() {
                    note = format!(
                        "We quietly let '{}' slide; they can catch it only {:.0}% of the time.",
                        m.name,
                        p_catch * 100.0
                    );
                }
            }
        }
        let reason = if breaks.is_empty() {
            "We keep our word: every commitment is carried out.".to_string()
        } else {
            note
        };
        Decision {
            action: Action::Implement {
                side: v.side,
                breaks,
            },
            reason,
        }
    }

    fn gesture(&mut self, v: &SideView, t: Table) -> Option<Decision> {
        if !self.style.gestures || v.private.gesture_used {
            return None;
        }
        let their_gesture = v
            .commitments
            .iter()
            .any(|c| c.by != v.side && c.signed_round + 1 >= v.round);
        let want = if self.style.mirrors {
            their_gesture
        } else {
            v.round == 1 || v.trust[v.side.other().idx()] < 25.0
        };
        if !want {
            return None;
        }
        let span = own_span(v, t);
        let pick = v
            .available
            .iter()
            .filter(|(_, by)| *by == v.side)
            .filter_map(|(id, _)| t.measure(id))
            .filter(|(_, m)| m.gesture && m.cost <= v.private.capital && m.requires.is_empty())
            .filter(|(i, _)| support_after(v, &[(*i, v.side)], t) >= v.private.ratify_at)
            .max_by(|a, b| {
                (own_utility(v, a.1, v.side) / span)
                    .total_cmp(&(own_utility(v, b.1, v.side) / span))
            })?;
        let m = pick.1;
        let reason = if self.style.mirrors {
            format!("They made a gesture; we answer in kind with '{}'.", m.name)
        } else {
            format!(
                "A small step first: '{}' shows good faith and costs us little.",
                m.name
            )
        };
        Some(Decision {
            action: Action::Gesture {
                side: v.side,
                measure: m.id.clone(),
                verification: None,
            },
            reason,
        })
    }
}

fn offer_key(o: &Offer) -> u64 {
    let mut h: u64 = 1469598103934665603;
    for it in &o.items {
        for b in it.measure.bytes().chain([it.by as u8]) {
            h = (h ^ b as u64).wrapping_mul(1099511628211);
        }
    }
    h
}

impl Negotiator for Counterpart {
    fn decide(&mut self, v: &SideView, t: Table) -> Decision {
        // Learn from every offer the other side made since the last decision.
        if let Some((from, offer)) = &v.pending
            && *from != v.side
        {
            let key = offer_key(offer);
            if self.last_seen != Some(key) {
                self.model.observe(offer, v.side, t);
                self.last_seen = Some(key);
            }
        }
        let need = v.needs.first().copied();
        match (v.stage, need) {
            (Stage::Events, Some(Need::Respond)) => self.respond(v, t),
            (Stage::Implementation, Some(Need::Implement)) => self.implement(v, t),
            (Stage::Negotiation, Some(Need::Answer)) => {
                let (from, offer) = v.pending.clone().expect("answer needs an offer");
                self.answer(v, t, from, &offer)
            }
            (Stage::Negotiation, Some(Need::Propose)) => {
                if let Some(g) = self.gesture(v, t) {
                    return g;
                }
                let asp = self.aspiration(v);
                match self.build_package(v, t, asp) {
                    Some((offer, own, _)) if v.exchanges_left > 0 => {
                        let key = offer_key(&offer);
                        if self.last_offer_key == Some(key) && v.exchanges_left < 2 {
                            return Decision {
                                action: Action::EndTalks { side: v.side },
                                reason: "We have said what we can offer this season.".into(),
                            };
                        }
                        self.last_offer_key = Some(key);
                        Decision {
                            action: Action::Propose {
                                side: v.side,
                                offer,
                            },
                            reason: format!(
                                "A package that trades across areas: worth {own:.2} to us, and we think it meets their main interests."
                            ),
                        }
                    }
                    _ => Decision {
                        action: Action::EndTalks { side: v.side },
                        reason: "Nothing we could sell at home is on the table this season.".into(),
                    },
                }
            }
            _ => Decision {
                action: Action::EndTalks { side: v.side },
                reason: "Nothing to do.".into(),
            },
        }
    }

    fn beliefs(&self) -> Option<[f32; 7]> {
        Some(self.model.weights())
    }
}
