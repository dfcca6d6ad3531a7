//! Configuration: built-in defaults, then `fieldcase.toml` (or the file named by
//! `--config`), then `FIELDCASE_*` environment variables, then command-line flags.
//! Anything invalid stops start-up with one error that names the offending key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// The hub's settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the hub keeps its files (the SQLite database by default).
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://{data_dir}/fieldcase.db`.
    pub database_url: String,
    /// Address the HTTP server binds to.
    pub listen: SocketAddr,
    /// The URL people use to reach the hub (links in e-mails, Origin checks).
    /// Empty means `http://{listen}`.
    pub public_url: String,
    /// Browser session lifetime, minutes.
    pub session_minutes: u32,
    /// Failed sign-ins per account name (known or not) within `lockout_minutes`
    /// before further attempts wait; a client address may fail ten times as often.
    pub max_failed_logins: u32,
    /// The window of the sign-in throttle, minutes.
    pub lockout_minutes: u32,
    /// Log filter (tracing `EnvFilter` syntax), e.g. `info,sqlx=warn`.
    pub log: String,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// The company's bank account (IBAN) clients pay orders to; phones put it in
    /// the QR payment code. Empty (the default outside the demo): no QR payment
    /// codes, and the office dashboard says why.
    pub payee_iban: String,
    /// The account holder's name shown in the client's banking app.
    pub payee_name: String,
    /// Carriers' public tracking pages replacing the built-in ones, by carrier code
    /// (`ppl = "https://…?id={code}"`; `fieldcase_shared::carrier`).
    pub tracking_urls: std::collections::BTreeMap<String, String>,
    /// Days an order may stay in one lab state before the lab board shows it in red.
    pub lab_overdue_days: u32,
    /// The file holding the secret key that seals the banks' API tokens (64 hex
    /// digits; made on first use). Empty means `{data_dir}/secret.key`. The key may
    /// instead come from `FIELDCASE_SECRET_KEY`.
    pub secret_key_file: PathBuf,
    /// FIO's API (a fake on loopback in tests).
    pub fio_url: String,
    /// Seconds between two downloads of each bank account (FIO allows one request
    /// per token per 30 s).
    pub fio_poll_seconds: u32,
    /// Milliseconds between two requests with one token: FIO's rule is 30,000;
    /// lower only against a test server.
    pub fio_spacing_ms: u32,
    /// The company as its tax documents name it (with `payee_name` and
    /// `payee_iban`): IČO, DIČ and address. Invoices are refused until the IČO
    /// is set.
    pub company_ico: String,
    pub company_dic: String,
    pub company_street: String,
    pub company_city: String,
    pub company_postal_code: String,
    /// Where the daily export to Pohoda writes its packs (`pohoda-YYYY-MM-DD.xml`).
    /// Empty means `{data_dir}/pohoda`.
    pub pohoda_dir: PathBuf,
    /// The hour (Prague, 0–23) after which the daily job exports the day before
    /// to Pohoda; 24 or more switches the job off.
    pub pohoda_export_hour: u32,
    /// Payout requests over this many CZK need two different approvers.
    pub payout_four_eyes_czk: i64,
    /// The SMTP relay customers' e-mails go through (`smtp://host:port`,
    /// `smtps://user:password@host:465`, `smtp://…:587?tls=required`); empty:
    /// e-mails wait in the outbox.
    pub smtp_url: String,
    /// The sender of customers' e-mails (`Name <address>`).
    pub smtp_from: String,
    /// The SMS gateway's base URL; empty: SMS wait in the outbox.
    pub sms_gateway_url: String,
    /// The SMS gateway's bearer token.
    pub sms_gateway_token: String,
    /// Firebase's service-account key file (JSON) for push to advisers' phones;
    /// empty: pushes wait in the outbox.
    pub fcm_service_account: PathBuf,
    /// FCM's base URL (the HTTP v1 API).
    pub fcm_url: String,
    /// The folder of uploaded files (complaint photos). Empty means
    /// `{data_dir}/blobs`.
    pub blob_dir: PathBuf,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The account the demo's clients "pay" to: the QR Platba standard's example
/// account, never a real company's.
pub const DEMO_PAYEE_IBAN: &str = "CZ6508000000192000145399";
/// The demo company's name.
pub const DEMO_PAYEE_NAME: &str = "fieldcase optika s.r.o.";

impl Config {
    /// The company as its tax documents name it; `None` until its name and IČO
    /// are set.
    pub fn supplier(&self) -> Option<crate::money::invoice::Party> {
        (!self.payee_name.trim().is_empty() && !self.company_ico.trim().is_empty()).then(|| {
            crate::money::invoice::Party {
                name: self.payee_name.clone(),
                street: self.company_street.clone(),
                city: self.company_city.clone(),
                postal_code: self.company_postal_code.clone(),
                ico: self.company_ico.clone(),
                dic: self.company_dic.clone(),
                iban: self.payee_iban.clone(),
            }
        })
    }

