//! Store cash registers (issue 13, point 5): one till per shop, worked in shifts.
//! A shift opens with the float counted into the drawer; its entries are sales
//! (an order's payment, or walk-in goods from the shop's stock), refunds of a
//! sale's receipt, and vouchers putting cash into the drawer or taking it out,
//! each paid in cash, by card or both; it closes once with the cash counted out
//! of the drawer, and the Z report (`z_report`) sets what the drawer should hold
//! against what was counted. Nothing is changed or deleted once written
//! (migration 0033).
//!
//! This file is the rules, without IO; `till/store.rs` keeps them in SQL,
//! `till/service.rs` checks who may do what, `till/pdf.rs` prints the 80-mm
//! receipt and the Z report, `till/page.rs` is the office's Till page and
//! `till/api.rs` the JSON API.

pub mod api;
pub mod cli;
pub mod documents;
pub mod page;
pub mod pdf;
pub mod service;
pub mod store;

use fieldcase_shared::{Lang, Money, OrderId, ProductId, Role, StoreId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::money::invoice::{Line, VatLine, breakdown};

/// Who works a till: a store's staff (their own shop's) and administrators.
pub const CLERKS: &[Role] = &[Role::Store, Role::Admin];

/// Who reads the tills' shifts and Z reports (a store's staff their own shop's).
pub const READERS: &[Role] = &[Role::Store, Role::Office, Role::Accounting, Role::Admin];

/// What an entry of a shift is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A receipt: an order's payment or walk-in goods.
    Sale,
    /// Money of a sale's receipt given back (negative amounts).
    Refund,
    /// A voucher: cash put into the drawer (change from the bank, …).
    CashIn,
    /// A voucher: cash taken out of the drawer (to the bank, a purchase, …).
    CashOut,
}

impl EntryKind {
    pub const ALL: [EntryKind; 4] = [
        EntryKind::Sale,
        EntryKind::Refund,
        EntryKind::CashIn,
        EntryKind::CashOut,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Sale => "sale",
            EntryKind::Refund => "refund",
            EntryKind::CashIn => "cash_in",
            EntryKind::CashOut => "cash_out",
        }
    }

    pub fn from_code(code: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The number series: `P` receipts (sales and refunds), `V` vouchers.
    pub fn series(self) -> &'static str {
        match self {
            EntryKind::Sale | EntryKind::Refund => "P",
            EntryKind::CashIn | EntryKind::CashOut => "V",
        }
    }

    /// Whether it is a receipt (prodejka) rather than a voucher.
    pub fn is_receipt(self) -> bool {
        self.series() == "P"
    }

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            EntryKind::Sale => l.pick("Prodej", "Sale"),
            EntryKind::Refund => l.pick("Vrácení", "Refund"),
            EntryKind::CashIn => l.pick("Vklad", "Cash in"),
            EntryKind::CashOut => l.pick("Výběr", "Cash out"),
        }
    }

    /// The title of its printed document.
    pub fn title(self, l: Lang) -> &'static str {
        match self {
            EntryKind::Sale => l.pick("Účtenka", "Receipt"),
            EntryKind::Refund => l.pick("Doklad o vrácení", "Refund receipt"),
            EntryKind::CashIn => l.pick("Příjmový pokladní doklad", "Cash-in voucher"),
            EntryKind::CashOut => l.pick("Výdajový pokladní doklad", "Cash-out voucher"),
        }
    }
}

/// An entry's number: the shop's code, the series, the year's last two digits
/// and six digits, e.g. `PRG1-P26-000042`.
pub fn number(shop_code: &str, kind: EntryKind, year: i32, sequence: i64) -> String {
    format!(
        "{shop_code}-{}{:02}-{sequence:06}",
        kind.series(),
        year.rem_euclid(100)
    )
}

