//! What the map shows of a side's view, as plain data: one symbol for each commitment in force,
//! where it works and whether it was caught broken. Pure, so it is tested without a window;
//! it reads only the view and the public level, so a side's map shows nothing private.

use crate::sim::map::{self, MeasureIcon, Point};
use crate::sim::{PublicLevel, Side, SideView};

/// One commitment in force, as the map draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    /// The commitment's id: what ties the symbol to it from frame to frame.
    pub id: u32,
    pub icon: MeasureIcon,
    pub by: Side,
    /// Where it is drawn.
    pub at: Point,
    /// For a hotline: the far end of the line.
    pub to: Option<Point>,
    /// Caught broken at least once (public to both sides).
    pub broken: bool,
    pub name: String,
}

/// How close to the clash line tension may come before the border fills with troops.
pub const ALARM_MARGIN: f32 = 20.0;

/// Military symbols along the border for a tension: none while calm, up to eight near a clash.
pub fn troops(tension: f32, clash_at: f32) -> usize {
    let from = clash_at - ALARM_MARGIN;
    if tension < from || ALARM_MARGIN <= 0.0 {
        return 0;
    }
    (1.0 + 7.0 * ((tension - from) / ALARM_MARGIN).clamp(0.0, 1.0)).round() as usize
}

/// The symbols of every commitment in `view`, placed on the level's map.
pub fn symbols(view: &SideView, level: &PublicLevel) -> Vec<Symbol> {
    let map = &level.map;
    let mut along = 0usize;
    let mut near = [0usize; 2];
    let mut out: Vec<Symbol> = view
        .commitments
        .iter()
        .filter_map(|c| {
            let (_, m) = level.measure(&c.measure)?;
            let icon = MeasureIcon::of(m);
            let mut to = None;
            let at = match m.place.as_deref().and_then(|p| map.place(p)) {
                Some(p) => p.at,
                None => match icon {
                    MeasureIcon::Hotline => {
                        to = Some(map.capital(c.by.other()));
                        map.capital(c.by)
                    }
                    MeasureIcon::Monitoring | MeasureIcon::Pullback => {
                        // Spread along the line, away from its ends.
                        along += 1;
                        map.along_border((0.15 + 0.17 * along as f32) % 0.9 + 0.05)
                    }
                    _ => {
                        let k = &mut near[c.by.idx()];
                        *k += 1;
                        let (x, y) = map.capital(c.by);
                        let turn = *k as f32 * 2.1;
                        (x + 6.0 * turn.cos(), y + 5.0 * turn.sin())
                    }
                },
            };
            Some(Symbol {
                id: c.id,
                icon,
                by: c.by,
                at,
                to,
                broken: c.caught > 0,
                name: m.name.clone(),
            })
        })
        .collect();
    spread(&mut out);
    out
}

/// Map units within which two symbols would cover each other.
const CLOSE: f32 = 1.5;

/// Set apart symbols that would stand on one another (both sides' pledges at one place, both
/// hotlines between the capitals): the later ones move round the spot, or run beside the line.
fn spread(symbols: &mut [Symbol]) {
    let near = |a: Point, b: Point| (a.0 - b.0).hypot(a.1 - b.1) < CLOSE;
    for i in 1..symbols.len() {
        let (before, rest) = symbols.split_at_mut(i);
        let s = &mut rest[0];
        let k = before
            .iter()
            .filter(|o| match (o.to, s.to) {
                (None, None) => near(o.at, s.at),
                (Some(ot), Some(st)) => {
                    (near(o.at, s.at) && near(ot, st)) || (near(o.at, st) && near(ot, s.at))
                }
                _ => false,
            })
            .count();
        if k == 0 {
            continue;
        }
        let k = k as f32;
        match s.to {
            Some(to) => {
                let (dx, dy) = (to.0 - s.at.0, to.1 - s.at.1);
                let len = dx.hypot(dy).max(1e-3);
                let (nx, ny) = (-dy / len * 0.9 * k, dx / len * 0.9 * k);
                s.at = (s.at.0 + nx, s.at.1 + ny);
                s.to = Some((to.0 + nx, to.1 + ny));
            }
            None => {
                let turn = k * 2.4;
                // Kept inside the picture.
                s.at = (
                    (s.at.0 + 5.0 * turn.cos()).clamp(3.0, map::WIDTH - 3.0),
                    (s.at.1 + 5.0 * turn.sin()).clamp(3.0, map::HEIGHT - 3.0),
                );
            }
        }
    }
}

