//! Commission in a workspace: the hub-written snapshot of the adviser's ledger
//! (`commission`, one entry per ledger line) and the payout requests the adviser
//! writes (`payout_requests`). Money is never a mutable number: the balance is the
//! sum of the entries, and a request reserves its amount once the hub accepts it.

use autosurgeon::{Hydrate, Reconcile};

use crate::lang::Lang;
use crate::money::Money;

/// Root map of the hub-written ledger lines.
pub const COMMISSION: &str = "commission";
/// Root map of the adviser's payout requests.
pub const PAYOUT_REQUESTS: &str = "payout_requests";

/// One line of the adviser's commission ledger, published by the hub (devices only
/// read it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct CommissionEntryRecord {
    /// `accrual` (an order was paid), `reversal` (it was cancelled or returned),
    /// `payout` (money paid out, negative), `adjustment`.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub kind: String,
    /// The order behind the line, if any.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub order: String,
    /// Signed amount, haléře.
    #[autosurgeon(missing = "Default::default")]
    pub amount: i64,
    /// When (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub at: String,
    /// Explanation shown on the phone.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub note: String,
    /// "Why this amount" in Czech: the order, its lines, the base, the rule and
    /// its version, the rate (empty on lines typed in by hand; older hubs never
    /// write it).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub why_cs: String,
    /// The same in English.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub why_en: String,
}

/// What a ledger line is (its `kind` in the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommissionKind {
    /// An order was paid and delivered.
    Accrual,
    /// An order was cancelled or returned.
    Reversal,
    /// Money paid out (negative).
    Payout,
    /// A correction by the office.
    Adjustment,
}

impl CommissionKind {
    /// Every kind, in the order the office offers them.
    pub const ALL: [CommissionKind; 4] = [
        CommissionKind::Accrual,
        CommissionKind::Reversal,
        CommissionKind::Payout,
        CommissionKind::Adjustment,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            CommissionKind::Accrual => "accrual",
            CommissionKind::Reversal => "reversal",
            CommissionKind::Payout => "payout",
            CommissionKind::Adjustment => "adjustment",
        }
    }

    /// The kind with this code, if any.
    pub fn parse(code: &str) -> Option<CommissionKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What people read.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CommissionKind::Accrual => lang.pick("Provize", "Accrual"),
            CommissionKind::Reversal => lang.pick("Storno", "Reversal"),
            CommissionKind::Payout => lang.pick("Výplata", "Payout"),
            CommissionKind::Adjustment => lang.pick("Úprava", "Adjustment"),
        }
    }

    /// The codes, for an error message.
    pub fn codes() -> String {
        Self::ALL.map(CommissionKind::code).join(", ")
    }
}

/// Where a payout request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutStatus {
    /// Written by the adviser, not judged by the hub yet.
    Pending,
    /// The hub accepted it; its amount is reserved until it is paid.
    Accepted,
    /// The hub refused it (see the reason); nothing is reserved.
    Rejected,
    /// Paid out (a `payout` ledger line holds the money).
    Paid,
}

impl PayoutStatus {
    /// Stored text (`""` for pending, so a device writes nothing).
    pub fn code(self) -> &'static str {
        match self {
            PayoutStatus::Pending => "",
            PayoutStatus::Accepted => "accepted",
            PayoutStatus::Rejected => "rejected",
            PayoutStatus::Paid => "paid",
        }
    }

    /// Reads a stored status; anything unknown counts as pending (the hub judges it).
    pub fn parse(code: &str) -> PayoutStatus {
        match code {
            "accepted" => PayoutStatus::Accepted,
            "rejected" => PayoutStatus::Rejected,
            "paid" => PayoutStatus::Paid,
            _ => PayoutStatus::Pending,
        }
    }

    /// Label for the app.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PayoutStatus::Pending, Lang::Cs) => "čeká na schválení",
            (PayoutStatus::Pending, Lang::En) => "waiting for approval",
            (PayoutStatus::Accepted, Lang::Cs) => "schváleno",
            (PayoutStatus::Accepted, Lang::En) => "accepted",
            (PayoutStatus::Rejected, Lang::Cs) => "zamítnuto",
            (PayoutStatus::Rejected, Lang::En) => "rejected",
            (PayoutStatus::Paid, Lang::Cs) => "vyplaceno",
            (PayoutStatus::Paid, Lang::En) => "paid",
        }
    }
}

/// An adviser's request to pay out (part of) their commission.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct PayoutRequestRecord {
    /// Requested amount, haléře (positive).
    #[autosurgeon(missing = "Default::default")]
    pub amount: i64,
    /// When requested (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub requested_at: String,
    /// The adviser's note.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub note: String,
    /// See [`PayoutStatus::code`]; written by the hub.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub status: String,
    /// Why it was rejected (code), written by the hub.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub reason: String,
}

