//! The tills' SQL, with its row types.

use async_trait::async_trait;
use fieldcase_shared::{Money, OrderId, ProductId, StoreId};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{COUNTER_KINDS, Goods, NewEntry, ShiftFilter, TillStore};
use crate::money::invoice::Line;
use crate::money::store::{SETTLED, settled_in};
use crate::money::till::{Entry, EntryKind, Shift, TillLine};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

type ShiftRow = (
    Uuid,
    Uuid,
    String,
    String,
    OffsetDateTime,
    String,
    i64,
    Option<OffsetDateTime>,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
);

const SHIFT: &str = "SELECT t.id, t.shop_id, s.code, s.name, t.opened_at, t.opened_by, t.float_haler, t.closed_at, t.closed_by, \
     t.expected_haler, t.counted_haler, t.difference_haler, t.close_note FROM till_shifts t JOIN shops s ON s.id = t.shop_id";

fn shift(r: ShiftRow) -> Shift {
    let m = |v: Option<i64>| v.map(Money::from_haler);
    Shift {
        id: r.0,
        shop: StoreId::from_uuid(r.1),
        shop_code: r.2,
        shop_name: r.3,
        opened_at: r.4,
        opened_by: r.5,
        float: Money::from_haler(r.6),
        closed_at: r.7,
        closed_by: r.8,
        expected: m(r.9),
        counted: m(r.10),
        difference: m(r.11),
        close_note: r.12,
    }
}

type EntryRow = (
    Uuid,
    Uuid,
    Uuid,
    String,
    String,
    OffsetDateTime,
    String,
    Option<Uuid>,
    Option<String>,
    Option<Uuid>,
    i64,
    i64,
    i64,
    String,
    i64,
);

const ENTRY: &str = "SELECT e.id, e.shift_id, e.shop_id, e.number, e.kind, e.at, e.actor, e.order_id, o.variable_symbol, e.refund_of, \
     e.cash_haler, e.card_haler, e.total_haler, e.note, \
     CAST(COALESCE((SELECT -SUM(r.total_haler) FROM till_entries r WHERE r.refund_of = e.id), 0) AS BIGINT) \
     FROM till_entries e LEFT JOIN orders o ON o.id = e.order_id";

fn entry(r: EntryRow) -> StoreResult<Entry> {
    Ok(Entry {
        id: r.0,
        shift: r.1,
        shop: StoreId::from_uuid(r.2),
        number: r.3,
        kind: EntryKind::from_code(&r.4)
            .ok_or_else(|| StoreError::Corrupt(format!("till entry kind {:?}", r.4)))?,
        at: r.5,
        actor: r.6,
        order: r.7.map(OrderId::from_uuid),
        order_vs: r.8,
        refund_of: r.9,
        cash: Money::from_haler(r.10),
        card: Money::from_haler(r.11),
        total: Money::from_haler(r.12),
        note: r.13,
        refunded: Money::from_haler(r.14),
        lines: Vec::new(),
    })
}

type LineRow = (Uuid, Option<Uuid>, String, i64, i64, i64, i64);

fn line(r: LineRow) -> (Uuid, TillLine) {
    (
        r.0,
        TillLine {
            product: r.1.map(ProductId::from_uuid),
            line: Line {
                text: r.2,
                quantity: r.3,
                unit_price: Money::from_haler(r.4),
                vat_bp: r.5,
                total: Money::from_haler(r.6),
            },
        },
    )
}

type GoodsRow = (Uuid, String, String, String, bool, i64, i64, Option<i64>);

fn goods(r: GoodsRow) -> Goods {
    Goods {
        product: ProductId::from_uuid(r.0),
        sku: r.1,
        name: r.2,
        kind: r.3,
        active: r.4,
        price: Money::from_haler(r.5),
        vat_bp: r.6,
        available: r.7,
    }
}

