//! The notification job: plans messages for the events not planned yet (each
//! enabled trigger's channel, its template in the recipient's language else Czech, the customer's address and
//! consent, or the adviser's phones for a push — an order's commission lines
//! told once; SMS not before the morning) and
//! sends the due ones through the channels' clients, trying a busy channel again
//! with back-off (a `Retry-After` honoured) until `MAX_ATTEMPTS`, a refusal
//! failing at once; a phone's push token FCM no longer knows is forgotten. Runs
//! in `serve` every 15 seconds (the bookings' day-before reminders marked every
//! minute); `fieldcase notify send` runs it once.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use super::rules::{self, Channel, MAX_ATTEMPTS};
use super::store::{Message, OpenEvent, PlannedMessage};
use crate::config::Config;
use crate::integrations::Delivery;
use crate::integrations::fcm::{Fcm, Push};
use crate::integrations::sms::SmsGateway;
use crate::integrations::smtp::Mailer;
use crate::store::Store;

/// The channels' clients, as configured (a channel without one keeps its
/// messages waiting).
#[derive(Debug, Clone, Default)]
pub struct Channels {
    pub mail: Option<Mailer>,
    pub sms: Option<SmsGateway>,
    pub push: Option<Arc<Fcm>>,
    /// The settings the attachments are made with (the hub's public address,
    /// the company's name and address).
    pub config: Arc<Config>,
}

impl Channels {
    /// From the settings `smtp_url`, `smtp_from`, `sms_gateway_url`,
    /// `sms_gateway_token`, `fcm_service_account` and `fcm_url`.
    pub fn from_config(config: &Config) -> anyhow::Result<Channels> {
        Ok(Channels {
            mail: (!config.smtp_url.trim().is_empty())
                .then(|| Mailer::new(config.smtp_url.trim(), &config.smtp_from))
                .transpose()?,
            sms: (!config.sms_gateway_url.trim().is_empty())
                .then(|| SmsGateway::new(config.sms_gateway_url.trim(), &config.sms_gateway_token))
                .transpose()?,
            push: (!config.fcm_service_account.as_os_str().is_empty())
                .then(|| Fcm::from_file(config.fcm_url.trim(), &config.fcm_service_account))
                .transpose()?
                .map(Arc::new),
            config: Arc::new(config.clone()),
        })
    }

    /// Sends `m` on `channel`: the provider's id of the message.
    async fn send(
        &self,
        store: &dyn Store,
        channel: Channel,
        m: &Message,
    ) -> anyhow::Result<Result<String, Delivery>> {
        let missing = |setting: &str| Delivery::Transient {
            error: format!("no {setting} is set; the message waits"),
            retry_after: None,
        };
        Ok(match channel {
            Channel::Email => match &self.mail {
                Some(mail) => {
                    let files = super::attach::attachments(store, &self.config, m).await?;
                    let unsubscribe = m
                        .unsubscribe
                        .as_ref()
                        .map(|t| format!("{}/u/{t}", self.config.public_url()));
                    mail.send(
                        &m.recipient,
                        &m.subject,
                        &m.body,
                        &files,
                        unsubscribe.as_deref(),
                    )
                    .await
                }
                None => Err(missing("smtp_url")),
            },
            Channel::Sms => match &self.sms {
                Some(g) => g.send(&m.recipient, &m.body).await,
                None => Err(missing("sms_gateway_url")),
            },
            Channel::Push => match (&self.push, m.device) {
                (None, _) => Err(missing("fcm_service_account")),
                (Some(_), None) => Err(Delivery::Permanent("the push names no phone".into())),
                (Some(fcm), Some(device)) => match store.push_token(device).await? {
                    None => Err(Delivery::Permanent(
                        "the phone has no push token (forgotten, or never registered)".into(),
                    )),
                    Some((_, token)) => {
                        let push = Push {
                            title: &m.subject,
                            body: &m.body,
                            data: &[("order", m.vs.as_str())],
                        };
                        let sent = fcm.send(&token, &push).await;
                        if let Err(Delivery::Gone(error)) = &sent {
                            store.forget_push_token(device, &token).await?;
                            tracing::info!(%device, %error, "a phone's push token is dead; forgotten");
                        }
                        sent
                    }
                },
            },
        })
    }
}

/// Marks the bookings whose reminder is due (their events follow), plans the
/// open events' messages; how many messages are new.
pub async fn plan_with_reminders(store: &dyn Store, config: &Config) -> anyhow::Result<usize> {
    crate::bookings::remind_due(store, OffsetDateTime::now_utc()).await?;
    plan_once(store, config).await
}

