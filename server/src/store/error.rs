//! What can go wrong in the store, in terms callers can act on.

/// What can go wrong in the store, in terms callers can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint rejected the write: the value of form field `field`
    /// (`email`, `code`, `variable_symbol`, …) is already used by another record.
    #[error("{field} is already used")]
    Duplicate {
        /// The form field whose value is taken.
        field: &'static str,
    },
    /// A referenced row does not exist (or the row to change is gone).
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// The row changed since the caller read it (`what`): nothing was written.
    #[error("changed meanwhile: {0}")]
    Stale(&'static str),
    /// A row in the database does not decode into the domain (edited by hand?).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The database could not be reached or failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;
