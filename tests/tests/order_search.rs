//! Full-text search over orders (issue 11, point 1, first slice), on SQLite and
//! PostgreSQL: diacritics and case folded ("šimková", "simkova" and "SIMK" find
//! "Šimková", which SQLite's `LOWER()` missed), a phone number however written, an
//! e-mail, product names and notes, prefixes; FTS operators, quotes and a 10 kB
//! query are plain text, never an error; a renamed client is found by the new name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::store::{
    OrderFilter, OrderStore, ProjectionBatch, ProjectionStore, SqlStore,
};
use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord};
use fieldcase_shared::{ClientId, OrderId};

fieldcase_tests::conformance!(orders_are_found_by_any_word_however_typed);

async fn found(store: &SqlStore, text: &str) -> anyhow::Result<Vec<OrderId>> {
    Ok(store
        .list_orders(&OrderFilter {
            text: text.into(),
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect())
}

async fn orders_are_found_by_any_word_however_typed(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let adviser = network.advisers[0];
    let (jana, petr) = (ClientId::new(), ClientId::new());
    let client = |first: &str, last: &str, phone: &str, email: &str| ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        phone: phone.into(),
        email: email.into(),
        created_at: "2026-11-25T10:00:00Z".into(),
        ..Default::default()
    };
    let order = |client: ClientId, vs: &str, line: &str, note: &str| OrderRecord {
        client: client.to_string(),
        variable_symbol: vs.into(),
        status: "intake".into(),
        note: note.into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            text: line.into(),
            quantity: 1,
            unit_price: 100_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        created_at: "2026-11-25T10:00:00Z".into(),
        ..Default::default()
    };
    let (a, b) = (OrderId::new(), OrderId::new());
    store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![
                    (
                        jana,
                        client(
                            "Jana",
                            "Šimková",
                            "+420 603 123 456",
                            "jana.simkova@example.cz",
                        ),
                    ),
                    (
                        petr,
                        client("Petr", "Novák", "777888999", "petr@example.cz"),
                    ),
                ],
                orders: vec![
                    (
                        a,
                        order(
                            jana,
                            "9000100001",
                            "Ray-Ban Wayfarer 52□18",
                            "Tenčí skla, doručit do Brna",
                        ),
                    ),
                    (b, order(petr, "9000200002", "Silhouette Titan", "")),
                ],
                ..Default::default()
            },
        )
        .await?;
    for q in [
        "šimková",
        "simkova",
        "SIMK",
        "Šimk jana",
        "603 123 456",
        "+420603123456",
        "603123",
        "jana.simkova@example.cz",
        "wayfarer",
        "tenci skla",
        "brna",
        "90001",
    ] {
        assert_eq!(found(&store, q).await?, vec![a], "{q:?}");
    }
    assert_eq!(found(&store, "novak").await?, vec![b]);
    assert!(found(&store, "novakova").await?.is_empty());
    assert!(
        found(&store, "šimková novák").await?.is_empty(),
        "all words must match"
    );
    assert_eq!(found(&store, "").await?.len(), 2, "no text, no filter");
    // Operators, quotes and a huge query are text, never an error.
    for q in [
        "\"",
        "a OR b*",
        "NEAR(x y) -z",
        "jana\" OR \"1",
        "*",
        "'; DROP TABLE orders; --",
    ] {
        found(&store, q).await?;
    }
    let long = "š".repeat(10_000);
    assert!(found(&store, &long).await?.is_empty());
    // A renamed client: the order is found by the new name, not the old one.
    store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![(jana, client("Jana", "Dvořáková", "+420 603 123 456", ""))],
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(found(&store, "dvorakova").await?, vec![a]);
    assert!(found(&store, "simkova").await?.is_empty());
    Ok(())
}
