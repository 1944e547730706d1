//! How counterparts bargain: what they accept, what they ask for, on which terms, and what
//! they learn of the other side.

use crate::common::*;
use detente::ai::{Counterpart, Decision, Negotiator, PERSONALITIES, ReasonCode, Signing};
use detente::sim::*;
use detente::table::fallback;
use std::sync::Arc;

/// Up to `n` different commitments drawn at random from what `v` could offer.
fn random_offer(sc: &Scenario, v: &SideView, r: &mut rng::Rng, n: usize) -> Offer {
    let mut items: Vec<Item> = Vec::new();
    for _ in 0..n {
        let (id, by) = v.available[r.below(v.available.len())].clone();
        if !items.iter().any(|i| *i.measure == *id && i.by == by) {
            items.push(Item {
                term: term_of(sc, &id),
                measure: id.to_string(),
                by,
                verification: None,
            });
        }
    }
    Offer {
        items,
        statement: Statement::Reassure,
    }
}

#[test]
fn hawk_never_accepts_below_its_reservation() {
    let mut accepted = 0;
    for sc in all_levels() {
        let mut r = rng::Rng::new(17);
        for seed in 0..30u64 {
            let mut m = calm(&sc);
            m.rng = rng::Rng::new(seed);
            // Late in the match and on the last exchange, where a weak negotiator caves in.
            if seed % 2 == 0 {
                m.round = sc.rounds;
            }
            m.talks.exchanges_used = sc.exchanges - 1;
            let n = 1 + r.below(4);
            let o = random_offer(&sc, &m.view(Side::A), &mut r, n);
            if m.apply(Action::Propose {
                side: Side::A,
                offer: o.clone(),
            })
            .is_err()
            {
                continue;
            }
            let mut hawk = counterpart(&sc, Personality::Hawk, Difficulty::Hard, Side::B, seed);
            let view = m.view(Side::B);
            let (gain, _, reservation) = hawk.evaluate(&view, sc.public(), &o);
            let d = hawk.decide(&view, sc.public());
            if matches!(d.action, Action::Accept { .. }) {
                accepted += 1;
                assert!(
                    gain >= reservation,
                    "{}: accepted {gain:.2} below reservation {reservation:.2}: {}",
                    sc.id,
                    d.reason
                );
            }
        }
    }
    assert!(accepted > 0, "the hawk accepts something at all");
}

#[test]
fn first_round_is_for_positions_not_signatures() {
    let mut early_refusals = 0;
    let mut later_accepts_below_opening = 0;
    for sc in all_levels() {
        let mut r = rng::Rng::new(5);
        for seed in 0..24u64 {
            let p = PERSONALITIES[seed as usize % 4];
            for round in [1, 3] {
                let mut m = calm(&sc);
                m.round = round;
                m.sides[0].capital = 30.0;
                m.sides[1].capital = 30.0;
                let n = 2 + r.below(4);
                let o = random_offer(&sc, &m.view(Side::A), &mut r, n);
                if m.apply(Action::Propose {
                    side: Side::A,
                    offer: o.clone(),
                })
                .is_err()
                {
                    continue;
                }
                let mut ai = counterpart(&sc, p, Difficulty::Normal, Side::B, seed);
                let view = m.view(Side::B);
                let (gain, _, _) = ai.evaluate(&view, sc.public(), &o);
                let d = ai.decide(&view, sc.public());
                let accepted = matches!(d.action, Action::Accept { .. });
                if round == 1 {
                    assert!(
                        !accepted || gain >= 0.9,
                        "{p:?} signed {gain:.2} in round one: {}",
                        d.reason
                    );
                    if d.code == ReasonCode::FirstSeasonBar {
                        early_refusals += 1;
                    }
                } else if accepted && gain < 0.9 {
                    later_accepts_below_opening += 1;
                }
            }
        }
    }
    assert!(early_refusals > 0, "round-one refusals say why");
    assert!(
        later_accepts_below_opening > 0,
        "the bar is a first-round bar only"
    );
}

