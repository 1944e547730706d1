//! The press: each outlet's front page and tone gauge; headlines printed since the last round
//! are marked NEW.

use super::Palette;
use super::meters::{Baseline, Meter, meter};
use crate::app::egui;
use crate::app::egui::{Id, RichText, Ui};
use crate::sim::{Event, Logged, PublicLevel, SideView};

/// Headlines printed at the end of the last round (the press runs once a round; each headline
/// is logged under the round it was printed in).
pub fn fresh_headlines<'a>(log: &'a [Logged], view: &SideView) -> Vec<&'a str> {
    log.iter()
        .filter(|l| l.round + 1 >= view.round)
        .filter_map(|l| match &l.event {
            Event::Headline { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// A word for an outlet's tone.
pub fn tone_word(t: f32) -> &'static str {
    match t {
        t if t < 25.0 => "doom-laden",
        t if t < 45.0 => "wary",
        t if t < 60.0 => "measured",
        t if t < 80.0 => "hopeful",
        _ => "pragmatic",
    }
}

/// Every outlet of the view with its tone (and its change since last round) and front page.
pub fn news_panel(ui: &mut Ui, pal: &Palette, sc: &PublicLevel, view: &SideView, log: &[Logged]) {
    super::press::ticker(ui, pal, &super::press::wire(sc, log));
    ui.add_space(4.0);
    let fresh = fresh_headlines(log, view);
    let base = Baseline::of(view, sc);
    for (i, o) in view.outlets.iter().enumerate() {
        let whose = match o.side {
            Some(s) if s == view.side => "your press".to_string(),
            Some(s) => format!("{} press", sc.side(s).id),
            None => "international".into(),
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&o.name).strong());
            ui.label(RichText::new(format!("({whose})")).small().color(pal.muted));
        });
        meter(
            ui,
            pal,
            Meter {
                id: Id::new(("tone", i)),
                label: "Tone",
                value: o.tone,
                delta: base
                    .as_ref()
                    .and_then(|b| b.tones.get(i))
                    .map(|t| o.tone - t),
                up_good: true,
                width: 90.0,
                mark: None,
                hover: Some(format!(
                    "{}: 0 doom-laden … 100 pragmatic. Its tone moves its public's approval.",
                    tone_word(o.tone)
                )),
                label_width: None,
            },
        );
        if o.front.is_empty() {
            ui.label(
                RichText::new("No front page yet.")
                    .italics()
                    .color(pal.muted),
            );
        }
        for h in &o.front {
            ui.horizontal_wrapped(|ui| {
                if fresh.contains(&h.as_str()) {
                    ui.label(
                        RichText::new("NEW")
                            .small()
                            .strong()
                            .color(egui::Color32::BLACK)
                            .background_color(pal.warn),
                    );
                }
                ui.label(RichText::new(h).italics());
            });
        }
        ui.add_space(8.0);
    }
}
