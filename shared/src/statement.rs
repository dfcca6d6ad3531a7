//! An adviser's commission statement for a calendar month (Prague time): the
//! opening balance, the month's accruals, reversals, payouts and adjustments, and
//! the closing balance. One calculation for the hub's PDF, API and CLI and the
//! phone's Earnings screen, so both show the same numbers.

use time::{Date, Month as CalMonth, OffsetDateTime, PrimitiveDateTime, Time};

use crate::calendar::prague_offset;
use crate::docs::commission::{CommissionEntryRecord, CommissionKind};
use crate::lang::Lang;

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: CalMonth,
}

impl Month {
    /// `2026-11` (spaces around it ignored); none for anything else.
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month = CalMonth::try_from(m.parse::<u8>().ok()?).ok()?;
        (1900..=9999)
            .contains(&year)
            .then_some(Month { year, month })
    }

    /// The month `at` falls in, in Prague.
    pub fn of(at: OffsetDateTime) -> Month {
        let local = at.to_offset(prague_offset(at));
        Month {
            year: local.year(),
            month: local.month(),
        }
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        match self.month {
            CalMonth::December => Month {
                year: self.year + 1,
                month: CalMonth::January,
            },
            m => Month {
                year: self.year,
                month: m.next(),
            },
        }
    }

    /// The month before this one.
    pub fn previous(self) -> Month {
        match self.month {
            CalMonth::January => Month {
                year: self.year - 1,
                month: CalMonth::December,
            },
            m => Month {
                year: self.year,
                month: m.previous(),
            },
        }
    }

    /// Its first moment: midnight of the 1st in Prague, in UTC (databases
    /// compare moments stored in UTC).
    pub fn start(self) -> OffsetDateTime {
        let day = Date::from_calendar_date(self.year, self.month, 1).unwrap_or(Date::MIN);
        let local = PrimitiveDateTime::new(day, Time::MIDNIGHT);
        // The offset at that midnight (never a switch day: switches are Sundays at
        // 01:00 UTC, not midnights of the 1st).
        let guess = local.assume_utc();
        local
            .assume_offset(prague_offset(guess))
            .to_offset(time::UtcOffset::UTC)
    }

    /// The first moment of the next month.
    pub fn end(self) -> OffsetDateTime {
        self.next().start()
    }

    /// Whether `at` falls in this month.
    pub fn contains(self, at: OffsetDateTime) -> bool {
        at >= self.start() && at < self.end()
    }

    /// `listopad 2026` / `November 2026`.
    pub fn label(self, lang: Lang) -> String {
        const CS: [&str; 12] = [
            "leden",
            "únor",
            "březen",
            "duben",
            "květen",
            "červen",
            "červenec",
            "srpen",
            "září",
            "říjen",
            "listopad",
            "prosinec",
        ];
        let i = usize::from(u8::from(self.month)) - 1;
        match lang {
            Lang::Cs => format!("{} {}", CS[i], self.year),
            Lang::En => format!("{} {}", self.month, self.year),
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, u8::from(self.month))
    }
}

/// A month's statement, in haléře. Reversals and payouts are negative, as in the
/// ledger; `closing = opening + accruals + reversals + payouts + adjustments`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    pub month: Month,
    pub opening: i64,
    pub accruals: i64,
    pub reversals: i64,
    pub payouts: i64,
    pub adjustments: i64,
    pub closing: i64,
}

impl Statement {
    /// A month that starts at `opening` and has no lines yet.
    pub fn empty(month: Month, opening: i64) -> Statement {
        Statement {
            month,
            opening,
            accruals: 0,
            reversals: 0,
            payouts: 0,
            adjustments: 0,
            closing: opening,
        }
    }

    /// The month's statement from its lines and the balance before it.
    pub fn of<'a>(
        month: Month,
        opening: i64,
        lines: impl IntoIterator<Item = &'a CommissionEntryRecord>,
    ) -> Statement {
        let mut s = Statement::empty(month, opening);
        for e in lines {
            s.add(CommissionKind::parse(&e.kind), e.amount);
        }
        s
    }

    /// Adds one line of the month.
    pub fn add(&mut self, kind: Option<CommissionKind>, amount: i64) {
        match kind {
            Some(CommissionKind::Accrual) => self.accruals += amount,
            Some(CommissionKind::Reversal) => self.reversals += amount,
            Some(CommissionKind::Payout) => self.payouts += amount,
            Some(CommissionKind::Adjustment) | None => self.adjustments += amount,
        }
        self.closing += amount;
    }
}

