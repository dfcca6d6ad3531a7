//! Issue 12, point 2: the office merges two records of one person. Orders,
//! prescriptions, notes and consents move to the survivor, in SQL and in the
//! adviser's workspace; the phone shows the merged-away client as merged into the
//! survivor; what a phone that was offline during the merge does to the merged
//! client (an edit, a new order) lands on the survivor.

use super::*;
use fieldcase_server::customers::merge::{self, MergeError};
use fieldcase_server::customers::store::{ConsentChannel, ContactKind, NewConsent};
use fieldcase_shared::docs::records::{self, ClientRecord, InboxRecord, OrderRecord};
use fieldcase_shared::{ClientId, OrderId};

fn client(first: &str, last: &str, phone: &str, email: &str) -> ClientRecord {
    ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        phone: phone.into(),
        email: email.into(),
        created_at: "2026-12-04T09:00:00Z".into(),
        ..Default::default()
    }
}

fn order(client: ClientId, vs: &str) -> OrderRecord {
    OrderRecord {
        client: client.to_string(),
        variable_symbol: vs.into(),
        status: "intake".into(),
        created_at: "2026-12-04T10:00:00Z".into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merge_moves_everything_to_the_survivor_and_late_offline_work_follows() {
    let w = world().await;
    let mut phone = w.device(w.advisers[0]).await;
    let ws = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();
    // The adviser entered one person twice.
    let (survivor, merged) = (ClientId::new(), ClientId::new());
    let (o1, o2, late) = (OrderId::new(), OrderId::new(), OrderId::new());
    write(
        &ws,
        records::CLIENTS,
        survivor.to_string(),
        client("Jana", "Nováková", "+420 603 123 456", ""),
    );
    write(
        &ws,
        records::CLIENTS,
        merged.to_string(),
        ClientRecord {
            custom: [("karta".to_owned(), "zlatá".to_owned())].into(),
            ..client("Jana", "Novakova", "603123456", "jana@example.cz")
        },
    );
    write(
        &ws,
        records::ORDERS,
        o1.to_string(),
        order(survivor, "2026990101"),
    );
    write(
        &ws,
        records::ORDERS,
        o2.to_string(),
        order(merged, "2026990102"),
    );
    let store = w.hub.store.clone();
    eventually("both clients and orders in SQL", WAIT, || {
        let store = store.clone();
        async move {
            let m = store.customer_card(merged).await.unwrap();
            m.is_some_and(|c| c.orders.len() == 1)
                && store
                    .customer_card(survivor)
                    .await
                    .unwrap()
                    .is_some_and(|c| c.orders.len() == 1)
        }
    })
    .await
    .unwrap();
    store
        .add_customer_note(
            &w.office,
            merged,
            ContactKind::CallIn,
            "Volala kvůli brýlím.",
        )
        .await
        .unwrap();
    store
        .add_consent(
            &w.office,
            merged,
            &NewConsent {
                channel: ConsentChannel::Email,
                granted: true,
                given_at: time::OffsetDateTime::now_utc() - TimeDuration::days(3),
                place: "prodejna".into(),
                evidence: "F-12".into(),
            },
        )
        .await
        .unwrap();

    // Bad input first: nothing changes.
    for (m, s, want) in [
        (merged, merged, "same"),
        (merged, ClientId::new(), "missing"),
    ] {
        let refused = merge::merge(&w.hub.state, &w.office, m, s).await;
        assert!(
            matches!(
                (&refused, want),
                (Err(MergeError::Same), "same") | (Err(MergeError::NotFound), "missing")
            ),
            "{want}: {refused:?}"
        );
    }

    // The phone goes offline; the office merges.
    phone.offline();
    let done = merge::merge(&w.hub.state, &w.office, merged, survivor)
        .await
        .unwrap();
    assert_eq!((done.orders, done.notes), (1, 2), "{done:?}");
    let again = merge::merge(&w.hub.state, &w.office, merged, survivor).await;
    assert!(matches!(again, Err(MergeError::AlreadyMerged)), "{again:?}");

    // SQL: everything on the survivor, which took the e-mail it lacked; the merged
    // record is kept, marked, and found by no search.
    let card = store.customer_card(survivor).await.unwrap().unwrap();
    assert_eq!(card.orders.len(), 2);
    assert_eq!(card.email, "jana@example.cz");
    assert_eq!(
        card.custom.get("karta").map(String::as_str),
        Some("zlatá"),
        "custom values the survivor lacked come along"
    );
    assert_eq!(card.last_name, "Nováková");
    assert!(card.notes.iter().any(|n| n.body == "Volala kvůli brýlím."));
    assert!(
        card.consent(ConsentChannel::Email)
            .is_some_and(|c| c.granted)
    );
    assert_eq!(card.merges.len(), 1);
    let gone = store.customer_card(merged).await.unwrap().unwrap();
    assert_eq!(gone.merged_into, Some(survivor));
    assert!(gone.orders.is_empty());
    let found = store
        .list_customers(&fieldcase_server::store::CustomerFilter {
            text: "novakova".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [survivor]);

    // Meanwhile, offline, the adviser changed the merged client's phone and took a
    // new order for them.
    write(
        &ws,
        records::CLIENTS,
        merged.to_string(),
        client("Jana", "Novakova", "+420 777 888 999", "jana@example.cz"),
    );
    write(
        &ws,
        records::ORDERS,
        late.to_string(),
        order(merged, "2026990103"),
    );
    phone.online(&w.hub.url).await.unwrap();
    let on_hub = w.on_hub(&ws).await;
    eventually(
        "the merge and the late work on the phone, the hub's document and SQL",
        WAIT,
        || {
            let (ws, on_hub, store) = (ws.clone(), on_hub.clone(), store.clone());
            async move {
                let ok_doc = |d: &samod::DocHandle| {
                    let m: Option<ClientRecord> = read(d, records::CLIENTS, &merged.to_string());
                    let s: Option<ClientRecord> = read(d, records::CLIENTS, &survivor.to_string());
                    let orders: Vec<(String, OrderRecord)> =
                        d.with_document(|doc| records::all(doc, records::ORDERS));
                    m.is_some_and(|m| {
                        m.merged_into == survivor.to_string() && m.phone == "603123456"
                    }) && s.is_some_and(|s| {
                        s.phone == "+420 777 888 999" && s.email == "jana@example.cz"
                    }) && orders.len() == 3
                        && orders.iter().all(|(_, o)| o.client == survivor.to_string())
                };
                let card = store.customer_card(survivor).await.unwrap().unwrap();
                ok_doc(&ws)
                    && ok_doc(&on_hub)
                    && card.orders.len() == 3
                    && card.phone == "+420 777 888 999"
            }
        },
    )
    .await
    .unwrap();
    // The merged record in SQL stays as it was merged; the adviser was told.
    let gone = store.customer_card(merged).await.unwrap().unwrap();
    assert_eq!(gone.phone, "603123456");
    let inbox: Vec<(String, InboxRecord)> = ws.with_document(|d| records::all(d, records::INBOX));
    for needle in [
        "sloučila klienta",
        "Vaše změny (telefon)",
        "Zakázka patřila klientovi",
    ] {
        assert!(
            inbox.iter().any(
                |(_, n)| n.text_cs.contains(needle) && n.about == format!("clients/{survivor}")
            ),
            "{needle}: {inbox:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_of_two_advisers_are_not_merged() {
    let w = world().await;
    let store = w.hub.store.clone();
    let mut ids = Vec::new();
    for adviser in [w.advisers[0], w.advisers[1]] {
        let id = fieldcase_server::customers::edit::create(
            &w.hub.state,
            &w.office,
            Some(adviser),
            client("Petr", "Dvořák", "604 555 666", ""),
            true,
        )
        .await
        .unwrap();
        ids.push(id);
    }
    // The second was saved although it looked like the first: the pair is queued.
    let (pairs, open) = store.open_duplicates(10, 0).await.unwrap();
    assert_eq!(open, 1, "{pairs:?}");
    let refused = merge::merge(&w.hub.state, &w.office, ids[0], ids[1]).await;
    assert!(
        matches!(refused, Err(MergeError::TwoAdvisers)),
        "{refused:?}"
    );
    assert!(
        store
            .customer_card(ids[0])
            .await
            .unwrap()
            .unwrap()
            .merged_into
            .is_none()
    );
}
