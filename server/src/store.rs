//! Persistence of the hub behind one trait. [`SqlStore`] implements it on sqlx for
//! SQLite (embedded, the default) and PostgreSQL (for scale) from one body of code;
//! the SQL is written once with `$n` placeholders, which both databases accept.
//!
//! Every mutating method takes the acting [`Actor`] and writes its audit-log entry
//! in the same transaction as the change, so the log can never miss a change.

mod models;
mod sql;

pub use models::*;
pub use sql::{SqlStore, redact_url};

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, DeviceId, Role, StoreId, UserId};
use time::OffsetDateTime;

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

/// The hub's persistence: one implementation per database, the same behaviour
/// (proven by the conformance suite in `tests/`).
#[async_trait]
pub trait Store: SyncStore + Send + Sync + 'static {
    /// Which database this is, for logs and `/readyz`.
    fn backend(&self) -> Backend;
    /// Applies pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Cheap round trip, for readiness checks.
    async fn ping(&self) -> StoreResult<()>;

    // --- shops -----------------------------------------------------------------
    /// All shops, by code.
    async fn list_shops(&self) -> StoreResult<Vec<Shop>>;
    /// Creates a shop.
    async fn create_shop(&self, actor: &Actor, shop: &NewShop) -> StoreResult<Shop>;
    /// Changes a shop's details.
    async fn update_shop(&self, actor: &Actor, id: StoreId, shop: &NewShop) -> StoreResult<Shop>;
    /// Opens or closes a shop.
    async fn set_shop_active(&self, actor: &Actor, id: StoreId, active: bool) -> StoreResult<()>;

    // --- users -----------------------------------------------------------------
    /// Creates a staff user.
    async fn create_user(&self, actor: &Actor, user: &NewUser) -> StoreResult<User>;
    /// One user.
    async fn get_user(&self, id: UserId) -> StoreResult<User>;
    /// A user and their password hash, for login (e-mail compared case-insensitively).
    async fn find_login(&self, email: &str) -> StoreResult<Option<(User, String)>>;
    /// Staff users (advisers excluded), by name.
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    /// Changes a user's role and shop.
    async fn set_user_role(
        &self,
        actor: &Actor,
        id: UserId,
        role: Role,
        shop: Option<StoreId>,
    ) -> StoreResult<()>;
    /// Activates or deactivates a user; deactivation ends their sessions.
    async fn set_user_active(&self, actor: &Actor, id: UserId, active: bool) -> StoreResult<()>;
    /// Replaces the password hash, clears the lockout and ends the user's sessions.
    async fn set_password(&self, actor: &Actor, id: UserId, password_hash: &str)
    -> StoreResult<()>;
    /// Stores the user's preferred UI language.
    async fn set_user_lang(&self, id: UserId, lang: fieldcase_shared::Lang) -> StoreResult<()>;
    /// Counts a failed login; locks the account until `lock_until` when `lock` is set.
    async fn record_failed_login(
        &self,
        id: UserId,
        lock_until: Option<OffsetDateTime>,
    ) -> StoreResult<i64>;
    /// Resets the failure counter after a good login.
    async fn record_good_login(&self, id: UserId) -> StoreResult<()>;

    // --- sessions --------------------------------------------------------------
    /// Stores a new session (token hashed by the caller).
    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The live session for a token hash, with its user; expired ones are `None`.
    async fn get_session(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Session>>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Deletes expired sessions; returns how many.
    async fn purge_sessions(&self, now: OffsetDateTime) -> StoreResult<u64>;

    // --- advisers and devices ----------------------------------------------------
    /// Creates an adviser together with their login.
    async fn create_adviser(&self, actor: &Actor, adviser: &NewAdviser) -> StoreResult<Adviser>;
    /// One adviser.
    async fn get_adviser(&self, id: AdviserId) -> StoreResult<Adviser>;
    /// Advisers matching the filter, by name.
    async fn list_advisers(&self, filter: &AdviserFilter) -> StoreResult<Vec<Adviser>>;
    /// Changes region and home shop.
    async fn update_adviser(
        &self,
        actor: &Actor,
        id: AdviserId,
        region: &str,
        home_shop: StoreId,
    ) -> StoreResult<()>;
    /// Activates or deactivates an adviser (and their login).
    async fn set_adviser_active(
        &self,
        actor: &Actor,
        id: AdviserId,
        active: bool,
    ) -> StoreResult<()>;
    /// Stores a one-time enrolment code (hashed by the caller).
    async fn create_enrolment_code(
        &self,
        actor: &Actor,
        code: &NewEnrolmentCode,
    ) -> StoreResult<()>;
    /// An adviser's devices.
    async fn list_devices(&self, adviser: AdviserId) -> StoreResult<Vec<Device>>;

    // --- field data projections, catalog ---------------------------------------
    /// Inserts catalog products; existing ids are left alone.
    async fn insert_products(&self, products: &[Product]) -> StoreResult<u64>;
    /// Inserts clients with their prescriptions; existing ids are left alone.
    async fn insert_clients(
        &self,
        clients: &[ClientRow],
        prescriptions: &[PrescriptionRow],
    ) -> StoreResult<u64>;
    /// Inserts orders with their lines; existing ids are left alone.
    async fn insert_orders(&self, orders: &[OrderRow], lines: &[OrderLineRow]) -> StoreResult<u64>;
    /// The most recent orders with client and adviser names.
    async fn recent_orders(&self, limit: i64) -> StoreResult<Vec<OrderSummary>>;
    /// Orders matching the filter, newest first.
    async fn list_orders(&self, filter: &OrderFilter) -> StoreResult<Vec<OrderSummary>>;
    /// Numbers for the dashboard.
    async fn dashboard(&self, since: OffsetDateTime) -> StoreResult<Dashboard>;

    // --- audit log, hub facts ----------------------------------------------------
    /// Appends an audit entry on its own (most are written by the mutating calls).
    async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> StoreResult<()>;
    /// Audit entries, newest first.
    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;
    /// A fact about this hub (e.g. `demo_seeded_at`).
    async fn get_meta(&self, key: &str) -> StoreResult<Option<String>>;
    /// Sets a fact about this hub.
    async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()>;
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

/// Why an enrolment code was refused; each says what the person should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnrolRefused {
    /// No such code.
    #[error("unknown enrolment code")]
    Unknown,
    /// The code was already used.
    #[error("this enrolment code was already used")]
    Used,
    /// The code is too old (or was replaced by a newer one).
    #[error("this enrolment code has expired")]
    Expired,
    /// The adviser has been deactivated.
    #[error("the adviser is not active")]
    AdviserInactive,
}

