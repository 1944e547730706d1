//! The semantic pass: what a well-formed file can still get wrong.
//!
//! [`validate`] calls one function per section of a level, in the order of the file. They share
//! a [`Checker`], which turns a [`Place`] (a field path and the way to find that field in the
//! text) into an error with a line and column, and which holds the checks that recur: numbers,
//! ids and effects groups.
//!
//! Each section destructures its part of the scenario in full, so a field added to the format
//! fails to compile here until someone decides how to check it.

mod map;
mod texts;

use super::locate::{Place, Source};
use super::{ErrorKind, LevelError};
use crate::sim::media::slots_of;
use crate::sim::scenario::*;
use std::collections::{BTreeMap, BTreeSet};

/// Weights the rules divide by their total must add up to at least this.
const LEAST_TOTAL: f32 = 1e-6;

/// The largest relative weight (faction and event `weight`, `priorities`). Weights only count
/// relative to each other, so this is far beyond any need, and it keeps their totals, which
/// the rules divide by, from overflowing to infinity.
const MOST_WEIGHT: f32 = 1000.0;

/// The guide's range for a measure's `cost`. Its lower end is 0, not the guide's 1, because the
/// guide also gives `cost` a default of 0.
const MEASURE_COST: (f32, f32) = (0.0, 8.0);

const NOT_FINITE: &str = "must be an ordinary number, not NaN or infinity (a number as large as 1e39 counts as infinity)";

/// Check a parsed scenario; `text` is its source, used to point at lines.
pub fn validate(file: &str, text: &str, sc: &Scenario) -> Vec<LevelError> {
    let mut c = Checker::new(file, text);
    let names = Names::of(sc);
    check_top(&mut c, sc);
    check_sides(&mut c, sc);
    check_phases(&mut c, sc);
    check_measures(&mut c, sc, &names);
    check_events(&mut c, sc, &names);
    check_outlets(&mut c, &sc.outlets);
    check_headlines(&mut c, &sc.headlines, &names);
    check_end(&mut c, sc);
    check_ai(&mut c, &sc.ai);
    check_mediator(&mut c, sc.mediator.as_ref());
    map::check_map(&mut c, sc);
    texts::check_texts(&mut c, sc);
    c.errors
}

/// The ids other fields may refer to.
struct Names<'s> {
    measures: BTreeSet<&'s str>,
    phases: BTreeSet<&'s str>,
    outlets: BTreeSet<&'s str>,
}

impl<'s> Names<'s> {
    fn of(sc: &'s Scenario) -> Self {
        Names {
            measures: sc.measures.iter().map(|m| m.id.as_str()).collect(),
            phases: sc.phases.iter().map(|p| p.id.as_str()).collect(),
            outlets: sc.outlets.iter().map(|o| o.id.as_str()).collect(),
        }
    }
}

// ---------- sections ----------

/// The level's own fields and `start`.
fn check_top(c: &mut Checker, sc: &Scenario) {
    let Scenario {
        id,
        title: _,
        summary: _,
        history: _,
        rounds,
        exchanges,
        event_chance,
        start,
        side_a: _,
        side_b: _,
        phases: _,
        measures: _,
        events: _,
        outlets: _,
        headlines: _,
        end: _,
        ai: _,
        observers: _,
        mediator: _,
        map: _,
        derived: _,
    } = sc;
    let top = Place::root();
    c.id(&top.field("id"), id);
    c.whole(&top.field("rounds"), *rounds, 1, 200);
    c.whole(&top.field("exchanges"), *exchanges, 1, 20);
    c.range(&top.field("event_chance"), *event_chance, 0.0, 1.0);

    let StartDef {
        tension,
        trust_a,
        trust_b,
    } = start;
    let p = top.field("start");
    for (f, v) in [
        ("tension", tension),
        ("trust_a", trust_a),
        ("trust_b", trust_b),
    ] {
        c.range(&p.field(f), *v, 0.0, 100.0);
    }
}

/// Both states, then what they must not share.
fn check_sides(c: &mut Checker, sc: &Scenario) {
    for s in Side::BOTH {
        let key = if s == Side::A { "side_a" } else { "side_b" };
        check_side(c, sc, s, &Place::root().field(key));
    }
    if sc.side_a.id == sc.side_b.id {
        c.err(
            &Place::root().field("side_b").field("id"),
            ErrorKind::BadId,
            "both states have the same id",
        );
    }
}

