//! Idle CPU: keep the reactive window asleep unless something really changes.

use bevy::prelude::*;

pub fn plugin(_app: &mut App) {}
