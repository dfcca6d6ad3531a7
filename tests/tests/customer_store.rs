//! The office's own customers (no adviser) in SQL, on SQLite and PostgreSQL: created
//! with an audit entry and found by search at once; edited compare-and-set field by
//! field (what someone else changed meanwhile in another field stays; the same field
//! changed meanwhile is stale, nothing written); an unknown client is NotFound and a
//! client with an adviser is not edited here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::store::{
    AuditFilter, AuditStore, CustomerFilter, CustomerStore, ProjectionBatch, ProjectionStore,
    SqlStore, StoreError,
};
use fieldcase_shared::ClientId;
use fieldcase_shared::customer::Stale;
use fieldcase_shared::docs::records::ClientRecord;

fieldcase_tests::conformance!(office_customers_are_edited_compare_and_set);

async fn office_customers_are_edited_compare_and_set(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = &network.office;
    let id = ClientId::new();
    let created = ClientRecord {
        first_name: "Zdeňka".into(),
        last_name: "Nováčková".into(),
        phone: "+420 608 555 444".into(),
        city: "Brno".into(),
        ..Default::default()
    };
    store.create_customer(office, id, None, &created).await?;
    assert_eq!(store.client_owner(id).await?, Some(None));
    let found = store
        .list_customers(&CustomerFilter {
            text: "novackova 608".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);

    // Two people open the card; the first changes the e-mail, the second the town.
    let seen = store.customer_card(id).await?.unwrap().record();
    let first = ClientRecord {
        email: "zdenka@example.cz".into(),
        ..seen.clone()
    };
    assert_eq!(
        store.edit_own_customer(office, id, &seen, &first).await?,
        Ok(vec!["email"])
    );
    let second = ClientRecord {
        city: "Blansko".into(),
        ..seen.clone()
    };
    assert_eq!(
        store.edit_own_customer(office, id, &seen, &second).await?,
        Ok(vec!["city"])
    );
    let card = store.customer_card(id).await?.unwrap();
    assert_eq!(
        (card.email.as_str(), card.city.as_str()),
        ("zdenka@example.cz", "Blansko")
    );
    // A third, from the same old screen, changes the town too: stale, nothing written.
    let third = ClientRecord {
        city: "Vyškov".into(),
        note: "VIP".into(),
        ..seen.clone()
    };
    assert_eq!(
        store.edit_own_customer(office, id, &seen, &third).await?,
        Err(Stale {
            fields: vec!["city"]
        })
    );
    let after = store.customer_card(id).await?.unwrap();
    assert_eq!((after.city.as_str(), after.note.as_str()), ("Blansko", ""));
    // Search follows the edits.
    let found = store
        .list_customers(&CustomerFilter {
            text: "blansko zdenka@example".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(found.len(), 1);
    // Audited: created, and two edits naming their fields (no values).
    let audit = store
        .list_audit(&AuditFilter {
            action: "client.".into(),
            ..Default::default()
        })
        .await?;
    let mut actions: Vec<(String, String)> =
        audit.into_iter().map(|e| (e.action, e.detail)).collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            ("client.create".to_owned(), String::new()),
            ("client.edit".to_owned(), "city".to_owned()),
            ("client.edit".to_owned(), "email".to_owned()),
        ]
    );

    // Unknown: NotFound. An adviser's client: refused here (their workspace holds it).
    assert!(matches!(
        store
            .edit_own_customer(office, ClientId::new(), &seen, &first)
            .await,
        Err(StoreError::NotFound(_))
    ));
    let theirs = ClientId::new();
    store
        .project(
            network.advisers[0],
            &ProjectionBatch {
                clients: vec![(theirs, created.clone())],
                ..Default::default()
            },
        )
        .await?;
    assert!(matches!(
        store
            .edit_own_customer(office, theirs, &created, &first)
            .await,
        Err(StoreError::Stale(_))
    ));
    Ok(())
}
