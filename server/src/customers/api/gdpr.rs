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
