//! When the scene's camera draws, and at what size: a software renderer pays for every pixel
//! of the map's image on every frame it is drawn, so the image follows the size it is shown
//! at and the camera rests while nothing in the scene moves.

use super::show;
use super::{Drawing, Drawn, IMAGE_SIZE, MapCamera, MapImage, SceneItem};
use crate::app::game::Game;
use crate::app::screens::{Screen, Step};
use bevy::prelude::*;
use bevy::render::render_resource::Extent3d;

/// Where egui's memory keeps the size, in pixels, the map was last shown at.
fn shown_key() -> bevy_egui::egui::Id {
    bevy_egui::egui::Id::new("detente-scene-shown")
}

/// Note that the scene's image is shown in `rect` this frame, so that it is drawn at the
/// size it is seen: a software renderer pays for every pixel of the image, and a small
/// picture of a large image also loses its thin lines.
pub fn shown(ctx: &bevy_egui::egui::Context, rect: bevy_egui::egui::Rect) {
    let px = rect.size() * ctx.pixels_per_point();
    let pass = ctx.cumulative_pass_nr();
    ctx.data_mut(|d| d.insert_temp(shown_key(), (px, pass)));
}

/// The image's size for a picture `px` pixels wide: the map's proportions, in steps of 40
/// pixels (so a layout that moves a pixel does not redraw), at least 200 and at most
/// [`IMAGE_SIZE`].
pub fn image_size_for(px: f32) -> (u32, u32) {
    let (w, h) = IMAGE_SIZE;
    let step = 40;
    let want = (px.max(0.0).ceil() as u32).div_ceil(step) * step;
    let width = want.clamp(200, w);
    (width, width * h / w)
}

/// The scene's image is drawn at this many times the width it is shown at (up to
/// [`IMAGE_SIZE`]): shrinking it on screen smooths its edges. At the table 1.25 looks like 1.5
/// (only the thinnest lines step a little more) and draws about a third fewer pixels.
const SUPERSAMPLE: f32 = 1.25;

/// While something on the map moves, its image is drawn at the size it is shown, unsmoothed:
/// a software renderer pays for every pixel on every frame the map moves, and edges that step
/// a little are not seen in motion. Once all is still, the map is drawn smooth again.
const SUPERSAMPLE_MOVING: f32 = 1.0;

/// How many times the shown width the image is drawn at, the map moving or still.
pub fn supersample(moving: bool) -> f32 {
    if moving {
        SUPERSAMPLE_MOVING
    } else {
        SUPERSAMPLE
    }
}

/// Resize the scene's image to the size it was last shown at.
pub(super) fn fit_image(
    mut contexts: bevy_egui::EguiContexts,
    map: Option<Res<MapImage>>,
    mut images: ResMut<Assets<Image>>,
    mut resized: ResMut<Resized>,
    mut visible: ResMut<MapShown>,
    moving: Res<super::Moving>,
) {
    let (Some(map), Ok(ctx)) = (map, contexts.ctx_mut()) else {
        return;
    };
    let Some((px, pass)) = ctx.data(|d| d.get_temp::<(bevy_egui::egui::Vec2, u64)>(shown_key()))
    else {
        visible.set_if_neq(MapShown(false));
        return;
    };
    // Shown in the last pass egui completed, or hidden (the table's "Hide the map", another
    // screen, a card over the table): a hidden map need not be drawn.
    visible.set_if_neq(MapShown(pass + 1 >= ctx.cumulative_pass_nr()));
    let (w, h) = image_size_for(px.x * supersample(moving.any()));
    let Some(now) = images.get(&map.handle).map(|i| i.size()) else {
        return;
    };
    if now == UVec2::new(w, h) {
        return;
    }
    if let Some(mut image) = images.get_mut(&map.handle) {
        image.resize(Extent3d {
            width: w,
            height: h,
            ..default()
        });
        resized.0 += 1;
    }
}

/// Whether the scene's image was shown on the last frame (in a window; a headless app has no
/// such resource and follows the screen alone).
#[derive(Resource, Default, PartialEq)]
pub(super) struct MapShown(pub(super) bool);

/// How many times the scene's image was resized: a new image must be drawn again.
#[derive(Resource, Default)]
pub(super) struct Resized(u32);

/// A shape of the scene that appeared or moved this frame, or a group of shapes that moved
/// (a leader shakes by turning the figure that holds its shape).
type Moved = (
    Or<(With<Mesh2d>, With<SceneItem>)>,
    Or<(Changed<Transform>, Added<Mesh2d>)>,
);

/// Frames the scene's camera keeps drawing after a change: new meshes and materials may need
/// a frame or two before the renderer has them.
const SETTLE_FRAMES: u32 = 3;

/// The scene's camera draws only while the table or the title is up, and then only on frames
/// after something in the scene changed: its image keeps the last picture, and a software
/// renderer spends most of a frame on it.
#[allow(clippy::too_many_arguments)]
pub(super) fn camera_on(
    step: Option<Res<State<Step>>>,
    screen: Option<Res<State<Screen>>>,
    game: Option<Res<Game>>,
    mut cams: Query<&mut Camera, With<MapCamera>>,
    drawn: Res<Drawn>,
    moved: Query<(), Moved>,
    mut gone: RemovedComponents<Mesh2d>,
    mut recoloured: MessageReader<AssetEvent<ColorMaterial>>,
    resized: Option<Res<Resized>>,
    show: Option<Res<show::Show>>,
    shown: Option<Res<MapShown>>,
    mut left: Local<u32>,
    mut was_on: Local<bool>,
    mut drawing: ResMut<Drawing>,
) {
    let on = if game.is_some() {
        step.is_some_and(|s| *s.get() == Step::Table) && !show.is_some_and(|s| s.covers)
    } else {
        screen.is_some_and(|s| *s.get() == Screen::Title)
    } && shown.is_none_or(|s| s.0);
    let changed = drawn.is_changed()
        || !moved.is_empty()
        || gone.read().count() > 0
        || recoloured.read().count() > 0
        || resized.is_some_and(|r| r.is_changed())
        || (on && !*was_on);
    *was_on = on;
    if changed {
        *left = SETTLE_FRAMES;
    }
    let active = on && *left > 0;
    *left = left.saturating_sub(1);
    drawing.set_if_neq(Drawing(active));
    for mut c in &mut cams {
        if c.is_active != active {
            c.is_active = active;
        }
    }
}
