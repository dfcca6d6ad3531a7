//! Warehouse stock (issue 11, point 6) with a real hub and phone: an order reserves
//! its stocked lines in its store's warehouse when the office confirms it, a
//! cancellation releases them, the adviser handing the glasses over on the phone
//! issues them; a line neither the warehouse nor the adviser's case can cover is
//! flagged; stock-taking cannot take stock below what is reserved; movements are
//! append-only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::store::{Actor, Product, ProductKind};
use fieldcase_shared::docs::records::{
    self, CaseMovementRecord, ClientRecord, LineRecord, OrderRecord,
};
use fieldcase_shared::{Money, OrderId, OrderStatus, ProductId, Role};
use fieldcase_tests::device::eventually;
use fieldcase_tests::world::{WAIT, read, world, write};

fn frame(sku: &str) -> Product {
    Product {
        id: ProductId::new(),
        sku: sku.into(),
        kind: ProductKind::Frame,
        name: format!("Obruba {sku}"),
        brand: "Značka".into(),
        colour: "Černá".into(),
        size: "52□18 140".into(),
        price: Money::from_czk(2_000),
        vat_bp: 2100,
        attrs: Default::default(),
    }
}

fn order_of(client: &str, vs: &str, product: ProductId, quantity: u32) -> OrderRecord {
    OrderRecord {
        client: client.into(),
        variable_symbol: vs.into(),
        status: "intake".into(),
        created_at: "2026-11-23T10:00:00Z".into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            product: Some(product.to_string()),
            text: "Obruba".into(),
            quantity,
            unit_price: 200_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_reserve_release_and_issue_their_stock() {
    let w = world().await;
    let store = w.hub.store.clone();
    let system = Actor::system("test");
    let (a, b) = (frame("FR-A"), frame("FR-B"));
    store
        .insert_products(&[a.clone(), b.clone()])
        .await
        .unwrap();
    let central = store
        .create_warehouse(&system, "CENTRAL", "Centrální", None)
        .await
        .unwrap();
    store
        .record_stock(&w.office, central.id, a.id, "receipt", 3, "dodávka")
        .await
        .unwrap();
    store
        .record_stock(&w.office, central.id, b.id, "receipt", 1, "")
        .await
        .unwrap();

    let (phone, ws, client) = w
        .phone_with_client(
            w.advisers[0],
            ClientRecord {
                first_name: "Eva".into(),
                ..Default::default()
            },
        )
        .await;
    let (one, two, three) = (OrderId::new(), OrderId::new(), OrderId::new());
    write(
        &ws,
        records::ORDERS,
        one.to_string(),
        order_of(&client.to_string(), "2026660001", a.id, 2),
    );
    write(
        &ws,
        records::ORDERS,
        two.to_string(),
        order_of(&client.to_string(), "2026660002", a.id, 2),
    );
    write(
        &ws,
        records::ORDERS,
        three.to_string(),
        order_of(&client.to_string(), "2026660003", b.id, 1),
    );
    eventually("the orders in SQL", WAIT, || {
        let store = store.clone();
        async move {
            for o in [one, two, three] {
                if store.order_status(o).await.unwrap().is_none() {
                    return false;
                }
            }
            true
        }
    })
    .await
    .unwrap();
    let level = |sku: &'static str| {
        let store = store.clone();
        async move {
            let l = store
                .stock_levels(central.id)
                .await
                .unwrap()
                .into_iter()
                .find(|l| l.sku == sku)
                .unwrap();
            (l.on_hand, l.reserved)
        }
    };

    // Both orders of A can be covered before either is confirmed (3 ≥ 2 each).
    assert!(
        store
            .shortages(&[one, two, three])
            .await
            .unwrap()
            .is_empty()
    );
    // Confirming the first reserves 2 of 3; the second now lacks one.
    let sync = &w.hub.state.sync;
    sync.set_order_status(&w.office, Role::Office, one, OrderStatus::Confirmed)
        .await
        .unwrap();
    assert_eq!(level("FR-A").await, (3, 2));
    let short = store.shortages(&[one, two]).await.unwrap();
    assert!(
        !short.contains_key(&one),
        "its own reservation covers the first"
    );
    let s = &short[&two][0];
    assert_eq!(
        (s.sku.as_str(), s.needed, s.warehouse, s.in_case),
        ("FR-A", 2, 1, 0)
    );
    // The adviser's sample case holds one A: together they cover the second order.
    write(
        &ws,
        records::CASE_MOVEMENTS,
        uuid::Uuid::now_v7().to_string(),
        CaseMovementRecord {
            product: a.id.to_string(),
            quantity: 1,
            kind: "issue".into(),
            at: "2026-11-23T09:00:00Z".into(),
            ..Default::default()
        },
    );
    eventually("the case covers the second order", WAIT, || {
        let store = store.clone();
        async move { store.shortages(&[two]).await.unwrap().is_empty() }
    })
    .await
    .unwrap();

    // Stock-taking may not take A below what is reserved; nothing is written.
    assert!(
        store
            .record_stock(&w.office, central.id, a.id, "adjust", -2, "inventura")
            .await
            .is_err()
    );
    assert_eq!(level("FR-A").await, (3, 2));

    // Cancelling releases the reservation.
    sync.set_order_status(&w.office, Role::Office, one, OrderStatus::Cancelled)
        .await
        .unwrap();
    assert_eq!(level("FR-A").await, (3, 0));

    // The third order goes all the way; the adviser hands it over on the phone:
    // confirmed reserves B, the hand-over (through the projection) issues it.
    for to in [
        OrderStatus::Confirmed,
        OrderStatus::InLab,
        OrderStatus::QualityCheck,
        OrderStatus::ReadyForPickup,
    ] {
        sync.set_order_status(&w.office, Role::Admin, three, to)
            .await
            .unwrap();
    }
    assert_eq!(level("FR-B").await, (1, 1));
    eventually("the phone sees ready for pickup", WAIT, || {
        let ws = ws.clone();
        async move {
            read::<OrderRecord>(&ws, records::ORDERS, &three.to_string())
                .is_some_and(|o| o.status == "ready_for_pickup")
        }
    })
    .await
    .unwrap();
    let mut handed = read::<OrderRecord>(&ws, records::ORDERS, &three.to_string()).unwrap();
    handed.status = "delivered".into();
    write(&ws, records::ORDERS, three.to_string(), handed);
    eventually("the hand-over issues the frame", WAIT, || async move {
        level("FR-B").await == (0, 0)
    })
    .await
    .unwrap();
    assert_eq!(
        store.order_sources(three).await.unwrap(),
        vec!["CENTRAL".to_owned()]
    );
    let kinds: Vec<String> = store
        .product_movements(b.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.kind)
        .collect();
    assert_eq!(kinds, vec!["issue", "reserve", "receipt"]);
    drop(phone);
}
