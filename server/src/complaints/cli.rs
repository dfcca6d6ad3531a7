//! `fieldcase complaint …`: complaints listed (open ones first, by deadline, with
//! the days left and the alarm), decided and noted by the rules of the office
//! (`complaints.rs`), as the acting staff member.

use anyhow::Context;
use clap::Subcommand;
use fieldcase_shared::{Lang, Role};
use time::OffsetDateTime;

use super::rules::{self, Urgency};
use super::store::ComplaintFilter;
use crate::store::{Actor, Store};

/// `complaint` subcommands.
#[derive(Debug, Subcommand)]
pub enum ComplaintCommand {
    /// Complaints, open ones first by deadline: number, order, customer, opened,
    /// days left (or the decision), urgency (warning from day 20, alarm from day 25).
    List {
        /// Only those not decided yet.
        #[arg(long)]
        open: bool,
        /// One order's (its variable symbol).
        #[arg(long)]
        order: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Decide a complaint (once): repair, remake, refund or reject (with --reason).
    Decide {
        /// Its number, e.g. R2026000123-1.
        number: String,
        #[arg(long)]
        decision: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        by: String,
    },
    /// Add a staff note to a complaint.
    Note {
        number: String,
        #[arg(long)]
        body: String,
        #[arg(long)]
        by: String,
    },
}

/// Runs a `complaint` command (`staff`: the acting user by e-mail); what to print.
pub async fn run(
    store: &dyn Store,
    command: ComplaintCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, Role)>,
) -> anyhow::Result<String> {
    let find = async |number: &str| {
        store
            .complaint_by_number(number.trim())
            .await?
            .with_context(|| format!("no complaint has the number {number:?}"))
    };
    match command {
        ComplaintCommand::List { open, order, limit } => {
            let order = match order {
                Some(vs) => Some(
                    store
                        .order_by_number(vs.trim())
                        .await?
                        .with_context(|| format!("no order has the variable symbol {vs:?}"))?,
                ),
                None => None,
            };
            let now = OffsetDateTime::now_utc();
            let filter = ComplaintFilter {
                open_only: open,
                order,
            };
            let mut out = String::new();
            for r in store.complaints(filter, limit).await? {
                let (state, urgency) = match r.decision() {
                    Some(d) => (d.code().to_owned(), ""),
                    None => {
                        let u = rules::urgency(r.opened_at, now);
                        let left = rules::days_left(r.deadline_at, now);
                        (
                            format!("{left} days left"),
                            if u == Urgency::Calm { "" } else { u.code() },
                        )
                    }
                };
                out += &format!(
                    "{}\t{}\t{}\t{}\t{state}\t{urgency}\n",
                    r.number,
                    r.vs,
                    r.customer_name(),
                    crate::store::sql::rfc3339(r.opened_at),
                );
            }
            Ok(out)
        }
        ComplaintCommand::Decide {
            number,
            decision,
            reason,
            by,
        } => {
            let id = find(&number).await?;
            let (actor, role) = staff(&by).await?;
            let (d, _) = super::decide(store, &actor, role, id, &decision, &reason)
                .await
                .map_err(|e| anyhow::anyhow!("not decided: {}", e.text(Lang::En)))?;
            Ok(format!("{number}\t{}\n", d.code()))
        }
        ComplaintCommand::Note { number, body, by } => {
            let id = find(&number).await?;
            let (actor, role) = staff(&by).await?;
            super::note(store, &actor, role, id, &body)
                .await
                .map_err(|e| anyhow::anyhow!("no note added: {}", e.text(Lang::En)))?;
            Ok(format!("{number}\tnoted\n"))
        }
    }
}
