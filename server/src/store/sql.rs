//! [`SqlStore`]: the hub's store on sqlx for SQLite and PostgreSQL, and the plumbing
//! every domain's SQL shares. The SQL is the same for both databases (`$n`
//! placeholders work in both); [`on_db!`] runs one body against whichever pool this
//! store holds, so each query is written once and compiled per backend. The queries
//! themselves live beside their domain (`network/store/sql.rs`, …) and here in
//! `store/` for what is no domain's (audit, hub facts, sync chunks, projection).

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use time::OffsetDateTime;

use crate::store::error::{StoreError, StoreResult};

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters.
pub(crate) const BATCH: usize = 500;

/// Ids per lookup query: the projector's lookups stay one query per batch up to
/// this many touched records.
pub(crate) const LOOKUP_CHUNK: usize = 500;

/// The pool a store holds.
pub(crate) enum Db {
    /// Embedded SQLite.
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool (each arm type-checks on its own).
macro_rules! on_db {
    ($self:expr, $pool:ident => $body:expr) => {
        match $self.db() {
            $crate::store::sql::Db::Sqlite($pool) => $body,
            $crate::store::sql::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

/// A transaction begun, or why not.
type Begun<DB> = Result<sqlx::Transaction<'static, DB>, sqlx::Error>;

/// A pool a writing transaction begins on.
pub(crate) trait WritePool {
    /// Its database.
    type Db: sqlx::Database;
    /// A transaction that will write (see [`write_tx`]).
    fn begin_write(&self) -> impl std::future::Future<Output = Begun<Self::Db>> + Send;
}

impl WritePool for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(&self) -> impl std::future::Future<Output = Begun<Self::Db>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl WritePool for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(&self) -> impl std::future::Future<Output = Begun<Self::Db>> + Send {
        self.begin()
    }
}

/// Begins a transaction that writes. On SQLite it is `BEGIN IMMEDIATE`: the write
/// lock is taken at once (waiting out the busy timeout), so a transaction that reads
/// before it writes is never refused with `SQLITE_BUSY_SNAPSHOT` because another
/// connection wrote in between. On PostgreSQL a plain `BEGIN`.
pub(crate) async fn write_tx<P: WritePool>(
    pool: &P,
) -> Result<sqlx::Transaction<'static, P::Db>, sqlx::Error> {
    pool.begin_write().await
}

/// The hub's store on SQLite or PostgreSQL.
pub struct SqlStore {
    db: Db,
}

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
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
                // Deleted and overwritten content is zeroed in the file, so an
                // erased customer's data does not linger in free pages (GDPR).
                .pragma("secure_delete", "on")
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

    /// The pool, for [`on_db!`].
    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Which database this is.
    pub(crate) fn backend_kind(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }
}

/// The time a row is written at.
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A stored time as the documents write it.
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Maps a unique violation to [`StoreError::Duplicate`] naming the form field whose
/// value is taken, here where the query runs: PostgreSQL names the constraint
/// (`{table}_{column}_key`, our convention), SQLite says `UNIQUE constraint failed:
/// users.email`; both become (table, column) and then the field.
pub(crate) fn classify(err: sqlx::Error) -> StoreError {
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
        ("custom_fields", "key" | "entity") => "key",
        ("bank_accounts", "iban") => "iban",
        ("devices" | "enrolment_codes", "token" | "token_hash" | "code" | "code_hash") => "token",
        (_, "code") => "code",
        (_, "email") => "email",
        (_, "name") => "name",
        _ => "value",
    }
}

/// `.classify()` on a query's result: [`classify`] its error.
pub(crate) trait Classify<T> {
    /// The result with a database error classified.
    fn classify(self) -> StoreResult<T>;
}

impl<T> Classify<T> for Result<T, sqlx::Error> {
    fn classify(self) -> StoreResult<T> {
        self.map_err(classify)
    }
}

/// A stored text read back as a domain value; unreadable is a corrupt row.
pub(crate) fn parse<T: FromStr>(what: &str, text: &str) -> StoreResult<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{what}: {text:?}")))
}

/// Turns "no row matched" of an UPDATE into NotFound.
pub(crate) fn one_row(affected: u64, what: &'static str) -> StoreResult<()> {
    if affected == 0 {
        Err(StoreError::NotFound(what))
    } else {
        Ok(())
    }
}

/// Appends `(id, id, …)`.
pub(crate) fn push_ids<DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<DB>, ids: &[uuid::Uuid])
where
    for<'a> uuid::Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push("(");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
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
