//! The instructor's console: every table of the class at a glance, what needs attention first,
//! and the seats an instructor can hand to the computer. Reached by joining a class with the
//! instructor's code (the title's "Join a class", or `detente console ADDR CODE`).

use crate::app::egui::{self, RichText, Ui};
use crate::app::ui::{Palette, card};
use crate::net::protocol::{Alert, STUCK_SECS, SeatStatus, TableStatus};
use crate::sim::{Side, Stage, Steer};

/// What the console asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsoleIntent {
    /// Hand this empty seat to the computer (confirmed).
    TakeOver(u32, Side),
    /// Send this message to every screen of the class.
    Broadcast,
    /// Close the console and go back to the title.
    Leave,
    /// Open one table (both private views), or go back to all of them.
    Watch(Option<u32>),
    /// Steer one table, or every table whose match is not over.
    Steer(Option<u32>, Steer),
    /// Ask the host for the class summary.
    Summary,
    /// Ask the host to write the class's files.
    Export,
    /// Show the open table's debrief (over, revealed) full screen.
    ShowDebrief,
}

/// How the tables are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Tables that need attention first, then by number.
    #[default]
    Attention,
    Number,
    /// The tensest first.
    Tension,
}

/// What the console keeps between frames.
#[derive(bevy::prelude::Resource, Debug, Clone, Default)]
pub struct ConsoleState {
    /// Only tables whose number, level or headline contains this.
    pub filter: String,
    pub order: Order,
    /// A handover asked for once, waiting for the second press.
    pub confirm: Option<(u32, Side)>,
    /// A message for every screen, being written.
    pub message: String,
    /// The table opened, if any.
    pub open: Option<u32>,
    /// The round timer for every table, in minutes, being typed.
    pub timer: String,
    /// The round timer for the open table, in minutes, being typed.
    pub table_timer: String,
    /// The card being prepared for the open table.
    pub draft: super::console_table::CardDraft,
    pub show_summary: bool,
    /// What the host last answered a request, in words.
    pub reply: Option<String>,
    /// A table's debrief is on screen; closing it comes back here.
    pub projecting: bool,
}

/// What the console draws from: the class as the host last told it.
pub struct ConsoleData<'a> {
    pub tables: &'a [TableStatus],
    /// Seconds since the host last said how the class stands.
    pub since_told_secs: u64,
    /// Whether the link is up, and a line about it.
    pub link: (bool, String),
    /// The open table, as the host last showed it.
    pub watched: Option<&'a crate::net::client::Watched>,
    pub summary: Option<&'a crate::report::class::Summary>,
    pub now: std::time::Instant,
}

/// The alerts of a table now: the host's, and "stuck" once it has been quiet long enough
/// since the host last said how it stood.
pub fn alerts(t: &TableStatus, since_told_secs: u64) -> Vec<Alert> {
    let mut a = t.alerts.clone();
    if !t.over && !a.contains(&Alert::Stuck) && t.quiet_secs + since_told_secs >= STUCK_SECS {
        a.push(Alert::Stuck);
    }
    a
}

fn alert_text(a: Alert, t: &TableStatus) -> String {
    let side = |s: Side| match s {
        Side::A => "A",
        Side::B => "B",
    };
    match a {
        Alert::NearClash => format!("near a clash (tension {:.0})", t.tension),
        Alert::NearOuster(s) => format!("{}'s leader near a fall", side(s)),
        Alert::Stuck => "no move for a while".into(),
        Alert::Disconnected(s) => format!("{}'s student disconnected", side(s)),
    }
}

fn seat_text(s: SeatStatus) -> &'static str {
    match s {
        SeatStatus::Open => "not joined",
        SeatStatus::Connected => "student",
        SeatStatus::Away => "student away",
        SeatStatus::Computer => "computer",
    }
}

fn stage_text(t: &TableStatus) -> String {
    if let Some(e) = t.ending {
        return format!("over: {}", e.label());
    }
    if t.paused {
        return format!("round {} · paused", t.round);
    }
    let stage = match t.stage {
        Some(Stage::Events) => "event",
        Some(Stage::Negotiation) => "talks",
        Some(Stage::Implementation) => "keeping word",
        Some(Stage::Ended) => "over",
        None => "",
    };
    match t.clock {
        Some(secs) => format!(
            "round {} · {stage} · {}",
            t.round,
            super::console_table::mm_ss(std::time::Duration::from_secs(secs.into()))
        ),
        None => format!("round {} · {stage}", t.round),
    }
}

