//! The map's names, written over the scene's image by egui so that they stay sharp at any size.

use super::{IMAGE_SIZE, shown};
use crate::sim::map::{self, MapDef, Point};

/// The scene's image behind the whole of `ui`, as large as it fits at the map's proportions,
/// with the names of `map`'s places: behind the title's choices.
pub fn backdrop(ui: &bevy_egui::egui::Ui, texture: bevy_egui::egui::TextureId, map: &MapDef) {
    use bevy_egui::egui::{Color32, Rect, pos2, vec2};
    let rect = ui.max_rect();
    let (w, h) = IMAGE_SIZE;
    let aspect = w as f32 / h as f32;
    let size = if rect.width() / rect.height() > aspect {
        vec2(rect.height() * aspect, rect.height())
    } else {
        vec2(rect.width(), rect.width() / aspect)
    };
    let at = Rect::from_center_size(rect.center(), size);
    shown(ui.ctx(), at);
    ui.painter().image(
        texture,
        at,
        Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
        Color32::WHITE,
    );
    labels(ui, at, map);
}

/// Where a map point falls in a rectangle that shows the whole map at its own proportions.
pub fn to_rect(rect: bevy_egui::egui::Rect, (x, y): Point) -> bevy_egui::egui::Pos2 {
    bevy_egui::egui::pos2(
        rect.left() + rect.width() * x / map::WIDTH,
        rect.bottom() - rect.height() * y / map::HEIGHT,
    )
}

/// The map's names over the scene's image. A place's name goes above it, else below, right or
/// left of it, wherever it first stays in the picture and clear of the names already placed
/// (else where it covers least of them); a water's name goes where along it (or in it) no name is,
/// and is left out if there is no such spot.
pub fn labels(ui: &bevy_egui::egui::Ui, rect: bevy_egui::egui::Rect, m: &MapDef) {
    use bevy_egui::egui::{Align2, Color32, FontId, Rect, vec2};
    let painter = ui.painter_at(rect);
    let mut taken: Vec<Rect> = Vec::new();
    let free = |taken: &[Rect], r: Rect| !taken.iter().any(|t| t.intersects(r));
    let font = FontId::proportional(11.0);
    for p in &m.places {
        let galley = painter.layout_no_wrap(p.name.clone(), font.clone(), Color32::WHITE);
        let point = to_rect(rect, p.at);
        let above = Align2::CENTER_BOTTOM.anchor_size(point + vec2(0.0, -9.0), galley.size());
        let below = Align2::CENTER_TOP.anchor_size(point + vec2(0.0, 7.0), galley.size());
        let right = Align2::LEFT_CENTER.anchor_size(point + vec2(7.0, 0.0), galley.size());
        let left = Align2::RIGHT_CENTER.anchor_size(point + vec2(-7.0, 0.0), galley.size());
        // The first spot inside the picture and clear of other names; else the one inside
        // that covers least of them.
        let fits = |r: Rect| rect.contains_rect(r);
        let covered = |r: Rect| -> f32 {
            taken
                .iter()
                .filter(|t| t.intersects(r))
                .map(|t| t.intersect(r).area())
                .sum()
        };
        let spots = [above, below, right, left];
        let at = spots
            .into_iter()
            .find(|r| fits(*r) && free(&taken, *r))
            .or_else(|| {
                spots
                    .into_iter()
                    .filter(|r| fits(*r))
                    .min_by(|a, b| covered(*a).total_cmp(&covered(*b)))
            })
            .unwrap_or(above);
        taken.push(at.expand(1.0));
        painter.galley_with_override_text_color(
            at.min + vec2(1.0, 1.0),
            galley.clone(),
            Color32::from_black_alpha(200),
        );
        painter.galley(at.min, galley, Color32::WHITE);
    }
    for w in &m.water {
        let galley = painter.layout_no_wrap(
            w.name.clone(),
            FontId::proportional(10.0),
            Color32::from_rgb(170, 205, 235),
        );
        // Along a river, the quarter points first, then every twentieth of its course; in a
        // lake or sea, its middle, then a line above or below it.
        let spots: Vec<bevy_egui::egui::Pos2> = if w.kind.is_line() {
            [0.25, 0.5, 0.75]
                .into_iter()
                .chain((1..20).map(|k| k as f32 / 20.0))
                .filter_map(|f| map::along(&w.points, f))
                .map(|p| to_rect(rect, p))
                .collect()
        } else {
            let mid = to_rect(rect, map::centroid(&w.points));
            let step = galley.size().y + 2.0;
            vec![mid, mid + vec2(0.0, -step), mid + vec2(0.0, step)]
        };
        let spot = spots
            .iter()
            .map(|s| Align2::CENTER_CENTER.anchor_size(*s, galley.size()))
            .find(|r| rect.contains_rect(*r) && free(&taken, *r));
        if let Some(at) = spot {
            taken.push(at.expand(1.0));
            painter.galley(at.min, galley, Color32::from_rgb(170, 205, 235));
        }
    }
}
