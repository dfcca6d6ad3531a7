//! Production clients of outside services, each with a configurable base URL
//! (tests run them against fakes on loopback): fio.rs (the bank's statements).
pub mod fio;
