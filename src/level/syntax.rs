//! Syntax errors in the words of the level guide.
//!
//! RON names the program's own types (`MeasureDef`, `enum Area`, `tuple variant Term::Sunset`);
//! an instructor knows the fields from the guide, so those names are translated here. The
//! mistakes people make most (a decimal point in a whole number, `60%`, curly quotes, a quote
//! inside text) make RON report something else entirely, such as a missing comma, so
//! [`diagnose`] looks at the text where RON stopped and names the mistake instead.

use super::Hint;
use ron::error::{Error, SpannedError};

/// What to report for a RON error: where, what, and the mistake recognised, if any.
pub struct Diagnosis {
    /// 1-based line and column.
    pub pos: (usize, usize),
    pub message: String,
    pub hint: Option<Hint>,
}

/// The report for RON's error `e` in `text`.
pub fn diagnose(text: &str, e: &SpannedError) -> Diagnosis {
    let start = offset(text, e.span.start.line.max(1), e.span.start.col.max(1));
    // RON points before the whitespace it skipped; the reader wants the offending character.
    let at = start
        + text[start..]
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(text.len() - start);
    let (hint, message, at) = match mistake(text, at, &e.code) {
        Some((hint, message, at)) => (Some(hint), message, at),
        None => (
            matches!(e.code, Error::ExpectedComma).then_some(Hint::MissingComma),
            message(text, at, &e.code),
            at,
        ),
    };
    Diagnosis {
        pos: position(text, at),
        message,
        hint,
    }
}

/// The byte offset of 1-based `line` and `col` (counted in characters, as RON counts them).
fn offset(text: &str, line: usize, col: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[line_start..]
        .char_indices()
        .nth(col - 1)
        .map_or(text.len(), |(i, _)| line_start + i)
}

/// The 1-based line and column of byte offset `at`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

const CURLY: [char; 6] = [
    '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{201e}', '\u{201a}',
];

const CURLY_ADVICE: &str = "the game reads only straight double quotes `\"` around text; word processors type curly ones, so edit levels in a plain-text editor or turn off smart quotes";

/// A common mistake at byte `at`: its hint, the message, and where to point.
fn mistake(text: &str, at: usize, code: &Error) -> Option<(Hint, String, usize)> {
    let rest = &text[at..];
    let here = rest.chars().next()?;
    let before = text[..at].chars().next_back();
    let digit_before = before.is_some_and(|c| c.is_ascii_digit());
    if CURLY.contains(&here) {
        return Some((
            Hint::CurlyQuote,
            format!("`{here}` is a curly quote: {CURLY_ADVICE}"),
            at,
        ));
    }
    if here == '%' && digit_before {
        let (n, from) = number_before(text, at);
        return Some((
            Hint::PercentSign,
            format!(
                "`{n}%`: write numbers without a % sign: a chance from 0 to 1 as a decimal (`{}`), a meter from 0 to 100 as it is (`{}`)",
                as_fraction(n),
                as_decimal(n)
            ),
            from,
        ));
    }
    if here == '.' && digit_before && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        let (whole, from) = number_before(text, at);
        let frac: String = rest[1..].chars().take_while(char::is_ascii_digit).collect();
        let fix = if frac.bytes().all(|b| b == b'0') {
            format!("write `{whole}`")
        } else {
            "write a whole number without a decimal point".to_string()
        };
        return Some((
            Hint::DecimalInWholeNumber,
            format!(
                "`{whole}.{frac}` has a decimal point, but this field takes a whole number: {fix}"
            ),
            from,
        ));
    }
    if here.is_ascii_digit() && before == Some(',') {
        let (whole, from) = number_before(text, at - 1);
        if !whole.is_empty() {
            let frac: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return Some((
                Hint::DecimalComma,
                format!(
                    "`{whole},{frac}`: write decimals with a point, `{whole}.{frac}` (a comma separates fields and list items)"
                ),
                from,
            ));
        }
    }
    let none = rest.starts_with("None")
        && !rest[4..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
    if none || rest.starts_with("Some(") {
        // Inside an optional field RON reads `Some(` and `None` itself; stopping right at one
        // means the field is not optional.
        let message = if none {
            "`None` is only for fields the guide marks optional; this field needs a value"
        } else {
            "`Some(...)` is only for fields the guide marks optional; write the value alone, without `Some(` and `)`"
        };
        return Some((Hint::NotOptional, message.into(), at));
    }
    if let Some(found) = after_text(text, at) {
        return Some(found);
    }
    if matches!(code, Error::ExpectedString) && here.is_alphabetic() {
        return Some((
            Hint::UnquotedText,
            "text must be written between double quotes, like `\"Lake hotline\"`".into(),
            at,
        ));
    }
    None
}

