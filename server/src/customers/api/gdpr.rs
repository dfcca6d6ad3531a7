//! `GET /api/v1/customers/{customer}/personal-data`: everything the hub holds about
//! one customer (`customers/gdpr.rs`), for a data-subject request handled by an
//! integration; the roles that handle them (office, customer service, admin);
//! audited.

use axum::Json;
use axum::extract::{Path, State};

use super::customer_id;
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::customers::gdpr::{PersonalData, gather};
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// Everything about one customer: card, orders with lines, notes and history,
/// reminders, price terms.
#[utoipa::path(
    get, path = "/api/v1/customers/{customer}/personal-data", tag = "customers",
    params(("customer" = String, Path, description = "The customer's id (UUID).")),
    responses(
        (status = 200, description = "Their personal data.", body = PersonalData),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not handle customers' requests.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn personal_data(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
) -> Result<Json<PersonalData>, AppError> {
    let caller = caller.with(Scope::CustomersRead)?;
    if !crate::customers::MARKETERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(format!(
            "the role {} does not export personal data",
            caller.role().code()
        )));
    }
    let id = customer_id(&customer)?;
    gather(&state, &caller.actor(), id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// An erasure request: why (the customer's request, its date; not their name).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ErasureIn {
    pub reason: String,
}

/// What an erasure did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErasureOut {
    /// Customer records erased (the customer and the records merged into them).
    pub customers: u64,
    pub prescriptions: u64,
    /// Orders whose notes were emptied (the orders stay, for accounting).
    pub orders: u64,
    /// Notes, calls, consents, reminders, history and audit entries removed or emptied.
    pub history: u64,
    /// Advisers' workspaces rewritten without their history.
    pub workspaces: usize,
}

/// Erases a customer's personal data on their request (GDPR art. 17): from the
/// database and from every adviser's workspace, history included; the phones move
/// to the rewritten workspace on their next sync. Administrators only; audited.
#[utoipa::path(
    post, path = "/api/v1/customers/{customer}/erasure", tag = "customers",
    params(("customer" = String, Path, description = "The customer's id (UUID).")),
    request_body = ErasureIn,
    responses(
        (status = 200, description = "Erased.", body = ErasureOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the user is not an administrator.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 409, description = "An order of theirs is still in progress.", body = ErrorBody),
        (status = 422, description = "The reason is missing or too long.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn erase_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
    body: Result<Json<ErasureIn>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ErasureOut>, AppError> {
    use crate::customers::erase::{EraseError, erase};
    let caller = caller.with(Scope::CustomersWrite)?;
    let id = customer_id(&customer)?;
    let body = crate::error::json_body(body)?;
    let l = fieldcase_shared::Lang::En;
    match erase(&state, &caller.actor(), caller.role(), id, &body.reason).await {
        Ok(done) => Ok(Json(ErasureOut {
            customers: done.erased.clients,
            prescriptions: done.erased.prescriptions,
            orders: done.erased.orders,
            history: done.erased.history,
            workspaces: done.workspaces,
        })),
        Err(e @ EraseError::Forbidden) => Err(AppError::Forbidden(e.text(l))),
        Err(EraseError::NotFound) => Err(AppError::NotFound),
        Err(e @ EraseError::Reason) => Err(AppError::Unprocessable {
            field: "reason".into(),
            message: e.text(l),
        }),
        Err(e @ EraseError::OpenOrders(_)) => Err(AppError::Stale(e.text(l))),
        Err(EraseError::Store(e)) => Err(e.into()),
        Err(EraseError::Sync(e)) => Err(AppError::Internal(e)),
    }
}
