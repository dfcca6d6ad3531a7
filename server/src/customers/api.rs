//! `/api/v1/customers`: the office's customer operations for staff API keys —
//! search and list, the card, create and edit, notes, calls and consents
//! (`api/history.rs`), merge and the duplicate queue (`api/merge.rs`), segments
//! (`api/segments.rs`) — through the same one path and
//! rules as the office's pages (`customers/edit.rs`: checked fields, possible
//! duplicates, field-by-field edits into the adviser's workspace, stale refused).
//! The JSON shapes are in `api/types.rs`.

mod fields;
mod gdpr;
mod history;
mod merge;
mod segments;
mod types;

pub use history::{ConsentIn, NoteIn};
pub use merge::{DuplicateOut, DuplicatePage, MergeIn, MergeOut};
pub use segments::{CountIn, CountOut, SegmentIn, SegmentOut};
pub use types::*;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldcase_shared::{AdviserId, ClientId, FieldError, Problem, StoreId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::api::params::{DEFAULT_LIMIT, MAX_QUERY_CHARS, bad, bad_cursor, limit};
use crate::customers::edit::{self, EditError};
use crate::customers::store::{CustomerFilter, CustomerSort};
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// The routes, for `api.rs`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customers, create_customer))
        .routes(routes!(customer_card, edit_customer))
        .routes(routes!(merge::merge_customer))
        .routes(routes!(history::add_customer_note))
        .routes(routes!(history::add_customer_consent))
        .routes(routes!(history::set_customer_language))
        .routes(routes!(merge::open_duplicates))
        .routes(routes!(segments::list_segments, segments::create_segment))
        .routes(routes!(segments::update_segment, segments::delete_segment))
        .routes(routes!(segments::count_criteria))
        .routes(routes!(segments::export_segment))
        .routes(routes!(gdpr::personal_data))
        .routes(routes!(gdpr::erase_customer))
        .routes(routes!(
            fields::list_custom_fields,
            fields::add_custom_field
        ))
        .routes(routes!(fields::withdraw_custom_field))
}

pub(super) use crate::api::params::uuid_param;

fn flag(field: &str, value: Option<String>) -> Result<Option<bool>, AppError> {
    match value.as_deref() {
        None | Some("") => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(bad(field, "expected true or false")),
    }
}

fn filter_from(p: CustomerListParams) -> Result<CustomerFilter, AppError> {
    let mut f = CustomerFilter {
        limit: DEFAULT_LIMIT,
        ..CustomerFilter::default()
    };
    if let Some(q) = p.q {
        f.text = q.chars().take(MAX_QUERY_CHARS).collect();
    }
    if let Some(s) = p.adviser.filter(|s| !s.is_empty()) {
        f.criteria.adviser = Some(AdviserId::from_uuid(uuid_param("adviser", &s)?));
    }
    if let Some(s) = p.store.filter(|s| !s.is_empty()) {
        f.criteria.shop = Some(StoreId::from_uuid(uuid_param("store", &s)?));
    }
    f.criteria.email_consent = flag("email_consent", p.email_consent)?;
    f.criteria.sms_consent = flag("sms_consent", p.sms_consent)?;
    if let Some(s) = p.sort.filter(|s| !s.is_empty()) {
        f.sort = match s.as_str() {
            "name" => CustomerSort::NameAsc,
            "name_desc" => CustomerSort::NameDesc,
            "newest" => CustomerSort::Newest,
            "oldest" => CustomerSort::Oldest,
            _ => return Err(bad("sort", "expected name, name_desc, newest or oldest")),
        };
    }
    if let Some(s) = p.limit.filter(|s| !s.is_empty()) {
        f.limit = limit(&s)?;
    }
    if let Some(s) = p.after.filter(|s| !s.is_empty()) {
        f.after = Some(decode_cursor(&s).ok_or_else(bad_cursor)?);
    }
    Ok(f)
}

/// A caller allowed to change customers: the scope, and a role that may edit them
/// (as on the office's Customers page).
pub(super) fn writer(caller: Caller) -> Result<ApiCaller, AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    if !crate::customers::EDITORS.contains(&caller.role()) {
        return Err(AppError::Forbidden(format!(
            "the role {} may not change customers",
            caller.role().code()
        )));
    }
    Ok(caller)
}

pub(super) fn customer_id(arg: &str) -> Result<ClientId, AppError> {
    arg.parse::<uuid::Uuid>()
        .map(ClientId::from_uuid)
        .map_err(|_| AppError::NotFound)
}

impl From<EditError> for AppError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Invalid(fields) => AppError::Invalid(fields),
            EditError::Duplicates(found) => AppError::Conflict(
                found
                    .iter()
                    .map(|d| {
                        let why: Vec<&str> = d
                            .likeness
                            .matches
                            .iter()
                            .map(|m| m.label(fieldcase_shared::Lang::En))
                            .collect();
                        FieldError::new(
                            "allow_duplicates",
                            Problem::NotAllowed(format!(
                                "possibly the same person as customer {} ({} {}): {} ({} %); send allow_duplicates: true to save anyway",
                                d.customer.id,
                                d.customer.first_name,
                                d.customer.last_name,
                                why.join(", "),
                                d.likeness.score
                            )),
                        )
                    })
                    .collect(),
            ),
            EditError::Stale(fields) => AppError::Conflict(
                fields
                    .iter()
                    .map(|f| {
                        FieldError::new(
                            *f,
                            Problem::NotAllowed(
                                "changed by someone else meanwhile; read the customer again".into(),
                            ),
                        )
                    })
                    .collect(),
            ),
            EditError::NotFound => AppError::NotFound,
            EditError::Store(e) => e.into(),
            EditError::Internal(e) => AppError::Internal(e),
        }
    }
}

