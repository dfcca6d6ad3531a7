//! The lab's store part: the orders on the board with how long each has been in
//! its state. Its SQL is in `lab/store/sql.rs`.

mod sql;

use async_trait::async_trait;
use fieldcase_shared::{OrderId, OrderStatus};
use time::OffsetDateTime;

use crate::store::error::StoreResult;

/// One order on the lab board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCard {
    /// Id.
    pub id: OrderId,
    /// Variable symbol (the order number).
    pub variable_symbol: String,
    /// Client, `Last First`.
    pub client_name: String,
    /// Status (one of the board's columns).
    pub status: OrderStatus,
    /// Since when the order has been in that status.
    pub since: OffsetDateTime,
}

/// A line of an order as the job sheet prints it: what the catalog knows of its
/// product (kind, brand, colour, size), if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetLine {
    /// The line's text.
    pub text: String,
    /// Quantity.
    pub quantity: i64,
    /// Product kind code (`frame`, `lens`, `coating`, …); empty: a free line.
    pub kind: String,
    /// SKU.
    pub sku: String,
    /// Brand.
    pub brand: String,
    /// Colour.
    pub colour: String,
    /// Size (frames: `52□18 140`).
    pub size: String,
}

/// The lab board's reads.
#[async_trait]
pub trait LabStore: Send + Sync {
    /// Orders in `statuses`, longest in their state first, at most `limit` in all;
    /// and how many orders each status has (all of them, not only those listed).
    async fn lab_board(
        &self,
        statuses: &[OrderStatus],
        limit: i64,
    ) -> StoreResult<(Vec<BoardCard>, Vec<(OrderStatus, i64)>)>;
    /// The lines of `order` with their products, in order.
    async fn sheet_lines(&self, order: OrderId) -> StoreResult<Vec<SheetLine>>;
    /// The order with this variable symbol (what a scanner types).
    async fn order_by_number(&self, variable_symbol: &str) -> StoreResult<Option<OrderId>>;
}
