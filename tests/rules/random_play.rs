//! Random moves from both sides: a refused move changes nothing, the meters stay in range,
//! the match replays from its record, and the level's counterparts can take over wherever it
//! got to.

use crate::common::*;
use detente::runner;
use detente::sim::rules::{self, Seen};
use detente::sim::*;
use detente::table::{Table, fallback};
use proptest::prelude::*;

fn random_action(m: &Match, r: &mut rng::Rng) -> Action {
    let (side, need) = m.needs()[0];
    let v = m.view(side);
    let sc = &m.scenario;
    let random_offer = |r: &mut rng::Rng| {
        let n = 1 + r.below(3);
        let mut items: Vec<Item> = Vec::new();
        for _ in 0..n {
            if v.available.is_empty() {
                break;
            }
            let (id, by) = v.available[r.below(v.available.len())].clone();
            let md = &sc.measures[sc.measure_index(&id).unwrap()];
            let verification = if md.verification.is_empty() || r.chance(0.3) {
                None
            } else {
                Some(r.below(md.verification.len()))
            };
            let term = if md.terms.is_empty() {
                Term::Pledge
            } else {
                md.terms[r.below(md.terms.len())]
            };
            items.push(Item {
                measure: id.to_string(),
                by,
                verification,
                term,
            });
        }
        Offer {
            items,
            statement: Statement::ALL[r.below(5)],
        }
    };
    match need {
        Need::Respond => {
            let rs = v.event.unwrap().my_responses;
            Action::Respond {
                side,
                response: rs[r.below(rs.len())].clone(),
            }
        }
        Need::Answer => match r.below(3) {
            0 => Action::Accept { side },
            1 => Action::Reject { side },
            _ => Action::Counter {
                side,
                offer: random_offer(r),
            },
        },
        Need::Propose => match r.below(5) {
            0 => Action::EndTalks { side },
            1 => {
                let gs: Vec<&MeasureDef> = sc.measures.iter().filter(|m| m.gesture).collect();
                Action::Gesture {
                    side,
                    measure: gs[r.below(gs.len())].id.clone(),
                    verification: None,
                }
            }
            2 if !v.commitments.is_empty() => Action::Withdraw {
                side,
                commitment: v.commitments[r.below(v.commitments.len())].id,
            },
            _ => Action::Propose {
                side,
                offer: random_offer(r),
            },
        },
        Need::Implement => {
            let mine: Vec<u32> = v
                .commitments
                .iter()
                .filter(|c| c.by == side)
                .map(|c| c.id)
                .collect();
            Action::Implement {
                side,
                breaks: mine.into_iter().filter(|_| r.chance(0.2)).collect(),
            }
        }
    }
}

fn meters_in_range(m: &Match) {
    let ok = |x: f32| (0.0..=100.0).contains(&x);
    assert!(ok(m.tension));
    assert!(ok(m.trust[0]) && ok(m.trust[1]));
    for s in &m.sides {
        assert!(s.approval.iter().all(|a| ok(*a)));
        assert!(ok(s.economy) && ok(s.security));
        assert!(s.capital >= 0.0);
    }
    for o in &m.outlets {
        assert!(ok(o.tone));
    }
    assert!(m.phase < m.scenario.phases.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn random_play_keeps_meters_in_range_and_replays(seed in any::<u64>(), level in 0usize..3, moves in any::<u64>()) {
        let levels = all_levels();
        let sc = levels[level % levels.len()].clone();
        let mut m = Match::new(sc.clone(), seed);
        let mut r = rng::Rng::new(moves);
        let mut steps = 0;
        while !m.is_over() && steps < 600 {
            let a = random_action(&m, &mut r);
            let before = m.clone();
            // The dry run answers as the move itself will, and changes nothing.
            let checked = m.check(&a);
            prop_assert_eq!(&m, &before);
            // The mover, judging from its own view and the public level, gets the same answer;
            // the other side may not move for it.
            let side = a.side();
            let mine = m.view(side);
            prop_assert_eq!(&rules::check(&Seen::new(&mine, sc.public()), &a), &checked, "{:?}", &a);
            let theirs = m.view(side.other());
            prop_assert_eq!(
                rules::check(&Seen::new(&theirs, sc.public()), &a),
                Err(ActionError::NotYourSide)
            );
            match m.apply(a) {
                Ok(_) => prop_assert_eq!(checked, Ok(())),
                Err(e) => {
                    prop_assert_eq!(checked, Err(e));
                    prop_assert_eq!(&m, &before);
                    let side = m.needs()[0].0;
                    m.apply(fallback(&m.view(side))).unwrap();
                }
            }
            meters_in_range(&m);
            steps += 1;
        }
        prop_assert!(m.is_over());
        let again = Match::replay(sc.clone(), &m.record(None)).unwrap();
        prop_assert_eq!(again, m);
    }

    #[test]
    fn the_level_counterparts_take_over_any_position_and_play_legally(seed in any::<u64>(), level in 0usize..3, moves in any::<u64>(), cut in 0usize..80) {
        // Random play reaches positions the counterparts would not play into themselves:
        // unseen breaches, odd packages, meters far from the usual.
        let levels = all_levels();
        let sc = levels[level % levels.len()].clone();
        let mut m = Match::new(sc.clone(), seed);
        let mut r = rng::Rng::new(moves);
        for _ in 0..cut {
            if m.is_over() {
                break;
            }
            let a = random_action(&m, &mut r);
            if m.apply(a).is_err() {
                let side = m.needs()[0].0;
                m.apply(fallback(&m.view(side))).unwrap();
            }
        }
        let mut t = Table::from_match(m, runner::level_seats(&sc, seed));
        let mut turns = 0;
        while let Some(turn) = t.step() {
            prop_assert!(
                turn.fell_back.is_none(),
                "after {} random moves, {:?} tried {:?}: {:?}",
                cut,
                turn.side,
                turn.decision.action,
                turn.fell_back
            );
            turns += 1;
            prop_assert!(turns < 10_000);
        }
        prop_assert!(t.is_over());
    }
}
