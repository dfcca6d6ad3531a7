//! Re-computation in SQL: the orders taken on or after a day (those still
//! waiting for the accrual job are left to it) are read like the accrual reads
//! them, `commission::recompute` says what differs, and — unless it is a dry run —
//! the differences go in as adjustment lines with their explanation, in one
//! writing transaction (one at a time, like the accrual).

use async_trait::async_trait;
use fieldcase_shared::OrderId;
use time::Date;
use uuid::Uuid;

use super::accrue::{ACCRUAL_BATCH, ACCRUAL_LOCK, load_orders};
use crate::commission::recompute::{Adjustment, recompute};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Backend, Classify, SqlStore, now, on_db, write_tx};

/// An order's adjustment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recomputed {
    pub order: OrderId,
    pub vs: String,
    pub adjustment: Adjustment,
}

/// Re-computation.
#[async_trait]
pub trait RecomputeStore: Send + Sync {
    /// What the rules give the orders taken from `from` on against what their
    /// ledgers hold; the differences booked as adjustments unless `dry_run`.
    async fn recompute_commission(
        &self,
        actor: &Actor,
        from: Date,
        dry_run: bool,
    ) -> StoreResult<Vec<Recomputed>>;
}

#[async_trait]
impl RecomputeStore for SqlStore {
    async fn recompute_commission(
        &self,
        actor: &Actor,
        from: Date,
        dry_run: bool,
    ) -> StoreResult<Vec<Recomputed>> {
        let postgres = self.backend_kind() == Backend::Postgres;
        let since = from.midnight().assume_utc();
        let out = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(ACCRUAL_LOCK).execute(&mut *tx).await.classify()?;
            }
            let all: Vec<Uuid> = sqlx::query_scalar(
                "SELECT o.id FROM orders o WHERE o.created_at >= $1 \
                 AND NOT EXISTS (SELECT 1 FROM commission_queue q WHERE q.order_id = o.id) ORDER BY o.id",
            )
            .bind(since)
            .fetch_all(&mut *tx)
            .await
            .classify()?;
            let mut out: Vec<Recomputed> = Vec::new();
            for ids in all.chunks(ACCRUAL_BATCH) {
                let (orders, mut booked, versions, levels) = load_orders!(&mut *tx, ids);
                for id in ids {
                    let Some(order) = orders.get(id) else { continue };
                    let held = booked.remove(id).unwrap_or_default();
                    let cycle = held.iter().filter(|b| b.kind == "accrual").map(|b| b.cycle).max().unwrap_or(0);
                    for adjustment in recompute(order, &held, &versions, &levels) {
                        if !dry_run {
                            let mut explanation = adjustment.explanation.clone();
                            if let Some(e) = explanation.as_mut() {
                                e.recomputed = Some((adjustment.booked, adjustment.due));
                            }
                            let (note, _) = crate::commission::recompute::reason(&adjustment, &order.vs);
                            sqlx::query(
                                "INSERT INTO commission_entries (id, adviser_id, kind, order_id, amount, at, note, rule_id, rule_version, cycle, explanation) \
                                 VALUES ($1, $2, 'adjustment', $3, $4, $5, $6, $7, $8, $9, $10)",
                            )
                            .bind(Uuid::now_v7())
                            .bind(adjustment.adviser.as_uuid())
                            .bind(*id)
                            .bind(adjustment.amount.haler())
                            .bind(now())
                            .bind(note)
                            .bind(adjustment.rule)
                            .bind(explanation.as_ref().map_or(0, |e| i64::from(e.version)))
                            .bind(cycle)
                            .bind(explanation.map(|e| serde_json::to_string(&e).unwrap_or_default()).unwrap_or_default())
                            .execute(&mut *tx)
                            .await
                            .classify()?;
                        }
                        out.push(Recomputed { order: order.id, vs: order.vs.clone(), adjustment });
                    }
                }
            }
            if !dry_run && !out.is_empty() {
                let mut advisers: Vec<Uuid> = out.iter().map(|r| r.adjustment.adviser.as_uuid()).collect();
                advisers.sort();
                advisers.dedup();
                audit_in!(&mut *tx, actor, "commission.recompute", from.to_string(),
                    format!("{} adjustments for {} advisers", out.len(), advisers.len()))?;
                tx.commit().await.classify()?;
            }
            out
        });
        Ok(out)
    }
}
