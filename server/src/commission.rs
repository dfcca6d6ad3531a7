//! Commission: an adviser's ledger and the payout requests the hub judges.

pub mod store;
