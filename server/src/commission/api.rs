//! `/api/v1/commission/rules`: the commission rules (current versions, or every
//! version) and writing one — a new rule or the next version of one
//! (`commission/rule_edit.rs`). Reading takes `money:read` and office, accounting
//! or admin; writing `money:write` and accounting or admin.
//! `/api/v1/commission/orders/{order}`: an order's ledger lines with "why this
//! amount" (the same readers). `/api/v1/commission/levels`: advisers' levels
//! (read like the rules; set by accounting and administrators).

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldcase_shared::Lang;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rule_edit::{RULE_READERS, RuleError, RuleInput, put};
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// A refused rule or level as the API answers it.
fn refused(e: RuleError) -> AppError {
    match e {
        RuleError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
        RuleError::NotFound => AppError::NotFound,
        RuleError::Invalid(problems) => AppError::Invalid(problems),
        RuleError::Changed => AppError::Stale(e.text(Lang::En)),
        RuleError::Store(e) => e.into(),
    }
}

/// The commission routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules, put_rule))
        .routes(routes!(order_commission))
        .routes(routes!(list_levels, put_level))
        .merge(super::payout_api::routes())
        .merge(super::statement_api::routes())
        .merge(super::self_billing_api::routes())
}

/// One version of a rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleOut {
    pub id: String,
    pub version: i32,
    /// A product kind, or none for every kind.
    pub group: Option<String>,
    /// `junior`, `senior`, `lead`, or none for every level.
    pub level: Option<String>,
    /// Basis points of the lines' price without VAT.
    pub rate_bp: i64,
    pub valid_from: String,
    /// The first day it no longer applies.
    pub valid_to: Option<String>,
    pub campaign: Option<String>,
    pub sku: Option<String>,
    /// Haléře per piece (campaigns).
    pub bonus: i64,
    pub actor: String,
    pub created_at: String,
}

/// Which versions.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RulesQuery {
    /// Every version, not only the current ones.
    #[serde(default)]
    pub history: bool,
}

/// The commission rules.
#[utoipa::path(
    get, path = "/api/v1/commission/rules", tag = "commission",
    params(RulesQuery),
    responses(
        (status = 200, description = "The rules, by id and version.", body = Vec<RuleOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read the rules.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_rules(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<RulesQuery>, QueryRejection>,
) -> Result<Json<Vec<RuleOut>>, AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !RULE_READERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this role may not read the commission rules".into(),
        ));
    }
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let rules = state.store.commission_rules(q.history).await?;
    Ok(Json(
        rules
            .into_iter()
            .map(|s| {
                let r = s.rule;
                RuleOut {
                    id: r.id.to_string(),
                    version: r.version,
                    group: r.group,
                    level: r.level.map(|l| l.code().to_owned()),
                    rate_bp: r.rate_bp,
                    valid_from: r.valid_from.to_string(),
                    valid_to: r.valid_to.map(|d| d.to_string()),
                    bonus: r.campaign.as_ref().map_or(0, |c| c.bonus.haler()),
                    sku: r.campaign.as_ref().and_then(|c| c.sku.clone()),
                    campaign: r.campaign.map(|c| c.name),
                    actor: s.actor,
                    created_at: rfc3339(s.created_at),
                }
            })
            .collect(),
    ))
}

/// A rule to write: a new one, or with `id` the next version of one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RuleIn {
    pub id: Option<String>,
    /// Percent, e.g. `"8"` or `"7.5"`.
    pub rate: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: Option<String>,
    /// `frame`, `lens`, `coating`, `contact_lens`, `accessory`, `service`.
    #[serde(default)]
    pub group: Option<String>,
    /// `junior`, `senior`, `lead`.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub campaign: Option<String>,
    #[serde(default)]
    pub sku: Option<String>,
    /// CZK per piece.
    #[serde(default)]
    pub bonus: Option<String>,
}

/// The rule written.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleWritten {
    pub id: String,
    pub version: i32,
}

/// Writes a rule (refused, nothing written: overlapping validity with a rule of
/// the same group, level and campaign, a rate outside 0–100 %, an end before the
/// start).
#[utoipa::path(
    post, path = "/api/v1/commission/rules", tag = "commission",
    request_body = RuleIn,
    responses(
        (status = 201, description = "Written.", body = RuleWritten),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No rule with that id.", body = ErrorBody),
        (status = 409, description = "The rule got another version meanwhile.", body = ErrorBody),
        (status = 422, description = "The rule cannot be written so (the fields say which and why).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn put_rule(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<RuleIn>, JsonRejection>,
) -> Result<(StatusCode, Json<RuleWritten>), AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let input = crate::error::json_body(body)?;
    let id = input
        .id
        .as_deref()
        .map(|i| crate::api::params::uuid_param("id", i))
        .transpose()?;
    let input = RuleInput {
        id,
        rate: input.rate,
        valid_from: input.valid_from,
        valid_to: input.valid_to.unwrap_or_default(),
        group: input.group.unwrap_or_default(),
        level: input.level.unwrap_or_default(),
        campaign: input.campaign.unwrap_or_default(),
        sku: input.sku.unwrap_or_default(),
        bonus: input.bonus.unwrap_or_default(),
    };
    let (id, version) = put(state.store.as_ref(), &caller.actor(), caller.role(), &input)
        .await
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(RuleWritten {
            id: id.to_string(),
            version,
        }),
    ))
}

