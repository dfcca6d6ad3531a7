//! Money in Czech crowns, held as whole haléře (1/100 CZK) in an `i64` so sums are
//! exact; floating point never touches an amount.
//!
//! Formatting uses a plain ASCII space as the Czech thousands separator and before
//! "Kč" (not U+00A0): the text then compares, greps and exports predictably, and a
//! UI that must not wrap an amount can style it `white-space: nowrap`. Parsing accepts
//! both spaces.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// An amount of CZK in haléře. Serialises as that integer.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    /// Nothing but whitespace.
    #[error("no amount given")]
    Empty,
    /// More than two digits after the decimal separator.
    #[error("at most two decimal places are allowed: {0:?}")]
    TooManyDecimals(String),
    /// Does not fit an `i64` of haléře.
    #[error("amount too large: {0:?}")]
    TooLarge(String),
    /// Not a number.
    #[error("not an amount: {0:?}")]
    Invalid(String),
}

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);

    /// From haléře.
    pub const fn from_haler(haler: i64) -> Self {
        Self(haler)
    }

    /// From whole crowns; saturates at the `i64` range, far above any real amount.
    pub const fn from_czk(czk: i64) -> Self {
        Self(czk.saturating_mul(100))
    }

    /// The amount in haléře.
    pub const fn haler(self) -> i64 {
        self.0
    }

    /// True for zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The absolute value (saturating).
    pub const fn abs(self) -> Self {
        Self(self.0.saturating_abs())
    }

    /// Sum, or `None` on overflow.
    pub const fn checked_add(self, other: Money) -> Option<Money> {
        match self.0.checked_add(other.0) {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// Difference, or `None` on overflow.
    pub const fn checked_sub(self, other: Money) -> Option<Money> {
        match self.0.checked_sub(other.0) {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// Sum clamped to the `i64` range.
    pub const fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    /// Difference clamped to the `i64` range.
    pub const fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }

    /// Unit price times quantity, or `None` on overflow.
    pub const fn checked_mul_qty(self, qty: u32) -> Option<Money> {
        match self.0.checked_mul(qty as i64) {
            Some(v) => Some(Money(v)),
            None => None,
        }
    }

    /// Unit price times quantity, saturating (overflow needs amounts of ~10^16 CZK).
    pub const fn mul_qty(self, qty: u32) -> Money {
        Money(self.0.saturating_mul(qty as i64))
    }

    /// `basis_points`/10 000 of this amount, rounded to whole haléř half away from zero
    /// (how a percentage discount is computed: 1 000 bp = 10 %).
    pub fn basis_points(self, basis_points: u32) -> Money {
        Money(div_round_half_away(
            i128::from(self.0) * i128::from(basis_points),
            10_000,
        ))
    }

    /// Machine form with a dot and two decimals, e.g. `-1299.50` (SPAYD `AM`, Pohoda XML).
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Human form: Czech `1 299,00 Kč` / `-1 299,00 Kč`, English `CZK 1,299.00` /
    /// `-CZK 1,299.00`.
    pub fn format(self, lang: Lang) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (sep, dec) = match lang {
            Lang::Cs => (' ', ','),
            Lang::En => (',', '.'),
        };
        let whole = group_thousands(abs / 100, sep);
        let cents = abs % 100;
        match lang {
            Lang::Cs => format!("{sign}{whole}{dec}{cents:02} Kč"),
            Lang::En => format!("{sign}CZK {whole}{dec}{cents:02}"),
        }
    }

    /// Parses what people type: `1299`, `1 299,50`, `1299.5`, `-12,30`, also with a
    /// `Kč`/`CZK` affix and English grouping `1,299.50`. At most two decimals.
    pub fn parse(s: &str) -> Result<Money, MoneyParseError> {
        let original = s;
        let invalid = || MoneyParseError::Invalid(original.to_owned());
        let mut t = s.trim();
        if t.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        // The sign may stand before or after a leading currency (`-CZK 5`, `CZK -5`).
        let mut negative = None;
        let mut take_sign = |t: &mut &str| {
            if negative.is_none() {
                if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
                    negative = Some(true);
                    *t = r.trim_start();
                } else if let Some(r) = t.strip_prefix('+') {
                    negative = Some(false);
                    *t = r.trim_start();
                }
            }
        };
        take_sign(&mut t);
        for affix in ["Kč", "CZK", "kč", "czk"] {
            if let Some(r) = t.strip_suffix(affix) {
                t = r.trim_end();
            } else if let Some(r) = t.strip_prefix(affix) {
                t = r.trim_start();
            }
        }
        take_sign(&mut t);
        let negative = negative.unwrap_or(false);
        let compact: String = t
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        // With both separators present, the English form is the only sane reading:
        // commas group thousands and the dot is the decimal point.
        let (int_part, frac_part) = if compact.contains('.') && compact.contains(',') {
            let (int, frac) = compact.split_once('.').ok_or_else(invalid)?;
            let mut groups = int.split(',');
            let first = groups.next().unwrap_or_default();
            if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
                return Err(invalid());
            }
            (int.replace(',', ""), Some(frac.to_owned()))
        } else {
            match compact.split_once([',', '.']) {
                Some((int, frac)) => (int.to_owned(), Some(frac.to_owned())),
                None => (compact.clone(), None),
            }
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(&int_part) {
            return Err(invalid());
        }
        let frac = match frac_part {
            None => 0,
            Some(f) if f.is_empty() => 0,
            Some(f) if !all_digits(&f) => return Err(invalid()),
            Some(f) if f.len() > 2 => {
                return Err(MoneyParseError::TooManyDecimals(original.to_owned()));
            }
            Some(f) if f.len() == 1 => i64::from(f.as_bytes()[0] - b'0') * 10,
            Some(f) => i64::from(f.as_bytes()[0] - b'0') * 10 + i64::from(f.as_bytes()[1] - b'0'),
        };
        let too_large = || MoneyParseError::TooLarge(original.to_owned());
        let whole: i64 = int_part.parse().map_err(|_| too_large())?;
        let haler = whole
            .checked_mul(100)
            .and_then(|h| h.checked_add(frac))
            .ok_or_else(too_large)?;
        Ok(Money(if negative { -haler } else { haler }))
    }
}

