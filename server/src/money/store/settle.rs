//! Settling a movement's open money by hand (issue 13, point 3) in one
//! transaction: parts given to orders, a refund of an order's payment (a negative
//! allocation and a return), a write-off, a return to the payer. The movement's
//! open amount must still be what the caller saw, and each order must still owe
//! what is given to it (else `Stale`: nothing is written); every step is audited;
//! nothing is deleted or changed in place but the running sums.

use fieldcase_shared::{Money, OrderId};
use uuid::Uuid;

use crate::money::store::SETTLED;
use crate::money::store::import::BANK_LOCK;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Backend, Classify, SqlStore, now, on_db, write_tx};

/// One step of a settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Give `amount` of the movement's open money to `order` (at most what it owes).
    Allocate { order: OrderId, amount: Money },
    /// Take back `amount` the movement gave `order` and send it to the payer.
    Refund {
        order: OrderId,
        amount: Money,
        reason: String,
    },
    /// Write `amount` off (kept as income), with the reason.
    WriteOff { amount: Money, reason: String },
    /// Send `amount` back to the payer's account.
    Return { amount: Money, reason: String },
}

impl Step {
    /// What the step takes from the movement's open money (a refund takes nothing:
    /// what it takes back from the order leaves again).
    pub fn takes(&self) -> Money {
        match self {
            Step::Allocate { amount, .. }
            | Step::WriteOff { amount, .. }
            | Step::Return { amount, .. } => *amount,
            Step::Refund { .. } => Money::ZERO,
        }
    }
}

macro_rules! allocate_in {
    ($conn:expr, $movement:expr, $order:expr, $amount:expr, $kind:expr, $note:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO payment_allocations (id, movement_id, order_id, amount_haler, kind, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7())
        .bind($movement)
        .bind($order.as_uuid())
        .bind($amount.haler())
        .bind($kind)
        .bind($note)
        .bind($at)
        .execute($conn)
        .await
        .classify()
    };
}

macro_rules! settle_in {
    ($conn:expr, $movement:expr, $kind:expr, $amount:expr, $reason:expr, $counter:expr, $order:expr, $actor:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO movement_settlements (id, movement_id, kind, amount_haler, reason, counter_account, order_id, actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(Uuid::now_v7())
        .bind($movement)
        .bind($kind)
        .bind($amount.haler())
        .bind($reason)
        .bind($counter)
        .bind($order.map(|o: OrderId| o.as_uuid()))
        .bind(&$actor.label)
        .bind($at)
        .execute($conn)
        .await
        .classify()
    };
}

pub(super) async fn settle(
    store: &SqlStore,
    actor: &Actor,
    movement: Uuid,
    expected_open: Money,
    steps: &[Step],
) -> StoreResult<Vec<OrderId>> {
    let taken: Money = steps.iter().map(Step::takes).sum();
    let at = now();
    let mut orders = Vec::new();
    on_db!(store, pool => {
        let mut tx = write_tx(pool).await?;
        if store.backend_kind() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(BANK_LOCK).execute(&mut *tx).await.classify()?;
        }
        let found: Option<(String,)> = sqlx::query_as("SELECT counter_account FROM bank_movements WHERE id = $1")
            .bind(movement)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
        let Some((counter,)) = found else { return Err(StoreError::NotFound("bank movement")) };
        let done = sqlx::query("UPDATE bank_movements SET open_haler = open_haler - $2 WHERE id = $1 AND open_haler = $3 AND open_haler >= $2")
            .bind(movement)
            .bind(taken.haler())
            .bind(expected_open.haler())
            .execute(&mut *tx)
            .await
            .classify()?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Stale("bank movement"));
        }
        for step in steps {
            match step {
                Step::Allocate { order, amount } => {
                    let owes: Option<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                        "SELECT total_haler - deposit_haler - {SETTLED} FROM orders o WHERE id = $1 AND status <> 'cancelled'"
                    )))
                    .bind(order.as_uuid())
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?;
                    if owes.is_none_or(|(owes,)| owes < amount.haler()) {
                        return Err(StoreError::Stale("order"));
                    }
                    settled_in!(&mut *tx, *order, *amount)?;
                    allocate_in!(&mut *tx, movement, *order, *amount, "manual", "", at)?;
                    audit_in!(&mut *tx, actor, "bank.allocate", movement.to_string(), format!("{} to order {order}", amount.to_decimal_string()))?;
                    orders.push(*order);
                }
                Step::Refund { order, amount, reason } => {
                    // At most what this movement gave the order.
                    let given: (i64,) = sqlx::query_as(
                        "SELECT CAST(COALESCE(SUM(amount_haler), 0) AS BIGINT) FROM payment_allocations WHERE movement_id = $1 AND order_id = $2",
                    )
                    .bind(movement)
                    .bind(order.as_uuid())
                    .fetch_one(&mut *tx)
                    .await
                    .classify()?;
                    if given.0 < amount.haler() {
                        return Err(StoreError::Stale("order"));
                    }
                    settled_in!(&mut *tx, *order, -*amount)?;
                    allocate_in!(&mut *tx, movement, *order, -*amount, "refund", reason.as_str(), at)?;
                    settle_in!(&mut *tx, movement, "return", *amount, reason.as_str(), counter.as_str(), Some(*order), actor, at)?;
                    audit_in!(&mut *tx, actor, "bank.refund", movement.to_string(), format!("{} of order {order}: {reason}", amount.to_decimal_string()))?;
                    orders.push(*order);
                }
                Step::WriteOff { amount, reason } => {
                    settle_in!(&mut *tx, movement, "write_off", *amount, reason.as_str(), "", None::<OrderId>, actor, at)?;
                    audit_in!(&mut *tx, actor, "bank.write_off", movement.to_string(), format!("{}: {reason}", amount.to_decimal_string()))?;
                }
                Step::Return { amount, reason } => {
                    settle_in!(&mut *tx, movement, "return", *amount, reason.as_str(), counter.as_str(), None::<OrderId>, actor, at)?;
                    audit_in!(&mut *tx, actor, "bank.return", movement.to_string(), format!("{} to {counter}: {reason}", amount.to_decimal_string()))?;
                }
            }
        }
        tx.commit().await.classify()?;
    });
    Ok(orders)
}
