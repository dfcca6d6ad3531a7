//! `/api/v1/customers/{customer}/notes`, `…/consents` and `…/language`: a note
//! or logged call, and a marketing consent given or withdrawn, appended to the
//! customer's history with the same checks as on the card (`pages/history.rs`);
//! the language of the customer's messages set. The card's JSON shows them.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::{customer_id, writer};
use crate::api::caller::Caller;
use crate::api::params::bad;
use crate::customers::store::history::check_consent;
use crate::customers::store::{ConsentChannel, ContactKind, NewConsent};
use crate::error::AppError;
use crate::orders::api::ErrorBody;
use crate::state::AppState;

/// A note or a logged call.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteIn {
    /// `note`, `call_in` or `call_out`.
    pub kind: String,
    /// 1–4,000 characters.
    pub body: String,
}

/// A consent given or withdrawn.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentIn {
    /// `email` or `sms`.
    pub channel: String,
    /// Given (true) or withdrawn (false).
    pub granted: bool,
    /// When the customer did it (RFC 3339; not in the future).
    pub given_at: String,
    /// Where: a store, a visit, a phone call, a web form (1–200 characters).
    pub place: String,
    /// Evidence, e.g. a paper form's number (up to 200 characters).
    #[serde(default)]
    pub evidence: String,
}

/// Add a note or a logged call to the customer's history.
#[utoipa::path(
    post, path = "/api/v1/customers/{customer}/notes", tag = "customers",
    params(("customer" = String, Path, description = "The customer (UUID).")),
    request_body = NoteIn,
    responses(
        (status = 204, description = "Added."),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not change customers.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
        (status = 422, description = "The kind or the body cannot be taken.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn add_customer_note(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
    body: Result<Json<NoteIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = writer(caller)?;
    let client = customer_id(&customer)?;
    let input = crate::error::json_body(body)?;
    let kind = input
        .kind
        .parse::<ContactKind>()
        .map_err(|_| bad("kind", "note, call_in or call_out"))?;
    let text = fieldcase_shared::order::notes::check_note(&input.body)
        .map_err(|(_, en)| bad("body", en))?;
    state
        .store
        .add_customer_note(&caller.actor(), client, kind, &text)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record a marketing consent the customer gave or withdrew; the latest given is the
/// current one (segments and exports follow it at once).
#[utoipa::path(
    post, path = "/api/v1/customers/{customer}/consents", tag = "customers",
    params(("customer" = String, Path, description = "The customer (UUID).")),
    request_body = ConsentIn,
    responses(
        (status = 204, description = "Recorded."),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not change customers.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
        (status = 422, description = "A field cannot be taken (channel, time, place, evidence).", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn add_customer_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
    body: Result<Json<ConsentIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = writer(caller)?;
    let client = customer_id(&customer)?;
    let input = crate::error::json_body(body)?;
    let channel = input
        .channel
        .parse::<ConsentChannel>()
        .map_err(|_| bad("channel", "email or sms"))?;
    let given_at = OffsetDateTime::parse(
        &input.given_at,
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|_| bad("given_at", "a time in RFC 3339, e.g. 2026-12-04T10:00:00Z"))?;
    let consent = check_consent(
        NewConsent {
            channel,
            granted: input.granted,
            given_at,
            place: input.place,
            evidence: input.evidence,
        },
        OffsetDateTime::now_utc(),
    )
    .map_err(|(_, en)| {
        let field = if en.contains("future") {
            "given_at"
        } else {
            "place"
        };
        bad(field, en)
    })?;
    state
        .store
        .add_consent(&caller.actor(), client, &consent)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The language of a customer's messages.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LangIn {
    /// `cs` or `en`.
    pub lang: String,
}

/// Set the language the customer's e-mails and text messages are in (the
/// template of that language where there is one, else the Czech).
#[utoipa::path(
    put, path = "/api/v1/customers/{customer}/language", tag = "customers",
    params(("customer" = String, Path, description = "The customer (UUID).")),
    request_body = LangIn,
    responses(
        (status = 204, description = "Set."),
        (status = 400, description = "The body is not JSON of this shape.", body = ErrorBody),
        (status = 401, description = "No valid API key.", body = ErrorBody),
        (status = 403, description = "The key lacks `customers:write`, or the role may not change customers.", body = ErrorBody),
        (status = 404, description = "No such customer.", body = ErrorBody),
        (status = 422, description = "Not `cs` or `en`.", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub(super) async fn set_customer_language(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer): Path<String>,
    body: Result<Json<LangIn>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let caller = writer(caller)?;
    let client = customer_id(&customer)?;
    let input = crate::error::json_body(body)?;
    let lang =
        fieldcase_shared::Lang::from_code(&input.lang).ok_or_else(|| bad("lang", "cs or en"))?;
    state
        .store
        .set_customer_lang(&caller.actor(), client, lang)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
