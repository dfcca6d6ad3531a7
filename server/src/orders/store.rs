//! The orders' store part: the office's order list and dashboard, the accepted
//! status of an order (the hub's authority reads it, the office changes it) and
//! bulk inserts for seeding. Orders themselves arrive through the projection
//! (`store/projection.rs`). Their SQL, with its row types, is in
//! `orders/store/sql.rs`.

pub mod card;
mod delivery;
pub mod history;
mod list;
pub mod search;
mod sql;

pub use card::{CardClient, OrderCard, OrderNote};
pub use delivery::Delivery;

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::order::notes::NoteKind;
use fieldcase_shared::{
    AdviserId, ClientId, Money, OrderId, OrderLineId, OrderStatus, PrescriptionId, ProductId, Role,
    StoreId,
};
use time::OffsetDateTime;

use crate::store::actor::Actor;
use crate::store::error::StoreResult;

/// An order row of the projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    /// Id.
    pub id: OrderId,
    /// Variable symbol for payments.
    pub variable_symbol: String,
    /// Client.
    pub client: ClientId,
    /// Adviser who took it.
    pub adviser: Option<AdviserId>,
    /// Shop that fulfils it.
    pub shop: Option<StoreId>,
    /// Prescription it was made from.
    pub prescription: Option<PrescriptionId>,
    /// Status.
    pub status: OrderStatus,
    /// Gross total.
    pub total: Money,
    /// Deposit paid.
    pub deposit: Money,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// An order line row of the projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLineRow {
    /// Id.
    pub id: OrderLineId,
    /// Order.
    pub order: OrderId,
    /// Position in the order.
    pub position: i64,
    /// Product.
    pub product: Option<ProductId>,
    /// Text.
    pub text: String,
    /// Quantity.
    pub quantity: i64,
    /// Gross unit price.
    pub unit_price: Money,
    /// VAT, basis points.
    pub vat_bp: i64,
    /// Discount on the line.
    pub discount: Money,
}

/// An order as listed in the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSummary {
    /// Id.
    pub id: OrderId,
    /// Variable symbol.
    pub variable_symbol: String,
    /// Client's name.
    pub client_name: String,
    /// Adviser's name.
    pub adviser_name: String,
    /// Status.
    pub status: OrderStatus,
    /// Gross total.
    pub total: Money,
    /// Deposit paid.
    pub deposit: Money,
    /// Allocated by the office from bank payments.
    pub settled: Money,
    /// Created.
    pub created_at: OffsetDateTime,
    /// The coupon the order used (empty: none).
    pub coupon: String,
}

impl OrderSummary {
    /// Where the next page starts after this row.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            id: self.id,
            created_at: self.created_at,
            total: self.total,
            variable_symbol: self.variable_symbol.clone(),
        }
    }

    /// The deposit and the bank's payments against the total.
    pub fn payment(&self) -> fieldcase_shared::order::payment::Payment {
        fieldcase_shared::order::payment::Payment {
            total: self.total,
            deposit: self.deposit,
            settled: self.settled,
        }
    }

    /// Whether the deposit and the payments cover the total.
    pub fn paid(&self) -> bool {
        self.payment().left().is_zero()
    }
}

/// How an order came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Taken by an adviser at the client's home.
    Adviser,
    /// Taken at a store.
    Store,
    /// Bought in the e-shop.
    Eshop,
}

impl Channel {
    /// Every channel, in the order the office lists them.
    pub const ALL: [Channel; 3] = [Channel::Adviser, Channel::Store, Channel::Eshop];

    /// Stored code (`orders.channel`).
    pub fn code(self) -> &'static str {
        match self {
            Channel::Adviser => "adviser",
            Channel::Store => "store",
            Channel::Eshop => "eshop",
        }
    }

    /// Name for people.
    pub fn label(self, lang: fieldcase_shared::Lang) -> &'static str {
        match self {
            Channel::Adviser => lang.pick("Poradce", "Adviser"),
            Channel::Store => lang.pick("Prodejna", "Store"),
            Channel::Eshop => lang.pick("E-shop", "E-shop"),
        }
    }

    /// The channel of a code.
    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Paid or not: the deposit covers the total, or it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paid {
    /// Nothing left to pay.
    Paid,
    /// Something left to pay (cancelled orders owe nothing).
    Unpaid,
}

/// The order the list is sorted in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OrderSort {
    /// Newest first (the default).
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// Largest total first.
    TotalDesc,
    /// Smallest total first.
    TotalAsc,
    /// By order number, ascending.
    NumberAsc,
    /// By order number, descending.
    NumberDesc,
}

/// Where a page of the list starts: after this row (keyset pagination).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The row's id (ties on the sort key are broken by it).
    pub id: OrderId,
    /// Its creation time (sorting by time).
    pub created_at: OffsetDateTime,
    /// Its total (sorting by total).
    pub total: Money,
    /// Its number (sorting by number).
    pub variable_symbol: String,
}

