//! Commission accrual (issue 14, slice 2) in the store, on SQLite and PostgreSQL:
//! an order delivered but unpaid earns nothing; paid in full (a bank movement
//! matched by its VS) it gets one line per rule — for its adviser by their
//! level, for their team lead by the lead's rules — each explained (order,
//! lines, base after the order's discount, rule and version, rate); looking
//! again books nothing; money returned reverses every line; paid again, a new
//! cycle; cancelled, reversed once more; two accruals at once book once; a rule's
//! change written after the order was taken does not apply to it; the ledger is
//! never changed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::catalog::store::{Attributes, Product, ProductKind};
use fieldcase_server::commission::accrual::Explanation;
use fieldcase_server::commission::rules::{Level, Rule};
use fieldcase_server::commission::store::accrue::ACCRUAL_BATCH;
use fieldcase_server::commission::store::rules::AdviserLevel;
use fieldcase_server::money::store::Step;
use fieldcase_server::store::{
    Actor, BankStore, CatalogStore, CommissionAccrualStore, CommissionRuleStore, CommissionStore,
    OrderLineRow, OrderRow, OrderStore, SqlStore,
};
use fieldcase_shared::{Lang, Money, OrderId, OrderStatus, ProductId};
use fieldcase_tests::bank::pay;
use time::OffsetDateTime;
use time::macros::date;
use uuid::Uuid;

fieldcase_tests::conformance!(an_order_earns_once_paid_and_delivered);

fn czk(n: i64) -> Money {
    Money::from_czk(n)
}

fn rule(group: Option<&str>, level: Option<Level>, rate_bp: i64) -> Rule {
    Rule {
        id: Uuid::now_v7(),
        version: 1,
        group: group.map(str::to_owned),
        level,
        campaign: None,
        rate_bp,
        valid_from: date!(2026 - 01 - 01),
        valid_to: None,
    }
}

fn product(sku: &str, kind: ProductKind, price: i64, vat_bp: i64) -> Product {
    Product {
        id: ProductId::new(),
        sku: sku.into(),
        kind,
        name: sku.into(),
        brand: String::new(),
        colour: String::new(),
        size: String::new(),
        price: czk(price),
        vat_bp,
        attrs: Attributes::default(),
    }
}

/// The order's ledger lines: (adviser, kind, amount), oldest first.
async fn lines(store: &SqlStore, order: OrderId) -> anyhow::Result<Vec<(Uuid, String, Money)>> {
    Ok(store
        .order_commission(order)
        .await?
        .into_iter()
        .map(|l| (l.adviser.as_uuid(), l.kind, l.amount))
        .collect())
}

