//! `/api/v1/pohoda/…`: a day's export to Pohoda (the dataPack, Windows-1250),
//! Pohoda's response pack read back, and a day's documents with their states.
//! Exporting and reading answers take `money:write`, listing `money:read`;
//! accounting and administrators only.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use fieldcase_shared::Lang;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::export::{PohodaError, export_day, import_response};
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::api::params::bad;
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// Pohoda's routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export))
        .routes(routes!(response))
        .routes(routes!(documents))
}

fn fail(e: PohodaError) -> AppError {
    match e {
        PohodaError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
        PohodaError::Store(e) => e.into(),
        e => AppError::Unprocessable {
            field: "pohoda".into(),
            message: e.text(Lang::En),
        },
    }
}

fn day(text: &str) -> Result<time::Date, AppError> {
    fieldcase_shared::calendar::parse_day(text).ok_or_else(|| bad("date", "expected YYYY-MM-DD"))
}

/// The day to export.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExportIn {
    /// `YYYY-MM-DD` (Prague).
    pub date: String,
}

/// Exports a day: its dataPack (each document recorded as exported).
#[utoipa::path(
    post, path = "/api/v1/pohoda/exports", tag = "money",
    request_body = ExportIn,
    responses(
        (status = 200, description = "The dataPack, Windows-1250.", content_type = "application/xml"),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 422, description = "Not a day, or the company's details are not set.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<ExportIn>, JsonRejection>,
) -> Result<Response, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let input = crate::error::json_body(body)?;
    let day = day(&input.date)?;
    let out = export_day(
        state.store.as_ref(),
        &state.config,
        &caller.actor(),
        caller.role(),
        day,
    )
    .await
    .map_err(fail)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/xml; charset=windows-1250".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"pohoda-{day}.xml\""),
            ),
        ],
        out.bytes,
    )
        .into_response())
}

/// What a response pack marked.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedOut {
    /// Documents whose state it set.
    pub marked: usize,
    /// Documents Pohoda had accepted before (left so).
    pub kept: usize,
    /// Numbers the hub never sent.
    pub unknown: Vec<String>,
}

/// Reads Pohoda's response pack (the XML as the body) and marks the documents.
#[utoipa::path(
    post, path = "/api/v1/pohoda/responses", tag = "money",
    request_body(content = String, content_type = "application/xml", description = "Pohoda's rsp:responsePack (Windows-1250 or UTF-8)."),
    responses(
        (status = 200, description = "Marked.", body = MarkedOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 422, description = "Not a Pohoda response pack.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn response(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<MarkedOut>, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let marked = import_response(state.store.as_ref(), &caller.actor(), caller.role(), &body)
        .await
        .map_err(fail)?;
    Ok(Json(MarkedOut {
        marked: marked.marked,
        kept: marked.kept,
        unknown: marked.unknown,
    }))
}

/// Which day.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// A document as the accounts have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOut {
    pub number: String,
    /// `invoice`, `deposit`, `credit_note`, `sale`, `refund`, `cash_in`, `cash_out`.
    pub kind: String,
    /// `exported`, `ok`, `warning`, `error`.
    pub state: String,
    /// Pohoda's words.
    pub message: String,
    pub exported_at: String,
    pub answered_at: Option<String>,
}

/// A day's exported documents with their states.
#[utoipa::path(
    get, path = "/api/v1/pohoda/documents", tag = "money",
    params(DayQuery),
    responses(
        (status = 200, description = "The day's documents.", body = Vec<DocumentOut>),
        (status = 400, description = "No `date`.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 422, description = "Not a day.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn documents(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<Vec<DocumentOut>>, AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !super::ACCOUNTANTS.contains(&caller.role()) {
        return Err(fail(PohodaError::Forbidden));
    }
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let day = day(&q.date)?;
    let docs = state.store.pohoda_documents(day).await?;
    Ok(Json(
        docs.into_iter()
            .map(|d| DocumentOut {
                number: d.number,
                kind: d.kind,
                state: d.state,
                message: d.message,
                exported_at: rfc3339(d.exported_at),
                answered_at: d.answered_at.map(rfc3339),
            })
            .collect(),
    ))
}
