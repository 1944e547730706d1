//! The negotiation table: the pure `table_ui` that draws one side's view and returns the
//! actions its player chose.

use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::app::ui::offer::{Draft, Rules, builder_ui, changes, item_line, preview_ui, short};
use crate::app::ui::{self, Palette, card, key_button, key_pressed};
use crate::sim::measures::item_cost;
use crate::sim::{Action, Logged, Need, PublicLevel, Side, SideView, Stage};
use std::collections::BTreeSet;

/// What the table needs to draw one side's screen.
pub struct TableCtx<'a> {
    pub sc: &'a PublicLevel,
    pub view: &'a SideView,
    /// Previews and checks from the rules, for the view's side only.
    pub rules: &'a dyn Rules,
    /// The match log as this side may see it.
    pub log: &'a [Logged],
    /// The other side's latest reason, when the computer plays it.
    pub reason: Option<&'a str>,
    /// Why the last move was refused, if it was.
    pub refused: Option<&'a str>,
    /// A lasting message (a takeover at home).
    pub notice: Option<&'a str>,
    /// Whether a person plays the viewed side (false once the computer took it over).
    pub can_act: bool,
    /// Who sits across: "the computer (Hawk, Normal)" or "the other player".
    pub opponent: &'a str,
    /// In a class: whether the connection is well, and how it stands in words.
    pub link: Option<(bool, String)>,
    /// The region's scene, drawn by the window (none where no renderer runs).
    pub map: Option<egui::TextureId>,
    pub pal: Palette,
}

/// What the table remembers between frames.
#[derive(Debug, Clone, Default, bevy::prelude::Resource)]
pub struct TableState {
    pub draft: Draft,
    pub breaks: BTreeSet<u32>,
    /// The player chose Counter and is editing a counter-offer.
    pub countering: bool,
    /// Last round whose summary each side dismissed.
    pub summary_seen: [u32; 2],
    /// Chosen gesture measure.
    pub gesture: Option<String>,
    /// The own commitment a Withdraw was pressed for, waiting for a yes.
    pub confirm_withdraw: Option<u32>,
    /// (side, round, exchanges left) the draft belongs to; a new turn resets transient choices.
    pub turn_key: Option<(Side, u32, u32)>,
    /// The player folded the map away (M).
    pub hide_map: bool,
}

impl TableState {
    fn sync(&mut self, view: &SideView) {
        let key = (view.side, view.round, view.exchanges_left);
        if self.turn_key != Some(key) {
            if self
                .turn_key
                .is_some_and(|(s, r, _)| s != view.side || r != view.round)
            {
                self.draft = Draft::default();
                self.gesture = None;
            }
            self.countering = false;
            self.draft.counter = false;
            self.turn_key = Some(key);
        }
    }
}

/// Draw the table for `cx.view`'s side; returns the actions chosen this frame.
pub fn table_ui(ui: &mut Ui, cx: &TableCtx, st: &mut TableState) -> Vec<Action> {
    st.sync(cx.view);
    let mut out = Vec::new();
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    egui::Panel::top("table-top").show(ui, |ui| {
        ui.add_space(4.0);
        ui::meters::top_bar(ui, pal, sc, view);
        if let Some((ok, line)) = &cx.link {
            let (mark, colour) = if *ok { ("●", pal.good) } else { ("○", pal.warn) };
            ui.label(RichText::new(format!("{mark} {line}")).small().color(colour))
                .on_hover_text("Your seat at a class table. If the connection drops, the game reconnects by itself and takes up your seat where it stood.");
        }
        ui.add_space(2.0);
    });
    egui::Panel::left("table-left")
        .exact_size(290.0)
        .resizable(false)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().id_salt("left").show(ui, |ui| {
                ui::factions::home_fronts(ui, pal, sc, view);
                ui.separator();
                ui.label(RichText::new("In force").strong());
                let rules = cx.can_act.then_some(cx.rules);
                if let Some(a) =
                    ui::commitments::in_force(ui, pal, sc, view, rules, &mut st.confirm_withdraw)
                {
                    out.push(a);
                }
                ui.separator();
                egui::CollapsingHeader::new(RichText::new("Your brief and priorities").strong())
                    .id_salt(("brief", view.side))
                    .show(ui, |ui| {
                        ui.label(RichText::new(&*view.private.brief).small());
                        ui.add_space(4.0);
                        ui::factions::priorities(ui, pal, view);
                    });
            });
        });
    egui::Panel::right("table-news")
        .exact_size(258.0)
        .resizable(false)
        .show(ui, |ui| {
            ui.label(RichText::new("The press").heading());
            egui::ScrollArea::vertical().id_salt("news").show(ui, |ui| {
                ui::news::news_panel(ui, pal, sc, view, cx.log);
            });
        });
    egui::CentralPanel::default().show(ui, |ui| {
        map_band(ui, cx, st);
        // With an offer to answer, the answer is laid out first, at the foot, so it stays in
        // reach at any scale; everything else scrolls above it.
        let answering = cx.can_act
            && view.pending.is_some()
            && view.needs.first() == Some(&Need::Answer)
            && !st.countering;
        if answering {
            egui::Panel::bottom("answer-bar").show(ui, |ui| answer_bar(ui, cx, st, &mut out));
            egui::ScrollArea::vertical()
                .id_salt("incoming")
                .show(ui, |ui| {
                    notices(ui, cx, st);
                    incoming(ui, cx);
                });
            return;
        }
        notices(ui, cx, st);
        ui.add_space(4.0);
        central(ui, cx, st, &mut out);
    });
    out
}

