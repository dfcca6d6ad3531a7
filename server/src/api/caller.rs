//! Who calls the API: the staff API key in `Authorization: Bearer …`, checked on
//! every request (unknown, revoked, or its user deactivated → 401; a user who may
//! not hold keys → 403), and the scope each handler needs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::keys::{ApiCaller, Scope, may_hold_keys};
use crate::error::AppError;
use crate::state::AppState;

/// The caller of an API handler (extract it before the body: authorisation first).
#[derive(Debug, Clone)]
pub struct Caller(pub ApiCaller);

impl Caller {
    /// The caller, if their key has `scope` (403 otherwise).
    pub fn with(self, scope: Scope) -> Result<ApiCaller, AppError> {
        if self.0.has(scope) {
            Ok(self.0)
        } else {
            Err(AppError::Forbidden(format!(
                "this API key lacks the scope {}; make a key with it in the office (API keys)",
                scope.code()
            )))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let secret = crate::auth::bearer(&parts.headers, &Default::default())
            .ok_or(AppError::Unauthorized)?;
        let caller = state
            .store
            .api_caller(&crate::auth::token_hash(&secret))
            .await?
            .ok_or(AppError::Unauthorized)?;
        if !may_hold_keys(caller.role()) {
            return Err(AppError::Forbidden(
                "advisers use the phone app, not API keys".into(),
            ));
        }
        Ok(Caller(caller))
    }
}
