//! A whole class on the record: each table's transcript, the per-student results a teacher
//! grades from (CSV), and the class summary page. Built from replayed matches, with no window
//! and no database, so the command line and the instructor's window write the same files.

use super::html::esc;
use super::{Beliefs, Report};
use crate::sim::state::Snapshot;
use crate::sim::{Ending, Event, Match, Side};
use crate::table::Takeover;
use std::fmt::Write;

/// The headline of an ending and the lesson it illustrates, as the ending card words it.
pub fn ending_lesson(ending: Option<Ending>) -> (&'static str, &'static str) {
    match ending {
        Some(Ending::Normalization) => (
            "Normalization",
            "Small steps, kept and checked, added up to institutions that can outlast the leaders who signed them.",
        ),
        Some(Ending::Clash) => (
            "Armed clash",
            "Tension fed on itself. Hotlines and incident reporting damp the spiral; warnings and broken promises feed it.",
        ),
        Some(Ending::Ousted(_)) => (
            "A leader falls",
            "A deal must also pass at home: a leader who gives more than the factions will carry does not stay to keep it.",
        ),
        Some(Ending::RoundLimit) | None => (
            "The seasons ran out",
            "Time ran out before the relationship was settled. What was in force, and kept, is what counted.",
        ),
    }
}

/// The lesson of the design (docs/DESIGN.md, "Lessons and mechanics") an ending brings home.
pub fn design_lesson(ending: Ending) -> &'static str {
    match ending {
        Ending::Normalization => "Small reciprocated steps build trust (GRIT)",
        Ending::Clash => "Security dilemma",
        Ending::Ousted(_) => "Two-level games",
        // What was left undone when time ran out is what trading across areas would have won.
        Ending::RoundLimit => "Logrolling",
    }
}

/// A stable lower-case name of an ending, for the CSV and JSON (`running` while under way).
pub fn ending_key(ending: Option<Ending>) -> String {
    match ending {
        Some(Ending::Normalization) => "normalization".into(),
        Some(Ending::Clash) => "clash".into(),
        Some(Ending::Ousted(s)) => format!("ousted:{s:?}"),
        Some(Ending::RoundLimit) => "round_limit".into(),
        None => "running".into(),
    }
}

/// One table's match, replayed from the record and worked out for the class's files.
#[derive(Debug, Clone)]
pub struct Played {
    /// The debrief, the whole match revealed.
    pub report: Report,
    /// The meters at the end of every round.
    pub history: Vec<Snapshot>,
    /// Seasons each side truly kept a commitment (one per commitment per round; a breach nobody
    /// caught is not counted, though it looked kept at the time).
    pub kept: [u32; 2],
    /// Whether and why the computer took each side's seat over.
    pub taken_over: [Option<Takeover>; 2],
}

impl Played {
    /// Work out what the class's files need of `m`.
    pub fn new(m: &Match, beliefs: Option<&Beliefs>, taken_over: [Option<Takeover>; 2]) -> Played {
        let mut kept = [0u32; 2];
        for l in &m.log {
            if let Event::Implemented { side, kept: k } = l.event {
                kept[side.idx()] += k;
            }
        }
        // `Implemented` counts an unseen breach as kept, as everyone but the breaker saw it.
        for b in m.breaches.iter().filter(|b| !b.caught) {
            kept[b.side.idx()] = kept[b.side.idx()].saturating_sub(1);
        }
        Played {
            report: Report::new(m, beliefs),
            history: m.history.clone(),
            kept,
            taken_over,
        }
    }

    /// The mean share of the best product of gains over the deals signed; `None` without a
    /// deal that could have given both sides a gain.
    pub fn nash_ratio(&self) -> Option<f32> {
        let r: Vec<f32> = self
            .report
            .deals
            .each
            .iter()
            .filter_map(|d| d.report.nash_ratio)
            .collect();
        (!r.is_empty()).then(|| r.iter().sum::<f32>() / r.len() as f32)
    }

    /// Breaches `side` committed: (caught, never caught).
    pub fn breaches(&self, side: Side) -> (u32, u32) {
        let mut n = (0, 0);
        for b in self.report.breaches.iter().filter(|b| b.side == side) {
            if b.caught {
                n.0 += 1;
            } else {
                n.1 += 1;
            }
        }
        n
    }
}

