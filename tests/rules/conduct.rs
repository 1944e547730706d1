//! The counterparts' memory of conduct: caught breaches and withdrawals of kept commitments are
//! defection; faith in the other side's promises falls with each, never heals fully, and a
//! counterpart answers, asks for real checks, or walks away.

use crate::common::*;
use detente::ai::{Counterpart, Negotiator, ReasonCode};
use detente::eval::exploits::Strategy;
use detente::sim::*;
use detente::table::{Seat, Table};
use std::sync::Arc;

const CHARACTERS: [Personality; 4] = [
    Personality::Hawk,
    Personality::Dove,
    Personality::Reciprocator,
    Personality::Pragmatist,
];

/// How far B's counterpart believes an unchecked patrol notice of A's in `m`, at a public trust
/// of 50 whatever the record did to it: only its own memory of A's conduct differs.
fn belief(m: &Match, ai: &mut Counterpart) -> f32 {
    // A look at the talks first, as a table would give it: what it remembers is from looks.
    ai.decide(&m.view_brief(Side::B), m.scenario.public());
    let mut v = m.view_brief(Side::B);
    v.trust = [50.0, 50.0];
    ai.belief_in(&v, m.scenario.public(), &item("patrol_notice", Side::A))
}

/// The tutorial without events, where every measure has two checks: the first a word of honour
/// that finds nothing, the second monitors that find every breach.
fn two_checks() -> Arc<Scenario> {
    let mut s = (*quiet_level(&tutorial())).clone();
    // Long enough to watch a record heal.
    s.rounds = 20;
    for m in &mut s.measures {
        m.verification = vec![
            Verification {
                name: "Word of honour".into(),
                detection: 0.0,
                cost: 0.0,
                needs_observers: false,
            },
            Verification {
                name: "Monitors".into(),
                detection: 1.0,
                cost: 0.0,
                needs_observers: false,
            },
        ];
    }
    Arc::new(s)
}

/// Both sides hold the hotline, A's under the monitors, which catch it broken `breaches` times;
/// A then keeps it `clean` rounds. B's counterpart looks at the talks of every round. Returns
/// the match at the talks after the last of those rounds, or, with `floor`, when B next has the
/// floor.
fn record(
    p: Personality,
    d: Difficulty,
    breaches: usize,
    clean: usize,
    floor: bool,
) -> (Match, Counterpart) {
    let sc = two_checks();
    let mut m = Match::new(sc.clone(), 5);
    let mut ai = counterpart(&sc, p, d, Side::B, 3);
    let mut o = offer(&sc, &[("hotline", Side::A), ("hotline", Side::B)]);
    o.items[0].verification = Some(1);
    m.apply(Action::Propose {
        side: Side::A,
        offer: o,
    })
    .unwrap();
    m.apply(Action::Accept { side: Side::B }).unwrap();
    let id = m.commitments.iter().find(|c| c.by == Side::A).unwrap().id;
    let mut round = 0;
    loop {
        m.apply(Action::Implement {
            side: Side::B,
            breaks: vec![],
        })
        .unwrap();
        let breaks = if round < breaches { vec![id] } else { vec![] };
        m.apply(Action::Implement {
            side: Side::A,
            breaks,
        })
        .unwrap();
        round += 1;
        assert_eq!(m.stage, Stage::Negotiation, "round {round}");
        ai.decide(&m.view_brief(Side::B), sc.public());
        if round >= breaches + clean && (!floor || m.talks.turn == Side::B) {
            break;
        }
        let side = m.talks.turn;
        m.apply(Action::EndTalks { side }).unwrap();
    }
    assert_eq!(
        m.commitments.iter().find(|c| c.id == id).unwrap().caught,
        breaches as u32
    );
    (m, ai)
}

#[test]
fn faith_in_their_promises_falls_with_each_caught_breach_toward_nothing() {
    for p in CHARACTERS {
        for d in [Difficulty::Normal, Difficulty::Hard] {
            let beliefs: Vec<f32> = (1..=5)
                .map(|n| {
                    let (m, mut ai) = record(p, d, n, 0, false);
                    belief(&m, &mut ai)
                })
                .collect();
            for w in beliefs.windows(2) {
                assert!(w[1] < w[0], "{p:?} {d:?}: {beliefs:?}");
            }
            // An unchecked promise (self-report finds a breach 15% of the time) from a partner
            // caught five times is worth almost nothing.
            assert!(beliefs[4] < 0.2, "{p:?} {d:?}: {beliefs:?}");
        }
    }
}

