//! The legality of a move, written once over a [`Board`]: what a position shows of the world.
//! The whole match is a board, and so is one side's view with the public level, so the window,
//! the counterparts and a remote seat ask exactly the rules that `Match::apply` enforces,
//! without holding the match.

use super::action::{Action, ActionError, Item, Offer};
use super::measures::item_cost;
use super::offers::Preview;
use super::public::PublicLevel;
use super::rounds::Need;
use super::scenario::{Area, EventDef, MeasureDef, Needs, Requirement, ResponseDef, Side, Term};
use super::state::{Match, Stage, clamp100};
use super::tuning::MAX_ITEMS;
use super::view::SideView;

/// What the rules read of a position to judge a move.
pub trait Board {
    /// The measures catalogue.
    fn measures(&self) -> &[MeasureDef];
    /// Index of a measure by id.
    fn measure_index(&self, id: &str) -> Option<usize>;
    /// Prerequisites of measure `i`, resolved to indices.
    fn requirements(&self, i: usize) -> &[Needs];
    /// Index of a phase by id.
    fn phase_index(&self, id: &str) -> Option<usize>;
    /// Whether independent observers exist.
    fn observers(&self) -> bool;
    /// Offers plus counters allowed per round.
    fn exchanges(&self) -> u32;
    fn over(&self) -> bool;
    fn stage(&self) -> Stage;
    fn turn(&self) -> Side;
    fn exchanges_used(&self) -> u32;
    fn pending(&self) -> Option<&(Side, Offer)>;
    fn phase(&self) -> usize;
    /// Whether measure `i` is in force, by either side.
    fn in_force(&self, i: usize) -> bool;
    /// Whether measure `i` is in force undertaken by `by`.
    fn in_force_by(&self, i: usize, by: Side) -> bool;
    /// The undertaker and measure of a commitment in force.
    fn commitment(&self, id: u32) -> Option<(Side, usize)>;
    fn capital(&self, side: Side) -> f32;
    fn gesture_used(&self, side: Side) -> bool;
    fn implemented(&self, side: Side) -> bool;
    /// The event card in play and the sides it struck.
    fn event(&self) -> Option<(&EventDef, &[Side])>;
    fn answered(&self, side: Side) -> bool;
    /// Whether this position may judge moves for `side` (a view judges only its own).
    fn may_act(&self, side: Side) -> bool;
    /// Whether an instructor has paused the match.
    fn paused(&self) -> bool;
}

impl Board for Match {
    fn measures(&self) -> &[MeasureDef] {
        &self.scenario.measures
    }
    fn measure_index(&self, id: &str) -> Option<usize> {
        self.scenario.measure_index(id)
    }
    fn requirements(&self, i: usize) -> &[Needs] {
        self.scenario.requirements(i)
    }
    fn phase_index(&self, id: &str) -> Option<usize> {
        self.scenario.phase_index(id)
    }
    fn observers(&self) -> bool {
        self.scenario.observers.is_some()
    }
    fn exchanges(&self) -> u32 {
        self.scenario.exchanges
    }
    fn over(&self) -> bool {
        self.ending.is_some()
    }
    fn stage(&self) -> Stage {
        self.stage
    }
    fn turn(&self) -> Side {
        self.talks.turn
    }
    fn exchanges_used(&self) -> u32 {
        self.talks.exchanges_used
    }
    fn pending(&self) -> Option<&(Side, Offer)> {
        self.talks.pending.as_ref()
    }
    fn phase(&self) -> usize {
        self.phase
    }
    fn in_force(&self, i: usize) -> bool {
        Match::in_force(self, i)
    }
    fn in_force_by(&self, i: usize, by: Side) -> bool {
        Match::in_force_by(self, i, by)
    }
    fn commitment(&self, id: u32) -> Option<(Side, usize)> {
        self.commitments
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.by, c.measure))
    }
    fn capital(&self, side: Side) -> f32 {
        self.side(side).capital
    }
    fn gesture_used(&self, side: Side) -> bool {
        self.side(side).gesture_used
    }
    fn implemented(&self, side: Side) -> bool {
        self.side(side).implemented
    }
    fn event(&self) -> Option<(&EventDef, &[Side])> {
        self.event
            .as_ref()
            .map(|e| (&self.scenario.events[e.card], e.struck.as_slice()))
    }
    fn answered(&self, side: Side) -> bool {
        self.event
            .as_ref()
            .is_some_and(|e| e.answered[side.idx()].is_some())
    }
    fn may_act(&self, _: Side) -> bool {
        true
    }
    fn paused(&self) -> bool {
        self.paused
    }
}

