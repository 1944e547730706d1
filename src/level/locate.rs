//! Finding a field in a level's text, so that a problem found in the parsed scenario can be
//! shown at its line and column.

/// A field as the guide names it (`measures[3].requires[0]`), with the steps that find it in
/// the text.
#[derive(Debug, Clone, Default)]
pub struct Place {
    /// The path shown in errors.
    pub path: String,
    at: Vec<Needle>,
}

/// One step towards a field in the text.
#[derive(Debug, Clone)]
enum Needle {
    /// A field or map key of the current group.
    Key(String),
    /// The nth element of the list that follows.
    Item(usize),
    /// The next occurrence of this text, anywhere; narrows a position inside a value.
    Text(String),
}

impl Place {
    /// The level as a whole.
    pub fn root() -> Place {
        Place::default()
    }

    /// A field of this group.
    pub fn field(&self, name: &str) -> Place {
        let mut p = self.clone();
        if !p.path.is_empty() {
            p.path.push('.');
        }
        p.path.push_str(name);
        p.at.push(Needle::Key(name.into()));
        p
    }

    /// Element `i` of this list.
    pub fn index(&self, i: usize) -> Place {
        let mut p = self.clone();
        p.path += &format!("[{i}]");
        p.at.push(Needle::Item(i));
        p
    }

    /// Element `i` of the list in field `list`.
    pub fn item(&self, list: &str, i: usize) -> Place {
        self.field(list).index(i)
    }

    /// The entry for `key` in this map.
    pub fn entry(&self, key: &str) -> Place {
        let mut p = self.clone();
        p.path += &format!("[{key}]");
        p.at.push(Needle::Key(key.into()));
        p
    }

    /// The same field, pointing at `text` inside its value.
    pub fn text(&self, text: String) -> Place {
        let mut p = self.clone();
        p.at.push(Needle::Text(text));
        p
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Code,
    Str,
    Comment,
    /// The parentheses of `Some(..)`.
    Wrapper,
}

/// The text with, for every byte, how deeply it is nested in groups, lists and maps and whether
/// it is code, inside a string or inside a comment. Fields are then found by nesting, so that
/// `tension:` in a measure's effects is not mistaken for the one in a verification option or
/// the `max_tension:` of a phase.
pub struct Source<'a> {
    /// The whole text.
    pub text: &'a str,
    depth: Vec<u32>,
    class: Vec<Class>,
}

impl<'a> Source<'a> {
    /// Classify every byte of `text`.
    pub fn new(text: &'a str) -> Self {
        let b = text.as_bytes();
        let n = b.len();
        let mut depth = vec![0; n];
        let mut class = vec![Class::Code; n];
        // Whether each open bracket counts: `Some(` only wraps a value and adds no level.
        let mut open: Vec<bool> = Vec::new();
        let mut d = 0u32;
        let mut i = 0;
        while i < n {
            let start = i;
            let kind = match b[i] {
                b'"' => {
                    i += 1;
                    while i < n && b[i] != b'"' {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i = (i + 1).min(n);
                    Class::Str
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < n && b[i] != b'\n' {
                        i += 1;
                    }
                    Class::Comment
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i += 2;
                    while i < n && !b[i..].starts_with(b"*/") {
                        i += 1;
                    }
                    i = (i + 2).min(n);
                    Class::Comment
                }
                ch => {
                    depth[i] = d;
                    let counts = match ch {
                        b'(' | b'[' | b'{' => {
                            let counts = !(ch == b'(' && ends_with_word(&b[..i], b"Some"));
                            open.push(counts);
                            d += u32::from(counts);
                            counts
                        }
                        b')' | b']' | b'}' => {
                            let counts = open.pop().unwrap_or(false);
                            d -= u32::from(counts);
                            counts
                        }
                        _ => true,
                    };
                    if !counts {
                        class[i] = Class::Wrapper;
                    }
                    i += 1;
                    continue;
                }
            };
            depth[start..i].fill(d);
            class[start..i].fill(kind);
        }
        Source { text, depth, class }
    }

    /// The 1-based line and column of `place`, or of the closest enclosing field found, or of
    /// the level's opening bracket when not even the first field is written (it was left to its
    /// default). `None` only for a text without code.
    pub fn locate(&self, place: &Place) -> Option<(usize, usize)> {
        let (found, _) = self.follow(place);
        let at = found.or_else(|| {
            let b = self.text.as_bytes();
            (0..b.len()).find(|&i| self.class[i] == Class::Code && b[i] == b'(')
        })?;
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, col))
    }

    /// Whether every step of `place` is written in the text.
    pub fn finds(&self, place: &Place) -> bool {
        self.follow(place).1
    }

    /// The byte offset of the last step of `place` found, and whether every step was.
    fn follow(&self, place: &Place) -> (Option<usize>, bool) {
        // Inside the scenario's own parentheses, top-level fields sit one level deep.
        let (mut from, mut inside) = (0, 1);
        let mut found = None;
        for needle in &place.at {
            let hit = match needle {
                Needle::Key(k) => self.find_key(from, inside, k),
                Needle::Item(j) => self.find_item(from, *j),
                Needle::Text(t) => self.text[from..].find(t.as_str()).map(|i| from + i),
            };
            let Some(i) = hit else {
                return (found, false);
            };
            found = Some(i);
            (from, inside) = match needle {
                Needle::Key(k) => (i + k.len(), self.depth[i] + 1),
                Needle::Item(_) => (i, self.depth[i] + 1),
                Needle::Text(t) => (i + t.len(), self.depth[i]),
            };
        }
        (found, true)
    }

    /// `key:` at nesting depth `inside`, from `from` until the group that holds it closes.
    fn find_key(&self, from: usize, inside: u32, key: &str) -> Option<usize> {
        let b = self.text.as_bytes();
        for i in from..b.len() {
            if self.class[i] != Class::Code {
                continue;
            }
            let d = self.depth[i];
            match b[i] {
                b')' | b']' | b'}' if d <= inside => return None,
                b',' if d < inside => return None,
                _ => {}
            }
            if d == inside
                && b[i..].starts_with(key.as_bytes())
                && (i == 0 || !is_ident(b[i - 1]))
                && b[i + key.len()..]
                    .iter()
                    .find(|c| !matches!(c, b' ' | b'\t'))
                    == Some(&b':')
            {
                return Some(i);
            }
        }
        None
    }

    /// The start of element `j` of the next list after `from`.
    fn find_item(&self, from: usize, j: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let open = (from..b.len())
            .find(|&i| self.class[i] == Class::Code && matches!(b[i], b'[' | b'(' | b'{'))?;
        if b[open] != b'[' {
            return None;
        }
        let inside = self.depth[open] + 1;
        let (mut index, mut fresh) = (0, true);
        for (i, &ch) in b.iter().enumerate().skip(open + 1) {
            if self.class[i] == Class::Comment || ch.is_ascii_whitespace() {
                continue;
            }
            if self.class[i] == Class::Code && self.depth[i] == inside {
                match ch {
                    b']' => return None,
                    b',' => {
                        index += 1;
                        fresh = true;
                        continue;
                    }
                    _ => {}
                }
            }
            if fresh {
                if index == j {
                    return Some(i);
                }
                fresh = false;
            }
        }
        None
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `text` ends with the identifier `word` (not merely with its last letters).
fn ends_with_word(text: &[u8], word: &[u8]) -> bool {
    text.ends_with(word)
        && !text[..text.len() - word.len()]
            .last()
            .is_some_and(|&c| is_ident(c))
}
