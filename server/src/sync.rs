//! Sync with the advisers' devices: a samod repo inside the hub, its storage over
//! the hub's database, a share policy backed by the database, and the `/sync`
//! WebSocket. A device authenticates with its bearer token and is bound to the
//! peer id `device:{id}`; it may read and write its adviser's workspace, read the
//! catalog, and nothing else (anything else looks like a missing document).

mod frames;
mod moves;
mod policy;
pub mod projector;
mod publish;
mod rewrite;
mod storage;
pub mod ws;

use std::sync::Arc;

use anyhow::Context;
use fieldcase_shared::docs::records;
use fieldcase_shared::{
    AdviserId, DeviceId, OrderId, OrderStatus, Role, TransitionDenied, can_transition, docs,
};
use samod::{DocumentId, PeerId};

use crate::store::Store;
pub use policy::DocAccess;
pub use storage::StorageHealth;
pub use ws::router;

/// Why an office status change was refused.
#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    /// No such order (or it has no workspace).
    #[error("order not found")]
    NotFound,
    /// The role may not make this move.
    #[error("{0}")]
    Denied(TransitionDenied),
    /// Someone moved the order since the user saw it.
    #[error("the order moved from {seen} to {now} meanwhile")]
    Stale {
        /// The status the user saw.
        seen: OrderStatus,
        /// The status it has now.
        now: OrderStatus,
    },
    /// The database refused (e.g. the status changed meanwhile).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Anything else.
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// The hub's own peer id; devices pin it when they dial.
pub const HUB_PEER_ID: &str = "hub";

/// The peer id a device must use.
pub fn device_peer_id(device: DeviceId) -> PeerId {
    PeerId::from(format!("device:{device}"))
}

/// The running sync side of the hub.
pub struct SyncHub {
    repo: samod::Repo,
    pub(crate) acceptor: samod::AcceptorHandle,
    pub(crate) policy: policy::HubPolicy,
    store: Arc<dyn Store>,
    catalog: DocumentId,
    /// Workspaces whose authority/projection task runs (started on first use after
    /// the hub starts: a device connecting or the office writing).
    watched: std::sync::Mutex<std::collections::HashSet<DocumentId>>,
    /// Whether the storage is currently failing writes (for `/readyz`).
    pub health: Arc<StorageHealth>,
    /// The catalog version (`catalog::price::CATALOG_VERSION`) last published
    /// (`None`: not published since the hub started).
    catalog_version: std::sync::Mutex<Option<Option<String>>>,
    /// The hub's settings links are made from (public URL, tracking pages); set once
    /// by the application state (defaults until then).
    config: std::sync::OnceLock<crate::config::Config>,
    /// Woken when an order's status or payment changed: the commission accrual
    /// job (`commission/accrue.rs`) runs.
    commission_due: tokio::sync::Notify,
}

impl SyncHub {
    /// Starts the repo over `store`, creating the catalog document on first start.
    pub async fn start(store: Arc<dyn Store>) -> anyhow::Result<Arc<SyncHub>> {
        let health = Arc::new(StorageHealth::default());
        let policy = policy::HubPolicy::new(store.clone());
        let repo = samod::Repo::build_tokio()
            .with_peer_id(PeerId::from(HUB_PEER_ID))
            .with_storage(storage::HubStorage::new(store.clone(), health.clone()))
            .with_share_policy(policy.clone())
            .load()
            .await;
        let url = samod::Url::parse("ws://fieldcase-hub/sync").context("sync URL")?;
        let acceptor = repo
            .make_acceptor(url)
            .context("the sync repo stopped while starting")?;
        let catalog = match store.catalog_doc().await? {
            Some(id) => id
                .parse()
                .map_err(|e| anyhow::anyhow!("stored catalog id {id:?}: {e:?}"))?,
            None => {
                let handle = repo
                    .create(docs::new_catalog()?)
                    .await
                    .context("creating the catalog")?;
                let id = handle.document_id().clone();
                store.set_catalog_doc(&id.to_string()).await?;
                tracing::info!(doc = %id, "created the catalog document");
                id
            }
        };
        policy.set_catalog(catalog.clone());
        policy.load_workspaces().await?;
        let hub = Arc::new(SyncHub {
            repo,
            acceptor,
            policy,
            store,
            catalog,
            watched: Default::default(),
            health,
            catalog_version: Default::default(),
            config: Default::default(),
            commission_due: tokio::sync::Notify::new(),
        });
        hub.publish_offers().await?;
        hub.publish_catalog_if_changed().await?;
        Ok(hub)
    }

    /// The settings the hub's published links are made from (the first call wins).
    pub fn use_config(&self, config: &crate::config::Config) {
        let _ = self.config.set(config.clone());
    }

