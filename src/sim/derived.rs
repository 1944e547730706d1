//! Work derived from a scenario on first use (the frontier, normalised priorities, lookups by
//! id, shared texts) and shared by every match on it.

use super::hash::fnv1a;
use super::public::PublicLevel;
use super::scenario::{Area, FactionDef, MeasureDef, NewsKind, Requirement, Scenario, Side};
use super::scoring::Frontier;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// Values computed from a scenario on first use. Never part of equality or the file format, and
/// a clone starts afresh: a copy of a level that is then changed can never keep stale values.
/// A level changed in place after use would keep them, so edits are made on a clone.
#[derive(Debug, Default)]
pub struct Derived {
    public: OnceLock<Arc<PublicLevel>>,
    hash: OnceLock<String>,
    frontier: OnceLock<Frontier>,
    weights: OnceLock<[[f32; 7]; 2]>,
    candidates: OnceLock<Vec<(usize, Side)>>,
    measure_ids: OnceLock<super::hash::ById>,
    requirements: OnceLock<Vec<Vec<Needs>>>,
    prerequisites: OnceLock<Option<Vec<Prerequisites>>>,
    headlines_for: OnceLock<Vec<Vec<usize>>>,
    ranges: OnceLock<[(f32, f32); 2]>,
    factions: OnceLock<[Arc<[FactionDef]>; 2]>,
    briefs: OnceLock<[Arc<str>; 2]>,
    shares: OnceLock<[Arc<BTreeMap<Area, f32>>; 2]>,
    shared_ids: OnceLock<Vec<Arc<str>>>,
    shared_index: OnceLock<super::hash::ByAddress>,
    rates: OnceLock<[Arc<[FactionRates]>; 2]>,
    names: OnceLock<[SharedNames; 2]>,
}

/// A side's name and its factions' names, shared between views.
pub type SharedNames = (Arc<str>, Vec<Arc<str>>);

/// A faction's approval change per unit of burden it sees its own side take on (`gives`) and
/// per unit of value it sees its side receive (`gets`), by `Area as usize`.
pub type FactionRates = ([f32; 7], [f32; 7]);

/// A faction's reactions by area, as tables.
pub fn rates_of(f: &FactionDef) -> FactionRates {
    let table = |t: &BTreeMap<Area, f32>| Area::ALL.map(|a| t.get(&a).copied().unwrap_or(0.0));
    (table(&f.gives), table(&f.gets))
}

/// A prerequisite resolved to indices, for quick checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Measure(usize),
    Phase(usize),
    /// Names nothing in the level (the level check refuses this).
    Unknown,
}

/// A measure's prerequisites as one test: the measures that must be in force (a bit per
/// measure), the phase the relationship must have reached, and whether one of them names
/// nothing. Which commitments can be tabled is asked before every move in talks, so the test
/// costs a few instructions instead of a walk over the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prerequisites {
    measures: u64,
    phase: usize,
    never: bool,
}

impl Prerequisites {
    /// Whether they are met with the measures in `in_force` (a bit per measure) in force and
    /// the relationship in `phase`.
    pub fn met(&self, in_force: u64, phase: usize) -> bool {
        !self.never && self.measures & !in_force == 0 && phase >= self.phase
    }
}

impl Clone for Derived {
    fn clone(&self) -> Self {
        Derived::default()
    }
}

impl PartialEq for Derived {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Scenario {
    /// The public part of the level, built once and shared by every seat.
    pub fn public(&self) -> &Arc<PublicLevel> {
        self.derived
            .public
            .get_or_init(|| Arc::new(PublicLevel::of(self)))
    }

    /// A hash of everything the level says (16 hex digits), so a record or a remote seat can
    /// tell whether it meets the same level it was made on.
    pub fn content_hash(&self) -> String {
        self.derived
            .hash
            .get_or_init(|| {
                let bytes = serde_json::to_vec(self).unwrap_or_default();
                format!("{:016x}", fnv1a(&bytes))
            })
            .clone()
    }

    /// Index of a measure by id.
    pub fn measure_index(&self, id: &str) -> Option<usize> {
        self.derived
            .measure_ids
            .get_or_init(|| super::hash::ById::new(self.measures.iter().map(|m| m.id.as_str())))
            .get(id)
    }

    /// Measure `i`'s id, shared so views can hand it out without copying the text.
    pub fn shared_id(&self, i: usize) -> Arc<str> {
        self.shared_ids()[i].clone()
    }

    /// Every measure's shared id, by index (see [`Scenario::shared_id`]).
    pub(crate) fn shared_ids(&self) -> &[Arc<str>] {
        self.derived
            .shared_ids
            .get_or_init(|| self.measures.iter().map(|m| m.id.as_str().into()).collect())
    }

    /// The index of a measure id handed out by [`Scenario::shared_id`], found by its address
    /// (no hashing of the text); `None` for any other string.
    pub fn shared_index(&self, id: &Arc<str>) -> Option<usize> {
        self.derived
            .shared_index
            .get_or_init(|| {
                super::hash::ByAddress::new(
                    (0..self.measures.len()).map(|i| self.shared_id(i).as_ptr() as usize),
                )
            })
            .get(id.as_ptr() as usize)
    }

