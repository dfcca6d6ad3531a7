//! The accrual in SQL (migration 0036): the orders the triggers queued are read
//! with their lines, payments, credit notes and ledger lines in one writing
//! transaction, `commission::accrual::decide` says what to book, and the lines go
//! in with the queue rows they answer. On PostgreSQL an advisory lock keeps one
//! accrual at a time, and a queue row is deleted only at the seq that was read
//! (a change committed meanwhile raised it, so the order stays queued).

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, Money, OrderId, OrderStatus};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::commission::accrual::{Booked, Explanation, OrderFacts, Posting, Standing, decide};
use crate::commission::rules::OrderLine;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Backend, Classify, SqlStore, now, on_db, write_tx};

/// The advisory lock that keeps one accrual at a time on PostgreSQL.
pub(super) const ACCRUAL_LOCK: i64 = 0x6669_656c_6461_6363;

/// Orders one transaction takes from the queue.
pub const ACCRUAL_BATCH: usize = 500;

/// What one accrual run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccrualRun {
    /// Orders taken from the queue.
    pub orders: usize,
    /// Ledger lines booked.
    pub lines: usize,
    /// Advisers whose ledger changed.
    pub advisers: Vec<AdviserId>,
}

/// A ledger line of an order, for the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderCommissionLine {
    pub id: Uuid,
    pub adviser: AdviserId,
    pub adviser_name: String,
    pub kind: String,
    pub amount: Money,
    pub at: OffsetDateTime,
    /// "Why this amount" (Czech, English); the note for lines typed in by hand.
    pub why_cs: String,
    pub why_en: String,
    /// The accrual's explanation (none for lines typed in by hand).
    pub explanation: Option<Explanation>,
}

/// An adviser's ledger summed by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    pub adviser: AdviserId,
    pub code: String,
    pub name: String,
    pub accruals: Money,
    /// Negative.
    pub reversals: Money,
    /// Negative.
    pub payouts: Money,
    pub adjustments: Money,
}

impl Balance {
    /// What the ledger holds.
    pub fn balance(&self) -> Money {
        self.accruals + self.reversals + self.payouts + self.adjustments
    }
}

/// The accrual, and the ledger as the office reads it.
#[async_trait]
pub trait CommissionAccrualStore: Send + Sync {
    /// Every adviser's ledger summed by kind, by code.
    async fn commission_balances(&self) -> StoreResult<Vec<Balance>>;
    /// Books what up to `limit` queued orders earn or lose, in one transaction.
    async fn accrue_queued(&self, actor: &Actor, limit: usize) -> StoreResult<AccrualRun>;
    /// How many orders wait in the queue.
    async fn commission_queued(&self) -> StoreResult<i64>;
    /// An order's commission lines, oldest first.
    async fn order_commission(&self, order: OrderId) -> StoreResult<Vec<OrderCommissionLine>>;
}

pub(super) type FactRow = (
    Uuid,
    String,
    Option<Uuid>,
    String,
    i64,
    i64,
    OffsetDateTime,
    i64,
);
pub(super) type LineRow = (Uuid, i64, String, String, String, i64, i64, i64, i64);
pub(super) type BookedRow = (
    Uuid,
    Uuid,
    Uuid,
    String,
    Option<Uuid>,
    i64,
    i64,
    Option<Uuid>,
    String,
);

pub(super) fn facts(
    rows: Vec<FactRow>,
    lines: Vec<LineRow>,
) -> StoreResult<HashMap<Uuid, OrderFacts>> {
    let mut out = HashMap::with_capacity(rows.len());
    for (id, vs, adviser, status, total, paid, taken_at, credited) in rows {
        let status: OrderStatus = status
            .parse()
            .map_err(|e: fieldcase_shared::UnknownStatus| StoreError::Corrupt(e.to_string()))?;
        out.insert(
            id,
            OrderFacts {
                id: OrderId::from_uuid(id),
                vs,
                adviser: adviser.map(AdviserId::from_uuid),
                taken_at,
                standing: Standing {
                    status,
                    total: Money::from_haler(total),
                    paid: Money::from_haler(paid),
                    credited: credited > 0,
                },
                lines: Vec::new(),
            },
        );
    }
    for (order, position, text, group, sku, quantity, unit, vat_bp, discount) in lines {
        if let Some(f) = out.get_mut(&order) {
            f.lines.push(OrderLine {
                position,
                text,
                group,
                sku,
                quantity,
                gross: Money::from_haler((quantity * unit - discount).max(0)),
                vat_bp,
            });
        }
    }
    Ok(out)
}

