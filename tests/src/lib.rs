//! Helpers for fieldcase's cross-crate tests: a fresh database per test on SQLite
//! (always) and PostgreSQL (when `FIELDCASE_TEST_PG` names a server), and a real
//! hub on an ephemeral port, and a minimal device client for sync tests.

pub mod api;
pub mod bank;
pub mod complaints;
pub mod device;
pub mod fake_fcm;
pub mod fake_fio;
pub mod fake_sms;
pub mod faults;
pub mod field;
pub mod office;
pub mod smtp_sink;
pub mod world;
pub mod xml;

use std::str::FromStr;
use std::sync::Arc;

use fieldcase_server::store::{Backend, HubStore, SqlStore, Store};
use fieldcase_server::{AppState, Config};
use sqlx::postgres::PgConnectOptions;

/// A store on a database nobody else uses. Dropping it removes the data too, except
/// the PostgreSQL schema of a test that panicked (kept to look at; named `t_<uuid>`).
pub struct TestDb {
    /// The store under test.
    pub store: Arc<SqlStore>,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres { url: String, schema: String },
}

impl TestDb {
    /// A migrated SQLite database in a temporary directory.
    pub async fn sqlite() -> anyhow::Result<TestDb> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let store = SqlStore::connect(&url).await?;
        store.migrate().await?;
        Ok(TestDb {
            store: Arc::new(store),
            url,
            cleanup: Cleanup::Sqlite(dir),
        })
    }

    /// The database for sync, device and simulator tests: SQLite, or PostgreSQL
    /// (`FIELDCASE_TEST_PG`) when `FIELDCASE_TEST_SYNC_ON_PG` is set — the test
    /// command runs those suites a second time that way, so they hold on both.
    pub async fn for_sync() -> anyhow::Result<TestDb> {
        if std::env::var_os("FIELDCASE_TEST_SYNC_ON_PG").is_some() {
            return TestDb::postgres().await?.ok_or_else(|| {
                anyhow::anyhow!("FIELDCASE_TEST_SYNC_ON_PG needs FIELDCASE_TEST_PG")
            });
        }
        TestDb::sqlite().await
    }

    /// A migrated fresh schema on the PostgreSQL server named by `FIELDCASE_TEST_PG`,
    /// or `None` when the variable is not set. Under CI (`CI` set) a missing
    /// `FIELDCASE_TEST_PG` is an error: a PostgreSQL case must never pass by not running.
    pub async fn postgres() -> anyhow::Result<Option<TestDb>> {
        let Some(url) = pg_url(
            std::env::var("CI").ok().as_deref(),
            std::env::var("FIELDCASE_TEST_PG").ok(),
        )?
        else {
            return Ok(None);
        };
        let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
        let admin = SqlStore::connect_pg(PgConnectOptions::from_str(&url)?).await?;
        admin
            .execute_raw(&format!("CREATE SCHEMA {schema}"))
            .await?;
        admin.close().await;
        let options = PgConnectOptions::from_str(&url)?.options([("search_path", schema.as_str())]);
        let store = SqlStore::connect_pg(options).await?;
        store.migrate().await?;
        let separator = if url.contains('?') { '&' } else { '?' };
        let schema_url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
        Ok(Some(TestDb {
            store: Arc::new(store),
            url: schema_url,
            cleanup: Cleanup::Postgres { url, schema },
        }))
    }

    /// A database URL that reaches the same data (for a hub process).
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The SQLite database's directory (none on PostgreSQL).
    pub fn sqlite_dir(&self) -> Option<&std::path::Path> {
        match &self.cleanup {
            Cleanup::Sqlite(dir) => Some(dir.path()),
            Cleanup::Postgres { .. } => None,
        }
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Drops the PostgreSQL schema (SQLite's directory goes with `self`).
    pub async fn finish(self) -> anyhow::Result<()> {
        self.store.close().await;
        if let Cleanup::Postgres { url, schema } = &self.cleanup {
            let admin = SqlStore::connect_pg(PgConnectOptions::from_str(url)?).await?;
            admin
                .execute_raw(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .await?;
            admin.close().await;
        }
        Ok(())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Cleanup::Postgres { url, schema } = &self.cleanup else {
            return;
        };
        if std::thread::panicking() {
            eprintln!("kept PostgreSQL schema {schema} of a failed test");
            return;
        }
        let (url, schema) = (url.clone(), schema.clone());
        // Not every test calls `finish`; drop can't await, so a short-lived thread
        // with its own runtime removes the schema.
        let dropped = std::thread::spawn(move || -> anyhow::Result<()> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let admin = SqlStore::connect_pg(PgConnectOptions::from_str(&url)?).await?;
                admin
                    .execute_raw(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .await?;
                admin.close().await;
                Ok(())
            })
        })
        .join();
        if let Ok(Err(err)) = dropped {
            eprintln!("could not drop a test schema: {err:#}");
        }
    }
}

