//! Explanations that are true: every reason is one sentence, every figure in it a share from 0
//! to 100%, and each kind of claim (its `ReasonCode`) holds of the state it describes. The tests
//! read the code and the numbers of a reason, never its wording.

use crate::common::*;
use detente::ai::{Decision, ReasonCode, Signing};
use detente::eval::exploits::STRATEGIES;
use detente::eval::tournament;
use detente::sim::measures::detection;
use detente::sim::*;
use detente::table::{Seat, Table};
use std::sync::Arc;

/// A counterpart's move with what it saw and knew when it made it.
struct Said {
    level: Arc<Scenario>,
    view: SideView,
    decision: Decision,
    /// The log before the move.
    before: Vec<Logged>,
    /// Its model's ranking of the other side's areas right after the move, if it keeps one.
    ranking: Option<Vec<Area>>,
}

/// Every move of the counterparts in these matches, leaving out the seats marked `scripted`.
fn play(sc: &Arc<Scenario>, seed: u64, seats: [Seat; 2], scripted: [bool; 2], out: &mut Vec<Said>) {
    let mut t = Table::headless(sc.clone(), seed, seats);
    loop {
        let views = [t.view(Side::A), t.view(Side::B)];
        let before = t.whole().log.len();
        let Some(turn) = t.step() else { break };
        let s = turn.side;
        if scripted[s.idx()] || turn.fell_back.is_some() {
            continue;
        }
        out.push(Said {
            level: sc.clone(),
            view: views[s.idx()].clone(),
            decision: turn.decision,
            before: t.whole().log[..before].to_vec(),
            ranking: t.insight(s).map(|i| i.ranking),
        });
    }
}

/// What the counterparts said on every shipped level: pool pairings, and every counterpart
/// against the scripted strategies (which bring out breaches, withdrawals and bare demands).
fn everything_said() -> &'static Vec<Said> {
    static SAID: std::sync::OnceLock<Vec<Said>> = std::sync::OnceLock::new();
    SAID.get_or_init(|| {
        let mut out = Vec::new();
        let pool = tournament::pool();
        for sc in all_levels() {
            let level = sc.public().clone();
            for (k, &(p, d)) in pool.iter().enumerate() {
                for j in [1, 5, 7] {
                    let (q, e) = pool[(k + j) % pool.len()];
                    let seed = (k * 13 + j) as u64;
                    let a = counterpart(&sc, p, d, Side::A, seed);
                    let b = counterpart(&sc, q, e, Side::B, seed);
                    play(&sc, seed, seats(a, b), [false, false], &mut out);
                }
                for (i, s) in STRATEGIES.iter().enumerate() {
                    if (i + k) % 3 != 0 {
                        continue;
                    }
                    let seed = (k * 31 + i) as u64;
                    let seats = [
                        Seat::Counterpart(Box::new(s.negotiator(&level, Side::A, seed))),
                        Seat::Counterpart(Box::new(counterpart(&sc, p, d, Side::B, seed))),
                    ];
                    play(&sc, seed, seats, [true, false], &mut out);
                }
            }
        }
        out
    })
}

/// The numbers in a reason, each with whether a percent sign follows it.
fn numbers(reason: &str) -> Vec<(f64, bool)> {
    let b = reason.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || (b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            let n: f64 = reason[start..i].parse().expect("a number");
            out.push((n, b.get(i) == Some(&b'%')));
        } else {
            i += 1;
        }
    }
    out
}

fn percents(reason: &str) -> Vec<f64> {
    numbers(reason)
        .into_iter()
        .filter(|(_, p)| *p)
        .map(|(n, _)| n)
        .collect()
}

#[test]
fn every_reason_is_one_sentence_with_shares_from_0_to_100() {
    let said = everything_said();
    assert!(said.len() > 5_000, "only {} moves", said.len());
    for s in said {
        let r = &s.decision.reason;
        let code = s.decision.code;
        assert!(
            r.ends_with('.') && r.starts_with(char::is_uppercase),
            "{code:?}: {r:?}"
        );
        // No sentence ends before the last: no stop, question or exclamation mark followed by
        // a space.
        let inner = &r[..r.len() - 1];
        assert!(
            !inner.contains(". ") && !inner.contains("? ") && !inner.contains("! "),
            "{code:?} says more than one sentence: {r:?}"
        );
        for p in percents(r) {
            assert!((0.0..=100.0).contains(&p), "{code:?}: {p}% in {r:?}");
        }
    }
}

