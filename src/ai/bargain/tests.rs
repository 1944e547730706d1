use super::baseline::{Kind, Simple, generate};
use super::*;
use crate::sim::rng::Rng;

fn hard() -> Stance {
    Stance::new(Personality::Pragmatist, Difficulty::Hard)
}

fn all_stances() -> Vec<Stance> {
    crate::ai::PERSONALITIES
        .iter()
        .flat_map(|&p| {
            crate::ai::DIFFICULTIES
                .iter()
                .map(move |&d| Stance::new(p, d))
        })
        .collect()
}

fn at(t: f64, left: u32) -> Moment {
    Moment {
        t,
        turns_left: Some(left),
    }
}

#[test]
fn never_accepts_below_its_reservation_even_on_the_last_turn() {
    let d = generate(3, 4, 6, 0.7, [0.55, 0.0]);
    let own = d.sides[0].clone();
    let mut rng = Rng::new(9);
    for stance in all_stances() {
        let mut b = Bargainer::new(own.clone(), stance, 1);
        let mut accepted_below = 0;
        let mut accepted = 0;
        for k in 0..200u32 {
            let offer: Outcome = own.sizes().iter().map(|&n| rng.below(n) as u16).collect();
            let left = 200 - k;
            if b.respond(&offer, at(k as f64 / 200.0, left)) == Response::Accept {
                accepted += 1;
                accepted_below += u32::from(own.utility(&offer) < own.reservation);
            }
        }
        assert_eq!(accepted_below, 0, "{stance:?}");
        assert!(
            accepted > 0,
            "the last turns take what beats the reservation: {stance:?}"
        );
    }
}

#[test]
fn the_aspiration_never_rises_and_ends_above_the_reservation() {
    let d = generate(5, 5, 5, 0.6, [0.2, 0.2]);
    for stance in all_stances() {
        let mut b = Bargainer::new(d.sides[0].clone(), stance, 2);
        let mut last = f64::INFINITY;
        for k in 0..=100u32 {
            let a = b.aspiration(at(k as f64 / 100.0, 100 - k + 1));
            assert!(a <= last + 1e-12, "{stance:?} rose at step {k}");
            assert!(a >= 0.2 - 1e-12, "{stance:?} fell below the reservation");
            last = a;
        }
        let first = Bargainer::new(d.sides[0].clone(), stance, 2).aspiration(at(0.0, 101));
        assert!(last < first, "{stance:?} never conceded");
    }
}

#[test]
fn a_boulware_concedes_later_than_a_conceder() {
    let d = generate(5, 5, 5, 0.6, [0.0, 0.0]);
    let asp = |p| {
        let mut b = Bargainer::new(d.sides[0].clone(), Stance::new(p, Difficulty::Hard), 2);
        b.aspiration(at(0.5, 50))
    };
    assert!(asp(Personality::Hawk) > asp(Personality::Dove) + 0.3);
}

#[test]
fn offers_meet_a_falling_aspiration_and_are_fresh_while_fresh_ones_meet_it() {
    let d = generate(11, 4, 5, 0.8, [0.1, 0.0]);
    let own = &d.sides[0];
    let their_best = d.sides[1].best().0;
    let all = every_outcome(own);
    let mut b = Bargainer::new(own.clone(), hard(), 4);
    let mut last_asp = f64::INFINITY;
    let mut offered: Vec<Outcome> = Vec::new();
    let mut repeats = 0;
    for k in 0..60u32 {
        let now = at(k as f64 / 60.0, 60 - k);
        let _ = b.respond(&their_best, now);
        let asp = b.aspiration(now);
        let o = b.propose(now).expect("an offer");
        let mine = own.utility(&o);
        assert!(asp <= last_asp + 1e-12, "{k}: the aspiration rose");
        assert!(
            mine >= asp - 1e-9 || o == their_best,
            "{k}: {mine} under {asp}"
        );
        if offered.contains(&o) && o != their_best {
            repeats += 1;
            let fresh = all
                .iter()
                .filter(|x| own.utility(x) >= asp - 1e-9 && !offered.contains(x))
                .count();
            assert_eq!(
                fresh, 0,
                "{k}: repeated {o:?} with {fresh} fresh offers left"
            );
        }
        offered.push(o);
        last_asp = asp;
    }
    assert!(
        repeats > 0,
        "early on only a few outcomes meet the aspiration"
    );
}

fn every_outcome(u: &Additive) -> Vec<Outcome> {
    let mut out: Vec<Outcome> = vec![Vec::new()];
    for n in u.sizes() {
        out = out
            .into_iter()
            .flat_map(|o| {
                (0..n as u16).map(move |v| {
                    let mut o = o.clone();
                    o.push(v);
                    o
                })
            })
            .collect();
    }
    out
}

/// Play `a` (first) against `b` on `d` and return each side's utility, `None` without a deal.
fn play(
    d: &baseline::Domain,
    a: &mut dyn Negotiate,
    b: &mut dyn Negotiate,
    deadline: u32,
) -> Option<[f64; 2]> {
    let e = alternate(a, b, deadline);
    e.agreement
        .map(|o| [d.sides[0].utility(&o), d.sides[1].utility(&o)])
}