#[test]
fn the_dove_forgives_more_than_the_hawk_and_no_one_forgets() {
    let after = |p, breaches, clean| {
        let (m, mut ai) = record(p, Difficulty::Normal, breaches, clean, false);
        belief(&m, &mut ai)
    };
    let fresh = |p| {
        let (m, mut ai) = record(p, Difficulty::Normal, 0, 1, false);
        belief(&m, &mut ai)
    };
    assert!(after(Personality::Dove, 2, 0) > after(Personality::Hawk, 2, 0));
    for p in CHARACTERS {
        let (before, hurt, healed) = (fresh(p), after(p, 2, 0), after(p, 2, 8));
        // Good conduct since wins some faith back, never all of it.
        assert!(
            hurt < healed && healed < before,
            "{p:?}: {before} {hurt} {healed}"
        );
    }
}

/// Both sides hold the hotline and keep it through a round; then A withdraws its copy at the
/// next talks. B's counterpart looked at those talks before the withdrawal and looks again
/// after it, when it must answer A's offer (or take the floor).
fn withdrawn_after_keeping(p: Personality, withdraw: bool) -> (Match, Counterpart) {
    let sc = quiet_level(&tutorial());
    let mut m = Match::new(sc.clone(), 5);
    let mut ai = counterpart(&sc, p, Difficulty::Normal, Side::B, 3);
    let id = sign_hotline(&mut m);
    keep_all(&mut m);
    assert_eq!(m.stage, Stage::Negotiation);
    ai.decide(&m.view_brief(Side::B), sc.public());
    if m.talks.turn == Side::B {
        m.apply(Action::EndTalks { side: Side::B }).unwrap();
        keep_all(&mut m);
        ai.decide(&m.view_brief(Side::B), sc.public());
    }
    assert_eq!(m.talks.turn, Side::A);
    if withdraw {
        m.apply(Action::Withdraw {
            side: Side::A,
            commitment: id,
        })
        .unwrap();
    }
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer(
            &sc,
            &[("patrol_notice", Side::A), ("clinic_boats", Side::B)],
        ),
    })
    .unwrap();
    (m, ai)
}

#[test]
fn a_withdrawal_after_keeping_is_defection_and_is_answered_in_kind() {
    let (m, mut hawk) = withdrawn_after_keeping(Personality::Hawk, true);
    let d = b_decides(&m, &mut hawk);
    let Action::Withdraw { side, commitment } = d.action else {
        panic!(
            "the hawk answers the withdrawal: {:?} {}",
            d.action, d.reason
        );
    };
    assert_eq!(side, Side::B);
    assert_eq!(d.code, ReasonCode::AnswerWithdrawal, "{}", d.reason);
    let c = m.commitments.iter().find(|c| c.id == commitment).unwrap();
    assert_eq!(c.by, Side::B);

    // Faith falls for everyone, even those who let a first defection pass.
    for p in CHARACTERS {
        let (kept, mut a) = withdrawn_after_keeping(p, false);
        let (gone, mut b) = withdrawn_after_keeping(p, true);
        let (x, y) = (belief(&kept, &mut a), belief(&gone, &mut b));
        assert!(y < x, "{p:?}: {x} kept, {y} withdrawn");
    }
}

#[test]
fn a_commitment_that_runs_its_course_is_not_held_against_anyone() {
    // A's patrol notice on a sunset runs out while B watches; B believes A as before.
    let sc = quiet_level(&tutorial());
    for p in CHARACTERS {
        let mut m = Match::new(sc.clone(), 5);
        let mut ai = counterpart(&sc, p, Difficulty::Normal, Side::B, 3);
        let mut o = offer(&sc, &[("patrol_notice", Side::A), ("hotline", Side::B)]);
        o.items[0].term = Term::Sunset(3);
        m.apply(Action::Propose {
            side: Side::A,
            offer: o,
        })
        .unwrap();
        m.apply(Action::Accept { side: Side::B }).unwrap();
        keep_all(&mut m);
        let first = belief(&m, &mut ai);
        for _ in 0..4 {
            quiet_round(&mut m);
            ai.decide(&m.view_brief(Side::B), sc.public());
        }
        assert!(
            !m.commitments.iter().any(|c| c.by == Side::A),
            "the sunset ran out"
        );
        assert!(belief(&m, &mut ai) >= first, "{p:?}");
    }
}

