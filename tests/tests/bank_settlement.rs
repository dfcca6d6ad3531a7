//! Receivables settled by hand (issue 13, point 3), on SQLite and PostgreSQL: a
//! payment nobody's is split over orders found by their variable symbol, the rest
//! written off and sent back, each step audited and nothing deleted; refusals
//! (beyond what an order owes or the payment has, a cancelled or unknown order, no
//! reason) write nothing; a stale view writes nothing; a refund takes an order's
//! payment back to the payer; the open money is aged; and for any sequence of
//! payments, settlements and refunds each order's settled amount is the sum
//! allocated to it and allocated + written off + returned + open = incoming.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;

use fieldcase_server::integrations::fio::Movement;
use fieldcase_server::money::settle::{OrderRef, Request, SettleError, Step, book};
use fieldcase_server::money::store::MovementFilter;
use fieldcase_server::store::{
    Actor, AuditFilter, AuditStore, BankStore, OrderStore, SqlStore, StoreError,
};
use fieldcase_shared::validate::reason;
use fieldcase_shared::{Money, OrderId, OrderStatus, Problem, Role};
use proptest::strategy::{Strategy, ValueTree};
use time::OffsetDateTime;

fieldcase_tests::conformance!(
    a_payment_is_split_written_off_and_sent_back,
    refusals_write_nothing,
    a_refund_sends_an_order_s_payment_back,
    open_money_is_aged,
    no_money_is_created_or_lost_by_settling
);

async fn seed(
    store: &SqlStore,
    orders: &[(&str, i64, OrderStatus)],
) -> anyhow::Result<fieldcase_tests::bank::Seeded> {
    let orders: Vec<(&str, i64, i64, OrderStatus)> = orders
        .iter()
        .map(|(vs, total, status)| (*vs, *total, 0, *status))
        .collect();
    fieldcase_tests::bank::seed(store, &orders).await
}

fn pay(id: i64, czk: i64, vs: &str, day: time::Date) -> Movement {
    fieldcase_tests::bank::pay(id, czk, "CZK", vs, day)
}

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

/// The booked movement with FIO id `fio`.
async fn movement(store: &SqlStore, fio: i64) -> fieldcase_server::money::store::BankMovement {
    let all = store
        .bank_movements(&MovementFilter {
            limit: 1000,
            ..MovementFilter::default()
        })
        .await
        .unwrap();
    all.into_iter().find(|m| m.fio_id == fio).unwrap()
}

async fn settled(store: &SqlStore, order: OrderId) -> Money {
    store
        .order_card(order, Role::Admin)
        .await
        .unwrap()
        .unwrap()
        .settled
}

fn czk(n: i64) -> Money {
    Money::from_czk(n)
}

