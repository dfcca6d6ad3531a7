//! Spectacle lenses as ordered from the lab: material index, design and coatings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Refractive index of the lens material; higher is thinner for strong powers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LensIndex {
    /// 1.50 (standard CR-39).
    #[serde(rename = "1.50")]
    I150,
    /// 1.60.
    #[serde(rename = "1.60")]
    I160,
    /// 1.67.
    #[serde(rename = "1.67")]
    I167,
    /// 1.74.
    #[serde(rename = "1.74")]
    I174,
}

/// The text is not a lens index, design or coating.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown lens option: {0:?}")]
pub struct UnknownLensOption(pub String);

impl LensIndex {
    /// Every index, thickest first.
    pub const ALL: [LensIndex; 4] = [
        LensIndex::I150,
        LensIndex::I160,
        LensIndex::I167,
        LensIndex::I174,
    ];

    /// The index as written in catalogs, `1.60`.
    pub const fn value(self) -> &'static str {
        match self {
            LensIndex::I150 => "1.50",
            LensIndex::I160 => "1.60",
            LensIndex::I167 => "1.67",
            LensIndex::I174 => "1.74",
        }
    }

    /// The index for people (Czech with a decimal comma).
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Cs => self.value().replace('.', ","),
            Lang::En => self.value().to_owned(),
        }
    }
}

impl fmt::Display for LensIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.value())
    }
}

impl FromStr for LensIndex {
    type Err = UnknownLensOption;
    /// Accepts `1.6`, `1,60`, `1.60`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().replace(',', ".");
        let t = if t.len() == 3 { format!("{t}0") } else { t };
        LensIndex::ALL
            .into_iter()
            .find(|i| i.value() == t)
            .ok_or_else(|| UnknownLensOption(s.to_owned()))
    }
}

/// What distances the lens corrects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LensDesign {
    /// One power for all distances.
    SingleVision,
    /// Progressive (varifocal): distance to near.
    Progressive,
    /// Office / near-variable: intermediate to near.
    Office,
}

impl LensDesign {
    /// Every design.
    pub const ALL: [LensDesign; 3] = [
        LensDesign::SingleVision,
        LensDesign::Progressive,
        LensDesign::Office,
    ];

    /// Stable code.
    pub const fn code(self) -> &'static str {
        match self {
            LensDesign::SingleVision => "single_vision",
            LensDesign::Progressive => "progressive",
            LensDesign::Office => "office",
        }
    }

    /// Name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LensDesign::SingleVision => lang.pick("jednoohniskové", "single vision"),
            LensDesign::Progressive => lang.pick("progresivní", "progressive"),
            LensDesign::Office => lang.pick("kancelářské", "office"),
        }
    }

    /// True for designs made from a near addition (the prescription needs an ADD).
    pub const fn needs_add(self) -> bool {
        matches!(self, LensDesign::Progressive | LensDesign::Office)
    }
}

impl FromStr for LensDesign {
    type Err = UnknownLensOption;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        LensDesign::ALL
            .into_iter()
            .find(|d| d.code() == t)
            .ok_or_else(|| UnknownLensOption(s.to_owned()))
    }
}

/// A lens treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coating {
    /// Anti-reflective.
    AntiReflective,
    /// Scratch-resistant hard coat.
    HardCoat,
    /// Blue-light filter.
    BlueFilter,
    /// Darkens in sunlight.
    Photochromic,
    /// Tinted.
    Tint,
}

impl Coating {
    /// Every coating.
    pub const ALL: [Coating; 5] = [
        Coating::AntiReflective,
        Coating::HardCoat,
        Coating::BlueFilter,
        Coating::Photochromic,
        Coating::Tint,
    ];

    /// Stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Coating::AntiReflective => "anti_reflective",
            Coating::HardCoat => "hard_coat",
            Coating::BlueFilter => "blue_filter",
            Coating::Photochromic => "photochromic",
            Coating::Tint => "tint",
        }
    }

    /// Name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Coating::AntiReflective => lang.pick("antireflexní vrstva", "anti-reflective"),
            Coating::HardCoat => lang.pick("tvrzení", "hard coat"),
            Coating::BlueFilter => lang.pick("filtr modrého světla", "blue filter"),
            Coating::Photochromic => lang.pick("fotochromatické", "photochromic"),
            Coating::Tint => lang.pick("tónování", "tint"),
        }
    }
}

impl FromStr for Coating {
    type Err = UnknownLensOption;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        Coating::ALL
            .into_iter()
            .find(|c| c.code() == t)
            .ok_or_else(|| UnknownLensOption(s.to_owned()))
    }
}

/// One lens as ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensSpec {
    /// Material index.
    pub index: LensIndex,
    /// Design.
    pub design: LensDesign,
    /// Treatments, in the order chosen.
    pub coatings: Vec<Coating>,
}

impl LensSpec {
    /// Labels for people: design, index, then each coating.
    pub fn labels(&self, lang: Lang) -> Vec<String> {
        let mut out = vec![self.design.label(lang).to_owned(), self.index.label(lang)];
        out.extend(self.coatings.iter().map(|c| c.label(lang).to_owned()));
        out
    }

    /// One line for order summaries, e.g. `progresivní, 1,60, tvrzení`.
    pub fn describe(&self, lang: Lang) -> String {
        self.labels(lang).join(", ")
    }
}

