//! The hub's pricing of arriving orders: what it looks up for them, the repricing
//! of an order whose pricing changed, and the coupon uses accepted orders claim.

use super::*;

/// The products the touched orders name (for [`Known::prices`]), lower case.
pub fn touched_products(touched: &Touched) -> Vec<String> {
    let mut ids: Vec<String> = touched
        .orders
        .iter()
        .filter_map(|(_, o)| o.as_ref())
        .flat_map(|o| o.lines.iter().filter_map(|l| l.product.as_ref()))
        .map(|p| p.to_lowercase())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The customers the touched orders are for (for [`Known::customer_terms`]).
pub fn touched_order_clients(touched: &Touched) -> Vec<ClientId> {
    let mut ids: Vec<ClientId> = touched
        .orders
        .iter()
        .filter_map(|(_, o)| o.as_ref())
        .filter_map(|o| o.client.parse().ok())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The coupon codes the touched orders name (for [`Known::coupons`]).
pub fn touched_coupons(touched: &Touched) -> Vec<String> {
    let mut codes: Vec<String> = touched
        .orders
        .iter()
        .filter_map(|(_, o)| o.as_ref())
        .filter(|o| !o.coupon.is_empty())
        .map(|o| o.coupon.clone())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// An accepted order's coupon (empty: none) for the hub's count of coupon uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponClaim {
    pub order: OrderId,
    /// The order's customer, if the id reads.
    pub client: Option<ClientId>,
    /// The coupon's code; empty when the order has none (any use it held is given
    /// back).
    pub coupon: String,
}

/// The coupon uses the accepted orders of `verdict` claim: every order that names
/// a coupon now or held one before (as [`Known::accepted_pricing`] says), oldest
/// order first (when two orders want a coupon's last use, the one taken first gets
/// it). Orders that never had a coupon are left out (no query for them).
pub fn coupon_claims(verdict: &Verdict, known: &Known) -> Vec<CouponClaim> {
    let mut claims: Vec<(&str, CouponClaim)> = verdict
        .accept
        .orders
        .iter()
        .filter(|(id, o)| {
            !o.coupon.is_empty()
                || known
                    .accepted_pricing
                    .get(id)
                    .is_some_and(|p| !p.coupon.is_empty())
        })
        .map(|(id, o)| {
            (
                o.created_at.as_str(),
                CouponClaim {
                    order: *id,
                    client: o.client.parse().ok(),
                    coupon: o.coupon.clone(),
                },
            )
        })
        .collect();
    claims.sort_by(|a, b| a.0.cmp(b.0).then(a.1.order.cmp(&b.1.order)));
    claims.into_iter().map(|(_, c)| c).collect()
}

/// When the hub takes `order` as taken: its own time (the device's clock), but
/// not before the adviser's devices last connected before this arrival
/// ([`Known::orders_after`]; the order did not exist then) nor after now.
pub(super) fn taken_at(order: &OrderRecord, known: &Known, now: OffsetDateTime) -> OffsetDateTime {
    let own = crate::docs::stamp::record_time(&order.created_at)
        .ok()
        .flatten()
        .unwrap_or(now);
    let floor = known.orders_after.unwrap_or(own).min(now);
    own.clamp(floor, now)
}

/// An order whose pricing changed is priced again from the catalog as it was when
/// the order was taken; what differs is corrected and reported.
pub(super) fn reprice(
    id: &str,
    oid: OrderId,
    order: &mut OrderRecord,
    known: &Known,
    now: OffsetDateTime,
    v: &mut Verdict,
) {
    let used_up = known.coupons_used_up.get(&oid).copied();
    if used_up.is_none() && known.accepted_pricing.get(&oid) == Some(&Pricing::of(order)) {
        return;
    }
    let at = taken_at(order, known, now);
    let terms = pricing::Terms::of(
        known.customer_terms.get(&order.client.to_lowercase()),
        &known.tiers,
        known.products.iter().map(|(id, p)| (id.as_str(), p)),
    );
    let r = match used_up {
        None => pricing::reprice(order, &known.prices, &known.coupons, &terms, at),
        Some(limit) => {
            let without = OrderRecord {
                coupon: String::new(),
                ..order.clone()
            };
            pricing::Repriced {
                dropped_coupon: Some((order.coupon.clone(), CouponProblem::UsedUp(limit))),
                ..pricing::reprice(&without, &known.prices, &known.coupons, &terms, at)
            }
        }
    };
    // A coupon kept that would not apply today: the order came late; say so.
    if !r.coupon.is_empty()
        && let Some(Err(problem)) = known.coupons.get(&r.coupon).map(|c| c.check_at(now))
    {
        v.corrections.push(Correction {
            fix: Fix::Nothing,
            report: Some(Report::CouponHonoured {
                order: id.to_owned(),
                code: r.coupon.clone(),
                taken: at
                    .format(time::macros::format_description!(
                        "[day]. [month]. [year] [hour]:[minute] UTC"
                    ))
                    .unwrap_or_default(),
                now: problem,
            }),
        });
    }
    if r.lines == order.lines
        && r.coupon == order.coupon
        && r.coupon_discount == order.coupon_discount
    {
        return;
    }
    let before = order.total();
    order.lines = r.lines;
    order.coupon = r.coupon;
    order.coupon_discount = r.coupon_discount;
    v.corrections.push(Correction {
        fix: Fix::OrderPricing {
            order: id.to_owned(),
            lines: order.lines.clone(),
            coupon: order.coupon.clone(),
            coupon_discount: order.coupon_discount,
        },
        report: Some(
            Rejection::Repriced {
                order: id.to_owned(),
                before,
                after: order.total(),
                dropped_coupon: r.dropped_coupon,
            }
            .into(),
        ),
    });
}
