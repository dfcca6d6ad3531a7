//! fieldcase-device — everything on the adviser's phone that is not UI.
//!
//! The phone keeps its documents in a local SQLite file (samod storage over
//! rusqlite), works fully offline, and syncs with the hub whenever it can. Every
//! local write is journaled and committed to SQLite before the call returns, so
//! killing the app right after a save loses nothing: on the next start the journal
//! is replayed into the document (automerge ignores changes it already has).

mod catalog;
mod commission;
pub mod dialer;
use dialer::dial;
mod error;
pub mod local_db;
mod status;
mod switch;
mod visits;
mod work;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use automerge::{ChangeHash, ReadDoc};
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::records::{self, ClientRecord};
use samod::{DialerHandle, DocHandle, DocumentId, PeerId};
use serde::{Deserialize, Serialize};

pub use commission::Commission;
pub use dialer::Refused;
pub use error::{DeviceError, DeviceResult};
pub use local_db::LocalDb;
pub use status::SyncStatus;

/// Clients with their ids.
type Clients = Vec<(ClientId, ClientRecord)>;

/// What the hub handed out at enrolment (kept in the local database).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Enrolment {
    /// The hub's base URL (`http(s)://…`).
    pub hub: String,
    /// Device id.
    pub device_id: String,
    /// Bearer token.
    pub token: String,
    /// This device's peer id.
    pub peer_id: String,
    /// The hub's peer id.
    pub hub_peer_id: String,
    /// Sync path on the hub.
    pub sync_path: String,
    /// Catalog document id.
    pub catalog_doc: String,
    /// Workspace document id.
    pub workspace_doc: String,
    /// The adviser's number (prefix of the variable symbols this phone gives).
    #[serde(default)]
    pub adviser_code: String,
    /// The adviser's name.
    #[serde(default)]
    pub adviser_name: String,
}

/// The device: local documents plus the connection to the hub.
pub struct Device {
    db: LocalDb,
    repo: samod::Repo,
    enrolment: Enrolment,
    workspace: DocHandle,
    catalog: catalog::Catalog,
    dialer: Mutex<Option<DialerHandle<Refused>>>,
    tracker: status::Tracker,
    /// Set once the hub refuses this device's token (revoked in the office).
    revoked: Arc<tokio::sync::watch::Sender<bool>>,
    /// Set to the new workspace once the hub says this one was replaced (rewritten
    /// without its history, GDPR erasure): the app then calls
    /// [`Device::switch_workspace`].
    moved: Moved,
    /// The clients as last read, with the workspace heads they were read at: the
    /// client search reads them on every keystroke.
    clients_cache: Mutex<Option<(Vec<ChangeHash>, Clients)>>,
}

const ENROLMENT_KEY: &str = "enrolment";

/// The signal of a replaced workspace.
type Moved = Arc<tokio::sync::watch::Sender<Option<String>>>;

impl Device {
    /// Enrols with the one-time `code` from the office, fetches the workspace, and
    /// keeps everything in `dir`.
    pub async fn enrol(
        dir: &Path,
        hub: &str,
        code: &str,
        device_name: &str,
    ) -> DeviceResult<Device> {
        Self::enrol_with(dir, hub, code, device_name, true).await
    }

    /// [`Device::enrol`], choosing whether local commits wait for the disk
    /// (`durable = false` only for the load simulator; see [`LocalDb::open_with`]).
    pub async fn enrol_with(
        dir: &Path,
        hub: &str,
        code: &str,
        device_name: &str,
        durable: bool,
    ) -> DeviceResult<Device> {
        let hub = hub.trim_end_matches('/');
        let request = fieldcase_shared::api::EnrolRequest {
            code: code.to_owned(),
            device_name: device_name.to_owned(),
        };
        let response = post_to_hub(
            &format!("{hub}/api/v1/devices/enrol"),
            None,
            &serde_json::to_value(&request).map_err(anyhow::Error::from)?,
            "the enrolment",
        )
        .await?;
        let answer: fieldcase_shared::api::EnrolResponse = response
            .json()
            .await
            .context("the hub's enrolment answer does not read")?;
        let enrolment = Enrolment {
            hub: hub.to_owned(),
            device_id: answer.device_id.to_string(),
            token: answer.token,
            peer_id: answer.peer_id,
            hub_peer_id: answer.hub_peer_id,
            sync_path: answer.sync_path,
            catalog_doc: answer.catalog_doc,
            workspace_doc: answer.workspace_doc,
            adviser_code: answer.adviser_code,
            adviser_name: answer.adviser_name,
        };
        Ok(Self::first_connect(LocalDb::open_with(dir, durable)?, enrolment, None).await?)
    }

