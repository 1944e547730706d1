//! What one side's view shows.

use crate::common::*;
use detente::sim::*;

#[test]
fn views_hold_no_private_detail_of_the_other_side() {
    let sc = tutorial();
    let m = calm(&sc);
    for side in Side::BOTH {
        let json = serde_json::to_string(&m.view(side)).unwrap();
        assert!(json.contains(&sc.side(side).brief.replace('\n', "\\n")[..40]));
        let theirs = sc.side(side.other());
        assert!(
            !json.contains(&theirs.brief.replace('\n', "\\n")[..40]),
            "other brief leaked"
        );
        for f in &theirs.factions {
            assert!(
                !json.contains(&format!("\"id\":\"{}\"", f.id)),
                "other faction detail leaked"
            );
        }
    }
}

#[test]
fn a_counter_offer_carries_the_offer_it_answers() {
    let sc = tutorial();
    let mut m = calm(&sc);
    let first = offer(&sc, &[("hotline", Side::A), ("hotline", Side::B)]);
    m.apply(Action::Propose {
        side: Side::A,
        offer: first.clone(),
    })
    .unwrap();
    // A fresh proposal answers nothing.
    assert_eq!(m.view(Side::B).answers, None);
    let second = offer(&sc, &[("hotline", Side::A)]);
    m.apply(Action::Counter {
        side: Side::B,
        offer: second.clone(),
    })
    .unwrap();
    for s in Side::BOTH {
        assert_eq!(m.view(s).answers.as_ref(), Some(&first), "{s:?}");
    }
    // A counter to the counter answers the counter, not the first offer.
    m.apply(Action::Counter {
        side: Side::A,
        offer: first.clone(),
    })
    .unwrap();
    assert_eq!(m.view(Side::B).answers.as_ref(), Some(&second));
    // Once the offer is off the table there is nothing to compare.
    m.apply(Action::Reject { side: Side::B }).unwrap();
    assert_eq!(m.view(Side::A).answers, None);
}

/// A table keeps each side's view and brings it up to date before every move: at every move of
/// whole matches on every shipped level, whatever they come to, the kept view is the one built
/// afresh.
#[test]
fn a_refreshed_view_is_the_view_built_afresh() {
    use detente::ai::Negotiator;
    for sc in all_levels() {
        for seed in 1..=6 {
            let mut m = Match::new(sc.clone(), seed);
            let mut ai =
                Side::BOTH.map(|s| detente::table::level_counterpart(sc.public(), s, seed));
            let mut kept: [Option<SideView>; 2] = [None, None];
            let mut moves = 0;
            while let Some(&(side, _)) = m.needs().first() {
                let fresh = m.view_brief(side);
                let view = match &mut kept[side.idx()] {
                    Some(v) => {
                        m.refresh_brief(side, v);
                        v
                    }
                    slot => slot.insert(m.view_brief(side)),
                };
                assert_eq!(*view, fresh, "{} seed {seed}, move {moves}", sc.id);
                let d = ai[side.idx()].decide(view, sc.public());
                if m.apply_quiet(d.action).is_err() {
                    m.apply_quiet(detente::table::fallback(view)).unwrap();
                }
                moves += 1;
                assert!(moves < 10_000);
            }
            assert!(
                m.is_over() && moves > 10,
                "{} seed {seed}: {moves} moves",
                sc.id
            );
        }
    }
}