/// Persistence of the sync side: samod's key/value chunks, which document is which,
/// and the devices that may sync.
#[async_trait]
pub trait SyncStore: Send + Sync + 'static {
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

    /// Exchanges a one-time code for a device, atomically: the code is marked used
    /// and the device stored in one transaction.
    async fn redeem_enrolment_code(
        &self,
        code_hash: &str,
        device: &NewDevice,
    ) -> StoreResult<Result<Device, EnrolRefused>>;
    /// The live (not revoked, adviser active) device holding this token.
    async fn device_by_token(&self, token_hash: &str) -> StoreResult<Option<Device>>;
    /// Revokes a device; its token stops working.
    async fn revoke_device(&self, actor: &Actor, device: DeviceId) -> StoreResult<()>;
    /// Notes that a device synced now.
    async fn touch_device(&self, device: DeviceId, at: OffsetDateTime) -> StoreResult<()>;

    /// Writes the projection of workspace records (one transaction, idempotent):
    /// clients first, then prescriptions, then orders with their lines.
    /// Upserts a batch of projected records in one transaction; returns the records
    /// it had to leave out (kept in the document) and why.
    async fn project(
        &self,
        adviser: AdviserId,
        batch: &ProjectionBatch,
    ) -> StoreResult<Vec<Skipped>>;
    /// The accepted status of each of `orders` the office has (one query per
    /// batch, for the hub's authority).
    async fn order_statuses(
        &self,
        orders: &[fieldcase_shared::OrderId],
    ) -> StoreResult<std::collections::HashMap<fieldcase_shared::OrderId, String>>;
    /// The adviser's judged payout requests among `ids` (one query per batch).
    async fn judged_payout_requests(
        &self,
        adviser: AdviserId,
        ids: &[uuid::Uuid],
    ) -> StoreResult<
        std::collections::HashMap<
            uuid::Uuid,
            fieldcase_shared::docs::commission::PayoutRequestRecord,
        >,
    >;
    /// The adviser's clients, prescriptions and orders (with lines) as document
    /// records: what a new workspace starts with.
    async fn adviser_records(&self, adviser: AdviserId) -> StoreResult<AdviserRecords>;

    /// Every product as the catalog document shows it (inactive ones too).
    async fn catalog_products(
        &self,
    ) -> StoreResult<Vec<(uuid::Uuid, fieldcase_shared::docs::catalog::ProductRecord)>>;
    /// Every coupon, by code (withdrawn ones too).
    async fn coupons(
        &self,
    ) -> StoreResult<Vec<(String, fieldcase_shared::docs::catalog::CouponRecord)>>;
    /// Creates or changes a coupon (audited); `code` is already normalised.
    async fn put_coupon(
        &self,
        actor: &Actor,
        code: &str,
        coupon: &fieldcase_shared::docs::catalog::CouponRecord,
    ) -> StoreResult<()>;
    /// Records a device's current push token (replacing an older one).
    async fn set_push_token(
        &self,
        device: DeviceId,
        platform: &str,
        token: &str,
    ) -> StoreResult<()>;
    /// A device's push token: (platform, token).
    async fn push_token(&self, device: DeviceId) -> StoreResult<Option<(String, String)>>;
    /// Adds a line to an adviser's commission ledger (audited).
    async fn add_commission_entry(
        &self,
        actor: &Actor,
        adviser: AdviserId,
        id: uuid::Uuid,
        entry: &fieldcase_shared::docs::commission::CommissionEntryRecord,
    ) -> StoreResult<()>;
    /// An adviser's ledger, oldest first.
    async fn commission_entries(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<
        Vec<(
            uuid::Uuid,
            fieldcase_shared::docs::commission::CommissionEntryRecord,
        )>,
    >;
    /// What an adviser may still request: ledger balance less accepted, unpaid requests.
    async fn payout_available(&self, adviser: AdviserId) -> StoreResult<i64>;
    /// A payout request of `adviser` the hub has judged, as projected (another
    /// adviser's request with the same id is not theirs to see).
    async fn payout_request(
        &self,
        adviser: AdviserId,
        id: uuid::Uuid,
    ) -> StoreResult<Option<fieldcase_shared::docs::commission::PayoutRequestRecord>>;
    /// The projected status of an order (the last one the hub accepted).
    async fn order_status(&self, order: fieldcase_shared::OrderId) -> StoreResult<Option<String>>;
    /// A canonical text of an adviser's projected rows (clients, prescriptions,
    /// orders and lines, without bookkeeping times): equal texts, equal projections.
    async fn projection_digest(&self, adviser: AdviserId) -> StoreResult<String>;
    /// The adviser whose workspace holds an order.
    async fn order_adviser(
        &self,
        order: fieldcase_shared::OrderId,
    ) -> StoreResult<Option<AdviserId>>;
    /// Records a status set by the office (projection + audit, one transaction).
    async fn set_order_status(
        &self,
        actor: &Actor,
        order: fieldcase_shared::OrderId,
        from: &str,
        to: &str,
    ) -> StoreResult<()>;
}
