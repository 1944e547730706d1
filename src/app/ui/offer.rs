//! The offer builder: the catalogue grouped by area, the package with verification and term
//! per commitment, a public statement, and a live preview from the rules before sending.

use super::Palette;
use super::meters::cap;
use crate::app::egui;
use crate::app::egui::{RichText, Ui};
use crate::sim::measures::{detection, item_cost, verification_name};
use crate::sim::offers::{MAX_ITEMS, Preview};
use crate::sim::rules::Seen;
use crate::sim::{
    Action, ActionError, Area, Item, MeasureDef, Offer, PublicLevel, Requirement, Side, SideView,
    Statement, Term,
};

/// What the interface may ask the rules without changing anything. Buttons are enabled by
/// asking [`Rules::check`], never by repeating a rule here.
pub trait Rules {
    /// What `items` would do to `side` if signed now.
    fn preview(&self, side: Side, items: &[Item]) -> Preview;
    /// Whether the rules would take `action` now (a dry run).
    fn check(&self, action: &Action) -> Result<(), ActionError>;
}

/// A seat asks the rules about its own moves from its view and the public level alone.
impl Rules for Seen<'_> {
    fn preview(&self, _side: Side, items: &[Item]) -> Preview {
        crate::sim::rules::preview(self.view, self.level, items)
    }
    fn check(&self, action: &Action) -> Result<(), ActionError> {
        crate::sim::rules::check(self, action)
    }
}

/// The package being built.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub items: Vec<Item>,
    pub statement: Statement,
    /// Sent as a counter to the offer on the table.
    pub counter: bool,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            items: Vec::new(),
            statement: Statement::Reassure,
            counter: false,
        }
    }
}

impl Draft {
    /// A draft holding an existing offer (to counter it or adopt a mediator's bridge).
    pub fn from_offer(offer: &Offer, counter: bool) -> Draft {
        Draft {
            items: offer.items.clone(),
            statement: offer.statement,
            counter,
        }
    }

    pub fn offer(&self) -> Offer {
        Offer {
            items: self.items.clone(),
            statement: self.statement,
        }
    }

    /// The action that sends this draft for `side`.
    pub fn action(&self, side: Side) -> Action {
        if self.counter {
            Action::Counter {
                side,
                offer: self.offer(),
            }
        } else {
            Action::Propose {
                side,
                offer: self.offer(),
            }
        }
    }

    pub fn has(&self, measure: &str, by: Side) -> bool {
        self.items
            .iter()
            .any(|i| i.measure == measure && i.by == by)
    }

    /// Add a commitment with the measure's default verification and term, or remove it.
    pub fn toggle(&mut self, m: &MeasureDef, by: Side) {
        if let Some(pos) = self
            .items
            .iter()
            .position(|i| i.measure == m.id && i.by == by)
        {
            self.items.remove(pos);
        } else {
            self.items.push(default_item(m, by));
        }
    }
}

/// A commitment on a measure's first verification and first term.
pub fn default_item(m: &MeasureDef, by: Side) -> Item {
    Item::first_options(m, by)
}

/// Short state name for labels ("Aldora").
pub fn short(sc: &PublicLevel, s: Side) -> String {
    cap(&sc.side(s).id)
}

/// A measure's tooltip: description, cost, effects, verification and prerequisites.
pub fn measure_hover(sc: &PublicLevel, m: &MeasureDef) -> String {
    // The name in full first: a narrow catalogue cuts it short.
    let mut t = format!("{}\n", m.name);
    if !m.description.is_empty() {
        t.push_str(&m.description);
        t.push_str("\n\n");
    }
    t.push_str(&format!(
        "Area: {}. Costs its undertaker {:.0} political capital.",
        m.area.label(),
        m.cost
    ));
    let e = &m.effects;
    let mut fx = Vec::new();
    if e.tension != 0.0 {
        fx.push(format!("tension {:+.1}", e.tension));
    }
    if e.trust != 0.0 {
        fx.push(format!("other side's trust {:+.1}", e.trust));
    }
    if e.economy != 0.0 {
        fx.push(format!("own economy {:+.1}", e.economy));
    }
    if e.other_economy != 0.0 {
        fx.push(format!("other's economy {:+.1}", e.other_economy));
    }
    if e.security != 0.0 {
        fx.push(format!("own security {:+.1}", e.security));
    }
    if !fx.is_empty() {
        t.push_str(&format!("\nEach round it is kept: {}.", fx.join(", ")));
    }
    if !m.verification.is_empty() {
        let v: Vec<String> = m
            .verification
            .iter()
            .map(|v| format!("{} ({:.0}% detection)", v.name, v.detection * 100.0))
            .collect();
        t.push_str(&format!("\nVerification: {}.", v.join(", ")));
    }
    for r in &m.requires {
        match r {
            Requirement::Measure(id) => {
                let n = sc
                    .measure_index(id)
                    .map_or(id.as_str(), |i| sc.measures[i].name.as_str());
                t.push_str(&format!("\nNeeds {n} in force first."));
            }
            Requirement::Phase(p) => {
                let n = sc
                    .phase_index(p)
                    .map_or(p.as_str(), |i| sc.phases[i].name.as_str());
                t.push_str(&format!("\nNeeds the {n} phase."));
            }
        }
    }
    if !m.withdrawable {
        t.push_str("\nCannot be withdrawn once signed.");
    }
    t
}

