//! The instructor's hand on the class: steering tables (cards, the round's clock, pauses),
//! following one table with both private views, the class summary and the session's files.
//! Every steer is checked by the rules and archived before anyone hears of it, like a move.

use super::{Class, Out, Slot, moves_since, say};
use crate::net::protocol::{Reason, ServerMsg};
use crate::sim::{Side, Stage, Steer, SteerError};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// The round's clock at one table: when this round's talks close, or how long they had left
/// when the instructor paused the table.
#[derive(Debug, Default)]
pub(super) struct Clock {
    deadline: Option<Instant>,
    frozen: Option<Duration>,
    /// The round and limit the deadline was set for.
    set_for: (u32, u32),
    /// Whether the table was paused when the students last heard.
    paused: bool,
}

impl Slot {
    /// What is left of this round's talks, if a timer runs now.
    pub(super) fn clock_left(&self) -> Option<Duration> {
        self.clock.frozen.or_else(|| {
            self.clock
                .deadline
                .map(|d| d.saturating_duration_since(Instant::now()))
        })
    }

    /// Seconds left, rounded up, as the wire carries them.
    pub(super) fn clock_secs(&self) -> Option<u32> {
        self.clock_left()
            .map(|d| d.as_millis().div_ceil(1000).min(u128::from(u32::MAX)) as u32)
    }

    /// Set the clock after a change at the table; true when students must hear of it.
    pub(super) fn arm(&mut self) -> bool {
        let m = self.table.whole();
        let talking = m.stage == Stage::Negotiation && m.ending.is_none();
        let before = (self.clock.deadline, self.clock.frozen, self.clock.paused);
        match m.round_timer.filter(|_| talking) {
            None => {
                self.clock = Clock {
                    paused: self.clock.paused,
                    ..Clock::default()
                }
            }
            Some(secs) if m.paused => {
                if self.clock.frozen.is_none() {
                    let left = self
                        .clock_left()
                        .unwrap_or(Duration::from_secs(secs.into()));
                    self.clock.frozen = Some(left);
                    self.clock.deadline = None;
                }
            }
            Some(secs) => {
                if let Some(left) = self.clock.frozen.take() {
                    self.clock.deadline = Some(Instant::now() + left);
                } else if self.clock.deadline.is_none() || self.clock.set_for != (m.round, secs) {
                    self.clock.deadline = Some(Instant::now() + Duration::from_secs(secs.into()));
                }
                self.clock.set_for = (m.round, secs);
            }
        }
        self.clock.paused = m.paused;
        before != (self.clock.deadline, self.clock.frozen, self.clock.paused)
    }

    pub(super) fn clock_msg(&self) -> ServerMsg {
        ServerMsg::Clock {
            left_secs: self.clock_secs(),
            paused: self.table.whole().paused,
        }
    }

    /// Both sides' private views and the whole log, for the instructor following the table.
    fn watched(&self, with_level: bool) -> ServerMsg {
        ServerMsg::watched(
            self.number,
            &self.table,
            self.seat_status(),
            self.clock_secs(),
            with_level,
            &self.file,
        )
    }
}

impl Class {
    /// The index of table `number`.
    pub(super) fn index(&self, number: u32) -> Result<usize, Reason> {
        self.tables
            .iter()
            .position(|t| t.number == number)
            .ok_or(Reason::UnknownTable)
    }

    /// After any change at table `k`: set its clock (telling its students if it moved), and
    /// tell the instructors following it.
    pub(super) fn touched(&mut self, k: usize) {
        let slot = &mut self.tables[k];
        if slot.arm() {
            let clock = slot.clock_msg();
            for s in Side::BOTH {
                slot.tell(s, vec![clock.clone()]);
            }
        }
        self.tell_followers(k);
    }

    fn tell_followers(&mut self, k: usize) {
        if !self.following.iter().any(|(_, t, _)| *t == k) {
            return;
        }
        let msg = self.tables[k].watched(false);
        self.following
            .retain(|(_, t, tx)| *t != k || tx.send(Out::Msg(msg.clone())).is_ok());
    }

    /// Follow table `number` on connection `id` (or stop, with `None`).
    pub(super) fn follow(
        &mut self,
        id: u64,
        tx: &mpsc::UnboundedSender<Out>,
        number: Option<u32>,
    ) -> Result<Vec<ServerMsg>, Reason> {
        self.following.retain(|(c, _, _)| *c != id);
        let Some(number) = number else {
            return Ok(Vec::new());
        };
        let k = self.index(number)?;
        self.following.push((id, k, tx.clone()));
        Ok(vec![self.tables[k].watched(true)])
    }

