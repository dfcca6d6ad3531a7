//! The hub's own facts: which database, its migrations, a readiness ping and the
//! `hub_meta` key/value table.

use async_trait::async_trait;

use crate::store::error::StoreResult;
use crate::store::sql::{Backend, Classify, Db, SqlStore, on_db};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The database itself and facts about this hub.
#[async_trait]
pub trait HubStore: Send + Sync {
    /// Which database this is, for logs and `/readyz`.
    fn backend(&self) -> Backend;
    /// Applies pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Cheap round trip, for readiness checks.
    async fn ping(&self) -> StoreResult<()>;
    /// A fact about this hub (e.g. `demo_seeded_at`).
    async fn get_meta(&self, key: &str) -> StoreResult<Option<String>>;
    /// Sets a fact about this hub.
    async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()>;
}

#[async_trait]
impl HubStore for SqlStore {
    fn backend(&self) -> Backend {
        self.backend_kind()
    }

    async fn migrate(&self) -> StoreResult<()> {
        match self.db() {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => PG_MIGRATIONS.run(pool).await?,
        }
        // Orders from before the search index (or a bulk insert cut short).
        let indexed = self.index_unindexed_orders().await?;
        if indexed > 0 {
            tracing::info!(orders = indexed, "orders added to the search index");
        }
        let indexed = self.index_unindexed_customers().await?;
        if indexed > 0 {
            tracing::info!(customers = indexed, "customers added to the search index");
        }
        let stated = self.stat_unstated_customers().await?;
        if stated > 0 {
            tracing::info!(customers = stated, "customers given their segment facts");
        }
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()).classify())?;
        Ok(())
    }

    async fn get_meta(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT value FROM hub_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }

    async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query(
            "INSERT INTO hub_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(pool)
        .await
        .map(|_| ())
        .classify())?;
        Ok(())
    }
}
