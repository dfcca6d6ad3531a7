//! Warehouse stock: the central warehouse and one per store, kept as append-only
//! movements. Receipts and stock-taking come from the office; an order reserves its
//! stocked lines (frames, contact lenses, accessories) in its store's warehouse — or
//! the central one — when it is confirmed, releases them when cancelled, and issues
//! them when shipped or handed over, in the same transaction as the status change
//! (office, API and phones alike: `stock_in!`). The order list and card flag lines
//! that neither the warehouse nor the adviser's sample case can cover; the Stock page
//! shows warehouses and each adviser's case with its movements.

pub mod pages;
pub mod store;
