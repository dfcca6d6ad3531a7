//! Custom fields (issue 12, point 8) against a real hub and an adviser's phone (the
//! real device core), on SQLite and, with the hub on PostgreSQL, there too: an
//! administrator defines a choice and a date field of customers (others may not;
//! a bad definition or a key in use is refused); the phone gets them in its
//! catalog, and a client saved there with values reaches the office's card and
//! its search; the office changes a value and the phone gets it; a value that is
//! none of the choices is refused; a withdrawn field leaves the phone's forms and
//! its values stay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::customers::edit::{self, EditError};
use fieldcase_server::customers::fields::{Definition, FieldsError, add, withdraw};
use fieldcase_server::store::CustomerFilter;
use fieldcase_shared::custom_field::Entity;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, Role};
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;
use fieldcase_tests::world::WAIT;

fn def(label: &str, kind: &str, choices: &[&str]) -> Definition {
    Definition {
        entity: "customer".into(),
        label_cs: label.into(),
        label_en: format!("{label} (en)"),
        kind: kind.into(),
        choices: choices.iter().map(|c| (*c).to_owned()).collect(),
        ..Definition::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_field_goes_from_the_office_to_the_phone_and_back() {
    let field = Field::start(&[]).await;
    let (state, store) = (field.hub.state.clone(), field.hub.store.clone());
    let office = &field.office;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;

    // Only an administrator defines; bad definitions are refused, nothing added.
    let card = def("Věrnostní karta", "choice", &["zlatá", "stříbrná"]);
    assert!(matches!(
        add(&state, office, Role::Office, &card).await,
        Err(FieldsError::Forbidden)
    ));
    let Err(FieldsError::Invalid(problems)) =
        add(&state, office, Role::Admin, &def("Karta", "choice", &[])).await
    else {
        panic!("a choice field needs its choices");
    };
    assert_eq!(problems[0].field, "choices");
    assert!(store.custom_fields().await.unwrap().is_empty());
    let card_id = add(&state, office, Role::Admin, &card).await.unwrap();
    add(
        &state,
        office,
        Role::Admin,
        &def("Poslední kontrola", "date", &[]),
    )
    .await
    .unwrap();
    let Err(FieldsError::Invalid(taken)) = add(&state, office, Role::Admin, &card).await else {
        panic!("a key in use is refused");
    };
    assert_eq!(taken[0].field, "key");

    // The phone gets both, in order, with their labels.
    eventually("the fields on the phone", WAIT, || async {
        phone.custom_fields(Entity::Customer).len() == 2
    })
    .await
    .unwrap();
    let on_phone = phone.custom_fields(Entity::Customer);
    assert_eq!(
        on_phone.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(),
        ["vernostni_karta", "posledni_kontrola"]
    );
    assert_eq!(on_phone[0].choices, ["zlatá", "stříbrná"]);

    // A client saved on the phone with values reaches the office, searchable.
    let client = ClientId::new();
    let record = ClientRecord {
        first_name: "Vlasta".into(),
        last_name: "Polová".into(),
        created_at: "2026-12-04T10:00:00Z".into(),
        custom: [
            ("vernostni_karta".to_owned(), "zlatá".to_owned()),
            ("posledni_kontrola".to_owned(), "2026-11-20".to_owned()),
        ]
        .into(),
        ..ClientRecord::default()
    };
    phone.save_client(client, &record).await.unwrap();
    eventually("the values on the office's card", WAIT, || {
        let store = store.clone();
        async move {
            store.customer_card(client).await.unwrap().is_some_and(|c| {
                c.custom.get("vernostni_karta").map(String::as_str) == Some("zlatá")
            })
        }
    })
    .await
    .unwrap();
    // The search body is written right after the projection's transaction.
    eventually("the customer found by a custom value", WAIT, || {
        let store = store.clone();
        async move {
            let found = store
                .list_customers(&CustomerFilter {
                    text: "zlata polova".into(),
                    ..Default::default()
                })
                .await
                .unwrap();
            found.iter().map(|c| c.id).collect::<Vec<_>>() == vec![client]
        }
    })
    .await
    .unwrap();

    // The office changes a value (by the shared check); the phone gets it.
    let seen = store.customer_card(client).await.unwrap().unwrap().record();
    let mut wrong = seen.clone();
    wrong
        .custom
        .insert("vernostni_karta".into(), "bronzová".into());
    let Err(EditError::Invalid(problems)) =
        edit::edit(&state, office, client, &seen, wrong, true).await
    else {
        panic!("a value outside the choices is refused");
    };
    assert_eq!(problems[0].field, "custom.vernostni_karta");
    let mut silver = seen.clone();
    silver
        .custom
        .insert("vernostni_karta".into(), "stříbrná".into());
    silver
        .custom
        .insert("posledni_kontrola".into(), "1. 12. 2026".into());
    let changed = edit::edit(&state, office, client, &seen, silver, true)
        .await
        .unwrap();
    assert_eq!(changed, vec!["custom"]);
    let on_phone = |key: &str| {
        phone
            .clients()
            .into_iter()
            .find(|(id, _)| *id == client)
            .and_then(|(_, c)| c.custom.get(key).cloned())
            .unwrap_or_default()
    };
    eventually("the office's values on the phone", WAIT, || async {
        on_phone("vernostni_karta") == "stříbrná" && on_phone("posledni_kontrola") == "2026-12-01"
    })
    .await
    .unwrap();

    // Withdrawn: gone from the phone's forms; the value stays with the client.
    withdraw(&state, office, Role::Admin, card_id)
        .await
        .unwrap();
    eventually("the withdrawn field gone from the phone", WAIT, || async {
        phone.custom_fields(Entity::Customer).len() == 1
    })
    .await
    .unwrap();
    assert_eq!(on_phone("vernostni_karta"), "stříbrná");
    let card = store.customer_card(client).await.unwrap().unwrap();
    assert_eq!(
        card.custom.get("vernostni_karta").map(String::as_str),
        Some("stříbrná")
    );
    assert!(matches!(
        withdraw(&state, office, Role::Admin, card_id).await,
        Err(FieldsError::NotFound)
    ));

    // An order field: the phone's order carries its value to the office's card and
    // the order search.
    add(
        &state,
        office,
        Role::Admin,
        &Definition {
            entity: "order".into(),
            ..def("Zdroj zakázky", "choice", &["veletrh", "doporučení"])
        },
    )
    .await
    .unwrap();
    eventually("the order field on the phone", WAIT, || async {
        phone.custom_fields(Entity::Order).len() == 1
    })
    .await
    .unwrap();
    let order = fieldcase_shared::OrderId::new();
    phone
        .take_order(
            order,
            &fieldcase_shared::docs::records::OrderRecord {
                client: client.to_string(),
                variable_symbol: "9000100088".into(),
                status: "intake".into(),
                created_at: "2026-12-04T10:05:00Z".into(),
                lines: vec![fieldcase_shared::docs::records::LineRecord {
                    id: uuid::Uuid::now_v7().to_string(),
                    kind: "service".into(),
                    text: "Měření zraku".into(),
                    quantity: 1,
                    unit_price: 50_000,
                    vat_bp: 2100,
                    ..Default::default()
                }],
                custom: [("zdroj_zakazky".to_owned(), "veletrh".to_owned())].into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    eventually("the order's value on the office's card", WAIT, || {
        let store = store.clone();
        async move {
            store
                .order_card(order, Role::Office)
                .await
                .unwrap()
                .is_some_and(|c| {
                    c.custom.get("zdroj_zakazky").map(String::as_str) == Some("veletrh")
                })
        }
    })
    .await
    .unwrap();
    eventually("the order found by its custom value", WAIT, || {
        let store = store.clone();
        async move {
            let found = store
                .list_orders(&fieldcase_server::store::OrderFilter {
                    text: "veletrh".into(),
                    ..Default::default()
                })
                .await
                .unwrap();
            found.iter().map(|o| o.id).collect::<Vec<_>>() == vec![order]
        }
    })
    .await
    .unwrap();

    // The office changes the order's value: refused outside the choices; else the
    // card at once and the phone after its sync.
    use fieldcase_server::orders::custom::{CustomError, set};
    let value = |v: &str| [("zdroj_zakazky".to_owned(), v.to_owned())].into();
    assert!(matches!(
        set(&state, office, order, value("rádio")).await,
        Err(CustomError::Invalid(_))
    ));
    set(&state, office, order, value("doporučení"))
        .await
        .unwrap();
    let card = store
        .order_card(order, Role::Office)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        card.custom.get("zdroj_zakazky").map(String::as_str),
        Some("doporučení")
    );
    eventually("the office's order value on the phone", WAIT, || async {
        phone.orders().into_iter().any(|(id, o)| {
            id == order.to_string()
                && o.custom.get("zdroj_zakazky").map(String::as_str) == Some("doporučení")
        })
    })
    .await
    .unwrap();
    field.hub.stop().await.unwrap();
}
