//! What a domain service (the one path of an operation, shared by the office page,
//! the JSON API and the CLI) answers when it refuses or fails.

use fieldcase_shared::validate::reason;
use fieldcase_shared::{FieldError, Problem};

use crate::error::AppError;
use crate::store::StoreError;

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input is wrong; the fields say where (cs/en texts from `shared`).
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// The operation is not allowed in this state (e.g. a deactivated adviser).
    #[error("{0}")]
    Refused(String),
    /// The store failed (the detail is for the log).
    #[error(transparent)]
    Store(StoreError),
    /// Anything else (the detail is for the log).
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate { field } => {
                let why = if field == "email" {
                    reason::EMAIL_TAKEN
                } else {
                    reason::TAKEN
                };
                ServiceError::Invalid(vec![FieldError::new(
                    field,
                    Problem::NotAllowed(why.into()),
                )])
            }
            other => ServiceError::Store(other),
        }
    }
}

impl From<ServiceError> for AppError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(fields) => AppError::Invalid(fields),
            ServiceError::Refused(msg) => AppError::Forbidden(msg),
            ServiceError::Store(err) => err.into(),
            ServiceError::Internal(err) => AppError::Internal(err),
        }
    }
}
