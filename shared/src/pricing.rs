//! The price of an order, computed the same way on the phone (offline, while the
//! adviser builds it) and on the hub (when the order arrives): catalog prices with
//! their validity, a discount on each catalog line — the largest of the adviser's
//! whole percent, the customer's minimum and their tier's discount for the line's
//! class ([`Terms`]) — then the coupon.
//!
//! Lines that name a catalog product are priced from the catalog; a line without a
//! product (a free line) keeps what was typed and takes no discount.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;

use crate::docs::catalog::{
    CouponProblem, CouponRecord, CustomerTermsRecord, ProductRecord, TierRecord,
};
use crate::docs::records::{LineRecord, OrderRecord};

/// The largest discount an adviser may give by hand, percent.
pub const MAX_DISCOUNT_PCT: u32 = 100;

/// A product's price from a moment on (until the next point).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricePoint {
    /// From when (Unix seconds).
    pub valid_from: i64,
    /// Gross unit price, haléře.
    pub price: i64,
    /// VAT, basis points.
    pub vat_bp: u32,
}

/// The price valid at `at` among `points` (the latest that started by then).
pub fn price_at(points: &[PricePoint], at: OffsetDateTime) -> Option<&PricePoint> {
    let at = at.unix_timestamp();
    points
        .iter()
        .filter(|p| p.valid_from <= at)
        .max_by_key(|p| p.valid_from)
}

/// A customer's price terms as the pricing applies them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// The least discount on every catalog line, basis points.
    pub min_bp: u32,
    /// Their tier's discount per discount class, basis points.
    pub tier: BTreeMap<String, u32>,
    /// Discount classes of the order's products that have their own (product id,
    /// lower case → class); any other line is in the class of its kind.
    pub classes: HashMap<String, String>,
}

impl Terms {
    /// The terms of a customer: their record (none: no terms) with their tier
    /// looked up in `tiers`, and the products' own classes from `products`.
    pub fn of<'a>(
        customer: Option<&CustomerTermsRecord>,
        tiers: &BTreeMap<String, TierRecord>,
        products: impl IntoIterator<Item = (&'a str, &'a ProductRecord)>,
    ) -> Terms {
        let Some(c) = customer else {
            return Terms::default();
        };
        Terms {
            min_bp: c.min_discount_bp.min(10_000),
            tier: tiers
                .get(&c.tier)
                .map(|t| t.classes.clone())
                .unwrap_or_default(),
            classes: products
                .into_iter()
                .filter(|(_, p)| !p.discount_class.is_empty())
                .map(|(id, p)| (id.to_lowercase(), p.discount_class.clone()))
                .collect(),
        }
    }

    /// The discount on `line` (basis points) when the adviser gives `pct` percent:
    /// the largest of that, the customer's minimum and the tier's for its class.
    pub fn line_bp(&self, pct: u32, line: &LineRecord) -> u32 {
        let class = line
            .product
            .as_ref()
            .and_then(|p| self.classes.get(&p.to_lowercase()))
            .unwrap_or(&line.kind);
        let tier = self.tier.get(class).copied().unwrap_or(0);
        (pct.min(MAX_DISCOUNT_PCT) * 100)
            .max(self.min_bp)
            .max(tier)
            .min(10_000)
    }

    /// True when the customer gets something whatever the adviser gives.
    pub fn any(&self) -> bool {
        self.min_bp > 0 || self.tier.values().any(|bp| *bp > 0)
    }
}

/// Applies the discount to every catalog line (the adviser's `pct`, or what the
/// customer's `terms` give, whichever is more: [`Terms::line_bp`]), then the coupon
/// on top (a percentage off each line's remaining price; an amount off the lines in
/// order until used up); returns what the coupon took off. Free lines are left as
/// they are.
pub fn discount_lines(
    lines: &mut [LineRecord],
    pct: u32,
    terms: &Terms,
    coupon: Option<&CouponRecord>,
) -> i64 {
    for line in lines.iter_mut().filter(|l| l.product.is_some()) {
        let gross = line.unit_price.saturating_mul(i64::from(line.quantity));
        let bp = i64::from(terms.line_bp(pct, line));
        line.discount = (gross * bp + 5_000) / 10_000;
    }
    let mut coupon_off = 0;
    if let Some(coupon) = coupon {
        let mut left = coupon.amount;
        for line in lines.iter_mut().filter(|l| l.product.is_some()) {
            let remaining = line.total();
            let off = if coupon.percent_bp > 0 {
                coupon.off(remaining)
            } else {
                let off = left.min(remaining).max(0);
                left -= off;
                off
            };
            line.discount += off;
            coupon_off += off;
        }
    }
    coupon_off
}

/// The discount on every catalog line ([`discount_lines`]), then the coupon if it
/// applies to this order (its customer, what the order comes to after the discount:
/// see [`CouponRecord::check_order`]); what the coupon took off, or why it did not
/// apply (the lines then carry the discount only).
pub fn discount_order(
    lines: &mut [LineRecord],
    pct: u32,
    terms: &Terms,
    coupon: Option<&CouponRecord>,
    client: &str,
) -> (i64, Option<CouponProblem>) {
    discount_lines(lines, pct, terms, None);
    let Some(c) = coupon else {
        return (0, None);
    };
    let before: i64 = lines.iter().map(LineRecord::total).sum();
    match c.check_order(client, before) {
        Ok(()) => (discount_lines(lines, pct, terms, Some(c)), None),
        Err(problem) => (0, Some(problem)),
    }
}