/// One state: its factions, priorities, meters and thresholds.
fn check_side(c: &mut Checker, sc: &Scenario, s: Side, p: &Place) {
    let SideDef {
        id,
        name: _,
        leader: _,
        brief: _,
        priorities,
        factions,
        capital,
        capital_per_round,
        max_capital,
        economy,
        security,
        ratify_at,
        ouster_below,
        on_ouster: _,
    } = sc.side(s);
    c.id(&p.field("id"), id);
    check_factions(c, &p.field("factions"), factions);
    check_priorities(c, &p.field("priorities"), priorities);
    for (f, v, lo, hi) in [
        ("capital", capital, 0.0, 1000.0),
        ("capital_per_round", capital_per_round, 0.0, 1000.0),
        ("max_capital", max_capital, 0.0, 1000.0),
        ("economy", economy, 0.0, 100.0),
        ("security", security, 0.0, 100.0),
        ("ratify_at", ratify_at, 0.0, 100.0),
        ("ouster_below", ouster_below, 0.0, 100.0),
    ] {
        c.range(&p.field(f), *v, lo, hi);
    }
    let start = crate::sim::state::weighted_approval(
        sc,
        s,
        &factions.iter().map(|f| f.approval).collect::<Vec<_>>(),
    );
    if !factions.is_empty() && start < *ouster_below {
        c.err(
            &p.field("ouster_below"),
            ErrorKind::Inconsistent,
            format!(
                "the leader starts at {start:.0}% approval, already below the ouster threshold {ouster_below}"
            ),
        );
    }
}

/// A state's factions; `list` is the `factions` field.
fn check_factions(c: &mut Checker, list: &Place, factions: &[FactionDef]) {
    if factions.is_empty() {
        c.err(
            list,
            ErrorKind::Inconsistent,
            "a state needs at least one faction",
        );
    }
    c.ids(list, factions.iter().map(|f| &f.id));
    let mut weights_ok = true;
    for (i, f) in factions.iter().enumerate() {
        let FactionDef {
            id: _,
            name: _,
            weight,
            approval,
            hawkish,
            gives,
            gets,
        } = f;
        let p = list.index(i);
        weights_ok &= c.weight(&p.field("weight"), *weight);
        c.range(&p.field("approval"), *approval, 0.0, 100.0);
        c.range(&p.field("hawkish"), *hawkish, -1.0, 1.0);
        for (map, table) in [("gives", gives), ("gets", gets)] {
            for (a, v) in table {
                c.range(&p.field(map).entry(&format!("{a:?}")), *v, -10.0, 10.0);
            }
        }
    }
    // The leader's approval is the weights' average; a near-zero total makes it explode.
    let total: f32 = factions.iter().map(|f| f.weight).sum();
    if weights_ok && !factions.is_empty() && total < LEAST_TOTAL {
        c.err(
            list,
            ErrorKind::OutOfRange,
            format!(
                "the faction weights add up to {total}, which is practically 0; give them weights that add up to about 1"
            ),
        );
    }
}

/// A state's private priorities over the areas.
fn check_priorities(c: &mut Checker, p: &Place, priorities: &BTreeMap<Area, f32>) {
    let mut finite = true;
    for (a, w) in priorities {
        let at = p.entry(&format!("{a:?}"));
        if !c.finite(&at, *w) {
            finite = false;
        } else if *w < 0.0 {
            c.err(&at, ErrorKind::OutOfRange, "weights cannot be negative");
        } else if *w > MOST_WEIGHT {
            c.err(&at, ErrorKind::OutOfRange, too_heavy(*w));
        }
    }
    let missing: Vec<String> = Area::ALL
        .iter()
        .filter(|a| !priorities.contains_key(a))
        .map(|a| format!("{a:?}"))
        .collect();
    if !missing.is_empty() {
        c.err(
            p,
            ErrorKind::Inconsistent,
            format!(
                "list all seven areas, with 0.0 for those this state does not care about; missing: {}",
                missing.join(", ")
            ),
        );
    }
    // The rules divide by the total to turn the weights into shares.
    let total = priorities.values().map(|w| w.max(0.0)).sum::<f32>();
    if finite && total <= 0.0 {
        c.err(
            p,
            ErrorKind::OutOfRange,
            "at least one area needs a weight above 0",
        );
    } else if finite && total < LEAST_TOTAL {
        c.err(
            p,
            ErrorKind::OutOfRange,
            format!("the weights add up to {total}, which is practically 0; at least one area needs a clear weight above 0"),
        );
    }
}