/// When a ledger line was booked; none when its time does not read.
pub fn booked_at(entry: &CommissionEntryRecord) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(&entry.at, &time::format_description::well_known::Rfc3339).ok()
}

/// `month`'s statement from an adviser's whole ledger (in any order), and the
/// month's lines oldest first. A line whose time does not read counts in no month
/// but in the balance before every month (it cannot be placed later).
pub fn statement<'a>(
    entries: impl IntoIterator<Item = &'a CommissionEntryRecord>,
    month: Month,
) -> (Statement, Vec<&'a CommissionEntryRecord>) {
    let (start, end) = (month.start(), month.end());
    let mut opening = 0;
    let mut lines = Vec::new();
    for e in entries {
        match booked_at(e) {
            Some(at) if at >= end => {}
            Some(at) if at >= start => lines.push((at, e)),
            _ => opening += e.amount,
        }
    }
    lines.sort_by_key(|(at, _)| *at);
    let lines: Vec<&CommissionEntryRecord> = lines.into_iter().map(|(_, e)| e).collect();
    (Statement::of(month, opening, lines.iter().copied()), lines)
}

/// The months an adviser's ledger has lines in, newest first, with `now`'s month
/// always among them.
pub fn months<'a>(
    entries: impl IntoIterator<Item = &'a CommissionEntryRecord>,
    now: OffsetDateTime,
) -> Vec<Month> {
    let mut all: Vec<Month> = entries
        .into_iter()
        .filter_map(booked_at)
        .map(Month::of)
        .chain([Month::of(now)])
        .collect();
    all.sort_unstable_by(|a, b| b.cmp(a));
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn line(kind: &str, amount: i64, at: &str) -> CommissionEntryRecord {
        CommissionEntryRecord {
            kind: kind.into(),
            amount,
            at: at.into(),
            ..Default::default()
        }
    }

    #[test]
    fn months_are_read_and_written_as_people_type_them() {
        let m = Month::parse(" 2026-11 ").unwrap();
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.label(Lang::Cs), "listopad 2026");
        assert_eq!(m.label(Lang::En), "November 2026");
        assert_eq!(m.next().to_string(), "2026-12");
        assert_eq!(m.next().next().to_string(), "2027-01");
        assert_eq!(Month::parse("2027-01").unwrap().previous(), m.next());
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "", "2026-00"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_month_starts_at_midnight_in_prague() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(nov.start(), datetime!(2026-10-31 23:00 UTC));
        let jul = Month::parse("2026-07").unwrap();
        assert_eq!(jul.start(), datetime!(2026-06-30 22:00 UTC));
        // 23:30 UTC on 31 October is already November in Prague.
        assert_eq!(Month::of(datetime!(2026-10-31 23:30 UTC)), nov);
        assert!(!nov.contains(datetime!(2026-10-31 22:59 UTC)));
    }

    #[test]
    fn a_statement_adds_up() {
        let ledger = [
            line("accrual", 10_000, "2026-10-05T10:00:00Z"),
            line("payout", -4_000, "2026-10-20T10:00:00Z"),
            line("accrual", 5_000, "2026-11-02T10:00:00Z"),
            line("reversal", -1_000, "2026-11-03T10:00:00Z"),
            line("adjustment", 300, "2026-11-04T10:00:00Z"),
            line("payout", -2_000, "2026-11-30T22:59:00Z"),
            line("accrual", 7_000, "2026-11-30T23:00:00Z"),
        ];
        let (s, lines) = statement(&ledger, Month::parse("2026-11").unwrap());
        assert_eq!(s.opening, 6_000);
        assert_eq!(
            (s.accruals, s.reversals, s.payouts, s.adjustments),
            (5_000, -1_000, -2_000, 300)
        );
        assert_eq!(s.closing, 8_300);
        assert_eq!(lines.len(), 4);
        let (dec, _) = statement(&ledger, Month::parse("2026-12").unwrap());
        assert_eq!(dec.opening, s.closing);
        assert_eq!(dec.closing, 15_300);
        let all = months(&ledger, datetime!(2027-01-10 10:00 UTC));
        let names: Vec<String> = all.iter().map(|m| m.to_string()).collect();
        assert_eq!(names, ["2027-01", "2026-12", "2026-11", "2026-10"]);
    }
}