/// Play a match to the end, `a` for side A and `b` for side B, each seeing what a table shows
/// it, with the table's fallback wherever a decision is refused. `watch` sees each of B's
/// decisions with the match and the view it came from.
fn play_watching_b(
    sc: &Arc<Scenario>,
    seed: u64,
    a: &mut Counterpart,
    b: &mut Counterpart,
    mut watch: impl FnMut(&Match, &SideView, &Counterpart, &Decision),
) {
    let mut m = Match::new(sc.clone(), seed);
    while !m.is_over() {
        let (side, _) = m.needs()[0];
        let v = m.view_brief(side);
        let d = if side == Side::B {
            let d = b.decide(&v, sc.public());
            watch(&m, &v, b, &d);
            d
        } else {
            a.decide(&v, sc.public())
        };
        if m.apply(d.action).is_err() {
            m.apply(fallback(&v)).unwrap();
        }
    }
}

/// A decision that signs `offer`, or tables the very same commitments again with only their
/// terms changed.
fn assert_signs_or_reterms(d: &Decision, offer: &Offer) {
    let key = |o: &Offer| {
        o.items
            .iter()
            .map(|i| (i.measure.clone(), i.by, i.verification))
            .collect::<Vec<_>>()
    };
    match &d.action {
        Action::Accept { .. } => {}
        Action::Counter { offer: o, .. } => {
            assert_eq!(key(o), key(offer), "{d:?}");
            assert!(o.items != offer.items, "a counter that changes nothing");
        }
        _ => panic!("{d:?}"),
    }
}

