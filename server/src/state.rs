//! The application state every request handler, page and job may reach. It
//! imports no router (routers import it), so the modules form no import circle.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::http::metrics::Metrics;
use crate::store::Store;

/// Everything a request handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Persistence.
    pub store: Arc<dyn Store>,
    /// Settings.
    pub config: Arc<Config>,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Runs the office's LiveView sessions.
    pub live: dioxus_liveview::LiveViewPool,
    /// Sync with the devices.
    pub sync: Arc<crate::sync::SyncHub>,
    /// Throttles for sign-ins and enrolment, and the bound on password hashing.
    pub guards: Arc<crate::throttle::Guards>,
    /// The bank's client and the key of the tokens.
    pub bank: Arc<crate::money::connection::Bank>,
}

impl AppState {
    /// The blob store (`blob_dir`).
    pub fn blobs(&self) -> crate::blobs::Blobs {
        crate::blobs::Blobs::new(self.config.blob_path())
    }

    /// State over a store and config; starts the sync repo.
    pub async fn start(store: Arc<dyn Store>, config: Config) -> anyhow::Result<Self> {
        let sync = crate::sync::SyncHub::start(store.clone()).await?;
        sync.use_config(&config);
        sync.publish_payee(&config.payee_iban, &config.payee_name)
            .await?;
        let guards = Arc::new(crate::throttle::Guards::new(
            config.max_failed_logins,
            Duration::from_secs(u64::from(config.lockout_minutes) * 60),
        ));
        Ok(Self {
            bank: Arc::new(crate::money::connection::Bank::new(&config)),
            store,
            guards,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            live: dioxus_liveview::LiveViewPool::new(),
            sync,
        })
    }
}