    /// Steer one table, archived with the moves counterparts make at once after it.
    fn steer_one(&mut self, k: usize, steer: Steer) -> Result<(), Reason> {
        let slot = &mut self.tables[k];
        let before = slot.table.whole().actions.len();
        let n = slot.table.whole().steering.len();
        slot.table.steer(steer).map_err(Reason::Steer)?;
        slot.table.run_counterparts();
        let moves = moves_since(&slot.table, before, None);
        let steered = slot.table.whole().steering[n].clone();
        if let Err(e) = self.db.steer(slot.id, n, &steered, &moves) {
            say(&format!(
                "table {}: cannot archive the instructor's step ({e}); undone",
                slot.number
            ));
            slot.undo(before, n);
            return Err(Reason::Archive);
        }
        say(&format!(
            "table {}: instructor {:?}",
            slot.number, steered.steer
        ));
        slot.tell_news(None);
        self.touched(k);
        Ok(())
    }

    /// Steer table `number`, or every table whose match is not over.
    pub(super) fn steer(&mut self, number: Option<u32>, steer: Steer) -> Result<ServerMsg, Reason> {
        let targets: Vec<usize> = match number {
            Some(n) => vec![self.index(n)?],
            None => (0..self.tables.len())
                .filter(|&k| !self.tables[k].table.is_over())
                .collect(),
        };
        let one = number.is_some();
        let (mut applied, mut refused) = (Vec::new(), Vec::new());
        for k in targets {
            let number = self.tables[k].number;
            match self.steer_one(k, steer.clone()) {
                Ok(()) => applied.push(number),
                // One table asked: its refusal is the answer.
                Err(r) if one => return Err(r),
                Err(Reason::Steer(e)) => refused.push((number, e)),
                Err(r) => return Err(r),
            }
        }
        Ok(ServerMsg::Steered { applied, refused })
    }

    /// Close the talks of every table whose clock ran out.
    pub(super) fn tick(&mut self) -> bool {
        let now = Instant::now();
        let due: Vec<usize> = (0..self.tables.len())
            .filter(|&k| self.tables[k].clock.deadline.is_some_and(|d| d <= now))
            .collect();
        for &k in &due {
            match self.steer_one(k, Steer::CloseTalks) {
                Ok(()) => {}
                Err(r) => {
                    // Talks closed by a move at the same instant, or the archive failed: try
                    // again shortly rather than at every tick.
                    say(&format!(
                        "table {}: clock ran out, not applied ({r:?})",
                        self.tables[k].number
                    ));
                    self.tables[k].clock.deadline = Some(now + Duration::from_secs(5));
                    if matches!(r, Reason::Steer(SteerError::NotTalking)) {
                        self.tables[k].clock = Clock::default();
                    }
                }
            }
        }
        !due.is_empty()
    }

    /// The class summary from the tables as they stand.
    pub(super) fn summary(&self) -> ServerMsg {
        let class = crate::report::class::Class {
            session: self.session,
            started_ms: 0,
            tables: self
                .tables
                .iter()
                .map(|s| {
                    let codes = Side::BOTH.map(|side| s.seats[side.idx()].code.clone());
                    crate::net::export::live_table(s.number, &s.file, &s.level.id, codes, &s.table)
                })
                .collect(),
        };
        ServerMsg::Summary {
            summary: crate::report::class::Summary::of(&class),
        }
    }

    /// Write the session's files into a folder beside the archive.
    pub(super) fn export(&self) -> Result<ServerMsg, Reason> {
        let class = crate::net::export::read_class(&self.db, Some(self.session))
            .map_err(|e| Reason::ExportFailed(e.to_string()))?;
        let dir = self.export_dir.join(format!("session-{}", self.session));
        let w = crate::net::export::write_class(&class, &dir)
            .map_err(|e| Reason::ExportFailed(e.to_string()))?;
        say(&format!(
            "exported {} files to {}",
            w.files.len(),
            dir.display()
        ));
        Ok(ServerMsg::Exported {
            dir: dir.display().to_string(),
            files: w.files.len() as u32,
            skipped: w.refused,
        })
    }
}