/// One line for a commitment: "Lake hotline — Aldora · Self-report · treaty, review every 3 rounds".
pub fn item_line(sc: &PublicLevel, it: &Item) -> String {
    match sc.measure_index(&it.measure) {
        Some(i) => {
            let m = &sc.measures[i];
            format!(
                "{} — {} · {} · {}",
                m.name,
                short(sc, it.by),
                verification_name(m, it.verification),
                it.term.label()
            )
        }
        None => it.measure.clone(),
    }
}

/// What a counter-offer changed in the offer it answers, one line each, from `viewer`'s side:
/// commitments dropped or added, and checks or terms changed on those kept.
pub fn changes(sc: &PublicLevel, viewer: Side, before: &Offer, after: &Offer) -> Vec<String> {
    let who = |s: Side| {
        if s == viewer {
            "you".to_string()
        } else {
            short(sc, s)
        }
    };
    let name = |it: &Item| {
        let n = sc
            .measure_index(&it.measure)
            .map_or(it.measure.as_str(), |i| sc.measures[i].name.as_str());
        format!("{n} ({})", who(it.by))
    };
    let find = |o: &Offer, it: &Item| {
        o.items
            .iter()
            .find(|x| x.measure == it.measure && x.by == it.by)
            .cloned()
    };
    let mut out = Vec::new();
    for old in &before.items {
        match find(after, old) {
            None => out.push(format!("Dropped: {}", name(old))),
            Some(new) => {
                if new.verification != old.verification
                    && let Some(i) = sc.measure_index(&old.measure)
                {
                    let m = &sc.measures[i];
                    out.push(format!(
                        "{}: check {} → {}",
                        name(old),
                        verification_name(m, old.verification),
                        verification_name(m, new.verification)
                    ));
                }
                if new.term != old.term {
                    out.push(format!(
                        "{}: {} → {}",
                        name(old),
                        term_short(old.term),
                        term_short(new.term)
                    ));
                }
            }
        }
    }
    for new in &after.items {
        if find(before, new).is_none() {
            out.push(format!("Added: {}", name(new)));
        }
    }
    out
}

/// A term in a few characters: "pledge", "4-round sunset", "treaty (review 3)".
pub fn term_short(t: Term) -> String {
    match t {
        Term::Pledge => "pledge".into(),
        Term::Sunset(n) => format!("{n}-round sunset"),
        Term::Treaty(n) => format!("treaty (review {n})"),
    }
}

/// The catalogue: every measure offerable now, grouped by area, with toggles for either side.
pub fn catalogue(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, view: &SideView, draft: &mut Draft) {
    let me = view.side;
    // One name width for every area, so the switches line up in columns.
    let name_w = (ui.available_width() - 2.0 * 54.0 - 34.0 - 30.0).max(110.0);
    for area in Area::ALL {
        let measures: Vec<&MeasureDef> = sc
            .measures
            .iter()
            .filter(|m| m.area == area)
            .filter(|m| {
                view.available.iter().any(|(id, _)| **id == *m.id)
                    || draft.items.iter().any(|i| i.measure == m.id)
            })
            .collect();
        if measures.is_empty() {
            continue;
        }
        let weight = view.private.priorities.get(&area).copied().unwrap_or(0.0);
        let title = format!(
            "{}  ·  matters to you: {:.0}%",
            area.label(),
            weight * 100.0
        );
        egui::CollapsingHeader::new(RichText::new(title).strong())
            .id_salt(("area", area))
            .default_open(true)
            .show(ui, |ui| {
                for m in measures {
                    ui.horizontal(|ui| {
                        super::fixed_label(ui, name_w, &m.name).on_hover_text(measure_hover(sc, m));
                        super::fixed_label(
                            ui,
                            34.0,
                            RichText::new(format!("{:.0} cap", m.cost))
                                .small()
                                .color(pal.muted),
                        );
                        for by in [me, me.other()] {
                            toggle(ui, sc, view, draft, m, by);
                        }
                    });
                }
            });
    }
    locked(ui, pal, sc, view);
}

