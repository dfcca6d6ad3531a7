//! `/api/v1/customers` with staff API keys (issue 12), over HTTP against a real hub:
//! each staff role reads; only the roles that edit customers in the office create
//! and edit; scopes; bad input gets a clear 4xx and changes nothing; possible
//! duplicates and stale edits are 409 naming why; an edit of an adviser's client
//! goes into the adviser's workspace. The duplicate queue lists a pair saved
//! anyway; a merge is for editors only, refuses bad input, and is done once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::access as keys;
use fieldcase_server::api::keys::Scope;
use fieldcase_server::store::Actor;
use fieldcase_shared::docs::records::{self, ClientRecord};
use fieldcase_shared::{ClientId, Role};
use fieldcase_tests::api::{Api, STAFF, staff_keys};
use fieldcase_tests::device::eventually;
use fieldcase_tests::world::{WAIT, read, world};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_over_the_api_as_the_office_would() {
    let w = world().await;
    let store = w.hub.store.clone();
    let system = Actor::system("test");
    let api = Api::new(&w.hub.url);
    let key_of = staff_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let office = key_of[&Role::Office].0.clone();

    // Create: the office's own customer, phone typed its own way.
    let (status, body) = api.call(&office, "POST", "/api/v1/customers", Some(json!({
        "first_name": "Zdeňka", "last_name": "Nováčková", "phone": "608555444", "postal_code": "60200"
    }))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let (status, card) = api
        .call(&office, "GET", &format!("/api/v1/customers/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(card["fields"]["phone"], "+420 608 555 444");
    assert_eq!(card["fields"]["postal_code"], "602 00");
    assert_eq!(card["adviser"], Value::Null);

    // Each role reads; only the editing roles write.
    for role in STAFF {
        let key = &key_of[&role].0;
        let (status, list) = api
            .call(key, "GET", "/api/v1/customers?q=608%20555%20444", None)
            .await;
        assert_eq!(status, StatusCode::OK, "{role:?}");
        assert_eq!(list["customers"][0]["id"], id.as_str(), "{role:?}");
        let (status, _) = api
            .call(key, "GET", &format!("/api/v1/customers/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{role:?}");
        let editor = fieldcase_server::customers::EDITORS.contains(&role);
        let (status, _) = api
            .call(
                key,
                "POST",
                "/api/v1/customers",
                Some(json!({
                    "last_name": format!("Test {}", role.code()), "allow_duplicates": true
                })),
            )
            .await;
        assert_eq!(
            status,
            if editor {
                StatusCode::CREATED
            } else {
                StatusCode::FORBIDDEN
            },
            "{role:?}"
        );
        let (status, _) = api
            .call(
                key,
                "PATCH",
                &format!("/api/v1/customers/{id}"),
                Some(json!({
                    "seen": {}, "set": {"note": format!("by {}", role.code())}
                })),
            )
            .await;
        assert_eq!(
            status,
            if editor {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{role:?}"
        );
    }
    // Scopes and keys.
    let (_, orders_only) = keys::create(
        store.as_ref(),
        &system,
        key_of[&Role::Admin].1,
        "orders",
        &[Scope::OrdersRead],
    )
    .await
    .unwrap();
    assert_eq!(
        api.call(&orders_only, "GET", "/api/v1/customers", None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.call("", "GET", "/api/v1/customers", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, read_only) = keys::create(
        store.as_ref(),
        &system,
        key_of[&Role::Admin].1,
        "read",
        &[Scope::CustomersRead],
    )
    .await
    .unwrap();
    assert_eq!(
        api.call(
            &read_only,
            "POST",
            "/api/v1/customers",
            Some(json!({"last_name": "X"}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );

    // Bad input: a clear 4xx naming the field, nothing saved.
    let before = api
        .call(&office, "GET", "/api/v1/customers?limit=500", None)
        .await
        .1["customers"]
        .as_array()
        .unwrap()
        .len();
    for (body, field) in [
        (json!({"first_name": "Bez příjmení"}), "last_name"),
        (json!({"last_name": "X", "phone": "12"}), "phone"),
        (json!({"last_name": "X", "email": "nope"}), "email"),
        (json!({"last_name": "X", "postal_code": "1"}), "postal_code"),
    ] {
        let (status, err) = api
            .call(&office, "POST", "/api/v1/customers", Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            err["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["field"] == field),
            "{body}: {err}"
        );
    }
    assert_eq!(
        api.call(&office, "POST", "/api/v1/customers", Some(json!("text")))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        api.call(
            &office,
            "POST",
            "/api/v1/customers",
            Some(json!({"last_name": "X", "adviser": ClientId::new().to_string()}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    for q in [
        "limit=0",
        "sort=up",
        "after=nonsense",
        "email_consent=maybe",
        "store=x",
    ] {
        assert_eq!(
            api.call(&office, "GET", &format!("/api/v1/customers?{q}"), None)
                .await
                .0,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}"
        );
    }
    assert_eq!(
        api.call(&office, "GET", "/api/v1/customers/not-an-id", None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let after = api
        .call(&office, "GET", "/api/v1/customers?limit=500", None)
        .await
        .1["customers"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing saved by bad input");

    // A possible duplicate (same phone, typed another way): 409 naming the customer.
    let (status, err) = api
        .call(
            &office,
            "POST",
            "/api/v1/customers",
            Some(json!({
                "first_name": "Jiná", "last_name": "Osoba", "phone": "+420 608-555-444"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        err["fields"][0]["message"].as_str().unwrap().contains(&id),
        "{err}"
    );

    // A stale edit: read, someone changes the town, the first writer's town is refused.
    let seen = api
        .call(&office, "GET", &format!("/api/v1/customers/{id}"), None)
        .await
        .1["fields"]
        .clone();
    let store_key = &key_of[&Role::Store].0;
    let (status, changed) = api
        .call(
            store_key,
            "PATCH",
            &format!("/api/v1/customers/{id}"),
            Some(json!({
                "seen": seen, "set": {"city": "Brno"}
            })),
        )
        .await;
    assert_eq!(
        (status, changed["changed"].clone()),
        (StatusCode::OK, json!(["city"]))
    );
    let (status, err) = api
        .call(
            &office,
            "PATCH",
            &format!("/api/v1/customers/{id}"),
            Some(json!({
                "seen": seen, "set": {"city": "Blansko", "street": "Nová 1"}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["fields"][0]["field"], "city");
    let card = api
        .call(&office, "GET", &format!("/api/v1/customers/{id}"), None)
        .await
        .1;
    assert_eq!(
        (
            card["fields"]["city"].clone(),
            card["fields"]["street"].clone()
        ),
        (json!("Brno"), json!(""))
    );

    // For an adviser: created into the workspace, edited there; the hub's document holds it.
    let adviser = w.advisers[0];
    let (status, body) = api
        .call(
            &office,
            "POST",
            "/api/v1/customers",
            Some(json!({
                "first_name": "Petr", "last_name": "Nový", "adviser": adviser.to_string()
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let theirs = body["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .call(
            &office,
            "PATCH",
            &format!("/api/v1/customers/{theirs}"),
            Some(json!({
                "seen": {}, "set": {"email": "petr@example.cz"}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let doc = w.hub.state.sync.ensure_workspace(adviser).await.unwrap();
    let handle = w.hub.state.sync.repo().find(doc).await.unwrap().unwrap();
    eventually("the edit in the adviser's workspace", WAIT, || {
        let handle = handle.clone();
        let theirs = theirs.clone();
        async move {
            read::<ClientRecord>(&handle, records::CLIENTS, &theirs)
                .is_some_and(|c| c.email == "petr@example.cz")
        }
    })
    .await
    .unwrap();

    // The same person again, saved anyway: the pair is in the review queue.
    let (status, body) = api
        .call(
            &office,
            "POST",
            "/api/v1/customers",
            Some(json!({
                "first_name": "Petr", "last_name": "Novy", "email": "PETR@example.cz",
                "adviser": adviser.to_string(), "allow_duplicates": true
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let twin = body["id"].as_str().unwrap().to_owned();
    let (status, queue) = api
        .call(&office, "GET", "/api/v1/customer-duplicates?limit=10", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    let pair = queue["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            [&p["a"]["id"], &p["b"]["id"]]
                .iter()
                .all(|x| **x == json!(theirs) || **x == json!(twin))
        })
        .unwrap_or_else(|| panic!("{queue}"));
    assert_eq!(pair["reasons"], json!(["email"]));
    for bad in ["?limit=0", "?offset=-1", "?offset=x"] {
        let (status, _) = api
            .call(
                &office,
                "GET",
                &format!("/api/v1/customer-duplicates{bad}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    // Merge: only editors; bad input refused, nothing changed.
    let merge = format!("/api/v1/customers/{twin}/merge");
    let (status, _) = api
        .call(
            &key_of[&Role::Lab].0,
            "POST",
            &merge,
            Some(json!({"into": theirs})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (body, want) in [
        (json!({"into": twin}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"into": "x"}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"into": ClientId::new().to_string()}),
            StatusCode::NOT_FOUND,
        ),
        (json!({"to": theirs}), StatusCode::BAD_REQUEST),
    ] {
        let (status, err) = api.call(&office, "POST", &merge, Some(body.clone())).await;
        assert_eq!(status, want, "{body}: {err}");
    }
    let (status, done) = api
        .call(&office, "POST", &merge, Some(json!({"into": theirs})))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["survivor"], json!(theirs));
    let (status, _) = api
        .call(&office, "POST", &merge, Some(json!({"into": theirs})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "merged already");
    let card = api
        .call(&office, "GET", &format!("/api/v1/customers/{twin}"), None)
        .await
        .1;
    assert_eq!(card["merged_into"], json!(theirs));
    let queue = api
        .call(&office, "GET", "/api/v1/customer-duplicates", None)
        .await
        .1;
    assert!(
        !queue.to_string().contains(&twin),
        "the merged pair left the queue: {queue}"
    );
    w.hub.stop().await.unwrap();
}
