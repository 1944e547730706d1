//! Playing one seat of a class: the window's side of `detente host`.
//!
//! The connection ([`crate::net::client::Client`]) is polled from Bevy systems and never
//! blocks a frame: the socket's own thread wakes the window when a message arrives, and the
//! window wakes itself when a reconnect or keep-alive falls due. What the player typed (the
//! address and code) and the seat's token are remembered, so closing the game and joining again
//! with the same code takes the same seat back.

use super::game::Game;
use super::screens::{Screen, Step};
use crate::net::client::{Client, Status};
use crate::net::protocol::Reason;
use bevy::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a student typed last time, and the token of the seat it gave.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    pub address: String,
    pub code: String,
    /// The secret for the seat `code` opened at `address`.
    pub token: Option<String>,
}

impl Remembered {
    fn path() -> Option<PathBuf> {
        super::save::data_dir().map(|d| d.join("class.json"))
    }

    /// The last class joined, or nothing.
    pub fn load() -> Remembered {
        Self::path()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Keep it for next time (best effort: a class still works without it).
    pub fn store(&self) {
        if let Some(p) = Self::path()
            && let Err(e) = super::save::write_atomic(&p, self)
        {
            warn!("could not remember the class: {e}");
        }
    }

    /// The token to resume with when joining `address` with `code` again.
    pub fn token_for(&self, address: &str, code: &str) -> Option<String> {
        let same = self.address.trim() == address.trim()
            && self.code.trim().eq_ignore_ascii_case(code.trim());
        self.token.clone().filter(|_| same)
    }
}

/// The join page's fields and the connection being made from it.
#[derive(Resource, Default)]
pub struct Joining {
    pub address: String,
    pub code: String,
    /// The connection, from the press of Join until the match starts (it then moves into the
    /// [`Game`]).
    pub client: Option<Client>,
    /// Whether to write what was typed to disk (off in tests).
    pub remember: bool,
    /// The token last written to disk, so it is written once, not on every frame.
    pub saved_token: Option<String>,
}

impl Joining {
    /// The fields as the student left them last time.
    pub fn remembered() -> Joining {
        let r = Remembered::load();
        Joining {
            address: r.address,
            code: r.code,
            client: None,
            remember: true,
            saved_token: r.token,
        }
    }
}

/// Go straight to the join page and connect with what it holds (`detente join ADDR CODE`).
pub fn join_at_start(
    mut joining: ResMut<Joining>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
    mut screen: ResMut<NextState<Screen>>,
) {
    connect(&mut joining, proxy.as_deref());
    screen.set(Screen::Join);
}

/// Ask to join from the window's start (`detente join ADDR CODE`).
#[derive(Resource, Debug, Clone)]
pub struct JoinAtStart {
    pub address: String,
    pub code: String,
}

/// A wake-up for the window from the socket's thread (a no-op without a window).
fn waker(proxy: Option<&bevy::winit::EventLoopProxyWrapper>) -> impl Fn() + Send + Sync + 'static {
    let proxy = proxy.map(|p| (**p).clone());
    move || {
        if let Some(p) = &proxy {
            let _ = p.send_event(bevy::winit::WinitUserEvent::WakeUp);
        }
    }
}

/// Start connecting with what the join page holds.
pub fn connect(j: &mut Joining, proxy: Option<&bevy::winit::EventLoopProxyWrapper>) {
    let token = if j.remember {
        Remembered::load().token_for(&j.address, &j.code)
    } else {
        None
    };
    j.client = Some(Client::join(&j.address, &j.code, token, waker(proxy)));
    if j.remember {
        Remembered {
            address: j.address.trim().to_string(),
            code: j.code.trim().to_uppercase(),
            token: None,
        }
        .store();
        j.saved_token = None;
    }
}

impl Joining {
    /// Keep the seat's token for next time, writing only when it changed.
    fn keep_token(&mut self, code: &str, token: Option<&str>) {
        if !self.remember || self.saved_token.as_deref() == token {
            return;
        }
        Remembered {
            address: self.address.trim().to_string(),
            code: code.to_string(),
            token: token.map(str::to_string),
        }
        .store();
        self.saved_token = token.map(str::to_string);
    }
}

