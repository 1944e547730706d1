//! The playtest's warnings: content a class would hardly ever meet, each with its likely cause.

use super::*;

/// The most capital `side` can hold in the level's rounds without windfalls: the cap, or what
/// it starts with plus what every round brings.
fn savings(sc: &Scenario, side: Side) -> f32 {
    let d = sc.side(side);
    let start = d.capital.min(d.max_capital);
    (start + d.capital_per_round * sc.rounds.saturating_sub(1) as f32).min(d.max_capital)
}

/// The least capital signing `m` costs a player: its cost plus its cheapest verification (the
/// table offers no self-report once a measure lists its checks).
fn least_cost(sc: &Scenario, m: &MeasureDef) -> (f32, f32) {
    let ver = m
        .verification
        .iter()
        .filter(|v| !v.needs_observers || sc.observers.is_some())
        .map(|v| v.cost)
        .min_by(f32::total_cmp)
        .unwrap_or(0.0);
    (m.cost, ver)
}

impl Obs {
    pub(super) fn warnings(&self, sc: &Scenario, r: &Report) -> Vec<Warning> {
        let mut w = Vec::new();
        let mut warn = |kind, subject: &str, message: String| {
            w.push(Warning {
                kind,
                subject: subject.to_string(),
                message,
            })
        };
        let games = self.games;
        let norm_name = sc
            .phases
            .get(self.normalize)
            .map_or(sc.end.normalize_phase.as_str(), |p| p.name.as_str());
        if games > 0 && r.endings.normalization == 0 {
            let reached = self.phases.get(self.normalize).map_or(0, |p| p.reached);
            let cause = if reached == 0 {
                format!(
                    "no game reached the '{norm_name}' phase that normalization needs (see that phase's warning)"
                )
            } else if self.norm_treaty_rounds == 0 {
                format!(
                    "'{norm_name}' was reached in {reached} games but never with {} treaties in force: offer a Treaty term on measures the sides sign, or lower end.treaties",
                    sc.end.treaties
                )
            } else {
                format!(
                    "'{norm_name}' held with its treaties for at most {} rounds in a row of the {} needed (reached in {reached} games): lower end.hold_rounds, ease the phase's conditions, or add rounds",
                    self.best_streak, sc.end.hold_rounds
                )
            };
            warn(
                WarningKind::BestEndingNever,
                &sc.end.normalize_phase,
                format!("no game ended in normalization: {cause}"),
            );
        }
        for (k, (key, _, n)) in r.endings.rows().into_iter().enumerate() {
            if games == 0 || n < games {
                continue;
            }
            let mean = self.ending_rounds[k] as f64 / games as f64;
            let cause = match key {
                "normalization" => format!(
                    "every game normalized, in round {mean:.1} on average: nothing is at stake; demand more of the '{norm_name}' phase, end.hold_rounds or end.treaties"
                ),
                "clash" => format!(
                    "every game ended in an armed clash, in round {mean:.1} on average: tension starts at {} and end.clash_at is {}; raise clash_at, lower the starting tension or the cards' tension effects, or make the first calming measures cheaper",
                    num(sc.start.tension),
                    num(sc.end.clash_at)
                ),
                "ousted" => format!(
                    "a leader fell and the match ended in every game, in round {mean:.1} on average: raise the factions' starting approval, soften their reactions (gives, gets) or lower ouster_below"
                ),
                _ => format!(
                    "every game ran to the round limit ({}) without normalization or a clash: see why normalization never came",
                    sc.rounds
                ),
            };
            warn(WarningKind::EndingAlways, key, cause);
        }
        for (p, def) in sc.phases.iter().enumerate().skip(1) {
            if games == 0 || self.phases[p].reached > 0 {
                continue;
            }
            let prev = &sc.phases[p - 1];
            let cause = if self.phases[p - 1].reached == 0 {
                format!(
                    "the phase before it, '{}', was never reached either",
                    prev.name
                )
            } else {
                self.phase_cause(sc, p)
            };
            warn(
                WarningKind::PhaseNeverReached,
                &def.id,
                format!("no game reached '{}': {cause}", def.name),
            );
        }
        for (i, m) in sc.measures.iter().enumerate() {
            let signed = self.signed[i].times > 0;
            // Above the cap no windfall helps; short of it, capital effects might, so only a
            // measure the games never signed counts as out of reach.
            if let Some((capped, cause)) = unaffordable(sc, m)
                && (capped || !signed)
            {
                warn(WarningKind::MeasureUnaffordable, &m.id, cause);
                continue;
            }
            if games == 0 || signed {
                continue;
            }
            let cause = self.unsigned_cause(sc, m, i);
            warn(
                WarningKind::MeasureNeverSigned,
                &m.id,
                format!("no game signed '{}': {cause}", m.name),
            );
        }
        for (i, e) in sc.events.iter().enumerate() {
            if games == 0 || self.cards[i].drawn.times > 0 {
                continue;
            }
            let cause = self.undrawn_cause(sc, e, i);
            warn(
                WarningKind::EventNeverDrawn,
                &e.id,
                format!("no game drew '{}': {cause}", e.title),
            );
        }
        for (k, meter) in METERS.iter().enumerate() {
            let n = self.pinned[k];
            if games == 0 || (n as f64) <= PINNED_SHARE * games as f64 {
                continue;
            }
            let side = |i: usize| &sc.side(Side::BOTH[i]).name;
            let what = match k {
                0 => "tension sat at 0".to_string(),
                1 | 2 => format!("{}'s trust in {} sat at 100", side(k - 1), side(2 - k)),
                _ => format!("{}'s approval sat at 0 or 100", side(k - 3)),
            };
            let fix = match k {
                0 => {
                    "the measures' per-round tension effects outweigh the drift of +1 a round, so later steps cannot show; make them smaller"
                }
                1 | 2 => {
                    "trust effects are too generous for a caught breach or a failed vote to matter; lower effects.trust and on_sign.trust"
                }
                _ => {
                    "the factions' reactions (gives, gets) or the events' approval effects are too strong; make them smaller"
                }
            };
            warn(
                WarningKind::MeterPinned,
                meter,
                format!("{what} for more than half the rounds in {n} of {games} games: {fix}"),
            );
        }
        w
    }

