//! `/api/v1/customer-segments`: saved segments with their counts as they are now, a
//! count of unsaved criteria, and a segment's export (CSV or XLSX of the e-mails or
//! phones of its customers who consent to that channel now), for the roles that
//! keep segments (`customers::MARKETERS`), as on the office's Segments page.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::api::params::bad;
use crate::customers::segment::{Channel, Criteria, Format, MAX_NAME, check_name};
use crate::customers::store::Segment;
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::StoreError;

/// A segment to save.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentIn {
    /// Unique, 1–100 characters.
    pub name: String,
    /// Who is in it (an empty object: every customer).
    #[serde(default)]
    pub criteria: Criteria,
}

/// Criteria to count.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountIn {
    #[serde(default)]
    pub criteria: Criteria,
}

/// A saved segment and how many customers it takes now.
#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentOut {
    pub id: String,
    pub name: String,
    pub criteria: Criteria,
    /// Customers in it now.
    pub customers: i64,
    pub author: String,
    pub created_at: String,
    pub updated_at: String,
}

/// How many customers criteria take.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountOut {
    pub customers: i64,
}

/// What to export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `email` (default: e-mails of those consenting to e-mail) or `sms` (phones of
    /// those consenting to SMS).
    pub channel: Option<String>,
    /// `csv` (default; UTF-8 with BOM, `;` separated) or `xlsx`.
    pub format: Option<String>,
}

fn marketer(caller: Caller, scope: Scope) -> Result<ApiCaller, AppError> {
    let caller = caller.with(scope)?;
    if !crate::customers::MARKETERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(format!(
            "the role {} may not use segments",
            caller.role().code()
        )));
    }
    Ok(caller)
}

fn segment_id(arg: &str) -> Result<uuid::Uuid, AppError> {
    arg.parse().map_err(|_| AppError::NotFound)
}

/// The name and criteria checked and tidied.
fn checked(input: SegmentIn) -> Result<(String, Criteria), AppError> {
    let name = check_name(&input.name)
        .ok_or_else(|| bad("name", format!("1 to {MAX_NAME} characters")))?;
    let mut criteria = input.criteria;
    criteria
        .check()
        .map_err(|e| bad("criteria", e.text(fieldcase_shared::Lang::En)))?;
    Ok((name, criteria))
}

/// Refuses criteria that name an adviser or a store the hub does not have (they
/// would take no one, silently).
async fn known(state: &AppState, criteria: &Criteria) -> Result<(), AppError> {
    if let Some(adviser) = criteria.adviser {
        match state.store.get_adviser(adviser).await {
            Err(StoreError::NotFound(_)) => return Err(AppError::NotFound),
            other => {
                other?;
            }
        }
    }
    if let Some(shop) = criteria.shop
        && !state.store.list_shops().await?.iter().any(|s| s.id == shop)
    {
        return Err(AppError::NotFound);
    }
    Ok(())
}

fn out(s: Segment, customers: i64) -> SegmentOut {
    let at = crate::store::sql::rfc3339;
    SegmentOut {
        id: s.id.to_string(),
        name: s.name,
        criteria: s.criteria,
        customers,
        author: s.author,
        created_at: at(s.created_at),
        updated_at: at(s.updated_at),
    }
}

fn taken(e: StoreError) -> AppError {
    match e {
        StoreError::Duplicate { .. } => {
            AppError::Conflict(vec![fieldcase_shared::FieldError::new(
                "name",
                fieldcase_shared::Problem::NotAllowed("a segment of this name exists".into()),
            )])
        }
        e => e.into(),
    }
}