    /// A device against a plain automerge-repo sync server (no enrolment, no token,
    /// no share policy): the load simulator's reference runs. `workspace` is the
    /// document to sync; `None` creates a new one here and uploads it.
    pub async fn plain(
        dir: &Path,
        server: &str,
        workspace: Option<&str>,
        durable: bool,
    ) -> anyhow::Result<Device> {
        let db = LocalDb::open_with(dir, durable)?;
        let enrolment = Enrolment {
            hub: server.trim_end_matches('/').replacen("ws", "http", 1),
            device_id: uuid::Uuid::now_v7().to_string(),
            token: String::new(),
            peer_id: format!("sim-{}", uuid::Uuid::now_v7()),
            hub_peer_id: String::new(),
            sync_path: String::new(),
            catalog_doc: String::new(),
            workspace_doc: workspace.unwrap_or_default().to_owned(),
            adviser_code: String::new(),
            adviser_name: String::new(),
        };
        let created = match workspace {
            Some(_) => None,
            None => Some(fieldcase_shared::docs::new_workspace(
                fieldcase_shared::AdviserId::new(),
            )?),
        };
        Self::first_connect(db, enrolment, created).await
    }

    async fn first_connect(
        db: LocalDb,
        mut enrolment: Enrolment,
        create: Option<automerge::Automerge>,
    ) -> anyhow::Result<Device> {
        let repo = Self::repo(&db, &enrolment).await;
        if let Some(doc) = create {
            let handle = repo
                .create(doc)
                .await
                .map_err(|_| anyhow::anyhow!("the local repo has stopped"))?;
            enrolment.workspace_doc = handle.document_id().to_string();
        }
        db.set_setting(ENROLMENT_KEY, serde_json::to_string(&enrolment)?)
            .await?;
        Self::connect(db, repo, enrolment).await
    }

    /// Dials the hub over `repo` and waits for `enrolment`'s workspace (and the
    /// catalog) to be shared; the device over them.
    async fn connect(
        db: LocalDb,
        repo: samod::Repo,
        enrolment: Enrolment,
    ) -> anyhow::Result<Device> {
        let revoked = Arc::new(tokio::sync::watch::Sender::new(false));
        let moved: Moved = Arc::new(tokio::sync::watch::Sender::new(None));
        let dialer = dial(&repo, &enrolment, &revoked, &moved)?;
        tokio::time::timeout(Duration::from_secs(30), dialer.established())
            .await
            .context("timed out connecting to the hub")?
            .map_err(|e| anyhow::anyhow!("connecting to the hub: {e:?}"))?;
        let workspace = find(&repo, &enrolment.workspace_doc)
            .await?
            .context("the hub did not share the workspace")?;
        // Keep the catalog locally too, for offline browsing.
        let catalog = catalog::Catalog::new(find_catalog(&repo, &enrolment).await?);
        let tracker = status::Tracker::start(&db, &workspace).await?;
        Ok(Device {
            db,
            repo,
            enrolment,
            workspace,
            catalog,
            dialer: Mutex::new(Some(dialer)),
            tracker,
            revoked,
            moved,
            clients_cache: Mutex::new(None),
        })
    }

    /// Opens an enrolled device from `dir` without touching the network; `None` if
    /// the device was never enrolled (or was wiped).
    pub async fn open(dir: &Path) -> anyhow::Result<Option<Device>> {
        let db = LocalDb::open(dir)?;
        let Some(text) = db.setting(ENROLMENT_KEY).await? else {
            return Ok(None);
        };
        let enrolment: Enrolment =
            serde_json::from_str(&text).context("stored enrolment is unreadable")?;
        let repo = Self::repo(&db, &enrolment).await;
        let workspace = find(&repo, &enrolment.workspace_doc)
            .await?
            .context("the workspace is missing from local storage")?;
        let catalog = catalog::Catalog::new(find_catalog(&repo, &enrolment).await?);
        let tracker = status::Tracker::start(&db, &workspace).await?;
        let device = Device {
            db,
            repo,
            enrolment,
            workspace,
            catalog,
            dialer: Mutex::new(None),
            tracker,
            revoked: Arc::new(tokio::sync::watch::Sender::new(false)),
            moved: Arc::new(tokio::sync::watch::Sender::new(None)),
            clients_cache: Mutex::new(None),
        };
        device.replay_journal().await?;
        Ok(Some(device))
    }

