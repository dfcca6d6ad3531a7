//! The SQL projection of the advisers' workspaces: what the hub's authority let
//! stand is upserted into the office's tables, only into rows of the document's own
//! adviser; what cannot be taken is returned as skipped (it stays in the document).

use crate::customers::store::fields::values_json;
use std::collections::HashMap;

use fieldcase_shared::{AdviserId, OrderId};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::orders::store::history::{Before, changes, event_in};
use crate::store::actor::Via;
use crate::store::error::{StoreError, StoreResult};
use crate::store::projection::{ProjectionBatch, SkipReason, Skipped};
use crate::store::sql::{Classify, SqlStore, now, on_db};

/// A record's timestamp, or `first_seen` when the record leaves it out. The
/// projector refuses records whose time is present but unreadable before they
/// reach the store, so no made-up date is written.
fn record_time(text: &str, first_seen: OffsetDateTime) -> OffsetDateTime {
    fieldcase_shared::docs::stamp::record_time(text)
        .ok()
        .flatten()
        .unwrap_or(first_seen)
}

/// Whether a row `$id` of `$table` (a literal) belongs to another adviser than
/// `$adviser`: the projection never overwrites it.
macro_rules! foreign_row {
    ($tx:expr, $table:literal, $id:expr, $adviser:expr) => {
        sqlx::query_scalar::<_, bool>(concat!(
            "SELECT EXISTS (SELECT 1 FROM ",
            $table,
            " WHERE id = $1 AND adviser_id <> $2)"
        ))
        .bind($id)
        .bind($adviser.as_uuid())
        .fetch_one(&mut *$tx)
        .await
        .classify()?
    };
}

/// Parses a record's id reference; a malformed one is left out (with a log line).
fn uuid_ref(what: &str, text: &str) -> Option<Uuid> {
    match Uuid::parse_str(text) {
        Ok(u) => Some(u),
        Err(_) => {
            tracing::warn!(what, text, "unreadable id reference in a workspace record");
            None
        }
    }
}

