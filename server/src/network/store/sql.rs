//! [`NetworkStore`] on [`SqlStore`]: shops, users and sessions, with their rows.

use async_trait::async_trait;
use fieldcase_shared::{Lang, Role, StoreId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::network::store::{NetworkStore, NewSession, NewShop, NewUser, Session, Shop, User};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, one_row, parse};

#[derive(sqlx::FromRow)]
struct ShopRec {
    id: Uuid,
    code: String,
    name: String,
    street: String,
    city: String,
    postal_code: String,
    phone: String,
    email: String,
    active: bool,
    created_at: OffsetDateTime,
}

impl From<ShopRec> for Shop {
    fn from(r: ShopRec) -> Self {
        Shop {
            id: StoreId::from_uuid(r.id),
            code: r.code,
            name: r.name,
            street: r.street,
            city: r.city,
            postal_code: r.postal_code,
            phone: r.phone,
            email: r.email,
            active: r.active,
            created_at: r.created_at,
        }
    }
}

const USER_COLS: &str = "u.id, u.email, u.name, u.role, u.shop_id, u.lang, u.active, u.failed_logins, u.locked_until, u.created_at";

#[derive(sqlx::FromRow)]
struct UserRec {
    id: Uuid,
    email: String,
    name: String,
    role: String,
    shop_id: Option<Uuid>,
    lang: String,
    active: bool,
    failed_logins: i64,
    locked_until: Option<OffsetDateTime>,
    created_at: OffsetDateTime,
}

impl TryFrom<UserRec> for User {
    type Error = StoreError;
    fn try_from(r: UserRec) -> StoreResult<Self> {
        Ok(User {
            id: UserId::from_uuid(r.id),
            email: r.email,
            name: r.name,
            role: parse::<Role>("users.role", &r.role)?,
            shop: r.shop_id.map(StoreId::from_uuid),
            lang: Lang::from_code(&r.lang).unwrap_or_default(),
            active: r.active,
            failed_logins: r.failed_logins,
            locked_until: r.locked_until,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct LoginRec {
    #[sqlx(flatten)]
    user: UserRec,
    password_hash: String,
}

#[derive(sqlx::FromRow)]
struct SessionRec {
    #[sqlx(flatten)]
    user: UserRec,
    csrf_token: String,
    expires_at: OffsetDateTime,
}

#[async_trait]
impl NetworkStore for SqlStore {
    async fn list_shops(&self) -> StoreResult<Vec<Shop>> {
        let rows: Vec<ShopRec> = on_db!(self, pool => sqlx::query_as("SELECT * FROM shops ORDER BY code")
            .fetch_all(pool)
            .await
            .classify())?;
        Ok(rows.into_iter().map(Shop::from).collect())
    }

    async fn create_shop(&self, actor: &Actor, shop: &NewShop) -> StoreResult<Shop> {
        let id = StoreId::new();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO shops (id, code, name, street, city, postal_code, phone, email, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9)",
            )
            .bind(id.as_uuid())
            .bind(&shop.code)
            .bind(&shop.name)
            .bind(&shop.street)
            .bind(&shop.city)
            .bind(&shop.postal_code)
            .bind(&shop.phone)
            .bind(&shop.email)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "shop.create", id.to_string(), format!("{} {}", shop.code, shop.name))?;
            tx.commit().await?;
        });
        self.get_shop(id).await
    }

