//! Realistic adviser workspace: how big it gets, how fast it loads, and what the
//! first sync and an idle reconnect cost over loopback against a real hub.
//!
//! Workspace: 500 clients (each edited twice after creation), 500 prescriptions,
//! 2,000 orders with 3 lines each that walk the whole workflow (8 status changes),
//! 300 sample-case movements and 1,000 inbox entries — every edit its own change,
//! as two years of separate saves would be.
//!
//! Run: `cargo run --release -p fieldcase-bench --bin workspace-bench`
//! Numbers go to bench/RESULTS.md with the machine and the date.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use automerge::Automerge;
use fieldcase_device::dialer::BearerDialer;
use fieldcase_server::store::Store;
use fieldcase_shared::docs::DocError;
use fieldcase_shared::docs::records::{
    self, CaseMovementRecord, ClientRecord, InboxRecord, LineRecord, OrderRecord,
    PrescriptionRecord,
};
use fieldcase_tests::{TestDb, TestHub, device};
use samod::{BackoffConfig, PeerId, RepoEvent, RepoObserver};

const CLIENTS: usize = 500;
const ORDERS: usize = 2_000;
const CASE_ITEMS: usize = 300;
const INBOX: usize = 1_000;
const WORKFLOW: [&str; 8] = [
    "intake",
    "confirmed",
    "lenses_ordered",
    "in_lab",
    "quality_check",
    "shipped",
    "delivered",
    "closed",
];

fn put<R: autosurgeon::Reconcile>(doc: &mut Automerge, map: &str, id: &str, r: &R) {
    if let Err(e) = doc.transact::<_, _, DocError>(|tx| records::put(tx, map, id, r)) {
        eprintln!("edit failed: {}", e.error);
    }
}

fn id(prefix: u32, i: usize) -> String {
    format!("{prefix:08x}-0000-7000-8000-{i:012x}")
}