/// Every saved segment, by name, with how many customers each takes now.
#[utoipa::path(
    get, path = "/api/v1/customer-segments", tag = "customers",
    responses(
        (status = 200, description = "The segments.", body = Vec<SegmentOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role may not use segments.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn list_segments(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<SegmentOut>>, AppError> {
    marketer(caller, Scope::CustomersRead)?;
    let mut list = Vec::new();
    for s in state.store.segments().await? {
        let n = state.store.count_segment(&s.criteria).await?;
        list.push(out(s, n));
    }
    Ok(Json(list))
}

/// Save a segment.
#[utoipa::path(
    post, path = "/api/v1/customer-segments", tag = "customers",
    request_body = SegmentIn,
    responses(
        (status = 201, description = "Saved.", body = SegmentOut),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not use segments.", body = ErrorBody),
        (status = 404, description = "The criteria name an adviser or a store the hub does not have.", body = ErrorBody),
        (status = 409, description = "A segment of this name exists.", body = ErrorBody),
        (status = 422, description = "The name or a criterion cannot be taken.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn create_segment(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<SegmentIn>, JsonRejection>,
) -> Result<(StatusCode, Json<SegmentOut>), AppError> {
    let caller = marketer(caller, Scope::CustomersWrite)?;
    let (name, criteria) = checked(crate::error::json_body(body)?)?;
    known(&state, &criteria).await?;
    let id = state
        .store
        .create_segment(&caller.actor(), &name, &criteria)
        .await
        .map_err(taken)?;
    let s = state.store.segment(id).await?.ok_or(AppError::NotFound)?;
    let n = state.store.count_segment(&s.criteria).await?;
    Ok((StatusCode::CREATED, Json(out(s, n))))
}

/// Change a segment's name and criteria.
#[utoipa::path(
    put, path = "/api/v1/customer-segments/{segment}", tag = "customers",
    params(("segment" = String, Path, description = "The segment (UUID).")),
    request_body = SegmentIn,
    responses(
        (status = 200, description = "Saved.", body = SegmentOut),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not use segments.", body = ErrorBody),
        (status = 404, description = "No such segment, or the criteria name an adviser or a store the hub does not have.", body = ErrorBody),
        (status = 409, description = "Another segment has this name.", body = ErrorBody),
        (status = 422, description = "The name or a criterion cannot be taken.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn update_segment(
    State(state): State<AppState>,
    caller: Caller,
    Path(segment): Path<String>,
    body: Result<Json<SegmentIn>, JsonRejection>,
) -> Result<Json<SegmentOut>, AppError> {
    let caller = marketer(caller, Scope::CustomersWrite)?;
    let id = segment_id(&segment)?;
    let (name, criteria) = checked(crate::error::json_body(body)?)?;
    known(&state, &criteria).await?;
    state
        .store
        .update_segment(&caller.actor(), id, &name, &criteria)
        .await
        .map_err(taken)?;
    let s = state.store.segment(id).await?.ok_or(AppError::NotFound)?;
    let n = state.store.count_segment(&s.criteria).await?;
    Ok(Json(out(s, n)))
}

/// Delete a segment (its criteria stay in the audit log).
#[utoipa::path(
    delete, path = "/api/v1/customer-segments/{segment}", tag = "customers",
    params(("segment" = String, Path, description = "The segment (UUID).")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not use segments.", body = ErrorBody),
        (status = 404, description = "No such segment.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn delete_segment(
    State(state): State<AppState>,
    caller: Caller,
    Path(segment): Path<String>,
) -> Result<StatusCode, AppError> {
    let caller = marketer(caller, Scope::CustomersWrite)?;
    let id = segment_id(&segment)?;
    state.store.delete_segment(&caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many customers criteria take now (nothing is saved).
#[utoipa::path(
    post, path = "/api/v1/customer-segments/count", tag = "customers",
    request_body = CountIn,
    responses(
        (status = 200, description = "The count.", body = CountOut),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role may not use segments.", body = ErrorBody),
        (status = 404, description = "The criteria name an adviser or a store the hub does not have.", body = ErrorBody),
        (status = 422, description = "A criterion cannot be taken.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn count_criteria(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CountIn>, JsonRejection>,
) -> Result<Json<CountOut>, AppError> {
    marketer(caller, Scope::CustomersRead)?;
    let mut criteria = crate::error::json_body(body)?.criteria;
    criteria
        .check()
        .map_err(|e| bad("criteria", e.text(fieldcase_shared::Lang::En)))?;
    known(&state, &criteria).await?;
    let customers = state.store.count_segment(&criteria).await?;
    Ok(Json(CountOut { customers }))
}

/// The segment's e-mails (or phones) of the customers who consent to that channel
/// now, as a file; audited.
#[utoipa::path(
    get, path = "/api/v1/customer-segments/{segment}/export", tag = "customers",
    params(("segment" = String, Path, description = "The segment (UUID)."), ExportParams),
    responses(
        (status = 200, description = "The file: first_name, last_name, email or phone, town.",
            content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role may not use segments.", body = ErrorBody),
        (status = 404, description = "No such segment.", body = ErrorBody),
        (status = 422, description = "The channel or format is not one of these.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn export_segment(
    State(state): State<AppState>,
    caller: Caller,
    Path(segment): Path<String>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let caller = marketer(caller, Scope::CustomersRead)?;
    let Query(p) = params.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let channel = Channel::parse(p.channel.as_deref().unwrap_or("email"))
        .ok_or_else(|| bad("channel", "email or sms"))?;
    let format = Format::parse(p.format.as_deref().unwrap_or("csv"))
        .ok_or_else(|| bad("format", "csv or xlsx"))?;
    let id = segment_id(&segment)?;
    let actor = caller.actor();
    let (name, bytes) =
        crate::customers::export::file(state.store.as_ref(), &actor, id, channel, format)
            .await
            .map_err(AppError::Internal)?
            .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
