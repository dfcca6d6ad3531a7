//! Notifications over the JSON API (issue 15): customer service turns a trigger
//! on and reads it back; commission by e-mail, an unknown event or channel is
//! 422 with nothing saved; a store's key is 403, a key without `customers:write`
//! cannot change; the outbox of an order that does not exist is 404, a limit out
//! of range 422; a message that has not failed is not retried (409).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::access as keys;
use fieldcase_server::api::keys::Scope;
use fieldcase_server::store::Actor;
use fieldcase_shared::Role;
use fieldcase_tests::api::{Api, staff_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triggers_and_the_outbox_over_the_api() {
    let w = world().await;
    let store = w.hub.store.clone();
    let api = Api::new(&w.hub.url);
    let keys = staff_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let (care, shop) = (&keys[&Role::CustomerService].0, &keys[&Role::Store].0);
    let (_, reader) = keys::create(
        store.as_ref(),
        &Actor::system("test"),
        keys[&Role::Office].1,
        "read only",
        &[Scope::CustomersRead],
    )
    .await
    .unwrap();

    let on = json!({"event": "payout_decided", "channel": "push", "enabled": true});
    let (status, body) = api
        .call(
            care,
            "PUT",
            "/api/v1/notifications/triggers",
            Some(on.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, list) = api
        .call(care, "GET", "/api/v1/notifications/triggers", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!([{"event": "payout_decided", "status": "", "channel": "push", "enabled": true}])
    );

    for (bad, field) in [
        (
            json!({"event": "commission_accrued", "channel": "email", "enabled": true}),
            "channel",
        ),
        (
            json!({"event": "birthday", "channel": "email", "enabled": true}),
            "event",
        ),
        (
            json!({"event": "order_status", "status": "teleported", "channel": "sms", "enabled": true}),
            "status",
        ),
        (
            json!({"event": "order_status", "channel": "pigeon", "enabled": true}),
            "channel",
        ),
    ] {
        let (status, body) = api
            .call(care, "PUT", "/api/v1/notifications/triggers", Some(bad))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains(field), "{field}: {body}");
    }
    assert_eq!(
        store.triggers().await.unwrap().len(),
        1,
        "nothing else saved"
    );

    let (status, _) = api
        .call(shop, "GET", "/api/v1/notifications/triggers", None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a store does not handle notifications"
    );
    let (status, _) = api
        .call(&reader, "PUT", "/api/v1/notifications/triggers", Some(on))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reading keys do not change");

    let (status, list) = api
        .call(care, "GET", "/api/v1/notifications/outbox", None)
        .await;
    assert_eq!((status, list), (StatusCode::OK, json!([])));
    let (status, _) = api
        .call(
            care,
            "GET",
            "/api/v1/notifications/outbox?order=1234567890",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api
        .call(care, "GET", "/api/v1/notifications/outbox?limit=0", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .call(
            care,
            "POST",
            &format!(
                "/api/v1/notifications/outbox/{}/retry",
                uuid::Uuid::now_v7()
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}
