//! Syntax errors in the words of the level guide.
//!
//! RON names the program's own types (`MeasureDef`, `enum Area`, `tuple variant Term::Sunset`);
//! an instructor knows the fields from the guide, so those names are translated here.

use ron::error::Error;

/// The message for a RON error, with the program's type names replaced by the guide's.
pub fn message(e: &Error) -> String {
    match e {
        // RON notices a missing comma where the next field starts.
        Error::ExpectedComma => {
            "Expected comma (probably missing at the end of the line before)".into()
        }
        Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "Unexpected field named `{found}`{}, {}",
            within(outer.as_deref()),
            one_of(expected, "fields")
        ),
        Error::MissingStructField { field, outer } => {
            format!(
                "Missing required field `{field}`{}",
                within(outer.as_deref())
            )
        }
        Error::DuplicateStructField { field, outer } => {
            format!(
                "Field `{field}` is written twice{}",
                within(outer.as_deref())
            )
        }
        Error::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let what = outer.as_deref().map(|o| format!(" for {}", thing(o)));
            format!(
                "Unknown choice `{found}`{}, {}",
                what.unwrap_or_default(),
                one_of(expected, "choices")
            )
        }
        Error::ExpectedDifferentStructName { found, .. } => {
            format!("`{found}` cannot stand before this group; write just `(`")
        }
        Error::ExpectedNamedStructLike(name) if !name.is_empty() => {
            format!("Expected opening `(` for {}", thing(name))
        }
        Error::ExpectedNamedStructLike(_) | Error::ExpectedStructName(_) => {
            "Expected opening `(`".into()
        }
        other => plain(&other.to_string()),
    }
}

/// ` in a measure`, or nothing when RON did not say where.
fn within(outer: Option<&str>) -> String {
    outer
        .map(|o| format!(" in {}", thing(o)))
        .unwrap_or_default()
}

/// The alternatives, phrased as RON phrases them.
fn one_of(alts: &[&str], none: &str) -> String {
    let q = |a: &&str| format!("`{a}`");
    match alts {
        [] => format!("there are no {none}"),
        [a] => format!("expected {} instead", q(a)),
        [a, b] => format!("expected either {} or {} instead", q(a), q(b)),
        [first @ .., last] => format!(
            "expected one of {}, or {} instead",
            first.iter().map(q).collect::<Vec<_>>().join(", "),
            q(last)
        ),
    }
}

/// The guide's name for one of the types a level is read into.
fn thing(name: &str) -> String {
    let known = match name {
        // The word a level file may open with, so an author has seen it.
        "Scenario" => "`Scenario`",
        "StartDef" => "`start`",
        "SideDef" => "a state (`side_a`, `side_b`)",
        "FactionDef" => "a faction",
        "PhaseDef" => "a phase",
        "MeasureDef" => "a measure",
        "Effects" => "an effects group",
        "Verification" => "a verification option",
        "Requirement" => "a prerequisite (`requires`)",
        "Term" => "a term",
        "EventDef" => "an event card",
        "Trigger" => "a trigger",
        "ResponseDef" => "a response",
        "OutletDef" => "a news outlet",
        "HeadlineDef" => "a headline template",
        "EndDef" => "`end`",
        "AiDef" => "`ai`",
        "MediatorDef" => "`mediator`",
        "Area" => "an area",
        "Party" => "`by`",
        "Target" => "`target`",
        "Side" => "`side`",
        "NewsKind" => "a headline `kind`",
        "Spin" => "`spin`",
        "Personality" => "`personality`",
        "Difficulty" => "`difficulty`",
        "OnOuster" => "`on_ouster`",
        _ => "",
    };
    if !known.is_empty() {
        return known.into();
    }
    // A type added later: still say it in words rather than as a type name.
    let base = name.strip_suffix("Def").unwrap_or(name);
    let mut words = String::new();
    for (i, ch) in base.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(ch.to_lowercase());
    }
    format!("a {words}")
}

/// Rewrite the type words serde puts into its messages ("struct MeasureDef", "enum Area",
/// "tuple variant Term::Sunset", "a unit variant").
fn plain(msg: &str) -> String {
    const PHRASES: [(&str, &str); 13] = [
        ("a unit variant", "a bare choice"),
        ("a newtype variant", "a choice with a value"),
        ("a tuple variant", "a choice with a value"),
        ("a struct variant", "a choice with fields"),
        ("an enum", "a fixed choice"),
        ("a sequence", "a list"),
        ("a newtype struct", "a value in parentheses"),
        ("a unit value", "`()`"),
        ("variant identifier", "a fixed choice"),
        ("field identifier", "a field name"),
        ("the floating point number", "the decimal"),
        ("the unsigned integer", "the whole number"),
        ("the signed integer", "the whole number"),
    ];
    let mut s = msg.to_string();
    for (from, to) in PHRASES {
        s = s.replace(from, to);
    }
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let next = words.get(i + 1).copied().unwrap_or("");
        let after = words.get(i + 2).copied().unwrap_or("");
        if matches!(w, "tuple" | "struct" | "unit") && next == "variant" && after.contains("::") {
            let (name, tail) = split_punct(after);
            let choice = name.rsplit("::").next().unwrap_or(name);
            out.push(if w == "unit" {
                format!("`{choice}`{tail}")
            } else {
                format!("`{choice}(...)`{tail}")
            });
            i += 3;
        } else if matches!(w, "struct" | "enum") && next.starts_with(char::is_uppercase) {
            let (name, tail) = split_punct(next);
            out.push(format!("{}{tail}", thing(name)));
            i += 2;
        } else {
            out.push(w.to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// `Area,` into `Area` and `,`.
fn split_punct(word: &str) -> (&str, &str) {
    let end = word
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(word.len());
    word.split_at(end)
}
