//! Campaigns in SQL (migration 0045): drafts written and changed while they are
//! drafts; a launch — compare-and-set from `draft` — writes in one transaction
//! the campaign's care event, the sent group's messages into the outbox (each
//! due at its time of the rate) and every recipient, held out or sent; a stop
//! skips the messages not sent yet; the unsubscribe link withdraws the
//! customer's consent (a consent row) and skips their campaign messages still
//! waiting; the effect counts the groups' orders within the campaign's days.
//! Staff writes are audited.

use async_trait::async_trait;
use fieldcase_shared::{ClientId, Lang};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::rules::{Draft, Effect, Group, Status};
use crate::care::rules::Channel;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, one_row, write_tx};

/// The care event kind a campaign's messages hang on.
pub const EVENT: &str = "campaign";

/// Why a campaign message waiting in the outbox is not sent.
pub const STOPPED: &str = "the campaign was stopped";

/// A campaign.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Campaign {
    pub id: Uuid,
    pub name: String,
    pub segment_id: Option<Uuid>,
    pub segment_name: String,
    pub channel: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub per_hour: i64,
    pub holdout_pct: i64,
    pub effect_days: i64,
    pub status: String,
    pub created_by: String,
    pub created_at: OffsetDateTime,
    pub launched_by: Option<String>,
    pub launched_at: Option<OffsetDateTime>,
}

impl Campaign {
    pub fn state(&self) -> Option<Status> {
        Status::parse(&self.status)
    }

    /// The campaign as a draft (to change it, or to render its messages).
    pub fn draft(&self) -> Option<Draft> {
        Some(Draft {
            name: self.name.clone(),
            segment: self.segment_id?,
            channel: Channel::parse(&self.channel)?,
            lang: Lang::from_code(&self.lang).unwrap_or(Lang::Cs),
            subject: self.subject.clone(),
            body: self.body.clone(),
            per_hour: u32::try_from(self.per_hour).ok()?,
            holdout_pct: u32::try_from(self.holdout_pct).ok()?,
            effect_days: u32::try_from(self.effect_days).ok()?,
        })
    }

    /// When the effect's days end (none before the launch).
    pub fn effect_until(&self) -> Option<OffsetDateTime> {
        self.launched_at
            .map(|at| at + Duration::days(self.effect_days))
    }
}

/// One of a launch's audience: held out, or sent this message at this time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub client: ClientId,
    pub address: String,
    /// The message (none: held out): its subject and text, its unsubscribe
    /// token, when it may go.
    pub message: Option<(String, String, String, OffsetDateTime)>,
}

/// Where a campaign's messages are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub waiting: i64,
    pub sent: i64,
    pub skipped: i64,
    pub failed: i64,
    pub held_out: i64,
    pub unsubscribed: i64,
}

/// An unsubscribe link's recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOwner {
    pub campaign: String,
    pub channel: Channel,
    pub lang: Lang,
    pub address: String,
    pub unsubscribed: bool,
}

/// Campaigns.
#[async_trait]
pub trait CampaignStore: Send + Sync {
    /// Saves a new draft (checked by the caller), audited.
    async fn create_campaign(
        &self,
        actor: &Actor,
        d: &Draft,
        segment_name: &str,
    ) -> StoreResult<Uuid>;
    /// Changes a draft; `StoreError::Stale` when it is no longer one.
    async fn update_campaign(
        &self,
        actor: &Actor,
        id: Uuid,
        d: &Draft,
        segment_name: &str,
    ) -> StoreResult<()>;
    /// The campaigns, newest first.
    async fn campaigns(&self, limit: i64) -> StoreResult<Vec<Campaign>>;
    async fn campaign(&self, id: Uuid) -> StoreResult<Option<Campaign>>;
    /// Launches a draft with its drawn audience; false when it is no longer a draft.
    async fn launch_campaign(
        &self,
        actor: &Actor,
        id: Uuid,
        criteria: &str,
        recipients: &[Recipient],
    ) -> StoreResult<bool>;
    /// Stops a launched campaign (its waiting messages skipped); false when it
    /// is not launched.
    async fn stop_campaign(&self, actor: &Actor, id: Uuid) -> StoreResult<bool>;
    async fn campaign_progress(&self, id: Uuid) -> StoreResult<Progress>;
    /// Who was drawn into a campaign: the customer, held out or not, the address.
    async fn campaign_members(&self, id: Uuid) -> StoreResult<Vec<(ClientId, bool, String)>>;
    /// The groups' orders (not cancelled) from `from` to `until`.
    async fn campaign_effect(
        &self,
        id: Uuid,
        from: OffsetDateTime,
        until: OffsetDateTime,
    ) -> StoreResult<Effect>;
    /// Whose unsubscribe link `token` is.
    async fn link_owner(&self, token: &str) -> StoreResult<Option<LinkOwner>>;
    /// The customer of `token` withdraws the campaign's channel: a consent row,
    /// their waiting campaign messages on it skipped; false when the link was
    /// used already (nothing written), NotFound for an unknown token.
    async fn unsubscribe(&self, token: &str) -> StoreResult<bool>;
    /// Whether a campaign message's customer still consents to its channel.
    async fn still_consents(&self, message: Uuid) -> StoreResult<bool>;
    /// A claimed message is not sent, for `reason`.
    async fn message_skipped(&self, message: Uuid, reason: &str) -> StoreResult<()>;
}

