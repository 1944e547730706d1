//! The console's steering: the class-wide controls (pause, round timer, summary, export), one
//! table opened with both private views side by side, its live log and the counterparts'
//! reasons, and the card an instructor plays into it.

use super::console::{ConsoleIntent, ConsoleState};
use crate::app::egui::{self, RichText, Ui};
use crate::app::ui::{Palette, card};
use crate::net::client::Watched;
use crate::net::protocol::SeatStatus;
use crate::report::class::{Summary, mean};
use crate::sim::steer::{Card, effect_ranges};
use crate::sim::{Effects, Need, PublicLevel, Side, SideView, Steer};
use std::time::{Duration, Instant};

/// Which side a played card strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Aim {
    #[default]
    A,
    B,
    Both,
}

impl Aim {
    fn sides(self) -> Vec<Side> {
        match self {
            Aim::A => vec![Side::A],
            Aim::B => vec![Side::B],
            Aim::Both => vec![Side::A, Side::B],
        }
    }
}

/// The card being prepared: one of the level's (by index) or one being written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardDraft {
    /// `None`: a written card.
    pub deck: Option<usize>,
    pub title: String,
    pub text: String,
    pub tension: f32,
    pub trust: f32,
    pub approval: f32,
    pub aim: Aim,
}

impl CardDraft {
    /// The steer this draft plays, once it is complete.
    pub fn steer(&self, level: &PublicLevel) -> Option<Steer> {
        let card = match self.deck {
            Some(i) => Card::Deck(level.events.get(i)?.id.clone()),
            None if self.title.trim().is_empty() || self.text.trim().is_empty() => return None,
            None => Card::Custom {
                title: self.title.trim().to_string(),
                text: self.text.trim().to_string(),
                effects: Effects {
                    tension: self.tension,
                    trust: self.trust,
                    approval: self.approval,
                    ..Effects::default()
                },
            },
        };
        Some(Steer::Strike {
            card,
            struck: self.aim.sides(),
        })
    }
}

/// "2:05" for a clock.
pub fn mm_ss(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

/// The round timer typed in minutes, as seconds the rules accept.
pub fn timer_secs(minutes: &str) -> Option<u32> {
    let m: f32 = minutes.trim().replace(',', ".").parse().ok()?;
    let s = (m * 60.0).round();
    let range = crate::sim::steer::MIN_TIMER_SECS as f32..=crate::sim::steer::MAX_TIMER_SECS as f32;
    range.contains(&s).then_some(s as u32)
}

/// The class-wide row: pause and resume all, the round timer for all, summary and export.
pub fn class_controls(ui: &mut Ui, pal: &Palette, st: &mut ConsoleState) -> Option<ConsoleIntent> {
    let mut out = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Every table:");
        if ui
            .button("Pause all")
            .on_hover_text("Nobody can move until you resume; round clocks stop.")
            .clicked()
        {
            out = Some(ConsoleIntent::Steer(None, Steer::Pause));
        }
        if ui.button("Resume all").clicked() {
            out = Some(ConsoleIntent::Steer(None, Steer::Resume));
        }
        ui.separator();
        out = out.take().or(timer_row(ui, pal, &mut st.timer, None));
        ui.separator();
        if ui
            .selectable_label(st.show_summary, "Class summary")
            .clicked()
        {
            st.show_summary = !st.show_summary;
            if st.show_summary {
                out = Some(ConsoleIntent::Summary);
            }
        }
        if ui
            .button("Export the class files")
            .on_hover_text("Debriefs, transcripts, results.csv and the class summary, written beside the host's archive.")
            .clicked()
        {
            out = Some(ConsoleIntent::Export);
        }
    });
    if let Some(reply) = &st.reply {
        ui.label(RichText::new(reply).small().color(pal.muted));
    }
    out
}

