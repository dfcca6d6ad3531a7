//! `/api/v1/campaigns/…`: campaigns listed, a draft written and changed, one
//! read with where its messages are and its effect (the sent against the
//! held-out), launched and stopped — through the same service as the office's
//! page. Reading takes `customers:read`, changing `customers:write`; the office,
//! customer service and administrators (`MARKETERS`).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use fieldcase_shared::Lang;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rules::{Draft, Group};
use super::store::Campaign;
use super::{CampaignError, MARKETERS, Report};
use crate::api::caller::Caller;
use crate::api::keys::{ApiCaller, Scope};
use crate::api::params::uuid_param;
use crate::care::rules::Channel;
use crate::error::{AppError, json_body};
use crate::orders::api::ErrorBody;
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// The campaign routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(campaign_report, update_campaign))
        .routes(routes!(launch_campaign))
        .routes(routes!(stop_campaign))
}

fn marketer(caller: Caller, scope: Scope) -> Result<ApiCaller, AppError> {
    let caller = caller.with(scope)?;
    if !MARKETERS.contains(&caller.role()) {
        return Err(AppError::Forbidden(
            "only the office, customer service and administrators run campaigns".into(),
        ));
    }
    Ok(caller)
}

fn refused(e: CampaignError) -> AppError {
    match e {
        CampaignError::Role => AppError::Forbidden(e.text(Lang::En)),
        CampaignError::NotFound => AppError::NotFound,
        CampaignError::NoSegment => AppError::Unprocessable {
            field: "segment".into(),
            message: e.text(Lang::En),
        },
        CampaignError::Draft(p) => AppError::Unprocessable {
            field: p.field().into(),
            message: p.text(Lang::En),
        },
        CampaignError::State(_) => AppError::Stale(e.text(Lang::En)),
        CampaignError::Store(s) => s.into(),
    }
}

/// A campaign as written.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignIn {
    pub name: String,
    /// The saved segment (UUID, see `/api/v1/customer-segments`).
    pub segment: String,
    /// `email` or `sms`.
    pub channel: String,
    /// `cs` (default) or `en`: the unsubscribe footer's and page's language.
    #[serde(default)]
    pub lang: Option<String>,
    /// The e-mail's subject (e-mail only); `{first_name}`, `{last_name}`.
    #[serde(default)]
    pub subject: String,
    /// The text; `{first_name}`, `{last_name}`. The unsubscribe link is added.
    pub body: String,
    /// Messages an hour (1–20000).
    pub per_hour: u32,
    /// The hold-out's share of the audience, per cent (0–50).
    pub holdout_pct: u32,
    /// The days after the launch whose orders count (1–365).
    pub effect_days: u32,
}

impl CampaignIn {
    fn draft(self) -> Result<Draft, AppError> {
        let bad = |field: &str, message: &str| AppError::Unprocessable {
            field: field.into(),
            message: message.into(),
        };
        Ok(Draft {
            segment: uuid_param("segment", &self.segment)?,
            channel: Channel::parse(&self.channel)
                .filter(|c| *c != Channel::Push)
                .ok_or_else(|| bad("channel", "email or sms"))?,
            lang: match self.lang.as_deref() {
                None => Lang::Cs,
                Some(code) => Lang::from_code(code).ok_or_else(|| bad("lang", "cs or en"))?,
            },
            name: self.name,
            subject: self.subject,
            body: self.body,
            per_hour: self.per_hour,
            holdout_pct: self.holdout_pct,
            effect_days: self.effect_days,
        })
    }
}

/// A campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignOut {
    #[schema(format = "uuid")]
    pub id: String,
    pub name: String,
    /// The segment's name (and id, while it exists).
    pub segment_name: String,
    #[schema(format = "uuid")]
    pub segment: Option<String>,
    pub channel: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub per_hour: i64,
    pub holdout_pct: i64,
    pub effect_days: i64,
    /// `draft`, `launched` or `stopped`.
    pub status: String,
    pub created_by: String,
    pub created_at: String,
    pub launched_by: Option<String>,
    pub launched_at: Option<String>,
}

fn out(c: Campaign) -> CampaignOut {
    CampaignOut {
        id: c.id.to_string(),
        name: c.name,
        segment_name: c.segment_name,
        segment: c.segment_id.map(|s| s.to_string()),
        channel: c.channel,
        lang: c.lang,
        subject: c.subject,
        body: c.body,
        per_hour: c.per_hour,
        holdout_pct: c.holdout_pct,
        effect_days: c.effect_days,
        status: c.status,
        created_by: c.created_by,
        created_at: rfc3339(c.created_at),
        launched_by: c.launched_by,
        launched_at: c.launched_at.map(rfc3339),
    }
}

/// One group's outcome (amounts in haléř).
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupOut {
    pub members: i64,
    pub buyers: i64,
    pub orders: i64,
    pub turnover: i64,
    /// Buyers per member, per cent.
    pub conversion_pct: f64,
}

fn group(g: Group) -> GroupOut {
    GroupOut {
        members: g.members,
        buyers: g.buyers,
        orders: g.orders,
        turnover: g.turnover,
        conversion_pct: g.conversion_pct(),
    }
}