pub(super) fn booked(rows: Vec<BookedRow>) -> HashMap<Uuid, Vec<Booked>> {
    let mut out: HashMap<Uuid, Vec<Booked>> = HashMap::new();
    for (order, id, adviser, kind, rule, cycle, amount, reverses, explanation) in rows {
        out.entry(order).or_default().push(Booked {
            id,
            adviser: AdviserId::from_uuid(adviser),
            kind,
            rule,
            cycle,
            amount: Money::from_haler(amount),
            reverses,
            explanation,
        });
    }
    out
}

/// Loads orders `$ids` in transaction `$tx`: their facts, their ledger lines by
/// order, every rule version and every adviser's levels.
macro_rules! load_orders {
    ($tx:expr, $ids:expr) => {{
            let mut q = sqlx::QueryBuilder::new(
                "SELECT o.id, o.variable_symbol, o.adviser_id, o.status, o.total_haler, \
                 o.deposit_haler + COALESCE((SELECT s.settled_haler FROM order_settled s WHERE s.order_id = o.id), 0), o.created_at, \
                 (SELECT COUNT(*) FROM invoices i WHERE i.order_id = o.id AND i.kind = 'credit_note') FROM orders o WHERE o.id",
            );
            q.push(" IN ");
            $crate::store::sql::push_ids(&mut q, $ids);
            let fact_rows: Vec<$crate::commission::store::accrue::FactRow> = q.build_query_as().fetch_all($tx).await.classify()?;
            let mut q = sqlx::QueryBuilder::new(
                "SELECT l.order_id, l.position, l.text, COALESCE(p.kind, ''), COALESCE(p.sku, ''), l.quantity, l.unit_price_haler, l.vat_bp, l.discount_haler \
                 FROM order_lines l LEFT JOIN products p ON p.id = l.product_id WHERE l.order_id",
            );
            q.push(" IN ");
            $crate::store::sql::push_ids(&mut q, $ids);
            q.push(" ORDER BY l.order_id, l.position");
            let line_rows: Vec<$crate::commission::store::accrue::LineRow> = q.build_query_as().fetch_all($tx).await.classify()?;
            let mut q = sqlx::QueryBuilder::new(
                "SELECT order_id, id, adviser_id, kind, rule_id, cycle, amount, reverses_id, explanation FROM commission_entries WHERE order_id",
            );
            q.push(" IN ");
            $crate::store::sql::push_ids(&mut q, $ids);
            q.push(" ORDER BY at, id");
            let booked_rows: Vec<$crate::commission::store::accrue::BookedRow> = q.build_query_as().fetch_all($tx).await.classify()?;
            let rule_rows: Vec<$crate::commission::store::rules::RuleRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{} ORDER BY r.id, r.version", $crate::commission::store::rules::RULES)))
                .fetch_all($tx)
                .await
                .classify()?;
            let level_rows: Vec<$crate::commission::store::rules::LevelRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{} ORDER BY adviser_id, valid_from", $crate::commission::store::rules::LEVELS)))
                .fetch_all($tx)
                .await
                .classify()?;

            let versions = rule_rows.into_iter().map($crate::commission::store::rules::stored).collect::<$crate::store::error::StoreResult<Vec<_>>>()?;
            let levels = level_rows.into_iter().map($crate::commission::store::rules::level).collect::<$crate::store::error::StoreResult<Vec<_>>>()?;
            let orders = $crate::commission::store::accrue::facts(fact_rows, line_rows)?;
            (orders, $crate::commission::store::accrue::booked(booked_rows), versions, levels)
    }};
}
pub(super) use load_orders;

