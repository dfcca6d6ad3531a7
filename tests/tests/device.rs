//! The device core (`fieldcase-device`) against a real hub: enrol, work offline,
//! sync when back online, and nothing lost when the app is killed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use fieldcase_device::{Device, DeviceError};
use fieldcase_server::store::Store;
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_tests::device::eventually;
use fieldcase_tests::{TestDb, TestHub};

const WAIT: Duration = Duration::from_secs(20);
const CRASH_DIR: &str = "FIELDCASE_DEVICE_CRASH_DIR";

async fn hub_and_code() -> (TestHub, TestDb, fieldcase_shared::AdviserId, String) {
    let db = TestDb::for_sync().await.unwrap();
    let store: Arc<dyn Store> = db.store.clone();
    let network = fieldcase_tests::small_network(store.as_ref(), 1)
        .await
        .unwrap();
    let adviser = network.advisers[0];
    let code = fieldcase_tests::issue_code(
        store.as_ref(),
        &network.office,
        adviser,
        time::Duration::minutes(15),
    )
    .await
    .unwrap();
    (TestHub::start(store).await.unwrap(), db, adviser, code)
}

/// An enrolled device that has just lost its signal, with its hub.
async fn offline_device() -> (
    TestHub,
    TestDb,
    fieldcase_shared::AdviserId,
    tempfile::TempDir,
    Device,
) {
    let (hub, db, adviser, code) = hub_and_code().await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::enrol(dir.path(), &hub.url, &code, "Pixel 8")
        .await
        .unwrap();
    device.go_offline();
    (hub, db, adviser, dir, device)
}

