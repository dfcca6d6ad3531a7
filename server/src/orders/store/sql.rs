//! [`OrderStore`] on [`SqlStore`]: the order list, the dashboard's numbers and the
//! accepted statuses, with their rows.

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::order::notes::NoteKind;
use fieldcase_shared::{AdviserId, Money, OrderId, OrderStatus, Role};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::orders::store::history::{event_in, field};
use crate::orders::store::{
    Dashboard, Delivery, OrderCard, OrderFilter, OrderLineRow, OrderRow, OrderStore, OrderSummary,
    StatusCounts,
};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{BATCH, Classify, LOOKUP_CHUNK, SqlStore, now, on_db, one_row, parse};

#[async_trait]
impl OrderStore for SqlStore {
    async fn insert_orders(&self, orders: &[OrderRow], lines: &[OrderLineRow]) -> StoreResult<u64> {
        let mut inserted = 0;
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            for chunk in orders.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO orders (id, variable_symbol, client_id, adviser_id, shop_id, prescription_id, status, total_haler, deposit_haler, note, created_at, updated_at) ",
                );
                q.push_values(chunk, |mut b, o| {
                    b.push_bind(o.id.as_uuid())
                        .push_bind(o.variable_symbol.clone())
                        .push_bind(o.client.as_uuid())
                        .push_bind(o.adviser.map(|a| a.as_uuid()))
                        .push_bind(o.shop.map(|s| s.as_uuid()))
                        .push_bind(o.prescription.map(|p| p.as_uuid()))
                        .push_bind(o.status.code())
                        .push_bind(o.total.haler())
                        .push_bind(o.deposit.haler())
                        .push_bind("")
                        .push_bind(o.created_at)
                        .push_bind(o.updated_at);
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                inserted += q.build().execute(&mut *tx).await.classify()?.rows_affected();
            }
            for chunk in lines.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO order_lines (id, order_id, position, product_id, text, quantity, unit_price_haler, vat_bp, discount_haler) ",
                );
                q.push_values(chunk, |mut b, l| {
                    b.push_bind(l.id.as_uuid())
                        .push_bind(l.order.as_uuid())
                        .push_bind(l.position)
                        .push_bind(l.product.map(|p| p.as_uuid()))
                        .push_bind(l.text.clone())
                        .push_bind(l.quantity)
                        .push_bind(l.unit_price.haler())
                        .push_bind(l.vat_bp)
                        .push_bind(l.discount.haler());
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                q.build().execute(&mut *tx).await.classify()?;
            }
            tx.commit().await?;
        });
        let ids: Vec<OrderId> = orders.iter().map(|o| o.id).collect();
        self.index_orders(&ids).await?;
        Ok(inserted)
    }

    async fn recent_orders(&self, limit: i64) -> StoreResult<Vec<OrderSummary>> {
        self.list_orders(&OrderFilter {
            limit,
            ..OrderFilter::default()
        })
        .await
    }

    async fn list_orders(&self, filter: &OrderFilter) -> StoreResult<Vec<OrderSummary>> {
        self.query_orders(filter).await
    }

    async fn count_orders(&self, filter: &OrderFilter) -> StoreResult<StatusCounts> {
        self.count_orders_by_status(filter).await
    }

    async fn dashboard(&self, since: OffsetDateTime) -> StoreResult<Dashboard> {
        let (counts, by_status, recent): (
            (i64, i64, i64, i64),
            Vec<(String, i64)>,
            (i64, Option<i64>),
        ) = on_db!(self, pool => {
            let counts = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM shops WHERE active), (SELECT COUNT(*) FROM advisers WHERE active), \
                 (SELECT COUNT(*) FROM clients), (SELECT COUNT(*) FROM products WHERE active)",
            )
            .fetch_one(pool)
            .await
            .classify()?;
            let by_status = sqlx::query_as("SELECT status, COUNT(*) FROM orders GROUP BY status")
                .fetch_all(pool)
                .await
                .classify()?;
            // CAST keeps SUM an integer on PostgreSQL (it would be NUMERIC).
            let recent = sqlx::query_as(
                "SELECT COUNT(*), CAST(SUM(total_haler) AS BIGINT) FROM orders WHERE created_at >= $1 AND status <> 'cancelled'",
            )
            .bind(since)
            .fetch_one(pool)
            .await
            .classify()?;
            (counts, by_status, recent)
        });
        let mut orders_by_status = by_status
            .into_iter()
            .map(|(s, n)| Ok((parse::<OrderStatus>("orders.status", &s)?, n)))
            .collect::<StoreResult<Vec<_>>>()?;
        orders_by_status.sort_by_key(|(s, _)| OrderStatus::ALL.iter().position(|x| x == s));
        Ok(Dashboard {
            shops: counts.0,
            advisers: counts.1,
            clients: counts.2,
            products: counts.3,
            orders_by_status,
            recent_orders: recent.0,
            recent_turnover: Money::from_haler(recent.1.unwrap_or(0)),
        })
    }

    async fn order_statuses(&self, orders: &[OrderId]) -> StoreResult<HashMap<OrderId, String>> {
        let mut out = HashMap::with_capacity(orders.len());
        for chunk in orders.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(Uuid, String)> = on_db!(self, pool => {
                let mut q = QueryBuilder::new("SELECT id, status FROM orders WHERE id IN (");
                let mut ids = q.separated(", ");
                for id in chunk {
                    ids.push_bind(id.as_uuid());
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            out.extend(
                rows.into_iter()
                    .map(|(id, status)| (OrderId::from_uuid(id), status)),
            );
        }
        Ok(out)
    }

    async fn accepted_pricing(
        &self,
        orders: &[OrderId],
    ) -> StoreResult<HashMap<OrderId, fieldcase_shared::pricing::Pricing>> {
        type Row = (
            Uuid,
            String,
            i64,
            i64,
            Option<Uuid>,
            Option<Uuid>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let mut out: HashMap<OrderId, fieldcase_shared::pricing::Pricing> =
            HashMap::with_capacity(orders.len());
        for chunk in orders.chunks(LOOKUP_CHUNK) {
            let rows: Vec<Row> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT o.id, o.coupon_code, o.coupon_discount_haler, CAST(o.discount_pct AS BIGINT), l.id, l.product_id, l.quantity, l.unit_price_haler, l.vat_bp, l.discount_haler \
                     FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.id IN (",
                );
                let mut ids = q.separated(", ");
                for id in chunk {
                    ids.push_bind(id.as_uuid());
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            for (order, coupon, coupon_discount, pct, line, product, qty, price, vat, discount) in
                rows
            {
                let pricing = out.entry(OrderId::from_uuid(order)).or_default();
                pricing.coupon = coupon;
                pricing.coupon_discount = coupon_discount;
                pricing.discount_pct = u32::try_from(pct).unwrap_or(0);
                if let Some(line) = line {
                    pricing.lines.push((
                        line.to_string(),
                        product.map(|p| p.to_string()),
                        u32::try_from(qty.unwrap_or_default()).unwrap_or_default(),
                        price.unwrap_or_default(),
                        u32::try_from(vat.unwrap_or_default()).unwrap_or_default(),
                        discount.unwrap_or_default(),
                    ));
                }
            }
        }
        for pricing in out.values_mut() {
            pricing.lines.sort();
        }
        Ok(out)
    }

    async fn order_status(&self, order: OrderId) -> StoreResult<Option<OrderStatus>> {
        let text: Option<String> = on_db!(self, pool => sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(order.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        text.map(|t| {
            t.parse()
                .map_err(|_| StoreError::Corrupt(format!("order {order} has status {t:?}")))
        })
        .transpose()
    }

    async fn order_adviser(&self, order: OrderId) -> StoreResult<Option<AdviserId>> {
        let adviser: Option<Option<Uuid>> = on_db!(self, pool => sqlx::query_scalar("SELECT adviser_id FROM orders WHERE id = $1")
            .bind(order.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        Ok(adviser.flatten().map(AdviserId::from_uuid))
    }

    async fn set_order_status(
        &self,
        actor: &Actor,
        order: OrderId,
        from: OrderStatus,
        to: OrderStatus,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            // Compare-and-set: a concurrent change since the caller read `from` wins, and
            // this one is refused rather than silently overwriting it.
            let done = sqlx::query("UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
                .bind(order.as_uuid())
                .bind(from.code())
                .bind(to.code())
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "order in that status")?;
            audit_in!(&mut *tx, actor, "order.status", order.to_string(), format!("{} -> {}", from.code(), to.code()))?;
            event_in!(&mut *tx, order.as_uuid(), actor.via, actor.user.map(|u| u.as_uuid()), &actor.label, field::STATUS, from.code(), to.code())?;
            crate::stock::store::stock_in!(tx, order.as_uuid(), to.code(), &actor.label).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn order_card(&self, order: OrderId, reader: Role) -> StoreResult<Option<OrderCard>> {
        self.read_order_card(order, reader).await
    }

    async fn add_order_note(
        &self,
        actor: &Actor,
        order: OrderId,
        kind: NoteKind,
        body: &str,
    ) -> StoreResult<()> {
        self.append_order_note(actor, order, kind, body).await
    }

    async fn set_delivery(
        &self,
        actor: &Actor,
        order: OrderId,
        seen: &Delivery,
        new: &Delivery,
    ) -> StoreResult<()> {
        self.write_delivery(actor, order, seen, new).await
    }

    async fn order_link(&self, order: OrderId) -> StoreResult<Option<String>> {
        self.live_link(order).await
    }

    async fn replace_order_link(
        &self,
        actor: &Actor,
        order: OrderId,
        token: Option<&str>,
    ) -> StoreResult<()> {
        self.replace_link(actor, order, token).await
    }

    async fn order_by_link(&self, token: &str) -> StoreResult<Option<OrderId>> {
        self.order_of_link(token).await
    }
}