async fn a_payment_is_split_written_off_and_sent_back(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = seed(
        &store,
        &[
            ("9100000001", 1000, OrderStatus::Confirmed),
            ("0009100002", 500, OrderStatus::Intake),
        ],
    )
    .await?;
    let bank = Actor::system("bank");
    store
        .import_movements(&bank, s.account, &[pay(1, 2000, "123", today())])
        .await?;
    let m = movement(&store, 1).await;
    assert_eq!(m.open, czk(2000));
    let accounting = Actor::system("účetní");
    let orders = book(
        store.as_ref(),
        &accounting,
        Role::Accounting,
        m.id,
        &[
            Request::Allocate {
                order: OrderRef::Vs("9100000001".into()),
                amount: czk(1000),
            },
            Request::Allocate {
                order: OrderRef::Vs("9100002".into()),
                amount: czk(300),
            },
            Request::WriteOff {
                amount: czk(100),
                reason: "poplatek banky".into(),
            },
            Request::Return {
                amount: czk(600),
                reason: "přeplatek".into(),
            },
        ],
    )
    .await?;
    assert_eq!(orders, s.orders);
    assert_eq!(settled(&store, s.orders[0]).await, czk(1000));
    assert_eq!(settled(&store, s.orders[1]).await, czk(300));
    assert_eq!(movement(&store, 1).await.open, Money::ZERO);
    let settlements = store.settlements(Some(m.id)).await?;
    let mut kinds: Vec<(String, i64, String)> = settlements
        .iter()
        .map(|s| (s.kind.clone(), s.amount.haler(), s.counter_account.clone()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("return".into(), 60_000, "2900000000/2010".into()),
            ("write_off".into(), 10_000, String::new())
        ]
    );
    // Each step audited.
    let audit = store
        .list_audit(&AuditFilter {
            action: "bank.".into(),
            limit: 50,
            ..AuditFilter::default()
        })
        .await?;
    let actions: Vec<&str> = audit
        .iter()
        .filter(|e| e.actor == "system:účetní")
        .map(|e| e.action.as_str())
        .collect();
    for action in ["bank.allocate", "bank.write_off", "bank.return"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    // The order's card lists the payment with what it gave.
    let payments = store.order_payments(s.orders[1]).await?;
    assert_eq!(
        payments
            .iter()
            .map(|(m, g)| (m.fio_id, g.haler()))
            .collect::<Vec<_>>(),
        [(1, 30_000)]
    );
    Ok(())
}

fn problems(e: SettleError) -> Vec<(String, Problem)> {
    match e {
        SettleError::Invalid(p) => p.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn refusals_write_nothing(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = seed(
        &store,
        &[
            ("9200000001", 1000, OrderStatus::Confirmed),
            ("9200000002", 800, OrderStatus::Cancelled),
        ],
    )
    .await?;
    store
        .import_movements(
            &Actor::system("bank"),
            s.account,
            &[pay(1, 700, "", today())],
        )
        .await?;
    let m = movement(&store, 1).await;
    let who = Actor::system("účetní");
    let try_ = |requests: Vec<Request>, role: Role| {
        let store = store.clone();
        let who = who.clone();
        async move { book(store.as_ref(), &who, role, m.id, &requests).await }
    };
    let not_allowed = |key: &str| Problem::NotAllowed(key.into());
    // Beyond what the payment has; beyond what an order owes; cancelled; unknown.
    let e = try_(
        vec![Request::Allocate {
            order: OrderRef::Vs("9200000001".into()),
            amount: czk(701),
        }],
        Role::Accounting,
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [("steps".into(), not_allowed(reason::BEYOND_OPEN))]
    );
    let e = try_(
        vec![
            Request::Allocate {
                order: OrderRef::Vs("9200000001".into()),
                amount: czk(600),
            },
            Request::Allocate {
                order: OrderRef::Vs("9200000001".into()),
                amount: czk(500),
            },
            Request::Allocate {
                order: OrderRef::Vs("9200000002".into()),
                amount: czk(10),
            },
            Request::Allocate {
                order: OrderRef::Vs("999".into()),
                amount: czk(10),
            },
            Request::WriteOff {
                amount: czk(5),
                reason: "  ".into(),
            },
            Request::Return {
                amount: czk(-5),
                reason: "x".into(),
            },
        ],
        Role::Accounting,
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [
            ("steps[1].amount".into(), not_allowed(reason::BEYOND_LEFT)),
            (
                "steps[2].order".into(),
                not_allowed(reason::ORDER_CANCELLED)
            ),
            ("steps[3].order".into(), not_allowed(reason::NO_SUCH_ORDER)),
            ("steps[4].reason".into(), Problem::Required),
            (
                "steps[5].amount".into(),
                not_allowed(reason::NEGATIVE_AMOUNT)
            ),
        ]
    );
    let e = try_(
        vec![Request::WriteOff {
            amount: czk(1),
            reason: "x".into(),
        }],
        Role::Store,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, SettleError::Forbidden));
    // Euros are not given to an order (it owes crowns).
    let mut euros = pay(2, 50, "", today());
    euros.currency = "EUR".into();
    store
        .import_movements(&Actor::system("bank"), s.account, &[euros])
        .await?;
    let eur = movement(&store, 2).await;
    let e = book(
        store.as_ref(),
        &who,
        Role::Accounting,
        eur.id,
        &[Request::Allocate {
            order: OrderRef::Id(s.orders[0]),
            amount: czk(50),
        }],
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [(
            "steps[0].order".into(),
            not_allowed(reason::FOREIGN_CURRENCY)
        )]
    );
    // Someone settled meanwhile: the view the caller had is stale.
    let stale = store
        .settle_movement(
            &who,
            m.id,
            czk(699),
            &[Step::WriteOff {
                amount: czk(1),
                reason: "x".into(),
            }],
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Stale(_))), "{stale:?}");
    // Nothing was written.
    assert_eq!(movement(&store, 1).await.open, czk(700));
    assert_eq!(settled(&store, s.orders[0]).await, Money::ZERO);
    assert!(store.settlements(None).await?.is_empty());
    assert!(store.allocations().await?.is_empty());
    Ok(())
}

