//! Player settings: interface scale, colour-blind-safe palette, full screen. Kept as JSON in the
//! data folder.

use bevy::prelude::Resource;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Resource, Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Interface zoom, within [`Settings::SCALES`].
    pub ui_scale: f32,
    /// Blue/orange instead of green/red, and never colour alone.
    pub colour_blind: bool,
    pub fullscreen: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ui_scale: 1.0,
            colour_blind: false,
            fullscreen: false,
        }
    }
}

impl Settings {
    /// The interface scales offered: every screen is laid out to fit at each of them.
    pub const SCALES: [f32; 6] = [0.75, 0.9, 1.0, 1.1, 1.25, 1.5];

    /// The same settings with the scale brought into the range every screen fits.
    pub fn sane(mut self) -> Settings {
        let (lo, hi) = (Self::SCALES[0], Self::SCALES[Self::SCALES.len() - 1]);
        self.ui_scale = if self.ui_scale.is_finite() {
            self.ui_scale.clamp(lo, hi)
        } else {
            1.0
        };
        self
    }

    fn path() -> Option<PathBuf> {
        super::save::data_dir().map(|d| d.join("settings.json"))
    }

    /// Load saved settings, or the defaults.
    pub fn load() -> Settings {
        Self::path()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| serde_json::from_str::<Settings>(&t).ok())
            .unwrap_or_default()
            .sane()
    }

    /// Save the settings (best effort).
    pub fn store(&self) {
        if let Some(p) = Self::path() {
            let _ = super::save::write_atomic(&p, self);
        }
    }
}
