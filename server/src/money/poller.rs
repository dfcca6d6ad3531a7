//! The background job that downloads every active bank account now and then
//! every `fio_poll_seconds` for as long as the hub runs; each run is recorded on
//! its account (the Bank page shows the last run, the next, the result and the
//! error). After each round it also publishes to the phones the orders given
//! money by anything else since the round before (the command line's downloads),
//! with an overlap so a transaction committing late is not missed (publishing an
//! unchanged order writes nothing).

use time::{Duration, OffsetDateTime};

use crate::state::AppState;

/// How far back each round looks for allocations beyond the previous round.
const OVERLAP: Duration = Duration::minutes(5);

/// Spawns the poller.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(state.bank.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // At start, what the last day booked (the hub may have been down).
        let mut since = OffsetDateTime::now_utc() - Duration::days(1);
        loop {
            tick.tick().await;
            let new = crate::money::bank::fetch_all(&state).await;
            if new > 0 {
                tracing::info!(new, "bank movements booked");
            }
            let round = OffsetDateTime::now_utc();
            match state.store.orders_allocated_since(since).await {
                Ok(orders) => {
                    for order in orders {
                        if let Err(err) = state.sync.publish_order_info(order).await {
                            tracing::warn!(%err, %order, "publishing an order's payment");
                        }
                    }
                    since = round - OVERLAP;
                }
                Err(err) => tracing::warn!(%err, "reading the orders paid since the last round"),
            }
        }
    })
}
