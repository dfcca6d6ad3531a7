//! One customer's card: contacts and address, adviser and store, prescriptions as a
//! timeline (newest first, with their expiry) and orders with their statuses; one
//! indexed query per part.

use fieldcase_shared::{
    AdviserId, ClientId, Money, OrderId, OrderStatus, Prescription, PrescriptionId,
};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::customers::store::history::{Consent, ConsentChannel, CustomerNote};
use crate::customers::store::merge::MergeEntry;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, on_db, parse};

/// A prescription on the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPrescription {
    pub id: PrescriptionId,
    pub measured_by: String,
    pub measured_on: Date,
    pub valid_until: Date,
    /// Both eyes (unreadable data: none).
    pub data: Option<Prescription>,
}

impl CardPrescription {
    /// Days until it expires on `today`: 0 on its last valid day, negative once
    /// expired.
    pub fn days_left(&self, today: Date) -> i64 {
        (self.valid_until - today).whole_days()
    }
}

/// An order on the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerOrder {
    pub id: OrderId,
    pub variable_symbol: String,
    pub status: OrderStatus,
    pub total: Money,
    /// Paid: the deposit and the bank's payments allocated to it.
    pub paid: Money,
    pub created_at: OffsetDateTime,
}

/// Everything the office shows of one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCard {
    pub id: ClientId,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    /// The adviser's note from the phone.
    pub note: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The adviser whose workspace holds the customer.
    pub adviser: Option<AdviserId>,
    /// Their name and code (empty: none).
    pub adviser_name: String,
    pub adviser_code: String,
    /// The adviser's home store (empty: none).
    pub shop_name: String,
    /// Newest first.
    pub prescriptions: Vec<CardPrescription>,
    /// Newest first.
    pub orders: Vec<CustomerOrder>,
    /// Notes and logged calls, newest first.
    pub notes: Vec<CustomerNote>,
    /// Consents given and withdrawn, latest first (by when given).
    pub consents: Vec<Consent>,
    /// The customer this record was merged into (then it is kept only to resolve
    /// what still names it).
    pub merged_into: Option<ClientId>,
    /// When their personal data were erased (GDPR), if they were.
    pub erased_at: Option<OffsetDateTime>,
    /// Custom fields' values by key.
    pub custom: std::collections::BTreeMap<String, String>,
    /// The language of the messages they get (Czech unless set).
    pub lang: fieldcase_shared::Lang,
    /// The records merged into this one, newest first.
    pub merges: Vec<MergeEntry>,
}

impl CustomerCard {
    /// The current consent of `channel`: its latest record (`None`: never asked).
    pub fn consent(&self, channel: ConsentChannel) -> Option<&Consent> {
        self.consents.iter().find(|c| c.channel == channel)
    }

    /// The editable fields as a record (what an edit from the card saw).
    pub fn record(&self) -> fieldcase_shared::docs::records::ClientRecord {
        fieldcase_shared::docs::records::ClientRecord {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            street: self.street.clone(),
            city: self.city.clone(),
            postal_code: self.postal_code.clone(),
            note: self.note.clone(),
            created_at: String::new(),
            merged_into: String::new(),
            custom: self.custom.clone(),
        }
    }
}

/// The card's head row.
#[derive(sqlx::FromRow)]
struct Head {
    first_name: String,
    last_name: String,
    phone: String,
    email: String,
    street: String,
    city: String,
    postal_code: String,
    note: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    adviser_id: Option<Uuid>,
    adviser_name: Option<String>,
    adviser_code: Option<String>,
    shop_name: Option<String>,
    merged_into: Option<Uuid>,
    erased_at: Option<OffsetDateTime>,
    custom: String,
    lang: Option<String>,
}

/// A prescription row: id, who, measured, valid until, both eyes.
type RxRow = (
    Uuid,
    String,
    Date,
    Date,
    sqlx::types::Json<serde_json::Value>,
);
/// An order row: id, number, status, total, deposit, created.
type OrderRow = (Uuid, String, String, i64, i64, OffsetDateTime);

impl SqlStore {
    pub(crate) async fn read_customer_card(
        &self,
        client: ClientId,
    ) -> StoreResult<Option<CustomerCard>> {
        let id = client.as_uuid();
        let found: Option<(Head, Vec<RxRow>, Vec<OrderRow>)> = on_db!(self, pool => {
            let head: Option<Head> = sqlx::query_as(
                "SELECT c.first_name, c.last_name, c.phone, c.email, c.street, c.city, c.postal_code, c.note, \
                 c.created_at, c.updated_at, c.adviser_id, u.name AS adviser_name, a.code AS adviser_code, s.name AS shop_name, c.merged_into, c.erased_at, c.custom, \
                 cl.lang FROM clients c LEFT JOIN advisers a ON a.id = c.adviser_id LEFT JOIN users u ON u.id = a.user_id \
                 LEFT JOIN shops s ON s.id = a.home_shop_id LEFT JOIN customer_langs cl ON cl.client_id = c.id WHERE c.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
            .classify()?;
            match head {
                None => None,
                Some(head) => {
                    let rx: Vec<RxRow> = sqlx::query_as(
                        "SELECT id, measured_by, measured_on, valid_until, data FROM prescriptions \
                         WHERE client_id = $1 ORDER BY measured_on DESC, id DESC",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await
                    .classify()?;
                    let orders: Vec<OrderRow> = sqlx::query_as(
                        "SELECT id, variable_symbol, status, total_haler, deposit_haler + COALESCE((SELECT settled_haler FROM order_settled WHERE order_id = orders.id), 0), created_at FROM orders \
                         WHERE client_id = $1 ORDER BY created_at DESC, id DESC",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await
                    .classify()?;
                    Some((head, rx, orders))
                }
            }
        });
        let Some((h, rx, orders)) = found else {
            return Ok(None);
        };
        let orders = orders
            .into_iter()
            .map(|(id, vs, status, total, paid, created_at)| {
                Ok(CustomerOrder {
                    id: OrderId::from_uuid(id),
                    variable_symbol: vs,
                    status: parse("orders.status", &status)?,
                    total: Money::from_haler(total),
                    paid: Money::from_haler(paid),
                    created_at,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let (notes, consents) = self.read_history(client).await?;
        let merges = self.read_merges_into(client).await?;
        Ok(Some(CustomerCard {
            id: client,
            first_name: h.first_name,
            last_name: h.last_name,
            phone: h.phone,
            email: h.email,
            street: h.street,
            city: h.city,
            postal_code: h.postal_code,
            note: h.note,
            created_at: h.created_at,
            updated_at: h.updated_at,
            adviser: h.adviser_id.map(AdviserId::from_uuid),
            adviser_name: h.adviser_name.unwrap_or_default(),
            adviser_code: h.adviser_code.unwrap_or_default(),
            shop_name: h.shop_name.unwrap_or_default(),
            prescriptions: rx
                .into_iter()
                .map(|(id, by, on, until, data)| CardPrescription {
                    id: PrescriptionId::from_uuid(id),
                    measured_by: by,
                    measured_on: on,
                    valid_until: until,
                    data: serde_json::from_value(data.0).ok(),
                })
                .collect(),
            orders,
            notes,
            consents,
            merged_into: h.merged_into.map(ClientId::from_uuid),
            erased_at: h.erased_at,
            custom: super::fields::values_from_json(&h.custom),
            lang: h
                .lang
                .as_deref()
                .and_then(fieldcase_shared::Lang::from_code)
                .unwrap_or_default(),
            merges,
        }))
    }
}
