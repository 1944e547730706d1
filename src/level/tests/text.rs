//! What an instructor reads of a refused level: syntax errors in the guide's words, pointed at
//! their line and column, and control characters in text named without being printed.

use super::*;

#[test]
fn syntax_errors_use_the_guides_names() {
    let cases = [
        ("id: \"hotline\"", "burden: 1.0,", "", "`burden`"),
        (
            "id: \"hotline\"",
            "area: Communication",
            "area: Comunication",
            "`Comunication`",
        ),
        ("id: \"fishers\"", "weight:", "weigth:", "`weigth`"),
        ("id: \"hotline\"", "Treaty(3)", "Treaty", "`(`"),
        (
            "id: \"hotline\"",
            "effects: (",
            "effects: [",
            "effects group",
        ),
        (
            "side_a: (",
            "on_ouster: Defeat",
            "on_ouster: Defeated",
            "`on_ouster`",
        ),
        (
            "id: \"hotline\"",
            "gesture: true,",
            "gesture: true, gesture: true,",
            "`gesture`",
        ),
        (
            "id: \"fog_collision\"",
            "target: Either",
            "target: Sideways",
            "`Sideways`",
        ),
    ];
    for (anchor, from, to, names) in cases {
        let errors = refused(&edited(anchor, from, to));
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.pos.is_some_and(|(l, _)| l > 1));
        assert!(e.message.contains(names), "{}", e.message);
        assert_plain(&e.message);
    }
}

#[test]
fn fields_are_found_by_nesting_not_by_first_match() {
    // The measure's own cost written after its verification options, which have costs too.
    let text = edited("id: \"patrol_notice\"", "cost: 2.0,", "");
    let text = {
        let anchor = text.find("id: \"patrol_notice\"").unwrap();
        let at = anchor + text[anchor..].find("gesture: true,").unwrap();
        format!("{}cost: NaN, {}", &text[..at], &text[at..])
    };
    let line = line_after(&text, "id: \"patrol_notice\"", "cost: NaN");
    assert_reported(
        &refused(&text),
        "measures[1].cost",
        ErrorKind::NotFinite,
        line,
    );

    // A field after a `Some(..)` in the same group.
    let text = edited(
        "id: \"fog_collision\"",
        "trigger: (max_round: Some(4))",
        "trigger: (max_round: Some(4),\n                min_tension: NaN)",
    );
    let line = line_after(&text, "id: \"fog_collision\"", "min_tension");
    assert_reported(
        &refused(&text),
        "events[0].trigger.min_tension",
        ErrorKind::NotFinite,
        line,
    );
}

#[test]
fn common_mistakes_are_named_where_they_are() {
    // (anchor, from, to, the mistake, lines from the edit to where it must be reported)
    let cases = [
        (
            "rounds: 6",
            "rounds: 6",
            "rounds: 13.0",
            Hint::DecimalInWholeNumber,
            0,
        ),
        (
            "id: \"fog_collision\"",
            "max_round: Some(4)",
            "max_round: Some(4.0)",
            Hint::DecimalInWholeNumber,
            0,
        ),
        (
            "id: \"hotline\"",
            "Treaty(3)",
            "Treaty(3.0)",
            Hint::DecimalInWholeNumber,
            0,
        ),
        ("event_chance:", "0.55", "60%", Hint::PercentSign, 0),
        (
            "id: \"fishers\"",
            "approval: 50.0",
            "approval: 50%",
            Hint::PercentSign,
            0,
        ),
        (
            "id: \"hotline\"",
            "cost: 2.0",
            "cost: 2,5",
            Hint::DecimalComma,
            0,
        ),
        (
            "id: \"fishers\"",
            "\"Fishing cooperatives\"",
            "\u{201c}Fishing cooperatives\u{201d}",
            Hint::CurlyQuote,
            0,
        ),
        (
            "id: \"fishers\"",
            "\"Fishing cooperatives\"",
            "\u{2018}Fishing cooperatives\u{2019}",
            Hint::CurlyQuote,
            0,
        ),
        // Only the closing quote is curly: the text runs on, and RON stops lines later.
        (
            "id: \"fishers\"",
            "cooperatives\"",
            "cooperatives\u{201d}",
            Hint::CurlyQuote,
            0,
        ),
        (
            "id: \"opposition_rally\"",
            "'Not one fish more'",
            "\"Not one fish more\"",
            Hint::UnescapedQuote,
            0,
        ),
        (
            "id: \"hotline\"",
            "\"Lake hotline\",",
            "\"Lake hotline,",
            Hint::UnclosedText,
            0,
        ),
        (
            "id: \"hotline\"",
            "\"Lake hotline\"",
            "Lake hotline",
            Hint::UnquotedText,
            0,
        ),
        (
            "rounds: 6",
            "rounds: 6",
            "rounds: Some(6)",
            Hint::NotOptional,
            0,
        ),
        (
            "id: \"hotline\"",
            "cost: 2.0",
            "cost: Some(2.0)",
            Hint::NotOptional,
            0,
        ),
        (
            "id: \"hotline\"",
            "area: Communication",
            "area: None",
            Hint::NotOptional,
            0,
        ),
        (
            "id: \"hotline\"",
            "\"Lake hotline\",",
            "\"Lake hotline\" area: Communication,",
            Hint::MissingComma,
            0,
        ),
        (
            "id: \"hotline\"",
            "cost: 2.0,",
            "cost: 2.0",
            Hint::MissingComma,
            1,
        ),
    ];
    for (anchor, from, to, hint, below) in cases {
        let text = edited(anchor, from, to);
        let errors = refused(&text);
        assert_eq!(errors.len(), 1, "{to}");
        let e = &errors[0];
        let line = line_after(&tutorial(), anchor, from) + below;
        assert_eq!(e.kind, ErrorKind::Syntax, "{to}");
        assert_eq!(e.hint, Some(hint), "{to}: {e}");
        assert_eq!(e.pos.map(|(l, _)| l), Some(line), "{to}: {e}");
        assert!(e.source.is_some(), "{to}");
        assert_plain(&e.message);
    }
}

