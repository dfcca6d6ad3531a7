//! The duplicate review queue and the duplicate scans' progress. A pair is stored
//! once (`client_a < client_b`), open until someone merges it or says the two are
//! different people; a pair found again keeps that decision. A scan is a row with
//! its progress, written by the background job (`customers/scan.rs`).

use fieldcase_shared::ClientId;
use fieldcase_shared::customer::{Likeness, Match};
use fieldcase_shared::docs::records::ClientRecord;
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::customers::store::CustomerSummary;
use crate::customers::store::write::Row;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db};

/// Two customers who may be one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicatePair {
    pub a: CustomerSummary,
    pub b: CustomerSummary,
    pub likeness: Likeness,
    pub found_at: OffsetDateTime,
}

/// A found pair as stored (ids in any order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPair {
    pub a: ClientId,
    pub b: ClientId,
    pub likeness: Likeness,
}

/// One duplicate scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub id: Uuid,
    pub started_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
    /// Steps to do (customers read, then compared) and done.
    pub total: i64,
    pub done: i64,
    /// Pairs found.
    pub found: i64,
    pub error: Option<String>,
    pub author: String,
}

impl Scan {
    /// Whole percent done.
    pub fn percent(&self) -> i64 {
        if self.total <= 0 {
            0
        } else {
            (self.done * 100 / self.total).clamp(0, 100)
        }
    }
}

/// A scan not finished after this long was cut off (the hub stopped).
const SCAN_ABANDONED_AFTER: time::Duration = time::Duration::minutes(10);

fn reasons(text: &str) -> Vec<Match> {
    text.split(',').filter_map(Match::from_code).collect()
}

type ScanRow = (
    Uuid,
    OffsetDateTime,
    Option<OffsetDateTime>,
    i64,
    i64,
    i64,
    Option<String>,
    String,
);

fn scan(r: ScanRow) -> Scan {
    Scan {
        id: r.0,
        started_at: r.1,
        finished_at: r.2,
        total: r.3,
        done: r.4,
        found: r.5,
        error: r.6,
        author: r.7,
    }
}

