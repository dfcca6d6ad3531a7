//! The hub's authority over what a device writes: records reach the SQL projection
//! (and a rebuild gives the same), a forbidden status move, records pointing nowhere
//! and an invalid prescription come back reported, the adviser's data kept.

use super::*;
use fieldcase_shared::docs::records::{
    self, ClientRecord, InboxRecord, LineRecord, OrderRecord, PrescriptionRecord,
};
use fieldcase_shared::{ClientId, Diopters, EyeRx, OrderId, Prescription, PrescriptionId};

fn prescription(client: ClientId, sph: i32) -> (PrescriptionId, PrescriptionRecord) {
    let today = OffsetDateTime::now_utc().date();
    let eye = EyeRx {
        sph: Diopters::from_hundredths(sph),
        ..EyeRx::default()
    };
    let rx = Prescription {
        id: PrescriptionId::new(),
        client,
        right: eye.clone(),
        left: eye,
        pd_binocular_mm: None,
        measured_by: "Bc. Jana Horáková".into(),
        measured_on: today,
        valid_until: today + TimeDuration::days(730),
        note: String::new(),
    };
    (
        rx.id,
        PrescriptionRecord {
            client: client.to_string(),
            body: serde_json::to_string(&rx).unwrap(),
        },
    )
}

fn order(client: ClientId, status: &str) -> OrderRecord {
    OrderRecord {
        client: client.to_string(),
        variable_symbol: "2026990001".into(),
        status: status.into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            text: "Ray-Ban RX5154".into(),
            quantity: 1,
            unit_price: 329_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        created_at: "2026-11-23T10:00:00Z".into(),
        ..Default::default()
    }
}

