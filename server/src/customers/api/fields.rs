//! `/api/v1/custom-fields`: the custom fields of customers and orders
//! (`customers/fields.rs`) — listed for every staff key with `customers:read`;
//! added and withdrawn by an administrator's key with `customers:write`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::uuid_param;
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::customers::fields::{Definition, FieldsError, add, withdraw};
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// A custom field.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFieldOut {
    pub id: String,
    /// `customer` or `order`.
    pub entity: String,
    /// The key values are kept under (`custom` of a customer or order).
    pub key: String,
    pub label_cs: String,
    pub label_en: String,
    /// `text`, `number` (kept with `.`), `date` (`YYYY-MM-DD`) or `choice`.
    pub kind: String,
    pub choices: Vec<String>,
    pub required: bool,
    /// Withdrawn (RFC 3339): no longer in forms; values stay.
    pub withdrawn_at: Option<String>,
}

/// A new custom field.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomFieldIn {
    pub entity: String,
    pub label_cs: String,
    #[serde(default)]
    pub label_en: String,
    /// Empty or missing: made from the Czech label.
    #[serde(default)]
    pub key: String,
    pub kind: String,
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// Every custom field, withdrawn ones too.
#[utoipa::path(
    get, path = "/api/v1/custom-fields", tag = "customers",
    responses(
        (status = 200, description = "The fields.", body = Vec<CustomFieldOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn list_custom_fields(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CustomFieldOut>>, AppError> {
    caller.with(Scope::CustomersRead)?;
    let fields = state.store.custom_fields().await?;
    Ok(Json(
        fields
            .into_iter()
            .map(|f| CustomFieldOut {
                id: f.id.to_string(),
                entity: f.entity.code().into(),
                key: f.key,
                label_cs: f.label_cs,
                label_en: f.label_en,
                kind: f.kind.code().into(),
                choices: f.choices,
                required: f.required,
                withdrawn_at: f.withdrawn_at.map(crate::store::sql::rfc3339),
            })
            .collect(),
    ))
}

fn refused(e: FieldsError) -> AppError {
    match e {
        FieldsError::Forbidden => AppError::Forbidden(e.text(fieldcase_shared::Lang::En)),
        FieldsError::Invalid(problems) => AppError::Invalid(problems),
        FieldsError::NotFound => AppError::NotFound,
        FieldsError::Store(e) => e.into(),
        FieldsError::Publish(e) => AppError::Internal(e),
    }
}

/// Adds a custom field; the phones get it on their next sync.
#[utoipa::path(
    post, path = "/api/v1/custom-fields", tag = "customers",
    request_body = CustomFieldIn,
    responses(
        (status = 201, description = "Added; its id.", body = String),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the user is not an administrator.", body = ErrorBody),
        (status = 422, description = "The definition cannot be taken (the fields say why; a key in use too).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn add_custom_field(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CustomFieldIn>, JsonRejection>,
) -> Result<(StatusCode, Json<String>), AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    let input = crate::error::json_body(body)?;
    let def = Definition {
        entity: input.entity,
        label_cs: input.label_cs,
        label_en: input.label_en,
        key: input.key,
        kind: input.kind,
        choices: input.choices,
        required: input.required,
    };
    let id = add(&state, &caller.actor(), caller.role(), &def)
        .await
        .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(id.to_string())))
}

/// Withdraws a custom field (forms stop showing it; records keep their values).
#[utoipa::path(
    delete, path = "/api/v1/custom-fields/{field}", tag = "customers",
    params(("field" = String, Path, description = "The field's id (UUID).")),
    responses(
        (status = 204, description = "Withdrawn."),
        (status = 400, description = "Not an id.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the user is not an administrator.", body = ErrorBody),
        (status = 404, description = "No such field in use.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn withdraw_custom_field(
    State(state): State<AppState>,
    caller: Caller,
    Path(field): Path<String>,
) -> Result<StatusCode, AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    let id = uuid_param("field", &field)?;
    withdraw(&state, &caller.actor(), caller.role(), id)
        .await
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}
