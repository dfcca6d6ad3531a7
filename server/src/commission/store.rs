//! The commission's store part: an adviser's ledger (`commission_entries`) and the
//! hub's verdicts on their payout requests. Its SQL, with its row types, is in
//! `commission/store/sql.rs`.

pub mod accrue;
pub mod payout_batches;
pub mod payouts;
pub mod recompute;
pub mod rules;
pub mod self_billing;
mod sql;
pub mod statement;

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::AdviserId;
use fieldcase_shared::docs::commission::{CommissionEntryRecord, PayoutRequestRecord};
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::error::StoreResult;

/// The commission ledger and payout requests.
#[async_trait]
pub trait CommissionStore: Send + Sync {
    /// Adds a line to an adviser's commission ledger (audited).
    async fn add_commission_entry(
        &self,
        actor: &Actor,
        adviser: AdviserId,
        id: Uuid,
        entry: &CommissionEntryRecord,
    ) -> StoreResult<()>;
    /// An adviser's ledger, oldest first.
    async fn commission_entries(
        &self,
        adviser: AdviserId,
    ) -> StoreResult<Vec<(Uuid, CommissionEntryRecord)>>;
    /// What an adviser may still request: ledger balance less accepted, unpaid requests.
    async fn payout_available(&self, adviser: AdviserId) -> StoreResult<i64>;
    /// A payout request of `adviser` the hub has judged, as projected (another
    /// adviser's request with the same id is not theirs to see).
    async fn payout_request(
        &self,
        adviser: AdviserId,
        id: Uuid,
    ) -> StoreResult<Option<PayoutRequestRecord>>;
    /// The adviser's judged payout requests among `ids` (one query per batch).
    async fn judged_payout_requests(
        &self,
        adviser: AdviserId,
        ids: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, PayoutRequestRecord>>;
}

/// "Why this amount" of a line in Czech and English: its explanation when the
/// accrual wrote one, else its note (lines typed in by hand).
pub(crate) fn why(note: &str, explanation: &str) -> (String, String) {
    match serde_json::from_str::<crate::commission::accrual::Explanation>(explanation) {
        Ok(e) => (
            e.text(fieldcase_shared::Lang::Cs),
            e.text(fieldcase_shared::Lang::En),
        ),
        Err(_) => (note.to_owned(), note.to_owned()),
    }
}
