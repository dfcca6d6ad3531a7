//! The load simulator (`fieldcase-sim`) against a real hub: a small run measured
//! end to end, and office edits timed until they reach the phones.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_simulator_measures_a_small_run() {
    let field = Field::start(&[]).await;
    let args = fieldcase_sim::SimArgs {
        hub: field.hub.url.clone(),
        advisers: 3,
        interval: 0.2,
        duration: 1.0,
        hub_pid: Some(std::process::id()),
        reference: false,
        connect_concurrency: 4,
        dir: None,
        drain: 20.0,
        settle: 0.0,
        in_process: false,
    };
    let report = fieldcase_sim::run(&args, Some(field.hub.store.clone()))
        .await
        .unwrap();
    assert_eq!(report.advisers, 3);
    assert!(report.changes >= 12, "{report:?}");
    assert_eq!((report.unacked, report.lost), (0, 0), "{report:?}");
    assert_eq!(report.ack_ms.count, report.changes);
    assert!(report.ack_ms.p50 > 0.0 && report.ack_ms.p99 >= report.ack_ms.p50);
    assert!(report.bytes_per_change > 100.0, "{report:?}");
    assert!(report.server_rss_idle_mib.is_some_and(|r| r > 1.0));
    let text = fieldcase_sim::render(&report);
    assert!(
        text.contains("change→ack") && text.contains("lost 0"),
        "{text}"
    );
    // The simulated advisers' clients reach the office's SQL like real ones.
    let advisers = field
        .hub
        .store
        .list_advisers(&Default::default())
        .await
        .unwrap();
    let simulated: Vec<_> = advisers
        .iter()
        .filter(|a| a.code.starts_with("SIM-"))
        .collect();
    assert_eq!(simulated.len(), 3);
    let first = simulated[0].id;
    eventually("a simulated client in SQL", WAIT, || async {
        field
            .hub
            .store
            .projection_digest(first)
            .await
            .unwrap()
            .contains("Simulovaný")
    })
    .await
    .unwrap();
    field.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_simulator_times_office_edits_reaching_phones() {
    let db = fieldcase_tests::TestDb::for_sync().await.unwrap();
    let args = fieldcase_sim::SimArgs {
        hub: String::new(),
        advisers: 2,
        interval: 0.2,
        duration: 1.5,
        hub_pid: None,
        reference: false,
        connect_concurrency: 2,
        dir: None,
        drain: 20.0,
        settle: 0.0,
        in_process: true,
    };
    let report = fieldcase_sim::run(&args, Some(db.store.clone()))
        .await
        .unwrap();
    let fan_out = report
        .fan_out_ms
        .clone()
        .expect("in-process runs time office edits");
    assert!(fan_out.count >= 4, "{report:?}");
    assert!(fan_out.p50 > 0.0, "{report:?}");
    assert_eq!((report.unacked, report.lost), (0, 0), "{report:?}");
    assert!(fieldcase_sim::render(&report).contains("office→phone"));
}
