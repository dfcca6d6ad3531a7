//! One-time enrolment codes: the one path for the office's "Enrol a device",
//! `fieldcase device code` and the load simulator.

use fieldcase_shared::AdviserId;
use time::{Duration, OffsetDateTime};

use crate::auth;
use crate::service::ServiceError;
use crate::store::{Actor, NewEnrolmentCode, Store};

/// How long a code is valid, minutes.
pub const CODE_MINUTES: i64 = 15;

/// A code to show once (only its hash is stored).
#[derive(Debug, Clone)]
pub struct IssuedCode {
    /// `ABCDE-FGHJK`.
    pub code: String,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

/// Issues a fresh code for an active adviser (it replaces their older unused
/// ones; audited).
#[tracing::instrument(skip_all, fields(%adviser))]
pub async fn issue_code(
    store: &dyn Store,
    actor: &Actor,
    adviser: AdviserId,
) -> Result<IssuedCode, ServiceError> {
    let found = store.get_adviser(adviser).await?;
    if !found.active {
        return Err(ServiceError::Refused(format!(
            "the adviser {} is deactivated; activate them first",
            found.code
        )));
    }
    let code = auth::new_enrolment_code();
    let expires_at = OffsetDateTime::now_utc() + Duration::minutes(CODE_MINUTES);
    store
        .create_enrolment_code(
            actor,
            &NewEnrolmentCode {
                code_hash: auth::token_hash(&code),
                adviser,
                expires_at,
            },
        )
        .await?;
    Ok(IssuedCode { code, expires_at })
}
