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
use fieldcase_server::complaints::{ComplaintError, Opener, Upload, decide, note, open};
use fieldcase_server::store::{
    Actor, CareStore, ComplaintStore, OrderLineRow, OrderRow, OrderStore, ProjectionBatch,
    ProjectionStore, SqlStore, Store,
};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, Money, OrderId, OrderLineId, OrderStatus, Role};
use time::OffsetDateTime;

fieldcase_tests::conformance!(complaints_are_opened_decided_and_told);

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn complaints_are_opened_decided_and_told(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let adviser = network.advisers[0];
    let client = ClientId::new();
    let record = ClientRecord {
        first_name: "Jana".into(),
        last_name: "Nováková".into(),
        email: "jana@example.cz".into(),
        ..Default::default()
    };
    store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![(client, record)],
                ..Default::default()
            },
        )
        .await?;
    let now = OffsetDateTime::now_utc();
    let order = |vs: &str, status| OrderRow {
        id: OrderId::new(),
        variable_symbol: vs.into(),
        client,
        adviser: Some(adviser),
        shop: None,
        prescription: None,
        status,
        total: Money::from_czk(9_000),
        deposit: Money::ZERO,
        created_at: now,
        updated_at: now,
    };
    let (delivered, in_lab) = (
        order("7100000001", OrderStatus::Delivered),
        order("7100000002", OrderStatus::InLab),
    );
    let line = |order: OrderId, position, text: &str| OrderLineRow {
        id: OrderLineId::new(),
        order,
        position,
        product: None,
        text: text.into(),
        quantity: 1,
        unit_price: Money::from_czk(4_500),
        vat_bp: 2_100,
        discount: Money::ZERO,
    };
    let (frame, lens, other) = (
        line(delivered.id, 1, "Obroučka Esprit"),
        line(delivered.id, 2, "Čočka Essilor 1.6"),
        line(in_lab.id, 1, "Obroučka Ray-Ban"),
    );
    store
        .insert_orders(
            &[delivered.clone(), in_lab.clone()],
            &[frame.clone(), lens.clone(), other.clone()],
        )
        .await?;
    store.close_open_events().await?;

    let blob_dir = tempfile::tempdir()?;
    let dir = blob_dir.path().to_owned();
    let dyn_store: Arc<dyn Store> = store.clone();
    let hub = fieldcase_tests::TestHub::start_with(dyn_store, move |c| c.blob_dir = dir).await?;
    let state = &hub.state;
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
        open(state, &staff, by, order, reason, lines, photos)
            .await
            .expect_err("refused")
    };
    let cs = |e: &ComplaintError| e.text(fieldcase_shared::Lang::Cs);
    let field = |e: &ComplaintError| match e {
        ComplaintError::Invalid(f) => f[0].field.to_string(),
        other => format!("{other:?}"),
    };
    let e = refused(care, in_lab.id, "Škrábe", &[other.id.as_uuid()], &[]).await;
    assert!(matches!(e, ComplaintError::NotHandedOver), "{e:?}");
    let e = refused(care, delivered.id, "Škrábe", &[], &[]).await;
    assert_eq!(field(&e), "items");
    let e = refused(care, delivered.id, "Škrábe", &[other.id.as_uuid()], &[]).await;
    assert_eq!(field(&e), "items");
    let e = refused(care, delivered.id, "  ", &lines, &[]).await;
    assert_eq!(field(&e), "reason");
    let e = refused(
        care,
        delivered.id,
        "Škrábe",
        &lines,
        &[photo("a.pdf", b"%PDF-1.7")],
    )
    .await;
    assert!(cs(&e).contains("není fotka"), "{e:?}");
    let mut big = PNG.to_vec();
    big.resize(MAX_PHOTO_BYTES + 1, 0);
    let e = refused(
        care,
        delivered.id,
        "Škrábe",
        &lines,
        &[photo("big.png", &big)],
    )
    .await;
    assert!(cs(&e).contains("8 MB"), "{e:?}");
    let seven: Vec<Upload> = (0..7).map(|i| photo(&format!("{i}.png"), PNG)).collect();
    let e = refused(care, delivered.id, "Škrábe", &lines, &seven).await;
    assert!(cs(&e).contains("šest"), "{e:?}");
    let e = refused(
        Opener::Staff(Role::Lab),
        delivered.id,
        "Škrábe",
        &lines,
        &[],
    )
    .await;
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
        &customer,
        Opener::Customer,
        delivered.id,
        " Škrábanec přes celou čočku. ",
        &lines,
        &[photo("scratch.png", PNG)],
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
        &staff,
        care,
        delivered.id,
        "Povolený pant",
        &[frame.id.as_uuid()],
        &[],
    )
    .await
    .unwrap();
    assert_eq!(number, "R7100000001-2");
    let listed = store
        .complaints(
            ComplaintFilter {
                open_only: true,
                order: Some(delivered.id),
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
    hub.stop().await?;
    Ok(())
}
