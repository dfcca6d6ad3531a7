//! A glasses order: frame, lenses, the prescription they are made from, priced lines,
//! discounts, a deposit and the workflow status. Totals live in [`totals`].

use serde::{Deserialize, Serialize};

use crate::frame::Frame;
use crate::ids::{AdviserId, ClientId, OrderId, OrderLineId, PrescriptionId, ProductId};
use crate::lang::Lang;
use crate::lens::LensPair;
use crate::money::Money;
use crate::status::OrderStatus;
use crate::validate::{self, FieldError, Problem, reason};
use crate::vat::VatRate;

pub mod notes;
pub mod payment;
pub mod totals;

pub use totals::{LineTotal, Totals};

/// What an order line sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A frame.
    Frame,
    /// A lens (usually quantity 2, or one line per eye).
    Lens,
    /// A lens treatment priced separately.
    Coating,
    /// Work: eye test, fitting, home visit.
    Service,
    /// Case, cloth, cord, spray.
    Accessory,
    /// Contact lenses.
    ContactLens,
    /// Anything else.
    Other,
}

impl LineKind {
    /// Name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LineKind::Frame => lang.pick("Obruba", "Frame"),
            LineKind::Lens => lang.pick("Brýlová čočka", "Lens"),
            LineKind::Coating => lang.pick("Úprava čoček", "Coating"),
            LineKind::Service => lang.pick("Služba", "Service"),
            LineKind::Accessory => lang.pick("Příslušenství", "Accessory"),
            LineKind::ContactLens => lang.pick("Kontaktní čočky", "Contact lenses"),
            LineKind::Other => lang.pick("Ostatní", "Other"),
        }
    }
}

/// A discount on a line or on the whole order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Discount {
    /// No discount.
    #[default]
    None,
    /// A percentage in basis points (1 000 = 10 %), of the gross it applies to.
    Percent(u16),
    /// A fixed gross amount off the whole line (not per unit) or the whole order.
    Amount(Money),
}

/// 100 % in basis points.
const FULL: u16 = 10_000;

impl Discount {
    /// How much comes off `gross`: a percentage is rounded to whole haléř half away
    /// from zero; the result is clamped to `0..=gross`, so a discount can never make an
    /// amount negative (bad input is reported by `validate`, not by a negative total).
    pub fn amount_off(self, gross: Money) -> Money {
        if gross <= Money::ZERO {
            return Money::ZERO;
        }
        let off = match self {
            Discount::None => Money::ZERO,
            Discount::Percent(bp) => gross.basis_points(u32::from(bp.min(FULL))),
            Discount::Amount(a) => a,
        };
        off.clamp(Money::ZERO, gross)
    }

    /// Text for people: `10 %` / `10%`, or the formatted amount; empty for none.
    pub fn label(self, lang: Lang) -> String {
        match self {
            Discount::None => String::new(),
            Discount::Percent(bp) => {
                let whole = bp / 100;
                let frac = bp % 100;
                let num = if frac == 0 {
                    whole.to_string()
                } else {
                    format!("{whole}{}{frac:02}", lang.pick(",", "."))
                };
                format!("{num}{}", lang.pick(" %", "%"))
            }
            Discount::Amount(a) => a.format(lang),
        }
    }

    /// The problem with this discount applied to `gross`, if any.
    fn check(self, field: &str, gross: Money) -> Option<FieldError> {
        let problem = match self {
            Discount::None => return None,
            Discount::Percent(bp) if bp > FULL => Problem::OutOfRange {
                min: "0 %".into(),
                max: "100 %".into(),
            },
            Discount::Percent(_) => return None,
            Discount::Amount(a) if a.is_negative() => {
                Problem::NotAllowed(reason::NEGATIVE_AMOUNT.into())
            }
            Discount::Amount(a) if a > gross.max(Money::ZERO) => {
                Problem::NotAllowed(reason::DISCOUNT_EXCEEDS_PRICE.into())
            }
            Discount::Amount(_) => return None,
        };
        Some(FieldError::new(field, problem))
    }
}

