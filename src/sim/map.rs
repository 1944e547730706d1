//! The region a level is about, as a map: the two territories, the line between them, the
//! water the quarrel is often about, and the named places where measures act.
//!
//! A level may draw its own map (the optional `map` block); a level without one gets a plain
//! generated map, so every level shows two countries. Coordinates are in a fixed space of
//! [`WIDTH`] by [`HEIGHT`] units, x to the east and y to the north, whatever the window's size.
//! Everything here is public: both sides see the same map.

use super::scenario::{Area, MeasureDef, Side};
use serde::{Deserialize, Serialize};

/// The map's extent, east-west.
pub const WIDTH: f32 = 100.0;
/// The map's extent, south-north.
pub const HEIGHT: f32 = 60.0;

/// A point on the map.
pub type Point = (f32, f32);

/// The region, as a level draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapDef {
    /// State A's territory: an outline of at least three points, in order around it.
    pub territory_a: Vec<Point>,
    /// State B's territory, likewise.
    pub territory_b: Vec<Point>,
    /// The line between the two states, drawn over the territories (optional).
    #[serde(default)]
    pub border: Vec<Point>,
    /// Rivers (lines), lakes and seas (outlines).
    #[serde(default)]
    pub water: Vec<WaterDef>,
    /// Named places: capitals, towns, posts, dams, ports, sites.
    #[serde(default)]
    pub places: Vec<PlaceDef>,
}

/// A river, lake or sea.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaterDef {
    pub name: String,
    pub kind: WaterKind,
    /// A river's course from source to mouth; a lake's or sea's outline.
    pub points: Vec<Point>,
}

/// What kind of water.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WaterKind {
    River,
    Lake,
    Sea,
}

impl WaterKind {
    /// Whether the points trace a line (a river) rather than an outline.
    pub fn is_line(self) -> bool {
        self == WaterKind::River
    }
}

/// A named place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceDef {
    /// What measures name in their `place`.
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub at: Point,
    /// The state it lies in; none for a shared or disputed place.
    #[serde(default)]
    pub side: Option<Side>,
}

/// What a place is, for its symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaceKind {
    Capital,
    Town,
    /// A border crossing or military post.
    Post,
    Dam,
    Port,
    /// Anything else worth naming: a shrine, a mine, a fishing ground.
    Site,
}

/// How a measure in force is drawn on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeasureIcon {
    /// A line between the two capitals (a hotline).
    Hotline,
    /// Monitoring posts along the border.
    Monitoring,
    /// A corridor or crossing.
    Corridor,
    /// Forces pulled back from the line.
    Pullback,
    /// A joint body: a commission, a council.
    Commission,
    /// Trade and money.
    Trade,
    /// A law, a court case, a treaty text.
    Legal,
    /// Aid and relief.
    Aid,
    /// People meeting people.
    People,
    /// Words: an apology, an acknowledgement.
    Statement,
}

impl MeasureIcon {
    /// The icon a measure gets when its level does not choose one: by its area.
    pub fn of_area(area: Area) -> MeasureIcon {
        match area {
            Area::Communication => MeasureIcon::Hotline,
            Area::Security => MeasureIcon::Pullback,
            Area::Economic => MeasureIcon::Trade,
            Area::Humanitarian => MeasureIcon::Aid,
            Area::Legal => MeasureIcon::Legal,
            Area::PeopleToPeople => MeasureIcon::People,
            Area::Concession => MeasureIcon::Statement,
        }
    }

    /// The icon of a measure: its own, else its area's.
    pub fn of(m: &MeasureDef) -> MeasureIcon {
        m.icon.unwrap_or_else(|| MeasureIcon::of_area(m.area))
    }
}

