//! `/api/v1/complaints/…`: complaints listed (open ones first by deadline; one
//! order's), read whole, received (an order's items by their positions, the
//! reason), decided once and noted, their tasks for the lab and accounting
//! (forward, the open ones, done) — through the same service as the office's
//! pages. Reading takes `customers:read`, changing `customers:write`; the roles as
//! on the pages (`rules::READERS`, `OPENERS`, `DECIDERS`).

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use fieldcase_shared::{Lang, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rules::READERS;
use super::store::{Complaint, ComplaintFilter, ComplaintRow};
use super::tasks::Team;
use super::{About, ComplaintError, Opener};
use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::api::params::{limit_or, order_param, uuid_param};
use crate::error::{AppError, json_body};
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// The complaint routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_complaints, receive_complaint))
        .routes(routes!(get_complaint))
        .routes(routes!(decide_complaint))
        .routes(routes!(note_complaint))
        .routes(routes!(complaint_tasks))
        .routes(routes!(forward_complaint))
        .routes(routes!(finish_complaint_task))
}

fn reader(caller: Caller) -> Result<ApiCaller, AppError> {
    let caller = caller.with(Scope::CustomersRead)?;
    if !READERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "this role does not read complaints".into(),
        ));
    }
    Ok(caller)
}

fn refused(e: ComplaintError) -> AppError {
    match e {
        ComplaintError::Forbidden => AppError::Forbidden(e.text(Lang::En)),
        ComplaintError::Invalid(fields) => AppError::Invalid(fields),
        ComplaintError::Photo(_) => AppError::Unprocessable {
            field: "photo".into(),
            message: e.text(Lang::En),
        },
        ComplaintError::Decided | ComplaintError::NotHandedOver | ComplaintError::TooMany => {
            AppError::Stale(e.text(Lang::En))
        }
        ComplaintError::NotFound => AppError::NotFound,
        ComplaintError::Store(s) => s.into(),
        ComplaintError::Blob(err) => AppError::Internal(err.into()),
    }
}

/// A complaint as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintOut {
    #[schema(format = "uuid")]
    pub id: String,
    /// `R{order's variable symbol}-{n}`.
    pub number: String,
    /// The order's variable symbol.
    pub order: String,
    pub customer: String,
    /// `office`, `store`, `care` or `customer`.
    pub opened_via: String,
    pub opened_by: String,
    pub reason: String,
    pub opened_at: String,
    /// 30 days after opening.
    pub deadline_at: String,
    /// `repair`, `remake`, `refund`, `reject`; none while open.
    pub decision: Option<String>,
    pub decision_reason: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

fn out(r: ComplaintRow) -> ComplaintOut {
    ComplaintOut {
        id: r.id.to_string(),
        customer: r.customer_name(),
        number: r.number,
        order: r.vs,
        opened_via: r.opened_via,
        opened_by: r.opened_by,
        reason: r.reason,
        opened_at: rfc3339(r.opened_at),
        deadline_at: rfc3339(r.deadline_at),
        decision: r.decision,
        decision_reason: r.decision_reason,
        decided_by: r.decided_by,
        decided_at: r.decided_at.map(rfc3339),
    }
}

/// A complaint whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintDetailOut {
    #[serde(flatten)]
    pub complaint: ComplaintOut,
    /// The order's lines complained about (their text).
    pub items: Vec<String>,
    pub notes: Vec<NoteOut>,
    pub photos: Vec<PhotoOut>,
}

/// A staff note.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteOut {
    pub author: String,
    pub body: String,
    pub at: String,
}

/// A photo (its bytes at `/office/complaints/photos/{id}` for staff).
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoOut {
    #[schema(format = "uuid")]
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

fn detail(c: Complaint) -> ComplaintDetailOut {
    ComplaintDetailOut {
        items: c.items.into_iter().map(|(_, text)| text).collect(),
        notes: c
            .notes
            .into_iter()
            .map(|n| NoteOut {
                author: n.author,
                body: n.body,
                at: rfc3339(n.at),
            })
            .collect(),
        photos: c
            .photos
            .into_iter()
            .map(|p| PhotoOut {
                id: p.id.to_string(),
                name: p.name,
                content_type: p.content_type,
                size: p.size,
            })
            .collect(),
        complaint: out(c.row),
    }
}

/// Which complaints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only those not decided yet.
    pub open: Option<bool>,
    /// One order's (its variable symbol).
    pub order: Option<String>,
    /// How many (1–500; 100 when not given).
    pub limit: Option<i64>,
}