impl PayoutRequestRecord {
    /// Its status.
    pub fn status(&self) -> PayoutStatus {
        PayoutStatus::parse(&self.status)
    }
}

/// The ledger's balance: the sum of its lines.
pub fn balance<'a>(entries: impl IntoIterator<Item = &'a CommissionEntryRecord>) -> i64 {
    entries.into_iter().map(|e| e.amount).sum()
}

/// What the adviser may still request: the balance less every request the hub
/// accepted and has not paid yet (a paid one is already a ledger line), and, on the
/// phone, less the requests still waiting for the hub.
pub fn available<'a>(
    balance: i64,
    requests: impl IntoIterator<Item = &'a PayoutRequestRecord>,
    count_pending: bool,
) -> i64 {
    let reserved: i64 = requests
        .into_iter()
        .filter(|r| match r.status() {
            PayoutStatus::Accepted => true,
            PayoutStatus::Pending => count_pending,
            PayoutStatus::Rejected | PayoutStatus::Paid => false,
        })
        .map(|r| r.amount)
        .sum();
    balance - reserved
}

/// Why a payout request cannot stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutDenied {
    /// Zero or negative amount.
    NotPositive,
    /// More than is available.
    OverBalance {
        /// What was asked, haléře.
        requested: i64,
        /// What was available, haléře.
        available: i64,
    },
}

impl PayoutDenied {
    /// Reason code stored on the request.
    pub fn code(self) -> &'static str {
        match self {
            PayoutDenied::NotPositive => "not_positive",
            PayoutDenied::OverBalance { .. } => "over_balance",
        }
    }

    /// What happened and what to do, for the inbox and the form.
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (PayoutDenied::NotPositive, Lang::Cs) => {
                "Částka výplaty musí být větší než nula.".into()
            }
            (PayoutDenied::NotPositive, Lang::En) => {
                "The payout amount must be more than zero.".into()
            }
            (
                PayoutDenied::OverBalance {
                    requested,
                    available,
                },
                Lang::Cs,
            ) => format!(
                "Žádost o výplatu {} převyšuje dostupný zůstatek {}; nebyla přijata. Požádejte nejvýše o dostupnou částku.",
                Money::from_haler(requested).format(Lang::Cs),
                Money::from_haler(available.max(0)).format(Lang::Cs)
            ),
            (
                PayoutDenied::OverBalance {
                    requested,
                    available,
                },
                Lang::En,
            ) => format!(
                "The payout request of {} is more than the available balance of {}; it was not accepted. Request at most the available amount.",
                Money::from_haler(requested).format(Lang::En),
                Money::from_haler(available.max(0)).format(Lang::En)
            ),
        }
    }
}

/// The rule the phone checks offline and the hub enforces: a positive amount, no
/// more than is available.
pub fn judge_payout(amount: i64, available: i64) -> Result<(), PayoutDenied> {
    if amount <= 0 {
        Err(PayoutDenied::NotPositive)
    } else if amount > available {
        Err(PayoutDenied::OverBalance {
            requested: amount,
            available,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(amount: i64, status: PayoutStatus) -> PayoutRequestRecord {
        PayoutRequestRecord {
            amount,
            status: status.code().into(),
            ..Default::default()
        }
    }

    #[test]
    fn available_is_balance_less_reserved_requests() {
        let entries = [
            CommissionEntryRecord {
                amount: 150_000,
                ..Default::default()
            },
            CommissionEntryRecord {
                amount: -20_000,
                ..Default::default()
            },
        ];
        let b = balance(&entries);
        assert_eq!(b, 130_000);
        let requests = [
            request(30_000, PayoutStatus::Accepted),
            request(50_000, PayoutStatus::Rejected),
            request(10_000, PayoutStatus::Paid),
            request(5_000, PayoutStatus::Pending),
        ];
        assert_eq!(available(b, &requests, false), 100_000);
        assert_eq!(available(b, &requests, true), 95_000);
    }

    #[test]
    fn payouts_must_be_positive_and_covered() {
        assert_eq!(judge_payout(100, 100), Ok(()));
        assert_eq!(judge_payout(0, 100), Err(PayoutDenied::NotPositive));
        let denied = judge_payout(101, 100).unwrap_err();
        assert_eq!(denied.code(), "over_balance");
        assert!(
            denied.message(Lang::Cs).contains("1,00"),
            "{}",
            denied.message(Lang::Cs)
        );
        assert!(denied.message(Lang::En).contains("available"));
    }

    #[test]
    fn unknown_statuses_count_as_pending() {
        assert_eq!(PayoutStatus::parse("whatever"), PayoutStatus::Pending);
        for s in [
            PayoutStatus::Pending,
            PayoutStatus::Accepted,
            PayoutStatus::Rejected,
            PayoutStatus::Paid,
        ] {
            assert_eq!(PayoutStatus::parse(s.code()), s);
        }
    }
}
