//! The world of the sync tests: a hub on a fresh database with an office user and
//! two advisers, devices enrolled with real codes, and typed reads and writes of
//! document records.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use automerge::{ROOT, ReadDoc, transaction::Transactable};
use fieldcase_server::store::{Actor, Store};
use fieldcase_shared::{AdviserId, docs};
use time::Duration as TimeDuration;

use crate::device::{Device, enrol, eventually};
use crate::{TestDb, TestHub};

/// How long a test waits for sync to deliver.
pub const WAIT: Duration = Duration::from_secs(15);

/// A hub, its office user and two advisers.
pub struct World {
    /// The hub.
    pub hub: TestHub,
    /// The office user.
    pub office: Actor,
    /// `P0` and `P1`.
    pub advisers: Vec<AdviserId>,
    /// Its database.
    pub db: TestDb,
}

/// A world on the database for sync tests (SQLite, or PostgreSQL when asked).
pub async fn world() -> World {
    world_on(TestDb::for_sync().await.unwrap()).await
}

/// A world on `db`.
pub async fn world_on(db: TestDb) -> World {
    world_configured(db, |_| {}).await
}

/// A world on `db` whose hub's settings `set` changes.
pub async fn world_configured(
    db: TestDb,
    set: impl FnOnce(&mut fieldcase_server::config::Config),
) -> World {
    let store: Arc<dyn Store> = db.store.clone();
    let network = crate::small_network(store.as_ref(), 2).await.unwrap();
    let hub = TestHub::start_with(store, set).await.unwrap();
    World {
        hub,
        office: network.office,
        advisers: network.advisers,
        db,
    }
}

/// Waits until `handle`'s document has `root.<map>.<key>`.
pub async fn wait_for_key(
    what: &str,
    handle: &samod::DocHandle,
    map: &'static str,
    key: &'static str,
) {
    eventually(what, WAIT, || {
        let h = handle.clone();
        async move { h.with_document(|d| has_key(d, map, key)) }
    })
    .await
    .unwrap();
}

impl World {
    /// The hub's own handle on the document a device holds.
    pub async fn on_hub(&self, device_handle: &samod::DocHandle) -> samod::DocHandle {
        self.hub
            .state
            .sync
            .repo()
            .find(device_handle.document_id().clone())
            .await
            .unwrap()
            .unwrap()
    }

    /// What the office does on "Enrol a device": a fresh code for the adviser.
    pub async fn code_for(&self, adviser: AdviserId, valid: TimeDuration) -> String {
        crate::issue_code(self.hub.store.as_ref(), &self.office, adviser, valid)
            .await
            .unwrap()
    }

    /// A device of `adviser`, enrolled and connected.
    pub async fn device(&self, adviser: AdviserId) -> Device {
        let code = self.code_for(adviser, TimeDuration::minutes(15)).await;
        let enrolment = enrol(&self.hub.url, &code, "Pixel").await.unwrap().unwrap();
        let device = Device::connect(&self.hub.url, enrolment).await.unwrap();
        tokio::time::timeout(WAIT, device.dialer.established())
            .await
            .unwrap()
            .unwrap();
        device
    }
}

impl World {
    /// A connected phone of `adviser`, its workspace, and `client` written into it.
    pub async fn phone_with_client(
        &self,
        adviser: AdviserId,
        client: docs::records::ClientRecord,
    ) -> (Device, samod::DocHandle, fieldcase_shared::ClientId) {
        let phone = self.device(adviser).await;
        let ws = phone
            .find(&phone.enrolment.workspace_doc)
            .await
            .unwrap()
            .unwrap();
        let id = fieldcase_shared::ClientId::new();
        write(&ws, docs::records::CLIENTS, id.to_string(), client);
        (phone, ws, id)
    }
}

impl World {
    /// An order of `client` written on the phone (workspace `ws`) with the
    /// variable symbol `vs` — a Ray-Ban frame for 3 290 Kč, 290 Kč deposit — once
    /// the hub has it in SQL.
    pub async fn phone_order(
        &self,
        ws: &samod::DocHandle,
        client: fieldcase_shared::ClientId,
        vs: &str,
    ) -> fieldcase_shared::OrderId {
        let order = fieldcase_shared::OrderId::new();
        write(
            ws,
            docs::records::ORDERS,
            order.to_string(),
            docs::records::OrderRecord {
                client: client.to_string(),
                variable_symbol: vs.into(),
                status: "intake".into(),
                lines: vec![docs::records::LineRecord {
                    id: uuid::Uuid::now_v7().to_string(),
                    kind: "frame".into(),
                    text: "Ray-Ban RX5154".into(),
                    quantity: 1,
                    unit_price: 329_000,
                    vat_bp: 2100,
                    ..Default::default()
                }],
                deposit: 29_000,
                created_at: "2026-12-05T09:00:00Z".into(),
                ..Default::default()
            },
        );
        let store = self.hub.store.clone();
        eventually("the order in SQL", WAIT, || {
            let store = store.clone();
            async move { store.order_status(order).await.unwrap().is_some() }
        })
        .await
        .unwrap();
        order
    }
}

/// Whether `root.<map>.<key>` exists.
pub fn has_key(doc: &impl ReadDoc, map: &str, key: &str) -> bool {
    match doc.get(ROOT, map) {
        Ok(Some((_, obj))) => doc.get(&obj, key).ok().flatten().is_some(),
        _ => false,
    }
}

/// Writes a typed record into a document handle.
pub fn write<R: autosurgeon::Reconcile>(
    handle: &samod::DocHandle,
    map: &'static str,
    id: String,
    record: R,
) {
    handle.with_document(|doc| {
        doc.transact::<_, _, docs::DocError>(|tx| {
            fieldcase_shared::docs::records::put(tx, map, &id, &record)
        })
        .unwrap();
    });
}

/// Reads a typed record from a document handle.
pub fn read<H: autosurgeon::Hydrate>(handle: &samod::DocHandle, map: &str, id: &str) -> Option<H> {
    handle.with_document(|doc| fieldcase_shared::docs::records::get(doc, map, id).unwrap())
}

/// Puts a plain string at `root.<map>.<key>`.
pub fn put_in(
    handle: &samod::DocHandle,
    map: &'static str,
    key: &'static str,
    value: &'static str,
) {
    handle.with_document(|doc| {
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            let obj = match tx.get(ROOT, map)? {
                Some((_, obj)) => obj,
                None => tx.put_object(ROOT, map, automerge::ObjType::Map)?,
            };
            tx.put(&obj, key, value)?;
            Ok(())
        })
        .unwrap();
    });
}
