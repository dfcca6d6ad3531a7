//! The catalog: products and coupons, kept in SQL by the office and published into
//! the catalog document the phones read.

pub mod api;
pub mod coupons;
pub mod import;
pub mod pages;
pub mod price;
pub mod pricing_cli;
pub mod store;
pub mod terms;
pub mod upload;
