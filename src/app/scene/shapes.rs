//! The scene's shapes as meshes: outlines filled by ear clipping, lines as strips of a width.

use super::{PX, world};
use crate::sim::map::{self, Point};
use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Side;

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
