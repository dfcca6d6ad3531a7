//! `fieldcase campaign …`: campaigns listed, a draft written (its text from a
//! file or the argument), launched and stopped, and a campaign's report (its
//! messages, the sent against the held-out), as the acting staff member by the
//! rules of `campaigns.rs`.

use clap::Subcommand;
use fieldcase_shared::{Lang, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rules::{Draft, Group};
use crate::care::rules::Channel;
use crate::config::Config;
use crate::store::{Actor, Store};

/// `campaign` subcommands.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Campaigns, newest first: id, state, channel, name, segment.
    List {
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Write a draft; prints its id.
    Create {
        name: String,
        /// The saved segment's name or id.
        #[arg(long)]
        segment: String,
        /// `email` or `sms`.
        #[arg(long, default_value = "email")]
        channel: String,
        /// `cs` or `en` (the unsubscribe footer and page).
        #[arg(long, default_value = "cs")]
        lang: String,
        #[arg(long, default_value = "")]
        subject: String,
        /// The text ({first_name}, {last_name}); `@file` reads it from a file.
        #[arg(long)]
        body: String,
        /// Messages an hour.
        #[arg(long, default_value_t = 1000)]
        per_hour: u32,
        /// The hold-out's share, per cent.
        #[arg(long, default_value_t = 10)]
        holdout: u32,
        /// The days after the launch whose orders count.
        #[arg(long, default_value_t = 30)]
        days: u32,
        #[arg(long)]
        by: String,
    },
    /// Launch a draft (its audience drawn now, its messages queued at the rate).
    Launch {
        id: Uuid,
        #[arg(long)]
        by: String,
    },
    /// Stop a launched campaign (what is not sent yet will not be).
    Stop {
        id: Uuid,
        #[arg(long)]
        by: String,
    },
    /// A campaign's messages and its effect: the sent against the held-out.
    Report { id: Uuid },
}

fn czk(haler: i64) -> String {
    fieldcase_shared::Money::from_haler(haler).format(Lang::En)
}

fn group_line(name: &str, g: &Group) -> String {
    format!(
        "{name:<9} {:>7} customers  {:>6} bought ({:>5.1} %)  {:>6} orders  {:>14}  {:>11} per customer\n",
        g.members,
        g.buyers,
        g.conversion_pct(),
        g.orders,
        czk(g.turnover),
        czk(g.per_member())
    )
}

/// Runs a `campaign` command (`staff`: the acting user by e-mail); what to print.
pub async fn run(
    store: &dyn Store,
    config: &Config,
    command: CampaignCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, Role)>,
) -> anyhow::Result<String> {
    let fail = |e: super::CampaignError| anyhow::anyhow!(e.text(Lang::En));
    let now = OffsetDateTime::now_utc();
    match command {
        CampaignCommand::List { limit } => Ok(store
            .campaigns(limit.clamp(1, 10_000))
            .await?
            .iter()
            .map(|c| {
                format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    c.id, c.status, c.channel, c.name, c.segment_name
                )
            })
            .collect()),
        CampaignCommand::Create {
            name,
            segment,
            channel,
            lang,
            subject,
            body,
            per_hour,
            holdout,
            days,
            by,
        } => {
            let segments = store.segments().await?;
            let seg = segments
                .iter()
                .find(|s| s.id.to_string() == segment.trim() || s.name == segment.trim())
                .ok_or_else(|| anyhow::anyhow!("no segment is named {segment:?}"))?;
            let body = match body.strip_prefix('@') {
                Some(path) => std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("reading {path}: {e}"))?,
                None => body,
            };
            let draft = Draft {
                name,
                segment: seg.id,
                channel: Channel::parse(&channel)
                    .filter(|c| *c != Channel::Push)
                    .ok_or_else(|| anyhow::anyhow!("--channel is email or sms"))?,
                lang: Lang::from_code(&lang)
                    .ok_or_else(|| anyhow::anyhow!("--lang is cs or en"))?,
                subject,
                body,
                per_hour,
                holdout_pct: holdout,
                effect_days: days,
            };
            let (actor, role) = staff(&by).await?;
            let id = super::create(store, &actor, role, draft)
                .await
                .map_err(fail)?;
            Ok(format!("{id}\n"))
        }
        CampaignCommand::Launch { id, by } => {
            let (actor, role) = staff(&by).await?;
            let (sent, held) = super::launch(store, &actor, role, id, &config.public_url(), now)
                .await
                .map_err(fail)?;
            Ok(format!("launched: {sent} to send, {held} held out\n"))
        }
        CampaignCommand::Stop { id, by } => {
            let (actor, role) = staff(&by).await?;
            super::stop(store, &actor, role, id).await.map_err(fail)?;
            Ok("stopped\n".into())
        }
        CampaignCommand::Report { id } => {
            let r = super::report(store, id, now).await.map_err(fail)?;
            let p = r.progress;
            let c = &r.campaign;
            let mut out = format!(
                "{} ({}, {}): {}\nmessages: {} waiting, {} sent, {} skipped, {} failed; {} held out; {} unsubscribed\n",
                c.name,
                c.channel,
                c.segment_name,
                c.status,
                p.waiting,
                p.sent,
                p.skipped,
                p.failed,
                p.held_out,
                p.unsubscribed
            );
            if let Some(e) = r.effect {
                out.push_str(&format!(
                    "orders within {} days of the launch{}:\n",
                    c.effect_days,
                    if r.complete { "" } else { " (so far)" }
                ));
                out.push_str(&group_line("sent", &e.sent));
                out.push_str(&group_line("held out", &e.held_out));
                match e.uplift() {
                    Some(u) => out.push_str(&format!("uplift: {}\n", czk(u))),
                    None => out.push_str("uplift: no hold-out to compare with\n"),
                }
            }
            Ok(out)
        }
    }
}
