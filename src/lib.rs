//! Détente: a negotiation training game. Two states with a history of enmity trade concessions,
//! deals and guarantees round by round while their home fronts and press react.

pub mod ai;
#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod eval;
pub mod level;
pub mod net;
pub mod report;
pub mod runner;
pub mod sim;
pub mod table;
