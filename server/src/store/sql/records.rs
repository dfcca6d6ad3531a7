//! An adviser's SQL rows read back as workspace records: what a new workspace
//! document starts with when the office already has the adviser's clients and
//! orders (the demo, or rows that came from elsewhere), so the phone and the office
//! show the same records from the first sync.

use std::collections::HashMap;

use fieldcase_shared::docs::commission::PayoutRequestRecord;
use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord, PrescriptionRecord};

use super::*;
use crate::store::AdviserRecords;

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

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Ids per lookup query: the projector's lookups stay one query per batch up to
/// this many touched records.
const LOOKUP_CHUNK: usize = 500;

#[derive(sqlx::FromRow)]
struct JudgedRec {
    id: Uuid,
    amount: i64,
    requested_at: OffsetDateTime,
    note: String,
    status: String,
    reason: String,
}

impl SqlStore {
    /// The accepted status of each of `orders` the office has, in one query.
    pub(crate) async fn statuses_of(&self, orders: &[Uuid]) -> StoreResult<HashMap<Uuid, String>> {
        let mut out = HashMap::with_capacity(orders.len());
        for chunk in orders.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(Uuid, String)> = on_db!(self, pool => {
                let mut q = QueryBuilder::new("SELECT id, status FROM orders WHERE id IN (");
                let mut ids = q.separated(", ");
                for id in chunk {
                    ids.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// The adviser's judged payout requests among `ids`, in one query.
    pub(crate) async fn judged_of(
        &self,
        adviser: AdviserId,
        ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, PayoutRequestRecord>> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(LOOKUP_CHUNK) {
            let rows: Vec<JudgedRec> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT id, amount, requested_at, note, status, reason FROM payout_requests WHERE adviser_id = ",
                );
                q.push_bind(adviser.as_uuid());
                q.push(" AND id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            out.extend(rows.into_iter().map(|r| {
                (
                    r.id,
                    PayoutRequestRecord {
                        amount: r.amount,
                        requested_at: rfc3339(r.requested_at),
                        note: r.note,
                        status: r.status,
                        reason: r.reason,
                    },
                )
            }));
        }
        Ok(out)
    }

    pub(crate) async fn records_of(&self, adviser: AdviserId) -> StoreResult<AdviserRecords> {
        let a = adviser.as_uuid();
        let (clients, rxs, orders, lines): (
            Vec<ClientRec>,
            Vec<RxRec>,
            Vec<OrderRec>,
            Vec<LineRec>,
        ) = on_db!(self, pool => {
            let clients = sqlx::query_as(
                "SELECT id, first_name, last_name, phone, email, street, city, postal_code, note, created_at \
                 FROM clients WHERE adviser_id = $1 ORDER BY id",
            )
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            let rxs = sqlx::query_as(
                "SELECT p.id, p.client_id, p.data FROM prescriptions p JOIN clients c ON c.id = p.client_id \
                 WHERE c.adviser_id = $1 ORDER BY p.id",
            )
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            let orders = sqlx::query_as(
                "SELECT id, variable_symbol, client_id, prescription_id, status, deposit_haler, note, created_at, \
                 coupon_code, coupon_discount_haler FROM orders WHERE adviser_id = $1 ORDER BY id",
            )
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            let lines = sqlx::query_as(
                "SELECT l.id, l.order_id, l.product_id, COALESCE(p.kind, 'service') AS kind, l.text, \
                 l.quantity, l.unit_price_haler, l.vat_bp, l.discount_haler \
                 FROM order_lines l JOIN orders o ON o.id = l.order_id LEFT JOIN products p ON p.id = l.product_id \
                 WHERE o.adviser_id = $1 ORDER BY l.order_id, l.position",
            )
            .bind(a)
            .fetch_all(pool)
            .await
            .classify()?;
            (clients, rxs, orders, lines)
        });
        let mut by_order: std::collections::HashMap<Uuid, Vec<LineRecord>> =
            std::collections::HashMap::new();
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
                        },
                    )
                })
                .collect(),
        })
    }
}
