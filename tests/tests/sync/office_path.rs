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
