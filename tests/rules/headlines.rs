//! Headline slots: which state, measure and words each outlet writes into a template.

use crate::common::*;
use detente::sim::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// `sc` where every template of `kind`, in every spin and for every outlet, reads `text`, so
/// the slots alone decide what is printed.
fn with_template(sc: &Scenario, kind: NewsKind, text: &str) -> Scenario {
    let mut s = sc.clone();
    s.headlines.retain(|h| h.kind != kind);
    for spin in [Spin::Upbeat, Spin::Neutral, Spin::Grim] {
        s.headlines.push(HeadlineDef {
            kind,
            outlet: None,
            spin,
            text: text.into(),
        });
    }
    s
}

/// Every headline printed so far that starts with `prefix`, by outlet id.
fn printed(m: &Match, prefix: &str) -> BTreeMap<String, String> {
    m.log
        .iter()
        .filter_map(|l| match &l.event {
            Event::Headline { outlet, text, .. } if text.starts_with(prefix) => {
                Some((outlet.clone(), text.clone()))
            }
            _ => None,
        })
        .collect()
}

/// A round of the tutorial whose only card, drawn at once, strikes `target`.
fn event_round(target: Target) -> (Arc<Scenario>, Match) {
    let mut sc = with_template(
        &tutorial(),
        NewsKind::Event,
        "{event}: {actor} | {other} | {leader}",
    );
    let mut card = sc.events[0].clone();
    card.target = target;
    card.responses.clear();
    card.trigger = Trigger::default();
    sc.events = vec![card];
    sc.event_chance = 1.0;
    sc.mediator = None;
    let sc = Arc::new(sc);
    let mut m = Match::new(sc.clone(), 3);
    quiet_round(&mut m);
    (sc, m)
}

#[test]
fn an_event_that_strikes_both_is_about_each_outlets_own_state() {
    let (sc, m) = event_round(Target::Both);
    let title = &sc.events[0].title;
    let (a, b) = (&sc.side_a.name, &sc.side_b.name);
    let (la, lb) = (&sc.side_a.leader, &sc.side_b.leader);
    let heads = printed(&m, title);
    assert_eq!(
        heads.get("aldora_gazette").map(String::as_str),
        Some(format!("{title}: {a} | {b} | {la}").as_str())
    );
    assert_eq!(
        heads.get("brevik_post").map(String::as_str),
        Some(format!("{title}: {b} | {a} | {lb}").as_str())
    );
    // The international press names both.
    assert_eq!(
        heads.get("lake_wire").map(String::as_str),
        Some(format!("{title}: {a} and {b} | each other | {la} and {lb}").as_str())
    );
}

#[test]
fn an_event_that_strikes_one_state_is_about_that_state_everywhere() {
    let (sc, m) = event_round(Target::B);
    let title = &sc.events[0].title;
    let (a, b) = (&sc.side_a.name, &sc.side_b.name);
    let heads = printed(&m, title);
    assert_eq!(heads.len(), sc.outlets.len(), "{heads:?}");
    for (outlet, text) in &heads {
        assert_eq!(
            text,
            &format!("{title}: {b} | {a} | {}", sc.side_b.leader),
            "{outlet}"
        );
    }
}

/// A signs a package whose first commitment is B's, with templates for agreements and
/// statements that show their slots.
fn agreement(items: &[(&str, Side)]) -> (Arc<Scenario>, Match) {
    let sc = with_template(
        &tutorial(),
        NewsKind::Agreement,
        "Signed: {actor} gives {measure}",
    );
    let sc = Arc::new(with_template(
        &sc,
        NewsKind::Statement,
        "Speech: {leader} says {statement}",
    ));
    let mut m = calm(&sc);
    sign_and_keep(&mut m, items);
    (sc, m)
}

fn measure_name(sc: &Scenario, id: &str) -> String {
    sc.measures[sc.measure_index(id).unwrap()].name.clone()
}

#[test]
fn an_agreement_names_each_state_with_a_measure_it_undertook() {
    let (sc, m) = agreement(&[("return_trawler", Side::B), ("fishing_grounds", Side::A)]);
    let (a, b) = (&sc.side_a.name, &sc.side_b.name);
    let (grounds, trawler) = (
        measure_name(&sc, "fishing_grounds"),
        measure_name(&sc, "return_trawler"),
    );
    let heads = printed(&m, "Signed:");
    assert_eq!(
        heads.get("aldora_gazette"),
        Some(&format!("Signed: {a} gives {grounds}"))
    );
    assert_eq!(
        heads.get("brevik_post"),
        Some(&format!("Signed: {b} gives {trawler}"))
    );
    // The international press writes the proposer, with its own measure, although the
    // package lists the other state's first.
    assert_eq!(
        heads.get("lake_wire"),
        Some(&format!("Signed: {a} gives {grounds}"))
    );
}

#[test]
fn an_agreement_names_the_first_measure_for_a_state_that_undertook_none() {
    let (sc, m) = agreement(&[("return_trawler", Side::B)]);
    let trawler = measure_name(&sc, "return_trawler");
    let heads = printed(&m, "Signed:");
    assert_eq!(
        heads.get("aldora_gazette"),
        Some(&format!("Signed: {} gives {trawler}", sc.side_a.name))
    );
}

#[test]
fn a_statement_is_quoted_in_words() {
    let (sc, m) = agreement(&[("hotline", Side::A), ("hotline", Side::B)]);
    let heads = printed(&m, "Speech:");
    assert!(!heads.is_empty(), "no statement headline");
    let words = Statement::Reassure.words();
    for (outlet, text) in &heads {
        assert_eq!(
            text,
            &format!("Speech: {} says {words}", sc.side_a.leader),
            "{outlet}"
        );
        assert!(!text.contains("reassure") && !text.contains("Reassure"));
    }
}

#[test]
fn a_fallen_leader_is_named_beside_the_successor() {
    let mut sc = with_template(
        &tutorial(),
        NewsKind::LeaderFell,
        "Fall: {leader} gives way to {successor} in {actor}",
    );
    // A's leader falls at the end of the first round.
    sc.side_a.ouster_below = 99.0;
    sc.side_a.on_ouster = OnOuster::Successor("Admiral Vera Stoll".into());
    let mut m = calm(&sc);
    quiet_round(&mut m);
    let heads = printed(&m, "Fall:");
    assert!(!heads.is_empty(), "no headline about the fall");
    for (outlet, text) in &heads {
        assert_eq!(
            text,
            &format!(
                "Fall: {} gives way to Admiral Vera Stoll in {}",
                sc.side_a.leader, sc.side_a.name
            ),
            "{outlet}"
        );
    }
}
