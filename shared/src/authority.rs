//! The hub's authority over workspaces, as one pure function.
//!
//! [`review`] takes the records a change touched ([`read_touched`]) and what the hub
//! accepted before ([`Known`]: its SQL projection) and returns what to accept (the
//! [`ProjectionBatch`] for SQL) and what to correct in the document ([`Correction`]s,
//! each with a typed [`Report`] for the adviser's inbox). The hub's projector is a
//! thin shell around it (read, look up, review, [`apply`], project), and the
//! convergence property test runs the very same function.
//!
//! The rules: an order's status may only move along the transitions an adviser may
//! make (from the last status the hub accepted) and a new order starts in `intake`;
//! a prescription must be valid (an invalid one stays in the document for the adviser
//! to fix but is not projected); the sample case never goes below zero; a payout
//! request must be positive and within the available balance (ledger less accepted
//! requests), and once judged its amount and verdict stand; a visit needs a title, a
//! kind and a date (reported, not changed); records and timestamps that do not read
//! are reported and left out.

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;
use uuid::Uuid;

use crate::customer::merge::Redirects;
use crate::docs::catalog::{
    CouponProblem, CouponRecord, CustomerTermsRecord, ProductRecord, TierRecord,
};
use crate::docs::commission::{PAYOUT_REQUESTS, PayoutRequestRecord, PayoutStatus, judge_payout};
use crate::docs::records::{
    self, CaseMovementRecord, ClientRecord, OrderRecord, PrescriptionRecord,
};
use crate::prescription::Prescription;
use crate::pricing::{self, PricePoint, Pricing};
use crate::role::Role;
use crate::status::{OrderStatus, can_transition};
use crate::{ClientId, OrderId};

mod apply;
mod merged;
mod rejection;
mod repricing;
mod touched;

pub use apply::apply;
pub use merged::touched_clients;
pub use repricing::{
    CouponClaim, coupon_claims, touched_coupons, touched_order_clients, touched_products,
};

pub use rejection::{NotTaken, Rejection, Report};
pub use touched::{Touched, Unreadable, read_touched};

/// What the hub accepted before this change, read in one query per kind.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// The status the hub accepted for each touched order it knows.
    pub order_statuses: HashMap<OrderId, String>,
    /// What the adviser may still be paid (ledger less accepted requests), haléře;
    /// read only when payout requests were touched.
    pub payout_available: i64,
    /// The verdicts the hub already gave on touched payout requests.
    pub judged_payouts: HashMap<Uuid, PayoutRequestRecord>,
    /// The pricing the hub accepted for each touched order it knows (an order whose
    /// pricing is unchanged is not re-priced: it was judged when it changed).
    pub accepted_pricing: HashMap<OrderId, Pricing>,
    /// Price histories of the products the touched orders name (product id, lower
    /// case → points).
    pub prices: HashMap<String, Vec<PricePoint>>,
    /// The coupons the touched orders name, as the office has them.
    pub coupons: HashMap<String, CouponRecord>,
    /// The price terms of the touched orders' customers that have any (client id,
    /// lower case).
    pub customer_terms: HashMap<String, CustomerTermsRecord>,
    /// Every discount tier, by code.
    pub tiers: BTreeMap<String, TierRecord>,
    /// The products the touched orders name, as the catalog has them (for their
    /// discount classes; id lower case).
    pub products: HashMap<String, ProductRecord>,
    /// The clients the change names that the office merged into another
    /// ([`merged::touched_clients`]): whatever arrives for them goes to the survivor.
    pub merged: Redirects,
    /// The earliest moment an order arriving now can have been taken (the
    /// adviser's devices' earliest previous connection): an order's own time is
    /// not taken as earlier than this, nor as later than its arrival, when its
    /// coupon is judged and its prices looked up (none: the order's time stands).
    pub orders_after: Option<OffsetDateTime>,
    /// Orders whose coupon had no use left when the hub claimed one for them
    /// ([`coupon_claims`]), with the coupon's limit: they lose the coupon.
    pub coupons_used_up: HashMap<OrderId, u32>,
}

/// How a review treats the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Live changes: check them against the rules and correct what breaks one.
    Enforce,
    /// Rebuilding the projection: the document already holds the accepted state.
    Rebuild,
}

