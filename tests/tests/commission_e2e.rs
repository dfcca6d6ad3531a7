//! Commission end to end (issue 14): an order taken on a phone is paid through
//! FIO (the production client against the fake FIO on loopback) and delivered
//! by the office; the accrual job books its commission and the adviser's phone
//! gets the line with "why this amount" over sync. Accounting refunds the
//! payment: the phone gets the reversal and the balance is back at zero.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_server::api::keys::Scope;
use fieldcase_server::commission::rules::Rule;

use fieldcase_shared::docs::commission::{COMMISSION, CommissionEntryRecord};
use fieldcase_shared::docs::records::{self, ClientRecord};
use fieldcase_shared::{OrderStatus, Role, docs};
use fieldcase_tests::TestDb;
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::device::eventually;
use fieldcase_tests::fake_fio::{FakeFio, FakeMovement};
use fieldcase_tests::world::{WAIT, world_configured, write};
use reqwest::StatusCode;
use serde_json::json;
use time::macros::date;

const TOKEN: &str = "fioTokenUctuProTesty0123456789abcdef";

fn ledger(ws: &samod::DocHandle) -> Vec<CommissionEntryRecord> {
    let mut lines: Vec<CommissionEntryRecord> = ws
        .with_document(|d| records::all::<CommissionEntryRecord, _>(d, COMMISSION))
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    lines.sort_by(|a, b| a.at.cmp(&b.at).then(a.kind.cmp(&b.kind)));
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_order_paid_and_delivered_earns_on_the_phone_and_a_refund_reverses_it() {
    let fio = FakeFio::start(Duration::from_millis(200), date!(2026 - 12 - 05)).await;
    let keys = tempfile::tempdir().unwrap();
    let (url, key) = (fio.url.clone(), keys.path().join("secret.key"));
    let w = world_configured(TestDb::for_sync().await.unwrap(), move |c| {
        c.fio_url = url;
        c.fio_spacing_ms = 400;
        c.fio_poll_seconds = 30;
        c.secret_key_file = key;
    })
    .await;
    let store = w.hub.store.clone();
    let job = fieldcase_server::commission::accrue::spawn(w.hub.state.clone());

    // Accounting's rule: 10 % of everything.
    let rule = Rule {
        id: uuid::Uuid::now_v7(),
        version: 1,
        group: None,
        level: None,
        campaign: None,
        rate_bp: 1_000,
        valid_from: date!(2026 - 01 - 01),
        valid_to: None,
    };
    assert!(
        store
            .put_commission_rule(&w.office, &rule)
            .await
            .unwrap()
            .is_empty()
    );

    // The adviser takes an order at the client's table: a frame for 3 290 Kč
    // (2 719.01 without VAT), 290 Kč deposit.
    let adviser = w.advisers[0];
    let (phone, ws, client) = w
        .phone_with_client(
            adviser,
            ClientRecord {
                first_name: "Jana".into(),
                last_name: "Nováková".into(),
                ..Default::default()
            },
        )
        .await;
    let order = fieldcase_shared::OrderId::new();
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    write(
        &ws,
        records::ORDERS,
        order.to_string(),
        docs::records::OrderRecord {
            client: client.to_string(),
            variable_symbol: "2026990202".into(),
            status: "intake".into(),
            lines: vec![docs::records::LineRecord {
                id: uuid::Uuid::now_v7().to_string(),
                kind: "frame".into(),
                text: "Ray-Ban RX5154".into(),
                quantity: 1,
                unit_price: 329_000,
                vat_bp: 2100,
                ..Default::default()
            }],
            deposit: 29_000,
            created_at: now,
            ..Default::default()
        },
    );
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(order).await.unwrap().is_some() }
    })
    .await
    .unwrap();

    // The client pays the rest by transfer; the hub downloads it from FIO.
    let api = Api::new(&w.hub.url);
    let keys_by_role = role_keys(
        store.as_ref(),
        &[Scope::MoneyRead, Scope::MoneyWrite, Scope::OrdersRead],
    )
    .await;
    let accounting = &keys_by_role[&Role::Accounting];
    let (status, body) = api
        .call(
            accounting,
            "POST",
            "/api/v1/bank/accounts",
            Some(
                json!({"name": "Hlavní", "iban": "CZ65 0800 0000 1920 0014 5399", "token": TOKEN}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let account = body.as_str().unwrap().to_owned();
    fio.book(
        TOKEN,
        FakeMovement::incoming(7001, date!(2026 - 12 - 05), 3000.0, "2026990202"),
    );
    let (status, done) = api
        .call(
            accounting,
            "POST",
            &format!("/api/v1/bank/accounts/{account}/download"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["matched"], 1, "{done}");
    assert!(
        ledger(&ws).is_empty(),
        "paid but not delivered: nothing yet"
    );

    // The office walks it to delivered.
    let path = [
        OrderStatus::Intake,
        OrderStatus::Confirmed,
        OrderStatus::InLab,
        OrderStatus::QualityCheck,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
    ];
    for step in path.windows(2) {
        w.hub
            .state
            .sync
            .change_order_status(&w.office, Role::Admin, order, step[0], step[1])
            .await
            .unwrap();
    }

    // The phone gets the accrual with its explanation.
    eventually("the accrual on the phone", WAIT, || {
        let ws = ws.clone();
        async move { ledger(&ws).iter().any(|e| e.kind == "accrual") }
    })
    .await
    .unwrap();
    let lines = ledger(&ws);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].order, order.to_string());
    assert_eq!(lines[0].amount, 27_190, "10 % of 2 719.01 Kč");
    assert_eq!(
        lines[0].why_cs,
        "Zakázka VS 2026990202, úroveň začínající: 10,00 % ze základu 2 719,01 Kč (řádky 1; pravidlo v1) = 271,90 Kč"
    );
    assert!(
        lines[0]
            .why_en
            .starts_with("Order VS 2026990202, level junior: 10.00 % of CZK 2,719.01")
    );
    // The office reads the same on the API.
    let (status, api_lines) = api
        .call(
            accounting,
            "GET",
            &format!("/api/v1/commission/orders/{order}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{api_lines}");
    assert_eq!(api_lines[0]["rate_bp"], 1_000);
    assert_eq!(api_lines[0]["why_cs"], lines[0].why_cs.as_str());

    // Accounting refunds the payment: the phone gets the reversal.
    let (_, moves) = api
        .call(accounting, "GET", "/api/v1/bank/movements", None)
        .await;
    let movement = moves[0]["id"].as_str().unwrap().to_owned();
    let (status, body) = api
        .call(
            accounting,
            "POST",
            &format!("/api/v1/bank/movements/{movement}/settlement"),
            Some(json!({"steps": [{"kind": "refund", "order": order.to_string(), "amount": 300_000, "reason": "vráceno zákazníkovi"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    eventually("the reversal on the phone", WAIT, || {
        let ws = ws.clone();
        async move { ledger(&ws).iter().any(|e| e.kind == "reversal") }
    })
    .await
    .unwrap();
    let lines = ledger(&ws);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines.iter().map(|e| e.amount).sum::<i64>(), 0);
    let reversal = lines.iter().find(|e| e.kind == "reversal").unwrap();
    assert!(
        reversal
            .why_cs
            .starts_with("Storno (peníze vráceny): Zakázka VS 2026990202"),
        "{}",
        reversal.why_cs
    );
    job.abort();
    drop(phone);
}
