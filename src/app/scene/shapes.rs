//! The scene's shapes as meshes: outlines filled by ear clipping, lines as strips of a width,
//! and shapes of several colours gathered into one mesh ([`Sketch`]).

use super::{PX, world};
use crate::sim::map::{self, Point};
use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology, VertexAttributeValues};
use bevy::prelude::*;

/// Twice the signed area of the triangle a, b, c.
fn cross(a: Point, b: Point, c: Point) -> f32 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Triangles filling a simple outline (ear clipping), as indices into `pts`.
pub fn triangulate(pts: &[Point]) -> Vec<u32> {
    let n = pts.len();
    if n < 3 {
        return Vec::new();
    }
    let mut idx: Vec<usize> = (0..n).collect();
    if map::signed_area2(pts) < 0.0 {
        idx.reverse();
    }
    let mut out = Vec::with_capacity((n - 2) * 3);
    let mut guard = 0;
    while idx.len() > 3 && guard < n * n {
        guard += 1;
        let m = idx.len();
        let mut clipped = false;
        for i in 0..m {
            let (a, b, c) = (idx[(i + m - 1) % m], idx[i], idx[(i + 1) % m]);
            if cross(pts[a], pts[b], pts[c]) <= 0.0 {
                continue;
            }
            let inside = idx.iter().any(|&p| {
                p != a
                    && p != b
                    && p != c
                    && cross(pts[a], pts[b], pts[p]) >= 0.0
                    && cross(pts[b], pts[c], pts[p]) >= 0.0
                    && cross(pts[c], pts[a], pts[p]) >= 0.0
            });
            if inside {
                continue;
            }
            out.extend([a as u32, b as u32, c as u32]);
            idx.remove(i);
            clipped = true;
            break;
        }
        if !clipped {
            break;
        }
    }
    if idx.len() == 3 {
        out.extend(idx.iter().map(|&i| i as u32));
    }
    out
}

/// A filled outline.
pub(super) fn fill_mesh(pts: &[Point]) -> Mesh {
    let positions: Vec<[f32; 3]> = pts
        .iter()
        .map(|p| {
            let w = world(*p);
            [w.x, w.y, 0.0]
        })
        .collect();
    let mut mesh = Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    );
    mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, positions);
    mesh.insert_indices(Indices::U32(triangulate(pts)));
    mesh
}

/// A line of `width` map units along `pts`, one quad a segment with a joint at each point.
pub(super) fn line_mesh(pts: &[Point], width: f32) -> Mesh {
    let half = width * PX / 2.0;
    let mut positions: Vec<[f32; 3]> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();
    for w in pts.windows(2) {
        let (a, b) = (world(w[0]), world(w[1]));
        let n = (b - a).perp().normalize_or_zero() * half;
        let base = positions.len() as u32;
        for p in [a + n, a - n, b + n, b - n] {
            positions.push([p.x, p.y, 0.0]);
        }
        indices.extend([base, base + 1, base + 2, base + 1, base + 3, base + 2]);
    }
    // Round the joints with small squares turned to the line, enough at this width.
    for p in pts {
        let c = world(*p);
        let base = positions.len() as u32;
        for (dx, dy) in [(-half, -half), (half, -half), (half, half), (-half, half)] {
            positions.push([c.x + dx, c.y + dy, 0.0]);
        }
        indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
    }
    let mut mesh = Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    );
    mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, positions);
    mesh.insert_indices(Indices::U32(indices));
    mesh
}

/// Shapes of several colours gathered into one mesh, coloured by vertex and drawn at once: a
/// software renderer pays for every draw, and the map's 80-odd shapes were most of the cost
/// of drawing it. Shapes added later are drawn over earlier ones.
#[derive(Default)]
pub(super) struct Sketch {
    positions: Vec<[f32; 3]>,
    colours: Vec<[f32; 4]>,
    indices: Vec<u32>,
}

