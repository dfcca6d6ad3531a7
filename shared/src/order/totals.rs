//! Order totals: line prices, discounts, VAT per rate, deposit and the rest to pay.
//!
//! Rules, in order:
//! 1. A line's gross is `unit_price × quantity` (a negative unit price counts as zero;
//!    `validate` reports it).
//! 2. The line discount comes off that, clamped so the line never goes below zero.
//! 3. The order discount is taken from the sum of the lines after their own discounts
//!    (clamped the same way) and spread over the lines in proportion to their amounts,
//!    each share rounded down to whole haléř; the few haléře left by rounding go to the
//!    largest line (the first of equals), where they are relatively smallest. Should
//!    that line not have room (only with tiny lines), the rest flows to the next
//!    largest. A share never exceeds its line, so no line becomes negative.
//! 4. VAT is computed per rate from the sum of the discounted line grosses at that
//!    rate ([`vat_from_gross`]), as an invoice summary does — not per line, so
//!    rounding differences do not pile up.
//! 5. `to_pay = gross − deposit`; it is negative when more was paid than owed
//!    (an overpayment to refund), which `validate` reports.

use serde::{Deserialize, Serialize};

use crate::ids::OrderLineId;
use crate::money::Money;
use crate::order::{Discount, OrderLine};
use crate::vat::{VatRate, vat_from_gross};

/// The computed amounts of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTotal {
    /// Which line.
    pub line: OrderLineId,
    /// Its VAT rate.
    pub vat: VatRate,
    /// `unit_price × quantity`.
    pub gross_before_discounts: Money,
    /// Taken off by the line's own discount.
    pub line_discount: Money,
    /// This line's share of the order discount.
    pub order_discount: Money,
    /// What the line finally costs.
    pub gross: Money,
}

impl LineTotal {
    /// The line's amount after its own discount, before the order discount.
    pub fn gross_before_order_discount(&self) -> Money {
        self.gross_before_discounts - self.line_discount
    }
}

/// The totals of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Sum of `unit_price × quantity`.
    pub gross_before_discounts: Money,
    /// Everything taken off (line and order discounts).
    pub discounts: Money,
    /// What the order costs, VAT included.
    pub gross: Money,
    /// `(rate, base, vat)` per rate used, highest rate first.
    pub vat_breakdown: Vec<(VatRate, Money, Money)>,
    /// Already paid.
    pub deposit: Money,
    /// `gross − deposit`.
    pub to_pay: Money,
    /// Per-line amounts, in line order (for invoices).
    pub lines: Vec<LineTotal>,
}

/// Computes the totals of `lines` with an order-level discount and a deposit.
pub fn compute(lines: &[OrderLine], order_discount: Discount, deposit: Money) -> Totals {
    let mut out: Vec<LineTotal> = lines
        .iter()
        .map(|l| {
            let before = l.unit_price.max(Money::ZERO).mul_qty(l.quantity);
            let line_discount = l.discount.amount_off(before);
            LineTotal {
                line: l.id,
                vat: l.vat,
                gross_before_discounts: before,
                line_discount,
                order_discount: Money::ZERO,
                gross: before - line_discount,
            }
        })
        .collect();
    let net: Money = out.iter().map(|l| l.gross).sum();
    let off = order_discount.amount_off(net);
    spread(&mut out, off, net);

    let vat_breakdown = VatRate::ALL
        .into_iter()
        .filter(|rate| out.iter().any(|l| l.vat == *rate))
        .map(|rate| {
            let gross: Money = out.iter().filter(|l| l.vat == rate).map(|l| l.gross).sum();
            let (base, vat) = vat_from_gross(gross, rate);
            (rate, base, vat)
        })
        .collect();
    let gross: Money = out.iter().map(|l| l.gross).sum();
    Totals {
        gross_before_discounts: out.iter().map(|l| l.gross_before_discounts).sum(),
        discounts: out.iter().map(|l| l.line_discount + l.order_discount).sum(),
        gross,
        vat_breakdown,
        deposit,
        to_pay: gross - deposit,
        lines: out,
    }
}

/// Spreads `off` (≤ `net`, the sum of the lines' grosses) over the lines; see the module doc.
fn spread(lines: &mut [LineTotal], off: Money, net: Money) {
    if off <= Money::ZERO || net <= Money::ZERO {
        return;
    }
    let (off_h, net_h) = (i128::from(off.haler()), i128::from(net.haler()));
    let mut given = Money::ZERO;
    for l in lines.iter_mut() {
        // Floor of a non-negative quotient; ≤ the line's gross because off ≤ net.
        let share = i128::from(l.gross.haler()) * off_h / net_h;
        let share = Money::from_haler(i64::try_from(share).unwrap_or(0));
        l.order_discount = share;
        given += share;
    }
    let mut rest = off - given;
    let mut order: Vec<usize> = (0..lines.len()).collect();
    // Stable sort: among equal lines the first keeps the remainder.
    order.sort_by_key(|&i| std::cmp::Reverse(lines[i].gross));
    for i in order {
        if rest <= Money::ZERO {
            break;
        }
        let room = lines[i].gross - lines[i].order_discount;
        let extra = rest.min(room);
        lines[i].order_discount += extra;
        rest -= extra;
    }
    for l in lines.iter_mut() {
        l.gross -= l.order_discount;
    }
}
