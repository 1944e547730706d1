//! The optional `map` block, and the `place` each measure may name on it.

use super::{Checker, ErrorKind, Place};
use crate::sim::map::{self, MapDef, PlaceDef, Point, WaterDef};
use crate::sim::scenario::Scenario;

/// The map's own fields, then every measure's `place`.
pub(super) fn check_map(c: &mut Checker, sc: &Scenario) {
    let root = Place::root().field("map");
    if let Some(m) = &sc.map {
        check_def(c, &root, m);
    }
    for (i, m) in sc.measures.iter().enumerate() {
        let Some(place) = &m.place else {
            continue;
        };
        let p = Place::root().field("measures").index(i).field("place");
        match &sc.map {
            None => c.err(
                &p,
                ErrorKind::UnknownName,
                format!(
                    "names the place '{place}', but the level has no `map` block to hold it; add a map with a place of that id, or leave `place` out"
                ),
            ),
            Some(def) if def.place(place).is_none() => {
                let known: Vec<&str> = def.places.iter().map(|p| p.id.as_str()).collect();
                c.err(
                    &p,
                    ErrorKind::UnknownName,
                    format!(
                        "no place of the map has the id '{place}' (the map's places: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

fn check_def(c: &mut Checker, root: &Place, m: &MapDef) {
    let MapDef {
        territory_a,
        territory_b,
        border,
        water,
        places,
    } = m;
    outline(c, &root.field("territory_a"), territory_a);
    outline(c, &root.field("territory_b"), territory_b);
    if !border.is_empty() {
        line(c, &root.field("border"), border);
    }
    for (i, w) in water.iter().enumerate() {
        let WaterDef {
            name: _,
            kind,
            points,
        } = w;
        let p = root.item("water", i).field("points");
        if kind.is_line() {
            line(c, &p, points);
        } else {
            outline(c, &p, points);
        }
    }
    c.ids(&root.field("places"), places.iter().map(|p| &p.id));
    for (i, pl) in places.iter().enumerate() {
        let PlaceDef {
            id: _,
            name,
            kind: _,
            at,
            side: _,
        } = pl;
        let p = root.item("places", i);
        if name.trim().is_empty() {
            c.err(
                &p.field("name"),
                ErrorKind::Inconsistent,
                "a place needs a name to show on the map",
            );
        }
        point(c, &p.field("at"), *at);
    }
}

/// A point must lie on the map.
fn point(c: &mut Checker, p: &Place, (x, y): Point) -> bool {
    let ok_x = c.finite(p, x);
    let ok_y = c.finite(p, y);
    if !(ok_x && ok_y) {
        return false;
    }
    if !(0.0..=map::WIDTH).contains(&x) || !(0.0..=map::HEIGHT).contains(&y) {
        c.err(
            p,
            ErrorKind::OutOfRange,
            format!(
                "({x}, {y}) lies off the map: x runs from 0 (west) to {} (east), y from 0 (south) to {} (north)",
                map::WIDTH,
                map::HEIGHT
            ),
        );
        return false;
    }
    true
}

fn points(c: &mut Checker, p: &Place, pts: &[Point]) -> bool {
    let mut ok = true;
    for (i, pt) in pts.iter().enumerate() {
        ok &= point(c, &p.index(i), *pt);
    }
    ok
}

/// A line needs two points or more.
fn line(c: &mut Checker, p: &Place, pts: &[Point]) {
    if pts.len() < 2 {
        c.err(
            p,
            ErrorKind::Inconsistent,
            format!("a line needs at least 2 points, got {}", pts.len()),
        );
    }
    points(c, p, pts);
}

/// An outline needs three points or more that enclose some ground.
fn outline(c: &mut Checker, p: &Place, pts: &[Point]) {
    if pts.len() < 3 {
        c.err(
            p,
            ErrorKind::Inconsistent,
            format!("an outline needs at least 3 points, got {}", pts.len()),
        );
        return;
    }
    if points(c, p, pts) && map::signed_area2(pts).abs() < 1e-3 {
        c.err(
            p,
            ErrorKind::Inconsistent,
            "the outline's points lie on one line, so it encloses no ground",
        );
    }
}
