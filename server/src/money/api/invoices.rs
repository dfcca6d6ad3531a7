//! `/api/v1/invoices`: tax documents listed, issued (an order's final invoice, a
//! deposit document, a credit note) and printed as PDF. Reading takes
//! `money:read`, issuing `money:write`; both a role that issues documents
//! (office, store, accounting, admin).

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fieldcase_shared::{Lang, Money, OrderId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::allowed;
use super::lines::{LineOut, VatOut};
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::api::params::bad;
use crate::error::AppError;
use crate::money::invoice::{Kind, breakdown};
use crate::money::invoicing::{INVOICERS, InvoiceError, Issue, issue};
use crate::money::store::invoices::{Invoice, InvoiceFilter};
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// A tax document.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceOut {
    pub id: String,
    pub number: String,
    /// `invoice`, `deposit` or `credit_note`.
    pub kind: String,
    pub order: Option<String>,
    /// The document a credit note corrects.
    pub corrects: Option<String>,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub taxable_on: String,
    pub due_on: String,
    pub variable_symbol: String,
    pub customer: String,
    /// Gross haléře (negative for a credit note).
    pub total: i64,
    pub paid: i64,
    pub to_pay: i64,
    pub reason: String,
    /// The lines and the VAT breakdown (on one document; empty in lists).
    pub lines: Vec<LineOut>,
    pub vat: Vec<VatOut>,
}

impl From<Invoice> for InvoiceOut {
    fn from(d: Invoice) -> Self {
        InvoiceOut {
            id: d.id.to_string(),
            to_pay: d.to_pay().haler(),
            vat: breakdown(&d.lines).iter().map(VatOut::from).collect(),
            lines: d.lines.iter().map(LineOut::from).collect(),
            number: d.number,
            kind: d.kind.code().into(),
            order: d.order.map(|o| o.to_string()),
            corrects: d.corrects.map(|c| c.to_string()),
            issued_on: d.issued_on.to_string(),
            taxable_on: d.taxable_on.to_string(),
            due_on: d.due_on.to_string(),
            variable_symbol: d.variable_symbol,
            customer: d.customer.name,
            total: d.total.haler(),
            paid: d.paid.haler(),
            reason: d.reason,
        }
    }
}

/// Which documents.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceQuery {
    /// One order's (its id).
    pub order: Option<String>,
    /// `invoice`, `deposit` or `credit_note`.
    pub kind: Option<String>,
    /// Issued in this year.
    pub year: Option<String>,
}

/// A document to issue.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InvoiceIn {
    /// `invoice` (the order's final invoice), `deposit` or `credit_note`.
    pub kind: String,
    /// The order (`invoice`, `deposit`).
    pub order: Option<String>,
    /// The document a credit note corrects.
    pub invoice: Option<String>,
    /// Haléře (`deposit`, `credit_note`), more than 0.
    pub amount: Option<i64>,
    /// Why (`credit_note`).
    #[serde(default)]
    pub reason: String,
}

fn refused(e: InvoiceError) -> AppError {
    match e {
        InvoiceError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
        InvoiceError::NotFound => AppError::NotFound,
        InvoiceError::Invalid(problems) => AppError::Invalid(problems),
        InvoiceError::Store(e) => e.into(),
        e @ (InvoiceError::AlreadyInvoiced | InvoiceError::Changed) => {
            AppError::Stale(e.text(Lang::En))
        }
        e @ (InvoiceError::NoSupplier | InvoiceError::Cancelled) => AppError::Unprocessable {
            field: "kind".into(),
            message: e.text(Lang::En),
        },
    }
}

fn id(field: &str, text: Option<&str>) -> Result<uuid::Uuid, AppError> {
    text.and_then(|t| t.trim().parse().ok())
        .ok_or_else(|| bad(field, "expected an id (UUID)"))
}

/// Tax documents, newest first (without lines).
#[utoipa::path(
    get, path = "/api/v1/invoices", tag = "money",
    params(InvoiceQuery),
    responses(
        (status = 200, description = "The documents.", body = Vec<InvoiceOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role does not issue documents.", body = ErrorBody),
        (status = 422, description = "A parameter does not read (it is named).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn list_invoices(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<InvoiceQuery>, QueryRejection>,
) -> Result<Json<Vec<InvoiceOut>>, AppError> {
    allowed(caller, Scope::MoneyRead, INVOICERS)?;
    let Query(q) = q.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let order = match q.order.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(o) => Some(OrderId::from_uuid(id("order", Some(o))?)),
    };
    let kind = match q.kind.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(
            Kind::from_code(k)
                .ok_or_else(|| bad("kind", "expected invoice, deposit or credit_note"))?,
        ),
    };
    let year = match q.year.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(y) => Some(
            y.parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| bad("year", "expected a year 2000–2100"))?,
        ),
    };
    let docs = state
        .store
        .invoices(&InvoiceFilter {
            order,
            kind,
            year,
            limit: 500,
            ..InvoiceFilter::default()
        })
        .await?;
    Ok(Json(docs.into_iter().map(Into::into).collect()))
}

/// Issues a tax document.
#[utoipa::path(
    post, path = "/api/v1/invoices", tag = "money",
    request_body = InvoiceIn,
    responses(
        (status = 201, description = "Issued.", body = InvoiceOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role does not issue documents.", body = ErrorBody),
        (status = 404, description = "No such order or document.", body = ErrorBody),
        (status = 409, description = "The order has its invoice already, or payments changed meanwhile.", body = ErrorBody),
        (status = 422, description = "It cannot be issued (the fields say why).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn issue_invoice(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<InvoiceIn>, JsonRejection>,
) -> Result<(StatusCode, Json<InvoiceOut>), AppError> {
    let caller = allowed(caller, Scope::MoneyWrite, INVOICERS)?;
    let input = crate::error::json_body(body)?;
    let amount = || {
        input
            .amount
            .map(Money::from_haler)
            .ok_or_else(|| bad("amount", "required"))
    };
    let what = match input.kind.as_str() {
        "invoice" => Issue::Final {
            order: OrderId::from_uuid(id("order", input.order.as_deref())?),
        },
        "deposit" => Issue::Deposit {
            order: OrderId::from_uuid(id("order", input.order.as_deref())?),
            amount: amount()?,
        },
        "credit_note" => Issue::Credit {
            invoice: id("invoice", input.invoice.as_deref())?,
            amount: amount()?,
            reason: input.reason.clone(),
        },
        _ => return Err(bad("kind", "expected invoice, deposit or credit_note")),
    };
    let doc = issue(
        state.store.as_ref(),
        &state.config,
        &caller.actor(),
        caller.role(),
        &what,
    )
    .await
    .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(doc.into())))
}

/// A document as PDF (with its VAT breakdown and the QR payment code).
#[utoipa::path(
    get, path = "/api/v1/invoices/{invoice}/pdf", tag = "money",
    params(("invoice" = String, Path, description = "The document's id (UUID).")),
    responses(
        (status = 200, description = "The PDF.", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role does not issue documents.", body = ErrorBody),
        (status = 404, description = "No such document.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn invoice_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(invoice): Path<String>,
) -> Result<Response, AppError> {
    allowed(caller, Scope::MoneyRead, INVOICERS)?;
    let uuid = id("invoice", Some(&invoice))?;
    let (number, bytes) = crate::money::documents::pdf(&state, uuid, Lang::Cs)
        .await
        .map_err(AppError::Internal)?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{number}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
