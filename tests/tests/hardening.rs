//! What a security probe and an audit found in the sync path, each fixed: a phone
//! cannot overwrite another adviser's rows, a record the hub cannot read (or whose
//! time does not read) is reported to the adviser instead of skipped silently or
//! dated "now", and `/readyz` reports failing sync storage.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use automerge::transaction::Transactable;
use automerge::{ROOT, ReadDoc, ScalarValue};
use fieldcase_shared::docs::commission::{PAYOUT_REQUESTS, PayoutRequestRecord};
use fieldcase_shared::docs::records::{
    self, CaseMovementRecord, ClientRecord, InboxRecord, LineRecord, OrderRecord,
    PrescriptionRecord,
};
use fieldcase_shared::{AdviserId, ClientId, EyeRx, OrderId, Prescription, PrescriptionId};
use fieldcase_tests::device::{Device, eventually};
use fieldcase_tests::world::{WAIT, World, read, world, write};
use time::{Duration as TimeDuration, OffsetDateTime};

async fn workspace(w: &World, adviser: AdviserId) -> (Device, samod::DocHandle) {
    let phone = w.device(adviser).await;
    let ws = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();
    (phone, ws)
}

fn client(name: &str) -> ClientRecord {
    ClientRecord {
        first_name: name.into(),
        last_name: "Test".into(),
        created_at: "2026-11-23T10:00:00Z".into(),
        ..Default::default()
    }
}

fn prescription(id: PrescriptionId, client: ClientId, by: &str) -> PrescriptionRecord {
    let today = OffsetDateTime::now_utc().date();
    let rx = Prescription {
        id,
        client,
        right: EyeRx::default(),
        left: EyeRx::default(),
        pd_binocular_mm: None,
        measured_by: by.into(),
        measured_on: today,
        valid_until: today + TimeDuration::days(730),
        note: String::new(),
    };
    PrescriptionRecord {
        client: client.to_string(),
        body: serde_json::to_string(&rx).unwrap(),
    }
}

fn order(client: ClientId, vs: &str, price: i64) -> OrderRecord {
    OrderRecord {
        client: client.to_string(),
        variable_symbol: vs.into(),
        status: "intake".into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            text: "Obruba".into(),
            quantity: 1,
            unit_price: price,
            vat_bp: 2100,
            ..Default::default()
        }],
        created_at: "2026-11-23T10:00:00Z".into(),
        ..Default::default()
    }
}

fn movement(quantity: i64, note: &str) -> CaseMovementRecord {
    CaseMovementRecord {
        product: "RB-5154".into(),
        quantity,
        kind: "issue".into(),
        at: "2026-11-23T10:00:00Z".into(),
        note: note.into(),
        ..Default::default()
    }
}

fn payout(amount: i64, note: &str) -> PayoutRequestRecord {
    PayoutRequestRecord {
        amount,
        requested_at: "2026-11-23T10:00:00Z".into(),
        note: note.into(),
        ..Default::default()
    }
}

/// How the projection digest writes an id (32 hex digits).
fn hex(id: &impl ToString) -> String {
    id.to_string().replace('-', "")
}