#[async_trait]
impl CommissionAccrualStore for SqlStore {
    async fn commission_balances(&self) -> StoreResult<Vec<Balance>> {
        let sum = |kind: &str| {
            format!(
                "CAST(COALESCE(SUM(CASE WHEN e.kind = '{kind}' THEN e.amount ELSE 0 END), 0) AS BIGINT)"
            )
        };
        let sql = format!(
            "SELECT a.id, a.code, u.name, {}, {}, {}, {} FROM advisers a JOIN users u ON u.id = a.user_id \
             LEFT JOIN commission_entries e ON e.adviser_id = a.id GROUP BY a.id, a.code, u.name ORDER BY a.code",
            sum("accrual"),
            sum("reversal"),
            sum("payout"),
            sum("adjustment")
        );
        let rows: Vec<(Uuid, String, String, i64, i64, i64, i64)> = on_db!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(pool).await.classify()?
        });
        Ok(rows
            .into_iter()
            .map(|(id, code, name, a, r, p, j)| Balance {
                adviser: AdviserId::from_uuid(id),
                code,
                name,
                accruals: Money::from_haler(a),
                reversals: Money::from_haler(r),
                payouts: Money::from_haler(p),
                adjustments: Money::from_haler(j),
            })
            .collect())
    }

    async fn accrue_queued(&self, actor: &Actor, limit: usize) -> StoreResult<AccrualRun> {
        let postgres = self.backend_kind() == Backend::Postgres;
        let run = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(ACCRUAL_LOCK).execute(&mut *tx).await.classify()?;
            }
            let queued: Vec<(Uuid, i64)> = sqlx::query_as("SELECT order_id, seq FROM commission_queue ORDER BY order_id LIMIT $1")
                .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                .fetch_all(&mut *tx)
                .await
                .classify()?;
            if queued.is_empty() {
                return Ok(AccrualRun::default());
            }
            let ids: Vec<Uuid> = queued.iter().map(|(id, _)| *id).collect();
            let (orders, mut booked, versions, levels) = load_orders!(&mut *tx, &ids);
            let postings: Vec<(Uuid, Posting)> = ids
                .iter()
                .filter_map(|id| orders.get(id).map(|f| (id, f)))
                .flat_map(|(id, f)| {
                    let held = booked.remove(id).unwrap_or_default();
                    decide(f, &held, &versions, &levels).into_iter().map(move |p| (*id, p))
                })
                .collect();
            let at = now();
            for chunk in postings.chunks(ACCRUAL_BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO commission_entries (id, adviser_id, kind, order_id, amount, at, note, rule_id, rule_version, cycle, reverses_id, explanation) ",
                );
                q.push_values(chunk, |mut b, (order, p)| {
                    b.push_bind(Uuid::now_v7())
                        .push_bind(p.adviser.as_uuid())
                        .push_bind(p.kind)
                        .push_bind(*order)
                        .push_bind(p.amount.haler())
                        .push_bind(at)
                        .push_bind("")
                        .push_bind(p.rule)
                        .push_bind(i64::from(p.version))
                        .push_bind(p.cycle)
                        .push_bind(p.reverses)
                        .push_bind(serde_json::to_string(&p.explanation).unwrap_or_default());
                });
                q.build().execute(&mut *tx).await.classify()?;
            }
            for chunk in queued.chunks(ACCRUAL_BATCH / 2) {
                let mut q = QueryBuilder::new("DELETE FROM commission_queue WHERE ");
                let mut first = true;
                for (id, seq) in chunk {
                    if !first {
                        q.push(" OR ");
                    }
                    first = false;
                    q.push("(order_id = ").push_bind(*id).push(" AND seq = ").push_bind(*seq).push(")");
                }
                q.build().execute(&mut *tx).await.classify()?;
            }
            let mut advisers: Vec<AdviserId> = postings.iter().map(|(_, p)| p.adviser).collect();
            advisers.sort_by_key(|a| a.as_uuid());
            advisers.dedup();
            if !postings.is_empty() {
                let sum: i64 = postings.iter().map(|(_, p)| p.amount.haler()).sum();
                audit_in!(&mut *tx, actor, "commission.accrual", String::new(),
                    format!("{} orders, {} lines, {}", queued.len(), postings.len(), Money::from_haler(sum).to_decimal_string()))?;
            }
            tx.commit().await.classify()?;
            AccrualRun { orders: queued.len(), lines: postings.len(), advisers }
        });
        Ok(run)
    }

    async fn commission_queued(&self) -> StoreResult<i64> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM commission_queue")
            .fetch_one(pool)
            .await
            .classify())?,
        )
    }

    async fn order_commission(&self, order: OrderId) -> StoreResult<Vec<OrderCommissionLine>> {
        let rows: Vec<(
            Uuid,
            Uuid,
            String,
            String,
            i64,
            OffsetDateTime,
            String,
            String,
        )> = on_db!(self, pool => sqlx::query_as(
            "SELECT e.id, e.adviser_id, COALESCE(u.name, ''), e.kind, e.amount, e.at, e.note, e.explanation \
             FROM commission_entries e LEFT JOIN advisers a ON a.id = e.adviser_id LEFT JOIN users u ON u.id = a.user_id \
             WHERE e.order_id = $1 ORDER BY e.at, e.id",
        )
        .bind(order.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|(id, adviser, name, kind, amount, at, note, explanation)| {
                let (why_cs, why_en) = super::why(&note, &explanation);
                OrderCommissionLine {
                    id,
                    adviser: AdviserId::from_uuid(adviser),
                    adviser_name: name,
                    kind,
                    amount: Money::from_haler(amount),
                    at,
                    why_cs,
                    why_en,
                    explanation: serde_json::from_str(&explanation).ok(),
                }
            })
            .collect())
    }
}