/// A small network for sync tests: one shop, one office user, some advisers
/// (`Poradce 0`, `Poradce 1`, … with numbers `P0`, `P1`, …).
pub struct Network {
    /// The office user, as the acting party.
    pub office: fieldcase_server::store::Actor,
    /// The advisers.
    pub advisers: Vec<fieldcase_shared::AdviserId>,
}

/// A client `first last` of `adviser`'s, as their phone would have projected it.
pub async fn project_client(
    store: &dyn Store,
    adviser: fieldcase_shared::AdviserId,
    first: &str,
    last: &str,
) -> anyhow::Result<fieldcase_shared::ClientId> {
    use fieldcase_server::store::ProjectionBatch;
    use fieldcase_shared::docs::records::ClientRecord;
    let client = fieldcase_shared::ClientId::new();
    store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![(
                    client,
                    ClientRecord {
                        first_name: first.into(),
                        last_name: last.into(),
                        ..Default::default()
                    },
                )],
                ..Default::default()
            },
        )
        .await?;
    Ok(client)
}

/// A phone of `adviser`'s enrolled (with a one-time code `office` issued) under
/// `name`, with the push token `push` (none when empty); its id.
pub async fn enrol_phone(
    store: &dyn Store,
    office: &fieldcase_server::store::Actor,
    adviser: fieldcase_shared::AdviserId,
    name: &str,
    push: &str,
) -> anyhow::Result<fieldcase_shared::DeviceId> {
    let now = time::OffsetDateTime::now_utc();
    let code = issue_code(
        store,
        office,
        adviser,
        time::Duration::minutes(fieldcase_server::field::enrolment::CODE_MINUTES),
    )
    .await?;
    let code = fieldcase_server::auth::token_hash(&code);
    let device = store
        .redeem_enrolment_code(
            &code,
            &fieldcase_server::store::NewDevice {
                id: fieldcase_shared::DeviceId::new(),
                name: name.into(),
                token_hash: format!("token-{code}"),
                at: now,
            },
        )
        .await?
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if !push.is_empty() {
        store.set_push_token(device.id, "android", push).await?;
    }
    Ok(device.id)
}

/// A customer of `adviser` with a name and an e-mail, projected as their phone
/// would write it.
pub async fn customer_with_email(
    store: &dyn Store,
    adviser: fieldcase_shared::AdviserId,
    (first_name, last_name): (&str, &str),
    email: &str,
) -> anyhow::Result<fieldcase_shared::ClientId> {
    let client = fieldcase_shared::ClientId::new();
    let record = fieldcase_shared::docs::records::ClientRecord {
        first_name: first_name.into(),
        last_name: last_name.into(),
        email: email.into(),
        ..Default::default()
    };
    store
        .project(
            adviser,
            &fieldcase_server::store::ProjectionBatch {
                clients: vec![(client, record)],
                ..Default::default()
            },
        )
        .await?;
    Ok(client)
}