/// The region above the table: the scene's image at the map's proportions with the places'
/// names over it, folded away with M.
fn map_band(ui: &mut Ui, cx: &TableCtx, st: &mut TableState) {
    let Some(texture) = cx.map else {
        return;
    };
    if ui::key_pressed(ui, egui::Key::M) {
        st.hide_map = !st.hide_map;
    }
    let label = if st.hide_map {
        "Show the map  [M]"
    } else {
        "Hide the map  [M]"
    };
    if st.hide_map {
        if ui.small_button(label).clicked() {
            st.hide_map = false;
        }
        return;
    }
    let (w, h) = crate::app::scene::IMAGE_SIZE;
    let aspect = w as f32 / h as f32;
    let most_h = (ui.available_height() * 0.3).clamp(110.0, 230.0);
    let width = ui.available_width().min(most_h * aspect);
    let size = egui::vec2(width, width / aspect);
    let resp = ui
        .vertical_centered(|ui| ui.add(egui::Image::new((texture, size))))
        .inner;
    crate::app::scene::shown(ui.ctx(), resp.rect);
    crate::app::scene::labels(ui, resp.rect, &cx.sc.map);
    resp.on_hover_text(
        "The region. Each commitment in force is drawn where it works, in the colour of the state that gave it; a red cross marks one caught broken. Around each capital, a crowd for each faction: bigger the more it approves, green when it cheers, red when it protests. The border reddens and fills with troops as tension nears a clash.",
    );
    if ui.small_button(label).clicked() {
        st.hide_map = true;
    }
}

/// What the player must know before acting: a takeover, a refused move, what answered their
/// last move, and the last round's summary until dismissed.
fn notices(ui: &mut Ui, cx: &TableCtx, st: &mut TableState) {
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    if cx.can_act {
        ui::coach::coach_card(ui, pal, sc, view);
    }
    {
        if let Some(n) = cx.notice {
            ui.label(RichText::new(n).strong().color(pal.warn));
        }
        if let Some(r) = cx.refused {
            ui.label(RichText::new(format!("The rules refused that: {r}")).color(pal.bad));
        }
        let news = ui::summary::since_my_move(sc, view, cx.log, cx.reason);
        if !news.is_empty() {
            card(ui, "Since your last move", |ui| {
                for (line, tone) in news {
                    let colour = match tone {
                        ui::summary::Tone::Good => pal.good,
                        ui::summary::Tone::Bad => pal.bad,
                        ui::summary::Tone::Plain => ui.visuals().text_color(),
                    };
                    ui.label(RichText::new(line).color(colour));
                }
            });
        }
        let me = view.side.idx();
        if view.round >= 2
            && st.summary_seen[me] < view.round
            && view.stage != Stage::Ended
            && ui::summary::summary_card(ui, pal, sc, view, cx.log)
        {
            st.summary_seen[me] = view.round;
        }
    }
}

