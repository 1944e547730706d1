//! Every personality and difficulty against every other, in both roles, with the figures that
//! say how well each bargains.

use crate::ai::{Counterpart, DIFFICULTIES, Decision, Negotiator, PERSONALITIES};
use crate::runner;
use crate::sim::PublicLevel;
use crate::sim::scenario::{Difficulty, Personality, Scenario, Side};
use crate::sim::{Ending, Event, SideView};
use crate::table::Seat;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A negotiator that times its own decisions into a list the tournament keeps.
struct Timed {
    inner: Counterpart,
    ms: Arc<Mutex<Vec<f32>>>,
}

impl Negotiator for Timed {
    fn decide(&mut self, view: &SideView, level: &PublicLevel) -> Decision {
        let t = Instant::now();
        let d = self.inner.decide(view, level);
        let ms = t.elapsed().as_secs_f32() * 1000.0;
        if let Ok(mut v) = self.ms.lock() {
            v.push(ms);
        }
        d
    }
}

/// One personality at one difficulty, over all its games.
#[derive(Debug, Clone, Serialize)]
pub struct EntryStats {
    pub name: String,
    pub difficulty: String,
    pub games: u32,
    /// Share of games with at least one agreement signed.
    pub agreement_rate: f64,
    pub normalization_rate: f64,
    pub clash_rate: f64,
    /// Mean private utility of its own side (0..1).
    pub own_utility: f64,
    /// Mean sum of both sides' utilities.
    pub joint_welfare: f64,
    /// Agreements signed, over all its games.
    pub agreements: u32,
    /// Mean distance of each agreed package to the Pareto frontier of the packages open when it
    /// was signed (utilities normalised 0..1 over those packages).
    pub pareto_distance: f64,
    /// Mean Nash product of each agreed package over that moment's Nash point's (deals where
    /// both sides could gain).
    pub nash_ratio: f64,
    /// Agreements signed per season played.
    pub deals_per_season: f64,
    /// Mean distance of each agreed package to the exact frontier of the packages open when it
    /// was signed (capital, item cap and prerequisites as the rules apply them), within the
    /// bargaining zone: no agreement at 0, each side's best agreement at 1 (deals where both
    /// sides could gain).
    pub pareto_distance_zone: f64,
    /// Mean distance of the whole package in force at the end to the frontier of what the
    /// capital of the rounds played could buy (games with an agreement).
    pub final_pareto_distance: f64,
    /// Mean Nash-product ratio of the package in force at the end, on that frontier.
    pub final_nash_ratio: f64,
    pub mean_first_agreement_round: f64,
    /// Share of games with an agreement whose first agreement came in round 1.
    pub first_agreement_in_round_one: f64,
    /// Share of games with an agreement whose first agreement came in the last round.
    pub first_agreement_at_deadline: f64,
    pub decision_ms_p50: f64,
    pub decision_ms_p99: f64,
}

#[derive(Default)]
struct Acc {
    games: u32,
    agreed: u32,
    normalized: u32,
    clashes: u32,
    own: f64,
    joint: f64,
    deals: u32,
    nash_deals: u32,
    dist: f64,
    seasons: u64,
    zone_deals: u32,
    zone_dist: f64,
    nash: f64,
    final_dist: f64,
    final_nash: f64,
    first: f64,
    first_in_round_one: u32,
    first_at_deadline: u32,
    ms: Vec<f32>,
}

/// The whole tournament's result.
#[derive(Debug, Clone, Serialize)]
pub struct Tournament {
    pub level: String,
    pub seed: u64,
    pub games_per_pairing: u32,
    pub games: u64,
    pub elapsed_s: f64,
    /// The level's Nash bargaining point and point of no agreement (normalised utilities of A, B).
    pub nash_point: [f32; 2],
    pub disagreement: [f32; 2],
    /// Mean package in force at the end, over all games.
    pub mean_final_point: [f64; 2],
    pub personalities: Vec<EntryStats>,
    /// Mean own utility of each entry (row) against each opponent (column), in entry order.
    pub own_utility_matrix: Vec<Vec<f64>>,
    /// Share of games with an agreement, entry (row) against opponent (column).
    pub agreement_matrix: Vec<Vec<f64>>,
}

fn pct(sorted: &[f32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i] as f64
}

/// The pool: every personality at every difficulty.
pub fn pool() -> Vec<(Personality, Difficulty)> {
    PERSONALITIES
        .iter()
        .flat_map(|p| DIFFICULTIES.iter().map(move |d| (*p, *d)))
        .collect()
}