/// Creates a [`Network`] in `store`.
pub async fn small_network(store: &dyn Store, advisers: usize) -> anyhow::Result<Network> {
    use fieldcase_server::store::{Actor, NewAdviser, NewShop, NewUser};
    let system = Actor::system("test");
    let shop = store
        .create_shop(
            &system,
            &NewShop {
                code: "BRN1".into(),
                name: "Brno".into(),
                ..Default::default()
            },
        )
        .await?;
    let staff = NewUser {
        email: "office@example.cz".into(),
        name: "Office".into(),
        password_hash: "x".into(),
        role: fieldcase_shared::Role::Office,
        shop: None,
        lang: fieldcase_shared::Lang::Cs,
    };
    let office = Actor::user(&store.create_user(&system, &staff).await?);
    let mut ids = Vec::with_capacity(advisers);
    for i in 0..advisers {
        let a = NewAdviser {
            code: format!("P{i}"),
            name: format!("Poradce {i}"),
            email: format!("p{i}@example.cz"),
            phone: String::new(),
            region: "JM".into(),
            home_shop: shop.id,
            password_hash: "x".into(),
        };
        ids.push(store.create_adviser(&system, &a).await?.id);
    }
    Ok(Network {
        office,
        advisers: ids,
    })
}

/// What the office does on "Enrol a device": a fresh one-time code for `adviser`
/// (the hub's one path), then moved to expire `valid` from now.
pub async fn issue_code(
    store: &dyn Store,
    office: &fieldcase_server::store::Actor,
    adviser: fieldcase_shared::AdviserId,
    valid: time::Duration,
) -> anyhow::Result<String> {
    if valid == time::Duration::minutes(fieldcase_server::field::enrolment::CODE_MINUTES) {
        return Ok(
            fieldcase_server::field::enrolment::issue_code(store, office, adviser)
                .await?
                .code,
        );
    }
    // Other lifetimes (an expired code) only tests need: the store directly.
    let code = fieldcase_server::auth::new_enrolment_code();
    let new = fieldcase_server::store::NewEnrolmentCode {
        code_hash: fieldcase_server::auth::token_hash(&code),
        adviser,
        expires_at: time::OffsetDateTime::now_utc() + valid,
    };
    store.create_enrolment_code(office, &new).await?;
    Ok(code)
}

/// A hub serving on `127.0.0.1:0` in this process.
pub struct TestHub {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its store.
    pub store: Arc<dyn Store>,
    /// Its state (sync hub, config…).
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestHub {
    /// The hub's catalog document (what phones get: products, coupons, terms).
    #[allow(clippy::expect_used)] // test support: a hub without its catalog is a failed test
    pub async fn catalog(&self) -> samod::DocHandle {
        self.state
            .sync
            .repo()
            .find(self.state.sync.catalog_id().clone())
            .await
            .expect("the hub's repo answers")
            .expect("the hub has its catalog")
    }

    /// Starts a hub over `store` with default settings.
    pub async fn start(store: Arc<dyn Store>) -> anyhow::Result<TestHub> {
        Self::start_with(store, |_| {}).await
    }

    /// Starts a hub over `store` with the default settings changed by `set`.
    pub async fn start_with(
        store: Arc<dyn Store>,
        set: impl FnOnce(&mut Config),
    ) -> anyhow::Result<TestHub> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let mut config = Config {
            listen: addr,
            ..Config::default()
        };
        set(&mut config);
        Self::serve_config(store, listener, config).await
    }

    /// Stops the hub and starts a new one over the same store on the same address
    /// (the port the system gave the first one), as after a hub restart.
    pub async fn restart(self) -> anyhow::Result<TestHub> {
        let addr: std::net::SocketAddr = self.url.trim_start_matches("http://").parse()?;
        let store = self.store.clone();
        self.stop().await?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        Self::serve(store, listener).await
    }

    async fn serve(
        store: Arc<dyn Store>,
        listener: tokio::net::TcpListener,
    ) -> anyhow::Result<TestHub> {
        let addr = listener.local_addr()?;
        let config = Config {
            listen: addr,
            ..Config::default()
        };
        Self::serve_config(store, listener, config).await
    }

    async fn serve_config(
        store: Arc<dyn Store>,
        listener: tokio::net::TcpListener,
        config: Config,
    ) -> anyhow::Result<TestHub> {
        let addr = listener.local_addr()?;
        let state = AppState::start(store.clone(), config).await?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(fieldcase_server::serve(
            listener,
            state.clone(),
            async move {
                let _ = rx.await;
            },
        ));
        Ok(TestHub {
            url: format!("http://{addr}"),
            store,
            state,
            stop: Some(tx),
            task: Some(task),
        })
    }

