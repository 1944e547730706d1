//! The debrief as data and HTML, built from whole matches without a window: every chart point,
//! timeline line and revealed breach traces back to the match record.

use crate::common::*;
use detente::report::{Chart, Kind, Meter, Report, export_html};
use detente::runner;
use detente::sim::*;
use detente::table::Table;
use std::sync::Arc;

/// Text as the page escapes it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A meter read straight off a round's snapshot.
fn reading(meter: Meter, h: &state::Snapshot) -> f32 {
    match meter {
        Meter::Tension => h.tension,
        Meter::Trust(s) => h.trust[s.idx()],
        Meter::Approval(s) => h.approval[s.idx()],
        Meter::Worth(s) => h.utility[s.idx()],
    }
}

/// Every property the report owes a finished match.
fn check_report(m: &Match) {
    let what = format!("{} seed {}", m.scenario.id, m.seed);
    assert!(m.is_over(), "{what}: the match is finished");
    let r = Report::new(m, None);
    assert_eq!(r.rounds, m.history.len(), "{what}");
    assert_eq!(r.ending, m.ending, "{what}");

    // One point per round played, each the meter as the round ended.
    let rounds: Vec<u32> = m.history.iter().map(|h| h.round).collect();
    let played: Vec<u32> = (1..=m.history.len() as u32).collect();
    assert_eq!(rounds, played, "{what}: one snapshot per round, in order");
    let mut meters = Vec::new();
    for c in Chart::ALL {
        let data = r.chart(c);
        assert_eq!(data.chart, c, "{what}");
        assert!(!data.series.is_empty(), "{what}: {c:?} plots something");
        for s in &data.series {
            let expected: Vec<(u32, f32)> = m
                .history
                .iter()
                .map(|h| (h.round, reading(s.meter, h)))
                .collect();
            assert_eq!(s.points, expected, "{what}: {c:?} {:?}", s.meter);
            meters.push(s.meter);
        }
    }
    for meter in [Meter::Tension]
        .into_iter()
        .chain(Side::BOTH.map(Meter::Trust))
        .chain(Side::BOTH.map(Meter::Approval))
        .chain(Side::BOTH.map(Meter::Worth))
    {
        assert!(meters.contains(&meter), "{what}: {meter:?} is charted");
    }

    // The timeline runs forward and tells every breach caught and every agreement signed.
    assert!(
        r.timeline.windows(2).all(|w| w[0].round <= w[1].round),
        "{what}: rounds never go back"
    );
    assert!(
        r.timeline.windows(2).all(|w| w[0].entry < w[1].entry),
        "{what}: lines in log order"
    );
    for (i, l) in m.log.iter().enumerate() {
        let kind = match l.event {
            Event::BreachCaught { .. } | Event::BreachHidden { .. } => Kind::Breach,
            Event::AgreementSigned { .. } => Kind::Deal,
            _ => continue,
        };
        let line = r.timeline.iter().find(|t| t.entry == i);
        let line = line.unwrap_or_else(|| panic!("{what}: log entry {i} missing"));
        assert_eq!(
            (line.round, line.kind),
            (l.round, kind),
            "{what}: entry {i}"
        );
        assert!(!line.text.is_empty(), "{what}: entry {i}");
    }

    // One judged deal per agreement signed.
    let signed = m
        .log
        .iter()
        .filter(|l| matches!(l.event, Event::AgreementSigned { .. }))
        .count();
    assert_eq!(r.deals.each.len(), signed, "{what}");
    assert!(r.deals.gap >= 0.0, "{what}");

    // Every breach nobody saw comes out, and only those are news.
    let revealed: Vec<_> = r.revealed().collect();
    for b in m.breaches.iter().filter(|b| !b.caught) {
        assert!(revealed.contains(&b), "{what}: {b:?} revealed");
    }
    assert!(revealed.iter().all(|b| !b.caught), "{what}");

    // One page, nothing fetched, with the level's title and the breaches revealed.
    let html = r.html();
    assert_eq!(
        html,
        export_html(m, None),
        "{what}: the same page either way"
    );
    check_page(&html, &what);
    assert!(html.contains(&escaped(&m.scenario.title)), "{what}");
    for b in &revealed {
        assert!(html.contains(&escaped(&b.measure)), "{what}: {b:?}");
    }
}

