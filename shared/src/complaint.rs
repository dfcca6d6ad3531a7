//! Complaints' rules the office and the phone share: the decisions and their
//! names, the statutory deadline (30 days from receipt) with the office's warning
//! at day 20 and alarm at day 25, the days left as people read them, and which
//! orders can be complained about (their glasses handed over).

use time::{Duration, OffsetDateTime};

use crate::{Lang, OrderStatus};

/// Days the law gives to settle a complaint.
pub const DEADLINE_DAYS: i64 = 30;
/// The day of a complaint's age from which the office is warned.
pub const WARN_DAY: i64 = 20;
/// The day from which it is an alarm.
pub const ALARM_DAY: i64 = 25;
/// How a complaint is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Repair,
    Remake,
    Refund,
    Reject,
}

impl Decision {
    /// All, in the order the office offers them.
    pub const ALL: [Decision; 4] = [
        Decision::Repair,
        Decision::Remake,
        Decision::Refund,
        Decision::Reject,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Repair => "repair",
            Decision::Remake => "remake",
            Decision::Refund => "refund",
            Decision::Reject => "reject",
        }
    }

    /// Reads a code.
    pub fn parse(code: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.code() == code.trim())
    }

    /// Its name in `lang`, as the customer reads it.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Decision::Repair => lang.pick("uznána — oprava", "accepted — repair"),
            Decision::Remake => lang.pick("uznána — nové brýle", "accepted — new glasses"),
            Decision::Refund => lang.pick("uznána — vrácení peněz", "accepted — refund"),
            Decision::Reject => lang.pick("zamítnuta", "rejected"),
        }
    }
}

/// How urgent an open complaint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Less than 20 days old.
    Calm,
    /// From day 20.
    Warning,
    /// From day 25.
    Alarm,
    /// Past the deadline.
    Overdue,
}

impl Urgency {
    /// The CSS class and stored name.
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Calm => "calm",
            Urgency::Warning => "warning",
            Urgency::Alarm => "alarm",
            Urgency::Overdue => "overdue",
        }
    }
}

/// The deadline of a complaint opened at `opened`.
pub fn deadline(opened: OffsetDateTime) -> OffsetDateTime {
    opened + Duration::days(DEADLINE_DAYS)
}

/// Days left until `deadline` at `now`, a started day counted whole (negative:
/// overdue by that many started days).
pub fn days_left(deadline: OffsetDateTime, now: OffsetDateTime) -> i64 {
    let seconds = (deadline - now).whole_seconds();
    if seconds >= 0 {
        (seconds + 86_399) / 86_400
    } else {
        -((-seconds + 86_399) / 86_400)
    }
}

/// How urgent a complaint opened at `opened` and still open is at `now`.
pub fn urgency(opened: OffsetDateTime, now: OffsetDateTime) -> Urgency {
    let age = (now - opened).whole_days();
    if now > deadline(opened) {
        Urgency::Overdue
    } else if age >= ALARM_DAY {
        Urgency::Alarm
    } else if age >= WARN_DAY {
        Urgency::Warning
    } else {
        Urgency::Calm
    }
}

/// Whether an order in `status` can be complained about: its glasses were
/// handed over (delivered, closed, or already in a complaint).
pub fn may_complain(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Delivered | OrderStatus::Closed | OrderStatus::Complaint
    )
}

/// "zbývá 5 dní" / "5 days left"; past the deadline "po lhůtě 2 d." / "2 days
/// overdue".
pub fn days_left_text(left: i64, l: Lang) -> String {
    if left >= 0 {
        match l {
            Lang::Cs => format!(
                "zbývá {left} {}",
                match left {
                    1 => "den",
                    2..=4 => "dny",
                    _ => "dní",
                }
            ),
            Lang::En => format!("{left} day{} left", if left == 1 { "" } else { "s" }),
        }
    } else {
        let over = -left;
        match l {
            Lang::Cs => format!("po lhůtě {over} d."),
            Lang::En => format!("{over} day{} overdue", if over == 1 { "" } else { "s" }),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_deadline_counts_down_and_alarms_at_day_20_and_25() {
        let opened = datetime!(2026-11-01 10:00 UTC);
        assert_eq!(deadline(opened), datetime!(2026-12-01 10:00 UTC));
        assert_eq!(
            urgency(opened, datetime!(2026-11-20 10:00 UTC)),
            Urgency::Calm
        );
        assert_eq!(
            urgency(opened, datetime!(2026-11-21 10:00 UTC)),
            Urgency::Warning
        );
        assert_eq!(
            urgency(opened, datetime!(2026-11-26 09:59 UTC)),
            Urgency::Warning
        );
        assert_eq!(
            urgency(opened, datetime!(2026-11-26 10:00 UTC)),
            Urgency::Alarm
        );
        assert_eq!(
            urgency(opened, datetime!(2026-12-01 10:01 UTC)),
            Urgency::Overdue
        );
        assert_eq!(
            days_left(deadline(opened), datetime!(2026-11-26 10:00 UTC)),
            5
        );
        assert_eq!(
            days_left(deadline(opened), datetime!(2026-11-26 10:01 UTC)),
            5
        );
        assert_eq!(
            days_left(deadline(opened), datetime!(2026-12-01 09:00 UTC)),
            1
        );
        assert_eq!(
            days_left(deadline(opened), datetime!(2026-12-01 11:00 UTC)),
            -1
        );
    }

    #[test]
    fn days_read_as_people_say_them() {
        assert_eq!(days_left_text(5, Lang::Cs), "zbývá 5 dní");
        assert_eq!(days_left_text(3, Lang::Cs), "zbývá 3 dny");
        assert_eq!(days_left_text(1, Lang::En), "1 day left");
        assert_eq!(days_left_text(-2, Lang::En), "2 days overdue");
    }
}
