//! Money (issue 13): the company's bank accounts at FIO, downloaded by a poller
//! and matched to orders by variable symbol (`matching.rs`), what the office sees
//! of it (the Bank page, the order card's payments) and the API and CLI. The bank's
//! client is `integrations/fio.rs`; the tokens are sealed at rest (`secret.rs`).

pub mod api;
pub mod bank;
pub mod cli;
pub mod connection;
pub mod documents;
pub mod invoice;
pub mod invoice_pdf;
pub mod invoicing;
pub mod matching;
pub mod pages;
pub mod pohoda;
pub mod poller;
pub mod secret;
pub mod settle;
pub mod store;
pub mod till;

use fieldcase_shared::Role;

/// Who adds bank accounts, changes their tokens and starts a download.
pub const BANKERS: &[Role] = &[Role::Accounting, Role::Admin];

/// Who reads the bank's accounts and movements.
pub const BANK_READERS: &[Role] = &[Role::Office, Role::Accounting, Role::Admin];
