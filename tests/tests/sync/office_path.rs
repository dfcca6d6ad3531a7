//! The office's status change and a device's edit of the same order: both stand.

use super::*;
use fieldcase_server::store::Via;
use fieldcase_server::sync::StatusChangeError;
use fieldcase_shared::docs::records::{self, ClientRecord, InboxRecord, OrderRecord};
use fieldcase_shared::{ClientId, OrderId, OrderStatus};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_and_device_edits_of_one_order_both_stand() {
    let w = world().await;
    let mut phone = w.device(w.advisers[0]).await;
    let ws = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();
    let client = ClientId::new();
    write(
        &ws,
        records::CLIENTS,
        client.to_string(),
        ClientRecord {
            first_name: "Eva".into(),
            last_name: "Malá".into(),
            ..Default::default()
        },
    );
    let order = OrderId::new();
    let base = OrderRecord {
        client: client.to_string(),
        variable_symbol: "2026990002".into(),
        status: "intake".into(),
        created_at: "2026-11-23T10:00:00Z".into(),
        ..Default::default()
    };
    write(&ws, records::ORDERS, order.to_string(), base.clone());
    let store = w.hub.store.clone();
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(order).await.unwrap().is_some() }
    })
    .await
    .unwrap();

    // The phone loses signal and the adviser adds a note; meanwhile the office confirms.
    phone.offline();
    write(
        &ws,
        records::ORDERS,
        order.to_string(),
        OrderRecord {
            note: "Zákaznice chce tenčí skla".into(),
            ..base.clone()
        },
    );
    w.hub
        .state
        .sync
        .set_order_status(
            &w.office,
            fieldcase_shared::Role::Office,
            order,
            OrderStatus::Confirmed,
        )
        .await
        .unwrap();
    phone.online(&w.hub.url).await.unwrap();

    eventually("both edits on the phone", WAIT, || {
        let ws = ws.clone();
        async move {
            let o: OrderRecord = read(&ws, records::ORDERS, &order.to_string()).unwrap();
            o.status == "confirmed" && o.note == "Zákaznice chce tenčí skla"
        }
    })
    .await
    .unwrap();
    let notice: InboxRecord =
        read(&ws, records::INBOX, &format!("office-{order}-confirmed")).unwrap();
    assert_eq!(notice.kind, "notification");
    let on_hub = w.on_hub(&ws).await;
    eventually("the note on the hub", WAIT, || {
        let h = on_hub.clone();
        async move {
            read::<OrderRecord>(&h, records::ORDERS, &order.to_string())
                .is_some_and(|o| o.note.starts_with("Zákaznice"))
        }
    })
    .await
    .unwrap();
    assert_eq!(
        w.hub
            .store
            .order_status(order)
            .await
            .unwrap()
            .map(fieldcase_shared::OrderStatus::code),
        Some("confirmed"),
        "the office's change is not bounced"
    );
    assert!(
        read::<InboxRecord>(&ws, records::INBOX, &format!("status-{order}-confirmed")).is_none(),
        "no rejection for the office's own change"
    );

    // The card's history has both: the adviser's note from the phone and the
    // office's confirmation, each with its author.
    let store = w.hub.store.clone();
    eventually("the phone's note in the history", WAIT, || {
        let store = store.clone();
        async move {
            store
                .order_card(order, fieldcase_shared::Role::Office)
                .await
                .unwrap()
                .is_some_and(|c| c.history.iter().any(|e| e.field == "note"))
        }
    })
    .await
    .unwrap();
    let card = w
        .hub
        .store
        .order_card(order, fieldcase_shared::Role::Office)
        .await
        .unwrap()
        .unwrap();
    let seen: Vec<(Via, &str, &str, &str)> = card
        .history
        .iter()
        .map(|e| (e.via, e.actor.as_str(), e.field.as_str(), e.new.as_str()))
        .collect();
    assert!(
        seen.contains(&(Via::Phone, "Poradce 0", "note", "Zákaznice chce tenčí skla")),
        "{seen:?}"
    );
    assert!(
        seen.contains(&(Via::Office, "Office", "status", "confirmed")),
        "{seen:?}"
    );

    // A click on a screen that still showed "intake": refused, nothing changes.
    let stale = w
        .hub
        .state
        .sync
        .change_order_status(
            &w.office,
            fieldcase_shared::Role::Office,
            order,
            OrderStatus::Intake,
            OrderStatus::Cancelled,
        )
        .await;
    assert!(
        matches!(
            stale,
            Err(StatusChangeError::Stale {
                now: OrderStatus::Confirmed,
                ..
            })
        ),
        "{stale:?}"
    );
    assert_eq!(
        w.hub.store.order_status(order).await.unwrap(),
        Some(OrderStatus::Confirmed)
    );

    // The office is held to its own transitions too.
    let denied = w
        .hub
        .state
        .sync
        .set_order_status(
            &w.office,
            fieldcase_shared::Role::Office,
            order,
            OrderStatus::Delivered,
        )
        .await;
    assert!(
        matches!(denied, Err(StatusChangeError::Denied(_))),
        "{denied:?}"
    );
    w.hub.stop().await.unwrap();
}