/// One side's view of a match with the public level: the position a seat judges its moves on.
#[derive(Clone, Copy)]
pub struct Seen<'a> {
    pub view: &'a SideView,
    pub level: &'a PublicLevel,
}

impl<'a> Seen<'a> {
    /// The position `view` shows, read with `level`.
    pub fn new(view: &'a SideView, level: &'a PublicLevel) -> Self {
        Seen { view, level }
    }

    fn measure_of(&self, id: &std::sync::Arc<str>) -> Option<usize> {
        self.level.shared(id).map(|(i, _)| i)
    }
}

impl Board for Seen<'_> {
    fn measures(&self) -> &[MeasureDef] {
        &self.level.measures
    }
    fn measure_index(&self, id: &str) -> Option<usize> {
        self.level.measure_index(id)
    }
    fn requirements(&self, i: usize) -> &[Needs] {
        self.level.requirements(i)
    }
    fn phase_index(&self, id: &str) -> Option<usize> {
        self.level.phase_index(id)
    }
    fn observers(&self) -> bool {
        self.level.observers.is_some()
    }
    fn exchanges(&self) -> u32 {
        self.level.exchanges
    }
    fn over(&self) -> bool {
        self.view.ending.is_some()
    }
    fn stage(&self) -> Stage {
        self.view.stage
    }
    fn turn(&self) -> Side {
        self.view.turn
    }
    fn exchanges_used(&self) -> u32 {
        self.level
            .exchanges
            .saturating_sub(self.view.exchanges_left)
    }
    fn pending(&self) -> Option<&(Side, Offer)> {
        self.view.pending.as_ref()
    }
    fn phase(&self) -> usize {
        self.view.phase
    }
    fn in_force(&self, i: usize) -> bool {
        self.view
            .commitments
            .iter()
            .any(|c| self.measure_of(&c.measure) == Some(i))
    }
    fn in_force_by(&self, i: usize, by: Side) -> bool {
        self.view
            .commitments
            .iter()
            .any(|c| c.by == by && self.measure_of(&c.measure) == Some(i))
    }
    fn commitment(&self, id: u32) -> Option<(Side, usize)> {
        let c = self.view.commitments.iter().find(|c| c.id == id)?;
        Some((c.by, self.measure_of(&c.measure)?))
    }
    fn capital(&self, side: Side) -> f32 {
        if side == self.view.side {
            self.view.me.capital
        } else {
            self.view.them.capital
        }
    }
    fn gesture_used(&self, side: Side) -> bool {
        side == self.view.side && self.view.private.gesture_used
    }
    fn implemented(&self, side: Side) -> bool {
        side == self.view.side && !self.view.needs.contains(&Need::Implement)
    }
    fn event(&self) -> Option<(&EventDef, &[Side])> {
        let e = self.view.event.as_ref()?;
        Some((self.level.event(&e.card)?, e.struck.as_slice()))
    }
    fn answered(&self, side: Side) -> bool {
        side == self.view.side && !self.view.needs.contains(&Need::Respond)
    }
    fn may_act(&self, side: Side) -> bool {
        side == self.view.side
    }
    fn paused(&self) -> bool {
        self.view.paused
    }
}

