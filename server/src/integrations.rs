//! Production clients of outside services, each with a configurable base URL
//! (tests run them against fakes on loopback): fio.rs (the bank's statements and
//! the upload of payment orders), fio_import.rs (the payment orders' XML and the
//! bank's answer), smtp.rs (e-mail), sms.rs (the SMS gateway), fcm.rs (push to
//! advisers' phones).
pub mod fcm;
pub mod fio;
pub mod fio_import;
pub mod sms;
pub mod smtp;

/// Why a message did not go out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Delivery {
    /// Try again later (the service is busy or away); `retry_after` when it said how long.
    #[error("{error}")]
    Transient {
        error: String,
        retry_after: Option<time::Duration>,
    },
    /// Refused: trying again would not help.
    #[error("{0}")]
    Permanent(String),
    /// The address is dead (a phone's push token FCM no longer knows): forget it.
    #[error("{0}")]
    Gone(String),
}

/// A service's `Retry-After` in seconds (the HTTP-date form is not used by the
/// services we speak to; it reads as none).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<time::Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(time::Duration::seconds)
}
