//! The region as a scene, drawn with Bevy's 2D renderer into an image that the table shows
//! above the offer: the two territories, the border, the water and the named places of the
//! level's map, and every commitment in force where it acts. A new commitment grows in, a
//! breach that is caught flashes and stays marked, a lapsed or withdrawn one shrinks away, and
//! the border reddens and fills with troops as tension nears a clash.
//!
//! The scene follows the viewer's view only ([`symbols::symbols`]), so at one screen it never
//! shows what belongs to the other side.

mod camera;
pub mod colours;
mod labels;
mod shapes;
pub mod show;
pub mod symbols;

use camera::{MapShown, Resized, camera_on, fit_image};
pub use camera::{image_size_for, shown, supersample};
pub use labels::{backdrop, labels, to_rect};
pub use shapes::triangulate;
use shapes::{Sketch, fill_mesh, line_mesh};

use super::game::Game;
use super::screens::{Levels, Screen, TitleState};
use super::settings::Settings;
use crate::sim::map::{self, MeasureIcon, Point, WaterKind};
use crate::sim::{PublicLevel, Side};
use bevy::camera::RenderTarget;
use bevy::camera::visibility::RenderLayers;
use bevy::platform::collections::HashMap;
use bevy::prelude::*;
use bevy::render::render_resource::{
    Extent3d, TextureDescriptor, TextureDimension, TextureFormat, TextureUsages,
};
use bevy_egui::{EguiTextureHandle, EguiUserTextures};
use colours::{Colours, Rgb};
use symbols::{Figure, Symbol};

/// The scene's image, in pixels: the map's 100 x 60 units at ten pixels each.
pub const IMAGE_SIZE: (u32, u32) = (1000, 600);
const PX: f32 = 10.0;
/// The render layer of the map's entities and camera, apart from the window's.
const LAYER: usize = 1;

/// The image the scene is drawn into, and its texture for egui.
#[derive(Resource, Debug, Clone)]
pub struct MapImage {
    pub handle: Handle<Image>,
    pub texture: bevy_egui::egui::TextureId,
}

/// Every entity of the scene (despawned when another level is drawn).
#[derive(Component)]
struct SceneItem;

#[derive(Component)]
struct MapCamera;

/// The symbol of a commitment, and whether it is drawn as caught broken.
#[derive(Component)]
struct SymbolOf {
    broken: bool,
}

/// A soldier's mark on the border.
#[derive(Component)]
struct Troop;

/// A state's leader, standing by its capital (feet at the entity's origin).
#[derive(Component)]
pub struct LeaderOf {
    pub side: Side,
    /// The lean at rest, in radians.
    tilt: f32,
    /// The child that carries the figure's size (the entity itself grows in and topples).
    stature: Entity,
}

/// A burst of shaking: a leader near a fall, each time the match moves.
#[derive(Component)]
pub struct Shake {
    start: f64,
}

/// A fallen leader toppling off the map.
#[derive(Component)]
struct Topple {
    start: f64,
}

/// A faction's crowd (its people are its children).
#[derive(Component)]
struct CrowdOf;

/// A short animation on a symbol.
#[derive(Component, Clone, Copy)]
struct Pulse {
    kind: PulseKind,
    start: f64,
}

#[derive(Clone, Copy, PartialEq)]
enum PulseKind {
    Appear,
    Caught,
    Vanish,
}

impl PulseKind {
    fn seconds(self) -> f64 {
        match self {
            PulseKind::Appear | PulseKind::Vanish => 0.45,
            PulseKind::Caught => 1.5,
        }
    }
}

/// Whether an animation of the scene runs: a symbol's pulse, a leader's shake or fall.
#[derive(Resource, Default, Debug, PartialEq)]
pub struct Moving {
    pulses: bool,
    leaders: bool,
}

impl Moving {
    /// Something on the map moves.
    pub fn any(&self) -> bool {
        self.pulses || self.leaders
    }
}

/// Whether something on the scene's map moves this frame.
pub fn scene_moving(world: &World) -> bool {
    world.resource::<Moving>().any()
}

