//! Orders as the office sees them: taken in the field, projected from the advisers'
//! workspaces, listed, counted and moved through their statuses.

pub mod api;
pub mod custom;
pub mod pages;
pub mod public;
pub mod store;
