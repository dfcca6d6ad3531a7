//! `/api/v1/commission/advisers/{adviser}/statements/{month}`: an adviser's
//! monthly statement as JSON (opening balance, the month's sums by kind, the
//! closing balance and every line with "why this amount"), `…/pdf` the same as
//! the PDF; `/api/v1/commission/report`: commission against turnover per month by
//! adviser, store or month. `money:read` and the commission's readers (office,
//! accounting, admin).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use fieldcase_shared::Lang;
use fieldcase_shared::statement::Month;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::report::{By, rows};
use super::rule_edit::RULE_READERS;
use super::statement::{MonthLines, file_name, find_adviser, month, pdf};
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::Adviser;

/// The statement and report routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(adviser_statement))
        .routes(routes!(adviser_statement_pdf))
        .routes(routes!(commission_report))
}

/// One line of a statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementLineOut {
    pub id: String,
    /// `accrual`, `reversal`, `payout`, `adjustment`.
    pub kind: String,
    /// The order's id, if the line has one.
    pub order: Option<String>,
    /// Haléře, signed.
    pub amount: i64,
    pub at: String,
    pub why_cs: String,
    pub why_en: String,
}

/// A month's statement, in haléře (reversals and payouts negative).
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementOut {
    pub adviser: String,
    pub adviser_name: String,
    /// `YYYY-MM`.
    pub month: String,
    pub opening: i64,
    pub accruals: i64,
    pub reversals: i64,
    pub payouts: i64,
    pub adjustments: i64,
    pub closing: i64,
    pub lines: Vec<StatementLineOut>,
}

/// The caller may read commission, and the adviser and month make sense.
async fn statement_for(
    state: &AppState,
    caller: Caller,
    code: &str,
    text: &str,
) -> Result<(Adviser, MonthLines), AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !RULE_READERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this role may not read commission".into(),
        ));
    }
    let m = Month::parse(text).ok_or_else(|| AppError::Unprocessable {
        field: "month".into(),
        message: "a month is written YYYY-MM".into(),
    })?;
    let adviser = find_adviser(state.store.as_ref(), code)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = month(state.store.as_ref(), &adviser, m).await?;
    Ok((adviser, lines))
}

/// An adviser's statement for a month.
#[utoipa::path(
    get, path = "/api/v1/commission/advisers/{adviser}/statements/{month}", tag = "commission",
    params(
        ("adviser" = String, Path, description = "The adviser's number, e.g. P0001."),
        ("month" = String, Path, description = "The month, YYYY-MM (Prague time)."),
    ),
    responses(
        (status = 200, description = "The statement.", body = StatementOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read commission.", body = ErrorBody),
        (status = 404, description = "No such adviser.", body = ErrorBody),
        (status = 422, description = "Not a month.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn adviser_statement(
    State(state): State<AppState>,
    caller: Caller,
    Path((adviser, month)): Path<(String, String)>,
) -> Result<Json<StatementOut>, AppError> {
    let (adviser, (s, lines)) = statement_for(&state, caller, &adviser, &month).await?;
    Ok(Json(StatementOut {
        adviser: adviser.code,
        adviser_name: adviser.name,
        month: s.month.to_string(),
        opening: s.opening,
        accruals: s.accruals,
        reversals: s.reversals,
        payouts: s.payouts,
        adjustments: s.adjustments,
        closing: s.closing,
        lines: lines
            .into_iter()
            .map(|(id, e)| StatementLineOut {
                id: id.to_string(),
                kind: e.kind,
                order: (!e.order.is_empty()).then_some(e.order),
                amount: e.amount,
                at: e.at,
                why_cs: e.why_cs,
                why_en: e.why_en,
            })
            .collect(),
    }))
}

/// An adviser's statement for a month as a PDF (in Czech).
#[utoipa::path(
    get, path = "/api/v1/commission/advisers/{adviser}/statements/{month}/pdf", tag = "commission",
    params(
        ("adviser" = String, Path, description = "The adviser's number, e.g. P0001."),
        ("month" = String, Path, description = "The month, YYYY-MM (Prague time)."),
    ),
    responses(
        (status = 200, description = "The PDF.", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read commission.", body = ErrorBody),
        (status = 404, description = "No such adviser.", body = ErrorBody),
        (status = 422, description = "Not a month.", body = ErrorBody),
        (status = 503, description = "The PDF cannot be made now.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn adviser_statement_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path((adviser, month)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (adviser, lines) = statement_for(&state, caller, &adviser, &month).await?;
    let made = pdf(&adviser, &lines, &state.config.payee_name, Lang::Cs)
        .map(|bytes| Some((file_name(&adviser, lines.0.month), bytes)));
    Ok(crate::money::documents::pdf_response(made))
}

/// The report's span and rows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The first month, YYYY-MM.
    pub from: String,
    /// The last month, YYYY-MM (at most 36 months after `from`).
    pub to: String,
    /// `adviser` (default), `store` or `month`.
    #[serde(default)]
    #[param(inline)]
    pub by: By,
}

/// A row of the report, in haléře.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRowOut {
    /// `YYYY-MM`.
    pub month: String,
    /// The adviser's number or the store's code; empty when by month.
    pub code: String,
    pub name: String,
    /// Accruals, reversals and adjustments booked in the month.
    pub commission: i64,
    /// Totals of the orders taken in the month (cancelled left out).
    pub turnover: i64,
    /// Commission as basis points of turnover (none without turnover).
    pub cost_bp: Option<i64>,
}

/// Commission against turnover.
#[utoipa::path(
    get, path = "/api/v1/commission/report", tag = "commission",
    params(ReportQuery),
    responses(
        (status = 200, description = "The rows, by month and code.", body = Vec<ReportRowOut>),
        (status = 400, description = "A parameter is missing or not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read commission.", body = ErrorBody),
        (status = 422, description = "The months are not a span.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn commission_report(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Json<Vec<ReportRowOut>>, AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !RULE_READERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this role may not read commission".into(),
        ));
    }
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let (from, to) = super::report::span(&q.from, &q.to).map_err(|(field, message)| {
        AppError::Unprocessable {
            field: field.into(),
            message: message.into(),
        }
    })?;
    let data = state
        .store
        .commission_report(from.start(), to.end())
        .await?;
    Ok(Json(
        rows(&data, q.by)
            .into_iter()
            .map(|r| ReportRowOut {
                month: r.month.to_string(),
                cost_bp: r.cost_bp(),
                code: r.code,
                name: r.name,
                commission: r.commission,
                turnover: r.turnover,
            })
            .collect(),
    ))
}
