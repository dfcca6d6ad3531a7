//! The stock's store part: warehouses, levels, movements, the advisers' cases, the
//! lines an order cannot get, and [`stock_in!`], which an order's status change runs
//! in its own transaction. Its SQL is in `stock/store/sql.rs`.

mod sql;

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, OrderId, ProductId, StoreId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::error::StoreResult;

/// The code of the central warehouse.
pub const CENTRAL: &str = "CENTRAL";

/// Product kinds kept in stock (lenses are made or ordered per prescription;
/// coatings and services are work).
pub const STOCKED_KINDS: &str = "('frame','contact_lens','accessory')";

/// A warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warehouse {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    /// The store it belongs to (none: the central warehouse).
    pub shop: Option<StoreId>,
}

/// A product's stock in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    pub product: ProductId,
    pub sku: String,
    pub name: String,
    pub on_hand: i64,
    pub reserved: i64,
}

impl StockLevel {
    /// What can still be promised.
    pub fn available(&self) -> i64 {
        self.on_hand - self.reserved
    }
}

/// One movement, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockMovement {
    pub at: OffsetDateTime,
    pub warehouse: String,
    pub kind: String,
    pub on_hand: i64,
    pub reserved: i64,
    /// The order's number, when an order moved it.
    pub order: String,
    pub actor: String,
    pub note: String,
}

/// One sample-case movement of an adviser, as the office lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMove {
    pub at: OffsetDateTime,
    pub product: String,
    /// The product's SKU and name, when the catalog has it.
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub kind: String,
    pub note: String,
    /// Why the hub refused it (empty: it counts).
    pub rejected: String,
}

/// A line of an order that stock cannot cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortage {
    pub product: ProductId,
    pub sku: String,
    /// How many the order needs.
    pub needed: i64,
    /// What the order's warehouse can give it (its own reservation included).
    pub warehouse: i64,
    /// What the adviser's sample case holds.
    pub in_case: i64,
}

/// Stock.
#[async_trait]
pub trait StockStore: Send + Sync {
    /// Every active warehouse, the central one first.
    async fn warehouses(&self) -> StoreResult<Vec<Warehouse>>;
    /// Creates a warehouse (audited); `shop`: the store it belongs to.
    async fn create_warehouse(
        &self,
        actor: &Actor,
        code: &str,
        name: &str,
        shop: Option<StoreId>,
    ) -> StoreResult<Warehouse>;
    /// The levels in a warehouse of every product that ever moved there, by SKU.
    async fn stock_levels(&self, warehouse: Uuid) -> StoreResult<Vec<StockLevel>>;
    /// A product's movements in every warehouse, newest first (at most 200).
    async fn product_movements(&self, product: ProductId) -> StoreResult<Vec<StockMovement>>;
    /// Records a receipt (`quantity` > 0) or a stock-taking adjustment (any sign) by
    /// the office (audited); `kind` is `receipt` or `adjust`. Refused (Stale) when it
    /// would take the on-hand stock below what is reserved or below zero.
    async fn record_stock(
        &self,
        actor: &Actor,
        warehouse: Uuid,
        product: ProductId,
        kind: &str,
        quantity: i64,
        note: &str,
    ) -> StoreResult<()>;
    /// Appends receipts without checks (demo seeding): (warehouse, product, quantity).
    async fn seed_stock(&self, receipts: &[(Uuid, ProductId, i64)]) -> StoreResult<u64>;
    /// The lines of `orders` (still to be issued) that stock cannot cover.
    async fn shortages(&self, orders: &[OrderId]) -> StoreResult<HashMap<OrderId, Vec<Shortage>>>;
    /// An adviser's sample case: what it holds per product (counted movements).
    async fn case_contents(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<Vec<(String, String, String, i64)>>;
    /// An adviser's sample-case movements, newest first (at most 300).
    async fn case_moves(&self, adviser: AdviserId) -> StoreResult<Vec<CaseMove>>;
    /// Where an order's stocked lines come from: the warehouse codes that reserved or
    /// issued them (empty: nothing from a warehouse, so the adviser's case).
    async fn order_sources(&self, order: OrderId) -> StoreResult<Vec<String>>;
}

/// Moves stock for an order whose status just became `$to` (a code), in the
/// transaction `$tx` of that change: `confirmed` reserves the stocked lines in the
/// order's store's warehouse (else the central one) once; `cancelled` releases what
/// the order still holds; `shipped` and `delivered` issue it. Evaluates to
/// `StoreResult<()>`.
macro_rules! stock_in {
    ($tx:ident, $order:expr, $to:expr, $actor:expr) => {
        async {
            let order: uuid::Uuid = $order;
            let to: &str = $to;
            if !matches!(to, "confirmed" | "cancelled" | "shipped" | "delivered") {
                return Ok::<(), $crate::store::error::StoreError>(());
            }
            let held: Vec<(uuid::Uuid, uuid::Uuid, i64)> = sqlx::query_as(
                "SELECT warehouse_id, product_id, CAST(SUM(reserved) AS BIGINT) FROM stock_movements \
                 WHERE order_id = $1 GROUP BY warehouse_id, product_id",
            )
            .bind(order)
            .fetch_all(&mut *$tx)
            .await
            .map_err($crate::store::sql::classify)?;
            let mut moves: Vec<(uuid::Uuid, uuid::Uuid, i64, i64, &str)> = Vec::new();
            match to {
                "confirmed" if held.is_empty() => {
                    let warehouse: Option<uuid::Uuid> = sqlx::query_scalar(
                        "SELECT COALESCE((SELECT w.id FROM warehouses w JOIN orders o ON o.shop_id = w.shop_id \
                         WHERE o.id = $1 AND w.active ORDER BY w.code LIMIT 1), \
                         (SELECT id FROM warehouses WHERE code = 'CENTRAL'))",
                    )
                    .bind(order)
                    .fetch_one(&mut *$tx)
                    .await
                    .map_err($crate::store::sql::classify)?;
                    if let Some(w) = warehouse {
                        let lines: Vec<(uuid::Uuid, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                            "SELECT l.product_id, CAST(SUM(l.quantity) AS BIGINT) FROM order_lines l \
                             JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 AND p.kind IN {} \
                             GROUP BY l.product_id",
                            $crate::stock::store::STOCKED_KINDS
                        )))
                        .bind(order)
                        .fetch_all(&mut *$tx)
                        .await
                        .map_err($crate::store::sql::classify)?;
                        moves.extend(lines.into_iter().filter(|(_, q)| *q > 0).map(|(p, q)| (w, p, 0, q, "reserve")));
                    }
                }
                "cancelled" => moves.extend(held.into_iter().filter(|h| h.2 > 0).map(|(w, p, r)| (w, p, 0, -r, "release"))),
                "shipped" | "delivered" => moves.extend(held.into_iter().filter(|h| h.2 > 0).map(|(w, p, r)| (w, p, -r, -r, "issue"))),
                _ => {}
            }
            for (warehouse, product, on_hand, reserved, kind) in moves {
                sqlx::query(
                    "INSERT INTO stock_movements (id, warehouse_id, product_id, on_hand, reserved, kind, order_id, at, actor, note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '')",
                )
                .bind(uuid::Uuid::now_v7())
                .bind(warehouse)
                .bind(product)
                .bind(on_hand)
                .bind(reserved)
                .bind(kind)
                .bind(order)
                .bind($crate::store::sql::now())
                .bind($actor)
                .execute(&mut *$tx)
                .await
                .map_err($crate::store::sql::classify)?;
            }
            Ok(())
        }
    };
}
pub(crate) use stock_in;
