//! Typed records inside a workspace document, read and written with autosurgeon.
//! Each record lives at `root.<map>.<id>` (id = the record's UUID as text), so two
//! devices adding different records never conflict, and edits to one field of a
//! record merge with edits to another.

use autosurgeon::{Hydrate, Reconcile};

mod access;

pub use access::{all, conflicts, get, ids, put, put_many, remove, settle, touched};

/// A client as the adviser records them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct ClientRecord {
    /// First name.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub first_name: String,
    /// Last name.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub last_name: String,
    /// Phone, normalised (`+420 123 456 789`).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub phone: String,
    /// E-mail.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub email: String,
    /// Street and number.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub street: String,
    /// Town.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub city: String,
    /// Postal code (`123 45`).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub postal_code: String,
    /// Free note.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub note: String,
    /// When created (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub created_at: String,
    /// The client this one was merged into by the office (a client id; empty: not
    /// merged). A merged client is kept, frozen, so what refers to it still reads;
    /// the hub moves onto the survivor whatever arrives for it later
    /// (`crate::customer::merge`).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub merged_into: String,
    /// Custom fields' values by key (`crate::custom_field`).
    #[autosurgeon(missing = "Default::default")]
    pub custom: std::collections::BTreeMap<String, String>,
}

/// A recorded prescription. Immutable once recorded: a new measurement is a new
/// record, so the body is kept as the JSON of [`crate::Prescription`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct PrescriptionRecord {
    /// The client's id.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub client: String,
    /// JSON of the [`crate::Prescription`].
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub body: String,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct LineRecord {
    /// Line id (UUID text); lists are matched by it when merging.
    #[key]
    pub id: String,
    /// Kind code (`frame`, `lens`, …).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub kind: String,
    /// Catalog product id, if any.
    #[autosurgeon(hydrate = "super::text::opt_string", missing = "Default::default")]
    pub product: Option<String>,
    /// Text on the order.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub text: String,
    /// Quantity.
    #[autosurgeon(missing = "Default::default")]
    pub quantity: u32,
    /// Gross unit price, haléře.
    #[autosurgeon(missing = "Default::default")]
    pub unit_price: i64,
    /// VAT, basis points.
    #[autosurgeon(missing = "Default::default")]
    pub vat_bp: u32,
    /// Discount on the line, haléře.
    #[autosurgeon(missing = "Default::default")]
    pub discount: i64,
}

/// A glasses (or other) order taken in the field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct OrderRecord {
    /// The client's id.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub client: String,
    /// The prescription it was made from.
    #[autosurgeon(hydrate = "super::text::opt_string", missing = "Default::default")]
    pub prescription: Option<String>,
    /// Variable symbol for payments.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub variable_symbol: String,
    /// Status code (see [`crate::OrderStatus`]).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub status: String,
    /// Lines.
    #[autosurgeon(missing = "Default::default")]
    pub lines: Vec<LineRecord>,
    /// Deposit paid, haléře.
    #[autosurgeon(missing = "Default::default")]
    pub deposit: i64,
    /// Free note.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub note: String,
    /// When created (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub created_at: String,
    /// The coupon applied (normalised code, e.g. `JARO10`; empty: none).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub coupon: String,
    /// What the coupon took off, haléře (already inside the lines' discounts).
    #[autosurgeon(missing = "Default::default")]
    pub coupon_discount: i64,
    /// The adviser's discount on the catalog lines, whole percent (0–100); the hub
    /// re-prices the order with it (`crate::pricing`).
    #[autosurgeon(missing = "Default::default")]
    pub discount_pct: u32,
    /// Custom fields' values by key (`crate::custom_field`).
    #[autosurgeon(missing = "Default::default")]
    pub custom: std::collections::BTreeMap<String, String>,
}

impl LineRecord {
    /// What the line costs after its discount, haléře (saturating).
    pub fn total(&self) -> i64 {
        self.unit_price
            .saturating_mul(i64::from(self.quantity))
            .saturating_sub(self.discount)
    }
}

impl OrderRecord {
    /// The order's total after line discounts, haléře.
    pub fn total(&self) -> i64 {
        self.lines.iter().map(LineRecord::total).sum()
    }
}

