//! The reminders job: what the office's rules make due becomes a reminder in SQL
//! and a task in the adviser's workspace (the phone's Today screen). The hub runs it
//! when it starts and every hour; the Reminders page and `fieldcase customer
//! reminders --run` run it at once. A reminder is made once per rule, customer and
//! basis, and written into the workspace once (`pushed_at`); what the adviser does
//! with the task (done, snoozed) comes back through the projection.

use time::Date;

use crate::customers::store::reminders::{self as store, Reminder};
use crate::store::Store;
use crate::sync::SyncHub;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Run {
    /// Reminders made.
    pub made: u64,
    /// Tasks written into workspaces.
    pub pushed: usize,
}

/// The task a reminder is in the adviser's workspace.
pub fn task(r: &Reminder) -> fieldcase_shared::docs::records::VisitRecord {
    fieldcase_shared::docs::records::VisitRecord {
        client: r.client.to_string(),
        kind: r.rule.visit_kind().to_owned(),
        title: r.title.clone(),
        planned_for: r.due_on.to_string(),
        note: String::new(),
        done_at: String::new(),
    }
}

/// Makes what is due by `today` and, when the hub runs here (`sync`), writes every
/// reminder not yet written into its adviser's workspace (the CLI has no hub: the
/// hub writes them at its next run).
pub async fn run(store: &dyn Store, sync: Option<&SyncHub>, today: Date) -> anyhow::Result<Run> {
    let due = store.due_reminders(today).await?;
    let made = store.insert_reminders(&due).await?;
    let mut pushed = 0;
    if let Some(sync) = sync {
        let waiting = store.unpushed_reminders(store::RUN_LIMIT).await?;
        for (adviser, list) in store::by_adviser(waiting) {
            let tasks: Vec<(String, _)> =
                list.iter().map(|r| (r.id.to_string(), task(r))).collect();
            pushed += sync.put_tasks(adviser, &tasks).await?;
            let ids: Vec<uuid::Uuid> = list.iter().map(|r| r.id).collect();
            store.mark_pushed(&ids).await?;
        }
    }
    if made > 0 || pushed > 0 {
        tracing::info!(made, pushed, "reminders");
    }
    Ok(Run { made, pushed })
}

/// Assigns customers by region ([`crate::customers::assign::by_rules`]) and runs
/// [`run`], now and then every hour for as long as the hub runs.
pub fn every_hour(state: crate::state::AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            // New customers without an adviser first: their reminders follow.
            let actor = crate::store::Actor::system("assignment");
            if let Err(err) = crate::customers::assign::by_rules(&state, &actor).await {
                tracing::warn!(%err, "assigning customers by region failed; the next run tries again");
            }
            let today = time::OffsetDateTime::now_utc().date();
            if let Err(err) = run(state.store.as_ref(), Some(&state.sync), today).await {
                tracing::warn!(%err, "the reminders run failed; the next one tries again");
            }
        }
    })
}