/// Play `games` matches for every ordered pair of different entries of the pool.
pub fn run(
    sc: Arc<Scenario>,
    games: u32,
    seed: u64,
    mut progress: impl FnMut(u64, u64),
) -> Tournament {
    let start = Instant::now();
    let pool = pool();
    let n = pool.len();
    let mut acc: Vec<Acc> = (0..n).map(|_| Acc::default()).collect();
    let mut matrix = vec![vec![(0.0f64, 0u32); n]; n];
    let mut agreed = vec![vec![(0.0f64, 0u32); n]; n];
    let frontier = sc.frontier().clone();
    // A match that ended early never received the later rounds' capital, so it is measured
    // against what the rounds it lasted could pay for.
    let mut within: Vec<Option<crate::sim::scoring::Frontier>> = vec![None; sc.rounds as usize + 1];
    let total = (n * (n - 1)) as u64 * games as u64;
    let mut done = 0u64;
    let mut final_sum = [0.0f64; 2];
    for a in 0..n {
        for b in 0..n {
            if a == b {
                continue;
            }
            for g in 0..games {
                let s = seed
                    .wrapping_add(g as u64)
                    .wrapping_add(((a * n + b) as u64) << 20);
                let times = [(); 2].map(|_| Arc::new(Mutex::new(Vec::new())));
                let mk = |k: usize, side: Side| {
                    Seat::Counterpart(Box::new(Timed {
                        inner: crate::table::counterpart(
                            sc.public(),
                            side,
                            s,
                            pool[k].0,
                            pool[k].1,
                        ),
                        ms: times[side.idx()].clone(),
                    }))
                };
                let m = runner::play_headless(sc.clone(), s, [mk(a, Side::A), mk(b, Side::B)]);
                let deals = m.deal_reports();
                let scores = m.scores();
                let first = m.log.iter().find_map(|l| match l.event {
                    Event::AgreementSigned { .. } => Some(l.round),
                    _ => None,
                });
                let end_point = m
                    .history
                    .last()
                    .map_or(frontier.disagreement, |h| h.utility);
                final_sum[0] += end_point[0] as f64;
                final_sum[1] += end_point[1] as f64;
                let played = m.rounds_played();
                let fw = within[played as usize]
                    .get_or_insert_with(|| crate::sim::scoring::frontier_within(&sc, played));
                let final_dist = fw.distance(end_point) as f64;
                let final_nash = fw.nash_ratio(end_point) as f64;
                for (k, side) in [(a, Side::A), (b, Side::B)] {
                    let e = &mut acc[k];
                    e.games += 1;
                    e.seasons += played as u64;
                    e.own += scores.utility[side.idx()] as f64;
                    e.joint += (scores.utility[0] + scores.utility[1]) as f64;
                    if m.ending == Some(Ending::Normalization) {
                        e.normalized += 1;
                    }
                    if m.ending == Some(Ending::Clash) {
                        e.clashes += 1;
                    }
                    if let Some(r) = first {
                        e.agreed += 1;
                        e.first += r as f64;
                        e.first_in_round_one += u32::from(r == 1);
                        e.first_at_deadline += u32::from(r == sc.rounds);
                        e.final_dist += final_dist;
                        e.final_nash += final_nash;
                    }
                    for d in &deals {
                        e.deals += 1;
                        e.dist += d.distance as f64;
                        if let Some(z) = d.zone_distance {
                            e.zone_deals += 1;
                            e.zone_dist += z as f64;
                        }
                        if let Some(n) = d.nash_ratio {
                            e.nash_deals += 1;
                            e.nash += n as f64;
                        }
                    }
                    if let Ok(mut v) = times[side.idx()].lock() {
                        e.ms.append(&mut v);
                    }
                    let opp = if k == a { b } else { a };
                    matrix[k][opp].0 += scores.utility[side.idx()] as f64;
                    matrix[k][opp].1 += 1;
                    agreed[k][opp].0 += if first.is_some() { 1.0 } else { 0.0 };
                    agreed[k][opp].1 += 1;
                }
                done += 1;
                progress(done, total);
            }
        }
    }
    let personalities = pool
        .iter()
        .zip(acc.iter_mut())
        .map(|(&(p, d), e)| {
            e.ms.sort_by(|x, y| x.total_cmp(y));
            let g = e.games.max(1) as f64;
            let ag = e.agreed.max(1) as f64;
            EntryStats {
                name: format!("{p:?}").to_lowercase(),
                difficulty: format!("{d:?}").to_lowercase(),
                games: e.games,
                agreement_rate: e.agreed as f64 / g,
                normalization_rate: e.normalized as f64 / g,
                clash_rate: e.clashes as f64 / g,
                own_utility: e.own / g,
                joint_welfare: e.joint / g,
                agreements: e.deals,
                pareto_distance: if e.deals > 0 {
                    e.dist / e.deals as f64
                } else {
                    f64::NAN
                },
                nash_ratio: if e.nash_deals > 0 {
                    e.nash / e.nash_deals as f64
                } else {
                    0.0
                },
                deals_per_season: e.deals as f64 / e.seasons.max(1) as f64,
                pareto_distance_zone: if e.zone_deals > 0 {
                    e.zone_dist / e.zone_deals as f64
                } else {
                    f64::NAN
                },
                final_pareto_distance: if e.agreed > 0 {
                    e.final_dist / ag
                } else {
                    f64::NAN
                },
                final_nash_ratio: if e.agreed > 0 { e.final_nash / ag } else { 0.0 },
                mean_first_agreement_round: if e.agreed > 0 { e.first / ag } else { f64::NAN },
                first_agreement_in_round_one: e.first_in_round_one as f64 / ag,
                first_agreement_at_deadline: e.first_at_deadline as f64 / ag,
                decision_ms_p50: pct(&e.ms, 0.5),
                decision_ms_p99: pct(&e.ms, 0.99),
            }
        })
        .collect();
    Tournament {
        level: sc.id.clone(),
        seed,
        games_per_pairing: games,
        games: done,
        elapsed_s: start.elapsed().as_secs_f64(),
        nash_point: frontier.nash,
        disagreement: frontier.disagreement,
        mean_final_point: final_sum.map(|x| x / done.max(1) as f64),
        personalities,
        own_utility_matrix: means(&matrix),
        agreement_matrix: means(&agreed),
    }
}