#[test]
fn agrees_with_itself_and_with_a_conceder_above_both_reservations() {
    // Small spaces are listed whole; eight issues of eight values are searched without it.
    for (seed, issues, values) in [(1, 1, 10), (2, 3, 5), (3, 6, 6), (4, 8, 8), (5, 10, 10)] {
        let d = generate(seed, issues, values, 0.7, [0.2, 0.25]);
        for deadline in [20, 200] {
            let mut a = Bargainer::new(d.sides[0].clone(), hard(), 1);
            let mut b = Bargainer::new(d.sides[1].clone(), hard(), 2);
            let u = play(&d, &mut a, &mut b, deadline)
                .unwrap_or_else(|| panic!("no deal with itself: {seed} {deadline}"));
            assert!(u[0] >= 0.2 && u[1] >= 0.25, "{u:?}");
            let mut a = Bargainer::new(d.sides[0].clone(), hard(), 1);
            let mut c = Simple::new(Kind::TimeBased(2.0), d.sides[1].clone(), 3);
            let u = play(&d, &mut c, &mut a, deadline)
                .unwrap_or_else(|| panic!("no deal with a conceder: {seed} {deadline}"));
            assert!(u[0] >= 0.2 && u[1] >= 0.25, "{u:?}");
        }
    }
}

#[test]
fn takes_a_hardliners_offer_at_the_end_rather_than_nothing() {
    let d = generate(7, 3, 4, 0.5, [0.0, 0.0]);
    let mut a = Bargainer::new(d.sides[0].clone(), hard(), 1);
    let mut h = Simple::new(Kind::Hardliner, d.sides[1].clone(), 1);
    let e = alternate(&mut h, &mut a, 40);
    assert_eq!(e.agreement, Some(d.sides[1].best().0));
    assert!(e.turn >= 30, "it held out until late: {}", e.turn);
}

#[test]
fn walks_away_only_when_nothing_beats_the_reservation() {
    let d = generate(8, 3, 4, 0.5, [0.0, 0.0]);
    let best = d.sides[0].best().1;
    let mut own = d.sides[0].clone();
    own.reservation = best + 0.01;
    let mut b = Bargainer::new(own, hard(), 1);
    assert_eq!(b.propose(at(0.0, 10)), None);
    assert_eq!(b.respond(&d.sides[0].best().0, at(0.1, 9)), Response::End);
    own = d.sides[0].clone();
    own.reservation = best - 0.01;
    let mut b = Bargainer::new(own, hard(), 1);
    assert_eq!(b.propose(at(0.0, 10)), Some(d.sides[0].best().0));
    let worst = d.sides[0].worst().0;
    assert_eq!(b.respond(&worst, at(0.99, 1)), Response::Reject);
}

#[test]
fn the_model_ranks_the_other_sides_outcomes_better_than_chance() {
    let d = generate(21, 6, 6, 0.5, [0.0, 0.0]);
    let mut a = Bargainer::new(d.sides[0].clone(), hard(), 1);
    let mut other = Simple::new(Kind::TimeBased(0.2), d.sides[1].clone(), 5);
    for k in 0..60u32 {
        let now = at(k as f64 / 100.0, 100 - k);
        let o = other.propose(now).expect("an offer");
        let _ = a.respond(&o, now);
    }
    let mut rng = Rng::new(3);
    let sizes = d.sides[1].sizes();
    let mut draw = || -> Outcome { sizes.iter().map(|&n| rng.below(n) as u16).collect() };
    let (mut same, mut pairs) = (0, 0);
    for _ in 0..2000 {
        let (x, y) = (draw(), draw());
        let truth = d.sides[1].utility(&x) - d.sides[1].utility(&y);
        let guess = a.model().utility(&x) - a.model().utility(&y);
        if truth.abs() > 0.05 {
            pairs += 1;
            same += u32::from(truth * guess > 0.0);
        }
    }
    let share = same as f64 / pairs as f64;
    assert!(share > 0.7, "{share}");
}

#[test]
fn the_search_without_a_list_comes_close_to_the_exact_one() {
    for seed in 0..6 {
        let d = generate(40 + seed, 6, 6, 0.6, [0.0, 0.0]);
        let own = &d.sides[0];
        let theirs = &d.sides[1].table;
        let exact = Search::new(own);
        assert!(exact.exact());
        let local = Search::unlisted();
        for target in [0.9, 0.75, 0.6, 0.45] {
            let e = exact.find(own, theirs, target);
            let l = local.find(own, theirs, target);
            assert!(own.utility(&l) >= target - 1e-9);
            let (ue, ul) = (d.sides[1].utility(&e), d.sides[1].utility(&l));
            assert!(
                ul >= ue - 0.03,
                "seed {seed} target {target}: {ul} against {ue}"
            );
        }
    }
}

/// A side that is told only the share of time gone, never the turns left.
struct Clockwise<'a>(&'a mut dyn Negotiate);

impl Negotiate for Clockwise<'_> {
    fn propose(&mut self, now: Moment) -> Option<Outcome> {
        self.0.propose(Moment {
            turns_left: None,
            ..now
        })
    }
    fn respond(&mut self, offer: &[u16], now: Moment) -> Response {
        self.0.respond(
            offer,
            Moment {
                turns_left: None,
                ..now
            },
        )
    }
}

#[test]
fn agrees_by_the_clock_alone_when_the_turns_are_not_counted() {
    for (seed, issues, values) in [(2, 3, 5), (3, 6, 6), (5, 10, 10)] {
        let d = generate(seed, issues, values, 0.7, [0.1, 0.1]);
        for deadline in [30, 300] {
            let mut a = Bargainer::new(d.sides[0].clone(), hard(), 1);
            let mut b = Bargainer::new(d.sides[1].clone(), hard(), 2);
            assert!(
                play(&d, &mut Clockwise(&mut a), &mut Clockwise(&mut b), deadline).is_some(),
                "with itself: {seed} {deadline}"
            );
            let mut a = Bargainer::new(d.sides[0].clone(), hard(), 1);
            let mut c = Simple::new(Kind::TimeBased(0.2), d.sides[1].clone(), 3);
            assert!(
                play(&d, &mut Clockwise(&mut a), &mut c, deadline).is_some(),
                "with a Boulware: {seed} {deadline}"
            );
        }
    }
}
