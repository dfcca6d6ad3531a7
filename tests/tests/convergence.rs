//! Property: random edits on several device replicas and the hub, synced in random
//! pairs and orders (random partitions, random reconnects), always converge to one
//! state, and in that state every rule the hub enforces holds.
//!
//! The replicas are Automerge documents merged directly (what samod carries over the
//! wire); the hub's review after each merge is the same `judge_status` rule the
//! hub's projector runs. Runs 256 cases by default; set PROPTEST_CASES for more.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use automerge::Automerge;
use fieldcase_shared::authority::judge_status;
use fieldcase_shared::docs::records::{self, ClientRecord, OrderRecord};
use fieldcase_shared::docs::{self, DocError};
use fieldcase_shared::{AdviserId, OrderStatus};
use proptest::prelude::*;

const CLIENTS: usize = 3;
const ORDERS: usize = 3;

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
    /// Two replicas meet (0 is the hub) and exchange everything.
    Sync { a: usize, b: usize },
}

fn op(replicas: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        (1..=replicas, 0..CLIENTS, 0..3usize, any::<u8>()).prop_map(
            |(replica, client, field, value)| Op::EditClient {
                replica,
                client,
                field,
                value
            }
        ),
        (1..=replicas, 0..ORDERS, 0..OrderStatus::ALL.len()).prop_map(
            |(replica, order, status)| Op::SetStatus {
                replica,
                order,
                status
            }
        ),
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

/// The hub's review after a merge: accept allowed moves, restore refused ones.
fn review(hub: &mut Automerge, accepted: &mut BTreeMap<String, String>) {
    for i in 0..ORDERS {
        let id = order_id(i);
        let Some(order) = records::get::<OrderRecord>(hub, records::ORDERS, &id).unwrap() else {
            continue;
        };
        match judge_status(accepted.get(&id).map(String::as_str), &order.status) {
            Ok(()) => {
                accepted.insert(id, order.status);
            }
            Err((back, _, _)) => edit(hub, |tx| {
                records::put(
                    tx,
                    records::ORDERS,
                    &id,
                    &OrderRecord {
                        status: back.code().into(),
                        ..order
                    },
                )
            }),
        }
    }
}

fn sync(docs: &mut [Automerge], a: usize, b: usize, accepted: &mut BTreeMap<String, String>) {
    if a == b {
        return;
    }
    let mut other = docs[b].clone();
    docs[a].merge(&mut other).unwrap();
    let mut back = docs[a].clone();
    docs[b].merge(&mut back).unwrap();
    if a == 0 || b == 0 {
        review(&mut docs[0], accepted);
        // The hub's corrections travel back on the same connection.
        let peer = if a == 0 { b } else { a };
        let mut hub = docs[0].clone();
        docs[peer].merge(&mut hub).unwrap();
    }
}

fn run(replicas: usize, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut hub = docs::new_workspace(AdviserId::new()).unwrap();
    let mut accepted = BTreeMap::new();
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
        let order = OrderRecord {
            client: client_id(i),
            status: "intake".into(),
            ..Default::default()
        };
        edit(&mut hub, |tx| {
            records::put(tx, records::ORDERS, &order_id(i), &order)
        });
        accepted.insert(order_id(i), "intake".to_owned());
    }
    let mut docs: Vec<Automerge> = std::iter::once(hub.clone())
        .chain((0..replicas).map(|_| hub.fork()))
        .collect();

    for op in ops {
        match op {
            Op::EditClient {
                replica,
                client,
                field,
                value,
            } => {
                let id = client_id(client);
                let doc = &mut docs[replica];
                let mut c: ClientRecord =
                    records::get(doc, records::CLIENTS, &id).unwrap().unwrap();
                let v = format!("v{value}");
                match field {
                    0 => c.first_name = v,
                    1 => c.phone = v,
                    _ => c.city = v,
                }
                edit(doc, |tx| records::put(tx, records::CLIENTS, &id, &c));
            }
            Op::SetStatus {
                replica,
                order,
                status,
            } => {
                let id = order_id(order);
                let doc = &mut docs[replica];
                let mut o: OrderRecord = records::get(doc, records::ORDERS, &id).unwrap().unwrap();
                o.status = OrderStatus::ALL[status].code().into();
                edit(doc, |tx| records::put(tx, records::ORDERS, &id, &o));
            }
            Op::Sync { a, b } => sync(&mut docs, a, b, &mut accepted),
        }
    }

    // Everyone reconnects (in a fixed order now) until nothing changes.
    for _ in 0..4 {
        for i in 1..=replicas {
            sync(&mut docs, 0, i, &mut accepted);
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
    for i in 0..ORDERS {
        let id = order_id(i);
        let order: OrderRecord = records::get(&docs[0], records::ORDERS, &id)
            .unwrap()
            .unwrap();
        prop_assert_eq!(
            Some(&order.status),
            accepted.get(&id),
            "order {} ended outside the accepted status",
            i
        );
        // Every accepted status is reachable by an adviser from intake: only intake or cancelled.
        prop_assert!(
            order.status == "intake" || order.status == "cancelled",
            "an adviser reached {}",
            order.status
        );
    }
    for i in 0..CLIENTS {
        let first: ClientRecord = records::get(&docs[0], records::CLIENTS, &client_id(i))
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
    fn replicas_converge_and_the_rules_hold(
        (replicas, ops) in (2usize..=4).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n), 1..40)))
    ) {
        run(replicas, ops)?;
    }
}
