//! Measurements of the game, run headless through the table driver: the counterparts'
//! tournament, the figures that say how well each bargains, the scripted strategies that probe
//! them for exploits, and the playtest that says whether a level's content comes into play.

pub mod exploits;
pub mod playtest;
pub mod tournament;
