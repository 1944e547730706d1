//! The checker against edited copies of the shipped levels: each edit must be refused at the
//! field it touched, on the line it touched.

use super::*;

mod text;

fn shipped(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("levels")
        .join(name);
    std::fs::read_to_string(path).expect("shipped level")
}

fn tutorial() -> String {
    shipped("tutorial.ron")
}

/// The tutorial with the first `from` after the unique `anchor` replaced by `to`.
fn edited(anchor: &str, from: &str, to: &str) -> String {
    let text = tutorial();
    assert_eq!(text.matches(anchor).count(), 1, "`{anchor}` is not unique");
    let start = text.find(anchor).unwrap();
    let at = start + text[start..].find(from).expect("`from` follows the anchor");
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

/// The 1-based line of the first `needle` after the unique `anchor`.
fn line_after(text: &str, anchor: &str, needle: &str) -> usize {
    let start = text.find(anchor).expect("anchor");
    let at = start + text[start..].find(needle).expect("needle");
    text[..at].matches('\n').count() + 1
}

fn refused(text: &str) -> Vec<LevelError> {
    match parse("edited.ron", text.as_bytes()) {
        Ok(_) => panic!("the edited level was accepted"),
        Err(e) => e.0,
    }
}

/// Asserts that one error of `kind` names `field` and points at `line`.
fn assert_reported(errors: &[LevelError], field: &str, kind: ErrorKind, line: usize) {
    assert!(
        errors
            .iter()
            .any(|e| e.field == field && e.kind == kind && e.pos.map(|(l, _)| l) == Some(line)),
        "expected {kind:?} at {field} on line {line}, got:\n{}",
        LevelErrors(errors.to_vec())
    );
}

/// Edits one number after `anchor` and asserts it is refused as not finite, at that line.
fn assert_not_finite(anchor: &str, from: &str, to: &str, field: &str) {
    let text = edited(anchor, from, to);
    let line = line_after(&text, anchor, to);
    assert!(line > 1);
    assert_reported(&refused(&text), field, ErrorKind::NotFinite, line);
}

#[test]
fn every_shipped_level_passes() {
    let entries = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("levels"));
    assert!(entries.len() >= 3);
    for e in entries {
        if let Err(err) = e.result {
            panic!("{} fails:\n{err}", e.path.display());
        }
    }
}

#[test]
fn non_finite_effects_are_refused() {
    let hotline = "id: \"hotline\"";
    assert_not_finite(
        hotline,
        "effects: (tension: -1.5",
        "effects: (tension: NaN",
        "measures[0].effects.tension",
    );
    assert_not_finite(
        hotline,
        "on_sign: (trust: 2.0)",
        "on_sign: (trust: inf)",
        "measures[0].on_sign.trust",
    );
    assert_not_finite(
        hotline,
        "breach_gain: (security: 0.5)",
        "breach_gain: (security: 1e39)",
        "measures[0].breach_gain.security",
    );
    assert_not_finite(
        "id: \"fog_collision\"",
        "effects: (tension: 5.0)",
        "effects: (tension: -inf)",
        "events[0].effects.tension",
    );
    assert_not_finite(
        "id: \"call_hotline\"",
        "trust: 2.0",
        "trust: NaN",
        "events[0].responses[0].effects.trust",
    );
    assert_not_finite(
        "id: \"question_crew\"",
        "hawks: 2.0",
        "hawks: 1e39",
        "events[1].responses[2].effects.hawks",
    );
}

#[test]
fn non_finite_weights_and_priorities_are_refused() {
    assert_not_finite(
        "id: \"fishers\"",
        "weight: 0.35",
        "weight: inf",
        "side_a.factions[1].weight",
    );
    assert_not_finite(
        "id: \"market_traders\"",
        "weight: 0.40",
        "weight: 1e39",
        "side_b.factions[1].weight",
    );
    assert_not_finite(
        "id: \"stranded_pupils\"",
        "weight: 1.5",
        "weight: inf",
        "events[1].weight",
    );
    assert_not_finite(
        "id: \"brevik\"",
        "Economic: 0.25",
        "Economic: inf",
        "side_b.priorities[Economic]",
    );
    assert_not_finite("end: (", "clash_at: 100.0", "clash_at: NaN", "end.clash_at");
}