/// The phases of the relationship.
fn check_phases(c: &mut Checker, sc: &Scenario) {
    let list = Place::root().field("phases");
    if sc.phases.is_empty() {
        c.err(
            &list,
            ErrorKind::Inconsistent,
            "at least one phase is needed",
        );
    }
    c.ids(&list, sc.phases.iter().map(|p| &p.id));
    let areas_present: BTreeSet<Area> = sc.measures.iter().map(|m| m.area).collect();
    for (i, ph) in sc.phases.iter().enumerate() {
        let PhaseDef {
            id: _,
            name: _,
            min_trust,
            max_tension,
            areas,
        } = ph;
        let p = list.index(i);
        c.range(&p.field("min_trust"), *min_trust, 0.0, 100.0);
        c.range(&p.field("max_tension"), *max_tension, 0.0, 100.0);
        for a in areas {
            if !areas_present.contains(a) {
                c.err(
                    &p.field("areas"),
                    ErrorKind::Inconsistent,
                    format!("no measure of area {a:?} exists, so this phase can never be reached"),
                );
            }
        }
    }
}

/// The catalogue of measures, then the loops their prerequisites may form.
fn check_measures(c: &mut Checker, sc: &Scenario, names: &Names) {
    let list = Place::root().field("measures");
    if sc.measures.is_empty() {
        c.err(
            &list,
            ErrorKind::Inconsistent,
            "the catalogue needs at least one measure",
        );
    }
    c.ids(&list, sc.measures.iter().map(|m| &m.id));
    for (i, m) in sc.measures.iter().enumerate() {
        check_measure(c, &list.index(i), m, sc.observers.is_some(), names);
        check_affordable(c, sc, &list.index(i), m);
    }
    check_cycles(c, sc);
}

/// Capital never rises above `max_capital`, so a measure that costs more than every state that
/// may undertake it can hold could never be signed. (A verification option may always be left
/// out, so only the measure's own cost counts.)
fn check_affordable(c: &mut Checker, sc: &Scenario, p: &Place, m: &MeasureDef) {
    let caps: Vec<f32> = Side::BOTH
        .into_iter()
        .filter(|s| m.by.allows(*s))
        .map(|s| sc.side(s).max_capital)
        .collect();
    if m.cost.is_finite() && caps.iter().all(|cap| m.cost > *cap) {
        let most = caps.iter().copied().fold(0.0, f32::max);
        c.err(
            &p.field("cost"),
            ErrorKind::Inconsistent,
            format!(
                "costs {}, more than the {most} a state that may undertake it can ever hold (`max_capital`): it could never be signed",
                m.cost
            ),
        );
    }
}

/// One measure: its numbers, effects, verification, terms and prerequisites.
fn check_measure(c: &mut Checker, p: &Place, m: &MeasureDef, observers: bool, names: &Names) {
    let MeasureDef {
        id,
        name: _,
        area: _,
        by: _,
        description: _,
        cost,
        value,
        burden,
        effects,
        on_sign,
        verification,
        terms,
        requires,
        withdrawable: _,
        gesture: _,
        breach_gain,
        place: _,
        icon: _,
    } = m;
    c.range(&p.field("value"), *value, 0.0, 10.0);
    c.range(&p.field("burden"), *burden, 0.0, 10.0);
    c.range(&p.field("cost"), *cost, MEASURE_COST.0, MEASURE_COST.1);
    c.effects(&p.field("effects"), effects);
    c.effects(&p.field("on_sign"), on_sign);
    c.effects(&p.field("breach_gain"), breach_gain);
    check_verification(c, p, verification, observers);
    check_terms(c, p, terms);
    check_requires(c, p, id, requires, names);
}

/// A measure's verification options; `observers` tells whether the level has any.
fn check_verification(c: &mut Checker, measure: &Place, options: &[Verification], observers: bool) {
    for (j, v) in options.iter().enumerate() {
        let Verification {
            name: _,
            detection,
            cost,
            needs_observers,
        } = v;
        let p = measure.item("verification", j);
        c.range(&p.field("detection"), *detection, 0.0, 1.0);
        c.range(&p.field("cost"), *cost, 0.0, 100.0);
        if *needs_observers && !observers {
            c.err(
                &p.field("needs_observers"),
                ErrorKind::Inconsistent,
                "this level has no observers; set `observers` or drop this option",
            );
        }
    }
}

