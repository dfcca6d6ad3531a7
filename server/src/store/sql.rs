//! [`Store`] on sqlx for SQLite and PostgreSQL. The SQL is the same for both
//! (`$n` placeholders work in both); [`on_db!`] runs one body against whichever
//! pool this store holds, so each query is written once and compiled per backend.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use fieldcase_shared::{
    AdviserId, AuditId, DeviceId, Lang, Money, OrderId, OrderStatus, Role, StoreId, UserId,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, QueryBuilder, SqlitePool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::*;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters.
const BATCH: usize = 500;

enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool (each arm type-checks on its own).
macro_rules! on_db {
    ($self:expr, $pool:ident => $body:expr) => {
        match &$self.db {
            Db::Sqlite($pool) => $body,
            Db::Postgres($pool) => $body,
        }
    };
}

/// The hub's store on SQLite or PostgreSQL.
pub struct SqlStore {
    db: Db,
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl SqlStore {
    /// Connects to `url` (`sqlite://path` — created if missing — or `postgres://…`).
    /// Fails within a few seconds when the database is unreachable.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let timeout = Duration::from_secs(5);
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            Self::connect_pg(options).await
        } else {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(timeout)
                .connect_with(options)
                .await?;
            Ok(Self {
                db: Db::Sqlite(pool),
            })
        }
    }

    /// Connects to PostgreSQL with explicit options (tests use a private schema).
    pub async fn connect_pg(options: PgConnectOptions) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        Ok(Self {
            db: Db::Postgres(pool),
        })
    }

    /// Runs one statement without parameters (schema set-up in tests and tools).
    pub async fn execute_raw(&self, sql: &str) -> StoreResult<()> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        on_db!(self, pool => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()).classify())?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Maps a unique violation to [`StoreError::Duplicate`] naming the form field whose
/// value is taken, here where the query runs: PostgreSQL names the constraint
/// (`{table}_{column}_key`, our convention), SQLite says `UNIQUE constraint failed:
/// users.email`; both become (table, column) and then the field.
fn classify(err: sqlx::Error) -> StoreError {
    if let Some(db) = err.as_database_error() {
        if db.is_unique_violation() {
            let (table, column) = match (db.table(), db.constraint()) {
                (Some(table), Some(constraint)) => (
                    table.to_owned(),
                    constraint
                        .strip_prefix(&format!("{table}_"))
                        .unwrap_or(constraint)
                        .trim_end_matches("_key")
                        .to_owned(),
                ),
                _ => {
                    let msg = db.message();
                    let first = msg
                        .rsplit(": ")
                        .next()
                        .and_then(|cols| cols.split(", ").next())
                        .unwrap_or_default();
                    let (table, column) = first.split_once('.').unwrap_or(("", first));
                    (table.to_owned(), column.to_owned())
                }
            };
            return StoreError::Duplicate {
                field: duplicate_field(&table, &column),
            };
        }
        if db.is_foreign_key_violation() {
            return StoreError::NotFound("referenced row");
        }
    }
    StoreError::Db(err)
}

/// The form field behind a unique key of ours.
fn duplicate_field(table: &str, column: &str) -> &'static str {
    match (table, column) {
        ("users", "email") | ("advisers", "user" | "user_id") => "email",
        ("orders", "vs" | "variable_symbol") => "variable_symbol",
        ("products", "sku") => "sku",
        ("devices" | "enrolment_codes", "token" | "token_hash" | "code" | "code_hash") => "token",
        (_, "code") => "code",
        (_, "email") => "email",
        _ => "value",
    }
}

trait Classify<T> {
    fn classify(self) -> StoreResult<T>;
}

impl<T> Classify<T> for Result<T, sqlx::Error> {
    fn classify(self) -> StoreResult<T> {
        self.map_err(classify)
    }
}

fn parse<T: FromStr>(what: &str, text: &str) -> StoreResult<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{what}: {text:?}")))
}

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

const ADVISER_SELECT: &str = "SELECT a.id, a.user_id, a.code, u.name, u.email, a.phone, a.region, \
     a.home_shop_id, s.name AS home_shop_name, a.active, a.created_at, \
     (SELECT COUNT(*) FROM clients c WHERE c.adviser_id = a.id) AS clients \
     FROM advisers a JOIN users u ON u.id = a.user_id JOIN shops s ON s.id = a.home_shop_id";

