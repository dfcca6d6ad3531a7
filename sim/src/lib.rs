//! `fieldcase-sim`: a load simulator. It runs many advisers' phones in one process
//! (the real device core, `fieldcase-device`, without UI) against a hub and
//! measures what an adviser would feel:
//!
//! - **change → ack**: a phone saves a change until the hub confirms it has it (the
//!   sync protocol's shared heads cover the change);
//! - **device → device**: the same change until the adviser's second phone has it;
//! - bytes on the wire per change, and the hub's RSS and CPU when its pid is given;
//! - **lost**: changes that never reached the second phone by the end.
//!
//! Each adviser has a writer and a reader phone; each writer saves one client every
//! `interval` (random phase). Against our hub the advisers are created in its
//! database and the phones enrol with one-time codes like real ones. With
//! `--reference` the phones talk to a plain automerge-repo sync server (the
//! JavaScript reference) instead: no enrolment, the writer creates the document.
//! The simulated phones skip fsync (thousands of them would otherwise share the
//! hub's disk); everything else is the phone's code path.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use fieldcase_device::Device;
use fieldcase_shared::docs::records::{self, ClientRecord};
use fieldcase_shared::{AdviserId, ClientId};
use futures::{StreamExt, TryStreamExt};

use fieldcase_server::store::{Actor, NewAdviser, NewShop, Store};

mod measure;
mod office;

pub use measure::render;
use measure::{TempDir, cpu_ticks, rss_mib, ticks_per_second};
use office::{InProcessHub, office_loop};

/// What to simulate.
#[derive(Debug, Clone, clap::Args)]
pub struct SimArgs {
    /// The hub's base URL (`http://127.0.0.1:8080`), or with `--reference` the sync
    /// server's WebSocket URL (`ws://127.0.0.1:3030`).
    #[arg(long)]
    pub hub: String,
    /// Number of advisers (each with a writer and a reader phone).
    #[arg(long, default_value_t = 200)]
    pub advisers: usize,
    /// Seconds between one writer's changes.
    #[arg(long, default_value_t = 10.0)]
    pub interval: f64,
    /// Seconds of measured load (after every phone is connected).
    #[arg(long, default_value_t = 60.0)]
    pub duration: f64,
    /// The hub's (or reference server's) process id, to report its RSS and CPU.
    #[arg(long)]
    pub hub_pid: Option<u32>,
    /// Talk to a plain automerge-repo sync server (no enrolment, no tokens).
    #[arg(long)]
    pub reference: bool,
    /// Phones connecting at once while setting up.
    #[arg(long, default_value_t = 16)]
    pub connect_concurrency: usize,
    /// Where the phones keep their databases (default: a fresh temporary folder).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Seconds to wait after the load for late changes before counting them lost.
    #[arg(long, default_value_t = 30.0)]
    pub drain: f64,
    /// Seconds to let the first syncs settle before the idle memory reading.
    #[arg(long, default_value_t = 3.0)]
    pub settle: f64,
    /// Run the hub inside the simulator (ignores `--hub`) so the office's path can
    /// be driven too: each adviser's order is moved along its workflow by the office
    /// every three intervals, and the time until the writer phone shows the new
    /// status is reported as fan-out. The hub's RSS/CPU then include the phones.
    #[arg(long)]
    pub in_process: bool,
}

/// One adviser's two phones (and, in-process, the order the office moves).
struct Pair {
    writer: Device,
    reader: Device,
    order: Option<fieldcase_shared::OrderId>,
}

/// Latencies of one kind, in milliseconds.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Latency {
    /// Samples.
    pub count: usize,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Worst.
    pub max: f64,
}

