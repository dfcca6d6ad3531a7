//! The rest of the field day through the device core and a real hub: commission and
//! payout requests (judged by the hub), the catalog searched offline, visits and
//! tasks, the sync status the app shows, and a hub restart in the middle. The load
//! simulator's runs are in `simulator.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_device::{Device, DeviceError};
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::commission::{PayoutDenied, PayoutStatus};
use fieldcase_shared::docs::records::{ClientRecord, VisitRecord};
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payouts_are_checked_offline_and_judged_by_the_hub() {
    let field = Field::start(&[]).await;
    field.credit(100_000).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = field.phone(&dir_a, "Pixel A").await;
    let b = field.phone(&dir_b, "Pixel B").await;
    for phone in [&a, &b] {
        eventually("the published ledger on the phone", WAIT, || async {
            phone.commission().balance == 100_000
        })
        .await
        .unwrap();
    }
    a.go_offline();
    b.go_offline();

    // Each phone alone may ask for 600 Kč of the 1 000 Kč; together they may not.
    let first = a.request_payout(60_000, "A").await.unwrap();
    assert_eq!(a.commission().available, 40_000, "a waiting request counts");
    assert!(
        matches!(
            a.request_payout(50_000, "too much").await,
            Err(DeviceError::PayoutDenied(PayoutDenied::OverBalance {
                requested: 50_000,
                available: 40_000
            }))
        ),
        "refused offline with the reason"
    );
    assert!(matches!(
        a.request_payout(0, "").await,
        Err(DeviceError::PayoutDenied(PayoutDenied::NotPositive))
    ));
    let second = b.request_payout(60_000, "B").await.unwrap();

    a.go_online().unwrap();
    eventually("the hub accepts the first request", WAIT, || async {
        a.commission()
            .requests
            .iter()
            .any(|(id, r)| *id == first && r.status() == PayoutStatus::Accepted)
    })
    .await
    .unwrap();
    b.go_online().unwrap();
    eventually(
        "the hub rejects the second on both phones",
        WAIT,
        || async {
            [&a, &b].iter().all(|p| {
                p.commission()
                    .requests
                    .iter()
                    .any(|(id, r)| *id == second && r.status() == PayoutStatus::Rejected)
            })
        },
    )
    .await
    .unwrap();
    let rejected = b.inbox_about(&format!("payout_requests/{second}"));
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0].1.kind, "rejection");
    assert!(
        rejected[0].1.text_cs.contains("400,00 Kč") && rejected[0].1.text_en.contains("CZK 400.00"),
        "says what was available: {:?}",
        rejected[0].1
    );
    // The rejection is an event of the notifications (a push to the adviser,
    // as the office's triggers say), once.
    let told: Vec<_> = field
        .hub
        .store
        .open_events(500)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == fieldcase_server::care::rules::RECORD_REJECTED)
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].adviser, Some(field.adviser));
    assert!(
        told[0].facts.detail.contains("400,00 Kč"),
        "{:?}",
        told[0].facts.detail
    );
    let status = b.sync_status().await.unwrap();
    assert_eq!(status.rejections, 1, "the status bar shows it");
    b.mark_read(&rejected[0].0).await.unwrap();
    assert_eq!(b.sync_status().await.unwrap().rejections, 0);
    assert_eq!(b.commission().available, 40_000);

    let digest = field
        .hub
        .store
        .projection_digest(field.adviser)
        .await
        .unwrap();
    assert!(
        digest.contains("|60000|A|accepted|") && digest.contains("|60000|B|rejected|over_balance"),
        "the office sees both verdicts: {digest}"
    );
    assert_eq!(
        field
            .hub
            .store
            .payout_available(field.adviser)
            .await
            .unwrap(),
        40_000
    );

    // A decided request cannot be raised afterwards: the hub puts it back.
    a.go_offline();
    a.workspace()
        .with_document(|doc| {
            doc.transact::<_, _, fieldcase_shared::docs::DocError>(|tx| {
                let mut r: fieldcase_shared::docs::commission::PayoutRequestRecord =
                    fieldcase_shared::docs::records::get(tx, "payout_requests", &first)?.unwrap();
                r.amount = 90_000;
                fieldcase_shared::docs::records::put(tx, "payout_requests", &first, &r)
            })
        })
        .unwrap();
    a.go_online().unwrap();
    eventually("the hub restores the decided amount", WAIT, || async {
        a.commission()
            .requests
            .iter()
            .any(|(id, r)| *id == first && r.amount == 60_000)
    })
    .await
    .unwrap();
    a.close().await;
    b.close().await;
    field.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_is_published_and_searched_offline() {
    use fieldcase_server::store::{Product, ProductKind};
    use fieldcase_shared::{Money, ProductId};
    let product = |sku: &str, name: &str, brand: &str, colour: &str| Product {
        id: ProductId::new(),
        sku: sku.into(),
        kind: ProductKind::Frame,
        name: name.into(),
        brand: brand.into(),
        colour: colour.into(),
        size: "52□18 140".into(),
        price: Money::from_czk(3_290),
        vat_bp: 2100,
        attrs: Default::default(),
    };
    let field = Field::start(&[
        product("RB-2140-901", "Wayfarer", "Ray-Ban", "Černá"),
        product("RB-3025-001", "Aviator", "Ray-Ban", "Zlatá"),
        product("SIL-5500", "Momentum", "Silhouette", "Hnědá"),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    eventually("the catalog on the phone", WAIT, || async {
        phone.catalog_search("", 10).len() == 3
    })
    .await
    .unwrap();
    phone.close().await;

    // Offline, with the hub gone: search still works.
    field.hub.stop().await.unwrap();
    let phone = Device::open(dir.path()).await.unwrap().expect("enrolled");
    let names = |q: &str| -> Vec<String> {
        phone
            .catalog_search(q, 10)
            .into_iter()
            .map(|(_, p)| p.name)
            .collect()
    };
    assert_eq!(names("cerna"), ["Wayfarer"], "diacritics do not matter");
    assert_eq!(names("RAY-BAN"), ["Aviator", "Wayfarer"]);
    assert_eq!(names("ray zlat"), ["Aviator"], "every word must match");
    assert!(names("gucci").is_empty());
    let (id, _) = phone.catalog_search("momentum", 1).remove(0);
    assert_eq!(phone.product(&id).unwrap().price, 329_000);
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visits_need_their_fields_and_status_shows_what_waits() {
    let field = Field::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    eventually("a first confirmed sync", WAIT, || async {
        phone.sync_status().await.unwrap().last_sync.is_some()
    })
    .await
    .unwrap();
    let synced_at = phone.sync_status().await.unwrap().last_sync;
    phone.go_offline();

    let Err(DeviceError::Invalid(problems)) = phone
        .save_visit(
            "v0",
            &VisitRecord {
                kind: "visit".into(),
                planned_for: "zítra".into(),
                ..Default::default()
            },
        )
        .await
    else {
        panic!("a visit without a title and date is refused offline");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["title", "planned_for"]);
    let visit = |title: &str, when: &str| VisitRecord {
        kind: "visit".into(),
        title: title.into(),
        planned_for: when.into(),
        ..Default::default()
    };
    let later = uuid::Uuid::now_v7().to_string();
    let sooner = uuid::Uuid::now_v7().to_string();
    phone
        .save_visit(&later, &visit("Předat brýle", "2026-12-02"))
        .await
        .unwrap();
    phone
        .save_visit(&sooner, &visit("Měření", "2026-11-30T14:00:00+01:00"))
        .await
        .unwrap();
    phone.complete_visit(&sooner).await.unwrap();
    let visits = phone.visits();
    assert_eq!(
        visits.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        [sooner.as_str(), later.as_str()]
    );
    assert!(!visits[0].1.done_at.is_empty());

    let status = phone.sync_status().await.unwrap();
    assert!(!status.connected);
    assert_eq!(status.pending_changes, 3, "three saves wait for the hub");
    assert_eq!(status.last_sync, synced_at);

    phone.go_online().unwrap();
    eventually("the pending count drains", WAIT, || async {
        let s = phone.sync_status().await.unwrap();
        s.connected && s.pending_changes == 0 && s.last_sync != synced_at
    })
    .await
    .unwrap();
    phone.close().await;
    field.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_hub_restart_device_changes_still_reach_the_office() {
    let field = Field::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    phone.go_offline();
    let hub = field.hub.restart().await.unwrap();
    let id = ClientId::new();
    phone
        .save_client(
            id,
            &ClientRecord {
                first_name: "PoRestartu".into(),
                last_name: "Nováková".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    phone.go_online().unwrap();
    eventually("the client in SQL after the restart", WAIT, || async {
        hub.store
            .projection_digest(field.adviser)
            .await
            .unwrap()
            .contains("PoRestartu")
    })
    .await
    .unwrap();
    phone.close().await;
    hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_phones_two_advisers_and_the_office_edit_offline_and_converge() {
    use fieldcase_shared::docs::records::{LineRecord, OrderRecord};
    use fieldcase_shared::{OrderId, OrderStatus, Role};
    let field = Field::start_with(&[], 2).await;
    let (hub, store) = (&field.hub, field.hub.store.clone());
    let (a, b) = (field.advisers[0], field.advisers[1]);
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut phones = Vec::new();
    for (dir, adviser) in dirs.iter().zip([a, a, b]) {
        phones.push(field.phone_of(adviser, dir, "Pixel").await);
    }
    let (a1, a2, b1) = (&phones[0], &phones[1], &phones[2]);

    // A's first phone takes an order; the office sees it.
    let client = ClientId::new();
    a1.save_client(
        client,
        &ClientRecord {
            first_name: "Marie".into(),
            last_name: "Černá".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let order = OrderId::new();
    let taken = OrderRecord {
        client: client.to_string(),
        variable_symbol: "2026995555".into(),
        status: "intake".into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            text: "Silhouette".into(),
            quantity: 1,
            unit_price: 500_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        ..Default::default()
    };
    a1.take_order(order, &taken).await.unwrap();
    eventually(
        "the order in the office and on A's second phone",
        WAIT,
        || async {
            store.order_status(order).await.unwrap().is_some()
                && a2.orders().iter().any(|(id, _)| *id == order.to_string())
        },
    )
    .await
    .unwrap();

    // Everyone loses signal; each edits; the office confirms the same order.
    for p in &phones {
        p.go_offline();
    }
    a1.update_order(order, |o| o.note = "Tenčí skla".into())
        .await
        .unwrap();
    a2.update_order(order, |o| o.deposit = 100_000)
        .await
        .unwrap();
    assert!(
        a2.update_order(order, |o| o.status = "closed".into())
            .await
            .is_err(),
        "the status has its own path"
    );
    let second = ClientId::new();
    a2.save_client(
        second,
        &ClientRecord {
            first_name: "Druhý".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let b_client = ClientId::new();
    b1.save_client(
        b_client,
        &ClientRecord {
            first_name: "Béčko".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    hub.state
        .sync
        .set_order_status(&field.office, Role::Office, order, OrderStatus::Confirmed)
        .await
        .unwrap();

    for p in &phones {
        p.go_online().unwrap();
    }
    eventually(
        "A's phones agree with each other and hold every edit",
        WAIT,
        || async {
            let (h1, h2) = (a1.heads(), a2.heads());
            let o = a1
                .orders()
                .into_iter()
                .find(|(id, _)| *id == order.to_string())
                .map(|x| x.1);
            h1 == h2
                && a1.sync_status().await.unwrap().pending_changes == 0
                && a2.sync_status().await.unwrap().pending_changes == 0
                && o.is_some_and(|o| {
                    o.status == "confirmed" && o.note == "Tenčí skla" && o.deposit == 100_000
                })
                && a1.clients().iter().any(|(id, _)| *id == second)
        },
    )
    .await
    .unwrap();
    eventually("the office's SQL has all of it", WAIT, || async {
        let da = store.projection_digest(a).await.unwrap();
        let db_ = store.projection_digest(b).await.unwrap();
        da.contains("|confirmed|")
            && da.contains("|100000|Tenčí skla")
            && da.contains("Druhý")
            && db_.contains("Béčko")
            && !da.contains("Béčko")
    })
    .await
    .unwrap();
    assert_eq!(
        store
            .order_status(order)
            .await
            .unwrap()
            .map(fieldcase_shared::OrderStatus::code),
        Some("confirmed"),
        "the office's change stands"
    );
    assert!(
        b1.clients().iter().all(|(id, _)| *id == b_client),
        "B sees only B's clients"
    );
    for p in phones {
        p.close().await;
    }
    field.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_registers_its_push_token_and_bad_ones_are_refused() {
    let field = Field::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    let device: fieldcase_shared::DeviceId = phone.enrolment().device_id.parse().unwrap();
    phone
        .register_push_token("android", "fcm-token:APA91b-1")
        .await
        .unwrap();
    phone
        .register_push_token("android", "fcm-token:APA91b-2")
        .await
        .unwrap();
    assert_eq!(
        field.hub.store.push_token(device).await.unwrap(),
        Some(("android".to_owned(), "fcm-token:APA91b-2".to_owned())),
        "the newest token replaces the old one"
    );
    let bad = phone.register_push_token("windows", "").await.unwrap_err();
    assert!(
        bad.to_string().contains("422") || bad.to_string().contains("400"),
        "{bad}"
    );
    assert!(
        bad.to_string().contains("platform") && bad.to_string().contains("token"),
        "{bad}"
    );

    let url = format!("{}/api/v1/devices/push-token", field.hub.url);
    let client = reqwest::Client::new();
    let body = serde_json::json!({"platform": "ios", "token": "apns-1"});
    let status = client.post(&url).json(&body).send().await.unwrap().status();
    assert_eq!(status, 401, "no token, no entry");
    let status = client
        .post(&url)
        .bearer_auth("not-a-device")
        .json(&body)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401);
    let status = client
        .post(&url)
        .bearer_auth(&phone.enrolment().token)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 400, "garbage is a clear client error");
    assert_eq!(
        field
            .hub
            .store
            .push_token(device)
            .await
            .unwrap()
            .map(|t| t.1),
        Some("fcm-token:APA91b-2".to_owned()),
        "nothing lost by the bad requests"
    );
    field
        .hub
        .store
        .revoke_device(&field.office, device)
        .await
        .unwrap();
    let revoked = phone
        .register_push_token("android", "fcm-token:APA91b-3")
        .await
        .unwrap_err();
    assert!(revoked.to_string().contains("401"), "{revoked}");
    phone.close().await;
    field.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_revokes_the_device_at_the_hub_and_wipes_it() {
    let field = Field::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    let device: fieldcase_shared::DeviceId = phone.enrolment().device_id.parse().unwrap();
    let token = phone.enrolment().token.clone();
    phone.log_out(dir.path()).await.unwrap();
    assert!(
        !dir.path().join("device.db").exists(),
        "the phone's database is gone"
    );
    let listed = field.hub.store.list_devices(field.adviser).await.unwrap();
    let d = listed.iter().find(|d| d.id == device).unwrap();
    assert!(
        d.revoked_at.is_some(),
        "the office sees the device logged out"
    );
    // Its token no longer works, not even for a second logout.
    let status = reqwest::Client::new()
        .post(format!("{}/api/v1/devices/logout", field.hub.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401);
    assert!(
        fieldcase_device::Device::open(dir.path())
            .await
            .unwrap()
            .is_none(),
        "nothing to open after logout"
    );
    field.hub.stop().await.unwrap();
}