#[derive(sqlx::FromRow)]
struct AdviserRec {
    id: Uuid,
    user_id: Uuid,
    code: String,
    name: String,
    email: String,
    phone: String,
    region: String,
    home_shop_id: Uuid,
    home_shop_name: String,
    active: bool,
    created_at: OffsetDateTime,
    clients: i64,
}

impl From<AdviserRec> for Adviser {
    fn from(r: AdviserRec) -> Self {
        Adviser {
            id: AdviserId::from_uuid(r.id),
            user: UserId::from_uuid(r.user_id),
            code: r.code,
            name: r.name,
            email: r.email,
            phone: r.phone,
            region: r.region,
            home_shop: StoreId::from_uuid(r.home_shop_id),
            home_shop_name: r.home_shop_name,
            active: r.active,
            created_at: r.created_at,
            clients: r.clients,
        }
    }
}

#[derive(sqlx::FromRow)]
struct DeviceRec {
    id: Uuid,
    adviser_id: Uuid,
    name: String,
    created_at: OffsetDateTime,
    last_seen_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl From<DeviceRec> for Device {
    fn from(r: DeviceRec) -> Self {
        Device {
            id: DeviceId::from_uuid(r.id),
            adviser: AdviserId::from_uuid(r.adviser_id),
            name: r.name,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AuditRec {
    id: Uuid,
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

#[derive(sqlx::FromRow)]
struct OrderSummaryRec {
    id: Uuid,
    variable_symbol: String,
    client_name: String,
    adviser_name: Option<String>,
    status: String,
    total_haler: i64,
    created_at: OffsetDateTime,
    coupon_code: String,
}

/// Inserts an audit entry inside the caller's transaction.
macro_rules! audit_in {
    ($conn:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, actor, action, subject, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(AuditId::new().as_uuid())
        .bind(now())
        .bind($actor.user.map(|u| u.as_uuid()))
        .bind(&$actor.label)
        .bind($action)
        .bind($subject)
        .bind($detail)
        .execute($conn)
        .await
        .map(|_| ())
        .classify()
    };
}

/// Runs an UPDATE and turns "no row matched" into NotFound.
fn one_row(affected: u64, what: &'static str) -> StoreResult<()> {
    if affected == 0 {
        Err(StoreError::NotFound(what))
    } else {
        Ok(())
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    async fn migrate(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => PG_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()).classify())?;
        Ok(())
    }

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
            let mut tx = pool.begin().await?;
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
            let mut tx = pool.begin().await?;
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
            let mut tx = pool.begin().await?;
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
            let mut tx = pool.begin().await?;
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
            let mut tx = pool.begin().await?;
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
            let mut tx = pool.begin().await?;
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
            let mut tx = pool.begin().await?;
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

    async fn create_adviser(&self, actor: &Actor, a: &NewAdviser) -> StoreResult<Adviser> {
        let id = AdviserId::new();
        let user = UserId::new();
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO users (id, email, name, password_hash, role, shop_id, lang, active, failed_logins, created_at) \
                 VALUES ($1, $2, $3, $4, 'adviser', $5, 'cs', TRUE, 0, $6)",
            )
            .bind(user.as_uuid())
            .bind(&a.email)
            .bind(&a.name)
            .bind(&a.password_hash)
            .bind(a.home_shop.as_uuid())
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            sqlx::query(
                "INSERT INTO advisers (id, user_id, code, region, home_shop_id, phone, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)",
            )
            .bind(id.as_uuid())
            .bind(user.as_uuid())
            .bind(&a.code)
            .bind(&a.region)
            .bind(a.home_shop.as_uuid())
            .bind(&a.phone)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "adviser.create", id.to_string(), format!("{} {} <{}>", a.code, a.name, a.email))?;
            tx.commit().await?;
        });
        self.get_adviser(id).await
    }

    async fn get_adviser(&self, id: AdviserId) -> StoreResult<Adviser> {
        let sql = format!("{ADVISER_SELECT} WHERE a.id = $1");
        let row: Option<AdviserRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(Adviser::from)
            .ok_or(StoreError::NotFound("adviser"))
    }

