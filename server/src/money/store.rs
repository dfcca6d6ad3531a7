//! The bank's part of the store (migration 0031): the company's FIO accounts with
//! their sealed tokens and the poller's state, the movements downloaded from them
//! with the decision on each, and the allocations that give their money to orders
//! (append-only; an order's `order_settled` is their sum, kept in the same
//! transaction). SQL in `store/accounts.rs`, `store/import.rs` and `store/read.rs`.

/// What the office allocated to order `o` (SQL, with the order as `o`).
pub const SETTLED: &str =
    "COALESCE((SELECT os.settled_haler FROM order_settled os WHERE os.order_id = o.id), 0)";

/// Raises order `$order`'s settled sum by `$amount` (a bank allocation, a till
/// payment; negative: a refund), in the caller's transaction.
macro_rules! settled_in {
    ($conn:expr, $order:expr, $amount:expr) => {
        sqlx::query(
            "INSERT INTO order_settled (order_id, settled_haler) VALUES ($1, $2) \
             ON CONFLICT (order_id) DO UPDATE SET settled_haler = order_settled.settled_haler + excluded.settled_haler",
        )
        .bind($order.as_uuid())
        .bind($amount.haler())
        .execute($conn)
        .await
        .classify()
    };
}
pub(crate) use settled_in;

mod accounts;
mod import;
pub mod invoices;
mod read;
mod settle;

pub use settle::Step;

use async_trait::async_trait;
use fieldcase_shared::{Money, OrderId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::integrations::fio::Movement;
use crate::money::matching::{Decision, Reason};
use crate::store::actor::Actor;
use crate::store::error::StoreResult;

/// A bank account the hub downloads movements from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccount {
    pub id: Uuid,
    pub name: String,
    pub iban: String,
    /// Downloaded by the poller.
    pub active: bool,
    pub created_at: OffsetDateTime,
    /// The poller's last run, the next one, its result (`''` never ran, `ok`, or
    /// an error code: `bad_token`, `too_soon`, `too_many`, `too_old`, `status`,
    /// `unreachable`, `format`, `key`, `store`), the error in words, and the
    /// movements that run booked.
    pub last_run_at: Option<OffsetDateTime>,
    pub next_run_at: Option<OffsetDateTime>,
    pub last_result: String,
    pub last_error: String,
    pub last_new: i64,
}

impl BankAccount {
    /// Whether the last run failed (the status page's alert).
    pub fn failing(&self) -> bool {
        !self.last_result.is_empty() && self.last_result != "ok"
    }
}

/// One run of the poller, as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollRun {
    pub at: OffsetDateTime,
    pub next: Option<OffsetDateTime>,
    /// `ok` or the error code.
    pub result: String,
    pub error: String,
    pub new: i64,
}

/// What one import booked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Movements new to the hub (booked now).
    pub new: usize,
    /// Movements the hub had already (not booked again).
    pub seen: usize,
    /// The new ones by decision.
    pub matched: usize,
    pub partial: usize,
    pub over: usize,
    pub receivable: usize,
    pub ignored: usize,
    /// Orders whose paid amount changed.
    pub orders: Vec<OrderId>,
}

/// A booked movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankMovement {
    pub id: Uuid,
    pub account: Uuid,
    /// FIO's movement id (column22).
    pub fio_id: i64,
    pub booked_on: Option<Date>,
    pub amount: Money,
    pub currency: String,
    pub counter_account: String,
    pub counter_name: String,
    pub vs: String,
    pub message: String,
    pub decision: Decision,
    pub reason: Reason,
    /// The order its VS found, and that order's VS.
    pub order: Option<OrderId>,
    pub order_vs: Option<String>,
    /// Still owed (partial) or paid beyond (over).
    pub difference: Money,
    /// Not allocated to any order yet.
    pub open: Money,
    pub imported_at: OffsetDateTime,
}

impl BankMovement {
    /// The decision in words.
    pub fn explain(&self, lang: fieldcase_shared::Lang) -> String {
        self.reason
            .explain(lang, &self.vs, self.difference, &self.currency)
    }
}

/// Which movements to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MovementFilter {
    /// Only these decisions.
    pub decision: Option<Decision>,
    /// Only those with money not yet allocated.
    pub open_only: bool,
    /// Only one account's.
    pub account: Option<Uuid>,
    /// At most this many, newest first (0: 200).
    pub limit: u32,
}