#[test]
fn a_mistake_is_pointed_at_its_column() {
    // The decimal point in `rounds: 13.0` is reported at the number, not past it.
    let text = edited("rounds: 6", "rounds: 6", "rounds: 13.0");
    let e = &refused(&text)[0];
    let line = line_after(&tutorial(), "rounds: 6", "rounds:");
    let src = text.lines().nth(line - 1).unwrap();
    let col = src.find("13.0").unwrap() + 1;
    assert_eq!(e.pos, Some((line, col)));
    // A curly quote inside text is only a character, and the level stays valid.
    let text = edited(
        "id: \"hotline\"",
        "Lake hotline",
        "Lake \u{201c}hot\u{201d} line",
    );
    assert!(parse("curly.ron", text.as_bytes()).is_ok());
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{}", tutorial());
    assert!(parse("bom.ron", text.as_bytes()).is_ok());
    // Lines and columns are those an editor shows, which hides the mark.
    let bad = format!(
        "\u{feff}{}",
        edited("rounds: 6", "rounds: 6", "rounds: 6.0")
    );
    let e = &refused(&bad)[0];
    let line = line_after(&tutorial(), "rounds: 6", "rounds:");
    assert_eq!(e.pos, Some((line, 13)));
    // Only at the start: elsewhere it is a stray character.
    let stray = edited("rounds: 6", "rounds: 6", "rounds: \u{feff}6");
    assert_eq!(refused(&stray)[0].kind, ErrorKind::Syntax);
}

#[test]
fn every_error_has_a_line_and_column() {
    // A group left out entirely takes its default; a problem in it is reported at the level's
    // opening bracket rather than nowhere.
    let text = tutorial();
    let from = text.find("    ai: (").unwrap();
    let to = from + text[from..].find("),\n").unwrap() + 3;
    let text = format!("{}{}", &text[..from], &text[to..]);
    let mut sc = parse("no_ai.ron", text.as_bytes()).expect("the default ai is valid");
    sc.ai.flexibility = 3.0;
    let errors = validate("no_ai.ron", &text, &sc);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "ai.flexibility");
    let opening = line_after(&text, "Scenario(", "Scenario(");
    assert_eq!(errors[0].pos, Some((opening, 9)));
}

#[test]
fn a_file_too_large_is_refused_before_parsing() {
    let mut big = tutorial().into_bytes();
    big.resize(MAX_LEVEL_BYTES as usize + 1, b' ');
    let e = parse("big.ron", &big).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].kind, ErrorKind::TooLarge);
    assert_eq!(e.0[0].file, "big.ron");
}