    async fn list_advisers(&self, filter: &AdviserFilter) -> StoreResult<Vec<Adviser>> {
        let sql = format!(
            "{ADVISER_SELECT} WHERE ($1 OR a.active) AND ($2 IS NULL OR a.home_shop_id = $2) \
             AND ($3 = '' OR LOWER(u.name) LIKE $4 OR LOWER(u.email) LIKE $4 OR LOWER(a.code) LIKE $4 OR LOWER(a.region) LIKE $4) \
             ORDER BY u.name, a.code"
        );
        let text = filter.text.trim().to_lowercase();
        let like = format!("%{}%", text.replace(['\\', '%', '_'], ""));
        let rows: Vec<AdviserRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(filter.include_inactive)
            .bind(filter.shop.map(|s| s.as_uuid()))
            .bind(&text)
            .bind(&like)
            .fetch_all(pool)
            .await
            .classify())?;
        Ok(rows.into_iter().map(Adviser::from).collect())
    }

    async fn update_adviser(
        &self,
        actor: &Actor,
        id: AdviserId,
        region: &str,
        home_shop: StoreId,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE advisers SET region = $2, home_shop_id = $3 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(region)
                .bind(home_shop.as_uuid())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "adviser")?;
            audit_in!(&mut *tx, actor, "adviser.update", id.to_string(), format!("region={region} home_shop={home_shop}"))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn set_adviser_active(
        &self,
        actor: &Actor,
        id: AdviserId,
        active: bool,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let user: Option<Uuid> = sqlx::query_scalar("UPDATE advisers SET active = $2 WHERE id = $1 RETURNING user_id")
                .bind(id.as_uuid())
                .bind(active)
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
            let user = user.ok_or(StoreError::NotFound("adviser"))?;
            sqlx::query("UPDATE users SET active = $2 WHERE id = $1").bind(user).bind(active).execute(&mut *tx).await?;
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
                sqlx::query("UPDATE devices SET revoked_at = $2 WHERE adviser_id = $1 AND revoked_at IS NULL")
                    .bind(id.as_uuid())
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
            }
            let action = if active { "adviser.activate" } else { "adviser.deactivate" };
            audit_in!(&mut *tx, actor, action, id.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn create_enrolment_code(
        &self,
        actor: &Actor,
        code: &NewEnrolmentCode,
    ) -> StoreResult<()> {
        let by = actor.user.ok_or(StoreError::NotFound("acting user"))?;
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // A new code replaces any unused one: only the latest code shown is valid.
            sqlx::query("UPDATE enrolment_codes SET expires_at = $2 WHERE adviser_id = $1 AND used_at IS NULL AND expires_at > $2")
                .bind(code.adviser.as_uuid())
                .bind(now())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO enrolment_codes (code_hash, adviser_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&code.code_hash)
            .bind(code.adviser.as_uuid())
            .bind(by.as_uuid())
            .bind(now())
            .bind(code.expires_at)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "device.enrolment_code", code.adviser.to_string(), format!(
                "expires {}",
                code.expires_at
                    .format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
                    .unwrap_or_default()
            ))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn list_devices(&self, adviser: AdviserId) -> StoreResult<Vec<Device>> {
        let rows: Vec<DeviceRec> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, adviser_id, name, created_at, last_seen_at, revoked_at FROM devices WHERE adviser_id = $1 ORDER BY created_at",
        )
        .bind(adviser.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().map(Device::from).collect())
    }

    async fn insert_products(&self, products: &[Product]) -> StoreResult<u64> {
        let mut inserted = 0;
        for chunk in products.chunks(BATCH) {
            on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO products (id, sku, kind, name, brand, colour, size, price_haler, vat_bp, active) ",
                );
                q.push_values(chunk, |mut b, p| {
                    b.push_bind(p.id.as_uuid())
                        .push_bind(p.sku.clone())
                        .push_bind(p.kind.code())
                        .push_bind(p.name.clone())
                        .push_bind(p.brand.clone())
                        .push_bind(p.colour.clone())
                        .push_bind(p.size.clone())
                        .push_bind(p.price.haler())
                        .push_bind(p.vat_bp)
                        .push_bind(true);
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                inserted += q.build().execute(pool).await.classify()?.rows_affected();
            });
        }
        Ok(inserted)
    }

    async fn insert_clients(
        &self,
        clients: &[ClientRow],
        prescriptions: &[PrescriptionRow],
    ) -> StoreResult<u64> {
        let mut inserted = 0;
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in clients.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO clients (id, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, created_at, updated_at) ",
                );
                q.push_values(chunk, |mut b, c| {
                    b.push_bind(c.id.as_uuid())
                        .push_bind(c.adviser.map(|a| a.as_uuid()))
                        .push_bind(c.first_name.clone())
                        .push_bind(c.last_name.clone())
                        .push_bind(c.phone.clone())
                        .push_bind(c.email.clone())
                        .push_bind(c.street.clone())
                        .push_bind(c.city.clone())
                        .push_bind(c.postal_code.clone())
                        .push_bind("")
                        .push_bind(c.created_at)
                        .push_bind(c.created_at);
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                inserted += q.build().execute(&mut *tx).await.classify()?.rows_affected();
            }
            for chunk in prescriptions.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO prescriptions (id, client_id, measured_by, measured_on, valid_until, data) ",
                );
                q.push_values(chunk, |mut b, p| {
                    b.push_bind(p.id.as_uuid())
                        .push_bind(p.client.as_uuid())
                        .push_bind(p.measured_by.clone())
                        .push_bind(p.measured_on)
                        .push_bind(p.valid_until)
                        .push_bind(sqlx::types::Json(p.data.clone()));
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                q.build().execute(&mut *tx).await.classify()?;
            }
            tx.commit().await?;
        });
        Ok(inserted)
    }

    async fn insert_orders(&self, orders: &[OrderRow], lines: &[OrderLineRow]) -> StoreResult<u64> {
        let mut inserted = 0;
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in orders.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO orders (id, variable_symbol, client_id, adviser_id, shop_id, prescription_id, status, total_haler, deposit_haler, note, created_at, updated_at) ",
                );
                q.push_values(chunk, |mut b, o| {
                    b.push_bind(o.id.as_uuid())
                        .push_bind(o.variable_symbol.clone())
                        .push_bind(o.client.as_uuid())
                        .push_bind(o.adviser.map(|a| a.as_uuid()))
                        .push_bind(o.shop.map(|s| s.as_uuid()))
                        .push_bind(o.prescription.map(|p| p.as_uuid()))
                        .push_bind(o.status.code())
                        .push_bind(o.total.haler())
                        .push_bind(o.deposit.haler())
                        .push_bind("")
                        .push_bind(o.created_at)
                        .push_bind(o.updated_at);
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                inserted += q.build().execute(&mut *tx).await.classify()?.rows_affected();
            }
            for chunk in lines.chunks(BATCH) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO order_lines (id, order_id, position, product_id, text, quantity, unit_price_haler, vat_bp, discount_haler) ",
                );
                q.push_values(chunk, |mut b, l| {
                    b.push_bind(l.id.as_uuid())
                        .push_bind(l.order.as_uuid())
                        .push_bind(l.position)
                        .push_bind(l.product.map(|p| p.as_uuid()))
                        .push_bind(l.text.clone())
                        .push_bind(l.quantity)
                        .push_bind(l.unit_price.haler())
                        .push_bind(l.vat_bp)
                        .push_bind(l.discount.haler());
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                q.build().execute(&mut *tx).await.classify()?;
            }
            tx.commit().await?;
        });
        Ok(inserted)
    }

    async fn recent_orders(&self, limit: i64) -> StoreResult<Vec<OrderSummary>> {
        self.list_orders(&OrderFilter {
            limit,
            ..OrderFilter::default()
        })
        .await
    }

    async fn list_orders(&self, filter: &OrderFilter) -> StoreResult<Vec<OrderSummary>> {
        let text = filter
            .text
            .trim()
            .to_lowercase()
            .replace(['%', '_', '\\'], "");
        let like = format!("%{text}%");
        let limit = if filter.limit <= 0 {
            100
        } else {
            filter.limit.min(500)
        };
        let rows: Vec<OrderSummaryRec> = on_db!(self, pool => sqlx::query_as(
            "SELECT o.id, o.variable_symbol, c.last_name || ' ' || c.first_name AS client_name, u.name AS adviser_name, \
             o.status, o.total_haler, o.created_at, o.coupon_code \
             FROM orders o JOIN clients c ON c.id = o.client_id \
             LEFT JOIN advisers a ON a.id = o.adviser_id LEFT JOIN users u ON u.id = a.user_id \
             WHERE ($1 = '' OR o.status = $1) \
             AND ($2 = '' OR o.variable_symbol LIKE $3 OR LOWER(c.last_name || ' ' || c.first_name) LIKE $3) \
             ORDER BY o.created_at DESC LIMIT $4",
        )
        .bind(filter.status.map(|s| s.code()).unwrap_or(""))
        .bind(&text)
        .bind(&like)
        .bind(limit)
        .fetch_all(pool)
        .await
        .classify())?;
        rows.into_iter()
            .map(|r| {
                Ok(OrderSummary {
                    id: OrderId::from_uuid(r.id),
                    variable_symbol: r.variable_symbol,
                    client_name: r.client_name,
                    adviser_name: r.adviser_name.unwrap_or_default(),
                    status: parse::<OrderStatus>("orders.status", &r.status)?,
                    total: Money::from_haler(r.total_haler),
                    created_at: r.created_at,
                    coupon: r.coupon_code,
                })
            })
            .collect()
    }

    async fn dashboard(&self, since: OffsetDateTime) -> StoreResult<Dashboard> {
        let (counts, by_status, recent): (
            (i64, i64, i64, i64),
            Vec<(String, i64)>,
            (i64, Option<i64>),
        ) = on_db!(self, pool => {
            let counts = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM shops WHERE active), (SELECT COUNT(*) FROM advisers WHERE active), \
                 (SELECT COUNT(*) FROM clients), (SELECT COUNT(*) FROM products WHERE active)",
            )
            .fetch_one(pool)
            .await
            .classify()?;
            let by_status = sqlx::query_as("SELECT status, COUNT(*) FROM orders GROUP BY status")
                .fetch_all(pool)
                .await
                .classify()?;
            // CAST keeps SUM an integer on PostgreSQL (it would be NUMERIC).
            let recent = sqlx::query_as(
                "SELECT COUNT(*), CAST(SUM(total_haler) AS BIGINT) FROM orders WHERE created_at >= $1 AND status <> 'cancelled'",
            )
            .bind(since)
            .fetch_one(pool)
            .await
            .classify()?;
            (counts, by_status, recent)
        });
        let mut orders_by_status = by_status
            .into_iter()
            .map(|(s, n)| Ok((parse::<OrderStatus>("orders.status", &s)?, n)))
            .collect::<StoreResult<Vec<_>>>()?;
        orders_by_status.sort_by_key(|(s, _)| OrderStatus::ALL.iter().position(|x| x == s));
        Ok(Dashboard {
            shops: counts.0,
            advisers: counts.1,
            clients: counts.2,
            products: counts.3,
            orders_by_status,
            recent_orders: recent.0,
            recent_turnover: Money::from_haler(recent.1.unwrap_or(0)),
        })
    }

    async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => audit_in!(pool, actor, action, subject, detail))?;
        Ok(())
    }

    async fn list_audit(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let like = |s: &str| {
            format!(
                "%{}%",
                s.trim().to_lowercase().replace(['%', '_', '\\'], "")
            )
        };
        let rows: Vec<AuditRec> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, at, actor_id, actor, action, subject, detail FROM audit_log \
             WHERE LOWER(actor) LIKE $1 AND action LIKE $2 AND (LOWER(subject) LIKE $3 OR LOWER(detail) LIKE $3) \
             AND ($4 IS NULL OR at >= $4) ORDER BY at DESC LIMIT $5",
        )
        .bind(like(&f.actor))
        .bind(format!("{}%", f.action.trim().replace(['%', '_', '\\'], "")))
        .bind(like(&f.text))
        .bind(f.since)
        .bind(if f.limit <= 0 { 200 } else { f.limit.min(1000) })
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: AuditId::from_uuid(r.id),
                at: r.at,
                actor_id: r.actor_id.map(UserId::from_uuid),
                actor: r.actor,
                action: r.action,
                subject: r.subject,
                detail: r.detail,
            })
            .collect())
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

impl SqlStore {
    async fn get_shop(&self, id: StoreId) -> StoreResult<Shop> {
        let row: Option<ShopRec> = on_db!(self, pool => sqlx::query_as("SELECT * FROM shops WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(Shop::from).ok_or(StoreError::NotFound("shop"))
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite://./data/fieldcase.db"),
            "sqlite://./data/fieldcase.db"
        );
    }
}

// The sync side lives in its own file; declared last so it sees the macros above.
mod commission;
mod projection;
mod records;
mod sync;