/// A shift of a shop's till.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub id: Uuid,
    pub shop: StoreId,
    pub shop_code: String,
    pub shop_name: String,
    pub opened_at: OffsetDateTime,
    pub opened_by: String,
    /// The cash counted into the drawer when it opened.
    pub float: Money,
    pub closed_at: Option<OffsetDateTime>,
    pub closed_by: String,
    /// Set when it closed: what the drawer should hold, what was counted, and
    /// counted − expected.
    pub expected: Option<Money>,
    pub counted: Option<Money>,
    pub difference: Option<Money>,
    pub close_note: String,
}

impl Shift {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// A line of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TillLine {
    /// The product sold (walk-in goods).
    pub product: Option<ProductId>,
    pub line: Line,
}

/// A receipt or voucher of a shift. Amounts are signed as the drawer sees them:
/// a refund's and a cash-out's are negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: Uuid,
    pub shift: Uuid,
    pub shop: StoreId,
    pub number: String,
    pub kind: EntryKind,
    pub at: OffsetDateTime,
    pub actor: String,
    /// The order it paid (or refunded).
    pub order: Option<OrderId>,
    pub order_vs: Option<String>,
    /// The receipt a refund gives money of back.
    pub refund_of: Option<Uuid>,
    pub cash: Money,
    pub card: Money,
    pub total: Money,
    /// A voucher's or refund's reason.
    pub note: String,
    /// What refunds took back of it so far (a sale's; positive).
    pub refunded: Money,
    /// Its lines (receipts; empty in lists).
    pub lines: Vec<TillLine>,
}

impl Entry {
    /// What may still be refunded of a sale.
    pub fn refundable(&self) -> Money {
        if self.kind == EntryKind::Sale {
            self.total - self.refunded
        } else {
            Money::ZERO
        }
    }
}

/// Totals of one kind of entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub count: usize,
    pub cash: Money,
    pub card: Money,
    pub total: Money,
}

impl Totals {
    fn add(&mut self, e: &Entry) {
        self.count += 1;
        self.cash += e.cash;
        self.card += e.card;
        self.total += e.total;
    }
}

/// The daily close of a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZReport {
    pub shift: Shift,
    pub sales: Totals,
    pub refunds: Totals,
    pub cash_in: Totals,
    pub cash_out: Totals,
    /// Sales less refunds, by VAT rate.
    pub vat: Vec<VatLine>,
    /// What the drawer should hold: float + every entry's cash.
    pub expected: Money,
    /// The first and last numbers of the shift's receipts.
    pub first: Option<String>,
    pub last: Option<String>,
}

impl ZReport {
    /// Sales less refunds.
    pub fn turnover(&self) -> Money {
        self.sales.total + self.refunds.total
    }
}

/// The start of day `date` (`YYYY-MM-DD`) in Prague and of the next, as instants.
pub fn day_bounds(date: &str) -> Option<(OffsetDateTime, OffsetDateTime)> {
    day_bounds_of(fieldcase_shared::calendar::parse_day(date)?)
}

/// The start of `day` in Prague and of the next, as instants (in UTC).
pub fn day_bounds_of(day: time::Date) -> Option<(OffsetDateTime, OffsetDateTime)> {
    // In UTC, as the store keeps its instants: SQLite compares them as text.
    let start = |d: time::Date| {
        let noon = d.midnight().assume_utc() + time::Duration::hours(12);
        d.midnight()
            .assume_offset(crate::office::ui::prague_offset(noon))
            .to_offset(time::UtcOffset::UTC)
    };
    Some((start(day), start(day.next_day()?)))
}

/// What the drawer should hold after `entries`, starting from `float`.
pub fn expected_cash(float: Money, entries: &[Entry]) -> Money {
    float + entries.iter().map(|e| e.cash).sum::<Money>()
}

