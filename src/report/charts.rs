//! The meters round by round, grouped into the debrief's charts.

use crate::sim::state::Snapshot;
use crate::sim::{Match, Scenario, Side};

/// One of the debrief's charts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Chart {
    #[default]
    TensionTrust,
    Approval,
    Utility,
}

impl Chart {
    /// Every chart, in the order shown.
    pub const ALL: [Chart; 3] = [Chart::TensionTrust, Chart::Approval, Chart::Utility];

    /// Its heading.
    pub fn title(self) -> &'static str {
        match self {
            Chart::TensionTrust => "Tension & trust",
            Chart::Approval => "Approval at home",
            Chart::Utility => "Value of the deal",
        }
    }

    /// The meters it plots.
    pub fn meters(self) -> &'static [Meter] {
        use Side::{A, B};
        match self {
            Chart::TensionTrust => &[Meter::Tension, Meter::Trust(A), Meter::Trust(B)],
            Chart::Approval => &[Meter::Approval(A), Meter::Approval(B)],
            Chart::Utility => &[Meter::Worth(A), Meter::Worth(B)],
        }
    }

    /// The top of its scale (meters run 0..100, worth 0..1).
    pub fn ymax(self) -> f32 {
        match self {
            Chart::Utility => 1.0,
            _ => 100.0,
        }
    }
}

/// One meter recorded at the end of every round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meter {
    /// Tension between the two states, 0..100.
    Tension,
    /// This side's trust in the other, 0..100.
    Trust(Side),
    /// This side's weighted approval at home, 0..100.
    Approval(Side),
    /// What the commitments in force were worth to this side, 0..1.
    Worth(Side),
}

impl Meter {
    /// Its value in a round's snapshot.
    pub fn read(self, s: &Snapshot) -> f32 {
        match self {
            Meter::Tension => s.tension,
            Meter::Trust(side) => s.trust[side.idx()],
            Meter::Approval(side) => s.approval[side.idx()],
            Meter::Worth(side) => s.utility[side.idx()],
        }
    }

    /// The side it belongs to; `None` for tension, which both share (charts colour by it).
    pub fn side(self) -> Option<Side> {
        match self {
            Meter::Tension => None,
            Meter::Trust(s) | Meter::Approval(s) | Meter::Worth(s) => Some(s),
        }
    }

    /// Its legend.
    pub fn name(self, sc: &Scenario) -> String {
        let id = |s: Side| &sc.side(s).id;
        match self {
            Meter::Tension => "Tension".into(),
            Meter::Trust(s) => format!("Trust {}→{}", id(s), id(s.other())),
            Meter::Approval(s) => format!("Approval {}", id(s)),
            Meter::Worth(s) => format!("In force, worth to {}", id(s)),
        }
    }
}

/// One meter over the rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub meter: Meter,
    /// Its legend.
    pub name: String,
    /// (round, value), one per round played, in order.
    pub points: Vec<(u32, f32)>,
}

/// One chart's series.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub chart: Chart,
    pub series: Vec<Series>,
}

impl ChartData {
    /// The chart `chart` of `m`'s rounds.
    pub fn of(m: &Match, chart: Chart) -> ChartData {
        ChartData {
            chart,
            series: chart
                .meters()
                .iter()
                .map(|&meter| Series {
                    meter,
                    name: meter.name(&m.scenario),
                    points: m.history.iter().map(|h| (h.round, meter.read(h))).collect(),
                })
                .collect(),
        }
    }
}
