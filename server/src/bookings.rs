//! Eye-exam bookings (issue 15, slice 4). A store's opening hours, closed days and
//! the optometrists' shifts (`rules.rs` cuts them into 30-minute slots) are what
//! a customer picks from on the store's public booking page (`public.rs`, no
//! login): the request is pending and holds its slot (the database lets exactly
//! one of simultaneous requests have it); the store's staff approve it or propose
//! another time on the Bookings page (`page.rs`); the customer confirms, cancels
//! or picks another time on the booking's own page (`/b/{token}`). Requesting,
//! approving, proposing, cancelling and the day-before reminder are events of the
//! notifications: the customer is e-mailed (with the `.ics` of `ics.rs`) or texted
//! as the office's triggers say. The exam's result (a prescription) is recorded
//! on the booking and shown on the customer's card. This file is the one path
//! that checks and changes bookings (`schedule.rs` a store's schedule, set on
//! the page's schedule box, `schedule_box.rs`); `store.rs` keeps them.

pub mod api;
pub mod cli;
pub mod ics;
pub mod page;
pub mod public;
pub mod rules;
pub mod schedule;
pub mod schedule_box;
pub mod store;

use fieldcase_shared::prescription::EyeRx;
use fieldcase_shared::validate::FieldError;
use fieldcase_shared::{Lang, Millimetres, Role};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use self::rules::{Contact, Refusal, STAFF, Slot, Status};
use self::store::{Booking, NewBooking};
use crate::store::Store;
use crate::store::actor::Actor;
use crate::store::error::StoreError;

/// Why a booking was not made or changed.
#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error("no such store")]
    NoShop,
    #[error("no such booking")]
    NotFound,
    #[error("the form: {0:?}")]
    Form(Vec<FieldError>),
    #[error("the slot: {0:?}")]
    Slot(Refusal),
    /// The booking is not in a state for this (another hand changed it first).
    #[error("the booking is {0:?} now")]
    State(Status),
    #[error("this role may not")]
    Role,
    /// A store's staff and another store's booking.
    #[error("another store's booking")]
    OtherStore,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BookingError {
    /// What a person is told.
    pub fn text(&self, l: Lang) -> String {
        match self {
            BookingError::NoShop => l.pick("Taková prodejna není.", "No such store.").into(),
            BookingError::NotFound => l.pick("Taková rezervace není.", "No such booking.").into(),
            BookingError::Form(errors) => rules::problems_text(errors, l),
            BookingError::Slot(r) => r.text(l).into(),
            BookingError::State(s) => format!(
                "{} {}.",
                l.pick(
                    "To už nejde: rezervace je teď",
                    "Not any more: the booking is now"
                ),
                s.label(l)
            ),
            BookingError::Role => l
                .pick(
                    "Rezervace vyřizují prodejny, kancelář a péče o zákazníky.",
                    "Bookings are handled by stores, the office and customer service.",
                )
                .into(),
            BookingError::OtherStore => l
                .pick(
                    "Rezervace jiné prodejny vyřizuje ta prodejna (nebo kancelář).",
                    "Another store's booking is handled by that store (or the office).",
                )
                .into(),
            BookingError::Store(_) => l
                .pick(
                    "Rezervaci teď nelze uložit; zkuste to prosím za chvíli.",
                    "The booking cannot be saved now; please try again shortly.",
                )
                .into(),
        }
    }
}

/// The free slots of `shop` on `day`.
pub async fn free_slots(
    store: &dyn Store,
    shop: Uuid,
    day: time::Date,
    now: OffsetDateTime,
) -> Result<Vec<Slot>, StoreError> {
    let plan = store.day_plan(shop, day).await?;
    Ok(rules::slots(
        day,
        plan.hours,
        plan.closed,
        &plan.shifts,
        &plan.taken,
        now,
    ))
}

/// The slot `(shift, at)` of `shop` if it is free, or why not.
async fn free_slot(
    store: &dyn Store,
    shop: Uuid,
    (shift, at): (Uuid, OffsetDateTime),
    now: OffsetDateTime,
) -> Result<Slot, BookingError> {
    if at < now + rules::LEAD {
        return Err(BookingError::Slot(Refusal::Past));
    }
    if at > now + Duration::days(rules::HORIZON_DAYS + 1) {
        return Err(BookingError::Slot(Refusal::OutsideHours));
    }
    let plan = store.day_plan(shop, rules::prague_today(at)).await?;
    let day = rules::prague_today(at);
    let all = rules::slots(day, plan.hours, plan.closed, &plan.shifts, &[], now);
    let free = rules::slots(day, plan.hours, plan.closed, &plan.shifts, &plan.taken, now);
    rules::check_slot(shift, at, &all, &free, now).map_err(BookingError::Slot)
}

/// A customer asks for the slot `key` at `shop`: the booking, pending (its
/// page's token with it), linked to the customer with that e-mail or phone.
pub async fn request(
    store: &dyn Store,
    shop: Uuid,
    key: (Uuid, OffsetDateTime),
    contact: &Contact,
    now: OffsetDateTime,
) -> Result<(Uuid, String), BookingError> {
    let slot = free_slot(store, shop, key, now).await?;
    let contact = rules::check_contact(contact, slot.mobile).map_err(BookingError::Form)?;
    let client = store
        .client_by_contact(&contact.email, &contact.phone)
        .await?;
    let b = NewBooking {
        id: Uuid::now_v7(),
        shop,
        slot,
        contact,
        client,
        token: crate::auth::new_token(),
    };
    match store.insert_booking(&b).await {
        Ok(()) => Ok((b.id, b.token)),
        Err(StoreError::Duplicate { .. }) => Err(BookingError::Slot(Refusal::Taken)),
        Err(e) => Err(e.into()),
    }
}

