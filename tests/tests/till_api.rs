//! The tills over the JSON API (issue 13, point 5): a store's key opens its
//! shop's shift, sells, refunds, puts cash in and closes with the Z report;
//! refusals come with their status and field (no key 401, another shop's staff
//! or a reading key 403, a second open 409, an unknown product 422), and the
//! receipt and the Z report come as PDFs. An adviser's order paid at the till
//! shows paid on the adviser's phone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::access as keys;
use fieldcase_server::api::keys::Scope;
use fieldcase_server::catalog::store::{Attributes, Product, ProductKind};
use fieldcase_server::store::{Actor, NewUser};
use fieldcase_shared::docs::order_info::{ORDER_INFO, OrderInfoRecord};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{Lang, Money, ProductId, Role};
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::device::eventually;
use fieldcase_tests::world::{WAIT, read, world};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shift_over_the_api() {
    let w = world().await;
    let store = w.hub.store.clone();
    let api = Api::new(&w.hub.url);
    let shop = store.list_shops().await.unwrap().remove(0);
    store
        .insert_products(&[Product {
            id: ProductId::new(),
            sku: "SERVIS-API".into(),
            kind: ProductKind::Service,
            name: "Seřízení brýlí".into(),
            brand: String::new(),
            colour: String::new(),
            size: String::new(),
            price: Money::from_czk(150),
            vat_bp: 2100,
            attrs: Attributes::default(),
        }])
        .await
        .unwrap();
    let system = Actor::system("test");
    let clerk = store
        .create_user(
            &system,
            &NewUser {
                email: "pokladna@example.cz".into(),
                name: "Pokladní".into(),
                password_hash: "x".into(),
                role: Role::Store,
                shop: Some(shop.id),
                lang: Lang::Cs,
            },
        )
        .await
        .unwrap();
    let scopes = [Scope::MoneyRead, Scope::MoneyWrite];
    let (_, key) = keys::create(store.as_ref(), &system, clerk.id, "till", &scopes)
        .await
        .unwrap();
    let others = role_keys(store.as_ref(), &scopes).await;
    let reader = reader_key(&w).await;
    let base = format!("/api/v1/tills/{}", shop.code);

    let (status, _) = api.call("", "GET", &format!("{base}/shift"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = api.call(&key, "GET", &format!("{base}/shift"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no shift open yet");
    // A store user of no shop, and a key that only reads, may not open it.
    let (status, _) = api
        .call(
            &others[&Role::Store],
            "POST",
            &format!("{base}/shift"),
            Some(json!({"float": 100_000})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api
        .call(
            &reader,
            "POST",
            &format!("{base}/shift"),
            Some(json!({"float": 100_000})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = api
        .call(
            &key,
            "POST",
            &format!("{base}/shift"),
            Some(json!({"float": 100_000})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["float"], 100_000);
    let (status, _) = api
        .call(
            &key,
            "POST",
            &format!("{base}/shift"),
            Some(json!({"float": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Sales: an unknown product is refused with its field; two services, one by card.
    let (status, body) = api
        .call(
            &key,
            "POST",
            &format!("{base}/sales"),
            Some(json!({"items": [{"sku": "NIC", "quantity": 1}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("items[0].sku"), "{body}");
    let (status, sale) = api
        .call(
            &key,
            "POST",
            &format!("{base}/sales"),
            Some(json!({"items": [{"sku": "SERVIS-API", "quantity": 2}]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sale}");
    assert_eq!(
        (sale["total"].as_i64(), sale["cash"].as_i64()),
        (Some(30_000), Some(30_000))
    );
    assert_eq!(sale["lines"][0]["vat_bp"], 2100);
    let (status, by_card) = api
        .call(
            &key,
            "POST",
            &format!("{base}/sales"),
            Some(json!({"items": [{"sku": "SERVIS-API", "quantity": 1}], "card": 15_000})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{by_card}");
    // A refund of half the first receipt, a bad voucher, a good one.
    let (status, refund) = api
        .call(
            &key,
            "POST",
            &format!("{base}/refunds"),
            Some(json!({"receipt": sale["id"], "amount": 15_000, "reason": "jen jedno seřízení"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["total"], -15_000);
    let (status, _) = api
        .call(
            &key,
            "POST",
            &format!("{base}/vouchers"),
            Some(json!({"kind": "sideways", "amount": 100, "reason": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .call(
            &key,
            "POST",
            &format!("{base}/vouchers"),
            Some(json!({"kind": "in", "amount": 50_000, "reason": "drobné"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // An adviser's order paid in part at the till: the phone sees it.
    let (_phone, ws, client) = w
        .phone_with_client(
            w.advisers[0],
            ClientRecord {
                first_name: "Jana".into(),
                last_name: "Nováková".into(),
                ..Default::default()
            },
        )
        .await;
    let order = w.phone_order(&ws, client, "2026880101").await;
    let (status, paid) = api
        .call(
            &key,
            "POST",
            &format!("{base}/sales"),
            Some(json!({"vs": "2026880101", "amount": 100_000, "card": 100_000})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    assert_eq!(paid["lines"][0]["vat_bp"], 2100, "the order's rate");
    let key_of = order.to_string();
    eventually("the till's payment on the phone", WAIT, || {
        let (ws, key_of) = (ws.clone(), key_of.clone());
        async move {
            read::<OrderInfoRecord>(&ws, ORDER_INFO, &key_of).is_some_and(|i| i.settled == 100_000)
        }
    })
    .await
    .unwrap();

    // The reader sees the open shift; the clerk closes it 10 Kč over.
    let (status, current) = api
        .call(&reader, "GET", &format!("{base}/shift"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{current}");
    assert_eq!(current["entries"].as_array().unwrap().len(), 5);
    let expected = 100_000 + 30_000 - 15_000 + 50_000;
    assert_eq!(current["report"]["expected"], expected);
    let (status, z) = api
        .call(
            &key,
            "POST",
            &format!("{base}/shift/close"),
            Some(json!({"counted": expected + 1_000, "note": "navíc"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{z}");
    assert_eq!(z["shift"]["difference"], 1_000);
    assert_eq!(z["turnover"], 130_000);
    assert_eq!(z["sales"]["card"], 115_000);
    let (status, _) = api
        .call(
            &key,
            "POST",
            &format!("{base}/shift/close"),
            Some(json!({"counted": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "closed already");

    let (status, shifts) = api
        .call(
            &reader,
            "GET",
            &format!("/api/v1/tills/shifts?shop={}", shop.code),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let id = shifts[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(shifts[0]["counted"], expected + 1_000);
    let (status, _) = api
        .call(&reader, "GET", "/api/v1/tills/shifts?date=yesterday", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for path in [
        format!("/api/v1/tills/shifts/{id}/report?format=pdf"),
        format!("/api/v1/tills/entries/{}/pdf", sale["id"].as_str().unwrap()),
    ] {
        let resp = api
            .http
            .get(format!("{}{path}", api.url))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        assert!(resp.bytes().await.unwrap().starts_with(b"%PDF"));
    }
}

/// An accounting user's key that only reads money.
async fn reader_key(w: &fieldcase_tests::world::World) -> String {
    let store = w.hub.store.clone();
    let system = Actor::system("test");
    let user = store
        .create_user(
            &system,
            &NewUser {
                email: "cte@example.cz".into(),
                name: "Čtenář".into(),
                password_hash: "x".into(),
                role: Role::Accounting,
                shop: None,
                lang: Lang::Cs,
            },
        )
        .await
        .unwrap();
    keys::create(
        store.as_ref(),
        &system,
        user.id,
        "read",
        &[Scope::MoneyRead],
    )
    .await
    .unwrap()
    .1
}