/// Complaints: the open ones first, by deadline; then the newest.
#[utoipa::path(
    get, path = "/api/v1/complaints", tag = "complaints",
    params(ListQuery),
    responses(
        (status = 200, description = "The complaints.", body = Vec<ComplaintOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not read complaints.", body = ErrorBody),
        (status = 404, description = "No order has that variable symbol.", body = ErrorBody),
        (status = 422, description = "The limit is not 1–500.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_complaints(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<ComplaintOut>>, AppError> {
    reader(caller)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let limit = limit_or(q.limit, 100)?;
    let order = order_param(state.store.as_ref(), q.order.as_deref()).await?;
    let filter = ComplaintFilter {
        open_only: q.open.unwrap_or(false),
        order,
    };
    let list = state.store.complaints(filter, limit).await?;
    Ok(Json(list.into_iter().map(out).collect()))
}

/// One complaint with its items, notes and photos.
#[utoipa::path(
    get, path = "/api/v1/complaints/{id}", tag = "complaints",
    params(("id" = String, Path, description = "The complaint's id (UUID).")),
    responses(
        (status = 200, description = "The complaint.", body = ComplaintDetailOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not read complaints.", body = ErrorBody),
        (status = 404, description = "No such complaint.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn get_complaint(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ComplaintDetailOut>, AppError> {
    reader(caller)?;
    let id = uuid_param("id", &id)?;
    let c = state.store.complaint(id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(detail(c)))
}

/// A complaint received.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewComplaintIn {
    /// The order's variable symbol.
    pub order: String,
    /// The positions of the order's lines complained about (as the order's card
    /// lists them).
    pub items: Vec<i64>,
    /// What is wrong.
    pub reason: String,
}

/// A complaint's id and number.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedOut {
    #[schema(format = "uuid")]
    pub id: String,
    pub number: String,
}

/// Receives a complaint about an order's items (the 30 days start now).
#[utoipa::path(
    post, path = "/api/v1/complaints", tag = "complaints",
    request_body = NewComplaintIn,
    responses(
        (status = 201, description = "Received.", body = OpenedOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not receive complaints.", body = ErrorBody),
        (status = 404, description = "No order has that variable symbol.", body = ErrorBody),
        (status = 409, description = "The order's glasses have not been handed over yet.", body = ErrorBody),
        (status = 422, description = "No items, an item the order does not have, or no reason.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn receive_complaint(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewComplaintIn>, JsonRejection>,
) -> Result<(StatusCode, Json<OpenedOut>), AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    let input = json_body(body)?;
    let order = state
        .store
        .order_by_number(input.order.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let card = state
        .store
        .order_card(order, Role::Store)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut lines = Vec::with_capacity(input.items.len());
    for position in &input.items {
        match card.lines.iter().find(|l| l.position == *position) {
            Some(l) => lines.push(l.id.as_uuid()),
            None => {
                return Err(AppError::Unprocessable {
                    field: "items".into(),
                    message: format!("the order has no line at position {position}"),
                });
            }
        }
    }
    let (id, number) = super::open(
        state.store.as_ref(),
        &state.blobs(),
        &caller.actor(),
        Opener::Staff(caller.role()),
        About {
            order,
            lines: &lines,
            reason: &input.reason,
            photos: &[],
        },
    )
    .await
    .map_err(refused)?;
    super::follow_up(&state, &caller.actor(), order, None).await;
    Ok((
        StatusCode::CREATED,
        Json(OpenedOut {
            id: id.to_string(),
            number,
        }),
    ))
}

/// A decision.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionIn {
    /// `repair`, `remake`, `refund` or `reject`.
    pub decision: String,
    /// Why (required for `reject`).
    #[serde(default)]
    pub reason: String,
}

/// Decides a complaint (once); the customer is told as the notifications say.
#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/decision", tag = "complaints",
    params(("id" = String, Path, description = "The complaint's id (UUID).")),
    request_body = DecisionIn,
    responses(
        (status = 204, description = "Decided."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not decide complaints.", body = ErrorBody),
        (status = 404, description = "No such complaint.", body = ErrorBody),
        (status = 409, description = "It was decided already.", body = ErrorBody),
        (status = 422, description = "An unknown decision, a rejection without a reason, or not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn decide_complaint(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<DecisionIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    let input = json_body(body)?;
    let (decision, order) = super::decide(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        id,
        &input.decision,
        &input.reason,
    )
    .await
    .map_err(refused)?;
    super::follow_up(&state, &caller.actor(), order, Some(decision)).await;
    Ok(StatusCode::NO_CONTENT)
}

/// A note.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteIn {
    pub body: String,
}

/// Adds a staff note to a complaint.
#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/notes", tag = "complaints",
    params(("id" = String, Path, description = "The complaint's id (UUID).")),
    request_body = NoteIn,
    responses(
        (status = 204, description = "Added."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not decide complaints.", body = ErrorBody),
        (status = 404, description = "No such complaint.", body = ErrorBody),
        (status = 422, description = "An empty or too long note, or not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn note_complaint(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<NoteIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    let input = json_body(body)?;
    super::note(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        id,
        &input.body,
    )
    .await
    .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A task for the lab or accounting.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskOut {
    #[schema(format = "uuid")]
    pub id: String,
    /// The complaint's number.
    pub complaint: String,
    /// `lab` or `accounting`.
    pub team: String,
    pub body: String,
    pub created_by: String,
    pub created_at: String,
    pub done_by: Option<String>,
    pub done_at: Option<String>,
}

/// Whose tasks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TasksQuery {
    /// `lab` or `accounting` (none: every team's).
    pub team: Option<String>,
}

/// The open tasks complaints handed on (oldest first).
#[utoipa::path(
    get, path = "/api/v1/complaints/tasks", tag = "complaints",
    params(TasksQuery),
    responses(
        (status = 200, description = "The open tasks.", body = Vec<TaskOut>),
        (status = 400, description = "A parameter is not what is described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not read complaints.", body = ErrorBody),
        (status = 422, description = "Not a team.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn complaint_tasks(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<TasksQuery>, QueryRejection>,
) -> Result<Json<Vec<TaskOut>>, AppError> {
    reader(caller)?;
    let Query(q) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let team = match q.team.as_deref() {
        None => None,
        Some(code) => Some(Team::parse(code).ok_or_else(|| AppError::Unprocessable {
            field: "team".into(),
            message: "expected lab or accounting".into(),
        })?),
    };
    let list = state.store.complaint_tasks(None, Some(team), 500).await?;
    Ok(Json(
        list.into_iter()
            .map(|t| TaskOut {
                id: t.id.to_string(),
                complaint: t.number,
                team: t.team,
                body: t.body,
                created_by: t.created_by,
                created_at: rfc3339(t.created_at),
                done_by: t.done_by,
                done_at: t.done_at.map(rfc3339),
            })
            .collect(),
    ))
}

/// A complaint forwarded.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ForwardIn {
    /// `lab` or `accounting`.
    pub team: String,
    /// What needs doing.
    pub body: String,
}

/// The new task's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskIdOut {
    #[schema(format = "uuid")]
    pub id: String,
}

/// Forwards a complaint to the lab or accounting as a task.
#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/tasks", tag = "complaints",
    params(("id" = String, Path, description = "The complaint's id (UUID).")),
    request_body = ForwardIn,
    responses(
        (status = 201, description = "Forwarded.", body = TaskIdOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not decide complaints.", body = ErrorBody),
        (status = 404, description = "No such complaint.", body = ErrorBody),
        (status = 422, description = "Not a team, an empty or too long text, or not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn forward_complaint(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<ForwardIn>, JsonRejection>,
) -> Result<(StatusCode, Json<TaskIdOut>), AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    let input = json_body(body)?;
    let task = super::tasks::forward(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        id,
        &input.team,
        &input.body,
    )
    .await
    .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(TaskIdOut {
            id: task.to_string(),
        }),
    ))
}

/// Marks a task done (its team, or the staff who decide complaints).
#[utoipa::path(
    post, path = "/api/v1/complaints/tasks/{id}/done", tag = "complaints",
    params(("id" = String, Path, description = "The task's id (UUID).")),
    responses(
        (status = 204, description = "Done."),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the task is another team's.", body = ErrorBody),
        (status = 404, description = "No such task.", body = ErrorBody),
        (status = 409, description = "It was done already.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn finish_complaint_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let caller = caller.with(Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    super::tasks::finish(state.store.as_ref(), &caller.actor(), caller.role(), id)
        .await
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}
