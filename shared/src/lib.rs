//! fieldcase-shared — the sans-IO domain core shared by the hub and the phone.
//!
//! Nothing in here does I/O: no tokio, sqlx, rusqlite, axum or dioxus (a test in
//! `tests/` checks the dependency tree). Rules live here once and both sides call them.

// Tests may unwrap; the non-test build (also checked by clippy) may not.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod authority;
pub mod calendar;
pub mod carrier;
pub mod complaint;
pub mod custom_field;
pub mod customer;
pub mod docs;
pub mod frame;
pub mod ids;
pub mod lang;
pub mod lens;
pub mod measure;
pub mod money;
pub mod order;
pub mod prescription;
pub mod pricing;
pub mod reminder;
pub mod role;
pub mod search;
pub mod spayd;
pub mod statement;
pub mod status;
pub mod validate;
pub mod vat;

pub use frame::{Frame, FrameSize, FrameSizeParseError};
pub use ids::*;
pub use lang::Lang;
pub use lens::{
    Coating, IndexAdvice, LensDesign, LensIndex, LensPair, LensSpec, UnknownLensOption,
};
pub use measure::{Diopters, MeasureParseError, Millimetres};
pub use money::{Money, MoneyParseError};
pub use order::{Discount, GlassesOrder, LineKind, LineTotal, OrderLine, Totals};
pub use prescription::{EyeRx, Prescription, Prism, PrismBase};
pub use role::{Role, UnknownRole};
pub use status::{
    DenyReason, OrderStatus, TransitionDenied, UnknownStatus, allowed_targets, can_transition,
};
pub use validate::{FieldError, Problem};
pub use vat::{VatRate, vat_from_gross};