/// What is drawn now, to change only what changed.
#[derive(Resource, Default)]
struct Drawn {
    level: String,
    symbols: HashMap<u32, Entity>,
    troops: usize,
    border: Option<Handle<ColorMaterial>>,
    /// The material of every shape coloured by vertex ([`Sketch`]).
    ink: Option<Handle<ColorMaterial>>,
    tension: f32,
    /// The crowds as drawn, to redraw only those that changed.
    crowds: HashMap<(Side, usize), (symbols::Crowd, Entity)>,
    /// The leaders as drawn, state A then B.
    leaders: [Option<(Figure, Entity)>; 2],
    /// The palette the scene was drawn in.
    colour_blind: bool,
    /// Drawn for a match (else behind the title).
    for_match: bool,
}

/// The scene: its image and camera at start-up, then the map of each match and its symbols.
pub fn plugin(app: &mut App) {
    app.init_resource::<Resized>()
        .init_resource::<MapShown>()
        .add_systems(Startup, setup)
        .add_systems(Update, fit_image.before(camera_on));
    follow_plugin(app);
    show::draw_plugin(app);
}

/// The map of each match and its symbols, without the image and camera (which need a
/// renderer): what tests run headless.
pub fn follow_plugin(app: &mut App) {
    app.init_resource::<Drawn>()
        .init_resource::<Drawing>()
        .init_resource::<Moving>()
        .add_systems(
            Update,
            (build_map, follow_view, animate, animate_leaders, camera_on).chain(),
        );
    show::plugin(app);
}

/// Whether the scene's camera draws this frame: it rests while nothing in the scene moves.
#[derive(Resource, Default, PartialEq)]
pub struct Drawing(pub bool);

/// Whether the scene's camera draws on this frame (it would, were a screen with the map up).
pub fn scene_drawing(world: &World) -> bool {
    world.resource::<Drawing>().0
}

/// The commitments the scene draws now, by id, and whether each is marked caught broken.
pub fn drawn_symbols(world: &mut World) -> Vec<(u32, bool)> {
    let ids: Vec<(u32, Entity)> = world
        .resource::<Drawn>()
        .symbols
        .iter()
        .map(|(id, e)| (*id, *e))
        .collect();
    let mut out: Vec<(u32, bool)> = ids
        .into_iter()
        .filter_map(|(id, e)| world.get::<SymbolOf>(e).map(|s| (id, s.broken)))
        .collect();
    out.sort();
    out
}

fn setup(
    mut commands: Commands,
    mut images: ResMut<Assets<Image>>,
    mut textures: ResMut<EguiUserTextures>,
) {
    let size = Extent3d {
        width: IMAGE_SIZE.0,
        height: IMAGE_SIZE.1,
        ..default()
    };
    let mut image = Image {
        texture_descriptor: TextureDescriptor {
            label: Some("map"),
            size,
            dimension: TextureDimension::D2,
            format: TextureFormat::Bgra8UnormSrgb,
            mip_level_count: 1,
            sample_count: 1,
            usage: TextureUsages::TEXTURE_BINDING
                | TextureUsages::COPY_DST
                | TextureUsages::RENDER_ATTACHMENT,
            view_formats: &[],
        },
        ..default()
    };
    image.resize(size);
    let handle = images.add(image);
    let texture = textures.add_image(EguiTextureHandle::Strong(handle.clone()));
    commands.insert_resource(MapImage {
        handle: handle.clone(),
        texture,
    });
    commands.spawn((
        Camera2d,
        Camera {
            order: -1,
            is_active: false,
            clear_color: ClearColorConfig::Custom(Color::srgb(0.16, 0.27, 0.36)),
            ..default()
        },
        RenderTarget::Image(handle.into()),
        // The whole map at any size of image: the image follows the size it is shown at.
        Projection::from(OrthographicProjection {
            scaling_mode: bevy::camera::ScalingMode::Fixed {
                width: IMAGE_SIZE.0 as f32,
                height: IMAGE_SIZE.1 as f32,
            },
            ..OrthographicProjection::default_2d()
        }),
        RenderLayers::layer(LAYER),
        // Smoothed by drawing larger than it is shown (`SUPERSAMPLE`) rather than by
        // multisampling, which a software renderer does at several times the cost.
        bevy::render::view::Msaa::Off,
        MapCamera,
    ));
}