/// The records to write into SQL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectionBatch {
    /// Clients by id.
    pub clients: Vec<(ClientId, ClientRecord)>,
    /// Valid prescriptions (already parsed).
    pub prescriptions: Vec<Prescription>,
    /// Orders by id (status already checked by the hub).
    pub orders: Vec<(OrderId, OrderRecord)>,
    /// Sample-case movements by id (rejections already marked).
    pub case_movements: Vec<(Uuid, CaseMovementRecord)>,
    /// Payout requests the hub has judged (pending ones are not projected).
    pub payout_requests: Vec<(Uuid, PayoutRequestRecord)>,
    /// Same-field conflicts on clients the hub settled (client, field, the value
    /// that stands, the others): kept in the customer's history.
    pub conflicts: Vec<(ClientId, String, String, Vec<String>)>,
    /// Reminder tasks as the adviser has them (id, planned for, done at: RFC 3339
    /// or empty), for the office's list of reminders.
    pub reminders: Vec<(Uuid, String, String)>,
    /// For orders judged against a status SQL held: that status. SQL takes the
    /// order's status only while it still holds it (a compare-and-set), so an
    /// office change committed meanwhile is not overwritten. Orders not listed
    /// (new ones, a rebuild) take the document's status.
    pub expected_status: HashMap<OrderId, String>,
}

impl ProjectionBatch {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
            && self.prescriptions.is_empty()
            && self.orders.is_empty()
            && self.case_movements.is_empty()
            && self.payout_requests.is_empty()
            && self.reminders.is_empty()
    }
}

/// What the hub writes back into a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Nothing: the inbox entry alone explains the problem.
    Nothing,
    /// Restore an order's status.
    OrderStatus { order: String, status: OrderStatus },
    /// Put the catalog's pricing into an order.
    OrderPricing {
        order: String,
        lines: Vec<records::LineRecord>,
        coupon: String,
        coupon_discount: i64,
    },
    /// Mark a case movement rejected with this reason code.
    Movement { id: String, reason: String },
    /// Write the hub's verdict on a payout request.
    Payout {
        id: String,
        record: PayoutRequestRecord,
    },
    /// Freeze a merged client again and write the fields edited on it onto the
    /// survivor.
    MergedClient {
        merged: String,
        frozen: Box<ClientRecord>,
        survivor: String,
        fields: Vec<(&'static str, String)>,
    },
    /// Settle a same-field conflict: write the value that stands once more, so
    /// every device agrees on it from now on.
    Resolve {
        client: String,
        field: String,
        value: String,
    },
    /// Point an order at another client (the survivor of a merge).
    OrderClient { order: String, client: String },
    /// Rewrite a prescription record (re-pointed at a merge's survivor).
    Prescription {
        id: String,
        record: PrescriptionRecord,
    },
}

/// A hub write into the document, with the inbox entry that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The write.
    pub fix: Fix,
    /// What the adviser is told (none: a silent fix).
    pub report: Option<Report>,
}

impl Correction {
    fn report(rejection: Rejection) -> Self {
        Correction {
            fix: Fix::Nothing,
            report: Some(rejection.into()),
        }
    }
}

/// The hub's decision on one change.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// What stands, for SQL.
    pub accept: ProjectionBatch,
    /// What to write back into the document.
    pub corrections: Vec<Correction>,
}

/// Whether a device may have moved an order from `accepted` to `now`; `Err` carries
/// the status to restore and why.
pub fn judge_status(
    order: &str,
    accepted: Option<&str>,
    now: &str,
) -> Result<(), (OrderStatus, Rejection)> {
    let Ok(to) = now.parse::<OrderStatus>() else {
        let back = accepted
            .and_then(|a| a.parse().ok())
            .unwrap_or(OrderStatus::Intake);
        let why = Rejection::UnknownStatus {
            order: order.to_owned(),
            status: now.to_owned(),
            back,
        };
        return Err((back, why));
    };
    match accepted.map(str::parse::<OrderStatus>) {
        // A new order: devices create orders in intake.
        None if to == OrderStatus::Intake => Ok(()),
        None => Err((
            OrderStatus::Intake,
            Rejection::NewOrderNotIntake {
                order: order.to_owned(),
                to,
            },
        )),
        Some(Ok(from)) if from == to => Ok(()),
        Some(Ok(from)) => can_transition(Role::Adviser, from, to).map_err(|denied| {
            (
                from,
                Rejection::StatusMove {
                    order: order.to_owned(),
                    denied,
                },
            )
        }),
        // The projection holds something unreadable: trust the document.
        Some(Err(_)) => Ok(()),
    }
}

/// The ids of the orders `touched` holds (for the [`Known::order_statuses`] lookup).
pub fn touched_orders(touched: &Touched) -> Vec<OrderId> {
    touched
        .orders
        .iter()
        .filter(|(_, r)| r.is_some())
        .filter_map(|(id, _)| id.parse().ok())
        .collect()
}

/// The ids of the payout requests `touched` holds (for [`Known::judged_payouts`]).
pub fn touched_payouts(touched: &Touched) -> Vec<Uuid> {
    touched
        .payout_requests
        .iter()
        .filter_map(|(id, _)| Uuid::parse_str(id).ok())
        .collect()
}

