//! The catalog: products and coupons, kept in SQL by the office and published into
//! the catalog document the phones read.

pub mod coupons;
pub mod import;
pub mod pages;
pub mod price;
pub mod store;
pub mod upload;
