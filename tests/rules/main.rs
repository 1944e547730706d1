//! The rules, the level format and the counterparts, tested without rendering. One binary, one
//! module per topic; `common` holds the levels, positions and moves they share.

mod common;

mod agent;
mod bargaining;
mod cli;
mod concession;
mod conduct;
mod counterparts;
mod determinism;
mod explanations;
mod exploits;
mod headlines;
mod home_front;
mod implementation;
mod levels;
mod playtest;
mod press;
mod privacy;
mod random_play;
mod relationship;
mod report;
mod robust;
mod scoring;
mod statements;
mod steering;
mod table;
mod talks;
mod terms;
mod tournament;
mod views;

#[cfg(feature = "host")]
mod export;
#[cfg(feature = "host")]
mod net;
