//! How an incoming bank movement is decided (issue 13, point 2), with no I/O: the
//! import (`money/store/import.rs`) looks the orders up and books what this says.
//!
//! - outgoing (or zero) movements are ignored: they pay nobody's order;
//! - a currency other than CZK is a receivable (the office converts and settles it);
//! - no variable symbol, or one no order has, is a receivable;
//! - the VS is compared without leading zeros (`0012345` pays order `12345`), and
//!   one that fits two orders that way is a receivable too;
//! - a cancelled order's payment is a receivable (to be returned or moved);
//! - otherwise the amount left on the order decides: equal → matched (paid); less →
//!   partial (all of it allocated, the rest still owed); more → over (what was left
//!   allocated, the rest stays open for the office to return or move).
//!
//! Every decision keeps its reason, which [`Reason::explain`] says in words.

use fieldcase_shared::{Lang, Money, OrderId, OrderStatus};

/// The outcome of one movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Pays its order exactly.
    Matched,
    /// Pays less than its order's amount left.
    Partial,
    /// Pays more than its order's amount left.
    Over,
    /// Nobody's yet: settled by hand.
    Receivable,
    /// Not a payment to the company.
    Ignored,
}

impl Decision {
    /// The code stored in SQL.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Matched => "matched",
            Decision::Partial => "partial",
            Decision::Over => "over",
            Decision::Receivable => "receivable",
            Decision::Ignored => "ignored",
        }
    }

    /// From [`Decision::code`].
    pub fn from_code(code: &str) -> Option<Decision> {
        [
            Decision::Matched,
            Decision::Partial,
            Decision::Over,
            Decision::Receivable,
            Decision::Ignored,
        ]
        .into_iter()
        .find(|d| d.code() == code)
    }

    /// The label people read.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Decision::Matched, Lang::Cs) => "spárováno",
            (Decision::Matched, Lang::En) => "matched",
            (Decision::Partial, Lang::Cs) => "zaplaceno méně",
            (Decision::Partial, Lang::En) => "partial",
            (Decision::Over, Lang::Cs) => "přeplatek",
            (Decision::Over, Lang::En) => "over-payment",
            (Decision::Receivable, Lang::Cs) => "k vyřízení",
            (Decision::Receivable, Lang::En) => "receivable",
            (Decision::Ignored, Lang::Cs) => "přeskočeno",
            (Decision::Ignored, Lang::En) => "ignored",
        }
    }
}

/// Why a movement was decided as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// VS and amount equal.
    Exact,
    /// VS found; less than the amount left.
    Short,
    /// VS found; more than the amount left.
    Surplus,
    /// Money going out of the account.
    Outgoing,
    /// Nothing moved.
    Zero,
    /// Not CZK.
    Currency,
    /// No variable symbol.
    NoVs,
    /// A VS that is no order's.
    UnknownVs,
    /// A VS that fits more than one order (leading zeros).
    AmbiguousVs,
    /// The order is cancelled.
    Cancelled,
}

