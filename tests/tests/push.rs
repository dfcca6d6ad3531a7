//! Push to advisers' phones (issue 15, slice 2), on SQLite and PostgreSQL, with the
//! production FCM client against a fake FCM and a fake token endpoint on loopback:
//! an order's status change pushes each of its adviser's phones once ("sync now"
//! data and a visible notification rendered from the template), the access token
//! is bought once with a signed grant and kept; FCM's 503 with `Retry-After` is
//! tried again no sooner and sends no duplicate; a phone FCM calls `UNREGISTERED`
//! loses its token (a revoked phone and one without a token get nothing); a
//! push template without its title is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::care::dispatch::{Channels, plan_once, send_once};
use fieldcase_server::care::edit::{EditError, set_template};
use fieldcase_server::care::rules::{Channel, ORDER_STATUS};
use fieldcase_server::config::Config;
use fieldcase_server::integrations::fcm::Fcm;
use fieldcase_server::store::{Actor, CareStore, FieldStore, OrderRow, OrderStore, SqlStore};
use fieldcase_shared::{Lang, Money, OrderId, OrderStatus, Role};
use fieldcase_tests::fake_fcm::FakeFcm;
use time::{Duration, OffsetDateTime};

fieldcase_tests::conformance!(a_status_change_pushes_the_advisers_phones);

async fn a_status_change_pushes_the_advisers_phones(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let office = Actor::system("kancelář");
    let network = fieldcase_tests::small_network(store.as_ref(), 2).await?;
    let (adviser, other) = (network.advisers[0], network.advisers[1]);

    // A push's title is required.
    let e = set_template(
        store.as_ref(),
        &office,
        Role::Office,
        Channel::Push,
        Lang::Cs,
        "",
        "Zakázka {order_vs}",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, EditError::Invalid(f) if f.iter().any(|f| f.field == "subject")),
        "{e:?}"
    );
    fieldcase_tests::notify_on(
        store.as_ref(),
        &office,
        &[(
            ORDER_STATUS,
            "",
            Channel::Push,
            "Zakázka {order_vs}: {status}",
            "{customer_name}: {status}",
        )],
    )
    .await?;

    // The adviser has two phones with tokens, a revoked one and one that never
    // registered; the other adviser's phone must not hear of this order.
    let phone = |adviser, name, token| {
        fieldcase_tests::enrol_phone(store.as_ref(), &network.office, adviser, name, token)
    };
    let pixel = phone(adviser, "pixel", "fcm-pixel").await?;
    let samsung = phone(adviser, "samsung", "fcm-samsung").await?;
    let revoked = phone(adviser, "old", "fcm-old").await?;
    phone(adviser, "silent", "").await?;
    phone(other, "elsewhere", "fcm-elsewhere").await?;
    store.revoke_device(&network.office, revoked).await?;

    let client =
        fieldcase_tests::project_client(store.as_ref(), adviser, "Jana", "Nováková").await?;
    let now = OffsetDateTime::now_utc();
    let order = OrderRow {
        id: OrderId::new(),
        variable_symbol: "2026000201".into(),
        client,
        adviser: Some(adviser),
        shop: None,
        prescription: None,
        status: OrderStatus::InLab,
        total: Money::from_czk(4_500),
        deposit: Money::ZERO,
        created_at: now,
        updated_at: now,
    };
    store
        .insert_orders(std::slice::from_ref(&order), &[])
        .await?;
    store
        .set_order_status(
            &office,
            order.id,
            OrderStatus::InLab,
            OrderStatus::QualityCheck,
        )
        .await?;

    let config = Config::default();
    assert_eq!(
        plan_once(store.as_ref(), &config).await?,
        2,
        "one push per phone that can take one"
    );
    assert_eq!(plan_once(store.as_ref(), &config).await?, 0);

    // FCM is busy for the first: 503 with Retry-After 120 s.
    let fcm = FakeFcm::start().await;
    let dir = tempfile::tempdir()?;
    let account = fcm.service_account(dir.path());
    let channels = Channels {
        push: Some(Arc::new(Fcm::from_file(&fcm.url, &account)?)),
        ..Default::default()
    };
    fcm.fail_next(503, Some(120));
    let t0 = OffsetDateTime::now_utc();
    let first = send_once(store.as_ref(), &channels, t0).await?;
    assert_eq!((first.sent, first.retried, first.failed), (1, 1, 0));
    assert_eq!(
        send_once(store.as_ref(), &channels, t0 + Duration::minutes(1))
            .await?
            .sent,
        0,
        "not before the Retry-After"
    );
    let second = send_once(store.as_ref(), &channels, t0 + Duration::minutes(3)).await?;
    assert_eq!((second.sent, second.retried, second.failed), (1, 0, 0));
    assert_eq!(
        send_once(store.as_ref(), &channels, t0 + Duration::hours(1))
            .await?
            .sent,
        0
    );

    // Each phone once: the data message says sync, the notification is the template.
    let pushed = fcm.pushed();
    let mut tokens: Vec<&str> = pushed.iter().map(|p| p.token.as_str()).collect();
    tokens.sort_unstable();
    assert_eq!(tokens, ["fcm-pixel", "fcm-samsung"]);
    let qc = OrderStatus::QualityCheck.label(Lang::Cs);
    for p in &pushed {
        assert_eq!(p.kind, "sync");
        assert_eq!(p.data["order"], "2026000201");
        assert_eq!(p.title, format!("Zakázka 2026000201: {qc}"));
        assert_eq!(p.body, format!("Jana Nováková: {qc}"));
    }
    assert_eq!(fcm.grants(), 1, "the access token is kept between sends");
    let outbox = store.messages(Some(order.id), 10).await?;
    assert!(
        outbox
            .iter()
            .all(|m| m.state == "sent" && m.channel == "push"),
        "{outbox:?}"
    );

    // The Samsung's app was uninstalled: FCM says UNREGISTERED, its token is gone,
    // the Pixel still gets the next push.
    fcm.make_stale("fcm-samsung");
    store
        .set_order_status(
            &office,
            order.id,
            OrderStatus::QualityCheck,
            OrderStatus::ReadyForPickup,
        )
        .await?;
    assert_eq!(plan_once(store.as_ref(), &config).await?, 2);
    let third = send_once(store.as_ref(), &channels, t0 + Duration::hours(2)).await?;
    assert_eq!((third.sent, third.retried, third.failed), (1, 0, 1));
    assert_eq!(
        store.push_token(samsung).await?,
        None,
        "the dead token is forgotten"
    );
    assert!(store.push_token(pixel).await?.is_some());
    let failed = store.messages(Some(order.id), 10).await?;
    let dead = failed
        .iter()
        .find(|m| m.device == Some(samsung) && m.state == "failed")
        .expect("the Samsung's push failed");
    assert!(
        dead.last_error.contains("UNREGISTERED"),
        "{}",
        dead.last_error
    );
    assert_eq!(fcm.pushed().len(), 3);

    // The next change plans a push for the Pixel alone.
    store
        .set_order_status(
            &office,
            order.id,
            OrderStatus::ReadyForPickup,
            OrderStatus::Delivered,
        )
        .await?;
    assert_eq!(plan_once(store.as_ref(), &config).await?, 1);
    Ok(())
}