/// The material every sketch of the scene is drawn with, made once.
fn ink(drawn: &mut Drawn, materials: &mut Assets<ColorMaterial>) -> Handle<ColorMaterial> {
    drawn
        .ink
        .get_or_insert_with(|| materials.add(shapes::ink()))
        .clone()
}

/// Map units to the scene's world: centred, ten pixels a unit, y up.
fn world((x, y): Point) -> Vec2 {
    Vec2::new((x - map::WIDTH / 2.0) * PX, (y - map::HEIGHT / 2.0) * PX)
}

/// A colour of the scene's palette for Bevy.
fn rgb(c: Rgb) -> Color {
    Color::srgb_u8(c[0], c[1], c[2])
}

/// The border's colour for a tension: pale when calm, the alarm colour near a clash.
fn border_colour(col: &Colours, tension: f32, clash_at: f32) -> Color {
    let t = (tension / clash_at.max(1.0)).clamp(0.0, 1.0);
    let v = |c: Rgb| Vec3::new(c[0] as f32, c[1] as f32, c[2] as f32) / 255.0;
    let c = v(col.border_calm).lerp(v(col.border_alarm), t * t);
    Color::srgb(c.x, c.y, c.z)
}

/// Whether the settings ask for the colour-blind-safe palette.
fn colour_blind(settings: &Option<Res<Settings>>) -> bool {
    settings.as_ref().is_some_and(|s| s.colour_blind)
}

/// The hash of the level whose map the scene holds now, and whether it was drawn for a match
/// (else behind the title).
pub fn drawn_level(world: &World) -> (String, bool) {
    let d = world.resource::<Drawn>();
    (d.level.clone(), d.for_match)
}

/// The leaders the scene stands now: each one's state, and whether it shakes or topples.
pub fn drawn_leaders(world: &mut World) -> Vec<(Side, bool, bool)> {
    let mut q = world.query::<(&LeaderOf, Has<Shake>, Has<Topple>)>();
    let mut out: Vec<(Side, bool, bool)> = q
        .iter(world)
        .map(|(l, shake, topple)| (l.side, shake, topple))
        .collect();
    out.sort_by_key(|(s, shake, topple)| (s.idx(), *shake, *topple));
    out
}

/// Every colour the scene draws now (its materials' colours, times its shapes' own where they
/// are coloured by vertex), sorted: what a test compares between palettes.
pub fn drawn_colours(world: &mut World) -> Vec<[u8; 4]> {
    use bevy::mesh::VertexAttributeValues;
    let mut q = world.query::<(&Mesh2d, &MeshMaterial2d<ColorMaterial>)>();
    let handles: Vec<(Handle<Mesh>, Handle<ColorMaterial>)> = q
        .iter(world)
        .map(|(m, c)| (m.0.clone(), c.0.clone()))
        .collect();
    let mats = world.resource::<Assets<ColorMaterial>>();
    let meshes = world.resource::<Assets<Mesh>>();
    let mut out: Vec<[u8; 4]> = Vec::new();
    for (mesh, mat) in &handles {
        let Some(base) = mats.get(mat).map(|m| m.color.to_linear()) else {
            continue;
        };
        match meshes
            .get(mesh)
            .and_then(|m| m.attribute(Mesh::ATTRIBUTE_COLOR))
        {
            Some(VertexAttributeValues::Float32x4(cols)) => {
                out.extend(cols.iter().map(|c| {
                    let b = base.to_f32_array();
                    let v = LinearRgba::from_f32_array(std::array::from_fn(|i| c[i] * b[i]));
                    Color::from(v).to_srgba().to_u8_array()
                }));
            }
            _ => out.push(Color::from(base).to_srgba().to_u8_array()),
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What says which level the title has chosen.
type TitleChoice<'w> = (
    Option<Res<'w, State<Screen>>>,
    Option<Res<'w, TitleState>>,
    Option<Res<'w, Levels>>,
);

/// The level chosen on the title screen, while the title is up and no match is.
fn title_level<'a>(
    screen: &Option<Res<State<Screen>>>,
    title: &'a Option<Res<TitleState>>,
    levels: &'a Option<Res<Levels>>,
) -> Option<&'a PublicLevel> {
    if !screen.as_ref().is_some_and(|s| *s.get() == Screen::Title) {
        return None;
    }
    let i = title.as_ref()?.selected?;
    let sc = levels.as_ref()?.0.get(i)?.result.as_ref().ok()?;
    Some(sc.public())
}