/// `n / d` rounded to the nearest integer, halves away from zero; `d` must be positive.
/// The result saturates at the `i64` range.
pub(crate) fn div_round_half_away(n: i128, d: i128) -> i64 {
    let q = n / d;
    let r = n % d;
    let q = if 2 * r.abs() >= d { q + n.signum() } else { q };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

fn group_thousands(mut n: u64, sep: char) -> String {
    let mut groups = Vec::new();
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut out = String::new();
    for (i, g) in groups.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&g.to_string());
        } else {
            out.push(sep);
            out.push_str(&format!("{g:03}"));
        }
    }
    out
}

impl fmt::Display for Money {
    /// The machine form, e.g. `1299.50`; use [`Money::format`] for people.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

impl std::str::FromStr for Money {
    type Err = MoneyParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

// The operators saturate rather than panic: an overflow needs ~10^16 CZK, and a
// panic in the office over corrupted input would be worse than a clamped number.
impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        self.saturating_add(rhs)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        self.saturating_sub(rhs)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = self.saturating_add(rhs);
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = self.saturating_sub(rhs);
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Money::saturating_add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_czech_and_english() {
        let m = Money::from_haler(129_900);
        assert_eq!(m.format(Lang::Cs), "1 299,00 Kč");
        assert_eq!(m.format(Lang::En), "CZK 1,299.00");
        assert_eq!(Money::from_haler(-1230).format(Lang::Cs), "-12,30 Kč");
        assert_eq!(Money::from_haler(-1230).format(Lang::En), "-CZK 12.30");
        assert_eq!(Money::ZERO.format(Lang::Cs), "0,00 Kč");
        assert_eq!(
            Money::from_czk(1_234_567).format(Lang::Cs),
            "1 234 567,00 Kč"
        );
        assert_eq!(Money::from_haler(5).format(Lang::En), "CZK 0.05");
        assert_eq!(Money::from_haler(100_000).format(Lang::Cs), "1 000,00 Kč");
        assert_eq!(
            Money::from_haler(i64::MIN).to_decimal_string(),
            "-92233720368547758.08"
        );
        assert_eq!(Money::from_haler(-5).to_string(), "-0.05");
    }

    #[test]
    fn parses_what_people_type() {
        let ok = [
            ("1299", 129_900),
            ("1 299,50", 129_950),
            ("1299.5", 129_950),
            ("-12,30", -1230),
            ("+7", 700),
            ("1\u{a0}299,00 Kč", 129_900),
            ("CZK 1,299.00", 129_900),
            ("12,", 1200),
            ("0,05", 5),
        ];
        for (s, h) in ok {
            assert_eq!(Money::parse(s), Ok(Money::from_haler(h)), "{s}");
        }
        assert_eq!(Money::parse(" "), Err(MoneyParseError::Empty));
        assert!(matches!(
            Money::parse("1,234"),
            Err(MoneyParseError::TooManyDecimals(_))
        ));
        assert!(matches!(
            Money::parse("12.345"),
            Err(MoneyParseError::TooManyDecimals(_))
        ));
        for junk in [
            "abc",
            "12a",
            "1.2.3",
            ",50",
            "--1",
            "1,2,3.00",
            "12,34,5.00",
            "1e3",
        ] {
            assert!(
                matches!(Money::parse(junk), Err(MoneyParseError::Invalid(_))),
                "{junk}"
            );
        }
        assert!(matches!(
            Money::parse("999999999999999999999"),
            Err(MoneyParseError::TooLarge(_))
        ));
    }

    #[test]
    fn arithmetic() {
        let a = Money::from_czk(10);
        let b = Money::from_haler(250);
        assert_eq!(a + b, Money::from_haler(1250));
        assert_eq!(a - b, Money::from_haler(750));
        assert_eq!(-b, Money::from_haler(-250));
        assert_eq!(b.mul_qty(3), Money::from_haler(750));
        assert_eq!(Money::from_haler(i64::MAX).checked_add(b), None);
        assert_eq!(
            Money::from_haler(i64::MAX).mul_qty(2),
            Money::from_haler(i64::MAX)
        );
        assert_eq!(Money::from_haler(i64::MAX).checked_mul_qty(2), None);
        assert_eq!([a, b, b].iter().sum::<Money>(), Money::from_haler(1500));
        assert!(b < a);
        assert_eq!(
            Money::from_haler(1999).basis_points(1000),
            Money::from_haler(200)
        );
        assert_eq!(
            Money::from_haler(-1995).basis_points(1000),
            Money::from_haler(-200)
        );
        assert_eq!(serde_json::to_string(&a).unwrap(), "1000");
        assert_eq!(
            serde_json::from_str::<Money>("-5").unwrap(),
            Money::from_haler(-5)
        );
    }

    proptest! {
        #[test]
        fn format_parses_back(h in -10_000_000_000_000i64..10_000_000_000_000) {
            let m = Money::from_haler(h);
            prop_assert_eq!(Money::parse(&m.format(Lang::Cs)), Ok(m));
            prop_assert_eq!(Money::parse(&m.format(Lang::En)), Ok(m));
            prop_assert_eq!(Money::parse(&m.to_string()), Ok(m));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = Money::parse(&s);
        }
    }
}
