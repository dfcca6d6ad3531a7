//! A customer's own language: the office sets it (an unknown customer is
//! NotFound), the card and its JSON show it, and their order's message uses the
//! English template while another customer's stays Czech; erasing the customer
//! forgets it.

use std::sync::Arc;

use fieldcase_server::care::dispatch::plan_once;
use fieldcase_server::care::edit::set_event_template;
use fieldcase_server::care::rules::{Channel, ORDER_STATUS};
use fieldcase_server::config::Config;
use fieldcase_server::store::{CareStore, CustomerStore, ErasureStore, SqlStore, StoreError};
use fieldcase_shared::{ClientId, Lang, Role};

pub async fn a_customer_reads_their_language(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = network.office.clone();
    let adviser = network.advisers[0];
    let anna = fieldcase_tests::customer_with_email(
        store.as_ref(),
        adviser,
        ("Anna", "Smith"),
        "anna@example.com",
    )
    .await?;
    let jana = fieldcase_tests::customer_with_email(
        store.as_ref(),
        adviser,
        ("Jana", "Nová"),
        "jana@example.cz",
    )
    .await?;
    let e = store
        .set_customer_lang(&office, ClientId::new(), Lang::En)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
    assert_eq!(store.customer_card(anna).await?.unwrap().lang, Lang::Cs);
    store.set_customer_lang(&office, anna, Lang::En).await?;
    assert_eq!(store.customer_card(anna).await?.unwrap().lang, Lang::En);

    fieldcase_tests::notify_on(
        store.as_ref(),
        &office,
        &[(
            ORDER_STATUS,
            "ready_for_pickup",
            Channel::Email,
            "Zakázka {order_vs} je připravena",
            "Dobrý den, {customer_name}.",
        )],
    )
    .await?;
    set_event_template(
        store.as_ref(),
        &office,
        Role::Office,
        ORDER_STATUS,
        Channel::Email,
        Lang::En,
        "Order {order_vs} is ready",
        "Hello {customer_name}.",
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (a, j) = super::ready_for_pickup(
        &store,
        &office,
        [("2026000201", anna), ("2026000202", jana)],
        adviser,
    )
    .await?;
    assert_eq!(plan_once(store.as_ref(), &Config::default()).await?, 2);
    let english = store.messages(Some(a.id), 5).await?;
    assert_eq!(english[0].subject, "Order 2026000201 is ready");
    assert_eq!(english[0].body, "Hello Anna Smith.");
    let czech = store.messages(Some(j.id), 5).await?;
    assert_eq!(czech[0].subject, "Zakázka 2026000202 je připravena");

    let scope = store.erasure_scope(anna).await?.unwrap();
    store.erase_customers(&office, &scope, "žádost").await?;
    assert_eq!(store.customer_card(anna).await?.unwrap().lang, Lang::Cs);
    Ok(())
}