/// Draw the map of the match's level when a match is up (a new match redraws even on the
/// same level: its commitments are not the last one's), or behind the title the map of the
/// level chosen there.
#[allow(clippy::too_many_arguments)]
fn build_map(
    mut commands: Commands,
    game: Option<Res<Game>>,
    mut drawn: ResMut<Drawn>,
    items: Query<Entity, With<SceneItem>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    settings: Option<Res<Settings>>,
    (screen, title, levels): TitleChoice,
) {
    let cb = colour_blind(&settings);
    let (level, tension): (std::sync::Arc<PublicLevel>, f32) = match &game {
        Some(game) => {
            let level = game.level();
            if drawn.level == level.hash
                && drawn.for_match
                && !game.is_added()
                && drawn.colour_blind == cb
            {
                return;
            }
            (level.clone(), game.view().tension)
        }
        None => {
            let Some(level) = title_level(&screen, &title, &levels) else {
                return;
            };
            if drawn.level == level.hash && !drawn.for_match && drawn.colour_blind == cb {
                return;
            }
            (std::sync::Arc::new(level.clone()), level.start.tension)
        }
    };
    let col = Colours::new(cb);
    for e in &items {
        commands.entity(e).despawn();
    }
    *drawn = Drawn {
        ink: drawn.ink.take(),
        level: level.hash.clone(),
        colour_blind: cb,
        for_match: game.is_some(),
        ..default()
    };
    let m = &level.map;
    let layer = RenderLayers::layer(LAYER);
    let ink = ink(&mut drawn, &mut materials);
    let mut spawn = |commands: &mut Commands, mesh: Mesh, mat: Handle<ColorMaterial>, z: f32| {
        commands.spawn((
            Mesh2d(meshes.add(mesh)),
            MeshMaterial2d(mat),
            Transform::from_xyz(0.0, 0.0, z),
            layer.clone(),
            SceneItem,
        ));
    };
    // The land and the water in one draw, seas under lakes and rivers.
    let mut ground = Sketch::default();
    for s in Side::BOTH {
        ground.add(
            fill_mesh(m.territory(s)),
            rgb(col.land[s.idx()]),
            Transform::default(),
        );
    }
    let seas = m.water.iter().filter(|w| w.kind == WaterKind::Sea);
    let others = m.water.iter().filter(|w| w.kind != WaterKind::Sea);
    for w in seas.chain(others) {
        let mesh = if w.kind == WaterKind::River {
            line_mesh(&w.points, 0.8)
        } else {
            fill_mesh(&w.points)
        };
        ground.add(mesh, rgb(col.water), Transform::default());
    }
    spawn(&mut commands, ground.mesh(), ink.clone(), 0.0);
    // The border has a material of its own: its colour follows tension.
    if m.border.len() >= 2 {
        let colour = border_colour(&col, tension, level.end.clash_at);
        let mat = materials.add(colour);
        spawn(&mut commands, line_mesh(&m.border, 0.5), mat.clone(), 2.0);
        drawn.border = Some(mat);
        drawn.tension = tension;
    }
    let mut places = Sketch::default();
    for p in &m.places {
        let (r, colour) = match p.kind {
            map::PlaceKind::Capital => (1.3, Color::WHITE),
            _ => (0.7, Color::srgb(0.85, 0.85, 0.85)),
        };
        let at = world(p.at);
        places.add(
            Circle::new(r * PX).into(),
            colour,
            Transform::from_xyz(at.x, at.y, 0.0),
        );
    }
    if !places.is_empty() {
        spawn(&mut commands, places.mesh(), ink, 3.0);
    }
}