    /// The best joint outcomes the catalogue allows, worked out once.
    pub fn frontier(&self) -> &Frontier {
        self.derived
            .frontier
            .get_or_init(|| super::scoring::frontier(self))
    }

    /// Prerequisites of measure `i`, resolved to indices.
    pub fn requirements(&self, i: usize) -> &[Needs] {
        &self.derived.requirements.get_or_init(|| {
            resolve_requirements(
                &self.measures,
                |id| self.measure_index(id),
                |id| self.phase_index(id),
            )
        })[i]
    }

    /// Each measure's prerequisites as one test, for a catalogue of at most 64 measures (a bit
    /// each); `None` for a larger one.
    pub(crate) fn prerequisites(&self) -> Option<&[Prerequisites]> {
        self.derived
            .prerequisites
            .get_or_init(|| {
                (self.measures.len() <= 64).then(|| {
                    (0..self.measures.len())
                        .map(|i| {
                            self.requirements(i).iter().fold(
                                Prerequisites::default(),
                                |mut p, r| {
                                    match *r {
                                        Needs::Measure(m) => p.measures |= 1 << m,
                                        Needs::Phase(ph) => p.phase = p.phase.max(ph),
                                        Needs::Unknown => p.never = true,
                                    }
                                    p
                                },
                            )
                        })
                        .collect()
                })
            })
            .as_deref()
    }

    /// The headline templates outlet `outlet` may print for a story of kind `kind`, in the
    /// level's order: the press picks one for every story it runs, headless runs included (the
    /// draw of chance is the same whether or not the line is worded).
    pub(crate) fn headlines_for(&self, outlet: usize, kind: NewsKind) -> &[usize] {
        const KINDS: usize = NewsKind::Quiet as usize + 1;
        let all = self.derived.headlines_for.get_or_init(|| {
            let mut all = vec![Vec::new(); self.outlets.len() * KINDS];
            for (o, out) in self.outlets.iter().enumerate() {
                for (i, h) in self.headlines.iter().enumerate() {
                    if h.outlet.as_ref().is_none_or(|id| *id == out.id) {
                        all[o * KINDS + h.kind as usize].push(i);
                    }
                }
            }
            all
        });
        &all[outlet * KINDS + kind as usize]
    }

    /// Every commitment the catalogue allows: (measure index, undertaker).
    pub fn candidates(&self) -> &[(usize, Side)] {
        self.derived
            .candidates
            .get_or_init(|| super::scoring::candidates(self))
    }

    /// Each side's lowest and highest raw utility over the catalogue.
    pub fn ranges(&self) -> [(f32, f32); 2] {
        *self
            .derived
            .ranges
            .get_or_init(|| Side::BOTH.map(|s| super::scoring::utility_range(self, s)))
    }

    /// A side's private brief, shared so views can hand it out without copying.
    pub fn brief(&self, side: Side) -> Arc<str> {
        self.shared_brief(side).clone()
    }

    /// The same, borrowed.
    pub(crate) fn shared_brief(&self, side: Side) -> &Arc<str> {
        &self.derived.briefs.get_or_init(|| {
            [
                self.side_a.brief.as_str().into(),
                self.side_b.brief.as_str().into(),
            ]
        })[side.idx()]
    }

    /// A side's priorities as shares summing to 1, shared so views can hand them out without
    /// rebuilding them.
    pub fn priority_shares(&self, side: Side) -> Arc<BTreeMap<Area, f32>> {
        self.shared_priorities(side).clone()
    }

    /// The same, borrowed.
    pub(crate) fn shared_priorities(&self, side: Side) -> &Arc<BTreeMap<Area, f32>> {
        &self.derived.shares.get_or_init(|| {
            Side::BOTH.map(|s| {
                let p = &self.side(s).priorities;
                let total: f32 = p.values().map(|w| w.max(0.0)).sum::<f32>().max(1e-6);
                Arc::new(p.iter().map(|(a, w)| (*a, w.max(0.0) / total)).collect())
            })
        })[side.idx()]
    }

    /// A side's name and its factions' names, shared so views can hand them out without
    /// copying the text.
    pub fn shared_names(&self, side: Side) -> &SharedNames {
        &self.derived.names.get_or_init(|| {
            Side::BOTH.map(|s| {
                let d = self.side(s);
                (
                    d.name.as_str().into(),
                    d.factions.iter().map(|f| f.name.as_str().into()).collect(),
                )
            })
        })[side.idx()]
    }

    /// Each of a side's factions' reactions by area, as tables (for quick sums), shared so
    /// views can hand them out without rebuilding them.
    pub fn faction_rates(&self, side: Side) -> &Arc<[FactionRates]> {
        &self.derived.rates.get_or_init(|| {
            Side::BOTH.map(|s| self.side(s).factions.iter().map(rates_of).collect())
        })[side.idx()]
    }

