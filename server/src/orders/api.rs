//! `/api/v1/orders`: the office's order operations for staff API keys — search and
//! list, the card, notes, delivery and status moves — with the same rules as the
//! office pages (the role's status moves, who may write which note, the carriers'
//! number formats, compare-and-set against what the caller saw). Annotated for the
//! OpenAPI document (`api.rs`); the JSON shapes are in `api/types.rs`.

mod types;

pub use types::*;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldcase_shared::carrier::Carrier;
use fieldcase_shared::order::notes::{NoteKind, check_note, may_read_private};
use fieldcase_shared::{AdviserId, Lang, OrderId, OrderStatus, StoreId, allowed_targets};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::caller::Caller;
use crate::api::keys::Scope;
use crate::api::params::{DEFAULT_LIMIT, MAX_QUERY_CHARS, bad, bad_cursor, limit};
use crate::error::AppError;
use crate::orders::store::{Channel, Delivery, OrderSort, Paid};
use crate::state::AppState;
use crate::store::OrderFilter;
use crate::sync::StatusChangeError;

/// The routes, for `api.rs`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders))
        .routes(routes!(order_card))
        .routes(routes!(add_note))
        .routes(routes!(set_delivery))
        .routes(routes!(change_status))
}

/// The order an `{order}` path segment names: its id, or its number (variable
/// symbol). Not found (404) when neither.
async fn find_order(state: &AppState, arg: &str) -> Result<OrderId, AppError> {
    if let Ok(id) = arg.parse::<uuid::Uuid>() {
        return Ok(OrderId::from_uuid(id));
    }
    if arg.is_empty() || arg.len() > 20 || !arg.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::NotFound);
    }
    state
        .store
        .order_by_number(arg)
        .await?
        .ok_or(AppError::NotFound)
}

fn filter_from(params: ListParams, private: bool) -> Result<OrderFilter, AppError> {
    let mut f = OrderFilter {
        limit: DEFAULT_LIMIT,
        private,
        ..OrderFilter::default()
    };
    if let Some(q) = params.q {
        f.text = q.chars().take(MAX_QUERY_CHARS).collect();
    }
    if let Some(s) = params.status.filter(|s| !s.is_empty()) {
        f.status = Some(s.parse::<OrderStatus>().map_err(|_| {
            bad(
                "status",
                format!("unknown status {s:?}; expected one of {}", status_codes()),
            )
        })?);
    }
    if let Some(s) = params.store.filter(|s| !s.is_empty()) {
        let id = s
            .parse::<uuid::Uuid>()
            .map_err(|_| bad("store", "not a store id (UUID)"))?;
        f.shop = Some(StoreId::from_uuid(id));
    }
    if let Some(s) = params.adviser.filter(|s| !s.is_empty()) {
        let id = s
            .parse::<uuid::Uuid>()
            .map_err(|_| bad("adviser", "not an adviser id (UUID)"))?;
        f.adviser = Some(AdviserId::from_uuid(id));
    }
    if let Some(s) = params.channel.filter(|s| !s.is_empty()) {
        f.channel = Some(
            Channel::from_code(&s)
                .ok_or_else(|| bad("channel", "expected adviser, store or eshop"))?,
        );
    }
    if let Some(s) = params.from.filter(|s| !s.is_empty()) {
        f.from = Some(
            crate::orders::pages::list::day_start(&s, 0)
                .ok_or_else(|| bad("from", "expected a date YYYY-MM-DD"))?,
        );
    }
    if let Some(s) = params.until.filter(|s| !s.is_empty()) {
        f.until = Some(
            crate::orders::pages::list::day_start(&s, 1)
                .ok_or_else(|| bad("until", "expected a date YYYY-MM-DD"))?,
        );
    }
    if let Some(s) = params.paid.filter(|s| !s.is_empty()) {
        f.paid = Some(match s.as_str() {
            "paid" => Paid::Paid,
            "unpaid" => Paid::Unpaid,
            _ => return Err(bad("paid", "expected paid or unpaid")),
        });
    }
    if let Some(s) = params.sort.filter(|s| !s.is_empty()) {
        f.sort = SORTS
            .iter()
            .find(|(code, _)| *code == s)
            .map(|(_, sort)| *sort)
            .ok_or_else(|| {
                let codes: Vec<&str> = SORTS.iter().map(|(c, _)| *c).collect();
                bad("sort", format!("expected one of {}", codes.join(", ")))
            })?;
    }
    if let Some(s) = params.limit.filter(|s| !s.is_empty()) {
        f.limit = limit(&s)?;
    }
    if let Some(s) = params.after.filter(|s| !s.is_empty()) {
        f.after = Some(decode_cursor(&s).ok_or_else(bad_cursor)?);
    }
    Ok(f)
}

