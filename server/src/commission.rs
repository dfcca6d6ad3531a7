//! Commission: an adviser's ledger and the payout requests the hub judges; the
//! rules (`rules.rs`, `store/rules.rs`, `cli.rs`) and the accrual that books what
//! paid and delivered orders earn (`accrual.rs` decides, `store/accrue.rs` books,
//! `accrue.rs` is the job; issue 14); monthly statements (`statement.rs`, the
//! numbers from `fieldcase_shared::statement`) and the report of commission
//! against turnover (`report.rs`, `report_page.rs`).

pub mod accrual;
pub mod accrue;
pub mod api;
pub mod batch_file;
pub mod cli;
pub mod ledger;
pub mod levels_page;
pub mod order_box;
pub mod page;
pub mod payout;
pub mod payout_api;
pub mod payout_batches;
pub mod payout_cli;
pub mod payouts;
pub mod payouts_page;
pub mod recompute;
pub mod report;
pub mod report_page;
pub mod rule_edit;
pub mod rules;
pub mod self_billing;
pub mod self_billing_api;
pub mod self_billing_box;
pub mod statement;
pub mod statement_api;
pub mod statement_cli;
pub mod store;
