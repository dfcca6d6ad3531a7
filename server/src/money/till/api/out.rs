//! What the tills' API answers: receipts and vouchers, shifts, Z reports.

use fieldcase_shared::Money;
use serde::Serialize;
use utoipa::ToSchema;

use crate::money::api::lines::{LineOut, VatOut};
use crate::money::till::{Entry, Shift, Totals, ZReport};
use crate::store::sql::rfc3339;

/// A receipt or voucher. Amounts in haléře, as the drawer sees them (refunds
/// and cash-outs negative).
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    pub id: String,
    pub number: String,
    /// `sale`, `refund`, `cash_in`, `cash_out`.
    pub kind: String,
    pub at: String,
    pub actor: String,
    /// The order's variable symbol (an order's payment or its refund).
    pub order_vs: Option<String>,
    /// The receipt a refund belongs to.
    pub refund_of: Option<String>,
    pub cash: i64,
    pub card: i64,
    pub total: i64,
    pub note: String,
    /// What refunds took back of a sale so far.
    pub refunded: i64,
    pub lines: Vec<LineOut>,
}

impl From<Entry> for EntryOut {
    fn from(e: Entry) -> Self {
        EntryOut {
            id: e.id.to_string(),
            number: e.number,
            kind: e.kind.code().into(),
            at: rfc3339(e.at),
            actor: e.actor,
            order_vs: e.order_vs,
            refund_of: e.refund_of.map(|r| r.to_string()),
            cash: e.cash.haler(),
            card: e.card.haler(),
            total: e.total.haler(),
            note: e.note,
            refunded: e.refunded.haler(),
            lines: e.lines.iter().map(|l| LineOut::from(&l.line)).collect(),
        }
    }
}

/// A shift of a shop's till (haléře).
#[derive(Debug, Serialize, ToSchema)]
pub struct ShiftOut {
    pub id: String,
    pub shop: String,
    pub opened_at: String,
    pub opened_by: String,
    pub float: i64,
    pub closed_at: Option<String>,
    pub closed_by: String,
    /// Set once closed: the cash the drawer should hold, the cash counted, and
    /// counted − expected.
    pub expected: Option<i64>,
    pub counted: Option<i64>,
    pub difference: Option<i64>,
    pub close_note: String,
}

impl From<Shift> for ShiftOut {
    fn from(s: Shift) -> Self {
        ShiftOut {
            id: s.id.to_string(),
            shop: s.shop_code,
            opened_at: rfc3339(s.opened_at),
            opened_by: s.opened_by,
            float: s.float.haler(),
            closed_at: s.closed_at.map(rfc3339),
            closed_by: s.closed_by,
            expected: s.expected.map(Money::haler),
            counted: s.counted.map(Money::haler),
            difference: s.difference.map(Money::haler),
            close_note: s.close_note,
        }
    }
}

/// Count and sums of one kind of entry (haléře).
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsOut {
    pub count: usize,
    pub cash: i64,
    pub card: i64,
    pub total: i64,
}

impl From<Totals> for TotalsOut {
    fn from(t: Totals) -> Self {
        TotalsOut {
            count: t.count,
            cash: t.cash.haler(),
            card: t.card.haler(),
            total: t.total.haler(),
        }
    }
}

/// A shift's Z report (of an open shift: so far).
#[derive(Debug, Serialize, ToSchema)]
pub struct ZReportOut {
    pub shift: ShiftOut,
    pub sales: TotalsOut,
    pub refunds: TotalsOut,
    pub cash_in: TotalsOut,
    pub cash_out: TotalsOut,
    pub turnover: i64,
    pub vat: Vec<VatOut>,
    /// What the drawer should hold.
    pub expected: i64,
    pub first: Option<String>,
    pub last: Option<String>,
}

impl From<ZReport> for ZReportOut {
    fn from(z: ZReport) -> Self {
        ZReportOut {
            turnover: z.turnover().haler(),
            sales: z.sales.into(),
            refunds: z.refunds.into(),
            cash_in: z.cash_in.into(),
            cash_out: z.cash_out.into(),
            vat: z.vat.iter().map(VatOut::from).collect(),
            expected: z.expected.haler(),
            first: z.first,
            last: z.last,
            shift: z.shift.into(),
        }
    }
}

/// An open shift with its documents and its report so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentOut {
    pub report: ZReportOut,
    pub entries: Vec<EntryOut>,
}
