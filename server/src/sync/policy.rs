//! Who may sync which document. Decisions come from the hub's database, cached in
//! memory because samod asks for every (open document, connected device) pair.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use fieldcase_shared::{AdviserId, DeviceId};
use futures::{Stream, StreamExt};
use samod::{DocumentId, PeerId, ShareConfig};
use tokio::sync::watch;

use crate::store::Store;

/// What a document is, for access decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocAccess {
    /// The catalog: read-only for every device.
    Catalog,
    /// A workspace: read-write for that adviser's devices only.
    Workspace(AdviserId),
}

struct DeviceEntry {
    adviser: AdviserId,
    revoked: watch::Sender<bool>,
    /// Bumped to end the device's live connections without revoking it (its
    /// workspace was replaced: it dials again and is told the new one).
    cut: watch::Sender<u64>,
}

struct State {
    store: Arc<dyn Store>,
    docs: RwLock<HashMap<DocumentId, DocAccess>>,
    devices: Mutex<HashMap<String, DeviceEntry>>,
}

/// The hub's share policy.
#[derive(Clone)]
pub struct HubPolicy {
    state: Arc<State>,
}

impl HubPolicy {
    /// An empty policy over `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            state: Arc::new(State {
                store,
                docs: RwLock::default(),
                devices: Mutex::default(),
            }),
        }
    }

    fn docs(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<DocumentId, DocAccess>> {
        self.state
            .docs
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the catalog document.
    pub fn set_catalog(&self, doc: DocumentId) {
        self.docs().insert(doc, DocAccess::Catalog);
    }

    /// Adds a workspace document.
    pub fn add_workspace(&self, doc: DocumentId, adviser: AdviserId) {
        self.docs().insert(doc, DocAccess::Workspace(adviser));
    }

    /// Forgets a workspace document: no device may sync it from now on.
    pub fn remove_workspace(&self, doc: &DocumentId) {
        self.docs().remove(doc);
    }

    /// Ends the live connections of every device of an adviser (they may dial again).
    pub fn disconnect_adviser(&self, adviser: AdviserId) {
        self.each_device_of(adviser, |entry| entry.cut.send_modify(|n| *n += 1));
    }

    fn each_device_of(&self, adviser: AdviserId, mut f: impl FnMut(&DeviceEntry)) {
        let devices = self
            .state
            .devices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        devices
            .values()
            .filter(|e| e.adviser == adviser)
            .for_each(&mut f);
    }

    /// Loads every workspace document from the database.
    pub async fn load_workspaces(&self) -> anyhow::Result<()> {
        let rows = self.state.store.workspace_docs().await?;
        let mut docs = self.docs();
        for (adviser, id) in rows {
            match id.parse::<DocumentId>() {
                Ok(doc) => {
                    docs.insert(doc, DocAccess::Workspace(adviser));
                }
                Err(e) => tracing::error!(id, ?e, "unreadable workspace document id"),
            }
        }
        Ok(())
    }

    /// Registers a device about to connect; returns the signals that fire when it is
    /// revoked and when its connections are to end ([`Self::disconnect_adviser`]).
    pub fn register(
        &self,
        device: DeviceId,
        adviser: AdviserId,
    ) -> (watch::Receiver<bool>, watch::Receiver<u64>) {
        let mut devices = self
            .state
            .devices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let entry = devices
            .entry(super::device_peer_id(device).to_string())
            .or_insert_with(|| DeviceEntry {
                adviser,
                revoked: watch::channel(false).0,
                cut: watch::channel(0).0,
            });
        // A device revoked earlier and enrolled again never reuses an id, so a revoked
        // entry is only ever reached by a stale token, which the HTTP check refuses.
        (entry.revoked.subscribe(), entry.cut.subscribe())
    }

    /// Revokes one device.
    pub fn revoke(&self, device: DeviceId) {
        let devices = self
            .state
            .devices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = devices.get(super::device_peer_id(device).as_str()) {
            entry.revoked.send_replace(true);
        }
    }

    /// Revokes every device of an adviser.
    pub fn revoke_adviser(&self, adviser: AdviserId) {
        self.each_device_of(adviser, |entry| {
            entry.revoked.send_replace(true);
        });
    }

    fn decide(
        &self,
        doc: &DocumentId,
        peer: &PeerId,
    ) -> (ShareConfig, Option<watch::Receiver<bool>>) {
        let devices = self
            .state
            .devices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(device) = devices.get(peer.as_str()) else {
            return (ShareConfig::none(), None);
        };
        let revoked = device.revoked.subscribe();
        if *revoked.borrow() {
            return (ShareConfig::none(), None);
        }
        let docs = self
            .state
            .docs
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let config = match docs.get(doc) {
            Some(DocAccess::Catalog) => ShareConfig::read_only(),
            Some(DocAccess::Workspace(owner)) if *owner == device.adviser => {
                ShareConfig::read_write()
            }
            // Someone else's workspace or an unknown id: indistinguishable from missing.
            _ => ShareConfig::none(),
        };
        (config, Some(revoked))
    }
}

impl samod::SharePolicy for HubPolicy {
    fn share(
        &self,
        doc_id: DocumentId,
        peer_id: PeerId,
    ) -> impl Stream<Item = ShareConfig> + Send + 'static {
        let (first, revoked) = self.decide(&doc_id, &peer_id);
        let later = futures::stream::unfold(revoked, |revoked| async move {
            let mut rx = revoked?;
            // Wait for the revocation; a dropped sender (hub stopping) ends the stream.
            rx.wait_for(|r| *r).await.ok()?;
            Some((ShareConfig::none(), None))
        });
        futures::stream::once(async move { first }).chain(later)
    }
}