/// What a measure still needs before it can be offered: the prerequisites not met now.
pub fn missing_prerequisites(sc: &PublicLevel, view: &SideView, m: &MeasureDef) -> Vec<String> {
    let in_force = |id: &str| view.commitments.iter().any(|c| &*c.measure == id);
    m.requires
        .iter()
        .filter_map(|r| match r {
            Requirement::Measure(id) if !in_force(id) => Some(format!(
                "'{}' in force",
                sc.measure(id).map_or(id.as_str(), |(_, d)| d.name.as_str())
            )),
            Requirement::Phase(p) => {
                let i = sc.phase_index(p)?;
                (view.phase < i).then(|| format!("the {} phase", sc.phases[i].name))
            }
            _ => None,
        })
        .collect()
}

/// The measures not open for offers yet, each with what it is waiting for, so a measure named
/// in a briefing never seems to be missing.
fn locked(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, view: &SideView) {
    let waiting: Vec<(&MeasureDef, Vec<String>)> = sc
        .measures
        .iter()
        .filter(|m| !view.available.iter().any(|(id, _)| **id == *m.id))
        .map(|m| (m, missing_prerequisites(sc, view, m)))
        .filter(|(_, needs)| !needs.is_empty())
        .collect();
    if waiting.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(
        RichText::new(format!("Not open yet ({})", waiting.len())).strong(),
    )
    .id_salt("locked")
    .default_open(false)
    .show(ui, |ui| {
        for (m, needs) in waiting {
            ui.label(RichText::new(&m.name).color(pal.muted))
                .on_hover_text(measure_hover(sc, m));
            ui.label(
                RichText::new(format!("needs {}", needs.join(" and ")))
                    .small()
                    .color(pal.muted),
            );
        }
    });
}

/// One "we do" / "they do" switch of the catalogue.
fn toggle(
    ui: &mut Ui,
    sc: &PublicLevel,
    view: &SideView,
    draft: &mut Draft,
    m: &MeasureDef,
    by: Side,
) {
    let offerable = view
        .available
        .iter()
        .any(|(id, b)| **id == *m.id && *b == by);
    let on = draft.has(&m.id, by);
    let word = if by == view.side { "we" } else { "they" };
    let size = egui::vec2(54.0, 20.0);
    if !m.by.allows(by) {
        ui.allocate_space(size);
        return;
    }
    if !offerable && !on {
        ui.add_enabled_ui(false, |ui| {
            ui.add_sized(size, egui::Button::selectable(false, format!("☐ {word}")))
        })
        .inner
        .on_disabled_hover_text(format!("Not open to {} now", short(sc, by)));
        return;
    }
    let label = format!("{} {word}", if on { "☑" } else { "☐" });
    let full = draft.items.len() >= MAX_ITEMS && !on;
    let r = ui
        .add_enabled_ui(!full, |ui| {
            ui.add_sized(size, egui::Button::selectable(on, label))
        })
        .inner
        .on_hover_text(format!(
            "{} {} undertakes '{}'",
            if on { "Remove:" } else { "Add:" },
            short(sc, by),
            m.name
        ));
    // Screen readers (and the UI tests) hear which measure the switch is for.
    r.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::WidgetType::Button,
            !full,
            on,
            format!("{word} do: {}", m.name),
        )
    });
    if r.clicked() {
        draft.toggle(m, by);
    }
}