/// The tables to show, filtered and ordered.
pub fn shown<'t>(
    tables: &'t [TableStatus],
    st: &ConsoleState,
    since_told_secs: u64,
) -> Vec<&'t TableStatus> {
    let needle = st.filter.trim().to_lowercase();
    let mut v: Vec<&TableStatus> = tables
        .iter()
        .filter(|t| {
            needle.is_empty()
                || t.table.to_string() == needle
                || t.level.to_lowercase().contains(&needle)
                || t.title.to_lowercase().contains(&needle)
                || t.headline
                    .as_deref()
                    .is_some_and(|h| h.to_lowercase().contains(&needle))
        })
        .collect();
    match st.order {
        Order::Number => v.sort_by_key(|t| t.table),
        Order::Tension => {
            v.sort_by(|a, b| b.tension.total_cmp(&a.tension).then(a.table.cmp(&b.table)))
        }
        Order::Attention => {
            v.sort_by_key(|t| (alerts(t, since_told_secs).is_empty(), t.over, t.table))
        }
    }
    v
}

/// Draw the console; returns what the instructor chose.
pub fn console_ui(
    ui: &mut Ui,
    pal: &Palette,
    data: ConsoleData<'_>,
    st: &mut ConsoleState,
) -> Option<ConsoleIntent> {
    let ConsoleData {
        tables,
        since_told_secs,
        link,
        watched,
        summary,
        now,
    } = data;
    let mut out = None;
    let attention = tables
        .iter()
        .filter(|t| !alerts(t, since_told_secs).is_empty())
        .count();
    egui::Panel::top("console-top").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Class console").heading().strong());
            ui.separator();
            let over = tables.iter().filter(|t| t.over).count();
            ui.label(format!(
                "{} tables · {} over · {attention} need attention",
                tables.len(),
                over
            ));
            ui.separator();
            let (ok, line) = &link;
            ui.label(
                RichText::new(line)
                    .small()
                    .color(if *ok { pal.good } else { pal.warn }),
            );
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Find:");
            ui.add(
                egui::TextEdit::singleline(&mut st.filter)
                    .hint_text("table, level or headline")
                    .desired_width(180.0),
            );
            ui.label("Order:");
            ui.selectable_value(&mut st.order, Order::Attention, "needs attention");
            ui.selectable_value(&mut st.order, Order::Number, "table");
            ui.selectable_value(&mut st.order, Order::Tension, "tension");
            if ui.button("Leave the console").clicked() {
                out = Some(ConsoleIntent::Leave);
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("To every screen:");
            ui.add(
                egui::TextEdit::singleline(&mut st.message)
                    .char_limit(crate::net::protocol::MAX_BROADCAST)
                    .hint_text("e.g. Ten minutes left in this round")
                    .desired_width(360.0),
            );
            let ready = !st.message.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Send to every screen"))
                .clicked()
            {
                out = Some(ConsoleIntent::Broadcast);
            }
        });
        if let Some(i) = super::console_table::class_controls(ui, pal, st) {
            out = Some(i);
        }
        ui.add_space(2.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        if let Some(number) = st.open {
            egui::ScrollArea::vertical()
                .id_salt("console-table")
                .show(ui, |ui| {
                    if let Some(i) =
                        super::console_table::table_page(ui, pal, watched, number, st, now)
                    {
                        out = Some(i);
                    }
                });
            return;
        }
        if st.show_summary {
            super::console_table::summary_card(ui, summary);
        }
        if tables.is_empty() {
            card(ui, "", |ui| {
                ui.label("The host has not said how the class stands yet.");
            });
            return;
        }
        egui::ScrollArea::both().show(ui, |ui| {
            egui::Grid::new("console-tables")
                .striped(true)
                .num_columns(8)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for h in [
                        "Table",
                        "Level",
                        "Where",
                        "Tension",
                        "Trust A→B · B→A",
                        "Approval A · B",
                        "In force",
                        "Seats A · B",
                    ] {
                        ui.label(RichText::new(h).strong());
                    }
                    ui.end_row();
                    for t in shown(tables, st, since_told_secs) {
                        row(ui, pal, t, since_told_secs, st, &mut out);
                        ui.end_row();
                    }
                });
        });
    });
    out
}

fn row(
    ui: &mut Ui,
    pal: &Palette,
    t: &TableStatus,
    since_told_secs: u64,
    st: &mut ConsoleState,
    out: &mut Option<ConsoleIntent>,
) {
    let alerts = alerts(t, since_told_secs);
    let number = RichText::new(format!("{}", t.table)).strong();
    ui.horizontal(|ui| {
        ui.label(if alerts.is_empty() {
            number
        } else {
            number.color(pal.warn)
        });
        if ui
            .small_button("open")
            .on_hover_text("Both sides' private views, the live log, and steering for this table.")
            .clicked()
        {
            *out = Some(ConsoleIntent::Watch(Some(t.table)));
        }
    });
    let title = if t.title.is_empty() {
        &t.level
    } else {
        &t.title
    };
    ui.label(title)
        .on_hover_text(t.headline.as_deref().unwrap_or("No headline yet."));
    ui.vertical(|ui| {
        ui.set_min_width(130.0);
        ui.add(egui::Label::new(stage_text(t)).wrap_mode(egui::TextWrapMode::Extend));
        for a in &alerts {
            ui.label(RichText::new(alert_text(*a, t)).small().color(pal.warn));
        }
    });
    let tension = RichText::new(format!("{:.0}", t.tension));
    ui.label(if alerts.contains(&Alert::NearClash) {
        tension.color(pal.bad).strong()
    } else {
        tension
    });
    ui.label(format!("{:.0} · {:.0}", t.trust[0], t.trust[1]));
    ui.label(format!("{:.0} · {:.0}", t.approval[0], t.approval[1]));
    ui.label(format!("{}", t.in_force));
    ui.horizontal_wrapped(|ui| {
        for s in Side::BOTH {
            let status = t.seats[s.idx()];
            let name = if s == Side::A { "A" } else { "B" };
            ui.label(format!("{name}: {}", seat_text(status)));
            let empty = matches!(status, SeatStatus::Open | SeatStatus::Away);
            if empty && !t.over {
                if st.confirm == Some((t.table, s)) {
                    if ui
                        .button(RichText::new(format!("Yes, the computer plays {name}")).color(pal.warn))
                        .clicked()
                    {
                        *out = Some(ConsoleIntent::TakeOver(t.table, s));
                        st.confirm = None;
                    }
                } else if ui
                    .small_button("to computer…")
                    .on_hover_text("Hand this empty seat to the computer for the rest of the match. The student can still watch with their code.")
                    .clicked()
                {
                    st.confirm = Some((t.table, s));
                }
            }
        }
    });
}

