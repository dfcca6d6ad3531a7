//! The daily export to Pohoda: a job in `serve` that, once the Prague clock is
//! past `pohoda_export_hour`, exports the day before (when no export of that day
//! was made yet, by hand or by the job) into `pohoda_dir` as
//! `pohoda-YYYY-MM-DD.xml`, for the accountant to import. Looked at every ten
//! minutes; a failure is logged and tried again at the next look.

use std::time::Duration;

use fieldcase_shared::Role;
use time::Date;

use super::export::export_day;
use crate::state::AppState;
use crate::store::Actor;

/// The day the job should have exported by `now` (Prague): yesterday once the
/// hour is past, else the day before it.
pub fn due(now: time::OffsetDateTime, hour: u32) -> Option<Date> {
    let prague = now.to_offset(crate::office::ui::prague_offset(now));
    let yesterday = prague.date().previous_day()?;
    if u32::from(prague.hour()) >= hour {
        Some(yesterday)
    } else {
        yesterday.previous_day()
    }
}

/// Exports the due day unless it was exported; the file written, if any.
pub async fn run_once(
    state: &AppState,
    now: time::OffsetDateTime,
) -> anyhow::Result<Option<std::path::PathBuf>> {
    let hour = state.config.pohoda_export_hour;
    let Some(day) = due(now, hour).filter(|_| hour < 24) else {
        return Ok(None);
    };
    if state
        .store
        .pohoda_exports(1000)
        .await?
        .iter()
        .any(|r| r.day == day)
    {
        return Ok(None);
    }
    let export = export_day(
        state.store.as_ref(),
        &state.config,
        &Actor::system("pohoda-job"),
        Role::Admin,
        day,
    )
    .await
    .map_err(|e| anyhow::anyhow!(e.text(fieldcase_shared::Lang::En)))?;
    let dir = state.config.pohoda_path();
    std::fs::create_dir_all(&dir)?;
    let file = dir.join(format!("pohoda-{day}.xml"));
    std::fs::write(&file, &export.bytes)?;
    Ok(Some(file))
}

/// Spawns the job.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&state, time::OffsetDateTime::now_utc()).await {
                Ok(Some(file)) => tracing::info!(file = %file.display(), "Pohoda export written"),
                Ok(None) => {}
                Err(err) => tracing::warn!(%err, "the daily Pohoda export"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::due;

    #[test]
    fn the_day_before_is_due_once_the_hour_is_past_in_prague() {
        // 01:30 UTC is 02:30 in Prague in winter: past 2 o'clock.
        let d = due(datetime!(2026-12-05 01:30 UTC), 2);
        assert_eq!(d, Some(time::macros::date!(2026 - 12 - 04)));
        // 00:30 UTC is 01:30 in Prague: the day before yesterday is still the last due.
        let d = due(datetime!(2026-12-05 00:30 UTC), 2);
        assert_eq!(d, Some(time::macros::date!(2026 - 12 - 03)));
        // Summer: 00:30 UTC is 02:30 in Prague.
        let d = due(datetime!(2026-07-05 00:30 UTC), 2);
        assert_eq!(d, Some(time::macros::date!(2026 - 07 - 04)));
    }
}
