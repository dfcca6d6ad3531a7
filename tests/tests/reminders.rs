//! Reminders (issue 12, point 5) against a real hub and a phone: the office's rules
//! make an eye-exam reminder for a customer whose last prescription is older than
//! the rule's months, and a contact-lens reminder when the supply of an order runs
//! out; each becomes a task in the adviser's workspace once (a second run makes
//! nothing); the adviser snoozes one and finishes the other on the phone, and the
//! office's list shows both; a rule switched off makes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::customers::reminders::run;
use fieldcase_server::customers::store::reminders::ReminderState;
use fieldcase_server::store::{ClientRow, PrescriptionRow, Product, ProductKind};
use fieldcase_shared::docs::records::{LineRecord, OrderRecord};
use fieldcase_shared::reminder::{Rule, SNOOZE_DAYS};
use fieldcase_shared::{ClientId, Money, OrderId, PrescriptionId, ProductId};
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;
use fieldcase_tests::world::WAIT;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

fn customer(id: ClientId, adviser: fieldcase_shared::AdviserId, name: &str) -> ClientRow {
    ClientRow {
        id,
        adviser: Some(adviser),
        first_name: name.into(),
        last_name: "Připomínková".into(),
        phone: String::new(),
        email: String::new(),
        street: String::new(),
        city: "Jihlava".into(),
        postal_code: "586 01".into(),
        created_at: OffsetDateTime::now_utc() - Duration::days(1_000),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_reminders_reach_the_phone_and_what_the_adviser_does_comes_back() {
    let lenses = ProductId::new();
    let field = Field::start(&[Product {
        id: lenses,
        sku: "CL-30".into(),
        kind: ProductKind::ContactLens,
        name: "Měsíční čočky".into(),
        brand: "Acuvue".into(),
        colour: String::new(),
        size: String::new(),
        price: Money::from_czk(600),
        vat_bp: 2100,
        attrs: Default::default(),
    }])
    .await;
    let store = field.hub.store.clone();
    let today = OffsetDateTime::now_utc().date();
    // Eva's last prescription is 25 months old; Olga's 10 months.
    let (eva, olga) = (ClientId::new(), ClientId::new());
    let rx = |client, months_ago: i64| PrescriptionRow {
        id: PrescriptionId::new(),
        client,
        measured_by: "Optometrista".into(),
        measured_on: today - Duration::days(months_ago * 31),
        valid_until: today + Duration::days(30),
        data: serde_json::json!({}),
    };
    store
        .insert_clients(
            &[
                customer(eva, field.adviser, "Eva"),
                customer(olga, field.adviser, "Olga"),
            ],
            &[rx(eva, 25), rx(olga, 10)],
        )
        .await
        .unwrap();
    // The phone sells Olga two months' supply of lenses 55 days ago (offline).
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    let taken = (OffsetDateTime::now_utc() - Duration::days(55))
        .format(&Rfc3339)
        .unwrap();
    let order = OrderRecord {
        client: olga.to_string(),
        variable_symbol: "9000300001".into(),
        status: "intake".into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "contact_lens".into(),
            product: Some(lenses.to_string()),
            text: "Měsíční čočky".into(),
            quantity: 2,
            unit_price: 60_000,
            vat_bp: 2100,
            discount: 0,
        }],
        created_at: taken,
        ..Default::default()
    };
    let oid = OrderId::new();
    phone.take_order(oid, &order).await.unwrap();
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(oid).await.unwrap().is_some() }
    })
    .await
    .unwrap();

    // The run: Eva's eye exam (due five weeks ago) and Olga's lenses (in 5 days,
    // within the rule's 7 days ahead); Olga's exam is not due.
    let done = run(store.as_ref(), Some(&field.hub.state.sync), today)
        .await
        .unwrap();
    assert_eq!((done.made, done.pushed), (2, 2));
    let open = store
        .list_reminders(ReminderState::Open, 100)
        .await
        .unwrap();
    let of = |rule: Rule| open.iter().find(|r| r.rule == rule).cloned().unwrap();
    let (exam, supply) = (of(Rule::EyeExam), of(Rule::ContactLenses));
    assert_eq!((exam.client, supply.client), (eva, olga));
    assert!(exam.title.contains("Eva Připomínková"), "{}", exam.title);
    assert_eq!(
        supply.due_on,
        (OffsetDateTime::now_utc() - Duration::days(55)).date() + Duration::days(60)
    );
    assert!(exam.pushed_at.is_some() && supply.pushed_at.is_some());
    // Once only.
    let again = run(store.as_ref(), Some(&field.hub.state.sync), today)
        .await
        .unwrap();
    assert_eq!((again.made, again.pushed), (0, 0));

    // The phone has both tasks; the adviser snoozes the exam and finishes the lenses.
    eventually("the tasks on the phone", WAIT, || {
        let phone = &phone;
        async move { phone.visits().len() == 2 }
    })
    .await
    .unwrap();
    let tasks = phone.visits();
    let kind_of = |id: uuid::Uuid| {
        tasks
            .iter()
            .find(|(t, _)| *t == id.to_string())
            .map(|(_, v)| v.kind.clone())
    };
    assert_eq!(kind_of(exam.id).as_deref(), Some("exam_reminder"));
    assert_eq!(kind_of(supply.id).as_deref(), Some("lens_reminder"));
    phone
        .snooze_visit(&exam.id.to_string(), today)
        .await
        .unwrap();
    phone.complete_visit(&supply.id.to_string()).await.unwrap();
    let snoozed_to = (today + Duration::days(SNOOZE_DAYS)).to_string();
    eventually("the office sees what the adviser did", WAIT, || {
        let (store, snoozed_to) = (store.clone(), snoozed_to.clone());
        async move {
            let all = store.list_reminders(ReminderState::All, 100).await.unwrap();
            all.iter()
                .any(|r| r.id == exam.id && r.planned_for == snoozed_to && r.done_at.is_none())
                && all.iter().any(|r| r.id == supply.id && r.done_at.is_some())
        }
    })
    .await
    .unwrap();
    assert_eq!(
        store
            .list_reminders(ReminderState::Done, 100)
            .await
            .unwrap()
            .len(),
        1
    );

    // A rule switched off makes nothing: another customer with an old prescription.
    let mut rules = store.reminder_rules().await.unwrap();
    rules[0].active = false;
    store
        .set_reminder_rule(&field.office, &rules[0])
        .await
        .unwrap();
    let late = ClientId::new();
    store
        .insert_clients(&[customer(late, field.adviser, "Iva")], &[rx(late, 30)])
        .await
        .unwrap();
    assert_eq!(run(store.as_ref(), None, today).await.unwrap().made, 0);
    rules[0].active = true;
    store
        .set_reminder_rule(&field.office, &rules[0])
        .await
        .unwrap();
    assert_eq!(run(store.as_ref(), None, today).await.unwrap().made, 1);
    field.hub.stop().await.unwrap();
}
