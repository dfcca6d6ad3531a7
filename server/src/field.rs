//! The field: advisers, their devices and how a device joins (enrolment).

pub mod api;
pub mod enrolment;
pub mod pages;
pub mod store;
