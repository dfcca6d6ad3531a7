//! Property: random edits on several device replicas and the hub, synced in random
//! pairs and orders (random partitions, random reconnects), always converge to one
//! state, and in that state every rule the hub enforces holds.
//!
//! The replicas are Automerge documents merged directly (what samod carries over the
//! wire). After every merge the hub runs exactly what its projector runs:
//! `authority::read_touched` → `authority::review` (every rule: status moves,
//! order pricing, prescriptions, case stock, payout requests, visits) →
//! `authority::apply`, and an
//! in-memory model of SQL takes what the verdict accepts. Runs 256 cases by default;
//! set PROPTEST_CASES for more.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};

use automerge::{Automerge, ChangeHash};
use fieldcase_shared::authority::{self, Known, Mode};
use fieldcase_shared::docs::catalog::CouponRecord;
use fieldcase_shared::docs::commission::{PAYOUT_REQUESTS, PayoutRequestRecord, PayoutStatus};
use fieldcase_shared::docs::records::{
    self, CaseMovementRecord, ClientRecord, InboxRecord, LineRecord, OrderRecord,
    PrescriptionRecord, VisitRecord,
};
use fieldcase_shared::docs::{self, DocError};
use fieldcase_shared::pricing::{self, PricePoint, Pricing};
use fieldcase_shared::{
    AdviserId, ClientId, EyeRx, OrderId, OrderStatus, Prescription, PrescriptionId,
};
use proptest::prelude::*;

const CLIENTS: usize = 3;
const ORDERS: usize = 3;
const PRODUCTS: [&str; 2] = ["F-100", "F-200"];
/// The adviser's commission balance in the model's ledger, haléře.
const BALANCE: i64 = 1_000;
/// The one catalog product on every order's line.
const FRAME: &str = "00000000-0000-7000-b000-000000000001";
/// Prices a device may write (the catalog's is 100 000 before the change).
const PRICES: [i64; 3] = [90_000, 100_000, 120_000];
/// Coupons a device may write: none, a valid one, an unknown one.
const COUPONS: [&str; 3] = ["", "JARO10", "NEZNAMY"];

/// The catalog: the frame cost 1 000 Kč until 2026-11-22, 1 200 Kč since.
fn prices() -> HashMap<String, Vec<PricePoint>> {
    HashMap::from([(
        FRAME.to_owned(),
        vec![
            PricePoint {
                valid_from: 0,
                price: 100_000,
                vat_bp: 2100,
            },
            PricePoint {
                valid_from: time::macros::datetime!(2026-11-22 0:00 UTC).unix_timestamp(),
                price: 120_000,
                vat_bp: 2100,
            },
        ],
    )])
}

fn coupons() -> HashMap<String, CouponRecord> {
    HashMap::from([(
        "JARO10".to_owned(),
        CouponRecord {
            percent_bp: 1_000,
            amount: 0,
            valid_until: String::new(),
            active: true,
            ..Default::default()
        },
    )])
}

#[derive(Debug, Clone)]
enum Op {
    /// A device edits one field of a client.
    EditClient {
        replica: usize,
        client: usize,
        field: usize,
        value: u8,
    },
    /// A device sets an order's status (allowed or not).
    SetStatus {
        replica: usize,
        order: usize,
        status: usize,
    },
    /// A device records a case movement (may take the stock below zero).
    Move {
        replica: usize,
        product: usize,
        quantity: i64,
    },
    /// A device asks for a payout (may exceed the balance, may be zero).
    RequestPayout { replica: usize, amount: i64 },
    /// A device rewrites the amount of a payout request it has (decided or not).
    ChangePayout {
        replica: usize,
        pick: usize,
        amount: i64,
    },
    /// A device writes a prescription (valid or not).
    WritePrescription { replica: usize, valid: bool },
    /// A device rewrites an order's price, discount and coupon (right or not).
    Price {
        replica: usize,
        order: usize,
        price: usize,
        pct: u32,
        coupon: usize,
    },
    /// A device plans a visit (with or without a title).
    PlanVisit { replica: usize, titled: bool },
    /// Two replicas meet (0 is the hub) and exchange everything.
    Sync { a: usize, b: usize },
}

