//! A workspace rewritten without its history (GDPR erasure): the hub stops every
//! device syncing it, copies its current state minus the erased customers' personal
//! data into a new document (`fieldcase_shared::docs::rewrite`), makes that the
//! adviser's workspace and deletes the old one's chunks. Phones holding the old one
//! are answered 409 with the new id on their next dial (`ws.rs`) and carry their
//! offline changes over (`fieldcase-device`, `Device::switch_workspace`).

use std::collections::BTreeSet;

use anyhow::Context;
use fieldcase_shared::AdviserId;
use fieldcase_shared::docs::rewrite;
use samod::DocumentId;

use super::SyncHub;

impl SyncHub {
    /// Rewrites `adviser`'s workspace without its history and without the personal
    /// data of the customers `erased` (ids); returns the new document (`None`: the
    /// adviser has no workspace, nothing to do).
    pub async fn rewrite_workspace(
        &self,
        adviser: AdviserId,
        erased: &BTreeSet<String>,
    ) -> anyhow::Result<Option<DocumentId>> {
        let Some(old) = self.store.workspace_doc(adviser).await? else {
            return Ok(None);
        };
        let old_id: DocumentId = old
            .parse()
            .map_err(|e| anyhow::anyhow!("stored workspace id {old:?}: {e:?}"))?;
        // No device syncs the old document from now on: its share decisions turn to
        // none and live connections end (a phone dials again and is told the new one).
        self.policy.remove_workspace(&old_id);
        self.policy.disconnect_adviser(adviser);
        let handle = self.handle(&old_id).await?;
        let at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let copy = handle
            .with_document(|d| rewrite::without_history(d, erased, &at))
            .context("rewriting the workspace")?;
        let new = self
            .repo
            .create(copy)
            .await
            .map_err(|_| anyhow::anyhow!("the sync repo has stopped"))?;
        let new_id = new.document_id().clone();
        self.health.forget(&old);
        if !self
            .store
            .replace_workspace_doc(adviser, &old, &new_id.to_string())
            .await?
        {
            // Someone replaced it meanwhile: the old one stays theirs to share.
            self.policy.add_workspace(old_id, adviser);
            anyhow::bail!("the workspace of {adviser} changed during its rewrite");
        }
        self.policy.add_workspace(new_id.clone(), adviser);
        self.watched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&old_id);
        // The copy holds what SQL holds already: the authority starts after it.
        let heads = new.with_document(|d| d.get_heads());
        self.watch_workspace(new_id.clone(), adviser, heads).await;
        tracing::info!(%adviser, old = %old_id, new = %new_id, erased = erased.len(), "workspace rewritten without its history");
        Ok(Some(new_id))
    }
}
