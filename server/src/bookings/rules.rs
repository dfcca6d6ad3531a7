//! Booking rules, pure: the slots of a day (30 minutes each, inside a shift and —
//! at the store — inside the opening hours, none on a closed day, none already
//! held, none that has begun or begins within the hour, none beyond the booking
//! horizon), what a request must say (a name, an e-mail or a phone, the address
//! for the mobile room), the statuses and who may do what.

use fieldcase_shared::calendar::prague_offset;
use fieldcase_shared::validate::{self, FieldError};
use fieldcase_shared::{Lang, Role};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use uuid::Uuid;

/// Minutes of one exam.
pub const SLOT_MINUTES: i64 = 30;
/// How soon a slot may be booked at the earliest (from now).
pub const LEAD: Duration = Duration::hours(1);
/// How far ahead a slot may be booked.
pub const HORIZON_DAYS: i64 = 60;

/// Who sees the bookings and approves them in the office.
pub const STAFF: &[Role] = &[
    Role::Admin,
    Role::Office,
    Role::Store,
    Role::CustomerService,
];

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Asked for; waits for the store.
    Pending,
    /// The store offered another time; waits for the customer.
    Proposed,
    /// Approved: the slot is the customer's.
    Approved,
    Cancelled,
    /// Examined; the result is recorded.
    Done,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Pending,
        Status::Proposed,
        Status::Approved,
        Status::Cancelled,
        Status::Done,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Proposed => "proposed",
            Status::Approved => "approved",
            Status::Cancelled => "cancelled",
            Status::Done => "done",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Status::Pending => l.pick("čeká na potvrzení", "waiting for approval"),
            Status::Proposed => l.pick("navržen jiný termín", "another time proposed"),
            Status::Approved => l.pick("potvrzeno", "approved"),
            Status::Cancelled => l.pick("zrušeno", "cancelled"),
            Status::Done => l.pick("vyšetřeno", "examined"),
        }
    }

    /// Whether it holds its slot.
    pub fn live(self) -> bool {
        matches!(self, Status::Pending | Status::Proposed | Status::Approved)
    }
}

/// A store's hours on one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hours {
    /// 1 Monday … 7 Sunday.
    pub weekday: u8,
    pub opens: Time,
    pub closes: Time,
}

/// An optometrist's shift on a day (`mobile`: in the mobile room, at customers' homes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub id: Uuid,
    pub shop: Uuid,
    pub optometrist: String,
    pub day: Date,
    pub starts: Time,
    pub ends: Time,
    pub mobile: bool,
}

/// A bookable slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub shift: Uuid,
    pub optometrist: String,
    pub mobile: bool,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
}

impl Slot {
    /// The form's value naming it: `{shift}/{unix seconds}`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.shift, self.starts_at.unix_timestamp())
    }
}

/// Reads a slot's form value: the shift and the start.
pub fn parse_key(key: &str) -> Option<(Uuid, OffsetDateTime)> {
    let (shift, at) = key.trim().split_once('/')?;
    let at = OffsetDateTime::from_unix_timestamp(at.parse().ok()?).ok()?;
    Some((shift.parse().ok()?, at))
}

/// `HH:MM`.
pub fn parse_time(text: &str) -> Option<Time> {
    Time::parse(
        text.trim(),
        time::macros::format_description!("[hour]:[minute]"),
    )
    .ok()
}