/// How to narrow the order list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Only this status.
    pub status: Option<OrderStatus>,
    /// What someone typed: full-text search (orders/store/search.rs).
    pub text: String,
    /// Whether the search also looks into private notes (only for the roles that may
    /// read them: `fieldcase_shared::order::notes::may_read_private`).
    pub private: bool,
    /// Only this store's orders.
    pub shop: Option<StoreId>,
    /// Only this adviser's orders.
    pub adviser: Option<AdviserId>,
    /// Only orders that came in this way.
    pub channel: Option<Channel>,
    /// Only orders created at or after.
    pub from: Option<OffsetDateTime>,
    /// Only orders created before.
    pub until: Option<OffsetDateTime>,
    /// Only paid, or only unpaid, orders.
    pub paid: Option<Paid>,
    /// The sort.
    pub sort: OrderSort,
    /// The page starts after this row.
    pub after: Option<Cursor>,
    /// At most this many (1..=500; default 100).
    pub limit: i64,
}

/// The status tabs' numbers: orders per status under a filter (its status aside).
/// A text search counts at most [`SEARCH_COUNT_CAP`] matching orders (counting all of
/// a search that a million orders match costs seconds): `more` says there were more,
/// and each number is then a floor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusCounts {
    /// Orders per status, in the statuses' order.
    pub by_status: Vec<(OrderStatus, i64)>,
    /// More orders matched than were counted.
    pub more: bool,
}

impl StatusCounts {
    /// All counted orders.
    pub fn total(&self) -> i64 {
        self.by_status.iter().map(|(_, n)| n).sum()
    }
}

/// How many matches of a text search the tabs count at most.
pub const SEARCH_COUNT_CAP: i64 = 1_000;

/// Numbers for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dashboard {
    /// Active shops.
    pub shops: i64,
    /// Active advisers.
    pub advisers: i64,
    /// Clients.
    pub clients: i64,
    /// Active products.
    pub products: i64,
    /// Orders per status.
    pub orders_by_status: Vec<(OrderStatus, i64)>,
    /// Orders created since the given instant.
    pub recent_orders: i64,
    /// Their gross turnover.
    pub recent_turnover: Money,
}

/// Orders as the office lists, counts and moves them.
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// Inserts orders with their lines; existing ids are left alone.
    async fn insert_orders(&self, orders: &[OrderRow], lines: &[OrderLineRow]) -> StoreResult<u64>;
    /// The most recent orders with client and adviser names.
    async fn recent_orders(&self, limit: i64) -> StoreResult<Vec<OrderSummary>>;
    /// One page of the orders matching the filter, in its sort.
    async fn list_orders(&self, filter: &OrderFilter) -> StoreResult<Vec<OrderSummary>>;
    /// How many orders each status has under the filter (its status, sort and page
    /// aside): the list's tabs.
    async fn count_orders(&self, filter: &OrderFilter) -> StoreResult<StatusCounts>;
    /// Numbers for the dashboard.
    async fn dashboard(&self, since: OffsetDateTime) -> StoreResult<Dashboard>;

    /// The accepted status of each of `orders` the office has (one query per
    /// batch, for the hub's authority).
    async fn order_statuses(&self, orders: &[OrderId]) -> StoreResult<HashMap<OrderId, String>>;
    /// The pricing the hub accepted for each of `orders` it has (lines, coupon),
    /// one query per batch, for the hub's authority.
    async fn accepted_pricing(
        &self,
        orders: &[OrderId],
    ) -> StoreResult<HashMap<OrderId, fieldcase_shared::pricing::Pricing>>;
    /// The projected status of an order (the last one the hub accepted); a status
    /// SQL holds but nobody knows is a corrupt row.
    async fn order_status(&self, order: OrderId) -> StoreResult<Option<OrderStatus>>;
    /// The adviser whose workspace holds an order.
    async fn order_adviser(&self, order: OrderId) -> StoreResult<Option<AdviserId>>;
    /// Records a status set by the office (projection + audit, one transaction).
    async fn set_order_status(
        &self,
        actor: &Actor,
        order: OrderId,
        from: OrderStatus,
        to: OrderStatus,
    ) -> StoreResult<()>;

    /// The card of one order as `reader` sees it (private notes and their history
    /// only for the roles that may read them); `None`: no such order.
    async fn order_card(&self, order: OrderId, reader: Role) -> StoreResult<Option<OrderCard>>;
    /// Appends a note (checked by `fieldcase_shared::order::notes::check_note`) with
    /// its history event and audit entry; NotFound when there is no such order.
    async fn add_order_note(
        &self,
        actor: &Actor,
        order: OrderId,
        kind: NoteKind,
        body: &str,
    ) -> StoreResult<()>;
    /// Sets carrier and tracking number (checked by `fieldcase_shared::carrier`) if
    /// they are still `seen`: StoreError::Stale when someone changed them meanwhile.
    async fn set_delivery(
        &self,
        actor: &Actor,
        order: OrderId,
        seen: &Delivery,
        new: &Delivery,
    ) -> StoreResult<()>;
    /// The live token of the order's public page, if it has one.
    async fn order_link(&self, order: OrderId) -> StoreResult<Option<String>>;
    /// Revokes the order's public-page token and, with `token`, issues that one.
    async fn replace_order_link(
        &self,
        actor: &Actor,
        order: OrderId,
        token: Option<&str>,
    ) -> StoreResult<()>;
    /// The order a live public-page token opens.
    async fn order_by_link(&self, token: &str) -> StoreResult<Option<OrderId>>;
}
