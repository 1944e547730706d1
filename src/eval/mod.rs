//! Measurements of the game, run headless through the table driver: the counterparts'
//! tournament, and the figures that say how well each bargains.

pub mod tournament;