    async fn repo(db: &LocalDb, enrolment: &Enrolment) -> samod::Repo {
        samod::Repo::build_tokio()
            .with_peer_id(PeerId::from(enrolment.peer_id.clone()))
            .with_storage(db.clone())
            .with_share_policy(samod::ShareConfig::read_write())
            .load()
            .await
    }

    /// Applies journaled changes that samod's storage did not hold yet, and forgets
    /// the ones it did.
    async fn replay_journal(&self) -> anyhow::Result<()> {
        let journal = self
            .db
            .journaled(self.enrolment.workspace_doc.clone())
            .await?;
        if journal.is_empty() {
            return Ok(());
        }
        let mut stored = Vec::new();
        let mut missing = Vec::new();
        self.workspace.with_document(|doc| {
            for (hash, bytes) in journal {
                let known = hash
                    .parse::<ChangeHash>()
                    .ok()
                    .is_some_and(|h| doc.get_change_by_hash(&h).is_some());
                if known {
                    stored.push(hash)
                } else {
                    missing.push(bytes)
                }
            }
        });
        if !missing.is_empty() {
            let changes: Vec<automerge::Change> = missing
                .iter()
                .filter_map(|b| match fieldcase_shared::docs::change_untrusted(b) {
                    Ok(c) => Some(c),
                    Err(err) => {
                        tracing::error!(%err, "a journaled change does not decode; it stays in the journal");
                        None
                    }
                })
                .collect();
            tracing::info!(
                count = changes.len(),
                "replaying local changes the app saved before it stopped"
            );
            self.workspace
                .with_document(|doc| doc.apply_changes(changes))
                .context("replaying journaled changes")?;
        }
        self.db.forget_journaled(stored).await?;
        Ok(())
    }

    /// Registers this phone's push token (FCM) with the hub, so the office can wake
    /// it to sync. Needs the network; the app calls it again when the push service
    /// hands out a new token or when it gets back online.
    pub async fn register_push_token(&self, platform: &str, token: &str) -> DeviceResult<()> {
        post_to_hub(
            &format!("{}/api/v1/devices/push-token", self.enrolment.hub),
            Some(&self.enrolment.token),
            &serde_json::to_value(fieldcase_shared::api::PushTokenRequest {
                platform: platform.to_owned(),
                token: token.to_owned(),
            })
            .map_err(anyhow::Error::from)?,
            "the push token",
        )
        .await
        .map(drop)
    }

    /// Starts syncing with the hub in the background (reconnecting with back-off).
    /// While not connected, this dials again at once instead of waiting out the
    /// back-off (the adviser asked for it, or a push says the hub has news).
    pub fn go_online(&self) -> anyhow::Result<()> {
        let mut guard = self.dialer.lock().unwrap_or_else(PoisonError::into_inner);
        match guard.as_ref() {
            Some(d) if d.is_connected() => {}
            _ => {
                if let Some(stale) = guard.take() {
                    stale.close();
                }
                *guard = Some(dial(
                    &self.repo,
                    &self.enrolment,
                    &self.revoked,
                    &self.moved,
                )?);
            }
        }
        Ok(())
    }