fn op(replicas: usize) -> impl Strategy<Value = Op> {
    let r = 1..=replicas;
    prop_oneof![
        (r.clone(), 0..CLIENTS, 0..3usize, any::<u8>()).prop_map(
            |(replica, client, field, value)| Op::EditClient {
                replica,
                client,
                field,
                value
            }
        ),
        (r.clone(), 0..ORDERS, 0..OrderStatus::ALL.len()).prop_map(|(replica, order, status)| {
            Op::SetStatus {
                replica,
                order,
                status,
            }
        }),
        (r.clone(), 0..PRODUCTS.len(), -3i64..=3).prop_map(|(replica, product, quantity)| {
            Op::Move {
                replica,
                product,
                quantity,
            }
        }),
        (r.clone(), 0i64..=6).prop_map(|(replica, n)| Op::RequestPayout {
            replica,
            amount: n * 250
        }),
        (r.clone(), any::<usize>(), 0i64..=6).prop_map(|(replica, pick, n)| {
            Op::ChangePayout {
                replica,
                pick,
                amount: n * 250,
            }
        }),
        (r.clone(), any::<bool>())
            .prop_map(|(replica, valid)| Op::WritePrescription { replica, valid }),
        (
            r.clone(),
            0..ORDERS,
            0..PRICES.len(),
            0u32..=2,
            0..COUPONS.len()
        )
            .prop_map(|(replica, order, price, pct, coupon)| Op::Price {
                replica,
                order,
                price,
                pct: pct * 10,
                coupon,
            }),
        (r, any::<bool>()).prop_map(|(replica, titled)| Op::PlanVisit { replica, titled }),
        (0..=replicas, 0..=replicas).prop_map(|(a, b)| Op::Sync { a, b }),
        (0..=replicas, 0..=replicas).prop_map(|(a, b)| Op::Sync { a, b }),
    ]
}

fn client_id(i: usize) -> String {
    format!("00000000-0000-7000-8000-00000000000{i}")
}

fn order_id(i: usize) -> String {
    format!("00000000-0000-7000-9000-00000000000{i}")
}

fn edit(
    doc: &mut Automerge,
    f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), DocError>,
) {
    doc.transact::<_, _, DocError>(f).unwrap();
}

/// What the hub's SQL holds: what the authority accepted.
#[derive(Default)]
struct Sql {
    order_statuses: HashMap<OrderId, String>,
    pricing: HashMap<OrderId, Pricing>,
    payouts: HashMap<uuid::Uuid, PayoutRequestRecord>,
    prescriptions: Vec<PrescriptionId>,
    /// The heads the hub reviewed last.
    since: Vec<ChangeHash>,
}

impl Sql {
    /// What the projector's lookups return for `touched`.
    fn known(&self, touched: &authority::Touched) -> Known {
        let reserved: i64 = self
            .payouts
            .values()
            .filter(|p| p.status() == PayoutStatus::Accepted)
            .map(|p| p.amount)
            .sum();
        Known {
            order_statuses: authority::touched_orders(touched)
                .into_iter()
                .filter_map(|id| self.order_statuses.get(&id).map(|s| (id, s.clone())))
                .collect(),
            payout_available: BALANCE - reserved,
            judged_payouts: authority::touched_payouts(touched)
                .into_iter()
                .filter_map(|id| self.payouts.get(&id).map(|p| (id, p.clone())))
                .collect(),
            accepted_pricing: authority::touched_orders(touched)
                .into_iter()
                .filter_map(|id| self.pricing.get(&id).map(|p| (id, p.clone())))
                .collect(),
            prices: prices(),
            coupons: coupons(),
            // The property's documents have no merged clients, no customers with
            // price terms and no coupon with a usage limit.
            ..Known::default()
        }
    }

    fn project(&mut self, accept: authority::ProjectionBatch) {
        for (id, order) in accept.orders {
            self.pricing.insert(id, Pricing::of(&order));
            self.order_statuses.insert(id, order.status);
        }
        for (id, request) in accept.payout_requests {
            self.payouts.insert(id, request);
        }
        self.prescriptions
            .extend(accept.prescriptions.into_iter().map(|p| p.id));
    }
}

fn today() -> time::Date {
    time::macros::date!(2026 - 11 - 25)
}

