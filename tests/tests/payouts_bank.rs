//! A payout batch sent to the bank (issue 14, slice 3): the production FIO client
//! uploads the batch's payment orders to the fake FIO's import endpoint on
//! loopback, which refuses one payee's account; the bank's word is recorded per
//! payment (the refused request rejected, the adviser's phone told why), the
//! batch is marked paid and the paid adviser's phone gets the payout line and
//! sees the request paid.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_server::api::keys::Scope;
use fieldcase_server::commission::payouts::{self, AccountInput};
use fieldcase_shared::docs::commission::{
    COMMISSION, CommissionEntryRecord, PAYOUT_REQUESTS, PayoutRequestRecord,
};
use fieldcase_shared::docs::records;
use fieldcase_shared::{Money, Role};
use fieldcase_tests::TestDb;
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::device::eventually;
use fieldcase_tests::fake_fio::FakeFio;
use fieldcase_tests::world::{WAIT, read, world_configured};
use reqwest::StatusCode;
use serde_json::json;
use time::macros::date;

const TOKEN: &str = "fioTokenUctuProTesty0123456789abcdef";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_goes_to_the_bank_and_the_phones_follow() {
    let fio = FakeFio::start(Duration::from_millis(200), date!(2026 - 12 - 05)).await;
    fio.account(TOKEN);
    fio.refuse("2000145399/0800", 1013, "Neplatné číslo účtu příjemce");
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
    let state = w.hub.state.clone();
    let (a, b) = (w.advisers[0], w.advisers[1]);
    let phone_a = w.device(a).await;
    let ws_a = phone_a
        .find(&phone_a.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();

    // The company's account with a token allowed to submit orders.
    let api = Api::new(&w.hub.url);
    let keys_by_role = role_keys(store.as_ref(), &[Scope::MoneyRead, Scope::MoneyWrite]).await;
    let (status, body) = api
        .call(
            &keys_by_role[&Role::Accounting],
            "POST",
            "/api/v1/bank/accounts",
            Some(
                json!({"name": "Hlavní", "iban": "CZ65 0800 0000 1920 0014 5399", "token": TOKEN}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let account: uuid::Uuid = body.as_str().unwrap().parse().unwrap();

    // Both advisers earned 5 000 Kč and have accounts; B's the bank refuses.
    let office = &w.office;
    for (adviser, number) in [(a, "19-2000145399"), (b, "2000145399")] {
        state
            .sync
            .add_commission_entry(
                office,
                adviser,
                &CommissionEntryRecord {
                    kind: "accrual".into(),
                    amount: Money::from_czk(5_000).haler(),
                    at: "2026-12-01T10:00:00Z".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let input = AccountInput {
            account: number.into(),
            bank_code: "0800".into(),
            ..AccountInput::default()
        };
        payouts::set_account(&state, office, Role::Admin, adviser, &input)
            .await
            .unwrap();
    }
    // A bad account is refused with its field.
    let bad = AccountInput {
        account: "12-2000145399".into(),
        bank_code: "0800".into(),
        ..AccountInput::default()
    };
    let e = payouts::set_account(&state, office, Role::Admin, a, &bad)
        .await
        .unwrap_err();
    assert!(
        e.text(fieldcase_shared::Lang::En).starts_with("account"),
        "{e:?}"
    );

    // The phone asks for 2 000 Kč; the hub accepts it.
    let mine = uuid::Uuid::now_v7().to_string();
    fieldcase_tests::world::write(
        &ws_a,
        PAYOUT_REQUESTS,
        mine.clone(),
        PayoutRequestRecord {
            amount: Money::from_czk(2_000).haler(),
            requested_at: "2026-12-05T08:00:00Z".into(),
            note: "na dovolenou".into(),
            ..Default::default()
        },
    );
    eventually("the request judged", WAIT, || {
        let ws = ws_a.clone();
        let mine = mine.clone();
        async move {
            read::<PayoutRequestRecord>(&ws, PAYOUT_REQUESTS, &mine)
                .is_some_and(|r| r.status == "accepted")
        }
    })
    .await
    .unwrap();
    let request_b = payouts::request(
        &state,
        office,
        Role::Accounting,
        b,
        Money::from_czk(1_000),
        "",
    )
    .await
    .unwrap();
    // Approved (under the limit: one approver each; the office's own request by
    // someone else).
    let rows = store
        .payout_rows(true, Money::from_czk(5_000))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let accountant = fieldcase_server::store::Actor::user(
        &store
            .create_user(
                &fieldcase_server::store::Actor::system("test"),
                &fieldcase_server::store::NewUser {
                    email: "ucetni@example.cz".into(),
                    name: "Účetní".into(),
                    password_hash: "x".into(),
                    role: Role::Accounting,
                    shop: None,
                    lang: fieldcase_shared::Lang::Cs,
                },
            )
            .await
            .unwrap(),
    );
    for r in &rows {
        payouts::approve(&state, &accountant, Role::Accounting, r.id)
            .await
            .unwrap();
    }
    let e = payouts::approve(&state, office, Role::Office, request_b)
        .await
        .unwrap_err();
    assert!(
        matches!(e, payouts::PayoutFailure::Refused(_)),
        "the office does not approve"
    );

    // The batch goes to the bank: A's payment taken, B's refused.
    let batch = payouts::batch(&state, office, Role::Admin, account, date!(2026 - 12 - 07))
        .await
        .unwrap();
    assert_eq!(batch.items.len(), 2);
    let result = payouts::send(&state, office, Role::Admin, batch.id, account)
        .await
        .unwrap();
    assert_eq!(
        (result.error_code, result.instruction.as_str()),
        (1, "105783812")
    );
    assert_eq!(fio.uploads().len(), 1);
    let sent =
        fieldcase_tests::xml::parse(std::str::from_utf8(&fio.uploads()[0]).unwrap()).unwrap();
    assert_eq!(
        sent.at("Orders")
            .unwrap()
            .all("DomesticTransaction")
            .count(),
        2
    );
    assert_eq!(
        sent.at("Orders").unwrap().children[0].text_at("accountFrom"),
        "19-2000145399",
        "paid from the company's account"
    );
    let batches = store.payout_batches().await.unwrap();
    let items = &batches[0].items;
    assert_eq!(
        items
            .iter()
            .map(|i| (i.result.as_str(), i.message.as_str()))
            .collect::<Vec<_>>(),
        [("ok", "OK"), ("refused", "Neplatné číslo účtu příjemce")]
    );

    // Marked paid: A's phone gets the payout line and sees the request paid.
    assert_eq!(
        payouts::paid(&state, office, Role::Admin, batch.id)
            .await
            .unwrap(),
        1
    );
    eventually("the payout on A's phone", WAIT, || {
        let ws = ws_a.clone();
        let mine = mine.clone();
        async move {
            let paid = read::<PayoutRequestRecord>(&ws, PAYOUT_REQUESTS, &mine)
                .is_some_and(|r| r.status == "paid");
            let line = ws
                .with_document(|d| records::all::<CommissionEntryRecord, _>(d, COMMISSION))
                .iter()
                .any(|(_, e)| e.kind == "payout" && e.amount == -200_000);
            paid && line
        }
    })
    .await
    .unwrap();
    assert_eq!(store.payout_available(a).await.unwrap(), 300_000);
    assert_eq!(
        store.payout_available(b).await.unwrap(),
        500_000,
        "B's money is free again"
    );
    drop(phone_a);
}
