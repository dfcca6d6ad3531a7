//! Coupon uses on [`SqlStore`]: the hub takes a use for each accepted order that
//! names a coupon, and a coupon with a limit gives no more uses than it has — also
//! when two phones sync at once (tests/tests/store_conformance/coupon_uses.rs).
//!
//! One transaction per projection step: the uses these orders hold are read; an
//! order whose coupon changed or went gives its use back; then per coupon its row is
//! locked by an UPDATE (PostgreSQL: a row lock; SQLite: the transaction began
//! IMMEDIATE, holding the write lock), its uses counted, and the new ones inserted
//! while the limit allows.

use std::collections::HashMap;

use fieldcase_shared::authority::CouponClaim;
use fieldcase_shared::{AdviserId, OrderId};
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::store::error::StoreResult;
use crate::store::sql::{Classify, LOOKUP_CHUNK, SqlStore, now, on_db, write_tx};

impl SqlStore {
    /// See [`crate::catalog::store::CatalogStore::claim_coupons`].
    pub(super) async fn claim_coupon_uses(
        &self,
        adviser: AdviserId,
        claims: &[CouponClaim],
    ) -> StoreResult<HashMap<OrderId, u32>> {
        let mut refused = HashMap::new();
        if claims.is_empty() {
            return Ok(refused);
        }
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let mut held: HashMap<Uuid, String> = HashMap::with_capacity(claims.len());
            for chunk in claims.chunks(LOOKUP_CHUNK) {
                let mut q = QueryBuilder::new("SELECT order_id, coupon FROM coupon_uses WHERE order_id IN (");
                let mut list = q.separated(", ");
                for c in chunk {
                    list.push_bind(c.order.as_uuid());
                }
                q.push(")");
                let rows: Vec<(Uuid, String)> = q.build_query_as().fetch_all(&mut *tx).await.classify()?;
                held.extend(rows);
            }
            // Uses given back: the order's coupon changed or went.
            let released: Vec<Uuid> = claims
                .iter()
                .filter(|c| held.get(&c.order.as_uuid()).is_some_and(|h| *h != c.coupon))
                .map(|c| c.order.as_uuid())
                .collect();
            for chunk in released.chunks(LOOKUP_CHUNK) {
                let mut q = QueryBuilder::new("DELETE FROM coupon_uses WHERE order_id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build().execute(&mut *tx).await.classify()?;
            }
            // New uses, by coupon, in the order the claims came.
            let mut wanted: Vec<(&str, Vec<&CouponClaim>)> = Vec::new();
            for c in claims.iter().filter(|c| !c.coupon.is_empty()) {
                if held.get(&c.order.as_uuid()) == Some(&c.coupon) {
                    continue;
                }
                match wanted.iter_mut().find(|(code, _)| *code == c.coupon) {
                    Some((_, list)) => list.push(c),
                    None => wanted.push((c.coupon.as_str(), vec![c])),
                }
            }
            let at = now();
            for (code, orders) in wanted {
                let limit: Option<(i32,)> = sqlx::query_as(
                    "UPDATE coupons SET max_uses = max_uses WHERE code = $1 RETURNING max_uses",
                )
                .bind(code)
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
                let Some((limit,)) = limit else {
                    continue; // no such coupon: the review dropped it already
                };
                let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM coupon_uses WHERE coupon = $1")
                    .bind(code)
                    .fetch_one(&mut *tx)
                    .await
                    .classify()?;
                let free = if limit > 0 {
                    usize::try_from(i64::from(limit) - used).unwrap_or(0)
                } else {
                    usize::MAX
                };
                let (taking, over) = orders.split_at(free.min(orders.len()));
                for o in over {
                    refused.insert(o.order, u32::try_from(limit).unwrap_or_default());
                }
                for chunk in taking.chunks(LOOKUP_CHUNK / 5) {
                    let mut q = QueryBuilder::new(
                        "INSERT INTO coupon_uses (order_id, coupon, client_id, adviser_id, at) ",
                    );
                    q.push_values(chunk, |mut row, c| {
                        row.push_bind(c.order.as_uuid())
                            .push_bind(code)
                            .push_bind(c.client.map(|id| id.as_uuid()))
                            .push_bind(adviser.as_uuid())
                            .push_bind(at);
                    });
                    q.build().execute(&mut *tx).await.classify()?;
                }
            }
            tx.commit().await?;
        });
        Ok(refused)
    }

    /// See [`crate::catalog::store::CatalogStore::coupon_use_counts`].
    pub(super) async fn count_coupon_uses(&self) -> StoreResult<HashMap<String, i64>> {
        let rows: Vec<(String, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT coupon, COUNT(*) FROM coupon_uses GROUP BY coupon",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().collect())
    }
}
