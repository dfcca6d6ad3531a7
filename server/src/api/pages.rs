//! The API's office page: each staff user's API keys (`keys.rs`).

pub mod keys;