/// `HH:MM` of `t`.
pub fn time_text(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The moment `day` at `t` in Prague, in UTC.
pub fn prague(day: Date, t: Time) -> OffsetDateTime {
    let local = PrimitiveDateTime::new(day, t);
    local
        .assume_offset(prague_offset(local.assume_utc()))
        .to_offset(UtcOffset::UTC)
}

/// Today in Prague.
pub fn prague_today(now: OffsetDateTime) -> Date {
    now.to_offset(prague_offset(now)).date()
}

/// The free slots of `day`: each shift cut into [`SLOT_MINUTES`]; at the store
/// only inside `hours` (the day's opening hours; none: closed), the mobile room
/// by its shift alone; none on a `closed` day, none in `taken` (shift and start
/// of the live bookings), none before `now` + [`LEAD`] or past the horizon.
pub fn slots(
    day: Date,
    hours: Option<Hours>,
    closed: bool,
    shifts: &[Shift],
    taken: &[(Uuid, OffsetDateTime)],
    now: OffsetDateTime,
) -> Vec<Slot> {
    if closed || day > prague_today(now) + Duration::days(HORIZON_DAYS) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for s in shifts.iter().filter(|s| s.day == day) {
        let (from, to) = if s.mobile {
            (s.starts, s.ends)
        } else {
            match hours {
                Some(h) => (s.starts.max(h.opens), s.ends.min(h.closes)),
                None => continue,
            }
        };
        let mut at = prague(day, from);
        let end = prague(day, to);
        while at + Duration::minutes(SLOT_MINUTES) <= end {
            let ends_at = at + Duration::minutes(SLOT_MINUTES);
            if at >= now + LEAD && !taken.iter().any(|(shift, t)| *shift == s.id && *t == at) {
                out.push(Slot {
                    shift: s.id,
                    optometrist: s.optometrist.clone(),
                    mobile: s.mobile,
                    starts_at: at,
                    ends_at,
                });
            }
            at = ends_at;
        }
    }
    out.sort_by(|a, b| (a.starts_at, &a.optometrist).cmp(&(b.starts_at, &b.optometrist)));
    out
}

/// Why a slot cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It has begun, or begins within the hour.
    Past,
    /// Not a slot of the day: outside the hours or the shift, a closed day, not on the half hour.
    OutsideHours,
    /// Someone else holds it.
    Taken,
}

impl Refusal {
    pub fn text(self, l: Lang) -> &'static str {
        match self {
            Refusal::Past => l.pick(
                "Tento termín už minul nebo začíná do hodiny; vyberte prosím jiný.",
                "This time has passed or begins within the hour; please pick another.",
            ),
            Refusal::OutsideHours => l.pick(
                "V tento čas se nevyšetřuje (mimo otevírací dobu nebo směnu); vyberte prosím jiný termín.",
                "There are no exams at this time (outside the opening hours or shifts); please pick another time.",
            ),
            Refusal::Taken => l.pick(
                "Tento termín si právě zamluvil někdo jiný; vyberte prosím jiný.",
                "Someone else has just booked this time; please pick another.",
            ),
        }
    }
}

/// Whether `(shift, at)` can be booked among the day's `free` slots (computed
/// without `taken`: `all`): the refusal's reason otherwise.
pub fn check_slot(
    shift: Uuid,
    at: OffsetDateTime,
    all: &[Slot],
    free: &[Slot],
    now: OffsetDateTime,
) -> Result<Slot, Refusal> {
    if at < now + LEAD {
        return Err(Refusal::Past);
    }
    if let Some(slot) = free.iter().find(|s| s.shift == shift && s.starts_at == at) {
        return Ok(slot.clone());
    }
    if all.iter().any(|s| s.shift == shift && s.starts_at == at) {
        Err(Refusal::Taken)
    } else {
        Err(Refusal::OutsideHours)
    }
}

/// What the customer fills in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Where the mobile room comes (its bookings only).
    pub address: String,
    pub note: String,
    /// The language of the page it was asked on (the messages' language).
    pub lang: Lang,
}

/// The field of the error "neither an e-mail nor a phone".
pub const REACH: &str = "reach";

