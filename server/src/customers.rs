//! Customers as the office sees them: every client whoever met them (projected from
//! the advisers' workspaces), found by name, phone, e-mail, town or postal code, and
//! one card with contacts, prescriptions and orders.

pub mod edit;
pub mod pages;
pub mod store;
