//! `/api/v1/bookings/…`: eye-exam bookings listed (from a moment on, a store's,
//! the waiting ones), a store's free slots of a day, and the store's steps —
//! approve, propose another slot, cancel — through the same service as the
//! office's page. Reading takes `customers:read`, changing `customers:write`; the
//! roles as on the page (`rules::STAFF`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldcase_shared::Lang;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::BookingError;
use super::rules::{self, STAFF, Slot};
use super::store::{Booking, BookingFilter};
use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::api::params::{limit_or, uuid_param};
use crate::error::{AppError, json_body};
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// The booking routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_bookings))
        .routes(routes!(booking_slots))
        .routes(routes!(approve_booking))
        .routes(routes!(propose_booking))
        .routes(routes!(cancel_booking))
}

fn staff(caller: Caller, scope: Scope) -> Result<ApiCaller, AppError> {
    let caller = caller.with(scope)?;
    if !STAFF.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this role does not handle bookings".into(),
        ));
    }
    Ok(caller)
}

fn refused(e: BookingError) -> AppError {
    match e {
        BookingError::Role | BookingError::OtherStore => AppError::Forbidden(e.text(Lang::En)),
        BookingError::NotFound | BookingError::NoShop => AppError::NotFound,
        BookingError::Form(fields) => AppError::Invalid(fields),
        BookingError::Slot(_) => AppError::Unprocessable {
            field: "slot".into(),
            message: e.text(Lang::En),
        },
        BookingError::State(_) => AppError::Stale(e.text(Lang::En)),
        BookingError::Store(s) => s.into(),
    }
}

/// A store's step on a booking without a body.
enum Step {
    Approve,
    Cancel,
}

/// `step` on booking `id` (the path's text) as the caller: 204, or why not.
async fn step(
    state: &AppState,
    caller: Caller,
    id: &str,
    step: Step,
) -> Result<StatusCode, AppError> {
    let caller = staff(caller, Scope::CustomersWrite)?;
    let id = uuid_param("id", id)?;
    let (store, actor, role) = (state.store.as_ref(), caller.actor(), caller.role());
    match step {
        Step::Approve => super::approve(store, &actor, role, id, OffsetDateTime::now_utc()).await,
        Step::Cancel => super::cancel(store, &actor, role, id).await,
    }
    .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A booking.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingOut {
    #[schema(format = "uuid")]
    pub id: String,
    /// The store's code.
    pub store: String,
    pub optometrist: String,
    /// In the mobile room, at `address`.
    pub mobile: bool,
    pub starts_at: String,
    pub ends_at: String,
    /// `pending`, `proposed`, `approved`, `cancelled` or `done`.
    pub status: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub note: String,
    /// The customer it was linked to (by e-mail or phone).
    #[schema(format = "uuid")]
    pub customer: Option<String>,
}

fn out(b: Booking, code: &str) -> BookingOut {
    BookingOut {
        id: b.id.to_string(),
        store: code.to_owned(),
        optometrist: b.optometrist,
        mobile: b.mobile,
        starts_at: rfc3339(b.starts_at),
        ends_at: rfc3339(b.ends_at),
        status: b.status,
        name: b.name,
        email: b.email,
        phone: b.phone,
        address: b.address,
        note: b.note,
        customer: b.client_id.map(|c| c.to_string()),
    }
}

/// The stores by id and code.
async fn shops(state: &AppState) -> Result<Vec<(uuid::Uuid, String)>, AppError> {
    Ok(state
        .store
        .list_shops()
        .await?
        .into_iter()
        .map(|s| (s.id.as_uuid(), s.code))
        .collect())
}

fn shop_of(shops: &[(uuid::Uuid, String)], code: &str) -> Result<uuid::Uuid, AppError> {
    shops
        .iter()
        .find(|(_, c)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(id, _)| *id)
        .ok_or(AppError::NotFound)
}

/// Which bookings.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// One store's (its code).
    pub store: Option<String>,
    /// Only those waiting for the store's approval.
    pub pending: Option<bool>,
    /// From this moment (RFC 3339); from 12 hours ago when not given.
    pub from: Option<String>,
    /// How many (1–500; 100 when not given).
    pub limit: Option<i64>,
}

