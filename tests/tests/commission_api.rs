//! Commission rules over the JSON API (issue 14, slice 1): accounting writes a
//! rule and its next version; refusals come with their status and field
//! (overlapping validity, a negative rate, an unknown rule, the office's key);
//! the office reads the rules; an order's commission lines are refused to the
//! store's key, for a malformed id and for an unknown order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::keys::Scope;
use fieldcase_shared::Role;
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_over_the_api() {
    let w = world().await;
    let api = Api::new(&w.hub.url);
    let keys = role_keys(w.hub.store.as_ref(), &[Scope::MoneyRead, Scope::MoneyWrite]).await;
    let (accounting, office) = (&keys[&Role::Accounting], &keys[&Role::Office]);
    let post = |key: &str, body: serde_json::Value| {
        let api = &api;
        let key = key.to_owned();
        async move {
            api.call(&key, "POST", "/api/v1/commission/rules", Some(body))
                .await
        }
    };

    let (status, _) = post(
        office,
        json!({"rate": "10", "valid_from": "2026-01-01", "group": "frame"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, first) = post(accounting, json!({"rate": "10", "valid_from": "2026-01-01", "valid_to": "2026-07-01", "group": "frame"})).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["version"], 1);
    let (status, body) = post(
        accounting,
        json!({"rate": "8", "valid_from": "2026-06-01", "group": "frame"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("valid_from"), "{body}");
    let (status, body) = post(
        accounting,
        json!({"rate": "-1", "valid_from": "2026-01-01", "group": "lens"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("rate"), "{body}");
    let (status, _) = post(accounting, json!({"id": "01890000-0000-7000-8000-000000000000", "rate": "5", "valid_from": "2026-01-01"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, next) = post(
        accounting,
        json!({"id": first["id"], "rate": "11.5", "valid_from": "2026-01-01", "group": "frame"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{next}");
    assert_eq!(next["version"], 2);

    let (status, rules) = api
        .call(office, "GET", "/api/v1/commission/rules", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    assert_eq!(rules.as_array().unwrap().len(), 1);
    assert_eq!(
        (rules[0]["version"].as_i64(), rules[0]["rate_bp"].as_i64()),
        (Some(2), Some(1_150))
    );
    assert_eq!(rules[0]["valid_to"], serde_json::Value::Null);
    let (_, history) = api
        .call(office, "GET", "/api/v1/commission/rules?history=true", None)
        .await;
    assert_eq!(history.as_array().unwrap().len(), 2);

    // An order's commission: its id checked, the role too, an unknown order 404.
    let store_key = keys[&Role::Store].clone();
    let unknown = "/api/v1/commission/orders/01890000-0000-7000-8000-000000000000";
    let (status, _) = api.call(accounting, "GET", unknown, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api
        .call(accounting, "GET", "/api/v1/commission/orders/nope", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = api.call(&store_key, "GET", unknown, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Levels: set by accounting, refused for an unknown adviser and the office.
    let level = |key: &str, body: serde_json::Value| {
        let api = &api;
        let key = key.to_owned();
        async move {
            api.call(&key, "POST", "/api/v1/commission/levels", Some(body))
                .await
        }
    };
    let (status, _) = level(
        office,
        json!({"adviser": "P0", "level": "senior", "valid_from": "2026-01-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = level(
        accounting,
        json!({"adviser": "P9", "level": "senior", "valid_from": "2026-01-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = level(
        accounting,
        json!({"adviser": "P0", "level": "senior", "lead": "P1", "valid_from": "2026-01-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = level(
        accounting,
        json!({"adviser": "P0", "level": "lead", "valid_from": "2026-01-01"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same day twice: {body}"
    );
    let (_, levels) = api
        .call(office, "GET", "/api/v1/commission/levels", None)
        .await;
    assert_eq!(levels.as_array().unwrap().len(), 1, "{levels}");
    assert_eq!(levels[0]["level"], "senior");
}
