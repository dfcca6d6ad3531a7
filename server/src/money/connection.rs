//! The bank's connection as the hub holds it (in the application state): FIO's
//! client (which keeps FIO's spacing per token), the secret key that opens the
//! stored tokens (read from the environment or the key file when first needed),
//! and how often the poller downloads each account.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use crate::integrations::fio::FioClient;
use crate::money::secret::{SecretError, SecretKey};

/// The bank's client, the key that opens the tokens, and how often to poll.
pub struct Bank {
    pub(crate) client: FioClient,
    key_file: PathBuf,
    key: OnceLock<SecretKey>,
    /// Between two downloads of one account.
    pub every: Duration,
}

impl Bank {
    /// The bank of `config` (the key is read when first needed).
    pub fn new(config: &crate::config::Config) -> Bank {
        Bank {
            client: FioClient::with_interval(
                &config.fio_url,
                Duration::from_millis(u64::from(config.fio_spacing_ms)),
            ),
            key_file: config.secret_key_path(),
            key: OnceLock::new(),
            every: Duration::from_secs(u64::from(config.fio_poll_seconds)),
        }
    }

    pub(crate) fn key(&self) -> Result<&SecretKey, SecretError> {
        if let Some(k) = self.key.get() {
            return Ok(k);
        }
        let key = SecretKey::load(&self.key_file)?;
        Ok(self.key.get_or_init(|| key))
    }
}
