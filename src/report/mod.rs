//! The debrief as data: what a finished match comes to (scores, the meters round by round,
//! the timeline, the deals against the frontier, the breaches nobody saw, and what the
//! computer believed), and the same as one self-contained HTML page. No window needed: the
//! game window draws a [`Report`] and the `sim` command writes its page. [`class`] puts a whole
//! class's matches on the record.

mod beliefs;
mod charts;
pub mod class;
mod html;
mod timeline;

pub use beliefs::{BELIEFS_TITLE, Beliefs};
pub use charts::{Chart, ChartData, Meter, Series};
pub use class::ending_lesson;
pub use html::export_html;
pub use timeline::{Kind, Line, short_line, timeline};

use crate::sim::scoring::{DealReport, Frontier, Scores};
use crate::sim::state::Breach;
use crate::sim::{Ending, Match, Side};

/// The title of the per-deal section.
pub const DEALS_TITLE: &str = "Each deal against what was open at the time";

/// A frontier gap below this reads as on the frontier.
const ON_FRONTIER: f32 = 0.01;

/// A state's names, as the level gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct SideNames {
    /// The short id, used in chart labels.
    pub id: String,
    /// The full name.
    pub name: String,
}

/// One signed agreement against the deals open when it was signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub report: DealReport,
    /// The finding in a line.
    pub text: String,
}

/// The agreed package set against what was possible.
#[derive(Debug, Clone, PartialEq)]
pub struct Deals {
    /// The frontier for the political capital of the rounds actually played.
    pub frontier: Frontier,
    /// The package in force at the end, as normalised worth to each side.
    pub final_point: [f32; 2],
    /// How far that package falls short of the frontier (0 on it).
    pub gap: f32,
    /// Each agreement, in the order signed.
    pub each: Vec<Deal>,
}

impl Deals {
    /// Whether the final package sits on the frontier.
    pub fn on_frontier(&self) -> bool {
        self.gap < ON_FRONTIER
    }

    /// The final package against the frontier, in a sentence.
    pub fn verdict(&self) -> String {
        if self.on_frontier() {
            "Your final package sits on the frontier: no deal could have served both states better."
                .into()
        } else {
            format!(
                "Your final package is {:.2} short of the frontier: trading across areas could have given both states more.",
                self.gap
            )
        }
    }
}

/// Everything the debrief shows of one match.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The level's title.
    pub title: String,
    /// The level's id.
    pub level: String,
    pub seed: u64,
    /// How many actions the match had, which tells two reports of one match apart.
    pub actions: usize,
    /// Rounds played to the end (one snapshot of the meters each).
    pub rounds: usize,
    /// States A and B.
    pub sides: [SideNames; 2],
    pub ending: Option<Ending>,
    /// The level's own words for this ending, when it has them.
    pub epilogue: Option<String>,
    pub scores: Scores,
    /// Each chart of [`Chart::ALL`], in that order.
    pub charts: [ChartData; Chart::ALL.len()],
    pub deals: Deals,
    /// What the computer believed the person valued, when a person played the computer.
    pub beliefs: Option<Beliefs>,
    /// Every broken commitment, caught or not, in the order broken.
    pub breaches: Vec<Breach>,
    pub timeline: Vec<Line>,
}

impl Report {
    /// The debrief of `m`, meant for a finished match (one under way reads as such). Works the
    /// deals out again by replaying the match, so build it once, not every frame.
    pub fn new(m: &Match, beliefs: Option<&Beliefs>) -> Report {
        let sc = &m.scenario;
        let scores = m.scores();
        let frontier = m.frontier_played();
        let each = m
            .deal_reports()
            .into_iter()
            .map(|report| Deal {
                text: deal_line(m, &report),
                report,
            })
            .collect();
        Report {
            title: sc.title.clone(),
            level: sc.id.clone(),
            seed: m.seed,
            actions: m.actions.len(),
            rounds: m.history.len(),
            sides: Side::BOTH.map(|s| SideNames {
                id: sc.side(s).id.clone(),
                name: sc.side(s).name.clone(),
            }),
            ending: m.ending,
            epilogue: m.epilogue().map(str::to_string),
            charts: Chart::ALL.map(|c| ChartData::of(m, c)),
            deals: Deals {
                gap: frontier.distance(scores.final_point),
                final_point: scores.final_point,
                frontier,
                each,
            },
            scores,
            beliefs: beliefs.cloned(),
            breaches: m.breaches.clone(),
            timeline: timeline(m),
        }
    }

    /// A state's names.
    pub fn side(&self, s: Side) -> &SideNames {
        &self.sides[s.idx()]
    }

    /// The data of one chart.
    pub fn chart(&self, c: Chart) -> &ChartData {
        &self.charts[c as usize]
    }

    /// The ending in a sentence.
    pub fn ending_text(&self) -> String {
        let [a, b] = &self.sides;
        match self.ending {
            Some(Ending::Normalization) => format!(
                "Normalization: {} and {} built a relationship that holds.",
                a.name, b.name
            ),
            Some(Ending::Clash) => "Armed clash: tension boiled over and both states lost.".into(),
            Some(Ending::Ousted(s)) => format!("{}'s leader fell at home.", self.side(s).name),
            Some(Ending::RoundLimit) => {
                "The rounds ran out before the relationship was normal.".into()
            }
            None => "The match is still under way.".into(),
        }
    }

    /// The breaches nobody caught during the match, which the debrief is the first to show.
    pub fn revealed(&self) -> impl Iterator<Item = &Breach> {
        self.breaches.iter().filter(|b| !b.caught)
    }

    /// One breach in a line.
    pub fn breach_text(&self, b: &Breach) -> String {
        format!(
            "Round {}: {} broke '{}' — {}",
            b.round,
            self.side(b.side).name,
            b.measure,
            if b.caught {
                "caught"
            } else {
                "never caught (hidden until now)"
            }
        )
    }

    /// The whole report as one self-contained HTML page.
    pub fn html(&self) -> String {
        html::page(self)
    }
}

/// One agreement in a plain line: how close it came to the best deals open when it was signed.
fn deal_line(m: &Match, d: &DealReport) -> String {
    let fit = if d.distance < ON_FRONTIER {
        "on the frontier of the deals open then".to_string()
    } else {
        format!("{:.2} short of the best deals open then", d.distance)
    };
    let split = d.nash_ratio.map_or(String::new(), |r| {
        format!(
            "; {:.0}% of the most even split's product of gains",
            r * 100.0
        )
    });
    let items: Vec<String> = d
        .items
        .iter()
        .map(|&(i, by)| {
            format!(
                "{} by {}",
                m.scenario.measures[i].name,
                m.scenario.side(by).id
            )
        })
        .collect();
    format!(
        "Round {}: {} commitment{} ({}) — {fit}{split}.",
        d.round,
        d.items.len(),
        if d.items.len() == 1 { "" } else { "s" },
        items.join(", ")
    )
}