/// A campaign with where its messages are and its effect.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    pub campaign: CampaignOut,
    /// Messages waiting (at the rate), sent, skipped (no consent any more, or
    /// stopped), failed; customers held out and who unsubscribed.
    pub waiting: i64,
    pub sent: i64,
    pub skipped: i64,
    pub failed: i64,
    pub held_out: i64,
    pub unsubscribed: i64,
    /// After the launch: the orders (not cancelled) within the effect's days.
    pub sent_group: Option<GroupOut>,
    pub held_out_group: Option<GroupOut>,
    /// What the sent group made beyond the held-out group's turnover per member (haléř).
    pub uplift: Option<i64>,
    /// Whether the effect's days are over.
    pub complete: bool,
}

fn report_out(r: Report) -> ReportOut {
    let p = r.progress;
    ReportOut {
        campaign: out(r.campaign),
        waiting: p.waiting,
        sent: p.sent,
        skipped: p.skipped,
        failed: p.failed,
        held_out: p.held_out,
        unsubscribed: p.unsubscribed,
        sent_group: r.effect.map(|e| group(e.sent)),
        held_out_group: r.effect.map(|e| group(e.held_out)),
        uplift: r.effect.and_then(|e| e.uplift()),
        complete: r.complete,
    }
}

/// Campaigns, newest first.
#[utoipa::path(
    get, path = "/api/v1/campaigns", tag = "campaigns",
    responses(
        (status = 200, description = "The campaigns (the latest 500).", body = Vec<CampaignOut>),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not run campaigns.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn list_campaigns(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<CampaignOut>>, AppError> {
    marketer(caller, Scope::CustomersRead)?;
    let rows = state.store.campaigns(500).await?;
    Ok(Json(rows.into_iter().map(out).collect()))
}

/// The id of a new campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOut {
    #[schema(format = "uuid")]
    pub id: String,
}

/// Writes a draft.
#[utoipa::path(
    post, path = "/api/v1/campaigns", tag = "campaigns",
    request_body = CampaignIn,
    responses(
        (status = 201, description = "Saved as a draft.", body = CreatedOut),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not run campaigns.", body = ErrorBody),
        (status = 422, description = "A value is wrong (the field says which): an unknown variable, no such segment, …", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn create_campaign(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<CampaignIn>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedOut>), AppError> {
    let caller = marketer(caller, Scope::CustomersWrite)?;
    let draft = json_body(body)?.draft()?;
    let id = super::create(state.store.as_ref(), &caller.actor(), caller.role(), draft)
        .await
        .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(CreatedOut { id: id.to_string() })))
}

/// A campaign with where its messages are and its effect so far.
#[utoipa::path(
    get, path = "/api/v1/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id (UUID).")),
    responses(
        (status = 200, description = "The campaign and its report.", body = ReportOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:read`, or the role does not run campaigns.", body = ErrorBody),
        (status = 404, description = "No such campaign.", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn campaign_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ReportOut>, AppError> {
    marketer(caller, Scope::CustomersRead)?;
    let id = uuid_param("id", &id)?;
    let r = super::report(state.store.as_ref(), id, OffsetDateTime::now_utc())
        .await
        .map_err(refused)?;
    Ok(Json(report_out(r)))
}

/// Changes a draft.
#[utoipa::path(
    put, path = "/api/v1/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id (UUID).")),
    request_body = CampaignIn,
    responses(
        (status = 204, description = "Saved."),
        (status = 400, description = "The body is not the JSON described.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not run campaigns.", body = ErrorBody),
        (status = 404, description = "No such campaign.", body = ErrorBody),
        (status = 409, description = "It is launched: no longer a draft.", body = ErrorBody),
        (status = 422, description = "A value is wrong (the field says which).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn update_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<CampaignIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = marketer(caller, Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    let draft = json_body(body)?.draft()?;
    super::update(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        id,
        draft,
    )
    .await
    .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// How a launch drew the audience.
#[derive(Debug, Serialize, ToSchema)]
pub struct LaunchOut {
    /// Customers whose message is queued (at the rate).
    pub sent: usize,
    /// Customers held out (not sent: the yardstick).
    pub held_out: usize,
}

/// Launches a draft: its audience drawn now (the segment's customers who
/// consent to the channel, one per address), the hold-out set aside, the
/// others' messages queued at the rate.
#[utoipa::path(
    post, path = "/api/v1/campaigns/{id}/launch", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id (UUID).")),
    responses(
        (status = 200, description = "Launched.", body = LaunchOut),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not run campaigns.", body = ErrorBody),
        (status = 404, description = "No such campaign.", body = ErrorBody),
        (status = 409, description = "It was launched already.", body = ErrorBody),
        (status = 422, description = "Its segment is gone, or not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn launch_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<LaunchOut>, AppError> {
    let caller = marketer(caller, Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    let (sent, held_out) = super::launch(
        state.store.as_ref(),
        &caller.actor(),
        caller.role(),
        id,
        &state.config.public_url(),
        OffsetDateTime::now_utc(),
    )
    .await
    .map_err(refused)?;
    Ok(Json(LaunchOut { sent, held_out }))
}

/// Stops a launched campaign: its messages not sent yet will not be.
#[utoipa::path(
    post, path = "/api/v1/campaigns/{id}/stop", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id (UUID).")),
    responses(
        (status = 204, description = "Stopped."),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role does not run campaigns.", body = ErrorBody),
        (status = 404, description = "No such campaign.", body = ErrorBody),
        (status = 409, description = "It is not launched (a draft, or stopped already).", body = ErrorBody),
        (status = 422, description = "Not an id.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
async fn stop_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let caller = marketer(caller, Scope::CustomersWrite)?;
    let id = uuid_param("id", &id)?;
    super::stop(state.store.as_ref(), &caller.actor(), caller.role(), id)
        .await
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}