    /// The settings links are made from.
    /// Wakes the commission accrual job when waited on (`notified()`).
    pub fn commission_due(&self) -> &tokio::sync::Notify {
        &self.commission_due
    }

    pub(crate) fn config(&self) -> crate::config::Config {
        self.config.get().cloned().unwrap_or_default()
    }

    /// The catalog document's id.
    pub fn catalog_id(&self) -> &DocumentId {
        &self.catalog
    }

    /// The adviser's workspace document, created (empty) on first use.
    pub async fn ensure_workspace(&self, adviser: AdviserId) -> anyhow::Result<DocumentId> {
        if let Some(id) = self.store.workspace_doc(adviser).await? {
            let id: DocumentId = id
                .parse()
                .map_err(|e| anyhow::anyhow!("stored workspace id {id:?}: {e:?}"))?;
            self.watch_workspace(id.clone(), adviser, Vec::new()).await;
            return Ok(id);
        }
        // The adviser may already have records at the office (the demo, rows that
        // came from elsewhere): the document starts with them, so the phone and the
        // office show the same from the first sync.
        let records = self.store.adviser_records(adviser).await?;
        let mut doc = docs::new_workspace(adviser)?;
        if !records.is_empty() {
            doc.transact(|tx| {
                records::put_many(
                    tx,
                    &records.clients,
                    &records.prescriptions,
                    &records.orders,
                )
            })
            .map_err(|f| anyhow::anyhow!("filling a new workspace: {}", f.error))?;
            tracing::info!(%adviser, clients = records.clients.len(), orders = records.orders.len(), "new workspace starts with the office's records");
        }
        let handle = self
            .repo
            .create(doc)
            .await
            .context("creating a workspace")?;
        let id = handle.document_id().clone();
        // Two enrolments racing for the same adviser: the second insert loses on the
        // unique key and takes the winner's document instead.
        if let Err(err) = self.store.set_workspace_doc(adviser, &id.to_string()).await {
            tracing::debug!(%err, "workspace created concurrently");
            let existing = self
                .store
                .workspace_doc(adviser)
                .await?
                .context("workspace vanished")?;
            return existing
                .parse()
                .map_err(|e| anyhow::anyhow!("stored workspace id {existing:?}: {e:?}"));
        }
        self.policy.add_workspace(id.clone(), adviser);
        // Its records are SQL's own: the authority starts after them.
        let created_at_heads = handle.with_document(|d| d.get_heads());
        self.watch_workspace(id.clone(), adviser, created_at_heads)
            .await;
        tracing::info!(doc = %id, %adviser, "created a workspace document");
        Ok(id)
    }

    /// Starts the hub's authority and projection over one workspace (once), from
    /// `since` (empty: the whole document).
    async fn watch_workspace(
        &self,
        doc: DocumentId,
        adviser: AdviserId,
        since: Vec<automerge::ChangeHash>,
    ) {
        let fresh = self
            .watched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(doc.clone());
        if !fresh {
            return;
        }
        match self.repo.find(doc.clone()).await {
            Ok(Some(handle)) => {
                tokio::spawn(projector::watch(self.store.clone(), handle, adviser, since));
            }
            Ok(None) => {
                tracing::error!(%doc, "workspace document missing from storage; not watched")
            }
            Err(_) => tracing::error!(%doc, "sync repo stopped; workspace not watched"),
        }
    }

    /// The office changes an order's status: checked against `role`'s transitions,
    /// written to SQL (compare-and-set against the accepted status) and into the
    /// adviser's document in one path, with a notification in their inbox. Because
    /// the projection already holds the new status when the document change arrives,
    /// the hub's authority accepts it instead of bouncing it.
    pub async fn set_order_status(
        &self,
        actor: &crate::store::Actor,
        role: Role,
        order: OrderId,
        to: OrderStatus,
    ) -> Result<(), StatusChangeError> {
        self.move_order(actor, role, order, None, to).await
    }

    /// Like [`Self::set_order_status`], for a user who saw the order in status
    /// `seen`: when someone moved it meanwhile, nothing changes and the answer is
    /// [`StatusChangeError::Stale`] (so a click on an old screen never makes a move
    /// its user did not see).
    pub async fn change_order_status(
        &self,
        actor: &crate::store::Actor,
        role: Role,
        order: OrderId,
        seen: OrderStatus,
        to: OrderStatus,
    ) -> Result<(), StatusChangeError> {
        self.move_order(actor, role, order, Some(seen), to).await
    }