impl Reason {
    /// The code stored in SQL.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Exact => "exact",
            Reason::Short => "short",
            Reason::Surplus => "surplus",
            Reason::Outgoing => "outgoing",
            Reason::Zero => "zero",
            Reason::Currency => "currency",
            Reason::NoVs => "no_vs",
            Reason::UnknownVs => "unknown_vs",
            Reason::AmbiguousVs => "ambiguous_vs",
            Reason::Cancelled => "cancelled",
        }
    }

    /// From [`Reason::code`].
    pub fn from_code(code: &str) -> Option<Reason> {
        use Reason::*;
        [
            Exact,
            Short,
            Surplus,
            Outgoing,
            Zero,
            Currency,
            NoVs,
            UnknownVs,
            AmbiguousVs,
            Cancelled,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// The decision in words: `vs` as the movement carried it, `difference` (the
    /// amount still owed, or paid beyond), `currency` the movement's.
    pub fn explain(self, lang: Lang, vs: &str, difference: Money, currency: &str) -> String {
        let d = difference.format(lang);
        match (self, lang) {
            (Reason::Exact, Lang::Cs) => format!("spárováno podle VS {vs}, částka souhlasí"),
            (Reason::Exact, Lang::En) => format!("matched by VS {vs}, amount equal"),
            (Reason::Short, Lang::Cs) => format!("VS {vs}: o {d} méně, než zbývalo zaplatit"),
            (Reason::Short, Lang::En) => format!("VS {vs}: {d} less than the amount left"),
            (Reason::Surplus, Lang::Cs) => format!("VS {vs}: o {d} více, než zbývalo zaplatit"),
            (Reason::Surplus, Lang::En) => format!("VS {vs}: {d} more than the amount left"),
            (Reason::Outgoing, Lang::Cs) => "odchozí platba".into(),
            (Reason::Outgoing, Lang::En) => "outgoing payment".into(),
            (Reason::Zero, Lang::Cs) => "nulová částka".into(),
            (Reason::Zero, Lang::En) => "zero amount".into(),
            (Reason::Currency, Lang::Cs) => format!("platba v měně {currency}, ne v CZK"),
            (Reason::Currency, Lang::En) => format!("paid in {currency}, not CZK"),
            (Reason::NoVs, Lang::Cs) => "bez variabilního symbolu".into(),
            (Reason::NoVs, Lang::En) => "no variable symbol".into(),
            (Reason::UnknownVs, Lang::Cs) => format!("žádná objednávka nemá VS {vs}"),
            (Reason::UnknownVs, Lang::En) => format!("no order has VS {vs}"),
            (Reason::AmbiguousVs, Lang::Cs) => format!("VS {vs} odpovídá více objednávkám"),
            (Reason::AmbiguousVs, Lang::En) => format!("VS {vs} fits more than one order"),
            (Reason::Cancelled, Lang::Cs) => format!("objednávka s VS {vs} je zrušená"),
            (Reason::Cancelled, Lang::En) => format!("the order with VS {vs} is cancelled"),
        }
    }
}

/// A variable symbol as the comparison reads it: digits only, no leading zeros
/// (empty when none is left).
pub fn vs_key(vs: &str) -> String {
    vs.trim().trim_start_matches('0').to_owned()
}

/// The order a movement's VS found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The order.
    pub order: OrderId,
    /// Its status.
    pub status: OrderStatus,
    /// What is left to pay on it before this movement.
    pub left: Money,
}

/// What to book for one movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    pub reason: Reason,
    /// The order it concerns (when its VS found one).
    pub order: Option<OrderId>,
    /// Given to the order.
    pub allocate: Money,
    /// Still owed on the order (partial) or paid beyond it (over).
    pub difference: Money,
    /// Not given to any order: a receivable while positive.
    pub open: Money,
}