/// The Z report of `shift` from its `entries` (with their lines).
pub fn z_report(shift: &Shift, entries: &[Entry]) -> ZReport {
    let mut z = ZReport {
        shift: shift.clone(),
        sales: Totals::default(),
        refunds: Totals::default(),
        cash_in: Totals::default(),
        cash_out: Totals::default(),
        vat: Vec::new(),
        expected: expected_cash(shift.float, entries),
        first: None,
        last: None,
    };
    let mut lines: Vec<Line> = Vec::new();
    for e in entries {
        match e.kind {
            EntryKind::Sale => z.sales.add(e),
            EntryKind::Refund => z.refunds.add(e),
            EntryKind::CashIn => z.cash_in.add(e),
            EntryKind::CashOut => z.cash_out.add(e),
        }
        if e.kind.is_receipt() {
            lines.extend(e.lines.iter().map(|l| l.line.clone()));
            if z.first.is_none() {
                z.first = Some(e.number.clone());
            }
            z.last = Some(e.number.clone());
        }
    }
    z.vat = breakdown(&lines);
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: EntryKind, cash: i64, card: i64, vat_bp: i64) -> Entry {
        let total = Money::from_haler(cash + card);
        Entry {
            id: Uuid::now_v7(),
            shift: Uuid::nil(),
            shop: StoreId::new(),
            number: format!("X-{}", kind.code()),
            kind,
            at: OffsetDateTime::UNIX_EPOCH,
            actor: String::new(),
            order: None,
            order_vs: None,
            refund_of: None,
            cash: Money::from_haler(cash),
            card: Money::from_haler(card),
            total,
            note: String::new(),
            refunded: Money::ZERO,
            lines: if kind.is_receipt() {
                vec![TillLine {
                    product: None,
                    line: Line::single("x".into(), vat_bp, total),
                }]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn the_drawer_holds_the_float_and_every_cash_amount() {
        let shift = Shift {
            id: Uuid::nil(),
            shop: StoreId::new(),
            shop_code: "PRG1".into(),
            shop_name: "Praha".into(),
            opened_at: OffsetDateTime::UNIX_EPOCH,
            opened_by: String::new(),
            float: Money::from_haler(200_000),
            closed_at: None,
            closed_by: String::new(),
            expected: None,
            counted: None,
            difference: None,
            close_note: String::new(),
        };
        let entries = vec![
            entry(EntryKind::Sale, 12_100, 0, 2100),
            entry(EntryKind::Sale, 5_000, 7_100, 2100),
            entry(EntryKind::Refund, -2_420, 0, 2100),
            entry(EntryKind::CashIn, 10_000, 0, 0),
            entry(EntryKind::CashOut, -50_000, 0, 0),
        ];
        let z = z_report(&shift, &entries);
        assert_eq!(
            z.expected,
            Money::from_haler(200_000 + 12_100 + 5_000 - 2_420 + 10_000 - 50_000)
        );
        assert_eq!(z.sales.count, 2);
        assert_eq!(z.sales.card, Money::from_haler(7_100));
        assert_eq!(z.turnover(), Money::from_haler(12_100 + 12_100 - 2_420));
        assert_eq!(z.vat.len(), 1);
        assert_eq!(z.vat[0].gross, z.turnover());
        assert_eq!(z.vat[0].base + z.vat[0].vat, z.vat[0].gross);
        assert_eq!(z.first.as_deref(), Some("X-sale"));
        assert_eq!(z.last.as_deref(), Some("X-refund"));
    }

    #[test]
    fn a_prague_day_starts_at_its_midnight_given_in_utc() {
        let Some((from, to)) = day_bounds("2026-12-05") else {
            panic!("a day")
        };
        assert_eq!(from, time::macros::datetime!(2026-12-04 23:00 UTC));
        assert_eq!(to, time::macros::datetime!(2026-12-05 23:00 UTC));
        assert_eq!(from.offset(), time::UtcOffset::UTC);
        let Some((from, _)) = day_bounds("2026-07-01") else {
            panic!("a day")
        };
        assert_eq!(from, time::macros::datetime!(2026-06-30 22:00 UTC));
        assert!(day_bounds("5. 12. 2026").is_none());
    }

    #[test]
    fn numbers_run_per_shop_series_and_year() {
        assert_eq!(number("PRG1", EntryKind::Sale, 2026, 42), "PRG1-P26-000042");
        assert_eq!(number("BRN", EntryKind::CashOut, 2031, 7), "BRN-V31-000007");
    }
}