    async fn move_order(
        &self,
        actor: &crate::store::Actor,
        role: Role,
        order: OrderId,
        seen: Option<OrderStatus>,
        to: OrderStatus,
    ) -> Result<(), StatusChangeError> {
        let from = self
            .store
            .order_status(order)
            .await?
            .ok_or(StatusChangeError::NotFound)?;
        if let Some(seen) = seen.filter(|s| *s != from) {
            return Err(StatusChangeError::Stale { seen, now: from });
        }
        can_transition(role, from, to).map_err(StatusChangeError::Denied)?;
        let adviser = self
            .store
            .order_adviser(order)
            .await?
            .ok_or(StatusChangeError::NotFound)?;
        let doc = self
            .ensure_workspace(adviser)
            .await
            .map_err(StatusChangeError::Internal)?;
        let handle = self
            .repo
            .find(doc)
            .await
            .ok()
            .flatten()
            .ok_or(StatusChangeError::NotFound)?;
        let id = order.to_string();
        // Every order lives in its adviser's document: one missing there is an error,
        // found before SQL changes (the phone would never learn of the change).
        let in_document = handle
            .with_document(|d| records::get::<records::OrderRecord>(d, records::ORDERS, &id))
            .map_err(|e| StatusChangeError::Internal(anyhow::anyhow!("reading the order: {e}")))?
            .is_some();
        if !in_document {
            return Err(StatusChangeError::Internal(anyhow::anyhow!(
                "order {id} is in SQL but not in its adviser's document"
            )));
        }
        self.store.set_order_status(actor, order, from, to).await?;
        let note = records::InboxRecord {
            at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            kind: "notification".into(),
            about: format!("orders/{id}"),
            text_cs: format!(
                "Kancelář změnila stav objednávky na „{}“.",
                to.label(fieldcase_shared::Lang::Cs)
            ),
            text_en: format!(
                "The office changed the order's status to \"{}\".",
                to.label(fieldcase_shared::Lang::En)
            ),
            read: false,
        };
        handle
            .with_document(|d| {
                d.transact::<_, _, docs::DocError>(|tx| {
                    let mut rec = records::get::<records::OrderRecord>(tx, records::ORDERS, &id)?
                        .ok_or_else(|| {
                        docs::DocError::Automerge(format!("order {id} vanished"))
                    })?;
                    rec.status = to.code().to_owned();
                    records::put(tx, records::ORDERS, &id, &rec)?;
                    records::put(
                        tx,
                        records::INBOX,
                        &format!("office-{id}-{}", to.code()),
                        &note,
                    )
                })
            })
            .map_err(|f| {
                StatusChangeError::Internal(anyhow::anyhow!("writing the status: {}", f.error))
            })?;
        // The phone's timeline follows (the change itself is already done).
        if let Err(err) = self.publish_order_info(order).await {
            tracing::warn!(%err, %order, "publishing the order's timeline");
        }
        Ok(())
    }

    /// Rebuilds the SQL projection of every workspace from the documents (upserts;
    /// records removed from a document are kept in SQL as history). Returns how
    /// many workspaces were read.
    pub async fn rebuild_projections(&self) -> anyhow::Result<usize> {
        let mut count = 0;
        for (adviser, id) in self.store.workspace_docs().await? {
            let doc: DocumentId = id
                .parse()
                .map_err(|e| anyhow::anyhow!("workspace id {id:?}: {e:?}"))?;
            let handle = self
                .repo
                .find(doc)
                .await
                .ok()
                .flatten()
                .with_context(|| format!("workspace {id} missing from storage"))?;
            projector::step(
                self.store.as_ref(),
                &handle,
                adviser,
                &[],
                projector::Mode::Rebuild,
            )
            .await?;
            count += 1;
        }
        Ok(count)
    }

    /// The repo, for the hub's own reads and writes of documents.
    pub fn repo(&self) -> &samod::Repo {
        &self.repo
    }

    /// Cuts a device off now: its share decisions turn to none and its live
    /// connections end. (Its token must be revoked in the store as well.)
    pub fn revoke_device(&self, device: DeviceId) {
        self.policy.revoke(device);
    }

    /// Cuts off every device of an adviser (deactivation).
    pub fn revoke_adviser(&self, adviser: AdviserId) {
        self.policy.revoke_adviser(adviser);
    }

    /// Flushes storage and stops the repo.
    pub async fn stop(&self) {
        self.acceptor.close();
        // Waits for the storage to flush, unless the database has been failing for
        // five seconds: a hub must stop even when its database is gone. What it
        // could not save is still on the devices, and they sync it again.
        let stop = self.repo.stop();
        tokio::pin!(stop);
        let mut failing_since: Option<std::time::Instant> = None;
        loop {
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(std::time::Duration::from_millis(200)) => {
                    if !self.health.is_failing() {
                        failing_since = None;
                        continue;
                    }
                    let since = failing_since.get_or_insert_with(std::time::Instant::now);
                    if since.elapsed() > std::time::Duration::from_secs(5) {
                        tracing::error!("stopping without flushing the sync storage: the database has failed for 5 s");
                        return;
                    }
                }
            }
        }
    }
}
