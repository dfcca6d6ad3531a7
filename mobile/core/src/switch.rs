//! Moving to a workspace the hub rewrote without its history (GDPR erasure,
//! `server/src/sync/rewrite.rs`): the phone fetches the new document, carries over
//! what it changed since the hub last confirmed the old one (except edits of erased
//! customers, `fieldcase_shared::docs::rewrite::port`), and deletes every byte of
//! the old one from its database.

use anyhow::Context;

use crate::{Device, ENROLMENT_KEY, status};

impl Device {
    /// The workspace the hub replaced this one with, once it said so (the app then
    /// calls [`Device::switch_workspace`]).
    pub fn moved_to(&self) -> Option<String> {
        self.moved.borrow().clone()
    }

    /// Moves to the new workspace and returns the device over it; this one stops.
    /// Until the new enrolment is saved, a failure leaves the local database as it
    /// was ([`Device::open`] opens the old workspace, and the hub says it moved
    /// again on the next dial).
    pub async fn switch_workspace(&self) -> anyhow::Result<Device> {
        let new_doc = self
            .moved_to()
            .context("the hub has not replaced this workspace")?;
        let old_doc = self.enrolment.workspace_doc.clone();
        // What the hub confirmed of the old document, and the phone's copy of it.
        let base = self.tracker.subscribe().borrow().hashes();
        let old = self.workspace.with_document(|d| d.clone());
        self.tracker.stop();
        self.go_offline();
        self.repo.stop().await;

        let db = self.db.clone();
        let mut enrolment = self.enrolment.clone();
        enrolment.workspace_doc = new_doc.clone();
        let repo = Self::repo(&db, &enrolment).await;
        let device = Self::connect(db.clone(), repo, enrolment.clone()).await?;
        // The hub has all of the new document; the carried changes are pending.
        let heads = device.workspace.with_document(|d| d.get_heads());
        status::confirmed(&db, &heads).await?;
        let changes = device.workspace.with_document(|doc| {
            let before = doc.get_heads();
            let carried = fieldcase_shared::docs::rewrite::port(&old, &base, doc)?;
            tracing::info!(carried, "local changes carried over to the new workspace");
            let changes: Vec<(String, Vec<u8>)> = doc
                .get_changes(&before)
                .into_iter()
                .map(|c| (c.hash().to_string(), c.raw_bytes().to_vec()))
                .collect();
            Ok::<_, fieldcase_shared::docs::DocError>(changes)
        })?;
        db.journal(new_doc, changes).await?;
        db.set_setting(ENROLMENT_KEY, serde_json::to_string(&enrolment)?)
            .await?;
        drop(old);
        db.forget_document(old_doc).await?;
        tracing::info!("moved to the rewritten workspace");
        Ok(device)
    }
}
