//! Calendar arithmetic the rules share (segments' "N months ago", reminders' "N
//! months after").

use time::{Date, Month};

/// The day `months` calendar months after `day` (before it when negative); the
/// 31st becomes the month's last day.
pub fn add_months(day: Date, months: i64) -> Date {
    let total = i64::from(day.year()) * 12 + i64::from(u8::from(day.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(day.year());
    let month = u8::try_from(total.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}