/// The hub's step after a merge, as the projector runs it. The hub reviews its own
/// corrections too (they are a change of the document): that second pass must find
/// nothing more to correct.
fn review(hub: &mut Automerge, sql: &mut Sql) -> Result<(), TestCaseError> {
    for pass in 0..2 {
        let touched = authority::read_touched(hub, &sql.since);
        sql.since = touched.heads.clone();
        let known = sql.known(&touched);
        let verdict = authority::review(
            touched,
            &known,
            today().midnight().assume_utc(),
            Mode::Enforce,
        );
        if pass == 1 {
            prop_assert!(
                verdict.corrections.is_empty(),
                "the hub corrected its own corrections: {:?}",
                verdict.corrections
            );
        }
        authority::apply(hub, &verdict.corrections, "2026-11-25T12:00:00Z").unwrap();
        sql.project(verdict.accept);
    }
    Ok(())
}

fn sync(docs: &mut [Automerge], a: usize, b: usize, sql: &mut Sql) -> Result<(), TestCaseError> {
    if a == b {
        return Ok(());
    }
    let mut other = docs[b].clone();
    docs[a].merge(&mut other).unwrap();
    let mut back = docs[a].clone();
    docs[b].merge(&mut back).unwrap();
    if a == 0 || b == 0 {
        review(&mut docs[0], sql)?;
        // The hub's corrections travel back on the same connection.
        let peer = if a == 0 { b } else { a };
        let mut hub = docs[0].clone();
        docs[peer].merge(&mut hub).unwrap();
    }
    Ok(())
}

#[path = "convergence/device.rs"]
mod device;
use device::device_op;