/// One table of a class.
#[derive(Debug, Clone)]
pub struct ClassTable {
    pub number: u32,
    /// The level file as the host was given it.
    pub level_file: String,
    pub level_id: String,
    /// Each side's join code; `None` for a seat the computer held from the start.
    pub codes: [Option<String>; 2],
    /// The replayed match, or why the table could not be replayed (naming the file).
    pub played: Result<Played, String>,
}

impl ClassTable {
    /// The table's ending; `None` while under way or when it could not be replayed.
    pub fn ending(&self) -> Option<Ending> {
        self.played.as_ref().ok().and_then(|p| p.report.ending)
    }
}

/// A class session, every table replayed.
#[derive(Debug, Clone)]
pub struct Class {
    pub session: i64,
    /// When it began, unix milliseconds.
    pub started_ms: i64,
    pub tables: Vec<ClassTable>,
}

/// How a class's tables ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub normalised: u32,
    pub clashed: u32,
    pub round_limit: u32,
    /// A leader's fall ended the match.
    pub ousted: u32,
    pub running: u32,
    /// Tables whose level file is missing or edited.
    pub unreadable: u32,
}

impl Tally {
    /// Count one table: its ending, `Ok(None)` while running, `Err` when unreadable.
    pub fn add<E>(&mut self, ending: Result<Option<Ending>, E>) {
        match ending {
            Ok(Some(Ending::Normalization)) => self.normalised += 1,
            Ok(Some(Ending::Clash)) => self.clashed += 1,
            Ok(Some(Ending::RoundLimit)) => self.round_limit += 1,
            Ok(Some(Ending::Ousted(_))) => self.ousted += 1,
            Ok(None) => self.running += 1,
            Err(_) => self.unreadable += 1,
        }
    }

    /// Tables that reached an ending.
    pub fn finished(&self) -> u32 {
        self.normalised + self.clashed + self.round_limit + self.ousted
    }

    /// The tally of a class.
    pub fn of(class: &Class) -> Tally {
        let mut t = Tally::default();
        for table in &class.tables {
            t.add(table.played.as_ref().map(|p| p.report.ending));
        }
        t
    }
}

/// One student's line of the results.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentRow {
    pub session: i64,
    pub table: u32,
    pub side: Side,
    /// The state the student played; empty when the table could not be replayed.
    pub state: String,
    pub code: String,
    pub level: String,
    /// [`ending_key`], or `unreadable`.
    pub ending: String,
    pub rounds: Option<usize>,
    /// The student's own score (private utility, 0..1).
    pub score: Option<f32>,
    /// What the student's side had without any agreement, on the same scale.
    pub no_deal: Option<f32>,
    /// [`Played::nash_ratio`].
    pub nash_ratio: Option<f32>,
    pub breaches_caught: Option<u32>,
    pub breaches_hidden: Option<u32>,
    pub kept: Option<u32>,
    /// `no`, `successor` (the leader fell, a hardliner played on) or `abandoned`.
    pub taken_over: String,
    /// Why the table could not be replayed.
    pub note: String,
}

/// The CSV's header, in the order of [`StudentRow`]'s fields.
pub const CSV_HEADER: &str = "session,table,side,state,code,level,ending,rounds,score,no_deal_score,nash_ratio,breaches_caught,breaches_hidden,commitments_kept,computer_took_over,note";

