//! `/api/v1/notifications/…`: the notifications' triggers (list; turn one on or
//! off, checked as on the page) and the outbox (the latest messages or one
//! order's, with their state; a failed one tried again). Reading takes
//! `customers:read`, changing `customers:write`; the office, customer service and
//! administrators (`CARE_EDITORS`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldcase_shared::Lang;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::edit::{CARE_EDITORS, EditError, set_event_trigger};
use super::rules::Channel;
use super::store::Message;
use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::api::params::{limit_or, order_param, uuid_param};
use crate::error::{AppError, json_body};
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// The notification routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(triggers, put_trigger))
        .routes(routes!(outbox))
        .routes(routes!(retry))
}

fn allowed(caller: Caller, scope: Scope) -> Result<ApiCaller, AppError> {
    let caller = caller.with(scope)?;
    if !CARE_EDITORS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "only the office, customer service and administrators handle notifications".into(),
        ));
    }
    Ok(caller)
}

/// A trigger: an event (for an order's status change, to which status; empty:
/// any) sends on a channel.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TriggerIo {
    /// `order_status`, `payment_matched`, `commission_accrued` or `payout_decided`.
    pub event: String,
    /// The order's new status (`order_status` only), e.g. `ready_for_pickup`.
    #[serde(default)]
    pub status: String,
    /// `email`, `sms` or `push` (commission and payouts: `push` only).
    pub channel: String,
    pub enabled: bool,
}

/// Every trigger.
#[utoipa::path(
    get, path = "/api/v1/notifications/triggers", tag = "notifications",
    responses(
        (status = 200, description = "The triggers.", body = Vec<TriggerIo>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not handle notifications.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn triggers(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<TriggerIo>>, AppError> {
    allowed(caller, Scope::CustomersRead)?;
    Ok(Json(
        state
            .store
            .triggers()
            .await?
            .into_iter()
            .map(|t| TriggerIo {
                event: t.event,
                status: t.status,
                channel: t.channel.code().into(),
                enabled: t.enabled,
            })
            .collect(),
    ))
}

/// Turns a trigger on or off.
#[utoipa::path(
    put, path = "/api/v1/notifications/triggers", tag = "notifications",
    request_body = TriggerIo,
    responses(
        (status = 204, description = "Saved."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not handle notifications.", body = ErrorBody),
        (status = 422, description = "An unknown event, status or channel, or a channel that cannot reach whom the event concerns.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn put_trigger(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<TriggerIo>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = allowed(caller, Scope::CustomersWrite)?;
    let input = json_body(body)?;
    let channel = Channel::parse(&input.channel).ok_or_else(|| AppError::Unprocessable {
        field: "channel".into(),
        message: "email, sms or push".into(),
    })?;
    set_event_trigger(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        &input.event,
        &input.status,
        channel,
        input.enabled,
    )
    .await
    .map_err(|e| match e {
        EditError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
        EditError::Invalid(fields) => AppError::Invalid(fields),
        EditError::Store(s) => s.into(),
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which messages.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// One order's (its variable symbol).
    pub order: Option<String>,
    /// How many, newest first (1–500; 100 when not given).
    pub limit: Option<i64>,
}

/// A message of the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageOut {
    pub id: String,
    /// `email`, `sms` or `push`.
    pub channel: String,
    /// The order's variable symbol (empty: none).
    pub order: String,
    /// The address, number, or (push) the phone's id.
    pub recipient: String,
    /// A push's phone by its name.
    pub device_name: String,
    pub subject: String,
    pub body: String,
    /// `pending`, `sending`, `sent`, `failed` or `skipped`.
    pub state: String,
    /// Why it was skipped.
    pub reason: String,
    pub attempts: i32,
    pub last_error: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

fn out(m: Message) -> MessageOut {
    MessageOut {
        id: m.id.to_string(),
        channel: m.channel,
        order: m.vs,
        recipient: m.recipient,
        device_name: m.device_name,
        subject: m.subject,
        body: m.body,
        state: m.state,
        reason: m.reason,
        attempts: m.attempts,
        last_error: m.last_error,
        created_at: rfc3339(m.created_at),
        sent_at: m.sent_at.map(rfc3339),
    }
}

/// The outbox, newest first.
#[utoipa::path(
    get, path = "/api/v1/notifications/outbox", tag = "notifications",
    params(OutboxQuery),
    responses(
        (status = 200, description = "The messages.", body = Vec<MessageOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not handle notifications.", body = ErrorBody),
        (status = 404, description = "No order has that variable symbol.", body = ErrorBody),
        (status = 422, description = "The limit is not 1–500.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn outbox(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<OutboxQuery>, QueryRejection>,
) -> Result<Json<Vec<MessageOut>>, AppError> {
    allowed(caller, Scope::CustomersRead)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let limit = limit_or(q.limit, 100)?;
    let order = order_param(state.store.as_ref(), q.order.as_deref()).await?;
    let list = state.store.messages(order, limit).await?;
    Ok(Json(list.into_iter().map(out).collect()))
}

/// Tries a failed message again now.
#[utoipa::path(
    post, path = "/api/v1/notifications/outbox/{id}/retry", tag = "notifications",
    params(("id" = String, Path, description = "The message's id (UUID).")),
    responses(
        (status = 204, description = "It will be sent again."),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not handle notifications.", body = ErrorBody),
        (status = 409, description = "The message has not failed (or does not exist).", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn retry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let caller = allowed(caller, Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    if state.store.retry_message(&caller.actor(), id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::Stale(
            "the message has not failed (or does not exist)".into(),
        ))
    }
}