    /// Whether clients can be shown a QR payment code (a payee account is set).
    pub fn has_payee(&self) -> bool {
        !self.payee_iban.is_empty()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./fieldcase-data"),
            database_url: String::new(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: String::new(),
            session_minutes: 8 * 60,
            max_failed_logins: 5,
            lockout_minutes: 15,
            log: "info,sqlx=warn,tower_http=info".into(),
            log_format: LogFormat::Text,
            // The demo company's account (the example from the QR Platba standard).
            payee_iban: String::new(),
            payee_name: String::new(),
            tracking_urls: std::collections::BTreeMap::new(),
            lab_overdue_days: 3,
            secret_key_file: PathBuf::new(),
            fio_url: crate::integrations::fio::FIO_BASE.into(),
            fio_poll_seconds: 600,
            fio_spacing_ms: 30_000,
            company_ico: String::new(),
            company_dic: String::new(),
            company_street: String::new(),
            company_city: String::new(),
            company_postal_code: String::new(),
            pohoda_dir: PathBuf::new(),
            pohoda_export_hour: 2,
            payout_four_eyes_czk: 5_000,
            smtp_url: String::new(),
            smtp_from: "fieldcase optika <zakaznici@fieldcase.invalid>".into(),
            sms_gateway_url: String::new(),
            sms_gateway_token: String::new(),
            fcm_service_account: PathBuf::new(),
            fcm_url: "https://fcm.googleapis.com".into(),
            blob_dir: PathBuf::new(),
        }
    }
}

/// The configuration could not be loaded; the message names the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A value had the wrong type or form, or a key is unknown.
    #[error("invalid configuration: {0}")]
    Invalid(String),
    /// A value parsed but makes no sense.
    #[error("invalid configuration: key `{key}`: {reason}")]
    Bad {
        /// The offending key.
        key: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// The named config file is missing.
    #[error("configuration file not found: {0}")]
    Missing(PathBuf),
}

impl Config {
    /// Loads defaults → the TOML file → `FIELDCASE_*` variables. `file` is the
    /// explicitly named file (must exist); without it `./fieldcase.toml` is read if present.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        // These FIELDCASE_* variables belong to the CLI and the test tools, not to the
        // hub; any other unknown FIELDCASE_* variable is reported as a likely typo.
        Self::load_from(
            file,
            Env::prefixed("FIELDCASE_").ignore(&[
                "TEST_PG",
                "TEST_SYNC_ON_PG",
                "TEST_PYTHON",
                "CONFIG",
                "NEW_PASSWORD",
                "BIN",
                "SECRET_KEY",
            ]),
        )
    }

    fn load_from(file: Option<&Path>, env: impl figment::Provider) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::Missing(path.to_owned())),
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("fieldcase.toml")),
        }
        let config: Config = figment
            .merge(env)
            .extract()
            .map_err(|e| ConfigError::Invalid(describe(e)))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let url = &self.database_url;
        let known_db = ["sqlite:", "postgres://", "postgresql://"]
            .iter()
            .any(|p| url.starts_with(p));
        if !url.is_empty() && !known_db {
            return Err(ConfigError::Bad {
                key: "database_url",
                reason: format!("{url:?} is neither sqlite:… nor postgres://…"),
            });
        }
        let public = &self.public_url;
        let http = public.starts_with("http://") || public.starts_with("https://");
        if !public.is_empty() && !http {
            return Err(ConfigError::Bad {
                key: "public_url",
                reason: "must start with http:// or https://".into(),
            });
        }
        if self.session_minutes == 0 {
            return Err(ConfigError::Bad {
                key: "session_minutes",
                reason: "must be at least 1".into(),
            });
        }
        if self.max_failed_logins == 0 {
            return Err(ConfigError::Bad {
                key: "max_failed_logins",
                reason: "must be at least 1".into(),
            });
        }
        if !self.payee_iban.is_empty()
            && fieldcase_shared::spayd::normalise_iban(&self.payee_iban).is_none()
        {
            return Err(ConfigError::Bad {
                key: "payee_iban",
                reason: format!("{:?} is not a valid IBAN", self.payee_iban),
            });
        }
        for (code, url) in &self.tracking_urls {
            let known = code.parse::<fieldcase_shared::carrier::Carrier>().is_ok();
            if !known || !url.starts_with("https://") || !url.contains("{code}") {
                return Err(ConfigError::Bad {
                    key: "tracking_urls",
                    reason: format!(
                        "{code} = {url:?}: the key must be a carrier (ceska_posta, ppl, dpd, packeta, gls) and the URL https://… with {{code}} in it"
                    ),
                });
            }
        }
        if self.fio_poll_seconds < 30 {
            return Err(ConfigError::Bad {
                key: "fio_poll_seconds",
                reason: "must be at least 30 (FIO takes one request per token per 30 s)".into(),
            });
        }
        if !self.fio_url.starts_with("http://") && !self.fio_url.starts_with("https://") {
            return Err(ConfigError::Bad {
                key: "fio_url",
                reason: "must start with http:// or https://".into(),
            });
        }
        if self.log.parse::<tracing_subscriber::EnvFilter>().is_err() {
            return Err(ConfigError::Bad {
                key: "log",
                reason: format!("{:?} is not a valid log filter", self.log),
            });
        }
        Ok(())
    }

    /// The public tracking page of `number` at `carrier` (empty: none).
    pub fn tracking_url(
        &self,
        carrier: fieldcase_shared::carrier::Carrier,
        number: &str,
    ) -> String {
        let template = self
            .tracking_urls
            .get(carrier.code())
            .map(String::as_str)
            .unwrap_or(carrier.default_url());
        fieldcase_shared::carrier::tracking_url(template, number)
    }

    /// The folder of uploaded files actually used.
    pub fn blob_path(&self) -> PathBuf {
        if self.blob_dir.as_os_str().is_empty() {
            self.data_dir.join("blobs")
        } else {
            self.blob_dir.clone()
        }
    }

    /// The secret key file actually used.
    pub fn secret_key_path(&self) -> PathBuf {
        if self.secret_key_file.as_os_str().is_empty() {
            self.data_dir.join("secret.key")
        } else {
            self.secret_key_file.clone()
        }
    }

    /// The folder the daily Pohoda export actually writes to.
    pub fn pohoda_path(&self) -> PathBuf {
        if self.pohoda_dir.as_os_str().is_empty() {
            self.data_dir.join("pohoda")
        } else {
            self.pohoda_dir.clone()
        }
    }

    /// The database URL actually used.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}/fieldcase.db", self.data_dir.display())
        } else {
            self.database_url.clone()
        }
    }

    /// The public base URL without a trailing slash.
    pub fn public_url(&self) -> String {
        if self.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.public_url.trim_end_matches('/').to_owned()
        }
    }
}

