//! Notifications in SQL (migration 0039): triggers and templates as the office
//! sets them; the events not planned yet with their order's facts; the planned
//! messages written with their events marked planned in one transaction (one
//! message per event and channel: the unique key drops a second planning); due
//! messages claimed (`sending`) so two dispatchers never send one twice; and each
//! try's outcome.

use async_trait::async_trait;

use fieldcase_shared::{AdviserId, ClientId, DeviceId, Lang, OrderId};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::rules::{Channel, Facts, Planned, Template};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

mod events;
mod reach;

/// A trigger: whether an event (for status changes, to which status) sends on a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub event: String,
    /// The status an order's change is to (`''`: any).
    pub status: String,
    pub channel: Channel,
    pub enabled: bool,
}

/// A template as stored, with what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTemplate {
    pub event: String,
    pub channel: Channel,
    pub lang: Lang,
    pub template: Template,
}

/// An event waiting to be planned, with its order's facts (none when the order is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEvent {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub order: Option<OrderId>,
    pub client: Option<ClientId>,
    /// Whom an adviser's event concerns (an order's: the order's adviser).
    pub adviser: Option<AdviserId>,
    /// The order's public page token, if it has a live one.
    pub token: Option<String>,
    pub facts: Facts,
    /// The order's adviser's phones that take pushes (not revoked, a token registered).
    pub phones: Vec<DeviceId>,
    /// The booking a booking's event is about, and its page's token.
    pub booking: Option<Uuid>,
    pub booking_token: Option<String>,
    /// The language the adviser reads (their pushes).
    pub adviser_lang: Lang,
}

/// A message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: Uuid,
    pub event: i64,
    /// The event's kind and what it is about (what the e-mail carries:
    /// a booking's `.ics`, a complaint's protocol, an invoice).
    pub kind: String,
    pub booking: Option<Uuid>,
    pub complaint: Option<Uuid>,
    pub invoice: Option<Uuid>,
    /// A campaign message's unsubscribe token.
    pub unsubscribe: Option<String>,
    pub channel: String,
    pub order: Option<OrderId>,
    pub vs: String,
    /// The phone a push goes to, and its name.
    pub device: Option<DeviceId>,
    pub device_name: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `pending`, `sending`, `sent`, `failed`, `skipped`.
    pub state: String,
    /// Why it was skipped.
    pub reason: String,
    pub attempts: i32,
    pub next_at: OffsetDateTime,
    pub last_error: String,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
}

/// A planned message: its event, channel, order, customer (or the adviser's
/// phone), what it is (or why none is sent) and the earliest moment it may go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMessage {
    pub event: i64,
    pub channel: Channel,
    pub order: Option<OrderId>,
    pub client: Option<ClientId>,
    pub device: Option<DeviceId>,
    pub plan: Planned,
    pub not_before: OffsetDateTime,
}

