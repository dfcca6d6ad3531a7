//! An erased customer stays erased in SQL (issue 12, point 7), on SQLite and
//! PostgreSQL: a late copy of their records projected after the erasure — the
//! client with their name, a prescription, their order with a note and custom
//! values (the old workspace's projector lagging behind, or a phone on the old
//! document) — writes no personal value back: the name stays erased, the
//! prescription is not taken, the order keeps its status but no note, its history
//! records no note; notes and consents are refused for them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::store::{
    ContactKind, CustomerStore, ErasureStore, OrderStore, ProjectionBatch, ProjectionStore,
    SqlStore, StoreError,
};
use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord};
use fieldcase_shared::docs::rewrite::ERASED_NAME;
use fieldcase_shared::{ClientId, OrderId, Role};

fieldcase_tests::conformance!(late_copies_of_an_erased_customer_stay_erased);

async fn late_copies_of_an_erased_customer_stay_erased(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let adviser = network.advisers[0];
    let (client, order) = (ClientId::new(), OrderId::new());
    let record = ClientRecord {
        first_name: "Zdeňka".into(),
        last_name: "Vymazalová".into(),
        phone: "603 111 222".into(),
        created_at: "2026-11-25T10:00:00Z".into(),
        custom: [("karta".to_owned(), "Vymazalová 1".to_owned())].into(),
        ..ClientRecord::default()
    };
    let order_record = |status: &str| OrderRecord {
        client: client.to_string(),
        variable_symbol: "9000100055".into(),
        status: status.into(),
        note: "zavolat Vymazalové".into(),
        created_at: "2026-11-25T10:05:00Z".into(),
        lines: vec![LineRecord {
            id: "0193a000-0000-7000-8000-000000000001".into(),
            kind: "service".into(),
            text: "Měření".into(),
            quantity: 1,
            unit_price: 50_000,
            vat_bp: 2100,
            ..LineRecord::default()
        }],
        custom: [("zdroj".to_owned(), "Vymazalová doporučila".to_owned())].into(),
        ..OrderRecord::default()
    };
    let batch = |status: &str| ProjectionBatch {
        clients: vec![(client, record.clone())],
        orders: vec![(order, order_record(status))],
        ..ProjectionBatch::default()
    };
    store.project(adviser, &batch("cancelled")).await?;
    let scope = store.erasure_scope(client).await?.unwrap();
    store
        .erase_customers(&network.office, &scope, "žádost zákazníka")
        .await?;

    // The late copy: the same records, the order moved on meanwhile.
    let skipped = store.project(adviser, &batch("delivered")).await?;
    assert!(skipped.is_empty(), "{skipped:?}");
    let card = store.customer_card(client).await?.unwrap();
    assert_eq!(
        (card.first_name.as_str(), card.last_name.as_str()),
        ("", ERASED_NAME)
    );
    assert!(card.phone.is_empty() && card.custom.is_empty());
    let order_card = store.order_card(order, Role::Admin).await?.unwrap();
    assert_eq!(
        order_card.status.code(),
        "delivered",
        "the order's business goes on"
    );
    assert!(order_card.note.is_empty() && order_card.custom.is_empty());
    for e in &order_card.history {
        assert!(
            !e.old.contains("Vymazal") && !e.new.contains("Vymazal"),
            "{e:?}"
        );
    }
    assert!(matches!(
        store
            .add_customer_note(
                &network.office,
                client,
                ContactKind::Note,
                "Vymazalová volala"
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    let found = store
        .list_customers(&fieldcase_server::store::CustomerFilter {
            text: "vymazalova".into(),
            ..Default::default()
        })
        .await?;
    assert!(found.is_empty());
    Ok(())
}
