//! Commission on the phone: the ledger the hub published, the adviser's payout
//! requests, and a request checked offline against what is available (the hub has
//! the final word and may still reject it).

use fieldcase_shared::docs::commission::{
    self, COMMISSION, CommissionEntryRecord, PAYOUT_REQUESTS, PayoutRequestRecord,
};
use fieldcase_shared::docs::records;

use crate::{Device, now_text};

/// The adviser's commission as the phone knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commission {
    /// Ledger balance, haléře.
    pub balance: i64,
    /// What may still be requested (balance less accepted and waiting requests).
    pub available: i64,
    /// Ledger lines, newest first.
    pub entries: Vec<(String, CommissionEntryRecord)>,
    /// Payout requests, newest first.
    pub requests: Vec<(String, PayoutRequestRecord)>,
}

impl Device {
    /// Balance, ledger and requests.
    pub fn commission(&self) -> Commission {
        let mut entries: Vec<(String, CommissionEntryRecord)> = self.all(COMMISSION);
        let mut requests: Vec<(String, PayoutRequestRecord)> = self.all(PAYOUT_REQUESTS);
        entries.sort_by(|a, b| b.1.at.cmp(&a.1.at));
        requests.sort_by(|a, b| b.1.requested_at.cmp(&a.1.requested_at));
        let balance = commission::balance(entries.iter().map(|(_, e)| e));
        let available = commission::available(balance, requests.iter().map(|(_, r)| r), true);
        Commission {
            balance,
            available,
            entries,
            requests,
        }
    }

    /// Requests a payout of `amount` haléře. Refused offline when it is not positive
    /// or more than is available; otherwise saved (durably) for the hub to judge.
    pub async fn request_payout(&self, amount: i64, note: &str) -> crate::DeviceResult<String> {
        commission::judge_payout(amount, self.commission().available)
            .map_err(crate::DeviceError::PayoutDenied)?;
        let id = uuid::Uuid::now_v7().to_string();
        let request = PayoutRequestRecord {
            amount,
            requested_at: now_text(),
            note: note.to_owned(),
            ..Default::default()
        };
        let key = id.clone();
        self.change(move |tx| records::put(tx, PAYOUT_REQUESTS, &key, &request))
            .await?;
        Ok(id)
    }
}
