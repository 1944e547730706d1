//! The public part of a level: what every seat may read, built once when a level loads. It holds
//! nothing private of either side (no brief, priorities, factions' weights or reactions,
//! ratification or ouster thresholds), so a counterpart or a remote client that holds only this
//! and its own view cannot reach the other side's secrets even by mistake.

use super::scenario::{
    AiDef, EndDef, EventDef, HeadlineDef, MeasureDef, MediatorDef, Needs, OutletDef, PhaseDef,
    Scenario, Side, StartDef,
};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// A faction as the level introduces it to everyone: its name and where its approval starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicFactionDef {
    pub id: String,
    pub name: String,
    pub approval: f32,
}

/// A state as the level introduces it to everyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicSideDef {
    pub id: String,
    pub name: String,
    pub leader: String,
    pub factions: Vec<PublicFactionDef>,
    pub capital: f32,
    pub capital_per_round: f32,
    pub max_capital: f32,
    pub economy: f32,
    pub security: f32,
}

/// Everything of a level that both sides, the press and a spectator may know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicLevel {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The shared history, shown to both players.
    pub history: String,
    pub rounds: u32,
    pub exchanges: u32,
    pub event_chance: f32,
    pub start: StartDef,
    /// State A, then state B.
    pub sides: [PublicSideDef; 2],
    pub phases: Vec<PhaseDef>,
    pub measures: Vec<MeasureDef>,
    pub events: Vec<EventDef>,
    pub outlets: Vec<OutletDef>,
    pub headlines: Vec<HeadlineDef>,
    pub end: EndDef,
    pub ai: AiDef,
    pub observers: Option<String>,
    pub mediator: Option<MediatorDef>,
    /// The region's map: the level's own, or the generated one.
    pub map: super::map::MapDef,
    /// The level's content hash ([`Scenario::content_hash`]): two machines agree they play the
    /// same level only if this matches.
    pub hash: String,
    #[serde(skip)]
    index: Index,
}

/// Lookups worked out once. A clone starts afresh, so they can never describe another level.
#[derive(Debug, Default)]
struct Index {
    /// The ids the level's views hand out, so a view's id is found by its address.
    shared: OnceLock<Vec<Arc<str>>>,
    by_ptr: OnceLock<super::hash::ByAddress>,
    by_id: OnceLock<super::hash::ById>,
    requirements: OnceLock<Vec<Vec<Needs>>>,
}

impl Clone for Index {
    fn clone(&self) -> Self {
        Index::default()
    }
}

impl PartialEq for Index {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl PublicLevel {
    /// The public part of `sc`, sharing the measure ids its matches' views hand out.
    pub fn of(sc: &Scenario) -> PublicLevel {
        let side = |s: Side| {
            let d = sc.side(s);
            PublicSideDef {
                id: d.id.clone(),
                name: d.name.clone(),
                leader: d.leader.clone(),
                factions: d
                    .factions
                    .iter()
                    .map(|f| PublicFactionDef {
                        id: f.id.clone(),
                        name: f.name.clone(),
                        approval: f.approval,
                    })
                    .collect(),
                capital: d.capital,
                capital_per_round: d.capital_per_round,
                max_capital: d.max_capital,
                economy: d.economy,
                security: d.security,
            }
        };
        let index = Index::default();
        let _ = index
            .shared
            .set((0..sc.measures.len()).map(|i| sc.shared_id(i)).collect());
        PublicLevel {
            id: sc.id.clone(),
            title: sc.title.clone(),
            summary: sc.summary.clone(),
            history: sc.history.clone(),
            rounds: sc.rounds,
            exchanges: sc.exchanges,
            event_chance: sc.event_chance,
            start: sc.start.clone(),
            sides: [side(Side::A), side(Side::B)],
            phases: sc.phases.clone(),
            measures: sc.measures.clone(),
            events: sc.events.clone(),
            outlets: sc.outlets.clone(),
            headlines: sc.headlines.clone(),
            end: sc.end.clone(),
            ai: sc.ai.clone(),
            observers: sc.observers.clone(),
            mediator: sc.mediator.clone(),
            map: sc.map.clone().unwrap_or_else(|| {
                super::map::MapDef::generated([&sc.side_a.name, &sc.side_b.name])
            }),
            hash: sc.content_hash(),
            index,
        }
    }

    /// One state as the level introduces it.
    pub fn side(&self, s: Side) -> &PublicSideDef {
        &self.sides[s.idx()]
    }

    /// The measures catalogue.
    pub fn measures(&self) -> &[MeasureDef] {
        &self.measures
    }

    /// Index of a measure by id.
    pub fn measure_index(&self, id: &str) -> Option<usize> {
        self.index
            .by_id
            .get_or_init(|| super::hash::ById::new(self.measures.iter().map(|m| m.id.as_str())))
            .get(id)
    }

    /// A measure and its index, by id.
    pub fn measure(&self, id: &str) -> Option<(usize, &MeasureDef)> {
        self.measure_index(id).map(|i| (i, &self.measures[i]))
    }

    /// A measure and its index from an id a view handed out: found by its address when the
    /// view came from a match on the same loaded level, by its text otherwise.
    pub fn shared(&self, id: &Arc<str>) -> Option<(usize, &MeasureDef)> {
        let by_ptr = self.index.by_ptr.get_or_init(|| {
            super::hash::ByAddress::new(self.shared_ids().iter().map(|s| s.as_ptr() as usize))
        });
        // The index holds these ids, so no other string can share one's address.
        let i = by_ptr
            .get(id.as_ptr() as usize)
            .or_else(|| self.measure_index(id))?;
        Some((i, &self.measures[i]))
    }

    /// Measure `i`'s id, shared with the views of matches on the same loaded level.
    pub fn shared_id(&self, i: usize) -> Arc<str> {
        self.shared_ids()[i].clone()
    }

    fn shared_ids(&self) -> &[Arc<str>] {
        self.index
            .shared
            .get_or_init(|| self.measures.iter().map(|m| m.id.as_str().into()).collect())
    }

    /// Prerequisites of measure `i`, resolved to indices.
    pub fn requirements(&self, i: usize) -> &[Needs] {
        &self.index.requirements.get_or_init(|| {
            super::derived::resolve_requirements(
                &self.measures,
                |id| self.measure_index(id),
                |id| self.phase_index(id),
            )
        })[i]
    }

    /// Index of a phase by id.
    pub fn phase_index(&self, id: &str) -> Option<usize> {
        self.phases.iter().position(|p| p.id == id)
    }

    /// An event card by id.
    pub fn event(&self, id: &str) -> Option<&EventDef> {
        self.events.iter().find(|e| e.id == id)
    }

    /// The event deck.
    pub fn events(&self) -> &[EventDef] {
        &self.events
    }

    /// The phases in order.
    pub fn phases(&self) -> &[PhaseDef] {
        &self.phases
    }

    /// The press.
    pub fn outlets(&self) -> &[OutletDef] {
        &self.outlets
    }

    /// Whether independent observers can verify commitments.
    pub fn observers(&self) -> bool {
        self.observers.is_some()
    }

    /// Tension at which talks collapse into an armed clash.
    pub fn clash_at(&self) -> f32 {
        self.end.clash_at
    }
}