    /// Stops the hub gracefully and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await??;
        }
        Ok(())
    }
}

/// The PostgreSQL server for tests: `FIELDCASE_TEST_PG`, or none; under CI (`CI`
/// set to anything but `false`/`0`) a missing one is an error, so a PostgreSQL case
/// never passes by not running.
pub fn pg_url(ci: Option<&str>, pg: Option<String>) -> anyhow::Result<Option<String>> {
    match (pg.filter(|u| !u.is_empty()), ci) {
        (Some(url), _) => Ok(Some(url)),
        (None, Some(ci)) if !ci.is_empty() && ci != "false" && ci != "0" => anyhow::bail!(
            "CI is set but FIELDCASE_TEST_PG is not: the PostgreSQL cases must run in CI"
        ),
        (None, _) => Ok(None),
    }
}

/// Runs `body` against SQLite and, if configured, PostgreSQL. Used by the
/// `conformance!` macro, which makes one test per database so the log shows both.
pub async fn on_sqlite<F, Fut>(body: F) -> anyhow::Result<()>
where
    F: FnOnce(Arc<SqlStore>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let db = TestDb::sqlite().await?;
    body(db.store.clone()).await?;
    db.finish().await
}

/// PostgreSQL twin of [`on_sqlite`]; without `FIELDCASE_TEST_PG` it says so and returns.
pub async fn on_postgres<F, Fut>(body: F) -> anyhow::Result<()>
where
    F: FnOnce(Arc<SqlStore>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let Some(db) = TestDb::postgres().await? else {
        eprintln!("FIELDCASE_TEST_PG is not set: PostgreSQL case not run");
        return Ok(());
    };
    body(db.store.clone()).await?;
    db.finish().await
}

/// Declares each listed async test function once per database:
/// `sqlite::name` always, `postgres::name` against `FIELDCASE_TEST_PG`.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() -> anyhow::Result<()> {
                $crate::on_sqlite(|store| super::$name(store)).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() -> anyhow::Result<()> {
                $crate::on_postgres(|store| super::$name(store)).await
            })*
        }
    };
}

/// A PDF's text, read back by poppler's `pdftotext` (Debian's `poppler-utils`).
pub fn pdf_text(bytes: &[u8]) -> anyhow::Result<String> {
    use anyhow::Context;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("document.pdf");
    std::fs::write(&file, bytes)?;
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .context("pdftotext (Debian's poppler-utils) is installed")?;
    anyhow::ensure!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One notification a test turns on: the event, the order status it waits for
/// (`""` any), the channel, the template's subject and body.
pub type Notify<'a> = (
    &'a str,
    &'a str,
    fieldcase_server::care::rules::Channel,
    &'a str,
    &'a str,
);

/// Saves the Czech template of each of `on` and turns its trigger on, as
/// `office` (an office user).
pub async fn notify_on(
    store: &dyn Store,
    office: &fieldcase_server::store::Actor,
    on: &[Notify<'_>],
) -> anyhow::Result<()> {
    use fieldcase_server::care::edit::{set_event_template, set_event_trigger};
    use fieldcase_shared::{Lang, Role};
    for &(kind, status, channel, subject, body) in on {
        set_event_template(
            store,
            office,
            Role::Office,
            kind,
            channel,
            Lang::Cs,
            subject,
            body,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        set_event_trigger(store, office, Role::Office, kind, status, channel, true)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn under_ci_a_missing_postgres_fails() {
        assert!(super::pg_url(Some("true"), None).is_err());
        assert!(super::pg_url(Some("1"), Some(String::new())).is_err());
        assert_eq!(super::pg_url(Some("false"), None).ok(), Some(None));
        assert_eq!(super::pg_url(None, None).ok(), Some(None));
        assert_eq!(
            super::pg_url(Some("true"), Some("postgres://x".into())).ok(),
            Some(Some("postgres://x".to_owned()))
        );
    }
}
