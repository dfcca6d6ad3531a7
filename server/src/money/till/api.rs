//! `/api/v1/tills/…`: a shop's till (by the shop's code) — its open shift,
//! opening and closing it, sales, refunds and vouchers — and the shifts with
//! their Z reports. Reading takes `money:read` and a role that reads tills (a
//! store's staff their own shop's); working a till takes `money:write` and a
//! store's staff (their own shop's) or an administrator.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use fieldcase_shared::{Lang, Money};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, Clerk, Sale, TillError};
use super::store::ShiftFilter;
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::api::params::bad;
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;

mod out;

pub use out::{CurrentOut, EntryOut, ShiftOut, ZReportOut};

/// The tills' routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(current_shift, open_shift))
        .routes(routes!(close_shift))
        .routes(routes!(sell))
        .routes(routes!(refund))
        .routes(routes!(voucher))
        .routes(routes!(list_shifts))
        .routes(routes!(z_report))
        .routes(routes!(entry_pdf))
}

fn clerk(caller: Caller, scope: Scope) -> Result<Clerk, AppError> {
    let caller = caller.with(scope)?;
    Ok(Clerk::of(&caller.user, caller.actor()))
}

fn fail(e: TillError) -> AppError {
    match e {
        TillError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
        TillError::NotFound => AppError::NotFound,
        TillError::Invalid(problems) => AppError::Invalid(problems),
        TillError::NoShift | TillError::AlreadyOpen => AppError::Stale(e.text(Lang::En)),
        TillError::Store(e) => e.into(),
    }
}

async fn shop(state: &AppState, code: &str) -> Result<fieldcase_shared::StoreId, AppError> {
    service::shop_by_code(state.store.as_ref(), code)
        .await
        .map_err(fail)
}

fn json<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    crate::error::json_body(body)
}

/// A shop's open shift: its report so far and its documents.
#[utoipa::path(
    get, path = "/api/v1/tills/{shop}/shift", tag = "money",
    params(("shop" = String, Path, description = "The shop's code.")),
    responses(
        (status = 200, description = "The open shift.", body = CurrentOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the user may not read this shop's till.", body = ErrorBody),
        (status = 404, description = "No such shop, or no shift is open.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn current_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<CurrentOut>, AppError> {
    let clerk = clerk(caller, Scope::MoneyRead)?;
    let shop = shop(&state, &code).await?;
    if !clerk.may_read(shop) {
        return Err(fail(TillError::Forbidden));
    }
    let open = state
        .store
        .open_shift_of(shop)
        .await?
        .ok_or(AppError::NotFound)?;
    let report = service::report(state.store.as_ref(), &clerk, open.id)
        .await
        .map_err(fail)?;
    let entries = state.store.shift_entries(open.id).await?;
    Ok(Json(CurrentOut {
        report: report.into(),
        entries: entries.into_iter().map(Into::into).collect(),
    }))
}

/// Opening a shift.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenIn {
    /// The cash counted into the drawer, haléře (0 or more).
    pub float: i64,
}

/// Opens the shop's till with the float.
#[utoipa::path(
    post, path = "/api/v1/tills/{shop}/shift", tag = "money",
    params(("shop" = String, Path, description = "The shop's code.")),
    request_body = OpenIn,
    responses(
        (status = 201, description = "Opened.", body = ShiftOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the user may not work this shop's till.", body = ErrorBody),
        (status = 404, description = "No such shop.", body = ErrorBody),
        (status = 409, description = "A shift is open already.", body = ErrorBody),
        (status = 422, description = "A negative float.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn open_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Json<OpenIn>, JsonRejection>,
) -> Result<(StatusCode, Json<ShiftOut>), AppError> {
    let clerk = clerk(caller, Scope::MoneyWrite)?;
    let input = json(body)?;
    let shop = shop(&state, &code).await?;
    let shift = service::open(
        state.store.as_ref(),
        &clerk,
        shop,
        Money::from_haler(input.float),
    )
    .await
    .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(shift.into())))
}

/// Closing a shift.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseIn {
    /// The cash counted out of the drawer, haléře.
    pub counted: i64,
    #[serde(default)]
    pub note: String,
}

