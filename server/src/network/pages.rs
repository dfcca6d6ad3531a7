//! The network's office pages: shops and staff users (each declares its `PAGE`;
//! the shell lists them in `office/pages.rs`).

pub mod shops;
pub mod users;
