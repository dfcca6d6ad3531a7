//! `POST /api/v1/customers/{id}/erasure` (issue 12, point 7) over HTTP against a
//! real hub: only an administrator's key with `customers:write` erases; bad input
//! is a clear 4xx and erases nothing; an erasure empties the card and says what it
//! did. (The erasure's reach into workspaces and stored bytes: gdpr_erasure.rs.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::keys::Scope;
use fieldcase_shared::Role;
use fieldcase_tests::api::{Api, staff_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_administrator_erases_and_bad_input_erases_nothing() {
    let w = world().await;
    let store = w.hub.store.clone();
    let api = Api::new(&w.hub.url);
    let writers = staff_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    // The administrator's key that only reads.
    let system = fieldcase_server::store::Actor::system("test");
    let (_, reader) = fieldcase_server::api::access::create(
        store.as_ref(),
        &system,
        writers[&Role::Admin].1,
        "read only",
        &[Scope::CustomersRead],
    )
    .await
    .unwrap();
    let (admin, office) = (&writers[&Role::Admin].0, &writers[&Role::Office].0);
    let (status, body) = api
        .call(office, "POST", "/api/v1/customers", Some(json!({
            "first_name": "Zdeňka", "last_name": "Vymazalová", "phone": "603111222", "email": "zv@example.cz"
        })))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/customers/{id}/erasure");
    let reason = json!({"reason": "žádost zákazníka ze 4. 12. 2026"});

    for (key, body, expected) in [
        (office, Some(reason.clone()), StatusCode::FORBIDDEN),
        (&reader, Some(reason.clone()), StatusCode::FORBIDDEN),
        (
            admin,
            Some(json!({"reason": "   "})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            admin,
            Some(json!({"reason": "x".repeat(501)})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            admin,
            Some(json!({"why": "no"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (admin, None, StatusCode::BAD_REQUEST),
    ] {
        let (status, answer) = api.call(key, "POST", &path, body.clone()).await;
        assert!(
            status == expected
                || (expected == StatusCode::UNPROCESSABLE_ENTITY
                    && status == StatusCode::BAD_REQUEST),
            "{body:?}: {status} {answer}"
        );
        assert!(
            answer["error"].is_string(),
            "{body:?}: a clear error: {answer}"
        );
    }
    let (status, _) = api
        .call(
            admin,
            "POST",
            &format!("/api/v1/customers/{}/erasure", uuid::Uuid::now_v7()),
            Some(reason.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, card) = api
        .call(office, "GET", &format!("/api/v1/customers/{id}"), None)
        .await;
    assert_eq!(
        card["fields"]["last_name"], "Vymazalová",
        "nothing erased by a refusal"
    );

    let (status, done) = api.call(admin, "POST", &path, Some(reason)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["customers"].as_u64(), done["workspaces"].as_u64()),
        (Some(1), Some(0))
    );
    let (_, card) = api
        .call(office, "GET", &format!("/api/v1/customers/{id}"), None)
        .await;
    assert_eq!(
        card["fields"]["last_name"],
        fieldcase_shared::docs::rewrite::ERASED_NAME
    );
    assert_eq!(card["fields"]["phone"], "");
    assert_eq!(card["fields"]["email"], "");
    let (_, found) = api
        .call(office, "GET", "/api/v1/customers?q=vymazalova", None)
        .await;
    assert_eq!(
        found["customers"].as_array().unwrap().len(),
        0,
        "not found by the old name"
    );
}
