//! The JSON shapes of `/api/v1/orders` (documented in the OpenAPI document through
//! their `ToSchema`), and the list's page cursor. Amounts are whole haléř; times are
//! RFC 3339 in UTC; statuses, note kinds and carriers are their stable codes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fieldcase_shared::{Money, OrderId, Role, allowed_targets};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::orders::store::card::vat_breakdown;
use crate::orders::store::{Cursor, Delivery, OrderCard, OrderSummary};
use crate::state::AppState;
use crate::store::sql::rfc3339;

/// An error: what went wrong, and for bad input, which fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: String,
    /// The fields that are wrong, each with why.
    pub fields: Option<Vec<FieldProblem>>,
}

/// The answers every write of an order may give besides its own: a body that is
/// not JSON of the shape, no valid key, a key or role not allowed, no such order.
#[derive(utoipa::IntoResponses)]
pub enum WriteRefusals {
    /// The body is not JSON of this shape.
    #[response(status = 400)]
    BadBody(ErrorBody),
    /// No valid API key.
    #[response(status = 401)]
    NoKey(ErrorBody),
    /// The key lacks `orders:write`, or the role may not do this.
    #[response(status = 403)]
    NotAllowed(ErrorBody),
    /// No such order.
    #[response(status = 404)]
    NoOrder(ErrorBody),
}

/// One wrong field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The JSON member or query parameter.
    pub field: String,
    /// Why it cannot be taken.
    pub message: String,
}

/// How to narrow and sort the list. Every parameter is optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Full-text search as in the office: order number, client name (diacritics
    /// ignored), phone however written, e-mail, product names and notes (private
    /// notes only for roles that read them); words match by prefix. At most 200
    /// characters are used.
    pub q: Option<String>,
    /// Only this status (a code, e.g. `confirmed`).
    pub status: Option<String>,
    /// Only this store's orders (its id).
    #[param(format = "uuid")]
    pub store: Option<String>,
    /// Only this adviser's orders (their id).
    #[param(format = "uuid")]
    pub adviser: Option<String>,
    /// Only orders that came in this way: `adviser`, `store` or `eshop`.
    pub channel: Option<String>,
    /// Only orders created on or after this day (Prague time), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Only orders created on or before this day (Prague time), `YYYY-MM-DD`.
    #[param(format = Date)]
    pub until: Option<String>,
    /// `paid` or `unpaid` (cancelled orders owe nothing).
    pub paid: Option<String>,
    /// `newest` (default), `oldest`, `total_desc`, `total_asc`, `number_asc`, `number_desc`.
    pub sort: Option<String>,
    /// Where the page starts: `next` of the previous page.
    pub after: Option<String>,
    /// Orders per page, 1–500 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
}

/// One page of the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    /// The orders.
    pub orders: Vec<OrderItem>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// An order as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderItem {
    /// Id.
    #[schema(format = "uuid")]
    pub id: String,
    /// The order number (the variable symbol of its payments).
    pub number: String,
    /// Status code.
    pub status: String,
    /// Client, `Last First`.
    pub client: String,
    /// The adviser who took it.
    pub adviser: String,
    /// Gross total, haléř.
    pub total: i64,
    /// Paid so far, haléř.
    pub deposit: i64,
    /// Whether nothing is left to pay.
    pub paid: bool,
    /// The coupon used (empty: none).
    pub coupon: String,
    /// Created (RFC 3339).
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&OrderSummary> for OrderItem {
    fn from(o: &OrderSummary) -> Self {
        OrderItem {
            id: o.id.to_string(),
            number: o.variable_symbol.clone(),
            status: o.status.code().into(),
            client: o.client_name.clone(),
            adviser: o.adviser_name.clone(),
            total: o.total.haler(),
            deposit: o.deposit.haler(),
            paid: o.paid(),
            coupon: o.coupon.clone(),
            created_at: rfc3339(o.created_at),
        }
    }
}

