//! The adviser's app with a full phone: 500 clients, 500 prescriptions and 2,000
//! orders (three lines each), written through the device core as the adviser would
//! and synced to a real hub in this process.
//!
//! - `phone-bench seed DIR` fills a device folder (then used by
//!   `bench/mobile-start.sh` for the desktop cold start);
//! - `phone-bench search DIR` times one keystroke of the client search: reading
//!   the clients from the workspace plus the app's search, as each keystroke does.
//!
//! Run: `cargo run --release -p fieldcase-bench --bin phone-bench -- seed DIR`.
//! Numbers go to bench/RESULTS.md with the machine and the date.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use fieldcase_device::Device;
use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord};
use fieldcase_shared::{ClientId, Diopters, EyeRx, OrderId, Prescription, PrescriptionId};

const CLIENTS: usize = 500;
const ORDERS: usize = 2_000;
const TOWNS: [&str; 8] = [
    "Třebíč",
    "Jihlava",
    "Brno",
    "Znojmo",
    "Tábor",
    "Písek",
    "Kolín",
    "Olomouc",
];
const NAMES: [&str; 10] = [
    "Novák",
    "Svoboda",
    "Novotný",
    "Dvořák",
    "Černý",
    "Procházka",
    "Kučera",
    "Veselý",
    "Horák",
    "Němec",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("seed"), Some(dir)) => seed(PathBuf::from(dir)).await,
        (Some("search"), Some(dir)) => search(PathBuf::from(dir)).await,
        _ => anyhow::bail!("usage: phone-bench seed DIR | phone-bench search DIR"),
    }
}

async fn seed(dir: PathBuf) -> anyhow::Result<()> {
    let field = fieldcase_tests::field::Field::start(&[]).await;
    let code = fieldcase_tests::issue_code(
        field.hub.store.as_ref(),
        &field.office,
        field.adviser,
        time::Duration::minutes(15),
    )
    .await?;
    let device = Device::enrol(&dir, &field.hub.url, &code, "bench phone").await?;
    let started = Instant::now();
    let today = time::OffsetDateTime::now_utc().date();
    let mut clients = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let id = ClientId::new();
        let client = ClientRecord {
            first_name: format!("Klient{i}"),
            last_name: NAMES[i % NAMES.len()].into(),
            phone: format!("+420 601 {:03} {:03}", i / 1000, i % 1000),
            city: TOWNS[i % TOWNS.len()].into(),
            created_at: "2025-01-01T09:00:00Z".into(),
            ..Default::default()
        };
        device.save_client(id, &client).await?;
        let rx = Prescription {
            id: PrescriptionId::new(),
            client: id,
            right: EyeRx {
                sph: Diopters::from_hundredths(-125),
                ..Default::default()
            },
            left: EyeRx {
                sph: Diopters::from_hundredths(-100),
                ..Default::default()
            },
            pd_binocular_mm: None,
            measured_by: "bench".into(),
            measured_on: today,
            valid_until: today + time::Duration::days(700),
            note: String::new(),
        };
        device
            .save_prescription(&rx)
            .await
            .map_err(|e| anyhow::anyhow!("bench prescription refused: {e}"))?;
        clients.push((id, rx.id));
    }
    for i in 0..ORDERS {
        let (client, rx) = clients[i % CLIENTS];
        let line = |kind: &str, price: i64, quantity: u32| LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.into(),
            text: format!("{kind} {i}"),
            quantity,
            unit_price: price,
            vat_bp: 2100,
            ..Default::default()
        };
        let order = OrderRecord {
            client: client.to_string(),
            prescription: Some(rx.to_string()),
            variable_symbol: format!("9000{i:06}"),
            status: "intake".into(),
            lines: vec![
                line("frame", 249_000, 1),
                line("lens", 89_000, 2),
                line("coating", 69_000, 2),
            ],
            created_at: "2025-06-01T09:00:00Z".into(),
            ..Default::default()
        };
        device.take_order(OrderId::new(), &order).await?;
    }
    let written = started.elapsed();
    let heads = device.heads();
    let deadline = Instant::now() + Duration::from_secs(600);
    while !device.hub_has(&heads) {
        anyhow::ensure!(Instant::now() < deadline, "the hub did not confirm in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "seeded {CLIENTS} clients, {CLIENTS} prescriptions, {ORDERS} orders in {:.1} s; synced after {:.1} s",
        written.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    device.close().await;
    Ok(())
}

async fn search(dir: PathBuf) -> anyhow::Result<()> {
    let device = Device::open(&dir)
        .await?
        .context("no device in that folder; run `phone-bench seed DIR` first")?;
    // The adviser types "novak 12": each keystroke reads the clients and filters.
    let typed = "novak 12";
    let mut samples = Vec::new();
    for _ in 0..40 {
        for end in 1..=typed.len() {
            let started = Instant::now();
            let found = fieldcase_mobile::search_clients(device.clients(), &typed[..end]);
            samples.push(started.elapsed());
            std::hint::black_box(found);
        }
    }
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    println!(
        "client search per keystroke, {} clients, {} keystrokes: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        device.clients().len(),
        samples.len(),
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    device.close().await;
    Ok(())
}
