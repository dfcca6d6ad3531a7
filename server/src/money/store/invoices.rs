//! Tax documents in SQL (migration 0032): issued in one transaction that takes
//! the next number of the year's series for the kind, re-checks what may be
//! issued against what is already there (one final invoice per order; deposit
//! documents within what the order was paid; credit notes within what the
//! document still holds) and writes the document, its lines and the audit entry.
//! Issuing runs one at a time (SQLite's write lock; an advisory lock on
//! PostgreSQL). Nothing is ever changed or deleted.

use async_trait::async_trait;
use fieldcase_shared::{Money, OrderId};
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::money::invoice::{Kind, Line, Party, number};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Backend, Classify, SqlStore, now, on_db, write_tx};

/// The advisory lock that serialises issuing on PostgreSQL.
const INVOICE_LOCK: i64 = 0x6669_656c_6469_6e76;

/// A document to issue (its number is given when it is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoice {
    pub kind: Kind,
    pub order: Option<OrderId>,
    /// The document a credit note corrects.
    pub corrects: Option<Uuid>,
    pub issued_on: Date,
    pub taxable_on: Date,
    pub due_on: Date,
    pub variable_symbol: String,
    pub supplier: Party,
    pub customer: Party,
    pub lines: Vec<Line>,
    /// Paid already (not to be paid again on this document).
    pub paid: Money,
    /// Why (a credit note).
    pub reason: String,
}

impl NewInvoice {
    /// The document's gross total.
    pub fn total(&self) -> Money {
        self.lines.iter().map(|l| l.total).sum()
    }
}

/// An issued document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub id: Uuid,
    pub number: String,
    pub kind: Kind,
    pub order: Option<OrderId>,
    pub corrects: Option<Uuid>,
    pub issued_on: Date,
    pub taxable_on: Date,
    pub due_on: Date,
    pub variable_symbol: String,
    pub supplier: Party,
    pub customer: Party,
    pub total: Money,
    pub paid: Money,
    pub reason: String,
    pub actor: String,
    pub created_at: OffsetDateTime,
    /// Its lines (empty in lists).
    pub lines: Vec<Line>,
}

impl Invoice {
    /// What is left to pay on it (never below zero).
    pub fn to_pay(&self) -> Money {
        let left = self.total - self.paid;
        if left.is_negative() {
            Money::ZERO
        } else {
            left
        }
    }
}

/// Which documents to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceFilter {
    pub order: Option<OrderId>,
    pub kind: Option<Kind>,
    /// Issued in this year.
    pub year: Option<i32>,
    /// The one with this number.
    pub number: Option<String>,
    /// The credit notes of this document.
    pub corrects: Option<Uuid>,
    /// At most this many, newest first (0: 200).
    pub limit: u32,
}

/// Tax documents.
#[async_trait]
pub trait InvoiceStore: Send + Sync {
    /// Issues `new` (audited) and returns it with its number. `Stale` when what it
    /// may hold changed meanwhile (a deposit beyond what the order was paid, a
    /// credit note beyond what its document holds); `Duplicate { field: "order" }`
    /// for a second final invoice of an order.
    async fn issue_invoice(&self, actor: &Actor, new: &NewInvoice) -> StoreResult<Invoice>;
    /// Documents, newest first, without their lines.
    async fn invoices(&self, filter: &InvoiceFilter) -> StoreResult<Vec<Invoice>>;
    /// One document with its lines.
    async fn invoice(&self, id: Uuid) -> StoreResult<Option<Invoice>>;
    /// The documents issued on `day`, with their lines, by number (the export to
    /// the accounts).
    async fn invoices_issued_on(&self, day: Date) -> StoreResult<Vec<Invoice>>;
}

type Head = (
    Uuid,
    String,
    String,
    Option<Uuid>,
    Option<Uuid>,
    Date,
    Date,
    Date,
    String,
    String,
    String,
    i64,
    i64,
    String,
    String,
    OffsetDateTime,
);

const HEAD: &str = "SELECT id, number, kind, order_id, corrects_id, issued_on, taxable_on, due_on, variable_symbol, supplier, customer, \
     total_haler, paid_haler, reason, actor, created_at FROM invoices";

