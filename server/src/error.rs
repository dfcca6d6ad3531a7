//! One place that turns errors into HTTP answers: a clear 4xx body for bad input,
//! a generic 500 whose detail goes only to the log.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fieldcase_shared::FieldError;
use serde_json::json;

use crate::store::StoreError;

/// An error answered to an HTTP client.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is wrong; the fields say where.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The request itself is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// Not logged in (or the session ended).
    #[error("authentication required")]
    Unauthorized,
    /// Logged in but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// No such thing (or not visible to the caller).
    #[error("not found")]
    NotFound,
    /// The body is larger than allowed.
    #[error("request too large")]
    TooLarge,
    /// A value is already used by another record (e.g. a duplicate e-mail); the
    /// fields say which.
    #[error("already used")]
    Conflict(Vec<FieldError>),
    /// One field's value cannot be taken; `message` says why (for people).
    #[error("{field}: {message}")]
    Unprocessable {
        /// The field (JSON member or query parameter).
        field: String,
        /// Why.
        message: String,
    },
    /// Someone changed the thing since the client read it; nothing was written.
    #[error("{0}")]
    Stale(String),
    /// Too many attempts from this client; try again after `retry_after` seconds.
    #[error("{message}")]
    TooManyRequests {
        /// What to tell the client.
        message: String,
        /// Seconds until an attempt is free again (`Retry-After`).
        retry_after: u64,
    },
    /// The database is unreachable right now.
    #[error("service unavailable")]
    Unavailable,
    /// Anything else: logged, answered generically.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The body of a JSON request, or the clear 4xx for one that is not JSON of the
/// expected shape (413 when too large).
pub fn json_body<T>(
    body: Result<axum::Json<T>, axum::extract::rejection::JsonRejection>,
) -> Result<T, AppError> {
    use axum::http::StatusCode;
    body.map(|axum::Json(b)| b)
        .map_err(|rejection| match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::BadRequest(
                "send the body as JSON (Content-Type: application/json)".into(),
            ),
            _ => AppError::BadRequest(rejection.body_text()),
        })
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Stale(what) => AppError::Conflict(vec![FieldError::new(
                what,
                fieldcase_shared::Problem::NotAllowed(
                    "changed by someone else meanwhile; read it again".into(),
                ),
            )]),
            StoreError::Duplicate { field } => AppError::Conflict(vec![FieldError::new(
                field,
                fieldcase_shared::Problem::NotAllowed(
                    fieldcase_shared::validate::reason::TAKEN.into(),
                ),
            )]),
            StoreError::Db(
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed,
            ) => AppError::Unavailable,
            other => AppError::Internal(other.into()),
        }
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_) | AppError::Stale(_) => StatusCode::CONFLICT,
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let body = match &self {
            AppError::Invalid(fields) => json!({
                "error": "invalid input",
                "fields": fields.iter().map(|f| json!({"field": f.field, "message": f.to_string()})).collect::<Vec<_>>(),
            }),
            AppError::Unprocessable { field, message } => json!({
                "error": "invalid input",
                "fields": [{"field": field, "message": message}],
            }),
            AppError::Conflict(fields) => json!({
                "error": "already used",
                "fields": fields.iter().map(|f| json!({"field": f.field, "message": f.to_string()})).collect::<Vec<_>>(),
            }),
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                json!({"error": "internal error; the details are in the hub's log"})
            }
            AppError::Unavailable => {
                tracing::warn!("database unavailable");
                json!({"error": "the database is unavailable; try again shortly"})
            }
            other => json!({"error": other.to_string()}),
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        if let Some(v) = retry_after.and_then(|s| s.to_string().parse().ok()) {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        response
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use fieldcase_shared::Problem;

    async fn body(err: AppError) -> (StatusCode, serde_json::Value) {
        let response = err.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn invalid_input_names_the_fields() {
        let (status, json) = body(AppError::Invalid(vec![FieldError::new(
            "email",
            Problem::Invalid,
        )]))
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json["fields"][0]["field"], "email");
        assert_eq!(json["fields"][0]["message"], "email: Invalid format");
    }

    #[tokio::test]
    async fn internal_errors_hide_their_detail() {
        let (status, json) = body(AppError::Internal(anyhow::anyhow!(
            "password=hunter2 at db"
        )))
        .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!json.to_string().contains("hunter2"));
    }

    #[tokio::test]
    async fn store_errors_map_to_statuses() {
        let (status, json) = body(StoreError::Duplicate { field: "email" }.into()).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(json["fields"][0]["field"], "email");
        assert!(
            !json.to_string().contains("_key"),
            "no database constraint name reaches the client: {json}"
        );
        let (status, _) = body(StoreError::NotFound("shop").into()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, json) = body(StoreError::Db(sqlx::Error::PoolTimedOut).into()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(json["error"].as_str().unwrap().contains("unavailable"));
    }
}
