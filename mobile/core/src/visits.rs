//! Visits and tasks on the phone.

use fieldcase_shared::docs::records::{self, VISITS, VisitRecord};

use crate::{Device, DeviceError, DeviceResult, now_text};

impl Device {
    /// Plans or edits a visit/task after checking its required fields offline.
    pub async fn save_visit(&self, id: &str, visit: &VisitRecord) -> DeviceResult<()> {
        let problems = visit.problems();
        if !problems.is_empty() {
            return Err(DeviceError::Invalid(problems));
        }
        let (key, visit) = (id.to_owned(), visit.clone());
        self.change(move |tx| records::put(tx, VISITS, &key, &visit))
            .await?;
        Ok(())
    }

    /// Marks a visit/task done now.
    pub async fn complete_visit(&self, id: &str) -> anyhow::Result<()> {
        let key = id.to_owned();
        let Some(mut visit) = self.workspace.with_document(|doc| {
            records::get::<VisitRecord>(doc, VISITS, &key)
                .ok()
                .flatten()
        }) else {
            anyhow::bail!("no such visit");
        };
        visit.done_at = now_text();
        self.change(move |tx| records::put(tx, VISITS, &key, &visit))
            .await
    }

    /// Snoozes a task on `today` (a reminder the office made: a week on,
    /// `fieldcase_shared::reminder::snoozed`).
    pub async fn snooze_visit(&self, id: &str, today: time::Date) -> anyhow::Result<()> {
        let key = id.to_owned();
        let Some(visit) = self.workspace.with_document(|doc| {
            records::get::<VisitRecord>(doc, VISITS, &key)
                .ok()
                .flatten()
        }) else {
            anyhow::bail!("no such visit");
        };
        let visit = fieldcase_shared::reminder::snoozed(&visit, today);
        self.change(move |tx| records::put(tx, VISITS, &key, &visit))
            .await
    }

    /// Visits and tasks, earliest planned first (unreadable dates last).
    pub fn visits(&self) -> Vec<(String, VisitRecord)> {
        let mut visits: Vec<(String, VisitRecord)> = self.all(VISITS);
        visits.sort_by_key(|(id, v)| (v.planned_date().is_none(), v.planned_date(), id.clone()));
        visits
    }
}