#[test]
fn once_let_down_a_counterpart_asks_for_the_check_that_holds() {
    // The dove and the normal reciprocator ask for the first check listed while they trust;
    // once A has been caught again and again they want the monitors on every promise of A's they
    // table.
    for p in [Personality::Dove, Personality::Reciprocator] {
        let checks = |breaches| {
            let (mut m, mut ai) = record(p, Difficulty::Normal, breaches, 0, true);
            // Withdrawals owed come first.
            let d = loop {
                let d = b_decides(&m, &mut ai);
                if !matches!(d.action, Action::Withdraw { .. }) {
                    break d;
                }
                m.apply(d.action).unwrap();
            };
            match d.action {
                Action::Propose { offer, .. } => offer
                    .items
                    .iter()
                    .filter(|it| it.by == Side::A)
                    .map(|it| it.verification)
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            }
        };
        let trusting = checks(0);
        assert!(
            trusting.contains(&Some(0)),
            "{p:?} trusts at first: {trusting:?}"
        );
        let wary = checks(3);
        assert!(
            !wary.is_empty() && wary.iter().all(|v| *v == Some(1)),
            "{p:?}: {wary:?}"
        );
    }
}

#[test]
fn checks_do_not_hold_a_partner_caught_again_and_again_under_them() {
    // The monitors catch every breach; a partner never caught is believed under them, one caught
    // five times under them is not (the dove, which forgives most, still gives it less than two
    // fifths), and a counterpart with nothing left to trade says why.
    let monitored = |m: &Match, ai: &mut Counterpart| {
        ai.decide(&m.view_brief(Side::B), m.scenario.public());
        let mut v = m.view_brief(Side::B);
        v.trust = [50.0, 50.0];
        let mut it = item("patrol_notice", Side::A);
        it.verification = Some(1);
        ai.belief_in(&v, m.scenario.public(), &it)
    };
    for p in CHARACTERS {
        for d in [Difficulty::Normal, Difficulty::Hard] {
            let (m, mut ai) = record(p, d, 0, 1, false);
            let honest = monitored(&m, &mut ai);
            let (mut m, mut ai) = record(p, d, 5, 0, true);
            let cheat = monitored(&m, &mut ai);
            assert!(
                honest > 0.9 && cheat < 0.4 * honest,
                "{p:?} {d:?}: {honest} {cheat}"
            );
            // Withdrawals owed come first.
            let dec = loop {
                let dec = b_decides(&m, &mut ai);
                if !matches!(dec.action, Action::Withdraw { .. }) {
                    break dec;
                }
                m.apply(dec.action).unwrap();
            };
            if let Action::EndTalks { .. } = dec.action {
                assert_eq!(dec.code, ReasonCode::TheirWordFailed, "{p:?} {d:?}");
            }
        }
    }
}

/// Mean own utility of `strategy` in seat A against (p, d) in seat B, over `games` seeds.
fn scripted_mean(
    sc: &Arc<Scenario>,
    strategy: Strategy,
    p: Personality,
    d: Difficulty,
    games: u64,
) -> (f64, Vec<ReasonCode>) {
    let level = sc.public();
    let mut sum = 0.0;
    let mut codes = Vec::new();
    for seed in 0..games {
        let seats = [
            Seat::Counterpart(Box::new(strategy.negotiator(level, Side::A, seed))),
            Seat::Counterpart(Box::new(detente::table::counterpart(
                level,
                Side::B,
                seed,
                p,
                d,
            ))),
        ];
        let mut t = Table::headless(sc.clone(), seed, seats);
        while let Some(turn) = t.step() {
            if turn.side == Side::B {
                codes.push(turn.decision.code);
            }
        }
        sum += t.whole().scores().utility[0] as f64;
    }
    (sum / games as f64, codes)
}

#[test]
fn breaking_every_round_ends_below_no_deal_against_normal_and_hard_counterparts() {
    for id in ["river_accord", "ceasefire_line"] {
        let sc = shipped(id);
        let no_deal = sc.frontier().disagreement[0] as f64;
        for p in CHARACTERS {
            for d in [Difficulty::Normal, Difficulty::Hard] {
                let (own, _) = scripted_mean(&sc, Strategy::BreakAll, p, d, 8);
                assert!(own < no_deal, "{id} {p:?} {d:?}: {own} >= {no_deal}");
            }
        }
    }
}

#[test]
fn counterparts_answer_a_partner_who_keeps_then_withdraws() {
    let sc = shipped("ceasefire_line");
    for p in CHARACTERS {
        let (_, codes) = scripted_mean(&sc, Strategy::KeepThenWithdraw, p, Difficulty::Normal, 4);
        assert!(
            codes.contains(&ReasonCode::AnswerWithdrawal),
            "{p:?} never answered a withdrawal"
        );
    }
}
