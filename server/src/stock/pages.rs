//! The stock's office pages: the Stock page (warehouses, the advisers' sample
//! cases) and the box on an order's card (`order_box.rs`).

pub mod order_box;
pub mod stock;
