//! `/api/v1/commission/self-billing`: the self-billing invoices of self-employed
//! advisers (one per payout paid; optionally one adviser's), and `…/{id}/pdf`
//! one as its PDF. `money:read`, accounting and administrators.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use fieldcase_shared::Lang;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::payout::PAYOUT_APPROVERS;
use super::self_billing::split;
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// The self-billing routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_self_billing))
        .routes(routes!(self_billing_pdf))
}

/// Whose invoices.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SelfBillingQuery {
    /// One adviser's (their number), or everyone's.
    pub adviser: Option<String>,
}

/// A self-billing invoice; amounts in haléře.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfBillingOut {
    pub id: String,
    pub number: String,
    pub adviser: String,
    /// The adviser as the invoice names them.
    pub supplier_name: String,
    pub supplier_ico: String,
    pub supplier_dic: String,
    pub batch: String,
    pub payout_request: String,
    pub issued_at: String,
    pub total: i64,
    pub base: i64,
    pub vat: i64,
    /// 2100 for a VAT payer, else 0.
    pub vat_bp: i64,
}

fn allowed(caller: Caller) -> Result<(), AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !PAYOUT_APPROVERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "only accounting and administrators read self-billing invoices".into(),
        ));
    }
    Ok(())
}

/// The self-billing invoices, newest first.
#[utoipa::path(
    get, path = "/api/v1/commission/self-billing", tag = "commission",
    params(SelfBillingQuery),
    responses(
        (status = 200, description = "The invoices.", body = Vec<SelfBillingOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such adviser.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_self_billing(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SelfBillingQuery>, QueryRejection>,
) -> Result<Json<Vec<SelfBillingOut>>, AppError> {
    allowed(caller)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let adviser = match q.adviser.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            super::statement::find_adviser(state.store.as_ref(), code)
                .await?
                .ok_or(AppError::NotFound)?
                .id,
        ),
    };
    let list = state.store.self_billing_invoices(adviser).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| {
                let (base, vat) = split(s.total, s.vat_bp);
                SelfBillingOut {
                    id: s.id.to_string(),
                    number: s.number,
                    adviser: s.adviser_code,
                    supplier_name: s.supplier.name,
                    supplier_ico: s.supplier.ico,
                    supplier_dic: s.supplier.dic,
                    batch: s.batch_number,
                    payout_request: s.request.to_string(),
                    issued_at: rfc3339(s.issued_at),
                    total: s.total.haler(),
                    base: base.haler(),
                    vat: vat.haler(),
                    vat_bp: s.vat_bp,
                }
            })
            .collect(),
    ))
}

/// A self-billing invoice as a PDF (in Czech).
#[utoipa::path(
    get, path = "/api/v1/commission/self-billing/{id}/pdf", tag = "commission",
    params(("id" = String, Path, description = "The invoice's id (UUID).")),
    responses(
        (status = 200, description = "The PDF.", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such invoice.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
        (status = 503, description = "The PDF cannot be made now.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn self_billing_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    allowed(caller)?;
    let id = crate::api::params::uuid_param("id", &id)?;
    Ok(crate::money::documents::pdf_response(
        super::self_billing::file(&state, id, Lang::Cs).await,
    ))
}
