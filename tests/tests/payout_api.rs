//! Payouts over the JSON API (issue 14, slice 3): a request over the balance
//! (422, nothing written), one's own approval (422), the office's key (403), a
//! rejection without a reason (422), a bad account (422 with its field); an
//! administrator approves, accounting makes the batch from the company's account,
//! reads its file and marks it paid (twice: 409).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::keys::Scope;
use fieldcase_shared::Role;
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payouts_over_the_api() {
    let w = world().await;
    let api = Api::new(&w.hub.url);
    let store = w.hub.store.clone();
    let keys = role_keys(store.as_ref(), &[Scope::MoneyRead, Scope::MoneyWrite]).await;
    let (accounting, admin, office) = (
        &keys[&Role::Accounting],
        &keys[&Role::Admin],
        &keys[&Role::Office],
    );
    w.hub
        .state
        .sync
        .add_commission_entry(
            &w.office,
            w.advisers[0],
            &CommissionEntryRecord {
                kind: "accrual".into(),
                amount: 400_000,
                at: "2026-12-01T10:00:00Z".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let (status, body) = api
        .call(
            accounting,
            "POST",
            "/api/v1/commission/payouts",
            Some(json!({"adviser": "P0", "amount": 400_001})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "amount", "{body}");
    let (status, _) = api
        .call(
            office,
            "POST",
            "/api/v1/commission/payouts",
            Some(json!({"adviser": "P0", "amount": 100_000})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, listed) = api
        .call(office, "GET", "/api/v1/commission/payouts", None)
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 0, "nothing written");

    let (status, id) = api
        .call(
            accounting,
            "POST",
            "/api/v1/commission/payouts",
            Some(json!({"adviser": "P0", "amount": 150_000, "note": "prosinec"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{id}");
    let id = id.as_str().unwrap().to_owned();
    let approve = format!("/api/v1/commission/payouts/{id}/approve");
    let (status, body) = api.call(accounting, "POST", &approve, None).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one's own: {body}"
    );
    let (status, body) = api
        .call(
            admin,
            "POST",
            &format!("/api/v1/commission/payouts/{id}/reject"),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = api.call(admin, "POST", &approve, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["approvals"].as_u64(), body["needed"].as_u64()),
        (Some(1), Some(1))
    );
    let (_, open) = api
        .call(office, "GET", "/api/v1/commission/payouts?open=true", None)
        .await;
    assert_eq!(
        open[0]["approved_by"].as_array().unwrap().len(),
        1,
        "{open}"
    );

    // Accounts and the batch.
    let (status, body) = api
        .call(
            accounting,
            "PUT",
            "/api/v1/commission/accounts/P0",
            Some(json!({"account": "12-2000145399", "bank_code": "0800"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("account"), "{body}");
    let (status, body) = api
        .call(
            accounting,
            "PUT",
            "/api/v1/commission/accounts/P0",
            Some(json!({"account": "19-2000145399", "bank_code": "0800"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, account) = api
        .call(accounting, "POST", "/api/v1/bank/accounts", Some(json!({"name": "Hlavní", "iban": "CZ65 0800 0000 1920 0014 5399", "token": "fioTokenUctuProTesty0123456789abcdef"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{account}");
    let (status, batch) = api
        .call(
            accounting,
            "POST",
            "/api/v1/commission/batches",
            Some(json!({"account": account, "date": "2026-12-07"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{batch}");
    assert_eq!(batch["total"], 150_000);
    let batch_id = batch["id"].as_str().unwrap();
    let (status, body) = api
        .call(
            accounting,
            "POST",
            "/api/v1/commission/batches",
            Some(json!({"account": account, "date": "2026-12-07"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing more to pay: {body}"
    );
    let file = api
        .http
        .get(format!(
            "{}/api/v1/commission/batches/{batch_id}/file",
            w.hub.url
        ))
        .bearer_auth(accounting)
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let text = file.text().await.unwrap();
    assert!(
        text.contains("<amount>1500.00</amount>")
            && text.contains("<accountFrom>19-2000145399</accountFrom>"),
        "{text}"
    );
    let paid = format!("/api/v1/commission/batches/{batch_id}/paid");
    let (status, body) = api.call(admin, "POST", &paid, None).await;
    assert_eq!((status, body), (StatusCode::OK, json!(1)));
    let (status, _) = api.call(admin, "POST", &paid, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, all) = api
        .call(office, "GET", "/api/v1/commission/payouts", None)
        .await;
    assert_eq!(all[0]["status"], "paid", "{all}");
}