async fn seeded(w: &World) -> (Device, samod::DocHandle, ClientId) {
    w.phone_with_client(
        w.advisers[0],
        ClientRecord {
            first_name: "Jana".into(),
            last_name: "Nováková".into(),
            created_at: "2026-11-23T10:00:00Z".into(),
            ..Default::default()
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_records_reach_the_sql_projection() {
    projection_and_rebuild(world().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_records_reach_the_sql_projection_on_postgres() {
    match TestDb::postgres().await.unwrap() {
        Some(db) => projection_and_rebuild(world_on(db).await).await,
        None => eprintln!("FIELDCASE_TEST_PG is not set: PostgreSQL case not run"),
    }
}

async fn projection_and_rebuild(w: World) {
    let (_phone, ws, client) = seeded(&w).await;
    let (rx_id, rx) = prescription(client, -225);
    write(&ws, records::PRESCRIPTIONS, rx_id.to_string(), rx);
    let order_id = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        order_id.to_string(),
        OrderRecord {
            prescription: Some(rx_id.to_string()),
            ..order(client, "intake")
        },
    );
    let store = w.hub.store.clone();
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move {
            store
                .recent_orders(10)
                .await
                .unwrap()
                .iter()
                .any(|o| o.id == order_id)
        }
    })
    .await
    .unwrap();
    let listed = w.hub.store.recent_orders(10).await.unwrap();
    let o = listed.iter().find(|o| o.id == order_id).unwrap();
    assert_eq!(o.client_name, "Nováková Jana");
    assert_eq!(o.adviser_name, "Poradce 0");
    assert_eq!(o.total.haler(), 329_000);
    assert_eq!(o.status, fieldcase_shared::OrderStatus::Intake);
    // Edits flow through too.
    write(
        &ws,
        records::CLIENTS,
        client.to_string(),
        ClientRecord {
            first_name: "Janička".into(),
            last_name: "Nováková".into(),
            created_at: "2026-11-23T10:00:00Z".into(),
            ..Default::default()
        },
    );
    eventually("the renamed client in SQL", WAIT, || {
        let store = store.clone();
        async move {
            store
                .recent_orders(10)
                .await
                .unwrap()
                .iter()
                .any(|o| o.client_name == "Nováková Janička")
        }
    })
    .await
    .unwrap();

    // A rebuild from the documents gives exactly the incremental result.
    let incremental = w.hub.store.projection_digest(w.advisers[0]).await.unwrap();
    assert!(
        incremental.contains("Janička") && incremental.contains("2026990001"),
        "{incremental}"
    );
    for table in ["order_lines", "orders", "prescriptions", "clients"] {
        w.db.store
            .execute_raw(&format!("DELETE FROM {table}"))
            .await
            .unwrap();
    }
    assert_ne!(
        w.hub.store.projection_digest(w.advisers[0]).await.unwrap(),
        incremental
    );
    assert_eq!(w.hub.state.sync.rebuild_projections().await.unwrap(), 1);
    assert_eq!(
        w.hub.store.projection_digest(w.advisers[0]).await.unwrap(),
        incremental
    );
    w.hub.stop().await.unwrap();
    w.db.finish().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_status_change_comes_back_rejected() {
    let w = world().await;
    let (_phone, ws, client) = seeded(&w).await;
    let order_id = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        order_id.to_string(),
        order(client, "intake"),
    );
    let store = w.hub.store.clone();
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(order_id).await.unwrap().is_some() }
    })
    .await
    .unwrap();
    // Advisers may not confirm their own orders.
    write(
        &ws,
        records::ORDERS,
        order_id.to_string(),
        order(client, "confirmed"),
    );
    let inbox_id = format!("status-{order_id}-confirmed");
    eventually("the rejection in the phone's inbox", WAIT, || {
        let ws = ws.clone();
        let inbox_id = inbox_id.clone();
        async move { read::<InboxRecord>(&ws, records::INBOX, &inbox_id).is_some() }
    })
    .await
    .unwrap();
    let entry: InboxRecord = read(&ws, records::INBOX, &inbox_id).unwrap();
    assert_eq!(entry.kind, "rejection");
    assert_eq!(entry.about, format!("orders/{order_id}"));
    assert!(
        entry.text_cs.contains("Poradce") && entry.text_en.contains("Adviser"),
        "{entry:?}"
    );
    eventually("the status back to intake on the phone", WAIT, || {
        let ws = ws.clone();
        async move {
            read::<OrderRecord>(&ws, records::ORDERS, &order_id.to_string())
                .unwrap()
                .status
                == "intake"
        }
    })
    .await
    .unwrap();
    assert_eq!(
        w.hub
            .store
            .order_status(order_id)
            .await
            .unwrap()
            .map(fieldcase_shared::OrderStatus::code),
        Some("intake")
    );
    // An allowed move (cancelling one's own fresh order) stands.
    write(
        &ws,
        records::ORDERS,
        order_id.to_string(),
        order(client, "cancelled"),
    );
    eventually("the cancellation in SQL", WAIT, || {
        let store = store.clone();
        async move {
            store
                .order_status(order_id)
                .await
                .unwrap()
                .map(fieldcase_shared::OrderStatus::code)
                == Some("cancelled")
        }
    })
    .await
    .unwrap();
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_pointing_nowhere_do_not_block_the_projection() {
    let w = world().await;
    let (_phone, ws, client) = seeded(&w).await;
    // An order for a client that does not exist, one that reuses another order's
    // variable symbol, and one pointing at a prescription that was refused.
    let orphan = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        orphan.to_string(),
        order(ClientId::new(), "intake"),
    );
    let first = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        first.to_string(),
        OrderRecord {
            variable_symbol: "2026991111".into(),
            ..order(client, "intake")
        },
    );
    let duplicate = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        duplicate.to_string(),
        OrderRecord {
            variable_symbol: "2026991111".into(),
            ..order(client, "intake")
        },
    );
    let (bad_rx, rx) = prescription(client, -213);
    write(&ws, records::PRESCRIPTIONS, bad_rx.to_string(), rx);
    let with_bad_rx = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        with_bad_rx.to_string(),
        OrderRecord {
            variable_symbol: "2026992222".into(),
            prescription: Some(bad_rx.to_string()),
            ..order(client, "intake")
        },
    );
    // Later, ordinary work goes on and reaches the office.
    let later = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        later.to_string(),
        OrderRecord {
            variable_symbol: "2026993333".into(),
            ..order(client, "intake")
        },
    );
    let store = w.hub.store.clone();
    eventually("the later order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(later).await.unwrap().is_some() }
    })
    .await
    .unwrap();
    assert!(w.hub.store.order_status(first).await.unwrap().is_some());
    assert!(
        w.hub
            .store
            .order_status(with_bad_rx)
            .await
            .unwrap()
            .is_some(),
        "projected without the refused prescription"
    );
    let digest = w.hub.store.projection_digest(w.advisers[0]).await.unwrap();
    assert_eq!(
        digest.matches("2026991111").count(),
        1,
        "one order per variable symbol: {digest}"
    );
    // The adviser learns which orders the office could not take, and why.
    for (skipped, reason, says) in [
        (orphan, records::SKIPPED_UNKNOWN_CLIENT, "client is missing"),
        (
            duplicate,
            records::SKIPPED_VARIABLE_SYMBOL_TAKEN,
            "variable symbol",
        ),
    ] {
        let id = records::skipped_inbox_id(records::ORDERS, reason, &skipped.to_string());
        eventually("the skipped order in the inbox", WAIT, || {
            let (ws, id) = (ws.clone(), id.clone());
            async move { read::<InboxRecord>(&ws, records::INBOX, &id).is_some() }
        })
        .await
        .unwrap();
        let entry: InboxRecord = read(&ws, records::INBOX, &id).unwrap();
        assert!(entry.text_en.contains(says), "{entry:?}");
        assert_eq!(entry.kind, "rejection");
    }
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_prescription_is_reported_and_kept() {
    let w = world().await;
    let (_phone, ws, client) = seeded(&w).await;
    let (rx_id, rx) = prescription(client, -213); // not on the 0.25 D grid
    write(&ws, records::PRESCRIPTIONS, rx_id.to_string(), rx.clone());
    let inbox_id = format!("rx-invalid-{rx_id}");
    eventually("the rejection in the inbox", WAIT, || {
        let ws = ws.clone();
        let inbox_id = inbox_id.clone();
        async move { read::<InboxRecord>(&ws, records::INBOX, &inbox_id).is_some() }
    })
    .await
    .unwrap();
    let entry: InboxRecord = read(&ws, records::INBOX, &inbox_id).unwrap();
    assert!(
        entry.text_cs.contains("right.sph") && entry.text_en.contains("multiple of"),
        "{entry:?}"
    );
    assert_eq!(
        read::<PrescriptionRecord>(&ws, records::PRESCRIPTIONS, &rx_id.to_string()),
        Some(rx),
        "the adviser's data stays to be fixed"
    );
    w.hub.stop().await.unwrap();
}