/// Keep the symbols, the border's colour and the troops in step with the viewer's view.
#[allow(clippy::too_many_arguments)]
fn follow_view(
    mut commands: Commands,
    game: Option<Res<Game>>,
    mut drawn: ResMut<Drawn>,
    mut marks: Query<(&mut SymbolOf, Option<&Pulse>)>,
    troops: Query<Entity, With<Troop>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    time: Res<Time<Real>>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
    settings: Option<Res<Settings>>,
    mut leaders: Query<&mut LeaderOf>,
) {
    let Some(game) = game else {
        return;
    };
    if !game.is_changed() && !drawn.is_changed() {
        return;
    }
    // Only a new map is news to the other systems: keeping this bookkeeping must not mark it
    // changed, or this system would run, and the scene's camera draw, on every frame after.
    let drawn = drawn.bypass_change_detection();
    let ink = ink(drawn, &mut materials);
    let col = Colours::new(colour_blind(&settings));
    let level = game.level().clone();
    let view = game.view();
    let now = time.elapsed_secs_f64();
    let layer = RenderLayers::layer(LAYER);
    let wanted = symbols::symbols(&view, &level);
    let mut changed = false;
    // Gone from the view: shrink away.
    let ids: Vec<u32> = drawn.symbols.keys().copied().collect();
    for id in ids {
        if wanted.iter().any(|s| s.id == id) {
            continue;
        }
        if let Some(e) = drawn.symbols.remove(&id) {
            commands.entity(e).insert(Pulse {
                kind: PulseKind::Vanish,
                start: now,
            });
            changed = true;
        }
    }
    for s in &wanted {
        match drawn.symbols.get(&s.id) {
            Some(&e) => {
                if let Ok((mut mark, _)) = marks.get_mut(e)
                    && s.broken
                    && !mark.broken
                {
                    mark.broken = true;
                    commands.entity(e).insert(Pulse {
                        kind: PulseKind::Caught,
                        start: now,
                    });
                    spawn_broken_mark(&mut commands, e, &mut meshes, &ink, &layer, &col);
                    changed = true;
                }
            }
            None => {
                let e = spawn_symbol(&mut commands, s, &mut meshes, &ink, &layer, &col);
                commands.entity(e).insert(Pulse {
                    kind: PulseKind::Appear,
                    start: now,
                });
                if s.broken {
                    spawn_broken_mark(&mut commands, e, &mut meshes, &ink, &layer, &col);
                }
                drawn.symbols.insert(s.id, e);
                changed = true;
            }
        }
    }
    // The border's colour and its troops follow tension.
    if (drawn.tension - view.tension).abs() > 0.01
        && let Some(mat) = drawn.border.clone()
        && let Some(mut m) = materials.get_mut(&mat)
    {
        m.color = border_colour(&col, view.tension, level.end.clash_at);
        drawn.tension = view.tension;
        changed = true;
    }
    let n = symbols::troops(view.tension, level.end.clash_at);
    if n != drawn.troops {
        for e in &troops {
            commands.entity(e).despawn();
        }
        spawn_troops(&mut commands, &level, n, &mut meshes, &ink, &layer);
        drawn.troops = n;
        changed = true;
    }
    for c in symbols::crowds(&view, &level) {
        let key = (c.side, c.index);
        if drawn.crowds.get(&key).is_some_and(|(old, _)| *old == c) {
            continue;
        }
        if let Some((_, e)) = drawn.crowds.remove(&key) {
            commands.entity(e).despawn();
        }
        let e = spawn_crowd(&mut commands, &c, &mut meshes, &ink, &layer, &col);
        commands.entity(e).insert(Pulse {
            kind: PulseKind::Appear,
            start: now,
        });
        drawn.crowds.insert(key, (c, e));
        changed = true;
    }
    for f in symbols::figures(&view, &level) {
        let i = f.side.idx();
        match drawn.leaders[i].take() {
            // The same leader: lean as approval says, and shake again if near a fall.
            Some((old, e)) if old.name == f.name => {
                if old != f
                    && let Ok(mut l) = leaders.get_mut(e)
                {
                    l.tilt = lean(&level, &f);
                    commands
                        .entity(l.stature)
                        .insert(Transform::from_scale(Vec3::splat(f.scale)));
                    changed = true;
                }
                if f.shaky {
                    commands.entity(e).insert(Shake { start: now });
                    changed = true;
                }
                drawn.leaders[i] = Some((f, e));
            }
            // A new leader: the old one topples, the new one rises.
            other => {
                if let Some((_, e)) = other {
                    commands.entity(e).insert(Topple { start: now });
                }
                let e = spawn_leader(&mut commands, &level, &f, &mut meshes, &ink, &layer, &col);
                commands.entity(e).insert(Pulse {
                    kind: PulseKind::Appear,
                    start: now,
                });
                if f.shaky {
                    commands.entity(e).insert(Shake { start: now });
                }
                drawn.leaders[i] = Some((f, e));
                changed = true;
            }
        }
    }
    if changed {
        redraw.write(bevy::window::RequestRedraw);
    }
}