/// A round-timer field with "set" and "no timer" for one table or all.
fn timer_row(
    ui: &mut Ui,
    pal: &Palette,
    text: &mut String,
    table: Option<u32>,
) -> Option<ConsoleIntent> {
    let mut out = None;
    ui.label("Round timer");
    ui.add(
        egui::TextEdit::singleline(text)
            .desired_width(40.0)
            .hint_text("3"),
    );
    ui.label("min");
    let secs = timer_secs(text);
    if ui
        .add_enabled(secs.is_some(), egui::Button::new("Set"))
        .on_hover_text("Each round's talks get this long; when it runs out, that round's talks close with whatever was agreed.")
        .clicked()
    {
        out = Some(ConsoleIntent::Steer(table, Steer::Timer { secs }));
    }
    if ui.button("No timer").clicked() {
        out = Some(ConsoleIntent::Steer(table, Steer::Timer { secs: None }));
    }
    if !text.trim().is_empty() && secs.is_none() {
        ui.label(
            RichText::new("between 0.2 and 60 minutes")
                .small()
                .color(pal.warn),
        );
    }
    out
}

/// The class summary as it stands.
pub fn summary_card(ui: &mut Ui, s: Option<&Summary>) {
    card(ui, "Class summary", |ui| {
        let Some(s) = s else {
            ui.label("Asking the host…");
            return;
        };
        let t = &s.tally;
        ui.label(format!(
            "Normalised {} · clashed {} · ran out of rounds {} · a leader fell {} · still running {}",
            t.normalised, t.clashed, t.round_limit, t.ousted, t.running
        ));
        let m = |v: &[f32]| mean(v).map_or("—".into(), |x| format!("{x:.2}"));
        ui.label(format!(
            "Students' scores at finished tables: {} seats, mean {} · Nash ratio of {} deals, mean {}",
            s.scores.len(),
            m(&s.scores),
            s.ratios.len(),
            m(&s.ratios)
        ));
        ui.label(format!(
            "Broken commitments: {} caught, {} never caught",
            s.caught, s.hidden
        ));
        for (n, ending) in [
            (t.normalised, crate::sim::Ending::Normalization),
            (t.clashed, crate::sim::Ending::Clash),
            (t.ousted, crate::sim::Ending::Ousted(Side::A)),
            (t.round_limit, crate::sim::Ending::RoundLimit),
        ] {
            if n > 0 {
                let (title, lesson) = crate::report::class::ending_lesson(Some(ending));
                ui.label(RichText::new(format!("{title} ({n}): {lesson}")).small());
            }
        }
    });
}

fn seat_word(s: SeatStatus) -> &'static str {
    match s {
        SeatStatus::Open => "student not joined",
        SeatStatus::Connected => "student",
        SeatStatus::Away => "student away",
        SeatStatus::Computer => "computer",
    }
}

fn need_word(n: &Need) -> &'static str {
    match n {
        Need::Respond => "must answer the event",
        Need::Propose => "has the floor",
        Need::Answer => "must answer an offer",
        Need::Implement => "must keep or break its word",
    }
}

/// One side's private view, read-only.
fn side_column(
    ui: &mut Ui,
    pal: &Palette,
    level: Option<&PublicLevel>,
    v: &SideView,
    seat: SeatStatus,
    reason: Option<&str>,
) {
    let measure = |id: &str| {
        level
            .and_then(|l| l.measure_index(id).map(|i| l.measures[i].name.clone()))
            .unwrap_or_else(|| id.to_string())
    };
    ui.label(
        RichText::new(format!("Private to {} ({})", v.me.name, seat_word(seat)))
            .strong()
            .color(pal.accent),
    );
    ui.label(
        RichText::new("Only this side's student sees this; do not project it during play.")
            .small()
            .color(pal.warn),
    );
    ui.label(match v.needs.first() {
        Some(n) => format!("Now: {}", need_word(n)),
        None => "Now: waiting".into(),
    });
    ui.label(format!(
        "Capital {:.1} · approval {:.0} (falls below {:.0}) · economy {:.0} · security {:.0}",
        v.private.capital, v.me.approval, v.private.ouster_below, v.me.economy, v.me.security
    ));
    ui.label(format!(
        "Trust in {}: {:.0}",
        v.them.name,
        v.trust[v.side.idx()]
    ));
    for f in &v.me.factions {
        ui.label(
            RichText::new(format!("  {} {:.0} ({:+.0})", f.name, f.approval, f.change)).small(),
        );
    }
    let mine: Vec<String> = v
        .commitments
        .iter()
        .filter(|c| c.by == v.side)
        .map(|c| {
            let hidden = c.hidden_breaches.unwrap_or(0);
            let mut s = measure(&c.measure);
            if c.caught > 0 {
                s += &format!(" (caught breaking it {}×)", c.caught);
            }
            if hidden > 0 {
                s += &format!(" (broken unseen {hidden}×)");
            }
            s
        })
        .collect();
    ui.label(if mine.is_empty() {
        "Its commitments in force: none".to_string()
    } else {
        format!("Its commitments in force: {}", mine.join(", "))
    });
    if let Some((from, offer)) = &v.pending
        && *from == v.side
    {
        let items: Vec<String> = offer
            .items
            .iter()
            .map(|it| format!("{} by {:?}", measure(&it.measure), it.by))
            .collect();
        ui.label(format!("Its offer on the table: {}", items.join(", ")));
    }
    if let Some(r) = reason {
        ui.label(RichText::new(format!("The computer's last reason: {r}")).italics());
    }
}