/// Decides one movement of `amount` in `currency` carrying `vs`, given the orders
/// whose VS matches it without leading zeros.
pub fn decide(amount: Money, currency: &str, vs: &str, candidates: &[Candidate]) -> Verdict {
    let verdict = |decision, reason, order, allocate: Money, difference| Verdict {
        decision,
        reason,
        order,
        allocate,
        difference,
        open: if amount.is_negative() {
            Money::ZERO
        } else {
            amount - allocate
        },
    };
    let none = |decision, reason| verdict(decision, reason, None, Money::ZERO, Money::ZERO);
    if amount.is_negative() {
        return none(Decision::Ignored, Reason::Outgoing);
    }
    if amount.is_zero() {
        return none(Decision::Ignored, Reason::Zero);
    }
    if !currency.trim().eq_ignore_ascii_case("CZK") {
        return none(Decision::Receivable, Reason::Currency);
    }
    if vs_key(vs).is_empty() {
        return none(Decision::Receivable, Reason::NoVs);
    }
    let order = match candidates {
        [] => return none(Decision::Receivable, Reason::UnknownVs),
        [one] => one,
        _ => return none(Decision::Receivable, Reason::AmbiguousVs),
    };
    if order.status == OrderStatus::Cancelled {
        return verdict(
            Decision::Receivable,
            Reason::Cancelled,
            Some(order.order),
            Money::ZERO,
            Money::ZERO,
        );
    }
    let left = if order.left.is_negative() {
        Money::ZERO
    } else {
        order.left
    };
    match amount.cmp(&left) {
        std::cmp::Ordering::Equal => verdict(
            Decision::Matched,
            Reason::Exact,
            Some(order.order),
            amount,
            Money::ZERO,
        ),
        std::cmp::Ordering::Less => verdict(
            Decision::Partial,
            Reason::Short,
            Some(order.order),
            amount,
            left - amount,
        ),
        std::cmp::Ordering::Greater => verdict(
            Decision::Over,
            Reason::Surplus,
            Some(order.order),
            left,
            amount - left,
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn order(left: i64, status: OrderStatus) -> Candidate {
        Candidate {
            order: OrderId::new(),
            status,
            left: Money::from_czk(left),
        }
    }

    #[test]
    fn every_kind_of_line_is_decided_with_its_reason() {
        let open = order(1000, OrderStatus::Confirmed);
        let czk = Money::from_czk;
        let d = decide(czk(1000), "CZK", "0001234", &[open]);
        assert_eq!(
            (d.decision, d.reason, d.allocate, d.open),
            (Decision::Matched, Reason::Exact, czk(1000), Money::ZERO)
        );
        let d = decide(czk(400), "CZK", "1234", &[open]);
        assert_eq!(
            (d.decision, d.allocate, d.difference, d.open),
            (Decision::Partial, czk(400), czk(600), Money::ZERO)
        );
        let d = decide(czk(1500), "CZK", "1234", &[open]);
        assert_eq!(
            (d.decision, d.allocate, d.difference, d.open),
            (Decision::Over, czk(1000), czk(500), czk(500))
        );
        let d = decide(czk(-300), "CZK", "1234", &[open]);
        assert_eq!(
            (d.decision, d.reason, d.open),
            (Decision::Ignored, Reason::Outgoing, Money::ZERO)
        );
        let d = decide(czk(1000), "EUR", "1234", &[open]);
        assert_eq!(
            (d.decision, d.reason, d.open),
            (Decision::Receivable, Reason::Currency, czk(1000))
        );
        assert_eq!(decide(czk(5), "CZK", "", &[]).reason, Reason::NoVs);
        assert_eq!(decide(czk(5), "CZK", "000", &[]).reason, Reason::NoVs);
        assert_eq!(decide(czk(5), "CZK", "99", &[]).reason, Reason::UnknownVs);
        assert_eq!(
            decide(czk(5), "CZK", "99", &[open, open]).reason,
            Reason::AmbiguousVs
        );
        let d = decide(czk(5), "CZK", "99", &[order(5, OrderStatus::Cancelled)]);
        assert_eq!(
            (d.decision, d.reason, d.open),
            (Decision::Receivable, Reason::Cancelled, czk(5))
        );
        // An order already paid: the whole payment is over.
        let d = decide(czk(200), "CZK", "1", &[order(0, OrderStatus::Delivered)]);
        assert_eq!(
            (d.decision, d.allocate, d.open),
            (Decision::Over, Money::ZERO, czk(200))
        );
    }

    #[test]
    fn reasons_read_in_both_languages() {
        let en = Reason::Exact.explain(Lang::En, "9000100001", Money::ZERO, "CZK");
        assert_eq!(en, "matched by VS 9000100001, amount equal");
        for r in [
            "exact",
            "short",
            "surplus",
            "outgoing",
            "zero",
            "currency",
            "no_vs",
            "unknown_vs",
            "ambiguous_vs",
            "cancelled",
        ] {
            let reason = Reason::from_code(r).unwrap();
            assert_eq!(reason.code(), r);
            assert!(
                !reason
                    .explain(Lang::Cs, "1", Money::from_czk(1), "EUR")
                    .is_empty()
            );
        }
        assert_eq!(vs_key(" 00120 "), "120");
    }
}
