//! What an order has been paid and what is left (issue 13, point 7): the deposit
//! the adviser took plus what the office allocated to it from the bank (published
//! to the phone in the order's information), against the order's total. The phone's
//! order detail, its QR payment code (always for the amount left) and the office's
//! order card all read it from here.

use crate::Money;
use crate::lang::Lang;

/// How far an order is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidState {
    /// Nothing paid yet.
    Unpaid,
    /// Some paid, some left.
    PartlyPaid,
    /// Paid in full (or more; the office returns the rest).
    Paid,
}

impl PaidState {
    /// A short code (`unpaid`, `partly_paid`, `paid`), used in the API and the pages.
    pub fn code(self) -> &'static str {
        match self {
            PaidState::Unpaid => "unpaid",
            PaidState::PartlyPaid => "partly_paid",
            PaidState::Paid => "paid",
        }
    }

    /// The label people read.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PaidState::Unpaid, Lang::Cs) => "nezaplaceno",
            (PaidState::Unpaid, Lang::En) => "unpaid",
            (PaidState::PartlyPaid, Lang::Cs) => "zaplaceno částečně",
            (PaidState::PartlyPaid, Lang::En) => "partly paid",
            (PaidState::Paid, Lang::Cs) => "zaplaceno",
            (PaidState::Paid, Lang::En) => "paid",
        }
    }
}

/// An order's payments summed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    /// The order's gross total.
    pub total: Money,
    /// Taken by the adviser (the deposit on the order).
    pub deposit: Money,
    /// Allocated by the office (bank payments matched or settled by hand).
    pub settled: Money,
}

impl Payment {
    /// Everything paid.
    pub fn paid(&self) -> Money {
        self.deposit.saturating_add(self.settled)
    }

    /// What is left to pay (never below zero).
    pub fn left(&self) -> Money {
        let left = self.total.saturating_sub(self.paid());
        if left.is_negative() {
            Money::ZERO
        } else {
            left
        }
    }

    /// Paid beyond the total (to be returned), zero when not.
    pub fn over(&self) -> Money {
        let over = self.paid().saturating_sub(self.total);
        if over.is_negative() {
            Money::ZERO
        } else {
            over
        }
    }

    /// Unpaid, partly paid or paid.
    pub fn state(&self) -> PaidState {
        if self.left().is_zero() {
            PaidState::Paid
        } else if self.paid().haler() > 0 {
            PaidState::PartlyPaid
        } else {
            PaidState::Unpaid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(total: i64, deposit: i64, settled: i64) -> Payment {
        Payment {
            total: Money::from_czk(total),
            deposit: Money::from_czk(deposit),
            settled: Money::from_czk(settled),
        }
    }

    #[test]
    fn states_follow_what_is_left() {
        assert_eq!(p(1000, 0, 0).state(), PaidState::Unpaid);
        assert_eq!(p(1000, 200, 0).state(), PaidState::PartlyPaid);
        assert_eq!(p(1000, 200, 300).left(), Money::from_czk(500));
        assert_eq!(p(1000, 200, 800).state(), PaidState::Paid);
        assert_eq!(p(1000, 200, 900).over(), Money::from_czk(100));
        assert_eq!(p(1000, 200, 900).left(), Money::ZERO);
        // A free order is paid.
        assert_eq!(p(0, 0, 0).state(), PaidState::Paid);
    }
}
