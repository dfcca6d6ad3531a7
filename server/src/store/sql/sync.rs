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

impl SqlStore {
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
