//! samod's key/value `Storage` over the hub's database.
//!
//! samod's storage calls cannot fail, and samod treats a finished `put` as on disk.
//! So every call here retries with back-off until the database takes it, and while
//! it is failing the hub reports itself not ready (`/readyz`). Nothing is swallowed.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use samod::storage::{Storage, StorageKey};

use crate::store::{Store, StoreResult};

/// Whether storage writes are failing right now, and the documents whose chunks
/// were deleted (a workspace rewritten without its history, GDPR erasure): a late
/// write of one of them is dropped, so none of its bytes come back.
#[derive(Debug, Default)]
pub struct StorageHealth {
    failing: AtomicBool,
    forgotten: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl StorageHealth {
    /// True while a storage call is retrying after a database error.
    pub fn is_failing(&self) -> bool {
        self.failing.load(Ordering::Relaxed)
    }

    /// From now on, writes of `doc`'s chunks are dropped.
    pub fn forget(&self, doc: &str) {
        self.forgotten
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(doc.to_owned());
    }

    fn is_forgotten(&self, key: &str) -> bool {
        let doc = key.split('/').next().unwrap_or_default();
        self.forgotten
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(doc)
    }
}

/// samod storage backed by [`Store`]'s chunk table.
#[derive(Clone)]
pub struct HubStorage {
    store: Arc<dyn Store>,
    health: Arc<StorageHealth>,
}

impl HubStorage {
    /// Storage over `store`, reporting into `health`.
    pub fn new(store: Arc<dyn Store>, health: Arc<StorageHealth>) -> Self {
        Self { store, health }
    }

    /// Runs `op` until it succeeds, backing off from 50 ms to 5 s.
    async fn retry<T, F, Fut>(&self, what: &str, key: &str, op: F) -> T
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = StoreResult<T>>,
    {
        let mut delay = Duration::from_millis(50);
        loop {
            match op().await {
                Ok(value) => {
                    if self.health.failing.swap(false, Ordering::Relaxed) {
                        tracing::info!("sync storage recovered");
                    }
                    return value;
                }
                Err(err) => {
                    self.health.failing.store(true, Ordering::Relaxed);
                    tracing::warn!(%err, op = what, key, retry_in_ms = delay.as_millis() as u64, "sync storage failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
    }
}

impl Storage for HubStorage {
    fn load(&self, key: StorageKey) -> impl std::future::Future<Output = Option<Vec<u8>>> + Send {
        let this = self.clone();
        async move {
            let key = key.to_string();
            this.retry("load", &key, || this.store.chunk_get(&key))
                .await
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl std::future::Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let this = self.clone();
        async move {
            let prefix = prefix.to_string();
            let rows = this
                .retry("load_range", &prefix, || this.store.chunk_range(&prefix))
                .await;
            rows.into_iter()
                .filter_map(|(key, data)| match StorageKey::from_parts(key.split('/')) {
                    Ok(k) => Some((k, data)),
                    Err(_) => {
                        tracing::error!(key, "unreadable sync storage key skipped");
                        None
                    }
                })
                .collect()
        }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl std::future::Future<Output = ()> + Send {
        let this = self.clone();
        async move {
            let key = key.to_string();
            if this.health.is_forgotten(&key) {
                tracing::debug!(key, "a deleted document's write dropped");
                return;
            }
            this.retry("put", &key, || this.store.chunk_put(&key, &data))
                .await
        }
    }

    fn delete(&self, key: StorageKey) -> impl std::future::Future<Output = ()> + Send {
        let this = self.clone();
        async move {
            let key = key.to_string();
            this.retry("delete", &key, || this.store.chunk_delete(&key))
                .await
        }
    }
}
