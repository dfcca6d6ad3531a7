//! What the app shows about sync: connected or not, when the hub last had
//! everything, how many local changes it has not confirmed, and rejections waiting.
//!
//! The hub confirms changes through the automerge sync protocol: samod reports, per
//! connection, the heads both sides share. The tracker keeps the latest shared heads
//! (and when they last covered everything) in the local database, so the pending
//! count survives a restart while offline.

use std::sync::Arc;

use automerge::{ChangeHash, ReadDoc};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::{Device, LocalDb, now_text};
use fieldcase_shared::docs::records;

/// What the app's status bar shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    /// Connected to the hub now.
    pub connected: bool,
    /// When the hub last held every local change (RFC 3339), if ever.
    pub last_sync: Option<String>,
    /// Local changes the hub has not confirmed yet.
    pub pending_changes: u64,
    /// Unread inbox entries that report a rejected change.
    pub rejections: u64,
    /// Local changes not yet known to be in samod's own storage (journal entries).
    pub pending_journal: u64,
    /// The hub refused this device's token: it was revoked in the office.
    pub revoked: bool,
}

/// The hub's confirmation of the workspace, as last seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acked {
    /// Heads the hub is known to have.
    pub heads: Vec<String>,
    /// When those heads covered everything local.
    pub last_sync: Option<String>,
}

impl Acked {
    pub(crate) fn hashes(&self) -> Vec<ChangeHash> {
        self.heads.iter().filter_map(|h| h.parse().ok()).collect()
    }
}

const ACKED_KEY: &str = "hub_acked";

/// Records that the hub has `heads` (a workspace it just handed over whole).
pub(crate) async fn confirmed(db: &LocalDb, heads: &[ChangeHash]) -> anyhow::Result<()> {
    let acked = Acked {
        heads: heads.iter().map(ToString::to_string).collect(),
        last_sync: Some(now_text()),
    };
    db.set_setting(ACKED_KEY, serde_json::to_string(&acked)?)
        .await?;
    Ok(())
}

/// Follows samod's per-connection state of the workspace.
pub(crate) struct Tracker {
    acked: watch::Receiver<Acked>,
    task: tokio::task::AbortHandle,
}

impl Tracker {
    pub(crate) async fn start(
        db: &LocalDb,
        workspace: &samod::DocHandle,
    ) -> anyhow::Result<Tracker> {
        let stored: Acked = match db.setting(ACKED_KEY).await? {
            Some(text) => serde_json::from_str(&text).unwrap_or_default(),
            None => Acked::default(),
        };
        let (tx, rx) = watch::channel(stored);
        let tx = Arc::new(tx);
        let (now, mut updates) = workspace.peers();
        let handle = workspace.clone();
        let db = db.clone();
        let task = tokio::spawn(async move {
            let mut seen = now;
            // Persist at most once a minute when only the time moves on.
            let mut persisted = std::time::Instant::now();
            loop {
                for state in seen.values() {
                    let Some(shared) = &state.shared_heads else {
                        continue;
                    };
                    let local = handle.with_document(|d| d.get_heads());
                    let heads: Vec<String> = shared.iter().map(ToString::to_string).collect();
                    let current = tx.borrow().clone();
                    let in_sync = *shared == local && !local.is_empty();
                    if heads == current.heads && !in_sync {
                        continue;
                    }
                    let next = Acked {
                        last_sync: if in_sync {
                            Some(now_text())
                        } else {
                            current.last_sync.clone()
                        },
                        heads,
                    };
                    let worth_keeping = next.heads != current.heads
                        || persisted.elapsed() > std::time::Duration::from_secs(60);
                    tx.send_replace(next.clone());
                    if !worth_keeping {
                        continue;
                    }
                    persisted = std::time::Instant::now();
                    match serde_json::to_string(&next) {
                        Ok(text) => {
                            if let Err(err) = db.set_setting(ACKED_KEY, text).await {
                                tracing::warn!(%err, "keeping the hub's confirmation");
                            }
                        }
                        Err(err) => tracing::warn!(%err, "encoding the hub's confirmation"),
                    }
                }
                match updates.next().await {
                    Some(update) => seen = update,
                    None => return,
                }
            }
        });
        Ok(Tracker {
            acked: rx,
            task: task.abort_handle(),
        })
    }

    pub(crate) fn stop(&self) {
        self.task.abort();
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<Acked> {
        self.acked.clone()
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Device {
    /// Sync status for the app's status bar.
    pub async fn sync_status(&self) -> anyhow::Result<SyncStatus> {
        let acked = self.tracker.acked.borrow().clone();
        Ok(SyncStatus {
            connected: self.connected(),
            last_sync: acked.last_sync.clone(),
            pending_changes: self.unconfirmed(&acked.hashes()).len() as u64,
            rejections: self
                .inbox()
                .iter()
                .filter(|(_, e)| e.kind == "rejection" && !e.read)
                .count() as u64,
            pending_journal: self.db.journal_len().await?,
            revoked: self.is_revoked(),
        })
    }

    /// Changes the hub has not confirmed, given the heads it confirmed.
    fn unconfirmed(&self, acked: &[ChangeHash]) -> Vec<ChangeHash> {
        self.workspace.with_document(|doc| {
            let known: Vec<ChangeHash> = acked
                .iter()
                .copied()
                .filter(|h| doc.get_change_by_hash(h).is_some())
                .collect();
            doc.get_changes(&known).iter().map(|c| c.hash()).collect()
        })
    }

    /// True once the hub has confirmed every change in `heads` (e.g. the heads
    /// right after a save): the load simulator's "change → ack".
    pub fn hub_has(&self, heads: &[ChangeHash]) -> bool {
        let acked = self.tracker.acked.borrow().hashes();
        let missing = self.unconfirmed(&acked);
        heads.iter().all(|h| !missing.contains(h))
    }

    /// Fires whenever the hub confirms more (see [`Device::hub_has`]).
    pub fn confirmations(&self) -> watch::Receiver<Acked> {
        self.tracker.acked.clone()
    }

    /// The workspace's current heads.
    pub fn heads(&self) -> Vec<ChangeHash> {
        self.workspace.with_document(|d| d.get_heads())
    }

    /// Inbox entries about `about` (e.g. `orders/<id>`), newest first.
    pub fn inbox_about(&self, about: &str) -> Vec<(String, records::InboxRecord)> {
        self.inbox()
            .into_iter()
            .filter(|(_, e)| e.about == about)
            .collect()
    }
}
