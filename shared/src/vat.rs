//! VAT rates and splitting a VAT-inclusive (gross) price into base and VAT.
//!
//! A rate is data carried by each product and order line; this module only knows
//! which rates the Czech law currently allows (21 %, 12 %, 0 %). When the law
//! changes, a constant is added here and old lines keep the rate they were sold at.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::Lang;
use crate::money::{Money, div_round_half_away};

/// A VAT rate in basis points (2 100 = 21 %). Serialises as the whole percent (`21`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VatRate(u16);

impl VatRate {
    /// 21 %, the standard rate (frames, lenses, most goods and services).
    pub const STANDARD: VatRate = VatRate(2100);
    /// 12 %, the reduced rate.
    pub const REDUCED: VatRate = VatRate(1200);
    /// 0 %, exempt supplies.
    pub const ZERO: VatRate = VatRate(0);
    /// Every rate in force, highest first.
    pub const ALL: [VatRate; 3] = [VatRate::STANDARD, VatRate::REDUCED, VatRate::ZERO];

    /// The rate for a whole percent, if it is a rate in force.
    pub fn from_percent(percent: u8) -> Option<VatRate> {
        VatRate::ALL
            .into_iter()
            .find(|r| r.0 == u16::from(percent) * 100)
    }

    /// The rate in whole percent (all rates in force are whole).
    pub const fn percent(self) -> u8 {
        // Rates are only built from `ALL`, so this always fits.
        (self.0 / 100) as u8
    }

    /// The rate in basis points.
    pub const fn basis_points(self) -> u16 {
        self.0
    }

    /// Pohoda's `rateVAT` value.
    pub const fn pohoda_code(self) -> &'static str {
        match self.0 {
            2100 => "high",
            1200 => "low",
            _ => "none",
        }
    }

    /// Text for people, e.g. `21 %` (Czech puts a space before the sign) / `21%`.
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Cs => format!("{} %", self.percent()),
            Lang::En => format!("{}%", self.percent()),
        }
    }
}

impl fmt::Display for VatRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

impl Serialize for VatRate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.percent())
    }
}

impl<'de> Deserialize<'de> for VatRate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = u8::deserialize(d)?;
        VatRate::from_percent(p).ok_or_else(|| {
            serde::de::Error::custom(format!("{p} % is not a VAT rate in force (21, 12, 0)"))
        })
    }
}

/// Splits a VAT-inclusive amount into `(base, vat)`.
///
/// Rounding: the VAT is computed from the gross as `gross × rate / (100 + rate)` (the
/// Czech VAT act's method for prices including tax, §37) and rounded to whole haléř,
/// halves away from zero; the base is then `gross − vat`. Rounding the VAT rather than
/// the base keeps the printed gross price exactly what the client pays, and
/// `base + vat == gross` always holds. Apply it to the sum per rate, not per line, so
/// rounding errors do not add up.
pub fn vat_from_gross(gross: Money, rate: VatRate) -> (Money, Money) {
    let bp = i128::from(rate.basis_points());
    let vat = Money::from_haler(div_round_half_away(
        i128::from(gross.haler()) * bp,
        10_000 + bp,
    ));
    (gross.saturating_sub(vat), vat)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rates() {
        assert_eq!(VatRate::from_percent(21), Some(VatRate::STANDARD));
        assert_eq!(VatRate::from_percent(12), Some(VatRate::REDUCED));
        assert_eq!(VatRate::from_percent(0), Some(VatRate::ZERO));
        assert_eq!(VatRate::from_percent(15), None);
        assert_eq!(VatRate::from_percent(255), None);
        assert_eq!(VatRate::STANDARD.percent(), 21);
        assert_eq!(VatRate::STANDARD.pohoda_code(), "high");
        assert_eq!(VatRate::REDUCED.pohoda_code(), "low");
        assert_eq!(VatRate::ZERO.pohoda_code(), "none");
        assert_eq!(VatRate::REDUCED.label(Lang::Cs), "12 %");
        assert_eq!(serde_json::to_string(&VatRate::STANDARD).unwrap(), "21");
        assert_eq!(
            serde_json::from_str::<VatRate>("12").unwrap(),
            VatRate::REDUCED
        );
        assert!(serde_json::from_str::<VatRate>("15").is_err());
    }

    #[test]
    fn known_splits() {
        // 1 210,00 Kč at 21 % is exactly 1 000 + 210.
        assert_eq!(
            vat_from_gross(Money::from_czk(1210), VatRate::STANDARD),
            (Money::from_czk(1000), Money::from_czk(210))
        );
        // 1 299,00 × 21/121 = 225.446… → 225,45.
        assert_eq!(
            vat_from_gross(Money::from_czk(1299), VatRate::STANDARD),
            (Money::from_haler(107_355), Money::from_haler(22_545))
        );
        // 0,14 Kč at 12 % holds exactly 1.5 haléře of VAT: the half rounds away from zero.
        assert_eq!(
            vat_from_gross(Money::from_haler(14), VatRate::REDUCED),
            (Money::from_haler(12), Money::from_haler(2))
        );
        assert_eq!(
            vat_from_gross(Money::from_haler(-14), VatRate::REDUCED),
            (Money::from_haler(-12), Money::from_haler(-2))
        );
        assert_eq!(
            vat_from_gross(Money::from_czk(500), VatRate::ZERO),
            (Money::from_czk(500), Money::ZERO)
        );
    }

    proptest! {
        #[test]
        fn base_plus_vat_is_gross(g in -1_000_000_000_000i64..1_000_000_000_000, r in 0usize..3) {
            let rate = VatRate::ALL[r];
            let (base, vat) = vat_from_gross(Money::from_haler(g), rate);
            prop_assert_eq!(base.haler() + vat.haler(), g);
            // |vat − g·r/(1+r)| ≤ ½ haléř, i.e. |vat·(10000+bp) − g·bp| ≤ (10000+bp)/2.
            let bp = i128::from(rate.basis_points());
            let diff = (i128::from(vat.haler()) * (10_000 + bp) - i128::from(g) * bp).abs();
            prop_assert!(2 * diff <= 10_000 + bp, "vat {} off for {}", vat.haler(), g);
        }
    }
}