impl SqlStore {
    /// Stores found pairs (a pair already decided keeps its decision; an open one
    /// takes the new score). Pairs with a merged customer are left out.
    pub(crate) async fn record_duplicate_pairs(&self, pairs: &[FoundPair]) -> StoreResult<()> {
        let at = now();
        for chunk in pairs.chunks(500) {
            on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO customer_duplicates (client_a, client_b, score, reasons, found_at) ",
                );
                q.push_values(chunk, |mut b, p| {
                    let (x, y) = if p.a.as_uuid() < p.b.as_uuid() { (p.a, p.b) } else { (p.b, p.a) };
                    let why: Vec<&str> = p.likeness.matches.iter().map(|m| m.code()).collect();
                    b.push_bind(x.as_uuid())
                        .push_bind(y.as_uuid())
                        .push_bind(i32::from(p.likeness.score))
                        .push_bind(why.join(","))
                        .push_bind(at);
                });
                q.push(
                    " ON CONFLICT (client_a, client_b) DO UPDATE SET score = excluded.score, reasons = excluded.reasons \
                     WHERE customer_duplicates.status = 'open'",
                );
                q.build().execute(pool).await.classify()?;
            });
        }
        Ok(())
    }

    /// Open pairs, most alike first (both customers still unmerged); `offset` pages.
    pub(crate) async fn read_open_duplicates(
        &self,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(Vec<DuplicatePair>, i64)> {
        type PairRow = (Uuid, Uuid, i32, String, OffsetDateTime);
        const OPEN: &str = "FROM customer_duplicates d JOIN clients ca ON ca.id = d.client_a JOIN clients cb ON cb.id = d.client_b \
             WHERE d.status = 'open' AND ca.merged_into IS NULL AND cb.merged_into IS NULL";
        let (rows, total): (Vec<PairRow>, i64) = on_db!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT d.client_a, d.client_b, d.score, d.reasons, d.found_at {OPEN} \
                 ORDER BY d.score DESC, d.found_at, d.client_a, d.client_b LIMIT $1 OFFSET $2"
            )))
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await
            .classify()?;
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {OPEN}")))
                .fetch_one(pool)
                .await
                .classify()?;
            (rows, total)
        });
        let mut ids: Vec<ClientId> = rows
            .iter()
            .flat_map(|r| [ClientId::from_uuid(r.0), ClientId::from_uuid(r.1)])
            .collect();
        ids.sort();
        ids.dedup();
        let people = self.customers_by_ids(&ids).await?;
        let find = |id: Uuid| people.iter().find(|c| c.id.as_uuid() == id).cloned();
        let pairs = rows
            .into_iter()
            .filter_map(|(a, b, score, why, found_at)| {
                Some(DuplicatePair {
                    a: find(a)?,
                    b: find(b)?,
                    likeness: Likeness {
                        matches: reasons(&why),
                        score: u8::try_from(score).unwrap_or(100),
                    },
                    found_at,
                })
            })
            .collect();
        Ok((pairs, total))
    }

    /// Marks an open pair as two different people (audited). NotFound: no such
    /// open pair.
    pub(crate) async fn mark_different(
        &self,
        actor: &Actor,
        a: ClientId,
        b: ClientId,
    ) -> StoreResult<()> {
        let (x, y) = if a.as_uuid() < b.as_uuid() {
            (a, b)
        } else {
            (b, a)
        };
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query(
                "UPDATE customer_duplicates SET status = 'different', decided_by = $1, decided_at = $2 \
                 WHERE client_a = $3 AND client_b = $4 AND status = 'open'",
            )
            .bind(&actor.label)
            .bind(now())
            .bind(x.as_uuid())
            .bind(y.as_uuid())
            .execute(&mut *tx)
            .await
            .classify()?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("duplicate pair"));
            }
            audit_in!(&mut *tx, actor, "client.not_duplicate", x.to_string(), y.to_string())?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Starts a scan: its row, unless one is running (Stale). A scan unfinished for
    /// longer than the hub could take is marked cut off first.
    pub(crate) async fn begin_scan(&self, author: &str) -> StoreResult<Uuid> {
        let at = now();
        let id = Uuid::now_v7();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query("UPDATE customer_scans SET finished_at = $1, error = 'interrupted' WHERE finished_at IS NULL AND started_at < $2")
                .bind(at)
                .bind(at - SCAN_ABANDONED_AFTER)
                .execute(&mut *tx)
                .await
                .classify()?;
            let running: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM customer_scans WHERE finished_at IS NULL)")
                .fetch_one(&mut *tx)
                .await
                .classify()?;
            if running {
                return Err(StoreError::Stale("a duplicate scan is running"));
            }
            sqlx::query("INSERT INTO customer_scans (id, started_at, author) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(at)
                .bind(author)
                .execute(&mut *tx)
                .await
                .classify()?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Writes a scan's progress; `finished` ends it (with an error, if any).
    pub(crate) async fn write_scan(
        &self,
        id: Uuid,
        (total, done, found): (i64, i64, i64),
        finished: Option<Option<&str>>,
    ) -> StoreResult<()> {
        let finished_at = finished.map(|_| now());
        let error = finished.flatten();
        on_db!(self, pool => sqlx::query(
            "UPDATE customer_scans SET total = $1, done = $2, found = $3, finished_at = COALESCE($4, finished_at), error = COALESCE($5, error) WHERE id = $6",
        )
        .bind(total)
        .bind(done)
        .bind(found)
        .bind(finished_at)
        .bind(error)
        .bind(id)
        .execute(pool)
        .await
        .classify()
        .map(|_| ())?);
        Ok(())
    }

    /// The latest scan, if any.
    pub(crate) async fn read_latest_scan(&self) -> StoreResult<Option<Scan>> {
        let row: Option<ScanRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, started_at, finished_at, total, done, found, error, author FROM customer_scans ORDER BY started_at DESC, id DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await
        .classify()?);
        Ok(row.map(scan))
    }

    /// One page of unmerged customers by id (what a scan reads), after `after`.
    pub(crate) async fn read_clients_page(
        &self,
        after: Option<ClientId>,
        limit: i64,
    ) -> StoreResult<Vec<(ClientId, ClientRecord)>> {
        let rows: Vec<(Uuid, Row)> = on_db!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, custom FROM clients \
                 WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after.map(|a| a.as_uuid()).unwrap_or(Uuid::nil()))
            .bind(limit)
            .fetch_all(pool)
            .await
            .classify()?;
            rows.iter()
                .map(|r| {
                    use sqlx::Row as _;
                    Ok((r.try_get("id")?, <Row as sqlx::FromRow<_>>::from_row(r)?))
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        Ok(rows
            .into_iter()
            .map(|(id, row)| (ClientId::from_uuid(id), row.record()))
            .collect())
    }

    /// How many unmerged customers there are.
    pub(crate) async fn count_live_clients(&self) -> StoreResult<i64> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM clients WHERE merged_into IS NULL")
            .fetch_one(pool)
            .await
            .classify()?),
        )
    }
}
