//! The tills in SQL (migration 0033). An entry is written in one transaction
//! that finds the shop's open shift, takes the next number of the shop's series
//! for the year, re-checks what the entry may do against what is there now (an
//! order still owes the payment and is not cancelled; the shop's warehouse has
//! the goods; a refund stays within what its receipt has left) and writes the
//! entry, its lines, the order's paid sum, the stock movements and the audit
//! entry. Shifts close once, with the expected cash summed in the closing
//! transaction. Shops work at once: their series are separate rows. The SQL is
//! in `store/sql.rs`.

mod sql;

use async_trait::async_trait;
use fieldcase_shared::{Money, OrderId, ProductId, StoreId};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Entry, EntryKind, Shift, TillLine};
use crate::store::actor::Actor;
use crate::store::error::StoreResult;

/// An entry to write (its number is given when it is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub shop: StoreId,
    pub kind: EntryKind,
    pub order: Option<OrderId>,
    pub refund_of: Option<Uuid>,
    /// Signed as the drawer sees them (refunds and cash-outs negative).
    pub cash: Money,
    pub card: Money,
    pub note: String,
    pub lines: Vec<TillLine>,
    /// A refund puts its receipt's goods back into the shop's stock.
    pub restock: bool,
}

impl NewEntry {
    pub fn total(&self) -> Money {
        self.cash + self.card
    }
}

/// A product sold over the counter, with what the shop's warehouse has of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goods {
    pub product: ProductId,
    pub sku: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
    /// Gross price of one, and its VAT.
    pub price: Money,
    pub vat_bp: i64,
    /// On hand less reserved in the shop's warehouse (none: the shop has none).
    pub available: Option<i64>,
}

/// Kinds sold over the counter (lenses and coatings are made per prescription).
pub const COUNTER_KINDS: &str = "('frame','contact_lens','accessory','service')";

/// Which shifts to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShiftFilter {
    pub shop: Option<StoreId>,
    /// Opened on or after, before.
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// At most this many, newest first (0: 100).
    pub limit: u32,
}

/// The tills.
#[async_trait]
pub trait TillStore: Send + Sync {
    /// Opens a shift of `shop`'s till with `float` in the drawer (audited);
    /// `Duplicate { field: "shift" }` when one is open.
    async fn open_shift(&self, actor: &Actor, shop: StoreId, float: Money) -> StoreResult<Shift>;
    /// Closes shift `id` with `counted` cash (audited): expected and difference
    /// written; `Stale` when it is closed already.
    async fn close_shift(
        &self,
        actor: &Actor,
        id: Uuid,
        counted: Money,
        note: &str,
    ) -> StoreResult<Shift>;
    /// Writes an entry into `new.shop`'s open shift (audited). `Stale("till
    /// shift")` none is open, `Stale("order")` the order does not owe it or is
    /// cancelled, `Stale("stock")` the shop's warehouse lacks the goods,
    /// `Stale("receipt")` a refund beyond what its receipt has left,
    /// `Stale("cash")` more cash paid out than the drawer holds;
    /// `NotFound("receipt")` no such sale in the shop.
    async fn record_entry(&self, actor: &Actor, new: &NewEntry) -> StoreResult<Entry>;
    /// The shop's open shift.
    async fn open_shift_of(&self, shop: StoreId) -> StoreResult<Option<Shift>>;
    async fn shift(&self, id: Uuid) -> StoreResult<Option<Shift>>;
    /// Shifts, newest first.
    async fn shifts(&self, filter: &ShiftFilter) -> StoreResult<Vec<Shift>>;
    /// A shift's entries with their lines, oldest first.
    async fn shift_entries(&self, shift: Uuid) -> StoreResult<Vec<Entry>>;
    /// One entry with its lines.
    async fn till_entry(&self, id: Uuid) -> StoreResult<Option<Entry>>;
    /// Every shop's entries written from `from` until before `to`, with their
    /// lines, by number (the export to the accounts).
    async fn entries_between(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<Entry>>;
    /// The products of `skus` sold over the counter, with `shop`'s stock.
    async fn goods(&self, shop: StoreId, skus: &[String]) -> StoreResult<Vec<Goods>>;
    /// What `shop`'s warehouse has on hand to sell, by name.
    async fn goods_in_stock(&self, shop: StoreId) -> StoreResult<Vec<Goods>>;
}
