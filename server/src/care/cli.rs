//! `fieldcase notify …`: triggers and templates set by the rules of the office
//! (`edit.rs`), the outbox listed, the job run once, a failed message retried.

use anyhow::{Context, bail};
use clap::Subcommand;
use fieldcase_shared::{Lang, Role};
use uuid::Uuid;

use super::dispatch::{Channels, plan_with_reminders, send_once};
use super::edit::{CARE_EDITORS, set_event_template, set_event_trigger};
use super::rules::Channel;
use crate::config::Config;
use crate::store::{Actor, Store};

/// `notify` subcommands.
#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Turn an event's messages on a channel on or off.
    Trigger {
        /// order_status, payment_matched, commission_accrued or payout_decided.
        #[arg(long, default_value = "order_status")]
        event: String,
        /// The order's new status (e.g. ready_for_pickup); empty: every change.
        #[arg(long, default_value = "")]
        status: String,
        /// email, sms or push.
        #[arg(long)]
        channel: String,
        /// Off instead of on.
        #[arg(long)]
        off: bool,
        #[arg(long)]
        by: String,
    },
    /// Save an event's template of a channel; a variable that does not exist is
    /// refused. Variables: {customer_name} {order_vs} {status} {total}
    /// {left_to_pay} {shop_name} {order_link} {amount} {adviser_name}.
    Template {
        #[arg(long, default_value = "order_status")]
        event: String,
        #[arg(long)]
        channel: String,
        #[arg(long, default_value = "cs")]
        lang: String,
        #[arg(long, default_value = "")]
        subject: String,
        #[arg(long)]
        body: String,
        #[arg(long)]
        by: String,
    },
    /// The outbox, newest first: created, channel, VS, recipient, state,
    /// attempts, reason or last error, id.
    Outbox {
        /// One order's (its variable symbol).
        #[arg(long)]
        order: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Plan the open events and send what is due now (the running hub does it
    /// every 15 s); prints what happened.
    Send,
    /// Try a failed message again now.
    Retry {
        #[arg(long)]
        id: Uuid,
        #[arg(long)]
        by: String,
    },
}

/// Runs a `notify` command (`staff`: the acting user by e-mail); what to print.
pub async fn run(
    store: &dyn Store,
    config: &Config,
    command: NotifyCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, Role)>,
) -> anyhow::Result<String> {
    let channel = |code: &str| {
        Channel::parse(code).with_context(|| format!("--channel {code:?}: email, sms or push"))
    };
    match command {
        NotifyCommand::Trigger {
            event,
            status,
            channel: c,
            off,
            by,
        } => {
            let (actor, role) = staff(&by).await?;
            let c = channel(&c)?;
            set_event_trigger(store, &actor, role, &event, &status, c, !off)
                .await
                .map_err(|e| anyhow::anyhow!("the trigger was not set: {}", e.text(Lang::En)))?;
            Ok(format!(
                "{event}\t{}\t{}\t{}\n",
                if status.is_empty() {
                    "*"
                } else {
                    status.as_str()
                },
                c.code(),
                if off { "off" } else { "on" }
            ))
        }
        NotifyCommand::Template {
            event,
            channel: c,
            lang,
            subject,
            body,
            by,
        } => {
            let (actor, role) = staff(&by).await?;
            let c = channel(&c)?;
            let lang =
                Lang::from_code(&lang).with_context(|| format!("--lang {lang:?}: cs or en"))?;
            set_event_template(store, &actor, role, &event, c, lang, &subject, &body)
                .await
                .map_err(|e| anyhow::anyhow!("the template was not saved: {}", e.text(Lang::En)))?;
            Ok(format!("{event}\t{}\t{}\tsaved\n", c.code(), lang.code()))
        }
        NotifyCommand::Outbox { order, limit } => {
            let order = match order {
                Some(vs) => Some(
                    store
                        .order_by_number(vs.trim())
                        .await?
                        .with_context(|| format!("no order has the variable symbol {vs:?}"))?,
                ),
                None => None,
            };
            let mut out = String::new();
            for m in store.messages(order, limit).await? {
                let why = if m.reason.is_empty() {
                    &m.last_error
                } else {
                    &m.reason
                };
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    crate::store::sql::rfc3339(m.created_at),
                    m.channel,
                    m.vs,
                    m.recipient,
                    m.state,
                    m.attempts,
                    why,
                    m.id
                );
            }
            Ok(out)
        }
        NotifyCommand::Send => {
            let planned = plan_with_reminders(store, config).await?;
            let channels = Channels::from_config(config)?;
            let s = send_once(store, &channels, time::OffsetDateTime::now_utc()).await?;
            Ok(format!(
                "planned {planned}, sent {}, to retry {}, failed {}\n",
                s.sent, s.retried, s.failed
            ))
        }
        NotifyCommand::Retry { id, by } => {
            let (actor, role) = staff(&by).await?;
            if !CARE_EDITORS.contains(&role) {
                bail!("only the office, customer service and administrators retry messages");
            }
            if !store.retry_message(&actor, id).await? {
                bail!("message {id} has not failed (or does not exist)");
            }
            Ok(format!("{id}\tpending\n"))
        }
    }
}