#[test]
fn a_hard_counterpart_signs_when_holding_out_cannot_pay() {
    // When no package that gives the other side what it asked for would give a hard
    // counterpart more than the offer on the table, it signs at once, above its reservation,
    // and never in the first season.
    let mut seen = 0;
    for sc in all_levels() {
        for seed in 0..12u64 {
            let mut ai = counterpart(
                &sc,
                Personality::Pragmatist,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let mut other = counterpart(&sc, Personality::Dove, Difficulty::Easy, Side::A, seed);
            play_watching_b(&sc, seed, &mut other, &mut ai, |m, v, ai, d| {
                if d.code.signing() == Some(Signing::NoBetterPackage) {
                    seen += 1;
                    let (_, offer) = v.pending.clone().expect("an offer to sign");
                    // It signs, or tables the very same package on its own terms.
                    assert_signs_or_reterms(d, &offer);
                    assert!(m.round > 1, "not in the first season");
                    let (gain, _, reservation) = ai.evaluate(v, sc.public(), &offer);
                    assert!(gain >= reservation, "{gain:.2} below {reservation:.2}");
                }
            });
        }
    }
    assert!(seen > 0, "the rule never came into play");
}

#[test]
fn near_the_clash_line_a_careful_counterpart_settles_for_less() {
    // With war the alternative to a deal, the least a careful counterpart accepts falls as
    // tension nears the clash line; a careless (easy) one does not see it coming.
    let sc = shipped("ceasefire_line");
    let reservation = |d: Difficulty, tension: f32| {
        let mut m = calm(&sc);
        m.tension = tension;
        m.apply(Action::Propose {
            side: Side::A,
            offer: offer(&sc, &[("hotline", Side::A)]),
        })
        .unwrap();
        let ai = counterpart(&sc, Personality::Hawk, d, Side::B, 1);
        ai.evaluate(
            &m.view(Side::B),
            sc.public(),
            &offer(&sc, &[("hotline", Side::A)]),
        )
        .2
    };
    let calm_line = sc.end.clash_at - 30.0;
    let brink = sc.end.clash_at - 2.0;
    assert!(reservation(Difficulty::Hard, brink) < 0.6 * reservation(Difficulty::Hard, calm_line));
    assert_eq!(
        reservation(Difficulty::Easy, brink),
        reservation(Difficulty::Easy, calm_line)
    );
}

#[test]
fn after_a_refusal_a_hard_counterpart_offers_the_other_side_more() {
    // The other side's gain as the counterpart's own model estimates it.
    let theirs = |ai: &Counterpart, sc: &Scenario, o: &Offer| -> f32 {
        o.items
            .iter()
            .map(|it| {
                let m = &sc.measures[sc.measure_index(&it.measure).unwrap()];
                ai.model().utility(m, it.by, Side::B)
            })
            .sum()
    };
    let (mut more, mut cases) = (0, 0);
    for sc in all_levels() {
        for seed in 0..8u64 {
            let mut m = calm(&sc);
            // Late enough that its aspiration leaves room to give, and its gesture made.
            m.round = sc.rounds - 1;
            m.sides[1].gesture_used = true;
            m.sides[0].capital = 20.0;
            m.sides[1].capital = 20.0;
            m.talks.turn = Side::B;
            let mut ai = counterpart(
                &sc,
                Personality::Pragmatist,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let Action::Propose { offer: first, .. } = b_decides(&m, &mut ai).action else {
                continue;
            };
            m.apply(Action::Propose {
                side: Side::B,
                offer: first.clone(),
            })
            .unwrap();
            m.apply(Action::Reject { side: Side::A }).unwrap();
            m.talks.turn = Side::B;
            m.talks.exchanges_used = 0;
            let Action::Propose { offer: second, .. } = b_decides(&m, &mut ai).action else {
                continue;
            };
            cases += 1;
            let (was, now) = (theirs(&ai, &sc, &first), theirs(&ai, &sc, &second));
            assert!(
                now >= was - 1e-6,
                "{}: offered them less after a refusal ({was} then {now}, seed {seed}: {first:?} then {second:?})",
                sc.id
            );
            if now > was * 1.05 {
                more += 1;
            }
        }
    }
    assert!(cases >= 6, "only {cases} cases");
    assert!(more > 0, "never offered more after a refusal");
}

/// Rounds a term keeps a commitment in force, as the counterparts reckon it.
fn lasts(t: Term) -> u32 {
    match t {
        Term::Sunset(n) => n,
        Term::Treaty(n) => 2 * n,
        Term::Pledge => 100,
    }
}

#[test]
fn a_hard_counterpart_binds_the_other_side_and_limits_its_own_promises() {
    let mut checked = 0;
    for sc in all_levels() {
        for d in [Difficulty::Easy, Difficulty::Hard] {
            for seed in 0..4u64 {
                let mut m = calm(&sc);
                m.round = 3;
                m.sides[1].gesture_used = true;
                m.talks.turn = Side::B;
                let mut ai = counterpart(&sc, Personality::Pragmatist, d, Side::B, seed);
                let Action::Propose { offer, .. } = b_decides(&m, &mut ai).action else {
                    continue;
                };
                for it in &offer.items {
                    let def = &sc.measures[sc.measure_index(&it.measure).unwrap()];
                    if def.terms.len() < 2 {
                        continue;
                    }
                    checked += 1;
                    let spans: Vec<u32> = def.terms.iter().map(|t| lasts(*t)).collect();
                    let (short, long) =
                        (*spans.iter().min().unwrap(), *spans.iter().max().unwrap());
                    match d {
                        Difficulty::Hard if it.by == Side::B => {
                            assert_eq!(lasts(it.term), short, "{}: own {}", sc.id, it.measure)
                        }
                        Difficulty::Hard => {
                            assert_eq!(lasts(it.term), long, "{}: theirs {}", sc.id, it.measure)
                        }
                        // Everyone else takes the treaty where there is one, else the first term.
                        _ => assert_eq!(
                            it.term,
                            def.terms
                                .iter()
                                .copied()
                                .find(|t| matches!(t, Term::Treaty(_)))
                                .unwrap_or(def.terms[0]),
                            "{}: {}",
                            sc.id,
                            it.measure
                        ),
                    }
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} items with a choice of terms");
}

#[test]
fn a_hard_counterpart_argues_terms_then_signs() {
    // An offer it likes, with its own promises for good and theirs for a short time, comes back
    // as the same package on its terms; it restates them once a season, then signs.
    let sc = tutorial();
    let mut m = calm(&sc);
    m.round = 3;
    m.sides[1].gesture_used = true;
    let offer = Offer {
        items: vec![
            Item {
                term: Term::Pledge,
                ..item("fishing_grounds", Side::A)
            },
            Item {
                term: Term::Pledge,
                ..item("hotline", Side::B)
            },
        ],
        statement: Statement::Reassure,
    };
    m.apply(Action::Propose {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap();
    let mut ai = counterpart(&sc, Personality::Dove, Difficulty::Hard, Side::B, 1);
    let d = b_decides(&m, &mut ai);
    let Action::Counter { offer: ours, .. } = d.action.clone() else {
        panic!("expected a counter on its own terms: {d:?}");
    };
    assert!(
        matches!(d.code, ReasonCode::OnOurTerms(_)),
        "{:?}: {}",
        d.code,
        d.reason
    );
    assert_eq!(ours.items.len(), offer.items.len());
    for (a, b) in ours.items.iter().zip(&offer.items) {
        assert_eq!((&a.measure, a.by), (&b.measure, b.by));
    }
    let term = |o: &Offer, id: &str| o.items.iter().find(|i| i.measure == id).unwrap().term;
    assert!(lasts(term(&ours, "fishing_grounds")) >= lasts(Term::Pledge));
    assert!(lasts(term(&ours, "hotline")) < lasts(Term::Pledge));
    m.apply(d.action).unwrap();
    // The other side insists on its first version, with exchanges to spare: the counterpart
    // restates its terms once this season...
    m.apply(Action::Counter {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    m.talks.exchanges_used = 0;
    let d = b_decides(&m, &mut ai);
    assert!(matches!(d.code, ReasonCode::HoldToOurTerms(_)), "{d:?}");
    let Action::Counter { offer: again, .. } = d.action.clone() else {
        panic!("expected its terms once more: {d:?}");
    };
    assert_eq!(again, ours);
    m.apply(d.action).unwrap();
    // ...and when they insist again, it signs their version rather than argue on.
    m.apply(Action::Counter {
        side: Side::A,
        offer: offer.clone(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    m.talks.exchanges_used = 0;
    let d = b_decides(&m, &mut ai);
    assert!(matches!(d.action, Action::Accept { .. }), "{d:?}");
    // An easy counterpart signs the first offer as it stands.
    let mut m = calm(&sc);
    m.round = 3;
    m.sides[1].gesture_used = true;
    m.apply(Action::Propose {
        side: Side::A,
        offer: Offer {
            items: vec![
                Item {
                    term: Term::Pledge,
                    ..item("fishing_grounds", Side::A)
                },
                Item {
                    term: Term::Pledge,
                    ..item("hotline", Side::B)
                },
            ],
            statement: Statement::Reassure,
        },
    })
    .unwrap();
    let mut easy = counterpart(&sc, Personality::Dove, Difficulty::Easy, Side::B, 1);
    assert!(matches!(
        b_decides(&m, &mut easy).action,
        Action::Accept { .. }
    ));
}

#[test]
fn a_hard_counterpart_signs_rather_than_have_a_weak_last_word_refused() {
    // When its counter would close the season's talks and even a step from its refused package
    // gives the other side less than it asked for, a hard counterpart signs what is on the table
    // (above its reservation) instead of losing the season.
    let mut seen = 0;
    for sc in all_levels() {
        for seed in 0..12u64 {
            let mut ai = counterpart(
                &sc,
                Personality::Reciprocator,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let mut other = counterpart(
                &sc,
                Personality::Reciprocator,
                Difficulty::Normal,
                Side::A,
                seed,
            );
            play_watching_b(&sc, seed, &mut other, &mut ai, |m, v, ai, d| {
                if d.code.signing() == Some(Signing::LastWord) {
                    seen += 1;
                    assert_eq!(
                        v.exchanges_left, 1,
                        "only when its counter would close talks"
                    );
                    assert!(m.round > 1, "not in the first season");
                    let (_, offer) = v.pending.clone().expect("an offer to sign");
                    let (gain, _, reservation) = ai.evaluate(v, sc.public(), &offer);
                    assert!(gain >= reservation, "{gain:.2} below {reservation:.2}");
                    // It signs, or tables the same package on its own terms, nothing else.
                    assert_signs_or_reterms(d, &offer);
                }
            });
        }
    }
    assert!(seen > 0, "never signed for want of a strong last word");
}

#[test]
fn pragmatist_learns_the_other_sides_top_priority_from_consistent_offers() {
    for sc in all_levels() {
        let truth = Area::ALL
            .iter()
            .copied()
            .max_by(|a, b| {
                scoring::priority(&sc, Side::A, *a).total_cmp(&scoring::priority(&sc, Side::A, *b))
            })
            .unwrap();
        let cheap: Vec<Area> = {
            let mut v = Area::ALL.to_vec();
            v.sort_by(|a, b| {
                scoring::priority(&sc, Side::A, *a).total_cmp(&scoring::priority(&sc, Side::A, *b))
            });
            v.into_iter().take(3).collect()
        };
        let mut ai = counterpart(&sc, Personality::Pragmatist, Difficulty::Hard, Side::B, 4);
        let mut m = calm(&sc);
        let mut offers = 0;
        for round in 0..6 {
            let v = m.view(Side::A);
            let area = |id: &str| sc.measures[sc.measure_index(id).unwrap()].area;
            let ask: Vec<(std::sync::Arc<str>, Side)> = v
                .available
                .iter()
                .filter(|(id, by)| *by == Side::B && area(id) == truth)
                .take(2)
                .cloned()
                .collect();
            let give: Vec<(std::sync::Arc<str>, Side)> = v
                .available
                .iter()
                .filter(|(id, by)| *by == Side::A && cheap.contains(&area(id)))
                .skip(round % 2)
                .take(1)
                .cloned()
                .collect();
            let items: Vec<(&str, Side)> = ask
                .iter()
                .chain(&give)
                .map(|(id, by)| (&**id, *by))
                .collect();
            if m.stage != Stage::Negotiation || ask.is_empty() {
                break;
            }
            // Keep A at the table for the sake of the test.
            m.talks.turn = Side::A;
            m.talks.exchanges_used = 0;
            m.sides[0].capital = 30.0;
            m.sides[1].capital = 30.0;
            m.apply(Action::Propose {
                side: Side::A,
                offer: offer(&sc, &items),
            })
            .unwrap();
            offers += 1;
            b_decides(&m, &mut ai);
            m.apply(Action::Reject { side: Side::B }).unwrap();
        }
        assert!(offers >= 3, "{}: made {offers} offers", sc.id);
        assert_eq!(
            ai.model().ranking()[0],
            truth,
            "{}: believed {:?}",
            sc.id,
            ai.model().ranking()
        );
    }
}

#[test]
fn in_play_the_model_is_closer_to_the_truth_than_a_uniform_guess() {
    // Ranking the top area right is not enough: trades are built on the weights themselves.
    const SEEDS: u64 = 40;
    for sc in all_levels().into_iter().filter(|s| s.id != "tutorial") {
        let (mut err, mut uniform) = (0.0, 0.0);
        for seed in 0..SEEDS {
            let mut ai = counterpart(
                &sc,
                Personality::Pragmatist,
                Difficulty::Hard,
                Side::B,
                seed,
            );
            let mut other = counterpart(
                &sc,
                Personality::Reciprocator,
                Difficulty::Normal,
                Side::A,
                seed,
            );
            play_watching_b(&sc, seed, &mut other, &mut ai, |_, _, _, _| {});
            let truth = sc.weights()[0];
            let w = ai.model().weights();
            err += w.iter().zip(truth).map(|(a, b)| (a - b).abs()).sum::<f32>();
            uniform += truth.iter().map(|b| (1.0 / 7.0 - b).abs()).sum::<f32>();
        }
        assert!(
            err < 0.8 * uniform,
            "{}: model error {:.3} against a uniform guess's {:.3}",
            sc.id,
            err / SEEDS as f32,
            uniform / SEEDS as f32
        );
    }
}

#[test]
fn the_public_catalogue_gives_the_model_a_start_that_their_offers_can_overturn() {
    // On the Orvane Accord what only one side can give (the dam's flow, the power purchase, the
    // lawsuit) says where the other side stands before it has made a single offer.
    let sc = all_levels()
        .into_iter()
        .find(|s| s.id == "river_accord")
        .expect("the Orvane Accord ships");
    for me in Side::BOTH {
        let truth = sc.weights()[me.other().idx()];
        let mut model = detente::ai::OpponentModel::default();
        let before = model.weights();
        model.prime(me, sc.public());
        let w = model.weights();
        let top = model.ranking()[0];
        let most = truth.iter().copied().fold(0.0, f32::max);
        assert_eq!(
            truth[top as usize],
            most,
            "{me:?} believes {:?}, truth {truth:?}",
            model.ranking()
        );
        let err = |w: [f32; 7]| w.iter().zip(truth).map(|(a, b)| (a - b).abs()).sum::<f32>();
        assert!(
            err(w) < 0.8 * err(before),
            "{me:?}: error {:.3} primed against {:.3} uniform",
            err(w),
            err(before)
        );
        // Reading the catalogue twice changes nothing.
        model.prime(me, sc.public());
        assert_eq!(model.weights(), w);
    }
    // A side that keeps asking for one area is believed, whatever the catalogue said.
    let mut model = detente::ai::OpponentModel::default();
    model.prime(Side::A, sc.public());
    assert_ne!(model.ranking()[0], Area::PeopleToPeople);
    let ask = offer(
        &sc,
        &[("civil_dialogue", Side::A), ("student_exchange", Side::A)],
    );
    for _ in 0..12 {
        model.observe(&ask, Side::A, sc.public());
    }
    assert_eq!(
        model.ranking()[0],
        Area::PeopleToPeople,
        "{:?}",
        model.ranking()
    );
}