/// The form's problems as one text in `l`.
pub fn problems_text(errors: &[FieldError], l: Lang) -> String {
    errors
        .iter()
        .map(|e| {
            let field = match e.field.as_str() {
                REACH => {
                    return l
                        .pick(
                            "Vyplňte e-mail nebo telefon, ať vám můžeme termín potvrdit.",
                            "Fill in an e-mail or a phone so that we can confirm the time.",
                        )
                        .to_owned();
                }
                "name" => l.pick("Jméno", "Name"),
                "email" => "E-mail",
                "phone" => l.pick("Telefon", "Phone"),
                "address" => l.pick("Adresa", "Address"),
                _ => l.pick("Poznámka", "Note"),
            };
            format!("{field}: {}", e.message(l))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The contact checked and tidied (the phone as `+420 …`): every problem otherwise.
pub fn check_contact(c: &Contact, mobile: bool) -> Result<Contact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut ok = |r: Result<String, FieldError>| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            String::new()
        }
    };
    let name =
        ok(validate::required("name", &c.name).and_then(|n| validate::max_len("name", &n, 120)));
    let email = if c.email.trim().is_empty() {
        String::new()
    } else {
        ok(validate::email("email", &c.email))
    };
    let phone = if c.phone.trim().is_empty() {
        String::new()
    } else {
        ok(validate::phone_cz("phone", &c.phone))
    };
    let address = if mobile {
        ok(validate::required("address", &c.address)
            .and_then(|a| validate::max_len("address", &a, 200)))
    } else {
        String::new()
    };
    let note = ok(validate::max_len("note", c.note.trim(), 500));
    if c.email.trim().is_empty() && c.phone.trim().is_empty() {
        errors.push(FieldError::new(REACH, validate::Problem::Required));
    }
    if errors.is_empty() {
        Ok(Contact {
            name,
            email,
            phone,
            address,
            note,
            lang: c.lang,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime, time};

    use super::*;

    fn shift(day: Date, starts: Time, ends: Time, mobile: bool) -> Shift {
        Shift {
            id: Uuid::now_v7(),
            shop: Uuid::nil(),
            optometrist: "Mgr. Nová".into(),
            day,
            starts,
            ends,
            mobile,
        }
    }

    #[test]
    fn slots_lie_inside_the_hours_and_the_shift() {
        let day = date!(2026 - 12 - 08); // a Tuesday, winter: UTC+1
        let now = datetime!(2026-12-07 10:00 UTC);
        let hours = Hours {
            weekday: 2,
            opens: time!(9:00),
            closes: time!(12:00),
        };
        let s = shift(day, time!(8:00), time!(10:30), false);
        let all = slots(day, Some(hours), false, std::slice::from_ref(&s), &[], now);
        let starts: Vec<_> = all.iter().map(|x| x.starts_at).collect();
        assert_eq!(
            starts,
            [
                datetime!(2026-12-08 8:00 UTC),
                datetime!(2026-12-08 8:30 UTC),
                datetime!(2026-12-08 9:00 UTC),
            ]
        );
        // Taken, closed, no hours, the mobile room by its shift alone.
        let free = slots(
            day,
            Some(hours),
            false,
            std::slice::from_ref(&s),
            &[(s.id, starts[1])],
            now,
        );
        assert_eq!(free.len(), 2);
        assert!(slots(day, Some(hours), true, std::slice::from_ref(&s), &[], now).is_empty());
        assert!(slots(day, None, false, std::slice::from_ref(&s), &[], now).is_empty());
        let van = shift(day, time!(14:00), time!(15:00), true);
        assert_eq!(slots(day, None, false, &[van], &[], now).len(), 2);
        // Within the hour, and checks say why.
        let soon = datetime!(2026-12-08 7:45 UTC);
        let late = slots(day, Some(hours), false, std::slice::from_ref(&s), &[], soon);
        assert_eq!(late.len(), 1);
        assert_eq!(
            check_slot(s.id, starts[0], &all, &late, soon),
            Err(Refusal::Past)
        );
        assert_eq!(
            check_slot(s.id, starts[1], &all, &free, now),
            Err(Refusal::Taken)
        );
        assert_eq!(
            check_slot(s.id, datetime!(2026-12-08 11:00 UTC), &all, &all, now),
            Err(Refusal::OutsideHours)
        );
        assert_eq!(
            check_slot(s.id, starts[2], &all, &free, now).map(|x| x.starts_at),
            Ok(starts[2])
        );
        let key = all[0].key();
        assert_eq!(parse_key(&key), Some((s.id, starts[0])));
    }

    #[test]
    fn a_request_names_someone_reachable() {
        let c = Contact {
            name: "Jana Nováková".into(),
            phone: "603123456".into(),
            ..Contact::default()
        };
        assert_eq!(
            check_contact(&c, false).map(|c| c.phone),
            Ok("+420 603 123 456".into())
        );
        assert!(
            check_contact(&c, true).is_err(),
            "the mobile room needs the address"
        );
        let nobody = Contact {
            name: "Jana".into(),
            ..Contact::default()
        };
        assert!(check_contact(&nobody, false).is_err());
    }
}
