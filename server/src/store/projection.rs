//! The SQL projection of the advisers' workspaces (`clients`, `prescriptions`,
//! `orders`, `order_lines`, `case_movements`, `payout_requests`): what the hub's
//! authority accepted is written here (`projection/write.rs`), a new workspace starts
//! from it (`projection/records.rs`), and a digest compares two projections.

mod records;
mod write;

use async_trait::async_trait;
use fieldcase_shared::docs::records::{ClientRecord, OrderRecord, PrescriptionRecord};
use fieldcase_shared::{AdviserId, ClientId, PrescriptionId};
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

use crate::store::error::StoreResult;
use crate::store::sql::{BATCH, Backend, Classify, SqlStore, on_db};

/// A client row of the projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRow {
    /// Id.
    pub id: ClientId,
    /// Assigned adviser.
    pub adviser: Option<AdviserId>,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Street.
    pub street: String,
    /// Town.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// Created.
    pub created_at: OffsetDateTime,
}

/// A prescription row of the projection (`data` is the JSON of both eyes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrescriptionRow {
    /// Id.
    pub id: PrescriptionId,
    /// Whose.
    pub client: ClientId,
    /// Who measured.
    pub measured_by: String,
    /// When.
    pub measured_on: Date,
    /// Valid until.
    pub valid_until: Date,
    /// Both eyes as JSON.
    pub data: serde_json::Value,
}

/// Records of one workspace to write into the projection tables: what the hub's
/// authority accepted (`fieldcase_shared::authority::review`).
pub use fieldcase_shared::authority::ProjectionBatch;

/// An adviser's records as the office has them, in document form (id → record).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdviserRecords {
    /// Clients.
    pub clients: Vec<(String, ClientRecord)>,
    /// Their prescriptions.
    pub prescriptions: Vec<(String, PrescriptionRecord)>,
    /// Orders with their lines.
    pub orders: Vec<(String, OrderRecord)>,
}

impl AdviserRecords {
    /// No records at all.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty() && self.prescriptions.is_empty() && self.orders.is_empty()
    }
}

/// A record the projection could not write (it stays in the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its map (`orders`, `prescriptions`).
    pub map: &'static str,
    /// Its id.
    pub id: String,
    /// Why.
    pub reason: SkipReason,
}

/// Why a record was not projected (the adviser's inbox says it in their words).
pub use fieldcase_shared::authority::NotTaken as SkipReason;

/// The projection of the workspaces into the office's tables.
#[async_trait]
pub trait ProjectionStore: Send + Sync {
    /// Upserts a batch of projected records in one transaction (clients first, then
    /// prescriptions, then orders with their lines, case movements, payout requests;
    /// idempotent); returns the records it had to leave out (kept in the document)
    /// and why.
    async fn project(
        &self,
        adviser: AdviserId,
        batch: &ProjectionBatch,
    ) -> StoreResult<Vec<Skipped>>;
    /// The adviser's clients, prescriptions and orders (with lines) as document
    /// records: what a new workspace starts with.
    async fn adviser_records(&self, adviser: AdviserId) -> StoreResult<AdviserRecords>;
    /// One customer's record, prescriptions and open orders as document records:
    /// what moves with them to another adviser.
    async fn client_records(&self, client: ClientId) -> StoreResult<AdviserRecords>;
    /// A canonical text of an adviser's projected rows (clients, prescriptions,
    /// orders and lines, without bookkeeping times): equal texts, equal projections.
    async fn projection_digest(&self, adviser: AdviserId) -> StoreResult<String>;
    /// Inserts clients with their prescriptions; existing ids are left alone.
    async fn insert_clients(
        &self,
        clients: &[ClientRow],
        prescriptions: &[PrescriptionRow],
    ) -> StoreResult<u64>;
}

#[async_trait]
impl ProjectionStore for SqlStore {
    async fn project(
        &self,
        adviser: AdviserId,
        batch: &ProjectionBatch,
    ) -> StoreResult<Vec<Skipped>> {
        self.project_batch(adviser, batch).await
    }

    async fn adviser_records(&self, adviser: AdviserId) -> StoreResult<AdviserRecords> {
        self.records_of(adviser).await
    }

    async fn client_records(&self, client: ClientId) -> StoreResult<AdviserRecords> {
        self.records_of_client(client).await
    }

