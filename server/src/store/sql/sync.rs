//! [`SyncStore`] on the same pools: samod chunks, document ids, devices.

use super::*;
use crate::store::{EnrolRefused, NewDevice, SyncStore};

#[derive(sqlx::FromRow)]
struct CodeRec {
    expires_at: OffsetDateTime,
    used_at: Option<OffsetDateTime>,
    active: bool,
}

/// `prefix/` … `prefix0` bounds every key below `prefix` ('0' follows '/' in ASCII),
/// so the range scan uses the primary key without LIKE and its escaping.
fn range_bounds(prefix: &str) -> (String, String) {
    (format!("{prefix}/"), format!("{prefix}0"))
}

#[async_trait]
impl SyncStore for SqlStore {
    async fn chunk_get(&self, key: &str) -> StoreResult<Option<Vec<u8>>> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT data FROM sync_chunks WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }

    async fn chunk_range(&self, prefix: &str) -> StoreResult<Vec<(String, Vec<u8>)>> {
        let (low, high) = range_bounds(prefix);
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT key, data FROM sync_chunks WHERE key = $1 OR (key >= $2 AND key < $3) ORDER BY key",
        )
        .bind(prefix)
        .bind(low)
        .bind(high)
        .fetch_all(pool)
        .await
        .classify())?)
    }

    async fn chunk_put(&self, key: &str, data: &[u8]) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query(
            "INSERT INTO sync_chunks (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = excluded.data",
        )
        .bind(key)
        .bind(data)
        .execute(pool)
        .await
        .map(|_| ())
        .classify())?;
        Ok(())
    }

    async fn chunk_delete(&self, key: &str) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("DELETE FROM sync_chunks WHERE key = $1")
            .bind(key)
            .execute(pool)
            .await
            .map(|_| ())
            .classify())?;
        Ok(())
    }

    async fn catalog_doc(&self) -> StoreResult<Option<String>> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT doc_id FROM documents WHERE kind = 'catalog'")
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }

    async fn set_catalog_doc(&self, doc_id: &str) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("INSERT INTO documents (doc_id, kind, adviser_id, created_at) VALUES ($1, 'catalog', NULL, $2)")
            .bind(doc_id)
            .bind(now())
            .execute(pool)
            .await
            .map(|_| ())
            .classify())?;
        Ok(())
    }

    async fn workspace_doc(&self, adviser: AdviserId) -> StoreResult<Option<String>> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT doc_id FROM documents WHERE adviser_id = $1")
            .bind(adviser.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }

    async fn set_workspace_doc(&self, adviser: AdviserId, doc_id: &str) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("INSERT INTO documents (doc_id, kind, adviser_id, created_at) VALUES ($1, 'workspace', $2, $3)")
            .bind(doc_id)
            .bind(adviser.as_uuid())
            .bind(now())
            .execute(pool)
            .await
            .map(|_| ())
            .classify())?;
        Ok(())
    }

    async fn workspace_docs(&self) -> StoreResult<Vec<(AdviserId, String)>> {
        let rows: Vec<(Uuid, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT adviser_id, doc_id FROM documents WHERE kind = 'workspace' ORDER BY created_at",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|(a, d)| (AdviserId::from_uuid(a), d))
            .collect())
    }

    async fn redeem_enrolment_code(
        &self,
        code_hash: &str,
        device: &NewDevice,
    ) -> StoreResult<Result<Device, EnrolRefused>> {
        let outcome = on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // The UPDATE claims the code; only one of two racing redemptions can win.
            let claimed: Option<Uuid> = sqlx::query_scalar(
                "UPDATE enrolment_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                 AND adviser_id IN (SELECT id FROM advisers WHERE active) RETURNING adviser_id",
            )
            .bind(code_hash)
            .bind(device.at)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            match claimed {
                None => {
                    let rec: Option<CodeRec> = sqlx::query_as(
                        "SELECT c.expires_at, c.used_at, a.active FROM enrolment_codes c \
                         JOIN advisers a ON a.id = c.adviser_id WHERE c.code_hash = $1",
                    )
                    .bind(code_hash)
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?;
                    tx.rollback().await?;
                    Err(match rec {
                        None => EnrolRefused::Unknown,
                        Some(r) if r.used_at.is_some() => EnrolRefused::Used,
                        Some(r) if !r.active => EnrolRefused::AdviserInactive,
                        Some(r) if r.expires_at <= device.at => EnrolRefused::Expired,
                        Some(_) => EnrolRefused::Unknown,
                    })
                }
                Some(adviser) => {
                    sqlx::query("INSERT INTO devices (id, adviser_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(device.id.as_uuid())
                        .bind(adviser)
                        .bind(&device.name)
                        .bind(&device.token_hash)
                        .bind(device.at)
                        .execute(&mut *tx)
                        .await
                        .classify()?;
                    let actor = Actor::system("enrolment");
                    audit_in!(&mut *tx, actor, "device.enrol", device.id.to_string(), format!("adviser={} name={}", AdviserId::from_uuid(adviser), device.name))?;
                    tx.commit().await?;
                    Ok(Device {
                        id: device.id,
                        adviser: AdviserId::from_uuid(adviser),
                        name: device.name.clone(),
                        created_at: device.at,
                        last_seen_at: None,
                        revoked_at: None,
                    })
                }
            }
        });
        Ok(outcome)
    }

    async fn device_by_token(&self, token_hash: &str) -> StoreResult<Option<Device>> {
        let row: Option<DeviceRec> = on_db!(self, pool => sqlx::query_as(
            "SELECT d.id, d.adviser_id, d.name, d.created_at, d.last_seen_at, d.revoked_at FROM devices d \
             JOIN advisers a ON a.id = d.adviser_id WHERE d.token_hash = $1 AND d.revoked_at IS NULL AND a.active",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
        .classify())?;
        Ok(row.map(Device::from))
    }

    async fn revoke_device(&self, actor: &Actor, device: DeviceId) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(device.as_uuid())
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "device")?;
            audit_in!(&mut *tx, actor, "device.revoke", device.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn project(
        &self,
        adviser: AdviserId,
        batch: &crate::store::ProjectionBatch,
    ) -> StoreResult<Vec<crate::store::Skipped>> {
        self.project_batch(adviser, batch).await
    }

    async fn catalog_products(
        &self,
    ) -> StoreResult<Vec<(Uuid, fieldcase_shared::docs::catalog::ProductRecord)>> {
        self.products_for_catalog().await
    }

    async fn coupons(
        &self,
    ) -> StoreResult<Vec<(String, fieldcase_shared::docs::catalog::CouponRecord)>> {
        self.list_coupons().await
    }

    async fn put_coupon(
        &self,
        actor: &Actor,
        code: &str,
        coupon: &fieldcase_shared::docs::catalog::CouponRecord,
    ) -> StoreResult<()> {
        self.upsert_coupon(actor, code, coupon).await
    }

    async fn set_push_token(
        &self,
        device: DeviceId,
        platform: &str,
        token: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query(
            "INSERT INTO push_tokens (device_id, platform, token, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (device_id) DO UPDATE SET platform = excluded.platform, token = excluded.token, updated_at = excluded.updated_at",
        )
        .bind(device.as_uuid())
        .bind(platform)
        .bind(token)
        .bind(now())
        .execute(pool)
        .await
        .map(|_| ())
        .classify())?;
        Ok(())
    }

    async fn push_token(&self, device: DeviceId) -> StoreResult<Option<(String, String)>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT platform, token FROM push_tokens WHERE device_id = $1")
            .bind(device.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }

    async fn add_commission_entry(
        &self,
        actor: &Actor,
        adviser: AdviserId,
        id: Uuid,
        entry: &fieldcase_shared::docs::commission::CommissionEntryRecord,
    ) -> StoreResult<()> {
        self.insert_commission_entry(actor, adviser, id, entry)
            .await
    }

    async fn commission_entries(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<
        Vec<(
            Uuid,
            fieldcase_shared::docs::commission::CommissionEntryRecord,
        )>,
    > {
        self.list_commission_entries(adviser).await
    }

    async fn adviser_records(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<crate::store::AdviserRecords> {
        self.records_of(adviser).await
    }

    async fn order_statuses(
        &self,
        orders: &[fieldcase_shared::OrderId],
    ) -> StoreResult<std::collections::HashMap<fieldcase_shared::OrderId, String>> {
        let ids: Vec<Uuid> = orders.iter().map(|o| o.as_uuid()).collect();
        Ok(self
            .statuses_of(&ids)
            .await?
            .into_iter()
            .map(|(id, status)| (fieldcase_shared::OrderId::from_uuid(id), status))
            .collect())
    }

    async fn judged_payout_requests(
        &self,
        adviser: AdviserId,
        ids: &[Uuid],
    ) -> StoreResult<
        std::collections::HashMap<Uuid, fieldcase_shared::docs::commission::PayoutRequestRecord>,
    > {
        self.judged_of(adviser, ids).await
    }

    async fn payout_available(&self, adviser: AdviserId) -> StoreResult<i64> {
        self.available_for_payout(adviser).await
    }

    async fn payout_request(
        &self,
        adviser: AdviserId,
        id: Uuid,
    ) -> StoreResult<Option<fieldcase_shared::docs::commission::PayoutRequestRecord>> {
        self.judged_payout_request(adviser, id).await
    }

    async fn order_status(&self, order: fieldcase_shared::OrderId) -> StoreResult<Option<String>> {
        self.order_status_of(order).await
    }

    async fn projection_digest(&self, adviser: AdviserId) -> StoreResult<String> {
        // Every column as text, ids as 32 hex digits in both databases, ordered by id.
        let id = |col: &str| match self.backend() {
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

    async fn order_adviser(
        &self,
        order: fieldcase_shared::OrderId,
    ) -> StoreResult<Option<AdviserId>> {
        let adviser: Option<Option<Uuid>> = on_db!(self, pool => sqlx::query_scalar("SELECT adviser_id FROM orders WHERE id = $1")
            .bind(order.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        Ok(adviser.flatten().map(AdviserId::from_uuid))
    }

    async fn set_order_status(
        &self,
        actor: &Actor,
        order: fieldcase_shared::OrderId,
        from: &str,
        to: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // Compare-and-set: a concurrent change since the caller read `from` wins, and
            // this one is refused rather than silently overwriting it.
            let done = sqlx::query("UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
                .bind(order.as_uuid())
                .bind(from)
                .bind(to)
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "order in that status")?;
            audit_in!(&mut *tx, actor, "order.status", order.to_string(), format!("{from} -> {to}"))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn touch_device(&self, device: DeviceId, at: OffsetDateTime) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("UPDATE devices SET last_seen_at = $2 WHERE id = $1")
            .bind(device.as_uuid())
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
            .classify())?;
        Ok(())
    }
}

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
    pub(crate) async fn project_batch(
        &self,
        adviser: AdviserId,
        batch: &crate::store::ProjectionBatch,
    ) -> StoreResult<Vec<crate::store::Skipped>> {
        use crate::store::{SkipReason, Skipped};
        let at = now();
        let mut skipped = Vec::new();
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            for (id, c) in &batch.clients {
                let done = sqlx::query(
                    "INSERT INTO clients (id, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                     ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name, \
                     phone = excluded.phone, email = excluded.email, street = excluded.street, city = excluded.city, \
                     postal_code = excluded.postal_code, note = excluded.note, updated_at = excluded.updated_at \
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
                     SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM clients WHERE id = $2 AND adviser_id = $7) \
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
            for (id, o) in &batch.orders {
                let Some(client) = uuid_ref("order.client", &o.client) else { continue };
                let prescription = o.prescription.as_deref().and_then(|p| uuid_ref("order.prescription", p));
                let total = o.total();
                let done = sqlx::query(
                    // Skipped (kept in the document, logged) when its client is not projected
                    // or another order already has its variable symbol; a prescription
                    // that was not accepted is left out of the reference.
                    "INSERT INTO orders (id, variable_symbol, client_id, adviser_id, shop_id, prescription_id, status, total_haler, deposit_haler, note, created_at, updated_at, coupon_code, coupon_discount_haler) \
                     SELECT $1, $2, $3, $4, (SELECT home_shop_id FROM advisers WHERE id = $4), (SELECT id FROM prescriptions WHERE id = $5), $6, $7, $8, $9, $10, $11, $12, $13 \
                     WHERE EXISTS (SELECT 1 FROM clients WHERE id = $3 AND adviser_id = $4) \
                     AND NOT EXISTS (SELECT 1 FROM orders WHERE variable_symbol = $2 AND id <> $1) \
                     ON CONFLICT (id) DO UPDATE SET variable_symbol = excluded.variable_symbol, prescription_id = excluded.prescription_id, \
                     status = excluded.status, total_haler = excluded.total_haler, deposit_haler = excluded.deposit_haler, \
                     note = excluded.note, updated_at = excluded.updated_at, coupon_code = excluded.coupon_code, \
                     coupon_discount_haler = excluded.coupon_discount_haler \
                     WHERE orders.adviser_id = excluded.adviser_id",
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
                .execute(&mut *tx)
                .await
                .classify()?;
                if done.rows_affected() == 0 {
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
                }
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
        Ok(skipped)
    }

    pub(crate) async fn order_status_of(
        &self,
        order: fieldcase_shared::OrderId,
    ) -> StoreResult<Option<String>> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
            .bind(order.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }
}
