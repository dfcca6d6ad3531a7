//! Customer care (issue 15): notifications. An order's status change is an
//! event (written by a database trigger, `care_events`); the office's triggers
//! say which changes send on which channel, its templates (Czech, with
//! variables; `rules.rs` checks and renders them) what the message says; the job
//! (`dispatch.rs`) plans one message per event and channel into the outbox
//! (`store.rs`) — skipped with the reason when the customer has no address or
//! said no — and sends it by e-mail (`integrations/smtp.rs`) or SMS
//! (`integrations/sms.rs`), retried with back-off; SMS wait out the night.
//! `edit.rs` is the one path that changes triggers and templates, `page.rs` the
//! office's Notifications page, `cli.rs` the `fieldcase notify` commands,
//! `order_box.rs` the order card's messages.

pub mod cli;
pub mod dispatch;
pub mod edit;
pub mod order_box;
pub mod page;
pub mod rules;
pub mod store;
