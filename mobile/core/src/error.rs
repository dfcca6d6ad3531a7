//! What a device operation refuses or fails with: the app tells the adviser why
//! (a rule from `shared` with its cs/en text, the hub's answer, or a failure).

use fieldcase_shared::docs::commission::PayoutDenied;
use fieldcase_shared::{FieldError, Lang, TransitionDenied};

/// Why a device operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The input breaks the shared rules; the fields say where.
    #[error("invalid: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// An adviser may not make this status move (the hub would reverse it).
    #[error("{0}")]
    StatusDenied(TransitionDenied),
    /// The payout cannot be requested (not positive, or over what is available).
    #[error("{}", .0.message(Lang::En))]
    PayoutDenied(PayoutDenied),
    /// The hub could not be reached (offline, wrong address).
    #[error("cannot reach the hub: {0}")]
    Unreachable(String),
    /// The hub answered with a refusal.
    #[error("the hub refused {what} ({status}): {explanation}")]
    Refused {
        /// What was asked (`the enrolment`, …).
        what: String,
        /// The HTTP status.
        status: u16,
        /// The hub's explanation.
        explanation: String,
    },
    /// The phone's own database failed.
    #[error("the phone's database failed: {0}")]
    Storage(#[from] crate::local_db::LocalDbError),
    /// The device itself failed otherwise (documents, the sync repo).
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// A device operation's result.
pub type DeviceResult<T> = Result<T, DeviceError>;