/// One row per seat a student held, table by table, A before B.
pub fn student_rows(class: &Class) -> Vec<StudentRow> {
    let mut rows = Vec::new();
    for t in &class.tables {
        for side in Side::BOTH {
            let Some(code) = &t.codes[side.idx()] else {
                continue;
            };
            let mut row = StudentRow {
                session: class.session,
                table: t.number,
                side,
                state: String::new(),
                code: code.clone(),
                level: t.level_id.clone(),
                ending: "unreadable".into(),
                rounds: None,
                score: None,
                no_deal: None,
                nash_ratio: None,
                breaches_caught: None,
                breaches_hidden: None,
                kept: None,
                taken_over: String::new(),
                note: String::new(),
            };
            match &t.played {
                Ok(p) => {
                    let r = &p.report;
                    let (caught, hidden) = p.breaches(side);
                    row.state = r.side(side).name.clone();
                    row.ending = ending_key(r.ending);
                    row.rounds = Some(r.rounds);
                    row.score = Some(r.scores.utility[side.idx()]);
                    row.no_deal = Some(r.deals.frontier.disagreement[side.idx()]);
                    row.nash_ratio = p.nash_ratio();
                    row.breaches_caught = Some(caught);
                    row.breaches_hidden = Some(hidden);
                    row.kept = Some(p.kept[side.idx()]);
                    row.taken_over = match p.taken_over[side.idx()] {
                        None => "no",
                        Some(Takeover::Successor) => "successor",
                        Some(Takeover::Abandoned) => "abandoned",
                    }
                    .into();
                }
                Err(why) => row.note = why.clone(),
            }
            rows.push(row);
        }
    }
    rows
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

fn opt3(v: Option<f32>) -> String {
    v.map_or(String::new(), |v| format!("{v:.3}"))
}

/// The per-student results as CSV (RFC 4180, a header line first).
pub fn results_csv(class: &Class) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for r in student_rows(class) {
        let cells = [
            r.session.to_string(),
            r.table.to_string(),
            format!("{:?}", r.side),
            r.state,
            r.code,
            r.level,
            r.ending,
            opt(r.rounds),
            opt3(r.score),
            opt3(r.no_deal),
            opt3(r.nash_ratio),
            opt(r.breaches_caught),
            opt(r.breaches_hidden),
            opt(r.kept),
            r.taken_over,
            r.note,
        ];
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Who held a side's seat, in words.
fn holder(t: &ClassTable, p: &Played, side: Side) -> String {
    let who = match &t.codes[side.idx()] {
        Some(code) => format!("student {code}"),
        None => "the computer".into(),
    };
    match p.taken_over[side.idx()] {
        Some(Takeover::Successor) => format!("{who}, then the computer (a hardline successor)"),
        Some(Takeover::Abandoned) => format!("{who}, then the computer (seat left empty)"),
        None => who,
    }
}

/// One table's match as plain text: who sat where, then round by round every move and event as
/// the debrief's timeline words them (breaches nobody caught included) and the meters as the
/// round ended, then the scores.
pub fn transcript(t: &ClassTable, p: &Played) -> String {
    let r = &p.report;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Détente — {} (level {}, table {})",
        r.title, r.level, t.number
    );
    let _ = writeln!(s, "Level file: {} · seed {}", t.level_file, r.seed);
    for side in Side::BOTH {
        let _ = writeln!(
            s,
            "State {side:?}: {} — played by {}",
            r.side(side).name,
            holder(t, p, side)
        );
    }
    let _ = writeln!(
        s,
        "The whole match is shown, breaches nobody caught included."
    );
    let id = |side: Side| r.side(side).id.as_str();
    let rounds = p
        .history
        .len()
        .max(r.timeline.last().map_or(0, |l| l.round as usize));
    for round in 1..=rounds as u32 {
        let _ = writeln!(s, "\nRound {round}");
        for line in r.timeline.iter().filter(|l| l.round == round) {
            let _ = writeln!(s, "  [{}] {}", line.kind.name(), line.text);
        }
        if let Some(h) = p.history.iter().find(|h| h.round == round) {
            let _ = writeln!(
                s,
                "  = tension {:.0}; trust {a} in {b} {:.0}, {b} in {a} {:.0}; approval {a} {:.0}%, {b} {:.0}%; deal worth {a} {:.2}, {b} {:.2}",
                h.tension,
                h.trust[0],
                h.trust[1],
                h.approval[0],
                h.approval[1],
                h.utility[0],
                h.utility[1],
                a = id(Side::A),
                b = id(Side::B),
            );
        }
    }
    let _ = writeln!(s, "\n{}", r.ending_text());
    for side in Side::BOTH {
        let (caught, hidden) = p.breaches(side);
        let _ = writeln!(
            s,
            "{}: score {:.3}, approval {:.0}%, breaches caught {caught}, hidden {hidden}, commitments kept {}",
            r.side(side).name,
            r.scores.utility[side.idx()],
            r.scores.approval[side.idx()],
            p.kept[side.idx()]
        );
    }
    s
}

/// A date and time in UTC from unix milliseconds, `YYYY-MM-DD HH:MM UTC`.
pub fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (the proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// How many of `values` (0..1) fall in each tenth, the last bin closed.
pub fn tenths(values: &[f32]) -> [u32; 10] {
    let mut bins = [0u32; 10];
    for v in values {
        let i = ((v.clamp(0.0, 1.0) * 10.0) as usize).min(9);
        bins[i] += 1;
    }
    bins
}

/// A histogram of tenths as inline SVG.
fn histogram(bins: &[u32; 10], colour: &str) -> String {
    let (w, h, pad) = (420.0f32, 160.0f32, 24.0f32);
    let top = bins.iter().copied().max().unwrap_or(0).max(1) as f32;
    let bw = (w - 2.0 * pad) / 10.0;
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' viewBox='0 0 {w} {h}'><rect width='100%' height='100%' fill='#fafafa'/>"
    );
    for (i, &n) in bins.iter().enumerate() {
        let bh = (h - 2.0 * pad) * n as f32 / top;
        let x = pad + bw * i as f32;
        let _ = write!(
            s,
            "<rect x='{:.1}' y='{:.1}' width='{:.1}' height='{bh:.1}' fill='{colour}'/>",
            x + 1.0,
            h - pad - bh,
            bw - 2.0
        );
        if n > 0 {
            let _ = write!(
                s,
                "<text x='{:.1}' y='{:.1}' font-size='10' text-anchor='middle'>{n}</text>",
                x + bw / 2.0,
                h - pad - bh - 3.0
            );
        }
        let _ = write!(
            s,
            "<text x='{:.1}' y='{:.1}' font-size='9' text-anchor='middle'>{:.1}</text>",
            x,
            h - pad + 12.0,
            i as f32 / 10.0
        );
    }
    let _ = write!(
        s,
        "<text x='{:.1}' y='{:.1}' font-size='9' text-anchor='middle'>1.0</text></svg>",
        w - pad,
        h - pad + 12.0
    );
    s
}

/// The mean of `v`, `None` when empty.
pub fn mean(v: &[f32]) -> Option<f32> {
    (!v.is_empty()).then(|| v.iter().sum::<f32>() / v.len() as f32)
}

/// A class's results in numbers: what the summary page shows and the instructor's console
/// shows live.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub tally: Tally,
    /// Each student's own score (0..1) at a finished table.
    pub scores: Vec<f32>,
    /// The Nash ratio of every deal signed at any table.
    pub ratios: Vec<f32>,
    /// Broken commitments caught, and never caught, over every table.
    pub caught: u32,
    pub hidden: u32,
}

