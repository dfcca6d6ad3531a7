//! The commission ledger as a property (issue 14): for random sequences of
//! orders paid, refunded, delivered, cancelled, credited and payouts asked for,
//! with the accrual deciding after every step (`commission::accrual::decide`, as
//! the job does) and payouts judged as the hub judges them:
//! - the balance is accruals − reversals − payouts, line by line;
//! - a payout never takes the balance below zero (what is available is what is
//!   left after accepted requests);
//! - every reversal takes back exactly one standing accrual, none twice;
//! - each order's net commission is what the rules give it when it earns now,
//!   and nothing when it does not;
//! - deciding again over an unchanged history books nothing, and re-computation
//!   over it posts no adjustment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use fieldcase_server::commission::accrual::{Booked, OrderFacts, Standing, decide};
use fieldcase_server::commission::recompute::recompute;
use fieldcase_server::commission::rules::{OrderLine, Rule};
use fieldcase_server::commission::store::rules::StoredRule;
use fieldcase_shared::docs::commission::judge_payout;
use fieldcase_shared::{AdviserId, Money, OrderId, OrderStatus};
use proptest::prelude::*;
use time::macros::{date, datetime};
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Step {
    Pay(usize),
    Refund(usize),
    Deliver(usize),
    Cancel(usize),
    Credit(usize),
    Payout(i64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..4usize).prop_map(Step::Pay),
        (0..4usize).prop_map(Step::Refund),
        (0..4usize).prop_map(Step::Deliver),
        (0..4usize).prop_map(Step::Cancel),
        (0..4usize).prop_map(Step::Credit),
        (1..300_000i64).prop_map(Step::Payout),
    ]
}

fn rules() -> Vec<StoredRule> {
    let rule = |group: Option<&str>, rate_bp| Rule {
        id: Uuid::now_v7(),
        version: 1,
        group: group.map(str::to_owned),
        level: None,
        campaign: None,
        rate_bp,
        valid_from: date!(2026 - 01 - 01),
        valid_to: None,
    };
    [rule(None, 500), rule(Some("frame"), 1_000)]
        .into_iter()
        .map(|rule| StoredRule {
            rule,
            actor: "test".into(),
            created_at: datetime!(2026-01-01 00:00 UTC),
        })
        .collect()
}