/// The card an instructor prepares and plays at this table or at every table.
fn card_panel(
    ui: &mut Ui,
    pal: &Palette,
    level: &PublicLevel,
    table: u32,
    draft: &mut CardDraft,
) -> Option<ConsoleIntent> {
    let mut out = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Play a card:");
        let label = match draft.deck {
            Some(i) => level.events.get(i).map_or("?".into(), |e| e.title.clone()),
            None => "Write your own".into(),
        };
        egui::ComboBox::from_id_salt("console-card")
            .selected_text(label)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.deck, None, "Write your own");
                for (i, e) in level.events.iter().enumerate() {
                    ui.selectable_value(&mut draft.deck, Some(i), &e.title);
                }
            });
        ui.label("strikes");
        ui.selectable_value(&mut draft.aim, Aim::A, level.sides[0].name.as_str());
        ui.selectable_value(&mut draft.aim, Aim::B, level.sides[1].name.as_str());
        ui.selectable_value(&mut draft.aim, Aim::Both, "both");
    });
    match draft.deck {
        Some(i) => {
            if let Some(e) = level.events.get(i) {
                ui.label(RichText::new(&e.text).small());
            }
        }
        None => {
            ui.horizontal_wrapped(|ui| {
                ui.label("Title");
                ui.add(
                    egui::TextEdit::singleline(&mut draft.title)
                        .char_limit(crate::sim::steer::MAX_CARD_TITLE)
                        .desired_width(220.0),
                );
            });
            ui.add(
                egui::TextEdit::multiline(&mut draft.text)
                    .char_limit(crate::sim::steer::MAX_CARD_TEXT)
                    .hint_text("What happened, as the students will read it")
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            );
            let ranges = effect_ranges(&level.events);
            let range = |name: &str| {
                ranges
                    .iter()
                    .find(|(f, _, _)| *f == name)
                    .map_or((-10.0, 10.0), |(_, lo, hi)| (*lo, *hi))
            };
            ui.horizontal_wrapped(|ui| {
                for (name, label, value) in [
                    ("tension", "Tension", &mut draft.tension),
                    ("trust", "Trust in the struck side", &mut draft.trust),
                    ("approval", "Approval at home", &mut draft.approval),
                ] {
                    let (lo, hi) = range(name);
                    *value = value.clamp(lo, hi);
                    ui.add(egui::Slider::new(value, lo..=hi).step_by(0.5).text(label))
                        .on_hover_text("Within what this level's own cards do.");
                }
            });
        }
    }
    let steer = draft.steer(level);
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(steer.is_some(), egui::Button::new("Play it at this table"))
            .clicked()
        {
            out = steer.clone().map(|s| ConsoleIntent::Steer(Some(table), s));
        }
        if ui
            .add_enabled(steer.is_some(), egui::Button::new("Play it at every table"))
            .on_hover_text("Every table whose match is not over; a card of this level only fits tables that play it.")
            .clicked()
        {
            out = steer.clone().map(|s| ConsoleIntent::Steer(None, s));
        }
        if steer.is_none() {
            ui.label(RichText::new("A written card needs a title and a text.").small().color(pal.muted));
        }
    });
    out
}