async fn found(store: &dyn Store, id: Uuid) -> Result<Booking, BookingError> {
    store.booking(id).await?.ok_or(BookingError::NotFound)
}

/// Sets `b`'s status to `to` if it is one of `from`.
async fn change(
    store: &dyn Store,
    actor: &Actor,
    b: &Booking,
    from: &[Status],
    to: Status,
) -> Result<(), BookingError> {
    let now = b.status()?;
    if !from.contains(&now) {
        return Err(BookingError::State(now));
    }
    if store.set_booking_status(actor, b.id, from, to).await? {
        Ok(())
    } else {
        Err(BookingError::State(found(store, b.id).await?.status()?))
    }
}

fn staff(role: Role) -> Result<(), BookingError> {
    if STAFF.contains(&role) {
        Ok(())
    } else {
        Err(BookingError::Role)
    }
}

/// Booking `id`, if `role` may handle it: a store's staff handle their own
/// store's bookings only (the office and customer service any).
async fn handled(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
) -> Result<Booking, BookingError> {
    staff(role)?;
    let b = found(store, id).await?;
    if role == Role::Store
        && let Some(user) = actor.user
        && let Some(shop) = store.get_user(user).await?.shop
        && shop.as_uuid() != b.shop_id
    {
        return Err(BookingError::OtherStore);
    }
    Ok(b)
}

/// Staff approve a pending booking: the slot is the customer's.
pub async fn approve(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<(), BookingError> {
    let b = handled(store, actor, role, id).await?;
    if b.starts_at < now {
        return Err(BookingError::Slot(Refusal::Past));
    }
    change(store, actor, &b, &[Status::Pending], Status::Approved).await
}

/// Staff propose another free slot for a pending booking; the customer confirms it.
pub async fn propose(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    key: (Uuid, OffsetDateTime),
    now: OffsetDateTime,
) -> Result<(), BookingError> {
    let b = handled(store, actor, role, id).await?;
    move_to(
        store,
        actor,
        &b,
        key,
        &[Status::Pending],
        Status::Proposed,
        now,
    )
    .await
}

async fn move_to(
    store: &dyn Store,
    actor: &Actor,
    b: &Booking,
    key: (Uuid, OffsetDateTime),
    from: &[Status],
    to: Status,
    now: OffsetDateTime,
) -> Result<(), BookingError> {
    let status = b.status()?;
    if !from.contains(&status) {
        return Err(BookingError::State(status));
    }
    let slot = free_slot(store, b.shop_id, key, now).await?;
    match store.move_booking(actor, b.id, from, &slot, to).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(BookingError::State(found(store, b.id).await?.status()?)),
        Err(StoreError::Duplicate { .. }) => Err(BookingError::Slot(Refusal::Taken)),
        Err(e) => Err(e.into()),
    }
}

/// Staff cancel a live booking.
pub async fn cancel(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
) -> Result<(), BookingError> {
    let b = handled(store, actor, role, id).await?;
    change(store, actor, &b, &LIVE, Status::Cancelled).await
}

const LIVE: [Status; 3] = [Status::Pending, Status::Proposed, Status::Approved];

/// Who the customer is in the audit.
pub fn customer() -> Actor {
    Actor {
        user: None,
        label: "zákazník".into(),
        via: crate::store::Via::Hub,
    }
}

/// What the customer does on the booking's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerStep {
    /// Takes the proposed time.
    Confirm,
    Cancel,
    /// Another slot (pending again).
    Move(Uuid, OffsetDateTime),
}

/// The customer's step on booking `b`.
pub async fn by_customer(
    store: &dyn Store,
    b: &Booking,
    step: CustomerStep,
    now: OffsetDateTime,
) -> Result<(), BookingError> {
    let who = customer();
    match step {
        CustomerStep::Confirm => {
            change(store, &who, b, &[Status::Proposed], Status::Approved).await
        }
        CustomerStep::Cancel => change(store, &who, b, &LIVE, Status::Cancelled).await,
        CustomerStep::Move(shift, at) => {
            move_to(store, &who, b, (shift, at), &LIVE, Status::Pending, now).await
        }
    }
}

/// An exam's result: both eyes and the pupillary distance.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExamResult {
    pub right: EyeRx,
    pub left: EyeRx,
    pub pd_binocular_mm: Option<Millimetres>,
    pub measured_by: String,
    pub note: String,
}

/// Staff record an approved booking's result (then it is done).
pub async fn record(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    result: &ExamResult,
) -> Result<(), BookingError> {
    let mut errors = result.right.validate("right");
    errors.extend(result.left.validate("left"));
    let b = handled(store, actor, role, id).await?;
    if !errors.is_empty() {
        return Err(BookingError::Form(errors));
    }
    let json = serde_json::to_string(result).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if store.record_result(actor, id, &json).await? {
        Ok(())
    } else {
        Err(BookingError::State(b.status()?))
    }
}

/// Marks the reminders due at `now`: approved bookings of tomorrow (Prague),
/// approved before today (one approved today was just confirmed); how many.
pub async fn remind_due(store: &dyn Store, now: OffsetDateTime) -> Result<u64, StoreError> {
    let today = rules::prague_today(now);
    let midnight = |d: time::Date| rules::prague(d, time::Time::MIDNIGHT);
    let tomorrow = today + Duration::days(1);
    store
        .mark_reminders(
            midnight(tomorrow),
            midnight(tomorrow + Duration::days(1)),
            midnight(today),
            now,
        )
        .await
}
