//! The JSON shapes of `/api/v1/customers` (documented through their `ToSchema`) and
//! the list's page cursor. Times are RFC 3339 in UTC; amounts whole haléř.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::records::ClientRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::customers::store::{ConsentChannel, CustomerCard, CustomerCursor, CustomerSummary};
use crate::store::sql::rfc3339;

/// How to narrow and sort the list. Every parameter is optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerListParams {
    /// Full-text search as in the office: name (diacritics ignored), phone however
    /// written, e-mail, street, town, postal code; words match by prefix; a search
    /// lists the newest customers first. At most 200 characters are used.
    pub q: Option<String>,
    /// Only this adviser's customers (UUID).
    pub adviser: Option<String>,
    /// Only customers of this store (their adviser's home store; UUID).
    pub store: Option<String>,
    /// `true`: only those whose current e-mail consent is given; `false`: the others.
    pub email_consent: Option<String>,
    /// The same for SMS.
    pub sms_consent: Option<String>,
    /// `name` (default), `name_desc`, `newest` or `oldest` (ignored by a search).
    pub sort: Option<String>,
    /// `next` of the previous page.
    pub after: Option<String>,
    /// 1–500, default 50.
    pub limit: Option<String>,
}

/// A customer in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerItem {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    /// Their adviser's name (empty: none).
    pub adviser: String,
    /// Their store's name (empty: none).
    pub store: String,
    /// How many orders they have, and when they ordered last.
    pub orders: i64,
    pub last_order: Option<String>,
    pub created_at: String,
}

impl From<&CustomerSummary> for CustomerItem {
    fn from(c: &CustomerSummary) -> Self {
        CustomerItem {
            id: c.id.to_string(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            street: c.street.clone(),
            city: c.city.clone(),
            postal_code: c.postal_code.clone(),
            adviser: c.adviser_name.clone(),
            store: c.shop_name.clone(),
            orders: c.orders,
            last_order: c.last_order.map(rfc3339),
            created_at: rfc3339(c.created_at),
        }
    }
}

/// One page of customers.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPage {
    pub customers: Vec<CustomerItem>,
    /// Pass as `after` for the next page; absent on the last one.
    pub next: Option<String>,
}

/// A customer's editable fields. On create, missing ones are empty; on an edit
/// (`seen` and `set`), missing ones are taken as unchanged.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct CustomerFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Czech numbers, however written; stored as `+420 603 123 456`.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    /// Stored as `301 00`.
    pub postal_code: Option<String>,
    pub note: Option<String>,
    /// Custom fields' values by key (`/api/v1/custom-fields`); on an edit, the keys
    /// given are set (empty clears), the others unchanged.
    pub custom: Option<std::collections::BTreeMap<String, String>>,
}

impl CustomerFields {
    /// `base` with these fields set over it.
    pub fn over(&self, base: &ClientRecord) -> ClientRecord {
        let pick = |v: &Option<String>, b: &String| v.clone().unwrap_or_else(|| b.clone());
        ClientRecord {
            first_name: pick(&self.first_name, &base.first_name),
            last_name: pick(&self.last_name, &base.last_name),
            phone: pick(&self.phone, &base.phone),
            email: pick(&self.email, &base.email),
            street: pick(&self.street, &base.street),
            city: pick(&self.city, &base.city),
            postal_code: pick(&self.postal_code, &base.postal_code),
            note: pick(&self.note, &base.note),
            created_at: String::new(),
            merged_into: String::new(),
            custom: {
                let mut custom = base.custom.clone();
                for (k, v) in self.custom.iter().flatten() {
                    custom.insert(k.clone(), v.clone());
                }
                custom
            },
        }
    }
}

/// A new customer.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerIn {
    #[serde(flatten)]
    pub fields: CustomerFields,
    /// The adviser to give them to (UUID): they reach the adviser's phone. Absent:
    /// the office's own customer.
    pub adviser: Option<String>,
    /// Save even if other customers may be the same person (409 names them).
    #[serde(default)]
    pub allow_duplicates: bool,
}

/// An edit: the values the caller read (`seen`, from the card) and the ones to set.
/// Only fields that differ from `seen` are written; one someone changed meanwhile
/// to another value refuses the edit (409), nothing written.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomerEdit {
    pub seen: CustomerFields,
    pub set: CustomerFields,
    #[serde(default)]
    pub allow_duplicates: bool,
}

/// What an edit changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Changed {
    /// The fields written (empty: nothing changed).
    pub changed: Vec<String>,
}