/// The byte ranges of the decimals written after a `key:`, outside strings and comments, with
/// their keys.
fn decimals(text: &str) -> Vec<(usize, usize, String)> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b':' if !in_string => {
                let key_start = text[..i]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |k| k + 1);
                let num_start = i + 1 + (b[i + 1..].iter().take_while(|c| **c == b' ').count());
                let num_len = b[num_start..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-'))
                    .count();
                let num = &text[num_start..num_start + num_len];
                if num.contains('.') && key_start < i {
                    found.push((
                        num_start,
                        num_start + num_len,
                        text[key_start..i].to_string(),
                    ));
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

#[test]
fn every_decimal_of_every_shipped_level_is_refused_when_not_finite() {
    for level in ["tutorial.ron", "river_accord.ron", "ceasefire_line.ron"] {
        let text = shipped(level);
        let spots = decimals(&text);
        assert!(
            spots.len() > 100,
            "{level}: found only {} decimals",
            spots.len()
        );
        for (i, (start, end, key)) in spots.into_iter().enumerate() {
            // Every spot gets one of the forms, so each form meets every kind of field.
            let form = ["NaN", "inf", "-inf", "1e39"][i % 4];
            let bad = format!("{}{form}{}", &text[..start], &text[end..]);
            let line = text[..start].matches('\n').count() + 1;
            let errors = refused(&bad);
            assert!(
                errors.iter().any(|e| e.kind == ErrorKind::NotFinite
                    && e.pos.map(|(l, _)| l) == Some(line)
                    && (e.field == key
                        || e.field.ends_with(&format!(".{key}"))
                        || e.field.ends_with(&format!("[{key}]")))),
                "{level}: {form} for `{key}` on line {line} not reported there:\n{}",
                LevelErrors(errors)
            );
        }
    }
}

#[test]
fn faction_weights_that_add_up_to_nothing_are_refused() {
    let text = tutorial();
    let side_a = text.find("side_a:").unwrap();
    let side_b = text.find("side_b:").unwrap();
    let factions_line = line_after(&text, "side_a:", "factions:");

    // Each weight positive, but together too little to divide by.
    let tiny = format!(
        "{}{}",
        &text[..side_a],
        text[side_a..side_b]
            .replace("weight: 0.35", "weight: 1e-9")
            .replace("weight: 0.30", "weight: 1e-9")
    ) + &text[side_b..];
    assert_reported(
        &refused(&tiny),
        "side_a.factions",
        ErrorKind::OutOfRange,
        factions_line,
    );

    // Zero weights are each refused where they are written.
    let zero = format!(
        "{}{}",
        &text[..side_a],
        text[side_a..side_b]
            .replace("weight: 0.35", "weight: 0.0")
            .replace("weight: 0.30", "weight: 0.0")
    ) + &text[side_b..];
    let errors = refused(&zero);
    for (i, id) in ["lake_guard", "fishers", "lakeside_towns"]
        .iter()
        .enumerate()
    {
        let line = line_after(&zero, &format!("id: \"{id}\""), "weight:");
        assert_reported(
            &errors,
            &format!("side_a.factions[{i}].weight"),
            ErrorKind::OutOfRange,
            line,
        );
    }
}

#[test]
fn tiny_priorities_are_refused() {
    let text = tutorial();
    let mut sc = parse("tutorial.ron", text.as_bytes()).unwrap();
    for w in sc.side_b.priorities.values_mut() {
        *w = 1e-9;
    }
    let line = line_after(&text, "side_b:", "priorities:");
    assert_reported(
        &validate("tutorial.ron", &text, &sc),
        "side_b.priorities",
        ErrorKind::OutOfRange,
        line,
    );
}

#[test]
fn guide_ranges_are_enforced() {
    let text = edited("id: \"fog_collision\"", "weight: 2.0", "weight: 0.0");
    let line = line_after(&text, "id: \"fog_collision\"", "weight:");
    assert_reported(
        &refused(&text),
        "events[0].weight",
        ErrorKind::OutOfRange,
        line,
    );

    let text = edited("id: \"lake_commission\"", "cost: 4.0", "cost: 9.0");
    let line = line_after(&text, "id: \"lake_commission\"", "cost:");
    assert_reported(
        &refused(&text),
        "measures[6].cost",
        ErrorKind::OutOfRange,
        line,
    );
}

#[test]
fn ids_must_be_snake_case() {
    let text = tutorial();
    let base = parse("tutorial.ron", text.as_bytes()).unwrap();
    type Edit = fn(&mut Scenario);
    let cases: [(Edit, &str, &str, &str); 5] = [
        (|sc| sc.id = "Lake Mira".into(), "id", "Scenario(", "id:"),
        (
            |sc| sc.side_a.id = "Aldora".into(),
            "side_a.id",
            "side_a:",
            "id:",
        ),
        (
            |sc| sc.measures[1].id = "patrol-notice".into(),
            "measures[1].id",
            "id: \"patrol_notice\"",
            "id:",
        ),
        (
            |sc| sc.side_b.factions[2].id = String::new(),
            "side_b.factions[2].id",
            "id: \"patriotic_league\"",
            "id:",
        ),
        (
            |sc| sc.events[0].responses[1].id = "Protest!".into(),
            "events[0].responses[1].id",
            "id: \"protest\"",
            "id:",
        ),
    ];
    for (edit, field, anchor, needle) in cases {
        let mut sc = base.clone();
        edit(&mut sc);
        let line = line_after(&text, anchor, needle);
        assert_reported(
            &validate("tutorial.ron", &text, &sc),
            field,
            ErrorKind::BadId,
            line,
        );
    }
}

#[test]
fn duplicate_ids_point_at_the_repeat() {
    let text = tutorial();
    let mut sc = parse("tutorial.ron", text.as_bytes()).unwrap();
    sc.outlets[2].id = sc.outlets[0].id.clone();
    let line = line_after(&text, "id: \"lake_wire\"", "id:");
    assert_reported(
        &validate("tutorial.ron", &text, &sc),
        "outlets[2].id",
        ErrorKind::BadId,
        line,
    );
}

#[test]
fn every_area_must_have_a_priority() {
    let text = tutorial();
    let mut sc = parse("tutorial.ron", text.as_bytes()).unwrap();
    sc.side_a.priorities.remove(&crate::sim::Area::Legal);
    let line = line_after(&text, "side_a:", "priorities:");
    assert_reported(
        &validate("tutorial.ron", &text, &sc),
        "side_a.priorities",
        ErrorKind::Inconsistent,
        line,
    );
}

#[test]
fn non_finite_values_set_in_code_are_found_in_the_text() {
    // Fields written inside `Some((..))` and maps are found by nesting, not by first match.
    let text = tutorial();
    let base = parse("tutorial.ron", text.as_bytes()).unwrap();
    type Edit = fn(&mut Scenario);
    let cases: [(Edit, &str, &str, &str); 4] = [
        (
            |sc| sc.mediator.as_mut().unwrap().chance = f32::NAN,
            "mediator.chance",
            "mediator:",
            "chance:",
        ),
        (
            |sc| {
                sc.side_a.factions[0]
                    .gets
                    .insert(crate::sim::Area::Security, f32::INFINITY);
            },
            "side_a.factions[0].gets[Security]",
            "id: \"lake_guard\"",
            "gets: { Concession: 1.5, Security",
        ),
        (
            |sc| sc.measures[1].verification[1].detection = f32::NEG_INFINITY,
            "measures[1].verification[1].detection",
            "Shared patrol logbook",
            "Shared",
        ),
        (
            |sc| sc.phases[2].max_tension = f32::NAN,
            "phases[2].max_tension",
            "id: \"good_neighbours\"",
            "max_tension:",
        ),
    ];
    for (edit, field, anchor, needle) in cases {
        let mut sc = base.clone();
        edit(&mut sc);
        let line = line_after(&text, anchor, needle);
        assert_reported(
            &validate("tutorial.ron", &text, &sc),
            field,
            ErrorKind::NotFinite,
            line,
        );
    }
}

/// Words of the program's types that an instructor should never have to read.
fn assert_plain(message: &str) {
    for word in message.split(|c: char| !c.is_alphanumeric()) {
        assert!(
            !(word.ends_with("Def") || ["enum", "variant", "struct"].contains(&word)),
            "`{word}` in: {message}"
        );
    }
}

#[test]
fn good_practice_is_not_enforced() {
    // The guide advises an upbeat, a neutral and a grim template for every kind; one neutral
    // template of a kind is enough for the checker.
    let text = tutorial();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("kind: TalksFailed") || l.contains("spin: Neutral"))
        .filter(|l| !l.contains("kind: Clash"))
        .collect();
    let text = kept.join("\n");
    assert!(parse("sparse.ron", text.as_bytes()).is_ok());
    // An event may offer no choice at all.
    let text = tutorial();
    let from = text
        .find(
            "            responses: [\n                (\n                    id: \"show_market\"",
        )
        .unwrap();
    let to = from + text[from..].find("\n            ],").unwrap() + "\n            ],".len();
    let text = format!("{}responses: [],{}", &text[..from], &text[to..]);
    assert!(parse("no_choice.ron", text.as_bytes()).is_ok());
}

#[test]
fn an_event_needs_a_free_answer() {
    // Asking a cost of the only answer that needs no measure leaves none free.
    let text = edited(
        "id: \"stay_quiet\"",
        "label: \"Say nothing and hope it blows over\",",
        "label: \"Say nothing\", cost: 1.0,",
    );
    let protest = "effects: (tension: 2.0, trust: -2.0, hawks: 2.0),";
    assert_eq!(text.matches(protest).count(), 1);
    let text = text.replace(protest, &format!("{protest} cost: 0.5,"));
    let line = line_after(&text, "id: \"fog_collision\"", "responses:");
    assert_reported(
        &refused(&text),
        "events[0].responses",
        ErrorKind::Inconsistent,
        line,
    );
}

#[test]
fn epilogues_are_read_and_checked() {
    let text = edited(
        "end: (",
        "treaties: 1,",
        "treaties: 1,\n        epilogues: {\n            Normalization: \"The fishers share the lake again.\",\n            Clash: \"   \",\n        },",
    );
    let line = line_after(&text, "epilogues:", "Clash:");
    assert_reported(
        &refused(&text),
        "end.epilogues[Clash]",
        ErrorKind::Inconsistent,
        line,
    );
    let fixed = text.replace("Clash: \"   \"", "Clash: \"Smoke over the water.\"");
    let sc = parse("epilogues.ron", fixed.as_bytes()).unwrap();
    assert_eq!(
        sc.end
            .epilogues
            .get(&crate::sim::EndingKind::Clash)
            .map(String::as_str),
        Some("Smoke over the water.")
    );
    // An ending the game does not have is named in the guide's words.
    let errors = refused(&text.replace("Clash:", "Victory:"));
    assert_eq!(errors[0].kind, ErrorKind::Syntax);
    assert!(
        errors[0].message.contains("`Victory`"),
        "{}",
        errors[0].message
    );
    assert_plain(&errors[0].message);
}

#[test]
fn a_level_without_epilogues_keeps_its_content_hash() {
    // Levels saved with a match before epilogues existed must still match their records.
    let sc = parse("tutorial.ron", tutorial().as_bytes()).unwrap();
    let json = serde_json::to_string(&sc).unwrap();
    assert!(!json.contains("epilogues"));
}

#[test]
fn a_measure_dearer_than_the_capital_cap_is_refused() {
    // Aldora alone may open the fishing grounds (cost 3.0); capped at 2, it never could.
    let text = edited("id: \"aldora\"", "max_capital: 30.0", "max_capital: 2.0");
    let line = line_after(&text, "id: \"fishing_grounds\"", "cost:");
    assert_reported(
        &refused(&text),
        "measures[3].cost",
        ErrorKind::Inconsistent,
        line,
    );
    // A measure either state may undertake needs only one that can afford it.
    let errors = refused(&text);
    assert!(!errors.iter().any(|e| e.field == "measures[0].cost"));
}

#[test]
fn weights_too_large_to_add_up_are_refused() {
    // Their totals, which the rules divide by, would overflow to infinity.
    let huge = "3.4e38";
    for (anchor, from, field) in [
        (
            "name: \"Lake Guard officers\"",
            "weight: 0.35",
            "side_a.factions[0].weight",
        ),
        (
            "title: \"Collision in the fog\"",
            "weight: 2.0",
            "events[0].weight",
        ),
        (
            "name: \"Republic of Aldora\"",
            "Security: 0.25",
            "side_a.priorities[Security]",
        ),
    ] {
        let (key, _) = from.split_once(' ').unwrap();
        let text = edited(anchor, from, &format!("{key} {huge}"));
        let line = line_after(&text, anchor, huge);
        assert_reported(&refused(&text), field, ErrorKind::OutOfRange, line);
    }
    // Large relative weights are fine.
    let text = edited(
        "title: \"Collision in the fog\"",
        "weight: 2.0",
        "weight: 1000.0",
    );
    parse("edited.ron", text.as_bytes()).unwrap();
}

#[test]
fn map_mistakes_are_refused_where_they_stand() {
    // A place off the map.
    let text = edited("(id: \"kellhaven\"", "at: (82, 32)", "at: (182, 32)");
    let line = line_after(&text, "(id: \"kellhaven\"", "at: (182");
    assert_reported(
        &refused(&text),
        "map.places[1].at",
        ErrorKind::OutOfRange,
        line,
    );
    // A point of an outline off the map, on its own line.
    let text = edited("territory_b: [", "(100, 60)", "(100, -5)");
    let line = line_after(&text, "territory_b: [", "(100, -5)");
    let errors = refused(&text);
    assert!(
        errors.iter().any(|e| e.field == "map.territory_b[1]"
            && e.kind == ErrorKind::OutOfRange
            && e.pos.map(|(l, _)| l) == Some(line)),
        "{}",
        LevelErrors(errors.clone())
    );
    // An outline of two points.
    let text = edited(
        "territory_a: [",
        "[(0, 0), (0, 60), (52, 60), (50, 44), (52, 30), (49, 16), (51, 0)]",
        "[(0, 0), (0, 60)]",
    );
    let line = line_after(&text, "territory_a: [", "[(0, 0)");
    assert_reported(
        &refused(&text),
        "map.territory_a",
        ErrorKind::Inconsistent,
        line,
    );
    // A measure naming a place the map does not have.
    let text = edited(
        "id: \"lakeside_market\"",
        "place: \"mira_market\"",
        "place: \"mira_markt\"",
    );
    let line = line_after(&text, "id: \"lakeside_market\"", "place: \"mira_markt\"");
    assert_reported(
        &refused(&text),
        "measures[4].place",
        ErrorKind::UnknownName,
        line,
    );
    // Two places with one id.
    let text = edited("(id: \"kellhaven\"", "kellhaven", "marrow_ford");
    let line = line_after(
        &text,
        "(id: \"marrow_ford\", name: \"Kellhaven\"",
        "marrow_ford",
    );
    assert_reported(&refused(&text), "map.places[1].id", ErrorKind::BadId, line);
}

#[test]
fn a_level_without_a_map_gets_two_states_and_no_place_names_to_miss() {
    let text = tutorial();
    let start = text
        .find("    // The region on screen")
        .expect("the tutorial draws a map");
    let end = start + text[start..].find("\n    ),\n").unwrap() + "\n    ),\n".len();
    let without = format!("{}{}", &text[..start], &text[end..]);
    // Its measures still name places: each is refused by name.
    let errors = refused(&without);
    assert!(
        errors
            .iter()
            .all(|e| e.kind == ErrorKind::UnknownName && e.field.ends_with(".place"))
    );
    assert_eq!(errors.len(), 6);
    // Without those, it loads and the public level carries a generated map.
    let plain: String = without
        .lines()
        .filter(|l| !l.trim_start().starts_with("place:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let sc = parse("plain.ron", plain.as_bytes()).expect("loads without a map");
    assert!(sc.map.is_none());
    let public = sc.public();
    for s in crate::sim::Side::BOTH {
        assert!(public.map.territory(s).len() >= 3);
    }
    assert_eq!(
        public
            .map
            .places
            .iter()
            .filter(|p| p.kind == crate::sim::map::PlaceKind::Capital)
            .count(),
        2
    );
}