/// A ledger line an order gave.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionLineOut {
    pub id: String,
    pub adviser: String,
    pub adviser_name: String,
    /// `accrual`, `reversal`, `payout`, `adjustment`.
    pub kind: String,
    /// Haléře, signed.
    pub amount: i64,
    pub at: String,
    /// "Why this amount" in Czech and in English.
    pub why_cs: String,
    pub why_en: String,
    /// The rule and version that gave it, the rate (basis points) and the base
    /// (haléře without VAT); none on lines typed in by hand.
    pub rule: Option<String>,
    pub version: Option<i32>,
    pub rate_bp: Option<i64>,
    pub base: Option<i64>,
}

/// An order's commission lines, oldest first.
#[utoipa::path(
    get, path = "/api/v1/commission/orders/{order}", tag = "commission",
    params(("order" = String, Path, description = "The order's id (UUID).")),
    responses(
        (status = 200, description = "Its ledger lines.", body = Vec<CommissionLineOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read commission.", body = ErrorBody),
        (status = 404, description = "No such order.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn order_commission(
    State(state): State<AppState>,
    caller: Caller,
    Path(order): Path<String>,
) -> Result<Json<Vec<CommissionLineOut>>, AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !RULE_READERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this role may not read commission".into(),
        ));
    }
    let order =
        fieldcase_shared::OrderId::from_uuid(crate::api::params::uuid_param("order", &order)?);
    if state.store.order_adviser(order).await?.is_none()
        && state
            .store
            .order_card(order, caller.role())
            .await?
            .is_none()
    {
        return Err(AppError::NotFound);
    }
    let lines = state.store.order_commission(order).await?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l| CommissionLineOut {
                id: l.id.to_string(),
                adviser: l.adviser.to_string(),
                adviser_name: l.adviser_name,
                kind: l.kind,
                amount: l.amount.haler(),
                at: rfc3339(l.at),
                why_cs: l.why_cs,
                why_en: l.why_en,
                rule: l.explanation.as_ref().map(|e| e.rule.to_string()),
                version: l.explanation.as_ref().map(|e| e.version),
                rate_bp: l.explanation.as_ref().map(|e| e.rate_bp),
                base: l.explanation.as_ref().map(|e| e.base.haler()),
            })
            .collect(),
    ))
}

/// An adviser's level from a day on.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelOut {
    pub adviser: String,
    /// `junior`, `senior`, `lead`.
    pub level: String,
    pub team_lead: Option<String>,
    pub valid_from: String,
}

/// Every adviser's levels, by adviser, oldest first.
#[utoipa::path(
    get, path = "/api/v1/commission/levels", tag = "commission",
    responses(
        (status = 200, description = "The levels.", body = Vec<LevelOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read the rules.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_levels(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<LevelOut>>, AppError> {
    let caller = caller.with(Scope::MoneyRead)?;
    if !RULE_READERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this role may not read the commission rules".into(),
        ));
    }
    let levels = state.store.all_adviser_levels().await?;
    Ok(Json(
        levels
            .into_iter()
            .map(|l| LevelOut {
                adviser: l.adviser.to_string(),
                level: l.level.code().into(),
                team_lead: l.team_lead.map(|t| t.to_string()),
                valid_from: l.valid_from.to_string(),
            })
            .collect(),
    ))
}

/// A level to set.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LevelIn {
    /// The adviser's number, e.g. `P0001`.
    pub adviser: String,
    /// `junior`, `senior`, `lead`.
    pub level: String,
    /// The team lead's number.
    #[serde(default)]
    pub lead: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
}

/// Sets an adviser's level (and team lead) from a day on (refused: an unknown
/// adviser or lead, a lead of themselves, a level starting that day already).
#[utoipa::path(
    post, path = "/api/v1/commission/levels", tag = "commission",
    request_body = LevelIn,
    responses(
        (status = 201, description = "Set."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 422, description = "The level cannot be set so (the fields say which and why).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn put_level(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<LevelIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = caller.with(Scope::MoneyWrite)?;
    let input = crate::error::json_body(body)?;
    super::rule_edit::set_level(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        &input.adviser,
        &input.level,
        input.lead.as_deref().unwrap_or(""),
        &input.valid_from,
    )
    .await
    .map_err(refused)?;
    Ok(StatusCode::CREATED)
}
