//! Custom fields' definitions (issue 12, point 8) on SQLite and PostgreSQL: added
//! in form order per entity, a key used once per entity (another entity may reuse
//! it), withdrawn once and kept; a client's values survive the store's round trip;
//! the CLI lists, adds (administrators only; bad input names the option) and
//! withdraws.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::customers::cli::{CustomerCommand, run};
use fieldcase_server::customers::store::NewCustomField;
use fieldcase_server::store::{
    Actor, ClientRow, CustomFieldStore, CustomerStore, NetworkStore, NewUser, ProjectionStore,
    SqlStore, StoreError,
};
use fieldcase_shared::custom_field::{Entity, Kind};
use fieldcase_shared::{ClientId, Lang, Role};

fieldcase_tests::conformance!(definitions_are_kept_and_the_cli_edits_them);

fn new(entity: Entity, key: &str, kind: Kind) -> NewCustomField {
    NewCustomField {
        entity,
        key: key.into(),
        label_cs: format!("Pole {key}"),
        label_en: String::new(),
        kind,
        choices: if kind == Kind::Choice {
            vec!["a".into(), "b".into()]
        } else {
            Vec::new()
        },
        required: false,
    }
}

async fn definitions_are_kept_and_the_cli_edits_them(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = &network.office;
    let card = store
        .add_custom_field(office, &new(Entity::Customer, "karta", Kind::Choice))
        .await?;
    store
        .add_custom_field(office, &new(Entity::Customer, "od", Kind::Date))
        .await?;
    store
        .add_custom_field(office, &new(Entity::Order, "karta", Kind::Text))
        .await?;
    assert!(matches!(
        store
            .add_custom_field(office, &new(Entity::Customer, "karta", Kind::Text))
            .await,
        Err(StoreError::Duplicate { field: "key" })
    ));
    let all = store.custom_fields().await?;
    let of = |e: Entity| -> Vec<(String, i64)> {
        all.iter()
            .filter(|f| f.entity == e)
            .map(|f| (f.key.clone(), f.position))
            .collect()
    };
    assert_eq!(
        of(Entity::Customer),
        [("karta".to_owned(), 1), ("od".to_owned(), 2)]
    );
    assert_eq!(of(Entity::Order), [("karta".to_owned(), 1)]);
    assert_eq!(all[0].choices, ["a", "b"]);
    store.withdraw_custom_field(office, card).await?;
    assert!(matches!(
        store.withdraw_custom_field(office, card).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .custom_fields()
            .await?
            .iter()
            .any(|f| f.id == card && f.withdrawn_at.is_some())
    );

    // A client's values round-trip through SQL.
    let id = ClientId::new();
    store
        .insert_clients(
            &[ClientRow {
                id,
                adviser: None,
                first_name: "Eva".into(),
                last_name: "Polní".into(),
                phone: String::new(),
                email: String::new(),
                street: String::new(),
                city: String::new(),
                postal_code: String::new(),
                created_at: time::OffsetDateTime::now_utc(),
            }],
            &[],
        )
        .await?;
    let seen = store.customer_card(id).await?.unwrap().record();
    let mut with = seen.clone();
    with.custom.insert("od".into(), "2026-12-04".into());
    let changed = store
        .edit_own_customer(office, id, &seen, &with)
        .await?
        .unwrap();
    assert_eq!(changed, ["custom"]);
    assert_eq!(
        store
            .customer_card(id)
            .await?
            .unwrap()
            .custom
            .get("od")
            .map(String::as_str),
        Some("2026-12-04")
    );

    // The CLI: an administrator adds and withdraws; the office may not; bad input.
    let system = Actor::system("test");
    store
        .create_user(
            &system,
            &NewUser {
                email: "admin@example.cz".into(),
                name: "Admin".into(),
                password_hash: "x".into(),
                role: Role::Admin,
                shop: None,
                lang: Lang::Cs,
            },
        )
        .await?;
    let add = |by: &str, kind: &str, choices: &str| CustomerCommand::FieldAdd {
        entity: "order".into(),
        label: "Zdroj zakázky".into(),
        label_en: "Source".into(),
        key: String::new(),
        kind: kind.into(),
        choices: choices.into(),
        required: false,
        by: by.into(),
    };
    let refused = run(
        store.as_ref(),
        add("office@example.cz", "choice", "veletrh,web"),
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("administrator"), "{refused}");
    let bad = run(store.as_ref(), add("admin@example.cz", "choice", ""))
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("choices"), "{bad}");
    let id: uuid::Uuid = run(
        store.as_ref(),
        add("admin@example.cz", "choice", "veletrh, web"),
    )
    .await?
    .trim()
    .parse()?;
    let again = run(store.as_ref(), add("admin@example.cz", "choice", "veletrh"))
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("zdroj_zakazky is in use"),
        "{again}"
    );
    let list = run(store.as_ref(), CustomerCommand::Fields).await?;
    assert!(
        list.contains(&format!(
            "{id}\torder\tzdroj_zakazky\tchoice\tZdroj zakázky\tveletrh, web\t"
        )),
        "{list}"
    );
    run(
        store.as_ref(),
        CustomerCommand::FieldWithdraw {
            id,
            by: "admin@example.cz".into(),
        },
    )
    .await?;
    let list = run(store.as_ref(), CustomerCommand::Fields).await?;
    assert!(
        list.lines()
            .any(|l| l.starts_with(&id.to_string()) && l.ends_with("withdrawn")),
        "{list}"
    );
    Ok(())
}
