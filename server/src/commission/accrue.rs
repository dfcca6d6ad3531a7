//! The accrual job: books what the queued orders earn or lose
//! (`store/accrue.rs`), then writes the changed ledgers into the advisers'
//! workspaces, where the phones read each line's "why this amount". Runs in
//! `serve`: woken when an order's status or payment changes (the sync hub's
//! `commission_due`), and every half minute for changes that came another way
//! (the queue is written by database triggers, so none is missed). A failure is
//! logged and the queue waits for the next run.

use std::time::Duration;

use super::store::accrue::{ACCRUAL_BATCH, AccrualRun};
use crate::state::AppState;
use crate::store::Actor;

/// Drains the queue (batch by batch) and publishes the ledgers that changed.
pub async fn run_once(state: &AppState) -> anyhow::Result<AccrualRun> {
    let actor = Actor::system("commission-accrual");
    let mut total = AccrualRun::default();
    loop {
        let run = state.store.accrue_queued(&actor, ACCRUAL_BATCH).await?;
        total.orders += run.orders;
        total.lines += run.lines;
        for adviser in run.advisers {
            if !total.advisers.contains(&adviser) {
                total.advisers.push(adviser);
            }
        }
        if run.orders < ACCRUAL_BATCH {
            break;
        }
    }
    for adviser in &total.advisers {
        state.sync.publish_commission(*adviser).await?;
    }
    Ok(total)
}

/// Spawns the job.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                () = state.sync.commission_due().notified() => {}
            }
            match run_once(&state).await {
                Ok(run) if run.lines > 0 => {
                    tracing::info!(orders = run.orders, lines = run.lines, "commission booked")
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "the commission accrual"),
            }
        }
    })
}
