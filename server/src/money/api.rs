//! `/api/v1/bank/…`: the bank's accounts with the poller's state, the booked
//! movements with their decisions, adding an account and starting a download.
//! Reading takes `money:read` and a role that reads the bank (office, accounting,
//! admin); changing takes `money:write` and accounting or admin.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldcase_shared::{Lang, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::error::AppError;
use crate::money::bank::{self, BankError, Rewind};
use crate::money::matching::Decision;
use crate::money::store::{BankAccount, BankMovement, Imported, MovementFilter};
use crate::money::{BANK_READERS, BANKERS};
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// The bank's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts, add_account))
        .routes(routes!(download))
        .routes(routes!(list_movements))
        .routes(routes!(settle::receivables))
        .routes(routes!(settle::settle_movement))
        .routes(routes!(invoices::list_invoices, invoices::issue_invoice))
        .routes(routes!(invoices::invoice_pdf))
        .merge(crate::money::till::api::routes())
        .merge(crate::money::pohoda::api::routes())
}

mod invoices;
pub mod lines;
mod settle;

/// A bank account (its token is never given out).
#[derive(Debug, Serialize, ToSchema)]
pub struct BankAccountOut {
    pub id: String,
    pub name: String,
    pub iban: String,
    pub active: bool,
    /// The poller's last run and the next (RFC 3339).
    pub last_run_at: Option<String>,
    pub next_run_at: Option<String>,
    /// Empty (never ran), `ok`, or an error code: `bad_token`, `too_soon`,
    /// `too_many`, `too_old`, `status`, `unreachable`, `format`, `key`, `store`.
    pub last_result: String,
    pub last_error: String,
    /// Movements the last run booked.
    pub last_new: i64,
}

impl From<BankAccount> for BankAccountOut {
    fn from(a: BankAccount) -> Self {
        BankAccountOut {
            id: a.id.to_string(),
            name: a.name,
            iban: a.iban,
            active: a.active,
            last_run_at: a.last_run_at.map(rfc3339),
            next_run_at: a.next_run_at.map(rfc3339),
            last_result: a.last_result,
            last_error: a.last_error,
            last_new: a.last_new,
        }
    }
}

/// A new bank account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BankAccountIn {
    pub name: String,
    pub iban: String,
    /// FIO's read-only API token; stored encrypted, never shown again.
    pub token: String,
}

/// Where a download starts (neither: after FIO's bookmark).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DownloadIn {
    /// Re-read everything after this FIO movement id.
    pub after_id: Option<i64>,
    /// Re-read from this day (`YYYY-MM-DD`).
    pub from_date: Option<String>,
}

/// What a download booked.
#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadOut {
    /// Movements new to the hub.
    pub new: usize,
    /// Movements the hub had already (booked once).
    pub seen: usize,
    pub matched: usize,
    pub partial: usize,
    pub over: usize,
    pub receivable: usize,
    pub ignored: usize,
}

impl From<Imported> for DownloadOut {
    fn from(i: Imported) -> Self {
        DownloadOut {
            new: i.new,
            seen: i.seen,
            matched: i.matched,
            partial: i.partial,
            over: i.over,
            receivable: i.receivable,
            ignored: i.ignored,
        }
    }
}

/// A booked movement with its decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct MovementOut {
    pub id: String,
    pub account: String,
    /// FIO's movement id.
    pub fio_id: i64,
    /// `YYYY-MM-DD`.
    pub booked_on: Option<String>,
    /// Haléře (negative: outgoing).
    pub amount: i64,
    pub currency: String,
    pub counter_account: String,
    pub counter_name: String,
    pub vs: String,
    pub message: String,
    /// `matched`, `partial`, `over`, `receivable` or `ignored`.
    pub decision: String,
    /// The rule's code (`exact`, `short`, `surplus`, `outgoing`, `zero`,
    /// `currency`, `no_vs`, `unknown_vs`, `ambiguous_vs`, `cancelled`).
    pub reason: String,
    /// The decision in words (English; `explanation_cs` in Czech).
    pub explanation: String,
    pub explanation_cs: String,
    /// The order its VS found.
    pub order: Option<String>,
    /// Still owed (partial) or paid beyond (over), haléře.
    pub difference: i64,
    /// Not yet allocated to an order, haléře.
    pub open: i64,
}

impl From<BankMovement> for MovementOut {
    fn from(m: BankMovement) -> Self {
        MovementOut {
            id: m.id.to_string(),
            account: m.account.to_string(),
            fio_id: m.fio_id,
            booked_on: m.booked_on.map(|d| d.to_string()),
            amount: m.amount.haler(),
            explanation: m.explain(Lang::En),
            explanation_cs: m.explain(Lang::Cs),
            currency: m.currency,
            counter_account: m.counter_account,
            counter_name: m.counter_name,
            vs: m.vs,
            message: m.message,
            decision: m.decision.code().into(),
            reason: m.reason.code().into(),
            order: m.order.map(|o| o.to_string()),
            difference: m.difference.haler(),
            open: m.open.haler(),
        }
    }
}

/// Which movements.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    /// `matched`, `partial`, `over`, `receivable` or `ignored`.
    pub decision: Option<String>,
    /// `true`: only those with money not yet allocated to an order.
    pub open: Option<String>,
    /// One account's (its id).
    pub account: Option<String>,
    /// At most this many (1–500; 200 by default), newest first.
    pub limit: Option<String>,
}