fn run(replicas: usize, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut hub = docs::new_workspace(AdviserId::new()).unwrap();
    let mut sql = Sql::default();
    for i in 0..CLIENTS {
        edit(&mut hub, |tx| {
            records::put(
                tx,
                records::CLIENTS,
                &client_id(i),
                &ClientRecord {
                    first_name: format!("Klient {i}"),
                    ..Default::default()
                },
            )
        });
    }
    for i in 0..ORDERS {
        // Orders 0 and 1 were taken before the price change, the others after it.
        let order = OrderRecord {
            client: client_id(i),
            status: "intake".into(),
            created_at: if i < 2 {
                "2026-11-20T10:00:00Z"
            } else {
                "2026-11-24T10:00:00Z"
            }
            .into(),
            lines: vec![LineRecord {
                id: format!("00000000-0000-7000-c000-00000000000{i}"),
                kind: "frame".into(),
                product: Some(FRAME.into()),
                text: "Obruba".into(),
                quantity: 1,
                unit_price: if i < 2 { 100_000 } else { 120_000 },
                vat_bp: 2100,
                discount: 0,
            }],
            ..Default::default()
        };
        edit(&mut hub, |tx| {
            records::put(tx, records::ORDERS, &order_id(i), &order)
        });
    }
    review(&mut hub, &mut sql)?;
    let mut docs: Vec<Automerge> = std::iter::once(hub.clone())
        .chain((0..replicas).map(|_| hub.fork()))
        .collect();

    for (n, op) in ops.into_iter().enumerate() {
        match op {
            Op::Sync { a, b } => sync(&mut docs, a, b, &mut sql)?,
            op => device_op(&mut docs, op, n),
        }
    }

    // Everyone reconnects (in a fixed order now) until nothing changes.
    for _ in 0..4 {
        for i in 1..=replicas {
            sync(&mut docs, 0, i, &mut sql)?;
        }
    }
    let heads = docs[0].get_heads();
    for (i, d) in docs.iter().enumerate() {
        prop_assert_eq!(
            d.get_heads(),
            heads.clone(),
            "replica {} did not converge",
            i
        );
    }
    let hub = &docs[0];
    let inbox: BTreeMap<String, InboxRecord> = records::all::<InboxRecord, _>(hub, records::INBOX)
        .into_iter()
        .collect();

    // Status: every order stands where the hub accepted it, reachable by an adviser.
    for i in 0..ORDERS {
        let id = order_id(i);
        let order: OrderRecord = records::get(hub, records::ORDERS, &id).unwrap().unwrap();
        prop_assert_eq!(
            Some(&order.status),
            sql.order_statuses.get(&id.parse::<OrderId>().unwrap()),
            "order {} ended outside the accepted status",
            i
        );
        prop_assert!(
            order.status == "intake" || order.status == "cancelled",
            "an adviser reached {}",
            order.status
        );
    }
    // Pricing: every order is priced as the catalog of its day says, as SQL has it.
    for i in 0..ORDERS {
        let id = order_id(i);
        let order: OrderRecord = records::get(hub, records::ORDERS, &id).unwrap().unwrap();
        let at = fieldcase_shared::docs::stamp::record_time(&order.created_at)
            .unwrap()
            .unwrap();
        let r = pricing::reprice(
            &order,
            &prices(),
            &coupons(),
            &pricing::Terms::default(),
            at,
        );
        prop_assert_eq!(
            &r.lines,
            &order.lines,
            "order {} is not at catalog prices",
            i
        );
        prop_assert_eq!(&r.coupon, &order.coupon);
        prop_assert_eq!(r.coupon_discount, order.coupon_discount);
        prop_assert_eq!(
            Some(&Pricing::of(&order)),
            sql.pricing.get(&id.parse::<OrderId>().unwrap())
        );
    }
    // Case: no product's counted stock is below zero, at any point in time order.
    let movements: Vec<(String, CaseMovementRecord)> = records::all(hub, records::CASE_MOVEMENTS);
    prop_assert!(records::movements_below_zero(&movements).is_empty());
    for (product, level) in records::case_stock(movements.iter().map(|(_, m)| m)) {
        prop_assert!(level >= 0, "{} stands at {}", product, level);
    }
    for (id, m) in &movements {
        if !m.rejected.is_empty() {
            prop_assert!(
                inbox.contains_key(&format!("case-{id}")),
                "rejected movement {} unexplained",
                id
            );
        }
    }
    // Payouts: every request decided, as SQL has it; accepted ones within the balance.
    let requests: Vec<(String, PayoutRequestRecord)> = records::all(hub, PAYOUT_REQUESTS);
    let mut accepted = 0;
    for (id, p) in &requests {
        prop_assert_ne!(
            p.status(),
            PayoutStatus::Pending,
            "request {} undecided",
            id
        );
        let in_sql = sql.payouts.get(&id.parse::<uuid::Uuid>().unwrap());
        prop_assert_eq!(Some(p), in_sql, "request {} differs from SQL", id);
        let explained = inbox.contains_key(&format!("payout-{id}"));
        prop_assert!(explained, "request {} unexplained", id);
        if p.status() == PayoutStatus::Accepted {
            prop_assert!(p.amount > 0);
            accepted += p.amount;
        }
    }
    prop_assert!(accepted <= BALANCE, "accepted {} of {}", accepted, BALANCE);
    // Prescriptions: SQL has exactly the valid ones; each invalid one is explained.
    let rxs: Vec<(String, PrescriptionRecord)> = records::all(hub, records::PRESCRIPTIONS);
    for (id, rx) in &rxs {
        let valid = rx.body.contains("Optometrist");
        let pid: PrescriptionId = id.parse().unwrap();
        prop_assert_eq!(
            sql.prescriptions.contains(&pid),
            valid,
            "prescription {}",
            id
        );
        prop_assert_eq!(inbox.contains_key(&format!("rx-invalid-{id}")), !valid);
    }
    // Visits: each one without a title is reported.
    for (id, v) in records::all::<VisitRecord, _>(hub, records::VISITS) {
        prop_assert_eq!(
            inbox.contains_key(&format!("visit-{id}-title")),
            v.title.is_empty(),
            "visit {}",
            id
        );
    }
    for i in 0..CLIENTS {
        let first: ClientRecord = records::get(hub, records::CLIENTS, &client_id(i))
            .unwrap()
            .unwrap();
        for d in &docs[1..] {
            prop_assert_eq!(
                records::get::<ClientRecord>(d, records::CLIENTS, &client_id(i))
                    .unwrap()
                    .unwrap(),
                first.clone()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_and_every_hub_rule_holds(
        (replicas, ops) in (2usize..=4).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n), 1..40)))
    ) {
        run(replicas, ops)?;
    }
}
