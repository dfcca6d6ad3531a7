//! The Pohoda export over the JSON API (issue 13, point 6): accounting exports a
//! day (the dataPack in Windows-1250), reads the day's documents with their
//! states, and posts Pohoda's response pack, which marks them; refusals come
//! with their status (no key 401, the store's role 403, not a day or not a
//! response pack 422), and a hub without the company's details refuses to
//! export.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::keys::Scope;
use fieldcase_server::money::invoicing::today;
use fieldcase_server::money::till::service::{self, Clerk};
use fieldcase_server::store::Actor;
use fieldcase_shared::{Money, Role};
use fieldcase_tests::TestDb;
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::world::world_configured;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_exported_and_answered_over_the_api() {
    let company = fieldcase_tests::bank::company();
    let w = world_configured(TestDb::for_sync().await.unwrap(), move |c| {
        c.payee_name = company.payee_name;
        c.company_ico = company.company_ico;
    })
    .await;
    let store = w.hub.store.clone();
    let api = Api::new(&w.hub.url);
    let keys = role_keys(store.as_ref(), &[Scope::MoneyRead, Scope::MoneyWrite]).await;
    let accounting = &keys[&Role::Accounting];
    // A cash voucher at the first shop's till: the day's one document.
    let admin = Clerk {
        actor: Actor::system("test"),
        role: Role::Admin,
        shop: None,
    };
    let shop = store.list_shops().await.unwrap().remove(0);
    service::open(store.as_ref(), &admin, shop.id, Money::ZERO)
        .await
        .unwrap();
    let voucher = service::voucher(
        store.as_ref(),
        &admin,
        shop.id,
        false,
        Money::from_czk(500),
        "drobné",
    )
    .await
    .unwrap();
    let day = today().to_string();

    let (status, _) = api
        .call(
            "",
            "POST",
            "/api/v1/pohoda/exports",
            Some(json!({"date": day})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = api
        .call(
            &keys[&Role::Store],
            "POST",
            "/api/v1/pohoda/exports",
            Some(json!({"date": day})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = api
        .call(
            accounting,
            "POST",
            "/api/v1/pohoda/exports",
            Some(json!({"date": "včera"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let resp = api
        .http
        .post(format!("{}/api/v1/pohoda/exports", api.url))
        .bearer_auth(accounting)
        .json(&json!({"date": day}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-type"],
        "application/xml; charset=windows-1250"
    );
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"Windows-1250\"?>"));
    // "drobné": é is 0xE9 in Windows-1250.
    assert!(bytes.windows(7).any(|w| w == b"drobn\xE9<"));
    assert!(
        bytes
            .windows(voucher.number.len())
            .any(|w| w == voucher.number.as_bytes())
    );

    let (status, docs) = api
        .call(
            accounting,
            "GET",
            &format!("/api/v1/pohoda/documents?date={day}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{docs}");
    assert_eq!(docs[0]["number"], voucher.number.as_str());
    assert_eq!(docs[0]["state"], "exported");

    let answer = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rsp:responsePack version=\"2.0\" id=\"x\" state=\"ok\" \
         xmlns:rsp=\"http://www.stormware.cz/schema/version_2/response.xsd\">\
         <rsp:responsePackItem version=\"2.0\" id=\"{}\" state=\"ok\"/></rsp:responsePack>",
        voucher.number
    );
    let post = |body: String| {
        let api = &api;
        async move {
            api.http
                .post(format!("{}/api/v1/pohoda/responses", api.url))
                .bearer_auth(accounting)
                .header("content-type", "application/xml")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let bad = post("<nope/>".into()).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let good = post(answer).await;
    assert_eq!(good.status(), StatusCode::OK);
    let marked: serde_json::Value = good.json().await.unwrap();
    assert_eq!(marked["marked"], 1);
    let (_, docs) = api
        .call(
            accounting,
            "GET",
            &format!("/api/v1/pohoda/documents?date={day}"),
            None,
        )
        .await;
    assert_eq!(docs[0]["state"], "ok");
}