/// The package: each commitment with its verification and term, and the statement.
pub fn package(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, view: &SideView, draft: &mut Draft) {
    let observers = sc.observers.is_some();
    if draft.items.is_empty() {
        ui.label(
            RichText::new(
                "Pick commitments from the catalogue: what you will do, and what you ask of them.",
            )
            .italics()
            .color(pal.muted),
        );
    }
    let mut remove = None;
    for (n, it) in draft.items.iter_mut().enumerate() {
        let Some(i) = sc.measure_index(&it.measure) else {
            continue;
        };
        let m = &sc.measures[i];
        ui.horizontal(|ui| {
            if ui.small_button("✖").on_hover_text("Remove").clicked() {
                remove = Some(n);
            }
            let who = if it.by == view.side { "we" } else { "they" };
            ui.label(RichText::new(&m.name).strong())
                .on_hover_text(measure_hover(sc, m));
            ui.label(
                RichText::new(format!("({who})")).color(if it.by == view.side {
                    pal.warn
                } else {
                    pal.good
                }),
            );
        });
        ui.horizontal(|ui| {
            ui.add_space(10.0);
            let vname = |v: Option<usize>| {
                format!(
                    "{} · {:.0}% caught · {:.0} cap",
                    verification_name(m, v),
                    detection(m, v) * 100.0,
                    item_cost(m, v)
                )
            };
            egui::ComboBox::from_id_salt(("ver", n))
                .width(158.0)
                .selected_text(vname(it.verification))
                .show_ui(ui, |ui| {
                    if m.verification.is_empty() {
                        ui.selectable_value(&mut it.verification, None, vname(None));
                    }
                    for (k, v) in m.verification.iter().enumerate() {
                        if v.needs_observers && !observers {
                            continue;
                        }
                        ui.selectable_value(&mut it.verification, Some(k), vname(Some(k)));
                    }
                })
                .response
                .on_hover_text(
                    "How this commitment is checked. The percentage is the chance, each round, that a quiet breach of it is caught; the capital is what the undertaking side pays once, at signing.",
                );
            let terms = if m.terms.is_empty() {
                vec![Term::Pledge]
            } else {
                m.terms.clone()
            };
            egui::ComboBox::from_id_salt(("term", n))
                .width(112.0)
                .selected_text(term_short(it.term))
                .show_ui(ui, |ui| {
                    for t in terms {
                        ui.selectable_value(&mut it.term, t, t.label());
                    }
                });
        });
    }
    if let Some(n) = remove {
        draft.items.remove(n);
    }
    ui.add_space(4.0);
    if super::key_pressed(ui, egui::Key::S) {
        draft.statement = super::cycle(&Statement::ALL, draft.statement);
    }
    ui.horizontal(|ui| {
        ui.label("Public statement [S]:");
        egui::ComboBox::from_id_salt("statement")
            .selected_text(draft.statement.label())
            .show_ui(ui, |ui| {
                for s in Statement::ALL {
                    ui.selectable_value(&mut draft.statement, s, s.label())
                        .on_hover_text(statement_hint(s));
                }
            })
            .response
            .on_hover_text(statement_hint(draft.statement));
    });
}

/// What a statement tends to do, in a line.
pub fn statement_hint(s: Statement) -> &'static str {
    match s {
        Statement::Reassure => "Calms the other side a little; your hawks grumble.",
        Statement::Warn => "Pleases your hawks; costs their trust and raises tension.",
        Statement::AcknowledgeHarm => "Wins real trust across the border; your hawks resent it.",
        Statement::SharedInterest => "Mild goodwill at home and abroad.",
        Statement::Milestone => "Popular if a deal is signed this round, embarrassing if not.",
    }
}

/// What a package would do to the viewer's side.
pub fn preview_ui(ui: &mut Ui, pal: &Palette, view: &SideView, p: &Preview) {
    let row = |ui: &mut Ui, name: &str, value: RichText| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(name).color(pal.muted));
            ui.label(value);
        })
    };
    let ok = p.capital_left >= -1e-4;
    row(
        ui,
        "Capital it costs us:",
        RichText::new(format!(
            "{:.0} of {:.0} ({:.0} left)",
            p.capital_cost,
            view.private.capital,
            p.capital_left.max(0.0)
        ))
        .color(if ok { pal.good } else { pal.bad }),
    )
    .response
    .on_hover_text(
        "Political capital: what your government can spend on commitments this season. Each of your commitments costs its capital once, when the deal is signed; what is left carries over, and each season brings a little more.",
    );
    row(
        ui,
        "Ratifies at home:",
        RichText::new(format!(
            "{} — support {:.0}%, needs {:.0}%",
            if p.ratifies { "YES" } else { "NO" },
            p.support,
            view.private.ratify_at
        ))
        .strong()
        .color(if p.ratifies { pal.good } else { pal.bad }),
    )
    .response
    .on_hover_text(
        "Your parliament's vote on this package: the share of your factions (weighted by their influence) that would back it. Below the threshold the deal is signed but never enters force.",
    );
    // In points of a 100-point scale a student can read: 0 is the worst package the catalogue
    // allows for us, 100 the best.
    let points = p.utility * 100.0;
    row(
        ui,
        "Worth to us, each round:",
        RichText::new(format!("{} points of 100", signed_points(points)))
            .strong()
            .color(pal.delta(points, true)),
    )
    .response
    .on_hover_text(
        "How much this package moves your private score for every round it stays in force, on a scale where 0 is the worst package the catalogue allows for you and 100 the best (your priorities decide). Your score at the end is the average over the rounds.",
    );
    row(
        ui,
        "Each round while kept:",
        RichText::new(format!(
            "tension {:+.1} · their trust in us {:+.1}",
            p.tension_per_round, p.trust_per_round
        )),
    )
    .response
    .on_hover_text(
        "How the package moves the shared meters every season while both sides keep it, in points of 100: tension falling is good; trust rising is good. A breach that is caught reverses much of it.",
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Factions:").color(pal.muted));
        for (f, d) in view.me.factions.iter().zip(&p.factions) {
            if d.abs() < 0.05 {
                continue;
            }
            ui.label(
                RichText::new(format!("{} {}", f.name, super::delta_text(*d)))
                    .color(pal.delta(*d, true)),
            );
        }
    });
}