impl Sketch {
    /// Add `mesh` (a triangle list) in `colour`, placed by `at`.
    pub fn add(&mut self, mesh: Mesh, colour: Color, at: Transform) -> &mut Self {
        let Some(VertexAttributeValues::Float32x3(pts)) = mesh.attribute(Mesh::ATTRIBUTE_POSITION)
        else {
            return self;
        };
        let base = self.positions.len() as u32;
        let rgba = colour.to_linear().to_f32_array();
        for p in pts {
            let w = at.transform_point(Vec3::from_array(*p));
            // Depth comes from the entity: within a sketch, order alone decides what is on top.
            self.positions.push([w.x, w.y, 0.0]);
            self.colours.push(rgba);
        }
        match mesh.indices() {
            Some(ix) => self.indices.extend(ix.iter().map(|i| base + i as u32)),
            None => self.indices.extend(base..base + pts.len() as u32),
        }
        self
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// The shapes as one mesh.
    pub fn mesh(self) -> Mesh {
        let mut mesh = Mesh::new(
            PrimitiveTopology::TriangleList,
            RenderAssetUsages::default(),
        );
        mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, self.positions);
        mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, self.colours);
        mesh.insert_indices(Indices::U32(self.indices));
        mesh
    }
}

/// The material every sketch is drawn with: white, so the vertex colours show as they are, and
/// blended, for the translucent outlines.
pub(super) fn ink() -> ColorMaterial {
    ColorMaterial {
        color: Color::WHITE,
        alpha_mode: bevy::sprite_render::AlphaMode2d::Blend,
        ..default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Side;

    #[test]
    fn a_sketch_keeps_each_shape_its_place_and_colour() {
        let mut sk = Sketch::default();
        sk.add(
            Rectangle::new(2.0, 2.0).into(),
            Color::srgb(1.0, 0.0, 0.0),
            Transform::default(),
        )
        .add(
            Circle::new(1.0).into(),
            Color::srgba(0.0, 0.0, 1.0, 0.5),
            Transform::from_xyz(10.0, 5.0, 3.0),
        );
        let mesh = sk.mesh();
        let Some(VertexAttributeValues::Float32x3(pts)) = mesh.attribute(Mesh::ATTRIBUTE_POSITION)
        else {
            panic!("positions");
        };
        let Some(VertexAttributeValues::Float32x4(cols)) = mesh.attribute(Mesh::ATTRIBUTE_COLOR)
        else {
            panic!("colours");
        };
        assert_eq!(pts.len(), cols.len());
        // The square's four corners first, red; then the circle, blue and half clear, about
        // its new centre.
        assert!(
            pts[..4]
                .iter()
                .all(|p| p[0].abs() == 1.0 && p[1].abs() == 1.0)
        );
        assert!(cols[..4].iter().all(|c| *c == [1.0, 0.0, 0.0, 1.0]));
        assert!(pts[4..].iter().all(|p| {
            let d = Vec2::new(p[0] - 10.0, p[1] - 5.0).length();
            d <= 1.0 + 1e-4 && p[2] == 0.0
        }));
        assert!(cols[4..].iter().all(|c| c[2] == 1.0 && c[3] == 0.5));
        // Each shape's triangles index its own vertices.
        let ix: Vec<usize> = mesh.indices().unwrap().iter().collect();
        assert!(ix[..6].iter().all(|&i| i < 4));
        assert!(ix[6..].iter().all(|&i| (4..pts.len()).contains(&i)));
    }

    #[test]
    fn triangulation_covers_a_concave_outline_exactly() {
        // An L: area 3.
        let l = [
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (0.0, 2.0),
        ];
        let t = triangulate(&l);
        assert_eq!(t.len(), (l.len() - 2) * 3);
        let area: f32 = t
            .chunks(3)
            .map(|c| cross(l[c[0] as usize], l[c[1] as usize], l[c[2] as usize]).abs() / 2.0)
            .sum();
        assert!((area - 3.0).abs() < 1e-4, "{area}");
        // Every shipped-style outline, either way round.
        let m = map::MapDef::generated(["A", "B"]);
        for s in Side::BOTH {
            let mut pts = m.territory(s).to_vec();
            let want = map::signed_area2(&pts).abs() / 2.0;
            for _ in 0..2 {
                let t = triangulate(&pts);
                let got: f32 = t
                    .chunks(3)
                    .map(|c| {
                        cross(pts[c[0] as usize], pts[c[1] as usize], pts[c[2] as usize]).abs()
                            / 2.0
                    })
                    .sum();
                assert!((got - want).abs() < 1e-2 * want, "{got} vs {want}");
                pts.reverse();
            }
        }
    }
}
