//! `/api/v1/customers/{customer}/merge` and `/api/v1/customer-duplicates`: the
//! duplicate review queue and a merge, through the office's one path
//! (`customers/merge.rs`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use fieldcase_shared::{ClientId, FieldError, Lang, Problem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{CustomerItem, customer_id, uuid_param, writer};
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::api::params::{bad, limit};
use crate::customers::merge::{self, MergeError};
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// Which customer stays.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeIn {
    /// The customer that stays (UUID); the one in the path is merged into it.
    pub into: String,
}

/// What a merge moved to the survivor.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeOut {
    pub survivor: String,
    pub orders: i64,
    pub prescriptions: i64,
    /// Notes, logged calls and consents.
    pub history: i64,
}

/// The queue's paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuplicateParams {
    /// At most this many pairs (1–500, default 100).
    pub limit: Option<String>,
    /// Skip this many pairs (0–1,000,000).
    pub offset: Option<String>,
}

/// Two customers who may be one person.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicateOut {
    pub a: CustomerItem,
    pub b: CustomerItem,
    /// 0–100.
    pub score: u8,
    /// Why: `phone`, `email`, `name_address`.
    pub reasons: Vec<String>,
    pub found_at: String,
}

/// One page of the open pairs, most alike first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DuplicatePage {
    pub pairs: Vec<DuplicateOut>,
    /// How many pairs are open.
    pub open: i64,
}

impl From<MergeError> for AppError {
    fn from(e: MergeError) -> Self {
        let refused = |field: &str, e: &MergeError| {
            vec![FieldError::new(
                field,
                Problem::NotAllowed(e.text(Lang::En)),
            )]
        };
        match e {
            MergeError::NotFound => AppError::NotFound,
            MergeError::Same => AppError::Invalid(refused("into", &e)),
            MergeError::AlreadyMerged | MergeError::TwoAdvisers => {
                AppError::Conflict(refused("into", &e))
            }
            MergeError::Store(e) => e.into(),
            MergeError::Internal(e) => AppError::Internal(e),
        }
    }
}

/// Merge this customer into another (the same person entered twice): their orders,
/// prescriptions, notes, calls and consents move to the one that stays, which takes
/// the fields it lacks; this record is kept, marked `merged_into`. The adviser's
/// phone shows it after its sync.
#[utoipa::path(
    post, path = "/api/v1/customers/{customer}/merge", tag = "customers",
    params(("customer" = String, Path, description = "The customer merged away (UUID).")),
    request_body = MergeIn,
    responses(
        (status = 200, description = "Merged; what moved.", body = MergeOut),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not change customers.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
        (status = 409, description = "One of them is merged already, or they belong to two advisers; nothing changed.", body = ErrorBody),
        (status = 422, description = "`into` is not an id, or names the same customer.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn merge_customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
    body: Result<Json<MergeIn>, JsonRejection>,
) -> Result<Json<MergeOut>, AppError> {
    let caller = writer(caller)?;
    let merged = customer_id(&customer)?;
    let input = crate::error::json_body(body)?;
    let survivor = ClientId::from_uuid(uuid_param("into", &input.into)?);
    let done = merge::merge(&state, &caller.actor(), merged, survivor).await?;
    Ok(Json(MergeOut {
        survivor: survivor.to_string(),
        orders: done.orders,
        prescriptions: done.prescriptions,
        history: done.notes,
    }))
}

/// The duplicate review queue: open pairs of customers who may be one person (found
/// when someone saved despite the warning, or by the scan), most alike first.
#[utoipa::path(
    get, path = "/api/v1/customer-duplicates", tag = "customers",
    params(DuplicateParams),
    responses(
        (status = 200, description = "One page of open pairs and how many are open.", body = DuplicatePage),
        (status = 400, description = "The query string cannot be read.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`.", body = ErrorBody),
        (status = 422, description = "A parameter is wrong; `fields` says which.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn open_duplicates(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<DuplicateParams>, QueryRejection>,
) -> Result<Json<DuplicatePage>, AppError> {
    caller.with(Scope::CustomersRead)?;
    let Query(params) = params.map_err(|r| AppError::BadRequest(r.body_text()))?;
    let n = match params.limit.filter(|s| !s.is_empty()) {
        Some(s) => limit(&s)?,
        None => crate::api::params::DEFAULT_LIMIT,
    };
    let offset = match params.offset.filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|o| (0..=1_000_000).contains(o))
            .ok_or_else(|| bad("offset", "expected a whole number from 0 to 1000000"))?,
    };
    let (pairs, open) = state.store.open_duplicates(n, offset).await?;
    Ok(Json(DuplicatePage {
        pairs: pairs
            .iter()
            .map(|p| DuplicateOut {
                a: CustomerItem::from(&p.a),
                b: CustomerItem::from(&p.b),
                score: p.likeness.score,
                reasons: p
                    .likeness
                    .matches
                    .iter()
                    .map(|m| m.code().to_owned())
                    .collect(),
                found_at: p
                    .found_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
            })
            .collect(),
        open,
    }))
}
