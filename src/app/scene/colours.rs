//! The scene's colours, in the ordinary palette and the colour-blind-safe one (Okabe-Ito: blue
//! against orange, bluish green against vermillion), as plain sRGB bytes so the interface can
//! draw a state in the colour the map gives it.

/// sRGB bytes.
pub type Rgb = [u8; 3];

/// Every colour the scene draws with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colours {
    /// Each state's symbols and leader, state A then B.
    pub side: [Rgb; 2],
    pub land: [Rgb; 2],
    pub water: Rgb,
    pub sky: Rgb,
    /// The border when calm, and at the clash line.
    pub border_calm: Rgb,
    pub border_alarm: Rgb,
    pub cheering: Rgb,
    pub calm: Rgb,
    pub protesting: Rgb,
    /// The cross over a commitment caught broken.
    pub broken: Rgb,
}

impl Colours {
    /// The scene's colours; `colour_blind` for the palette the settings call colour-blind-safe.
    pub fn new(colour_blind: bool) -> Colours {
        let common = Colours {
            side: [[69, 140, 217], [230, 153, 51]],
            land: [[74, 92, 77], [97, 89, 69]],
            water: [56, 107, 153],
            sky: [41, 69, 92],
            border_calm: [217, 217, 204],
            border_alarm: [242, 38, 31],
            cheering: [115, 204, 115],
            calm: [204, 204, 191],
            protesting: [230, 77, 64],
            broken: [242, 31, 26],
        };
        if !colour_blind {
            return common;
        }
        Colours {
            side: [[86, 180, 233], [230, 159, 0]],
            land: [[70, 80, 92], [96, 88, 70]],
            border_alarm: [213, 94, 0],
            cheering: [0, 158, 115],
            protesting: [213, 94, 0],
            broken: [20, 20, 20],
            ..common
        }
    }
}
