//! `/api/v1/commission/payouts…` and `/api/v1/commission/batches…`: payout
//! requests (list, a request for an adviser, approve, reject), advisers' payout
//! accounts, and bank batches (make, list, the FIO file, send to the bank, mark
//! paid) — the Payouts page's steps (`commission/payouts.rs`). Reading takes
//! `money:read`, acting `money:write`; accounting and administrators act, the
//! office reads.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fieldcase_shared::{Lang, Money};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::payout::PayoutRefusal;
use super::payouts::{self, AccountInput, PayoutFailure};
use super::rule_edit::RULE_READERS;
use super::store::payout_batches::Batch;
use super::store::payouts::PayoutRow;
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::api::params::uuid_param;
use crate::error::{AppError, json_body};
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// The payout routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, request))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(set_account))
        .routes(routes!(batches, make_batch))
        .routes(routes!(batch_file))
        .routes(routes!(send_batch))
        .routes(routes!(batch_paid))
}

fn failure(e: PayoutFailure) -> AppError {
    match e {
        PayoutFailure::Refused(PayoutRefusal::Forbidden) => {
            AppError::Forbidden(PayoutRefusal::Forbidden.text(Lang::En))
        }
        PayoutFailure::Refused(PayoutRefusal::NotFound | PayoutRefusal::NoBatch) => {
            AppError::NotFound
        }
        PayoutFailure::Refused(r @ (PayoutRefusal::NotOpen | PayoutRefusal::AlreadyPaid)) => {
            AppError::Stale(r.text(Lang::En))
        }
        PayoutFailure::Refused(r) => AppError::Unprocessable {
            field: match r {
                PayoutRefusal::NotPositive | PayoutRefusal::OverBalance(_) => "amount",
                _ => "request",
            }
            .into(),
            message: r.text(Lang::En),
        },
        PayoutFailure::Invalid(fields) => AppError::Invalid(fields),
        e @ PayoutFailure::Bank(_) => AppError::Unprocessable {
            field: "bank".into(),
            message: e.text(Lang::En),
        },
        PayoutFailure::Internal(e) => AppError::Internal(e),
    }
}

fn reader(caller: Caller) -> Result<(), AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if RULE_READERS.contains(&caller.role()) {
        Ok(())
    } else {
        Err(AppError::Forbidden("this role may not read payouts".into()))
    }
}

/// A payout request.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutOut {
    pub id: String,
    pub adviser: String,
    pub adviser_code: String,
    /// Haléře.
    pub amount: i64,
    pub requested_at: String,
    pub note: String,
    /// `accepted` (waiting), `rejected`, `paid`.
    pub status: String,
    pub reason: String,
    pub approved_by: Vec<String>,
    /// Approvals needed (two over the four-eyes limit).
    pub needed: usize,
    pub batch: Option<String>,
}

impl From<PayoutRow> for PayoutOut {
    fn from(r: PayoutRow) -> Self {
        PayoutOut {
            id: r.id.to_string(),
            adviser: r.adviser.to_string(),
            adviser_code: r.adviser_code,
            amount: r.amount.haler(),
            requested_at: rfc3339(r.requested_at),
            note: r.note,
            status: r.status,
            reason: r.reason,
            approved_by: r.approvers,
            needed: r.needed,
            batch: r.batch,
        }
    }
}

/// Which requests.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayoutsQuery {
    /// Only those waiting for approval or a batch.
    #[serde(default)]
    pub open: bool,
}

/// The payout requests, newest first.
#[utoipa::path(
    get, path = "/api/v1/commission/payouts", tag = "commission",
    params(PayoutsQuery),
    responses(
        (status = 200, description = "The requests.", body = Vec<PayoutOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read payouts.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PayoutsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<PayoutOut>>, AppError> {
    reader(caller)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let rows = state
        .store
        .payout_rows(q.open, payouts::limit(&state))
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// A request for an adviser.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RequestIn {
    /// The adviser's number, e.g. `P0001`.
    pub adviser: String,
    /// Haléře, more than 0 and at most what the adviser may request.
    pub amount: i64,
    #[serde(default)]
    pub note: String,
}

/// Writes a request for an adviser (accepted at once when the balance allows;
/// someone else approves it).
#[utoipa::path(
    post, path = "/api/v1/commission/payouts", tag = "commission",
    request_body = RequestIn,
    responses(
        (status = 201, description = "Written; its id.", body = String),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 422, description = "No such adviser, or the amount is not positive or over the balance.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn request(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<RequestIn>, JsonRejection>,
) -> Result<(StatusCode, Json<String>), AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let input = json_body(body)?;
    let adviser = crate::field::adviser_by_code(state.store.as_ref(), input.adviser.trim())
        .await
        .map_err(|_| AppError::Unprocessable {
            field: "adviser".into(),
            message: "no active adviser with that number".into(),
        })?;
    let id = payouts::request(
        &state,
        &caller.actor(),
        caller.role(),
        adviser.id,
        Money::from_haler(input.amount),
        &input.note,
    )
    .await
    .map_err(failure)?;
    Ok((StatusCode::CREATED, Json(id.to_string())))
}

/// Where an approval stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalOut {
    pub approvals: usize,
    pub needed: usize,
}

