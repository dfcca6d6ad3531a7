//! An order's history and notes (issue 11, point 2), on SQLite and PostgreSQL: what
//! a phone changed (through the projection) and what the office changed are both in
//! the card's history with their authors and sources; notes of three kinds, private
//! ones read and searched only by the roles that may; history and notes append-only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::store::{
    OrderFilter, OrderStore, ProjectionBatch, ProjectionStore, SqlStore, Via,
};
use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord};
use fieldcase_shared::order::notes::NoteKind;
use fieldcase_shared::{ClientId, OrderId, OrderStatus, Role};

fieldcase_tests::conformance!(
    phone_and_office_changes_are_in_the_history,
    private_notes_are_for_office_roles_only,
    history_and_notes_are_append_only,
);

fn order(client: ClientId, note: &str, quantity: u32) -> OrderRecord {
    OrderRecord {
        client: client.to_string(),
        variable_symbol: "2026770001".into(),
        status: "intake".into(),
        note: note.into(),
        lines: vec![LineRecord {
            id: "0196b5a0-0000-7000-8000-000000000001".into(),
            kind: "frame".into(),
            text: "Rám Lindberg Air".into(),
            quantity,
            unit_price: 249_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        created_at: "2026-11-25T10:00:00Z".into(),
        ..Default::default()
    }
}

/// One adviser ("Poradce 0") with one client and one order; returns the order.
async fn seeded(store: &SqlStore) -> anyhow::Result<(fieldcase_tests::Network, OrderId, ClientId)> {
    let network = fieldcase_tests::small_network(store, 1).await?;
    let client = ClientId::new();
    let id = OrderId::new();
    store
        .project(
            network.advisers[0],
            &ProjectionBatch {
                clients: vec![(
                    client,
                    ClientRecord {
                        first_name: "Jana".into(),
                        last_name: "Šimková".into(),
                        created_at: "2026-11-25T10:00:00Z".into(),
                        ..Default::default()
                    },
                )],
                orders: vec![(id, order(client, "", 1))],
                ..Default::default()
            },
        )
        .await?;
    Ok((network, id, client))
}

async fn phone_and_office_changes_are_in_the_history(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (network, id, client) = seeded(&store).await?;
    // The adviser changes the quantity and the note on the phone.
    store
        .project(
            network.advisers[0],
            &ProjectionBatch {
                orders: vec![(id, order(client, "Tenčí skla", 2))],
                ..Default::default()
            },
        )
        .await?;
    // The same record again changes nothing, so it adds no event.
    store
        .project(
            network.advisers[0],
            &ProjectionBatch {
                orders: vec![(id, order(client, "Tenčí skla", 2))],
                ..Default::default()
            },
        )
        .await?;
    // The office confirms.
    store
        .set_order_status(
            &network.office,
            id,
            OrderStatus::Intake,
            OrderStatus::Confirmed,
        )
        .await?;
    let card = store.order_card(id, Role::Office).await?.expect("the card");
    let events: Vec<(Via, &str, &str, &str, &str)> = card
        .history
        .iter()
        .map(|e| {
            (
                e.via,
                e.actor.as_str(),
                e.field.as_str(),
                e.old.as_str(),
                e.new.as_str(),
            )
        })
        .collect();
    assert_eq!(
        events,
        vec![
            (Via::Phone, "Poradce 0", "created", "", "intake"),
            (
                Via::Phone,
                "Poradce 0",
                "lines",
                "1× Rám Lindberg Air (2490.00)",
                "2× Rám Lindberg Air (2490.00)"
            ),
            (Via::Phone, "Poradce 0", "total", "249000", "498000"),
            (Via::Phone, "Poradce 0", "note", "", "Tenčí skla"),
            (Via::Office, "Office", "status", "intake", "confirmed"),
        ]
    );
    assert_eq!(card.client.last_name, "Šimková");
    assert_eq!(card.lines.len(), 1);
    assert_eq!(card.status, OrderStatus::Confirmed);
    assert_eq!(card.to_pay().haler(), 498_000);
    assert!(
        store
            .order_card(OrderId::new(), Role::Office)
            .await?
            .is_none()
    );
    Ok(())
}

async fn private_notes_are_for_office_roles_only(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (network, id, _) = seeded(&store).await?;
    for (kind, body) in [
        (NoteKind::Customer, "Vyzvednutí v pátek"),
        (NoteKind::Lab, "Zabrousit na tenko"),
        (NoteKind::Private, "Zákazník reklamoval loni, pozor"),
    ] {
        store
            .add_order_note(&network.office, id, kind, body)
            .await?;
    }
    let found = |text: &'static str, private: bool| {
        let store = store.clone();
        async move {
            store
                .list_orders(&OrderFilter {
                    text: text.into(),
                    private,
                    ..Default::default()
                })
                .await
                .map(|list| list.into_iter().map(|o| o.id).collect::<Vec<_>>())
        }
    };
    assert_eq!(found("reklamoval", true).await?, vec![id]);
    assert!(
        found("reklamoval", false).await?.is_empty(),
        "a private word for a role that may not read it"
    );
    assert_eq!(
        found("simkova reklamoval", true).await?,
        vec![id],
        "words from both texts"
    );
    assert_eq!(
        found("zabrousit", false).await?,
        vec![id],
        "lab notes are for everyone"
    );
    assert_eq!(
        found("patek", false).await?,
        vec![id],
        "customer notes are for everyone"
    );

    let office = store.order_card(id, Role::Office).await?.unwrap();
    assert_eq!(office.notes.len(), 3);
    assert_eq!(office.notes[2].author, "Office");
    assert!(office.history.iter().any(|e| e.is_private()));
    for role in [Role::Lab, Role::Store] {
        let card = store.order_card(id, role).await?.unwrap();
        let kinds: Vec<NoteKind> = card.notes.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, vec![NoteKind::Customer, NoteKind::Lab], "{role:?}");
        assert!(
            !card.history.iter().any(|e| e.new.contains("reklamoval")),
            "{role:?} sees the private note in the history"
        );
    }
    let missing = store
        .add_order_note(&network.office, OrderId::new(), NoteKind::Lab, "x")
        .await;
    assert!(missing.is_err(), "a note for no order");
    Ok(())
}

async fn history_and_notes_are_append_only(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let (network, id, _) = seeded(&store).await?;
    store
        .add_order_note(&network.office, id, NoteKind::Lab, "Pozor na osu")
        .await?;
    for sql in [
        "UPDATE order_events SET new_value = 'x'",
        "DELETE FROM order_events",
        "UPDATE order_notes SET body = 'x'",
        "DELETE FROM order_notes",
    ] {
        assert!(store.execute_raw(sql).await.is_err(), "{sql} went through");
    }
    let card = store.order_card(id, Role::Office).await?.unwrap();
    assert_eq!(card.notes[0].body, "Pozor na osu");
    assert_eq!(card.history.len(), 2);
    Ok(())
}