async fn an_order_earns_once_paid_and_delivered(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let who = Actor::system("účetní");
    let job = Actor::system("commission-accrual");
    let network = fieldcase_tests::small_network(store.as_ref(), 2).await?;
    let (member, lead) = (network.advisers[0], network.advisers[1]);
    for (adviser, level, team_lead) in [
        (member, Level::Senior, Some(lead)),
        (lead, Level::Lead, None),
    ] {
        store
            .set_adviser_level(
                &who,
                &AdviserLevel {
                    adviser,
                    valid_from: date!(2026 - 01 - 01),
                    level,
                    team_lead,
                },
            )
            .await?;
    }
    // Frames 10 %, a senior's frames 12 %, everything else 5 %, the lead 2 %.
    let frames = rule(Some("frame"), None, 1_000);
    let senior_frames = rule(Some("frame"), Some(Level::Senior), 1_200);
    let any = rule(None, None, 500);
    let lead_override = rule(None, Some(Level::Lead), 200);
    for r in [&frames, &senior_frames, &any, &lead_override] {
        assert!(store.put_commission_rule(&who, r).await?.is_empty());
    }

    // An order of a frame (6 050 Kč, 21 %) and two lenses (2 × 2 240 Kč, 12 %),
    // 10 530 Kč less a 530 Kč order-wide discount: 10 000 Kč.
    let frame = product("RB5154", ProductKind::Frame, 6_050, 2100);
    let lens = product("ROD160", ProductKind::Lens, 2_240, 1200);
    store
        .insert_products(&[frame.clone(), lens.clone()])
        .await?;
    let client =
        fieldcase_tests::project_client(store.as_ref(), member, "Jana", "Nováková").await?;
    let now = OffsetDateTime::now_utc();
    let order = OrderId::new();
    let line = |position, p: &Product, quantity| OrderLineRow {
        id: fieldcase_shared::OrderLineId::new(),
        order,
        position,
        product: Some(p.id),
        text: p.sku.clone(),
        quantity,
        unit_price: p.price,
        vat_bp: p.vat_bp,
        discount: Money::ZERO,
    };
    store
        .insert_orders(
            &[OrderRow {
                id: order,
                variable_symbol: "9000100001".into(),
                client,
                adviser: Some(member),
                shop: None,
                prescription: None,
                status: OrderStatus::Confirmed,
                total: czk(10_000),
                deposit: Money::ZERO,
                created_at: now,
                updated_at: now,
            }],
            &[line(0, &frame, 1), line(1, &lens, 2)],
        )
        .await?;
    // A rule's change written after the order was taken does not apply to it.
    let mut changed = any.clone();
    changed.version = 2;
    changed.rate_bp = 9_000;
    assert!(store.put_commission_rule(&who, &changed).await?.is_empty());

    // Delivered but unpaid: nothing.
    store
        .set_order_status(&who, order, OrderStatus::Confirmed, OrderStatus::Delivered)
        .await?;
    let run = store.accrue_queued(&job, ACCRUAL_BATCH).await?;
    assert_eq!((run.orders, run.lines), (1, 0));
    assert_eq!(store.commission_queued().await?, 0);

    // Paid in full by the bank: the adviser's two lines and the lead's one.
    let account = Uuid::now_v7();
    store
        .add_bank_account(&who, account, "Účet", "CZ6520100000002900000000", b"x")
        .await?;
    let day = date!(2026 - 11 - 30);
    store
        .import_movements(&who, account, &[pay(1, 10_000, "CZK", "9000100001", day)])
        .await?;
    let run = store.accrue_queued(&job, ACCRUAL_BATCH).await?;
    assert_eq!((run.orders, run.lines), (1, 3));
    assert_eq!(run.advisers.len(), 2);
    // The discount spread: frame 6 050 → 5 745.49 gross (4 748.34 net), lenses
    // 4 480 → 4 254.51 gross (3 798.67 net).
    let booked = lines(&store, order).await?;
    let m = member.as_uuid();
    let ld = lead.as_uuid();
    assert_eq!(
        booked,
        [
            (m, "accrual".into(), Money::from_haler(56_980)),
            (m, "accrual".into(), Money::from_haler(18_993)),
            (ld, "accrual".into(), Money::from_haler(17_094)),
        ],
        "senior frames 12 % of 4 748.34, lenses 5 % of 3 798.67, the lead 2 % of 8 547.01"
    );
    let ledger = store.commission_entries(member).await?;
    let first = &ledger[0].1;
    assert!(
        first.why_cs.starts_with("Zakázka VS 9000100001, úroveň zkušený: 12,00 % ze základu 4 748,34 Kč (řádky 1; pravidlo v1) = 569,80 Kč"),
        "{}",
        first.why_cs
    );
    assert!(first.why_en.contains("12.00 % of"), "{}", first.why_en);
    let lead_ledger = store.commission_entries(lead).await?;
    assert!(
        lead_ledger[0].1.why_cs.starts_with("Za tým:"),
        "{}",
        lead_ledger[0].1.why_cs
    );
    let kept: Explanation = store.order_commission(order).await?[0]
        .explanation
        .clone()
        .expect("explained");
    assert_eq!(
        (kept.rule, kept.version, kept.rate_bp, kept.base),
        (senior_frames.id, 1, 1_200, Money::from_haler(474_834))
    );
    assert_eq!(kept.lines.len(), 1);
    assert_eq!(kept.text(Lang::Cs), first.why_cs);

    // Looking again books nothing; two accruals at once book once.
    assert_eq!(store.accrue_queued(&job, ACCRUAL_BATCH).await?.lines, 0);
    store
        .set_order_status(&who, order, OrderStatus::Delivered, OrderStatus::Closed)
        .await?;
    let (a, b) = tokio::join!(
        store.accrue_queued(&job, ACCRUAL_BATCH),
        store.accrue_queued(&job, ACCRUAL_BATCH)
    );
    assert_eq!(a?.lines + b?.lines, 0, "closed still earns the same");
    assert_eq!(lines(&store, order).await?.len(), 3);

    // The money goes back: every line reversed, the balance back to zero.
    let movement = store.bank_movements(&Default::default()).await?[0].id;
    store
        .settle_movement(
            &who,
            movement,
            Money::ZERO,
            &[Step::Refund {
                order,
                amount: czk(10_000),
                reason: "vráceno".into(),
            }],
        )
        .await?;
    let (a, b) = tokio::join!(
        store.accrue_queued(&job, ACCRUAL_BATCH),
        store.accrue_queued(&job, ACCRUAL_BATCH)
    );
    assert_eq!(a?.lines + b?.lines, 3, "reversed once");
    let booked = lines(&store, order).await?;
    assert_eq!(
        booked.iter().filter(|l| l.1 == "reversal").count(),
        3,
        "{booked:?}"
    );
    assert_eq!(store.payout_available(member).await?, 0);
    assert_eq!(store.payout_available(lead).await?, 0);
    let reversal = store.commission_entries(member).await?;
    assert!(
        reversal[2]
            .1
            .why_cs
            .starts_with("Storno (peníze vráceny): Zakázka VS 9000100001"),
        "{}",
        reversal[2].1.why_cs
    );

    // Paid again: a new cycle; then cancelled: reversed again.
    store
        .import_movements(&who, account, &[pay(2, 10_000, "CZK", "9000100001", day)])
        .await?;
    assert_eq!(store.accrue_queued(&job, ACCRUAL_BATCH).await?.lines, 3);
    assert_eq!(store.payout_available(member).await?, 56_980 + 18_993);
    store
        .set_order_status(&who, order, OrderStatus::Closed, OrderStatus::Cancelled)
        .await?;
    assert_eq!(store.accrue_queued(&job, ACCRUAL_BATCH).await?.lines, 3);
    let booked = lines(&store, order).await?;
    assert_eq!(booked.len(), 12);
    assert_eq!(
        booked.iter().map(|l| l.2.haler()).sum::<i64>(),
        0,
        "{booked:?}"
    );

    // The ledger is appended to, never changed.
    assert!(
        store
            .execute_raw("UPDATE commission_entries SET amount = 0")
            .await
            .is_err()
    );
    assert!(
        store
            .execute_raw("DELETE FROM commission_entries")
            .await
            .is_err()
    );
    Ok(())
}
