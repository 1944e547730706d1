//! Headless matches: counterparts on both sides, and the readable transcript of what happened.

use crate::sim::{Action, Event, Match, PublicLevel, Scenario, Side};
use crate::table::{Seat, Table};
use std::fmt::Write;
use std::sync::Arc;

/// Play a whole match between the seats' counterparts, without a transcript.
pub fn play(scenario: Arc<Scenario>, seed: u64, seats: [Seat; 2]) -> Match {
    let mut t = Table::new(scenario, seed, seats);
    t.play_out();
    t.into_match()
}

/// As `play`, for runs nobody reads line by line (tournaments, summaries, benchmarks): the
/// headlines are not worded, and everything else is the same match.
pub fn play_headless(scenario: Arc<Scenario>, seed: u64, seats: [Seat; 2]) -> Match {
    let mut t = Table::headless(scenario, seed, seats);
    t.play_out();
    t.into_match()
}

/// The level's own counterpart in both seats.
pub fn level_seats(sc: &Scenario, seed: u64) -> [Seat; 2] {
    crate::table::level_seats(sc.public(), seed)
}

/// A readable line for an event, or `None` for bookkeeping events.
pub fn describe(sc: &PublicLevel, e: &Event) -> Option<String> {
    let name = |s: Side| sc.side(s).name.as_str();
    let mname = |id: &str| {
        sc.measure_index(id)
            .map_or(id.to_string(), |i| sc.measures[i].name.clone())
    };
    Some(match e {
        Event::RoundStarted { .. } => return None,
        Event::EventDrawn { title, struck, .. } => {
            let who: Vec<&str> = struck.iter().map(|s| name(*s)).collect();
            format!("Event: {title} (strikes {})", who.join(" and "))
        }
        Event::EventAnswered { side, label, .. } => format!("{} answers: {label}", name(*side)),
        Event::OfferMade {
            side,
            offer,
            counter,
        } => {
            let parts: Vec<String> = offer
                .items
                .iter()
                .map(|it| {
                    let ver = sc
                        .measure_index(&it.measure)
                        .map(|i| {
                            crate::sim::measures::verification_name(
                                &sc.measures[i],
                                it.verification,
                            )
                        })
                        .unwrap_or_default();
                    format!(
                        "{} by {} ({ver}, {})",
                        mname(&it.measure),
                        name(it.by),
                        it.term.label()
                    )
                })
                .collect();
            format!(
                "{} {}: {} | statement: {}",
                name(*side),
                if *counter { "counters" } else { "offers" },
                parts.join("; "),
                offer.statement.label()
            )
        }
        Event::OfferAccepted { side } => format!("{} accepts", name(*side)),
        Event::OfferRejected { side } => format!("{} rejects", name(*side)),
        Event::Ratification {
            side,
            support,
            passed,
        } => format!(
            "Ratification in {}: {} ({support:.0}% support)",
            name(*side),
            if *passed { "passed" } else { "FAILED" }
        ),
        Event::AgreementSigned { measures, .. } => format!("Signed: {}", measures.join(", ")),
        Event::GestureMade { side, measure, .. } => {
            format!("{} makes a unilateral gesture: {measure}", name(*side))
        }
        Event::TalksEnded { agreed, by } => match (agreed, by) {
            (true, _) => "Talks close with an agreement".into(),
            (false, Some(s)) => format!("{} closes the talks without agreement", name(*s)),
            (false, None) => "Talks run out of time without agreement".into(),
        },
        Event::StatementMade { side, statement } => {
            format!("{} states: {}", name(*side), statement.label())
        }
        Event::Implemented { side, kept } => {
            format!("{} carries out {kept} commitment(s)", name(*side))
        }
        Event::BreachCaught {
            side,
            measure,
            verification,
            ..
        } => {
            format!(
                "CAUGHT: {} broke '{measure}' ({verification} found it)",
                name(*side)
            )
        }
        Event::BreachHidden { side, measure, .. } => {
            format!("(hidden) {} quietly broke '{measure}'", name(*side))
        }
        Event::CommitmentEnded {
            side,
            measure,
            reason,
            ..
        } => format!("'{measure}' by {} ends: {}", name(*side), reason.label()),
        Event::TreatyRenewed { measure, .. } => format!("Treaty review: '{measure}' renewed"),
        Event::Headline { outlet, text, spin } => {
            let o = sc
                .outlets
                .iter()
                .find(|o| &o.id == outlet)
                .map_or(outlet.as_str(), |o| o.name.as_str());
            format!("[{o}] {text} ({spin:?})")
        }
        Event::PhaseChanged { from, to, .. } => format!("Phase: {from} -> {to}"),
        Event::LeaderFell { side, successor } => match successor {
            Some(s) => format!("{}'s leader falls; {s} takes over", name(*side)),
            None => format!("{}'s leader falls", name(*side)),
        },
        Event::MatchEnded { ending } => format!("MATCH OVER: {}", ending.label()),
        Event::Steered { note } => {
            use crate::sim::steer::SteerNote;
            match note {
                SteerNote::Struck { title, struck, .. } => {
                    let who: Vec<&str> = struck.iter().map(|s| name(*s)).collect();
                    format!(
                        "The instructor plays a card: {title} (strikes {})",
                        who.join(" and ")
                    )
                }
                SteerNote::TimeUp => {
                    "Time is up: the instructor's clock closes this round's talks".into()
                }
                SteerNote::Paused => "The instructor pauses the table".into(),
                SteerNote::Resumed => "The instructor resumes the table".into(),
                SteerNote::Timer { secs: Some(s) } => {
                    format!(
                        "The instructor gives each round's talks {}",
                        clock_words(*s)
                    )
                }
                SteerNote::Timer { secs: None } => {
                    "The instructor lifts the time limit on talks".into()
                }
            }
        }
    })
}