/// Money of a movement given to an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub id: Uuid,
    pub movement: Uuid,
    pub order: OrderId,
    pub amount: Money,
    /// `match` (the import's rule) or `manual`.
    pub kind: String,
    pub note: String,
    pub created_at: OffsetDateTime,
}

/// A write-off or a return of a movement's money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub id: Uuid,
    pub movement: Uuid,
    /// `write_off` or `return`.
    pub kind: String,
    pub amount: Money,
    pub reason: String,
    /// Where a return goes (the payer's account).
    pub counter_account: String,
    /// The order a refund took it from.
    pub order: Option<OrderId>,
    pub actor: String,
    pub created_at: OffsetDateTime,
}

/// An order a payment may be given to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderToPay {
    pub id: OrderId,
    pub variable_symbol: String,
    pub client_name: String,
    pub status: fieldcase_shared::OrderStatus,
    pub payment: fieldcase_shared::order::payment::Payment,
}

/// The bank: accounts, movements, allocations.
#[async_trait]
pub trait BankStore: Send + Sync {
    /// Adds an account whose token `sealed` was sealed for `id` (audited, without
    /// the token); `Duplicate { field: "iban" }` when the IBAN has one.
    async fn add_bank_account(
        &self,
        actor: &Actor,
        id: Uuid,
        name: &str,
        iban: &str,
        sealed: &[u8],
    ) -> StoreResult<()>;
    /// Replaces an account's sealed token (audited).
    async fn set_bank_token(&self, actor: &Actor, id: Uuid, sealed: &[u8]) -> StoreResult<()>;
    /// Switches the poller on or off for an account (audited).
    async fn set_bank_account_active(
        &self,
        actor: &Actor,
        id: Uuid,
        active: bool,
    ) -> StoreResult<()>;
    /// Every account, by name.
    async fn bank_accounts(&self) -> StoreResult<Vec<BankAccount>>;
    /// An account's sealed token.
    async fn bank_token(&self, id: Uuid) -> StoreResult<Option<Vec<u8>>>;
    /// Records a run of the poller.
    async fn record_poll(&self, id: Uuid, run: &PollRun) -> StoreResult<()>;
    /// Books `movements` of `account`: each one new to the hub decided
    /// (`money/matching.rs`) and its money allocated, in one transaction; one the
    /// hub has already (by FIO's id) is left as it is. Imports run one at a time.
    async fn import_movements(
        &self,
        actor: &Actor,
        account: Uuid,
        movements: &[Movement],
    ) -> StoreResult<Imported>;
    /// Booked movements, newest first.
    async fn bank_movements(&self, filter: &MovementFilter) -> StoreResult<Vec<BankMovement>>;
    /// The movements concerning an order (its VS found it, or money was allocated
    /// to it), oldest first, with what each gave it.
    async fn order_payments(&self, order: OrderId) -> StoreResult<Vec<(BankMovement, Money)>>;
    /// Every allocation, oldest first (for checks and exports).
    async fn allocations(&self) -> StoreResult<Vec<Allocation>>;
    /// The orders given money after `at` (the poller publishes them).
    async fn orders_allocated_since(&self, at: OffsetDateTime) -> StoreResult<Vec<OrderId>>;
    /// One booked movement.
    async fn bank_movement(&self, id: Uuid) -> StoreResult<Option<BankMovement>>;
    /// Settles movement `id`'s open money by `steps` (one transaction, audited);
    /// `Stale` when its open amount is no longer `expected_open` or an order no
    /// longer owes what is given to it (nothing written). The orders whose paid
    /// amount changed.
    async fn settle_movement(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_open: Money,
        steps: &[Step],
    ) -> StoreResult<Vec<OrderId>>;
    /// Write-offs and returns, newest first (of one movement, or all).
    async fn settlements(&self, movement: Option<Uuid>) -> StoreResult<Vec<Settlement>>;
    /// The open crowns by age on `today`: 0–14, 15–30, 31–60 and over 60 days
    /// (other currencies are listed, not summed).
    async fn ageing(&self, today: Date) -> StoreResult<[Money; 4]>;
    /// The orders whose variable symbol is `vs` (leading zeros aside), with what
    /// they owe.
    async fn orders_by_vs(&self, vs: &str) -> StoreResult<Vec<OrderToPay>>;
}
