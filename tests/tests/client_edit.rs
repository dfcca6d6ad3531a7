//! A client edited on two phones of one adviser (issue 12, point 1, the phone's
//! half of "no lost updates"): the form writes only the fields the adviser changed,
//! onto the record as it is now, so a change that synced in while the form was open
//! survives; the same field changed on both sides is refused with the field named,
//! nothing written. Through the device core and a real hub, into the office's SQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_shared::ClientId;
use fieldcase_shared::customer::Stale;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_keeps_what_synced_in_while_the_form_was_open() {
    let field = Field::start_with(&[], 1).await;
    let store = field.hub.store.clone();
    let adviser = field.advisers[0];
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let first = field.phone_of(adviser, &dirs[0], "Pixel").await;
    let second = field.phone_of(adviser, &dirs[1], "Galaxy").await;
    let client = ClientId::new();
    let record = |c: &fieldcase_device::Device| {
        c.clients()
            .into_iter()
            .find(|(id, _)| *id == client)
            .map(|(_, r)| r)
    };
    first
        .save_client(
            client,
            &ClientRecord {
                first_name: "Jana".into(),
                last_name: "Šimková".into(),
                city: "Plzeň".into(),
                created_at: "2026-12-04T09:00:00Z".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    eventually("the client on the second phone", WAIT, || async {
        record(&second).is_some()
    })
    .await
    .unwrap();

    // The form opens on the first phone; meanwhile the second phone adds the e-mail.
    let seen = record(&first).unwrap();
    let there = record(&second).unwrap();
    let mut with_email = there.clone();
    with_email.email = "jana@example.cz".into();
    assert_eq!(
        second
            .edit_client(client, &there, &with_email)
            .await
            .unwrap(),
        Ok(vec!["email"])
    );
    eventually("the e-mail on the first phone", WAIT, || async {
        record(&first).is_some_and(|r| r.email == "jana@example.cz")
    })
    .await
    .unwrap();

    // The first phone's form still shows no e-mail; it changes the town.
    let mut moved = seen.clone();
    moved.city = "Brno".into();
    assert_eq!(
        first.edit_client(client, &seen, &moved).await.unwrap(),
        Ok(vec!["city"])
    );
    let both = record(&first).unwrap();
    assert_eq!(
        (both.city.as_str(), both.email.as_str()),
        ("Brno", "jana@example.cz"),
        "the e-mail that synced in survives"
    );
    eventually(
        "both changes on the second phone and in the office",
        WAIT,
        || async {
            let card = store.customer_card(client).await.unwrap();
            record(&second).is_some_and(|r| r.city == "Brno" && r.email == "jana@example.cz")
                && card.is_some_and(|c| c.city == "Brno" && c.email == "jana@example.cz")
        },
    )
    .await
    .unwrap();

    // The same field changed on both sides: refused, named, nothing written.
    let seen = record(&first).unwrap();
    let mut second_phone = record(&second).unwrap();
    let before = second_phone.clone();
    second_phone.phone = "+420 777 888 999".into();
    second
        .edit_client(client, &before, &second_phone)
        .await
        .unwrap()
        .unwrap();
    eventually("the phone number on the first phone", WAIT, || async {
        record(&first).is_some_and(|r| r.phone == "+420 777 888 999")
    })
    .await
    .unwrap();
    let mut mine = seen.clone();
    mine.phone = "+420 604 000 111".into();
    mine.note = "volat odpoledne".into();
    let now = record(&first).unwrap();
    assert_eq!(
        first.edit_client(client, &seen, &mine).await.unwrap(),
        Err(Stale {
            fields: vec!["phone"]
        })
    );
    assert_eq!(record(&first).unwrap(), now, "nothing written");
}