#[test]
fn signing_and_refusing_figures_compare_as_the_reason_says() {
    let mut seen = [0; 4];
    for s in everything_said() {
        let r = &s.decision.reason;
        let p = percents(r);
        // "worth X% of the best we could hope for, we wanted Y%": X is at least Y.
        if s.decision.code.signing() == Some(Signing::AboveAspiration) {
            assert!(p.len() >= 2 && p[0] >= p[1], "{r:?}");
            seen[0] += 1;
        }
        match s.decision.code {
            // "worth X% ..., and we need Y%": X is short of Y (or it costs more than it gives,
            // and only Y is named).
            ReasonCode::RejectBelowAspiration | ReasonCode::FirstSeasonBar => {
                assert!(!p.is_empty(), "{r:?}");
                if p.len() >= 2 {
                    assert!(p[0] < p[1], "{r:?}");
                }
                seen[1] += 1;
            }
            // "support would be S%, we need R%": S is short of R.
            ReasonCode::CannotRatify => {
                assert!(p.len() == 2 && p[0] < p[1], "{r:?}");
                seen[2] += 1;
            }
            // "it needs N political capital and we have M": N is more than M, and M is what the
            // side holds.
            ReasonCode::CannotPay => {
                let n = numbers(r);
                assert!(n.len() >= 2 && n[0].0 > n[1].0, "{r:?}");
                assert!(
                    (n[1].0 - s.view.private.capital as f64).abs() <= 0.5,
                    "{r:?}"
                );
                seen[3] += 1;
            }
            _ => {}
        }
    }
    assert!(seen.iter().all(|n| *n > 0), "claims seen: {seen:?}");
}

#[test]
fn it_gives_them_what_they_seem_to_value_most_by_its_own_model() {
    let mut seen = 0;
    for s in everything_said() {
        if s.decision.code != ReasonCode::TradeAcrossAreas {
            continue;
        }
        let Action::Propose { side, offer } = &s.decision.action else {
            panic!("{:?}", s.decision.action);
        };
        let top = s.ranking.as_ref().expect("a modeller keeps a model")[0];
        assert!(
            offer.items.iter().any(|it| it.by == *side
                && s.level
                    .public()
                    .measure(&it.measure)
                    .is_some_and(|(_, m)| m.area == top)),
            "nothing in {top:?}: {offer:?}"
        );
        seen += 1;
    }
    assert!(seen > 100, "{seen}");
}

#[test]
fn after_asking_for_real_verification_the_counter_holds_it_under_a_real_check() {
    let (mut countered, mut refused) = (0, 0);
    for s in everything_said() {
        if s.decision.code != ReasonCode::DemandVerification {
            continue;
        }
        let me = s.view.side;
        let level = s.level.public();
        let (_, pending) = s.view.pending.as_ref().expect("an offer was answered");
        let weak: Vec<&Item> = pending
            .items
            .iter()
            .filter(|it| it.by != me)
            .filter(|it| {
                level.measure(&it.measure).is_some_and(|(_, m)| {
                    detection(m, it.verification) < 0.3
                        && m.verification.iter().any(|x| x.detection >= 0.3)
                })
            })
            .collect();
        assert!(!weak.is_empty(), "no weak promise in {pending:?}");
        match &s.decision.action {
            Action::Counter { offer, .. } => {
                assert!(
                    weak.iter().any(|w| offer.items.iter().any(|it| {
                        it.measure == w.measure
                            && it.by == w.by
                            && level
                                .measure(&it.measure)
                                .is_some_and(|(_, m)| detection(m, it.verification) >= 0.3)
                    })),
                    "asked for {weak:?}, countered {offer:?}"
                );
                countered += 1;
            }
            Action::Reject { .. } => refused += 1,
            other => panic!("{other:?}"),
        }
    }
    assert!(countered >= 3, "{countered} countered, {refused} refused");
}

#[test]
fn restated_terms_are_the_same_package_on_other_terms() {
    let mut seen = 0;
    for s in everything_said() {
        if !matches!(
            s.decision.code,
            ReasonCode::OnOurTerms(_) | ReasonCode::HoldToOurTerms(_)
        ) {
            continue;
        }
        let (_, pending) = s.view.pending.as_ref().expect("an offer was answered");
        let Action::Counter { offer, .. } = &s.decision.action else {
            panic!("{:?}", s.decision.action);
        };
        let key = |o: &Offer| {
            let mut v: Vec<(String, Side, Option<usize>)> = o
                .items
                .iter()
                .map(|i| (i.measure.clone(), i.by, i.verification))
                .collect();
            v.sort();
            v
        };
        assert_eq!(key(offer), key(pending));
        assert_ne!(offer.items, pending.items, "nothing restated");
        seen += 1;
    }
    assert!(seen > 50, "{seen}");
}