/// Writes `to` for `from` after `anchor` and asserts the level is refused for a control
/// character (`code`) at `field`, on the line of `from`, and that nothing in the report is raw.
fn assert_control_refused(anchor: &str, from: &str, to: &str, field: &str, code: &str) {
    let text = edited(anchor, from, to);
    let line = line_after(&tutorial(), anchor, from);
    let errors = refused(&text);
    assert_reported(&errors, field, ErrorKind::ControlCharacter, line);
    let e = errors
        .iter()
        .find(|e| e.field == field && e.kind == ErrorKind::ControlCharacter)
        .unwrap();
    assert!(
        e.message
            .starts_with(&format!("contains an invisible control character ({code})")),
        "{}",
        e.message
    );
    let report = LevelErrors(errors).to_string();
    assert!(
        !report.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character in:\n{report:?}"
    );
}

#[test]
fn control_characters_in_text_are_refused_at_their_field() {
    // Raw bytes in the file.
    assert_control_refused(
        "title: \"Tutorial",
        "Lake Mira",
        "Lake\u{7} Mira",
        "title",
        "U+0007",
    );
    assert_control_refused(
        "name: \"Lake Guard officers\"",
        "Guard",
        "Gu\u{1b}[31mard",
        "side_a.factions[0].name",
        "U+001B",
    );
    assert_control_refused(
        "description: \"A direct telephone",
        "telephone",
        "tele\u{0}phone",
        "measures[0].description",
        "U+0000",
    );
    assert_control_refused(
        "name: \"Shared patrol logbook\"",
        "logbook",
        "log\u{7f}book",
        "measures[1].verification[1].name",
        "U+007F",
    );
    assert_control_refused(
        "label: \"Send a sharp note",
        "protest",
        "pro\u{85}test",
        "events[0].responses[1].label",
        "U+0085",
    );
    assert_control_refused(
        "text: \"Handshake at the lakeside inn",
        "inn",
        "inn\r",
        "headlines[0].text",
        "U+000D",
    );
    // RON escapes, which the text reads as the same characters.
    assert_control_refused(
        "brief: \"You speak for Aldora",
        "western shore",
        "western\\u{1b}[2J shore",
        "side_a.brief",
        "U+001B",
    );
    assert_control_refused(
        "title: \"Storm strands",
        "school trip",
        "school\\u{7} trip",
        "events[1].title",
        "U+0007",
    );
    // Texts inside a map and inside a choice.
    assert_control_refused(
        "end: (",
        "treaties: 1,",
        "treaties: 1, epilogues: { Clash: \"Smoke\\u{7} over the water.\" },",
        "end.epilogues[Clash]",
        "U+0007",
    );
    assert_control_refused(
        "Foreign Minister Saskia Lunde",
        "on_ouster: Defeat",
        "on_ouster: Successor(\"Admiral\\u{8} Vik\")",
        "side_b.on_ouster",
        "U+0008",
    );
}

#[test]
fn a_control_character_is_named_with_the_text_before_it() {
    let text = edited("title: \"Tutorial", "Lake Mira", "Lake\u{7} Mi\u{7}ra");
    let errors = refused(&text);
    assert_eq!(errors.len(), 1, "{}", LevelErrors(errors.clone()));
    assert_eq!(
        errors[0].message,
        "contains an invisible control character (U+0007) after \"Tutorial: The Lake\" \
         (and 1 more); delete it (text pasted from another program can carry such characters)"
    );
    // The source line shows a stand-in, one character for one, so the caret still lines up.
    let source = errors[0].source.as_deref().unwrap();
    assert!(source.contains("Lake\u{2407} Mi\u{2407}ra"), "{source}");
}

#[test]
fn a_control_character_in_an_id_is_not_printed_raw() {
    let text = edited("id: \"hotline\"", "hotline", "hot\u{1b}line");
    let errors = refused(&text);
    assert!(
        errors
            .iter()
            .any(|e| e.field == "measures[0].id" && e.kind == ErrorKind::ControlCharacter)
    );
    assert!(
        errors
            .iter()
            .any(|e| e.field == "measures[0].id" && e.kind == ErrorKind::BadId)
    );
    let report = LevelErrors(errors).to_string();
    assert!(!report.contains('\u{1b}'), "{report:?}");
}

#[test]
fn line_breaks_and_tabs_in_text_are_fine() {
    let brief = "brief: \"You speak for Aldora";
    for to in [
        "western\\nshore",
        "western\nshore",
        "western\\tshore",
        "western\tshore",
    ] {
        let text = edited(brief, "western shore", to);
        if let Err(e) = parse("edited.ron", text.as_bytes()) {
            panic!("{to:?} was refused:\n{e}");
        }
    }
}
