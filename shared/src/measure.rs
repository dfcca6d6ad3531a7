//! Optical measurement units as fixed-point integers, so that the 0.25 D and 0.5 mm
//! steps opticians work in are exact and comparable (no `f64` drift in 0.1 + 0.2).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Lens power in hundredths of a dioptre (`-225` is −2.25 D). Serialises as that integer.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Diopters(i32);

/// A length in tenths of a millimetre (`325` is 32.5 mm). Serialises as that integer.
///
/// Tenths rather than halves, so a mistyped `32.3` is still representable and
/// validation can say "step 0.5" instead of the parser rejecting it.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Millimetres(i32);

/// The text is not a number in the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid value: {0:?}")]
pub struct MeasureParseError(pub String);

/// Parses `[+|-]digits[(.|,)digits]` with at most `decimals` decimals into an integer
/// scaled by 10^`decimals`.
fn parse_fixed(s: &str, decimals: u32) -> Result<i32, MeasureParseError> {
    let bad = || MeasureParseError(s.to_owned());
    let t = s.trim();
    let (negative, t) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = t.split_once([',', '.']).unwrap_or((t, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > decimals as usize {
        return Err(bad());
    }
    let scale = 10i64.pow(decimals);
    let mut value: i64 = int.parse::<i64>().map_err(|_| bad())?;
    let mut frac_value: i64 = 0;
    for (i, b) in frac.bytes().enumerate() {
        frac_value += i64::from(b - b'0') * 10i64.pow(decimals - 1 - i as u32);
    }
    value = value
        .checked_mul(scale)
        .and_then(|v| v.checked_add(frac_value))
        .ok_or_else(bad)?;
    let value = if negative { -value } else { value };
    i32::try_from(value).map_err(|_| bad())
}

impl Diopters {
    /// Plano.
    pub const ZERO: Diopters = Diopters(0);

    /// From hundredths of a dioptre.
    pub const fn from_hundredths(hundredths: i32) -> Self {
        Self(hundredths)
    }

    /// The value in hundredths of a dioptre.
    pub const fn hundredths(self) -> i32 {
        self.0
    }

    /// True for zero power.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True on the 0.25 D grid lenses are made in.
    pub const fn is_quarter_step(self) -> bool {
        self.0 % 25 == 0
    }

    /// Parses `-2,25`, `+1.50`, `-2.25`, `1.5`, `0`; also `pl`/`plano` for zero.
    pub fn parse(s: &str) -> Result<Diopters, MeasureParseError> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("pl") || t.eq_ignore_ascii_case("plano") {
            return Ok(Diopters::ZERO);
        }
        parse_fixed(t, 2)
            .map(Diopters)
            .map_err(|_| MeasureParseError(s.to_owned()))
    }

    /// Signed, two decimals; Czech with a decimal comma (`+1,50`), English with a dot.
    /// Zero has no sign (`0.00`), as opticians write it.
    pub fn format(self, lang: Lang) -> String {
        let sign = match self.0 {
            0 => "",
            v if v < 0 => "-",
            _ => "+",
        };
        let abs = self.0.unsigned_abs();
        let sep = lang.pick(",", ".");
        format!("{sign}{}{sep}{:02}", abs / 100, abs % 100)
    }
}

impl fmt::Display for Diopters {
    /// `+1.50`, `-2.25`, `0.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Lang::En))
    }
}

impl FromStr for Diopters {
    type Err = MeasureParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Diopters::parse(s)
    }
}

impl Millimetres {
    /// From tenths of a millimetre.
    pub const fn from_tenths(tenths: i32) -> Self {
        Self(tenths)
    }

    /// From whole millimetres (saturating).
    pub const fn from_mm(mm: i32) -> Self {
        Self(mm.saturating_mul(10))
    }

    /// The value in tenths of a millimetre.
    pub const fn tenths(self) -> i32 {
        self.0
    }

    /// Parses `32`, `32,5`, `32.5`.
    pub fn parse(s: &str) -> Result<Millimetres, MeasureParseError> {
        parse_fixed(s, 1).map(Millimetres)
    }

    /// `32` or `32.5` (`32,5` in Czech): a trailing `.0` is noise on a measuring card.
    pub fn format(self, lang: Lang) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        match abs % 10 {
            0 => format!("{sign}{}", abs / 10),
            d => format!("{sign}{}{}{d}", abs / 10, lang.pick(",", ".")),
        }
    }
}

impl fmt::Display for Millimetres {
    /// `32` or `32.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format(Lang::En))
    }
}

impl FromStr for Millimetres {
    type Err = MeasureParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Millimetres::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn diopters_parse_and_format() {
        for (s, h) in [
            ("-2,25", -225),
            ("+1.50", 150),
            ("-2.25", -225),
            ("1.5", 150),
            ("0", 0),
            ("plano", 0),
            ("−0,75", -75),
            (" +12 ", 1200),
        ] {
            assert_eq!(Diopters::parse(s), Ok(Diopters::from_hundredths(h)), "{s}");
        }
        for bad in ["", "+", "1.234", "abc", "1,2,3", "--1", ".5", "99999999999"] {
            assert!(Diopters::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Diopters::from_hundredths(150).to_string(), "+1.50");
        assert_eq!(Diopters::from_hundredths(-225).to_string(), "-2.25");
        assert_eq!(Diopters::from_hundredths(-5).to_string(), "-0.05");
        assert_eq!(Diopters::ZERO.to_string(), "0.00");
        assert_eq!(Diopters::from_hundredths(-225).format(Lang::Cs), "-2,25");
        assert!(Diopters::from_hundredths(-225).is_quarter_step());
        assert!(!Diopters::from_hundredths(-220).is_quarter_step());
    }

    #[test]
    fn millimetres_parse_and_format() {
        assert_eq!(
            Millimetres::parse("32,5"),
            Ok(Millimetres::from_tenths(325))
        );
        assert_eq!(Millimetres::parse("64"), Ok(Millimetres::from_mm(64)));
        assert!(Millimetres::parse("32.25").is_err());
        assert_eq!(Millimetres::from_tenths(325).to_string(), "32.5");
        assert_eq!(Millimetres::from_tenths(325).format(Lang::Cs), "32,5");
        assert_eq!(Millimetres::from_mm(64).to_string(), "64");
        assert_eq!(
            serde_json::to_string(&Millimetres::from_mm(64)).unwrap(),
            "640"
        );
    }

    proptest! {
        #[test]
        fn diopters_round_trip(h in any::<i32>()) {
            let d = Diopters::from_hundredths(h);
            prop_assert_eq!(Diopters::parse(&d.to_string()), Ok(d));
            prop_assert_eq!(Diopters::parse(&d.format(Lang::Cs)), Ok(d));
        }

        #[test]
        fn millimetres_round_trip(t in any::<i32>()) {
            let m = Millimetres::from_tenths(t);
            prop_assert_eq!(Millimetres::parse(&m.to_string()), Ok(m));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = Diopters::parse(&s);
            let _ = Millimetres::parse(&s);
        }
    }
}