fn invoice(h: Head) -> StoreResult<Invoice> {
    let (
        id,
        number,
        kind,
        order,
        corrects,
        issued_on,
        taxable_on,
        due_on,
        vs,
        supplier,
        customer,
        total,
        paid,
        reason,
        actor,
        created_at,
    ) = h;
    let party = |json: &str| {
        serde_json::from_str::<Party>(json)
            .map_err(|e| StoreError::Corrupt(format!("invoice party: {e}")))
    };
    Ok(Invoice {
        id,
        number,
        kind: Kind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("invoice kind {kind:?}")))?,
        order: order.map(OrderId::from_uuid),
        corrects,
        issued_on,
        taxable_on,
        due_on,
        variable_symbol: vs,
        supplier: party(&supplier)?,
        customer: party(&customer)?,
        total: Money::from_haler(total),
        paid: Money::from_haler(paid),
        reason,
        actor,
        created_at,
        lines: Vec::new(),
    })
}

fn json(party: &Party) -> StoreResult<String> {
    serde_json::to_string(party).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[async_trait]
impl InvoiceStore for SqlStore {
    async fn issue_invoice(&self, actor: &Actor, new: &NewInvoice) -> StoreResult<Invoice> {
        let id = Uuid::now_v7();
        let at = now();
        let total = new.total();
        let (supplier, customer) = (json(&new.supplier)?, json(&new.customer)?);
        let year = new.issued_on.year();
        let number = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            if self.backend_kind() == Backend::Postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(INVOICE_LOCK).execute(&mut *tx).await.classify()?;
            }
            match (new.kind, new.order, new.corrects) {
                (Kind::Deposit, Some(order), _) => {
                    // Deposits stay within what the order was paid.
                    let (paid, taxed): (i64, i64) = sqlx::query_as(
                        "SELECT deposit_haler + COALESCE((SELECT settled_haler FROM order_settled WHERE order_id = $1), 0), \
                         CAST(COALESCE((SELECT SUM(total_haler) FROM invoices WHERE order_id = $1 AND kind = 'deposit'), 0) AS BIGINT) \
                         FROM orders WHERE id = $1",
                    )
                    .bind(order.as_uuid())
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?
                    .ok_or(StoreError::NotFound("order"))?;
                    if taxed + total.haler() > paid {
                        return Err(StoreError::Stale("order payments"));
                    }
                }
                (Kind::CreditNote, _, Some(corrected)) => {
                    // Credit notes stay within what the document still holds.
                    let (held,): (i64,) = sqlx::query_as(
                        "SELECT CAST(total_haler + COALESCE((SELECT SUM(c.total_haler) FROM invoices c WHERE c.corrects_id = $1), 0) AS BIGINT) \
                         FROM invoices WHERE id = $1",
                    )
                    .bind(corrected)
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?
                    .ok_or(StoreError::NotFound("invoice"))?;
                    if held + total.haler() < 0 {
                        return Err(StoreError::Stale("invoice"));
                    }
                }
                _ => {}
            }
            let (sequence,): (i64,) = sqlx::query_as(
                "INSERT INTO invoice_series (year, kind, last) VALUES ($1, $2, 1) \
                 ON CONFLICT (year, kind) DO UPDATE SET last = invoice_series.last + 1 RETURNING CAST(last AS BIGINT)",
            )
            .bind(i64::from(year))
            .bind(new.kind.code())
            .fetch_one(&mut *tx)
            .await
            .classify()?;
            let number = number(new.kind, year, sequence);
            sqlx::query(
                "INSERT INTO invoices (id, number, kind, order_id, corrects_id, issued_on, taxable_on, due_on, variable_symbol, supplier, customer, \
                 total_haler, paid_haler, reason, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            )
            .bind(id)
            .bind(&number)
            .bind(new.kind.code())
            .bind(new.order.map(|o| o.as_uuid()))
            .bind(new.corrects)
            .bind(new.issued_on)
            .bind(new.taxable_on)
            .bind(new.due_on)
            .bind(&new.variable_symbol)
            .bind(&supplier)
            .bind(&customer)
            .bind(total.haler())
            .bind(new.paid.haler())
            .bind(&new.reason)
            .bind(&actor.label)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match crate::store::sql::classify(e) {
                StoreError::Duplicate { .. } => StoreError::Duplicate { field: "order" },
                e => e,
            })?;
            if !new.lines.is_empty() {
                let mut q = QueryBuilder::new(
                    "INSERT INTO invoice_lines (id, invoice_id, position, text, quantity, unit_price_haler, vat_bp, total_haler) ",
                );
                q.push_values(new.lines.iter().enumerate(), |mut b, (i, l)| {
                    b.push_bind(Uuid::now_v7())
                        .push_bind(id)
                        .push_bind(i as i64)
                        .push_bind(l.text.clone())
                        .push_bind(l.quantity)
                        .push_bind(l.unit_price.haler())
                        .push_bind(l.vat_bp)
                        .push_bind(l.total.haler());
                });
                q.build().execute(&mut *tx).await.classify()?;
            }
            audit_in!(&mut *tx, actor, "invoice.issue", number.clone(), format!("{} {}", new.kind.code(), total.to_decimal_string()))?;
            tx.commit().await.classify()?;
            number
        });
        Ok(Invoice {
            id,
            number,
            kind: new.kind,
            order: new.order,
            corrects: new.corrects,
            issued_on: new.issued_on,
            taxable_on: new.taxable_on,
            due_on: new.due_on,
            variable_symbol: new.variable_symbol.clone(),
            supplier: new.supplier.clone(),
            customer: new.customer.clone(),
            total,
            paid: new.paid,
            reason: new.reason.clone(),
            actor: actor.label.clone(),
            created_at: at,
            lines: new.lines.clone(),
        })
    }

    async fn invoices(&self, filter: &InvoiceFilter) -> StoreResult<Vec<Invoice>> {
        let limit = if filter.limit == 0 {
            200
        } else {
            filter.limit.min(1000)
        };
        let rows: Vec<Head> = on_db!(self, pool => {
            let mut q = QueryBuilder::new(format!("{HEAD} WHERE 1 = 1"));
            if let Some(o) = filter.order {
                q.push(" AND order_id = ").push_bind(o.as_uuid());
            }
            if let Some(n) = &filter.number {
                q.push(" AND number = ").push_bind(n.trim().to_owned());
            }
            if let Some(k) = filter.kind {
                q.push(" AND kind = ").push_bind(k.code());
            }
            if let Some(c) = filter.corrects {
                q.push(" AND corrects_id = ").push_bind(c);
            }
            if let Some(y) = filter.year {
                let from = Date::from_calendar_date(y, time::Month::January, 1).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let to = Date::from_calendar_date(y + 1, time::Month::January, 1).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                q.push(" AND issued_on >= ").push_bind(from).push(" AND issued_on < ").push_bind(to);
            }
            q.push(" ORDER BY created_at DESC, number DESC LIMIT ").push_bind(i64::from(limit));
            q.build_query_as().fetch_all(pool).await.classify()
        })?;
        rows.into_iter().map(invoice).collect()
    }

    async fn invoice(&self, id: Uuid) -> StoreResult<Option<Invoice>> {
        type LineRow = (String, i64, i64, i64, i64);
        let found: Option<(Head, Vec<LineRow>)> = on_db!(self, pool => {
            let head: Option<Head> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HEAD} WHERE id = $1")))
                .bind(id)
                .fetch_optional(pool)
                .await
                .classify()?;
            match head {
                None => None,
                Some(head) => {
                    let lines: Vec<LineRow> = sqlx::query_as(
                        "SELECT text, quantity, unit_price_haler, vat_bp, total_haler FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await
                    .classify()?;
                    Some((head, lines))
                }
            }
        });
        let Some((head, lines)) = found else {
            return Ok(None);
        };
        let mut out = invoice(head)?;
        out.lines = lines
            .into_iter()
            .map(|(text, quantity, unit, vat_bp, total)| Line {
                text,
                quantity,
                unit_price: Money::from_haler(unit),
                vat_bp,
                total: Money::from_haler(total),
            })
            .collect();
        Ok(Some(out))
    }

    async fn invoices_issued_on(&self, day: Date) -> StoreResult<Vec<Invoice>> {
        type LineRow = (Uuid, String, i64, i64, i64, i64);
        let (heads, lines): (Vec<Head>, Vec<LineRow>) = on_db!(self, pool => {
            let heads = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HEAD} WHERE issued_on = $1 ORDER BY number")))
                .bind(day)
                .fetch_all(pool)
                .await
                .classify()?;
            let lines = sqlx::query_as(
                "SELECT l.invoice_id, l.text, l.quantity, l.unit_price_haler, l.vat_bp, l.total_haler FROM invoice_lines l \
                 JOIN invoices i ON i.id = l.invoice_id WHERE i.issued_on = $1 ORDER BY l.invoice_id, l.position",
            )
            .bind(day)
            .fetch_all(pool)
            .await
            .classify()?;
            (heads, lines)
        });
        let mut by_invoice: std::collections::HashMap<Uuid, Vec<Line>> =
            std::collections::HashMap::new();
        for (id, text, quantity, unit, vat_bp, total) in lines {
            by_invoice.entry(id).or_default().push(Line {
                text,
                quantity,
                unit_price: Money::from_haler(unit),
                vat_bp,
                total: Money::from_haler(total),
            });
        }
        heads
            .into_iter()
            .map(|h| {
                let mut doc = invoice(h)?;
                doc.lines = by_invoice.remove(&doc.id).unwrap_or_default();
                Ok(doc)
            })
            .collect()
    }
}