impl MapDef {
    /// The plain map of a level that draws none: two halves with a bent line between them
    /// and each capital in the middle of its half.
    pub fn generated(names: [&str; 2]) -> MapDef {
        let border: Vec<Point> = vec![
            (50.0, HEIGHT),
            (53.0, 48.0),
            (47.0, 36.0),
            (52.0, 24.0),
            (48.0, 12.0),
            (50.0, 0.0),
        ];
        let mut a = vec![(0.0, 0.0), (0.0, HEIGHT)];
        a.extend(border.iter().copied());
        let mut b: Vec<Point> = border.iter().rev().copied().collect();
        b.extend([(WIDTH, HEIGHT), (WIDTH, 0.0)]);
        MapDef {
            territory_a: a,
            territory_b: b,
            border,
            water: Vec::new(),
            places: vec![
                PlaceDef {
                    id: "capital_a".into(),
                    name: format!("{} capital", names[0]),
                    kind: PlaceKind::Capital,
                    at: (22.0, 32.0),
                    side: Some(Side::A),
                },
                PlaceDef {
                    id: "capital_b".into(),
                    name: format!("{} capital", names[1]),
                    kind: PlaceKind::Capital,
                    at: (78.0, 28.0),
                    side: Some(Side::B),
                },
            ],
        }
    }

    /// A place by id.
    pub fn place(&self, id: &str) -> Option<&PlaceDef> {
        self.places.iter().find(|p| p.id == id)
    }

    /// A side's capital: its first place of kind `Capital`, else the middle of its territory.
    pub fn capital(&self, side: Side) -> Point {
        self.places
            .iter()
            .find(|p| p.kind == PlaceKind::Capital && p.side == Some(side))
            .map(|p| p.at)
            .unwrap_or_else(|| centroid(self.territory(side)))
    }

    /// A side's outline.
    pub fn territory(&self, side: Side) -> &[Point] {
        match side {
            Side::A => &self.territory_a,
            Side::B => &self.territory_b,
        }
    }

    /// A point on the line between the states, `t` of the way along it (0..1); the midpoint of
    /// the capitals when the map draws no line.
    pub fn along_border(&self, t: f32) -> Point {
        along(&self.border, t).unwrap_or_else(|| {
            let (a, b) = (self.capital(Side::A), self.capital(Side::B));
            ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
        })
    }
}

/// The point `t` of the way along a polyline, by length; `None` for fewer than two points.
pub fn along(line: &[Point], t: f32) -> Option<Point> {
    if line.len() < 2 {
        return None;
    }
    let seg = |i: usize| {
        let (a, b) = (line[i], line[i + 1]);
        ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt()
    };
    let total: f32 = (0..line.len() - 1).map(seg).sum();
    let mut left = t.clamp(0.0, 1.0) * total;
    for i in 0..line.len() - 1 {
        let l = seg(i);
        if left <= l || i == line.len() - 2 {
            let f = if l > 0.0 { (left / l).min(1.0) } else { 0.0 };
            let (a, b) = (line[i], line[i + 1]);
            return Some((a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f));
        }
        left -= l;
    }
    line.last().copied()
}

/// The mean of an outline's points (good enough to place a label inside a plain shape).
pub fn centroid(points: &[Point]) -> Point {
    if points.is_empty() {
        return (WIDTH / 2.0, HEIGHT / 2.0);
    }
    let n = points.len() as f32;
    let (x, y) = points
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p.0, y + p.1));
    (x / n, y / n)
}

/// Twice the signed area of an outline (positive when its points run anticlockwise).
pub fn signed_area2(points: &[Point]) -> f32 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_map_has_two_territories_that_meet_at_the_line() {
        let m = MapDef::generated(["North", "South"]);
        for s in Side::BOTH {
            assert!(m.territory(s).len() >= 3);
            assert!(signed_area2(m.territory(s)).abs() > 100.0);
            assert!(m.border.iter().all(|p| m.territory(s).contains(p)));
        }
        assert!(m.capital(Side::A).0 < m.along_border(0.5).0);
        assert!(m.capital(Side::B).0 > m.along_border(0.5).0);
    }

    #[test]
    fn along_walks_a_line_by_length() {
        let line = [(0.0, 0.0), (10.0, 0.0), (10.0, 30.0)];
        assert_eq!(along(&line, 0.0), Some((0.0, 0.0)));
        assert_eq!(along(&line, 1.0), Some((10.0, 30.0)));
        assert_eq!(along(&line, 0.25), Some((10.0, 0.0)));
        assert_eq!(along(&line, 0.5), Some((10.0, 10.0)));
        assert_eq!(along(&line[..1], 0.5), None);
    }
}
