//! The semantic pass: what a well-formed file can still get wrong.

use super::LevelError;
use crate::sim::media::slots_of;
use crate::sim::scenario::*;
use std::collections::{BTreeMap, BTreeSet};

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<LevelError>,
}

impl Checker<'_> {
    /// Find where a field sits: search each needle in turn after the previous one.
    fn locate(&self, needles: &[String]) -> Option<(usize, usize)> {
        let mut at = 0;
        let mut found = None;
        for n in needles {
            if let Some(i) = self.text[at..].find(n.as_str()) {
                at += i;
                found = Some(at);
                at += n.len();
            }
        }
        let i = found?;
        let before = &self.text[..i];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, col))
    }

    fn err(&mut self, needles: &[String], field: String, message: String) {
        let pos = self.locate(needles);
        self.errors.push(LevelError {
            file: self.file.into(),
            pos,
            field,
            message,
            source: pos.and_then(|(l, _)| super::source_line(self.text, l)),
        });
    }

    fn range(&mut self, needles: &[String], field: String, v: f32, lo: f32, hi: f32) {
        if !(lo..=hi).contains(&v) || v.is_nan() {
            self.err(needles, field, format!("{v} is outside {lo}..{hi}"));
        }
    }

    fn unique<'b>(&mut self, list: &str, ids: impl Iterator<Item = &'b String>) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.err(
                    &[format!("{list}:")],
                    format!("{list}[{i}].id"),
                    "an id cannot be empty".into(),
                );
            } else if !seen.insert(id.clone()) {
                self.err(
                    &[format!("{list}:"), format!("\"{id}\"")],
                    format!("{list}[{i}].id"),
                    format!("duplicate id '{id}'"),
                );
            }
        }
    }
}

fn q(s: &str) -> String {
    format!("\"{s}\"")
}

fn n(s: &str) -> String {
    format!("{s}:")
}

