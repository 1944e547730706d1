//! Level files: RON scenarios, loaded and checked with errors an author can act on.

mod locate;
mod syntax;
#[cfg(test)]
mod tests;
mod validate;

use crate::sim::Scenario;
use std::fmt;
use std::path::Path;

pub use validate::validate;

/// What sort of problem a [`LevelError`] is, so that tools and tests need not read the wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file cannot be read, or is not UTF-8 text.
    Unreadable,
    /// The text is not a well-formed level: RON syntax, an unknown or missing field, a wrong type.
    Syntax,
    /// A decimal is NaN or infinite (RON reads a number too large for the game, such as `1e39`,
    /// as infinite).
    NotFinite,
    /// A number lies outside the range the rules work with.
    OutOfRange,
    /// An id is empty, not snake_case, or repeated within its list.
    BadId,
    /// A field names a measure, phase, outlet or headline slot that does not exist.
    UnknownName,
    /// Values that are fine one by one but cannot work together, such as a loop of
    /// prerequisites or an end condition that can never be met.
    Inconsistent,
    /// The file is larger than [`MAX_LEVEL_BYTES`]; it is refused before it is read as a level.
    TooLarge,
    /// A text holds an invisible control character (anything but a line break or a tab).
    ControlCharacter,
}

/// A mistake people often make, recognised behind an error; the message then says how to fix
/// it instead of what the reader expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hint {
    /// A decimal point in a whole-number field: `rounds: 13.0`, `Some(3.0)`, `Sunset(4.0)`.
    DecimalInWholeNumber,
    /// A percent sign after a number: `60%`.
    PercentSign,
    /// A decimal comma: `2,5` for `2.5`.
    DecimalComma,
    /// Curly quotes (“ ” ‘ ’), as word processors type them, instead of straight `"`.
    CurlyQuote,
    /// A double quote inside text not written as `\"`, which ends the text early.
    UnescapedQuote,
    /// Text that is never closed, so it runs on into the fields after it.
    UnclosedText,
    /// Text written without double quotes.
    UnquotedText,
    /// `Some(...)` or `None` in a field that is not optional.
    NotOptional,
    /// A comma missing between two fields or list items.
    MissingComma,
}

/// One problem in a level file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelError {
    /// The file as given.
    pub file: String,
    /// 1-based line and column, where known.
    pub pos: Option<(usize, usize)>,
    /// The field path, e.g. `measures[3].requires[0]`; empty for syntax errors.
    pub field: String,
    /// What sort of problem it is.
    pub kind: ErrorKind,
    /// What is wrong, in the words of the level guide.
    pub message: String,
    /// The source line the position points into, shown under the message.
    pub source: Option<String>,
    /// The common mistake recognised behind this error, if any; the message then says how to
    /// fix it.
    pub hint: Option<Hint>,
}

impl LevelError {
    /// The first line of the report: `file:line:col: field: message`.
    pub fn headline(&self) -> String {
        let mut s = self.file.clone();
        if let Some((l, c)) = self.pos {
            s += &format!(":{l}:{c}");
        }
        if !self.field.is_empty() {
            s += &format!(": {}", self.field);
        }
        s + &format!(": {}", self.message)
    }
}

/// The text of 1-based line `line`, if it exists, made [`visible`].
pub(crate) fn source_line(text: &str, line: usize) -> Option<String> {
    text.lines()
        .nth(line.checked_sub(1)?)
        .map(|l| visible(l.trim_end()))
}

/// `s` with every control character but the tab shown as a visible stand-in (`␇` for U+0007),
/// one character for one, so that an error never prints a control character raw to a terminal
/// and the `^` under a source line still lines up.
pub(crate) fn visible(s: &str) -> String {
    s.chars()
        .map(|ch| match ch {
            '\t' => ch,
            // The Unicode block of control pictures follows the order of the C0 controls.
            '\0'..='\u{1f}' => char::from_u32(0x2400 + ch as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            _ if ch.is_control() => '\u{fffd}',
            _ => ch,
        })
        .collect()
}

impl fmt::Display for LevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        if let (Some(src), Some((_, col))) = (&self.source, self.pos) {
            let pad: String = src
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n    | {src}\n    | {pad}^")?;
        }
        Ok(())
    }
}

/// All the problems found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelErrors(pub Vec<LevelError>);

impl fmt::Display for LevelErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LevelErrors {}

/// The RON options levels are read with: `Some(..)` may be left out around optional values.
fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// The largest level file read, in bytes. The shipped levels are under 100 kB; a file many
/// times that is not a level, and refusing it keeps a mistaken path from filling memory.
pub const MAX_LEVEL_BYTES: u64 = 4 * 1024 * 1024;

/// An error about the file as a whole, before its text is read as a level.
fn file_error(file: &str, kind: ErrorKind, message: String) -> LevelErrors {
    LevelErrors(vec![LevelError {
        file: file.into(),
        pos: None,
        field: String::new(),
        kind,
        message,
        source: None,
        hint: None,
    }])
}

fn too_large(file: &str, len: u64) -> LevelErrors {
    file_error(
        file,
        ErrorKind::TooLarge,
        format!(
            "the file is {:.1} MB; a level may be at most {} MB, so this is probably not a level file",
            len as f64 / (1024.0 * 1024.0),
            MAX_LEVEL_BYTES / (1024 * 1024)
        ),
    )
}

/// Parse and check a level from bytes; `file` names it in errors.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Scenario, LevelErrors> {
    if bytes.len() as u64 > MAX_LEVEL_BYTES {
        return Err(too_large(file, bytes.len() as u64));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = good.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            return Err(LevelErrors(vec![LevelError {
                file: file.into(),
                pos: Some((line, col)),
                field: String::new(),
                kind: ErrorKind::Unreadable,
                message: "the file is not valid UTF-8 text (save it as UTF-8)".into(),
                source: None,
                hint: None,
            }]));
        }
    };
    // Editors on Windows often save UTF-8 with a byte-order mark; it is not part of the level.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let scenario: Scenario = ron_options().from_str(text).map_err(|e| {
        let d = syntax::diagnose(text, &e);
        LevelErrors(vec![LevelError {
            file: file.into(),
            pos: Some(d.pos),
            field: String::new(),
            kind: ErrorKind::Syntax,
            message: visible(&d.message),
            source: source_line(text, d.pos.0),
            hint: d.hint,
        }])
    })?;
    let errors = validate(file, text, &scenario);
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(LevelErrors(errors))
    }
}

/// Read, parse and check a level file. A file larger than [`MAX_LEVEL_BYTES`] is refused
/// before it is read.
pub fn load(path: &Path) -> Result<Scenario, LevelErrors> {
    use std::io::Read;
    let file = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        file_error(
            &file,
            ErrorKind::Unreadable,
            format!("cannot read the file: {e}"),
        )
    };
    let f = std::fs::File::open(path).map_err(unreadable)?;
    let len = f.metadata().map_err(unreadable)?.len();
    if len > MAX_LEVEL_BYTES {
        return Err(too_large(&file, len));
    }
    // The limit holds even if the file grows, or its size was not known, while it is read.
    let mut bytes = Vec::with_capacity(len as usize);
    f.take(MAX_LEVEL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    parse(&file, &bytes)
}

/// A level found in a folder, loaded or not.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: std::path::PathBuf,
    pub result: Result<Scenario, LevelErrors>,
}

/// Every `.ron` file of a folder, sorted by name, each loaded and checked.
pub fn load_dir(dir: &Path) -> Vec<Entry> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| Entry {
            result: load(&path),
            path,
        })
        .collect()
}