/// The two lenses of a pair of glasses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LensPair {
    /// Right lens.
    pub right: LensSpec,
    /// Left lens.
    pub left: LensSpec,
}

/// Advice when a lens index is unusual for the power it must carry: thick, heavy
/// lenses at 1.50 for strong powers, or paying for 1.74 on a weak one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexAdvice {
    /// The lenses will be thick at this index; suggests a thinner one.
    TooThick {
        /// The index recommended for this power.
        suggested: LensIndex,
    },
    /// A high index brings nothing visible at this power; a cheaper one will do.
    Unneeded {
        /// The index that is enough.
        suggested: LensIndex,
    },
}

/// The index usually chosen for the strongest meridian's power (hundredths of a
/// dioptre, absolute): up to 2 D 1.50, to 4 D 1.60, to 6 D 1.67, beyond 1.74.
pub fn usual_index(strongest_hundredths: i32) -> LensIndex {
    match strongest_hundredths.unsigned_abs() {
        0..=200 => LensIndex::I150,
        201..=400 => LensIndex::I160,
        401..=600 => LensIndex::I167,
        _ => LensIndex::I174,
    }
}

/// The strongest meridian of an eye, hundredths of a dioptre (absolute): the larger
/// of |SPH| and |SPH + CYL|.
pub fn strongest_meridian(sph_hundredths: i32, cyl_hundredths: i32) -> i32 {
    sph_hundredths
        .abs()
        .max((sph_hundredths + cyl_hundredths).abs())
}

/// Advice for `chosen` given the strongest power of the pair, if the choice is more
/// than one step off the usual index.
pub fn index_advice(strongest_hundredths: i32, chosen: LensIndex) -> Option<IndexAdvice> {
    let usual = usual_index(strongest_hundredths);
    let pos = |i: LensIndex| LensIndex::ALL.iter().position(|x| *x == i).unwrap_or(0);
    let (u, c) = (pos(usual), pos(chosen));
    if c + 1 < u {
        Some(IndexAdvice::TooThick { suggested: usual })
    } else if c > u + 1 {
        Some(IndexAdvice::Unneeded { suggested: usual })
    } else {
        None
    }
}

impl IndexAdvice {
    /// The advice for people.
    pub fn message(self, lang: Lang) -> String {
        let (cs, en, suggested) = match self {
            IndexAdvice::TooThick { suggested } => (
                "Na tuto dioptrii budou čočky silné a těžké; obvykle se volí index",
                "The lenses will be thick and heavy for this power; usual is index",
                suggested,
            ),
            IndexAdvice::Unneeded { suggested } => (
                "Tak vysoký index na tuto dioptrii nic nepřinese; stačí",
                "So high an index brings nothing at this power; enough is",
                suggested,
            ),
        };
        format!("{} {}.", lang.pick(cs, en), suggested.label(lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusual_index_choices_are_flagged() {
        // −6.00 / −1.50: strongest meridian 7.50 D.
        let strong = strongest_meridian(-600, -150);
        assert_eq!(strong, 750);
        assert_eq!(
            index_advice(strong, LensIndex::I150),
            Some(IndexAdvice::TooThick {
                suggested: LensIndex::I174
            })
        );
        assert_eq!(index_advice(strong, LensIndex::I167), None);
        assert_eq!(
            index_advice(100, LensIndex::I174),
            Some(IndexAdvice::Unneeded {
                suggested: LensIndex::I150
            })
        );
        assert_eq!(index_advice(100, LensIndex::I160), None);
        assert!(
            IndexAdvice::TooThick {
                suggested: LensIndex::I167
            }
            .message(Lang::Cs)
            .contains("1,67")
        );
    }

    #[test]
    fn index_values_and_parsing() {
        assert_eq!(LensIndex::I160.value(), "1.60");
        assert_eq!(LensIndex::I167.label(Lang::Cs), "1,67");
        for (s, i) in [
            ("1.5", LensIndex::I150),
            ("1,60", LensIndex::I160),
            (" 1.74 ", LensIndex::I174),
        ] {
            assert_eq!(s.parse::<LensIndex>(), Ok(i), "{s}");
        }
        assert!("1.70".parse::<LensIndex>().is_err());
        assert_eq!(serde_json::to_string(&LensIndex::I150).unwrap(), "\"1.50\"");
    }

    #[test]
    fn codes_parse_back() {
        for d in LensDesign::ALL {
            assert_eq!(d.code().parse::<LensDesign>(), Ok(d));
            assert_eq!(
                serde_json::to_string(&d).unwrap(),
                format!("\"{}\"", d.code())
            );
        }
        for c in Coating::ALL {
            assert_eq!(c.code().parse::<Coating>(), Ok(c));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.code())
            );
        }
        assert!(LensDesign::Progressive.needs_add());
        assert!(!LensDesign::SingleVision.needs_add());
    }

    #[test]
    fn labels() {
        let spec = LensSpec {
            index: LensIndex::I160,
            design: LensDesign::Progressive,
            coatings: vec![Coating::HardCoat, Coating::AntiReflective],
        };
        assert_eq!(
            spec.describe(Lang::Cs),
            "progresivní, 1,60, tvrzení, antireflexní vrstva"
        );
        assert_eq!(
            spec.labels(Lang::En),
            vec!["progressive", "1.60", "hard coat", "anti-reflective"]
        );
    }
}
