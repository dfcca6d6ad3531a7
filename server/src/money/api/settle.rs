//! `/api/v1/bank/receivables` and `/api/v1/bank/movements/{movement}/settlement`:
//! the open money by age with the payments to settle, and settling one by hand
//! (`money/settle.rs`): parts to orders, refunds, write-offs, returns.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use fieldcase_shared::{Lang, Money, OrderId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{MovementOut, account_id, allowed};
use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::api::params::bad;
use crate::error::AppError;
use crate::money::settle::{OrderRef, Request, SettleError, settle};
use crate::money::store::MovementFilter;
use crate::money::{BANK_READERS, BANKERS};
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// The open money by age, and the payments it is in.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivablesOut {
    /// Haléře open 0–14, 15–30, 31–60 and over 60 days after the payment came.
    pub ageing: [i64; 4],
    /// The payments with money not yet given to an order, newest first.
    pub open: Vec<MovementOut>,
}

/// One step of a settlement.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepIn {
    /// `allocate` (give to an order), `refund` (take back from an order and send
    /// to the payer), `write_off` or `return` (send to the payer).
    pub kind: String,
    /// The order (its id) for `allocate` and `refund`…
    pub order: Option<String>,
    /// …or its variable symbol.
    pub vs: Option<String>,
    /// Haléře, more than 0.
    pub amount: i64,
    /// Why (required for `refund`, `write_off`, `return`).
    #[serde(default)]
    pub reason: String,
}

/// A settlement: its steps, done all together or not at all.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SettlementIn {
    pub steps: Vec<StepIn>,
}

/// What a settlement changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettlementOut {
    /// The orders whose paid amount changed.
    pub orders: Vec<String>,
}

/// The open money by age and the payments to settle.
#[utoipa::path(
    get, path = "/api/v1/bank/receivables", tag = "money",
    responses(
        (status = 200, description = "Ageing and open payments.", body = ReceivablesOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:read`, or the role may not read the bank.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn receivables(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ReceivablesOut>, AppError> {
    allowed(caller, Scope::MoneyRead, BANK_READERS)?;
    let now = time::OffsetDateTime::now_utc();
    let today = now.to_offset(crate::office::ui::prague_offset(now)).date();
    let ageing = state.store.ageing(today).await?.map(Money::haler);
    let open = state
        .store
        .bank_movements(&MovementFilter {
            open_only: true,
            limit: 500,
            ..MovementFilter::default()
        })
        .await?;
    Ok(Json(ReceivablesOut {
        ageing,
        open: open.into_iter().map(Into::into).collect(),
    }))
}

fn order_ref(i: usize, step: &StepIn) -> Result<OrderRef, AppError> {
    match (step.order.as_deref(), step.vs.as_deref()) {
        (Some(id), _) => id
            .trim()
            .parse::<OrderId>()
            .map(OrderRef::Id)
            .map_err(|_| bad(&format!("steps[{i}].order"), "not an order id")),
        (None, Some(vs)) => Ok(OrderRef::Vs(vs.to_owned())),
        (None, None) => Err(bad(
            &format!("steps[{i}].order"),
            "give the order's id or its vs",
        )),
    }
}

/// Settles a payment's open money by hand: all steps or none.
#[utoipa::path(
    post, path = "/api/v1/bank/movements/{movement}/settlement", tag = "money",
    params(("movement" = String, Path, description = "The movement's id (UUID).")),
    request_body = SettlementIn,
    responses(
        (status = 200, description = "Settled.", body = SettlementOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `money:write`, or the role is not accounting or admin.", body = ErrorBody),
        (status = 404, description = "No such movement.", body = ErrorBody),
        (status = 409, description = "The payment or an order changed meanwhile; nothing was written.", body = ErrorBody),
        (status = 422, description = "A step cannot be taken (the fields say which and why).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn settle_movement(
    State(state): State<AppState>,
    caller: Caller,
    Path(movement): Path<String>,
    body: Result<Json<SettlementIn>, JsonRejection>,
) -> Result<Json<SettlementOut>, AppError> {
    let caller = allowed(caller, Scope::MoneyWrite, BANKERS)?;
    let id = account_id(&movement).map_err(|_| bad("movement", "not a movement id"))?;
    let input = crate::error::json_body(body)?;
    let mut requests = Vec::with_capacity(input.steps.len());
    for (i, step) in input.steps.iter().enumerate() {
        let amount = Money::from_haler(step.amount);
        let reason = step.reason.clone();
        requests.push(match step.kind.as_str() {
            "allocate" => Request::Allocate {
                order: order_ref(i, step)?,
                amount,
            },
            "refund" => Request::Refund {
                order: order_ref(i, step)?,
                amount,
                reason,
            },
            "write_off" => Request::WriteOff { amount, reason },
            "return" => Request::Return { amount, reason },
            _ => {
                return Err(bad(
                    &format!("steps[{i}].kind"),
                    "expected allocate, refund, write_off or return",
                ));
            }
        });
    }
    let orders = settle(&state, &caller.actor(), caller.role(), id, &requests)
        .await
        .map_err(|e| match e {
            SettleError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
            SettleError::NotFound => AppError::NotFound,
            SettleError::Invalid(problems) => AppError::Invalid(problems),
            SettleError::Changed => AppError::Stale(e.text(Lang::En)),
            SettleError::Store(e) => e.into(),
        })?;
    Ok(Json(SettlementOut {
        orders: orders.iter().map(ToString::to_string).collect(),
    }))
}
