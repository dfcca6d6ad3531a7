//! The order card: one order with its client, the prescription it was made from,
//! lines, notes and history, read for a role (private notes only for the roles that
//! may read them); and appending a note (its history event, audit entry and search
//! body in the same go).

use fieldcase_shared::order::notes::NoteKind;
use fieldcase_shared::{Money, OrderId, OrderStatus, Prescription, Role, VatRate, vat_from_gross};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::orders::store::history::{OrderEvent, event_in, field, order_exists};
use crate::orders::store::{Delivery, OrderLineRow};
use crate::store::actor::{Actor, Via};
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, parse};

/// The client as the card shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardClient {
    pub id: fieldcase_shared::ClientId,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
}

/// One note of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderNote {
    /// Who it is for.
    pub kind: NoteKind,
    /// Text.
    pub body: String,
    /// Author as shown (name).
    pub author: String,
    /// When.
    pub at: OffsetDateTime,
}

/// Everything the office shows of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderCard {
    pub id: OrderId,
    pub variable_symbol: String,
    pub status: OrderStatus,
    pub total: Money,
    pub deposit: Money,
    /// Allocated by the office from bank payments (`money/`).
    pub settled: Money,
    pub coupon: String,
    pub coupon_discount: Money,
    pub discount_pct: i64,
    /// Custom fields' values by key.
    pub custom: std::collections::BTreeMap<String, String>,
    /// The adviser's note from the phone.
    pub note: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub client: CardClient,
    pub adviser_name: String,
    pub shop_name: String,
    /// The prescription the order was made from (unreadable data: none).
    pub prescription: Option<Prescription>,
    pub lines: Vec<OrderLineRow>,
    /// Notes the reader may read, oldest first.
    pub notes: Vec<OrderNote>,
    /// Changes the reader may see, oldest first.
    pub history: Vec<OrderEvent>,
    /// Carrier and tracking number.
    pub delivery: Delivery,
    /// The live token of the order's public page, if it has one.
    pub link: Option<String>,
}

impl OrderCard {
    /// The statuses the order went through, with when, from its history (oldest
    /// first; orders seeded before the history existed have none).
    pub fn status_steps(&self) -> Vec<(OffsetDateTime, OrderStatus)> {
        self.history
            .iter()
            .filter(|e| e.field == field::STATUS || e.field == field::CREATED)
            .filter_map(|e| e.new.parse().ok().map(|s| (e.at, s)))
            .collect()
    }

    /// The deposit and the bank's payments against the total.
    pub fn payment(&self) -> fieldcase_shared::order::payment::Payment {
        fieldcase_shared::order::payment::Payment {
            total: self.total,
            deposit: self.deposit,
            settled: self.settled,
        }
    }

    /// What is left to pay.
    pub fn to_pay(&self) -> Money {
        self.payment().left()
    }
}

/// A line's gross after its discount.
pub fn line_gross(line: &OrderLineRow) -> Money {
    Money::from_haler(
        line.unit_price
            .haler()
            .saturating_mul(line.quantity)
            .saturating_sub(line.discount.haler()),
    )
}

/// Base and VAT per rate (basis points), highest rate first.
pub fn vat_breakdown(lines: &[OrderLineRow]) -> Vec<(i64, Money, Money)> {
    let mut rates: Vec<i64> = lines.iter().map(|l| l.vat_bp).collect();
    rates.sort_unstable_by(|a, b| b.cmp(a));
    rates.dedup();
    rates
        .into_iter()
        .map(|bp| {
            let gross: Money = lines
                .iter()
                .filter(|l| l.vat_bp == bp)
                .map(line_gross)
                .sum();
            let rate = u8::try_from(bp / 100)
                .ok()
                .and_then(VatRate::from_percent)
                .unwrap_or(VatRate::ZERO);
            let (base, vat) = vat_from_gross(gross, rate);
            (bp, base, vat)
        })
        .collect()
}