/// Whether `action` is legal now on `b`. A move refused here is refused by `Match::apply` with
/// the same error, and a move allowed here is applied.
pub fn check<B: Board + ?Sized>(b: &B, action: &Action) -> Result<(), ActionError> {
    if b.over() {
        return Err(ActionError::MatchOver);
    }
    let side = action.side();
    if !b.may_act(side) {
        return Err(ActionError::NotYourSide);
    }
    if b.paused() {
        return Err(ActionError::Paused);
    }
    match action {
        Action::Respond { side, response } => {
            stage_is(b, Stage::Events)?;
            response_of(b, *side, response).map(|_| ())
        }
        Action::Propose { side, offer } => check_proposal(b, *side, offer, false),
        Action::Counter { side, offer } => check_proposal(b, *side, offer, true),
        Action::Accept { side } => {
            let (_, offer) = answerable(b, *side)?;
            check_affordable(b, *side, &offer.items)?;
            // The world may have moved since the offer was made (a prerequisite withdrawn).
            for it in &offer.items {
                check_item(b, it, &offer.items)?;
            }
            Ok(())
        }
        Action::Reject { side } => answerable(b, *side).map(|_| ()),
        Action::Gesture {
            side,
            measure,
            verification,
        } => gesture_item(b, *side, measure, *verification).map(|_| ()),
        Action::Withdraw { side, commitment } => {
            stage_is(b, Stage::Negotiation)?;
            let (by, i) = b
                .commitment(*commitment)
                .ok_or(ActionError::UnknownCommitment(*commitment))?;
            if by != *side {
                return Err(ActionError::NotYourCommitment(*commitment));
            }
            let m = &b.measures()[i];
            if !m.withdrawable {
                return Err(ActionError::NotWithdrawable {
                    measure: m.id.clone(),
                });
            }
            Ok(())
        }
        Action::EndTalks { side } => {
            stage_is(b, Stage::Negotiation)?;
            if b.turn() != *side {
                return Err(ActionError::NotYourTurn);
            }
            if b.pending().is_some() {
                return Err(ActionError::OfferPending);
            }
            Ok(())
        }
        Action::Implement { side, breaks } => {
            stage_is(b, Stage::Implementation)?;
            if b.implemented(*side) {
                return Err(ActionError::AlreadyImplemented);
            }
            for id in breaks {
                match b.commitment(*id) {
                    None => return Err(ActionError::UnknownCommitment(*id)),
                    Some((by, _)) if by != *side => {
                        return Err(ActionError::NotYourCommitment(*id));
                    }
                    _ => {}
                }
            }
            Ok(())
        }
    }
}

fn stage_is<B: Board + ?Sized>(b: &B, expected: Stage) -> Result<(), ActionError> {
    if b.stage() == expected {
        Ok(())
    } else {
        Err(ActionError::WrongStage {
            expected,
            actual: b.stage(),
        })
    }
}

/// The offer `side` may answer now, and who made it.
pub(crate) fn answerable<B: Board + ?Sized>(
    b: &B,
    side: Side,
) -> Result<(Side, &Offer), ActionError> {
    stage_is(b, Stage::Negotiation)?;
    let (from, offer) = b.pending().ok_or(ActionError::NoOfferPending)?;
    if *from == side {
        return Err(ActionError::NotYourTurn);
    }
    Ok((*from, offer))
}

fn check_proposal<B: Board + ?Sized>(
    b: &B,
    side: Side,
    offer: &Offer,
    counter: bool,
) -> Result<(), ActionError> {
    stage_is(b, Stage::Negotiation)?;
    if b.turn() != side {
        return Err(ActionError::NotYourTurn);
    }
    match (counter, b.pending().is_some()) {
        (false, true) => return Err(ActionError::OfferPending),
        (true, false) => return Err(ActionError::NoOfferPending),
        _ => {}
    }
    if b.exchanges_used() >= b.exchanges() {
        return Err(ActionError::NoExchangesLeft);
    }
    check_offer(b, side, offer)
}

/// The response `side` gives to the event card in play, checked.
pub(crate) fn response_of<'b, B: Board + ?Sized>(
    b: &'b B,
    side: Side,
    response: &str,
) -> Result<(usize, &'b ResponseDef), ActionError> {
    let (def, struck) = b.event().ok_or(ActionError::NotStruck)?;
    if !struck.contains(&side) {
        return Err(ActionError::NotStruck);
    }
    if b.answered(side) {
        return Err(ActionError::AlreadyAnswered);
    }
    let (ri, r) = def
        .responses
        .iter()
        .enumerate()
        .find(|(_, r)| r.id == response)
        .ok_or_else(|| ActionError::UnknownResponse(response.to_string()))?;
    if !response_available(b, side, r) {
        return Err(ActionError::ResponseUnavailable(response.to_string()));
    }
    Ok((ri, r))
}

