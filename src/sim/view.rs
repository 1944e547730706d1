//! One side's view of the match: everything public, its own private brief, and nothing private
//! of the other side. AI counterparts and remote players get only this.

use super::action::Offer;
use super::event::{Ending, Logged};
use super::rounds::Need;
use super::scenario::{Area, FactionDef, FactionRates, Side, Term};
use super::state::{Match, Snapshot, Stage};

/// The meters at the end of one round as anyone may see them: a [`Snapshot`] without either
/// side's private utility, which would let the other side solve for its priorities (and the
/// victim of an unseen breach see what it lost).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicSnapshot {
    pub round: u32,
    pub tension: f32,
    pub trust: [f32; 2],
    pub phase: usize,
    pub approval: [f32; 2],
    pub factions: [Vec<f32>; 2],
    pub capital: [f32; 2],
    pub economy: [f32; 2],
    pub security: [f32; 2],
    pub tones: Vec<f32>,
}

impl From<&Snapshot> for PublicSnapshot {
    fn from(s: &Snapshot) -> Self {
        PublicSnapshot {
            round: s.round,
            tension: s.tension,
            trust: s.trust,
            phase: s.phase,
            approval: s.approval,
            factions: s.factions.clone(),
            capital: s.capital,
            economy: s.economy,
            security: s.security,
            tones: s.tones.clone(),
        }
    }
}
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Commitments that could be offered: (measure id, undertaker).
pub type Available = Arc<[(Arc<str>, Side)]>;

/// The commitments open in one state of a match, kept for the next view: they change only when
/// a commitment is signed, ends or is withdrawn, or the phase moves, while a view is built
/// before every move. Never part of a match's equality, and a clone starts afresh.
#[derive(Default)]
pub struct OpenList(Mutex<Option<(OpenKey, Available)>>);

/// What the open commitments depend on: the level (by address), each side's measures in force
/// (a bit per measure) and the phase.
type OpenKey = (usize, [u64; 2], usize);

/// Make `slot` share `new` unless it already does: counting a reference up and down costs
/// atomic operations, which are the dearest part of refreshing a view.
fn share<T: ?Sized>(slot: &mut Arc<T>, new: &Arc<T>) {
    if !Arc::ptr_eq(slot, new) {
        *slot = new.clone();
    }
}

impl Clone for OpenList {
    fn clone(&self) -> Self {
        OpenList::default()
    }
}

impl PartialEq for OpenList {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for OpenList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenList")
    }
}

/// A faction as everyone sees it: name and approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicFaction {
    pub name: std::sync::Arc<str>,
    pub approval: f32,
    pub change: f32,
}

/// Public state of one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicSide {
    pub name: std::sync::Arc<str>,
    pub leader: String,
    pub hardliner: bool,
    pub approval: f32,
    pub factions: Vec<PublicFaction>,
    pub economy: f32,
    pub security: f32,
    /// Political capital: public, as a leader's standing at home is.
    pub capital: f32,
}

/// Own side's private detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivateSide {
    pub brief: std::sync::Arc<str>,
    /// Normalised weights over areas.
    pub priorities: std::sync::Arc<BTreeMap<Area, f32>>,
    pub factions: std::sync::Arc<[FactionDef]>,
    /// Each own faction's reactions by area, worked out from `factions` once per level.
    pub faction_rates: std::sync::Arc<[FactionRates]>,
    pub capital: f32,
    pub gesture_used: bool,
    pub ratify_at: f32,
    pub ouster_below: f32,
}

/// A commitment in force as a side sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentView {
    pub id: u32,
    pub measure: std::sync::Arc<str>,
    pub by: Side,
    pub verification: Option<usize>,
    pub term: Term,
    pub signed_round: u32,
    /// Made as a unilateral gesture.
    pub gesture: bool,
    /// Rounds it was caught broken (public).
    pub caught: u32,
    /// Rounds it was broken unseen: only for one's own commitments.
    pub hidden_breaches: Option<u32>,
}

