//! The events not planned yet, read with what their messages need: the order's
//! facts (or the booking's, or the customer's of an event without an order),
//! the channels the customer said no to, the adviser's push-able phones; and the
//! events the hub writes itself (a record its authority rejected).

use fieldcase_shared::{AdviserId, ClientId, Lang, Money, OrderId};
use time::OffsetDateTime;
use uuid::Uuid;

use super::super::rules::Facts;
use super::OpenEvent;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, on_db};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    status: String,
    order_id: Option<Uuid>,
    client_id: Option<Uuid>,
    adviser_id: Option<Uuid>,
    adviser_name: Option<String>,
    vs: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    total: Option<i64>,
    paid: Option<i64>,
    shop: Option<String>,
    token: Option<String>,
    amount: i64,
    detail: String,
    booking_id: Option<Uuid>,
    bk_name: Option<String>,
    bk_email: Option<String>,
    bk_phone: Option<String>,
    bk_token: Option<String>,
    bk_starts_at: Option<OffsetDateTime>,
    bk_place: Option<String>,
    bk_lang: Option<String>,
    adviser_lang: Option<String>,
}

impl SqlStore {
    /// Up to `limit` events not planned yet, oldest first.
    pub(super) async fn read_open_events(&self, limit: i64) -> StoreResult<Vec<OpenEvent>> {
        let rows: Vec<EventRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT CAST(e.id AS BIGINT) AS id, e.kind, e.status, o.id AS order_id, c.id AS client_id, a.id AS adviser_id, u.name AS adviser_name, \
             o.variable_symbol AS vs, c.first_name, c.last_name, c.email, c.phone, CAST(o.total_haler AS BIGINT) AS total, \
             CAST(o.deposit_haler + COALESCE((SELECT os.settled_haler FROM order_settled os WHERE os.order_id = o.id), 0) AS BIGINT) AS paid, \
             s.name AS shop, (SELECT l.token FROM order_links l WHERE l.order_id = o.id AND l.revoked_at IS NULL) AS token, \
             CAST(e.amount_haler AS BIGINT) AS amount, e.detail, bk.id AS booking_id, bk.name AS bk_name, bk.email AS bk_email, \
             bk.phone AS bk_phone, bk.token AS bk_token, bk.starts_at AS bk_starts_at, \
             CASE WHEN x.mobile THEN bk.address ELSE (s.street || ', ' || s.city) END AS bk_place, COALESCE(bk.lang, cl.lang) AS bk_lang, \
             u.lang AS adviser_lang \
             FROM care_events e LEFT JOIN orders o ON o.id = e.order_id LEFT JOIN bookings bk ON bk.id = e.booking_id \
             LEFT JOIN exam_shifts x ON x.id = bk.shift_id LEFT JOIN clients c ON c.id = COALESCE(o.client_id, bk.client_id, e.client_id) \
             LEFT JOIN customer_langs cl ON cl.client_id = c.id \
             LEFT JOIN advisers a ON a.id = COALESCE(e.adviser_id, o.adviser_id) LEFT JOIN users u ON u.id = a.user_id \
             LEFT JOIN shops s ON s.id = COALESCE(o.shop_id, bk.shop_id, a.home_shop_id) \
             WHERE NOT e.planned ORDER BY e.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await
        .classify())?;
        let mut clients: Vec<Uuid> = rows.iter().filter_map(|r| r.client_id).collect();
        let mut advisers: Vec<Uuid> = rows.iter().filter_map(|r| r.adviser_id).collect();
        clients.sort_unstable();
        clients.dedup();
        advisers.sort_unstable();
        advisers.dedup();
        let refused = self.refused_channels(&clients).await?;
        let phones = self.push_phones(&advisers).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let total = Money::from_haler(r.total.unwrap_or(0));
            let paid = Money::from_haler(r.paid.unwrap_or(0));
            out.push(OpenEvent {
                id: r.id,
                kind: r.kind,
                status: r.status.clone(),
                order: r.order_id.map(OrderId::from_uuid),
                client: r.client_id.map(ClientId::from_uuid),
                adviser: r.adviser_id.map(AdviserId::from_uuid),
                token: r.token,
                booking: r.booking_id,
                booking_token: r.bk_token,
                adviser_lang: r
                    .adviser_lang
                    .as_deref()
                    .and_then(Lang::from_code)
                    .unwrap_or_default(),
                facts: Facts {
                    lang: r
                        .bk_lang
                        .as_deref()
                        .and_then(Lang::from_code)
                        .unwrap_or_default(),
                    customer_name: r.bk_name.unwrap_or_else(|| {
                        format!(
                            "{} {}",
                            r.first_name.unwrap_or_default(),
                            r.last_name.unwrap_or_default()
                        )
                        .trim()
                        .to_owned()
                    }),
                    email: r.bk_email.or(r.email).unwrap_or_default(),
                    phone: r.bk_phone.or(r.phone).unwrap_or_default(),
                    booking_time: r
                        .bk_starts_at
                        .map(fieldcase_shared::calendar::prague_text)
                        .unwrap_or_default(),
                    booking_place: r.bk_place.unwrap_or_default(),
                    booking_link: String::new(),
                    vs: r.vs.unwrap_or_default(),
                    status: r.status,
                    total,
                    left_to_pay: if paid >= total {
                        Money::ZERO
                    } else {
                        total - paid
                    },
                    shop_name: r.shop.unwrap_or_default(),
                    link: String::new(),
                    amount: Money::from_haler(r.amount),
                    adviser_name: r.adviser_name.unwrap_or_default(),
                    detail: r.detail,
                    refused: r
                        .client_id
                        .and_then(|c| refused.get(&c).cloned())
                        .unwrap_or_default(),
                },
                phones: r
                    .adviser_id
                    .and_then(|a| phones.get(&a).cloned())
                    .unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// Writes an event of an adviser's (`kind`, with `detail`) for the planner.
    pub(super) async fn write_adviser_event(
        &self,
        kind: &str,
        adviser: AdviserId,
        detail: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query("INSERT INTO care_events (kind, adviser_id, detail) VALUES ($1, $2, $3)")
            .bind(kind)
            .bind(adviser.as_uuid())
            .bind(detail)
            .execute(pool)
            .await
            .classify()
            .map(|_| ()))?;
        Ok(())
    }
}