    /// Stops syncing (the app keeps working offline).
    pub fn go_offline(&self) {
        if let Some(d) = self
            .dialer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            d.close();
        }
    }

    fn connected(&self) -> bool {
        self.dialer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|d| d.is_connected())
    }

    /// What enrolment returned.
    pub fn enrolment(&self) -> &Enrolment {
        &self.enrolment
    }

    /// The workspace document (for reads the API does not cover yet).
    pub fn workspace(&self) -> &DocHandle {
        &self.workspace
    }

    /// The inbox, newest first.
    pub fn inbox(&self) -> Vec<(String, records::InboxRecord)> {
        let mut entries: Vec<(String, records::InboxRecord)> = self.all(records::INBOX);
        entries.sort_by(|a, b| b.1.at.cmp(&a.1.at));
        entries
    }

    /// Marks an inbox entry read (on every device of the adviser, once synced).
    pub async fn mark_read(&self, id: &str) -> anyhow::Result<()> {
        let key = id.to_owned();
        let Some(mut entry) = self.workspace.with_document(|doc| {
            records::get::<records::InboxRecord>(doc, records::INBOX, &key)
                .ok()
                .flatten()
        }) else {
            anyhow::bail!("no such inbox entry");
        };
        entry.read = true;
        self.change(move |tx| records::put(tx, records::INBOX, &key, &entry))
            .await
    }

    /// Applies `edit` to the workspace and journals the resulting changes durably.
    async fn change<F>(&self, edit: F) -> anyhow::Result<()>
    where
        F: FnOnce(
            &mut automerge::transaction::Transaction<'_>,
        ) -> Result<(), fieldcase_shared::docs::DocError>,
    {
        let changes = self.workspace.with_document(|doc| {
            let before = doc.get_heads();
            doc.transact(edit)
                .map_err(|f| anyhow::anyhow!("{}", f.error))?;
            let changes: Vec<(String, Vec<u8>)> = doc
                .get_changes(&before)
                .into_iter()
                .map(|c| (c.hash().to_string(), c.raw_bytes().to_vec()))
                .collect();
            Ok::<_, anyhow::Error>(changes)
        })?;
        self.db
            .journal(self.enrolment.workspace_doc.clone(), changes)
            .await?;
        Ok(())
    }

    /// True once the hub has refused this device's token (revoked in the office):
    /// the app then wipes the phone.
    pub fn is_revoked(&self) -> bool {
        *self.revoked.borrow()
    }

    /// Fires (with `()`) whenever something the screens show may have changed: the
    /// workspace or catalog, the hub's confirmation, or a revocation.
    pub fn updates(&self) -> impl futures::Stream<Item = ()> + Send + 'static {
        use futures::StreamExt;
        fn watched<T: Send + Sync + 'static>(
            rx: tokio::sync::watch::Receiver<T>,
        ) -> futures::stream::BoxStream<'static, ()> {
            futures::stream::unfold(rx, |mut rx| async move {
                rx.changed().await.ok()?;
                Some(((), rx))
            })
            .boxed()
        }
        let mut streams = vec![
            self.workspace.changes().map(drop).boxed(),
            watched(self.tracker.subscribe()),
            watched(self.revoked.subscribe()),
            watched(self.moved.subscribe()),
        ];
        if let Some(catalog) = self.catalog.handle() {
            streams.push(catalog.changes().map(drop).boxed());
        }
        futures::stream::select_all(streams)
    }

    /// Logs out: tells the hub (so the office sees the device gone and its token
    /// stops working), then wipes. Offline, the hub is not told: the office can
    /// still revoke the device. Nothing the hub has not confirmed survives, so the
    /// app asks first.
    pub async fn log_out(&self, dir: &Path) -> anyhow::Result<()> {
        let told = tokio::time::timeout(
            Duration::from_secs(5),
            post_to_hub(
                &format!("{}/api/v1/devices/logout", self.enrolment.hub),
                Some(&self.enrolment.token),
                &serde_json::json!({}),
                "the logout",
            ),
        )
        .await;
        match told {
            Ok(Ok(_)) => tracing::info!("the hub knows this device logged out"),
            Ok(Err(err)) => tracing::warn!(%err, "logging out at the hub"),
            Err(_) => tracing::warn!("the hub did not answer the logout in 5 s"),
        }
        self.wipe(dir).await
    }

    /// Stops syncing, closes the local database and deletes it.
    pub async fn wipe(&self, dir: &Path) -> anyhow::Result<()> {
        self.tracker.stop();
        self.go_offline();
        self.repo.stop().await;
        LocalDb::wipe(dir)
    }

    /// Stops the repo, flushing its storage.
    pub async fn close(self) {
        self.tracker.stop();
        self.go_offline();
        self.repo.stop().await;
    }
}

fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// POSTs JSON to the hub's API; a refusal becomes an error naming `what`, the
/// status and the hub's explanation.
async fn post_to_hub(
    url: &str,
    bearer: Option<&str>,
    body: &serde_json::Value,
    what: &str,
) -> DeviceResult<reqwest::Response> {
    let mut request = reqwest::Client::new().post(url).json(body);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .map_err(|e| DeviceError::Unreachable(e.to_string()))?;
    if !response.status().is_success() {
        let status = response.status().as_u16();
        let explanation = response.text().await.unwrap_or_default();
        return Err(DeviceError::Refused {
            what: what.to_owned(),
            status,
            explanation,
        });
    }
    Ok(response)
}

/// The catalog, if this device has one (a plain sync server has none).
async fn find_catalog(
    repo: &samod::Repo,
    enrolment: &Enrolment,
) -> anyhow::Result<Option<DocHandle>> {
    if enrolment.catalog_doc.is_empty() {
        return Ok(None);
    }
    find(repo, &enrolment.catalog_doc).await
}

async fn find(repo: &samod::Repo, id: &str) -> anyhow::Result<Option<DocHandle>> {
    let id: DocumentId = id
        .parse()
        .map_err(|e| anyhow::anyhow!("document id {id:?}: {e:?}"))?;
    repo.find(id)
        .await
        .map_err(|_| anyhow::anyhow!("the local repo has stopped"))
}