impl Latency {
    fn of(mut samples: Vec<f64>) -> Latency {
        if samples.is_empty() {
            return Latency::default();
        }
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
        Latency {
            count: samples.len(),
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

/// What a run measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Server kind: `fieldcase` or `reference`.
    pub server: &'static str,
    /// Advisers (pairs of phones).
    pub advisers: usize,
    /// Seconds of setup (enrolment and first sync of every phone).
    pub setup_seconds: f64,
    /// Changes written during the load.
    pub changes: usize,
    /// Change → hub confirmation.
    pub ack_ms: Latency,
    /// Change → the adviser's second phone.
    pub device_to_device_ms: Latency,
    /// Office status change → the adviser's phone (in-process runs only).
    pub fan_out_ms: Option<Latency>,
    /// Changes the hub never confirmed.
    pub unacked: usize,
    /// Changes that never reached the second phone.
    pub lost: usize,
    /// Bytes sent and received by all phones during the load, per change.
    pub bytes_per_change: f64,
    /// Sync messages (both directions) during the load, per change.
    pub messages_per_change: f64,
    /// Server RSS before the phones connected, MiB.
    pub server_rss_start_mib: Option<f64>,
    /// Server RSS with every phone connected and idle, MiB.
    pub server_rss_idle_mib: Option<f64>,
    /// Server RSS at the end of the load, MiB.
    pub server_rss_end_mib: Option<f64>,
    /// Server memory per connected idle phone, KiB.
    pub server_kib_per_idle_phone: Option<f64>,
    /// Server CPU during the load, % of one core.
    pub server_cpu_percent: Option<f64>,
}

/// Runs the simulation; `store` is the hub's database (needed unless `--reference`).
pub async fn run(args: &SimArgs, store: Option<Arc<dyn Store>>) -> anyhow::Result<Report> {
    anyhow::ensure!(args.advisers > 0, "--advisers must be at least 1");
    anyhow::ensure!(
        args.interval > 0.0 && args.duration > 0.0,
        "--interval and --duration must be positive"
    );
    let temp;
    let dir: &Path = match &args.dir {
        Some(d) => d,
        None => {
            temp = TempDir::new()?;
            &temp.0
        }
    };
    let mut args = args.clone();
    let hub = if args.in_process {
        let store = store
            .clone()
            .context("the simulator needs the hub's database")?;
        let hub = InProcessHub::start(store).await?;
        args.hub = hub.url.clone();
        args.hub_pid = Some(std::process::id());
        Some(hub)
    } else {
        None
    };
    let args = &args;
    let rss_start = args.hub_pid.and_then(rss_mib);
    let setup = Instant::now();
    let mut pairs: Vec<Pair> = if args.reference {
        connect_reference(args, dir).await?
    } else {
        let store = store.context("the simulator needs the hub's database")?;
        connect_hub(args, dir, store.as_ref()).await?
    };
    if let Some(hub) = &hub {
        hub.take_orders(&mut pairs).await?;
    }
    let setup_seconds = setup.elapsed().as_secs_f64();
    eprintln!(
        "sim: {} advisers ({} phones) connected in {setup_seconds:.1} s",
        pairs.len(),
        pairs.len() * 2
    );
    // Let the first syncs settle before taking the idle reading.
    tokio::time::sleep(Duration::from_secs_f64(args.settle)).await;
    let rss_idle = args.hub_pid.and_then(rss_mib);
    let cpu_start = args.hub_pid.and_then(cpu_ticks);
    let traffic_start = fieldcase_device::dialer::traffic::totals();
    let load_start = Instant::now();

    let pairs = Arc::new(pairs);
    let results = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let fan_out = Arc::new(Mutex::new(Vec::<Option<f64>>::new()));
    let deadline = load_start + Duration::from_secs_f64(args.duration);
    let interval = Duration::from_secs_f64(args.interval);
    let drain = Duration::from_secs_f64(args.drain);
    let mut writers = Vec::with_capacity(pairs.len());
    for i in 0..pairs.len() {
        let (pairs, results) = (pairs.clone(), results.clone());
        // Spread the writers evenly over one interval.
        let phase = interval.mul_f64(i as f64 / pairs.len() as f64);
        writers.push(tokio::spawn(async move {
            write_loop(&pairs[i], phase, interval, deadline, drain, &results).await
        }));
    }
    let mut office = Vec::new();
    if let Some(hub) = &hub {
        for i in 0..pairs.len() {
            let (pairs, fan_out, sync) = (pairs.clone(), fan_out.clone(), hub.state.sync.clone());
            let phase = interval.mul_f64(i as f64 / pairs.len() as f64);
            office.push(tokio::spawn(async move {
                office_loop(
                    &sync,
                    &pairs[i],
                    phase,
                    interval * 3,
                    deadline,
                    drain,
                    &fan_out,
                )
                .await
            }));
        }
    }
    for w in writers.into_iter().chain(office) {
        w.await.context("a simulated writer failed")??;
    }
    let load_seconds = load_start.elapsed().as_secs_f64();
    let traffic_end = fieldcase_device::dialer::traffic::totals();
    let cpu_end = args.hub_pid.and_then(cpu_ticks);
    let rss_end = args.hub_pid.and_then(rss_mib);

    let samples = std::mem::take(&mut *results.lock().unwrap_or_else(PoisonError::into_inner));
    let changes = samples.len();
    let per_change = |v: u64| {
        if changes == 0 {
            0.0
        } else {
            v as f64 / changes as f64
        }
    };
    let phones = (pairs.len() * 2) as f64;
    let report = Report {
        server: if args.reference {
            "reference"
        } else {
            "fieldcase"
        },
        advisers: pairs.len(),
        setup_seconds,
        changes,
        ack_ms: Latency::of(samples.iter().filter_map(|s| s.ack_ms).collect()),
        device_to_device_ms: Latency::of(samples.iter().filter_map(|s| s.reader_ms).collect()),
        fan_out_ms: hub.as_ref().map(|_| {
            let edits =
                std::mem::take(&mut *fan_out.lock().unwrap_or_else(PoisonError::into_inner));
            let missed = edits.iter().filter(|e| e.is_none()).count();
            if missed > 0 {
                tracing::warn!(missed, "office edits that never reached the phone");
            }
            Latency::of(edits.into_iter().flatten().collect())
        }),
        unacked: samples.iter().filter(|s| s.ack_ms.is_none()).count(),
        lost: samples.iter().filter(|s| s.reader_ms.is_none()).count(),
        bytes_per_change: per_change(
            (traffic_end.sent_bytes + traffic_end.received_bytes)
                - (traffic_start.sent_bytes + traffic_start.received_bytes),
        ),
        messages_per_change: per_change(
            (traffic_end.sent_messages + traffic_end.received_messages)
                - (traffic_start.sent_messages + traffic_start.received_messages),
        ),
        server_rss_start_mib: rss_start,
        server_rss_idle_mib: rss_idle,
        server_rss_end_mib: rss_end,
        server_kib_per_idle_phone: match (rss_start, rss_idle) {
            (Some(a), Some(b)) => Some((b - a) * 1024.0 / phones),
            _ => None,
        },
        server_cpu_percent: match (cpu_start, cpu_end) {
            (Some(a), Some(b)) => Some((b - a) as f64 / ticks_per_second() / load_seconds * 100.0),
            _ => None,
        },
    };
    let pairs = Arc::try_unwrap(pairs).map_err(|_| anyhow::anyhow!("writers still running"))?;
    futures::stream::iter(pairs)
        .for_each_concurrent(args.connect_concurrency, |p| async move {
            p.writer.close().await;
            p.reader.close().await;
        })
        .await;
    if let Some(hub) = hub {
        hub.stop().await?;
    }
    Ok(report)
}

/// One change's fate.
struct Sample {
    ack_ms: Option<f64>,
    reader_ms: Option<f64>,
}

async fn write_loop(
    pair: &Pair,
    phase: Duration,
    interval: Duration,
    deadline: Instant,
    drain: Duration,
    results: &Mutex<Vec<Sample>>,
) -> anyhow::Result<()> {
    let mut next = Instant::now() + phase;
    let mut waits = futures::stream::FuturesUnordered::new();
    loop {
        tokio::select! {
            Some(sample) = waits.next(), if !waits.is_empty() => {
                results.lock().unwrap_or_else(PoisonError::into_inner).push(sample);
            }
            () = tokio::time::sleep_until(next.into()), if next < deadline => {
                next += interval;
                waits.push(one_change(pair, deadline + drain).await?);
            }
            else => break,
        }
    }
    Ok(())
}

/// Writes one change and returns the future that measures its fate.
async fn one_change(
    pair: &Pair,
    until: Instant,
) -> anyhow::Result<impl std::future::Future<Output = Sample> + '_> {
    let id = ClientId::new();
    let key = id.to_string();
    // Subscribe before writing so no notification is missed.
    let mut confirmations = pair.writer.confirmations();
    let mut arrivals = pair.reader.workspace().changes();
    let started = Instant::now();
    pair.writer
        .save_client(
            id,
            &ClientRecord {
                first_name: "Simulovaný".into(),
                last_name: format!("Klient {key}"),
                city: "Brno".into(),
                ..Default::default()
            },
        )
        .await?;
    let heads = pair.writer.heads();
    let limit = until.saturating_duration_since(Instant::now());
    let ack = async move {
        while !pair.writer.hub_has(&heads) {
            confirmations.changed().await.ok()?;
        }
        Some(started.elapsed().as_secs_f64() * 1000.0)
    };
    let reader = pair.reader.workspace().clone();
    let arrival = async move {
        loop {
            let here = reader.with_document(|d| {
                records::get::<ClientRecord>(d, records::CLIENTS, &key)
                    .ok()
                    .flatten()
                    .is_some()
            });
            if here {
                return Some(started.elapsed().as_secs_f64() * 1000.0);
            }
            arrivals.next().await?;
        }
    };
    Ok(async move {
        let (ack_ms, reader_ms) = tokio::join!(
            async { tokio::time::timeout(limit, ack).await.ok().flatten() },
            async { tokio::time::timeout(limit, arrival).await.ok().flatten() }
        );
        Sample { ack_ms, reader_ms }
    })
}

async fn connect_hub(args: &SimArgs, dir: &Path, store: &dyn Store) -> anyhow::Result<Vec<Pair>> {
    let id = uuid::Uuid::now_v7().simple().to_string();
    let run = &id[id.len() - 8..];
    // Codes are issued by a staff user, as in the office.
    let staff = store
        .create_user(
            &Actor::system("sim"),
            &fieldcase_server::store::NewUser {
                email: format!("sim-{run}@example.invalid"),
                name: format!("Simulace {run}"),
                password_hash: "!".into(),
                role: fieldcase_shared::Role::Office,
                shop: None,
                lang: fieldcase_shared::Lang::Cs,
            },
        )
        .await
        .context("creating the simulation's office user")?;
    let actor = Actor::user(&staff);
    let shop = store
        .create_shop(
            &actor,
            &NewShop {
                code: format!("S{}", &run[4..]).to_uppercase(),
                name: format!("Simulace {run}"),
                city: "Brno".into(),
                ..Default::default()
            },
        )
        .await
        .context("creating the simulation's shop")?;
    let hub = args.hub.trim_end_matches('/').to_owned();
    let mut advisers = Vec::with_capacity(args.advisers);
    for i in 0..args.advisers {
        let adviser = store
            .create_adviser(
                &actor,
                &NewAdviser {
                    code: format!("SIM-{run}-{i:05}"),
                    name: format!("Simulace {i}"),
                    email: format!("sim-{run}-{i}@example.invalid"),
                    phone: String::new(),
                    region: "SIM".into(),
                    home_shop: shop.id,
                    password_hash: "!".into(),
                },
            )
            .await
            .context("creating a simulated adviser")?;
        advisers.push(adviser.id);
    }
    futures::stream::iter(advisers.into_iter().enumerate())
        .map(|(i, adviser)| {
            let (hub, actor) = (hub.clone(), actor.clone());
            async move {
                let phone = |role: &'static str| {
                    let (hub, actor) = (hub.clone(), actor.clone());
                    async move {
                        let code = code_for(store, &actor, adviser).await?;
                        Device::enrol_with(
                            &dir.join(format!("{i:05}-{role}")),
                            &hub,
                            &code,
                            role,
                            false,
                        )
                        .await
                        .with_context(|| format!("enrolling phone {i}/{role}"))
                    }
                };
                let writer = phone("writer").await?;
                let reader = phone("reader").await?;
                Ok::<_, anyhow::Error>(Pair {
                    writer,
                    reader,
                    order: None,
                })
            }
        })
        .buffer_unordered(args.connect_concurrency)
        .try_collect()
        .await
}