/// Products sold over the counter with the stock of the shop's warehouse (`$1`:
/// the shop; none when it has no warehouse or the product never moved there).
fn goods_sql() -> String {
    format!(
        "SELECT p.id, p.sku, p.name, p.kind, p.active, p.price_haler, p.vat_bp, \
         (SELECT CAST(SUM(m.on_hand) - SUM(m.reserved) AS BIGINT) FROM stock_movements m \
          WHERE m.product_id = p.id AND m.warehouse_id = \
          (SELECT w.id FROM warehouses w WHERE w.shop_id = $1 AND w.active ORDER BY w.code LIMIT 1)) AS available \
         FROM products p WHERE p.kind IN {COUNTER_KINDS}"
    )
}

/// The year of `at` in Prague (numbers run per calendar year there).
fn prague_year(at: OffsetDateTime) -> i32 {
    at.to_offset(crate::office::ui::prague_offset(at)).year()
}

/// Entries with their lines put under them.
fn with_lines(rows: Vec<EntryRow>, lines: Vec<LineRow>) -> StoreResult<Vec<Entry>> {
    let mut entries = rows
        .into_iter()
        .map(entry)
        .collect::<StoreResult<Vec<_>>>()?;
    let mut by_id: std::collections::HashMap<Uuid, Vec<TillLine>> =
        std::collections::HashMap::new();
    for (id, l) in lines.into_iter().map(line) {
        by_id.entry(id).or_default().push(l);
    }
    for e in &mut entries {
        e.lines = by_id.remove(&e.id).unwrap_or_default();
    }
    Ok(entries)
}

