//! The projection takes an order's status only while SQL still holds the status the
//! hub judged against: an office change committed between the projector's read and
//! its write is not overwritten (it would then be judged an illegal adviser move
//! and reverted in the document too). On SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::store::{OrderStore, ProjectionBatch, ProjectionStore, SqlStore};
use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord};
use fieldcase_shared::{ClientId, OrderId, OrderStatus};

fieldcase_tests::conformance!(an_office_status_change_is_not_overwritten_by_a_stale_projection);

async fn an_office_status_change_is_not_overwritten_by_a_stale_projection(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let adviser = network.advisers[0];
    let client = ClientId::new();
    let order = OrderId::new();
    let record = |status: &str, note: &str| OrderRecord {
        client: client.to_string(),
        variable_symbol: "9000177001".into(),
        status: status.into(),
        note: note.into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            text: "Obruba".into(),
            quantity: 1,
            unit_price: 100_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        created_at: "2026-11-25T10:00:00Z".into(),
        ..Default::default()
    };
    store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![(
                    client,
                    ClientRecord {
                        first_name: "Souběh".into(),
                        created_at: "2026-11-25T10:00:00Z".into(),
                        ..Default::default()
                    },
                )],
                orders: vec![(order, record("intake", ""))],
                ..Default::default()
            },
        )
        .await?;
    // The office confirms the order; a projection step that read "intake" before
    // that commit writes afterwards (the note is the device's edit).
    store
        .set_order_status(
            &network.office,
            order,
            OrderStatus::Intake,
            OrderStatus::Confirmed,
        )
        .await?;
    let stale = ProjectionBatch {
        orders: vec![(order, record("intake", "Tenčí skla"))],
        expected_status: [(order, "intake".to_owned())].into(),
        ..Default::default()
    };
    store.project(adviser, &stale).await?;
    assert_eq!(
        store
            .order_status(order)
            .await?
            .map(fieldcase_shared::OrderStatus::code),
        Some("confirmed")
    );
    assert!(
        store
            .projection_digest(adviser)
            .await?
            .contains("Tenčí skla"),
        "the order's other fields are written"
    );
    // A step that judged against the status SQL holds writes it.
    let current = ProjectionBatch {
        orders: vec![(order, record("cancelled", "Tenčí skla"))],
        expected_status: [(order, "confirmed".to_owned())].into(),
        ..Default::default()
    };
    store.project(adviser, &current).await?;
    assert_eq!(
        store
            .order_status(order)
            .await?
            .map(fieldcase_shared::OrderStatus::code),
        Some("cancelled")
    );
    // A rebuild (no expectation) takes the document's status.
    store
        .project(
            adviser,
            &ProjectionBatch {
                orders: vec![(order, record("confirmed", "Tenčí skla"))],
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(
        store
            .order_status(order)
            .await?
            .map(fieldcase_shared::OrderStatus::code),
        Some("confirmed")
    );
    Ok(())
}