#[test]
fn retaliation_and_walking_away_answer_what_the_other_side_did() {
    let mut seen = [0; 3];
    for s in everything_said() {
        let me = s.view.side;
        let broke = s
            .before
            .iter()
            .any(|l| matches!(l.event, Event::BreachCaught { side, .. } if side != me));
        let withdrew = s.before.iter().any(|l| {
            matches!(l.event, Event::CommitmentEnded { side, reason: EndReason::Withdrawn, .. } if side != me)
        });
        match s.decision.code {
            ReasonCode::CaughtBreaking => {
                assert!(
                    broke
                        && matches!(s.decision.action, Action::Withdraw { side, .. } if side == me)
                );
                seen[0] += 1;
            }
            ReasonCode::AnswerWithdrawal => {
                assert!(
                    withdrew
                        && matches!(s.decision.action, Action::Withdraw { side, .. } if side == me)
                );
                seen[1] += 1;
            }
            ReasonCode::TheirWordFailed => {
                assert!(broke || withdrew);
                seen[2] += 1;
            }
            _ => {}
        }
    }
    assert!(seen[0] > 0 && seen[1] > 0, "{seen:?}");
}

#[test]
fn a_partner_who_has_stopped_moving_is_named_only_after_two_seasons() {
    let mut seen = 0;
    for s in everything_said() {
        match s.decision.code.signing() {
            Some(Signing::Stalled) => {
                let n = numbers(&s.decision.reason);
                assert!(n[0].0 >= 2.0, "{}", s.decision.reason);
                seen += 1;
            }
            Some(Signing::NearDeadline) => {
                assert!(s.view.exchanges_left == 0 || s.view.round == s.view.rounds);
            }
            Some(Signing::LastWord) => assert_eq!(s.view.exchanges_left, 1),
            _ => {}
        }
    }
    assert!(seen > 0);
}

#[test]
fn what_a_counterpart_says_of_its_own_implementation_is_what_it_does() {
    let (mut kept, mut broke) = (0, 0);
    for s in everything_said() {
        let Action::Implement { breaks, .. } = &s.decision.action else {
            continue;
        };
        match s.decision.code {
            ReasonCode::KeepCommitments => {
                assert!(breaks.is_empty());
                kept += 1;
            }
            // "they would catch it only X% of the time": a commitment it breaks is caught that
            // often.
            ReasonCode::BreakUnlikelyCaught => {
                let p = percents(&s.decision.reason)[0];
                let level = s.level.public();
                assert!(
                    s.view.commitments.iter().any(|c| breaks.contains(&c.id)
                        && level.measure(&c.measure).is_some_and(|(_, m)| {
                            (detection(m, c.verification) as f64 * 100.0 - p).abs() <= 0.5
                        })),
                    "{}",
                    s.decision.reason
                );
                broke += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(kept > 0 && broke > 0, "{kept} {broke}");
}

#[test]
fn the_mediators_package_is_named_only_when_it_is_the_package() {
    let same = |a: &Offer, b: &Offer| {
        let key = |o: &Offer| {
            let mut k: Vec<(String, Side)> =
                o.items.iter().map(|i| (i.measure.clone(), i.by)).collect();
            k.sort();
            k
        };
        key(a) == key(b)
    };
    let mut seen = 0;
    for s in everything_said() {
        let bridge = s.view.bridge.as_ref();
        if s.decision.code == ReasonCode::MediatorsPackage {
            let Action::Propose { offer, .. } = &s.decision.action else {
                panic!("{:?}", s.decision.action)
            };
            assert!(bridge.is_some_and(|b| same(b, offer)), "{offer:?}");
            seen += 1;
        }
        if s.decision.code.signing() == Some(Signing::Mediated) {
            let (_, offer) = s.view.pending.as_ref().expect("an offer to sign");
            assert!(bridge.is_some_and(|b| same(b, offer)), "{offer:?}");
            seen += 1;
        }
    }
    assert!(seen > 0);
}