fn central(ui: &mut Ui, cx: &TableCtx, st: &mut TableState, out: &mut Vec<Action>) {
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    if view.stage == Stage::Ended {
        card(ui, "The match is over", |ui| {
            ui.label("The debrief follows.");
        });
        return;
    }
    let need = view.needs.first().copied().filter(|_| cx.can_act);
    match need {
        Some(Need::Respond) => {
            if let Some(a) = ui::event_card::event_card(ui, pal, sc, view, cx.rules) {
                out.push(a);
            }
        }
        Some(Need::Implement) => {
            if let Some(a) = ui::commitments::implement_ui(ui, pal, sc, view, &mut st.breaks) {
                st.breaks.clear();
                out.push(a);
            }
        }
        // A large offer, with what a counter changed, can run past the window's foot.
        // Drawn by `table_ui` itself, answer bar first.
        Some(Need::Answer) if !st.countering => {}
        Some(Need::Answer) => {
            ui.horizontal(|ui| {
                if key_button(ui, "◀ Back to their offer", egui::Key::B, true) {
                    st.countering = false;
                }
                ui.label(
                    RichText::new("Your counter replaces their offer and uses one exchange.")
                        .color(pal.muted),
                );
            });
            last_exchange(ui, cx);
            bridge(ui, cx, st);
            st.draft.counter = true;
            if let Some(a) = builder_ui(ui, pal, sc, view, cx.rules, &mut st.draft, true) {
                out.push(a);
            }
        }
        Some(Need::Propose) => {
            ui.horizontal(|ui| {
                ui.label(RichText::new("Your move.").strong().color(pal.accent));
                ui.label("Build an offer, make a gesture, or close the talks for this round.");
            });
            ui.horizontal(|ui| {
                let end = Action::EndTalks { side: view.side };
                if checked_button(ui, "End talks", egui::Key::E, &cx.rules.check(&end)) {
                    out.push(end);
                }
                if let Some(a) = gesture(ui, cx, st) {
                    out.push(a);
                }
            });
            last_exchange(ui, cx);
            bridge(ui, cx, st);
            st.draft.counter = false;
            if let Some(a) = builder_ui(ui, pal, sc, view, cx.rules, &mut st.draft, true) {
                out.push(a);
            }
        }
        None => waiting(ui, cx),
    }
}

/// Warn before the round's last exchange is used: an offer then refused closes the talks.
fn last_exchange(ui: &mut Ui, cx: &TableCtx) {
    if cx.view.exchanges_left == 1 {
        ui.label(
            RichText::new(
                "This is the round's last exchange: if they turn this offer down, the talks close without agreement until next round.",
            )
            .strong()
            .color(cx.pal.warn),
        );
    }
}

/// The offer on the table: what it holds, what it changed, why, and what it would do at home.
fn incoming(ui: &mut Ui, cx: &TableCtx) {
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    let Some((from, offer)) = &view.pending else {
        return;
    };
    let title = format!("{} proposes", sc.side(*from).name);
    card(ui, &title, |ui| {
        offer_columns(ui, cx, offer);
        ui.label(format!("Public statement: {}", offer.statement.label()));
        if let Some(before) = &view.answers {
            let lines = changes(sc, view.side, before, offer);
            if !lines.is_empty() {
                ui.label(RichText::new("Changed from the offer it answers").strong());
                for l in lines {
                    ui.label(RichText::new(format!("• {l}")).color(pal.warn));
                }
            }
        }
        if let Some(r) = cx.reason {
            ui.label(
                RichText::new(format!("Their reason: “{r}”"))
                    .italics()
                    .color(pal.accent),
            );
        }
        ui.separator();
        ui.label(RichText::new("If you accept").strong());
        let p = cx.rules.preview(view.side, &offer.items);
        preview_ui(ui, pal, view, &p);
        ui.add_space(6.0);
        if let Err(e) = cx.rules.check(&Action::Accept { side: view.side }) {
            ui.label(
                RichText::new(format!("You cannot accept it as it stands: {e}")).color(pal.bad),
            );
        }
    });
}

