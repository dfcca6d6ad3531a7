//! `fieldcase booking …`: a store's opening hours, closed days and the
//! optometrists' shifts set up (as an operator scripts a schedule), the bookings
//! listed and a day's free slots shown, and the store's steps (approve, cancel)
//! by the rules of `bookings.rs`, as the acting staff member.

use anyhow::Context;
use clap::Subcommand;
use fieldcase_shared::calendar::parse_day;
use fieldcase_shared::{Lang, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rules::{self, Hours, Shift, Status};
use super::store::BookingFilter;
use crate::office::ui::datetime;
use crate::store::{Actor, Store};

/// `booking` subcommands.
#[derive(Debug, Subcommand)]
pub enum BookingCommand {
    /// Set a store's opening hours: one `DAY=HH:MM-HH:MM` per open weekday
    /// (DAY 1 Monday … 7 Sunday), e.g. `1=09:00-18:00 6=09:00-12:00`.
    Hours {
        /// The store's code.
        store: String,
        hours: Vec<String>,
        #[arg(long)]
        by: String,
    },
    /// Mark a day closed (a holiday).
    Close {
        store: String,
        /// `YYYY-MM-DD`.
        day: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        by: String,
    },
    /// Add an optometrist's shift.
    Shift {
        store: String,
        /// `YYYY-MM-DD`.
        day: String,
        /// `HH:MM-HH:MM`.
        time: String,
        #[arg(long)]
        optometrist: String,
        /// In the mobile room (at customers' homes).
        #[arg(long)]
        mobile: bool,
        #[arg(long)]
        by: String,
    },
    /// A store's free slots of a day.
    Slots { store: String, day: String },
    /// Bookings from now on: time, store, optometrist, customer, state, id.
    List {
        #[arg(long)]
        store: Option<String>,
        /// Only those waiting for approval.
        #[arg(long)]
        pending: bool,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Approve a waiting booking.
    Approve {
        id: Uuid,
        #[arg(long)]
        by: String,
    },
    /// Cancel a booking.
    Cancel {
        id: Uuid,
        #[arg(long)]
        by: String,
    },
}

fn span(text: &str) -> anyhow::Result<(time::Time, time::Time)> {
    let (a, b) = text
        .split_once('-')
        .with_context(|| format!("{text:?} is not HH:MM-HH:MM"))?;
    super::schedule::span(a, b).map_err(|e| anyhow::anyhow!(e.text(Lang::En)))
}

/// Runs a `booking` command (`staff`: the acting user by e-mail); what to print.
pub async fn run(
    store: &dyn Store,
    command: BookingCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, Role)>,
) -> anyhow::Result<String> {
    let shops = store.list_shops().await?;
    let shop = |code: &str| {
        shops
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(code.trim()))
            .map(|s| s.id.as_uuid())
            .with_context(|| format!("no store has the code {code:?}"))
    };
    let day = |text: &str| parse_day(text).with_context(|| format!("{text:?} is not YYYY-MM-DD"));
    let may = |role: Role| {
        anyhow::ensure!(
            rules::STAFF.contains(&role),
            "this role does not handle bookings"
        );
        Ok(())
    };
    let fail = |e: super::BookingError| anyhow::anyhow!(e.text(Lang::En));
    let now = OffsetDateTime::now_utc();
    match command {
        BookingCommand::Hours {
            store: code,
            hours,
            by,
        } => {
            let shop = shop(&code)?;
            let mut set = Vec::new();
            for h in &hours {
                let (d, t) = h
                    .split_once('=')
                    .with_context(|| format!("{h:?} is not DAY=HH:MM-HH:MM"))?;
                let weekday: u8 = d
                    .trim()
                    .parse()
                    .ok()
                    .filter(|d| (1..=7).contains(d))
                    .with_context(|| format!("{d:?} is not a weekday 1–7"))?;
                let (opens, closes) = span(t)?;
                anyhow::ensure!(
                    !set.iter().any(|x: &Hours| x.weekday == weekday),
                    "weekday {weekday} given twice"
                );
                set.push(Hours {
                    weekday,
                    opens,
                    closes,
                });
            }
            let (actor, role) = staff(&by).await?;
            may(role)?;
            super::schedule::set_hours(store, &actor, role, shop, &set)
                .await
                .map_err(|e| anyhow::anyhow!(e.text(Lang::En)))?;
            Ok(format!(
                "{code}: opening hours set for {} days\n",
                set.len()
            ))
        }
        BookingCommand::Close {
            store: code,
            day: d,
            reason,
            by,
        } => {
            let (shop, d) = (shop(&code)?, day(&d)?);
            let (actor, role) = staff(&by).await?;
            may(role)?;
            super::schedule::close_day(store, &actor, role, shop, d, &reason)
                .await
                .map_err(|e| anyhow::anyhow!(e.text(Lang::En)))?;
            Ok(format!("{code}: closed on {d}\n"))
        }
        BookingCommand::Shift {
            store: code,
            day: d,
            time,
            optometrist,
            mobile,
            by,
        } => {
            let (shop, d) = (shop(&code)?, day(&d)?);
            let (starts, ends) = span(&time)?;
            anyhow::ensure!(
                !optometrist.trim().is_empty(),
                "--optometrist names who examines"
            );
            let (actor, role) = staff(&by).await?;
            may(role)?;
            let s = Shift {
                id: Uuid::now_v7(),
                shop,
                optometrist: optometrist.trim().to_owned(),
                day: d,
                starts,
                ends,
                mobile,
            };
            let id = s.id;
            super::schedule::add_shift(store, &actor, role, s)
                .await
                .map_err(|e| anyhow::anyhow!(e.text(Lang::En)))?;
            Ok(format!("{id}\n"))
        }
        BookingCommand::Slots {
            store: code,
            day: d,
        } => {
            let slots = super::free_slots(store, shop(&code)?, day(&d)?, now).await?;
            Ok(slots
                .iter()
                .map(|s| {
                    format!(
                        "{}\t{}\t{}\t{}\n",
                        datetime(s.starts_at),
                        s.optometrist,
                        if s.mobile { "mobile" } else { "store" },
                        s.key()
                    )
                })
                .collect())
        }
        BookingCommand::List {
            store: code,
            pending,
            limit,
        } => {
            let filter = BookingFilter {
                shop: code.as_deref().map(shop).transpose()?,
                from: Some(now - time::Duration::hours(12)),
                pending_only: pending,
                client: None,
            };
            Ok(store
                .bookings(filter, limit)
                .await?
                .iter()
                .map(|b| {
                    let state =
                        Status::parse(&b.status).map_or(b.status.as_str(), |s| s.label(Lang::En));
                    format!(
                        "{}\t{}\t{}\t{}\t{state}\t{}\n",
                        datetime(b.starts_at),
                        b.shop_name,
                        b.optometrist,
                        b.name,
                        b.id
                    )
                })
                .collect())
        }
        BookingCommand::Approve { id, by } => {
            let (actor, role) = staff(&by).await?;
            super::approve(store, &actor, role, id, now)
                .await
                .map_err(fail)?;
            Ok(format!("{id}: approved\n"))
        }
        BookingCommand::Cancel { id, by } => {
            let (actor, role) = staff(&by).await?;
            super::cancel(store, &actor, role, id).await.map_err(fail)?;
            Ok(format!("{id}: cancelled\n"))
        }
    }
}