impl Summary {
    /// The summary of a class.
    pub fn of(class: &Class) -> Summary {
        // A running table's scores are provisional: the spread is of finished tables only.
        let scores = student_rows(class)
            .iter()
            .filter(|r| r.ending != ending_key(None))
            .filter_map(|r| r.score)
            .collect();
        let played = || class.tables.iter().filter_map(|t| t.played.as_ref().ok());
        let ratios = played()
            .flat_map(|p| {
                p.report
                    .deals
                    .each
                    .iter()
                    .filter_map(|d| d.report.nash_ratio)
            })
            .collect();
        let (mut caught, mut hidden) = (0, 0);
        for p in played() {
            for side in Side::BOTH {
                let (c, hd) = p.breaches(side);
                caught += c;
                hidden += hd;
            }
        }
        Summary {
            tally: Tally::of(class),
            scores,
            ratios,
            caught,
            hidden,
        }
    }
}

/// The file names a table's debrief and transcript are written under, numbered so that they
/// sort in table order.
pub fn table_files(class: &Class, number: u32) -> (String, String) {
    let widest = class.tables.iter().map(|t| t.number).max().unwrap_or(1);
    let width = widest.to_string().len().max(2);
    (
        format!("table-{number:0width$}-debrief.html"),
        format!("table-{number:0width$}-transcript.txt"),
    )
}