/// A message for the adviser, written by the hub.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct InboxRecord {
    /// When (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub at: String,
    /// `rejection`, `note`, `notification`.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub kind: String,
    /// What it is about, e.g. `orders/<id>`.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub about: String,
    /// Czech text (the app's default language).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub text_cs: String,
    /// English text.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub text_en: String,
    /// Read on the device.
    #[autosurgeon(missing = "Default::default")]
    pub read: bool,
}

/// One movement of the sample case: items are never a mutable count, only entries
/// whose sum is the stock (so two phones recording sales offline both count).
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct CaseMovementRecord {
    /// Catalog product id (or SKU for items outside the catalog).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub product: String,
    /// Signed change of the stock: +2 issued to the case, −1 sold, …
    #[autosurgeon(missing = "Default::default")]
    pub quantity: i64,
    /// `issue`, `sale`, `return`, `count` (inventory correction).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub kind: String,
    /// When (RFC 3339).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub at: String,
    /// Free note.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub note: String,
    /// Set by the hub when the movement breaks a rule (e.g. stock below zero); the
    /// reason code. Rejected movements do not count towards the stock.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub rejected: String,
}

/// A planned visit or a task (call the client back, bring frames, eye-exam
/// reminder). Written by the adviser's devices; `done_at` set when done.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct VisitRecord {
    /// The client's id (empty for a task not tied to a client).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub client: String,
    /// `visit`, `task`, `exam_reminder`, `lens_reminder` (the last two the hub's
    /// reminders: `crate::reminder`).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub kind: String,
    /// What to do.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub title: String,
    /// When (RFC 3339 date-time, or a date `YYYY-MM-DD`).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub planned_for: String,
    /// Free note.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub note: String,
    /// When done (RFC 3339); empty while open.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub done_at: String,
}

/// Kinds of visit records.
pub const VISIT_KINDS: [&str; 4] = ["visit", "task", "exam_reminder", "lens_reminder"];

impl VisitRecord {
    /// The date it is planned for, if `planned_for` reads as a date or date-time.
    pub fn planned_date(&self) -> Option<time::Date> {
        use time::format_description::well_known::Rfc3339;
        if let Ok(at) = time::OffsetDateTime::parse(&self.planned_for, &Rfc3339) {
            return Some(at.date());
        }
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(&self.planned_for, &fmt).ok()
    }

    /// Required fields, as field errors for the form (and the hub's check).
    pub fn problems(&self) -> Vec<crate::FieldError> {
        use crate::validate::{FieldError, Problem};
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push(FieldError::new("title", Problem::Required));
        }
        if !VISIT_KINDS.contains(&self.kind.as_str()) {
            out.push(FieldError::new("kind", Problem::Invalid));
        }
        if self.planned_date().is_none() {
            out.push(FieldError::new(
                "planned_for",
                if self.planned_for.is_empty() {
                    Problem::Required
                } else {
                    Problem::Invalid
                },
            ));
        }
        out
    }
}

/// Stock per product from movements (rejected ones excluded).
pub fn case_stock<'a>(
    movements: impl IntoIterator<Item = &'a CaseMovementRecord>,
) -> std::collections::BTreeMap<String, i64> {
    let mut stock = std::collections::BTreeMap::new();
    for m in movements.into_iter().filter(|m| m.rejected.is_empty()) {
        *stock.entry(m.product.clone()).or_insert(0) += m.quantity;
    }
    stock
}

/// Movements that would take a product's stock below zero, in time order
/// (then id): the ones the hub rejects. Movements already rejected are skipped.
pub fn movements_below_zero(movements: &[(String, CaseMovementRecord)]) -> Vec<String> {
    let mut ordered: Vec<&(String, CaseMovementRecord)> = movements
        .iter()
        .filter(|(_, m)| m.rejected.is_empty())
        .collect();
    ordered.sort_by(|(ia, a), (ib, b)| a.at.cmp(&b.at).then(ia.cmp(ib)));
    let mut stock = std::collections::BTreeMap::<&str, i64>::new();
    let mut bad = Vec::new();
    for (id, m) in ordered {
        let level = stock.entry(m.product.as_str()).or_insert(0);
        if *level + m.quantity < 0 {
            bad.push(id.clone());
        } else {
            *level += m.quantity;
        }
    }
    bad
}

