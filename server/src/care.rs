//! Customer care (issue 15): notifications. What happens is an event, written by
//! a database trigger in the changing transaction (`care_events`: an order's
//! status change, money matched to an order, an invoice issued, complaints,
//! bookings, a reminder reaching the adviser, commission accrued, a payout
//! decided) or by the hub's projector (a record its authority rejected); the
//! office's triggers say which events send on which channel, its templates
//! (Czech and English, with variables; `rules.rs` checks and renders them) what
//! the message says; the job (`dispatch.rs`) plans one message per event,
//! channel and recipient into the outbox (`store.rs`) — skipped with the reason
//! when the customer has no address or said no, or the adviser no phone — and
//! sends it by e-mail (`integrations/smtp.rs`; `attach.rs` makes what it
//! carries: a booking's `.ics`, a complaint's protocol, an invoice), SMS
//! (`integrations/sms.rs`) or push to the adviser's phones
//! (`integrations/fcm.rs`), retried with back-off; SMS wait out the night.
//! Campaigns (`campaigns/`) queue their messages into the same outbox.
//! `edit.rs` is the one path that changes triggers and templates, `page.rs` the
//! office's Notifications page, `api.rs` the JSON API, `cli.rs` the `fieldcase
//! notify` commands, `order_box.rs` the order card's messages.

pub mod api;
pub mod attach;
pub mod cli;
pub mod dispatch;
pub mod edit;
pub mod order_box;
pub mod page;
pub mod rules;
pub mod sms;
pub mod store;