/// Closes the shop's open shift with the cash counted: its Z report.
#[utoipa::path(
    post, path = "/api/v1/tills/{shop}/shift/close", tag = "money",
    params(("shop" = String, Path, description = "The shop's code.")),
    request_body = CloseIn,
    responses(
        (status = 200, description = "Closed; the Z report.", body = ZReportOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the user may not work this shop's till.", body = ErrorBody),
        (status = 404, description = "No such shop.", body = ErrorBody),
        (status = 409, description = "No shift is open.", body = ErrorBody),
        (status = 422, description = "A negative amount.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn close_shift(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Json<CloseIn>, JsonRejection>,
) -> Result<Json<ZReportOut>, AppError> {
    let clerk = clerk(caller, Scope::MoneyWrite)?;
    let input = json(body)?;
    let shop = shop(&state, &code).await?;
    let z = service::close(
        state.store.as_ref(),
        &clerk,
        shop,
        Money::from_haler(input.counted),
        &input.note,
    )
    .await
    .map_err(fail)?;
    Ok(Json(z.into()))
}

/// Goods sold: a product by SKU and how many.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemIn {
    pub sku: String,
    pub quantity: i64,
}

/// A sale: an order's payment (`vs`, and `amount` unless all it owes) or goods
/// (`items`), with `card` haléře of it paid by card and the rest in cash.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SaleIn {
    pub vs: Option<String>,
    pub amount: Option<i64>,
    #[serde(default)]
    pub items: Vec<ItemIn>,
    #[serde(default)]
    pub card: i64,
}