fn client(name: &str) -> ClientRecord {
    ClientRecord {
        first_name: name.into(),
        last_name: "Terénní".into(),
        city: "Prostějov".into(),
        created_at: "2026-11-23T10:00:00Z".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_offline_then_sync_when_back() {
    let (hub, _db, adviser, _dir, device) = offline_device().await;
    let id = ClientId::new();
    device.save_client(id, &client("Offline")).await.unwrap();
    assert_eq!(
        device.clients().len(),
        1,
        "offline writes are readable at once"
    );
    let status = device.sync_status().await.unwrap();
    assert!(!status.connected);
    assert_eq!(status.pending_journal, 1);
    let digest = || async { hub.store.projection_digest(adviser).await.unwrap() };
    assert!(
        !digest().await.contains("Offline"),
        "nothing reaches the hub while offline"
    );
    device.go_online().unwrap();
    eventually("the offline client in the office's SQL", WAIT, || async {
        digest().await.contains("Offline")
    })
    .await
    .unwrap();
    device.close().await;
    hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_writes_survive_the_app_being_killed() {
    // The child: open offline, save, and die at once (no flush, no destructors).
    if let Ok(dir) = std::env::var(CRASH_DIR) {
        let device = Device::open(std::path::Path::new(&dir))
            .await
            .unwrap()
            .expect("enrolled");
        device
            .save_client(ClientId::new(), &client("PředPádem"))
            .await
            .unwrap();
        std::process::abort();
    }
    let (hub, _db, _adviser, code) = hub_and_code().await;
    let dir = tempfile::tempdir().unwrap();
    let device = Device::enrol(dir.path(), &hub.url, &code, "Pixel 8")
        .await
        .unwrap();
    device.close().await;
    hub.stop().await.unwrap();

    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "local_writes_survive_the_app_being_killed",
            "--exact",
            "--nocapture",
        ])
        .env(CRASH_DIR, dir.path())
        .status()
        .unwrap();
    assert!(
        !status.success(),
        "the child must have been killed, not finish: {status}"
    );

    let reopened = Device::open(dir.path())
        .await
        .unwrap()
        .expect("still enrolled");
    let names: Vec<String> = reopened
        .clients()
        .into_iter()
        .map(|(_, c)| c.first_name)
        .collect();
    assert_eq!(
        names,
        ["PředPádem"],
        "the save that returned before the kill is there"
    );
    reopened.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_overdraw_comes_back_rejected_and_does_not_count() {
    let (hub, _db, adviser, _dir, device) = offline_device().await;
    device
        .record_case_movement("RB-5154-01", 2, "issue", "")
        .await
        .unwrap();
    device
        .record_case_movement("RB-5154-01", -1, "sale", "Nováková")
        .await
        .unwrap();
    let overdraw = device
        .record_case_movement("RB-5154-01", -2, "sale", "Dvořák")
        .await
        .unwrap();
    assert_eq!(
        device.case_stock().get("RB-5154-01"),
        Some(&-1),
        "offline, the app counts what it has"
    );
    device.go_online().unwrap();
    eventually("the hub's verdict on the phone", WAIT, || async {
        device
            .case_movements()
            .iter()
            .any(|(id, m)| *id == overdraw && m.rejected == "below_zero")
    })
    .await
    .unwrap();
    assert_eq!(device.case_stock().get("RB-5154-01"), Some(&1));
    let inbox = device.inbox();
    let entry = inbox
        .iter()
        .find(|(id, _)| *id == format!("case-{overdraw}"))
        .expect("an inbox entry explains it");
    assert!(
        entry.1.text_cs.contains("pod nulu") && entry.1.text_en.contains("below zero"),
        "{:?}",
        entry.1
    );
    // The office's SQL follows the verdict (the projection is written on its own
    // schedule, so the phone may see the verdict first).
    let store = hub.store.clone();
    eventually("the movements in SQL", WAIT, || {
        let store = store.clone();
        async move {
            let digest = store.projection_digest(adviser).await.unwrap();
            digest.matches("|RB-5154-01|").count() == 3
        }
    })
    .await
    .unwrap();
    let digest = hub.store.projection_digest(adviser).await.unwrap();
    assert_eq!(digest.matches("|RB-5154-01|").count(), 3, "{digest}");
    assert_eq!(digest.matches("below_zero").count(), 1, "{digest}");
    device.close().await;
    hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prescriptions_and_orders_offline_with_the_shared_rules() {
    use fieldcase_shared::docs::records::{LineRecord, OrderRecord};
    use fieldcase_shared::{Diopters, EyeRx, OrderId, OrderStatus, Prescription, PrescriptionId};
    let (hub, _db, adviser, _dir, device) = offline_device().await;
    let client_id = ClientId::new();
    device
        .save_client(client_id, &client("Předpis"))
        .await
        .unwrap();

    let today = time::OffsetDateTime::now_utc().date();
    let mut rx = Prescription {
        id: PrescriptionId::new(),
        client: client_id,
        right: EyeRx {
            sph: Diopters::from_hundredths(-213),
            ..EyeRx::default()
        },
        left: EyeRx::default(),
        pd_binocular_mm: None,
        measured_by: "Bc. Jana Horáková".into(),
        measured_on: today,
        valid_until: today + time::Duration::days(730),
        note: String::new(),
    };
    let Err(DeviceError::Invalid(problems)) = device.save_prescription(&rx).await else {
        panic!("an invalid prescription is refused offline");
    };
    assert_eq!(
        problems
            .iter()
            .map(|p| p.field.as_str())
            .collect::<Vec<_>>(),
        ["right.sph"],
        "the form learns which field is wrong"
    );
    assert!(
        device.prescriptions(client_id).is_empty(),
        "nothing invalid is saved"
    );
    rx.right.sph = Diopters::from_hundredths(-225);
    device.save_prescription(&rx).await.unwrap();
    assert_eq!(device.prescriptions(client_id), vec![rx.clone()]);

    let order_id = OrderId::new();
    let order = OrderRecord {
        client: client_id.to_string(),
        prescription: Some(rx.id.to_string()),
        variable_symbol: "2026994444".into(),
        status: "intake".into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            text: "Silhouette 5500".into(),
            quantity: 1,
            unit_price: 699_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        created_at: "2026-11-23T10:00:00Z".into(),
        ..Default::default()
    };
    assert!(
        device
            .take_order(
                OrderId::new(),
                &OrderRecord {
                    lines: vec![],
                    ..order.clone()
                }
            )
            .await
            .is_err(),
        "no empty orders"
    );
    device.take_order(order_id, &order).await.unwrap();
    let Err(DeviceError::StatusDenied(denied)) = device
        .set_order_status(order_id, OrderStatus::Confirmed)
        .await
    else {
        panic!("an adviser may not confirm");
    };
    assert!(
        denied
            .message(fieldcase_shared::Lang::Cs)
            .contains("Poradce"),
        "{}",
        denied.message(fieldcase_shared::Lang::Cs)
    );
    device.go_online().unwrap();
    let digest = || async { hub.store.projection_digest(adviser).await.unwrap() };
    eventually("the order and prescription in SQL", WAIT, || async {
        let d = digest().await;
        d.contains("2026994444") && d.contains("Bc. Jana Horáková")
    })
    .await
    .unwrap();
    device
        .set_order_status(order_id, OrderStatus::Cancelled)
        .await
        .unwrap();
    eventually("the cancellation in SQL", WAIT, || async {
        hub.store
            .order_status(order_id)
            .await
            .unwrap()
            .map(fieldcase_shared::OrderStatus::code)
            == Some("cancelled")
    })
    .await
    .unwrap();
    device.close().await;
    hub.stop().await.unwrap();
}
