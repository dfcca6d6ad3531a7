//! Statements, the report and self-billing invoices over the JSON API (issue 14,
//! slices 3 and 4): the office reads an adviser's month (the sums and the lines)
//! and its PDF; a month it cannot read is 422, an unknown adviser 404, the
//! store's key 403; the report by month with its cost share, a span backwards
//! 422, an unknown grouping 400; self-billing invoices only for accounting and
//! administrators.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::keys::Scope;
use fieldcase_server::store::Actor;
use fieldcase_shared::Role;
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_and_the_report_over_the_api() {
    let w = world().await;
    let store = w.hub.store.clone();
    let system = Actor::system("test");
    for (kind, amount, at) in [
        ("accrual", 1_000_000, "2026-10-05T10:00:00Z"),
        ("accrual", 500_000, "2026-11-02T10:00:00Z"),
        ("payout", -200_000, "2026-11-20T10:00:00Z"),
    ] {
        store
            .add_commission_entry(
                &system,
                w.advisers[0],
                uuid::Uuid::now_v7(),
                &CommissionEntryRecord {
                    kind: kind.into(),
                    amount,
                    at: at.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let api = Api::new(&w.hub.url);
    let keys = role_keys(store.as_ref(), &[Scope::MoneyRead]).await;
    let (office, accounting, shop) = (
        &keys[&Role::Office],
        &keys[&Role::Accounting],
        &keys[&Role::Store],
    );

    let (status, s) = api
        .call(
            office,
            "GET",
            "/api/v1/commission/advisers/P0/statements/2026-11",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(
        (
            s["opening"].as_i64(),
            s["accruals"].as_i64(),
            s["payouts"].as_i64(),
            s["closing"].as_i64()
        ),
        (
            Some(1_000_000),
            Some(500_000),
            Some(-200_000),
            Some(1_300_000)
        )
    );
    assert_eq!(s["lines"].as_array().unwrap().len(), 2);
    for (path, want) in [
        (
            "/api/v1/commission/advisers/P0/statements/2026-13",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/commission/advisers/P99/statements/2026-11",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, body) = api.call(office, "GET", path, None).await;
        assert_eq!(status, want, "{path}: {body}");
    }
    let (status, _) = api
        .call(
            shop,
            "GET",
            "/api/v1/commission/advisers/P0/statements/2026-11",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let pdf = api
        .http
        .get(format!(
            "{}/api/v1/commission/advisers/P0/statements/2026-11/pdf",
            w.hub.url
        ))
        .bearer_auth(office)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = fieldcase_tests::pdf_text(&pdf.bytes().await.unwrap()).unwrap();
    assert!(text.contains("Konečný zůstatek: 13 000,00 Kč"), "{text}");

    let (status, rows) = api
        .call(
            office,
            "GET",
            "/api/v1/commission/report?from=2026-10&to=2026-11&by=month",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[1]["month"].as_str(),
            rows[1]["commission"].as_i64(),
            rows[1]["cost_bp"].as_i64()
        ),
        (Some("2026-11"), Some(500_000), None),
        "payouts are not commission; no turnover, no share"
    );
    for (query, want) in [
        ("from=2026-11&to=2026-10", StatusCode::UNPROCESSABLE_ENTITY),
        ("from=2026-10&to=2026-11&by=week", StatusCode::BAD_REQUEST),
        ("from=2026-10", StatusCode::BAD_REQUEST),
    ] {
        let (status, body) = api
            .call(
                office,
                "GET",
                &format!("/api/v1/commission/report?{query}"),
                None,
            )
            .await;
        assert_eq!(status, want, "{query}: {body}");
    }

    let (status, _) = api
        .call(office, "GET", "/api/v1/commission/self-billing", None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, list) = api
        .call(
            accounting,
            "GET",
            "/api/v1/commission/self-billing?adviser=P0",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 0);
    let (status, _) = api
        .call(
            accounting,
            "GET",
            "/api/v1/commission/self-billing/01890000-0000-7000-8000-000000000000/pdf",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
