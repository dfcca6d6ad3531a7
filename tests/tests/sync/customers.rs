//! The office edits a customer whom the adviser edits offline at the same time
//! (issue 12, point 1): the office's edit goes through the hub into the adviser's
//! workspace, field by field, so both edits stand on the phone, in the hub's
//! document and in the office's SQL; a later office edit from a stale screen of a
//! field the adviser changed is refused, nothing written.

use super::*;
use fieldcase_server::customers::edit::{self, EditError};
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::records::{self, ClientRecord, InboxRecord};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_edit_and_offline_adviser_edit_lose_nothing() {
    let w = world().await;
    let mut phone = w.device(w.advisers[0]).await;
    let ws = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();
    let client = ClientId::new();
    let base = ClientRecord {
        first_name: "Eva".into(),
        last_name: "Malá".into(),
        phone: "+420 603 111 222".into(),
        city: "Brno".into(),
        created_at: "2026-12-04T09:00:00Z".into(),
        ..Default::default()
    };
    write(&ws, records::CLIENTS, client.to_string(), base.clone());
    let store = w.hub.store.clone();
    eventually("the client in SQL", WAIT, || {
        let store = store.clone();
        async move { store.customer_card(client).await.unwrap().is_some() }
    })
    .await
    .unwrap();
    // What the office's card shows.
    let card = store.customer_card(client).await.unwrap().unwrap();
    let seen = ClientRecord {
        first_name: card.first_name.clone(),
        last_name: card.last_name.clone(),
        phone: card.phone.clone(),
        email: card.email.clone(),
        street: card.street.clone(),
        city: card.city.clone(),
        postal_code: card.postal_code.clone(),
        note: card.note.clone(),
        created_at: String::new(),
        merged_into: String::new(),
        custom: card.custom.clone(),
    };

    // The phone loses signal; the adviser changes the town and the note.
    phone.offline();
    write(
        &ws,
        records::CLIENTS,
        client.to_string(),
        ClientRecord {
            city: "Blansko".into(),
            note: "volat po 16. hodině".into(),
            ..base.clone()
        },
    );
    // Meanwhile the office changes phone and e-mail (typed its own way: normalised).
    let office_edit = ClientRecord {
        phone: "604000111".into(),
        email: "eva.mala@example.cz".into(),
        ..seen.clone()
    };
    let changed = edit::edit(&w.hub.state, &w.office, client, &seen, office_edit, false)
        .await
        .unwrap();
    assert_eq!(changed, ["phone", "email"]);
    // The office sees its edit at once.
    let card = store.customer_card(client).await.unwrap().unwrap();
    assert_eq!(
        (card.phone.as_str(), card.email.as_str()),
        ("+420 604 000 111", "eva.mala@example.cz")
    );

    phone.online(&w.hub.url).await.unwrap();
    let on_hub = w.on_hub(&ws).await;
    let all_four = |c: &ClientRecord| {
        c.phone == "+420 604 000 111"
            && c.email == "eva.mala@example.cz"
            && c.city == "Blansko"
            && c.note == "volat po 16. hodině"
    };
    eventually(
        "both edits on the phone, in the hub's document and in SQL",
        WAIT,
        || {
            let (ws, on_hub, store) = (ws.clone(), on_hub.clone(), store.clone());
            async move {
                let mine: ClientRecord = read(&ws, records::CLIENTS, &client.to_string()).unwrap();
                let hubs: ClientRecord =
                    read(&on_hub, records::CLIENTS, &client.to_string()).unwrap();
                let card = store.customer_card(client).await.unwrap().unwrap();
                all_four(&mine)
                    && all_four(&hubs)
                    && card.city == "Blansko"
                    && card.phone == "+420 604 000 111"
                    && card.note == "volat po 16. hodině"
            }
        },
    )
    .await
    .unwrap();
    // The adviser was told, in their language of choice.
    let inbox: Vec<(String, InboxRecord)> = ws.with_document(|d| records::all(d, records::INBOX));
    assert!(
        inbox
            .iter()
            .any(|(_, n)| n.about == format!("clients/{client}")
                && n.text_cs.contains("telefon, e-mail")),
        "an inbox note names what the office changed: {inbox:?}"
    );
    // The office searches by the new number.
    let found = store
        .list_customers(&fieldcase_server::store::CustomerFilter {
            text: "604 000 111".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [client]);

    // An office screen opened before the adviser's change of the town, changing it
    // too: refused, nothing written anywhere.
    let stale_edit = ClientRecord {
        city: "Vyškov".into(),
        street: "Nová 1".into(),
        ..seen.clone()
    };
    let refused = edit::edit(&w.hub.state, &w.office, client, &seen, stale_edit, false).await;
    assert!(
        matches!(&refused, Err(EditError::Stale(f)) if f == &["city"]),
        "{refused:?}"
    );
    let card = store.customer_card(client).await.unwrap().unwrap();
    assert_eq!((card.city.as_str(), card.street.as_str()), ("Blansko", ""));

    // Bad input: named fields, nothing written; an unknown client.
    let bad = ClientRecord {
        phone: "12".into(),
        email: "nope".into(),
        ..seen.clone()
    };
    let refused = edit::edit(&w.hub.state, &w.office, client, &seen, bad, false).await;
    assert!(
        matches!(&refused, Err(EditError::Invalid(e)) if e.len() == 2),
        "{refused:?}"
    );
    assert!(matches!(
        edit::edit(
            &w.hub.state,
            &w.office,
            ClientId::new(),
            &seen,
            seen.clone(),
            false
        )
        .await,
        Err(EditError::NotFound)
    ));

    // A new customer with Eva's new number is a possible duplicate: refused, Eva
    // named, until the user confirms.
    let petr = ClientRecord {
        first_name: "Petr".into(),
        last_name: "Nový".into(),
        phone: "604 000 111".into(),
        ..Default::default()
    };
    let refused = edit::create(
        &w.hub.state,
        &w.office,
        Some(w.advisers[0]),
        petr.clone(),
        false,
    )
    .await;
    match refused {
        Err(EditError::Duplicates(found)) => {
            assert_eq!(
                found.iter().map(|d| d.customer.id).collect::<Vec<_>>(),
                [client]
            );
            assert_eq!(
                found[0].likeness.matches,
                [fieldcase_shared::customer::Match::Phone]
            );
        }
        other => panic!("expected a duplicate warning, got {other:?}"),
    }
    // The office creates a customer for the adviser: it reaches the phone.
    let created = edit::create(
        &w.hub.state,
        &w.office,
        Some(w.advisers[0]),
        ClientRecord {
            phone: "777 888 999".into(),
            ..petr
        },
        false,
    )
    .await
    .unwrap();
    eventually("the office's new client on the phone", WAIT, || {
        let ws = ws.clone();
        async move {
            read::<ClientRecord>(&ws, records::CLIENTS, &created.to_string())
                .is_some_and(|c| c.last_name == "Nový" && c.phone == "+420 777 888 999")
        }
    })
    .await
    .unwrap();
    assert_eq!(
        store.client_owner(created).await.unwrap(),
        Some(Some(w.advisers[0]))
    );
    w.hub.stop().await.unwrap();
}

/// The same field changed by the office and by the adviser offline (issue 12,
/// point 1): Automerge keeps one value, and without the hub the other would vanish
/// silently. The hub settles the conflict (every copy agrees on one value from
/// then on), tells the adviser which value stands and which did not, and keeps the
/// other value in the customer's history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_field_changed_in_two_places_is_settled_and_nothing_is_lost() {
    let w = world().await;
    let base = ClientRecord {
        first_name: "Dana".into(),
        last_name: "Souběžná".into(),
        phone: "+420 603 111 222".into(),
        created_at: "2026-12-04T09:00:00Z".into(),
        ..Default::default()
    };
    let (mut phone, ws, client) = w.phone_with_client(w.advisers[0], base.clone()).await;
    let store = w.hub.store.clone();
    eventually("the client in SQL", WAIT, || {
        let store = store.clone();
        async move { store.customer_card(client).await.unwrap().is_some() }
    })
    .await
    .unwrap();
    let seen = store.customer_card(client).await.unwrap().unwrap().record();

    // Offline, the adviser writes a new number; the office writes another.
    phone.offline();
    write(
        &ws,
        records::CLIENTS,
        client.to_string(),
        ClientRecord {
            phone: "+420 605 555 555".into(),
            ..base.clone()
        },
    );
    let office_edit = ClientRecord {
        phone: "+420 606 666 666".into(),
        ..seen.clone()
    };
    edit::edit(&w.hub.state, &w.office, client, &seen, office_edit, true)
        .await
        .unwrap();
    phone.online(&w.hub.url).await.unwrap();

    let on_hub = w.on_hub(&ws).await;
    let settled = |h: &samod::DocHandle| {
        h.with_document(|d| records::conflicts(d, records::CLIENTS, &client.to_string()))
            .is_empty()
    };
    eventually("one number everywhere, the conflict settled", WAIT, || {
        let (ws, on_hub, store) = (ws.clone(), on_hub.clone(), store.clone());
        async move {
            let mine: ClientRecord = read(&ws, records::CLIENTS, &client.to_string()).unwrap();
            let hubs: ClientRecord = read(&on_hub, records::CLIENTS, &client.to_string()).unwrap();
            let card = store.customer_card(client).await.unwrap().unwrap();
            settled(&ws)
                && settled(&on_hub)
                && mine.phone == hubs.phone
                && card.phone == mine.phone
                && card
                    .notes
                    .iter()
                    .any(|n| n.body.contains("Souběžná změna pole phone"))
        }
    })
    .await
    .unwrap();
    let kept: ClientRecord = read(&ws, records::CLIENTS, &client.to_string()).unwrap();
    let lost = if kept.phone == "+420 605 555 555" {
        "+420 606 666 666"
    } else {
        "+420 605 555 555"
    };
    // The history has the number that did not stand; the adviser is told.
    let card = store.customer_card(client).await.unwrap().unwrap();
    let note = card
        .notes
        .iter()
        .find(|n| n.body.contains("Souběžná změna"))
        .unwrap();
    assert!(
        note.body.contains(lost) && note.body.contains(&kept.phone),
        "{}",
        note.body
    );
    eventually("the adviser is told", WAIT, || {
        let ws = ws.clone();
        async move {
            let inbox: Vec<(String, InboxRecord)> =
                ws.with_document(|d| records::all(d, records::INBOX));
            inbox.iter().any(|(id, n)| {
                id.starts_with(&format!("conflict-{client}-phone"))
                    && n.text_cs.contains(lost)
                    && n.text_cs.contains("telefon")
            })
        }
    })
    .await
    .unwrap();
    w.hub.stop().await.unwrap();
}