/// Notifications.
#[async_trait]
pub trait CareStore: Send + Sync {
    /// Sets a trigger (audited).
    async fn set_trigger(&self, actor: &Actor, trigger: &Trigger) -> StoreResult<()>;
    /// Every trigger.
    async fn triggers(&self) -> StoreResult<Vec<Trigger>>;
    /// Saves a template (checked by the caller; audited).
    async fn set_template(&self, actor: &Actor, t: &StoredTemplate) -> StoreResult<()>;
    /// Every template.
    async fn templates(&self) -> StoreResult<Vec<StoredTemplate>>;
    /// Up to `limit` events not planned yet, oldest first.
    async fn open_events(&self, limit: i64) -> StoreResult<Vec<OpenEvent>>;
    /// Writes the planned messages and marks `events` planned, in one
    /// transaction; how many were new.
    async fn record_plans(&self, events: &[i64], plans: &[PlannedMessage]) -> StoreResult<usize>;
    /// Writes an adviser's event the hub itself notices (a record its authority
    /// rejected: `detail` says what and why) for the planner.
    async fn add_adviser_event(
        &self,
        kind: &str,
        adviser: AdviserId,
        detail: &str,
    ) -> StoreResult<()>;
    /// Marks every open event planned without messages (the demo's seeded past).
    async fn close_open_events(&self) -> StoreResult<u64>;
    /// Claims up to `limit` messages due at `now` (and ones left `sending` by a
    /// stopped hub for ten minutes).
    async fn claim_due(&self, now: OffsetDateTime, limit: i64) -> StoreResult<Vec<Message>>;
    /// A claimed message went out.
    async fn message_sent(&self, id: Uuid, provider_id: &str) -> StoreResult<()>;
    /// A claimed message did not go out: tried again at `retry_at`, or failed for good.
    async fn message_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<()>;
    /// The outbox, newest first: an order's messages, or the latest `limit`.
    async fn messages(&self, order: Option<OrderId>, limit: i64) -> StoreResult<Vec<Message>>;
    /// A customer's e-mails and text messages (their bookings' too), newest first.
    async fn customer_messages(&self, client: ClientId, limit: i64) -> StoreResult<Vec<Message>>;
    /// A failed message is tried again now (audited); false when it is not failed.
    async fn retry_message(&self, actor: &Actor, id: Uuid) -> StoreResult<bool>;
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: Uuid,
    event_id: i64,
    kind: Option<String>,
    booking_id: Option<Uuid>,
    complaint_id: Option<Uuid>,
    invoice_id: Option<Uuid>,
    unsubscribe_token: Option<String>,
    channel: String,
    order_id: Option<Uuid>,
    vs: Option<String>,
    device_id: Option<Uuid>,
    device_name: Option<String>,
    recipient: String,
    subject: String,
    body: String,
    state: String,
    reason: String,
    attempts: i32,
    next_at: OffsetDateTime,
    last_error: String,
    created_at: OffsetDateTime,
    sent_at: Option<OffsetDateTime>,
}

fn message(r: MessageRow) -> Message {
    Message {
        id: r.id,
        event: r.event_id,
        kind: r.kind.unwrap_or_default(),
        booking: r.booking_id,
        complaint: r.complaint_id,
        invoice: r.invoice_id,
        unsubscribe: r.unsubscribe_token,
        channel: r.channel,
        order: r.order_id.map(OrderId::from_uuid),
        vs: r.vs.unwrap_or_default(),
        device: r.device_id.map(DeviceId::from_uuid),
        device_name: r.device_name.unwrap_or_default(),
        recipient: r.recipient,
        subject: r.subject,
        body: r.body,
        state: r.state,
        reason: r.reason,
        attempts: r.attempts,
        next_at: r.next_at,
        last_error: r.last_error,
        created_at: r.created_at,
        sent_at: r.sent_at,
    }
}

const MESSAGE_COLUMNS: &str = "m.id, CAST(m.event_id AS BIGINT) AS event_id, ev.kind, ev.booking_id, ev.complaint_id, ev.invoice_id, cr.token AS unsubscribe_token, m.channel, m.order_id, o.variable_symbol AS vs, m.device_id, d.name AS device_name, m.recipient, m.subject, m.body, m.state, m.reason, \
     CAST(m.attempts AS INTEGER) AS attempts, m.next_at, m.last_error, m.created_at, m.sent_at \
     FROM notification_outbox m LEFT JOIN orders o ON o.id = m.order_id LEFT JOIN devices d ON d.id = m.device_id \
     LEFT JOIN care_events ev ON ev.id = m.event_id LEFT JOIN campaign_recipients cr ON cr.message_id = m.id";