/// One self-contained HTML page: nothing loaded from elsewhere, its charts inline.
fn check_page(html: &str, what: &str) {
    let lower = html.to_lowercase();
    assert!(lower.starts_with("<!doctype html>"), "{what}");
    assert_eq!(lower.matches("<html").count(), 1, "{what}: one page");
    assert!(lower.trim_end().ends_with("</html>"), "{what}");
    for tag in ["svg", "table", "ul", "body", "head"] {
        assert_eq!(
            lower.matches(&format!("<{tag}")).count(),
            lower.matches(&format!("</{tag}>")).count(),
            "{what}: every <{tag}> closed"
        );
    }
    assert!(lower.contains("<svg"), "{what}: inline charts");
    for fetches in [
        "src=\"http",
        "src='http",
        "<script",
        "<link",
        "<img",
        "url(",
    ] {
        assert!(!lower.contains(fetches), "{what}: {fetches}");
    }
}

#[test]
fn the_report_of_every_shipped_level_traces_back_to_the_match() {
    for sc in all_levels() {
        for seed in [1, 2] {
            let m = runner::play(sc.clone(), seed, runner::level_seats(&sc, seed));
            check_report(&m);
        }
    }
}

/// A signs the hotline and breaks it at once under checks that find a breach with chance
/// `detection`; the level's counterparts play the rest.
fn a_breaks_then_play_out(detection: f32, seed: u64) -> Match {
    let sc = Arc::new(with_detection(&tutorial(), detection));
    let mut m = Match::new(sc.clone(), seed);
    let id = sign_hotline(&mut m);
    m.apply(Action::Implement {
        side: Side::A,
        breaks: vec![id],
    })
    .unwrap();
    let mut t = Table::from_match(m, runner::level_seats(&sc, seed));
    t.play_out();
    t.into_match()
}

#[test]
fn breaches_caught_and_unseen_reach_the_report() {
    let unseen = a_breaks_then_play_out(0.0, 5);
    assert!(unseen.breaches.iter().any(|b| !b.caught), "a hidden breach");
    check_report(&unseen);
    let r = Report::new(&unseen, None);
    assert!(r.revealed().count() >= 1);
    assert!(
        r.timeline.iter().any(|l| l.kind == Kind::Breach),
        "the timeline shows the hidden breach too"
    );

    let caught = a_breaks_then_play_out(1.0, 5);
    assert!(caught.breaches.iter().any(|b| b.caught), "a caught breach");
    check_report(&caught);
    let hidden = caught.breaches.iter().filter(|b| !b.caught).count();
    assert_eq!(
        Report::new(&caught, None).revealed().count(),
        hidden,
        "a caught breach is no revelation"
    );
}

/// `detente sim` with `args`, as a user runs it; returns the exit code and stderr.
fn sim(args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_detente"))
        .arg("sim")
        .args(args)
        .output()
        .expect("the program runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn the_sim_command_writes_the_debrief_page() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let out = dir.join(format!("debrief-{}.html", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let path = out.to_str().expect("a UTF-8 temp path");
    let (code, err) = sim(&[
        "--level",
        "levels/tutorial.ron",
        "--seed",
        "4",
        "--debrief",
        path,
    ]);
    assert_eq!(code, Some(0), "{err}");
    let html = std::fs::read_to_string(&out).expect("the page is written");
    let _ = std::fs::remove_file(&out);
    check_page(&html, "sim --debrief");
    assert!(html.contains(&escaped(&tutorial().title)));

    // A file that cannot be written is an error, not a silent success.
    let bad = dir.join("no-such-folder").join("debrief.html");
    let bad = bad.to_str().expect("a UTF-8 temp path");
    let (code, err) = sim(&["--level", "levels/tutorial.ron", "--debrief", bad]);
    assert_eq!(code, Some(1));
    assert!(!err.is_empty(), "says why");
}