/// Approves a waiting request (not one's own; over the limit a second, different
/// approver completes it).
#[utoipa::path(
    post, path = "/api/v1/commission/payouts/{request}/approve", tag = "commission",
    params(("request" = String, Path, description = "The request's id (UUID).")),
    responses(
        (status = 200, description = "Approved.", body = ApprovalOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such request.", body = ErrorBody),
        (status = 409, description = "The request no longer waits (rejected, paid or in a batch).", body = ErrorBody),
        (status = 422, description = "One's own request, or approved by this user already.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(request): Path<String>,
) -> Result<Json<ApprovalOut>, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let id = uuid_param("request", &request)?;
    let (approvals, needed) = payouts::approve(&state, &caller.actor(), caller.role(), id)
        .await
        .map_err(failure)?;
    Ok(Json(ApprovalOut { approvals, needed }))
}

/// Why a request is rejected.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RejectIn {
    pub reason: String,
}

/// Rejects a waiting request with the reason (the adviser's phone shows it).
#[utoipa::path(
    post, path = "/api/v1/commission/payouts/{request}/reject", tag = "commission",
    params(("request" = String, Path, description = "The request's id (UUID).")),
    request_body = RejectIn,
    responses(
        (status = 204, description = "Rejected."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such request.", body = ErrorBody),
        (status = 409, description = "The request no longer waits.", body = ErrorBody),
        (status = 422, description = "No reason given.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    Path(request): Path<String>,
    body: Result<Json<RejectIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let id = uuid_param("request", &request)?;
    let input = json_body(body)?;
    payouts::reject(&state, &caller.actor(), caller.role(), id, &input.reason)
        .await
        .map_err(failure)?;
    Ok(StatusCode::NO_CONTENT)
}

/// An adviser's payout account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountIn {
    /// `[prefix-]number`; must pass the bank's modulo-11 test.
    pub account: String,
    /// Four digits.
    pub bank_code: String,
    #[serde(default)]
    pub self_employed: bool,
    /// Required when self-employed: eight digits passing the IČO check.
    #[serde(default)]
    pub ico: String,
    /// `CZ` and 8–10 digits; required for a VAT payer.
    #[serde(default)]
    pub dic: String,
    /// The self-employed adviser's address (required when self-employed).
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub city: String,
    /// Five digits.
    #[serde(default)]
    pub postal_code: String,
    /// A self-employed VAT payer: their self-billing invoices carry 21 % VAT.
    #[serde(default)]
    pub vat_payer: bool,
}

/// Sets an adviser's payout account.
#[utoipa::path(
    put, path = "/api/v1/commission/accounts/{adviser}", tag = "commission",
    params(("adviser" = String, Path, description = "The adviser's number, e.g. P0001.")),
    request_body = AccountIn,
    responses(
        (status = 204, description = "Saved."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such adviser.", body = ErrorBody),
        (status = 422, description = "Not a valid account or bank code, or the self-employed adviser's IČO, DIČ or address is missing or wrong.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn set_account(
    State(state): State<AppState>,
    caller: Caller,
    Path(adviser): Path<String>,
    body: Result<Json<AccountIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let input = json_body(body)?;
    let adviser = crate::field::adviser_by_code(state.store.as_ref(), adviser.trim())
        .await
        .map_err(|_| AppError::NotFound)?;
    let input = AccountInput {
        account: input.account,
        bank_code: input.bank_code,
        self_employed: input.self_employed,
        ico: input.ico,
        dic: input.dic,
        street: input.street,
        city: input.city,
        postal_code: input.postal_code,
        vat_payer: input.vat_payer,
    };
    payouts::set_account(&state, &caller.actor(), caller.role(), adviser.id, &input)
        .await
        .map_err(failure)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A bank batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchOut {
    pub id: String,
    pub number: String,
    pub created_at: String,
    /// Haléře.
    pub total: i64,
    pub sent_at: Option<String>,
    /// The bank's `status` and instruction number.
    pub bank_status: String,
    pub bank_instruction: String,
    pub paid_at: Option<String>,
    pub items: Vec<BatchItemOut>,
}

/// One payment of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItemOut {
    pub position: i64,
    pub request: String,
    pub adviser: String,
    pub amount: i64,
    pub account: String,
    pub bank_code: String,
    /// `''` (not sent), `ok`, `refused`.
    pub result: String,
    pub message: String,
}

impl From<Batch> for BatchOut {
    fn from(b: Batch) -> Self {
        BatchOut {
            id: b.id.to_string(),
            number: b.number,
            created_at: rfc3339(b.created_at),
            total: b.total.haler(),
            sent_at: b.sent_at.map(rfc3339),
            bank_status: b.bank_status,
            bank_instruction: b.bank_instruction,
            paid_at: b.paid_at.map(rfc3339),
            items: b
                .items
                .into_iter()
                .map(|i| BatchItemOut {
                    position: i.position,
                    request: i.request.to_string(),
                    adviser: i.adviser.to_string(),
                    amount: i.amount.haler(),
                    account: i.account,
                    bank_code: i.bank_code,
                    result: i.result,
                    message: i.message,
                })
                .collect(),
        }
    }
}

/// The batches, newest first.
#[utoipa::path(
    get, path = "/api/v1/commission/batches", tag = "commission",
    responses(
        (status = 200, description = "The batches.", body = Vec<BatchOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read payouts.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn batches(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<BatchOut>>, AppError> {
    reader(caller)?;
    let list = state.store.payout_batches().await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// What a batch is paid from and when.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchIn {
    /// The company's bank account (its id) the payments leave from.
    pub account: String,
    /// The due day, `YYYY-MM-DD`.
    pub date: String,
}

/// Makes a batch of every approved request of an adviser with a payout account.
#[utoipa::path(
    post, path = "/api/v1/commission/batches", tag = "commission",
    request_body = BatchIn,
    responses(
        (status = 201, description = "Made.", body = BatchOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such bank account.", body = ErrorBody),
        (status = 422, description = "A bad day, or nothing approved to pay.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn make_batch(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<BatchIn>, JsonRejection>,
) -> Result<(StatusCode, Json<BatchOut>), AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let input = json_body(body)?;
    let account = uuid_param("account", &input.account)?;
    let date = fieldcase_shared::calendar::parse_day(&input.date).ok_or_else(|| {
        AppError::Unprocessable {
            field: "date".into(),
            message: "not a day (YYYY-MM-DD)".into(),
        }
    })?;
    let batch = payouts::batch(&state, &caller.actor(), caller.role(), account, date)
        .await
        .map_err(failure)?;
    Ok((StatusCode::CREATED, Json(batch.into())))
}

/// A batch's FIO payment-order file, for a manual upload.
#[utoipa::path(
    get, path = "/api/v1/commission/batches/{batch}/file", tag = "commission",
    params(("batch" = String, Path, description = "The batch's id (UUID).")),
    responses(
        (status = 200, description = "The file (FIO's Import XML).", content_type = "application/xml", body = Vec<u8>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such batch.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn batch_file(
    State(state): State<AppState>,
    caller: Caller,
    Path(batch): Path<String>,
) -> Result<Response, AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !super::payout::PAYOUT_APPROVERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "only accounting and administrators read bank files".into(),
        ));
    }
    let id = uuid_param("batch", &batch)?;
    let (number, bytes) = state
        .store
        .payout_batch_file(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{number}.xml\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// From which account a batch is sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SendIn {
    /// The company's bank account (its id) whose token uploads the orders.
    pub account: String,
}

/// Sends a batch to FIO; the bank's word on each payment (a refused one's request
/// is rejected with the bank's words).
#[utoipa::path(
    post, path = "/api/v1/commission/batches/{batch}/send", tag = "commission",
    params(("batch" = String, Path, description = "The batch's id (UUID).")),
    request_body = SendIn,
    responses(
        (status = 200, description = "Sent; the batch with the bank's word on each payment.", body = BatchOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such batch.", body = ErrorBody),
        (status = 409, description = "The batch is already paid.", body = ErrorBody),
        (status = 422, description = "The bank did not take the upload (its reason).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn send_batch(
    State(state): State<AppState>,
    caller: Caller,
    Path(batch): Path<String>,
    body: Result<Json<SendIn>, JsonRejection>,
) -> Result<Json<BatchOut>, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let id = uuid_param("batch", &batch)?;
    let input = json_body(body)?;
    let account = uuid_param("account", &input.account)?;
    payouts::send(&state, &caller.actor(), caller.role(), id, account)
        .await
        .map_err(failure)?;
    let batch = state
        .store
        .payout_batches()
        .await?
        .into_iter()
        .find(|b| b.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(Json(batch.into()))
}

/// Marks a batch paid: a payout ledger line per payment the bank did not refuse.
#[utoipa::path(
    post, path = "/api/v1/commission/batches/{batch}/paid", tag = "commission",
    params(("batch" = String, Path, description = "The batch's id (UUID).")),
    responses(
        (status = 200, description = "Paid; how many advisers.", body = usize),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such batch.", body = ErrorBody),
        (status = 409, description = "Already marked paid.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn batch_paid(
    State(state): State<AppState>,
    caller: Caller,
    Path(batch): Path<String>,
) -> Result<Json<usize>, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let id = uuid_param("batch", &batch)?;
    let n = payouts::paid(&state, &caller.actor(), caller.role(), id)
        .await
        .map_err(failure)?;
    Ok(Json(n))
}
