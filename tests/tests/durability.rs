//! Acknowledged means durable: phones write under load, the hub (a real `fieldcase`
//! process) is killed with SIGKILL at a random moment and restarted on the same
//! data. Every change a phone saw acknowledged must be in the hub's storage, and all
//! phones converge afterwards.
//!
//! The rule under test (vendored samod-core, `durable_ack`): the hub generates a
//! sync reply to a connection it accepted only when every put of the document is
//! done, so the heads it advertises are on disk. Without it 87–127 acknowledged
//! changes of ~550 were lost per run. Runs on SQLite and, in the test command's
//! second pass (`FIELDCASE_TEST_SYNC_ON_PG=1`), on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::ChangeHash;
use fieldcase_device::Device;
use fieldcase_server::store::Store;
use fieldcase_shared::docs::records::{self, ClientRecord};
use fieldcase_shared::{AdviserId, ClientId};
use fieldcase_tests::TestDb;
use fieldcase_tests::device::eventually;
use rand::Rng;

const PHONES: usize = 20;
const WAIT: Duration = Duration::from_secs(60);

/// The hub binary of this build (next to the test executable), built if missing.
fn hub_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("fieldcase");
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args([
                "build",
                "--locked",
                "-p",
                "fieldcase-server",
                "--bin",
                "fieldcase",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "building the hub");
    }
    bin
}

/// A hub process on `database_url`, listening on `listen` (port 0: any).
fn start_hub(database_url: &str, data_dir: &std::path::Path, listen: &str) -> (Child, String) {
    // Its log goes to a file in the data folder, shown in the failure if it does not
    // start (what went wrong is then on record, e.g. a taken port).
    let log_path = data_dir.join(format!("hub-{}.log", listen.replace([':', '.'], "-")));
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(hub_binary())
        .args(["--database-url", database_url, "--data-dir"])
        .arg(data_dir)
        .args(["--listen", listen, "serve"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .filter(|u| u.starts_with("http://"))
        .unwrap_or_else(|| {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("the hub printed {line:?}; its log:\n{log}")
        })
        .to_owned();
    (child, url)
}

/// What one phone wrote: each client with the heads right after saving it.
type Written = Arc<Mutex<Vec<(ClientId, Vec<ChangeHash>)>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn what_a_phone_saw_acknowledged_survives_a_kill_9() {
    let db = TestDb::for_sync().await.unwrap();
    let database_url = db.url();
    let store: Arc<dyn Store> = db.store.clone();
    let network = fieldcase_tests::small_network(store.as_ref(), PHONES)
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let (mut hub, url) = start_hub(&database_url, data.path(), "127.0.0.1:0");

    let mut phones = Vec::new();
    let dirs: Vec<tempfile::TempDir> = (0..PHONES).map(|_| tempfile::tempdir().unwrap()).collect();
    for (i, adviser) in network.advisers.iter().enumerate() {
        let code = fieldcase_tests::issue_code(
            store.as_ref(),
            &network.office,
            *adviser,
            time::Duration::minutes(15),
        )
        .await
        .unwrap();
        let phone = Device::enrol(dirs[i].path(), &url, &code, "Pixel")
            .await
            .unwrap();
        phones.push(Arc::new(phone));
    }

    // Load: every phone saves a client every few milliseconds.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    let mut written: Vec<Written> = Vec::new();
    for (i, phone) in phones.iter().enumerate() {
        let (phone, stop, log) = (phone.clone(), stop.clone(), Written::default());
        written.push(log.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            let mut pace = tokio::time::interval(Duration::from_millis(5 + (i as u64 % 7)));
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                pace.tick().await;
                let id = ClientId::new();
                let client = ClientRecord {
                    first_name: format!("Klient {n}"),
                    last_name: format!("Telefon {i}"),
                    created_at: "2026-11-25T10:00:00Z".into(),
                    ..Default::default()
                };
                phone.save_client(id, &client).await.unwrap();
                log.lock().unwrap().push((id, phone.heads()));
                n += 1;
            }
        }));
    }
    // Kill the hub at a random moment once acknowledgements flow.
    let wait = rand::rng().random_range(800..2500);
    tokio::time::sleep(Duration::from_millis(wait)).await;
    hub.kill().unwrap(); // SIGKILL
    hub.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    for phone in &phones {
        phone.go_offline();
    }
    // What each phone saw acknowledged before the hub died.
    let mut acked: Vec<Vec<ClientId>> = Vec::new();
    for (phone, log) in phones.iter().zip(&written) {
        let log = log.lock().unwrap();
        acked.push(
            log.iter()
                .filter(|(_, heads)| phone.hub_has(heads))
                .map(|(id, _)| *id)
                .collect(),
        );
    }
    let total_acked: usize = acked.iter().map(Vec::len).sum();
    assert!(
        total_acked > PHONES,
        "the load was acknowledged before the kill ({total_acked})"
    );

    // The hub's storage, read with the hub down: every acknowledged client is there.
    let sync = fieldcase_server::sync::SyncHub::start(store.clone())
        .await
        .unwrap();
    let mut lost = Vec::new();
    for (adviser, ids) in network.advisers.iter().zip(&acked) {
        let doc = store.workspace_doc(*adviser).await.unwrap().unwrap();
        let handle = sync
            .repo()
            .find(doc.parse().unwrap())
            .await
            .unwrap()
            .expect("the workspace is in the hub's storage");
        let stored: std::collections::HashSet<String> =
            handle.with_document(|d| records::ids(d, records::CLIENTS).into_iter().collect());
        lost.extend(
            ids.iter()
                .filter(|id| !stored.contains(&id.to_string()))
                .map(|id| (adviser_code(&network.advisers, *adviser), *id)),
        );
    }
    sync.stop().await;
    assert!(
        lost.is_empty(),
        "{} of {total_acked} acknowledged changes were lost by the kill: {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );

    // Restarted on the same data and address, the hub gets everything else and
    // every phone converges.
    let listen = url.trim_start_matches("http://").to_owned();
    let (mut hub, _) = start_hub(&database_url, data.path(), &listen);
    for phone in &phones {
        phone.go_online().unwrap();
    }
    for (phone, log) in phones.iter().zip(&written) {
        let last = log
            .lock()
            .unwrap()
            .last()
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        let phone = phone.clone();
        eventually(
            "every phone's changes reach the restarted hub",
            WAIT,
            || {
                let (phone, last) = (phone.clone(), last.clone());
                async move { phone.hub_has(&last) }
            },
        )
        .await
        .unwrap();
    }
    let written_total: usize = written.iter().map(|w| w.lock().unwrap().len()).sum();
    eventually(
        "every written client in the office's projection",
        WAIT,
        || {
            let (store, advisers) = (store.clone(), network.advisers.clone());
            async move {
                let mut projected = 0;
                for a in advisers {
                    projected += store
                        .projection_digest(a)
                        .await
                        .unwrap()
                        .lines()
                        .filter(|l| l.contains("|Klient "))
                        .count();
                }
                projected == written_total
            }
        },
    )
    .await
    .unwrap();
    hub.kill().unwrap();
    hub.wait().unwrap();
    for phone in phones {
        if let Ok(phone) = Arc::try_unwrap(phone) {
            phone.close().await;
        }
    }
    db.finish().await.unwrap();
}

fn adviser_code(advisers: &[AdviserId], adviser: AdviserId) -> String {
    format!(
        "P{}",
        advisers
            .iter()
            .position(|a| *a == adviser)
            .unwrap_or(usize::MAX)
    )
}