/// The lean of a figure, away from the border.
fn lean(level: &PublicLevel, f: &Figure) -> f32 {
    let away = if level.map.capital(f.side).0 < level.map.along_border(0.5).0 {
        1.0
    } else {
        -1.0
    };
    f.tilt * away
}

/// A leader: a standing figure in the state's colour on a dark outline, feet at `f.at`.
fn spawn_leader(
    commands: &mut Commands,
    level: &PublicLevel,
    f: &Figure,
    meshes: &mut Assets<Mesh>,
    ink: &Handle<ColorMaterial>,
    layer: &RenderLayers,
    col: &Colours,
) -> Entity {
    let at = world(f.at);
    let fill = rgb(col.side[f.side.idx()]);
    let dark = Color::srgba(0.04, 0.04, 0.05, 0.8);
    let place = |x: f32, y: f32| Transform::from_xyz(x * PX, y * PX, 0.0);
    let mut figure = Sketch::default();
    figure
        .add(
            Rectangle::new(2.0 * PX, 3.8 * PX).into(),
            dark,
            place(0.0, 1.9),
        )
        .add(Circle::new(1.25 * PX).into(), dark, place(0.0, 4.4))
        .add(
            Rectangle::new(1.4 * PX, 3.2 * PX).into(),
            fill,
            place(0.0, 1.9),
        )
        .add(Circle::new(0.9 * PX).into(), fill, place(0.0, 4.4));
    let stature = commands
        .spawn((
            Mesh2d(meshes.add(figure.mesh())),
            MeshMaterial2d(ink.clone()),
            Transform::from_scale(Vec3::splat(f.scale)),
            layer.clone(),
        ))
        .id();
    commands
        .spawn((
            Transform::from_xyz(at.x, at.y, 3.6)
                .with_rotation(Quat::from_rotation_z(lean(level, f))),
            Visibility::default(),
            layer.clone(),
            SceneItem,
            LeaderOf {
                side: f.side,
                tilt: lean(level, f),
                stature,
            },
        ))
        .add_child(stature)
        .id()
}

/// What animating a leader reads and moves.
type LeaderParts<'a> = (
    Entity,
    &'a LeaderOf,
    &'a mut Transform,
    Option<&'a Shake>,
    Option<&'a Topple>,
);

/// Seconds a leader near a fall shakes after each move.
const SHAKE_SECS: f64 = 1.6;
/// Seconds a fallen leader takes to topple.
const TOPPLE_SECS: f64 = 1.2;

/// Lean the leaders, shake those near a fall and topple the fallen, asking for frames only
/// while one moves.
fn animate_leaders(
    mut commands: Commands,
    mut q: Query<LeaderParts>,
    time: Res<Time<Real>>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
    mut moving: ResMut<Moving>,
) {
    let now = time.elapsed_secs_f64();
    let mut running = false;
    for (e, l, mut tf, shake, topple) in &mut q {
        let mut angle = l.tilt;
        if let Some(s) = shake {
            let f = (now - s.start) / SHAKE_SECS;
            if f < 1.0 {
                angle += 0.2 * ((now - s.start) * 28.0).sin() as f32 * (1.0 - f as f32);
                running = true;
            } else {
                commands.entity(e).remove::<Shake>();
            }
        }
        if let Some(t) = topple {
            let f = ((now - t.start) / TOPPLE_SECS) as f32;
            if f >= 1.0 {
                commands.entity(e).despawn();
                continue;
            }
            let side = if l.tilt < 0.0 { -1.0 } else { 1.0 };
            angle = l.tilt + side * 1.5 * f * f;
            running = true;
        }
        let want = Quat::from_rotation_z(angle);
        if tf.rotation != want {
            tf.rotation = want;
        }
    }
    if moving.leaders != running {
        moving.leaders = running;
    }
    if running {
        redraw.write(bevy::window::RequestRedraw);
    }
}

