//! `/api/v1/orders` with staff API keys (issue 11, point 8), over HTTP against a
//! real hub: each role × endpoint allowed and refused, scopes, revoked keys and
//! deactivated users, bad input (a clear 4xx, nothing changed), the status move
//! reaching the adviser's phone, and API changes in the order's history with their
//! author and source.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use fieldcase_server::api::access as keys;
use fieldcase_server::api::keys::Scope;
use fieldcase_server::store::{Actor, NewUser, Store};
use fieldcase_shared::docs::records::{self, ClientRecord, OrderRecord};
use fieldcase_shared::{Lang, OrderId, Role};
use fieldcase_tests::api::{Api, STAFF};
use fieldcase_tests::device::eventually;
use fieldcase_tests::world::{WAIT, read, world, write};
use reqwest::StatusCode;
use serde_json::json;

async fn staff_user(store: &dyn Store, role: Role) -> fieldcase_server::store::User {
    store
        .create_user(
            &Actor::system("test"),
            &NewUser {
                email: format!("api-{}@example.cz", role.code()),
                name: format!("Jméno {}", role.code()),
                password_hash: "x".into(),
                role,
                shop: None,
                lang: Lang::Cs,
            },
        )
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_and_endpoint_is_allowed_or_refused_as_the_office_would() {
    let w = world().await;
    let store = w.hub.store.clone();
    let system = Actor::system("test");

    // A key with both scopes per staff role.
    let mut key_of = HashMap::new();
    let mut user_of = HashMap::new();
    for role in STAFF {
        let user = staff_user(store.as_ref(), role).await;
        let (_, secret) = keys::create(
            store.as_ref(),
            &system,
            user.id,
            "integration",
            &[Scope::OrdersRead, Scope::OrdersWrite],
        )
        .await
        .unwrap();
        key_of.insert(role, secret);
        user_of.insert(role, user);
    }
    // Advisers hold no keys; a key needs a name and a scope.
    let adviser_user = staff_user(store.as_ref(), Role::Adviser).await;
    assert!(
        keys::create(
            store.as_ref(),
            &system,
            adviser_user.id,
            "x",
            &[Scope::OrdersRead]
        )
        .await
        .is_err()
    );
    let admin = user_of[&Role::Admin].id;
    assert!(
        keys::create(store.as_ref(), &system, admin, " ", &[Scope::OrdersRead])
            .await
            .is_err()
    );
    assert!(
        keys::create(store.as_ref(), &system, admin, "x", &[])
            .await
            .is_err()
    );
    let (_, read_only) = keys::create(
        store.as_ref(),
        &system,
        admin,
        "reports",
        &[Scope::OrdersRead],
    )
    .await
    .unwrap();

    // An order taken on the adviser's phone.
    let (phone, ws, client) = w
        .phone_with_client(
            w.advisers[0],
            ClientRecord {
                first_name: "Božena".into(),
                last_name: "Šimková".into(),
                phone: "+420603123456".into(),
                ..Default::default()
            },
        )
        .await;
    let order = OrderId::new();
    write(
        &ws,
        records::ORDERS,
        order.to_string(),
        OrderRecord {
            client: client.to_string(),
            variable_symbol: "2026770001".into(),
            status: "intake".into(),
            created_at: "2026-11-23T10:00:00Z".into(),
            ..Default::default()
        },
    );
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(order).await.unwrap().is_some() }
    })
    .await
    .unwrap();

    let api = Api::new(&w.hub.url);
    let card_path = format!("/api/v1/orders/{order}");

    // No key, a made-up key, a key without the scope.
    assert_eq!(
        api.call("", "GET", "/api/v1/orders", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api.call("fck_not-a-key", "GET", "/api/v1/orders", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = api
        .call(
            &read_only,
            "POST",
            &format!("{card_path}/notes"),
            Some(json!({"kind": "customer", "body": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"].as_str().unwrap().contains("orders:write"));

    // Read: every staff role lists, finds by number and by name typed without
    // diacritics, and opens the card by id and by number.
    for role in STAFF {
        let key = &key_of[&role];
        let (status, body) = api.call(key, "GET", "/api/v1/orders?q=simkova", None).await;
        assert_eq!(status, StatusCode::OK, "{role:?} lists: {body}");
        assert_eq!(body["orders"][0]["number"], "2026770001", "{role:?}");
        let (status, body) = api
            .call(key, "GET", "/api/v1/orders/2026770001", None)
            .await;
        assert_eq!(status, StatusCode::OK, "{role:?} opens the card: {body}");
        assert_eq!(body["id"], order.to_string());
        assert_eq!(body["client"]["last_name"], "Šimková");
    }

    // Notes: customer notes for every role; private ones only for the roles that
    // read them (office, accounting, customer service, admin).
    for role in STAFF {
        let key = &key_of[&role];
        let (status, body) = api
            .call(key, "POST", &format!("{card_path}/notes"), Some(json!({"kind": "customer", "body": format!("Pro zákazníka od {}", role.code())})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{role:?}: {body}");
        let (status, body) = api
            .call(
                key,
                "POST",
                &format!("{card_path}/notes"),
                Some(json!({"kind": "private", "body": format!("tajnepoznamky{}", role.code())})),
            )
            .await;
        let may = matches!(
            role,
            Role::Office | Role::Accounting | Role::CustomerService | Role::Admin
        );
        let expected = if may {
            StatusCode::CREATED
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "{role:?} writes a private note: {body}");
    }
    // A word only in a private note finds the order for the roles that read them.
    for role in STAFF {
        let (_, body) = api
            .call(
                &key_of[&role],
                "GET",
                "/api/v1/orders?q=tajnepoznamkyoffice",
                None,
            )
            .await;
        let found = body["orders"].as_array().unwrap().len();
        let may = matches!(
            role,
            Role::Office | Role::Accounting | Role::CustomerService | Role::Admin
        );
        assert_eq!(found, usize::from(may), "{role:?} searches private notes");
        let (_, card) = api.call(&key_of[&role], "GET", &card_path, None).await;
        let private = card["notes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "private")
            .count();
        assert_eq!(private > 0, may, "{role:?} reads private notes on the card");
    }

    // Delivery: every staff role may set it, compare-and-set against what it read.
    let mut previous = json!({"carrier": null, "tracking": ""});
    for (role, tracking) in STAFF.iter().zip([
        "40012345671",
        "40012345672",
        "40012345673",
        "40012345674",
        "40012345675",
        "40012345676",
    ]) {
        let (status, body) = api
            .call(
                &key_of[role],
                "PUT",
                &format!("{card_path}/delivery"),
                Some(json!({"carrier": "ppl", "tracking": tracking, "previous": previous})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{role:?} sets the delivery: {body}");
        assert!(
            body["tracking_url"].as_str().unwrap().contains(tracking),
            "{body}"
        );
        previous = json!({"carrier": "ppl", "tracking": tracking});
    }
    // A stale edit, an unknown carrier and a number in the wrong format change nothing.
    let admin_key = &key_of[&Role::Admin];
    let (status, body) = api
        .call(admin_key, "PUT", &format!("{card_path}/delivery"), Some(json!({"carrier": "dpd", "tracking": "01234567890123", "previous": {"carrier": null}})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = api
        .call(
            admin_key,
            "PUT",
            &format!("{card_path}/delivery"),
            Some(json!({"carrier": "ufo", "tracking": "1", "previous": previous})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "carrier");
    let (status, body) = api
        .call(
            admin_key,
            "PUT",
            &format!("{card_path}/delivery"),
            Some(json!({"carrier": "ppl", "tracking": "ABC", "previous": previous})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "tracking");
    let (_, card) = api.call(admin_key, "GET", &card_path, None).await;
    assert_eq!(
        card["delivery"]["tracking"], "40012345676",
        "nothing changed by the refusals"
    );

    // Status: intake → confirmed is the office's and the admin's move; the others
    // are refused with the reason, and nothing moves.
    for role in [
        Role::Store,
        Role::Lab,
        Role::Accounting,
        Role::CustomerService,
    ] {
        let (status, body) = api
            .call(
                &key_of[&role],
                "POST",
                &format!("{card_path}/status"),
                Some(json!({"from": "intake", "to": "confirmed"})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains("may not change"),
            "{body}"
        );
    }
    let (status, body) = api
        .call(
            &key_of[&Role::Office],
            "POST",
            &format!("{card_path}/status"),
            Some(json!({"from": "intake", "to": "confirmed"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "confirmed");
    // A second, stale move from the same view is refused.
    let (status, body) = api
        .call(
            &key_of[&Role::Admin],
            "POST",
            &format!("{card_path}/status"),
            Some(json!({"from": "intake", "to": "cancelled"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // The lab moves on from confirmed; the office may not make the lab's move.
    let (status, _) = api
        .call(
            &key_of[&Role::Office],
            "POST",
            &format!("{card_path}/status"),
            Some(json!({"from": "confirmed", "to": "in_lab"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = api
        .call(
            &key_of[&Role::Lab],
            "POST",
            &format!("{card_path}/status"),
            Some(json!({"from": "confirmed", "to": "in_lab"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The move reaches the adviser's phone.
    eventually("the phone sees the lab's move", WAIT, || {
        let ws = ws.clone();
        async move {
            read::<OrderRecord>(&ws, records::ORDERS, &order.to_string())
                .is_some_and(|o| o.status == "in_lab")
        }
    })
    .await
    .unwrap();
    phone.offline();

    // The history names the API and the key's user.
    let (_, card) = api.call(admin_key, "GET", &card_path, None).await;
    let history = card["history"].as_array().unwrap();
    let by_api: Vec<(&str, &str)> = history
        .iter()
        .filter(|e| e["source"] == "api")
        .map(|e| (e["field"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert!(by_api.contains(&("status", "Jméno office")), "{by_api:?}");
    assert!(by_api.contains(&("status", "Jméno lab")), "{by_api:?}");
    assert!(by_api.iter().any(|(f, _)| *f == "tracking"), "{by_api:?}");

    // Revoking a key, and deactivating a user, stop their keys at once.
    let store_key = &key_of[&Role::Store];
    let keys_of_store = store
        .list_api_keys(Some(user_of[&Role::Store].id))
        .await
        .unwrap();
    keys::revoke(
        store.as_ref(),
        &system,
        Some(&user_of[&Role::Admin]),
        keys_of_store[0].id,
    )
    .await
    .unwrap();
    assert_eq!(
        api.call(store_key, "GET", "/api/v1/orders", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    store
        .set_user_active(&system, user_of[&Role::Lab].id, false)
        .await
        .unwrap();
    assert_eq!(
        api.call(&key_of[&Role::Lab], "GET", "/api/v1/orders", None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Only the owner or an admin revokes a key.
    let office_keys = store
        .list_api_keys(Some(user_of[&Role::Office].id))
        .await
        .unwrap();
    assert!(
        keys::revoke(
            store.as_ref(),
            &system,
            Some(&user_of[&Role::Accounting]),
            office_keys[0].id
        )
        .await
        .is_err()
    );
    // Key creation and revocation are audited.
    let audit = store
        .list_audit(&fieldcase_server::store::AuditFilter {
            action: "apikey.".into(),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "apikey.revoke"));
    assert_eq!(
        audit.iter().filter(|e| e.action == "apikey.create").count(),
        7
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
    let w = world().await;
    let store = w.hub.store.clone();
    let user = staff_user(store.as_ref(), Role::Admin).await;
    let (_, key) = keys::create(
        store.as_ref(),
        &Actor::system("test"),
        user.id,
        "fuzz",
        &[Scope::OrdersRead, Scope::OrdersWrite],
    )
    .await
    .unwrap();
    let api = Api::new(&w.hub.url);
    // FTS operators, unbalanced quotes and a 10 kB query are plain text.
    for q in [
        "\"AND (OR * ^ NEAR",
        "\"unbalanced",
        "a:b -c +d",
        &"x".repeat(10_000),
    ] {
        let path = format!(
            "/api/v1/orders?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        let (status, body) = api.call(&key, "GET", &path, None).await;
        assert_eq!(status, StatusCode::OK, "{q:.20}: {body}");
    }
    for (query, field) in [
        ("status=lost", "status"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("from=2026-13-01", "from"),
        ("after=garbage", "after"),
        ("sort=random", "sort"),
        ("store=nope", "store"),
    ] {
        let (status, body) = api
            .call(&key, "GET", &format!("/api/v1/orders?{query}"), None)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["fields"][0]["field"], field, "{query}");
    }
    // Unknown orders, in either form, are 404.
    for path in [
        "/api/v1/orders/9999999999",
        &format!("/api/v1/orders/{}", OrderId::new()),
        "/api/v1/orders/%22%27",
    ] {
        assert_eq!(
            api.call(&key, "GET", path, None).await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // Bodies: not JSON, unknown members, wrong kinds.
    let order = OrderId::new();
    let (status, _) = api
        .call(
            &key,
            "POST",
            &format!("/api/v1/orders/{order}/notes"),
            Some(json!({"kind": "customer", "body": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let resp = api
        .http
        .post(format!("{}/api/v1/orders/{order}/status", api.url))
        .bearer_auth(&key)
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error());
    // The first page of a list walks on with `next` and ends.
    let (status, body) = api.call(&key, "GET", "/api/v1/orders?limit=1", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["next"].is_null(), "no orders, no next page: {body}");
}