/// Mistakes that show right after a piece of text: a quote inside it, a curly closing quote, a
/// missing closing quote, or a missing comma after it.
fn after_text(text: &str, at: usize) -> Option<(Hint, String, usize)> {
    let (open, close) = last_text_before(text, at)?;
    // Only spaces may stand between the text and where RON stopped, on the same line.
    if !text[close + 1..at].bytes().all(|b| b == b' ' || b == b'\t') {
        return None;
    }
    let inner = &text[open + 1..close];
    let (line, _) = position(text, open);
    if inner.contains('\n') {
        if let Some(q) = inner.find(CURLY) {
            let q = open + 1 + q;
            let c = text[q..].chars().next().unwrap_or('"');
            return Some((
                Hint::CurlyQuote,
                format!(
                    "this text ends with the curly quote `{c}`, so it runs on into the lines after it: {CURLY_ADVICE}"
                ),
                q,
            ));
        }
        return Some((
            Hint::UnclosedText,
            format!(
                "the text that starts here is not closed: it runs on to line {}; add the closing double quote `\"`",
                position(text, close).0
            ),
            open,
        ));
    }
    let next = &text[at..];
    let ident = next
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(next.len());
    if ident > 0
        && next[ident..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':')
    {
        return Some((
            Hint::MissingComma,
            format!("a comma is missing before `{}`", &next[..ident]),
            at,
        ));
    }
    if next.starts_with(|c: char| c.is_alphanumeric() || c == '\'' || c == '"') {
        return Some((
            Hint::UnescapedQuote,
            format!(
                "the text that starts on line {line} ends at this double quote, but more follows: write a double quote inside text as `\\\"` (or use single quotes `'`)"
            ),
            close,
        ));
    }
    None
}

/// The byte offsets of the quotes of the last piece of text that closes before `at`, outside
/// comments.
fn last_text_before(text: &str, at: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let (mut i, mut last) = (0, None);
    while i < at {
        match b[i] {
            b'"' => {
                let open = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if i < at {
                    last = Some((open, i));
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < b.len() && !b[i..].starts_with(b"*/") {
                    i += 1;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    last
}

/// The digits (and a leading minus) that end at byte `end`, and where they start.
fn number_before(text: &str, end: usize) -> (&str, usize) {
    let from = text[..end]
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(0, |i| i + 1);
    let from = if text[..from].ends_with('-') {
        from - 1
    } else {
        from
    };
    (&text[from..end], from)
}

/// `60` as the chance `0.6`.
fn as_fraction(n: &str) -> String {
    n.parse::<f64>()
        .map_or_else(|_| "0.5".into(), |v| format!("{}", v / 100.0))
}

/// `60` as the decimal `60.0`.
fn as_decimal(n: &str) -> String {
    if n.contains('.') {
        n.to_string()
    } else {
        format!("{n}.0")
    }
}

/// The message for a RON error with no common mistake behind it, with the program's type names
/// replaced by the guide's.
fn message(text: &str, at: usize, e: &Error) -> String {
    match e {
        // RON notices a missing comma where the next field starts.
        Error::ExpectedComma => {
            let prev = text[..at].trim_end();
            if prev.len() < text[..at].len() && text[prev.len()..at].contains('\n') {
                let line = prev.matches('\n').count() + 1;
                format!("Expected a comma (probably missing at the end of line {line})")
            } else {
                "Expected a comma before this".into()
            }
        }
        Error::ExpectedFloat => "Expected a decimal number, such as `2.0`".into(),
        Error::ExpectedInteger => "Expected a whole number, such as `4`".into(),
        Error::ExpectedString => "Expected text between double quotes".into(),
        Error::ExpectedBoolean => "Expected `true` or `false`".into(),
        Error::ExpectedOption => "Expected `Some(...)` or `None`".into(),
        Error::ExpectedStringEnd => {
            "This text is not closed: add the closing double quote `\"`".into()
        }
        Error::Eof => {
            "The file ends too early: a closing bracket or double quote is probably missing".into()
        }
        Error::TrailingCharacters => {
            "There is more after the level's closing `)`: check that brackets are paired".into()
        }
        Error::IntegerOutOfBounds => {
            "This whole number is out of range: it cannot be negative, or is far too large".into()
        }
        Error::SuggestRawIdentifier(found) | Error::InvalidIdentifier(found) => {
            format!("Unexpected `{found}`")
        }
        Error::UnexpectedChar(c) => format!("Unexpected character `{c}`"),
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
        "EndingKind" => "an ending in `epilogues`",
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