/// Search and list customers, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/customers", tag = "customers",
    params(CustomerListParams),
    responses(
        (status = 200, description = "One page of customers; `next` starts the following page.", body = CustomerPage),
        (status = 400, description = "The query string cannot be read.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`.", body = ErrorBody),
        (status = 422, description = "A parameter is wrong; `fields` says which.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_customers(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<CustomerListParams>, QueryRejection>,
) -> Result<Json<CustomerPage>, AppError> {
    caller.with(Scope::CustomersRead)?;
    let Query(params) = params.map_err(|r| AppError::BadRequest(r.body_text()))?;
    let filter = filter_from(params)?;
    let list = state.store.list_customers(&filter).await?;
    let next = if list.len() as i64 >= filter.limit {
        let mut probe = filter.clone();
        probe.after = list.last().map(|c| c.cursor());
        probe.limit = 1;
        let more = !state.store.list_customers(&probe).await?.is_empty();
        more.then(|| list.last().map(|c| encode_cursor(&c.cursor())))
            .flatten()
    } else {
        None
    };
    Ok(Json(CustomerPage {
        customers: list.iter().map(CustomerItem::from).collect(),
        next,
    }))
}

/// One customer's card: fields, adviser and store, consents, prescriptions, orders
/// and the notes and calls of the communication history.
#[utoipa::path(
    get, path = "/api/v1/customers/{customer}", tag = "customers",
    params(("customer" = String, Path, description = "The customer's id (UUID).")),
    responses(
        (status = 200, description = "The customer's card.", body = CustomerCardOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn customer_card(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
) -> Result<Json<CustomerCardOut>, AppError> {
    caller.with(Scope::CustomersRead)?;
    let id = customer_id(&customer)?;
    let card = state
        .store
        .customer_card(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(CustomerCardOut::from(&card)))
}

/// Create a customer: the office's own, or for an adviser (it reaches their phone).
/// Possible duplicates (same phone or e-mail, similar name and address) refuse it
/// with 409 naming them, unless `allow_duplicates`.
#[utoipa::path(
    post, path = "/api/v1/customers", tag = "customers",
    request_body = CustomerIn,
    responses(
        (status = 201, description = "Created; its id.", body = Created),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not change customers.", body = ErrorBody),
        (status = 404, description = "No such adviser.", body = ErrorBody),
        (status = 409, description = "Possible duplicates, named in `fields`; nothing saved.", body = ErrorBody),
        (status = 422, description = "A field is wrong (surname missing, a phone, e-mail or postal code that is not one).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn create_customer(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CustomerIn>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let caller = writer(caller)?;
    let input = crate::error::json_body(body)?;
    let adviser = match input.adviser.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => {
            let id = AdviserId::from_uuid(uuid_param("adviser", a)?);
            match state.store.get_adviser(id).await {
                Ok(_) => Some(id),
                Err(crate::store::StoreError::NotFound(_)) => return Err(AppError::NotFound),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let record = input.fields.over(&Default::default());
    let id = edit::create(
        &state,
        &caller.actor(),
        adviser,
        record,
        input.allow_duplicates,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Edit a customer: the fields of `set` that differ from `seen` (what the caller
/// read from the card) are written, onto the customer as they are now; a customer
/// of an adviser is changed in the adviser's workspace too (their phone's own
/// changes of other fields stay).
#[utoipa::path(
    patch, path = "/api/v1/customers/{customer}", tag = "customers",
    params(("customer" = String, Path, description = "The customer's id (UUID).")),
    request_body = CustomerEdit,
    responses(
        (status = 200, description = "Saved; the fields written.", body = Changed),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not change customers.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
        (status = 409, description = "Someone changed these fields meanwhile, or possible duplicates; nothing written.", body = ErrorBody),
        (status = 422, description = "A field is wrong.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn edit_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
    body: Result<Json<CustomerEdit>, JsonRejection>,
) -> Result<Json<Changed>, AppError> {
    let caller = writer(caller)?;
    let id = customer_id(&customer)?;
    let input = crate::error::json_body(body)?;
    let card = state
        .store
        .customer_card(id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Fields missing from `seen` are what the card holds now; from `set`, unchanged.
    let seen = input.seen.over(&card.record());
    let new = input.set.over(&seen);
    let changed = edit::edit(
        &state,
        &caller.actor(),
        id,
        &seen,
        new,
        input.allow_duplicates,
    )
    .await?;
    Ok(Json(Changed {
        changed: changed.into_iter().map(str::to_owned).collect(),
    }))
}
