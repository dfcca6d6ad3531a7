//! Re-computation (issue 14, slice 5), on SQLite and PostgreSQL: over an
//! unchanged history it posts nothing; after a more specific rule is written for
//! the past, the dry run shows the differences and books nothing, the run books
//! them as adjustments with their reason (history untouched), a second run books
//! nothing; the order cancelled, its accrual and adjustments are all reversed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::commission::rules::{Level, Rule};
use fieldcase_server::commission::store::accrue::ACCRUAL_BATCH;
use fieldcase_server::store::{
    Actor, BankStore, CommissionAccrualStore, CommissionRuleStore, CommissionStore, OrderStore,
    RecomputeStore, SqlStore,
};
use fieldcase_shared::{Money, OrderStatus};
use fieldcase_tests::bank::{order_with_lines, pay};
use time::macros::date;
use uuid::Uuid;

fieldcase_tests::conformance!(recompute_posts_only_differences);

fn rule(level: Option<Level>, rate_bp: i64) -> Rule {
    Rule {
        id: Uuid::now_v7(),
        version: 1,
        group: None,
        level,
        campaign: None,
        rate_bp,
        valid_from: date!(2026 - 01 - 01),
        valid_to: None,
    }
}

async fn recompute_posts_only_differences(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let who = Actor::system("účetní");
    assert!(
        store
            .put_commission_rule(&who, &rule(None, 1_000))
            .await?
            .is_empty()
    );
    let (order, account) = order_with_lines(&store, "9000300001").await?;
    let adviser = store.order_adviser(order).await?.unwrap();
    store
        .import_movements(
            &who,
            account,
            &[pay(1, 10_000, "CZK", "9000300001", date!(2026 - 12 - 01))],
        )
        .await?;
    store
        .set_order_status(&who, order, OrderStatus::Confirmed, OrderStatus::Delivered)
        .await?;
    assert_eq!(store.accrue_queued(&who, ACCRUAL_BATCH).await?.lines, 1);
    let before = store.commission_entries(adviser).await?;
    // 10 % of 10 000 Kč gross (the frame at 21 %, lenses at 12 %, less the discount).
    let booked = before[0].1.amount;

    // Nothing changed: nothing to post.
    let from = date!(2026 - 01 - 01);
    assert!(
        store
            .recompute_commission(&who, from, true)
            .await?
            .is_empty()
    );
    assert!(
        store
            .recompute_commission(&who, from, false)
            .await?
            .is_empty()
    );

    // A junior's rule of 2 % for the past: more specific than the 10 % for all.
    assert!(
        store
            .put_commission_rule(&who, &rule(Some(Level::Junior), 200))
            .await?
            .is_empty()
    );
    let dry = store.recompute_commission(&who, from, true).await?;
    assert_eq!(dry.len(), 2, "{dry:?}");
    assert_eq!(
        store.commission_entries(adviser).await?.len(),
        1,
        "a dry run books nothing"
    );
    let sum: i64 = dry.iter().map(|r| r.adjustment.amount.haler()).sum();
    let due = dry.iter().map(|r| r.adjustment.due).sum::<Money>();
    assert!(
        (due.haler() - booked / 5).abs() <= 1,
        "2 % instead of 10 %: {due:?} of {booked}"
    );
    assert_eq!(booked + sum, due.haler(), "the ledger would hold the 2 %");
    let done = store.recompute_commission(&who, from, false).await?;
    assert_eq!(done, dry);
    let after = store.commission_entries(adviser).await?;
    assert_eq!(after.len(), 3);
    assert_eq!(after[0], before[0], "history untouched");
    assert_eq!(
        after.iter().map(|(_, e)| e.amount).sum::<i64>(),
        due.haler()
    );
    let plus = after
        .iter()
        .find(|(_, e)| e.kind == "adjustment" && e.amount > 0)
        .unwrap();
    assert!(
        plus.1
            .why_cs
            .starts_with("Přepočet (zaúčtováno 0,00 Kč, podle pravidel"),
        "{}",
        plus.1.why_cs
    );
    assert!(plus.1.note.contains("VS 9000300001"), "{}", plus.1.note);
    assert!(
        store
            .recompute_commission(&who, from, false)
            .await?
            .is_empty(),
        "a second run"
    );

    // Cancelled: the accrual and both adjustments reversed.
    store
        .set_order_status(&who, order, OrderStatus::Delivered, OrderStatus::Cancelled)
        .await?;
    assert_eq!(store.accrue_queued(&who, ACCRUAL_BATCH).await?.lines, 3);
    let end = store.commission_entries(adviser).await?;
    assert_eq!(end.iter().map(|(_, e)| e.amount).sum::<i64>(), 0);
    assert!(
        store
            .recompute_commission(&who, from, true)
            .await?
            .is_empty()
    );
    Ok(())
}