/// The hub's rules over one change: what stands and what to correct. In
/// [`Mode::Rebuild`] nothing is judged and nothing corrected (the document already
/// holds the accepted state; problems were reported when the changes arrived).
pub fn review(touched: Touched, known: &Known, now: OffsetDateTime, mode: Mode) -> Verdict {
    let enforce = mode == Mode::Enforce;
    let today = now.date();
    let mut v = Verdict::default();
    for u in touched.unreadable {
        v.corrections
            .push(Correction::report(Rejection::UnreadableRecord {
                map: u.map,
                id: u.id,
                why: u.why,
            }));
    }
    for (id, record) in touched.clients {
        let Some(c) = record else { continue }; // deletions are kept in SQL for history
        if let Some(bad) = unreadable_time(records::CLIENTS, &id, "created_at", &c.created_at) {
            v.corrections.push(bad);
            continue;
        }
        if let Ok(cid) = id.parse::<ClientId>() {
            if enforce && merged::client(&id, cid, &c, known, &mut v) {
                continue;
            }
            v.accept.clients.push((cid, c));
        }
    }
    if enforce {
        conflicts(touched.conflicts, &mut v);
    }
    for (id, record) in touched.prescriptions {
        if let Some(mut rx) = record {
            if enforce {
                merged::prescription(&id, &mut rx, known, &mut v);
            }
            prescription(&id, &rx, today, &mut v);
        }
    }
    for (id, record) in touched.orders {
        let (Ok(oid), Some(mut order)) = (id.parse::<OrderId>(), record) else {
            continue;
        };
        if let Some(bad) = unreadable_time(records::ORDERS, &id, "created_at", &order.created_at) {
            v.corrections.push(bad);
            continue;
        }
        if let Some(bad) = unreadable_refs(&id, &order) {
            v.corrections.push(bad);
            continue;
        }
        if enforce {
            merged::order(&id, &mut order, known, &mut v);
            if let Some(held) = known.order_statuses.get(&oid) {
                v.accept.expected_status.insert(oid, held.clone());
            }
            let accepted = known.order_statuses.get(&oid).map(String::as_str);
            if let Err((back, why)) = judge_status(&id, accepted, &order.status) {
                v.corrections.push(Correction {
                    fix: Fix::OrderStatus {
                        order: id.clone(),
                        status: back,
                    },
                    report: Some(why.into()),
                });
                order.status = back.code().to_owned();
            }
            repricing::reprice(&id, oid, &mut order, known, now, &mut v);
        }
        v.accept.orders.push((oid, order));
    }
    if let Some(movements) = touched.case_movements {
        let below = if enforce {
            records::movements_below_zero(&movements)
        } else {
            Vec::new()
        };
        for (id, mut m) in movements {
            if let Some(bad) = unreadable_time(records::CASE_MOVEMENTS, &id, "at", &m.at) {
                v.corrections.push(bad);
                continue;
            }
            if below.contains(&id) {
                v.corrections.push(Correction {
                    fix: Fix::Movement {
                        id: id.clone(),
                        reason: "below_zero".into(),
                    },
                    report: Some(
                        Rejection::CaseBelowZero {
                            id: id.clone(),
                            quantity: m.quantity,
                            product: m.product.clone(),
                        }
                        .into(),
                    ),
                });
                m.rejected = "below_zero".into();
            }
            if let Ok(uid) = Uuid::parse_str(&id) {
                v.accept.case_movements.push((uid, m));
            }
        }
    }
    let mut requests = touched.payout_requests;
    requests.retain(|(id, p)| {
        match unreadable_time(PAYOUT_REQUESTS, id, "requested_at", &p.requested_at) {
            Some(bad) => {
                v.corrections.push(bad);
                false
            }
            None => true,
        }
    });
    payouts(requests, known, mode, &mut v);
    for (id, visit) in touched.visits {
        if let (Some(_), Ok(uid)) = (
            crate::reminder::Rule::of_task(&visit.kind),
            Uuid::parse_str(&id),
        ) {
            v.accept
                .reminders
                .push((uid, visit.planned_for.clone(), visit.done_at.clone()));
        }
        let problems = visit.problems();
        if !problems.is_empty() {
            v.corrections
                .push(Correction::report(Rejection::VisitIncomplete {
                    id,
                    title: visit.title.clone(),
                    fields: problems.into_iter().map(|p| p.field).collect(),
                }));
        }
    }
    if !enforce {
        v.corrections.clear();
    }
    v
}

/// Same-field conflicts on clients: the value that stands is written once more
/// (the conflict is settled on every device), the others go to the adviser's inbox
/// and the customer's history — nothing typed is lost.
fn conflicts(found: Vec<(String, String, Vec<String>)>, v: &mut Verdict) {
    for (client, field, mut values) in found {
        let (Ok(cid), false) = (client.parse::<ClientId>(), values.is_empty()) else {
            continue;
        };
        let kept = values.remove(0);
        v.corrections.push(Correction {
            fix: Fix::Resolve {
                client: client.clone(),
                field: field.clone(),
                value: kept.clone(),
            },
            report: Some(Report::FieldConflict {
                client,
                field: field.clone(),
                kept: kept.clone(),
                others: values.clone(),
            }),
        });
        v.accept.conflicts.push((cid, field, kept, values));
    }
}