const COLUMNS: &str = "id, name, segment_id, segment_name, channel, lang, subject, body, \
     CAST(per_hour AS BIGINT) AS per_hour, CAST(holdout_pct AS BIGINT) AS holdout_pct, \
     CAST(effect_days AS BIGINT) AS effect_days, status, created_by, created_at, launched_by, launched_at \
     FROM campaigns";

/// The current consent of (client, channel) is given: its latest row grants it.
const CONSENTS: &str = "EXISTS (SELECT 1 FROM customer_consents k WHERE k.client_id = m.client_id AND k.channel = m.channel \
     AND k.granted = TRUE AND NOT EXISTS (SELECT 1 FROM customer_consents n WHERE n.client_id = k.client_id \
     AND n.channel = k.channel AND (n.given_at > k.given_at OR (n.given_at = k.given_at AND n.id > k.id))))";

/// Binds a draft's columns as `$1` (the id) to `$11`, in the order both the
/// insert and the update name them.
macro_rules! bind_draft {
    ($q:expr, $id:expr, $d:expr, $segment_name:expr) => {
        $q.bind($id)
            .bind(&$d.name)
            .bind($d.segment)
            .bind($segment_name)
            .bind($d.channel.code())
            .bind($d.lang.code())
            .bind(&$d.subject)
            .bind(&$d.body)
            .bind(i64::from($d.per_hour))
            .bind(i64::from($d.holdout_pct))
            .bind(i64::from($d.effect_days))
    };
}

