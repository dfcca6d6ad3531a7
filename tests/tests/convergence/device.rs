//! What the devices do in the convergence property test: each `Op` other than a
//! sync, applied to one replica.

use super::*;

/// A fresh id for the `n`th record a device creates.
fn new_id(n: usize) -> String {
    format!("00000000-0000-7000-a000-{n:012}")
}

fn prescription(n: usize, valid: bool) -> PrescriptionRecord {
    let client: ClientId = client_id(n % CLIENTS).parse().unwrap();
    let rx = Prescription {
        id: new_id(n).parse().unwrap(),
        client,
        right: EyeRx::default(),
        left: EyeRx::default(),
        pd_binocular_mm: None,
        // An empty name is one of the rules a prescription can break.
        measured_by: if valid {
            "Optometrist".into()
        } else {
            String::new()
        },
        measured_on: today(),
        valid_until: today() + time::Duration::days(730),
        note: String::new(),
    };
    PrescriptionRecord {
        client: client.to_string(),
        body: serde_json::to_string(&rx).unwrap(),
    }
}

pub(super) fn device_op(docs: &mut [Automerge], op: Op, n: usize) {
    let at = format!("2026-11-25T10:{:02}:{:02}Z", n / 60, n % 60);
    match op {
        Op::EditClient {
            replica,
            client,
            field,
            value,
        } => {
            let id = client_id(client);
            let doc = &mut docs[replica];
            let mut c: ClientRecord = records::get(doc, records::CLIENTS, &id).unwrap().unwrap();
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
        Op::Move {
            replica,
            product,
            quantity,
        } => {
            let m = CaseMovementRecord {
                product: PRODUCTS[product].into(),
                quantity,
                kind: if quantity < 0 { "sale" } else { "restock" }.into(),
                at,
                ..Default::default()
            };
            edit(&mut docs[replica], |tx| {
                records::put(tx, records::CASE_MOVEMENTS, &new_id(n), &m)
            });
        }
        Op::RequestPayout { replica, amount } => {
            let p = PayoutRequestRecord {
                amount,
                requested_at: at,
                status: PayoutStatus::Pending.code().into(),
                ..Default::default()
            };
            edit(&mut docs[replica], |tx| {
                records::put(tx, PAYOUT_REQUESTS, &new_id(n), &p)
            });
        }
        Op::ChangePayout {
            replica,
            pick,
            amount,
        } => {
            let doc = &mut docs[replica];
            let all: Vec<(String, PayoutRequestRecord)> = records::all(doc, PAYOUT_REQUESTS);
            if all.is_empty() {
                return;
            }
            let (id, mut p) = all[pick % all.len()].clone();
            p.amount = amount;
            edit(doc, |tx| records::put(tx, PAYOUT_REQUESTS, &id, &p));
        }
        Op::WritePrescription { replica, valid } => {
            let rx = prescription(n, valid);
            edit(&mut docs[replica], |tx| {
                records::put(tx, records::PRESCRIPTIONS, &new_id(n), &rx)
            });
        }
        Op::Price {
            replica,
            order,
            price,
            pct,
            coupon,
        } => {
            let id = order_id(order);
            let doc = &mut docs[replica];
            let mut o: OrderRecord = records::get(doc, records::ORDERS, &id).unwrap().unwrap();
            o.lines[0].unit_price = PRICES[price];
            o.discount_pct = pct;
            o.coupon = COUPONS[coupon].into();
            // The device's own arithmetic (right for a known coupon, the hub decides).
            let c = coupons().get(&o.coupon).cloned();
            o.coupon_discount =
                pricing::discount_lines(&mut o.lines, pct, &pricing::Terms::default(), c.as_ref());
            edit(doc, |tx| records::put(tx, records::ORDERS, &id, &o));
        }
        Op::PlanVisit { replica, titled } => {
            let v = VisitRecord {
                client: client_id(n % CLIENTS),
                kind: "visit".into(),
                title: if titled {
                    "Kontrola".into()
                } else {
                    String::new()
                },
                planned_for: "2026-12-01".into(),
                ..Default::default()
            };
            edit(&mut docs[replica], |tx| {
                records::put(tx, records::VISITS, &new_id(n), &v)
            });
        }
        Op::Sync { .. } => unreachable!(),
    }
}
