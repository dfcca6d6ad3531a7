//! [`ApiKeyStore`] on [`SqlStore`].

use async_trait::async_trait;
use fieldcase_shared::UserId;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::api::keys::{ApiCaller, ApiKey, ApiKeyStore, Scope};
use crate::store::NetworkStore;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, one_row};

const KEY_COLS: &str = "k.id, k.user_id, u.email, k.name, k.prefix, k.scopes, k.created_at, k.last_used_at, k.revoked_at";

#[derive(sqlx::FromRow)]
struct KeyRec {
    id: Uuid,
    user_id: Uuid,
    email: String,
    name: String,
    prefix: String,
    scopes: String,
    created_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl TryFrom<KeyRec> for ApiKey {
    type Error = StoreError;

    fn try_from(r: KeyRec) -> StoreResult<Self> {
        Ok(ApiKey {
            id: r.id,
            user: UserId::from_uuid(r.user_id),
            user_email: r.email,
            name: r.name,
            prefix: r.prefix,
            scopes: Scope::parse_list(&r.scopes)
                .map_err(|e| StoreError::Corrupt(format!("api_keys.scopes: {e}")))?,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

#[async_trait]
impl ApiKeyStore for SqlStore {
    async fn create_api_key(
        &self,
        actor: &Actor,
        user: UserId,
        name: &str,
        scopes: &[Scope],
        secret: &str,
    ) -> StoreResult<ApiKey> {
        let id = Uuid::now_v7();
        let prefix = crate::api::keys::shown_prefix(secret);
        let scopes = Scope::join(scopes);
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO api_keys (id, user_id, name, prefix, token_hash, scopes, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(user.as_uuid())
            .bind(name)
            .bind(&prefix)
            .bind(crate::auth::token_hash(secret))
            .bind(&scopes)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "apikey.create", id.to_string(), format!("user {user}; {name}; {prefix}…; {scopes}"))?;
            tx.commit().await?;
        });
        self.api_key(id)
            .await?
            .ok_or(StoreError::NotFound("api key"))
    }

    async fn list_api_keys(&self, user: Option<UserId>) -> StoreResult<Vec<ApiKey>> {
        let sql = format!(
            "SELECT {KEY_COLS} FROM api_keys k JOIN users u ON u.id = k.user_id \
             WHERE ($1 IS NULL OR k.user_id = $1) ORDER BY k.created_at DESC, k.id DESC LIMIT 1000"
        );
        let rows: Vec<KeyRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user.map(|u| u.as_uuid()))
            .fetch_all(pool)
            .await
            .classify())?;
        rows.into_iter().map(ApiKey::try_from).collect()
    }

    async fn api_key(&self, key: Uuid) -> StoreResult<Option<ApiKey>> {
        let sql = format!(
            "SELECT {KEY_COLS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1"
        );
        let row: Option<KeyRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(ApiKey::try_from).transpose()
    }

    async fn revoke_api_key(&self, actor: &Actor, key: Uuid) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(key)
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "api key")?;
            audit_in!(&mut *tx, actor, "apikey.revoke", key.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn api_caller(&self, token_hash: &str) -> StoreResult<Option<ApiCaller>> {
        let found: Option<(Uuid, Uuid, String, String)> = on_db!(self, pool => sqlx::query_as(
            "UPDATE api_keys SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL \
             RETURNING id, user_id, prefix, scopes",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(pool)
        .await
        .classify())?;
        let Some((key, user, prefix, scopes)) = found else {
            return Ok(None);
        };
        let user = match self.get_user(UserId::from_uuid(user)).await {
            Ok(user) if user.active => user,
            Ok(_) | Err(StoreError::NotFound(_)) => return Ok(None),
            Err(err) => return Err(err),
        };
        Ok(Some(ApiCaller {
            key,
            prefix,
            scopes: Scope::parse_list(&scopes)
                .map_err(|e| StoreError::Corrupt(format!("api_keys.scopes: {e}")))?,
            user,
        }))
    }
}