    /// Which of phase `p`'s conditions held least, at the ends of rounds.
    fn phase_cause(&self, sc: &Scenario, p: usize) -> String {
        let def = &sc.phases[p];
        let o = self.phases[p];
        let of = self.round_ends;
        if of == 0 {
            return "no game played a whole round".into();
        }
        let mut parts = Vec::new();
        if o.trust < of {
            parts.push(format!(
                "both trusts at {} or more ({:.0}% of round ends, highest seen {:.0})",
                num(def.min_trust),
                pct(o.trust, of),
                self.best_trust
            ));
        }
        if o.tension < of {
            parts.push(format!(
                "tension at {} or less ({:.0}%, lowest seen {:.0})",
                num(def.max_tension),
                pct(o.tension, of),
                self.low_tension
            ));
        }
        if o.areas < of {
            let areas: Vec<&str> = def.areas.iter().map(|a| a.label()).collect();
            let mut s = match areas.as_slice() {
                [one] => format!("a {one} measure in force"),
                _ => format!("a measure of each of {} in force", areas.join(", ")),
            };
            s += &format!(" ({:.0}%", pct(o.areas, of));
            for a in def
                .areas
                .iter()
                .filter(|a| self.area_rounds[**a as usize] == 0)
            {
                let ids: Vec<&str> = sc
                    .measures
                    .iter()
                    .filter(|m| m.area == *a)
                    .map(|m| m.id.as_str())
                    .collect();
                s += &format!(
                    ", never any {}: see why {} went unsigned",
                    a.label(),
                    ids.join(", ")
                );
            }
            parts.push(s + ")");
        }
        let never = [o.trust, o.tension, o.areas].contains(&0);
        let lead = if never || parts.len() < 2 {
            "it needs"
        } else {
            "its conditions held apart but never together"
        };
        format!(
            "{lead} {}; lower min_trust, raise max_tension, or make measures of its areas easier to sign",
            parts.join(", ")
        )
    }

    fn unsigned_cause(&self, sc: &Scenario, m: &MeasureDef, i: usize) -> String {
        if self.offered.iter().all(|&n| n == 0) && self.mechanics.gestures.times == 0 {
            return "no game got as far as an offer or a gesture (see how the games ended)".into();
        }
        if self.offered[i] > 0 {
            return format!(
                "offered {} times but never signed: turned down, or its package failed at home; lower its burden or its own factions' resentment (gives), or raise its value",
                self.offered[i]
            );
        }
        // A prerequisite met in few games is the likelier cause than the counterparts' taste.
        let scarcest = m
            .requires
            .iter()
            .filter_map(|req| match req {
                Requirement::Phase(id) => sc.phase_index(id).map(|p| {
                    let name = format!("the '{}' phase", sc.phases[p].name);
                    (self.phases[p].reached, name, "reached")
                }),
                Requirement::Measure(id) => sc.measure_index(id).map(|k| {
                    let name = format!("'{}' in force", sc.measures[k].name);
                    (self.signed[k].games, name, "signed")
                }),
            })
            .min_by_key(|(games, ..)| *games);
        if let Some((n, what, done)) = scarcest
            && (n as f64) < 0.5 * self.games as f64
        {
            let how = if n == 0 {
                format!("which no game {done}")
            } else {
                format!("{done} in only {n} games ({:.1}%)", pct(n, self.games))
            };
            return format!(
                "never offered: it needs {what}, {how}; make that easier or drop the prerequisite"
            );
        }
        format!(
            "never offered: the counterparts never found it worth asking for or giving (value {}, burden {}, cost {}); raise its value, or lower its burden or cost",
            num(m.value),
            num(m.burden),
            num(m.cost)
        )
    }