/// A faction's crowd: a few people in a cluster, green when cheering, red when protesting.
fn spawn_crowd(
    commands: &mut Commands,
    c: &symbols::Crowd,
    meshes: &mut Assets<Mesh>,
    ink: &Handle<ColorMaterial>,
    layer: &RenderLayers,
    col: &Colours,
) -> Entity {
    let colour = rgb(match c.mood {
        symbols::Mood::Cheering => col.cheering,
        symbols::Mood::Calm => col.calm,
        symbols::Mood::Protesting => col.protesting,
    });
    let at = world(c.at);
    let mut people = Sketch::default();
    for k in 0..c.size {
        // Two rows, the front one lower.
        let (x, row) = ((k % 3) as f32, (k / 3) as f32);
        people.add(
            Circle::new(0.8 * PX).into(),
            colour,
            Transform::from_xyz((x - 1.0) * 1.8 * PX, row * 1.7 * PX, 0.0),
        );
    }
    commands
        .spawn((
            Mesh2d(meshes.add(people.mesh())),
            MeshMaterial2d(ink.clone()),
            Transform::from_xyz(at.x, at.y, 2.8),
            layer.clone(),
            SceneItem,
            CrowdOf,
        ))
        .id()
}

/// A commitment's symbol: a shape by its icon, in its state's colour.
fn spawn_symbol(
    commands: &mut Commands,
    s: &Symbol,
    meshes: &mut Assets<Mesh>,
    ink: &Handle<ColorMaterial>,
    layer: &RenderLayers,
    col: &Colours,
) -> Entity {
    let colour = rgb(col.side[s.by.idx()]);
    let at = world(s.at);
    let r = 2.3 * PX;
    let mesh: Mesh = match s.icon {
        MeasureIcon::Hotline => {
            let to = world(s.to.unwrap_or(s.at));
            let mut pts = vec![(0.0, 0.0), ((to.x - at.x) / PX, (to.y - at.y) / PX)];
            // Map units relative to the symbol's own position.
            for p in &mut pts {
                *p = (p.0 + map::WIDTH / 2.0, p.1 + map::HEIGHT / 2.0);
            }
            line_mesh(&pts, 0.35)
        }
        MeasureIcon::Monitoring => Rhombus::new(r * 1.3, r * 1.3).into(),
        MeasureIcon::Pullback => Triangle2d::new(
            Vec2::new(-r, -r * 0.6),
            Vec2::new(r, -r * 0.6),
            Vec2::new(0.0, r),
        )
        .into(),
        MeasureIcon::Corridor => Rectangle::new(r * 2.2, r * 0.8).into(),
        MeasureIcon::Commission => RegularPolygon::new(r, 6).into(),
        MeasureIcon::Trade => Circle::new(r * 0.8).into(),
        MeasureIcon::Legal => Rectangle::new(r * 1.3, r * 1.3).into(),
        MeasureIcon::Aid => Rectangle::new(r * 0.6, r * 1.8).into(),
        MeasureIcon::People => Annulus::new(r * 0.45, r * 0.85).into(),
        MeasureIcon::Statement => RegularPolygon::new(r * 0.8, 3).into(),
    };
    // Symbols that share a place always stack the same way.
    let z = if s.icon == MeasureIcon::Hotline {
        2.5
    } else {
        4.0
    } + (s.id % 256) as f32 * 1e-3;
    // A dark disc under the shape, so it reads on land and water alike; a hotline is a line.
    let mut sk = Sketch::default();
    if s.icon != MeasureIcon::Hotline {
        sk.add(
            Circle::new(r * 1.05).into(),
            Color::srgba(0.05, 0.05, 0.06, 0.55),
            Transform::default(),
        );
    }
    sk.add(mesh, colour, Transform::default());
    commands
        .spawn((
            Mesh2d(meshes.add(sk.mesh())),
            MeshMaterial2d(ink.clone()),
            Transform::from_xyz(at.x, at.y, z).with_scale(Vec3::splat(0.01)),
            layer.clone(),
            SceneItem,
            SymbolOf { broken: false },
        ))
        .id()
}

