//! Every screen at the corners of window size and interface scale: controls in reach, columns
//! apart, figures whole, and little ground painted of its own.

use super::*;

/// The corners of the window sizes and interface scales every screen must work at.
const CORNERS: [(f32, f32, f32); 4] = [
    (1280.0, 720.0, 1.5),
    (1280.0, 720.0, 0.75),
    (1920.0, 1080.0, 1.5),
    (1920.0, 1080.0, 0.75),
];

/// Draw a page at a window size and interface scale (a scale makes the window that much
/// smaller in the interface's own units) and check that each named control lies inside it.
fn controls_fit(
    page: Page,
    game: Option<&Game>,
    levels: &[detente::app::screens::title::LevelEntry],
    controls: &[&str],
    before: impl Fn(&mut Harness<'_, UiState>),
) {
    for (w, h_px, scale) in CORNERS {
        let size = egui::vec2(w / scale, h_px / scale);
        let mut h = Harness::builder().with_size(size).build_ui_state(
            |ui, st: &mut UiState| {
                detente::app::ui::apply_style(ui.ctx());
                let _ = draw_page(ui, page, game, levels, st);
            },
            UiState::default(),
        );
        h.run();
        before(&mut h);
        h.run();
        for name in controls {
            let node = h
                .query_by_label_contains(name)
                .unwrap_or_else(|| panic!("{page:?} at {w}x{h_px}, scale {scale}: no '{name}'"));
            let r = node.rect();
            assert!(
                r.min.x >= -0.5
                    && r.min.y >= -0.5
                    && r.max.x <= size.x + 0.5
                    && r.max.y <= size.y + 0.5,
                "{page:?} at {w}x{h_px}, scale {scale}: '{name}' at {r:?} lies outside the {size:?} window"
            );
        }
    }
}

#[test]
fn every_screens_controls_fit_at_every_size_and_scale() {
    use detente::app::screens::title::load_levels;
    let levels = load_levels(Path::new("levels"));
    controls_fit(
        Page::Title,
        None,
        &levels,
        &["Start", "Settings", "Quit"],
        |_| {},
    );
    let g = game_for(Mode::Hotseat);
    controls_fit(Page::Handover, Some(&g), &[], &["Enter"], |_| {});
    controls_fit(Page::Briefing, Some(&g), &[], &["Enter"], |_| {});
    // The table with an offer to answer: Accept, Reject and Counter must be in reach.
    let g = game_at(Need::Answer);
    controls_fit(
        Page::Table,
        Some(&g),
        &[],
        &["Accept", "Reject", "Counter"],
        |_| {},
    );
    // The end card and the debrief.
    let mut done = game_for(Mode::Watch);
    done.auto_play(u32::MAX);
    controls_fit(
        Page::Debrief,
        Some(&done),
        &[],
        &["Open the debrief"],
        |_| {},
    );
    controls_fit(
        Page::Debrief,
        Some(&done),
        &[],
        &["Back to title", "Export"],
        |h| {
            h.state_mut().debrief.ending_seen = true;
        },
    );
}

/// A game at the point where a person at A must act as `need` asks.
fn game_at(need: Need) -> Game {
    let mut g = game_for(Mode::VsAi {
        human: Side::A,
        personality: detente::sim::Personality::Dove,
        difficulty: detente::sim::Difficulty::Easy,
    });
    let mut ag = agents(&tutorial(), 3);
    for _ in 0..400 {
        if g.table().unwrap().needs().contains(&(Side::A, need)) {
            return g;
        }
        if !g.ai_step() {
            step_game(&mut g, &mut ag).expect("match runs");
        }
    }
    panic!("A never needed {need:?}");
}

/// The table page of `g` in a window of `size` points.
fn table_page(g: &Game, size: egui::Vec2) -> Harness<'_, UiState> {
    Harness::builder().with_size(size).build_ui_state(
        move |ui, st: &mut UiState| {
            detente::app::ui::apply_style(ui.ctx());
            let _ = draw_page(ui, Page::Table, Some(g), &[], st);
        },
        UiState::default(),
    )
}