/// A commitment as `side` sees it: hidden breaches only of its own.
fn commitment_view(c: &super::state::Commitment, measure: Arc<str>, side: Side) -> CommitmentView {
    CommitmentView {
        id: c.id,
        measure,
        by: c.by,
        verification: c.verification,
        term: c.term,
        signed_round: c.signed_round,
        gesture: c.gesture,
        caught: c.caught,
        hidden_breaches: hidden_from(c, side),
    }
}

/// The breaches a side hid: its own count, nothing of the other side's.
fn hidden_from(c: &super::state::Commitment, side: Side) -> Option<u32> {
    (c.by == side).then_some(c.hidden_breaches)
}

/// The event card in play, as one side sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub card: String,
    pub struck: Vec<Side>,
    /// Response ids this side may give now (empty if it need not answer).
    pub my_responses: Vec<String>,
}

/// A news outlet as everyone sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutletView {
    pub id: String,
    pub name: String,
    /// Whose press it is; `None` for the international press.
    pub side: Option<Side>,
    /// 0 (doom-laden) .. 100 (pragmatic).
    pub tone: f32,
    /// Its latest front page.
    pub front: Vec<String>,
}

/// Everything one side may know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideView {
    pub side: Side,
    pub round: u32,
    pub rounds: u32,
    pub stage: Stage,
    pub tension: f32,
    /// trust[A] is A's trust in B; trust[B] is B's trust in A.
    pub trust: [f32; 2],
    pub phase: usize,
    pub exchanges_left: u32,
    pub turn: Side,
    pub pending: Option<(Side, Offer)>,
    /// The offer the pending one answers, when it is a counter-offer, to show what changed
    /// (filled by `view`, left empty by `view_brief`).
    #[serde(default)]
    pub answers: Option<Offer>,
    pub bridge: Option<Offer>,
    pub me: PublicSide,
    pub them: PublicSide,
    pub private: PrivateSide,
    pub commitments: Vec<CommitmentView>,
    pub event: Option<EventView>,
    pub needs: Vec<Need>,
    /// Commitments that could be offered now (measure id, undertaker): prerequisites met,
    /// not yet in force (in the brief view, only while talks are on). Shared between the views
    /// of one state: every move of a round's talks sees the same list.
    pub available: Available,
    /// The meters round by round, as anyone may see them.
    pub history: Vec<PublicSnapshot>,
    /// The press (filled by `view`, left empty by `view_brief`).
    pub outlets: Vec<OutletView>,
    pub ending: Option<Ending>,
    /// Whether an instructor has paused the match.
    #[serde(default)]
    pub paused: bool,
    /// Seconds each round's talks get, if an instructor set a limit.
    #[serde(default)]
    pub round_timer: Option<u32>,
}

impl Match {
    fn public_side(&self, s: Side) -> PublicSide {
        let st = self.side(s);
        let (name, faction_names) = self.scenario.shared_names(s);
        PublicSide {
            name: name.clone(),
            leader: st.leader.clone(),
            hardliner: st.hardliner,
            approval: self.approval(s),
            factions: faction_names
                .iter()
                .zip(&st.approval)
                .zip(&st.approval_before)
                .map(|((f, a), b)| PublicFaction {
                    name: f.clone(),
                    approval: *a,
                    change: a - b,
                })
                .collect(),
            economy: st.economy,
            security: st.security,
            capital: st.capital,
        }
    }

    /// The view of the match `side` is entitled to.
    pub fn view(&self, side: Side) -> SideView {
        let mut v = self.view_brief(side);
        if self.stage != Stage::Negotiation {
            v.available = self.available();
        }
        v.history = self.history.iter().map(PublicSnapshot::from).collect();
        v.answers = self.talks.pending.as_ref().and(self.talks.answers.clone());
        v.outlets = self
            .scenario
            .outlets
            .iter()
            .zip(&self.outlets)
            .map(|(d, o)| OutletView {
                id: d.id.clone(),
                name: d.name.clone(),
                side: d.side,
                tone: o.tone,
                front: o.front.clone(),
            })
            .collect();
        v
    }

