//! Measurements of the game, run headless through the table driver: the counterparts'
//! tournament, the figures that say how well each bargains, the scripted strategies that probe
//! them for exploits, the playtest that says whether a level's content comes into play, and the
//! bargaining core on generated domains.

pub mod bargain;
pub mod exploits;
pub mod playtest;
pub mod tournament;
