//! What was sent to Pohoda and what it answered (migration 0034): a row per
//! document by its number (the item's id in the dataPack) with its day and its
//! state, and the log of export runs.

use async_trait::async_trait;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

/// A document put into a dataPack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub number: String,
    /// `invoice`, `deposit`, `credit_note`, `sale`, `refund`, `cash_in`, `cash_out`.
    pub kind: String,
    pub doc: Uuid,
}

/// What Pohoda said of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub number: String,
    /// `ok`, `warning` or `error`.
    pub state: String,
    pub message: String,
}

/// A document's state in the accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentState {
    pub number: String,
    pub kind: String,
    pub day: Date,
    /// `exported` (no answer yet), `ok`, `warning`, `error`.
    pub state: String,
    pub message: String,
    pub exported_at: OffsetDateTime,
    pub answered_at: Option<OffsetDateTime>,
}

/// One export run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRun {
    pub day: Date,
    pub pack_id: String,
    pub documents: i64,
    pub bytes: i64,
    pub actor: String,
    pub at: OffsetDateTime,
}

/// What an answer changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marked {
    /// Documents whose state it set.
    pub marked: usize,
    /// Documents already ok in the accounts (left so).
    pub kept: usize,
    /// Numbers the hub never sent.
    pub unknown: Vec<String>,
}

/// Pohoda's bookkeeping.
#[async_trait]
pub trait PohodaStore: Send + Sync {
    /// Records an export of `day`'s `sent` documents (audited): each one is
    /// `exported` again unless Pohoda has it ok already.
    async fn record_export(
        &self,
        actor: &Actor,
        day: Date,
        pack_id: &str,
        bytes: i64,
        sent: &[Sent],
    ) -> StoreResult<()>;
    /// Records Pohoda's `answers` (audited).
    async fn record_answers(&self, actor: &Actor, answers: &[Answer]) -> StoreResult<Marked>;
    /// The documents of `day` as the accounts have them, by number.
    async fn pohoda_documents(&self, day: Date) -> StoreResult<Vec<DocumentState>>;
    /// Export runs, newest first.
    async fn pohoda_exports(&self, limit: u32) -> StoreResult<Vec<ExportRun>>;
}

/// Rows per statement (well under SQLite's bound parameters).
const CHUNK: usize = 1000;

#[async_trait]
impl PohodaStore for SqlStore {
    async fn record_export(
        &self,
        actor: &Actor,
        day: Date,
        pack_id: &str,
        bytes: i64,
        sent: &[Sent],
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            for chunk in sent.chunks(CHUNK) {
                let mut q = QueryBuilder::new("INSERT INTO pohoda_documents (number, kind, doc_id, day, state, message, exported_at) ");
                q.push_values(chunk, |mut b, s| {
                    b.push_bind(s.number.clone())
                        .push_bind(s.kind.clone())
                        .push_bind(s.doc)
                        .push_bind(day)
                        .push_bind("exported")
                        .push_bind("")
                        .push_bind(at);
                });
                q.push(
                    " ON CONFLICT (number) DO UPDATE SET exported_at = excluded.exported_at, \
                     state = CASE WHEN pohoda_documents.state = 'ok' THEN 'ok' ELSE 'exported' END, \
                     message = CASE WHEN pohoda_documents.state = 'ok' THEN pohoda_documents.message ELSE '' END",
                );
                q.build().execute(&mut *tx).await.classify()?;
            }
            sqlx::query("INSERT INTO pohoda_exports (id, day, pack_id, documents, bytes, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(Uuid::now_v7())
                .bind(day)
                .bind(pack_id)
                .bind(i64::try_from(sent.len()).unwrap_or(i64::MAX))
                .bind(bytes)
                .bind(&actor.label)
                .bind(at)
                .execute(&mut *tx)
                .await
                .classify()?;
            audit_in!(&mut *tx, actor, "pohoda.export", day.to_string(), format!("{} documents, pack {pack_id}", sent.len()))?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn record_answers(&self, actor: &Actor, answers: &[Answer]) -> StoreResult<Marked> {
        let at = now();
        let mut marked = Marked::default();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            for a in answers {
                let done = sqlx::query(
                    "UPDATE pohoda_documents SET state = $2, message = $3, answered_at = $4 WHERE number = $1 AND state <> 'ok'",
                )
                .bind(&a.number)
                .bind(&a.state)
                .bind(&a.message)
                .bind(at)
                .execute(&mut *tx)
                .await
                .classify()?;
                if done.rows_affected() > 0 {
                    marked.marked += 1;
                    continue;
                }
                let known: Option<(String,)> = sqlx::query_as("SELECT state FROM pohoda_documents WHERE number = $1")
                    .bind(&a.number)
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?;
                match known {
                    Some(_) => marked.kept += 1,
                    None => marked.unknown.push(a.number.clone()),
                }
            }
            audit_in!(&mut *tx, actor, "pohoda.answer", String::new(),
                format!("{} marked, {} already ok, {} unknown", marked.marked, marked.kept, marked.unknown.len()))?;
            tx.commit().await.classify()?;
        });
        Ok(marked)
    }

    async fn pohoda_documents(&self, day: Date) -> StoreResult<Vec<DocumentState>> {
        type Row = (
            String,
            String,
            Date,
            String,
            String,
            OffsetDateTime,
            Option<OffsetDateTime>,
        );
        let rows: Vec<Row> = on_db!(self, pool => {
            sqlx::query_as("SELECT number, kind, day, state, message, exported_at, answered_at FROM pohoda_documents WHERE day = $1 ORDER BY number")
                .bind(day)
                .fetch_all(pool)
                .await
                .classify()?
        });
        Ok(rows
            .into_iter()
            .map(|r| DocumentState {
                number: r.0,
                kind: r.1,
                day: r.2,
                state: r.3,
                message: r.4,
                exported_at: r.5,
                answered_at: r.6,
            })
            .collect())
    }

    async fn pohoda_exports(&self, limit: u32) -> StoreResult<Vec<ExportRun>> {
        type Row = (Date, String, i64, i64, String, OffsetDateTime);
        let rows: Vec<Row> = on_db!(self, pool => {
            sqlx::query_as("SELECT day, pack_id, documents, bytes, actor, at FROM pohoda_exports ORDER BY at DESC LIMIT $1")
                .bind(i64::from(limit.clamp(1, 1000)))
                .fetch_all(pool)
                .await
                .classify()?
        });
        Ok(rows
            .into_iter()
            .map(|r| ExportRun {
                day: r.0,
                pack_id: r.1,
                documents: r.2,
                bytes: r.3,
                actor: r.4,
                at: r.5,
            })
            .collect())
    }
}