/// What the office knows of an order reaches the adviser's phone: the status
/// timeline, carrier with the carrier's tracking link, and the public page's link
/// (and that it is gone once revoked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_gets_the_timeline_tracking_and_public_link() {
    use fieldcase_server::store::Delivery;
    use fieldcase_shared::carrier::Carrier;
    use fieldcase_shared::docs::order_info::{ORDER_INFO, OrderInfoRecord};

    let w = world().await;
    let phone = w.device(w.advisers[0]).await;
    let ws = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();
    let client = ClientId::new();
    write(
        &ws,
        records::CLIENTS,
        client.to_string(),
        ClientRecord {
            first_name: "Iva".into(),
            ..Default::default()
        },
    );
    let order = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        order.to_string(),
        OrderRecord {
            client: client.to_string(),
            variable_symbol: "2026990003".into(),
            status: "intake".into(),
            created_at: "2026-11-25T10:00:00Z".into(),
            ..Default::default()
        },
    );
    let store = w.hub.store.clone();
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(order).await.unwrap().is_some() }
    })
    .await
    .unwrap();
    let sync = w.hub.state.sync.clone();
    sync.set_order_status(
        &w.office,
        fieldcase_shared::Role::Office,
        order,
        OrderStatus::Confirmed,
    )
    .await
    .unwrap();
    let ppl = Delivery {
        carrier: Some(Carrier::Ppl),
        number: "40012345678".into(),
    };
    store
        .set_delivery(&w.office, order, &Delivery::default(), &ppl)
        .await
        .unwrap();
    let token = fieldcase_server::auth::new_token();
    store
        .replace_order_link(&w.office, order, Some(&token))
        .await
        .unwrap();
    sync.publish_order_info(order).await.unwrap();

    let key = order.to_string();
    eventually("the order's information on the phone", WAIT, || {
        let (ws, key) = (ws.clone(), key.clone());
        async move {
            read::<OrderInfoRecord>(&ws, ORDER_INFO, &key).is_some_and(|i| !i.public_url.is_empty())
        }
    })
    .await
    .unwrap();
    let info: OrderInfoRecord = read(&ws, ORDER_INFO, &key).unwrap();
    assert_eq!(info.carrier, "ppl");
    assert_eq!(
        info.tracking_url,
        "https://www.ppl.cz/vyhledat-zasilku?shipmentId=40012345678"
    );
    assert!(
        info.public_url.ends_with(&format!("/o/{token}")),
        "{}",
        info.public_url
    );
    let steps: Vec<&str> = info.timeline.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(steps, vec!["intake", "confirmed"]);

    // Revoked: the phone loses the link too.
    store
        .replace_order_link(&w.office, order, None)
        .await
        .unwrap();
    sync.publish_order_info(order).await.unwrap();
    eventually("the link gone from the phone", WAIT, || {
        let (ws, key) = (ws.clone(), key.clone());
        async move {
            read::<OrderInfoRecord>(&ws, ORDER_INFO, &key).is_some_and(|i| i.public_url.is_empty())
        }
    })
    .await
    .unwrap();
    w.hub.stop().await.unwrap();
}
