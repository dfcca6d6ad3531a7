//! The bank end to end (issue 13, points 1, 2 and 7) against a fake FIO on
//! loopback speaking FIO's JSON: an account added over the API keeps its token
//! encrypted (not in the database's bytes, never given out); a download matches a
//! phone's order by its variable symbol and the adviser's phone sees it paid; a
//! second call within FIO's 30 s waits instead of hammering, a 409 from another
//! program is waited out; a bad token (FIO's 500) is recorded as the account's
//! alert and cleared by the next good run; an empty statement is fine; a re-read
//! books nothing twice; the poller runs by itself and records its runs. On the
//! database of the sync tests (SQLite, or PostgreSQL with FIELDCASE_TEST_SYNC_ON_PG).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_server::api::keys::Scope;
use fieldcase_shared::Role;
use fieldcase_shared::docs::order_info::{ORDER_INFO, OrderInfoRecord};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_tests::TestDb;
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::device::eventually;
use fieldcase_tests::fake_fio::{FakeFio, FakeMovement};
use fieldcase_tests::world::{WAIT, read, world_configured};
use reqwest::StatusCode;
use serde_json::json;
use time::macros::date;

const TOKEN: &str = "fioTokenUctuProTesty0123456789abcdef";
/// The hub's spacing per token, and the fake's (shorter by a margin for the time
/// a request travels).
const SPACING_MS: u32 = 400;
const FAKE_INTERVAL: Duration = Duration::from_millis(200);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_from_fio_pays_the_phone_s_order() {
    let fio = FakeFio::start(FAKE_INTERVAL, date!(2026 - 12 - 05)).await;
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("secret.key");
    let (url, key) = (fio.url.clone(), key_file.clone());
    let db = TestDb::for_sync().await.unwrap();
    let w = world_configured(db, move |c| {
        c.fio_url = url;
        c.fio_spacing_ms = SPACING_MS;
        c.fio_poll_seconds = 30;
        c.secret_key_file = key;
    })
    .await;
    let store = w.hub.store.clone();
    let (phone, ws, client) = w
        .phone_with_client(
            w.advisers[0],
            ClientRecord {
                first_name: "Jana".into(),
                last_name: "Nováková".into(),
                ..Default::default()
            },
        )
        .await;
    let order = w.phone_order(&ws, client, "2026990101").await;

    // Accounting adds the account; the token is sealed and never given out.
    let api = Api::new(&w.hub.url);
    let keys_by_role = role_keys(
        store.as_ref(),
        &[Scope::MoneyRead, Scope::MoneyWrite, Scope::OrdersRead],
    )
    .await;
    let accounting = &keys_by_role[&Role::Accounting];
    let (status, body) = api
        .call(
            &keys_by_role[&Role::Store],
            "POST",
            "/api/v1/bank/accounts",
            Some(
                json!({"name": "Hlavní", "iban": "CZ65 0800 0000 1920 0014 5399", "token": TOKEN}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = api
        .call(
            accounting,
            "POST",
            "/api/v1/bank/accounts",
            Some(json!({"name": "Hlavní", "iban": "CZ00 1234", "token": "no good!"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["iban", "token"]);
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
    let (_, listed) = api
        .call(accounting, "GET", "/api/v1/bank/accounts", None)
        .await;
    assert!(!listed.to_string().contains(TOKEN), "{listed}");
    assert_eq!(listed[0]["iban"], "CZ6508000000192000145399");
    assert!(key_file.exists(), "the key file is made on first use");
    let sealed = store
        .bank_token(account.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        !sealed.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
        "the token is stored sealed"
    );
    if let Some(dir) = w.db.sqlite_dir() {
        for file in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(file.unwrap().path()).unwrap();
            assert!(
                !bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
                "the token is in no database file"
            );
        }
    }

    // The client pays what is left (3,290 − 290 deposit) by the order's VS.
    fio.book(
        TOKEN,
        FakeMovement::incoming(5001, date!(2026 - 12 - 05), 3000.0, "2026990101"),
    );
    let download = format!("/api/v1/bank/accounts/{account}/download");
    let (status, done) = api
        .call(accounting, "POST", &download, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["new"].as_i64(), done["matched"].as_i64()),
        (Some(1), Some(1)),
        "{done}"
    );
    let (_, card) = api
        .call(accounting, "GET", &format!("/api/v1/orders/{order}"), None)
        .await;
    assert_eq!(card["to_pay"], 0, "{card}");
    let (_, moves) = api
        .call(accounting, "GET", "/api/v1/bank/movements", None)
        .await;
    assert_eq!(
        moves[0]["explanation"], "matched by VS 2026990101, amount equal",
        "{moves}"
    );
    // The adviser's phone sees what the bank paid.
    let key = order.to_string();
    eventually("the payment on the phone", WAIT, || {
        let (ws, key) = (ws.clone(), key.clone());
        async move {
            read::<OrderInfoRecord>(&ws, ORDER_INFO, &key).is_some_and(|i| i.settled == 300_000)
        }
    })
    .await
    .unwrap();

    // A second call right after waits FIO's spacing (never a 409), and a 409 from
    // another program using the token is waited out: both succeed.
    let (status, done) = api
        .call(accounting, "POST", &download, Some(json!({})))
        .await;
    assert_eq!(
        (status, done["new"].as_i64()),
        (StatusCode::OK, Some(0)),
        "an empty statement: {done}"
    );
    fio.force(&[409]);
    let (status, done) = api
        .call(accounting, "POST", &download, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let seen = fio.seen();
    let statuses: Vec<u16> = seen.iter().map(|s| s.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        1,
        "only the forced 409: {statuses:?}"
    );
    for pair in seen.windows(2) {
        assert!(
            pair[1].at.duration_since(pair[0].at) >= FAKE_INTERVAL,
            "spaced: {seen:?}"
        );
    }

    // A bad token (FIO answers 500): the account shows the alert until a good run.
    fio.force(&[500]);
    let (status, body) = api
        .call(accounting, "POST", &download, Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(!body.to_string().contains(TOKEN));
    let (_, listed) = api
        .call(accounting, "GET", "/api/v1/bank/accounts", None)
        .await;
    assert_eq!(listed[0]["last_result"], "bad_token", "{listed}");
    assert!(
        listed[0]["last_error"].as_str().unwrap().contains("token"),
        "{listed}"
    );

    // Re-reading from the start books nothing twice.
    let (status, done) = api
        .call(accounting, "POST", &download, Some(json!({"after_id": 0})))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["new"].as_i64(), done["seen"].as_i64()),
        (Some(0), Some(1)),
        "{done}"
    );
    let (_, listed) = api
        .call(accounting, "GET", "/api/v1/bank/accounts", None)
        .await;
    assert_eq!(listed[0]["last_result"], "ok", "{listed}");

    // The poller downloads by itself and records its run.
    fio.book(
        TOKEN,
        FakeMovement::incoming(5002, date!(2026 - 12 - 05), 10.0, "999"),
    );
    let poller = fieldcase_server::money::poller::spawn(w.hub.state.clone());
    eventually("the poller's booking", WAIT, || {
        let api = Api::new(&w.hub.url);
        let key = accounting.clone();
        async move {
            let (_, moves) = api
                .call(
                    &key,
                    "GET",
                    "/api/v1/bank/movements?decision=receivable",
                    None,
                )
                .await;
            moves
                .as_array()
                .is_some_and(|m| m.iter().any(|m| m["fio_id"] == 5002))
        }
    })
    .await
    .unwrap();
    poller.abort();
    let (_, listed) = api
        .call(accounting, "GET", "/api/v1/bank/accounts", None)
        .await;
    assert!(
        listed[0]["next_run_at"].as_str().unwrap() > listed[0]["last_run_at"].as_str().unwrap(),
        "{listed}"
    );

    // The receivable is settled over the API: refused steps write nothing.
    let (status, open) = api
        .call(accounting, "GET", "/api/v1/bank/receivables", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open["ageing"][0], 1_000, "{open}");
    let id = open["open"][0]["id"].as_str().unwrap().to_owned();
    let settle = format!("/api/v1/bank/movements/{id}/settlement");
    let (status, body) = api
        .call(
            accounting,
            "POST",
            &settle,
            Some(json!({"steps": [{"kind": "allocate", "vs": "2026990101", "amount": 1_000}]})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the order owes nothing more: {body}"
    );
    let (status, body) = api
        .call(
            accounting,
            "POST",
            &settle,
            Some(json!({"steps": [{"kind": "gift", "amount": 1_000}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = api
        .call(
            &keys_by_role[&Role::Office],
            "POST",
            &settle,
            Some(json!({"steps": [{"kind": "write_off", "amount": 1_000, "reason": "drobné"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = api
        .call(
            accounting,
            "POST",
            &settle,
            Some(json!({"steps": [{"kind": "write_off", "amount": 1_000, "reason": "drobné"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, open) = api
        .call(accounting, "GET", "/api/v1/bank/receivables", None)
        .await;
    assert_eq!(open["open"].as_array().map(Vec::len), Some(0), "{open}");
    drop(phone);
    w.hub.stop().await.unwrap();
}