/// `after`: the row a page ended at, opaque to clients.
pub fn encode_cursor(c: &Cursor) -> String {
    let raw = format!(
        "{}|{}|{}|{}",
        c.id,
        c.created_at.unix_timestamp_nanos(),
        c.total.haler(),
        c.variable_symbol
    );
    URL_SAFE_NO_PAD.encode(raw)
}

/// The cursor `encode_cursor` made; `None` for anything else.
pub fn decode_cursor(text: &str) -> Option<Cursor> {
    if text.len() > 200 {
        return None;
    }
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
    let mut parts = raw.splitn(4, '|');
    let id = parts.next()?.parse::<uuid::Uuid>().ok()?;
    let nanos = parts.next()?.parse::<i128>().ok()?;
    let total = parts.next()?.parse::<i64>().ok()?;
    let variable_symbol = parts.next()?.to_owned();
    Some(Cursor {
        id: OrderId::from_uuid(id),
        created_at: time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?,
        total: Money::from_haler(total),
        variable_symbol,
    })
}

/// The client as the card shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientOut {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
}

/// A line of the order.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineOut {
    /// Position (from 0).
    pub position: i64,
    /// The catalog product, if the line has one.
    #[schema(format = "uuid")]
    pub product: Option<String>,
    /// Text.
    pub text: String,
    pub quantity: i64,
    /// Gross unit price, haléř.
    pub unit_price: i64,
    /// VAT rate in basis points (2100 = 21 %).
    pub vat_bp: i64,
    /// Discount on the line, haléř.
    pub discount: i64,
}

/// Base and VAT of one rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct VatOut {
    /// Rate in basis points.
    pub vat_bp: i64,
    /// Base, haléř.
    pub base: i64,
    /// VAT, haléř.
    pub vat: i64,
}

/// A note of the order.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteOut {
    /// `customer`, `lab` or `private`.
    pub kind: String,
    pub body: String,
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    pub at: String,
}

/// One change in the order's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOut {
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    pub at: String,
    /// From where: `phone`, `office`, `cli`, `api` or `hub`.
    pub source: String,
    /// Who.
    pub actor: String,
    /// What changed (`status`, `lines`, `total`, `note:customer`, `tracking`, …).
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Carrier and tracking number.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    /// Carrier code (absent: none yet).
    pub carrier: Option<String>,
    /// The tracking number, normalised.
    pub tracking: String,
    /// The carrier's public tracking page for the number (empty: none).
    pub tracking_url: String,
}

impl DeliveryOut {
    pub(crate) fn new(state: &AppState, d: &Delivery) -> Self {
        DeliveryOut {
            carrier: d.carrier.map(|c| c.code().into()),
            tracking: d.number.clone(),
            tracking_url: d
                .carrier
                .map(|c| state.config.tracking_url(c, &d.number))
                .unwrap_or_default(),
        }
    }
}

/// Everything the office shows of one order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderCardOut {
    #[schema(format = "uuid")]
    pub id: String,
    /// The order number (variable symbol).
    pub number: String,
    /// Status code.
    pub status: String,
    /// The statuses the caller's role may move the order to.
    pub moves: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    pub client: ClientOut,
    pub adviser: String,
    pub store: String,
    /// The prescription the order was made from (both eyes: sph, cyl, axis, add,
    /// prism, PD, fitting height; who measured it and when), as the phone records it.
    #[schema(value_type = Option<Object>)]
    pub prescription: Option<serde_json::Value>,
    pub lines: Vec<LineOut>,
    /// Gross total, haléř.
    pub total: i64,
    /// Base and VAT per rate, highest rate first.
    pub vat: Vec<VatOut>,
    /// The adviser's discount, per cent.
    pub discount_pct: i64,
    /// Custom fields' values by key (`/api/v1/custom-fields`).
    pub custom: std::collections::BTreeMap<String, String>,
    /// The coupon (empty: none) and what it took off, haléř.
    pub coupon: String,
    pub coupon_discount: i64,
    /// Paid so far, haléř.
    pub deposit: i64,
    /// Left to pay, haléř.
    pub to_pay: i64,
    /// The adviser's note from the phone.
    pub note: String,
    /// The notes the caller's role may read, oldest first.
    pub notes: Vec<NoteOut>,
    /// The changes the caller's role may see, oldest first.
    pub history: Vec<EventOut>,
    pub delivery: DeliveryOut,
    /// The order's public page for the customer, if a link is issued.
    pub public_url: Option<String>,
}

