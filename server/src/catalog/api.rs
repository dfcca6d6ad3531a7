//! `/api/v1/coupons`, `/api/v1/discount-tiers` and `/api/v1/customers/{id}/terms`:
//! coupons with their uses, discount tiers and customers' price terms, as on the
//! office's Discounts page and the customer card. Reading takes `customers:read`;
//! changing takes `customers:write` and a role that sets prices (office, admin).
//! What changes is published into the catalog document for the phones.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::catalog::CustomerTermsRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::api::params::bad;
use crate::catalog::coupons::{self, CouponArgs, CouponError, CouponUse};
use crate::catalog::terms::{self, PRICE_SETTERS, SetError, TermsError};
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// The routes, for `api.rs`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_coupons))
        .routes(routes!(put_coupon))
        .routes(routes!(list_tiers))
        .routes(routes!(put_tier))
        .routes(routes!(customer_terms, set_customer_terms))
}

/// A coupon with how many orders used it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouponOut {
    pub code: String,
    /// Percentage off in basis points (0: an amount).
    pub percent_bp: u32,
    /// Amount off, haléře (0: a percentage).
    pub amount_haler: i64,
    /// Last day (`YYYY-MM-DD`); empty: no end.
    pub valid_until: String,
    pub min_order_haler: i64,
    /// The one customer it is for; empty: anyone.
    pub client: String,
    pub message: String,
    /// Orders that may use it in all; 0: no limit.
    pub max_uses: u32,
    /// Orders that used it.
    pub uses: i64,
    pub active: bool,
}

impl From<CouponUse> for CouponOut {
    fn from(c: CouponUse) -> Self {
        CouponOut {
            code: c.code,
            percent_bp: c.coupon.percent_bp,
            amount_haler: c.coupon.amount,
            valid_until: c.coupon.valid_until,
            min_order_haler: c.coupon.min_order,
            client: c.coupon.client,
            message: c.coupon.message,
            max_uses: c.coupon.max_uses,
            uses: c.uses,
            active: c.coupon.active,
        }
    }
}

/// A coupon's terms as typed (the code is in the path).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouponIn {
    /// Percentage off, e.g. `10` or `7,5` (or give `amount`).
    pub percent: Option<String>,
    /// Amount off in CZK, e.g. `500`.
    pub amount: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub valid_until: Option<String>,
    /// The least the order must come to after the adviser's discount, CZK.
    pub min_order: Option<String>,
    /// The one customer who may use it (their id).
    pub client: Option<String>,
    #[serde(default)]
    pub message: String,
    /// Orders that may use it in all (at least 1; leave out for no limit).
    pub max_uses: Option<u32>,
    /// Withdrawn: listed, no longer applies.
    #[serde(default)]
    pub withdrawn: bool,
}

/// A discount tier.
#[derive(Debug, Serialize, ToSchema)]
pub struct TierOut {
    pub code: String,
    pub name: String,
    /// Discount class → basis points off.
    pub classes: BTreeMap<String, u32>,
}

/// A tier to save (the code is in the path).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierIn {
    pub name: String,
    /// Discount class (a product's own, or its kind: `frame`, `lens`, …) → basis
    /// points off (0–10000).
    #[serde(default)]
    pub classes: BTreeMap<String, u32>,
}

/// A customer's price terms.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsBody {
    /// The least discount on every catalog line, basis points (0–10000).
    #[serde(default)]
    pub min_discount_bp: u32,
    /// Their tier's code; empty: none.
    #[serde(default)]
    pub tier: String,
}

fn setter(caller: Caller) -> Result<ApiCaller, AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    if !PRICE_SETTERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(format!(
            "the role {} may not set prices",
            caller.role().code()
        )));
    }
    Ok(caller)
}

fn invalid(e: TermsError) -> AppError {
    match e {
        TermsError::UnknownTier(_) | TermsError::UnknownCustomer => AppError::NotFound,
        TermsError::Percent(_) => bad("min_discount_bp", e.message(fieldcase_shared::Lang::En)),
        TermsError::Code(_) => bad("code", e.message(fieldcase_shared::Lang::En)),
        TermsError::Name => bad("name", e.message(fieldcase_shared::Lang::En)),
        TermsError::Class(_) => bad("classes", e.message(fieldcase_shared::Lang::En)),
    }
}

