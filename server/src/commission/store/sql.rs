//! [`CommissionStore`] on [`SqlStore`]: the ledger and the payout verdicts, with
//! their rows.

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::AdviserId;
use fieldcase_shared::docs::commission::{CommissionEntryRecord, PayoutRequestRecord};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::commission::store::CommissionStore;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, LOOKUP_CHUNK, SqlStore, now, on_db, parse, rfc3339};

#[derive(sqlx::FromRow)]
pub(super) struct EntryRow {
    id: Uuid,
    kind: String,
    order_id: Option<Uuid>,
    amount: i64,
    at: OffsetDateTime,
    note: String,
    explanation: String,
}

/// A ledger row as the workspace and the pages show it.
pub(super) fn entry_record(r: EntryRow) -> (Uuid, CommissionEntryRecord) {
    let (why_cs, why_en) = super::why(&r.note, &r.explanation);
    (
        r.id,
        CommissionEntryRecord {
            kind: r.kind,
            order: r.order_id.map(|o| o.to_string()).unwrap_or_default(),
            amount: r.amount,
            at: rfc3339(r.at),
            note: r.note,
            why_cs,
            why_en,
        },
    )
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
struct JudgedRec {
    id: Uuid,
    amount: i64,
    requested_at: OffsetDateTime,
    note: String,
    status: String,
    reason: String,
}

#[async_trait]
impl CommissionStore for SqlStore {
    async fn add_commission_entry(
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
        // Stored in UTC, as every moment (SQLite compares them as text).
        let at = OffsetDateTime::parse(&entry.at, &time::format_description::well_known::Rfc3339)
            .map(|t| t.to_offset(time::UtcOffset::UTC))
            .unwrap_or_else(|_| now());
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
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
            if entry.kind == fieldcase_shared::docs::commission::CommissionKind::Payout.code() && entry.amount < 0 {
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

    async fn commission_entries(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<Vec<(Uuid, CommissionEntryRecord)>> {
        let rows: Vec<EntryRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, kind, order_id, amount, at, note, explanation FROM commission_entries WHERE adviser_id = $1 ORDER BY at, id",
        )
        .bind(adviser.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().map(entry_record).collect())
    }

    async fn payout_available(&self, adviser: AdviserId) -> StoreResult<i64> {
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

    async fn payout_request(
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

    async fn judged_payout_requests(
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
}