/// How a faction's crowd looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mood {
    /// Approval of 60 or more.
    Cheering,
    Calm,
    /// Approval under 40.
    Protesting,
}

/// One faction as a crowd in its state: bigger the more it approves.
#[derive(Debug, Clone, PartialEq)]
pub struct Crowd {
    pub side: Side,
    /// The faction's place in its state's list.
    pub index: usize,
    pub at: Point,
    /// People in the crowd, 1 to 6.
    pub size: usize,
    pub mood: Mood,
}

/// Every faction of both states as a crowd around its capital, from public approval only.
pub fn crowds(view: &SideView, level: &PublicLevel) -> Vec<Crowd> {
    let mut out = Vec::new();
    for side in Side::BOTH {
        let public = if side == view.side {
            &view.me
        } else {
            &view.them
        };
        let (cx, cy) = level.map.capital(side);
        let n = public.factions.len().max(1) as f32;
        for (i, f) in public.factions.iter().enumerate() {
            // A ring around the capital, turned so the first crowd stands away from the border.
            let away = if level.map.capital(side).0 < level.map.along_border(0.5).0 {
                std::f32::consts::PI
            } else {
                0.0
            };
            let turn = away + (i as f32 - (n - 1.0) / 2.0) * (3.6 / n.max(2.0));
            let at = (
                (cx + 11.0 * turn.cos()).clamp(2.0, crate::sim::map::WIDTH - 2.0),
                (cy + 11.0 * turn.sin()).clamp(2.0, crate::sim::map::HEIGHT - 2.0),
            );
            let mood = if f.approval >= 60.0 {
                Mood::Cheering
            } else if f.approval < 40.0 {
                Mood::Protesting
            } else {
                Mood::Calm
            };
            out.push(Crowd {
                side,
                index: i,
                at,
                size: (1.0 + f.approval.clamp(0.0, 100.0) / 20.0).floor().min(6.0) as usize,
                mood,
            });
        }
    }
    out
}

/// How near its own ouster line (in points of approval) the viewer's leader starts to shake.
pub const SHAKY_MARGIN: f32 = 8.0;
/// The other state's ouster line is its own secret: its leader shakes when its public approval
/// falls under this, which anyone may see.
pub const SHAKY_PUBLIC: f32 = 30.0;

/// A state's leader on the map: standing by the capital, taller and straighter the more the
/// public approves, shaking near a fall.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub side: Side,
    pub name: String,
    /// Where the figure's feet are.
    pub at: Point,
    /// 0.7 (no approval) to 1.3 (full approval).
    pub scale: f32,
    /// How far the figure leans, in radians: none from half approval up, 0.5 at none.
    pub tilt: f32,
    pub shaky: bool,
}

/// Both leaders as the viewer may see them: public approval, and the viewer's own ouster line
/// for the viewer's leader only.
pub fn figures(view: &SideView, level: &PublicLevel) -> Vec<Figure> {
    Side::BOTH
        .into_iter()
        .map(|side| {
            let public = if side == view.side {
                &view.me
            } else {
                &view.them
            };
            let a = public.approval.clamp(0.0, 100.0);
            let shaky = if side == view.side {
                a < view.private.ouster_below + SHAKY_MARGIN
            } else {
                a < SHAKY_PUBLIC
            };
            let (x, y) = level.map.capital(side);
            Figure {
                side,
                name: public.leader.clone(),
                at: (x, y + 1.5),
                scale: 0.7 + 0.6 * a / 100.0,
                tilt: ((50.0 - a) / 100.0).max(0.0),
                shaky,
            }
        })
        .collect()
}