impl ClientRecord {
    /// The phone's last nine digits (the Czech national number), if it has them.
    pub(crate) fn phone_key(&self) -> Option<String> {
        let digits: String = self.phone.chars().filter(char::is_ascii_digit).collect();
        (digits.len() >= 9).then(|| digits[digits.len() - 9..].to_owned())
    }

    /// The e-mail, trimmed and lower-cased, if any.
    pub(crate) fn email_key(&self) -> Option<String> {
        let e = self.email.trim().to_lowercase();
        (!e.is_empty()).then_some(e)
    }

    /// True when both have the same phone number (however written) or e-mail.
    pub fn shares_contact(&self, other: &ClientRecord) -> bool {
        let same = |a: Option<String>, b: Option<String>| a.is_some() && a == b;
        same(self.phone_key(), other.phone_key()) || same(self.email_key(), other.email_key())
    }
}

/// The clients among `others` (other than `id`) sharing a phone or e-mail with
/// `client`: the new-client form warns before a duplicate is made.
pub fn duplicates_of<'a, K: PartialEq + ?Sized + 'a>(
    id: &K,
    client: &ClientRecord,
    others: impl IntoIterator<Item = (&'a K, &'a ClientRecord)>,
) -> Vec<&'a K> {
    others
        .into_iter()
        .filter(|(other_id, other)| *other_id != id && client.shares_contact(other))
        .map(|(other_id, _)| other_id)
        .collect()
}

/// Why the office could not take a record, as written into the inbox entry's id.
pub const SKIPPED_VARIABLE_SYMBOL_TAKEN: &str = "variable_symbol_taken";
/// The record's client is missing at the office.
pub const SKIPPED_UNKNOWN_CLIENT: &str = "unknown_client";
/// The record does not read as its kind (e.g. a number where the schema wants text).
pub const SKIPPED_UNREADABLE: &str = "unreadable";
/// A timestamp of the record is there but not RFC 3339.
pub const SKIPPED_UNREADABLE_TIME: &str = "unreadable_time";
/// The record's id belongs to another adviser's record.
pub const SKIPPED_FOREIGN: &str = "foreign";

/// The id of the inbox entry that reports record `map/id` skipped for `reason`
/// (one entry per record and reason; the phone reads the reason from it).
pub fn skipped_inbox_id(map: &str, reason: &str, id: &str) -> String {
    format!("skipped-{map}-{reason}-{id}")
}

/// The variable symbol for an adviser's next order taken in the field:
/// `9` + the adviser's number (last four digits of their code) + a five-digit
/// sequence, one above the highest already in `taken`. Two phones of one adviser
/// offline may pick the same; the hub reports the second and the adviser assigns a
/// new one.
pub fn field_variable_symbol<'a>(
    adviser_code: &str,
    taken: impl IntoIterator<Item = &'a str>,
) -> String {
    let digits: String = adviser_code.chars().filter(char::is_ascii_digit).collect();
    let number: u32 = digits[digits.len().saturating_sub(4)..]
        .parse()
        .unwrap_or(0);
    let prefix = format!("9{number:04}");
    let next = taken
        .into_iter()
        .filter_map(|vs| vs.strip_prefix(prefix.as_str()))
        .filter(|rest| rest.len() == 5)
        .filter_map(|rest| rest.parse::<u32>().ok())
        .max()
        .map_or(1, |n| n + 1);
    format!("{prefix}{:05}", next % 100_000)
}

/// The record maps that hold field data.
pub const CLIENTS: &str = "clients";
/// Prescriptions.
pub const PRESCRIPTIONS: &str = "prescriptions";
/// Orders.
pub const ORDERS: &str = "orders";
/// Inbox.
pub const INBOX: &str = "inbox";
/// Sample-case movements.
pub const CASE_MOVEMENTS: &str = "case_movements";
/// Visits and tasks.
pub const VISITS: &str = "visits";

#[cfg(test)]
mod tests;
