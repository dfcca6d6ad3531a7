//! `/api/v1/customer-segments` (and the consents and notes it follows,
//! `/api/v1/customers/{id}/consents | notes`) with staff API keys over HTTP against a
//! real hub: only
//! the roles that keep segments use them; a segment is saved, counted, renamed and
//! deleted; bad input is a clear 4xx that saves nothing (unknown field, bad
//! criterion, taken name, unknown adviser); the export lists only the customers who
//! consent to its channel now, as CSV and as XLSX, and is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use calamine::Reader;
use fieldcase_server::api::keys::Scope;
use fieldcase_server::store::{AuditFilter, ClientRow};
use fieldcase_shared::{ClientId, Role};
use fieldcase_tests::api::{Api, STAFF, role_keys};
use fieldcase_tests::world::world;
use reqwest::StatusCode;
use serde_json::json;
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn segments_over_the_api() {
    let w = world().await;
    let store = w.hub.store.clone();
    let api = Api::new(&w.hub.url);
    let key_of = role_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let office = key_of[&Role::Office].clone();
    // Three customers in Kroměříž: one consents to e-mail, one withdrew it, one
    // never gave it (but consents to SMS).
    let ids = [ClientId::new(), ClientId::new(), ClientId::new()];
    let rows: Vec<ClientRow> = ["Alena", "Blanka", "Cecílie"]
        .iter()
        .zip(ids)
        .map(|(name, id)| ClientRow {
            id,
            adviser: Some(w.advisers[0]),
            first_name: (*name).into(),
            last_name: "Kroměřížská".into(),
            phone: format!("+420 603 111 {:03}", name.len()),
            email: format!("{}@example.cz", name.to_lowercase()),
            street: String::new(),
            city: "Kroměříž".into(),
            postal_code: "767 01".into(),
            created_at: OffsetDateTime::now_utc(),
        })
        .collect();
    store.insert_clients(&rows, &[]).await.unwrap();
    // Their consents, recorded over the API (bad input refused, nothing recorded).
    let ago = |minutes: i64| {
        (OffsetDateTime::now_utc() - time::Duration::minutes(minutes))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let consent = |who: usize, channel: &str, granted: bool, minutes: i64| {
        let (api, office, id) = (&api, &office, ids[who]);
        let body = json!({
            "channel": channel, "granted": granted, "given_at": ago(minutes), "place": "Prodejna"
        });
        async move {
            api.call(
                office,
                "POST",
                &format!("/api/v1/customers/{id}/consents"),
                Some(body),
            )
            .await
        }
    };
    for (who, channel, granted, minutes) in [
        (0, "email", true, 60),
        (1, "email", true, 60),
        (1, "email", false, 5),
        (2, "sms", true, 5),
    ] {
        let (status, body) = consent(who, channel, granted, minutes).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    for (body, want) in [
        (
            json!({"channel": "fax", "granted": true, "given_at": ago(1), "place": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"channel": "email", "granted": true, "given_at": "yesterday", "place": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"channel": "email", "granted": true, "given_at": ago(-600), "place": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"channel": "email", "granted": true, "given_at": ago(1), "place": " "}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"channel": "email", "granted": true, "given_at": ago(1)}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, answer) = api
            .call(
                &office,
                "POST",
                &format!("/api/v1/customers/{}/consents", ids[2]),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, want, "{body} → {answer}");
    }
    let (status, _) = api
        .call(
            &office,
            "POST",
            &format!("/api/v1/customers/{}/consents", ClientId::new()),
            Some(json!({
                "channel": "email", "granted": true, "given_at": ago(1), "place": "x"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A logged call, and the refusals of a note.
    let notes = format!("/api/v1/customers/{}/notes", ids[0]);
    let (status, _) = api
        .call(
            &office,
            "POST",
            &notes,
            Some(json!({"kind": "call_out", "body": "Nabídka slunečních brýlí"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for body in [
        json!({"kind": "fax", "body": "x"}),
        json!({"kind": "note", "body": "  "}),
    ] {
        let (status, _) = api.call(&office, "POST", &notes, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _) = api
        .call(
            &key_of[&Role::Lab],
            "POST",
            &notes,
            Some(json!({"kind": "note", "body": "x"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the lab does not write customers"
    );
    let (_, card) = api
        .call(
            &office,
            "GET",
            &format!("/api/v1/customers/{}", ids[1]),
            None,
        )
        .await;
    assert_eq!(card["email_consent"]["granted"], false, "{card}");

    // Only the office, customer service and admins use segments.
    for role in STAFF {
        let (status, _) = api
            .call(&key_of[&role], "GET", "/api/v1/customer-segments", None)
            .await;
        let marketer = fieldcase_server::customers::MARKETERS.contains(&role);
        assert_eq!(
            status,
            if marketer {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{role:?}"
        );
    }

    // Saved and counted.
    let (status, seg) = api
        .call(
            &office,
            "POST",
            "/api/v1/customer-segments",
            Some(json!({
                "name": "Kroměříž", "criteria": {"town": "kromeriz"}
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{seg}");
    assert_eq!(seg["customers"], 3);
    let id = seg["id"].as_str().unwrap().to_owned();
    let (status, n) = api
        .call(
            &office,
            "POST",
            "/api/v1/customer-segments/count",
            Some(json!({
                "criteria": {"postal_prefixes": ["767"], "email_consent": true}
            })),
        )
        .await;
    assert_eq!((status, n["customers"].clone()), (StatusCode::OK, json!(1)));

    // Bad input: nothing saved.
    for (body, want) in [
        (
            json!({"name": "X", "criteria": {"colour": "red"}}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"name": "X", "criteria": {"no_order_months": 0}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "X", "criteria": {"postal_prefixes": ["7a"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "  ", "criteria": {}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "Kroměříž", "criteria": {}}),
            StatusCode::CONFLICT,
        ),
        (
            json!({"name": "X", "criteria": {"adviser": ClientId::new().to_string()}}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, answer) = api
            .call(
                &office,
                "POST",
                "/api/v1/customer-segments",
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, want, "{body} → {answer}");
    }
    let (_, list) = api
        .call(&office, "GET", "/api/v1/customer-segments", None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");

    // The export: only who consents to the channel now.
    let (status, csv) = api
        .call(
            &office,
            "GET",
            &format!("/api/v1/customer-segments/{id}/export?channel=email&format=csv"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        csv.as_str().unwrap(),
        "\u{feff}first_name;last_name;email;town\nAlena;Kroměřížská;alena@example.cz;Kroměříž\n"
    );
    let resp = api
        .http
        .get(format!(
            "{}/api/v1/customer-segments/{id}/export?channel=sms&format=xlsx",
            w.hub.url
        ))
        .bearer_auth(&office)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("kromeriz-sms-")
    );
    let bytes = resp.bytes().await.unwrap();
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        cells,
        [
            vec!["first_name", "last_name", "phone", "town"],
            vec!["Cecílie", "Kroměřížská", "+420 603 111 008", "Kroměříž"],
        ]
    );
    let (status, _) = api
        .call(
            &office,
            "GET",
            &format!("/api/v1/customer-segments/{id}/export?channel=fax"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .call(
            &key_of[&Role::Store],
            "GET",
            &format!("/api/v1/customer-segments/{id}/export"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a store may not export");
    let audit = store
        .list_audit(&AuditFilter {
            action: "segment.export".into(),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);

    // Renamed, then deleted.
    let (status, seg) = api
        .call(
            &office,
            "PUT",
            &format!("/api/v1/customer-segments/{id}"),
            Some(json!({
                "name": "Kroměříž – SMS", "criteria": {"town": "Kroměříž", "sms_consent": true}
            })),
        )
        .await;
    assert_eq!(
        (status, seg["customers"].clone()),
        (StatusCode::OK, json!(1)),
        "{seg}"
    );
    let (status, _) = api
        .call(
            &office,
            "DELETE",
            &format!("/api/v1/customer-segments/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api
        .call(
            &office,
            "DELETE",
            &format!("/api/v1/customer-segments/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
