//! The catalog's office pages: the products list with the price-list import, and
//! one product's card (`/office/products/{id}`).

mod card;
pub mod products;