/// A priced line of an order. Prices are gross (VAT included), as in Czech retail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Id.
    pub id: OrderLineId,
    /// What it sells.
    pub kind: LineKind,
    /// Catalog product, when there is one.
    pub product: Option<ProductId>,
    /// Text printed on the invoice.
    pub text: String,
    /// Number of units.
    pub quantity: u32,
    /// Gross price per unit.
    pub unit_price: Money,
    /// VAT rate of this line.
    pub vat: VatRate,
    /// Discount on this line.
    pub discount: Discount,
}

/// An order of glasses (or of other optical goods, when `lenses` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlassesOrder {
    /// Id.
    pub id: OrderId,
    /// Client.
    pub client: ClientId,
    /// Adviser who took the order.
    pub adviser: AdviserId,
    /// The prescription the lenses are made from.
    pub prescription: Option<PrescriptionId>,
    /// The frame, if any.
    pub frame: Option<Frame>,
    /// The lenses, if any.
    pub lenses: Option<LensPair>,
    /// Priced lines.
    pub lines: Vec<OrderLine>,
    /// Discount on the whole order, after line discounts.
    pub order_discount: Discount,
    /// Already paid (gross).
    pub deposit: Money,
    /// Workflow status.
    pub status: OrderStatus,
    /// Variable symbol the client pays with.
    pub variable_symbol: String,
    /// Free note.
    pub note: String,
}

/// Largest quantity on one line; more is a typo.
pub const QUANTITY_MAX: u32 = 999;
/// Longest line text.
pub const LINE_TEXT_MAX: usize = 200;
/// Longest order note.
pub const NOTE_MAX: usize = 2000;

impl GlassesOrder {
    /// Prices, discounts, VAT and what is left to pay; see [`totals`] for the rules.
    pub fn totals(&self) -> Totals {
        totals::compute(&self.lines, self.order_discount, self.deposit)
    }

    /// Every problem, with form field paths (`lines[0].quantity`, `deposit`, …).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.lines.is_empty() {
            errors.push(FieldError::new("lines", Problem::Required));
        }
        for (i, line) in self.lines.iter().enumerate() {
            let f = |name: &str| format!("lines[{i}].{name}");
            let text = f("text");
            errors.extend(
                validate::required(&text, &line.text)
                    .and_then(|s| validate::max_len(&text, &s, LINE_TEXT_MAX))
                    .err(),
            );
            if !(1..=QUANTITY_MAX).contains(&line.quantity) {
                errors.push(FieldError::new(
                    f("quantity"),
                    Problem::OutOfRange {
                        min: "1".into(),
                        max: QUANTITY_MAX.to_string(),
                    },
                ));
            }
            if line.unit_price.is_negative() {
                errors.push(FieldError::new(
                    f("unit_price"),
                    Problem::NotAllowed(reason::NEGATIVE_AMOUNT.into()),
                ));
            }
            let gross = line.unit_price.mul_qty(line.quantity);
            errors.extend(line.discount.check(&f("discount"), gross));
        }
        let totals = self.totals();
        let after_line_discounts: Money = totals
            .lines
            .iter()
            .map(|l| l.gross_before_order_discount())
            .sum();
        errors.extend(
            self.order_discount
                .check("order_discount", after_line_discounts),
        );
        if self.deposit.is_negative() {
            errors.push(FieldError::new(
                "deposit",
                Problem::NotAllowed(reason::NEGATIVE_AMOUNT.into()),
            ));
        } else if self.deposit > totals.gross {
            errors.push(FieldError::new(
                "deposit",
                Problem::NotAllowed(reason::DEPOSIT_EXCEEDS_TOTAL.into()),
            ));
        }
        if let Some(frame) = &self.frame {
            errors.extend(frame.validate("frame"));
        }
        if let Some(lenses) = &self.lenses {
            if self.prescription.is_none() {
                errors.push(FieldError::new(
                    "prescription",
                    Problem::NotAllowed(reason::LENSES_NEED_PRESCRIPTION.into()),
                ));
            }
            if lenses.right.design != lenses.left.design {
                errors.push(FieldError::new(
                    "lenses.left.design",
                    Problem::NotAllowed(reason::LENS_DESIGN_MISMATCH.into()),
                ));
            }
        }
        errors.extend(validate::variable_symbol("variable_symbol", &self.variable_symbol).err());
        errors.extend(validate::max_len("note", &self.note, NOTE_MAX).err());
        errors
    }
}

#[cfg(test)]
mod tests;