/// One table opened: its steering, both private views side by side, and the live log.
pub fn table_page(
    ui: &mut Ui,
    pal: &Palette,
    w: Option<&Watched>,
    number: u32,
    st: &mut ConsoleState,
    now: Instant,
) -> Option<ConsoleIntent> {
    let mut out = None;
    ui.horizontal_wrapped(|ui| {
        if ui.button("← All tables").clicked() {
            out = Some(ConsoleIntent::Watch(None));
        }
        ui.heading(format!("Table {number}"));
    });
    let Some(w) = w else {
        ui.label("Asking the host for this table…");
        return out;
    };
    let v = &w.views[0];
    let over = v.ending.is_some();
    ui.horizontal_wrapped(|ui| {
        if let Some(l) = &w.level {
            ui.label(RichText::new(&l.title).strong());
        }
        ui.label(format!(
            "Round {} of {} · tension {:.0}",
            v.round, v.rounds, v.tension
        ));
        if v.paused {
            ui.label(RichText::new("Paused").color(pal.warn).strong());
        }
        if let Some((secs, at)) = w.clock {
            let left = crate::net::client::left_at(secs, at, v.paused, now);
            ui.label(format!("Talks close in {}", mm_ss(left)));
        } else if let Some(t) = v.round_timer {
            ui.label(format!(
                "Timer {} per round",
                mm_ss(Duration::from_secs(t.into()))
            ));
        }
        if let Some(e) = v.ending {
            ui.label(RichText::new(format!("Over: {}", e.label())).strong());
        }
    });
    if over {
        if w.revealed.is_some()
            && ui
                .button("Show the debrief (for the projector)")
                .on_hover_text("Everything both sides did, hidden breaches included.")
                .clicked()
        {
            out = Some(ConsoleIntent::ShowDebrief);
        }
    } else {
        ui.horizontal_wrapped(|ui| {
            if v.paused {
                if ui.button("Resume this table").clicked() {
                    out = Some(ConsoleIntent::Steer(Some(number), Steer::Resume));
                }
            } else if ui.button("Pause this table").clicked() {
                out = Some(ConsoleIntent::Steer(Some(number), Steer::Pause));
            }
            let talking = v.stage == crate::sim::Stage::Negotiation;
            if ui
                .add_enabled(
                    talking && !v.paused,
                    egui::Button::new("Close this round's talks"),
                )
                .on_hover_text("As if the round's time ran out: whatever was agreed stands.")
                .clicked()
            {
                out = Some(ConsoleIntent::Steer(Some(number), Steer::CloseTalks));
            }
            ui.separator();
            if let Some(i) = timer_row(ui, pal, &mut st.table_timer, Some(number)) {
                out = Some(i);
            }
        });
        if let Some(level) = &w.level {
            card(ui, "", |ui| {
                if let Some(i) = card_panel(ui, pal, level, number, &mut st.draft) {
                    out = Some(i);
                }
            });
        }
    }
    ui.columns(2, |cols| {
        for (i, col) in cols.iter_mut().enumerate() {
            card(col, "", |ui| {
                side_column(
                    ui,
                    pal,
                    w.level.as_deref(),
                    &w.views[i],
                    w.seats[i],
                    w.reasons[i].as_deref(),
                );
            });
        }
    });
    ui.label(RichText::new("The table's log (both sides)").strong());
    egui::ScrollArea::vertical()
        .id_salt("console-log")
        .stick_to_bottom(true)
        // The page scrolls as a whole; the log keeps a readable height of its own within it.
        .min_scrolled_height(220.0)
        .max_height(320.0)
        .show(ui, |ui| {
            for l in &w.log {
                let line = w
                    .level
                    .as_deref()
                    .and_then(|lv| crate::runner::describe(lv, &l.event));
                if let Some(line) = line {
                    ui.label(RichText::new(format!("R{} · {line}", l.round)).small());
                }
            }
        });
    out
}