    /// The same view without the round-by-round history, the press or the offer a counter
    /// answers, for negotiators that use none of them.
    pub fn view_brief(&self, side: Side) -> SideView {
        let d = self.scenario.side(side);
        SideView {
            side,
            round: self.round,
            rounds: self.scenario.rounds,
            stage: self.stage,
            tension: self.tension,
            trust: self.trust,
            phase: self.phase,
            exchanges_left: self
                .scenario
                .exchanges
                .saturating_sub(self.talks.exchanges_used),
            turn: self.talks.turn,
            pending: self.talks.pending.clone(),
            answers: None,
            bridge: self.bridge.clone(),
            me: self.public_side(side),
            them: self.public_side(side.other()),
            private: PrivateSide {
                brief: self.scenario.brief(side),
                priorities: self.scenario.priority_shares(side),
                factions: self.scenario.factions(side),
                faction_rates: self.scenario.faction_rates(side).clone(),
                capital: self.side(side).capital,
                gesture_used: self.side(side).gesture_used,
                ratify_at: self.ratify_at(side),
                ouster_below: d.ouster_below,
            },
            commitments: self
                .commitments
                .iter()
                .map(|c| commitment_view(c, self.scenario.shared_id(c.measure), side))
                .collect(),
            event: self.event_view(side),
            needs: {
                let mut needs = Vec::new();
                self.each_need(|s, n| {
                    if s == side {
                        needs.push(n);
                    }
                });
                needs
            },
            // Only talks use it; the brief view skips the work for the other stages.
            available: if self.stage == Stage::Negotiation {
                self.available()
            } else {
                Arc::new([])
            },
            history: Vec::new(),
            outlets: Vec::new(),
            ending: self.ending,
            paused: self.paused,
            round_timer: self.round_timer,
        }
    }

    /// Bring `v`, a brief view of `side` made earlier in this match, up to date: the same view
    /// [`Match::view_brief`] gives, written into the lists `v` already holds, so a table that
    /// shows its counterparts a view before every move does not build one each time.
    pub fn refresh_brief(&mut self, side: Side, v: &mut SideView) {
        let d = self.scenario.side(side);
        v.side = side;
        v.round = self.round;
        v.rounds = self.scenario.rounds;
        v.stage = self.stage;
        v.tension = self.tension;
        v.trust = self.trust;
        v.phase = self.phase;
        v.exchanges_left = self
            .scenario
            .exchanges
            .saturating_sub(self.talks.exchanges_used);
        v.turn = self.talks.turn;
        match (&mut v.pending, &self.talks.pending) {
            (Some((s, o)), Some((from, offer))) => {
                *s = *from;
                o.clone_from(offer);
            }
            (to, from) => *to = from.clone(),
        }
        v.answers = None;
        v.bridge.clone_from(&self.bridge);
        self.refresh_public_side(side, &mut v.me);
        self.refresh_public_side(side.other(), &mut v.them);
        let p = &mut v.private;
        share(&mut p.brief, self.scenario.shared_brief(side));
        share(&mut p.priorities, self.scenario.shared_priorities(side));
        share(&mut p.factions, self.scenario.shared_factions(side));
        share(&mut p.faction_rates, self.scenario.faction_rates(side));
        p.capital = self.side(side).capital;
        p.gesture_used = self.side(side).gesture_used;
        p.ratify_at = self.ratify_at(side);
        p.ouster_below = d.ouster_below;
        let ids = self.scenario.shared_ids();
        v.commitments.truncate(self.commitments.len());
        for (i, c) in self.commitments.iter().enumerate() {
            let hidden_breaches = hidden_from(c, side);
            match v.commitments.get_mut(i) {
                Some(cv) => {
                    cv.id = c.id;
                    share(&mut cv.measure, &ids[c.measure]);
                    cv.by = c.by;
                    cv.verification = c.verification;
                    cv.term = c.term;
                    cv.signed_round = c.signed_round;
                    cv.gesture = c.gesture;
                    cv.caught = c.caught;
                    cv.hidden_breaches = hidden_breaches;
                }
                None => v
                    .commitments
                    .push(commitment_view(c, ids[c.measure].clone(), side)),
            }
        }
        v.event = self.event_view(side);
        v.needs.clear();
        self.each_need(|s, n| {
            if s == side {
                v.needs.push(n);
            }
        });
        if self.stage == Stage::Negotiation {
            // The kept list is reached without taking the lock: this is the match's only user.
            let key = self.open_key();
            let open = self.open.0.get_mut().unwrap_or_else(|e| e.into_inner());
            match (key, &*open) {
                (Some(key), Some((k, list))) if *k == key => share(&mut v.available, list),
                _ => {
                    // Another state: build the list (and keep it) the usual way.
                    let list = self.available();
                    share(&mut v.available, &list);
                }
            }
        } else if !v.available.is_empty() {
            v.available = Arc::new([]);
        }
        v.history.clear();
        v.outlets.clear();
        v.ending = self.ending;
        v.paused = self.paused;
        v.round_timer = self.round_timer;
    }

