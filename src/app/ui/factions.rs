//! The home fronts: each faction's approval and its change since last round. The private detail
//! (what moves a faction) is drawn only for the viewer's own side.

use super::Palette;
use super::meters::{Baseline, Meter, meter};
use crate::app::egui;
use crate::app::egui::{Id, RichText, Ui};
use crate::sim::{Area, PublicLevel, Side, SideView};

/// Own factions with private detail, then the other side's public approval.
pub fn home_fronts(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, view: &SideView) {
    let base = Baseline::of(view, sc);
    let me = view.side;
    let total: f32 = view
        .private
        .factions
        .iter()
        .map(|f| f.weight.max(0.0))
        .sum();
    ui.label(RichText::new(format!("Home front: {}", view.me.name)).strong());
    meter(
        ui,
        pal,
        Meter {
            id: Id::new(("approval", me)),
            label: "Approval",
            value: view.me.approval,
            delta: None,
            up_good: true,
            width: 66.0,
            mark: Some(view.private.ratify_at),
            hover: Some(format!(
                "Weighted approval of your factions. A deal ratifies at {:.0}% or more (white mark); below {:.0}% your leader falls.",
                view.private.ratify_at, view.private.ouster_below
            )),
            label_width: Some(126.0),
        },
    );
    for (i, f) in view.me.factions.iter().enumerate() {
        let d = base
            .as_ref()
            .and_then(|b| b.factions[me.idx()].get(i))
            .map(|b| f.approval - b);
        let def = view.private.factions.get(i);
        meter(
            ui,
            pal,
            Meter {
                id: Id::new(("faction", me, i)),
                label: &f.name,
                value: f.approval,
                delta: d,
                up_good: true,
                width: 66.0,
                mark: None,
                hover: def.map(|f| faction_detail(f, total)),
                label_width: Some(126.0),
            },
        );
    }
    egui::CollapsingHeader::new("What moves your factions")
        .id_salt(("faction-detail", me))
        .show(ui, |ui| {
            for f in view.private.factions.iter() {
                ui.label(RichText::new(&f.name).strong());
                ui.label(RichText::new(faction_detail(f, total)).small());
            }
        });
    ui.add_space(6.0);
    let them = me.other();
    ui.label(RichText::new(format!("Their home front: {}", view.them.name)).strong());
    meter(
        ui,
        pal,
        Meter {
            id: Id::new(("approval", them)),
            label: "Approval",
            value: view.them.approval,
            delta: None,
            up_good: true,
            width: 66.0,
            mark: None,
            hover: Some("Public polling of the other government.".into()),
            label_width: Some(126.0),
        },
    );
    for (i, f) in view.them.factions.iter().enumerate() {
        let d = base
            .as_ref()
            .and_then(|b| b.factions[them.idx()].get(i))
            .map(|b| f.approval - b);
        meter(
            ui,
            pal,
            Meter {
                id: Id::new(("faction", them, i)),
                label: &f.name,
                value: f.approval,
                delta: d,
                up_good: true,
                width: 66.0,
                mark: None,
                hover: None,
                label_width: Some(126.0),
            },
        );
    }
}

/// One faction's private profile in a sentence or two.
pub fn faction_detail(f: &crate::sim::FactionDef, total: f32) -> String {
    let lean = if f.hawkish > 0.3 {
        "hawkish"
    } else if f.hawkish < -0.3 {
        "dovish"
    } else {
        "middle-of-the-road"
    };
    let list = |m: &std::collections::BTreeMap<Area, f32>, pos: bool| -> String {
        let v: Vec<&str> = m
            .iter()
            .filter(|(_, w)| if pos { **w > 0.0 } else { **w < 0.0 })
            .map(|(a, _)| a.label())
            .collect();
        if v.is_empty() {
            "—".into()
        } else {
            v.join(", ")
        }
    };
    format!(
        "{lean}, weight {:.0}%. Likes getting: {}. Likes giving: {}. Resents giving: {}.",
        f.weight.max(0.0) * 100.0 / total.max(1e-6),
        list(&f.gets, true),
        list(&f.gives, true),
        list(&f.gives, false),
    )
}

/// Own private priorities as small bars, highest first.
pub fn priorities(ui: &mut Ui, pal: &Palette, view: &SideView) {
    let mut p: Vec<(Area, f32)> = view
        .private
        .priorities
        .iter()
        .map(|(a, w)| (*a, *w))
        .collect();
    p.sort_by(|a, b| b.1.total_cmp(&a.1));
    egui::Grid::new(("priorities", view.side))
        .num_columns(2)
        .show(ui, |ui| {
            for (a, w) in p {
                ui.label(a.label());
                ui.horizontal(|ui| {
                    ui.add(
                        egui::ProgressBar::new(w.clamp(0.0, 1.0))
                            .desired_width(120.0)
                            .desired_height(10.0)
                            .fill(pal.accent),
                    );
                    ui.label(format!("{:.0}%", w * 100.0));
                });
                ui.end_row();
            }
        });
}

/// Whose side a label refers to, from the viewer's seat.
pub fn who(view: &SideView, s: Side) -> &'static str {
    if s == view.side { "us" } else { "them" }
}
