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