/// A duration in words: "90 seconds", "3 minutes", "2 min 30 s".
pub fn clock_words(secs: u32) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} seconds"),
        (1, 0) => "1 minute".into(),
        (m, 0) => format!("{m} minutes"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// Play a match and write its transcript, round by round.
pub fn transcript(scenario: Arc<Scenario>, seed: u64, seats: [Seat; 2]) -> (Match, String) {
    let sc = scenario.clone();
    let mut t = Table::new(scenario, seed, seats);
    let mut out = String::new();
    let _ = writeln!(out, "{} (seed {seed})", sc.title);
    let first: Vec<Event> = t.whole().log.iter().map(|l| l.event.clone()).collect();
    write_events(&mut out, t.whole(), &first);
    let mut guard = 0;
    while let Some(turn) = t.step() {
        let m = t.whole();
        let d = &turn.decision;
        let events: Vec<Event> = m.log[turn.events.clone()]
            .iter()
            .map(|l| l.event.clone())
            .collect();
        let acts = matches!(
            d.action,
            Action::Propose { .. }
                | Action::Counter { .. }
                | Action::Accept { .. }
                | Action::Reject { .. }
                | Action::Gesture { .. }
                | Action::Respond { .. }
                | Action::EndTalks { .. }
                | Action::Withdraw { .. }
        );
        let explain =
            acts || matches!(&d.action, Action::Implement { breaks, .. } if !breaks.is_empty());
        // The reason follows the line that reports the move, before what the move set off.
        let own = if matches!(d.action, Action::Counter { .. }) {
            2
        } else {
            1
        };
        let split = if explain {
            own.min(events.len())
        } else {
            events.len()
        };
        write_events(&mut out, m, &events[..split]);
        if explain {
            let _ = writeln!(out, "    why ({}): {}", sc.side(turn.side).name, d.reason);
        }
        write_events(&mut out, m, &events[split..]);
        guard += 1;
        if guard > 10_000 {
            break;
        }
    }
    let m = t.into_match();
    let s = m.scores();
    let _ = writeln!(
        out,
        "\nScores: utility {} {:.2}, {} {:.2}; approval {:.0}% / {:.0}%; stability {:.0}",
        sc.side_a.name,
        s.utility[0],
        sc.side_b.name,
        s.utility[1],
        s.approval[0],
        s.approval[1],
        s.stability
    );
    if let Some(epilogue) = m.epilogue() {
        let _ = writeln!(out, "\nEpilogue: {epilogue}");
    }
    (m, out)
}

fn write_events(out: &mut String, m: &Match, events: &[Event]) {
    let sc = &m.scenario;
    for e in events {
        if let Event::RoundStarted { round } = e {
            if let Some(h) = m.history.last() {
                meters(out, sc, h);
            }
            let phase = &sc.phases[m.history.last().map_or(m.phase, |h| h.phase)].name;
            let _ = writeln!(
                out,
                "\n== Round {round} of {} — phase: {phase} ==",
                sc.rounds
            );
        }
        if let Some(line) = describe(sc.public(), e) {
            let _ = writeln!(out, "  {line}");
        }
        if let Event::MatchEnded { .. } = e
            && let Some(h) = m.history.last()
        {
            meters(out, sc, h);
        }
    }
}

fn meters(out: &mut String, sc: &Scenario, h: &crate::sim::state::Snapshot) {
    let _ = writeln!(
        out,
        "  Meters: tension {:.0} | trust {}->{} {:.0}, {}->{} {:.0} | approval {:.0}% / {:.0}% | capital {:.0} / {:.0}",
        h.tension,
        sc.side_a.id,
        sc.side_b.id,
        h.trust[0],
        sc.side_b.id,
        sc.side_a.id,
        h.trust[1],
        h.approval[0],
        h.approval[1],
        h.capital[0],
        h.capital[1]
    );
}