impl SqlStore {
    /// The card of `order` as `reader` may see it; `None` when there is no such order.
    pub(crate) async fn read_order_card(
        &self,
        order: OrderId,
        reader: Role,
    ) -> StoreResult<Option<OrderCard>> {
        type Head = (
            Uuid,
            String,
            String,
            i64,
            i64,
            String,
            i64,
            i64,
            String,
            OffsetDateTime,
            OffsetDateTime,
            String,
            String,
            Option<String>,
            String,
            i64,
        );
        type Who = (
            Uuid,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<sqlx::types::Json<serde_json::Value>>,
        );
        type Line = (Uuid, i64, Option<Uuid>, String, i64, i64, i64, i64);
        type Note = (String, String, String, OffsetDateTime);
        type Event = (OffsetDateTime, String, String, String, String, String);
        let id = order.as_uuid();
        type Found = (Head, Who, Vec<Line>, Vec<Note>, Vec<Event>);
        let found: Option<Found> = on_db!(self, pool => {
            let head: Option<Head> = sqlx::query_as(
                "SELECT id, variable_symbol, status, total_haler, deposit_haler, coupon_code, coupon_discount_haler, \
                 CAST(discount_pct AS BIGINT), note, created_at, updated_at, carrier, tracking_number, \
                 (SELECT token FROM order_links l WHERE l.order_id = orders.id AND l.revoked_at IS NULL), custom, COALESCE((SELECT settled_haler FROM order_settled WHERE order_id = orders.id), 0) FROM orders WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
            .classify()?;
            match head {
                None => None,
                Some(head) => {
                    let who: Who = sqlx::query_as(
                        "SELECT c.id, c.first_name, c.last_name, c.phone, c.email, c.street, c.city, c.postal_code, \
                         u.name, s.name, p.data FROM orders o JOIN clients c ON c.id = o.client_id \
                         LEFT JOIN advisers a ON a.id = o.adviser_id LEFT JOIN users u ON u.id = a.user_id \
                         LEFT JOIN shops s ON s.id = o.shop_id LEFT JOIN prescriptions p ON p.id = o.prescription_id \
                         WHERE o.id = $1",
                    )
                    .bind(id)
                    .fetch_one(pool)
                    .await
                    .classify()?;
                    let lines: Vec<Line> = sqlx::query_as(
                        "SELECT id, position, product_id, text, quantity, unit_price_haler, vat_bp, discount_haler \
                         FROM order_lines WHERE order_id = $1 ORDER BY position",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await
                    .classify()?;
                    let notes: Vec<Note> = sqlx::query_as(
                        "SELECT n.kind, n.body, COALESCE(u.name, n.author), n.at FROM order_notes n \
                         LEFT JOIN users u ON u.id = n.author_id WHERE n.order_id = $1 ORDER BY n.at, n.id",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await
                    .classify()?;
                    let events: Vec<Event> = sqlx::query_as(
                        "SELECT e.at, e.source, COALESCE(u.name, e.actor), e.field, e.old_value, e.new_value \
                         FROM order_events e LEFT JOIN users u ON u.id = e.actor_id \
                         WHERE e.order_id = $1 ORDER BY e.at, e.id",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await
                    .classify()?;
                    Some((head, who, lines, notes, events))
                }
            }
        });
        let Some((head, who, lines, notes, events)) = found else {
            return Ok(None);
        };
        let (
            _,
            vs,
            status,
            total,
            deposit,
            coupon,
            coupon_discount,
            pct,
            note,
            created,
            updated,
            carrier,
            number,
            link,
            custom,
            settled,
        ) = head;
        let (client, first, last, phone, email, street, city, postal, adviser, shop, rx) = who;
        let prescription = rx.and_then(|j| serde_json::from_value::<Prescription>(j.0).ok());
        let mut card_notes = Vec::with_capacity(notes.len());
        for (kind, body, author, at) in notes {
            let kind: NoteKind = parse("order_notes.kind", &kind)?;
            if kind.may_read(reader) {
                card_notes.push(OrderNote {
                    kind,
                    body,
                    author,
                    at,
                });
            }
        }
        let history = events
            .into_iter()
            .map(|(at, source, actor, field, old, new)| OrderEvent {
                at,
                via: Via::from_code(&source),
                actor,
                field,
                old,
                new,
            })
            .filter(|e| !e.is_private() || NoteKind::Private.may_read(reader))
            .collect();
        Ok(Some(OrderCard {
            id: order,
            variable_symbol: vs,
            status: parse("orders.status", &status)?,
            total: Money::from_haler(total),
            deposit: Money::from_haler(deposit),
            settled: Money::from_haler(settled),
            coupon,
            coupon_discount: Money::from_haler(coupon_discount),
            discount_pct: pct,
            custom: crate::customers::store::fields::values_from_json(&custom),
            note,
            created_at: created,
            updated_at: updated,
            client: CardClient {
                id: fieldcase_shared::ClientId::from_uuid(client),
                first_name: first,
                last_name: last,
                phone,
                email,
                street,
                city,
                postal_code: postal,
            },
            adviser_name: adviser.unwrap_or_default(),
            shop_name: shop.unwrap_or_default(),
            prescription,
            lines: lines
                .into_iter()
                .map(
                    |(line, position, product, text, quantity, price, vat, discount)| {
                        OrderLineRow {
                            id: fieldcase_shared::OrderLineId::from_uuid(line),
                            order,
                            position,
                            product: product.map(fieldcase_shared::ProductId::from_uuid),
                            text,
                            quantity,
                            unit_price: Money::from_haler(price),
                            vat_bp: vat,
                            discount: Money::from_haler(discount),
                        }
                    },
                )
                .collect(),
            notes: card_notes,
            history,
            delivery: Delivery::from_sql(&carrier, number),
            link,
        }))
    }

    /// Appends a note to `order` (already checked: `fieldcase_shared::order::notes::check_note`).
    pub(crate) async fn append_order_note(
        &self,
        actor: &Actor,
        order: OrderId,
        kind: NoteKind,
        body: &str,
    ) -> StoreResult<()> {
        let id = order.as_uuid();
        let actor_id = actor.user.map(|u| u.as_uuid());
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            if !order_exists!(tx, id) {
                return Err(StoreError::NotFound("order"));
            }
            sqlx::query(
                "INSERT INTO order_notes (id, order_id, kind, body, author_id, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(kind.code())
            .bind(body)
            .bind(actor_id)
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            let field = format!("{}{}", field::NOTE_PREFIX, kind.code());
            event_in!(&mut *tx, id, actor.via, actor_id, &actor.label, &field, "", body)?;
            audit_in!(&mut *tx, actor, "order.note", order.to_string(), kind.code())?;
            tx.commit().await?;
        });
        self.index_orders(&[order]).await
    }
}
