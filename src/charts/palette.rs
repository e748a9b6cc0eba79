//! The colours every chart uses: the Okabe-Ito palette, safe for the common forms of
//! colour-blindness, plus a few greys for text and grid.
//!
//! One palette, fixed roles: the programme arm is always [`PROGRAMME`] (blue) and the
//! comparison arm always [`COMPARISON`] (vermillion), in every chart, so a reader who
//! has learned the colours once can read the whole report. Okabe & Ito (2008), *Color
//! Universal Design*, <https://jfly.uni-koeln.de/color/>.

use plotters::style::RGBColor;

/// Okabe-Ito orange.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe-Ito sky blue.
pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
/// Okabe-Ito bluish green.
pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe-Ito yellow (only for filled shapes with an outline: too light for lines).
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
/// Okabe-Ito blue.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe-Ito vermillion.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe-Ito reddish purple.
pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);

/// The programme arm (families served).
pub const PROGRAMME: RGBColor = BLUE;
/// The comparison arm (families assessed, not served).
pub const COMPARISON: RGBColor = VERMILLION;

/// Main text.
pub const INK: RGBColor = RGBColor(33, 33, 33);
/// Secondary text: subtitles, source lines, notes.
pub const MUTED: RGBColor = RGBColor(96, 96, 96);
/// Estimates shown for reference only (e.g. unweighted shares), and the inputs bar.
pub const NEUTRAL: RGBColor = RGBColor(140, 140, 140);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// Which arm of a study a series belongs to; fixes its colour and legend wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arm {
    /// Families served by the programme.
    Programme,
    /// Families assessed but not served (waiting list, matched, eligible not enrolled).
    Comparison,
}

impl Arm {
    /// The arm's fixed colour.
    pub fn colour(self) -> RGBColor {
        match self {
            Arm::Programme => PROGRAMME,
            Arm::Comparison => COMPARISON,
        }
    }

    /// Legend wording.
    pub fn label(self) -> &'static str {
        match self {
            Arm::Programme => "Programme families",
            Arm::Comparison => "Comparison families",
        }
    }

    /// Legend wording for a figure about children (the child-level survival curve):
    /// it counts children, so it must not read as families.
    pub fn children_label(self) -> &'static str {
        match self {
            Arm::Programme => "Children of programme families",
            Arm::Comparison => "Children of comparison families",
        }
    }
}

/// Colours for unnamed categories, in order; yellow last because it is faint on white.
const CYCLE: [RGBColor; 7] = [
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
];

/// The colour of category `index` in a chart with several unnamed categories.
pub fn category(index: usize) -> RGBColor {
    CYCLE[index % CYCLE.len()]
}

/// Colours for SROI stakeholders. The usual four keep the same colour in every chart
/// (`state` orange, `families` bluish green, `children` reddish purple, `community` sky
/// blue); other names take the remaining colours in order of first appearance.
pub fn stakeholder_colours(names: &[&str]) -> Vec<RGBColor> {
    let fixed = |name: &str| match name.to_ascii_lowercase().as_str() {
        "state" => Some(ORANGE),
        "families" => Some(BLUISH_GREEN),
        "children" => Some(REDDISH_PURPLE),
        "community" => Some(SKY_BLUE),
        _ => None,
    };
    let spare = [BLUE, VERMILLION, YELLOW, NEUTRAL];
    let mut others: Vec<String> = Vec::new();
    names
        .iter()
        .map(|name| {
            fixed(name).unwrap_or_else(|| {
                let key = name.to_ascii_lowercase();
                let pos = others.iter().position(|o| *o == key).unwrap_or_else(|| {
                    others.push(key);
                    others.len() - 1
                });
                spare[pos.min(spare.len() - 1)]
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okabe_ito_values() {
        // Okabe & Ito (2008): blue #0072B2, vermillion #D55E00, bluish green #009E73.
        assert_eq!((BLUE.0, BLUE.1, BLUE.2), (0x00, 0x72, 0xB2));
        assert_eq!(
            (VERMILLION.0, VERMILLION.1, VERMILLION.2),
            (0xD5, 0x5E, 0x00)
        );
        assert_eq!(
            (BLUISH_GREEN.0, BLUISH_GREEN.1, BLUISH_GREEN.2),
            (0x00, 0x9E, 0x73)
        );
    }

    #[test]
    fn arms_have_distinct_fixed_colours() {
        assert_eq!(Arm::Programme.colour(), PROGRAMME);
        assert_eq!(Arm::Comparison.colour(), COMPARISON);
        assert_ne!(PROGRAMME, COMPARISON);
    }

    #[test]
    fn stakeholders_keep_their_colour_and_others_are_stable() {
        let c = stakeholder_colours(&["families", "donors", "State", "donors", "ngo"]);
        assert_eq!(c[0], BLUISH_GREEN);
        assert_eq!(c[1], BLUE);
        assert_eq!(c[2], ORANGE);
        assert_eq!(c[3], BLUE);
        assert_eq!(c[4], VERMILLION);
    }
}