/// A catalog product the adviser put on an order, as the phone's copy of the
/// catalog has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// The new line's id.
    pub line: String,
    /// `frame`, `lens`, `coating`, …
    pub kind: String,
    /// The product's id.
    pub product: String,
    /// The line's text.
    pub text: String,
    pub quantity: u32,
    /// The product's current gross unit price, haléře, and VAT (basis points).
    pub price: i64,
    pub vat_bp: u32,
}

/// The phone's pricing of a new order for `client` (with their `terms`): each
/// pick at its current catalog price, then the discount and the coupon
/// ([`discount_order`]);
/// the lines, what the coupon took off and why it did not apply. The hub's
/// [`reprice`] of the same order, against the price list valid when it was taken,
/// comes to the same lines (property test).
pub fn price_picks(
    picks: Vec<Pick>,
    pct: u32,
    terms: &Terms,
    coupon: Option<&CouponRecord>,
    client: &str,
) -> (Vec<LineRecord>, i64, Option<CouponProblem>) {
    let mut lines: Vec<LineRecord> = picks
        .into_iter()
        .map(|p| LineRecord {
            id: p.line,
            kind: p.kind,
            product: Some(p.product),
            text: p.text,
            quantity: p.quantity,
            unit_price: p.price,
            vat_bp: p.vat_bp,
            discount: 0,
        })
        .collect();
    let (coupon_off, problem) = discount_order(&mut lines, pct, terms, coupon, client);
    (lines, coupon_off, problem)
}

/// What decides an order's price, to compare two versions of it (line order and
/// texts do not matter).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pricing {
    /// (line id, product, quantity, unit price, VAT bp, discount), by line id.
    pub lines: Vec<(String, Option<String>, u32, i64, u32, i64)>,
    /// Coupon code (empty: none).
    pub coupon: String,
    /// What the coupon took off.
    pub coupon_discount: i64,
    /// The adviser's discount, percent.
    pub discount_pct: u32,
}

impl Pricing {
    /// The pricing of `order`.
    pub fn of(order: &OrderRecord) -> Pricing {
        let mut lines: Vec<_> = order
            .lines
            .iter()
            .map(|l| {
                (
                    l.id.to_lowercase(),
                    l.product.as_ref().map(|p| p.to_lowercase()),
                    l.quantity,
                    l.unit_price,
                    l.vat_bp,
                    l.discount,
                )
            })
            .collect();
        lines.sort();
        Pricing {
            lines,
            coupon: order.coupon.clone(),
            coupon_discount: order.coupon_discount,
            discount_pct: order.discount_pct,
        }
    }
}

/// What the catalog says an order costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repriced {
    /// The order's lines at catalog prices with its discount and coupon.
    pub lines: Vec<LineRecord>,
    /// The coupon kept (empty when none or dropped).
    pub coupon: String,
    /// What it took off.
    pub coupon_discount: i64,
    /// Why the order's coupon was dropped, if it was.
    pub dropped_coupon: Option<(String, CouponProblem)>,
}

/// Prices `order` as the catalog had it at `at` (the order's creation): catalog
/// lines get the price valid then (a product without a price then keeps the line's
/// own), the discount (the adviser's or the customer's `terms`), and the coupon if
/// it existed, applied at `at` (its last day, not yet withdrawn:
/// [`CouponRecord::check_at`]) and applies to the order (its customer, its
/// minimum).
pub fn reprice(
    order: &OrderRecord,
    prices: &HashMap<String, Vec<PricePoint>>,
    coupons: &HashMap<String, CouponRecord>,
    terms: &Terms,
    at: OffsetDateTime,
) -> Repriced {
    let mut lines = order.lines.clone();
    for line in lines.iter_mut() {
        let point = line
            .product
            .as_ref()
            .and_then(|p| prices.get(&p.to_lowercase()))
            .and_then(|points| price_at(points, at));
        if let Some(point) = point {
            line.unit_price = point.price;
            line.vat_bp = point.vat_bp;
        }
    }
    let (coupon, dropped_coupon) = match order.coupon.as_str() {
        "" => (None, None),
        code => match coupons.get(code) {
            None => (None, Some((code.to_owned(), CouponProblem::Unknown))),
            Some(c) => match c.check_at(at) {
                Ok(()) => (Some(c), None),
                Err(problem) => (None, Some((code.to_owned(), problem))),
            },
        },
    };
    let (coupon_discount, problem) =
        discount_order(&mut lines, order.discount_pct, terms, coupon, &order.client);
    let (coupon, dropped_coupon) = match problem {
        Some(problem) => (None, Some((order.coupon.clone(), problem))),
        None => (coupon, dropped_coupon),
    };
    Repriced {
        lines,
        coupon: if coupon.is_some() {
            order.coupon.clone()
        } else {
            String::new()
        },
        coupon_discount,
        dropped_coupon,
    }
}

#[cfg(test)]
mod tests;
