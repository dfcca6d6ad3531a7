//! A hub with one adviser, and that adviser's phones (the real device core).

#![allow(clippy::expect_used)]

use std::sync::Arc;

use fieldcase_device::Device;
use fieldcase_server::store::{Actor, Store};
use fieldcase_shared::AdviserId;
use fieldcase_shared::docs::commission::CommissionEntryRecord;

use crate::{TestDb, TestHub};

/// A hub with advisers and an office user, for device-level tests.
pub struct Field {
    /// The hub.
    pub hub: TestHub,
    _db: TestDb,
    /// The office user.
    pub office: Actor,
    /// The first adviser.
    pub adviser: AdviserId,
    /// Every adviser.
    pub advisers: Vec<AdviserId>,
}

impl Field {
    /// Starts the hub with one adviser and `products` in its catalog.
    pub async fn start(products: &[fieldcase_server::store::Product]) -> Field {
        Self::start_with(products, 1).await
    }

    /// Starts the hub with `advisers` advisers and `products` in its catalog.
    pub async fn start_with(
        products: &[fieldcase_server::store::Product],
        advisers: usize,
    ) -> Field {
        let db = TestDb::for_sync().await.expect("field setup");
        let store: Arc<dyn Store> = db.store.clone();
        let network = crate::small_network(store.as_ref(), advisers)
            .await
            .expect("field setup");
        store.insert_products(products).await.expect("field setup");
        Field {
            hub: TestHub::start(store).await.expect("field setup"),
            _db: db,
            office: network.office,
            adviser: network.advisers[0],
            advisers: network.advisers,
        }
    }

    /// The hub's database URL (a SQLite file's, or PostgreSQL's with its schema).
    pub fn database_url(&self) -> String {
        self._db.url()
    }

    /// A newly enrolled phone of the first adviser, in its own folder.
    pub async fn phone(&self, dir: &tempfile::TempDir, name: &str) -> Device {
        self.phone_of(self.adviser, dir, name).await
    }

    /// A newly enrolled phone of `adviser`, in its own folder.
    pub async fn phone_of(
        &self,
        adviser: AdviserId,
        dir: &tempfile::TempDir,
        name: &str,
    ) -> Device {
        let code = crate::issue_code(
            self.hub.store.as_ref(),
            &self.office,
            adviser,
            time::Duration::minutes(15),
        )
        .await
        .expect("field setup");
        Device::enrol(dir.path(), &self.hub.url, &code, name)
            .await
            .expect("enrol")
    }

    /// Credits the adviser a commission accrual.
    pub async fn credit(&self, haler: i64) {
        self.hub
            .state
            .sync
            .add_commission_entry(
                &self.office,
                self.adviser,
                &CommissionEntryRecord {
                    kind: "accrual".into(),
                    amount: haler,
                    at: "2026-11-20T09:00:00Z".into(),
                    note: "Objednávka 2026000123".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("field setup");
    }
}
