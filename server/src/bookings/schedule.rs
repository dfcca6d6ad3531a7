//! A store's schedule, the one path that checks and sets it: the opening hours
//! of each weekday, closed days (holidays) and the optometrists' shifts — from
//! the Bookings page's schedule box (`schedule_box.rs`) and `fieldcase
//! booking hours | close | shift`. Staff of the bookings' roles only; times
//! as `HH:MM`, a span ends after it starts, a weekday given once, a shift
//! names its optometrist and is not in the past.

use fieldcase_shared::{Lang, Role};
use time::{Date, OffsetDateTime, Time};

use super::rules::{Hours, STAFF, Shift, parse_time, prague_today, time_text};
use crate::store::Store;
use crate::store::actor::Actor;
use crate::store::error::StoreError;

/// The longest optometrist's name and closed day's reason.
const MAX_TEXT: usize = 100;

/// Why a schedule was not set.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("this role does not handle bookings")]
    Role,
    #[error("{0:?} is not HH:MM")]
    Time(String),
    #[error("{0:?} ends before it starts")]
    Span(String),
    #[error("weekday {0} is not 1–7 or is given twice")]
    Weekday(u8),
    #[error("the optometrist's name")]
    Optometrist,
    #[error("the reason is too long")]
    Reason,
    #[error("the day has passed")]
    Past,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ScheduleError {
    /// What a person is told.
    pub fn text(&self, l: Lang) -> String {
        match self {
            ScheduleError::Role => l
                .pick(
                    "Rozvrh nastavují prodejny, kancelář a péče o zákazníky.",
                    "This role does not handle bookings.",
                )
                .into(),
            ScheduleError::Time(t) => format!(
                "{} {t:?} {}",
                l.pick("Čas", "The time"),
                l.pick("není ve tvaru HH:MM.", "is not HH:MM.")
            ),
            ScheduleError::Span(t) => format!(
                "{} {t} {}",
                l.pick("Úsek", "The span"),
                l.pick("končí dřív, než začne.", "ends before it starts.")
            ),
            ScheduleError::Weekday(d) => format!(
                "{} {d} {}",
                l.pick("Den v týdnu", "Weekday"),
                l.pick(
                    "není 1–7 nebo je zadán dvakrát.",
                    "is not 1–7 or is given twice."
                )
            ),
            ScheduleError::Optometrist => l
                .pick(
                    "Uveďte optometristu (nejvýš 100 znaků).",
                    "Name the optometrist (at most 100 characters).",
                )
                .into(),
            ScheduleError::Reason => l
                .pick(
                    "Důvod má nejvýš 100 znaků.",
                    "The reason has at most 100 characters.",
                )
                .into(),
            ScheduleError::Past => l.pick("Ten den už minul.", "That day has passed.").into(),
            ScheduleError::Store(_) => l
                .pick(
                    "Rozvrh teď nelze uložit; zkuste to prosím za chvíli.",
                    "The schedule cannot be saved now; please try again shortly.",
                )
                .into(),
        }
    }
}

fn may(role: Role) -> Result<(), ScheduleError> {
    if STAFF.contains(&role) {
        Ok(())
    } else {
        Err(ScheduleError::Role)
    }
}

/// `HH:MM-HH:MM` (or the two halves) as a span that ends after it starts.
pub fn span(from: &str, to: &str) -> Result<(Time, Time), ScheduleError> {
    let a = parse_time(from).ok_or_else(|| ScheduleError::Time(from.trim().to_owned()))?;
    let b = parse_time(to).ok_or_else(|| ScheduleError::Time(to.trim().to_owned()))?;
    if a >= b {
        return Err(ScheduleError::Span(format!(
            "{}–{}",
            from.trim(),
            to.trim()
        )));
    }
    Ok((a, b))
}

/// Sets a store's opening hours (a weekday not given is closed).
pub async fn set_hours(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    shop: uuid::Uuid,
    hours: &[Hours],
) -> Result<(), ScheduleError> {
    may(role)?;
    for (i, h) in hours.iter().enumerate() {
        if !(1..=7).contains(&h.weekday) || hours[..i].iter().any(|x| x.weekday == h.weekday) {
            return Err(ScheduleError::Weekday(h.weekday));
        }
        if h.opens >= h.closes {
            return Err(ScheduleError::Span(format!(
                "{}–{}",
                time_text(h.opens),
                time_text(h.closes)
            )));
        }
    }
    Ok(store.set_hours(actor, shop, hours).await?)
}

/// Marks a day closed, with the reason shown to nobody but staff.
pub async fn close_day(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    shop: uuid::Uuid,
    day: Date,
    reason: &str,
) -> Result<(), ScheduleError> {
    may(role)?;
    let reason = reason.trim();
    if reason.chars().count() > MAX_TEXT || reason.chars().any(char::is_control) {
        return Err(ScheduleError::Reason);
    }
    if day < prague_today(OffsetDateTime::now_utc()) {
        return Err(ScheduleError::Past);
    }
    Ok(store.close_day(actor, shop, day, reason).await?)
}

/// Adds an optometrist's shift (its name trimmed).
pub async fn add_shift(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    mut shift: Shift,
) -> Result<(), ScheduleError> {
    may(role)?;
    shift.optometrist = shift.optometrist.trim().to_owned();
    let name = &shift.optometrist;
    if name.is_empty() || name.chars().count() > MAX_TEXT || name.chars().any(char::is_control) {
        return Err(ScheduleError::Optometrist);
    }
    if shift.starts >= shift.ends {
        return Err(ScheduleError::Span(format!(
            "{}–{}",
            time_text(shift.starts),
            time_text(shift.ends)
        )));
    }
    if shift.day < prague_today(OffsetDateTime::now_utc()) {
        return Err(ScheduleError::Past);
    }
    Ok(store.add_shift(actor, &shift).await?)
}
