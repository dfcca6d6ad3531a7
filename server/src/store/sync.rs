//! Storage of the sync side: samod's key/value chunks and which document is which
//! (one catalog, one workspace per adviser).

use async_trait::async_trait;
use fieldcase_shared::AdviserId;
use uuid::Uuid;

use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, now, on_db};

/// samod's chunks and the documents' ids.
#[async_trait]
pub trait SyncStore: Send + Sync {
    /// One chunk by its full key.
    async fn chunk_get(&self, key: &str) -> StoreResult<Option<Vec<u8>>>;
    /// Every chunk whose key is `prefix` or starts with `prefix/`.
    async fn chunk_range(&self, prefix: &str) -> StoreResult<Vec<(String, Vec<u8>)>>;
    /// Writes (or replaces) a chunk; returns once it is committed.
    async fn chunk_put(&self, key: &str, data: &[u8]) -> StoreResult<()>;
    /// Deletes a chunk (absent is fine).
    async fn chunk_delete(&self, key: &str) -> StoreResult<()>;

    /// The catalog document's id, once created.
    async fn catalog_doc(&self) -> StoreResult<Option<String>>;
    /// Records the catalog document's id (only once).
    async fn set_catalog_doc(&self, doc_id: &str) -> StoreResult<()>;
    /// An adviser's workspace document id, once created.
    async fn workspace_doc(&self, adviser: AdviserId) -> StoreResult<Option<String>>;
    /// Records an adviser's workspace document id (only once per adviser).
    async fn set_workspace_doc(&self, adviser: AdviserId, doc_id: &str) -> StoreResult<()>;
    /// Every workspace: (adviser, document id).
    async fn workspace_docs(&self) -> StoreResult<Vec<(AdviserId, String)>>;
    /// Makes `new` the adviser's workspace in place of `old` and deletes `old`'s
    /// chunks, in one transaction (a workspace rewritten without its history, GDPR
    /// erasure); false when `old` was not their workspace (nothing changed).
    async fn replace_workspace_doc(
        &self,
        adviser: AdviserId,
        old: &str,
        new: &str,
    ) -> StoreResult<bool>;
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

    async fn replace_workspace_doc(
        &self,
        adviser: AdviserId,
        old: &str,
        new: &str,
    ) -> StoreResult<bool> {
        let (from, to) = range_bounds(old);
        Ok(on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let swapped = sqlx::query("UPDATE documents SET doc_id = $3 WHERE adviser_id = $1 AND doc_id = $2")
                .bind(adviser.as_uuid())
                .bind(old)
                .bind(new)
                .execute(&mut *tx)
                .await
                .classify()?
                .rows_affected()
                == 1;
            if swapped {
                sqlx::query("DELETE FROM sync_chunks WHERE key = $1 OR (key >= $2 AND key < $3)")
                    .bind(old)
                    .bind(&from)
                    .bind(&to)
                    .execute(&mut *tx)
                    .await
                    .classify()?;
            }
            tx.commit().await?;
            swapped
        }))
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
}