/// A measure's terms.
fn check_terms(c: &mut Checker, measure: &Place, terms: &[Term]) {
    for (j, t) in terms.iter().enumerate() {
        if matches!(t, Term::Sunset(0) | Term::Treaty(0)) {
            c.err(
                &measure.item("terms", j),
                ErrorKind::OutOfRange,
                "a sunset or review period must be at least 1 round",
            );
        }
    }
}

/// A measure's prerequisites name measures and phases that exist, and not the measure itself.
fn check_requires(
    c: &mut Checker,
    measure: &Place,
    own: &str,
    requires: &[Requirement],
    names: &Names,
) {
    for (j, r) in requires.iter().enumerate() {
        let p = measure.item("requires", j);
        match r {
            Requirement::Measure(id) if !names.measures.contains(id.as_str()) => c.err(
                &p.text(quoted(id)),
                ErrorKind::UnknownName,
                format!("unknown measure '{id}'"),
            ),
            Requirement::Measure(id) if id == own => c.err(
                &p,
                ErrorKind::Inconsistent,
                "a measure cannot require itself",
            ),
            Requirement::Phase(id) if !names.phases.contains(id.as_str()) => c.err(
                &p.text(quoted(id)),
                ErrorKind::UnknownName,
                format!("unknown phase '{id}'"),
            ),
            _ => {}
        }
    }
}