async fn a_refund_sends_an_order_s_payment_back(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = seed(&store, &[("9300000001", 1200, OrderStatus::Delivered)]).await?;
    store
        .import_movements(
            &Actor::system("bank"),
            s.account,
            &[pay(1, 1200, "9300000001", today())],
        )
        .await?;
    let m = movement(&store, 1).await;
    assert_eq!(
        (m.open, settled(&store, s.orders[0]).await),
        (Money::ZERO, czk(1200))
    );
    let who = Actor::system("účetní");
    let e = book(
        store.as_ref(),
        &who,
        Role::Admin,
        m.id,
        &[Request::Refund {
            order: OrderRef::Id(s.orders[0]),
            amount: czk(1300),
            reason: "reklamace".into(),
        }],
    )
    .await
    .unwrap_err();
    assert_eq!(
        problems(e),
        [(
            "steps[0].amount".into(),
            Problem::NotAllowed(reason::BEYOND_GIVEN.into())
        )]
    );
    book(
        store.as_ref(),
        &who,
        Role::Admin,
        m.id,
        &[Request::Refund {
            order: OrderRef::Id(s.orders[0]),
            amount: czk(200),
            reason: "reklamace".into(),
        }],
    )
    .await?;
    assert_eq!(settled(&store, s.orders[0]).await, czk(1000));
    assert_eq!(movement(&store, 1).await.open, Money::ZERO);
    let back = store.settlements(None).await?;
    assert_eq!(
        (back[0].kind.as_str(), back[0].amount, back[0].order),
        ("return", czk(200), Some(s.orders[0]))
    );
    let allocations = store.allocations().await?;
    assert_eq!(
        allocations
            .iter()
            .map(|a| (a.kind.as_str(), a.amount.haler()))
            .collect::<Vec<_>>(),
        [("match", 120_000), ("refund", -20_000)]
    );
    Ok(())
}

async fn open_money_is_aged(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = seed(&store, &[]).await?;
    let day = |n: i64| today() - time::Duration::days(n);
    let lines = [
        pay(1, 100, "1", day(0)),
        pay(2, 200, "2", day(14)),
        pay(3, 300, "3", day(15)),
        pay(4, 400, "4", day(45)),
        pay(5, 500, "5", day(61)),
        pay(6, 600, "6", day(90)),
    ];
    store
        .import_movements(&Actor::system("bank"), s.account, &lines)
        .await?;
    assert_eq!(
        store.ageing(today()).await?,
        [czk(300), czk(300), czk(400), czk(1100)]
    );
    Ok(())
}

/// Random payments (to three orders, unknown symbols), then random settlements
/// (parts, write-offs, returns) and refunds; after each step the books balance.
async fn no_money_is_created_or_lost_by_settling(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = seed(
        &store,
        &[
            ("9400000001", 900, OrderStatus::Confirmed),
            ("9400000002", 1500, OrderStatus::Confirmed),
            ("9400000003", 400, OrderStatus::Intake),
        ],
    )
    .await?;
    let vs = ["9400000001", "9400000002", "9400000003", "77", ""];
    // A payment: (VS index, CZK); a step: (kind 0–3, order 0–2, CZK).
    let plan = (
        proptest::collection::vec((0usize..5, 1i64..1200), 1..12),
        proptest::collection::vec((0u8..4, 0usize..3, 1i64..700), 1..25),
    );
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let who = Actor::system("účetní");
    let mut next = 0i64;
    let mut incoming = 0i64;
    for _case in 0..10 {
        let (payments, steps) = plan.new_tree(&mut runner).unwrap().current();
        let lines: Vec<Movement> = payments
            .iter()
            .map(|(v, amount)| {
                next += 1;
                incoming += amount * 100;
                pay(next, *amount, vs[*v], today())
            })
            .collect();
        store
            .import_movements(&Actor::system("bank"), s.account, &lines)
            .await?;
        for (kind, order, amount) in steps {
            let all = store
                .bank_movements(&MovementFilter {
                    limit: 1000,
                    ..MovementFilter::default()
                })
                .await?;
            let amount = czk(amount);
            let order = OrderRef::Id(s.orders[order]);
            let request = match kind {
                0 => Request::Allocate { order, amount },
                1 => Request::WriteOff {
                    amount,
                    reason: "test".into(),
                },
                2 => Request::Return {
                    amount,
                    reason: "test".into(),
                },
                _ => Request::Refund {
                    order,
                    amount,
                    reason: "test".into(),
                },
            };
            // On a payment that can take it, if any; refusals are fine and write nothing.
            for m in all.iter().filter(|m| m.amount.haler() > 0) {
                if book(
                    store.as_ref(),
                    &who,
                    Role::Accounting,
                    m.id,
                    std::slice::from_ref(&request),
                )
                .await
                .is_ok()
                {
                    break;
                }
            }
            // The books balance after every step.
            let allocations = store.allocations().await?;
            let mut by_order: HashMap<OrderId, i64> = HashMap::new();
            for a in &allocations {
                *by_order.entry(a.order).or_default() += a.amount.haler();
            }
            for (i, o) in s.orders.iter().enumerate() {
                let given = by_order.get(o).copied().unwrap_or(0);
                assert_eq!(
                    settled(&store, *o).await.haler(),
                    given,
                    "order {i}: settled = allocated"
                );
                assert!(
                    (0..=[90_000, 150_000, 40_000][i]).contains(&given),
                    "order {i}: {given}"
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
            let out: i64 = store
                .settlements(None)
                .await?
                .iter()
                .map(|s| s.amount.haler())
                .sum();
            assert_eq!(
                allocated + out + open,
                incoming,
                "allocated + written off / returned + open = incoming"
            );
            assert!(movements.iter().all(|m| m.open.haler() >= 0));
        }
    }
    Ok(())
}
