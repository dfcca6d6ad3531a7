//! Production clients of outside services, each with a configurable base URL
//! (tests run them against fakes on loopback): fio.rs (the bank's statements and
//! the upload of payment orders), fio_import.rs (the payment orders' XML and the
//! bank's answer).
pub mod fio;
pub mod fio_import;