/// Accept, reject or counter the offer on the table.
fn answer_bar(ui: &mut Ui, cx: &TableCtx, st: &mut TableState, out: &mut Vec<Action>) {
    let (view, pal) = (cx.view, &cx.pal);
    let Some((_, offer)) = &view.pending else {
        return;
    };
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        let accept = Action::Accept { side: view.side };
        let check = cx.rules.check(&accept);
        if checked_button(ui, "Accept", egui::Key::A, &check) {
            out.push(accept);
        }
        if key_button(ui, "Reject", egui::Key::R, true) {
            out.push(Action::Reject { side: view.side });
        }
        let can_counter = view.exchanges_left > 0;
        if key_button(ui, "Counter", egui::Key::C, can_counter) {
            st.draft = Draft::from_offer(offer, true);
            st.countering = true;
        }
        if !can_counter {
            ui.label(
                RichText::new("No exchanges left: rejecting closes the talks for this round.")
                    .color(pal.warn),
            );
        }
        ui.label(
            RichText::new(format!(
                "{} exchange(s) left this round",
                view.exchanges_left
            ))
            .color(pal.muted),
        );
    });
    ui.add_space(4.0);
}

/// An offer's commitments in two columns: what they would do, what we would do.
fn offer_columns(ui: &mut Ui, cx: &TableCtx, offer: &crate::sim::Offer) {
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    ui.columns(2, |cols| {
        for (col, by, title) in [
            (
                0,
                view.side.other(),
                format!("{} would", short(sc, view.side.other())),
            ),
            (1, view.side, "You would".to_string()),
        ] {
            cols[col].with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                ui.label(RichText::new(title).strong().color(if by == view.side {
                    pal.warn
                } else {
                    pal.good
                }));
                let mut any = false;
                for it in offer.items.iter().filter(|i| i.by == by) {
                    any = true;
                    commitment_line(ui, pal, sc, it);
                }
                if !any {
                    ui.label(RichText::new("nothing").italics().color(pal.muted));
                }
            });
        }
    });
}

/// One commitment of an offer: the measure, then its verification and term in small print.
fn commitment_line(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, it: &crate::sim::Item) {
    let Some(i) = sc.measure_index(&it.measure) else {
        ui.label(format!("• {}", item_line(sc, it)));
        return;
    };
    let m = &sc.measures[i];
    ui.label(format!("• {}", m.name))
        .on_hover_text(ui::offer::measure_hover(sc, m));
    ui.label(
        RichText::new(format!(
            "   {} · {}",
            crate::sim::measures::verification_name(m, it.verification),
            it.term.label()
        ))
        .small()
        .color(pal.muted),
    );
}

/// The mediator's bridging proposal, adoptable into the builder.
fn bridge(ui: &mut Ui, cx: &TableCtx, st: &mut TableState) {
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    let Some(b) = &view.bridge else {
        return;
    };
    let name = sc
        .mediator
        .as_ref()
        .map_or("A mediator", |m| m.name.as_str());
    egui::CollapsingHeader::new(
        RichText::new(format!("{name} tables a bridging proposal"))
            .strong()
            .color(pal.accent),
    )
    .id_salt("bridge")
    .default_open(st.draft.items.is_empty())
    .show(ui, |ui| {
        offer_columns(ui, cx, b);
        if ui
            .button("Adopt into my offer")
            .on_hover_text("Copies the proposal into the builder; you can still change it.")
            .clicked()
        {
            let counter = st.draft.counter;
            st.draft = Draft::from_offer(b, counter);
        }
    });
}

/// A unilateral gesture: pick a measure, make it now, ask nothing back.
fn gesture(ui: &mut Ui, cx: &TableCtx, st: &mut TableState) -> Option<Action> {
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    if view.private.gesture_used {
        ui.label(RichText::new("Gesture made this round.").color(pal.muted));
        return None;
    }
    let options: Vec<&crate::sim::MeasureDef> = sc
        .measures
        .iter()
        .filter(|m| m.gesture)
        .filter(|m| {
            view.available
                .iter()
                .any(|(id, by)| **id == *m.id && *by == view.side)
        })
        .collect();
    if options.is_empty() {
        return None;
    }
    if st
        .gesture
        .as_ref()
        .is_none_or(|g| !options.iter().any(|m| &m.id == g))
    {
        st.gesture = Some(options[0].id.clone());
    }
    if options.len() > 1 && key_pressed(ui, egui::Key::N) {
        let ids: Vec<&String> = options.iter().map(|m| &m.id).collect();
        let i = ids.iter().position(|id| Some(*id) == st.gesture.as_ref());
        st.gesture = Some(ids[i.map_or(0, |i| (i + 1) % ids.len())].clone());
    }
    let chosen = options
        .iter()
        .find(|m| Some(&m.id) == st.gesture.as_ref())
        .copied()?;
    ui.separator();
    ui.label(if options.len() > 1 {
        "Gesture [N]:"
    } else {
        "Gesture:"
    });
    egui::ComboBox::from_id_salt("gesture")
        .selected_text(&chosen.name)
        .show_ui(ui, |ui| {
            for m in &options {
                ui.selectable_value(&mut st.gesture, Some(m.id.clone()), &m.name);
            }
        });
    let ver = if chosen.verification.is_empty() {
        None
    } else {
        Some(0)
    };
    let action = Action::Gesture {
        side: view.side,
        measure: chosen.id.clone(),
        verification: ver,
    };
    let check = cx.rules.check(&action);
    let label = format!("Make gesture ({:.0} cap)", item_cost(chosen, ver));
    let clicked = checked_button(ui, &label, egui::Key::G, &check);
    clicked.then_some(action)
}