/// Prerequisite chains must not loop, or none of the measures on the loop could ever be signed.
fn check_cycles(c: &mut Checker, sc: &Scenario) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let deps: Vec<Vec<usize>> = sc
        .measures
        .iter()
        .map(|m| {
            m.requires
                .iter()
                .filter_map(|r| match r {
                    Requirement::Measure(id) => sc.measure_index(id),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut mark = vec![Mark::New; deps.len()];
    let mut reported = BTreeSet::new();
    for start in 0..deps.len() {
        if mark[start] != Mark::New {
            continue;
        }
        // Iterative depth-first search keeping the current path to name the loop.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Active;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if *next < deps[node].len() {
                let d = deps[node][*next];
                *next += 1;
                match mark[d] {
                    Mark::New => {
                        mark[d] = Mark::Active;
                        stack.push((d, 0));
                    }
                    Mark::Active => {
                        let from = stack.iter().position(|(x, _)| *x == d).unwrap_or(0);
                        let cycle: Vec<usize> = stack[from..].iter().map(|(x, _)| *x).collect();
                        let key = *cycle.iter().min().unwrap_or(&d);
                        if reported.insert(key) {
                            let names: Vec<&str> = cycle
                                .iter()
                                .chain(std::iter::once(&d))
                                .map(|&i| sc.measures[i].id.as_str())
                                .collect();
                            c.err(
                                &Place::root().item("measures", d).field("requires"),
                                ErrorKind::Inconsistent,
                                format!("prerequisites form a loop: {}", names.join(" -> ")),
                            );
                        }
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
}

/// The event deck.
fn check_events(c: &mut Checker, sc: &Scenario, names: &Names) {
    let list = Place::root().field("events");
    c.ids(&list, sc.events.iter().map(|e| &e.id));
    for (i, e) in sc.events.iter().enumerate() {
        check_event(c, &list.index(i), e, sc.rounds, names);
    }
}

/// One event card; `rounds` is the level's round limit.
fn check_event(c: &mut Checker, p: &Place, e: &EventDef, rounds: u32, names: &Names) {
    let EventDef {
        id: _,
        title: _,
        text: _,
        weight,
        once: _,
        trigger,
        target: _,
        effects,
        responses,
    } = e;
    let w = p.field("weight");
    if c.finite(&w, *weight) {
        if *weight < 0.0 {
            c.err(&w, ErrorKind::OutOfRange, "weight cannot be negative");
        } else if *weight == 0.0 {
            c.err(
                &w,
                ErrorKind::OutOfRange,
                "weight must be above 0, got 0: the card would never be drawn",
            );
        } else if *weight > MOST_WEIGHT {
            c.err(&w, ErrorKind::OutOfRange, too_heavy(*weight));
        }
    }
    check_trigger(c, &p.field("trigger"), trigger, rounds, names);
    c.effects(&p.field("effects"), effects);
    check_responses(c, &p.field("responses"), responses, names);
}

/// An event's trigger: its conditions must be able to hold together.
fn check_trigger(c: &mut Checker, p: &Place, t: &Trigger, rounds: u32, names: &Names) {
    let Trigger {
        min_round,
        max_round,
        min_tension,
        max_tension,
        min_phase,
        max_phase,
        measure_in_force,
        measure_absent,
    } = t;
    for (f, v) in [("min_tension", min_tension), ("max_tension", max_tension)] {
        if let Some(v) = v {
            c.range(&p.field(f), *v, 0.0, 100.0);
        }
    }
    if let (Some(a), Some(b)) = (min_round, max_round)
        && a > b
    {
        c.err(
            p,
            ErrorKind::Inconsistent,
            format!("min_round {a} is after max_round {b}: never drawn"),
        );
    }
    if min_round.is_some_and(|r| r > rounds) {
        c.err(
            &p.field("min_round"),
            ErrorKind::Inconsistent,
            format!("the level has only {rounds} rounds: never drawn"),
        );
    }
    if let (Some(a), Some(b)) = (min_tension, max_tension)
        && a > b
    {
        c.err(
            p,
            ErrorKind::Inconsistent,
            "min_tension is above max_tension: never drawn",
        );
    }
    for (f, id) in [("min_phase", min_phase), ("max_phase", max_phase)] {
        if let Some(id) = id
            && !names.phases.contains(id.as_str())
        {
            c.err(
                &p.field(f),
                ErrorKind::UnknownName,
                format!("unknown phase '{id}'"),
            );
        }
    }
    for (f, id) in [
        ("measure_in_force", measure_in_force),
        ("measure_absent", measure_absent),
    ] {
        if let Some(id) = id
            && !names.measures.contains(id.as_str())
        {
            c.err(
                &p.field(f),
                ErrorKind::UnknownName,
                format!("unknown measure '{id}'"),
            );
        }
    }
}

/// An event's responses; `list` is the `responses` field.
fn check_responses(c: &mut Checker, list: &Place, responses: &[ResponseDef], names: &Names) {
    c.ids(list, responses.iter().map(|r| &r.id));
    for (j, r) in responses.iter().enumerate() {
        let ResponseDef {
            id: _,
            label: _,
            effects,
            needs_measure,
            cost,
        } = r;
        let p = list.index(j);
        if let Some(id) = needs_measure
            && !names.measures.contains(id.as_str())
        {
            c.err(
                &p.field("needs_measure"),
                ErrorKind::UnknownName,
                format!("unknown measure '{id}'"),
            );
        }
        c.range(&p.field("cost"), *cost, 0.0, 100.0);
        c.effects(&p.field("effects"), effects);
    }
    if !responses.is_empty()
        && responses
            .iter()
            .all(|r| r.needs_measure.is_some() || r.cost > 0.0)
    {
        c.err(
            list,
            ErrorKind::Inconsistent,
            "give this event a free answer: a response with no `cost` (or `cost: 0.0`) and no `needs_measure`, so that a struck state can always answer",
        );
    }
}

/// The news outlets.
fn check_outlets(c: &mut Checker, outlets: &[OutletDef]) {
    let list = Place::root().field("outlets");
    if outlets.is_empty() {
        c.err(
            &list,
            ErrorKind::Inconsistent,
            "at least one outlet is needed",
        );
    }
    c.ids(&list, outlets.iter().map(|o| &o.id));
    for (i, o) in outlets.iter().enumerate() {
        let OutletDef {
            id: _,
            name: _,
            side: _,
            tone,
            slant,
            reach,
        } = o;
        let p = list.index(i);
        c.range(&p.field("tone"), *tone, 0.0, 100.0);
        c.range(&p.field("slant"), *slant, -1.0, 1.0);
        c.range(&p.field("reach"), *reach, 0.0, 1.0);
    }
}

/// The headline templates: their outlets and slots, and the kinds every outlet must be able to
/// report.
fn check_headlines(c: &mut Checker, headlines: &[HeadlineDef], names: &Names) {
    let list = Place::root().field("headlines");
    let mut kinds: BTreeMap<NewsKind, usize> = BTreeMap::new();
    for (i, h) in headlines.iter().enumerate() {
        let HeadlineDef {
            kind,
            outlet,
            spin: _,
            text,
        } = h;
        let p = list.index(i);
        match outlet {
            Some(o) if !names.outlets.contains(o.as_str()) => c.err(
                &p.field("outlet"),
                ErrorKind::UnknownName,
                format!("unknown outlet '{o}'"),
            ),
            Some(_) => {}
            None => *kinds.entry(*kind).or_default() += 1,
        }
        for s in slots_of(text) {
            if !NewsKind::COMMON_SLOTS.contains(&s) && !kind.slots().contains(&s) {
                let allowed: Vec<String> = NewsKind::COMMON_SLOTS
                    .iter()
                    .chain(kind.slots())
                    .map(|a| format!("{{{a}}}"))
                    .collect();
                c.err(
                    &p.field("text").text(format!("{{{s}}}")),
                    ErrorKind::UnknownName,
                    format!(
                        "no slot {{{s}}} for {kind:?} headlines; use one of {}",
                        allowed.join(" ")
                    ),
                );
            }
        }
    }
    for k in [
        NewsKind::Agreement,
        NewsKind::BreachCaught,
        NewsKind::Event,
        NewsKind::Quiet,
    ] {
        if !kinds.contains_key(&k) {
            c.err(
                &list,
                ErrorKind::Inconsistent,
                format!("no template of kind {k:?} for every outlet; the press would stay silent about it"),
            );
        }
    }
}

/// How the match ends: every condition must be reachable within the level.
fn check_end(c: &mut Checker, sc: &Scenario) {
    let EndDef {
        clash_at,
        normalize_phase,
        hold_rounds,
        treaties,
        epilogues,
    } = &sc.end;
    let p = Place::root().field("end");
    for (kind, text) in epilogues {
        if text.trim().is_empty() {
            c.err(
                &p.field("epilogues").entry(&format!("{kind:?}")),
                ErrorKind::Inconsistent,
                "an epilogue cannot be empty; leave that ending out instead",
            );
        }
    }
    match sc.phase_index(normalize_phase) {
        None => c.err(
            &p.field("normalize_phase"),
            ErrorKind::UnknownName,
            format!("unknown phase '{normalize_phase}'"),
        ),
        Some(pi) => {
            let ph = &sc.phases[pi];
            if ph.min_trust > 100.0 || ph.max_tension < 0.0 {
                c.err(
                    &p.field("normalize_phase"),
                    ErrorKind::Inconsistent,
                    "that phase's thresholds can never be met",
                );
            }
        }
    }
    if *hold_rounds == 0 || *hold_rounds > sc.rounds {
        c.err(
            &p.field("hold_rounds"),
            ErrorKind::OutOfRange,
            format!(
                "{hold_rounds} can never be met in a {}-round match (use 1..{})",
                sc.rounds, sc.rounds
            ),
        );
    }
    let treaty_slots = crate::sim::scoring::candidates(sc)
        .iter()
        .filter(|(i, _)| {
            sc.measures[*i]
                .terms
                .iter()
                .any(|t| matches!(t, Term::Treaty(_)))
        })
        .count() as u32;
    if *treaties > treaty_slots {
        c.err(
            &p.field("treaties"),
            ErrorKind::Inconsistent,
            format!(
                "needs {treaties} treaties but the catalogue allows only {treaty_slots} treaty commitments"
            ),
        );
    }
    let at = p.field("clash_at");
    if c.finite(&at, *clash_at) && (*clash_at <= sc.start.tension || *clash_at > 100.0) {
        c.err(
            &at,
            ErrorKind::OutOfRange,
            format!(
                "{clash_at} must be above the starting tension {} and at most 100",
                sc.start.tension
            ),
        );
    }
}

/// The computer counterpart's settings.
fn check_ai(c: &mut Checker, ai: &AiDef) {
    let AiDef {
        personality: _,
        difficulty: _,
        flexibility,
        deceit,
    } = ai;
    let p = Place::root().field("ai");
    c.range(&p.field("flexibility"), *flexibility, 0.0, 1.0);
    c.range(&p.field("deceit"), *deceit, 0.0, 1.0);
}

/// The mediator, if the level has one. (`observers` is only a name; the measures that need it
/// are checked with their verification.)
fn check_mediator(c: &mut Checker, mediator: Option<&MediatorDef>) {
    if let Some(MediatorDef { name: _, chance }) = mediator {
        c.range(
            &Place::root().field("mediator").field("chance"),
            *chance,
            0.0,
            1.0,
        );
    }
}

/// Collects the errors of one file.
struct Checker<'a> {
    file: &'a str,
    src: Source<'a>,
    errors: Vec<LevelError>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Checker {
            file,
            src: Source::new(text),
            errors: Vec::new(),
        }
    }

    fn err(&mut self, p: &Place, kind: ErrorKind, message: impl Into<String>) {
        let pos = self.src.locate(p);
        self.errors.push(LevelError {
            file: self.file.into(),
            pos,
            field: p.path.clone(),
            kind,
            // Messages quote the level's own values, which may hold the very characters
            // reported.
            message: super::visible(&message.into()),
            source: pos.and_then(|(l, _)| super::source_line(self.src.text, l)),
            hint: None,
        });
    }

    /// Whether `v` is an ordinary number; reports it if not.
    fn finite(&mut self, p: &Place, v: f32) -> bool {
        if !v.is_finite() {
            self.err(p, ErrorKind::NotFinite, format!("{NOT_FINITE}; got {v}"));
        }
        v.is_finite()
    }

    /// `v` must be an ordinary number within `lo..=hi`.
    fn range(&mut self, p: &Place, v: f32, lo: f32, hi: f32) {
        if self.finite(p, v) && !(lo..=hi).contains(&v) {
            self.err(
                p,
                ErrorKind::OutOfRange,
                format!("{v} is outside {lo}..{hi}"),
            );
        }
    }

    /// A whole number within `lo..=hi`.
    fn whole(&mut self, p: &Place, v: u32, lo: u32, hi: u32) {
        if !(lo..=hi).contains(&v) {
            self.err(
                p,
                ErrorKind::OutOfRange,
                format!("{v} is outside {lo}..{hi}"),
            );
        }
    }

    /// Whether a relative weight is an ordinary number above 0; reports it if not.
    fn weight(&mut self, p: &Place, v: f32) -> bool {
        if !self.finite(p, v) {
            return false;
        }
        if v <= 0.0 {
            self.err(
                p,
                ErrorKind::OutOfRange,
                format!("weight must be above 0, got {v}"),
            );
        } else if v > MOST_WEIGHT {
            self.err(p, ErrorKind::OutOfRange, too_heavy(v));
        }
        v > 0.0 && v <= MOST_WEIGHT
    }

    /// An effects group has no range, but every number in it must be ordinary.
    fn effects(&mut self, p: &Place, e: &Effects) {
        let Effects {
            tension,
            trust,
            own_trust,
            economy,
            security,
            capital,
            other_economy,
            other_security,
            approval,
            hawks,
        } = *e;
        for (f, v) in [
            ("tension", tension),
            ("trust", trust),
            ("own_trust", own_trust),
            ("economy", economy),
            ("security", security),
            ("capital", capital),
            ("other_economy", other_economy),
            ("other_security", other_security),
            ("approval", approval),
            ("hawks", hawks),
        ] {
            if !v.is_finite() {
                self.finite(&p.field(f), v);
            }
        }
    }

    /// Whether `id` is a usable id (not empty, snake_case); reports it if not.
    fn id(&mut self, p: &Place, id: &str) -> bool {
        if id.trim().is_empty() {
            self.err(p, ErrorKind::BadId, "an id cannot be empty");
            false
        } else if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            self.err(
                p,
                ErrorKind::BadId,
                format!("'{id}' is not a valid id: use only lowercase letters, digits and underscores, like 'lake_hotline'"),
            );
            false
        } else {
            true
        }
    }

    /// The ids of a list (`list` is its field): each usable and none repeated.
    fn ids<'b>(&mut self, list: &Place, ids: impl Iterator<Item = &'b String>) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            let p = list.index(i).field("id");
            if self.id(&p, id) && !seen.insert(id.as_str()) {
                self.err(&p, ErrorKind::BadId, format!("duplicate id '{id}'"));
            }
        }
    }
}

fn too_heavy(w: f32) -> String {
    format!(
        "{w} is above {MOST_WEIGHT}, the largest weight; weights only count relative to each other, so scale them all down"
    )
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}
