//! Booking bank movements (issue 13, point 2), on SQLite and PostgreSQL: every
//! line of a statement ends matched, flagged (partial, over) or a receivable /
//! ignored with its reason in words; leading zeros in the VS are read past; the
//! deposit counts; a statement paying one order twice sees the first payment; a
//! movement seen twice — again, or in two overlapping downloads at once — is
//! booked once; and for any sequence of payments each order's settled amount is
//! the sum allocated to it and no money is created or lost.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;

use fieldcase_server::integrations::fio::Movement;
use fieldcase_server::money::matching::{Decision, Reason};
use fieldcase_server::money::store::MovementFilter;
use fieldcase_server::store::{Actor, BankStore, OrderStore, SqlStore};
use fieldcase_shared::{Lang, Money, OrderId, OrderStatus};
use proptest::strategy::{Strategy, ValueTree};

fieldcase_tests::conformance!(
    every_line_is_decided_with_its_reason,
    a_movement_is_booked_once,
    money_is_neither_created_nor_lost
);

fn pay(id: i64, czk: i64, currency: &str, vs: &str) -> Movement {
    fieldcase_tests::bank::pay(id, czk, currency, vs, time::macros::date!(2026 - 12 - 04))
}

async fn settled(store: &SqlStore, order: OrderId) -> Money {
    store
        .order_card(order, fieldcase_shared::Role::Admin)
        .await
        .unwrap()
        .unwrap()
        .settled
}

async fn every_line_is_decided_with_its_reason(store: Arc<SqlStore>) -> anyhow::Result<()> {
    use OrderStatus::*;
    let o = fieldcase_tests::bank::seed(
        &store,
        &[
            ("9000100001", 1000, 0, Confirmed),   // paid exactly
            ("9000100002", 1000, 0, Confirmed),   // paid 400, then 600 in the same statement
            ("123000", 1000, 0, Intake),          // paid 1500 as 00123000
            ("9000100004", 1000, 0, Cancelled),   // a cancelled order's payment
            ("9000100005", 1000, 400, Confirmed), // the deposit counts: 600 pays it
        ],
    )
    .await?;
    let statement = vec![
        pay(1, 1000, "CZK", "9000100001"),
        pay(2, 400, "CZK", "9000100002"),
        pay(3, 600, "CZK", "9000100002"),
        pay(4, 1500, "CZK", "00123000"),
        pay(5, 1000, "CZK", "9000100004"),
        pay(6, 600, "CZK", "9000100005"),
        pay(7, 50, "EUR", "9000100001"),
        pay(8, -250, "CZK", "9000100001"),
        pay(9, 300, "CZK", "7777777777"),
        pay(10, 300, "CZK", ""),
    ];
    let done = store
        .import_movements(&Actor::system("bank"), o.account, &statement)
        .await?;
    assert_eq!((done.new, done.seen), (10, 0));
    assert_eq!(
        (
            done.matched,
            done.partial,
            done.over,
            done.receivable,
            done.ignored
        ),
        (3, 1, 1, 4, 1)
    );
    let all = store.bank_movements(&MovementFilter::default()).await?;
    let by_id: HashMap<i64, _> = all.iter().map(|m| (m.fio_id, m)).collect();
    let expect = [
        (
            1,
            Decision::Matched,
            Reason::Exact,
            Some(0),
            0,
            0,
            "matched by VS 9000100001, amount equal",
        ),
        (
            2,
            Decision::Partial,
            Reason::Short,
            Some(1),
            600,
            0,
            "VS 9000100002: CZK 600.00 less than the amount left",
        ),
        (
            3,
            Decision::Matched,
            Reason::Exact,
            Some(1),
            0,
            0,
            "matched by VS 9000100002, amount equal",
        ),
        (
            4,
            Decision::Over,
            Reason::Surplus,
            Some(2),
            500,
            500,
            "VS 00123000: CZK 500.00 more than the amount left",
        ),
        (
            5,
            Decision::Receivable,
            Reason::Cancelled,
            Some(3),
            0,
            1000,
            "the order with VS 9000100004 is cancelled",
        ),
        (
            6,
            Decision::Matched,
            Reason::Exact,
            Some(4),
            0,
            0,
            "matched by VS 9000100005, amount equal",
        ),
        (
            7,
            Decision::Receivable,
            Reason::Currency,
            None,
            0,
            50,
            "paid in EUR, not CZK",
        ),
        (
            8,
            Decision::Ignored,
            Reason::Outgoing,
            None,
            0,
            0,
            "outgoing payment",
        ),
        (
            9,
            Decision::Receivable,
            Reason::UnknownVs,
            None,
            0,
            300,
            "no order has VS 7777777777",
        ),
        (
            10,
            Decision::Receivable,
            Reason::NoVs,
            None,
            0,
            300,
            "no variable symbol",
        ),
    ];
    for (fio, decision, reason, order, difference, open, words) in expect {
        let m = by_id[&fio];
        assert_eq!((m.decision, m.reason), (decision, reason), "movement {fio}");
        assert_eq!(m.order, order.map(|i| o.orders[i]), "movement {fio}");
        assert_eq!(m.difference, Money::from_czk(difference), "movement {fio}");
        assert_eq!(m.open, Money::from_czk(open), "movement {fio}");
        assert_eq!(
            m.explain(Lang::En).replace('\u{a0}', " "),
            words,
            "movement {fio}"
        );
        assert!(!m.explain(Lang::Cs).is_empty());
    }
    // What each order was given.
    let expected = [1000, 1000, 1000, 0, 600];
    for (i, czk) in expected.iter().enumerate() {
        assert_eq!(
            settled(&store, o.orders[i]).await,
            Money::from_czk(*czk),
            "order {i}"
        );
    }
    let payments = store.order_payments(o.orders[1]).await?;
    assert_eq!(
        payments
            .iter()
            .map(|(m, given)| (m.fio_id, given.haler()))
            .collect::<Vec<_>>(),
        [(2, 40_000), (3, 60_000)]
    );
    // The paid filter and the order card follow.
    let card = store
        .order_card(o.orders[4], fieldcase_shared::Role::Admin)
        .await?
        .unwrap();
    assert_eq!(card.to_pay(), Money::ZERO);
    let open = store
        .bank_movements(&MovementFilter {
            open_only: true,
            ..MovementFilter::default()
        })
        .await?;
    assert_eq!(
        open.iter()
            .map(|m| m.fio_id)
            .collect::<std::collections::BTreeSet<_>>(),
        [4, 5, 7, 9, 10].into()
    );
    Ok(())
}