fn order(i: usize, adviser: AdviserId) -> OrderFacts {
    let gross = 100_000 + 37_100 * i as i64;
    OrderFacts {
        id: OrderId::new(),
        vs: format!("90001000{i:02}"),
        adviser: Some(adviser),
        taken_at: datetime!(2026-11-30 10:00 UTC),
        standing: Standing {
            status: OrderStatus::Confirmed,
            total: Money::from_haler(gross * 2),
            paid: Money::ZERO,
            credited: false,
        },
        lines: vec![
            OrderLine {
                position: 0,
                text: "Obruba".into(),
                group: "frame".into(),
                sku: "F".into(),
                quantity: 1,
                gross: Money::from_haler(gross),
                vat_bp: 2100,
            },
            OrderLine {
                position: 1,
                text: "Čočky".into(),
                group: "lens".into(),
                sku: "L".into(),
                quantity: 2,
                gross: Money::from_haler(gross),
                vat_bp: 1200,
            },
        ],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_ledger_holds_whatever_happens(steps in prop::collection::vec(step(), 1..40)) {
        let adviser = AdviserId::new();
        let versions = rules();
        let mut orders: Vec<OrderFacts> = (0..4).map(|i| order(i, adviser)).collect();
        // The ledger: (order index or none for payouts, line).
        let mut ledger: Vec<(Option<usize>, Booked)> = Vec::new();
        let book = |ledger: &mut Vec<(Option<usize>, Booked)>, orders: &[OrderFacts], i: usize| {
            let held: Vec<Booked> = ledger.iter().filter(|(o, _)| *o == Some(i)).map(|(_, b)| b.clone()).collect();
            for p in decide(&orders[i], &held, &versions, &[]) {
                ledger.push((Some(i), Booked {
                    id: Uuid::now_v7(),
                    adviser: p.adviser,
                    kind: p.kind.into(),
                    rule: Some(p.rule),
                    cycle: p.cycle,
                    amount: p.amount,
                    reverses: p.reverses,
                    explanation: serde_json::to_string(&p.explanation).unwrap(),
                }));
            }
        };
        for s in steps {
            let touched = match s {
                Step::Pay(i) => { orders[i].standing.paid = orders[i].standing.total; Some(i) }
                Step::Refund(i) => { orders[i].standing.paid = Money::ZERO; Some(i) }
                Step::Deliver(i) => {
                    if orders[i].standing.status != OrderStatus::Cancelled {
                        orders[i].standing.status = OrderStatus::Delivered;
                    }
                    Some(i)
                }
                Step::Cancel(i) => { orders[i].standing.status = OrderStatus::Cancelled; Some(i) }
                Step::Credit(i) => { orders[i].standing.credited = true; Some(i) }
                Step::Payout(amount) => {
                    let balance: i64 = ledger.iter().map(|(_, b)| b.amount.haler()).sum();
                    if judge_payout(amount, balance).is_ok() {
                        ledger.push((None, Booked {
                            id: Uuid::now_v7(),
                            adviser,
                            kind: "payout".into(),
                            rule: None,
                            cycle: 0,
                            amount: Money::from_haler(-amount),
                            reverses: None,
                            explanation: String::new(),
                        }));
                        let after: i64 = ledger.iter().map(|(_, b)| b.amount.haler()).sum();
                        prop_assert!(after >= 0, "a payout took the balance below zero");
                    }
                    None
                }
            };
            if let Some(i) = touched {
                book(&mut ledger, &orders, i);
            }
        }
        // Balance = accruals − reversals − payouts.
        let sum = |kind: &str| ledger.iter().filter(|(_, b)| b.kind == kind).map(|(_, b)| b.amount.haler()).sum::<i64>();
        let balance: i64 = ledger.iter().map(|(_, b)| b.amount.haler()).sum();
        prop_assert_eq!(balance, sum("accrual") + sum("reversal") + sum("payout"));
        prop_assert!(sum("reversal") <= 0 && sum("payout") <= 0 && sum("accrual") >= 0);
        // Every reversal takes back one accrual, none twice, by its amount.
        let mut reversed = HashSet::new();
        for (_, r) in ledger.iter().filter(|(_, b)| b.kind == "reversal") {
            let of = r.reverses.expect("a reversal names its accrual");
            prop_assert!(reversed.insert(of), "an accrual reversed twice");
            let accrual = ledger.iter().find(|(_, b)| b.id == of).map(|(_, b)| b.clone()).expect("the accrual");
            prop_assert_eq!(accrual.kind.as_str(), "accrual");
            prop_assert_eq!(accrual.amount, -r.amount);
        }
        // Each order nets what the rules give it now, or nothing.
        for (i, o) in orders.iter().enumerate() {
            let net: i64 = ledger.iter().filter(|(x, _)| *x == Some(i)).map(|(_, b)| b.amount.haler()).sum();
            let due: i64 = if o.standing.loss().is_none() {
                decide(o, &[], &versions, &[]).iter().map(|p| p.amount.haler()).sum()
            } else {
                0
            };
            prop_assert_eq!(net, due, "order {}", i);
            // Deciding again books nothing.
            let held: Vec<Booked> = ledger.iter().filter(|(x, _)| *x == Some(i)).map(|(_, b)| b.clone()).collect();
            prop_assert!(decide(o, &held, &versions, &[]).is_empty());
            // Re-computation over the unchanged history posts nothing.
            prop_assert_eq!(recompute(o, &held, &versions, &[]), Vec::new());
        }
    }
}