/// A shortcut button enabled when the rules would take its move; otherwise it says why.
fn checked_button(
    ui: &mut Ui,
    label: &str,
    key: egui::Key,
    check: &Result<(), crate::sim::ActionError>,
) -> bool {
    let r = ui.scope(|ui| key_button(ui, label, key, check.is_ok()));
    if let Err(e) = check {
        r.response.on_hover_text(format!("Not now: {e}"));
    }
    r.inner
}

/// Nothing to do: say what the other side is doing.
fn waiting(ui: &mut Ui, cx: &TableCtx) {
    let (sc, view, pal) = (cx.sc, cx.view, &cx.pal);
    if !cx.can_act {
        card(ui, "A hardliner governs now", |ui| {
            ui.label("The computer plays your side from here. Watch how the match ends; the debrief follows.");
        });
        return;
    }
    let them = &sc.side(view.side.other()).name;
    let what = match view.stage {
        Stage::Events => "answering the event",
        Stage::Negotiation if view.pending.as_ref().is_some_and(|(s, _)| *s == view.side) => {
            "considering your offer"
        }
        Stage::Negotiation => "preparing their move",
        Stage::Implementation => "carrying out their commitments",
        Stage::Ended => "done",
    };
    card(ui, &format!("Waiting for {them}"), |ui| {
        ui.label(format!("{} ({}) is {what}…", them, cx.opponent));
        if let Some((s, offer)) = &view.pending
            && *s == view.side
        {
            ui.add_space(4.0);
            ui.label(RichText::new("Your offer on the table").strong());
            offer_columns(ui, cx, offer);
        }
        if let Some(r) = cx.reason {
            ui.label(
                RichText::new(format!("Their last word: “{r}”"))
                    .italics()
                    .color(pal.accent),
            );
        }
    });
    if view.stage == Stage::Events {
        ui::event_card::event_card(ui, pal, sc, view, cx.rules);
    }
}

/// The table's state lives while the table is up.
pub fn plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(OnEnter(super::Step::Table), |mut c: Commands| {
        c.init_resource::<TableState>();
    })
    .add_systems(OnExit(super::Step::Table), |mut c: Commands| {
        c.remove_resource::<TableState>();
    });
}

/// Draw the table while it is up (and the in-match menu is closed).
pub fn draw_plugin(app: &mut bevy::prelude::App) {
    use bevy::prelude::*;
    app.add_systems(
        bevy_egui::EguiPrimaryContextPass,
        draw.run_if(in_state(super::Step::Table))
            .run_if(super::menu_closed)
            .in_set(super::Pages),
    );
}

fn draw(
    mut contexts: bevy_egui::EguiContexts,
    game: Option<bevy::prelude::Res<crate::app::Game>>,
    st: Option<bevy::prelude::ResMut<TableState>>,
    map: Option<bevy::prelude::Res<crate::app::scene::MapImage>>,
    show: Option<bevy::prelude::Res<crate::app::scene::show::Show>>,
    mut out: super::Outbox,
) -> bevy::prelude::Result {
    // Under a card between rounds the table is hidden: it comes back when the card goes.
    if show.is_some_and(|s| s.covers) {
        return Ok(());
    }
    let mut root = super::root_ui(contexts.ctx_mut()?);
    if let (Some(g), Some(mut st)) = (game, st) {
        let intents = super::table_page_with_map(
            &mut root,
            out.palette(),
            &g,
            st.as_mut(),
            map.map(|m| m.texture),
        );
        out.send(intents);
    }
    Ok(())
}