/// A created customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// A consent's current state.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentOut {
    pub channel: String,
    pub granted: bool,
    pub given_at: String,
    pub place: String,
    pub evidence: String,
    pub recorded_by: String,
}

/// A note or logged call.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryNoteOut {
    /// `note`, `call_in` or `call_out`.
    pub kind: String,
    pub body: String,
    pub author: String,
    pub at: String,
}

/// A prescription on the card.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrescriptionOut {
    pub id: String,
    pub measured_by: String,
    pub measured_on: String,
    pub valid_until: String,
}

/// An order on the card.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerOrderOut {
    pub id: String,
    pub number: String,
    pub status: String,
    pub total: i64,
    pub paid: i64,
    pub created_at: String,
}

/// Everything the office shows of a customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerCardOut {
    pub id: String,
    /// The editable fields, as stored: send them back as `seen` to edit.
    pub fields: CustomerFields,
    /// The adviser whose phone holds the customer (UUID; absent: the office's own).
    pub adviser: Option<String>,
    pub adviser_name: String,
    pub store: String,
    pub created_at: String,
    pub updated_at: String,
    /// The current consent per channel (absent: never given).
    pub email_consent: Option<ConsentOut>,
    pub sms_consent: Option<ConsentOut>,
    /// The language of their messages: `cs` or `en`.
    pub lang: String,
    /// Newest first.
    pub prescriptions: Vec<PrescriptionOut>,
    pub orders: Vec<CustomerOrderOut>,
    pub history: Vec<HistoryNoteOut>,
    /// The customer this record was merged into (UUID; absent: not merged). A
    /// merged record is kept only to resolve what names it.
    pub merged_into: Option<String>,
}

impl From<&CustomerCard> for CustomerCardOut {
    fn from(c: &CustomerCard) -> Self {
        let r = c.record();
        let consent = |ch: ConsentChannel| {
            c.consent(ch).map(|x| ConsentOut {
                channel: ch.code().into(),
                granted: x.granted,
                given_at: rfc3339(x.given_at),
                place: x.place.clone(),
                evidence: x.evidence.clone(),
                recorded_by: x.author.clone(),
            })
        };
        CustomerCardOut {
            id: c.id.to_string(),
            fields: CustomerFields {
                first_name: Some(r.first_name),
                last_name: Some(r.last_name),
                phone: Some(r.phone),
                email: Some(r.email),
                street: Some(r.street),
                city: Some(r.city),
                postal_code: Some(r.postal_code),
                note: Some(r.note),
                custom: Some(r.custom),
            },
            adviser: c.adviser.map(|a| a.to_string()),
            adviser_name: c.adviser_name.clone(),
            store: c.shop_name.clone(),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            lang: c.lang.code().into(),
            email_consent: consent(ConsentChannel::Email),
            sms_consent: consent(ConsentChannel::Sms),
            prescriptions: c
                .prescriptions
                .iter()
                .map(|p| PrescriptionOut {
                    id: p.id.to_string(),
                    measured_by: p.measured_by.clone(),
                    measured_on: p.measured_on.to_string(),
                    valid_until: p.valid_until.to_string(),
                })
                .collect(),
            orders: c
                .orders
                .iter()
                .map(|o| CustomerOrderOut {
                    id: o.id.to_string(),
                    number: o.variable_symbol.clone(),
                    status: o.status.code().into(),
                    total: o.total.haler(),
                    paid: o.paid.haler(),
                    created_at: rfc3339(o.created_at),
                })
                .collect(),
            history: c
                .notes
                .iter()
                .map(|n| HistoryNoteOut {
                    kind: n.kind.code().into(),
                    body: n.body.clone(),
                    author: n.author.clone(),
                    at: rfc3339(n.at),
                })
                .collect(),
            merged_into: c.merged_into.map(|m| m.to_string()),
        }
    }
}

/// The list's cursor as text: id, creation time (ns) and sort name.
pub fn encode_cursor(c: &CustomerCursor) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "{}|{}|{}",
        c.id,
        c.created_at.unix_timestamp_nanos(),
        c.sort_name
    ))
}

/// The cursor `encode_cursor` made; `None` for anything else.
pub fn decode_cursor(text: &str) -> Option<CustomerCursor> {
    if text.len() > 400 {
        return None;
    }
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
    let mut parts = raw.splitn(3, '|');
    let id = parts.next()?.parse::<uuid::Uuid>().ok()?;
    let nanos = parts.next()?.parse::<i128>().ok()?;
    let sort_name = parts.next()?.to_owned();
    Some(CustomerCursor {
        id: ClientId::from_uuid(id),
        created_at: time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?,
        sort_name,
    })
}