/// A student-facing line for a refused move.
pub fn refusal_text(r: &Reason) -> String {
    match r {
        Reason::Rules(e) => e.to_string(),
        Reason::RateLimited => "Too many moves at once: wait a moment and make it again.".into(),
        Reason::Waiting => {
            "The other seat is still empty; the match starts when it is taken.".into()
        }
        Reason::Archive => {
            "The host could not record the move, so it did not count: make it again.".into()
        }
        Reason::BadSeq { .. } => "That move was sent before; it was not played twice.".into(),
        Reason::Steer(e) => e.to_string(),
        Reason::ExportFailed(e) => format!("The class files could not be written: {e}"),
        Reason::UnknownTable => "No table has that number.".into(),
        Reason::MatchOver => "That table's match is over.".into(),
        other => format!("The host refused the move ({other:?})."),
    }
}

/// How the connection stands, in a few words, and whether all is well.
pub fn link_line(client: &Client, now: Instant) -> (bool, String) {
    match client.status() {
        Status::Seated => (true, "Connected to the class".into()),
        Status::Connecting => (false, "Connecting…".into()),
        Status::Joining => (false, "Taking the seat…".into()),
        Status::Reconnecting { attempt, at } => (
            false,
            format!(
                "Connection lost: trying again in {} s (attempt {attempt})",
                at.saturating_duration_since(now).as_secs_f32().ceil() as u64
            ),
        ),
        Status::Failed(f) => (false, f.to_string()),
    }
}

/// The connection line of a student's table, with the round's clock when the instructor set
/// one ("Talks close in 1:05"), or the pause.
pub fn table_line(client: &Client, now: Instant) -> (bool, String) {
    let (ok, line) = link_line(client, now);
    let clock = client.clock(now);
    if clock.paused {
        return (false, format!("{line} · Paused by your instructor"));
    }
    match clock.left {
        Some(left) => (
            ok,
            format!(
                "{line} · Talks close in {}",
                super::screens::console_table::mm_ss(left + Duration::from_millis(999))
            ),
        ),
        None => (ok, line),
    }
}

/// The instructor's connection, once the host answered the instructor's code with the class.
#[derive(Resource)]
pub struct Console {
    pub client: Client,
    /// When the host last said how the class stands.
    pub told: Instant,
}

/// Poll the console's connection; note when the class's overview changes.
pub fn poll_console(
    console: Option<ResMut<Console>>,
    st: Option<ResMut<super::screens::console::ConsoleState>>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(mut c) = console else {
        return;
    };
    let before = c.client.class().map(|t| t.to_vec());
    if c.client.poll(Instant::now()) {
        redraw.write(bevy::window::RequestRedraw);
    }
    for r in c.client.take_refusals() {
        warn!("the host refused the console: {}", refusal_text(&r));
    }
    // Its own broadcasts come back to it; the console shows none.
    c.client.take_notices();
    let changed = c.client.class().map(|t| t.to_vec()) != before;
    if changed {
        c.told = Instant::now();
    }
    let replies = c.client.take_replies();
    if let Some(mut st) = st {
        if let Some(r) = replies.last() {
            st.reply = Some(reply_text(r));
        }
        // An open summary follows the class.
        if changed && st.show_summary {
            c.client.ask_summary();
        }
    }
}

/// The host's answer to an instructor's request, in words.
pub fn reply_text(r: &crate::net::client::Reply) -> String {
    use crate::net::client::Reply;
    match r {
        Reply::Steered { applied, refused } => {
            let mut s = match applied.len() {
                0 => "No table took it.".to_string(),
                1 => format!("Done at table {}.", applied[0]),
                n => format!("Done at {n} tables."),
            };
            for (t, why) in refused.iter().take(3) {
                s += &format!(" Table {t}: {why}.");
            }
            if refused.len() > 3 {
                s += &format!(" ({} more refused.)", refused.len() - 3);
            }
            s
        }
        Reply::Exported {
            dir,
            files,
            skipped,
        } => {
            let mut s = format!("{files} files written to {dir} on the host's computer.");
            if !skipped.is_empty() {
                s += &format!(
                    " {} table(s) left out: {}",
                    skipped.len(),
                    skipped.join("; ")
                );
            }
            s
        }
        Reply::Refused(r) => format!("The host refused: {}", refusal_text(r)),
    }
}

