//! An adviser's SQL rows read back as workspace records: what a new workspace
//! document starts with when the office already has the adviser's clients and
//! orders (the demo, or rows that came from elsewhere), so the phone and the office
//! show the same records from the first sync.

use crate::customers::store::fields::values_from_json;
use std::collections::HashMap;

use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord, PrescriptionRecord};
use fieldcase_shared::{AdviserId, ClientId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::error::StoreResult;
use crate::store::projection::AdviserRecords;
use crate::store::sql::{Classify, SqlStore, on_db, rfc3339};

#[derive(sqlx::FromRow)]
struct ClientRec {
    id: Uuid,
    first_name: String,
    last_name: String,
    phone: String,
    email: String,
    street: String,
    city: String,
    postal_code: String,
    note: String,
    created_at: OffsetDateTime,
    merged_into: Option<Uuid>,
    custom: String,
}

#[derive(sqlx::FromRow)]
struct RxRec {
    id: Uuid,
    client_id: Uuid,
    data: sqlx::types::Json<serde_json::Value>,
}

#[derive(sqlx::FromRow)]
struct OrderRec {
    id: Uuid,
    variable_symbol: String,
    client_id: Uuid,
    prescription_id: Option<Uuid>,
    status: String,
    deposit_haler: i64,
    note: String,
    created_at: OffsetDateTime,
    coupon_code: String,
    coupon_discount_haler: i64,
    discount_pct: i64,
    custom: String,
}

#[derive(sqlx::FromRow)]
struct LineRec {
    id: Uuid,
    order_id: Uuid,
    product_id: Option<Uuid>,
    kind: String,
    text: String,
    quantity: i64,
    unit_price_haler: i64,
    vat_bp: i64,
    discount_haler: i64,
}

impl SqlStore {
    /// The adviser's rows in document form.
    pub(super) async fn records_of(&self, adviser: AdviserId) -> StoreResult<AdviserRecords> {
        self.records_where(
            [
                "adviser_id = $1",
                "c.adviser_id = $1",
                "adviser_id = $1",
                "o.adviser_id = $1",
            ],
            adviser.as_uuid(),
        )
        .await
    }

    /// One customer's rows in document form: the customer, their prescriptions and
    /// their open orders (not delivered, closed or cancelled) — what moves with them
    /// to another adviser.
    pub(super) async fn records_of_client(&self, client: ClientId) -> StoreResult<AdviserRecords> {
        const OPEN: &str = "status NOT IN ('delivered', 'closed', 'cancelled')";
        self.records_where(
            [
                "id = $1",
                "p.client_id = $1",
                &format!("client_id = $1 AND {OPEN}"),
                &format!("o.client_id = $1 AND o.{OPEN}"),
            ],
            client.as_uuid(),
        )
        .await
    }

    /// Rows in document form: clients, prescriptions (`p`, with `c`), orders and
    /// lines (`o`) each filtered by its condition on `$1` = `key`.
    async fn records_where(&self, w: [&str; 4], key: Uuid) -> StoreResult<AdviserRecords> {
        let a = key;
        let (clients, rxs, orders, lines): (
            Vec<ClientRec>,
            Vec<RxRec>,
            Vec<OrderRec>,
            Vec<LineRec>,
        ) = on_db!(self, pool => {
            let clients = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, first_name, last_name, phone, email, street, city, postal_code, note, created_at, merged_into, custom \
                 FROM clients WHERE {} ORDER BY id", w[0]
            )))
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            let rxs = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT p.id, p.client_id, p.data FROM prescriptions p JOIN clients c ON c.id = p.client_id \
                 WHERE {} ORDER BY p.id", w[1]
            )))
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            let orders = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, variable_symbol, client_id, prescription_id, status, deposit_haler, note, created_at, \
                 coupon_code, coupon_discount_haler, CAST(discount_pct AS BIGINT) AS discount_pct, custom FROM orders WHERE {} ORDER BY id", w[2]
            )))
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            let lines = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT l.id, l.order_id, l.product_id, COALESCE(p.kind, 'service') AS kind, l.text, \
                 l.quantity, l.unit_price_haler, l.vat_bp, l.discount_haler \
                 FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN products p ON p.id = l.product_id \
                 WHERE {} ORDER BY l.order_id, l.position", w[3]
            )))
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            (clients, rxs, orders, lines)
        });
        let mut by_order: HashMap<Uuid, Vec<LineRecord>> = HashMap::new();
        for l in lines {
            by_order.entry(l.order_id).or_default().push(LineRecord {
                id: l.id.to_string(),
                kind: l.kind,
                product: l.product_id.map(|p| p.to_string()),
                text: l.text,
                quantity: u32::try_from(l.quantity).unwrap_or(0),
                unit_price: l.unit_price_haler,
                vat_bp: u32::try_from(l.vat_bp).unwrap_or(0),
                discount: l.discount_haler,
            });
        }
        Ok(AdviserRecords {
            clients: clients
                .into_iter()
                .map(|c| {
                    (
                        c.id.to_string(),
                        ClientRecord {
                            first_name: c.first_name,
                            last_name: c.last_name,
                            phone: c.phone,
                            email: c.email,
                            street: c.street,
                            city: c.city,
                            postal_code: c.postal_code,
                            note: c.note,
                            created_at: rfc3339(c.created_at),
                            merged_into: c.merged_into.map(|m| m.to_string()).unwrap_or_default(),
                            custom: values_from_json(&c.custom),
                        },
                    )
                })
                .collect(),
            prescriptions: rxs
                .into_iter()
                .map(|p| {
                    (
                        p.id.to_string(),
                        PrescriptionRecord {
                            client: p.client_id.to_string(),
                            body: p.data.0.to_string(),
                        },
                    )
                })
                .collect(),
            orders: orders
                .into_iter()
                .map(|o| {
                    let lines = by_order.remove(&o.id).unwrap_or_default();
                    (
                        o.id.to_string(),
                        OrderRecord {
                            client: o.client_id.to_string(),
                            prescription: o.prescription_id.map(|p| p.to_string()),
                            variable_symbol: o.variable_symbol,
                            status: o.status,
                            lines,
                            deposit: o.deposit_haler,
                            note: o.note,
                            created_at: rfc3339(o.created_at),
                            coupon: o.coupon_code,
                            coupon_discount: o.coupon_discount_haler,
                            discount_pct: u32::try_from(o.discount_pct).unwrap_or(0),
                            custom: values_from_json(&o.custom),
                        },
                    )
                })
                .collect(),
        })
    }
}