/// Whether `side` can give response `r` now: it can pay, and what it needs is in force.
pub fn response_available<B: Board + ?Sized>(b: &B, side: Side, r: &ResponseDef) -> bool {
    r.cost <= b.capital(side) + 1e-4
        && r.needs_measure
            .as_ref()
            .is_none_or(|id| b.measure_index(id).is_some_and(|i| b.in_force(i)))
}

/// The one commitment a gesture puts in force, checked.
pub(crate) fn gesture_item<B: Board + ?Sized>(
    b: &B,
    side: Side,
    measure: &str,
    verification: Option<usize>,
) -> Result<Item, ActionError> {
    stage_is(b, Stage::Negotiation)?;
    if b.gesture_used(side) {
        return Err(ActionError::GestureUsed);
    }
    let i = b
        .measure_index(measure)
        .ok_or_else(|| ActionError::UnknownMeasure(measure.to_string()))?;
    let m = &b.measures()[i];
    if !m.gesture {
        return Err(ActionError::NotAGesture {
            measure: measure.to_string(),
        });
    }
    let item = Item {
        measure: measure.to_string(),
        by: side,
        verification,
        term: m.terms.first().copied().unwrap_or(Term::Pledge),
    };
    let items = std::slice::from_ref(&item);
    check_item(b, &item, items)?;
    check_affordable(b, side, items)?;
    Ok(item)
}

/// Check every commitment of an offer made by `from`, and that `from` can pay its part.
pub fn check_offer<B: Board + ?Sized>(b: &B, from: Side, offer: &Offer) -> Result<(), ActionError> {
    if offer.items.is_empty() {
        return Err(ActionError::EmptyOffer);
    }
    if offer.items.len() > MAX_ITEMS {
        return Err(ActionError::TooManyItems { max: MAX_ITEMS });
    }
    for (n, it) in offer.items.iter().enumerate() {
        if offer.items[..n]
            .iter()
            .any(|p| p.measure == it.measure && p.by == it.by)
        {
            return Err(ActionError::Duplicate {
                measure: it.measure.clone(),
            });
        }
        check_item(b, it, &offer.items)?;
    }
    check_affordable(b, from, &offer.items)
}

/// Check one commitment; `package` holds the commitments signed with it, which count for
/// prerequisites. Returns the measure's index.
pub fn check_item<B: Board + ?Sized>(
    b: &B,
    item: &Item,
    package: &[Item],
) -> Result<usize, ActionError> {
    let i = b
        .measure_index(&item.measure)
        .ok_or_else(|| ActionError::UnknownMeasure(item.measure.clone()))?;
    let m = &b.measures()[i];
    if !m.by.allows(item.by) {
        return Err(ActionError::NotAllowedFor {
            measure: m.id.clone(),
            side: item.by,
        });
    }
    if let Some(v) = item.verification {
        let ok = m
            .verification
            .get(v)
            .is_some_and(|v| !v.needs_observers || b.observers());
        if !ok {
            return Err(ActionError::BadVerification {
                measure: m.id.clone(),
            });
        }
    }
    let term_ok = if m.terms.is_empty() {
        item.term == Term::Pledge
    } else {
        m.terms.contains(&item.term)
    };
    if !term_ok {
        return Err(ActionError::BadTerm {
            measure: m.id.clone(),
        });
    }
    if b.in_force_by(i, item.by) {
        return Err(ActionError::AlreadyInForce {
            measure: m.id.clone(),
        });
    }
    for r in &m.requires {
        if !requirement_met(b, r, package) {
            let needs = match r {
                Requirement::Measure(id) => format!("'{id}' in force"),
                Requirement::Phase(p) => format!("the '{p}' phase"),
            };
            return Err(ActionError::PrerequisiteMissing {
                measure: m.id.clone(),
                needs,
            });
        }
    }
    Ok(i)
}

/// Whether a prerequisite holds now, counting measures signed in the same package.
pub fn requirement_met<B: Board + ?Sized>(b: &B, r: &Requirement, package: &[Item]) -> bool {
    match r {
        Requirement::Measure(id) => {
            package.iter().any(|p| &p.measure == id)
                || b.measure_index(id).is_some_and(|i| b.in_force(i))
        }
        Requirement::Phase(p) => b.phase_index(p).is_some_and(|i| b.phase() >= i),
    }
}