#[async_trait]
impl CareStore for SqlStore {
    async fn set_trigger(&self, actor: &Actor, t: &Trigger) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO notification_triggers (event, status, channel, enabled, actor, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (event, status, channel) DO UPDATE SET enabled = excluded.enabled, actor = excluded.actor, updated_at = excluded.updated_at",
            )
            .bind(&t.event)
            .bind(&t.status)
            .bind(t.channel.code())
            .bind(t.enabled)
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "notify.trigger", format!("{}:{}", t.event, t.status), format!("{} {}", t.channel.code(), if t.enabled { "on" } else { "off" }))?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn triggers(&self) -> StoreResult<Vec<Trigger>> {
        let rows: Vec<(String, String, String, bool)> = on_db!(self, pool => sqlx::query_as(
            "SELECT event, status, channel, enabled FROM notification_triggers ORDER BY event, status, channel",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .filter_map(|(event, status, channel, enabled)| {
                Some(Trigger {
                    event,
                    status,
                    channel: Channel::parse(&channel)?,
                    enabled,
                })
            })
            .collect())
    }

    async fn set_template(&self, actor: &Actor, t: &StoredTemplate) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO notification_templates (event, channel, lang, subject, body, actor, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (event, channel, lang) DO UPDATE SET subject = excluded.subject, body = excluded.body, actor = excluded.actor, updated_at = excluded.updated_at",
            )
            .bind(&t.event)
            .bind(t.channel.code())
            .bind(t.lang.code())
            .bind(&t.template.subject)
            .bind(&t.template.body)
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "notify.template", format!("{}:{}:{}", t.event, t.channel.code(), t.lang.code()), t.template.subject.clone())?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn templates(&self) -> StoreResult<Vec<StoredTemplate>> {
        let rows: Vec<(String, String, String, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT event, channel, lang, subject, body FROM notification_templates ORDER BY event, channel, lang",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .filter_map(|(event, channel, lang, subject, body)| {
                Some(StoredTemplate {
                    event,
                    channel: Channel::parse(&channel)?,
                    lang: Lang::from_code(&lang)?,
                    template: Template { subject, body },
                })
            })
            .collect())
    }

    async fn open_events(&self, limit: i64) -> StoreResult<Vec<OpenEvent>> {
        self.read_open_events(limit).await
    }

    async fn add_adviser_event(
        &self,
        kind: &str,
        adviser: AdviserId,
        detail: &str,
    ) -> StoreResult<()> {
        self.write_adviser_event(kind, adviser, detail).await
    }

    async fn record_plans(&self, events: &[i64], plans: &[PlannedMessage]) -> StoreResult<usize> {
        let created = now();
        let mut new = 0;
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            for p in plans {
                let (recipient, subject, body, state, reason) = match &p.plan {
                    Planned::Send { recipient, subject, body } => (recipient, subject.as_str(), body.as_str(), "pending", ""),
                    Planned::Skip { recipient, reason } => (recipient, "", "", "skipped", reason.as_str()),
                };
                let done = sqlx::query(
                    "INSERT INTO notification_outbox (id, event_id, channel, order_id, client_id, device_id, recipient, subject, body, state, reason, next_at, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (event_id, channel, recipient) DO NOTHING",
                )
                .bind(Uuid::now_v7())
                .bind(p.event)
                .bind(p.channel.code())
                .bind(p.order.map(|o| o.as_uuid()))
                .bind(p.client.map(|c| c.as_uuid()))
                .bind(p.device.map(|d| d.as_uuid()))
                .bind(recipient)
                .bind(subject)
                .bind(body)
                .bind(state)
                .bind(reason)
                .bind(p.not_before)
                .bind(created)
                .execute(&mut *tx)
                .await
                .classify()?;
                new += usize::try_from(done.rows_affected()).unwrap_or(0);
            }
            for chunk in events.chunks(500) {
                let mut q = sqlx::QueryBuilder::new("UPDATE care_events SET planned = TRUE WHERE id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build().execute(&mut *tx).await.classify()?;
            }
            tx.commit().await.classify()?;
        });
        Ok(new)
    }

    async fn close_open_events(&self) -> StoreResult<u64> {
        let done = on_db!(self, pool => sqlx::query("UPDATE care_events SET planned = TRUE WHERE NOT planned")
            .execute(pool)
            .await
            .classify()?
            .rows_affected());
        Ok(done)
    }

    async fn claim_due(&self, at: OffsetDateTime, limit: i64) -> StoreResult<Vec<Message>> {
        let stale = at - Duration::minutes(10);
        let rows: Vec<MessageRow> = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let ids: Vec<(Uuid,)> = sqlx::query_as(
                "SELECT id FROM notification_outbox WHERE (state = 'pending' AND next_at <= $1) OR (state = 'sending' AND next_at <= $2) \
                 ORDER BY next_at, id LIMIT $3",
            )
            .bind(at)
            .bind(stale)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await
            .classify()?;
            let mut rows = Vec::with_capacity(ids.len());
            for (id,) in ids {
                // Claimed only if still due (another dispatcher may have taken it).
                let claimed = sqlx::query(
                    "UPDATE notification_outbox SET state = 'sending', next_at = $2 WHERE id = $1 \
                     AND ((state = 'pending' AND next_at <= $2) OR (state = 'sending' AND next_at <= $3))",
                )
                .bind(id)
                .bind(at)
                .bind(stale)
                .execute(&mut *tx)
                .await
                .classify()?;
                if claimed.rows_affected() == 1 {
                    let row: MessageRow = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MESSAGE_COLUMNS} WHERE m.id = $1")))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await
                        .classify()?;
                    rows.push(row);
                }
            }
            tx.commit().await.classify()?;
            rows
        });
        Ok(rows.into_iter().map(message).collect())
    }

    async fn message_sent(&self, id: Uuid, provider_id: &str) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query(
            "UPDATE notification_outbox SET state = 'sent', sent_at = $2, provider_id = $3, attempts = attempts + 1, last_error = '' WHERE id = $1",
        )
        .bind(id)
        .bind(now())
        .bind(provider_id)
        .execute(pool)
        .await
        .classify()
        .map(|_| ()))?;
        Ok(())
    }

    async fn message_failed(
        &self,
        id: Uuid,
        error: &str,
        retry_at: Option<OffsetDateTime>,
    ) -> StoreResult<()> {
        let (state, next) = match retry_at {
            Some(t) => ("pending", t),
            None => ("failed", now()),
        };
        on_db!(self, pool => sqlx::query(
            "UPDATE notification_outbox SET state = $2, next_at = $3, last_error = $4, attempts = attempts + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(next)
        .bind(error)
        .execute(pool)
        .await
        .classify()
        .map(|_| ()))?;
        Ok(())
    }

    async fn messages(&self, order: Option<OrderId>, limit: i64) -> StoreResult<Vec<Message>> {
        let rows: Vec<MessageRow> = on_db!(self, pool => match order {
            Some(o) => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MESSAGE_COLUMNS} WHERE m.order_id = $1 ORDER BY m.created_at DESC, m.channel LIMIT $2")))
                .bind(o.as_uuid())
                .bind(limit)
                .fetch_all(pool)
                .await
                .classify()?,
            None => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MESSAGE_COLUMNS} ORDER BY m.created_at DESC, m.channel LIMIT $1")))
                .bind(limit)
                .fetch_all(pool)
                .await
                .classify()?,
        });
        Ok(rows.into_iter().map(message).collect())
    }

    async fn customer_messages(&self, client: ClientId, limit: i64) -> StoreResult<Vec<Message>> {
        let q = format!(
            "SELECT {MESSAGE_COLUMNS} WHERE m.client_id = $1 AND m.channel <> 'push' ORDER BY m.created_at DESC, m.channel LIMIT $2"
        );
        let rows: Vec<MessageRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(client.as_uuid()).bind(limit).fetch_all(pool).await.classify())?;
        Ok(rows.into_iter().map(message).collect())
    }

    async fn retry_message(&self, actor: &Actor, id: Uuid) -> StoreResult<bool> {
        let done = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query(
                "UPDATE notification_outbox SET state = 'pending', next_at = $2, attempts = 0 WHERE id = $1 AND state = 'failed'",
            )
            .bind(id)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            if done.rows_affected() == 1 {
                audit_in!(&mut *tx, actor, "notify.retry", id.to_string(), String::new())?;
            }
            tx.commit().await.classify()?;
            done.rows_affected() == 1
        });
        Ok(done)
    }
}
