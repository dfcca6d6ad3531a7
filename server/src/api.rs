//! The JSON API (`/api/v1/…`): device enrolment and push tokens now; integrations
//! later.

mod devices;

pub use devices::{EnrolRequest, EnrolResponse, PushTokenRequest};

use axum::Router;

use crate::state::AppState;

/// Largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// Routes of the API.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(devices::router())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_JSON_BYTES))
}
