//! [`StockStore`] on [`SqlStore`].

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, OrderId, ProductId, StoreId};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::stock::store::{
    CENTRAL, CaseMove, STOCKED_KINDS, Shortage, StockLevel, StockMovement, StockStore, Warehouse,
};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{BATCH, Classify, LOOKUP_CHUNK, SqlStore, now, on_db};

/// Statuses whose stocked lines are still to be issued.
const OPEN: &str =
    "('intake','confirmed','lenses_ordered','in_lab','quality_check','ready_for_pickup')";

#[async_trait]
impl StockStore for SqlStore {
    async fn warehouses(&self) -> StoreResult<Vec<Warehouse>> {
        let rows: Vec<(Uuid, String, String, Option<Uuid>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, code, name, shop_id FROM warehouses WHERE active ORDER BY CASE WHEN code = 'CENTRAL' THEN 0 ELSE 1 END, code",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name, shop)| Warehouse {
                id,
                code,
                name,
                shop: shop.map(StoreId::from_uuid),
            })
            .collect())
    }

    async fn create_warehouse(
        &self,
        actor: &Actor,
        code: &str,
        name: &str,
        shop: Option<StoreId>,
    ) -> StoreResult<Warehouse> {
        let id = Uuid::now_v7();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query("INSERT INTO warehouses (id, code, name, shop_id, active) VALUES ($1, $2, $3, $4, TRUE)")
                .bind(id)
                .bind(code)
                .bind(name)
                .bind(shop.map(|s| s.as_uuid()))
                .execute(&mut *tx)
                .await
                .classify()?;
            audit_in!(&mut *tx, actor, "warehouse.create", id.to_string(), format!("{code} {name}"))?;
            tx.commit().await?;
        });
        Ok(Warehouse {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
            shop,
        })
    }

    async fn stock_levels(&self, warehouse: Uuid) -> StoreResult<Vec<StockLevel>> {
        let rows: Vec<(Uuid, String, String, i64, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT p.id, p.sku, p.name, CAST(SUM(m.on_hand) AS BIGINT), CAST(SUM(m.reserved) AS BIGINT) \
             FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE m.warehouse_id = $1 \
             GROUP BY p.id, p.sku, p.name ORDER BY p.sku",
        )
        .bind(warehouse)
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|(id, sku, name, on_hand, reserved)| StockLevel {
                product: ProductId::from_uuid(id),
                sku,
                name,
                on_hand,
                reserved,
            })
            .collect())
    }

    async fn product_movements(&self, product: ProductId) -> StoreResult<Vec<StockMovement>> {
        type Row = (
            OffsetDateTime,
            String,
            String,
            i64,
            i64,
            Option<String>,
            String,
            String,
        );
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT m.at, w.code, m.kind, m.on_hand, m.reserved, o.variable_symbol, m.actor, m.note \
             FROM stock_movements m JOIN warehouses w ON w.id = m.warehouse_id LEFT JOIN orders o ON o.id = m.order_id \
             WHERE m.product_id = $1 ORDER BY m.at DESC, m.id DESC LIMIT 200",
        )
        .bind(product.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(
                |(at, warehouse, kind, on_hand, reserved, order, actor, note)| StockMovement {
                    at,
                    warehouse,
                    kind,
                    on_hand,
                    reserved,
                    order: order.unwrap_or_default(),
                    actor,
                    note,
                },
            )
            .collect())
    }

    async fn record_stock(
        &self,
        actor: &Actor,
        warehouse: Uuid,
        product: ProductId,
        kind: &str,
        quantity: i64,
        note: &str,
    ) -> StoreResult<()> {
        if !matches!(kind, "receipt" | "adjust")
            || (kind == "receipt" && quantity <= 0)
            || quantity == 0
        {
            return Err(StoreError::Stale("stock quantity"));
        }
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let (on_hand, reserved): (i64, i64) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(on_hand), 0) AS BIGINT), CAST(COALESCE(SUM(reserved), 0) AS BIGINT) \
                 FROM stock_movements WHERE warehouse_id = $1 AND product_id = $2",
            )
            .bind(warehouse)
            .bind(product.as_uuid())
            .fetch_one(&mut *tx)
            .await
            .classify()?;
            if on_hand + quantity < reserved.max(0) {
                return Err(StoreError::Stale("stock below what is reserved"));
            }
            sqlx::query(
                "INSERT INTO stock_movements (id, warehouse_id, product_id, on_hand, reserved, kind, order_id, at, actor, note) \
                 VALUES ($1, $2, $3, $4, 0, $5, NULL, $6, $7, $8)",
            )
            .bind(Uuid::now_v7())
            .bind(warehouse)
            .bind(product.as_uuid())
            .bind(quantity)
            .bind(kind)
            .bind(now())
            .bind(&actor.label)
            .bind(note)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "stock.record", product.to_string(), format!("{kind} {quantity} in {warehouse}: {note}"))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn seed_stock(&self, receipts: &[(Uuid, ProductId, i64)]) -> StoreResult<u64> {
        let mut done = 0;
        let at = now();
        for chunk in receipts.chunks(BATCH) {
            done += on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO stock_movements (id, warehouse_id, product_id, on_hand, reserved, kind, order_id, at, actor, note) ",
                );
                q.push_values(chunk, |mut b, (w, p, n)| {
                    b.push_bind(Uuid::now_v7())
                        .push_bind(*w)
                        .push_bind(p.as_uuid())
                        .push_bind(*n)
                        .push_bind(0i64)
                        .push_bind("receipt")
                        .push_bind(None::<Uuid>)
                        .push_bind(at)
                        .push_bind("system:demo")
                        .push_bind("");
                });
                q.build().execute(pool).await.classify()?.rows_affected()
            });
        }
        Ok(done)
    }

    async fn shortages(&self, orders: &[OrderId]) -> StoreResult<HashMap<OrderId, Vec<Shortage>>> {
        type Line = (Uuid, Option<Uuid>, Option<Uuid>, Uuid, String, i64);
        let mut lines: Vec<Line> = Vec::new();
        let mut own: HashMap<(Uuid, Uuid, Uuid), i64> = HashMap::new();
        let ids: Vec<Uuid> = orders.iter().map(|o| o.as_uuid()).collect();
        for chunk in ids.chunks(LOOKUP_CHUNK) {
            let (found, held): (Vec<Line>, Vec<(Uuid, Uuid, Uuid, i64)>) = on_db!(self, pool => {
                let mut q = QueryBuilder::new(format!(
                    "SELECT l.order_id, o.adviser_id, o.shop_id, l.product_id, p.sku, CAST(SUM(l.quantity) AS BIGINT) \
                     FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id \
                     WHERE p.kind IN {STOCKED_KINDS} AND o.status IN {OPEN} AND l.order_id IN ("
                ));
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(") GROUP BY l.order_id, o.adviser_id, o.shop_id, l.product_id, p.sku");
                let found = q.build_query_as().fetch_all(pool).await.classify()?;
                let mut q = QueryBuilder::new(
                    "SELECT order_id, warehouse_id, product_id, CAST(SUM(reserved) AS BIGINT) FROM stock_movements WHERE order_id IN (",
                );
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(") GROUP BY order_id, warehouse_id, product_id");
                let held = q.build_query_as().fetch_all(pool).await.classify()?;
                (found, held)
            });
            lines.extend(found);
            own.extend(held.into_iter().map(|(o, w, p, r)| ((o, w, p), r)));
        }
        if lines.is_empty() {
            return Ok(HashMap::new());
        }
        let warehouses = self.warehouses().await?;
        let central = warehouses.iter().find(|w| w.code == CENTRAL).map(|w| w.id);
        let of_shop: HashMap<Uuid, Uuid> = warehouses
            .iter()
            .filter_map(|w| w.shop.map(|s| (s.as_uuid(), w.id)))
            .collect();
        let mut products: Vec<Uuid> = lines.iter().map(|l| l.3).collect();
        products.sort_unstable();
        products.dedup();
        let mut levels: HashMap<(Uuid, Uuid), i64> = HashMap::new();
        let mut cases: HashMap<(Uuid, String), i64> = HashMap::new();
        for chunk in products.chunks(LOOKUP_CHUNK) {
            let (stock, case): (Vec<(Uuid, Uuid, i64)>, Vec<(Uuid, String, i64)>) = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT warehouse_id, product_id, CAST(SUM(on_hand) - SUM(reserved) AS BIGINT) FROM stock_movements WHERE product_id IN (",
                );
                let mut list = q.separated(", ");
                for p in chunk {
                    list.push_bind(*p);
                }
                q.push(") GROUP BY warehouse_id, product_id");
                let stock = q.build_query_as().fetch_all(pool).await.classify()?;
                let mut q = QueryBuilder::new(
                    "SELECT adviser_id, product, CAST(SUM(quantity) AS BIGINT) FROM case_movements WHERE rejected = '' AND product IN (",
                );
                let mut list = q.separated(", ");
                for p in chunk {
                    list.push_bind(p.to_string());
                }
                q.push(") GROUP BY adviser_id, product");
                let case = q.build_query_as().fetch_all(pool).await.classify()?;
                (stock, case)
            });
            levels.extend(stock.into_iter().map(|(w, p, n)| ((w, p), n)));
            cases.extend(case.into_iter().map(|(a, p, n)| ((a, p), n)));
        }
        let mut out: HashMap<OrderId, Vec<Shortage>> = HashMap::new();
        for (order, adviser, shop, product, sku, needed) in lines {
            let warehouse = shop.and_then(|s| of_shop.get(&s).copied()).or(central);
            let available = warehouse.map_or(0, |w| {
                levels.get(&(w, product)).copied().unwrap_or(0)
                    + own.get(&(order, w, product)).copied().unwrap_or(0)
            });
            let in_case = adviser
                .map_or(0, |a| {
                    cases.get(&(a, product.to_string())).copied().unwrap_or(0)
                })
                .max(0);
            if available.max(0) + in_case < needed {
                out.entry(OrderId::from_uuid(order))
                    .or_default()
                    .push(Shortage {
                        product: ProductId::from_uuid(product),
                        sku,
                        needed,
                        warehouse: available,
                        in_case,
                    });
            }
        }
        Ok(out)
    }

    async fn case_contents(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<Vec<(String, String, String, i64)>> {
        let moves = self.case_moves(adviser).await?;
        let mut sums: HashMap<String, (String, String, i64)> = HashMap::new();
        for m in moves.into_iter().filter(|m| m.rejected.is_empty()) {
            let entry = sums
                .entry(m.product.clone())
                .or_insert((m.sku.clone(), m.name.clone(), 0));
            entry.2 += m.quantity;
        }
        let mut out: Vec<(String, String, String, i64)> = sums
            .into_iter()
            .filter(|(_, (_, _, n))| *n != 0)
            .map(|(p, (sku, name, n))| (p, sku, name, n))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }

    async fn case_moves(&self, adviser: AdviserId) -> StoreResult<Vec<CaseMove>> {
        type Row = (OffsetDateTime, String, i64, String, String, String);
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT at, product, CAST(quantity AS BIGINT), kind, note, rejected FROM case_movements WHERE adviser_id = $1 ORDER BY at DESC, id DESC",
        )
        .bind(adviser.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        let products = crate::store::CatalogStore::catalog_products(self).await?;
        let named: HashMap<String, (String, String)> = products
            .into_iter()
            .map(|(id, p)| (id.to_string(), (p.sku, p.name)))
            .collect();
        Ok(rows
            .into_iter()
            .map(|(at, product, quantity, kind, note, rejected)| {
                let (sku, name) = named
                    .get(&product.to_lowercase())
                    .cloned()
                    .unwrap_or_else(|| (product.clone(), String::new()));
                CaseMove {
                    at,
                    product,
                    sku,
                    name,
                    quantity,
                    kind,
                    note,
                    rejected,
                }
            })
            .collect())
    }

    async fn order_sources(&self, order: OrderId) -> StoreResult<Vec<String>> {
        let rows: Vec<String> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT DISTINCT w.code FROM stock_movements m JOIN warehouses w ON w.id = m.warehouse_id WHERE m.order_id = $1 ORDER BY w.code",
        )
        .bind(order.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows)
    }
}
