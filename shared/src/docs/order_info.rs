//! What the office knows of an adviser's orders beyond the order record, published by
//! the hub into the workspace (`order_info`, one entry per order; devices only read
//! it): the status timeline, carrier and tracking link, and the order's public page
//! the adviser can share with the client, what the office allocated to it from
//! the bank, and the client's complaints about it.

use autosurgeon::{Hydrate, Reconcile};

/// Root map of the hub-written order information.
pub const ORDER_INFO: &str = "order_info";

/// One status the order reached, and when.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct StepRecord {
    /// When (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub at: String,
    /// Status code (see [`crate::OrderStatus`]).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub status: String,
}

/// A complaint about the order, as the adviser sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct ComplaintInfoRecord {
    /// `R{variable symbol}-{n}`.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub number: String,
    /// Received (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub opened_at: String,
    /// To be settled by (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub deadline_at: String,
    /// What is wrong.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub reason: String,
    /// The decision's code ([`crate::complaint::Decision`]); empty while open.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub decision: String,
    /// Why.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub decision_reason: String,
}

/// The hub's information about one order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct OrderInfoRecord {
    /// Carrier code (see [`crate::carrier::Carrier`]); empty: none yet.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub carrier: String,
    /// Tracking number.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub tracking: String,
    /// The carrier's public tracking page for it; empty: none.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub tracking_url: String,
    /// The order's public page for the client; empty: no live link.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub public_url: String,
    /// What the office allocated to the order from bank payments (haléře); with
    /// the deposit it makes what is paid ([`crate::order::payment::Payment`]).
    #[autosurgeon(missing = "Default::default")]
    pub settled: i64,
    /// The statuses the order went through, oldest first.
    #[autosurgeon(missing = "Default::default")]
    pub timeline: Vec<StepRecord>,
    /// The complaints about it: the open ones first by their deadline, then the
    /// decided ones, newest first.
    #[autosurgeon(missing = "Default::default")]
    pub complaints: Vec<ComplaintInfoRecord>,
}