fn means(m: &[Vec<(f64, u32)>]) -> Vec<Vec<f64>> {
    m.iter()
        .map(|row| {
            row.iter()
                .map(|(s, c)| if *c > 0 { s / *c as f64 } else { f64::NAN })
                .collect()
        })
        .collect()
}

impl Tournament {
    /// A readable table, one row per personality and difficulty.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{} — {} games ({} per pairing, both roles), {:.1} s\n",
            self.level, self.games, self.games_per_pairing, self.elapsed_s
        );
        s += &format!(
            "Nash point ({:.2}, {:.2}); no deal ({:.2}, {:.2}); mean package in force at the end ({:.2}, {:.2})\n",
            self.nash_point[0],
            self.nash_point[1],
            self.disagreement[0],
            self.disagreement[1],
            self.mean_final_point[0],
            self.mean_final_point[1]
        );
        s += "pareto, nash: each agreement against the deals open when it was signed; zone: its distance to the exact frontier of those deals within the bargaining zone; deals: agreements per season; end-par, end-ns: the package in force at the end against what the rounds played could buy\n";
        s += &format!(
            "{:<13} {:<7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6} {:>6} {:>7} {:>6} {:>6} {:>7} {:>7}\n",
            "personality",
            "level",
            "agree",
            "norm",
            "clash",
            "own",
            "joint",
            "pareto",
            "nash",
            "zone",
            "deals",
            "end-par",
            "end-ns",
            "first",
            "p50 ms",
            "p99 ms"
        );
        for e in &self.personalities {
            s += &format!(
                "{:<13} {:<7} {:>6.2} {:>6.2} {:>6.2} {:>6.3} {:>6.3} {:>7.3} {:>6.2} {:>6.3} {:>6.2} {:>7.3} {:>6.2} {:>6.1} {:>7.3} {:>7.3}\n",
                e.name,
                e.difficulty,
                e.agreement_rate,
                e.normalization_rate,
                e.clash_rate,
                e.own_utility,
                e.joint_welfare,
                e.pareto_distance,
                e.nash_ratio,
                e.pareto_distance_zone,
                e.deals_per_season,
                e.final_pareto_distance,
                e.final_nash_ratio,
                e.mean_first_agreement_round,
                e.decision_ms_p50,
                e.decision_ms_p99
            );
        }
        s
    }
}