/// Plans the open events' messages; how many messages are new.
pub async fn plan_once(store: &dyn Store, config: &Config) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let events = store.open_events(200).await?;
        if events.is_empty() {
            return Ok(total);
        }
        let triggers = store.triggers().await?;
        let templates = store.templates().await?;
        let now = OffsetDateTime::now_utc();
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        let full = events.len() == 200;
        let mut plans = Vec::new();
        for e in &merged(events) {
            for channel in Channel::ALL {
                let on = triggers.iter().any(|t| {
                    t.enabled
                        && t.event == e.kind
                        && t.channel == channel
                        && (t.status.is_empty() || t.status == e.status)
                });
                let reachable = match channel {
                    Channel::Push => e.adviser.is_some() && e.booking.is_none(),
                    Channel::Email | Channel::Sms => e.client.is_some() || e.booking.is_some(),
                };
                if !on || !reachable {
                    continue;
                }
                let mut facts = e.facts.clone();
                if let Some(token) = &e.token {
                    facts.link = format!("{}/o/{token}", config.public_url());
                }
                if let Some(token) = &e.booking_token {
                    facts.booking_link = format!("{}/b/{token}", config.public_url());
                }
                let wanted = if channel == Channel::Push {
                    e.adviser_lang
                } else {
                    e.facts.lang
                };
                let stored = templates
                    .iter()
                    .map(|t| (t.event.as_str(), t.channel, t.lang, &t.template));
                let chosen = rules::template_for(stored, &e.kind, channel, wanted);
                facts.lang = chosen.map_or(wanted, |(_, l)| l);
                let template = chosen.map(|(t, _)| t);
                let planned = |device, plan| PlannedMessage {
                    event: e.id,
                    channel,
                    order: e.order,
                    client: e.client,
                    device,
                    plan,
                    not_before: rules::earliest(channel, now),
                };
                if channel == Channel::Push {
                    for (device, plan) in rules::plan_push(&facts, template, &e.phones) {
                        plans.push(planned(device, plan));
                    }
                } else {
                    plans.push(planned(None, rules::plan(channel, &facts, template)));
                }
            }
        }
        total += store.record_plans(&ids, &plans).await?;
        if !full {
            return Ok(total);
        }
    }
}

/// The events with an order's commission accrual lines (one per rule that
/// applied) merged into one per adviser and order, their amounts summed: the
/// adviser hears of the order's commission once.
fn merged(events: Vec<OpenEvent>) -> Vec<OpenEvent> {
    let mut out: Vec<OpenEvent> = Vec::with_capacity(events.len());
    for e in events {
        let same = out.iter_mut().find(|o| {
            e.kind == rules::COMMISSION_ACCRUED
                && o.kind == e.kind
                && o.adviser == e.adviser
                && o.order == e.order
        });
        match same {
            Some(o) => o.facts.amount += e.facts.amount,
            None => out.push(e),
        }
    }
    out
}

/// What one sending round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Campaign messages whose customer withdrew the consent meanwhile.
    pub skipped: usize,
}

/// How many messages of a round go out at once (the SMTP relay's pooled
/// connections, the gateways' and the database's).
pub const AT_ONCE: usize = 8;

enum Outcome {
    Sent,
    Retried,
    Failed,
    Skipped,
}

/// Sends the messages due at `now`, [`AT_ONCE`] at a time.
pub async fn send_once(
    store: &dyn Store,
    channels: &Channels,
    now: OffsetDateTime,
) -> anyhow::Result<Sent> {
    use futures::StreamExt;
    let due = store.claim_due(now, 100).await?;
    let outcomes: Vec<anyhow::Result<Outcome>> =
        futures::stream::iter(due.into_iter().map(|m| send_one(store, channels, now, m)))
            .buffer_unordered(AT_ONCE)
            .collect()
            .await;
    let mut done = Sent::default();
    for outcome in outcomes {
        match outcome? {
            Outcome::Sent => done.sent += 1,
            Outcome::Retried => done.retried += 1,
            Outcome::Failed => done.failed += 1,
            Outcome::Skipped => done.skipped += 1,
        }
    }
    Ok(done)
}

/// Sends one claimed message and records what became of it.
async fn send_one(
    store: &dyn Store,
    channels: &Channels,
    now: OffsetDateTime,
    m: Message,
) -> anyhow::Result<Outcome> {
    let Some(channel) = Channel::parse(&m.channel) else {
        store.message_failed(m.id, "unknown channel", None).await?;
        return Ok(Outcome::Failed);
    };
    if m.kind == crate::campaigns::store::EVENT && !crate::campaigns::may_send(store, m.id).await? {
        return Ok(Outcome::Skipped);
    }
    Ok(match channels.send(store, channel, &m).await? {
        Ok(provider) => {
            store.message_sent(m.id, &provider).await?;
            Outcome::Sent
        }
        Err(Delivery::Transient { error, retry_after }) if m.attempts + 1 < MAX_ATTEMPTS => {
            let at = rules::earliest(channel, now + rules::backoff(m.attempts + 1, retry_after));
            store.message_failed(m.id, &error, Some(at)).await?;
            Outcome::Retried
        }
        Err(e) => {
            store.message_failed(m.id, &e.to_string(), None).await?;
            Outcome::Failed
        }
    })
}

/// Spawns the job.
pub fn spawn(
    store: std::sync::Arc<dyn Store>,
    config: std::sync::Arc<Config>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let channels = match Channels::from_config(&config) {
            Ok(c) => c,
            Err(err) => {
                tracing::error!(%err, "notifications: the channels' settings; nothing is sent");
                Channels::default()
            }
        };
        let mut tick = tokio::time::interval(Duration::from_secs(15));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The day-before reminders are marked once a minute (every fourth round).
        let mut round = 0u32;
        loop {
            tick.tick().await;
            let planned = if round.is_multiple_of(4) {
                plan_with_reminders(store.as_ref(), &config).await
            } else {
                plan_once(store.as_ref(), &config).await
            };
            round = round.wrapping_add(1);
            if let Err(err) = planned {
                tracing::warn!(%err, "notifications: planning");
            }
            match send_once(store.as_ref(), &channels, OffsetDateTime::now_utc()).await {
                Ok(s) if s.sent + s.retried + s.failed + s.skipped > 0 => {
                    tracing::info!(
                        sent = s.sent,
                        retried = s.retried,
                        failed = s.failed,
                        skipped = s.skipped,
                        "notifications"
                    )
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "notifications: sending"),
            }
        }
    })
}
