//! Customers as the office sees them: every client whoever met them (projected from
//! the advisers' workspaces), found by name, phone, e-mail, town or postal code, and
//! one card with contacts, prescriptions and orders.

pub mod api;
pub mod assign;
pub mod cli;
pub mod edit;
pub mod erase;
pub mod export;
pub mod fields;
pub mod gdpr;
pub mod import;
pub mod merge;
pub mod pages;
pub mod reminders;
pub mod scan;
pub mod segment;
pub mod store;
pub mod upload;

/// The roles that create and edit customers, add notes and consents (the office's
/// page and the API alike).
pub const EDITORS: &[fieldcase_shared::Role] = &[
    fieldcase_shared::Role::Office,
    fieldcase_shared::Role::Store,
    fieldcase_shared::Role::CustomerService,
    fieldcase_shared::Role::Admin,
];

/// The roles that keep segments and export their contacts (marketing: personal
/// data leaves the hub, so fewer roles than those who edit customers).
pub const MARKETERS: &[fieldcase_shared::Role] = &[
    fieldcase_shared::Role::Office,
    fieldcase_shared::Role::CustomerService,
    fieldcase_shared::Role::Admin,
];
