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

#[path = "complaints/api.rs"]
mod api;
use api::complaints_over_the_api_and_the_command_line;

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
    let (d, _) = decide(
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
    // The remake went to the lab as a task; a forward to accounting by hand; each
    // team finishes its own, once.
    use fieldcase_server::complaints::tasks::{finish, forward};
    use fieldcase_server::store::ComplaintTaskStore;
    let tasks = store.complaint_tasks(Some(id), None, 10).await?;
    assert_eq!(tasks.len(), 1);
    assert_eq!((tasks[0].team.as_str(), tasks[0].done_at), ("lab", None));
    let e = forward(state, &staff, Role::Lab, id, "accounting", "Vrátit zálohu")
        .await
        .unwrap_err();
    assert!(matches!(e, ComplaintError::Forbidden));
    let e = forward(state, &staff, Role::Office, id, "sklad", "Vrátit zálohu")
        .await
        .unwrap_err();
    assert!(matches!(e, ComplaintError::Invalid(_)), "{e:?}");
    let money = forward(
        state,
        &staff,
        Role::Office,
        id,
        "accounting",
        " Vrátit zálohu ",
    )
    .await
    .unwrap();
    let open_lab = store
        .complaint_tasks(
            None,
            Some(Some(fieldcase_server::complaints::tasks::Team::Lab)),
            10,
        )
        .await?;
    assert_eq!(open_lab.len(), 1);
    assert_eq!(
        store.complaint_tasks(None, Some(None), 10).await?.len(),
        2,
        "every team's open tasks"
    );
    let e = finish(state, &staff, Role::Lab, money).await.unwrap_err();
    assert!(
        matches!(e, ComplaintError::Forbidden),
        "accounting's task, not the lab's"
    );
    finish(state, &staff, Role::Accounting, money)
        .await
        .unwrap();
    let e = finish(state, &staff, Role::Accounting, money)
        .await
        .unwrap_err();
    assert!(matches!(e, ComplaintError::Store(_)), "done once: {e:?}");
    finish(state, &staff, Role::Lab, open_lab[0].id)
        .await
        .unwrap();
    assert!(
        store
            .complaint_tasks(None, Some(None), 10)
            .await?
            .is_empty()
    );
    let kept = store.complaint_tasks(Some(id), None, 10).await?;
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|t| t.done_at.is_some()));
    assert_eq!(kept[1].body, "Vrátit zálohu");
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