async fn inbox_entry(ws: &samod::DocHandle, id: &str) -> InboxRecord {
    eventually(&format!("inbox entry {id}"), WAIT, || {
        let (ws, id) = (ws.clone(), id.to_owned());
        async move { read::<InboxRecord>(&ws, records::INBOX, &id).is_some() }
    })
    .await
    .unwrap();
    read(ws, records::INBOX, id).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_cannot_overwrite_another_advisers_rows() {
    let w = world().await;
    let (victim, attacker) = (w.advisers[1], w.advisers[0]);
    let (_p1, theirs) = workspace(&w, victim).await;
    let their_client = ClientId::new();
    let rx = PrescriptionId::new();
    let order_id = OrderId::new();
    let (movement_id, payout_id) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    write(
        &theirs,
        records::CLIENTS,
        their_client.to_string(),
        client("Original"),
    );
    write(
        &theirs,
        records::PRESCRIPTIONS,
        rx.to_string(),
        prescription(rx, their_client, "Original"),
    );
    write(
        &theirs,
        records::ORDERS,
        order_id.to_string(),
        order(their_client, "2026990001", 100_000),
    );
    write(
        &theirs,
        records::CASE_MOVEMENTS,
        movement_id.to_string(),
        movement(2, "original"),
    );
    write(
        &theirs,
        PAYOUT_REQUESTS,
        payout_id.to_string(),
        payout(100, "original"),
    );
    let ids = [
        their_client.to_string(),
        rx.to_string(),
        order_id.to_string(),
        movement_id.to_string(),
        payout_id.to_string(),
    ];
    let store = w.hub.store.clone();
    eventually("the victim's rows in SQL", WAIT, || {
        let (store, ids) = (store.clone(), ids.clone());
        async move {
            let digest = store.projection_digest(victim).await.unwrap();
            ids.iter().all(|id| digest.contains(&hex(id)))
        }
    })
    .await
    .unwrap();
    let before = w.hub.store.projection_digest(victim).await.unwrap();

    // Another adviser's phone writes records with the same ids.
    let (_p0, mine) = workspace(&w, attacker).await;
    let my_client = ClientId::new();
    write(
        &mine,
        records::CLIENTS,
        my_client.to_string(),
        client("Mine"),
    );
    write(
        &mine,
        records::CLIENTS,
        their_client.to_string(),
        client("Overwritten"),
    );
    write(
        &mine,
        records::PRESCRIPTIONS,
        rx.to_string(),
        prescription(rx, my_client, "Overwritten"),
    );
    write(
        &mine,
        records::ORDERS,
        order_id.to_string(),
        order(my_client, "2026990002", 1),
    );
    write(
        &mine,
        records::CASE_MOVEMENTS,
        movement_id.to_string(),
        movement(9, "overwritten"),
    );
    write(
        &mine,
        PAYOUT_REQUESTS,
        payout_id.to_string(),
        payout(1, "overwritten"),
    );

    // Each is refused visibly, per table.
    for (map, id) in [
        (records::CLIENTS, &ids[0]),
        (records::PRESCRIPTIONS, &ids[1]),
        (records::ORDERS, &ids[2]),
        (records::CASE_MOVEMENTS, &ids[3]),
        (PAYOUT_REQUESTS, &ids[4]),
    ] {
        let entry = inbox_entry(
            &mine,
            &records::skipped_inbox_id(map, records::SKIPPED_FOREIGN, id),
        )
        .await;
        assert_eq!(entry.kind, "rejection");
        assert!(entry.text_en.contains("another adviser"), "{entry:?}");
    }
    // The attacker's own client went through: the batch was not refused whole.
    let mine_digest = w.hub.store.projection_digest(attacker).await.unwrap();
    assert!(mine_digest.contains(&hex(&my_client)), "{mine_digest}");
    for id in &ids {
        assert!(!mine_digest.contains(&hex(id)), "{id} in {mine_digest}");
    }
    let after = w.hub.store.projection_digest(victim).await.unwrap();
    assert_eq!(after, before, "the victim's rows are untouched");
    assert!(!after.contains("Overwritten") && !after.contains("overwritten"));
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_records_and_times_are_reported_not_guessed() {
    let w = world().await;
    let adviser = w.advisers[0];
    let (_phone, ws) = workspace(&w, adviser).await;
    let good = ClientId::new();
    write(&ws, records::CLIENTS, good.to_string(), client("Dobrý"));
    // A JavaScript client writes a number where the schema wants an integer (in one
    // change, so the hub never sees a readable version of the order).
    let js_order = OrderId::new();
    ws.with_document(|doc| {
        doc.transact::<_, _, fieldcase_shared::docs::DocError>(|tx| {
            records::put(
                tx,
                records::ORDERS,
                &js_order.to_string(),
                &order(good, "2026990003", 100_000),
            )?;
            let (_, orders) = tx.get(ROOT, records::ORDERS)?.unwrap();
            let (_, o) = tx.get(&orders, js_order.to_string())?.unwrap();
            tx.put(&o, "deposit", ScalarValue::F64(500.5))?;
            Ok(())
        })
        .unwrap();
    });
    // A time that is there but does not read.
    let undated = ClientId::new();
    write(
        &ws,
        records::CLIENTS,
        undated.to_string(),
        ClientRecord {
            created_at: "včera odpoledne".into(),
            ..client("Nedatovaný")
        },
    );

    let entry = inbox_entry(
        &ws,
        &records::skipped_inbox_id(
            records::ORDERS,
            records::SKIPPED_UNREADABLE,
            &js_order.to_string(),
        ),
    )
    .await;
    assert_eq!(entry.kind, "rejection");
    assert!(entry.text_en.contains("does not read"), "{entry:?}");
    let entry = inbox_entry(
        &ws,
        &records::skipped_inbox_id(
            records::CLIENTS,
            records::SKIPPED_UNREADABLE_TIME,
            &undated.to_string(),
        ),
    )
    .await;
    assert!(entry.text_cs.contains("včera odpoledne"), "{entry:?}");

    let digest = w.hub.store.projection_digest(adviser).await.unwrap();
    assert!(digest.contains(&hex(&good)), "{digest}");
    assert!(
        !digest.contains(&hex(&undated)),
        "no made-up date: {digest}"
    );
    assert!(!digest.contains(&hex(&js_order)), "{digest}");
    // Both stay in the document for the adviser to fix.
    assert!(ws.with_document(|d| {
        let (_, clients) = d.get(ROOT, records::CLIENTS).unwrap().unwrap();
        d.get(&clients, undated.to_string()).unwrap().is_some()
    }));
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_reports_failing_sync_storage() {
    let w = world().await;
    let ready = |url: String| async move {
        let resp = reqwest::get(format!("{url}/readyz")).await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json::<serde_json::Value>().await.unwrap())
    };
    assert_eq!(ready(w.hub.url.clone()).await.0, 200);
    // The database answers, but the sync storage table is gone: a document write
    // retries and the hub must say it is not ready.
    w.db.store
        .execute_raw("ALTER TABLE sync_chunks RENAME TO sync_chunks_away")
        .await
        .unwrap();
    let sync = w.hub.state.sync.clone();
    let adviser = w.advisers[1];
    let stuck = tokio::spawn(async move { sync.ensure_workspace(adviser).await });
    let url = w.hub.url.clone();
    eventually("readyz says sync storage fails", WAIT, || {
        let url = url.clone();
        async move {
            let (status, body) = ready(url).await;
            status == 503 && body["sync_storage"] == "failing"
        }
    })
    .await
    .unwrap();
    let (_, body) = ready(w.hub.url.clone()).await;
    assert!(body["database"].as_str().is_some());
    assert!(
        body["error"].as_str().unwrap().contains("sync storage"),
        "{body}"
    );
    // It recovers, and the write that waited is stored.
    w.db.store
        .execute_raw("ALTER TABLE sync_chunks_away RENAME TO sync_chunks")
        .await
        .unwrap();
    eventually("readyz ready again", WAIT, || {
        let url = url.clone();
        async move { ready(url).await.0 == 200 }
    })
    .await
    .unwrap();
    tokio::time::timeout(WAIT, stuck)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_payee_account_the_catalog_offers_no_qr_payment() {
    let w = world().await;
    let catalog = w.hub.catalog().await;
    assert_eq!(
        catalog.with_document(|d| fieldcase_shared::docs::catalog::payee(d)),
        None,
        "a hub without payee_iban publishes no account (the sample one was the default)"
    );
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_workspace_starts_with_the_offices_records() {
    use fieldcase_server::store::ProjectionBatch;
    let w = world().await;
    let adviser = w.advisers[1];
    // The office has the adviser's client and order before any phone (the demo).
    let (c, o) = (ClientId::new(), OrderId::new());
    let skipped = w
        .hub
        .store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![(c, client("Zákaznice"))],
                orders: vec![(o, order(c, "2025000001", 250_000))],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(skipped.is_empty());
    let (_phone, ws) = workspace(&w, adviser).await;
    let got: ClientRecord =
        read(&ws, records::CLIENTS, &c.to_string()).expect("client in the document");
    assert_eq!(got.first_name, "Zákaznice");
    let got: OrderRecord =
        read(&ws, records::ORDERS, &o.to_string()).expect("order in the document");
    assert_eq!(
        (got.variable_symbol.as_str(), got.total()),
        ("2025000001", 250_000)
    );
    assert_eq!(got.lines.len(), 1);
    // And the office's status change reaches it, as for any field order.
    w.hub
        .state
        .sync
        .set_order_status(
            &w.office,
            fieldcase_shared::Role::Office,
            o,
            fieldcase_shared::OrderStatus::Confirmed,
        )
        .await
        .unwrap();
    eventually("the confirmed status on the phone", WAIT, || {
        let ws = ws.clone();
        let id = o.to_string();
        async move {
            read::<OrderRecord>(&ws, records::ORDERS, &id).is_some_and(|r| r.status == "confirmed")
        }
    })
    .await
    .unwrap();
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_missing_from_its_document_is_an_error_not_a_skip() {
    use fieldcase_server::store::ProjectionBatch;
    use fieldcase_server::sync::StatusChangeError;
    let w = world().await;
    let adviser = w.advisers[0];
    let (_phone, _ws) = workspace(&w, adviser).await;
    // An order that reached SQL without passing through the adviser's document.
    let (c, o) = (ClientId::new(), OrderId::new());
    w.hub
        .store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![(c, client("Bez dokumentu"))],
                orders: vec![(o, order(c, "2025000002", 100_000))],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let err = w
        .hub
        .state
        .sync
        .set_order_status(
            &w.office,
            fieldcase_shared::Role::Office,
            o,
            fieldcase_shared::OrderStatus::Confirmed,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StatusChangeError::Internal(_)), "{err:?}");
    assert!(
        err.to_string().contains("not in its adviser's document"),
        "{err}"
    );
    assert_eq!(
        w.hub
            .store
            .order_status(o)
            .await
            .unwrap()
            .map(fieldcase_shared::OrderStatus::code),
        Some("intake"),
        "SQL is left as it was"
    );
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coupon_is_a_field_of_the_order_not_text_in_its_note() {
    let w = world().await;
    let adviser = w.advisers[0];
    let (_phone, ws) = workspace(&w, adviser).await;
    // A valid coupon on a catalog line (the hub re-prices orders: a coupon it does
    // not know would be dropped).
    let frame = fieldcase_shared::ProductId::new();
    w.hub
        .store
        .insert_products(&[fieldcase_server::store::Product {
            id: frame,
            sku: "KUPON-OBRUBA".into(),
            kind: fieldcase_server::store::ProductKind::Frame,
            name: "Obruba".into(),
            brand: String::new(),
            colour: String::new(),
            size: String::new(),
            price: fieldcase_shared::Money::from_haler(100_000),
            vat_bp: 2100,
            attrs: Default::default(),
        }])
        .await
        .unwrap();
    w.hub
        .store
        .put_coupon(
            &w.office,
            "JARO10",
            &fieldcase_shared::docs::catalog::CouponRecord {
                percent_bp: 1_000,
                amount: 0,
                valid_until: String::new(),
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let c = ClientId::new();
    write(&ws, records::CLIENTS, c.to_string(), client("Kupónová"));
    let o = OrderId::new();
    let mut taken = order(c, "9000100007", 100_000);
    taken.lines[0].product = Some(frame.to_string());
    taken.lines[0].discount = 10_000;
    write(
        &ws,
        records::ORDERS,
        o.to_string(),
        OrderRecord {
            coupon: "JARO10".into(),
            coupon_discount: 10_000,
            note: "Doručit do Brna".into(),
            ..taken
        },
    );
    let store = w.hub.store.clone();
    eventually("the order with its coupon in SQL", WAIT, || {
        let store = store.clone();
        async move {
            store
                .projection_digest(adviser)
                .await
                .unwrap()
                .contains("|Doručit do Brna|JARO10|10000")
        }
    })
    .await
    .unwrap();
    let listed = w.hub.store.recent_orders(5).await.unwrap();
    assert_eq!(listed.iter().find(|x| x.id == o).unwrap().coupon, "JARO10");
    w.hub.stop().await.unwrap();
}
