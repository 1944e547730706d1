//! Measurements of the game, run headless through the table driver: the counterparts'
//! tournament, the figures that say how well each bargains, and the playtest that says whether a
//! level's content comes into play.

pub mod playtest;
pub mod tournament;