/// Applies two years of an adviser's work to `doc`; returns the number of changes.
fn two_years(doc: &mut Automerge) -> usize {
    let mut changes = 0;
    for i in 0..CLIENTS {
        let mut c = ClientRecord {
            first_name: format!("Jméno{i}"),
            last_name: format!("Příjmení{i}"),
            phone: format!("+420 601 {:03} {:03}", i / 1000, i % 1000),
            email: format!("klient{i}@seznam.cz"),
            street: format!("Husova {i}"),
            city: "Brno".into(),
            postal_code: "602 00".into(),
            note: String::new(),
            created_at: "2025-01-01T10:00:00Z".into(),
            merged_into: String::new(),
            custom: Default::default(),
        };
        put(doc, records::CLIENTS, &id(1, i), &c);
        c.note = "Preferuje odpolední návštěvy.".into();
        put(doc, records::CLIENTS, &id(1, i), &c);
        c.phone = format!("+420 777 {:03} {:03}", i / 1000, i % 1000);
        put(doc, records::CLIENTS, &id(1, i), &c);
        let body = format!(
            r#"{{"id":"{}","client":"{}","right":{{"sph":-225,"cyl":-50,"axis":90,"add":null,"prism":null,"pd_mono_mm":310,"fitting_height_mm":null}},"left":{{"sph":-200,"cyl":0,"axis":null,"add":null,"prism":null,"pd_mono_mm":305,"fitting_height_mm":null}},"pd_binocular_mm":null,"measured_by":"Bc. Jana Horáková","measured_on":"2025-03-01","valid_until":"2027-03-01","note":""}}"#,
            id(2, i),
            id(1, i)
        );
        put(
            doc,
            records::PRESCRIPTIONS,
            &id(2, i),
            &PrescriptionRecord {
                client: id(1, i),
                body,
            },
        );
        changes += 4;
    }
    for i in 0..ORDERS {
        let mut o = OrderRecord {
            client: id(1, i % CLIENTS),
            prescription: Some(id(2, i % CLIENTS)),
            variable_symbol: format!("2025{i:06}"),
            status: WORKFLOW[0].into(),
            lines: (0..3)
                .map(|l| LineRecord {
                    id: id(4, i * 3 + l),
                    kind: ["frame", "lens", "lens"][l].into(),
                    product: Some(id(5, (i * 7 + l) % 5000)),
                    text: [
                        "Ray-Ban RX5154 52□21 145",
                        "Zeiss 1.60 jednoohnisková (P)",
                        "Zeiss 1.60 jednoohnisková (L)",
                    ][l]
                        .into(),
                    quantity: 1,
                    unit_price: [329_000, 149_000, 149_000][l],
                    vat_bp: [2100, 1200, 1200][l],
                    discount: 0,
                })
                .collect(),
            deposit: 100_000,
            note: String::new(),
            coupon: String::new(),
            coupon_discount: 0,
            discount_pct: 0,
            created_at: "2025-02-01T10:00:00Z".into(),
            custom: Default::default(),
        };
        put(doc, records::ORDERS, &id(3, i), &o);
        for status in &WORKFLOW[1..] {
            o.status = (*status).into();
            put(doc, records::ORDERS, &id(3, i), &o);
        }
        changes += WORKFLOW.len();
    }
    for i in 0..CASE_ITEMS {
        let m = CaseMovementRecord {
            product: id(5, i),
            quantity: if i % 3 == 0 { 2 } else { -1 },
            kind: "sale".into(),
            at: format!("2025-{:02}-01T10:00:00Z", 1 + i % 12),
            note: String::new(),
            rejected: String::new(),
        };
        put(doc, records::CASE_MOVEMENTS, &id(6, i), &m);
        changes += 1;
    }
    for i in 0..INBOX {
        let n = InboxRecord {
            at: "2025-05-01T10:00:00Z".into(),
            kind: "notification".into(),
            about: format!("orders/{}", id(3, i)),
            text_cs: "Objednávka je připravena k vyzvednutí.".into(),
            text_en: "The order is ready for pickup.".into(),
            read: i % 2 == 0,
        };
        put(doc, records::INBOX, &id(7, i), &n);
        changes += 1;
    }
    changes
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[derive(Default)]
struct Traffic {
    sent: AtomicUsize,
    received: AtomicUsize,
    sent_bytes: AtomicUsize,
    received_bytes: AtomicUsize,
}

#[derive(Clone)]
struct Counter(Arc<Traffic>);

impl RepoObserver for Counter {
    fn observe(&self, event: &RepoEvent) {
        match event {
            RepoEvent::SyncMessageReceived { bytes, .. } => {
                self.0.received.fetch_add(1, Ordering::Relaxed);
                self.0.received_bytes.fetch_add(*bytes, Ordering::Relaxed);
            }
            RepoEvent::SyncMessageGenerated { bytes, .. } => {
                self.0.sent.fetch_add(1, Ordering::Relaxed);
                self.0.sent_bytes.fetch_add(*bytes, Ordering::Relaxed);
            }
            _ => {}
        }
    }
}

impl Counter {
    fn take(&self) -> (usize, usize, usize, usize) {
        (
            self.0.sent.swap(0, Ordering::Relaxed),
            self.0.sent_bytes.swap(0, Ordering::Relaxed),
            self.0.received.swap(0, Ordering::Relaxed),
            self.0.received_bytes.swap(0, Ordering::Relaxed),
        )
    }
}

/// Waits until no sync message has moved for `quiet`.
async fn settle(counter: &Counter, quiet: Duration) {
    let mut last = (usize::MAX, usize::MAX);
    loop {
        let now = (
            counter.0.sent.load(Ordering::Relaxed),
            counter.0.received.load(Ordering::Relaxed),
        );
        if now == last {
            return;
        }
        last = now;
        tokio::time::sleep(quiet).await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // 1. The document on its own.
    let started = Instant::now();
    let mut doc = fieldcase_shared::docs::new_workspace(fieldcase_shared::AdviserId::new())?;
    let changes = two_years(&mut doc);
    let built = started.elapsed();
    let bytes = doc.save();
    // Memory first, in a heap that has not loaded the document yet.
    let before = rss_kib();
    let loaded = Automerge::load(&bytes)?;
    let after = rss_kib();
    let loads: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let again = Automerge::load(&bytes);
            let d = t.elapsed();
            drop(again);
            d
        })
        .collect();
    let t = Instant::now();
    let listed = records::ids(&loaded, records::CLIENTS)
        .into_iter()
        .filter(|id| {
            records::get::<ClientRecord>(&loaded, records::CLIENTS, id)
                .ok()
                .flatten()
                .is_some()
        })
        .count();
    let list_time = t.elapsed();
    println!(
        "## Workspace document ({CLIENTS} clients, {ORDERS} orders, {CASE_ITEMS} case items, {INBOX} inbox, {changes} changes)"
    );
    println!("| measure | value |\n|---|---|");
    println!(
        "| build (apply {changes} changes) | {:.2} s |",
        built.as_secs_f64()
    );
    println!("| saved size | {:.2} MB |", bytes.len() as f64 / 1e6);
    println!(
        "| load (median of 5) | {:.0} ms |",
        median(loads).as_secs_f64() * 1e3
    );
    println!(
        "| RSS growth on load | {:.1} MB |",
        after.saturating_sub(before) as f64 / 1024.0
    );
    println!(
        "| hydrate all {listed} clients | {:.0} ms |",
        list_time.as_secs_f64() * 1e3
    );
    drop(loaded);

    // 2. First sync and idle reconnect against a real hub on loopback.
    let db = TestDb::sqlite().await?;
    let store: Arc<dyn Store> = db.store.clone();
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let hub = TestHub::start(store.clone()).await?;
    let code = fieldcase_tests::issue_code(
        store.as_ref(),
        &network.office,
        network.advisers[0],
        time::Duration::minutes(15),
    )
    .await?;
    let enrolment = device::enrol(&hub.url, &code, "bench")
        .await?
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let ws_id: samod::DocumentId = enrolment
        .workspace_doc
        .parse()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let on_hub = hub
        .state
        .sync
        .repo()
        .find(ws_id.clone())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no workspace on the hub"))?;
    // The hub's copy gets two years of work (as if the phone had synced it over time).
    on_hub.with_document(|d| {
        let mut work = d.fork();
        two_years(&mut work);
        d.merge(&mut work).map(|_| ())
    })?;
    // The hub's authority now reads those two years (orders that the office moved
    // along look like device moves to it, and it writes its corrections): wait until
    // the hub's copy stops changing, so the first sync and the reconnect measure
    // sync, not the hub's own late writes.
    let mut hub_heads = on_hub.with_document(|d| d.get_heads());
    let mut quiet_since = Instant::now();
    while quiet_since.elapsed() < Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = on_hub.with_document(|d| d.get_heads());
        if now != hub_heads {
            hub_heads = now;
            quiet_since = Instant::now();
        }
    }

    let counter = Counter(Arc::new(Traffic::default()));
    let repo = samod::Repo::build_tokio()
        .with_peer_id(PeerId::from(enrolment.peer_id.clone()))
        .with_observer(counter.clone())
        .load()
        .await;
    let url = samod::Url::parse(&format!(
        "{}{}",
        hub.url.replacen("http", "ws", 1),
        enrolment.sync_path
    ))?;
    let dialer = Arc::new(BearerDialer {
        url,
        token: enrolment.token.clone(),
        hub_peer: enrolment.hub_peer_id.clone(),
        workspace: String::new(),
        moved: Default::default(),
    });
    let backoff = BackoffConfig::default();
    let t = Instant::now();
    let handle = repo
        .dial(backoff.clone(), dialer.clone())
        .map_err(|_| anyhow::anyhow!("stopped"))?;
    handle
        .established()
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let ws = repo
        .find(ws_id.clone())
        .await?
        .ok_or_else(|| anyhow::anyhow!("workspace not shared"))?;
    while ws.with_document(|d| d.get_heads()) != hub_heads {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let first_sync = t.elapsed();
    settle(&counter, Duration::from_millis(300)).await;
    let (s1, sb1, r1, rb1) = counter.take();
    println!("\n## First sync of that workspace over loopback (device with empty storage)");
    println!("| measure | value |\n|---|---|");
    println!(
        "| time to the hub's heads | {:.0} ms |",
        first_sync.as_secs_f64() * 1e3
    );
    println!("| messages device→hub / hub→device | {s1} / {r1} |");
    println!(
        "| bytes device→hub / hub→device | {sb1} / {rb1} ({:.2} MB total) |",
        (sb1 + rb1) as f64 / 1e6
    );

    handle.close();
    tokio::time::sleep(Duration::from_millis(300)).await;
    counter.take();
    let t = Instant::now();
    let handle = repo
        .dial(backoff, dialer)
        .map_err(|_| anyhow::anyhow!("stopped"))?;
    handle
        .established()
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    settle(&counter, Duration::from_millis(300)).await;
    let reconnect = t.elapsed();
    let (s2, sb2, r2, rb2) = counter.take();
    println!("\n## Reconnect with nothing new (2 documents: workspace + catalog)");
    println!("| measure | value |\n|---|---|");
    println!("| messages device→hub / hub→device | {s2} / {r2} |");
    println!("| bytes device→hub / hub→device | {sb2} / {rb2} |");
    println!(
        "| wall time incl. 300 ms quiet window | {:.0} ms |",
        reconnect.as_secs_f64() * 1e3
    );
    repo.stop().await;
    hub.stop().await?;
    Ok(())
}