    async fn projection_digest(&self, adviser: AdviserId) -> StoreResult<String> {
        // Every column as text, ids as 32 hex digits in both databases, ordered by id.
        let id = |col: &str| match self.backend_kind() {
            Backend::Sqlite => format!("LOWER(HEX({col}))"),
            Backend::Postgres => format!("REPLACE(CAST({col} AS TEXT), '-', '')"),
        };
        let queries = [
            format!(
                "SELECT {} || '|' || first_name || '|' || last_name || '|' || phone || '|' || email || '|' || street || '|' || city || '|' || postal_code || '|' || note \
                 FROM clients WHERE adviser_id = $1 ORDER BY id",
                id("id")
            ),
            format!(
                "SELECT {} || '|' || {} || '|' || p.measured_by || '|' || CAST(p.measured_on AS TEXT) || '|' || CAST(p.valid_until AS TEXT) || '|' || CAST(p.data AS TEXT) \
                 FROM prescriptions p JOIN clients c ON c.id = p.client_id WHERE c.adviser_id = $1 ORDER BY p.id",
                id("p.id"),
                id("p.client_id")
            ),
            format!(
                "SELECT {} || '|' || variable_symbol || '|' || {} || '|' || COALESCE({}, '') || '|' || status || '|' || CAST(total_haler AS TEXT) || '|' || CAST(deposit_haler AS TEXT) || '|' || note || '|' || coupon_code || '|' || CAST(coupon_discount_haler AS TEXT) \
                 FROM orders WHERE adviser_id = $1 ORDER BY id",
                id("id"),
                id("client_id"),
                id("prescription_id")
            ),
            format!(
                "SELECT {} || '|' || {} || '|' || CAST(l.position AS TEXT) || '|' || l.text || '|' || CAST(l.quantity AS TEXT) || '|' || CAST(l.unit_price_haler AS TEXT) || '|' || CAST(l.vat_bp AS TEXT) || '|' || CAST(l.discount_haler AS TEXT) \
                 FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.adviser_id = $1 ORDER BY l.id",
                id("l.id"),
                id("l.order_id")
            ),
            format!(
                "SELECT {} || '|' || product || '|' || CAST(quantity AS TEXT) || '|' || kind || '|' || note || '|' || rejected \
                 FROM case_movements WHERE adviser_id = $1 ORDER BY id",
                id("id")
            ),
            format!(
                "SELECT {} || '|' || CAST(amount AS TEXT) || '|' || note || '|' || status || '|' || reason \
                 FROM payout_requests WHERE adviser_id = $1 ORDER BY id",
                id("id")
            ),
        ];
        let mut out = String::new();
        for sql in queries {
            let rows: Vec<String> = on_db!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
                .bind(adviser.as_uuid())
                .fetch_all(pool)
                .await
                .classify())?;
            for row in rows {
                out.push_str(&row);
                out.push('\n');
            }
            out.push_str("--\n");
        }
        Ok(out)
    }

    async fn insert_clients(
        &self,
        clients: &[ClientRow],
        prescriptions: &[PrescriptionRow],
    ) -> StoreResult<u64> {
        let mut inserted = 0;
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            for chunk in clients.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO clients (id, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, created_at, updated_at) ",
                );
                q.push_values(chunk, |mut b, c| {
                    b.push_bind(c.id.as_uuid())
                        .push_bind(c.adviser.map(|a| a.as_uuid()))
                        .push_bind(c.first_name.clone())
                        .push_bind(c.last_name.clone())
                        .push_bind(c.phone.clone())
                        .push_bind(c.email.clone())
                        .push_bind(c.street.clone())
                        .push_bind(c.city.clone())
                        .push_bind(c.postal_code.clone())
                        .push_bind("")
                        .push_bind(c.created_at)
                        .push_bind(c.created_at);
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                inserted += q.build().execute(&mut *tx).await.classify()?.rows_affected();
            }
            for chunk in prescriptions.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO prescriptions (id, client_id, measured_by, measured_on, valid_until, data) ",
                );
                q.push_values(chunk, |mut b, p| {
                    b.push_bind(p.id.as_uuid())
                        .push_bind(p.client.as_uuid())
                        .push_bind(p.measured_by.clone())
                        .push_bind(p.measured_on)
                        .push_bind(p.valid_until)
                        .push_bind(sqlx::types::Json(p.data.clone()));
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                q.build().execute(&mut *tx).await.classify()?;
            }
            tx.commit().await?;
        });
        let ids: Vec<_> = clients.iter().map(|c| c.id).collect();
        self.index_customers(&ids).await?;
        Ok(inserted)
    }
}
