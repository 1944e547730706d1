//! The press: every outlet's front page, and when its stories are logged.

use crate::common::*;
use detente::sim::*;

#[test]
fn every_outlet_writes_a_front_page_each_round() {
    let sc = tutorial();
    let mut m = calm(&sc);
    quiet_round(&mut m);
    let heads: Vec<&String> = m
        .log
        .iter()
        .filter_map(|l| match &l.event {
            Event::Headline { outlet, .. } => Some(outlet),
            _ => None,
        })
        .collect();
    for o in &sc.outlets {
        assert!(heads.contains(&&o.id), "{} is silent", o.id);
    }
    assert!(m.outlets.iter().all(|o| !o.front.is_empty()));
    // Both sides read every paper, their own and the other side's.
    for side in Side::BOTH {
        let v = m.view(side);
        let ids: Vec<&str> = v.outlets.iter().map(|o| o.id.as_str()).collect();
        let all: Vec<&str> = sc.outlets.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, all, "{side:?}");
        for (seen, o) in v.outlets.iter().zip(&m.outlets) {
            assert_eq!(seen.front, o.front, "{side:?}: {}", seen.id);
        }
    }
}

#[test]
fn home_front_events_are_logged_under_the_round_they_close() {
    let sc = tutorial();
    let mut m = calm(&sc);
    quiet_round(&mut m);
    let heads: Vec<u32> = m
        .log
        .iter()
        .filter(|l| matches!(l.event, Event::Headline { .. }))
        .map(|l| l.round)
        .collect();
    assert!(!heads.is_empty());
    assert!(
        heads.iter().all(|r| *r == 1),
        "round 1's press is logged as round 1: {heads:?}"
    );
    assert!(
        m.log
            .iter()
            .any(|l| l.round == 2 && matches!(l.event, Event::RoundStarted { round: 2 }))
    );
}

#[test]
fn outlets_word_the_same_story_differently_where_templates_allow() {
    let sc = tutorial();
    let mut m = calm(&sc);
    sign_and_keep(&mut m, &[("hotline", Side::A), ("hotline", Side::B)]);
    let agreement: Vec<String> = m
        .log
        .iter()
        .filter_map(|l| match &l.event {
            Event::Headline { text, .. } if text.contains("Lake hotline") => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(agreement.len() >= 2, "{agreement:?}");
    let distinct: std::collections::BTreeSet<&String> = agreement.iter().collect();
    assert!(
        distinct.len() >= 2,
        "every outlet printed the same line: {agreement:?}"
    );
}
