//! Commission: an adviser's ledger and the payout requests the hub judges; the
//! rules that will accrue it (`rules.rs`, `store/rules.rs`, `cli.rs`; issue 14).

pub mod api;
pub mod cli;
pub mod page;
pub mod rule_edit;
pub mod rules;
pub mod store;