/// A red cross over a symbol whose breach was caught.
fn spawn_broken_mark(
    commands: &mut Commands,
    parent: Entity,
    meshes: &mut Assets<Mesh>,
    ink: &Handle<ColorMaterial>,
    layer: &RenderLayers,
    col: &Colours,
) {
    let mut cross = Sketch::default();
    for angle in [0.785f32, -0.785] {
        cross.add(
            Rectangle::new(5.0 * PX, 0.8 * PX).into(),
            rgb(col.broken),
            Transform::from_rotation(Quat::from_rotation_z(angle)),
        );
    }
    let mark = commands
        .spawn((
            Mesh2d(meshes.add(cross.mesh())),
            MeshMaterial2d(ink.clone()),
            Transform::from_xyz(0.0, 0.0, 0.5),
            layer.clone(),
        ))
        .id();
    commands.entity(parent).add_child(mark);
}

/// `n` dark marks of soldiers along the border, alternating sides of the line, in one draw.
fn spawn_troops(
    commands: &mut Commands,
    level: &PublicLevel,
    n: usize,
    meshes: &mut Assets<Mesh>,
    ink: &Handle<ColorMaterial>,
    layer: &RenderLayers,
) {
    if n == 0 {
        return;
    }
    let mut marks = Sketch::default();
    for i in 0..n {
        let t = (i as f32 + 0.5) / n as f32;
        let (x, y) = level.map.along_border(t);
        let dx = if i % 2 == 0 { -1.6 } else { 1.6 };
        let at = world((x + dx, y));
        marks.add(
            Triangle2d::new(
                Vec2::new(-0.7 * PX, -0.5 * PX),
                Vec2::new(0.7 * PX, -0.5 * PX),
                Vec2::new(0.0, 0.7 * PX),
            )
            .into(),
            Color::srgb(0.10, 0.10, 0.10),
            Transform::from_xyz(at.x, at.y, 0.0),
        );
    }
    commands.spawn((
        Mesh2d(meshes.add(marks.mesh())),
        MeshMaterial2d(ink.clone()),
        Transform::from_xyz(0.0, 0.0, 3.5),
        layer.clone(),
        SceneItem,
        Troop,
    ));
}

/// Run the symbols' animations, asking for frames only while one runs.
fn animate(
    mut commands: Commands,
    mut q: Query<(Entity, &Pulse, &mut Transform)>,
    time: Res<Time<Real>>,
    mut redraw: MessageWriter<bevy::window::RequestRedraw>,
    mut moving: ResMut<Moving>,
) {
    let now = time.elapsed_secs_f64();
    let mut running = false;
    for (e, p, mut tf) in &mut q {
        let f = ((now - p.start) / p.kind.seconds()).clamp(0.0, 1.0) as f32;
        let scale = match p.kind {
            PulseKind::Appear => f,
            PulseKind::Vanish => 1.0 - f,
            PulseKind::Caught => {
                1.0 + 0.6 * (f * std::f32::consts::PI * 3.0).sin().abs() * (1.0 - f)
            }
        };
        tf.scale = Vec3::splat(scale.max(0.01));
        if f >= 1.0 {
            if p.kind == PulseKind::Vanish {
                commands.entity(e).despawn();
            } else {
                tf.scale = Vec3::ONE;
                commands.entity(e).remove::<Pulse>();
            }
        } else {
            running = true;
        }
    }
    if moving.pulses != running {
        moving.pulses = running;
    }
    if running {
        redraw.write(bevy::window::RequestRedraw);
    }
}
