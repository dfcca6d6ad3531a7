//! Complaints (issue 15, slice 3), on SQLite and PostgreSQL, through the service
//! the pages and the public form use: opening one about a delivered order's items
//! with photos (kept in the blob store, read back), refusals that change nothing
//! (an order not handed over, no items, an item of another order, a file that is
//! not a photo, one too big, seven photos, a role that may not), the 30-day
//! deadline, deciding once (a rejection must say why), notes, and the events the
//! notifications tell the customer by (opened; decided with the decision and why).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::blobs::Blobs;
use fieldcase_server::complaints::rules::{DEADLINE_DAYS, Decision, MAX_PHOTO_BYTES, Via};
use fieldcase_server::complaints::store::ComplaintFilter;
use fieldcase_server::complaints::{About, ComplaintError, Opener, Upload, decide, note, open};
use fieldcase_server::store::{Actor, CareStore, ComplaintStore, SqlStore, Store};
use fieldcase_shared::{OrderId, Role};

fieldcase_tests::conformance!(
    complaints_are_opened_decided_and_told,
    complaints_over_the_api_and_the_command_line
);

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn complaints_are_opened_decided_and_told(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let fieldcase_tests::complaints::Seeded {
        delivered,
        in_lab,
        adviser: _,
        frame,
        lens,
        other,
    } = fieldcase_tests::complaints::seed(store.as_ref()).await?;
    let blob_dir = tempfile::tempdir()?;
    let blobs = Blobs::new(blob_dir.path().to_owned());
    let state: &dyn Store = store.as_ref();
    let staff = Actor::system("pece");
    let care = Opener::Staff(Role::CustomerService);
    let photo = |name: &str, bytes: &[u8]| Upload {
        name: name.into(),
        bytes: bytes.to_vec(),
    };
    let lines = [lens.id.as_uuid()];

    // Refusals change nothing.
    let refused = async |by: Opener,
                         order: OrderId,
                         reason: &str,
                         lines: &[uuid::Uuid],
                         photos: &[Upload]| {
        open(
            state,
            &blobs,
            &staff,
            by,
            About {
                order,
                lines,
                reason,
                photos,
            },
        )
        .await
        .expect_err("refused")
    };
    let cs = |e: &ComplaintError| e.text(fieldcase_shared::Lang::Cs);
    let field = |e: &ComplaintError| match e {
        ComplaintError::Invalid(f) => f[0].field.to_string(),
        other => format!("{other:?}"),
    };
    let e = refused(care, in_lab, "Škrábe", &[other.id.as_uuid()], &[]).await;
    assert!(matches!(e, ComplaintError::NotHandedOver), "{e:?}");
    let e = refused(care, delivered, "Škrábe", &[], &[]).await;
    assert_eq!(field(&e), "items");
    let e = refused(care, delivered, "Škrábe", &[other.id.as_uuid()], &[]).await;
    assert_eq!(field(&e), "items");
    let e = refused(care, delivered, "  ", &lines, &[]).await;
    assert_eq!(field(&e), "reason");
    let e = refused(
        care,
        delivered,
        "Škrábe",
        &lines,
        &[photo("a.pdf", b"%PDF-1.7")],
    )
    .await;
    assert!(cs(&e).contains("není fotka"), "{e:?}");
    let mut big = PNG.to_vec();
    big.resize(MAX_PHOTO_BYTES + 1, 0);
    let e = refused(care, delivered, "Škrábe", &lines, &[photo("big.png", &big)]).await;
    assert!(cs(&e).contains("8 MB"), "{e:?}");
    let seven: Vec<Upload> = (0..7).map(|i| photo(&format!("{i}.png"), PNG)).collect();
    let e = refused(care, delivered, "Škrábe", &lines, &seven).await;
    assert!(cs(&e).contains("šest"), "{e:?}");
    let e = refused(Opener::Staff(Role::Lab), delivered, "Škrábe", &lines, &[]).await;
    assert!(matches!(e, ComplaintError::Forbidden));
    let all = ComplaintFilter::default();
    assert!(store.complaints(all, 10).await?.is_empty());
    assert!(store.open_events(10).await?.is_empty());
    assert_eq!(
        std::fs::read_dir(blob_dir.path())
            .map(|d| d.count())
            .unwrap_or(0),
        0,
        "no photo kept"
    );

    // The customer opens one with a photo.
    let customer = Actor {
        user: None,
        label: "zákazník".into(),
        via: fieldcase_server::store::Via::Hub,
    };
    let (id, number) = open(
        state,
        &blobs,
        &customer,
        Opener::Customer,
        About {
            order: delivered,
            reason: " Škrábanec přes celou čočku. ",
            lines: &lines,
            photos: &[photo("scratch.png", PNG)],
        },
    )
    .await
    .unwrap();
    assert_eq!(number, "R7100000001-1");
    let c = store.complaint(id).await?.unwrap();
    assert_eq!(c.row.via(), Via::Customer);
    assert_eq!(c.row.reason, "Škrábanec přes celou čočku.");
    assert_eq!(
        c.items,
        vec![(lens.id.as_uuid(), "Čočka Essilor 1.6".to_owned())]
    );
    assert_eq!(
        c.row.deadline_at - c.row.opened_at,
        time::Duration::days(DEADLINE_DAYS)
    );
    assert_eq!(c.photos.len(), 1);
    assert_eq!(c.photos[0].content_type, "image/png");
    let kept = Blobs::new(blob_dir.path().to_owned())
        .get(c.photos[0].id)
        .await?;
    assert_eq!(kept.as_deref(), Some(PNG));
    assert_eq!(store.complaint_photo(c.photos[0].id).await?.unwrap().0, id);
    // A second complaint of the order gets the next number.
    let (second, number) = open(
        state,
        &blobs,
        &staff,
        care,
        About {
            order: delivered,
            reason: "Povolený pant",
            lines: &[frame.id.as_uuid()],
            photos: &[],
        },
    )
    .await
    .unwrap();
    assert_eq!(number, "R7100000001-2");
    let listed = store
        .complaints(
            ComplaintFilter {
                open_only: true,
                order: Some(delivered),
            },
            10,
        )
        .await?;
    assert_eq!(listed.len(), 2);

    // Deciding: a rejection must say why; a decision is made once.
    let e = decide(state, &staff, Role::CustomerService, id, "reject", " ")
        .await
        .unwrap_err();
    assert!(matches!(&e, ComplaintError::Invalid(f) if f[0].field == "decision_reason"));
    let e = decide(state, &staff, Role::Store, id, "repair", "")
        .await
        .unwrap_err();
    assert!(matches!(e, ComplaintError::Forbidden));
    let d = decide(
        state,
        &staff,
        Role::CustomerService,
        id,
        "remake",
        "Nová čočka do týdne.",
    )
    .await
    .unwrap();
    assert_eq!(d, Decision::Remake);
    let e = decide(state, &staff, Role::Office, id, "refund", "")
        .await
        .unwrap_err();
    assert!(matches!(e, ComplaintError::Decided));
    let c = store.complaint(id).await?.unwrap();
    assert_eq!(c.row.decision(), Some(Decision::Remake));
    assert_eq!(c.row.decision_reason, "Nová čočka do týdne.");
    let e = decide(
        state,
        &staff,
        Role::Office,
        uuid::Uuid::now_v7(),
        "repair",
        "",
    )
    .await
    .unwrap_err();
    assert!(matches!(e, ComplaintError::NotFound));
    // Open ones first.
    let listed = store.complaints(all, 10).await?;
    assert_eq!(
        listed.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![second, id]
    );
    let open_only = store
        .complaints(
            ComplaintFilter {
                open_only: true,
                order: None,
            },
            10,
        )
        .await?;
    assert_eq!(open_only.len(), 1);

    // Notes.
    assert!(matches!(
        note(state, &staff, Role::CustomerService, id, "").await,
        Err(ComplaintError::Invalid(_))
    ));
    note(
        state,
        &staff,
        Role::CustomerService,
        id,
        "Zákazník souhlasí.",
    )
    .await
    .unwrap();
    assert_eq!(
        store.complaint(id).await?.unwrap().notes[0].body,
        "Zákazník souhlasí."
    );

    // The events the customer is told by: two opened, one decided with the decision.
    let events = store.open_events(10).await?;
    let kinds: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| (e.kind.as_str(), e.status.as_str(), e.facts.detail.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("complaint_opened", "", "Škrábanec přes celou čočku."),
            ("complaint_opened", "", "Povolený pant"),
            ("complaint_decided", "remake", "Nová čočka do týdne."),
        ]
    );
    assert_eq!(events[2].facts.email, "jana@example.cz");
    let values = events[2].facts.values(fieldcase_shared::Lang::Cs);
    assert!(
        values.contains(&("status", "uznána — nové brýle".to_owned())),
        "{values:?}"
    );
    // The public page takes a few complaints an order from the customer, no more.
    for n in 2..=5 {
        let from_customer = open(
            state,
            &blobs,
            &customer,
            Opener::Customer,
            About {
                order: delivered,
                reason: &format!("Další vada {n}"),
                lines: &lines,
                photos: &[],
            },
        )
        .await;
        assert!(from_customer.is_ok(), "{from_customer:?}");
    }
    let e = refused(Opener::Customer, delivered, "Šestá", &lines, &[]).await;
    assert!(matches!(e, ComplaintError::TooMany), "{e:?}");
    Ok(())
}

async fn complaints_over_the_api_and_the_command_line(store: Arc<SqlStore>) -> anyhow::Result<()> {
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
            Some(json!({"decision": "refund", "reason": "Vracíme peníze."})),
        )
        .await;
    assert_eq!(got, StatusCode::NO_CONTENT, "{answer}");
    let (got, _) = api
        .call(care, "POST", &path, Some(json!({"decision": "repair"})))
        .await;
    assert_eq!(got, StatusCode::CONFLICT);
    let told = on_phone().await;
    assert_eq!(
        (told[0].decision.as_str(), told[0].decision_reason.as_str()),
        ("refund", "Vracíme peníze.")
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
        (json!("refund"), json!("Voláno."))
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
        out.contains("R7100000001-1\t7100000001\tJana Nováková") && out.contains("refund"),
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