/// The class summary as one self-contained HTML page: how the tables ended and what each
/// ending teaches, the spread of scores and Nash ratios, breaches, and each table in a row
/// with links to its debrief and transcript.
pub fn summary_html(class: &Class) -> String {
    let tally = Tally::of(class);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html><head><meta charset='utf-8'><title>Détente class summary — session {}</title><style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}}td,th{{padding:2px 10px;text-align:left}}td.n{{text-align:right}}.bad{{color:#b30}}</style></head><body>",
        class.session
    );
    let _ = write!(
        h,
        "<h1>Class summary</h1><p>Session {} · started {} · {} table{}</p>",
        class.session,
        utc(class.started_ms),
        class.tables.len(),
        if class.tables.len() == 1 { "" } else { "s" }
    );

    h.push_str("<h2>How the tables ended</h2><table>");
    // Each count is tagged with the key the CSV uses, for scripts that read the page.
    for (key, label, n) in [
        ("normalization", "Normalised", tally.normalised),
        ("clash", "Clashed", tally.clashed),
        ("round_limit", "Ran out of rounds", tally.round_limit),
        ("ousted", "Ousted a leader", tally.ousted),
        ("running", "Still running", tally.running),
        (
            "unreadable",
            "Not replayed (level file missing or edited)",
            tally.unreadable,
        ),
    ] {
        let _ = write!(
            h,
            "<tr data-ending='{key}'><td>{label}</td><td class='n'>{n}</td></tr>"
        );
    }
    h.push_str("</table>");
    for t in &class.tables {
        if let Err(why) = &t.played {
            let _ = write!(h, "<p class='bad'>Table {}: {}</p>", t.number, esc(why));
        }
    }

    h.push_str("<h2>What each ending teaches</h2><table><tr><th>Ending</th><th>Tables</th><th>Lesson</th><th>In the game's words</th></tr>");
    for (ending, n) in [
        (Ending::Normalization, tally.normalised),
        (Ending::Clash, tally.clashed),
        (Ending::Ousted(Side::A), tally.ousted),
        (Ending::RoundLimit, tally.round_limit),
    ] {
        let (title, sentence) = ending_lesson(Some(ending));
        let _ = write!(
            h,
            "<tr><td>{title}</td><td class='n'>{n}</td><td><strong>{}</strong></td><td>{}</td></tr>",
            esc(design_lesson(ending)),
            esc(sentence)
        );
    }
    h.push_str("</table>");

    let sum = Summary::of(class);
    let (scores, ratios) = (&sum.scores, &sum.ratios);
    let mean = |v: &[f32]| mean(v).map_or("—".to_string(), |m| format!("{m:.2}"));
    let _ = write!(
        h,
        "<h2>Students' scores</h2><p>{} student seat{} at finished tables, mean {}. Each student's own score (0 to 1), by tenths.</p>{}",
        scores.len(),
        if scores.len() == 1 { "" } else { "s" },
        mean(scores),
        histogram(&tenths(scores), "#393")
    );
    let _ = write!(
        h,
        "<h2>Nash ratios of the deals</h2><p>{} deal{}, mean {}. Each deal's product of gains against the best open when it was signed (1 is the most even split).</p>{}",
        ratios.len(),
        if ratios.len() == 1 { "" } else { "s" },
        mean(ratios),
        histogram(&tenths(ratios), "#36c")
    );
    let (caught, hidden) = (sum.caught, sum.hidden);
    let _ = write!(
        h,
        "<h2>Broken commitments</h2><p><span data-count='caught'>{caught}</span> caught, <span data-count='hidden'>{hidden}</span> never caught (revealed in each table's debrief).</p>"
    );

    h.push_str("<h2>Tables</h2><table><tr><th>Table</th><th>Level</th><th>Ending</th><th>Rounds</th><th>Scores A / B</th><th>Deals</th><th>Nash ratio</th><th>Breaches caught / hidden</th><th></th></tr>");
    for t in &class.tables {
        let (debrief, transcript) = table_files(class, t.number);
        match &t.played {
            Ok(p) => {
                let r = &p.report;
                let (ca, ha) = p.breaches(Side::A);
                let (cb, hb) = p.breaches(Side::B);
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class='n'>{}</td><td>{:.2} / {:.2}</td><td class='n'>{}</td><td>{}</td><td>{} / {}</td><td><a href='{debrief}'>debrief</a> · <a href='{transcript}'>transcript</a></td></tr>",
                    t.number,
                    esc(&r.title),
                    if r.ending.is_some() {
                        ending_lesson(r.ending).0
                    } else {
                        "Still running"
                    },
                    r.rounds,
                    r.scores.utility[0],
                    r.scores.utility[1],
                    r.deals.each.len(),
                    p.nash_ratio().map_or("—".into(), |x| format!("{x:.2}")),
                    ca + cb,
                    ha + hb
                );
            }
            Err(_) => {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class='bad'>not replayed</td><td></td><td></td><td></td><td></td><td></td><td></td></tr>",
                    t.number,
                    esc(&t.level_id)
                );
            }
        }
    }
    h.push_str("</table></body></html>\n");
    h
}