    fn undrawn_cause(&self, sc: &Scenario, e: &EventDef, i: usize) -> String {
        let t = &e.trigger;
        let phase = |id: &Option<String>| id.as_ref().and_then(|id| sc.phase_index(id));
        if t.measure_in_force.is_some() && t.measure_in_force == t.measure_absent {
            return "its trigger asks for the same measure both in force and absent; drop one of the two"
                .into();
        }
        if let (Some(a), Some(b)) = (phase(&t.min_phase), phase(&t.max_phase))
            && a > b
        {
            return "its trigger's min_phase comes after its max_phase; swap or drop one".into();
        }
        if let Some(x) = t.min_tension
            && x >= sc.end.clash_at
        {
            return format!(
                "its min_tension {} is at or above end.clash_at {}: a match that tense has ended before the next card; lower min_tension",
                num(x),
                num(sc.end.clash_at)
            );
        }
        let o = &self.cards[i];
        if o.eligible == 0 {
            let held: Vec<String> = self.probes[i]
                .iter()
                .map(|(k, _)| {
                    format!("{} {}", CONDITIONS[*k], condition_value(t, *k),)
                        + &format!(
                            " held in {:.0}% of rounds",
                            pct(o.held[*k], self.round_starts)
                        )
                })
                .collect();
            let never = self.probes[i].iter().any(|(k, _)| o.held[*k] == 0);
            return format!(
                "its trigger never held{}: {}; loosen the condition that never held",
                if never {
                    ""
                } else {
                    " with all its conditions at once"
                },
                held.join(", ")
            );
        }
        format!(
            "it could be drawn at {} of {} round starts, about {:.1} draws expected in all: raise its weight ({}) or event_chance ({}), or loosen its trigger",
            o.eligible,
            self.round_starts,
            o.expected,
            num(e.weight),
            num(sc.event_chance)
        )
    }
}

fn condition_value(t: &Trigger, k: usize) -> String {
    let s = |x: &Option<String>| format!("'{}'", x.as_deref().unwrap_or(""));
    let n = |x: Option<u32>| x.map_or(String::new(), |x| x.to_string());
    let f = |x: Option<f32>| x.map_or(String::new(), num);
    match k {
        0 => n(t.min_round),
        1 => n(t.max_round),
        2 => f(t.min_tension),
        3 => f(t.max_tension),
        4 => s(&t.min_phase),
        5 => s(&t.max_phase),
        6 => s(&t.measure_in_force),
        _ => s(&t.measure_absent),
    }
}

/// Why no side allowed to undertake `m` can ever pay for it, if none can, and whether that is
/// because it costs more than every such side's `max_capital`.
fn unaffordable(sc: &Scenario, m: &MeasureDef) -> Option<(bool, String)> {
    let (cost, ver) = least_cost(sc, m);
    let need = cost + ver;
    let mut why = Vec::new();
    let mut capped = true;
    for side in Side::BOTH {
        if !m.by.allows(side) {
            continue;
        }
        let d = sc.side(side);
        let can = savings(sc, side);
        if need <= can + 1e-4 {
            return None;
        }
        let over = need > d.max_capital + 1e-4;
        capped &= over;
        why.push(if over {
            format!(
                "{} holds at most {} (max_capital)",
                d.name,
                num(d.max_capital)
            )
        } else {
            format!(
                "{} saves at most {} in {} rounds ({} to start, {} a round)",
                d.name,
                num(can),
                sc.rounds,
                num(d.capital.min(d.max_capital)),
                num(d.capital_per_round)
            )
        });
    }
    let price = if ver > 0.0 {
        format!(
            "{} + {} for its cheapest verification = {}",
            num(cost),
            num(ver),
            num(need)
        )
    } else {
        num(need)
    };
    Some((
        capped,
        format!(
            "'{}' costs {price} capital, but {}: lower its cost, or raise max_capital or capital_per_round",
            m.name,
            why.join(", and ")
        ),
    ))
}