/// figment's errors are precise but wordy; keep the key and the reason on one line.
fn describe(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = e
                .metadata
                .as_ref()
                .map(|m| m.name.to_string())
                .unwrap_or_default();
            let kind = e.kind.to_string();
            match (key.is_empty(), source.is_empty()) {
                (false, false) => format!("key `{key}` (from {source}): {kind}"),
                (false, true) => format!("key `{key}`: {kind}"),
                (true, false) => format!("{kind} (in {source})"),
                (true, true) => kind,
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn load(toml: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fieldcase.toml");
        std::fs::write(&path, toml).unwrap();
        // Stands in for the FIELDCASE_* variables without touching the process environment.
        let env: std::collections::BTreeMap<String, figment::value::Value> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
            .collect();
        Config::load_from(Some(&path), Serialized::defaults(env))
    }

    #[test]
    fn defaults_give_sqlite_in_the_data_dir() {
        let config = load("", &[]).unwrap();
        assert_eq!(
            config.database_url(),
            "sqlite://./fieldcase-data/fieldcase.db"
        );
        assert_eq!(config.public_url(), "http://127.0.0.1:8080");
    }

    #[test]
    fn file_overrides_defaults_and_later_layers_override_the_file() {
        let config = load(
            "listen = \"0.0.0.0:9000\"\nsession_minutes = 30\n",
            &[("session_minutes", "45")],
        )
        .unwrap();
        assert_eq!(config.listen, "0.0.0.0:9000".parse().unwrap());
        assert_eq!(config.session_minutes, 45);
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let err = load("listen = \"not an address\"\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("listen"), "{err}");
        let err = load("session_minutes = \"soon\"\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("session_minutes"), "{err}");
        let err = load("database_url = \"mysql://x\"\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("database_url"), "{err}");
    }

    #[test]
    fn no_payee_account_unless_configured() {
        let config = load("", &[]).unwrap();
        assert!(
            !config.has_payee(),
            "no deployment pays into a sample account"
        );
        let config = load("payee_iban = \"CZ65 0800 0000 1920 0014 5399\"\n", &[]).unwrap();
        assert!(config.has_payee());
        let err = load("payee_iban = \"CZ00 1234\"\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("payee_iban"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_an_error_not_ignored() {
        let err = load("lisen = \"0.0.0.0:1\"\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("lisen"), "{err}");
    }

    #[test]
    fn a_missing_named_file_is_an_error() {
        let err = Config::load(Some(Path::new("/nonexistent/fieldcase.toml"))).unwrap_err();
        assert!(matches!(err, ConfigError::Missing(_)));
    }

    #[test]
    fn malformed_toml_is_reported() {
        let err = load("listen = [", &[]).unwrap_err().to_string();
        assert!(
            err.contains("fieldcase.toml") || err.contains("TOML") || err.contains("expected"),
            "{err}"
        );
    }
}