/// A signed whole number of points; a value that rounds to zero is shown as 0, never as −0.
pub fn signed_points(x: f32) -> String {
    let r = x.round();
    if r == 0.0 {
        "0".into()
    } else {
        format!("{r:+.0}")
    }
}

/// The whole builder: catalogue on the left, package, preview and send on the right (one
/// above the other where the table is too narrow for two columns). Returns the action when the
/// player sends.
pub fn builder_ui(
    ui: &mut Ui,
    pal: &Palette,
    sc: &PublicLevel,
    view: &SideView,
    rules: &dyn Rules,
    draft: &mut Draft,
    can_send: bool,
) -> Option<Action> {
    let mut out = None;
    let total = ui.available_width();
    let height = ui.available_height();
    // Below this the catalogue's names, costs and both switches no longer fit half the width.
    const TWO_COLUMNS: f32 = 600.0;
    if total < TWO_COLUMNS {
        ui.label(RichText::new("Catalogue").heading());
        egui::ScrollArea::vertical()
            .id_salt("catalogue")
            .auto_shrink([false, true])
            .max_height((height * 0.45).max(120.0))
            .show(ui, |ui| catalogue(ui, pal, sc, view, draft));
        ui.separator();
        return offer_column(ui, pal, sc, view, rules, draft, can_send);
    }
    let left_w = (total * 0.5).round();
    ui.horizontal_top(|ui| {
        ui.allocate_ui_with_layout(
            egui::vec2(left_w, height),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(left_w);
                ui.label(RichText::new("Catalogue").heading());
                egui::ScrollArea::vertical()
                    .id_salt("catalogue")
                    .auto_shrink([false, false])
                    .show(ui, |ui| catalogue(ui, pal, sc, view, draft));
            },
        );
        ui.separator();
        let right_w = ui.available_width();
        ui.allocate_ui_with_layout(
            egui::vec2(right_w, height),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(right_w);
                out = offer_column(ui, pal, sc, view, rules, draft, can_send);
            },
        );
    });
    out
}

/// The package being built, what it would do, and the send button.
fn offer_column(
    ui: &mut Ui,
    pal: &Palette,
    sc: &PublicLevel,
    view: &SideView,
    rules: &dyn Rules,
    draft: &mut Draft,
    can_send: bool,
) -> Option<Action> {
    let mut out = None;
    ui.label(
        RichText::new(if draft.counter {
            "Your counter-offer"
        } else {
            "Your offer"
        })
        .heading(),
    );
    egui::ScrollArea::vertical()
        .id_salt("package")
        .auto_shrink([false, true])
        .max_height((ui.available_height() - 190.0).max(80.0))
        .show(ui, |ui| package(ui, pal, sc, view, draft));
    ui.separator();
    let check = rules.check(&draft.action(view.side));
    if !draft.items.is_empty() {
        let p = rules.preview(view.side, &draft.items);
        preview_ui(ui, pal, view, &p);
    }
    if let Err(e) = &check
        && !draft.items.is_empty()
    {
        ui.label(RichText::new(format!("Cannot send: {e}")).color(pal.bad));
    }
    ui.horizontal_wrapped(|ui| {
        let label = if draft.counter {
            "Send counter-offer"
        } else {
            "Send offer"
        };
        if super::key_button(ui, label, egui::Key::Enter, can_send && check.is_ok()) {
            out = Some(draft.action(view.side));
        }
        if super::key_button(ui, "Clear", egui::Key::Delete, !draft.items.is_empty()) {
            draft.items.clear();
        }
    });
    super::key_hint(
        ui,
        pal,
        "Keyboard: Tab / Shift+Tab move between switches and lists, Space presses, Esc lets go; then Enter sends.",
    );
    out
}
