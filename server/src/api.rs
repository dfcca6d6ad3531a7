//! The JSON API (`/api/v1/…`): each domain's routes live in its folder (device
//! enrolment and push tokens: `field/api.rs`); this module assembles them.

pub use crate::field::api::{EnrolRequest, EnrolResponse, PushTokenRequest};

use axum::Router;

use crate::state::AppState;

/// Largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// Routes of the API.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(crate::field::api::router())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_JSON_BYTES))
}
