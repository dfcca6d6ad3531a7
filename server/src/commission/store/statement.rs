//! Statements and reports in SQL: an adviser's ledger for a period with the
//! balance before it (one indexed range read and one sum, however long the
//! history), and the network's commission and turnover summed per adviser, store
//! and hour — hours, because a Prague month begins at 23:00 or 22:00 UTC; the
//! months are made of them in `commission/report.rs`.

use async_trait::async_trait;
use fieldcase_shared::AdviserId;
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use time::{OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use super::sql::{EntryRow, entry_record};
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, Db, SqlStore, on_db};

/// One cell of the report: a sum for an adviser and a store in one hour (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCell {
    pub hour: OffsetDateTime,
    pub adviser_code: String,
    pub adviser_name: String,
    pub shop_code: String,
    pub shop_name: String,
    /// Haléře.
    pub amount: i64,
}

/// What the report sums: commission (accruals, reversals and adjustments — what
/// the company owes for the period; payouts only pay it) and turnover (the totals
/// of orders taken, cancelled ones left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportData {
    pub commission: Vec<ReportCell>,
    pub turnover: Vec<ReportCell>,
}

/// Statements and reports.
#[async_trait]
pub trait StatementStore: Send + Sync {
    /// The balance of `adviser`'s ledger before `from`, and its lines from `from`
    /// until before `to`, oldest first.
    async fn commission_between(
        &self,
        adviser: AdviserId,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<(i64, Vec<(Uuid, CommissionEntryRecord)>)>;
    /// Commission and turnover from `from` until before `to`, per adviser, store
    /// (the order's, else the adviser's home store) and hour.
    async fn commission_report(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<ReportData>;
}

type CellRow = (String, String, String, String, String, i64);

fn cells(rows: Vec<CellRow>) -> Vec<ReportCell> {
    rows.into_iter()
        .filter_map(|(hour, code, name, shop_code, shop_name, amount)| {
            let hour = PrimitiveDateTime::parse(&format!("{hour}:00"), HOUR)
                .ok()?
                .assume_utc();
            Some(ReportCell {
                hour,
                adviser_code: code,
                adviser_name: name,
                shop_code,
                shop_name,
                amount,
            })
        })
        .collect()
}

const HOUR: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");

#[async_trait]
impl StatementStore for SqlStore {
    async fn commission_between(
        &self,
        adviser: AdviserId,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<(i64, Vec<(Uuid, CommissionEntryRecord)>)> {
        let (opening, rows): (i64, Vec<EntryRow>) = on_db!(self, pool => {
            let (opening,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM commission_entries WHERE adviser_id = $1 AND at < $2",
            )
            .bind(adviser.as_uuid())
            .bind(from)
            .fetch_one(pool)
            .await
            .classify()?;
            let rows = sqlx::query_as(
                "SELECT id, kind, order_id, amount, at, note, explanation FROM commission_entries \
                 WHERE adviser_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id",
            )
            .bind(adviser.as_uuid())
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await
            .classify()?;
            (opening, rows)
        });
        Ok((opening, rows.into_iter().map(entry_record).collect()))
    }

    async fn commission_report(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<ReportData> {
        // The hour (UTC) a moment falls in, as `YYYY-MM-DD HH`.
        let hour = |col: &str| match self.db() {
            Db::Sqlite(_) => format!("strftime('%Y-%m-%d %H', {col})"),
            Db::Postgres(_) => format!("to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"),
        };
        let commission = format!(
            "SELECT {h} AS hour, a.code, u.name, s.code, s.name, CAST(SUM(e.amount) AS BIGINT) \
             FROM commission_entries e JOIN advisers a ON a.id = e.adviser_id JOIN users u ON u.id = a.user_id \
             LEFT JOIN orders o ON o.id = e.order_id JOIN shops s ON s.id = COALESCE(o.shop_id, a.home_shop_id) \
             WHERE e.at >= $1 AND e.at < $2 AND e.kind IN ('accrual', 'reversal', 'adjustment') \
             GROUP BY {h}, a.code, u.name, s.code, s.name",
            h = hour("e.at")
        );
        let turnover = format!(
            "SELECT {h} AS hour, a.code, u.name, s.code, s.name, CAST(SUM(o.total_haler) AS BIGINT) \
             FROM orders o JOIN advisers a ON a.id = o.adviser_id JOIN users u ON u.id = a.user_id \
             JOIN shops s ON s.id = COALESCE(o.shop_id, a.home_shop_id) \
             WHERE o.created_at >= $1 AND o.created_at < $2 AND o.status <> 'cancelled' \
             GROUP BY {h}, a.code, u.name, s.code, s.name",
            h = hour("o.created_at")
        );
        let (c, t): (Vec<CellRow>, Vec<CellRow>) = on_db!(self, pool => {
            let c = sqlx::query_as(sqlx::AssertSqlSafe(commission.clone())).bind(from).bind(to).fetch_all(pool).await.classify()?;
            let t = sqlx::query_as(sqlx::AssertSqlSafe(turnover.clone())).bind(from).bind(to).fetch_all(pool).await.classify()?;
            (c, t)
        });
        Ok(ReportData {
            commission: cells(c),
            turnover: cells(t),
        })
    }
}
