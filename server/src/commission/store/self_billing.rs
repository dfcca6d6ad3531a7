//! Self-billing invoices in SQL (migration 0038): read back as issued (they are
//! written when a batch is marked paid, `store/payout_batches.rs`).

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, Money};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::money::invoice::Party;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, on_db};

/// A self-billing invoice: the company invoices itself in the adviser's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfBilling {
    pub id: Uuid,
    pub number: String,
    pub batch: Uuid,
    pub batch_number: String,
    pub request: Uuid,
    pub adviser: AdviserId,
    pub adviser_code: String,
    pub issued_at: OffsetDateTime,
    /// The payout, VAT included.
    pub total: Money,
    /// 2100 for a VAT payer, else 0.
    pub vat_bp: i64,
    /// The adviser as the invoice names them.
    pub supplier: Party,
    /// The company.
    pub customer: Party,
}

/// Reading self-billing invoices.
#[async_trait]
pub trait SelfBillingStore: Send + Sync {
    /// The invoices, newest first (one adviser's, or everyone's).
    async fn self_billing_invoices(
        &self,
        adviser: Option<AdviserId>,
    ) -> StoreResult<Vec<SelfBilling>>;
    /// One invoice.
    async fn self_billing_invoice(&self, id: Uuid) -> StoreResult<Option<SelfBilling>>;
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    number: String,
    batch_id: Uuid,
    batch_number: String,
    request_id: Uuid,
    adviser_id: Uuid,
    code: String,
    issued_at: OffsetDateTime,
    total_haler: i64,
    vat_bp: i64,
    supplier: String,
    customer: String,
}

const SELECT: &str = "SELECT s.id, s.number, s.batch_id, b.number AS batch_number, s.request_id, s.adviser_id, a.code, \
     s.issued_at, CAST(s.total_haler AS BIGINT) AS total_haler, CAST(s.vat_bp AS BIGINT) AS vat_bp, s.supplier, s.customer \
     FROM self_billing_invoices s JOIN payout_batches b ON b.id = s.batch_id JOIN advisers a ON a.id = s.adviser_id";

fn invoice(r: Row) -> StoreResult<SelfBilling> {
    let party = |json: &str| {
        serde_json::from_str::<Party>(json)
            .map_err(|e| StoreError::Corrupt(format!("self-billing {}: {e}", r.number)))
    };
    Ok(SelfBilling {
        supplier: party(&r.supplier)?,
        customer: party(&r.customer)?,
        id: r.id,
        number: r.number,
        batch: r.batch_id,
        batch_number: r.batch_number,
        request: r.request_id,
        adviser: AdviserId::from_uuid(r.adviser_id),
        adviser_code: r.code,
        issued_at: r.issued_at,
        total: Money::from_haler(r.total_haler),
        vat_bp: r.vat_bp,
    })
}

#[async_trait]
impl SelfBillingStore for SqlStore {
    async fn self_billing_invoices(
        &self,
        adviser: Option<AdviserId>,
    ) -> StoreResult<Vec<SelfBilling>> {
        let rows: Vec<Row> = on_db!(self, pool => match adviser {
            Some(a) => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE s.adviser_id = $1 ORDER BY s.issued_at DESC, s.number DESC")))
                .bind(a.as_uuid())
                .fetch_all(pool)
                .await
                .classify()?,
            None => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY s.issued_at DESC, s.number DESC")))
                .fetch_all(pool)
                .await
                .classify()?,
        });
        rows.into_iter().map(invoice).collect()
    }

    async fn self_billing_invoice(&self, id: Uuid) -> StoreResult<Option<SelfBilling>> {
        let row: Option<Row> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE s.id = $1")))
            .bind(id)
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(invoice).transpose()
    }
}
