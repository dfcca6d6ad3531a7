//! The field: advisers, their devices and how a device joins (enrolment).

pub mod enrolment;
pub mod store;