/// Poll the join page's connection; start the match once the host seated us and the table
/// has both its seats, or open the console when the code was the instructor's.
pub fn poll_joining(
    mut commands: Commands,
    joining: Option<ResMut<Joining>>,
    mut screen: ResMut<NextState<Screen>>,
    mut step: ResMut<NextState<Step>>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
) {
    let Some(mut j) = joining else {
        return;
    };
    let Some(client) = j.client.as_mut() else {
        return;
    };
    if client.poll(Instant::now()) {
        redraw.write(bevy::window::RequestRedraw);
    }
    let (code, token) = (
        client.code().to_string(),
        client.token().map(str::to_string),
    );
    j.keep_token(&code, token.as_deref());
    let Some(client) = j.client.as_ref() else {
        return;
    };
    if client.class().is_some() {
        if let Some(client) = j.client.take() {
            commands.insert_resource(Console {
                client,
                told: Instant::now(),
            });
            screen.set(Screen::Console);
        }
        return;
    }
    if !client.ready() {
        return;
    }
    let Some(client) = j.client.take() else {
        return;
    };
    match Game::class(client) {
        Ok(g) => {
            commands.insert_resource(g);
            screen.set(Screen::Match);
            step.set(Step::Briefing);
        }
        Err(c) => j.client = Some(*c),
    }
}

/// Poll the connection of a class match: new views, refusals, the end of the match, and a
/// notice when the seat is lost for good.
pub fn poll_class(
    game: Option<ResMut<Game>>,
    joining: Option<ResMut<Joining>>,
    mut toast: ResMut<super::screens::Toast>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
    mut shown_second: Local<Option<u64>>,
) {
    let Some(mut game) = game else {
        return;
    };
    // Only what changes the match marks it changed: the scene and the panels follow the match,
    // and a match marked changed on every frame would redraw them on every frame.
    if game.client().is_none() {
        return;
    }
    let g = game.bypass_change_detection();
    let Some(client) = g.client_mut() else {
        return;
    };
    let changed = client.poll(Instant::now());
    let refusals = client.take_refusals();
    // The instructor's word shows over any page until the next key or click.
    if let Some(text) = client.take_notices().pop() {
        toast.0 = Some(format!("From your instructor: {text}"));
    }
    let failed = match client.status() {
        Status::Failed(f) => Some(f.clone()),
        _ => None,
    };
    if let Some(mut j) = joining {
        let (code, token) = (
            client.code().to_string(),
            client.token().map(str::to_string),
        );
        j.keep_token(&code, token.as_deref());
    }
    let mut touched = changed;
    if let Some(r) = refusals.last() {
        g.refused = Some(refusal_text(r));
        touched = true;
    }
    if let Some(f) = failed {
        let text = f.to_string();
        if g.notice.as_deref() != Some(&text) {
            g.notice = Some(text);
            touched = true;
        }
    }
    let revealed = g.take_revealed();
    if touched || revealed {
        game.set_changed();
    }
    // A running round clock is redrawn each second.
    let second = game
        .client()
        .and_then(|c| c.clock(Instant::now()).left)
        .map(|d| d.as_secs());
    let ticked = second.is_some() && second != *shown_second;
    *shown_second = second;
    if changed || revealed || ticked || !refusals.is_empty() {
        redraw.write(bevy::window::RequestRedraw);
    }
}

/// The connection's next due time (a reconnect or keep-alive) as the window's longest sleep,
/// so a silent class still reconnects and stays alive; back to the quiet default without one.
pub fn class_wakeups(
    game: Option<Res<Game>>,
    joining: Option<Res<Joining>>,
    console: Option<Res<Console>>,
    settings: Option<ResMut<bevy::winit::WinitSettings>>,
    mut adjusted: Local<bool>,
) {
    let Some(mut settings) = settings else {
        return;
    };
    let client = game
        .as_ref()
        .and_then(|g| g.client())
        .or_else(|| joining.as_ref().and_then(|j| j.client.as_ref()))
        .or_else(|| console.as_ref().map(|c| &c.client));
    let want = match client.and_then(|c| c.next_due()) {
        Some(at) => {
            let wait = at
                .saturating_duration_since(Instant::now())
                .clamp(Duration::from_millis(50), Duration::from_secs(60));
            // Whole tenths of a second, so the setting does not change every frame.
            let wait = Duration::from_millis(wait.as_millis().div_ceil(100) as u64 * 100);
            *adjusted = true;
            bevy::winit::UpdateMode::reactive_low_power(wait)
        }
        // Only undo what this system did: other settings (a screenshot's) stay.
        None if *adjusted => {
            *adjusted = false;
            super::quiet_winit().focused_mode
        }
        None => return,
    };
    if settings.focused_mode != want {
        settings.focused_mode = want;
        settings.unfocused_mode = want;
    }
}

pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (poll_joining, poll_class, poll_console, class_wakeups)
            .chain()
            .before(super::game::route),
    );
}