    /// Each side's factions, shared so views can hand them out without copying.
    pub fn factions(&self, side: Side) -> Arc<[FactionDef]> {
        self.shared_factions(side).clone()
    }

    /// The same, borrowed.
    pub(crate) fn shared_factions(&self, side: Side) -> &Arc<[FactionDef]> {
        &self.derived.factions.get_or_init(|| {
            [
                self.side_a.factions.clone().into(),
                self.side_b.factions.clone().into(),
            ]
        })[side.idx()]
    }

    /// Each side's private priorities, normalised to sum to 1, indexed by `Area as usize`.
    pub fn weights(&self) -> &[[f32; 7]; 2] {
        self.derived.weights.get_or_init(|| {
            Side::BOTH.map(|s| {
                let p = &self.side(s).priorities;
                let total: f32 = p.values().map(|w| w.max(0.0)).sum();
                Area::ALL.map(|a| {
                    if total <= 0.0 {
                        1.0 / 7.0
                    } else {
                        p.get(&a).copied().unwrap_or(0.0).max(0.0) / total
                    }
                })
            })
        })
    }
}

/// Every measure's prerequisites resolved to indices, given how to find a measure and a phase
/// by id (shared by a level and its public part).
pub fn resolve_requirements(
    measures: &[MeasureDef],
    measure: impl Fn(&str) -> Option<usize>,
    phase: impl Fn(&str) -> Option<usize>,
) -> Vec<Vec<Needs>> {
    measures
        .iter()
        .map(|m| {
            m.requires
                .iter()
                .map(|r| match r {
                    Requirement::Measure(id) => {
                        measure(id.as_str()).map_or(Needs::Unknown, Needs::Measure)
                    }
                    Requirement::Phase(id) => {
                        phase(id.as_str()).map_or(Needs::Unknown, Needs::Phase)
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tutorial() -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("levels/tutorial.ron");
        crate::level::load(&path).expect("the tutorial loads")
    }

    /// The edits the test makes to a copy: a measure's value, a priority and a measure's id.
    fn edit(sc: &mut Scenario) {
        sc.measures[1].value += 5.0;
        sc.side_a.priorities.insert(Area::Concession, 0.9);
        sc.measures[0].id = "red_phone".into();
    }

    #[test]
    fn a_changed_clone_derives_afresh_and_the_original_keeps_its_values() {
        let original = tutorial();
        // Warm every cache first: a stale copy would show exactly these.
        let frontier = original.frontier().clone();
        let weights = *original.weights();
        let ranges = original.ranges();
        let hash = original.content_hash();
        let hotline = original.measure_index("hotline");
        let market = original.measure_index("lakeside_market").unwrap();
        let needs = original.requirements(market).to_vec();
        assert_eq!(hotline, Some(0));
        assert_eq!(needs, [Needs::Measure(0)]);
        assert_eq!(&*original.public().measures[0].id, "hotline");
        assert_eq!(&*original.shared_id(0), "hotline");

        let mut copy = original.clone();
        edit(&mut copy);
        // What the edited level derives when nothing was ever cached.
        let mut fresh = tutorial();
        edit(&mut fresh);

        assert_ne!(*copy.frontier(), frontier);
        assert_eq!(*copy.frontier(), super::super::scoring::frontier(&fresh));
        assert_ne!(copy.ranges(), ranges);
        assert_eq!(copy.ranges(), fresh.ranges());
        assert_ne!(copy.weights()[0], weights[0]);
        assert_eq!(copy.weights()[1], weights[1]);
        assert_eq!(*copy.weights(), *fresh.weights());
        assert!(copy.priority_shares(Side::A)[&Area::Concession] > weights[0][0]);
        assert_eq!(copy.measure_index("hotline"), None);
        assert_eq!(copy.measure_index("red_phone"), Some(0));
        assert_eq!(copy.requirements(market), [Needs::Unknown]);
        assert_eq!(&*copy.shared_id(0), "red_phone");
        assert_eq!(copy.shared_index(&copy.shared_id(0)), Some(0));
        assert_eq!(&*copy.public().measures[0].id, "red_phone");
        assert_eq!(copy.public().measure_index("red_phone"), Some(0));
        assert_ne!(copy.content_hash(), hash);
        assert_eq!(copy.content_hash(), fresh.content_hash());

        assert_eq!(*original.frontier(), frontier);
        assert_eq!(original.ranges(), ranges);
        assert_eq!(*original.weights(), weights);
        assert_eq!(original.content_hash(), hash);
        assert_eq!(original.measure_index("hotline"), hotline);
        assert_eq!(original.measure_index("red_phone"), None);
        assert_eq!(original.requirements(market), needs);
        assert_eq!(&*original.shared_id(0), "hotline");
        assert_eq!(original.shared_index(&copy.shared_id(0)), None);
        assert_eq!(&*original.public().measures[0].id, "hotline");
    }
}