#[async_trait]
impl CampaignStore for SqlStore {
    async fn create_campaign(
        &self,
        actor: &Actor,
        d: &Draft,
        segment_name: &str,
    ) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let q = sqlx::query(
                "INSERT INTO campaigns (id, name, segment_id, segment_name, channel, lang, subject, body, per_hour, holdout_pct, effect_days, status, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $13)",
            );
            bind_draft!(q, id, d, segment_name)
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "campaign.create", id.to_string(), d.name.clone())?;
            tx.commit().await.classify()?;
        });
        Ok(id)
    }

    async fn update_campaign(
        &self,
        actor: &Actor,
        id: Uuid,
        d: &Draft,
        segment_name: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let q = sqlx::query(
                "UPDATE campaigns SET name = $2, segment_id = $3, segment_name = $4, channel = $5, lang = $6, subject = $7, body = $8, \
                 per_hour = $9, holdout_pct = $10, effect_days = $11 WHERE id = $1 AND status = 'draft'",
            );
            let done = bind_draft!(q, id, d, segment_name)
            .bind(id)
            .bind(&d.name)
            .bind(d.segment)
            .bind(segment_name)
            .bind(d.channel.code())
            .bind(d.lang.code())
            .bind(&d.subject)
            .bind(&d.body)
            .bind(i64::from(d.per_hour))
            .bind(i64::from(d.holdout_pct))
            .bind(i64::from(d.effect_days))
            .execute(&mut *tx)
            .await
            .classify()?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Stale("campaign"));
            }
            audit_in!(&mut *tx, actor, "campaign.update", id.to_string(), d.name.clone())?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn campaigns(&self, limit: i64) -> StoreResult<Vec<Campaign>> {
        let q = format!("SELECT {COLUMNS} ORDER BY created_at DESC, id DESC LIMIT $1");
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(limit).fetch_all(pool).await.classify()?),
        )
    }

    async fn campaign(&self, id: Uuid) -> StoreResult<Option<Campaign>> {
        let q = format!("SELECT {COLUMNS} WHERE id = $1");
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(pool).await.classify()?),
        )
    }

    async fn launch_campaign(
        &self,
        actor: &Actor,
        id: Uuid,
        criteria: &str,
        recipients: &[Recipient],
    ) -> StoreResult<bool> {
        let at = now();
        let sent = recipients.iter().filter(|r| r.message.is_some()).count();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let channel: Option<(String,)> = sqlx::query_as(
                "UPDATE campaigns SET status = 'launched', criteria = $2, launched_by = $3, launched_at = $4 \
                 WHERE id = $1 AND status = 'draft' RETURNING channel",
            )
            .bind(id)
            .bind(criteria)
            .bind(&actor.label)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            let Some((channel,)) = channel else {
                return Ok(false);
            };
            let (event,): (i64,) = sqlx::query_as(
                "INSERT INTO care_events (kind, campaign_id, planned) VALUES ($1, $2, TRUE) RETURNING id",
            )
            .bind(EVENT)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .classify()?;
            sqlx::query("UPDATE campaigns SET event_id = $2 WHERE id = $1")
                .bind(id)
                .bind(event)
                .execute(&mut *tx)
                .await
                .classify()?;
            for chunk in recipients.chunks(400) {
                let ids: Vec<Option<Uuid>> = chunk
                    .iter()
                    .map(|r| r.message.as_ref().map(|_| Uuid::now_v7()))
                    .collect();
                let messages: Vec<_> = chunk
                    .iter()
                    .zip(&ids)
                    .filter_map(|(r, id)| Some((r, (*id)?, r.message.as_ref()?)))
                    .collect();
                if !messages.is_empty() {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO notification_outbox (id, event_id, channel, client_id, recipient, subject, body, state, next_at, created_at) ",
                    );
                    q.push_values(&messages, |mut b, (r, mid, (subject, body, _, due))| {
                        b.push_bind(*mid)
                            .push_bind(event)
                            .push_bind(channel.clone())
                            .push_bind(r.client.as_uuid())
                            .push_bind(r.address.clone())
                            .push_bind(subject.clone())
                            .push_bind(body.clone())
                            .push_bind("pending")
                            .push_bind(*due)
                            .push_bind(at);
                    });
                    q.build().execute(&mut *tx).await.classify()?;
                }
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO campaign_recipients (campaign_id, client_id, held_out, address, token, message_id) ",
                );
                q.push_values(chunk.iter().zip(&ids), |mut b, (r, mid)| {
                    b.push_bind(id)
                        .push_bind(r.client.as_uuid())
                        .push_bind(r.message.is_none())
                        .push_bind(r.address.clone())
                        .push_bind(r.message.as_ref().map(|m| m.2.clone()))
                        .push_bind(*mid);
                });
                q.build().execute(&mut *tx).await.classify()?;
            }
            let detail = format!("{} sent, {} held out", sent, recipients.len() - sent);
            audit_in!(&mut *tx, actor, "campaign.launch", id.to_string(), detail)?;
            tx.commit().await.classify()?;
        });
        Ok(true)
    }

    async fn stop_campaign(&self, actor: &Actor, id: Uuid) -> StoreResult<bool> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query("UPDATE campaigns SET status = 'stopped' WHERE id = $1 AND status = 'launched'")
                .bind(id)
                .execute(&mut *tx)
                .await
                .classify()?;
            if done.rows_affected() == 0 {
                return Ok(false);
            }
            let skipped = sqlx::query(
                "UPDATE notification_outbox SET state = 'skipped', reason = $2 WHERE state = 'pending' \
                 AND event_id = (SELECT event_id FROM campaigns WHERE id = $1)",
            )
            .bind(id)
            .bind(STOPPED)
            .execute(&mut *tx)
            .await
            .classify()?
            .rows_affected();
            audit_in!(&mut *tx, actor, "campaign.stop", id.to_string(), format!("{skipped} not sent"))?;
            tx.commit().await.classify()?;
        });
        Ok(true)
    }

    async fn campaign_progress(&self, id: Uuid) -> StoreResult<Progress> {
        let rows: Vec<(String, i64)> = on_db!(self, pool => sqlx::query_as(
            "SELECT m.state, COUNT(*) FROM notification_outbox m JOIN campaigns c ON c.event_id = m.event_id \
             WHERE c.id = $1 GROUP BY m.state",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .classify()?);
        let (held_out, unsubscribed): (i64, i64) = on_db!(self, pool => sqlx::query_as(
            "SELECT COUNT(CASE WHEN held_out THEN 1 END), COUNT(unsubscribed_at) FROM campaign_recipients WHERE campaign_id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await
        .classify()?);
        let mut p = Progress {
            held_out,
            unsubscribed,
            ..Progress::default()
        };
        for (state, n) in rows {
            match state.as_str() {
                "pending" | "sending" => p.waiting += n,
                "sent" => p.sent += n,
                "skipped" => p.skipped += n,
                _ => p.failed += n,
            }
        }
        Ok(p)
    }

    async fn campaign_members(&self, id: Uuid) -> StoreResult<Vec<(ClientId, bool, String)>> {
        let rows: Vec<(Uuid, bool, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT client_id, held_out, address FROM campaign_recipients WHERE campaign_id = $1 ORDER BY address",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .classify()?);
        Ok(rows
            .into_iter()
            .map(|(c, held, a)| (ClientId::from_uuid(c), held, a))
            .collect())
    }

    async fn campaign_effect(
        &self,
        id: Uuid,
        from: OffsetDateTime,
        until: OffsetDateTime,
    ) -> StoreResult<Effect> {
        let rows: Vec<(bool, i64, i64, i64, Option<i64>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT r.held_out, COUNT(DISTINCT r.client_id), COUNT(DISTINCT o.client_id), COUNT(o.id), CAST(SUM(o.total_haler) AS BIGINT) \
             FROM campaign_recipients r LEFT JOIN orders o ON o.client_id = r.client_id AND o.status <> 'cancelled' \
             AND o.created_at >= $2 AND o.created_at < $3 WHERE r.campaign_id = $1 GROUP BY r.held_out",
        )
        .bind(id)
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await
        .classify()?);
        let mut e = Effect::default();
        for (held_out, members, buyers, orders, turnover) in rows {
            let g = Group {
                members,
                buyers,
                orders,
                turnover: turnover.unwrap_or(0),
            };
            if held_out {
                e.held_out = g;
            } else {
                e.sent = g;
            }
        }
        Ok(e)
    }

    async fn link_owner(&self, token: &str) -> StoreResult<Option<LinkOwner>> {
        let row: Option<(String, String, String, String, Option<OffsetDateTime>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT c.name, c.channel, c.lang, r.address, r.unsubscribed_at FROM campaign_recipients r \
             JOIN campaigns c ON c.id = r.campaign_id WHERE r.token = $1",
        )
        .bind(token)
        .fetch_optional(pool)
        .await
        .classify()?);
        row.map(|(campaign, channel, lang, address, at)| {
            Ok(LinkOwner {
                campaign,
                channel: Channel::parse(&channel)
                    .ok_or_else(|| StoreError::Corrupt(format!("campaign channel {channel}")))?,
                lang: Lang::from_code(&lang).unwrap_or(Lang::Cs),
                address,
                unsubscribed: at.is_some(),
            })
        })
        .transpose()
    }

    async fn unsubscribe(&self, token: &str) -> StoreResult<bool> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let row: Option<(Uuid, Uuid, String, String, Option<OffsetDateTime>)> = sqlx::query_as(
                "SELECT r.campaign_id, r.client_id, c.channel, c.name, r.unsubscribed_at FROM campaign_recipients r \
                 JOIN campaigns c ON c.id = r.campaign_id WHERE r.token = $1",
            )
            .bind(token)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            let Some((campaign, client, channel, name, used)) = row else {
                return Err(StoreError::NotFound("unsubscribe link"));
            };
            if used.is_some() {
                return Ok(false);
            }
            sqlx::query("UPDATE campaign_recipients SET unsubscribed_at = $3 WHERE campaign_id = $1 AND client_id = $2")
                .bind(campaign)
                .bind(client)
                .bind(at)
                .execute(&mut *tx)
                .await
                .classify()?;
            sqlx::query(
                "INSERT INTO customer_consents (id, client_id, channel, granted, given_at, place, evidence, author_id, author, recorded_at) \
                 VALUES ($1, $2, $3, FALSE, $4, $5, $6, NULL, $7, $4)",
            )
            .bind(Uuid::now_v7())
            .bind(client)
            .bind(&channel)
            .bind(at)
            .bind(format!("odkaz pro odhlášení (kampaň {name})"))
            .bind(campaign.to_string())
            .bind("zákazník")
            .execute(&mut *tx)
            .await
            .classify()?;
            sqlx::query(
                "UPDATE notification_outbox SET state = 'skipped', reason = $3 WHERE client_id = $1 AND channel = $2 \
                 AND state = 'pending' AND event_id IN (SELECT id FROM care_events WHERE kind = $4)",
            )
            .bind(client)
            .bind(&channel)
            .bind(crate::care::rules::SKIP_REASONS[0].0)
            .bind(EVENT)
            .execute(&mut *tx)
            .await
            .classify()?;
            let customer = Actor::system("unsubscribe link");
            audit_in!(&mut *tx, &customer, "campaign.unsubscribe", client.to_string(), format!("{name} · {channel}"))?;
            tx.commit().await.classify()?;
        });
        Ok(true)
    }

    async fn still_consents(&self, message: Uuid) -> StoreResult<bool> {
        let q = format!("SELECT {CONSENTS} FROM notification_outbox m WHERE m.id = $1");
        let found: Option<(bool,)> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(message).fetch_optional(pool).await.classify()?);
        Ok(found.is_some_and(|(ok,)| ok))
    }

    async fn message_skipped(&self, message: Uuid, reason: &str) -> StoreResult<()> {
        let done = on_db!(self, pool => sqlx::query("UPDATE notification_outbox SET state = 'skipped', reason = $2 WHERE id = $1")
            .bind(message)
            .bind(reason)
            .execute(pool)
            .await
            .classify()?
            .rows_affected());
        one_row(done, "message")
    }
}
