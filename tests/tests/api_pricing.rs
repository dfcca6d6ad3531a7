//! `/api/v1/coupons`, `/api/v1/discount-tiers` and `/api/v1/customers/{id}/terms`
//! with staff API keys over HTTP against a real hub: the office creates a limited
//! coupon, a tier and a customer's terms; bad input is a clear 4xx that saves
//! nothing (a percentage over 100, an unknown customer or tier, a bad class); roles
//! that do not set prices may read but not change; the catalog document the phones
//! get holds what was saved.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::keys::Scope;
use fieldcase_server::store::ClientRow;
use fieldcase_shared::docs::{catalog, records};
use fieldcase_shared::{ClientId, Role};
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;
use serde_json::json;
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coupons_tiers_and_terms_over_the_api() {
    let w = world().await;
    let store = w.hub.store.clone();
    let api = Api::new(&w.hub.url);
    let keys = role_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let (office, shop) = (&keys[&Role::Office], &keys[&Role::Store]);
    let client = ClientId::new();
    store
        .insert_clients(
            &[ClientRow {
                id: client,
                adviser: Some(w.advisers[0]),
                first_name: "Optika".into(),
                last_name: "Firma s.r.o.".into(),
                phone: String::new(),
                email: String::new(),
                street: String::new(),
                city: "Brno".into(),
                postal_code: "602 00".into(),
                created_at: OffsetDateTime::now_utc(),
            }],
            &[],
        )
        .await
        .unwrap();

    // A coupon: bad terms are refused with the field, nothing saved.
    let put = |path: String, body| {
        let api = &api;
        async move { api.call(office, "PUT", &path, Some(body)).await }
    };
    let (status, body) = put("/api/v1/coupons/leto".into(), json!({"percent": "150"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "percent", "{body}");
    let (status, _) = put(
        "/api/v1/coupons/leto".into(),
        json!({"percent": "10", "client": uuid::Uuid::now_v7().to_string()}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown customer");
    let (status, body) = put(
        "/api/v1/coupons/leto".into(),
        json!({"percent": "10", "max_uses": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = put(
        "/api/v1/coupons/leto".into(),
        json!({"percent": "10", "nonsense": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(store.coupons().await.unwrap().is_empty(), "nothing saved");
    let (status, body) = put(
        "/api/v1/coupons/leto 26".into(),
        json!({"percent": "7,5", "max_uses": 50, "message": "Letní akce", "valid_until": "2099-08-31"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            body["code"].as_str(),
            body["percent_bp"].as_u64(),
            body["max_uses"].as_u64(),
            body["uses"].as_i64()
        ),
        (Some("LETO26"), Some(750), Some(50), Some(0))
    );
    // A store may read, not change.
    let (status, list) = api.call(shop, "GET", "/api/v1/coupons", None).await;
    assert_eq!(
        (status, list[0]["code"].as_str()),
        (StatusCode::OK, Some("LETO26"))
    );
    let (status, _) = api
        .call(
            shop,
            "PUT",
            "/api/v1/coupons/leto26",
            Some(json!({"percent": "90"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A tier, then the customer's terms.
    let (status, body) = put(
        "/api/v1/discount-tiers/b2b".into(),
        json!({"name": "Firmy", "classes": {"fr ame": 1500}}),
    )
    .await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("classes")),
        "{body}"
    );
    let (status, body) = put(
        "/api/v1/discount-tiers/b2b".into(),
        json!({"name": "Firmy", "classes": {"frame": 1500, "lens": 800}}),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::OK, Some("B2B")),
        "{body}"
    );
    let terms = format!("/api/v1/customers/{client}/terms");
    let (status, _) = put(
        terms.clone(),
        json!({"min_discount_bp": 500, "tier": "VIP"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown tier");
    let (status, _) = put(terms.clone(), json!({"min_discount_bp": 20_000})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = put(
        format!("/api/v1/customers/{}/terms", ClientId::new()),
        json!({"min_discount_bp": 500}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an unknown customer");
    let (status, _) = api
        .call(shop, "PUT", &terms, Some(json!({"min_discount_bp": 500})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = put(
        terms.clone(),
        json!({"min_discount_bp": 750, "tier": "b2b"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api.call(shop, "GET", &terms, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"min_discount_bp": 750, "tier": "B2B"}));

    // The phones' catalog document has all three.
    let handle = w.hub.catalog().await;
    handle.with_document(|d| {
        let c: catalog::CouponRecord = records::get(d, catalog::COUPONS, "LETO26")
            .unwrap()
            .unwrap();
        assert_eq!(c.max_uses, 50);
        let t: catalog::TierRecord = records::get(d, catalog::DISCOUNT_TIERS, "B2B")
            .unwrap()
            .unwrap();
        assert_eq!(t.classes.get("lens"), Some(&800));
        let terms: catalog::CustomerTermsRecord =
            records::get(d, catalog::CUSTOMER_TERMS, &client.to_string())
                .unwrap()
                .unwrap();
        assert_eq!((terms.min_discount_bp, terms.tier.as_str()), (750, "B2B"));
    });
    // Every change is audited.
    let audit = store
        .list_audit(&fieldcase_server::store::AuditFilter::default())
        .await
        .unwrap();
    for action in ["coupon.put", "tier.put", "customer.terms"] {
        assert!(audit.iter().any(|a| a.action == action), "{action} audited");
    }
    w.hub.stop().await.unwrap();
}
