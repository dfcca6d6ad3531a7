//! GDPR export (issue 12, point 7, first part): everything the hub holds about one
//! customer — contacts, consents, notes, prescriptions, orders with their lines,
//! reminders, price terms — as JSON over the API and as a PDF whose text (read back
//! with poppler's `pdftotext`) names the customer and their order; only the roles
//! that handle customers' requests get it, and every export is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::api::keys::Scope;
use fieldcase_server::customers::gdpr;
use fieldcase_server::store::{AuditFilter, ClientRow, PrescriptionRow};
use fieldcase_shared::{ClientId, Lang, PrescriptionId, Role};
use fieldcase_tests::api::{Api, role_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;
use serde_json::json;
use time::{Duration, OffsetDateTime};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_personal_data_as_json_and_pdf() {
    let w = world().await;
    let store = w.hub.store.clone();
    let api = Api::new(&w.hub.url);
    let keys = role_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let id = ClientId::new();
    let today = OffsetDateTime::now_utc().date();
    store
        .insert_clients(
            &[ClientRow {
                id,
                adviser: Some(w.advisers[0]),
                first_name: "Žofie".into(),
                last_name: "Přehledná".into(),
                phone: "+420 777 123 456".into(),
                email: "zofie@example.cz".into(),
                street: "Dlouhá 5".into(),
                city: "Třeboň".into(),
                postal_code: "379 01".into(),
                created_at: OffsetDateTime::now_utc() - Duration::days(30),
            }],
            &[PrescriptionRow {
                id: PrescriptionId::new(),
                client: id,
                measured_by: "Optometristka Nová".into(),
                measured_on: today - Duration::days(20),
                valid_until: today + Duration::days(700),
                data: json!({}),
            }],
        )
        .await
        .unwrap();
    let office = &keys[&Role::Office];
    let (status, _) = api
        .call(
            office,
            "POST",
            &format!("/api/v1/customers/{id}/notes"),
            Some(json!({"kind": "call_in", "body": "Ptala se na progresivní čočky"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // A store may not; customer service may.
    let path = format!("/api/v1/customers/{id}/personal-data");
    let (status, _) = api.call(&keys[&Role::Store], "GET", &path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api
        .call(
            &keys[&Role::CustomerService],
            "GET",
            &format!("/api/v1/customers/{}/personal-data", ClientId::new()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, data) = api
        .call(&keys[&Role::CustomerService], "GET", &path, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{data}");
    assert_eq!(data["customer"]["fields"]["last_name"], "Přehledná");
    assert_eq!(data["customer"]["fields"]["email"], "zofie@example.cz");
    assert_eq!(
        data["customer"]["prescriptions"][0]["measured_by"],
        "Optometristka Nová"
    );
    assert_eq!(
        data["customer"]["history"][0]["body"],
        "Ptala se na progresivní čočky"
    );
    assert!(data["orders"].as_array().unwrap().is_empty());
    assert!(
        data["exported_by"]
            .as_str()
            .unwrap()
            .starts_with("api-customer_service"),
        "{data}"
    );

    // The PDF says the same, as text.
    let actor = fieldcase_server::store::Actor::system("test");
    let whole = gdpr::gather(&w.hub.state, &actor, id)
        .await
        .unwrap()
        .unwrap();
    let bytes = gdpr::pdf(&whole, Lang::Cs).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) is installed");
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "Osobní údaje: Žofie Přehledná",
        "zofie@example.cz",
        "379 01 Třeboň",
        "Ptala se na progresivní čočky",
        "Optometristka Nová",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    // Every export is audited.
    let audit = store
        .list_audit(&AuditFilter {
            action: "customer.export".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    w.hub.stop().await.unwrap();
}
