//! What the other side values, learnt from their offers alone: values they keep asking for are
//! worth more to them, and issues they do not move on between offers weigh more.

use super::Outcome;

/// How much an issue's weight grows, early in the talks, each time the other side keeps its
/// value from one offer to the next; it fades with time, because late offers are concessions
/// more than preferences.
const LEARN: f64 = 0.2;

/// Exponent on a value's count share: below 1 so a few offers shape the model without making it
/// certain.
const VALUE_POWER: f64 = 0.5;

/// A frequency model of the other side's additive utility.
#[derive(Debug, Clone, PartialEq)]
pub struct FrequencyModel {
    /// Times each value of each issue appeared in their offers, the earliest counted most.
    counts: Vec<Vec<f64>>,
    /// Unnormalised issue weights.
    weights: Vec<f64>,
    last: Option<Outcome>,
    offers: u32,
}

impl FrequencyModel {
    /// A model knowing nothing: every issue equally weighted, every value equally liked.
    pub fn new(sizes: &[usize]) -> Self {
        FrequencyModel {
            counts: sizes.iter().map(|&n| vec![0.0; n]).collect(),
            weights: vec![1.0; sizes.len()],
            last: None,
            offers: 0,
        }
    }

    /// Number of values of each issue.
    pub fn sizes(&self) -> Vec<usize> {
        self.counts.iter().map(Vec::len).collect()
    }

    /// Offers learnt from.
    pub fn offers(&self) -> u32 {
        self.offers
    }

    /// Learn from one of their offers made at time `t` (0..1).
    pub fn observe(&mut self, o: &[u16], t: f64) {
        let t = t.clamp(0.0, 1.0);
        // Their first offers say most about what they want.
        let weight = 1.0 + 2.0 * (1.0 - t);
        for (c, &v) in self.counts.iter_mut().zip(o) {
            if let Some(x) = c.get_mut(v as usize) {
                *x += weight;
            }
        }
        if let Some(prev) = &self.last {
            let n = self.weights.len() as f64;
            for (w, (a, b)) in self.weights.iter_mut().zip(prev.iter().zip(o)) {
                if a == b {
                    *w += LEARN * n * (1.0 - t);
                }
            }
        }
        self.last = Some(o.to_vec());
        self.offers += 1;
    }

    /// Estimated issue weights, summing to 1.
    pub fn issue_weights(&self) -> Vec<f64> {
        let total: f64 = self.weights.iter().sum();
        self.weights.iter().map(|w| w / total.max(1e-12)).collect()
    }

    /// Estimated utility of each value of issue `i`, 0..1 (1 for the value asked for most).
    pub fn values(&self, i: usize) -> Vec<f64> {
        let c = &self.counts[i];
        let top = c.iter().copied().fold(0.0, f64::max);
        c.iter()
            .map(|&x| ((x + 1.0) / (top + 1.0)).powf(VALUE_POWER))
            .collect()
    }

    /// The model as an additive table: `table[i][v]` is weight times value estimate.
    pub fn table(&self) -> Vec<Vec<f64>> {
        let w = self.issue_weights();
        (0..self.counts.len())
            .map(|i| self.values(i).into_iter().map(|v| v * w[i]).collect())
            .collect()
    }

    /// Estimated utility (0..1) of an outcome to the other side.
    pub fn utility(&self, o: &[u16]) -> f64 {
        let t = self.table();
        t.iter().zip(o).map(|(t, &v)| t[v as usize]).sum()
    }
}
