//! The demo's eye exams: every store open Monday to Friday 9–18 and Saturday
//! 9–12, closed on the Christmas holidays and New Year's Day; two optometrists a
//! weekday (9–13, 13–18) and one on Saturday for the next two weeks; the first
//! store's mobile room on Wednesday afternoons; and three bookings there of demo
//! customers: one waiting for approval, one approved, one examined yesterday
//! with its result.

use fieldcase_shared::{Diopters, EyeRx, StoreId};
use time::{Duration, OffsetDateTime, Time, Weekday};
use uuid::Uuid;

use crate::bookings::ExamResult;
use crate::bookings::rules::{Contact, Hours, Shift, Slot, Status, prague, prague_today};
use crate::bookings::store::NewBooking;
use crate::store::{Actor, Store};

fn at(h: u8) -> Time {
    Time::from_hms(h, 0, 0).unwrap_or(Time::MIDNIGHT)
}

/// Seeds the hours, closed days, shifts and bookings.
pub async fn seed(store: &dyn Store, actor: &Actor, shops: &[StoreId]) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let today = prague_today(now);
    let mut hours: Vec<Hours> = (1..=5)
        .map(|weekday| Hours {
            weekday,
            opens: at(9),
            closes: at(18),
        })
        .collect();
    hours.push(Hours {
        weekday: 6,
        opens: at(9),
        closes: at(12),
    });
    let mut first_shifts = Vec::new();
    for (i, shop) in shops.iter().enumerate() {
        let shop = shop.as_uuid();
        store.set_hours(actor, shop, &hours).await?;
        for (month, day, why) in [
            (12, 24, "Štědrý den"),
            (12, 25, "1. svátek vánoční"),
            (12, 26, "2. svátek vánoční"),
            (1, 1, "Nový rok"),
        ] {
            let year = if month == 1 {
                today.year() + 1
            } else {
                today.year()
            };
            let month = time::Month::try_from(month).unwrap_or(time::Month::January);
            if let Ok(d) = time::Date::from_calendar_date(year, month, day) {
                store.close_day(actor, shop, d, why).await?;
            }
        }
        for offset in -1..14 {
            let day = today + Duration::days(offset);
            let mut plan = match day.weekday() {
                Weekday::Sunday => vec![],
                Weekday::Saturday => vec![("Mgr. Jana Veselá", 9, 12, false)],
                _ => vec![
                    ("Mgr. Jana Veselá", 9, 13, false),
                    ("Bc. Petr Dvořák", 13, 18, false),
                ],
            };
            if i == 0 && day.weekday() == Weekday::Wednesday {
                plan.push(("Bc. Petr Dvořák", 14, 18, true));
            }
            for (name, from, to, mobile) in plan {
                let s = Shift {
                    id: Uuid::now_v7(),
                    shop,
                    optometrist: name.to_owned(),
                    day,
                    starts: at(from),
                    ends: at(to),
                    mobile,
                };
                store.add_shift(actor, &s).await?;
                if i == 0 && !mobile {
                    first_shifts.push(s);
                }
            }
        }
    }
    let Some(shop) = shops.first().map(|s| s.as_uuid()) else {
        return Ok(());
    };
    // Yesterday's exam, tomorrow's approved one, the day after's request: three
    // demo customers with an e-mail (their cards show the exams).
    let filter = crate::customers::store::CustomerFilter {
        limit: 50,
        ..Default::default()
    };
    let people: Vec<(String, String, String, i64)> = store
        .list_customers(&filter)
        .await?
        .into_iter()
        .filter(|c| c.email.contains('@'))
        .zip([-1, 1, 2])
        .map(|(c, offset)| {
            (
                format!("{} {}", c.first_name, c.last_name),
                c.email,
                c.phone,
                offset,
            )
        })
        .collect();
    for (name, email, phone, offset) in people {
        let (name, email, phone) = (name.as_str(), email.as_str(), phone.as_str());
        let day = today + Duration::days(offset);
        let Some(s) = first_shifts
            .iter()
            .find(|s| s.day == day && s.starts == at(9))
        else {
            continue;
        };
        let starts_at = prague(day, at(10));
        let b = NewBooking {
            id: Uuid::now_v7(),
            shop,
            slot: Slot {
                shift: s.id,
                optometrist: s.optometrist.clone(),
                mobile: false,
                starts_at,
                ends_at: starts_at + Duration::minutes(30),
            },
            contact: Contact {
                name: name.into(),
                email: email.into(),
                phone: phone.into(),
                ..Contact::default()
            },
            client: store.client_by_contact(email, phone).await?,
            token: crate::auth::new_token(),
        };
        store.insert_booking(&b).await?;
        if offset < 2 {
            store
                .set_booking_status(actor, b.id, &[Status::Pending], Status::Approved)
                .await?;
        }
        if offset < 0 {
            let eye = |sph: i32| EyeRx {
                sph: Diopters::from_hundredths(sph),
                ..EyeRx::default()
            };
            let result = ExamResult {
                right: eye(-125),
                left: eye(-150),
                measured_by: s.optometrist.clone(),
                ..ExamResult::default()
            };
            store
                .record_result(actor, b.id, &serde_json::to_string(&result)?)
                .await?;
        }
    }
    Ok(())
}
