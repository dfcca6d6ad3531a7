//! Carrier, tracking and the public link of an order (issue 11, points 3 and 4), on
//! SQLite and PostgreSQL: a stale delivery edit is refused and loses nothing; the
//! change is in the history; a public link opens its order until it is revoked or
//! replaced, and then opens nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::store::{
    Delivery, LabStore, OrderStore, ProjectionBatch, ProjectionStore, SqlStore, StoreError,
};
use fieldcase_shared::carrier::Carrier;
use fieldcase_shared::docs::records::{ClientRecord, OrderRecord};
use fieldcase_shared::{ClientId, OrderId, OrderStatus, Role};

fieldcase_tests::conformance!(
    a_stale_delivery_edit_is_refused,
    a_public_link_opens_its_order_until_revoked,
    the_lab_board_counts_and_finds_orders,
);

async fn one_order(store: &SqlStore) -> anyhow::Result<(fieldcase_tests::Network, OrderId)> {
    let network = fieldcase_tests::small_network(store, 1).await?;
    let (client, order) = (ClientId::new(), OrderId::new());
    store
        .project(
            network.advisers[0],
            &ProjectionBatch {
                clients: vec![(
                    client,
                    ClientRecord {
                        first_name: "Eva".into(),
                        ..Default::default()
                    },
                )],
                orders: vec![(
                    order,
                    OrderRecord {
                        client: client.to_string(),
                        variable_symbol: "2026880001".into(),
                        status: "intake".into(),
                        ..Default::default()
                    },
                )],
                ..Default::default()
            },
        )
        .await?;
    Ok((network, order))
}

async fn a_stale_delivery_edit_is_refused(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (network, order) = one_order(&store).await?;
    let ppl = Delivery {
        carrier: Some(Carrier::Ppl),
        number: Carrier::Ppl.check_tracking("400 1234 5678").unwrap(),
    };
    store
        .set_delivery(&network.office, order, &Delivery::default(), &ppl)
        .await?;
    // Someone who still saw "no carrier" tries to set DPD: refused, PPL stays.
    let dpd = Delivery {
        carrier: Some(Carrier::Dpd),
        number: "13923456789012".into(),
    };
    let stale = store
        .set_delivery(&network.office, order, &Delivery::default(), &dpd)
        .await;
    assert!(matches!(stale, Err(StoreError::Stale(_))), "{stale:?}");
    let card = store.order_card(order, Role::Office).await?.unwrap();
    assert_eq!(card.delivery, ppl);
    let tracking: Vec<(&str, &str)> = card
        .history
        .iter()
        .filter(|e| e.field == "tracking")
        .map(|e| (e.old.as_str(), e.new.as_str()))
        .collect();
    assert_eq!(tracking, vec![("", "PPL 40012345678")]);
    let missing = store
        .set_delivery(&network.office, OrderId::new(), &Delivery::default(), &ppl)
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    Ok(())
}

async fn a_public_link_opens_its_order_until_revoked(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (network, order) = one_order(&store).await?;
    assert_eq!(store.order_link(order).await?, None);
    let first = fieldcase_server::auth::new_token();
    store
        .replace_order_link(&network.office, order, Some(&first))
        .await?;
    assert_eq!(store.order_by_link(&first).await?, Some(order));
    assert_eq!(
        store.order_link(order).await?.as_deref(),
        Some(first.as_str())
    );
    // A new link: the old one opens nothing.
    let second = fieldcase_server::auth::new_token();
    store
        .replace_order_link(&network.office, order, Some(&second))
        .await?;
    assert_eq!(store.order_by_link(&first).await?, None);
    assert_eq!(store.order_by_link(&second).await?, Some(order));
    assert_eq!(
        store
            .order_card(order, Role::Office)
            .await?
            .unwrap()
            .link
            .as_deref(),
        Some(second.as_str())
    );
    // Revoked: nothing opens, and the card has no link.
    store
        .replace_order_link(&network.office, order, None)
        .await?;
    assert_eq!(store.order_by_link(&second).await?, None);
    assert_eq!(store.order_link(order).await?, None);
    assert!(store.order_by_link("no-such-token").await?.is_none());
    assert!(
        store
            .replace_order_link(&network.office, OrderId::new(), Some("x"))
            .await
            .is_err()
    );
    Ok(())
}

async fn the_lab_board_counts_and_finds_orders(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (network, order) = one_order(&store).await?;
    let columns = [OrderStatus::Confirmed, OrderStatus::InLab];
    let (cards, counts) = store.lab_board(&columns, 100).await?;
    assert!(
        cards.is_empty() && counts.is_empty(),
        "an intake order is not on the board"
    );
    store
        .set_order_status(
            &network.office,
            order,
            OrderStatus::Intake,
            OrderStatus::Confirmed,
        )
        .await?;
    let (cards, counts) = store.lab_board(&columns, 100).await?;
    assert_eq!(counts, vec![(OrderStatus::Confirmed, 1)]);
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].variable_symbol, "2026880001");
    // Since the status event, not since the order was taken.
    let age = time::OffsetDateTime::now_utc() - cards[0].since;
    assert!(age < time::Duration::minutes(1), "{age}");
    assert_eq!(store.order_by_number(" 2026880001 ").await?, Some(order));
    assert_eq!(store.order_by_number("1").await?, None);
    Ok(())
}