async fn a_movement_is_booked_once(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let o = fieldcase_tests::bank::seed(&store, &[("9000200001", 3000, 0, OrderStatus::Confirmed)])
        .await?;
    let bank = Actor::system("bank");
    let first: Vec<Movement> = (1..=3).map(|i| pay(i, 500, "CZK", "9000200001")).collect();
    store.import_movements(&bank, o.account, &first).await?;
    // Again, and listed twice in one statement: nothing new.
    let again: Vec<Movement> = first.iter().chain(first.iter()).cloned().collect();
    let done = store.import_movements(&bank, o.account, &again).await?;
    assert_eq!((done.new, done.seen), (0, 3));
    // Two downloads at once that overlap (movements 3–6 and 5–8): each booked once.
    let a: Vec<Movement> = (3..=6).map(|i| pay(i, 100, "CZK", "9000200001")).collect();
    let b: Vec<Movement> = (5..=8).map(|i| pay(i, 100, "CZK", "9000200001")).collect();
    let (x, y) = tokio::join!(
        store.import_movements(&bank, o.account, &a),
        store.import_movements(&bank, o.account, &b)
    );
    let (x, y) = (x?, y?);
    assert_eq!(x.new + y.new, 5, "movements 4–8 are new: {x:?} {y:?}");
    let all = store.bank_movements(&MovementFilter::default()).await?;
    assert_eq!(all.len(), 8);
    assert_eq!(
        settled(&store, o.orders[0]).await,
        Money::from_czk(3 * 500 + 5 * 100)
    );
    let allocations = store.allocations().await?;
    assert_eq!(allocations.len(), 8);
    Ok(())
}

/// For random statements (payments to three orders, unknown symbols, other
/// currencies, outgoing lines; downloaded in overlapping pieces), each order's
/// settled amount equals the sum allocated to it, nothing is allocated beyond an
/// order's total, and allocations + what stays open = everything incoming.
async fn money_is_neither_created_nor_lost(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let o = fieldcase_tests::bank::seed(
        &store,
        &[
            ("9000300001", 1500, 0, OrderStatus::Confirmed),
            ("9000300002", 2500, 500, OrderStatus::Confirmed),
            ("0000300003", 800, 0, OrderStatus::Intake),
        ],
    )
    .await?;
    let vs = ["9000300001", "9000300002", "300003", "555", ""];
    let line = (0usize..5, -300i64..2000, 0usize..6)
        .prop_map(move |(v, czk, cur)| (vs[v], czk, if cur == 0 { "EUR" } else { "CZK" }));
    let plan = (
        proptest::collection::vec(line, 1..40),
        proptest::collection::vec(1usize..8, 1..6),
    );
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let bank = Actor::system("bank");
    let mut next_id = 1i64;
    let mut incoming = 0i64;
    for _case in 0..12 {
        let (lines, cuts) = plan.new_tree(&mut runner).unwrap().current();
        let movements: Vec<Movement> = lines
            .iter()
            .map(|(v, czk, cur)| {
                next_id += 1;
                if *czk > 0 {
                    incoming += czk * 100;
                }
                pay(next_id, *czk, cur, v)
            })
            .collect();
        // Downloaded in pieces, each piece also re-sending the one before.
        let mut start = 0;
        let mut previous = 0..0;
        for cut in cuts.iter().chain(std::iter::once(&movements.len())) {
            let end = (start + cut).min(movements.len());
            let piece: Vec<Movement> = movements[previous.clone()]
                .iter()
                .chain(&movements[start..end])
                .cloned()
                .collect();
            store.import_movements(&bank, o.account, &piece).await?;
            previous = start..end;
            start = end;
        }
        let allocations = store.allocations().await?;
        let mut by_order: HashMap<OrderId, i64> = HashMap::new();
        for a in &allocations {
            *by_order.entry(a.order).or_default() += a.amount.haler();
        }
        let totals = [150_000, 250_000 - 50_000, 80_000];
        for (i, order) in o.orders.iter().enumerate() {
            let given = by_order.get(order).copied().unwrap_or(0);
            assert_eq!(
                settled(&store, *order).await.haler(),
                given,
                "order {i}: settled = allocated"
            );
            assert!(
                given <= totals[i],
                "order {i} given {given} beyond what it owed"
            );
        }
        let movements = store
            .bank_movements(&MovementFilter {
                limit: 1000,
                ..MovementFilter::default()
            })
            .await?;
        let open: i64 = movements.iter().map(|m| m.open.haler()).sum();
        let allocated: i64 = allocations.iter().map(|a| a.amount.haler()).sum();
        assert_eq!(allocated + open, incoming, "allocated + open = incoming");
        assert!(movements.iter().all(|m| m.open.haler() >= 0));
    }
    Ok(())
}