/// The console lives while it is up.
pub fn plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.init_resource::<ConsoleState>()
        .add_systems(OnEnter(super::Screen::Title), back_from_debrief);
}

/// Leaving a debrief shown from the console comes back to the console, not the title.
fn back_from_debrief(
    mut st: bevy::prelude::ResMut<ConsoleState>,
    console: Option<bevy::prelude::Res<crate::app::class::Console>>,
    mut screen: bevy::prelude::ResMut<bevy::prelude::NextState<super::Screen>>,
) {
    if std::mem::take(&mut st.projecting) && console.is_some() {
        screen.set(super::Screen::Console);
    }
}

/// Draw the console while it is up.
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw.run_if(in_state(super::Screen::Console))
            .in_set(super::Pages),
    );
}

fn draw(
    mut contexts: bevy_egui::EguiContexts,
    console: Option<bevy::prelude::ResMut<crate::app::class::Console>>,
    mut st: bevy::prelude::ResMut<ConsoleState>,
    mut screen: bevy::prelude::ResMut<bevy::prelude::NextState<super::Screen>>,
    mut commands: bevy::prelude::Commands,
    out: super::Outbox,
) -> bevy::prelude::Result {
    let Some(mut console) = console else {
        return Ok(());
    };
    let mut root = super::root_ui(contexts.ctx_mut()?);
    let now = std::time::Instant::now();
    let since = now.duration_since(console.told).as_secs();
    let link = crate::app::class::link_line(&console.client, now);
    let tables = console.client.class().unwrap_or_default().to_vec();
    let intent = console_ui(
        &mut root,
        &out.palette(),
        ConsoleData {
            tables: &tables,
            since_told_secs: since,
            link,
            watched: console.client.watched(),
            summary: console.client.summary(),
            now,
        },
        st.as_mut(),
    );
    match intent {
        Some(ConsoleIntent::TakeOver(table, side)) => {
            console.client.take_over(table, side);
        }
        Some(ConsoleIntent::Broadcast) if console.client.broadcast(st.message.trim()) => {
            st.message.clear();
        }
        Some(ConsoleIntent::Leave) => {
            commands.remove_resource::<crate::app::class::Console>();
            screen.set(super::Screen::Title);
        }
        Some(ConsoleIntent::Watch(table)) => {
            st.open = table;
            console.client.watch(table);
        }
        Some(ConsoleIntent::Steer(table, steer)) => {
            console.client.steer(table, steer);
        }
        Some(ConsoleIntent::Summary) => {
            console.client.ask_summary();
        }
        Some(ConsoleIntent::Export) => {
            st.reply = Some("Writing the class files…".into());
            console.client.export();
        }
        Some(ConsoleIntent::ShowDebrief) => {
            let revealed = console.client.watched().and_then(|w| w.revealed.clone());
            if let Some(r) = revealed {
                let file = r.record.level_file.clone().unwrap_or_default();
                match crate::app::game::Game::replay(
                    r.scenario.clone(),
                    &r.record,
                    std::path::PathBuf::from(file),
                    crate::app::game::Mode::Hotseat,
                ) {
                    Ok(g) => {
                        commands.insert_resource(g);
                        st.projecting = true;
                        screen.set(super::Screen::Debrief);
                    }
                    Err((i, e)) => {
                        st.reply = Some(format!("Cannot replay that table (move {i}: {e})"))
                    }
                }
            }
        }
        Some(ConsoleIntent::Broadcast) | None => {}
    }
    // Live figures (the round clocks) move once a second.
    if st.open.is_some() || tables.iter().any(|t| t.clock.is_some()) {
        contexts
            .ctx_mut()?
            .request_repaint_after(std::time::Duration::from_secs(1));
    }
    Ok(())
}
