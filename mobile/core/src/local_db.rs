//! The phone's SQLite file: samod's chunks, a journal of local changes, and the
//! enrolment. Opened in WAL mode with `synchronous=FULL`, so a committed write
//! survives the app being killed or the phone losing power.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use samod::storage::{Storage, StorageKey};

/// Errors of the local database.
#[derive(Debug, thiserror::Error)]
pub enum LocalDbError {
    /// SQLite refused.
    #[error("local database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The blocking task failed.
    #[error("local database task: {0}")]
    Task(String),
}

/// The local database; cheap to clone.
#[derive(Clone)]
pub struct LocalDb {
    conn: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS chunks (key TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS journal (hash TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL, change BLOB NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
";

impl LocalDb {
    /// Opens (creating) `dir/device.db`, every commit on disk before it returns.
    pub fn open(dir: &Path) -> Result<LocalDb, LocalDbError> {
        Self::open_with(dir, true)
    }

    /// Opens (creating) `dir/device.db`; `durable = false` skips fsync (only for the
    /// load simulator, whose thousands of phones would otherwise share one disk with
    /// the hub they measure).
    pub fn open_with(dir: &Path, durable: bool) -> Result<LocalDb, LocalDbError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| LocalDbError::Task(format!("creating {}: {e}", dir.display())))?;
        let conn = Connection::open(dir.join("device.db"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", if durable { "FULL" } else { "OFF" })?;
        // Deleted content is zeroed in the file (a replaced workspace's old bytes,
        // GDPR erasure).
        conn.pragma_update(None, "secure_delete", "on")?;
        conn.execute_batch(SCHEMA)?;
        Ok(LocalDb {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Deletes the device's database in `dir` (logout, revocation). Handles still
    /// open keep working on the unlinked file until dropped; nothing is re-created.
    pub fn wipe(dir: &Path) -> anyhow::Result<()> {
        for name in [
            "device.db",
            "device.db-wal",
            "device.db-shm",
            "device.db-journal",
        ] {
            match std::fs::remove_file(dir.join(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(anyhow::anyhow!(
                        "deleting {}: {e}",
                        dir.join(name).display()
                    ));
                }
            }
        }
        Ok(())
    }

    /// Runs `f` on the connection in a blocking thread.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error> + Send + 'static,
    ) -> Result<T, LocalDbError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .map_err(|e| LocalDbError::Task(e.to_string()))?
        .map_err(LocalDbError::from)
    }

    /// A setting.
    pub async fn setting(&self, key: &'static str) -> Result<Option<String>, LocalDbError> {
        self.run(move |c| {
            c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
        })
        .await
    }

    /// Sets a setting.
    pub async fn set_setting(&self, key: &'static str, value: String) -> Result<(), LocalDbError> {
        self.run(move |c| {
            c.execute("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params![key, value])
                .map(|_| ())
        })
        .await
    }

    /// Appends local changes of `doc` to the journal, committed before returning.
    pub async fn journal(
        &self,
        doc: String,
        changes: Vec<(String, Vec<u8>)>,
    ) -> Result<(), LocalDbError> {
        let at = time::OffsetDateTime::now_utc().to_string();
        self.run(move |c| {
            let tx = c.transaction()?;
            for (hash, bytes) in &changes {
                tx.execute(
                    "INSERT OR IGNORE INTO journal (hash, doc, change, at) VALUES (?1, ?2, ?3, ?4)",
                    params![hash, doc, bytes, at],
                )?;
            }
            tx.commit()
        })
        .await
    }

    /// The journaled changes of `doc`: (hash, bytes).
    pub async fn journaled(&self, doc: String) -> Result<Vec<(String, Vec<u8>)>, LocalDbError> {
        self.run(move |c| {
            let mut stmt =
                c.prepare("SELECT hash, change FROM journal WHERE doc = ?1 ORDER BY at")?;
            let rows = stmt.query_map([doc], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
        .await
    }

    /// Forgets journal entries that samod's storage is known to hold.
    pub async fn forget_journaled(&self, hashes: Vec<String>) -> Result<(), LocalDbError> {
        self.run(move |c| {
            let tx = c.transaction()?;
            for h in &hashes {
                tx.execute("DELETE FROM journal WHERE hash = ?1", [h])?;
            }
            tx.commit()
        })
        .await
    }

    /// Deletes every stored byte of document `doc` (its chunks and journal), then
    /// rewrites the file without free pages and empties the write-ahead log, so
    /// none of its bytes remain on the phone (a workspace the hub replaced).
    pub async fn forget_document(&self, doc: String) -> Result<(), LocalDbError> {
        self.run(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "DELETE FROM chunks WHERE key = ?1 OR (key >= ?2 AND key < ?3)",
                params![doc, format!("{doc}/"), format!("{doc}0")],
            )?;
            tx.execute("DELETE FROM journal WHERE doc = ?1", [&doc])?;
            tx.commit()?;
            c.execute_batch("VACUUM")?;
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        })
        .await
    }

    /// Number of journal entries (local changes not yet known to be in samod storage).
    pub async fn journal_len(&self) -> Result<u64, LocalDbError> {
        let n: i64 = self
            .run(|c| c.query_row("SELECT COUNT(*) FROM journal", [], |r| r.get(0)))
            .await?;
        Ok(n.unsigned_abs())
    }
}

/// samod storage over the chunks table. Storage calls cannot fail in samod, so an
/// error here is retried until SQLite takes the write (a full disk is reported in
/// the log and keeps retrying rather than losing data).
impl Storage for LocalDb {
    fn load(&self, key: StorageKey) -> impl std::future::Future<Output = Option<Vec<u8>>> + Send {
        let db = self.clone();
        async move {
            let key = key.to_string();
            retry(|| {
                let key = key.clone();
                db.run(move |c| {
                    c.query_row("SELECT data FROM chunks WHERE key = ?1", [key], |r| {
                        r.get(0)
                    })
                    .optional()
                })
            })
            .await
        }
    }

    fn load_range(
        &self,
        prefix: StorageKey,
    ) -> impl std::future::Future<Output = HashMap<StorageKey, Vec<u8>>> + Send {
        let db = self.clone();
        async move {
            let prefix = prefix.to_string();
            let rows: Vec<(String, Vec<u8>)> = retry(|| {
                let prefix = prefix.clone();
                db.run(move |c| {
                    let mut stmt = c.prepare(
                        "SELECT key, data FROM chunks WHERE key = ?1 OR (key >= ?2 AND key < ?3)",
                    )?;
                    let rows = stmt.query_map(
                        params![prefix, format!("{prefix}/"), format!("{prefix}0")],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    rows.collect()
                })
            })
            .await;
            rows.into_iter()
                .filter_map(|(k, v)| StorageKey::from_parts(k.split('/')).ok().map(|k| (k, v)))
                .collect()
        }
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl std::future::Future<Output = ()> + Send {
        let db = self.clone();
        async move {
            let key = key.to_string();
            retry(|| {
                let (key, data) = (key.clone(), data.clone());
                db.run(move |c| {
                    c.execute("INSERT INTO chunks (key, data) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET data = excluded.data", params![key, data])
                        .map(|_| ())
                })
            })
            .await
        }
    }

    fn delete(&self, key: StorageKey) -> impl std::future::Future<Output = ()> + Send {
        let db = self.clone();
        async move {
            let key = key.to_string();
            retry(|| {
                let key = key.clone();
                db.run(move |c| {
                    c.execute("DELETE FROM chunks WHERE key = ?1", [key])
                        .map(|_| ())
                })
            })
            .await
        }
    }
}

async fn retry<T, F, Fut>(op: F) -> T
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, LocalDbError>>,
{
    let mut delay = std::time::Duration::from_millis(20);
    loop {
        match op().await {
            Ok(v) => return v,
            Err(err) => {
                tracing::error!(%err, "local storage failed; retrying");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(std::time::Duration::from_secs(5));
            }
        }
    }
}
