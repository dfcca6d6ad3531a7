//! Persistence of the hub. Each domain owns its part — a trait, the data it takes
//! and returns, and its SQL with the row types — in its own folder:
//! `network/store.rs` (shops, users, sessions), `field/store.rs` (advisers,
//! enrolment codes, devices), `orders/store.rs` (order list, dashboard, statuses), `customers/store.rs`
//! (customer list and card),
//! `catalog/store.rs` (products, coupons), `commission/store.rs` (ledger, payout
//! verdicts). What is no domain's stays here: [`SqlStore`] and its SQL plumbing
//! (`store/sql.rs`), migrations and hub facts (`hub.rs`), the audit log
//! (`audit.rs`), samod's chunks and document ids (`sync.rs`) and the workspaces'
//! projection (`projection.rs`). [`Store`] is all of them at once: callers hold an
//! `Arc<dyn Store>`.
//!
//! [`SqlStore`] implements every part on sqlx for SQLite (embedded, the default)
//! and PostgreSQL (for scale) from one body of code; the SQL is written once with
//! `$n` placeholders, which both databases accept. Every mutating method takes the
//! acting [`Actor`] and writes its audit-log entry in the same transaction as the
//! change, so the log can never miss a change.

pub(crate) mod actor;
pub(crate) mod audit;
pub(crate) mod error;
pub(crate) mod fulltext;
mod hub;
pub(crate) mod projection;
pub(crate) mod sql;
mod sync;

pub use actor::{Actor, Via};
pub use audit::{AuditEntry, AuditFilter, AuditStore};
pub use error::{StoreError, StoreResult};
pub use hub::HubStore;
pub use projection::{
    AdviserRecords, ClientRow, PrescriptionRow, ProjectionBatch, ProjectionStore, SkipReason,
    Skipped,
};
pub use sql::{Backend, SqlStore, redact_url};
pub use sync::SyncStore;

// The domains' parts, named here too so that `store::*` is the whole store.
pub use crate::api::keys::{ApiCaller, ApiKey, ApiKeyStore};
pub use crate::bookings::store::BookingStore;
pub use crate::campaigns::store::CampaignStore;
pub use crate::care::store::CareStore;
pub use crate::catalog::store::{CatalogStore, Product, ProductKind, ProductStore};
pub use crate::commission::store::CommissionStore;
pub use crate::commission::store::accrue::CommissionAccrualStore;
pub use crate::commission::store::payout_batches::PayoutBatchStore;
pub use crate::commission::store::payouts::PayoutStore;
pub use crate::commission::store::recompute::RecomputeStore;
pub use crate::commission::store::rules::CommissionRuleStore;
pub use crate::commission::store::self_billing::SelfBillingStore;
pub use crate::commission::store::statement::StatementStore;
pub use crate::complaints::store::ComplaintStore;
pub use crate::complaints::task_store::ComplaintTaskStore;
pub use crate::customers::store::{
    AssignStore, ContactKind, CustomFieldStore, CustomerCard, CustomerCount, CustomerFilter,
    CustomerSort, CustomerStore, CustomerSummary, ErasureStore, ReminderStore, SegmentStore,
};
pub use crate::field::store::{
    Adviser, AdviserFilter, Device, EnrolRefused, FieldStore, NewAdviser, NewDevice,
    NewEnrolmentCode,
};
pub use crate::lab::store::{BoardCard, LabStore};
pub use crate::money::pohoda::store::PohodaStore;
pub use crate::money::store::BankStore;
pub use crate::money::store::invoices::InvoiceStore;
pub use crate::money::till::store::TillStore;
pub use crate::network::store::{NetworkStore, NewSession, NewShop, NewUser, Session, Shop, User};
pub use crate::orders::store::{
    CardClient, Dashboard, Delivery, OrderCard, OrderFilter, OrderLineRow, OrderNote, OrderRow,
    OrderStore, OrderSummary,
};
pub use crate::stock::store::StockStore;

/// The hub's persistence, every part of it: one implementation per database, the
/// same behaviour (proven by the conformance suite in `tests/`).
pub trait Store:
    HubStore
    + AuditStore
    + SyncStore
    + ProjectionStore
    + NetworkStore
    + FieldStore
    + OrderStore
    + CustomerStore
    + SegmentStore
    + ReminderStore
    + AssignStore
    + ErasureStore
    + CustomFieldStore
    + CatalogStore
    + CommissionStore
    + LabStore
    + ApiKeyStore
    + ProductStore
    + StockStore
    + BankStore
    + InvoiceStore
    + TillStore
    + PohodaStore
    + CommissionRuleStore
    + CommissionAccrualStore
    + PayoutStore
    + PayoutBatchStore
    + RecomputeStore
    + StatementStore
    + SelfBillingStore
    + CareStore
    + ComplaintStore
    + ComplaintTaskStore
    + BookingStore
    + CampaignStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: HubStore
        + AuditStore
        + SyncStore
        + ProjectionStore
        + NetworkStore
        + FieldStore
        + OrderStore
        + CustomerStore
        + SegmentStore
        + ReminderStore
        + AssignStore
        + ErasureStore
        + CustomFieldStore
        + CatalogStore
        + CommissionStore
        + LabStore
        + ApiKeyStore
        + ProductStore
        + StockStore
        + BankStore
        + InvoiceStore
        + TillStore
        + PohodaStore
        + CommissionRuleStore
        + CommissionAccrualStore
        + PayoutStore
        + PayoutBatchStore
        + RecomputeStore
        + StatementStore
        + SelfBillingStore
        + CareStore
        + ComplaintStore
        + ComplaintTaskStore
        + BookingStore
        + CampaignStore
        + Send
        + Sync
        + 'static
{
}
