//! The press: each outlet's front page and tone gauge; headlines printed since the last round
//! are marked NEW.

use super::Palette;
use super::meters::{Meter, meter};
use crate::app::egui;
use crate::app::egui::{Id, RichText, Ui};
use crate::sim::{Event, Logged, Scenario, SideView};

/// Headlines of the latest press run, if it was printed at the end of the last round.
pub fn fresh_headlines<'a>(log: &'a [Logged], view: &SideView) -> Vec<&'a str> {
    let latest = log
        .iter()
        .filter(|l| matches!(l.event, Event::Headline { .. }))
        .map(|l| l.round)
        .max();
    let Some(latest) = latest.filter(|r| *r + 1 >= view.round) else {
        return Vec::new();
    };
    log.iter()
        .filter(|l| l.round == latest)
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

/// Every outlet with its tone and front page.
pub fn news_panel(ui: &mut Ui, pal: &Palette, sc: &Scenario, view: &SideView, log: &[Logged]) {
    let fresh = fresh_headlines(log, view);
    let outlets_now: Vec<(f32, Vec<String>)> = outlet_pages(sc, view, log);
    for (i, o) in sc.outlets.iter().enumerate() {
        let (tone, front) = &outlets_now[i];
        let whose = match o.side {
            Some(s) if s == view.side => "your press".to_string(),
            Some(s) => format!("{} press", sc.side(s).id),
            None => "international".into(),
        };
        ui.horizontal(|ui| {
            ui.label(RichText::new(&o.name).strong());
            ui.label(RichText::new(format!("({whose})")).small().color(pal.muted));
        });
        meter(
            ui,
            pal,
            Meter {
                id: Id::new(("tone", i)),
                label: "Tone",
                value: *tone,
                delta: None,
                up_good: true,
                width: 90.0,
                mark: None,
                hover: Some(format!(
                    "{}: 0 doom-laden … 100 pragmatic. Its tone moves its public's approval.",
                    tone_word(*tone)
                )),
                label_width: None,
            },
        );
        if front.is_empty() {
            ui.label(
                RichText::new("No front page yet.")
                    .italics()
                    .color(pal.muted),
            );
        }
        for h in front {
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

/// Each outlet's tone and front page as the log and the history show them: the tone from the
/// latest snapshot, the front page from the latest headlines the outlet printed.
pub fn outlet_pages(sc: &Scenario, view: &SideView, log: &[Logged]) -> Vec<(f32, Vec<String>)> {
    sc.outlets
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let tone = view
                .history
                .last()
                .and_then(|h| h.tones.get(i).copied())
                .unwrap_or(o.tone);
            let latest = log
                .iter()
                .filter(|l| matches!(&l.event, Event::Headline { outlet, .. } if *outlet == o.id))
                .map(|l| l.round)
                .max();
            let front = latest
                .map(|r| {
                    log.iter()
                        .filter(|l| l.round == r)
                        .filter_map(|l| match &l.event {
                            Event::Headline { outlet, text, .. } if *outlet == o.id => {
                                Some(text.clone())
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            (tone, front)
        })
        .collect()
}