fn status_codes() -> String {
    OrderStatus::ALL
        .iter()
        .map(|s| s.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Search and list orders, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/orders", tag = "orders",
    params(ListParams),
    responses(
        (status = 200, description = "One page of orders, newest first unless sorted otherwise; `next` starts the following page.", body = OrderPage),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `orders:read`.", body = ErrorBody),
        (status = 422, description = "A parameter is wrong; `fields` says which.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_orders(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<OrderPage>, AppError> {
    let caller = caller.with(Scope::OrdersRead)?;
    let Query(params) = params.map_err(|r| AppError::BadRequest(r.body_text()))?;
    let filter = filter_from(params, may_read_private(caller.role()))?;
    let mut orders = state.store.list_orders(&filter).await?;
    // One more than asked tells whether a next page exists: ask the store for it.
    let next = if orders.len() as i64 >= filter.limit {
        let mut probe = filter.clone();
        probe.after = orders.last().map(|o| o.cursor());
        probe.limit = 1;
        let more = !state.store.list_orders(&probe).await?.is_empty();
        more.then(|| orders.last().map(|o| encode_cursor(&o.cursor())))
            .flatten()
    } else {
        None
    };
    orders.truncate(usize::try_from(filter.limit).unwrap_or(0));
    Ok(Json(OrderPage {
        orders: orders.iter().map(OrderItem::from).collect(),
        next,
    }))
}

/// One order's card: client, prescription, lines, totals with VAT, notes the
/// caller's role may read, history, delivery and the moves the role may make.
#[utoipa::path(
    get, path = "/api/v1/orders/{order}", tag = "orders",
    params(("order" = String, Path, description = "The order's id (UUID) or its number (variable symbol).")),
    responses(
        (status = 200, description = "The order's card.", body = OrderCardOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `orders:read`.", body = ErrorBody),
        (status = 404, description = "No such order.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn order_card(
    State(state): State<AppState>,
    caller: Caller,
    Path(order): Path<String>,
) -> Result<Json<OrderCardOut>, AppError> {
    let caller = caller.with(Scope::OrdersRead)?;
    let id = find_order(&state, &order).await?;
    let card = state
        .store
        .order_card(id, caller.role())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(OrderCardOut::new(&state, &card, caller.role())))
}

/// Append a note: for the customer (shown on the order's public page), for the lab
/// (printed on the job sheet) or private (only roles that read private notes).
#[utoipa::path(
    post, path = "/api/v1/orders/{order}/notes", tag = "orders",
    params(("order" = String, Path, description = "The order's id (UUID) or its number.")),
    request_body = NoteIn,
    responses(
        (status = 201, description = "The note is appended (notes are never edited).", body = NoteOut),
        WriteRefusals,
        (status = 422, description = "Unknown kind, or an empty, too long or garbled text.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn add_note(
    State(state): State<AppState>,
    caller: Caller,
    Path(order): Path<String>,
    body: Result<Json<NoteIn>, JsonRejection>,
) -> Result<(StatusCode, Json<NoteOut>), AppError> {
    let caller = caller.with(Scope::OrdersWrite)?;
    let id = find_order(&state, &order).await?;
    let note = crate::error::json_body(body)?;
    let kind = note
        .kind
        .parse::<NoteKind>()
        .map_err(|e| bad("kind", e.to_string()))?;
    if !kind.may_read(caller.role()) {
        return Err(AppError::Forbidden(format!(
            "the role {} may not write {} notes",
            caller.role().code(),
            kind.code()
        )));
    }
    let text = check_note(&note.body).map_err(|(_, en)| bad("body", en))?;
    state
        .store
        .add_order_note(&caller.actor(), id, kind, &text)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NoteOut {
            kind: kind.code().into(),
            body: text,
            author: caller.user.name.clone(),
            at: crate::store::sql::rfc3339(time::OffsetDateTime::now_utc()),
        }),
    ))
}

fn delivery_of(field: &str, carrier: Option<&str>, tracking: &str) -> Result<Delivery, AppError> {
    let Some(code) = carrier.filter(|c| !c.is_empty()) else {
        return Ok(Delivery::default());
    };
    let carrier = code.parse::<Carrier>().map_err(|_| {
        let codes: Vec<&str> = Carrier::ALL.iter().map(|c| c.code()).collect();
        bad(
            &format!("{field}carrier"),
            format!(
                "unknown carrier {code:?}; expected one of {}",
                codes.join(", ")
            ),
        )
    })?;
    let number = carrier
        .check_tracking(tracking)
        .map_err(|e| bad(&format!("{field}tracking"), e.message(Lang::En)))?;
    Ok(Delivery {
        carrier: Some(carrier),
        number,
    })
}

/// Set carrier and tracking number, if they are still what the caller read
/// (`previous`); the number is checked against the carrier's format. The adviser's
/// phone shows the change after its next sync.
#[utoipa::path(
    put, path = "/api/v1/orders/{order}/delivery", tag = "orders",
    params(("order" = String, Path, description = "The order's id (UUID) or its number.")),
    request_body = DeliveryIn,
    responses(
        (status = 200, description = "Saved; the delivery as stored (numbers normalised).", body = DeliveryOut),
        WriteRefusals,
        (status = 409, description = "Someone changed the delivery since `previous`; nothing was written.", body = ErrorBody),
        (status = 422, description = "Unknown carrier or a number in the wrong format.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn set_delivery(
    State(state): State<AppState>,
    caller: Caller,
    Path(order): Path<String>,
    body: Result<Json<DeliveryIn>, JsonRejection>,
) -> Result<Json<DeliveryOut>, AppError> {
    let caller = caller.with(Scope::OrdersWrite)?;
    let id = find_order(&state, &order).await?;
    let input = crate::error::json_body(body)?;
    let new = delivery_of(
        "",
        input.carrier.as_deref(),
        input.tracking.as_deref().unwrap_or(""),
    )?;
    // What the caller saw is compared as stored; an unreadable one cannot match.
    let seen = delivery_of(
        "previous.",
        input.previous.carrier.as_deref(),
        input.previous.tracking.as_deref().unwrap_or(""),
    )?;
    match state
        .store
        .set_delivery(&caller.actor(), id, &seen, &new)
        .await
    {
        Ok(()) => {}
        Err(crate::store::StoreError::Stale(_)) => {
            return Err(AppError::Stale(
                "someone changed the order's delivery since you read it; nothing was written. Read the order again".into(),
            ));
        }
        Err(err) => return Err(err.into()),
    }
    if let Err(err) = state.sync.publish_order_info(id).await {
        tracing::warn!(%err, order = %id, "publishing the order's delivery to the phone");
    }
    Ok(Json(DeliveryOut::new(&state, &new)))
}

/// Move the order to another status, if it is still in `from`; only the moves the
/// caller's role may make (the card's `moves`). The change reaches the adviser's
/// phone through sync.
#[utoipa::path(
    post, path = "/api/v1/orders/{order}/status", tag = "orders",
    params(("order" = String, Path, description = "The order's id (UUID) or its number.")),
    request_body = StatusIn,
    responses(
        (status = 200, description = "Moved.", body = StatusOut),
        WriteRefusals,
        (status = 409, description = "The order is no longer in `from`; nothing was changed.", body = ErrorBody),
        (status = 422, description = "Unknown status.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn change_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(order): Path<String>,
    body: Result<Json<StatusIn>, JsonRejection>,
) -> Result<Json<StatusOut>, AppError> {
    let caller = caller.with(Scope::OrdersWrite)?;
    let id = find_order(&state, &order).await?;
    let input = crate::error::json_body(body)?;
    let parse = |field: &str, code: &str| {
        code.parse::<OrderStatus>().map_err(|_| {
            bad(
                field,
                format!(
                    "unknown status {code:?}; expected one of {}",
                    status_codes()
                ),
            )
        })
    };
    let (from, to) = (parse("from", &input.from)?, parse("to", &input.to)?);
    let result = state
        .sync
        .change_order_status(&caller.actor(), caller.role(), id, from, to)
        .await;
    match result {
        Ok(()) => Ok(Json(StatusOut {
            status: to.code().into(),
            moves: allowed_targets(caller.role(), to)
                .into_iter()
                .map(|s| s.code().into())
                .collect(),
        })),
        Err(StatusChangeError::Denied(denied)) => {
            Err(AppError::Forbidden(denied.message(Lang::En)))
        }
        Err(StatusChangeError::Stale { now, .. }) => Err(AppError::Stale(format!(
            "the order is in {} now, not {}; nothing was changed. Read the order again",
            now.code(),
            from.code()
        ))),
        Err(
            StatusChangeError::NotFound
            | StatusChangeError::Store(crate::store::StoreError::NotFound(_)),
        ) => Err(AppError::NotFound),
        Err(StatusChangeError::Store(err)) => Err(err.into()),
        Err(StatusChangeError::Internal(err)) => Err(AppError::Internal(err)),
    }
}

/// The sorts by their API codes.
const SORTS: [(&str, OrderSort); 6] = [
    ("newest", OrderSort::Newest),
    ("oldest", OrderSort::Oldest),
    ("total_desc", OrderSort::TotalDesc),
    ("total_asc", OrderSort::TotalAsc),
    ("number_asc", OrderSort::NumberAsc),
    ("number_desc", OrderSort::NumberDesc),
];
