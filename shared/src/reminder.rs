//! Reminders: the office's rules that turn a customer's history into a task for
//! their adviser — an eye exam some months after the last prescription, new contact
//! lenses before the supply bought runs out. The hub finds what is due and writes it
//! as a task into the adviser's workspace (the phone's Today screen); the adviser
//! marks it done or snoozes it, and that syncs back. The date rules are here so the
//! hub, its tests and the phone agree.

use time::{Date, Duration};

use crate::docs::records::VisitRecord;

/// How far a snooze moves a reminder.
pub const SNOOZE_DAYS: i64 = 7;

/// A kind of reminder rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// An eye exam `months` after the last prescription.
    EyeExam,
    /// New contact lenses when the supply bought runs out (days per unit sold).
    ContactLenses,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 2] = [Rule::EyeExam, Rule::ContactLenses];

    /// Its code (SQL, API).
    pub fn code(self) -> &'static str {
        match self {
            Rule::EyeExam => "eye_exam",
            Rule::ContactLenses => "contact_lenses",
        }
    }

    /// The rule with this code.
    pub fn parse(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The kind of the task it makes in the workspace (`VISIT_KINDS`).
    pub fn visit_kind(self) -> &'static str {
        match self {
            Rule::EyeExam => "exam_reminder",
            Rule::ContactLenses => "lens_reminder",
        }
    }

    /// The rule whose tasks are of `kind`.
    pub fn of_task(kind: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.visit_kind() == kind)
    }

    /// Its name.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Rule::EyeExam => lang.pick("Vyšetření zraku", "Eye exam"),
            Rule::ContactLenses => lang.pick("Kontaktní čočky docházejí", "Contact lenses run out"),
        }
    }
}

/// The day `months` calendar months after `day` (the 31st becomes the month's
/// last day).
pub fn months_after(day: Date, months: u32) -> Date {
    crate::calendar::add_months(day, i64::from(months))
}

/// When contact lenses bought on `bought` run out: `units` × `days_per_unit` later.
pub fn supply_ends(bought: Date, units: u32, days_per_unit: u32) -> Date {
    let days = i64::from(units) * i64::from(days_per_unit);
    bought
        .checked_add(Duration::days(days))
        .unwrap_or(Date::MAX)
}

/// The task a reminder makes for the adviser: for `client` (id), named `name`, due
/// on `due` (`basis`: what it follows, for the text: the last prescription's day or
/// the order's number). Czech, as the advisers' documents are.
pub fn task(rule: Rule, client: &str, name: &str, due: Date, basis: &str) -> VisitRecord {
    let title = match rule {
        Rule::EyeExam => format!("Pozvat na vyšetření zraku: {name} (poslední předpis {basis})"),
        Rule::ContactLenses => {
            format!("Nabídnout nové kontaktní čočky: {name} (zásoba z objednávky {basis} dochází)")
        }
    };
    VisitRecord {
        client: client.to_owned(),
        kind: rule.visit_kind().to_owned(),
        title,
        planned_for: due.to_string(),
        note: String::new(),
        done_at: String::new(),
    }
}

/// The task snoozed on `today`: planned [`SNOOZE_DAYS`] after today or after when
/// it was planned, whichever is later.
pub fn snoozed(task: &VisitRecord, today: Date) -> VisitRecord {
    let from = task.planned_date().map_or(today, |d| d.max(today));
    VisitRecord {
        planned_for: (from + Duration::days(SNOOZE_DAYS)).to_string(),
        ..task.clone()
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_and_supplies_count_as_a_calendar_does() {
        assert_eq!(
            months_after(date!(2024 - 03 - 15), 24),
            date!(2026 - 03 - 15)
        );
        assert_eq!(
            months_after(date!(2024 - 01 - 31), 1),
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            months_after(date!(2025 - 11 - 30), 3),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            supply_ends(date!(2026 - 01 - 01), 2, 30),
            date!(2026 - 03 - 02)
        );
        assert_eq!(Rule::parse("contact_lenses"), Some(Rule::ContactLenses));
        assert_eq!(Rule::parse("nope"), None);
    }

    #[test]
    fn a_task_is_due_and_snoozes_a_week_from_today_or_its_day() {
        let t = task(
            Rule::EyeExam,
            "c1",
            "Jana Nová",
            date!(2026 - 12 - 01),
            "1. 12. 2024",
        );
        assert_eq!(t.kind, "exam_reminder");
        assert!(t.problems().is_empty(), "{:?}", t.problems());
        assert!(t.title.contains("Jana Nová"));
        assert_eq!(snoozed(&t, date!(2026 - 12 - 04)).planned_for, "2026-12-11");
        assert_eq!(snoozed(&t, date!(2026 - 11 - 20)).planned_for, "2026-12-08");
        let l = task(
            Rule::ContactLenses,
            "c1",
            "Jana Nová",
            date!(2026 - 12 - 01),
            "2026000123",
        );
        assert_eq!(l.kind, "lens_reminder");
        assert!(l.problems().is_empty());
    }
}
