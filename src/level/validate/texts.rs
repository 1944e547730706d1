//! Control characters in any text of a level, wherever the text sits in the format.

use super::Checker;
use crate::level::ErrorKind;
use crate::level::locate::{Place, Source};
use crate::sim::scenario::Scenario;

/// Every text of the level, found by walking the scenario as data rather than field by field,
/// so that a text field added to the format later is covered too: a control character in a text
/// would reach the screen, the terminal and the report files raw.
pub(super) fn check_texts(c: &mut Checker, sc: &Scenario) {
    let Ok(tree) = serde_json::to_value(sc) else {
        return;
    };
    let mut texts = Vec::new();
    collect_texts(&c.src, &Place::root(), &tree, &mut texts);
    for (p, message) in texts {
        c.err(&p, ErrorKind::ControlCharacter, message);
    }
}

/// The texts under `v` (at `p`) that hold a control character, with what to say about them.
fn collect_texts(src: &Source, p: &Place, v: &serde_json::Value, out: &mut Vec<(Place, String)>) {
    use serde_json::Value;
    match v {
        Value::String(s) => out.extend(control_message(s).map(|m| (p.clone(), m))),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_texts(src, &p.index(i), item, out);
            }
        }
        Value::Object(fields) => {
            for (k, item) in fields {
                // Locating a key costs a walk of the source: only for a text that needs it.
                if !has_forbidden(item) {
                    continue;
                }
                // Fields are snake_case. A capitalised key is either a map entry
                // (`epilogues: { Clash: ".." }`) or the choice around a value
                // (`Successor("..")`), which the guide's paths leave out; only the entry is
                // written as `Key:`.
                let at = if !k.starts_with(|c: char| c.is_ascii_uppercase()) {
                    p.field(k)
                } else if src.finds(&p.entry(k)) {
                    p.entry(k)
                } else {
                    p.clone()
                };
                collect_texts(src, &at, item, out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Whether any text under `v` holds a forbidden character.
fn has_forbidden(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::String(s) => s.chars().any(forbidden),
        Value::Array(items) => items.iter().any(has_forbidden),
        Value::Object(fields) => fields.values().any(has_forbidden),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Whether a character is one a level's text may not hold: control characters other than line
/// breaks and tabs.
fn forbidden(ch: char) -> bool {
    ch.is_control() && ch != '\n' && ch != '\t'
}

/// The error for a text holding forbidden characters, naming the first and the text before it
/// (written with escapes, so that the message is itself plain).
fn control_message(s: &str) -> Option<String> {
    const CONTEXT: usize = 24;
    let (at, ch) = s.char_indices().find(|&(_, ch)| forbidden(ch))?;
    let before: Vec<char> = s[..at].chars().collect();
    let shown: String = before[before.len().saturating_sub(CONTEXT)..]
        .iter()
        .collect();
    let place = if before.is_empty() {
        "at the start".to_string()
    } else if before.len() > CONTEXT {
        format!("after \"…{}\"", shown.escape_debug())
    } else {
        format!("after \"{}\"", shown.escape_debug())
    };
    let more = s.chars().filter(|&ch| forbidden(ch)).count() - 1;
    let more = match more {
        0 => String::new(),
        1 => " (and 1 more)".into(),
        n => format!(" (and {n} more)"),
    };
    let fix = if ch == '\r' {
        "; write a line break inside text as `\\n`, not as a Windows line ending"
    } else {
        "; delete it (text pasted from another program can carry such characters)"
    };
    Some(format!(
        "contains an invisible control character (U+{:04X}) {place}{more}{fix}",
        ch as u32
    ))
}

// ---------- shared checks ----------
