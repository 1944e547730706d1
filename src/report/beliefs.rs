//! What the computer believed the person valued, against the truth.

use crate::sim::{Area, Side};

/// The title of the beliefs section.
pub const BELIEFS_TITLE: &str = "What the computer believed you valued";

/// What the computer believed the human side valued, next to what it really valued.
#[derive(Debug, Clone, PartialEq)]
pub struct Beliefs {
    /// The person's side, whom the beliefs are about.
    pub about: Side,
    /// The computer's estimated weights, in the order of `Area::ALL`, summing to 1.
    pub believed: [f32; 7],
    /// The side's true private priorities, normalised the same way.
    pub truth: [f32; 7],
    /// Areas as the computer ranked them, its first guess first.
    pub ranking: Vec<Area>,
    /// Whether this opponent trades on its guess (only modelling styles do).
    pub acts_on_it: bool,
    /// How many of the person's offers it learnt from.
    pub offers_seen: u32,
}

/// Names joined for a sentence: "A", "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Beliefs {
    /// The area the computer took to be the person's first concern (its ranking's head).
    pub fn believed_top(&self) -> Area {
        self.ranking.first().copied().unwrap_or(Area::Concession)
    }

    /// The person's real first concerns: the areas of highest priority (more than one when
    /// the level weighs them level).
    pub fn true_tops(&self) -> Vec<Area> {
        let hi = self.truth.iter().fold(0.0f32, |m, w| m.max(*w));
        Area::ALL
            .into_iter()
            .zip(self.truth)
            .filter(|(_, w)| *w >= hi - 1e-4)
            .map(|(a, _)| a)
            .collect()
    }

    /// The person's real first concern (the first in display order, if several tie).
    pub fn true_top(&self) -> Area {
        self.true_tops()[0]
    }

    /// Whether the computer's first guess is one of the person's first concerns.
    pub fn guessed_right(&self) -> bool {
        self.informed() && self.true_tops().contains(&self.believed_top())
    }

    /// Whether the computer learnt anything: it saw at least one offer of the person's.
    pub fn informed(&self) -> bool {
        self.offers_seen > 0
    }

    /// The note beside an area's bars: its guess, the truth, or both.
    pub fn mark(&self, area: Area) -> &'static str {
        let guess = area == self.believed_top() && self.informed();
        let tops = self.true_tops();
        match (guess, tops.contains(&area), tops.len() > 1) {
            (true, true, false) => "◀ its guess, and your first concern",
            (true, true, true) => "◀ its guess, and your joint first concern",
            (true, false, _) => "◀ its guess",
            (false, true, false) => "★ your first concern",
            (false, true, true) => "★ your joint first concern",
            (false, false, _) => "",
        }
    }

    /// The finding in one plain sentence.
    pub fn sentence(&self) -> String {
        let tops = self.true_tops();
        let names: Vec<&str> = tops.iter().map(|a| a.label()).collect();
        let truth = and_list(&names);
        let was = if tops.len() > 1 {
            format!("{truth}, equally")
        } else {
            truth.clone()
        };
        if !self.informed() {
            return format!(
                "It never saw an offer from you, so it had nothing to learn from: to the end it thought every area mattered equally to you. Your first concern was {was}."
            );
        }
        let b = self.believed_top();
        if self.guessed_right() {
            let level: Vec<&str> = names.iter().copied().filter(|n| *n != b.label()).collect();
            return if level.is_empty() {
                format!(
                    "It read you right: it took {} to be your first concern, and it was.",
                    b.label()
                )
            } else {
                format!(
                    "It read you right: it took {} to be your first concern, and it was (level with {}).",
                    b.label(),
                    and_list(&level)
                )
            };
        }
        let nth = self
            .ranking
            .iter()
            .position(|a| tops.contains(a))
            .map_or(0, |i| i + 1);
        let place = match nth {
            2 => "second",
            3 => "third",
            4 => "fourth",
            5 => "fifth",
            6 => "sixth",
            7 => "last",
            _ => "low",
        };
        format!(
            "It took {} to be your first concern; it was {was} (which it ranked {place}).",
            b.label()
        )
    }

    /// Where the guess came from, and whether this opponent traded on it.
    pub fn how_learnt(&self) -> String {
        format!(
            "It learnt this from the {} offer(s) you made it: what you asked for, it took you to value; what you gave away easily, less. {}",
            self.offers_seen,
            if self.acts_on_it {
                "It built its packages around that guess."
            } else {
                "This opponent did not trade on the guess: only a Pragmatist, or any Hard opponent, builds its packages around what it thinks you value."
            }
        )
    }
}