impl OrderCardOut {
    pub(crate) fn new(state: &AppState, c: &OrderCard, role: Role) -> Self {
        OrderCardOut {
            id: c.id.to_string(),
            number: c.variable_symbol.clone(),
            status: c.status.code().into(),
            moves: allowed_targets(role, c.status)
                .into_iter()
                .map(|s| s.code().into())
                .collect(),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            client: ClientOut {
                first_name: c.client.first_name.clone(),
                last_name: c.client.last_name.clone(),
                phone: c.client.phone.clone(),
                email: c.client.email.clone(),
                street: c.client.street.clone(),
                city: c.client.city.clone(),
                postal_code: c.client.postal_code.clone(),
            },
            adviser: c.adviser_name.clone(),
            store: c.shop_name.clone(),
            prescription: c
                .prescription
                .as_ref()
                .and_then(|p| serde_json::to_value(p).ok()),
            lines: c
                .lines
                .iter()
                .map(|l| LineOut {
                    position: l.position,
                    product: l.product.map(|p| p.to_string()),
                    text: l.text.clone(),
                    quantity: l.quantity,
                    unit_price: l.unit_price.haler(),
                    vat_bp: l.vat_bp,
                    discount: l.discount.haler(),
                })
                .collect(),
            total: c.total.haler(),
            vat: vat_breakdown(&c.lines)
                .into_iter()
                .map(|(vat_bp, base, vat)| VatOut {
                    vat_bp,
                    base: base.haler(),
                    vat: vat.haler(),
                })
                .collect(),
            discount_pct: c.discount_pct,
            custom: c.custom.clone(),
            coupon: c.coupon.clone(),
            coupon_discount: c.coupon_discount.haler(),
            deposit: c.deposit.haler(),
            to_pay: c.to_pay().haler(),
            note: c.note.clone(),
            notes: c
                .notes
                .iter()
                .map(|n| NoteOut {
                    kind: n.kind.code().into(),
                    body: n.body.clone(),
                    author: n.author.clone(),
                    at: rfc3339(n.at),
                })
                .collect(),
            history: c
                .history
                .iter()
                .map(|e| EventOut {
                    at: rfc3339(e.at),
                    source: e.via.code().into(),
                    actor: e.actor.clone(),
                    field: e.field.clone(),
                    old: e.old.clone(),
                    new: e.new.clone(),
                })
                .collect(),
            delivery: DeliveryOut::new(state, &c.delivery),
            public_url: c
                .link
                .as_ref()
                .map(|t| format!("{}/o/{t}", state.config.public_url())),
        }
    }
}

/// A note to append.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteIn {
    /// `customer`, `lab` or `private`.
    pub kind: String,
    /// Text, up to 4,000 characters.
    pub body: String,
}

/// Carrier and tracking as the caller read them (the card's `delivery`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverySeen {
    /// Carrier code, or null/absent for none.
    pub carrier: Option<String>,
    /// Tracking number (empty or absent: none).
    pub tracking: Option<String>,
}

/// New carrier and tracking number, with what the caller read before.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryIn {
    /// Carrier code: `ceska_posta`, `ppl`, `dpd`, `packeta`, `gls`, `pickup`; null or
    /// absent clears the delivery.
    pub carrier: Option<String>,
    /// Tracking number in the carrier's format (spaces allowed).
    pub tracking: Option<String>,
    /// The delivery as the caller read it; the change is refused (409) if it is no
    /// longer so.
    pub previous: DeliverySeen,
}

/// A status move.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusIn {
    /// The status the caller read.
    pub from: String,
    /// The status to move to.
    pub to: String,
}

/// The status after a move.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusOut {
    pub status: String,
    /// The moves the caller's role may make next.
    pub moves: Vec<String>,
}