fn refused(e: BankError) -> AppError {
    match e {
        BankError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
        BankError::Invalid(problems) => AppError::Invalid(problems),
        BankError::NotFound => AppError::NotFound,
        BankError::Store(e) => e.into(),
        e @ (BankError::Fio(_) | BankError::Key(_)) => AppError::Unprocessable {
            field: "bank".into(),
            message: e.text(Lang::En),
        },
    }
}

pub(super) fn allowed(caller: Caller, scope: Scope, roles: &[Role]) -> Result<ApiCaller, AppError> {
    let caller = caller.with(scope)?;
    if !roles.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this user's role may not do this with the bank".into(),
        ));
    }
    Ok(caller)
}

pub(super) fn account_id(text: &str) -> Result<uuid::Uuid, AppError> {
    crate::api::params::uuid_param("account", text)
}

/// The bank accounts with the poller's state.
#[utoipa::path(
    get, path = "/api/v1/bank/accounts", tag = "money",
    responses(
        (status = 200, description = "The accounts.", body = Vec<BankAccountOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read the bank.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn list_accounts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<BankAccountOut>>, AppError> {
    allowed(caller, Scope::MoneyRead, BANK_READERS)?;
    let accounts = state.store.bank_accounts().await?;
    Ok(Json(accounts.into_iter().map(Into::into).collect()))
}

/// Adds a bank account; the poller downloads it from then on.
#[utoipa::path(
    post, path = "/api/v1/bank/accounts", tag = "money",
    request_body = BankAccountIn,
    responses(
        (status = 201, description = "Added; its id.", body = String),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 422, description = "The account cannot be taken (the fields say why; an IBAN already added too).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn add_account(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<BankAccountIn>, JsonRejection>,
) -> Result<(StatusCode, Json<String>), AppError> {
    let caller = allowed(caller, Scope::MoneyWrite, BANKERS)?;
    let input = crate::error::json_body(body)?;
    let id = bank::add_account(
        state.store.as_ref(),
        &state.bank,
        &caller.actor(),
        caller.role(),
        &input.name,
        &input.iban,
        &input.token,
    )
    .await
    .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(id.to_string())))
}

/// Downloads an account from FIO now (after FIO's bookmark, or re-reading from a
/// movement id or a day) and books what is new.
#[utoipa::path(
    post, path = "/api/v1/bank/accounts/{account}/download", tag = "money",
    params(("account" = String, Path, description = "The account's id (UUID).")),
    request_body = DownloadIn,
    responses(
        (status = 200, description = "What was booked.", body = DownloadOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such account.", body = ErrorBody),
        (status = 422, description = "FIO refused or failed (the message says why), or the id or day does not read.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(account): Path<String>,
    body: Result<Json<DownloadIn>, JsonRejection>,
) -> Result<Json<DownloadOut>, AppError> {
    let caller = allowed(caller, Scope::MoneyWrite, BANKERS)?;
    let id = account_id(&account)?;
    let input = crate::error::json_body(body)?;
    let from = match (input.after_id, input.from_date.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(AppError::Unprocessable {
                field: "from_date".into(),
                message: "give after_id or from_date, not both".into(),
            });
        }
        (Some(after), None) => Rewind::AfterId(after),
        (None, Some(day)) => {
            Rewind::FromDate(fieldcase_shared::calendar::parse_day(day).ok_or_else(|| {
                AppError::Unprocessable {
                    field: "from_date".into(),
                    message: "expected YYYY-MM-DD".into(),
                }
            })?)
        }
        (None, None) => Rewind::Bookmark,
    };
    let done = bank::fetch(&state, &caller.actor(), id, from)
        .await
        .map_err(refused)?;
    Ok(Json(done.into()))
}

/// Booked movements with their decisions, newest first.
#[utoipa::path(
    get, path = "/api/v1/bank/movements", tag = "money",
    params(MovementQuery),
    responses(
        (status = 200, description = "The movements.", body = Vec<MovementOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read the bank.", body = ErrorBody),
        (status = 422, description = "A parameter does not read (it is named).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn list_movements(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<MovementQuery>, QueryRejection>,
) -> Result<Json<Vec<MovementOut>>, AppError> {
    allowed(caller, Scope::MoneyRead, BANK_READERS)?;
    let Query(q) = q.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let decision = match q
        .decision
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => Some(
            Decision::from_code(code).ok_or_else(|| AppError::Unprocessable {
                field: "decision".into(),
                message: "expected matched, partial, over, receivable or ignored".into(),
            })?,
        ),
    };
    let account = match q.account.as_deref().filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(a) => Some(account_id(a)?),
    };
    let limit = match q.limit.as_deref().filter(|s| !s.is_empty()) {
        None => 200,
        Some(text) => crate::api::params::limit(text)?,
    };
    let open_only = match q.open.as_deref() {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(crate::api::params::bad("open", "expected true or false")),
    };
    let filter = MovementFilter {
        decision,
        open_only,
        account,
        limit: u32::try_from(limit).unwrap_or(200),
    };
    let rows = state.store.bank_movements(&filter).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