/// Check a parsed scenario; `text` is its source, used to point at lines.
pub fn validate(file: &str, text: &str, sc: &Scenario) -> Vec<LevelError> {
    let mut c = Checker {
        file,
        text,
        errors: Vec::new(),
    };
    let measure_ids: BTreeSet<&str> = sc.measures.iter().map(|m| m.id.as_str()).collect();
    let phase_ids: BTreeSet<&str> = sc.phases.iter().map(|p| p.id.as_str()).collect();

    if sc.rounds == 0 || sc.rounds > 200 {
        c.err(
            &[n("rounds")],
            "rounds".into(),
            format!("{} is outside 1..200", sc.rounds),
        );
    }
    if sc.exchanges == 0 || sc.exchanges > 20 {
        c.err(
            &[n("exchanges")],
            "exchanges".into(),
            format!("{} is outside 1..20", sc.exchanges),
        );
    }
    c.range(
        &[n("event_chance")],
        "event_chance".into(),
        sc.event_chance,
        0.0,
        1.0,
    );
    c.range(
        &[n("start"), n("tension")],
        "start.tension".into(),
        sc.start.tension,
        0.0,
        100.0,
    );
    c.range(
        &[n("start"), n("trust_a")],
        "start.trust_a".into(),
        sc.start.trust_a,
        0.0,
        100.0,
    );
    c.range(
        &[n("start"), n("trust_b")],
        "start.trust_b".into(),
        sc.start.trust_b,
        0.0,
        100.0,
    );

    for (key, side) in [("side_a", &sc.side_a), ("side_b", &sc.side_b)] {
        let at = |f: &str| vec![n(key), n(f)];
        if side.factions.is_empty() {
            c.err(
                &at("factions"),
                format!("{key}.factions"),
                "a state needs at least one faction".into(),
            );
        }
        c.unique(
            &format!("{key}.factions"),
            side.factions.iter().map(|f| &f.id),
        );
        for (i, f) in side.factions.iter().enumerate() {
            let here = vec![n(key), n("factions"), q(&f.id)];
            let p = format!("{key}.factions[{i}]");
            if f.weight <= 0.0 || f.weight.is_nan() {
                c.err(
                    &here,
                    format!("{p}.weight"),
                    format!("weight must be above 0, got {}", f.weight),
                );
            }
            c.range(&here, format!("{p}.approval"), f.approval, 0.0, 100.0);
            c.range(&here, format!("{p}.hawkish"), f.hawkish, -1.0, 1.0);
            for (a, v) in f.gives.iter().chain(&f.gets) {
                c.range(&here, format!("{p}.gives/gets[{a:?}]"), *v, -10.0, 10.0);
            }
        }
        if side.priorities.values().any(|w| *w < 0.0 || w.is_nan()) {
            c.err(
                &at("priorities"),
                format!("{key}.priorities"),
                "weights cannot be negative".into(),
            );
        }
        if side.priorities.values().map(|w| w.max(0.0)).sum::<f32>() <= 0.0 {
            c.err(
                &at("priorities"),
                format!("{key}.priorities"),
                "at least one area needs a weight above 0".into(),
            );
        }
        for (f, v, lo, hi) in [
            ("capital", side.capital, 0.0, 1000.0),
            ("capital_per_round", side.capital_per_round, 0.0, 1000.0),
            ("max_capital", side.max_capital, 0.0, 1000.0),
            ("economy", side.economy, 0.0, 100.0),
            ("security", side.security, 0.0, 100.0),
            ("ratify_at", side.ratify_at, 0.0, 100.0),
            ("ouster_below", side.ouster_below, 0.0, 100.0),
        ] {
            c.range(&at(f), format!("{key}.{f}"), v, lo, hi);
        }
        let start = crate::sim::state::weighted_approval(
            sc,
            if key == "side_a" { Side::A } else { Side::B },
            &side.factions.iter().map(|f| f.approval).collect::<Vec<_>>(),
        );
        if !side.factions.is_empty() && start < side.ouster_below {
            c.err(
                &at("ouster_below"),
                format!("{key}.ouster_below"),
                format!("the leader starts at {start:.0}% approval, already below the ouster threshold {}", side.ouster_below),
            );
        }
    }
    if sc.side_a.id == sc.side_b.id {
        c.err(
            &[n("side_b"), n("id")],
            "side_b.id".into(),
            "both states have the same id".into(),
        );
    }

    if sc.phases.is_empty() {
        c.err(
            &[n("phases")],
            "phases".into(),
            "at least one phase is needed".into(),
        );
    }
    c.unique("phases", sc.phases.iter().map(|p| &p.id));
    let areas_present: BTreeSet<Area> = sc.measures.iter().map(|m| m.area).collect();
    for (i, p) in sc.phases.iter().enumerate() {
        let here = vec![n("phases"), q(&p.id)];
        c.range(
            &here,
            format!("phases[{i}].min_trust"),
            p.min_trust,
            0.0,
            100.0,
        );
        c.range(
            &here,
            format!("phases[{i}].max_tension"),
            p.max_tension,
            0.0,
            100.0,
        );
        for a in &p.areas {
            if !areas_present.contains(a) {
                c.err(
                    &here,
                    format!("phases[{i}].areas"),
                    format!("no measure of area {a:?} exists, so this phase can never be reached"),
                );
            }
        }
    }

    if sc.measures.is_empty() {
        c.err(
            &[n("measures")],
            "measures".into(),
            "the catalogue needs at least one measure".into(),
        );
    }
    c.unique("measures", sc.measures.iter().map(|m| &m.id));
    for (i, m) in sc.measures.iter().enumerate() {
        let here = vec![n("measures"), q(&m.id)];
        let p = format!("measures[{i}]");
        c.range(&here, format!("{p}.value"), m.value, 0.0, 10.0);
        c.range(&here, format!("{p}.burden"), m.burden, 0.0, 10.0);
        c.range(&here, format!("{p}.cost"), m.cost, 0.0, 100.0);
        for (j, v) in m.verification.iter().enumerate() {
            c.range(
                &here,
                format!("{p}.verification[{j}].detection"),
                v.detection,
                0.0,
                1.0,
            );
            c.range(
                &here,
                format!("{p}.verification[{j}].cost"),
                v.cost,
                0.0,
                100.0,
            );
            if v.needs_observers && sc.observers.is_none() {
                c.err(
                    &here,
                    format!("{p}.verification[{j}].needs_observers"),
                    "this level has no observers; set `observers` or drop this option".into(),
                );
            }
        }
        for (j, t) in m.terms.iter().enumerate() {
            if matches!(t, Term::Sunset(0) | Term::Treaty(0)) {
                c.err(
                    &here,
                    format!("{p}.terms[{j}]"),
                    "a sunset or review period must be at least 1 round".into(),
                );
            }
        }
        for (j, r) in m.requires.iter().enumerate() {
            match r {
                Requirement::Measure(id) if !measure_ids.contains(id.as_str()) => {
                    let mut at = here.clone();
                    at.push(q(id));
                    c.err(
                        &at,
                        format!("{p}.requires[{j}]"),
                        format!("unknown measure '{id}'"),
                    );
                }
                Requirement::Measure(id) if *id == m.id => {
                    c.err(
                        &here,
                        format!("{p}.requires[{j}]"),
                        "a measure cannot require itself".into(),
                    );
                }
                Requirement::Phase(id) if !phase_ids.contains(id.as_str()) => {
                    let mut at = here.clone();
                    at.push(q(id));
                    c.err(
                        &at,
                        format!("{p}.requires[{j}]"),
                        format!("unknown phase '{id}'"),
                    );
                }
                _ => {}
            }
        }
    }
    check_cycles(&mut c, sc);

    c.unique("events", sc.events.iter().map(|e| &e.id));
    for (i, e) in sc.events.iter().enumerate() {
        let here = vec![n("events"), q(&e.id)];
        let p = format!("events[{i}]");
        if e.weight < 0.0 || e.weight.is_nan() {
            c.err(
                &here,
                format!("{p}.weight"),
                "weight cannot be negative".into(),
            );
        }
        let t = &e.trigger;
        for (f, v) in [
            ("min_tension", t.min_tension),
            ("max_tension", t.max_tension),
        ] {
            if let Some(v) = v {
                c.range(&here, format!("{p}.trigger.{f}"), v, 0.0, 100.0);
            }
        }
        if let (Some(a), Some(b)) = (t.min_round, t.max_round)
            && a > b
        {
            c.err(
                &here,
                format!("{p}.trigger"),
                format!("min_round {a} is after max_round {b}: never drawn"),
            );
        }
        if t.min_round.is_some_and(|r| r > sc.rounds) {
            c.err(
                &here,
                format!("{p}.trigger.min_round"),
                format!("the level has only {} rounds: never drawn", sc.rounds),
            );
        }
        if let (Some(a), Some(b)) = (t.min_tension, t.max_tension)
            && a > b
        {
            c.err(
                &here,
                format!("{p}.trigger"),
                "min_tension is above max_tension: never drawn".into(),
            );
        }
        for (f, id) in [("min_phase", &t.min_phase), ("max_phase", &t.max_phase)] {
            if let Some(id) = id
                && !phase_ids.contains(id.as_str())
            {
                c.err(
                    &here,
                    format!("{p}.trigger.{f}"),
                    format!("unknown phase '{id}'"),
                );
            }
        }
        for (f, id) in [
            ("measure_in_force", &t.measure_in_force),
            ("measure_absent", &t.measure_absent),
        ] {
            if let Some(id) = id
                && !measure_ids.contains(id.as_str())
            {
                c.err(
                    &here,
                    format!("{p}.trigger.{f}"),
                    format!("unknown measure '{id}'"),
                );
            }
        }
        c.unique(&format!("{p}.responses"), e.responses.iter().map(|r| &r.id));
        for (j, r) in e.responses.iter().enumerate() {
            if let Some(id) = &r.needs_measure
                && !measure_ids.contains(id.as_str())
            {
                c.err(
                    &here,
                    format!("{p}.responses[{j}].needs_measure"),
                    format!("unknown measure '{id}'"),
                );
            }
            c.range(
                &here,
                format!("{p}.responses[{j}].cost"),
                r.cost,
                0.0,
                100.0,
            );
        }
        if !e.responses.is_empty()
            && e.responses
                .iter()
                .all(|r| r.needs_measure.is_some() || r.cost > 0.0)
        {
            c.err(&here, format!("{p}.responses"), "give at least one free response that needs no measure, so a struck state can always answer".into());
        }
    }

    if sc.outlets.is_empty() {
        c.err(
            &[n("outlets")],
            "outlets".into(),
            "at least one outlet is needed".into(),
        );
    }
    c.unique("outlets", sc.outlets.iter().map(|o| &o.id));
    for (i, o) in sc.outlets.iter().enumerate() {
        let here = vec![n("outlets"), q(&o.id)];
        c.range(&here, format!("outlets[{i}].tone"), o.tone, 0.0, 100.0);
        c.range(&here, format!("outlets[{i}].slant"), o.slant, -1.0, 1.0);
        c.range(&here, format!("outlets[{i}].reach"), o.reach, 0.0, 1.0);
    }
    let outlet_ids: BTreeSet<&str> = sc.outlets.iter().map(|o| o.id.as_str()).collect();
    let mut kinds: BTreeMap<NewsKind, usize> = BTreeMap::new();
    for (i, h) in sc.headlines.iter().enumerate() {
        let short: String = h.text.chars().take(30).collect();
        let here = vec![n("headlines"), short];
        if let Some(o) = &h.outlet
            && !outlet_ids.contains(o.as_str())
        {
            c.err(
                &here,
                format!("headlines[{i}].outlet"),
                format!("unknown outlet '{o}'"),
            );
        }
        if h.outlet.is_none() {
            *kinds.entry(h.kind).or_default() += 1;
        }
        for s in slots_of(&h.text) {
            if !NewsKind::COMMON_SLOTS.contains(&s) && !h.kind.slots().contains(&s) {
                let mut allowed: Vec<&str> = NewsKind::COMMON_SLOTS.to_vec();
                allowed.extend(h.kind.slots());
                let mut at = here.clone();
                at.push(format!("{{{s}}}"));
                c.err(
                    &at,
                    format!("headlines[{i}].text"),
                    format!(
                        "no slot {{{s}}} for {:?} headlines; use one of {}",
                        h.kind,
                        allowed
                            .iter()
                            .map(|a| format!("{{{a}}}"))
                            .collect::<Vec<_>>()
                            .join(" ")
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
            c.err(&[n("headlines")], "headlines".into(), format!("no template of kind {k:?} for every outlet; the press would stay silent about it"));
        }
    }

    let end = &sc.end;
    match sc.phase_index(&end.normalize_phase) {
        None => c.err(
            &[n("end"), n("normalize_phase")],
            "end.normalize_phase".into(),
            format!("unknown phase '{}'", end.normalize_phase),
        ),
        Some(pi) => {
            let p = &sc.phases[pi];
            if p.min_trust > 100.0 || p.max_tension < 0.0 {
                c.err(
                    &[n("end")],
                    "end.normalize_phase".into(),
                    "that phase's thresholds can never be met".into(),
                );
            }
        }
    }
    if end.hold_rounds == 0 || end.hold_rounds > sc.rounds {
        c.err(
            &[n("end"), n("hold_rounds")],
            "end.hold_rounds".into(),
            format!(
                "{} can never be met in a {}-round match (use 1..{})",
                end.hold_rounds, sc.rounds, sc.rounds
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
    if end.treaties > treaty_slots {
        c.err(
            &[n("end"), n("treaties")],
            "end.treaties".into(),
            format!(
                "needs {} treaties but the catalogue allows only {treaty_slots} treaty commitments",
                end.treaties
            ),
        );
    }
    if end.clash_at <= sc.start.tension || end.clash_at > 100.0 {
        c.err(
            &[n("end"), n("clash_at")],
            "end.clash_at".into(),
            format!(
                "{} must be above the starting tension {} and at most 100",
                end.clash_at, sc.start.tension
            ),
        );
    }
    c.range(
        &[n("ai"), n("flexibility")],
        "ai.flexibility".into(),
        sc.ai.flexibility,
        0.0,
        1.0,
    );
    c.range(
        &[n("ai"), n("deceit")],
        "ai.deceit".into(),
        sc.ai.deceit,
        0.0,
        1.0,
    );
    if let Some(m) = &sc.mediator {
        c.range(
            &[n("mediator"), n("chance")],
            "mediator.chance".into(),
            m.chance,
            0.0,
            1.0,
        );
    }
    c.errors
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
                                &[n("measures"), q(&sc.measures[d].id), n("requires")],
                                format!("measures[{d}].requires"),
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
