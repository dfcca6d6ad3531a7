//! Calendar arithmetic the rules share (segments' "N months ago", reminders' "N
//! months after") and the day as people type it.

use time::{Date, Month};

/// A day written `YYYY-MM-DD` (spaces around it ignored), as forms, the API and
/// the command line take it.
pub fn parse_day(text: &str) -> Option<Date> {
    Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

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

/// A moment as people in Prague read it: `8. 12. 2026 09:30`.
pub fn prague_text(t: time::OffsetDateTime) -> String {
    let local = t.to_offset(prague_offset(t));
    format!(
        "{}. {}. {} {:02}:{:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

/// Central European time: UTC+2 from the last Sunday of March to the last Sunday of
/// October (01:00 UTC switch), else UTC+1.
pub fn prague_offset(t: time::OffsetDateTime) -> time::UtcOffset {
    let year = t.year();
    let last_sunday = |month: time::Month| {
        let mut d = time::Date::from_calendar_date(year, month, 31).unwrap_or(time::Date::MIN);
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day().unwrap_or(d);
        }
        d.with_hms(1, 0, 0)
            .map(|dt| dt.assume_utc())
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    };
    let summer = t >= last_sunday(time::Month::March) && t < last_sunday(time::Month::October);
    time::UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn days_are_read_as_people_type_them() {
        assert_eq!(
            parse_day(" 2026-12-05 "),
            Some(time::macros::date!(2026 - 12 - 05))
        );
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("5. 12. 2026"), None);
        assert_eq!(parse_day(""), None);
    }
}