#[test]
fn the_capital_figure_stays_on_one_line_at_every_size_and_scale() {
    let g = game_at(Need::Propose);
    for (w, h_px, scale) in CORNERS {
        let mut h = table_page(&g, egui::vec2(w / scale, h_px / scale));
        h.run();
        // The text's box (egui may give a label's text a node of its own as well).
        let rect_of = |start: &str| {
            h.query_all_by(|n| n.value().is_some_and(|v| v.starts_with(start)))
                .map(|n| n.rect())
                .reduce(|a, b| a.union(b))
                .unwrap_or_else(|| panic!("no text starting {start:?}"))
        };
        let capital = rect_of("Capital: you");
        // One line of the same bar's text.
        let line = rect_of("Stage:").height();
        assert!(
            capital.height() < line * 1.5,
            "at {w}x{h_px}, scale {scale}: the capital figure takes {} points of height",
            capital.height()
        );
    }
}

#[test]
fn the_tables_columns_never_overlap_at_any_size_and_scale() {
    for need in [Need::Propose, Need::Answer] {
        let g = game_at(need);
        for (w, h_px, scale) in CORNERS {
            let size = egui::vec2(w / scale, h_px / scale);
            let mut h = table_page(&g, size);
            h.run();
            let at = format!("{need:?} at {w}x{h_px}, scale {scale}");
            let panel = |id: &str| {
                egui::PanelState::load(&h.ctx, egui::Id::new(id))
                    .unwrap_or_else(|| panic!("{at}: no panel {id}"))
                    .outer_rect
            };
            let (top, left, right) = (panel("table-top"), panel("table-left"), panel("table-news"));
            let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size).expand(0.5);
            for (name, r) in [("top", top), ("left", left), ("press", right)] {
                assert!(
                    window.contains_rect(r),
                    "{at}: the {name} panel {r:?} leaves the window"
                );
            }
            let apart = |a: egui::Rect, b: egui::Rect| a.intersect(b).area() < 1.0;
            assert!(
                apart(top, left) && apart(top, right) && apart(left, right),
                "{at}: panels overlap: {top:?} {left:?} {right:?}"
            );
            assert!(
                left.right() + 100.0 < right.left(),
                "{at}: no room between the side columns"
            );
            // Nothing drawn in one column runs into the next one.
            let nodes = h.query_all_by(|n| n.label().is_some_and(|l| !l.is_empty()));
            for n in nodes {
                let r = n.rect();
                if r.width() < 1.0 || r.min.y > size.y || r.max.y < top.bottom() {
                    continue;
                }
                let label = n.accesskit_node().label().unwrap_or_default();
                for edge in [left.right(), right.left()] {
                    assert!(
                        !(r.min.x < edge - 1.0 && r.max.x > edge + 1.0),
                        "{at}: '{label}' at {r:?} runs across a column edge at x = {edge}"
                    );
                }
            }
        }
    }
}

/// The share of the window a page covers with ground of its own: every filled shape it paints
/// (panels, cards, bars, buttons), not its text, each triangle counted within its clip.
fn ground_share<S>(h: &Harness<'_, S>, window: egui::Vec2) -> f32 {
    let out = h.output();
    let prims = h.ctx.tessellate(out.shapes.clone(), out.pixels_per_point);
    let mut area = 0.0;
    for p in prims {
        let egui::epaint::Primitive::Mesh(m) = p.primitive else {
            continue;
        };
        for t in m.indices.chunks(3) {
            let v = [t[0], t[1], t[2]].map(|i| m.vertices[i as usize]);
            if v.iter().any(|v| v.uv != egui::epaint::WHITE_UV) {
                continue;
            }
            let [a, b, c] = v.map(|v| v.pos);
            let whole = ((b - a).x * (c - a).y - (b - a).y * (c - a).x).abs() / 2.0;
            let bounds = egui::Rect::from_points(&[a, b, c]);
            let seen = bounds.intersect(p.clip_rect);
            if bounds.area() > 0.0 && seen.is_positive() {
                area += whole * seen.area() / bounds.area();
            }
        }
    }
    area / (window.x * window.y)
}

/// A software renderer pays for every pixel a page fills on every frame the table animates,
/// so the table leaves its ground to the window's clear colour: its cards are outlined, not
/// filled, and what it fills (bars, buttons, badges) covers a small part of the window.
#[test]
fn the_table_paints_little_ground_of_its_own() {
    let size = egui::vec2(1280.0, 800.0);
    for need in [Need::Propose, Need::Answer] {
        let g = game_at(need);
        let mut h = table_page(&g, size);
        h.run();
        let share = ground_share(&h, size);
        eprintln!("{need:?}: ground {:.1}% of the window", share * 100.0);
        assert!(
            share < 0.10,
            "{need:?}: the table fills {:.0}% of the window",
            share * 100.0
        );
    }
}