/// Every coupon (withdrawn ones too) with how many orders used it.
#[utoipa::path(
    get, path = "/api/v1/coupons", tag = "pricing",
    responses(
        (status = 200, description = "The coupons, by code.", body = Vec<CouponOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn list_coupons(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CouponOut>>, AppError> {
    caller.with(Scope::CustomersRead)?;
    let list = coupons::with_uses(state.store.as_ref()).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Create or change a coupon (withdraw it with `withdrawn`).
#[utoipa::path(
    put, path = "/api/v1/coupons/{code}", tag = "pricing",
    params(("code" = String, Path, description = "The coupon's code (case and spaces ignored).")),
    request_body = CouponIn,
    responses(
        (status = 200, description = "Saved.", body = CouponOut),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not set prices.", body = ErrorBody),
        (status = 404, description = "The customer it is for does not exist.", body = ErrorBody),
        (status = 422, description = "A term cannot be taken.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn put_coupon(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Json<CouponIn>, JsonRejection>,
) -> Result<Json<CouponOut>, AppError> {
    let caller = setter(caller)?;
    let input = crate::error::json_body(body)?;
    let args = CouponArgs {
        code,
        percent: input.percent,
        amount: input.amount,
        valid_until: input.valid_until,
        min_order: input.min_order,
        client: input.client,
        message: input.message,
        max_uses: input.max_uses,
        withdrawn: input.withdrawn,
    };
    let code = match coupons::add(state.store.as_ref(), &caller.actor(), args).await {
        Ok(code) => code,
        Err(CouponError::NoSuchClient) => return Err(AppError::NotFound),
        Err(CouponError::Store(e)) => return Err(AppError::Internal(anyhow::anyhow!(e))),
        Err(e) => return Err(bad(e.field(), e.message(fieldcase_shared::Lang::En))),
    };
    terms::publish(Some(&state.sync)).await;
    let saved = coupons::with_uses(state.store.as_ref())
        .await?
        .into_iter()
        .find(|c| c.code == code)
        .ok_or(AppError::NotFound)?;
    Ok(Json(saved.into()))
}

/// Every discount tier, by code.
#[utoipa::path(
    get, path = "/api/v1/discount-tiers", tag = "pricing",
    responses(
        (status = 200, description = "The tiers.", body = Vec<TierOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn list_tiers(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<TierOut>>, AppError> {
    caller.with(Scope::CustomersRead)?;
    Ok(Json(
        state
            .store
            .discount_tiers()
            .await?
            .into_iter()
            .map(|(code, t)| TierOut {
                code,
                name: t.name,
                classes: t.classes,
            })
            .collect(),
    ))
}

/// Create or change a discount tier.
#[utoipa::path(
    put, path = "/api/v1/discount-tiers/{code}", tag = "pricing",
    params(("code" = String, Path, description = "The tier's code (letters and digits).")),
    request_body = TierIn,
    responses(
        (status = 200, description = "Saved.", body = TierOut),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not set prices.", body = ErrorBody),
        (status = 404, description = "Not used: a tier is created when missing.", body = ErrorBody),
        (status = 422, description = "The code, the name or a class cannot be taken.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn put_tier(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    body: Result<Json<TierIn>, JsonRejection>,
) -> Result<Json<TierOut>, AppError> {
    let caller = setter(caller)?;
    let input = crate::error::json_body(body)?;
    if let Some((class, _)) = input.classes.iter().find(|(_, bp)| **bp > 10_000) {
        return Err(bad(
            "classes",
            format!("{class}: at most 10000 basis points"),
        ));
    }
    let (code, tier) = terms::check_tier(&code, &input.name, &terms::classes_text(&input.classes))
        .map_err(invalid)?;
    terms::put_tier(
        state.store.as_ref(),
        Some(&state.sync),
        &caller.actor(),
        &code,
        &tier,
    )
    .await?;
    Ok(Json(TierOut {
        code,
        name: tier.name,
        classes: tier.classes,
    }))
}

fn client_id(text: &str) -> Result<ClientId, AppError> {
    text.parse::<uuid::Uuid>()
        .map(ClientId::from_uuid)
        .map_err(|_| AppError::NotFound)
}

/// A customer's price terms (none: zero and empty).
#[utoipa::path(
    get, path = "/api/v1/customers/{customer}/terms", tag = "pricing",
    params(("customer" = String, Path, description = "The customer (UUID).")),
    responses(
        (status = 200, description = "Their terms.", body = TermsBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn customer_terms(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
) -> Result<Json<TermsBody>, AppError> {
    caller.with(Scope::CustomersRead)?;
    let id = client_id(&customer)?;
    if state.store.client_owner(id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let t = state
        .store
        .customer_terms(&[id])
        .await?
        .into_values()
        .next()
        .unwrap_or_default();
    Ok(Json(t.into()))
}

/// Set a customer's price terms (zero and no tier: removed).
#[utoipa::path(
    put, path = "/api/v1/customers/{customer}/terms", tag = "pricing",
    params(("customer" = String, Path, description = "The customer (UUID).")),
    request_body = TermsBody,
    responses(
        (status = 200, description = "Saved.", body = TermsBody),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not set prices.", body = ErrorBody),
        (status = 404, description = "No such customer or tier.", body = ErrorBody),
        (status = 422, description = "The minimum is over 100 %.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn set_customer_terms(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
    body: Result<Json<TermsBody>, JsonRejection>,
) -> Result<Json<TermsBody>, AppError> {
    let caller = setter(caller)?;
    let id = client_id(&customer)?;
    let input = crate::error::json_body(body)?;
    if input.min_discount_bp > 10_000 {
        return Err(bad("min_discount_bp", "at most 10000 basis points (100 %)"));
    }
    let tiers = state.store.discount_tiers().await?;
    let record = terms::check_terms(
        &terms::percent_text(input.min_discount_bp),
        &input.tier,
        &tiers,
    )
    .map_err(invalid)?;
    terms::set_customer_terms(
        state.store.as_ref(),
        Some(&state.sync),
        &caller.actor(),
        id,
        &record,
    )
    .await
    .map_err(|e| match e {
        SetError::Terms(t) => invalid(t),
        SetError::Store(s) => s.into(),
    })?;
    Ok(Json(record.into()))
}

impl From<CustomerTermsRecord> for TermsBody {
    fn from(t: CustomerTermsRecord) -> Self {
        TermsBody {
            min_discount_bp: t.min_discount_bp,
            tier: t.tier,
        }
    }
}
