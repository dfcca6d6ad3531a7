//! `POST /api/v1/devices/enrol`: a phone exchanges the one-time code shown in the
//! office for its bearer token and the ids of the documents it syncs.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use fieldcase_shared::DeviceId;
pub use fieldcase_shared::api::{EnrolRequest, EnrolResponse, PushTokenRequest};

use crate::auth;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{EnrolRefused, NewDevice};
use crate::sync::{HUB_PEER_ID, device_peer_id};
use crate::throttle::ClientAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/devices/enrol", post(enrol))
        .route("/api/v1/devices/push-token", post(push_token))
        .route("/api/v1/devices/logout", post(logout))
}

#[tracing::instrument(skip_all)]
async fn push_token(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: Result<Json<PushTokenRequest>, JsonRejection>,
) -> Response {
    match push_token_inner(state, headers, body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => err.into_response(),
    }
}

async fn push_token_inner(
    state: AppState,
    headers: axum::http::HeaderMap,
    body: Result<Json<PushTokenRequest>, JsonRejection>,
) -> Result<(), AppError> {
    // Authorisation first: an unknown or revoked device learns nothing else.
    let device = calling_device(&state, &headers).await?;
    let request = crate::error::json_body(body)?;
    let mut problems = Vec::new();
    if !["android", "ios"].contains(&request.platform.as_str()) {
        problems.push(fieldcase_shared::FieldError::new(
            "platform",
            fieldcase_shared::Problem::Invalid,
        ));
    }
    let token = request.token.trim();
    if token.is_empty() {
        problems.push(fieldcase_shared::FieldError::new(
            "token",
            fieldcase_shared::Problem::Required,
        ));
    } else if token.len() > 4096 || !token.chars().all(|c| c.is_ascii_graphic()) {
        problems.push(fieldcase_shared::FieldError::new(
            "token",
            fieldcase_shared::Problem::Invalid,
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    state
        .store
        .set_push_token(device.id, &request.platform, token)
        .await?;
    tracing::info!(device = %device.id, platform = %request.platform, "push token registered");
    Ok(())
}

/// The active device whose bearer token came with the request (401 otherwise).
async fn calling_device(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<crate::store::Device, AppError> {
    let bearer = auth::bearer(headers, &Default::default()).ok_or(AppError::Unauthorized)?;
    state
        .store
        .device_by_token(&auth::token_hash(&bearer))
        .await?
        .ok_or(AppError::Unauthorized)
}

/// `POST /api/v1/devices/logout`: the phone logs out and wipes itself; its token
/// stops working at once (as if the office had revoked it). Authorised by the
/// device's own bearer token; answers 204.
#[tracing::instrument(skip_all)]
async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let result = async {
        let device = calling_device(&state, &headers).await?;
        let actor = crate::store::Actor::system(&format!("device:{}", device.id));
        state.store.revoke_device(&actor, device.id).await?;
        state.sync.revoke_device(device.id);
        tracing::info!(device = %device.id, "device logged out");
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => err.into_response(),
    }
}

/// The one answer to a code that is unknown, used or expired.
pub const INVALID_CODE: &str = "this enrolment code is not valid (unknown, already used or expired; codes are valid 15 minutes); ask the office for a new one";

/// `abcde fghjk` / `ABCDEFGHJK` → `ABCDE-FGHJK`.
fn normalise_code(code: &str) -> Option<String> {
    let chars: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (chars.len() == 10).then(|| format!("{}-{}", &chars[..5], &chars[5..]))
}

#[tracing::instrument(skip_all)]
async fn enrol(
    State(state): State<AppState>,
    addr: ClientAddr,
    body: Result<Json<EnrolRequest>, JsonRejection>,
) -> Response {
    match enrol_inner(state, addr, body).await {
        Ok(response) => (StatusCode::CREATED, Json(response)).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn enrol_inner(
    state: AppState,
    addr: ClientAddr,
    body: Result<Json<EnrolRequest>, JsonRejection>,
) -> Result<EnrolResponse, AppError> {
    let request = crate::error::json_body(body)?;
    let mut problems = Vec::new();
    let code = normalise_code(&request.code);
    if code.is_none() {
        problems.push(fieldcase_shared::FieldError::new(
            "code",
            fieldcase_shared::Problem::Invalid,
        ));
    }
    let name = request.device_name.trim();
    if name.is_empty() {
        problems.push(fieldcase_shared::FieldError::new(
            "device_name",
            fieldcase_shared::Problem::Required,
        ));
    } else if name.chars().count() > 100 {
        problems.push(fieldcase_shared::FieldError::new(
            "device_name",
            fieldcase_shared::Problem::TooLong { max: 100 },
        ));
    }
    let Some(code) = code.filter(|_| problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    // Codes cannot be guessed: an address gets a few tries per window, and a code
    // that works gives its try back.
    let addr = addr.key();
    if let Err(wait) = state.guards.enrol_addresses.take(&addr) {
        tracing::warn!(%addr, "enrolment throttled");
        return Err(AppError::TooManyRequests {
            message: format!(
                "too many enrolment attempts from this address; try again in {} min",
                wait.minutes()
            ),
            retry_after: wait.seconds(),
        });
    }
    let token = auth::new_token();
    let device = NewDevice {
        id: DeviceId::new(),
        name: name.to_owned(),
        token_hash: auth::token_hash(&token),
        at: time::OffsetDateTime::now_utc(),
    };
    let device = match state
        .store
        .redeem_enrolment_code(&auth::token_hash(&code), &device)
        .await?
    {
        Ok(device) => device,
        Err(refused) => {
            tracing::info!(%refused, "enrolment refused");
            // Unknown, used and expired codes get one answer: a guesser learns nothing.
            return Err(match refused {
                EnrolRefused::Unknown | EnrolRefused::Used | EnrolRefused::Expired => {
                    AppError::BadRequest(INVALID_CODE.into())
                }
                EnrolRefused::AdviserInactive => {
                    AppError::Forbidden("the adviser's account is deactivated".into())
                }
            });
        }
    };
    state.guards.enrol_addresses.give_back(&addr);
    let workspace = state.sync.ensure_workspace(device.adviser).await?;
    let adviser = state.store.get_adviser(device.adviser).await?;
    Ok(EnrolResponse {
        device_id: device.id,
        token,
        peer_id: device_peer_id(device.id).to_string(),
        hub_peer_id: HUB_PEER_ID.into(),
        sync_path: "/sync".into(),
        catalog_doc: state.sync.catalog_id().to_string(),
        workspace_doc: workspace.to_string(),
        adviser_code: adviser.code,
        adviser_name: adviser.name,
    })
}

#[cfg(test)]
mod tests {
    use super::normalise_code;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(
            normalise_code(" abcde fghjk ").as_deref(),
            Some("ABCDE-FGHJK")
        );
        assert_eq!(
            normalise_code("ABCDE-FGHJK").as_deref(),
            Some("ABCDE-FGHJK")
        );
        assert_eq!(normalise_code("ABC"), None);
    }
}
