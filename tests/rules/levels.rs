//! Level files: every shipped level loads, and a broken file is refused with the line, column
//! and field of each fault.

use crate::common::*;
use detente::level;
use detente::sim::*;
use proptest::prelude::*;
use std::path::Path;

#[test]
fn every_shipped_level_passes_check() {
    let entries = level::load_dir(Path::new("levels"));
    assert!(entries.len() >= 3);
    for e in &entries {
        if let Err(err) = &e.result {
            panic!("{} fails: {err}", e.path.display());
        }
    }
}

#[test]
fn full_scenarios_meet_the_minimums() {
    for sc in all_levels().iter().filter(|s| s.id != "tutorial") {
        assert!(sc.measures.len() >= 15, "{}", sc.id);
        for a in Area::ALL {
            assert!(
                sc.measures.iter().any(|m| m.area == a),
                "{} lacks {a:?}",
                sc.id
            );
        }
        assert!(sc.events.len() >= 10, "{}", sc.id);
        for s in [Some(Side::A), Some(Side::B)] {
            assert!(
                sc.outlets.iter().filter(|o| o.side == s).count() >= 2,
                "{}",
                sc.id
            );
        }
        assert!(sc.outlets.iter().any(|o| o.side.is_none()));
    }
}

fn first_errors(path: &str) -> Vec<String> {
    match level::load(Path::new(path)) {
        Ok(_) => panic!("{path} should fail"),
        Err(e) => e.0.iter().map(|e| e.headline()).collect(),
    }
}

/// The only error of a file that must fail.
fn only_error(path: &str) -> level::LevelError {
    match level::load(Path::new(path)) {
        Ok(_) => panic!("{path} should fail"),
        Err(e) => {
            assert_eq!(e.0.len(), 1, "{e}");
            e.0[0].clone()
        }
    }
}

#[test]
fn syntax_error_names_line_and_column() {
    let e = only_error("tests/fixtures/missing_comma.ron");
    assert_eq!(e.kind, level::ErrorKind::Syntax);
    assert_eq!(e.pos, Some((10, 5)));
    assert_eq!(e.hint, Some(level::Hint::MissingComma));
}

#[test]
fn unknown_field_names_line_column_and_choices() {
    let e = first_errors("tests/fixtures/unknown_field.ron");
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("tests/fixtures/unknown_field.ron:9:5: Unexpected field named `roundz` in `Scenario`, expected one of `id`"),
        "{}",
        e[0]
    );
}

#[test]
fn wrong_type_names_line_and_column() {
    let e = only_error("tests/fixtures/wrong_type.ron");
    assert_eq!(e.kind, level::ErrorKind::Syntax);
    // At the text, not at the space before it.
    assert_eq!(e.pos, Some((10, 16)));
    assert_eq!(e.source.as_deref(), Some("    exchanges: \"three\","));
}

#[test]
fn semantic_errors_are_all_reported_with_field_paths() {
    assert_eq!(
        first_errors("tests/fixtures/semantic.ron"),
        vec![
            "tests/fixtures/semantic.ron:11:5: event_chance: 1.5 is outside 0..1",
            "tests/fixtures/semantic.ron:228:32: measures[4].requires[0]: unknown measure 'hotlin'",
            "tests/fixtures/semantic.ron:379:104: headlines[0].text: no slot {treaty} for Agreement headlines; use one of {actor} {other} {leader} {outlet} {round} {tension} {measure} {count}",
        ]
    );
}

#[test]
fn prerequisite_cycle_is_named() {
    assert_eq!(
        first_errors("tests/fixtures/cycle.ron"),
        vec![
            "tests/fixtures/cycle.ron:147:13: measures[0].requires: prerequisites form a loop: hotline -> lakeside_market -> hotline"
        ]
    );
}

#[test]
fn impossible_end_condition_is_refused() {
    let text = std::fs::read_to_string("levels/tutorial.ron").unwrap();
    let bad = text.replace("hold_rounds: 2", "hold_rounds: 9");
    assert_ne!(bad, text);
    let e = level::parse("x.ron", bad.as_bytes()).unwrap_err();
    assert!(
        e.0.iter()
            .any(|e| e.field == "end.hold_rounds" && e.message.contains("can never be met")),
        "{e}"
    );
}

#[test]
fn invalid_utf8_is_refused_with_position() {
    let e = level::parse("bin.ron", b"Scenario(\n  id: \"\xff\"").unwrap_err();
    assert_eq!(
        e.0[0].headline(),
        "bin.ron:2:8: the file is not valid UTF-8 text (save it as UTF-8)"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn level_parser_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = level::parse("fuzz.ron", &bytes);
    }

    #[test]
    fn level_parser_never_panics_on_damaged_levels(cut in 0usize..20000, junk in "[(),:\"a-z0-9\\[\\] ]{0,8}") {
        let text = std::fs::read_to_string("levels/tutorial.ron").unwrap();
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) { cut -= 1; }
        let damaged = format!("{}{}{}", &text[..cut], junk, &text[cut..]);
        let _ = level::parse("fuzz.ron", damaged.as_bytes());
    }
}

#[test]
fn some_may_be_left_out_around_optional_values() {
    let text = std::fs::read_to_string("levels/tutorial.ron").unwrap();
    let plain = text.replacen(
        "outlet: Some(\"brevik_post\")",
        "outlet: \"brevik_post\"",
        1,
    );
    assert_ne!(plain, text);
    let sc = level::parse("plain.ron", plain.as_bytes()).unwrap();
    assert!(
        sc.headlines
            .iter()
            .any(|h| h.outlet.as_deref() == Some("brevik_post"))
    );
}

#[test]
fn the_transcript_ends_with_the_levels_epilogue() {
    let text = std::fs::read_to_string("levels/tutorial.ron").unwrap();
    let words = "Ten years on, the Silver Perch still fishes the northern bay.";
    let with = text.replacen(
        "treaties: 1,",
        &format!("treaties: 1, epilogues: {{ Normalization: \"{words}\", RoundLimit: \"{words}\", Clash: \"{words}\", Ousted: \"{words}\" }},"),
        1,
    );
    let sc = std::sync::Arc::new(level::parse("epilogue.ron", with.as_bytes()).unwrap());
    let (m, transcript) =
        detente::runner::transcript(sc.clone(), 5, detente::runner::level_seats(&sc, 5));
    assert!(m.ending.is_some());
    assert_eq!(m.epilogue(), Some(words));
    assert!(transcript.trim_end().ends_with(words), "{transcript}");
    // Without one, nothing is added.
    let plain = tutorial();
    let (m, transcript) =
        detente::runner::transcript(plain.clone(), 5, detente::runner::level_seats(&plain, 5));
    assert_eq!(m.epilogue(), None);
    assert!(!transcript.contains("Epilogue"));
}