/// A one-time code, issued the office's way (the hub's one path).
async fn code_for(store: &dyn Store, actor: &Actor, adviser: AdviserId) -> anyhow::Result<String> {
    Ok(
        fieldcase_server::field::enrolment::issue_code(store, actor, adviser)
            .await?
            .code,
    )
}

async fn connect_reference(args: &SimArgs, dir: &Path) -> anyhow::Result<Vec<Pair>> {
    let server = args.hub.trim_end_matches('/').to_owned();
    futures::stream::iter(0..args.advisers)
        .map(|i| {
            let server = server.clone();
            async move {
                let writer =
                    Device::plain(&dir.join(format!("{i:05}-writer")), &server, None, false)
                        .await
                        .with_context(|| format!("connecting writer {i}"))?;
                // The reader can only find the document once the server has it.
                let heads = writer.heads();
                let mut confirmations = writer.confirmations();
                tokio::time::timeout(Duration::from_secs(60), async {
                    while !writer.hub_has(&heads) {
                        if confirmations.changed().await.is_err() {
                            break;
                        }
                    }
                })
                .await
                .context("the server did not take the writer's document")?;
                let doc = writer.enrolment().workspace_doc.clone();
                let reader = Device::plain(
                    &dir.join(format!("{i:05}-reader")),
                    &server,
                    Some(&doc),
                    false,
                )
                .await
                .with_context(|| format!("connecting reader {i}"))?;
                Ok::<_, anyhow::Error>(Pair {
                    writer,
                    reader,
                    order: None,
                })
            }
        })
        .buffer_unordered(args.connect_concurrency)
        .try_collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::Latency;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let l = Latency::of((1..=100).map(f64::from).collect());
        assert_eq!(
            (l.count, l.p50, l.p95, l.p99, l.max),
            (100, 51.0, 95.0, 99.0, 100.0)
        );
        assert_eq!(Latency::of(vec![]).count, 0);
    }
}
