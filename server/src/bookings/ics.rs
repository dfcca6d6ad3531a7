//! A booking as an iCalendar event (RFC 5545, the `icalendar` crate): the
//! confirmation's and the reminder's `.ics` attachment, which the customer's
//! calendar takes in one tap. The same UID every time, so a moved booking
//! updates the event rather than adding one.

use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use time::OffsetDateTime;

use super::store::Booking;

fn utc(t: OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), 0).unwrap_or_default()
}

/// The file's name.
pub const FILE_NAME: &str = "vysetreni-zraku.ics";

/// `b` as a calendar with one event; `link` is the booking's page.
pub fn calendar(b: &Booking, link: &str) -> String {
    let summary = if b.mobile {
        format!("Vyšetření zraku (mobilní ordinace) – {}", b.shop_name)
    } else {
        format!("Vyšetření zraku – {}", b.shop_name)
    };
    let description = format!(
        "Optometrista: {}\nZměna nebo zrušení termínu: {link}",
        b.optometrist
    );
    let event = Event::new()
        .uid(&format!("{}@fieldcase", b.id))
        .summary(&summary)
        .description(&description)
        .location(b.place())
        .starts(utc(b.starts_at))
        .ends(utc(b.ends_at))
        .status(EventStatus::Confirmed)
        .done();
    let mut cal = Calendar::new();
    cal.push(event);
    cal.append_property(icalendar::Property::new("METHOD", "PUBLISH"));
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn an_event_at_the_booked_time() {
        let b = Booking {
            id: Uuid::nil(),
            shop_id: Uuid::nil(),
            shop_name: "Praha 1".into(),
            shop_address: "Na Příkopě 1, Praha".into(),
            shift_id: Uuid::nil(),
            optometrist: "Mgr. Nová".into(),
            mobile: false,
            starts_at: datetime!(2026-12-08 9:00 UTC),
            ends_at: datetime!(2026-12-08 9:30 UTC),
            status: "approved".into(),
            name: "Jana".into(),
            email: String::new(),
            phone: String::new(),
            address: String::new(),
            note: String::new(),
            client_id: None,
            token: String::new(),
            created_at: datetime!(2026-12-01 9:00 UTC),
            decided_by: None,
            result: String::new(),
        };
        let text = calendar(&b, "https://hub/b/x");
        assert!(text.contains("BEGIN:VEVENT"), "{text}");
        assert!(text.contains("DTSTART:20261208T090000Z"), "{text}");
        assert!(text.contains("DTEND:20261208T093000Z"), "{text}");
        assert!(text.contains("LOCATION:Na Příkopě 1\\, Praha"), "{text}");
    }
}
