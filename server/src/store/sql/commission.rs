//! The commission ledger, payout requests and the catalog's products, on the same
//! pools (called from the [`SyncStore`](crate::store::SyncStore) impl in `sync.rs`).

use fieldcase_shared::docs::catalog::{CouponRecord, ProductRecord};
use fieldcase_shared::docs::commission::{CommissionEntryRecord, PayoutRequestRecord};

use super::*;

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: Uuid,
    kind: String,
    order_id: Option<Uuid>,
    amount: i64,
    at: OffsetDateTime,
    note: String,
}

#[derive(sqlx::FromRow)]
struct PayoutRow {
    amount: i64,
    requested_at: OffsetDateTime,
    note: String,
    status: String,
    reason: String,
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: Uuid,
    sku: String,
    kind: String,
    name: String,
    brand: String,
    colour: String,
    size: String,
    price_haler: i64,
    vat_bp: i64,
    active: bool,
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl SqlStore {
    pub(crate) async fn insert_commission_entry(
        &self,
        actor: &Actor,
        adviser: AdviserId,
        id: Uuid,
        entry: &CommissionEntryRecord,
    ) -> StoreResult<()> {
        let order = if entry.order.is_empty() {
            None
        } else {
            Some(parse::<Uuid>("order", &entry.order)?)
        };
        let at = OffsetDateTime::parse(&entry.at, &time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| now());
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO commission_entries (id, adviser_id, kind, order_id, amount, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(adviser.as_uuid())
            .bind(&entry.kind)
            .bind(order)
            .bind(entry.amount)
            .bind(at)
            .bind(&entry.note)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "commission.entry", adviser.to_string(), format!("{} {} {}", entry.kind, entry.amount, id))?;
            if entry.kind == "payout" && entry.amount < 0 {
                // The money left: accepted requests it covers (oldest first) are paid
                // and stop reserving their amount, or they would count twice.
                let accepted: Vec<(Uuid, i64)> = sqlx::query_as(
                    "SELECT id, amount FROM payout_requests WHERE adviser_id = $1 AND status = 'accepted' ORDER BY requested_at, id",
                )
                .bind(adviser.as_uuid())
                .fetch_all(&mut *tx)
                .await
                .classify()?;
                let mut left = -entry.amount;
                for (request, amount) in accepted {
                    if amount > left {
                        break;
                    }
                    left -= amount;
                    sqlx::query("UPDATE payout_requests SET status = 'paid' WHERE id = $1")
                        .bind(request)
                        .execute(&mut *tx)
                        .await
                        .classify()?;
                    audit_in!(&mut *tx, actor, "payout.paid", adviser.to_string(), format!("request {request} by ledger line {id}"))?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub(crate) async fn list_commission_entries(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<Vec<(Uuid, CommissionEntryRecord)>> {
        let rows: Vec<EntryRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, kind, order_id, amount, at, note FROM commission_entries WHERE adviser_id = $1 ORDER BY at, id",
        )
        .bind(adviser.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.id,
                    CommissionEntryRecord {
                        kind: r.kind,
                        order: r.order_id.map(|o| o.to_string()).unwrap_or_default(),
                        amount: r.amount,
                        at: rfc3339(r.at),
                        note: r.note,
                    },
                )
            })
            .collect())
    }

    pub(crate) async fn available_for_payout(&self, adviser: AdviserId) -> StoreResult<i64> {
        let (ledger, reserved): (i64, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT CAST(COALESCE((SELECT SUM(amount) FROM commission_entries WHERE adviser_id = $1), 0) AS BIGINT), \
                    CAST(COALESCE((SELECT SUM(amount) FROM payout_requests WHERE adviser_id = $1 AND status = 'accepted'), 0) AS BIGINT)",
        )
        .bind(adviser.as_uuid())
        .fetch_one(pool)
        .await
        .classify())?;
        Ok(ledger - reserved)
    }

    pub(crate) async fn judged_payout_request(
        &self,
        adviser: AdviserId,
        id: Uuid,
    ) -> StoreResult<Option<PayoutRequestRecord>> {
        let row: Option<PayoutRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT amount, requested_at, note, status, reason FROM payout_requests WHERE id = $1 AND adviser_id = $2",
        )
        .bind(id)
        .bind(adviser.as_uuid())
        .fetch_optional(pool)
        .await
        .classify())?;
        Ok(row.map(|r| PayoutRequestRecord {
            amount: r.amount,
            requested_at: rfc3339(r.requested_at),
            note: r.note,
            status: r.status,
            reason: r.reason,
        }))
    }

    pub(crate) async fn products_for_catalog(&self) -> StoreResult<Vec<(Uuid, ProductRecord)>> {
        let rows: Vec<ProductRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, sku, kind, name, brand, colour, size, price_haler, vat_bp, active FROM products ORDER BY id",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.id,
                    ProductRecord {
                        sku: r.sku,
                        kind: r.kind,
                        name: r.name,
                        brand: r.brand,
                        colour: r.colour,
                        size: r.size,
                        price: r.price_haler,
                        vat_bp: u32::try_from(r.vat_bp).unwrap_or_default(),
                        active: r.active,
                    },
                )
            })
            .collect())
    }

    pub(crate) async fn list_coupons(&self) -> StoreResult<Vec<(String, CouponRecord)>> {
        let rows: Vec<CouponRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, percent_bp, amount_haler, valid_until, active FROM coupons ORDER BY code",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.code,
                    CouponRecord {
                        percent_bp: u32::try_from(r.percent_bp).unwrap_or_default(),
                        amount: r.amount_haler,
                        valid_until: r.valid_until.unwrap_or_default(),
                        active: r.active,
                    },
                )
            })
            .collect())
    }

    pub(crate) async fn upsert_coupon(
        &self,
        actor: &Actor,
        code: &str,
        coupon: &CouponRecord,
    ) -> StoreResult<()> {
        let until = (!coupon.valid_until.is_empty()).then_some(coupon.valid_until.as_str());
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO coupons (code, percent_bp, amount_haler, valid_until, active, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO UPDATE SET percent_bp = excluded.percent_bp, amount_haler = excluded.amount_haler, \
                 valid_until = excluded.valid_until, active = excluded.active",
            )
            .bind(code)
            .bind(i32::try_from(coupon.percent_bp).unwrap_or(i32::MAX))
            .bind(coupon.amount)
            .bind(until)
            .bind(coupon.active)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "coupon.put", code.to_owned(), format!("{} bp {} h until {:?} active {}", coupon.percent_bp, coupon.amount, until, coupon.active))?;
            tx.commit().await?;
        });
        Ok(())
    }
}

#[derive(sqlx::FromRow)]
struct CouponRow {
    code: String,
    percent_bp: i32,
    amount_haler: i64,
    valid_until: Option<String>,
    active: bool,
}