impl SqlStore {
    /// Upserts one batch in one transaction; returns what it left out.
    pub(super) async fn project_batch(
        &self,
        adviser: AdviserId,
        batch: &ProjectionBatch,
    ) -> StoreResult<Vec<Skipped>> {
        let at = now();
        let mut skipped = Vec::new();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            for (id, c) in &batch.clients {
                let done = sqlx::query(
                    // A merge stands once made (a document's merged client only
                    // confirms it; a rebuild brings it back).
                    "INSERT INTO clients (id, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, created_at, updated_at, merged_into, custom) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                     ON CONFLICT (id) DO UPDATE SET first_name = CASE WHEN clients.erased_at IS NULL THEN excluded.first_name ELSE '' END, \
                     last_name = CASE WHEN clients.erased_at IS NULL THEN excluded.last_name ELSE clients.last_name END, \
                     phone = CASE WHEN clients.erased_at IS NULL THEN excluded.phone ELSE '' END, \
                     email = CASE WHEN clients.erased_at IS NULL THEN excluded.email ELSE '' END, \
                     street = CASE WHEN clients.erased_at IS NULL THEN excluded.street ELSE '' END, \
                     city = CASE WHEN clients.erased_at IS NULL THEN excluded.city ELSE '' END, \
                     postal_code = CASE WHEN clients.erased_at IS NULL THEN excluded.postal_code ELSE '' END, \
                     note = CASE WHEN clients.erased_at IS NULL THEN excluded.note ELSE '' END, updated_at = excluded.updated_at, \
                     custom = CASE WHEN clients.erased_at IS NULL THEN excluded.custom ELSE '{}' END, \
                     merged_into = COALESCE(clients.merged_into, excluded.merged_into) \
                     WHERE clients.adviser_id = excluded.adviser_id",
                )
                .bind(id.as_uuid())
                .bind(adviser.as_uuid())
                .bind(&c.first_name)
                .bind(&c.last_name)
                .bind(&c.phone)
                .bind(&c.email)
                .bind(&c.street)
                .bind(&c.city)
                .bind(&c.postal_code)
                .bind(&c.note)
                .bind(record_time(&c.created_at, at))
                .bind(at)
                .bind(c.merged_into.parse::<uuid::Uuid>().ok())
                .bind(values_json(&c.custom))
                .execute(&mut *tx)
                .await
                .classify()?;
                if done.rows_affected() == 0 {
                    skipped.push(Skipped { map: "clients", id: id.to_string(), reason: SkipReason::Foreign });
                }
            }
            for p in &batch.prescriptions {
                let data = serde_json::to_value(p).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let done = sqlx::query(
                    // Only for a client that is projected: a record pointing nowhere is
                    // skipped (it stays in the document) instead of failing the batch.
                    "INSERT INTO prescriptions (id, client_id, measured_by, measured_on, valid_until, data) \
                     SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM clients WHERE id = $2 AND adviser_id = $7 AND erased_at IS NULL) \
                     ON CONFLICT (id) DO UPDATE SET measured_by = excluded.measured_by, measured_on = excluded.measured_on, \
                     valid_until = excluded.valid_until, data = excluded.data \
                     WHERE prescriptions.client_id IN (SELECT id FROM clients WHERE adviser_id = $7)",
                )
                .bind(p.id.as_uuid())
                .bind(p.client.as_uuid())
                .bind(&p.measured_by)
                .bind(p.measured_on)
                .bind(p.valid_until)
                .bind(sqlx::types::Json(data))
                .bind(adviser.as_uuid())
                .execute(&mut *tx)
                .await
                .classify()?;
                if done.rows_affected() == 0 {
                    let foreign: bool = sqlx::query_scalar(
                        "SELECT EXISTS (SELECT 1 FROM prescriptions p JOIN clients c ON c.id = p.client_id \
                         WHERE p.id = $1 AND c.adviser_id <> $2)",
                    )
                    .bind(p.id.as_uuid())
                    .bind(adviser.as_uuid())
                    .fetch_one(&mut *tx)
                    .await
                    .classify()?;
                    let reason = if foreign { SkipReason::Foreign } else { SkipReason::UnknownClient };
                    skipped.push(Skipped { map: "prescriptions", id: p.id.to_string(), reason });
                }
            }
            // What SQL held before, for the orders' history (two reads per batch).
            let before = if batch.orders.is_empty() {
                HashMap::new()
            } else {
                let ids: Vec<Uuid> = batch.orders.iter().map(|(id, _)| id.as_uuid()).collect();
                let mut q = QueryBuilder::new(
                    "SELECT id, status, total_haler, deposit_haler, note, coupon_code, CAST(discount_pct AS BIGINT) FROM orders WHERE id IN (",
                );
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                q.push(")");
                let heads: Vec<(Uuid, String, i64, i64, String, String, i64)> =
                    q.build_query_as().fetch_all(&mut *tx).await.classify()?;
                let mut q = QueryBuilder::new(
                    "SELECT order_id, text, quantity, unit_price_haler FROM order_lines WHERE order_id IN (",
                );
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                q.push(") ORDER BY position");
                let lines: Vec<(Uuid, String, i64, i64)> =
                    q.build_query_as().fetch_all(&mut *tx).await.classify()?;
                let mut before: HashMap<Uuid, Before> = heads
                    .into_iter()
                    .map(|(id, status, total, deposit, note, coupon, discount_pct)| {
                        (id, Before { status, total, deposit, note, coupon, discount_pct, lines: Vec::new() })
                    })
                    .collect();
                for (order, text, quantity, price) in lines {
                    if let Some(b) = before.get_mut(&order) {
                        b.lines.push((text, quantity, price));
                    }
                }
                before
            };
            let adviser_user: Option<Uuid> = if batch.orders.is_empty() {
                None
            } else {
                sqlx::query_scalar("SELECT user_id FROM advisers WHERE id = $1")
                    .bind(adviser.as_uuid())
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?
            };
            for (id, o) in &batch.orders {
                let Some(client) = uuid_ref("order.client", &o.client) else { continue };
                let prescription = o.prescription.as_deref().and_then(|p| uuid_ref("order.prescription", p));
                let total = o.total();
                let stored: Option<(String,)> = sqlx::query_as(
                    // Skipped (kept in the document, logged) when its client is not projected
                    // or another order already has its variable symbol; a prescription
                    // that was not accepted is left out of the reference. An erased
                    // customer's order keeps no note or custom values (a late copy).
                    "INSERT INTO orders (id, variable_symbol, client_id, adviser_id, shop_id, prescription_id, status, total_haler, deposit_haler, note, created_at, updated_at, coupon_code, coupon_discount_haler, discount_pct, custom) \
                     SELECT $1, $2, $3, $4, (SELECT home_shop_id FROM advisers WHERE id = $4), (SELECT id FROM prescriptions WHERE id = $5), $6, $7, $8, \
                     CASE WHEN EXISTS (SELECT 1 FROM clients WHERE id = $3 AND erased_at IS NOT NULL) THEN '' ELSE $9 END, $10, $11, $12, $13, $15, \
                     CASE WHEN EXISTS (SELECT 1 FROM clients WHERE id = $3 AND erased_at IS NOT NULL) THEN '{}' ELSE $16 END \
                     WHERE EXISTS (SELECT 1 FROM clients WHERE id = $3 AND adviser_id = $4) \
                     AND NOT EXISTS (SELECT 1 FROM orders WHERE variable_symbol = $2 AND id <> $1) \
                     ON CONFLICT (id) DO UPDATE SET variable_symbol = excluded.variable_symbol, prescription_id = excluded.prescription_id, \
                     status = CASE WHEN $14 IS NULL OR orders.status = $14 THEN excluded.status ELSE orders.status END, \
                     total_haler = excluded.total_haler, deposit_haler = excluded.deposit_haler, \
                     note = excluded.note, updated_at = excluded.updated_at, coupon_code = excluded.coupon_code, \
                     coupon_discount_haler = excluded.coupon_discount_haler, discount_pct = excluded.discount_pct, custom = excluded.custom \
                     WHERE orders.adviser_id = excluded.adviser_id RETURNING note",
                )
                .bind(id.as_uuid())
                .bind(&o.variable_symbol)
                .bind(client)
                .bind(adviser.as_uuid())
                .bind(prescription)
                .bind(&o.status)
                .bind(total)
                .bind(o.deposit)
                .bind(&o.note)
                .bind(record_time(&o.created_at, at))
                .bind(at)
                .bind(&o.coupon)
                .bind(o.coupon_discount)
                // The status the hub judged against: taken only while SQL holds it.
                .bind(batch.expected_status.get(id))
                .bind(i32::try_from(o.discount_pct.min(100)).unwrap_or(0))
                .bind(values_json(&o.custom))
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
                let Some((stored_note,)) = stored else {
                    tracing::warn!(order = %id, vs = %o.variable_symbol, "order not projected: another adviser's order, unknown client or a variable symbol already used by another order");
                    let reason = if foreign_row!(tx, "orders", id.as_uuid(), adviser) {
                        SkipReason::Foreign
                    } else if sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM clients WHERE id = $1 AND adviser_id = $2)")
                        .bind(client)
                        .bind(adviser.as_uuid())
                        .fetch_one(&mut *tx)
                        .await
                        .classify()?
                    {
                        SkipReason::VariableSymbolTaken
                    } else {
                        SkipReason::UnknownClient
                    };
                    skipped.push(Skipped { map: "orders", id: id.to_string(), reason });
                    continue;
                };
                sqlx::query("DELETE FROM order_lines WHERE order_id = $1").bind(id.as_uuid()).execute(&mut *tx).await?;
                for (position, l) in o.lines.iter().enumerate() {
                    let Some(line_id) = uuid_ref("line.id", &l.id) else { continue };
                    sqlx::query(
                        "INSERT INTO order_lines (id, order_id, position, product_id, text, quantity, unit_price_haler, vat_bp, discount_haler) \
                         SELECT $1, $2, $3, (SELECT id FROM products WHERE id = $4), $5, $6, $7, $8, $9 \
                         WHERE EXISTS (SELECT 1 FROM orders WHERE id = $2) ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(line_id)
                    .bind(id.as_uuid())
                    .bind(position as i64)
                    .bind(l.product.as_deref().and_then(|p| uuid_ref("line.product", p)))
                    .bind(&l.text)
                    .bind(i64::from(l.quantity))
                    .bind(l.unit_price)
                    .bind(i64::from(l.vat_bp))
                    .bind(l.discount)
                    .execute(&mut *tx)
                    .await
                    .classify()?;
                }
                // The history: what this change did to the order, by the adviser from
                // the phone. The status is the one SQL kept (compare-and-set above).
                let held = before.get(&id.as_uuid());
                let status = match (held, batch.expected_status.get(id)) {
                    (Some(b), Some(expected)) if &b.status != expected => b.status.as_str(),
                    _ => o.status.as_str(),
                };
                // As SQL keeps it (an erased customer's order without its note).
                let kept = fieldcase_shared::docs::records::OrderRecord { note: stored_note, ..o.clone() };
                for (field, old, new) in changes(held, &kept, status) {
                    event_in!(&mut *tx, id.as_uuid(), Via::Phone, adviser_user, "phone", field, old, new)?;
                }
                // Stock follows a status the phone moved (e.g. handed over: issued).
                if held.is_some_and(|b| b.status != status) {
                    crate::stock::store::stock_in!(tx, id.as_uuid(), status, "phone").await?;
                }
            }
            for (id, m) in &batch.case_movements {
                let done = sqlx::query(
                    "INSERT INTO case_movements (id, adviser_id, product, quantity, kind, at, note, rejected) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (id) DO UPDATE SET product = excluded.product, quantity = excluded.quantity, kind = excluded.kind, \
                     at = excluded.at, note = excluded.note, rejected = excluded.rejected \
                     WHERE case_movements.adviser_id = excluded.adviser_id",
                )
                .bind(id)
                .bind(adviser.as_uuid())
                .bind(&m.product)
                .bind(m.quantity)
                .bind(&m.kind)
                .bind(record_time(&m.at, at))
                .bind(&m.note)
                .bind(&m.rejected)
                .execute(&mut *tx)
                .await
                .classify()?;
                if done.rows_affected() == 0 {
                    skipped.push(Skipped { map: "case_movements", id: id.to_string(), reason: SkipReason::Foreign });
                }
            }
            for (id, p) in &batch.payout_requests {
                let done = sqlx::query(
                    // The hub's verdict stands: once judged, only the status moves on
                    // (paid), never the amount.
                    "INSERT INTO payout_requests (id, adviser_id, amount, requested_at, note, status, reason) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (id) DO UPDATE SET note = excluded.note, status = excluded.status, reason = excluded.reason \
                     WHERE payout_requests.adviser_id = excluded.adviser_id",
                )
                .bind(id)
                .bind(adviser.as_uuid())
                .bind(p.amount)
                .bind(record_time(&p.requested_at, at))
                .bind(&p.note)
                .bind(&p.status)
                .bind(&p.reason)
                .execute(&mut *tx)
                .await
                .classify()?;
                if done.rows_affected() == 0 {
                    skipped.push(Skipped { map: "payout_requests", id: id.to_string(), reason: SkipReason::Foreign });
                }
            }
            tx.commit().await?;
        });
        // The search indexes follow (outside the transaction: a failure here leaves
        // the search stale for these orders until they change again, never the data).
        let mut touched: Vec<OrderId> = batch.orders.iter().map(|(id, _)| *id).collect();
        let clients: Vec<_> = batch.clients.iter().map(|(id, _)| *id).collect();
        touched.extend(self.orders_of_clients(&clients).await?);
        self.index_orders(&touched).await?;
        self.index_customers(&clients).await?;
        Ok(skipped)
    }
}
