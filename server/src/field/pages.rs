//! The field's office pages: advisers, their devices and enrolment codes.

pub mod advisers;