/// Sells at the shop's till: the receipt.
#[utoipa::path(
    post, path = "/api/v1/tills/{shop}/sales", tag = "money",
    params(("shop" = String, Path, description = "The shop's code.")),
    request_body = SaleIn,
    responses(
        (status = 201, description = "Sold; the receipt.", body = EntryOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the user may not work this shop's till.", body = ErrorBody),
        (status = 404, description = "No such shop.", body = ErrorBody),
        (status = 409, description = "No shift is open.", body = ErrorBody),
        (status = 422, description = "Something cannot be sold so (the fields say which and why: no such order, beyond what it owes, not in stock, more by card than the total…).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn sell(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Json<SaleIn>, JsonRejection>,
) -> Result<(StatusCode, Json<EntryOut>), AppError> {
    let clerk = clerk(caller, Scope::MoneyWrite)?;
    let input = json(body)?;
    let shop = shop(&state, &code).await?;
    let sale = Sale {
        vs: input.vs,
        amount: input.amount.map(Money::from_haler),
        items: input
            .items
            .into_iter()
            .map(|i| (i.sku, i.quantity))
            .collect(),
        card: Money::from_haler(input.card),
        all_by_card: false,
    };
    let receipt = service::sell(state.store.as_ref(), &clerk, shop, &sale)
        .await
        .map_err(fail)?;
    service::announce(&state, &receipt).await;
    Ok((StatusCode::CREATED, Json(receipt.into())))
}

/// A refund of a receipt: `amount` haléře, `card` of it to the card.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefundIn {
    /// The sale's receipt (its id).
    pub receipt: String,
    pub amount: i64,
    #[serde(default)]
    pub card: i64,
    pub reason: String,
}

/// Gives money of a receipt back (all of it puts its goods back in stock).
#[utoipa::path(
    post, path = "/api/v1/tills/{shop}/refunds", tag = "money",
    params(("shop" = String, Path, description = "The shop's code.")),
    request_body = RefundIn,
    responses(
        (status = 201, description = "Refunded; the refund's document.", body = EntryOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the user may not work this shop's till.", body = ErrorBody),
        (status = 404, description = "No such shop or receipt (of this shop).", body = ErrorBody),
        (status = 409, description = "No shift is open.", body = ErrorBody),
        (status = 422, description = "Beyond what the receipt has left, more cash than the drawer holds, no reason.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn refund(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Json<RefundIn>, JsonRejection>,
) -> Result<(StatusCode, Json<EntryOut>), AppError> {
    let clerk = clerk(caller, Scope::MoneyWrite)?;
    let input = json(body)?;
    let shop = shop(&state, &code).await?;
    let receipt = crate::api::params::uuid_param("receipt", &input.receipt)?;
    match state.store.till_entry(receipt).await? {
        Some(e) if e.shop == shop => {}
        _ => return Err(AppError::NotFound),
    }
    let entry = service::refund(
        state.store.as_ref(),
        &clerk,
        receipt,
        Money::from_haler(input.amount),
        Money::from_haler(input.card),
        &input.reason,
    )
    .await
    .map_err(fail)?;
    service::announce(&state, &entry).await;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// Cash put into the drawer (`in`) or taken out (`out`), with the reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoucherIn {
    /// `in` or `out`.
    pub kind: String,
    pub amount: i64,
    pub reason: String,
}

/// A cash voucher of the shop's till.
#[utoipa::path(
    post, path = "/api/v1/tills/{shop}/vouchers", tag = "money",
    params(("shop" = String, Path, description = "The shop's code.")),
    request_body = VoucherIn,
    responses(
        (status = 201, description = "Saved; the voucher.", body = EntryOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the user may not work this shop's till.", body = ErrorBody),
        (status = 404, description = "No such shop.", body = ErrorBody),
        (status = 409, description = "No shift is open.", body = ErrorBody),
        (status = 422, description = "Not `in` or `out`, no amount or reason, more than the drawer holds.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn voucher(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Json<VoucherIn>, JsonRejection>,
) -> Result<(StatusCode, Json<EntryOut>), AppError> {
    let clerk = clerk(caller, Scope::MoneyWrite)?;
    let input = json(body)?;
    let out = match input.kind.as_str() {
        "in" => false,
        "out" => true,
        _ => return Err(bad("kind", "expected in or out")),
    };
    let shop = shop(&state, &code).await?;
    let entry = service::voucher(
        state.store.as_ref(),
        &clerk,
        shop,
        out,
        Money::from_haler(input.amount),
        &input.reason,
    )
    .await
    .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// Which shifts.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShiftQuery {
    /// Only this shop's (its code).
    pub shop: Option<String>,
    /// Only those opened on this day (Prague, `YYYY-MM-DD`).
    pub date: Option<String>,
}

/// Shifts, newest first (a store's staff see their own shop's).
#[utoipa::path(
    get, path = "/api/v1/tills/shifts", tag = "money",
    params(ShiftQuery),
    responses(
        (status = 200, description = "Shifts.", body = Vec<ShiftOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read tills.", body = ErrorBody),
        (status = 404, description = "No such shop.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_shifts(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ShiftQuery>, QueryRejection>,
) -> Result<Json<Vec<ShiftOut>>, AppError> {
    let clerk = clerk(caller, Scope::MoneyRead)?;
    let Query(q) = query.map_err(|e| bad("query", e.body_text()))?;
    if !super::READERS.contains(&clerk.role) {
        return Err(fail(TillError::Forbidden));
    }
    let mut filter = ShiftFilter {
        limit: 500,
        ..ShiftFilter::default()
    };
    if let Some(code) = q.shop.as_deref().filter(|c| !c.trim().is_empty()) {
        filter.shop = Some(shop(&state, code).await?);
    }
    if let Some(date) = q.date.as_deref().filter(|d| !d.trim().is_empty()) {
        let (from, to) =
            super::day_bounds(date).ok_or_else(|| bad("date", "expected YYYY-MM-DD"))?;
        filter.from = Some(from);
        filter.to = Some(to);
    }
    let shifts = state.store.shifts(&filter).await?;
    Ok(Json(
        shifts
            .into_iter()
            .filter(|s| clerk.may_read(s.shop))
            .map(Into::into)
            .collect(),
    ))
}

/// A shift's Z report (of an open shift: so far); `?format=pdf` the 80-mm printout.
#[utoipa::path(
    get, path = "/api/v1/tills/shifts/{id}/report", tag = "money",
    params(("id" = String, Path, description = "The shift's id (UUID)."), ("format" = Option<String>, Query, description = "`pdf` for the printout.")),
    responses(
        (status = 200, description = "The Z report (JSON, or PDF with `format=pdf`).", body = ZReportOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the user may not read this shop's till.", body = ErrorBody),
        (status = 404, description = "No such shift.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn z_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(format): Query<FormatQuery>,
) -> Result<Response, AppError> {
    use axum::response::IntoResponse;
    let clerk = clerk(caller, Scope::MoneyRead)?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    if format.format.as_deref() == Some("pdf") {
        return Ok(crate::money::documents::pdf_response(
            super::documents::shift_pdf(state.store.as_ref(), &state.config, &clerk, id, Lang::Cs)
                .await,
        ));
    }
    let z = service::report(state.store.as_ref(), &clerk, id)
        .await
        .map_err(fail)?;
    Ok(Json(ZReportOut::from(z)).into_response())
}

/// `format=pdf`.
#[derive(Debug, Deserialize)]
pub struct FormatQuery {
    pub format: Option<String>,
}

/// A receipt's or voucher's 80-mm printout.
#[utoipa::path(
    get, path = "/api/v1/tills/entries/{id}/pdf", tag = "money",
    params(("id" = String, Path, description = "The receipt's id (UUID).")),
    responses(
        (status = 200, description = "The PDF.", content_type = "application/pdf"),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`.", body = ErrorBody),
        (status = 404, description = "No such receipt (or not this user's shop's).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn entry_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let clerk = clerk(caller, Scope::MoneyRead)?;
    let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| AppError::NotFound)?;
    Ok(crate::money::documents::pdf_response(
        super::documents::entry_pdf(state.store.as_ref(), &state.config, &clerk, id, Lang::Cs)
            .await,
    ))
}
