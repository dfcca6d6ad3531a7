//! `/office/commission/batches/{id}/xml`: a payout batch's FIO payment-order file
//! as it was made, to download and upload by hand in FIO's internet banking. For
//! signed-in accounting and administrators (the session is checked like any
//! office page's).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use uuid::Uuid;

use super::payout::PAYOUT_APPROVERS;
use crate::state::AppState;

/// The batch file's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/office/commission/batches/{id}/xml", get(file))
}

async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/office/commission/batches/{id}/xml");
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to(&format!("/login?next={path}")).into_response();
    };
    if !PAYOUT_APPROVERS.contains(&session.user.role) {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    let Ok(id) = id.parse::<Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such batch").into_response();
    };
    match state.store.payout_batch_file(id).await {
        Ok(Some((number, bytes))) => (
            [
                (header::CONTENT_TYPE, "application/xml".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{number}.xml\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no such batch").into_response(),
        Err(err) => {
            tracing::warn!(%err, "reading a payout batch file");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "could not read the batch",
            )
                .into_response()
        }
    }
}
