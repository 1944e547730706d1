//! The playtest report as an instructor reads it.

use super::*;

impl Report {
    /// The report as an instructor reads it.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let g = self.games;
        let _ = writeln!(
            s,
            "{} ({}): {g} games, every counterpart against each, itself included, in both seats ({} pairings x {}), seed {}, {:.1} s",
            self.title,
            self.level,
            self.pairings,
            self.games_per_pairing,
            self.seed,
            self.elapsed_s
        );
        // One column of ids, as wide as the longest, so the figures line up whatever the level.
        let w = self
            .phases
            .iter()
            .map(|p| p.id.len())
            .chain(self.events.iter().map(|e| e.id.len()))
            .chain(self.measures.iter().map(|m| m.id.len()))
            .fold(22, usize::max);
        let head = |s: &mut String, title: &str, columns: &str| {
            let _ = writeln!(s, "{title:<x$}{columns}", x = w + 2);
        };
        let row = |s: &mut String, id: &str, times: u32, games: u32, rest: &str| {
            let _ = writeln!(s, "  {id:<w$} {times:>6}  {:>5.1}%{rest}", pct(games, g));
        };
        head(&mut s, "Endings", "  games");
        for (_, label, n) in self.endings.rows() {
            row(&mut s, label, n, n, "");
        }
        match self.mean_first_agreement_round {
            Some(r) => {
                let _ = writeln!(
                    s,
                    "First agreement in {:.1}% of games, in round {r:.1} on average",
                    pct(self.mechanics.agreements.games, g)
                );
            }
            None => {
                let _ = writeln!(s, "No game reached an agreement");
            }
        }
        head(&mut s, "Mechanics", "  times   games");
        let m = &self.mechanics;
        for (label, t) in [
            ("agreements", m.agreements),
            ("gestures", m.gestures),
            ("ratification failures", m.ratification_failures),
            ("leaders fallen", m.leader_falls),
            ("mediator's proposals", m.mediator_proposals),
            ("breaches caught", m.breaches_caught),
            ("breaches hidden", m.breaches_hidden),
        ] {
            row(&mut s, label, t.times, t.games, "");
        }
        head(&mut s, "Phases reached", "  games");
        for p in &self.phases {
            let rest = format!("  {}", p.name);
            row(&mut s, &p.id, p.games_reached, p.games_reached, &rest);
        }
        head(&mut s, "Event cards drawn", "  times   games");
        for e in &self.events {
            let rest = format!("  {}", e.title);
            row(&mut s, &e.id, e.drawn.times, e.drawn.games, &rest);
        }
        head(&mut s, "Measures signed", "  times   games  offered");
        for ms in &self.measures {
            let rest = format!("  {:>7}  {}", ms.offered, ms.name);
            row(&mut s, &ms.id, ms.signed.times, ms.signed.games, &rest);
        }
        head(&mut s, "Meters stuck for most of a match", "  games");
        for p in &self.pinned {
            let bound = match p.meter.as_str() {
                "tension" => "at 0",
                m if m.starts_with("trust") => "at 100",
                _ => "at 0 or 100",
            };
            row(
                &mut s,
                &format!("{} {bound}", p.meter),
                p.games,
                p.games,
                "",
            );
        }
        if self.warnings.is_empty() {
            let _ = writeln!(s, "No warnings");
        } else {
            let _ = writeln!(s, "Warnings ({})", self.warnings.len());
            for w in &self.warnings {
                let _ = writeln!(s, "  {} {}: {}", w.kind.name(), w.subject, w.message);
            }
        }
        s
    }
}
