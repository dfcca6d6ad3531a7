//! Production clients of outside services, each with a configurable base URL
//! (tests run them against fakes on loopback): fio.rs (the bank's statements and
//! the upload of payment orders), fio_import.rs (the payment orders' XML and the
//! bank's answer), smtp.rs (e-mail), sms.rs (the SMS gateway).
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
}