/// Whether every prerequisite of measure `i` holds now (nothing counted from a package), with
/// `in_force` telling whether a measure is in force.
pub fn prerequisites_met_by<B: Board + ?Sized>(
    b: &B,
    i: usize,
    in_force: impl Fn(usize) -> bool,
) -> bool {
    b.requirements(i).iter().all(|r| match *r {
        Needs::Measure(m) => in_force(m),
        Needs::Phase(p) => b.phase() >= p,
        Needs::Unknown => false,
    })
}

/// Political capital `side` pays for its own commitments in `items`.
pub fn package_cost<B: Board + ?Sized>(b: &B, side: Side, items: &[Item]) -> f32 {
    items
        .iter()
        .filter(|it| it.by == side)
        .filter_map(|it| {
            b.measure_index(&it.measure)
                .map(|i| item_cost(&b.measures()[i], it.verification))
        })
        .sum()
}

/// Refuse a package `side` cannot pay for.
pub fn check_affordable<B: Board + ?Sized>(
    b: &B,
    side: Side,
    items: &[Item],
) -> Result<(), ActionError> {
    let need = package_cost(b, side, items);
    let have = b.capital(side);
    if need > have + 1e-4 {
        return Err(ActionError::Unaffordable { need, have });
    }
    Ok(())
}

/// A side's utility of one commitment with its normalised priorities `weights` (by
/// `Area as usize`): a burden for its own commitments, a value for the other side's.
pub fn item_worth(weights: &[f32; 7], m: &MeasureDef, own: bool) -> f32 {
    let w = weights[m.area as usize];
    if own { -w * m.burden } else { w * m.value }
}

/// The lowest and highest raw utility any package of the catalogue can give a side with
/// `weights`.
pub fn worth_range(weights: &[f32; 7], measures: &[MeasureDef], side: Side) -> (f32, f32) {
    let mut lo = 0.0;
    let mut hi = 0.0;
    for m in measures {
        for by in Side::BOTH {
            if m.by.allows(by) {
                let u = item_worth(weights, m, by == side);
                if u < 0.0 {
                    lo += u;
                } else {
                    hi += u;
                }
            }
        }
    }
    (lo, hi)
}

/// A view's normalised priorities by `Area as usize`.
pub fn weights_of(view: &SideView) -> [f32; 7] {
    Area::ALL.map(|a| view.private.priorities.get(&a).copied().unwrap_or(0.0))
}

/// What `items` would do at home to the view's own side if signed now: what it costs, how the
/// factions would take it, whether it would pass, and what it is worth by the side's own
/// priorities. Everything it reads is the side's own or public.
pub fn preview(view: &SideView, level: &PublicLevel, items: &[Item]) -> Preview {
    let seen = Seen::new(view, level);
    let side = view.side;
    let capital_cost = package_cost(&seen, side, items);
    let resolved: Vec<(&MeasureDef, bool)> = items
        .iter()
        .filter_map(|it| {
            level
                .measure_index(&it.measure)
                .map(|i| (&level.measures[i], it.by == side))
        })
        .collect();
    let factions = super::politics::reactions_to(&view.private.faction_rates, &resolved);
    let after: Vec<f32> = view
        .me
        .factions
        .iter()
        .zip(&factions)
        .map(|(f, d)| clamp100(f.approval + d))
        .collect();
    let support = super::state::weighted_factions(&view.private.factions, &after);
    let weights = weights_of(view);
    let (lo, hi) = worth_range(&weights, &level.measures, side);
    let span = (hi - lo).max(1e-6);
    let mut p = Preview {
        side,
        capital_cost,
        capital_left: view.me.capital - capital_cost,
        factions,
        support,
        ratifies: support >= view.private.ratify_at,
        utility: 0.0,
        tension_per_round: 0.0,
        trust_per_round: 0.0,
        economy_per_round: 0.0,
        security_per_round: 0.0,
    };
    for (m, own) in resolved {
        p.utility += item_worth(&weights, m, own) / span;
        p.tension_per_round += m.effects.tension;
        if own {
            p.economy_per_round += m.effects.economy;
            p.security_per_round += m.effects.security;
        } else {
            p.trust_per_round += m.effects.trust;
            p.economy_per_round += m.effects.other_economy;
            p.security_per_round += m.effects.other_security;
        }
    }
    p
}