    fn refresh_public_side(&self, s: Side, p: &mut PublicSide) {
        let st = self.side(s);
        let (name, faction_names) = self.scenario.shared_names(s);
        share(&mut p.name, name);
        p.leader.clone_from(&st.leader);
        p.hardliner = st.hardliner;
        p.approval = self.approval(s);
        let n = faction_names
            .len()
            .min(st.approval.len())
            .min(st.approval_before.len());
        p.factions.truncate(n);
        for (i, ((f, a), b)) in faction_names
            .iter()
            .zip(&st.approval)
            .zip(&st.approval_before)
            .enumerate()
        {
            match p.factions.get_mut(i) {
                Some(pf) => {
                    share(&mut pf.name, f);
                    pf.approval = *a;
                    pf.change = a - b;
                }
                None => p.factions.push(PublicFaction {
                    name: f.clone(),
                    approval: *a,
                    change: a - b,
                }),
            }
        }
        p.economy = st.economy;
        p.security = st.security;
        p.capital = st.capital;
    }

    /// The event card in play as `side` sees it.
    fn event_view(&self, side: Side) -> Option<EventView> {
        self.event.as_ref().map(|e| {
            let def = &self.scenario.events[e.card];
            let asked = e.struck.contains(&side) && e.answered[side.idx()].is_none();
            EventView {
                card: def.id.clone(),
                struck: e.struck.clone(),
                my_responses: if asked {
                    def.responses
                        .iter()
                        .filter(|r| self.response_available(side, r))
                        .map(|r| r.id.clone())
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
    }

    /// Commitments that could be offered now: (measure id, undertaker).
    pub fn available(&self) -> Available {
        self.with_available(Arc::clone)
    }

    /// Lend the list of commitments open now to `f`, from the list kept for this state when
    /// there is one.
    fn with_available<R>(&self, f: impl FnOnce(&Available) -> R) -> R {
        let list = || -> Available {
            self.open_commitments()
                .into_iter()
                .map(|(i, by)| (self.scenario.shared_id(i), by))
                .collect()
        };
        let Some(key) = self.open_key() else {
            return f(&list());
        };
        let mut kept = self.open.0.lock().unwrap_or_else(|e| e.into_inner());
        match &*kept {
            Some((k, open)) if *k == key => f(open),
            _ => f(&kept.insert((key, list())).1),
        }
    }

    /// What the open commitments depend on, when the catalogue is small enough to say it in
    /// bit masks (see [`super::derived::Prerequisites`]).
    fn open_key(&self) -> Option<OpenKey> {
        self.scenario.prerequisites()?;
        let mut held = [0u64; 2];
        for c in &self.commitments {
            held[c.by.idx()] |= 1 << c.measure;
        }
        Some((Arc::as_ptr(&self.scenario) as usize, held, self.phase))
    }

    /// The match log as `side` may see it.
    pub fn log_for(&self, side: Side) -> impl Iterator<Item = &Logged> {
        self.log.iter().filter(move |l| l.event.visible_to(side))
    }
}