#[async_trait]
impl TillStore for SqlStore {
    async fn open_shift(&self, actor: &Actor, shop: StoreId, float: Money) -> StoreResult<Shift> {
        let id = Uuid::now_v7();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query("INSERT INTO till_shifts (id, shop_id, opened_at, opened_by, float_haler) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(shop.as_uuid())
                .bind(now())
                .bind(&actor.label)
                .bind(float.haler())
                .execute(&mut *tx)
                .await
                .map_err(|e| match crate::store::sql::classify(e) {
                    StoreError::Duplicate { .. } => StoreError::Duplicate { field: "shift" },
                    e => e,
                })?;
            audit_in!(&mut *tx, actor, "till.open", id.to_string(), format!("float {}", float.to_decimal_string()))?;
            tx.commit().await.classify()?;
        });
        self.shift(id)
            .await?
            .ok_or(StoreError::NotFound("till shift"))
    }

    async fn close_shift(
        &self,
        actor: &Actor,
        id: Uuid,
        counted: Money,
        note: &str,
    ) -> StoreResult<Shift> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let expected: Option<(i64,)> = sqlx::query_as(
                "SELECT CAST(t.float_haler + COALESCE((SELECT SUM(e.cash_haler) FROM till_entries e WHERE e.shift_id = t.id), 0) AS BIGINT) \
                 FROM till_shifts t WHERE t.id = $1 AND t.closed_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            let Some((expected,)) = expected else { return Err(StoreError::Stale("till shift")) };
            let difference = counted.haler() - expected;
            sqlx::query(
                "UPDATE till_shifts SET closed_at = $2, closed_by = $3, expected_haler = $4, counted_haler = $5, difference_haler = $6, close_note = $7 \
                 WHERE id = $1 AND closed_at IS NULL",
            )
            .bind(id)
            .bind(now())
            .bind(&actor.label)
            .bind(expected)
            .bind(counted.haler())
            .bind(difference)
            .bind(note)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "till.close", id.to_string(), format!("expected {}, counted {}, difference {}",
                Money::from_haler(expected).to_decimal_string(), counted.to_decimal_string(), Money::from_haler(difference).to_decimal_string()))?;
            tx.commit().await.classify()?;
        });
        self.shift(id)
            .await?
            .ok_or(StoreError::NotFound("till shift"))
    }

    async fn record_entry(&self, actor: &Actor, new: &NewEntry) -> StoreResult<Entry> {
        let id = Uuid::now_v7();
        let at = now();
        let total = new.total();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let open: Option<(Uuid, String, i64)> = sqlx::query_as(
                "SELECT t.id, s.code, CAST(t.float_haler + COALESCE((SELECT SUM(e.cash_haler) FROM till_entries e WHERE e.shift_id = t.id), 0) AS BIGINT) \
                 FROM till_shifts t JOIN shops s ON s.id = t.shop_id WHERE t.shop_id = $1 AND t.closed_at IS NULL",
            )
            .bind(new.shop.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            let Some((shift_id, code, in_drawer)) = open else { return Err(StoreError::Stale("till shift")) };
            if in_drawer + new.cash.haler() < 0 {
                return Err(StoreError::Stale("cash"));
            }
            // The series row is this shop's alone: shops do not wait for each other.
            let (sequence,): (i64,) = sqlx::query_as(
                "INSERT INTO till_series (shop_id, year, series, last) VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (shop_id, year, series) DO UPDATE SET last = till_series.last + 1 RETURNING last",
            )
            .bind(new.shop.as_uuid())
            .bind(i64::from(prague_year(at)))
            .bind(new.kind.series())
            .fetch_one(&mut *tx)
            .await
            .classify()?;
            let number = crate::money::till::number(&code, new.kind, prague_year(at), sequence);
            if let (EntryKind::Sale, Some(order)) = (new.kind, new.order) {
                let owes: Option<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT total_haler - deposit_haler - {SETTLED} FROM orders o WHERE id = $1 AND status <> 'cancelled'"
                )))
                .bind(order.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
                if owes.is_none_or(|(owes,)| owes < total.haler()) {
                    return Err(StoreError::Stale("order"));
                }
                settled_in!(&mut *tx, order, total)?;
            }
            let mut stock: Vec<(ProductId, i64, &str)> = Vec::new();
            if new.kind == EntryKind::Sale {
                stock.extend(new.lines.iter().filter_map(|l| l.product.map(|p| (p, -l.line.quantity, "issue"))));
            }
            if new.kind == EntryKind::Refund {
                let Some(of) = new.refund_of else { return Err(StoreError::NotFound("receipt")) };
                let sale: Option<(Option<Uuid>, i64, i64)> = sqlx::query_as(
                    "SELECT e.order_id, e.total_haler, CAST(COALESCE((SELECT SUM(r.total_haler) FROM till_entries r WHERE r.refund_of = e.id), 0) AS BIGINT) \
                     FROM till_entries e WHERE e.id = $1 AND e.shop_id = $2 AND e.kind = 'sale'",
                )
                .bind(of)
                .bind(new.shop.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
                let Some((order, sold, refunded)) = sale else { return Err(StoreError::NotFound("receipt")) };
                // Refunds are negative: what is left is the sale plus them.
                if sold + refunded + total.haler() < 0 {
                    return Err(StoreError::Stale("receipt"));
                }
                if let Some(order) = order {
                    settled_in!(&mut *tx, OrderId::from_uuid(order), total)?;
                }
                if new.restock {
                    let sold_lines: Vec<(Uuid, i64)> = sqlx::query_as(
                        "SELECT product_id, quantity FROM till_lines WHERE entry_id = $1 AND product_id IS NOT NULL",
                    )
                    .bind(of)
                    .fetch_all(&mut *tx)
                    .await
                    .classify()?;
                    stock.extend(sold_lines.into_iter().map(|(p, q)| (ProductId::from_uuid(p), q, "receipt")));
                }
            }
            // The shop's warehouse, when anything moves stock (vouchers and order
            // payments do not).
            let warehouse: Option<(Uuid,)> = if stock.is_empty() {
                None
            } else {
                sqlx::query_as("SELECT id FROM warehouses WHERE shop_id = $1 AND active ORDER BY code LIMIT 1")
                    .bind(new.shop.as_uuid())
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?
            };
            if let Some((warehouse,)) = warehouse {
                for (product, quantity, kind) in &stock {
                    if *quantity < 0 {
                        let (available,): (i64,) = sqlx::query_as(
                            "SELECT CAST(COALESCE(SUM(on_hand) - SUM(reserved), 0) AS BIGINT) FROM stock_movements WHERE warehouse_id = $1 AND product_id = $2",
                        )
                        .bind(warehouse)
                        .bind(product.as_uuid())
                        .fetch_one(&mut *tx)
                        .await
                        .classify()?;
                        if available < -quantity {
                            return Err(StoreError::Stale("stock"));
                        }
                    }
                    sqlx::query(
                        "INSERT INTO stock_movements (id, warehouse_id, product_id, on_hand, reserved, kind, order_id, at, actor, note) \
                         VALUES ($1, $2, $3, $4, 0, $5, NULL, $6, $7, $8)",
                    )
                    .bind(Uuid::now_v7())
                    .bind(warehouse)
                    .bind(product.as_uuid())
                    .bind(quantity)
                    .bind(*kind)
                    .bind(at)
                    .bind(&actor.label)
                    .bind(format!("till {number}"))
                    .execute(&mut *tx)
                    .await
                    .classify()?;
                }
            }
            sqlx::query(
                "INSERT INTO till_entries (id, shift_id, shop_id, number, kind, at, actor, order_id, refund_of, cash_haler, card_haler, total_haler, note) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(id)
            .bind(shift_id)
            .bind(new.shop.as_uuid())
            .bind(&number)
            .bind(new.kind.code())
            .bind(at)
            .bind(&actor.label)
            .bind(new.order.map(|o| o.as_uuid()))
            .bind(new.refund_of)
            .bind(new.cash.haler())
            .bind(new.card.haler())
            .bind(total.haler())
            .bind(&new.note)
            .execute(&mut *tx)
            .await
            .classify()?;
            if !new.lines.is_empty() {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO till_lines (id, entry_id, position, product_id, text, quantity, unit_price_haler, vat_bp, total_haler) ",
                );
                insert.push_values(new.lines.iter().enumerate(), |mut b, (i, l)| {
                    b.push_bind(Uuid::now_v7())
                        .push_bind(id)
                        .push_bind(i64::try_from(i).unwrap_or(i64::MAX))
                        .push_bind(l.product.map(|p| p.as_uuid()))
                        .push_bind(l.line.text.clone())
                        .push_bind(l.line.quantity)
                        .push_bind(l.line.unit_price.haler())
                        .push_bind(l.line.vat_bp)
                        .push_bind(l.line.total.haler());
                });
                insert.build().execute(&mut *tx).await.classify()?;
            }
            audit_in!(&mut *tx, actor, format!("till.{}", new.kind.code()), number.clone(),
                format!("{} (cash {}, card {}) {}", total.to_decimal_string(), new.cash.to_decimal_string(), new.card.to_decimal_string(), new.note))?;
            tx.commit().await.classify()?;
        });
        self.till_entry(id)
            .await?
            .ok_or(StoreError::NotFound("till entry"))
    }

    async fn open_shift_of(&self, shop: StoreId) -> StoreResult<Option<Shift>> {
        let row: Option<ShiftRow> = on_db!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SHIFT} WHERE t.shop_id = $1 AND t.closed_at IS NULL")))
                .bind(shop.as_uuid())
                .fetch_optional(pool)
                .await
                .classify()?
        });
        Ok(row.map(shift))
    }

    async fn shift(&self, id: Uuid) -> StoreResult<Option<Shift>> {
        let row: Option<ShiftRow> = on_db!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SHIFT} WHERE t.id = $1")))
                .bind(id)
                .fetch_optional(pool)
                .await
                .classify()?
        });
        Ok(row.map(shift))
    }

    async fn shifts(&self, filter: &ShiftFilter) -> StoreResult<Vec<Shift>> {
        let limit = if filter.limit == 0 {
            100
        } else {
            filter.limit.min(1000)
        };
        let rows: Vec<ShiftRow> = on_db!(self, pool => {
            let mut q = QueryBuilder::new(SHIFT);
            q.push(" WHERE 1 = 1");
            if let Some(shop) = filter.shop {
                q.push(" AND t.shop_id = ").push_bind(shop.as_uuid());
            }
            if let Some(from) = filter.from {
                q.push(" AND t.opened_at >= ").push_bind(from);
            }
            if let Some(to) = filter.to {
                q.push(" AND t.opened_at < ").push_bind(to);
            }
            q.push(" ORDER BY t.opened_at DESC, t.id DESC LIMIT ").push_bind(i64::from(limit));
            q.build_query_as().fetch_all(pool).await.classify()?
        });
        Ok(rows.into_iter().map(shift).collect())
    }

    async fn shift_entries(&self, shift: Uuid) -> StoreResult<Vec<Entry>> {
        let (rows, lines): (Vec<EntryRow>, Vec<LineRow>) = on_db!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!("{ENTRY} WHERE e.shift_id = $1 ORDER BY e.at, e.id")))
                .bind(shift)
                .fetch_all(pool)
                .await
                .classify()?;
            let lines = sqlx::query_as(
                "SELECT l.entry_id, l.product_id, l.text, l.quantity, l.unit_price_haler, l.vat_bp, l.total_haler FROM till_lines l \
                 JOIN till_entries e ON e.id = l.entry_id WHERE e.shift_id = $1 ORDER BY l.entry_id, l.position",
            )
            .bind(shift)
            .fetch_all(pool)
            .await
            .classify()?;
            (rows, lines)
        });
        with_lines(rows, lines)
    }

    async fn till_entry(&self, id: Uuid) -> StoreResult<Option<Entry>> {
        let (rows, lines): (Vec<EntryRow>, Vec<LineRow>) = on_db!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!("{ENTRY} WHERE e.id = $1")))
                .bind(id)
                .fetch_all(pool)
                .await
                .classify()?;
            let lines = sqlx::query_as(
                "SELECT entry_id, product_id, text, quantity, unit_price_haler, vat_bp, total_haler FROM till_lines \
                 WHERE entry_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .classify()?;
            (rows, lines)
        });
        Ok(with_lines(rows, lines)?.pop())
    }

    async fn goods(&self, shop: StoreId, skus: &[String]) -> StoreResult<Vec<Goods>> {
        if skus.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (2..skus.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!("{} AND p.sku IN ({})", goods_sql(), marks.join(", "));
        let rows: Vec<GoodsRow> = on_db!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(shop.as_uuid());
            for sku in skus {
                query = query.bind(sku.clone());
            }
            query.fetch_all(pool).await.classify()?
        });
        Ok(rows.into_iter().map(goods).collect())
    }

    async fn goods_in_stock(&self, shop: StoreId) -> StoreResult<Vec<Goods>> {
        let sql = format!(
            "SELECT * FROM ({}) g WHERE g.active AND COALESCE(g.available, 0) > 0 ORDER BY g.name LIMIT 500",
            goods_sql()
        );
        let rows: Vec<GoodsRow> = on_db!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(shop.as_uuid())
                .fetch_all(pool)
                .await
                .classify()?
        });
        Ok(rows.into_iter().map(goods).collect())
    }

    async fn entries_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<Entry>> {
        let (rows, lines): (Vec<EntryRow>, Vec<LineRow>) = on_db!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!("{ENTRY} WHERE e.at >= $1 AND e.at < $2 ORDER BY e.number")))
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await
                .classify()?;
            let lines = sqlx::query_as(
                "SELECT l.entry_id, l.product_id, l.text, l.quantity, l.unit_price_haler, l.vat_bp, l.total_haler FROM till_lines l \
                 JOIN till_entries e ON e.id = l.entry_id WHERE e.at >= $1 AND e.at < $2 ORDER BY l.entry_id, l.position",
            )
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
            .classify()?;
            (rows, lines)
        });
        with_lines(rows, lines)
    }
}
