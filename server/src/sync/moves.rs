//! A customer moving between workspaces (assignment): their records written into
//! the new adviser's workspace, and removed from the old one's with a note, so
//! neither phone keeps a reference to what it no longer holds.

use fieldcase_shared::AdviserId;
use fieldcase_shared::docs::records::{self, InboxRecord};

use super::SyncHub;
use crate::store::AdviserRecords;

impl SyncHub {
    /// Writes `moved` (one customer's record, prescriptions and open orders) into
    /// `to`'s workspace and, when they were `from`'s, removes them from that
    /// workspace with `note` (cs, en) in its inbox. SQL has moved them already.
    pub async fn move_records(
        &self,
        moved: &AdviserRecords,
        from: Option<AdviserId>,
        to: AdviserId,
        note: (&str, &str),
    ) -> anyhow::Result<()> {
        let doc = self.ensure_workspace(to).await?;
        let handle = self.handle(&doc).await?;
        handle
            .with_document(|d| {
                d.transact(|tx| {
                    records::put_many(tx, &moved.clients, &moved.prescriptions, &moved.orders)
                })
            })
            .map_err(|f| anyhow::anyhow!("writing a moved customer: {}", f.error))?;
        let Some(from) = from.filter(|f| *f != to) else {
            return Ok(());
        };
        let doc = self.ensure_workspace(from).await?;
        let handle = self.handle(&doc).await?;
        let at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        handle
            .with_document(|d| {
                d.transact(|tx| {
                    for (id, _) in &moved.orders {
                        records::remove(tx, records::ORDERS, id)?;
                    }
                    for (id, _) in &moved.prescriptions {
                        records::remove(tx, records::PRESCRIPTIONS, id)?;
                    }
                    for (id, _) in &moved.clients {
                        records::remove(tx, records::CLIENTS, id)?;
                        let entry = InboxRecord {
                            at: at.clone(),
                            kind: "notification".into(),
                            about: format!("{}/{id}", records::CLIENTS),
                            text_cs: note.0.to_owned(),
                            text_en: note.1.to_owned(),
                            read: false,
                        };
                        records::put(tx, records::INBOX, &format!("moved-{id}"), &entry)?;
                    }
                    Ok::<_, fieldcase_shared::docs::DocError>(())
                })
            })
            .map_err(|f| anyhow::anyhow!("removing a moved customer: {}", f.error))?;
        Ok(())
    }
}