/// Bookings by their time.
#[utoipa::path(
    get, path = "/api/v1/bookings", tag = "bookings",
    params(ListQuery),
    responses(
        (status = 200, description = "The bookings.", body = Vec<BookingOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not handle bookings.", body = ErrorBody),
        (status = 404, description = "No store has that code.", body = ErrorBody),
        (status = 422, description = "The limit is not 1–500, or `from` is not a moment.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_bookings(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<BookingOut>>, AppError> {
    staff(caller, Scope::CustomersRead)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let limit = limit_or(q.limit, 100)?;
    let shops = shops(&state).await?;
    let shop = q.store.as_deref().map(|c| shop_of(&shops, c)).transpose()?;
    let from = match q.from.as_deref() {
        Some(t) => OffsetDateTime::parse(t.trim(), &time::format_description::well_known::Rfc3339)
            .map_err(|_| AppError::Unprocessable {
                field: "from".into(),
                message: "not an RFC 3339 moment".into(),
            })?,
        None => OffsetDateTime::now_utc() - time::Duration::hours(12),
    };
    let filter = BookingFilter {
        shop,
        from: Some(from),
        pending_only: q.pending.unwrap_or(false),
        client: None,
    };
    let list = state.store.bookings(filter, limit).await?;
    Ok(Json(
        list.into_iter()
            .map(|b| {
                let code = shops
                    .iter()
                    .find(|(id, _)| *id == b.shop_id)
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
                out(b, &code)
            })
            .collect(),
    ))
}

/// A free slot.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotOut {
    /// What to send to take or propose it.
    pub slot: String,
    pub starts_at: String,
    pub ends_at: String,
    pub optometrist: String,
    pub mobile: bool,
}

fn slot_out(s: Slot) -> SlotOut {
    SlotOut {
        slot: s.key(),
        starts_at: rfc3339(s.starts_at),
        ends_at: rfc3339(s.ends_at),
        optometrist: s.optometrist,
        mobile: s.mobile,
    }
}

/// Which day's slots.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// The store's code.
    pub store: String,
    /// The day, `YYYY-MM-DD`.
    pub day: String,
}

/// A store's free slots on a day (from its opening hours, the shifts and what is held).
#[utoipa::path(
    get, path = "/api/v1/bookings/slots", tag = "bookings",
    params(SlotsQuery),
    responses(
        (status = 200, description = "The free slots.", body = Vec<SlotOut>),
        (status = 400, description = "A parameter is missing or not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not handle bookings.", body = ErrorBody),
        (status = 404, description = "No store has that code.", body = ErrorBody),
        (status = 422, description = "Not a day.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn booking_slots(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SlotsQuery>, QueryRejection>,
) -> Result<Json<Vec<SlotOut>>, AppError> {
    staff(caller, Scope::CustomersRead)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let shop = shop_of(&shops(&state).await?, &q.store)?;
    let day =
        fieldcase_shared::calendar::parse_day(&q.day).ok_or_else(|| AppError::Unprocessable {
            field: "day".into(),
            message: "not a day (YYYY-MM-DD)".into(),
        })?;
    let slots =
        super::free_slots(state.store.as_ref(), shop, day, OffsetDateTime::now_utc()).await?;
    Ok(Json(slots.into_iter().map(slot_out).collect()))
}

/// Approves a waiting booking; the customer is told as the notifications say.
#[utoipa::path(
    post, path = "/api/v1/bookings/{id}/approve", tag = "bookings",
    params(("id" = String, Path, description = "The booking's id (UUID).")),
    responses(
        (status = 204, description = "Approved."),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not handle bookings.", body = ErrorBody),
        (status = 404, description = "No such booking.", body = ErrorBody),
        (status = 409, description = "It is not waiting for approval.", body = ErrorBody),
        (status = 422, description = "Its time has passed, or not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn approve_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    step(&state, caller, &id, Step::Approve).await
}

/// Another slot.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposeIn {
    /// A free slot as `/api/v1/bookings/slots` names it.
    pub slot: String,
}

/// Proposes another free slot for a waiting booking; the customer confirms it on the booking's page.
#[utoipa::path(
    post, path = "/api/v1/bookings/{id}/propose", tag = "bookings",
    params(("id" = String, Path, description = "The booking's id (UUID).")),
    request_body = ProposeIn,
    responses(
        (status = 204, description = "Proposed."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not handle bookings.", body = ErrorBody),
        (status = 404, description = "No such booking.", body = ErrorBody),
        (status = 409, description = "It is not waiting for approval.", body = ErrorBody),
        (status = 422, description = "Not a free slot of the booking's store, or not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn propose_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<ProposeIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = staff(caller, Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    let input = json_body(body)?;
    let key = rules::parse_key(&input.slot).ok_or_else(|| AppError::Unprocessable {
        field: "slot".into(),
        message: "not a slot (see /api/v1/bookings/slots)".into(),
    })?;
    super::propose(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        id,
        key,
        OffsetDateTime::now_utc(),
    )
    .await
    .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancels a live booking; the customer is told as the notifications say.
#[utoipa::path(
    post, path = "/api/v1/bookings/{id}/cancel", tag = "bookings",
    params(("id" = String, Path, description = "The booking's id (UUID).")),
    responses(
        (status = 204, description = "Cancelled."),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not handle bookings.", body = ErrorBody),
        (status = 404, description = "No such booking.", body = ErrorBody),
        (status = 409, description = "It was cancelled or examined already.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn cancel_booking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    step(&state, caller, &id, Step::Cancel).await
}