    async fn update_shop(&self, actor: &Actor, id: StoreId, shop: &NewShop) -> StoreResult<Shop> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query(
                "UPDATE shops SET code = $2, name = $3, street = $4, city = $5, postal_code = $6, phone = $7, email = $8 WHERE id = $1",
            )
            .bind(id.as_uuid())
            .bind(&shop.code)
            .bind(&shop.name)
            .bind(&shop.street)
            .bind(&shop.city)
            .bind(&shop.postal_code)
            .bind(&shop.phone)
            .bind(&shop.email)
            .execute(&mut *tx)
            .await
            .classify()?;
            one_row(done.rows_affected(), "shop")?;
            audit_in!(&mut *tx, actor, "shop.update", id.to_string(), format!("{} {}", shop.code, shop.name))?;
            tx.commit().await?;
        });
        self.get_shop(id).await
    }

    async fn set_shop_active(&self, actor: &Actor, id: StoreId, active: bool) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE shops SET active = $2 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(active)
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "shop")?;
            let action = if active { "shop.activate" } else { "shop.deactivate" };
            audit_in!(&mut *tx, actor, action, id.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn create_user(&self, actor: &Actor, user: &NewUser) -> StoreResult<User> {
        let id = UserId::new();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO users (id, email, name, password_hash, role, shop_id, lang, active, failed_logins, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, 0, $8)",
            )
            .bind(id.as_uuid())
            .bind(&user.email)
            .bind(&user.name)
            .bind(&user.password_hash)
            .bind(user.role.code())
            .bind(user.shop.map(|s| s.as_uuid()))
            .bind(user.lang.code())
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "user.create", id.to_string(), format!("{} ({})", user.email, user.role.code()))?;
            tx.commit().await?;
        });
        self.get_user(id).await
    }

    async fn get_user(&self, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1");
        let row: Option<UserRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        row.ok_or(StoreError::NotFound("user"))?.try_into()
    }

    async fn find_login(&self, email: &str) -> StoreResult<Option<(User, String)>> {
        let sql = format!("SELECT {USER_COLS}, u.password_hash FROM users u WHERE u.email = $1");
        let row: Option<LoginRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(email.trim().to_lowercase())
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(|r| Ok((r.user.try_into()?, r.password_hash)))
            .transpose()
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        let sql =
            format!("SELECT {USER_COLS} FROM users u WHERE u.role <> 'adviser' ORDER BY u.name");
        let rows: Vec<UserRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await
            .classify())?;
        rows.into_iter().map(User::try_from).collect()
    }

    async fn set_user_role(
        &self,
        actor: &Actor,
        id: UserId,
        role: Role,
        shop: Option<StoreId>,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE users SET role = $2, shop_id = $3 WHERE id = $1 AND role <> 'adviser'")
                .bind(id.as_uuid())
                .bind(role.code())
                .bind(shop.map(|s| s.as_uuid()))
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "staff user")?;
            audit_in!(&mut *tx, actor, "user.role", id.to_string(), role.code())?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn set_user_active(&self, actor: &Actor, id: UserId, active: bool) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE users SET active = $2 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(active)
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "user")?;
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.as_uuid()).execute(&mut *tx).await?;
            }
            let action = if active { "user.activate" } else { "user.deactivate" };
            audit_in!(&mut *tx, actor, action, id.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn set_password(
        &self,
        actor: &Actor,
        id: UserId,
        password_hash: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(id.as_uuid())
                .bind(password_hash)
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "user")?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.as_uuid()).execute(&mut *tx).await?;
            audit_in!(&mut *tx, actor, "user.password_reset", id.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn set_user_lang(&self, id: UserId, lang: Lang) -> StoreResult<()> {
        let done = on_db!(self, pool => sqlx::query("UPDATE users SET lang = $2 WHERE id = $1")
            .bind(id.as_uuid())
            .bind(lang.code())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
            .classify())?;
        one_row(done, "user")
    }

    async fn record_failed_login(
        &self,
        id: UserId,
        lock_until: Option<OffsetDateTime>,
    ) -> StoreResult<i64> {
        let count: i64 = on_db!(self, pool => sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE($2, locked_until) \
             WHERE id = $1 RETURNING failed_logins",
        )
        .bind(id.as_uuid())
        .bind(lock_until)
        .fetch_one(pool)
        .await
        .classify())?;
        Ok(count)
    }

    async fn record_good_login(&self, id: UserId) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(id.as_uuid())
            .execute(pool)
            .await
            .map(|_| ())
            .classify())?;
        Ok(())
    }

    async fn create_session(&self, s: &NewSession) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&s.token_hash)
        .bind(s.user.as_uuid())
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(pool)
        .await
        .map(|_| ())
        .classify())?;
        Ok(())
    }

    async fn get_session(
        &self,
        token_hash: &str,
        at: OffsetDateTime,
    ) -> StoreResult<Option<Session>> {
        let sql = format!(
            "SELECT {USER_COLS}, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active"
        );
        let row: Option<SessionRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(at)
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(|r| {
            Ok(Session {
                user: r.user.try_into()?,
                csrf_token: r.csrf_token,
                expires_at: r.expires_at,
            })
        })
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ())
            .classify())?;
        Ok(())
    }

    async fn purge_sessions(&self, at: OffsetDateTime) -> StoreResult<u64> {
        let done = on_db!(self, pool => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
            .classify())?;
        Ok(done)
    }
}

impl SqlStore {
    /// One shop.
    async fn get_shop(&self, id: StoreId) -> StoreResult<Shop> {
        let row: Option<ShopRec> = on_db!(self, pool => sqlx::query_as("SELECT * FROM shops WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(Shop::from).ok_or(StoreError::NotFound("shop"))
    }
}
