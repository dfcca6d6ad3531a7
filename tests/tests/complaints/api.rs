//! Complaints over the JSON API and the command line: receiving (bad input
//! refused, nothing saved), reading, deciding once (the order moves: in
//! complaint while open, closed by a repair), the lab's task listed and done once,
//! a forward to accounting, the adviser's phone told; the CLI decides and notes.

use std::sync::Arc;

use fieldcase_server::blobs::Blobs;
use fieldcase_server::complaints::{About, Opener, open};
use fieldcase_server::store::{Actor, OrderStore, SqlStore, Store};
use fieldcase_shared::{OrderStatus, Role};

pub async fn complaints_over_the_api_and_the_command_line(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    use fieldcase_server::api::keys::Scope;
    use fieldcase_server::complaints::cli::{ComplaintCommand, run};
    use fieldcase_tests::api::{Api, staff_keys};
    use reqwest::StatusCode;
    use serde_json::json;

    let seeded = fieldcase_tests::complaints::seed(store.as_ref()).await?;
    let dyn_store: Arc<dyn Store> = store.clone();
    let hub = fieldcase_tests::TestHub::start(dyn_store.clone()).await?;
    let api = Api::new(&hub.url);
    let keys = staff_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let (_, reader) = fieldcase_server::api::access::create(
        store.as_ref(),
        &Actor::system("test"),
        keys[&Role::Office].1,
        "read only",
        &[Scope::CustomersRead],
    )
    .await?;
    let (care, lab) = (&keys[&Role::CustomerService].0, &keys[&Role::Lab].0);

    // Receiving: bad input is refused, nothing saved.
    for (body, status) in [
        (
            json!({"order": "7100000001", "items": [], "reason": "Škrábe"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"order": "7100000001", "items": [9], "reason": "Škrábe"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"order": "7100000001", "items": [2], "reason": " "}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"order": "7100000002", "items": [1], "reason": "Škrábe"}),
            StatusCode::CONFLICT,
        ),
        (
            json!({"order": "9999999999", "items": [1], "reason": "Škrábe"}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"order": "7100000001"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (got, answer) = api
            .call(care, "POST", "/api/v1/complaints", Some(body.clone()))
            .await;
        assert!(
            got == status
                || (got == StatusCode::BAD_REQUEST && status == StatusCode::UNPROCESSABLE_ENTITY),
            "{body}: {got} {answer}"
        );
    }
    let good = json!({"order": "7100000001", "items": [2], "reason": "Škrábanec"});
    let (got, _) = api
        .call(&reader, "POST", "/api/v1/complaints", Some(good.clone()))
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN, "a read-only key");
    let (got, _) = api
        .call(lab, "POST", "/api/v1/complaints", Some(good.clone()))
        .await;
    assert_eq!(
        got,
        StatusCode::FORBIDDEN,
        "the lab does not receive complaints"
    );
    let (got, list) = api.call(care, "GET", "/api/v1/complaints", None).await;
    assert_eq!((got, list), (StatusCode::OK, json!([])));

    let (got, opened) = api
        .call(care, "POST", "/api/v1/complaints", Some(good))
        .await;
    assert_eq!(got, StatusCode::CREATED, "{opened}");
    assert_eq!(opened["number"], "R7100000001-1");
    let status = async || store.order_status(seeded.delivered).await.unwrap();
    assert_eq!(
        status().await,
        Some(OrderStatus::Complaint),
        "the order is in complaint"
    );
    let id = opened["id"].as_str().unwrap().to_owned();
    // The adviser's phone is told: the order's information in their workspace.
    let on_phone = async || {
        use fieldcase_shared::docs::order_info::{ORDER_INFO, OrderInfoRecord};
        let doc = hub
            .state
            .sync
            .ensure_workspace(seeded.adviser)
            .await
            .unwrap();
        let handle = hub.state.sync.repo().find(doc).await.unwrap().unwrap();
        let info: OrderInfoRecord = handle
            .with_document(|d| {
                fieldcase_shared::docs::records::get(d, ORDER_INFO, &seeded.delivered.to_string())
            })
            .unwrap()
            .unwrap();
        info.complaints
    };
    let told = on_phone().await;
    assert_eq!(
        (
            told.len(),
            told[0].number.as_str(),
            told[0].decision.as_str()
        ),
        (1, "R7100000001-1", "")
    );
    let (got, one) = api
        .call(lab, "GET", &format!("/api/v1/complaints/{id}"), None)
        .await;
    assert_eq!(got, StatusCode::OK, "the lab reads complaints");
    assert_eq!(one["items"], json!(["Čočka Essilor 1.6"]));
    assert_eq!(one["opened_via"], "care");
    assert_eq!(one["decision"], serde_json::Value::Null);

    // Deciding once; a rejection says why; the lab may not decide.
    let path = format!("/api/v1/complaints/{id}/decision");
    let (got, _) = api
        .call(care, "POST", &path, Some(json!({"decision": "reject"})))
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    let (got, _) = api
        .call(lab, "POST", &path, Some(json!({"decision": "repair"})))
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN);
    let (got, answer) = api
        .call(
            care,
            "POST",
            &path,
            Some(json!({"decision": "repair", "reason": "Vyměníme pant."})),
        )
        .await;
    assert_eq!(got, StatusCode::NO_CONTENT, "{answer}");
    let (got, _) = api
        .call(care, "POST", &path, Some(json!({"decision": "repair"})))
        .await;
    assert_eq!(got, StatusCode::CONFLICT);
    assert_eq!(
        status().await,
        Some(OrderStatus::Closed),
        "a repair settles it"
    );
    let (_, tasks) = api
        .call(lab, "GET", "/api/v1/complaints/tasks?team=lab", None)
        .await;
    assert_eq!(tasks.as_array().map(Vec::len), Some(1), "{tasks}");
    assert_eq!(tasks[0]["complaint"], "R7100000001-1");
    let (got, _) = api
        .call(lab, "GET", "/api/v1/complaints/tasks?team=sklad", None)
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    let task = tasks[0]["id"].as_str().unwrap().to_owned();
    let (got, forwarded) = api
        .call(
            care,
            "POST",
            &format!("/api/v1/complaints/{id}/tasks"),
            Some(json!({"team": "accounting", "body": "Vrátit poštovné."})),
        )
        .await;
    assert_eq!(got, StatusCode::CREATED, "{forwarded}");
    let money = forwarded["id"].as_str().unwrap().to_owned();
    let (got, _) = api
        .call(
            lab,
            "POST",
            &format!("/api/v1/complaints/tasks/{money}/done"),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN, "accounting's task");
    let (got, _) = api
        .call(
            lab,
            "POST",
            &format!("/api/v1/complaints/tasks/{task}/done"),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::NO_CONTENT);
    let (got, _) = api
        .call(
            lab,
            "POST",
            &format!("/api/v1/complaints/tasks/{task}/done"),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::CONFLICT, "done once");
    let told = on_phone().await;
    assert_eq!(
        (told[0].decision.as_str(), told[0].decision_reason.as_str()),
        ("repair", "Vyměníme pant.")
    );
    let (got, _) = api
        .call(
            care,
            "POST",
            &format!("/api/v1/complaints/{id}/notes"),
            Some(json!({"body": "Voláno."})),
        )
        .await;
    assert_eq!(got, StatusCode::NO_CONTENT);
    let (_, one) = api
        .call(care, "GET", &format!("/api/v1/complaints/{id}"), None)
        .await;
    assert_eq!(
        (one["decision"].clone(), one["notes"][0]["body"].clone()),
        (json!("repair"), json!("Voláno."))
    );
    let (got, _) = api
        .call(
            care,
            "GET",
            &format!("/api/v1/complaints/{}", uuid::Uuid::now_v7()),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    let (_, still_open) = api
        .call(care, "GET", "/api/v1/complaints?open=true", None)
        .await;
    assert_eq!(still_open, json!([]));

    // The command line: a second complaint decided and noted by the office, the
    // lab refused; the list says what happened.
    let blob_dir = tempfile::tempdir()?;
    let (_, second) = open(
        store.as_ref(),
        &Blobs::new(blob_dir.path().to_owned()),
        &Actor::system("pece"),
        Opener::Staff(Role::CustomerService),
        About {
            order: seeded.delivered,
            reason: "Povolený pant",
            lines: &[seeded.frame.id.as_uuid()],
            photos: &[],
        },
    )
    .await
    .unwrap();
    assert_eq!(second, "R7100000001-2");
    let as_ =
        |role: Role| async move |_: &str| Ok::<_, anyhow::Error>((Actor::system("cli"), role));
    let decide = || ComplaintCommand::Decide {
        number: second.clone(),
        decision: "repair".into(),
        reason: String::new(),
        by: "x".into(),
    };
    let e = run(dyn_store.as_ref(), decide(), as_(Role::Lab))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not decided"), "{e}");
    let out = run(dyn_store.as_ref(), decide(), as_(Role::Office)).await?;
    assert_eq!(out, "R7100000001-2\trepair\n");
    let note = ComplaintCommand::Note {
        number: second.clone(),
        body: "Hotovo.".into(),
        by: "x".into(),
    };
    run(dyn_store.as_ref(), note, as_(Role::Office)).await?;
    let list = ComplaintCommand::List {
        open: false,
        order: Some("7100000001".into()),
        limit: 10,
    };
    let out = run(dyn_store.as_ref(), list, as_(Role::Office)).await?;
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.contains("R7100000001-1\t7100000001\tJana Nováková") && out.contains("repair"),
        "{out}"
    );
    let missing = ComplaintCommand::Note {
        number: "R1-1".into(),
        body: "x".into(),
        by: "x".into(),
    };
    assert!(
        run(dyn_store.as_ref(), missing, as_(Role::Office))
            .await
            .is_err()
    );
    hub.stop().await?;
    Ok(())
}