/// A valid prescription is accepted; an invalid or unreadable one is reported.
fn prescription(id: &str, rx: &PrescriptionRecord, today: time::Date, v: &mut Verdict) {
    match serde_json::from_str::<Prescription>(&rx.body) {
        Ok(p) => {
            let problems = p.validate(today);
            if problems.is_empty() {
                v.accept.prescriptions.push(p);
            } else {
                v.corrections
                    .push(Correction::report(Rejection::PrescriptionInvalid {
                        id: id.to_owned(),
                        problems,
                    }));
            }
        }
        Err(err) => v
            .corrections
            .push(Correction::report(Rejection::PrescriptionUnreadable {
                id: id.to_owned(),
                why: err.to_string(),
            })),
    }
}

/// Payout requests: a new one is judged against what the adviser has available
/// (oldest first, each acceptance reserving its amount); a judged one keeps its
/// verdict and amount whatever a device writes later (only its note may change).
fn payouts(
    mut requests: Vec<(String, PayoutRequestRecord)>,
    known: &Known,
    mode: Mode,
    v: &mut Verdict,
) {
    requests.sort_by(|(ia, a), (ib, b)| a.requested_at.cmp(&b.requested_at).then(ia.cmp(ib)));
    let mut available = known.payout_available;
    for (id, request) in requests {
        let Ok(uid) = Uuid::parse_str(&id) else {
            continue;
        };
        if mode == Mode::Rebuild {
            if request.status() != PayoutStatus::Pending {
                v.accept.payout_requests.push((uid, request));
            }
            continue;
        }
        if let Some(judged) = known.judged_payouts.get(&uid) {
            let standing = PayoutRequestRecord {
                note: request.note.clone(),
                ..judged.clone()
            };
            if standing != request {
                v.corrections.push(Correction {
                    fix: Fix::Payout {
                        id: id.clone(),
                        record: standing.clone(),
                    },
                    report: (standing.amount != request.amount)
                        .then(|| Rejection::PayoutChanged { id: id.clone() }.into()),
                });
            }
            v.accept.payout_requests.push((uid, standing));
            continue;
        }
        let mut verdict = request.clone();
        let report = match judge_payout(request.amount, available) {
            Ok(()) => {
                available -= request.amount;
                verdict.status = PayoutStatus::Accepted.code().into();
                verdict.reason.clear();
                Report::PayoutAccepted {
                    id: id.clone(),
                    amount: request.amount,
                }
            }
            Err(denied) => {
                verdict.status = PayoutStatus::Rejected.code().into();
                verdict.reason = denied.code().into();
                Rejection::PayoutDenied {
                    id: id.clone(),
                    denied,
                }
                .into()
            }
        };
        v.corrections.push(Correction {
            fix: Fix::Payout {
                id,
                record: verdict.clone(),
            },
            report: Some(report),
        });
        v.accept.payout_requests.push((uid, verdict));
    }
}

/// An order whose references do not read as ids (its client, prescription, a
/// line or a line's product — written by a tampered or foreign client, never by
/// the app): reported and left out, instead of SQL dropping it or its lines.
fn unreadable_refs(id: &str, order: &OrderRecord) -> Option<Correction> {
    let bad = |what: String| {
        Some(Correction::report(Rejection::UnreadableRecord {
            map: records::ORDERS.to_owned(),
            id: id.to_owned(),
            why: format!("{what} is not an id"),
        }))
    };
    if Uuid::parse_str(&order.client).is_err() {
        return bad(format!("client {:?}", order.client));
    }
    if let Some(p) = order
        .prescription
        .as_deref()
        .filter(|p| Uuid::parse_str(p).is_err())
    {
        return bad(format!("prescription {p:?}"));
    }
    for line in &order.lines {
        if Uuid::parse_str(&line.id).is_err() {
            return bad(format!("line {:?}", line.id));
        }
        if let Some(p) = line
            .product
            .as_deref()
            .filter(|p| Uuid::parse_str(p).is_err())
        {
            return bad(format!("line {:?}'s product {p:?}", line.id));
        }
    }
    None
}

/// A record whose timestamp is present but unreadable: reported and left out.
fn unreadable_time(map: &str, id: &str, field: &'static str, text: &str) -> Option<Correction> {
    let err = crate::docs::stamp::record_time(text).err()?;
    Some(Correction::report(Rejection::UnreadableTime {
        map: map.to_owned(),
        id: id.to_owned(),
        field,
        text: err.text,
    }))
}

#[cfg(test)]
mod tests;
