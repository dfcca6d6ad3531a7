//! The money domain's office pages: the Bank page (accounts, the poller's state,
//! movements with their decisions) and the order card's payments box.

pub mod bank;
pub mod invoices;
pub mod order_invoices;
pub mod payments;
pub mod receivables;
