//! The notifications' other events (issue 15, slice 1), on SQLite and PostgreSQL,
//! each written by a database trigger on the path that makes it: a bank payment
//! matched to an order e-mails its customer (the amount and what is left); an
//! order's commission accrual lines push the adviser's phone once, their sum;
//! a payout request rejected pushes it too. A channel that cannot reach whom an
//! event concerns is refused (commission by e-mail), nothing saved.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::care::dispatch::{Channels, plan_once, send_once};
use fieldcase_server::care::edit::{EditError, set_event_trigger};
use fieldcase_server::care::rules::{COMMISSION_ACCRUED, Channel, PAYMENT_MATCHED, PAYOUT_DECIDED};
use fieldcase_server::commission::store::payouts::PayoutStore;
use fieldcase_server::config::Config;
use fieldcase_server::integrations::fcm::Fcm;
use fieldcase_server::integrations::smtp::Mailer;
use fieldcase_server::store::{
    Actor, AdviserFilter, BankStore, CareStore, CommissionStore, FieldStore, NetworkStore, SqlStore,
};
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use fieldcase_shared::{Money, OrderStatus, Role};
use fieldcase_tests::fake_fcm::FakeFcm;
use fieldcase_tests::smtp_sink::SmtpSink;
use time::OffsetDateTime;

fieldcase_tests::conformance!(payments_commission_and_payouts_are_told);

async fn payments_commission_and_payouts_are_told(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let office = Actor::system("kancelář");
    let seeded = fieldcase_tests::bank::seed(
        &store,
        &[("9000300001", 4_500, 1_000, OrderStatus::Confirmed)],
    )
    .await?;
    let order = seeded.orders[0];
    store
        .execute_raw("UPDATE clients SET email = 'jana@example.cz'")
        .await?;
    let the_adviser = store
        .list_advisers(&AdviserFilter::default())
        .await?
        .into_iter()
        .next()
        .expect("the order's adviser");
    let adviser = the_adviser.id;

    // Commission by e-mail cannot reach the adviser: refused, nothing saved.
    let e = set_event_trigger(
        store.as_ref(),
        &office,
        Role::Office,
        COMMISSION_ACCRUED,
        "",
        Channel::Email,
        true,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, EditError::Invalid(f) if f.iter().any(|f| f.field == "channel")),
        "{e:?}"
    );
    assert!(store.triggers().await?.is_empty());
    fieldcase_tests::notify_on(
        store.as_ref(),
        &office,
        &[
            (
                PAYMENT_MATCHED,
                "",
                Channel::Email,
                "Platba k zakázce {order_vs}",
                "Dobrý den, {customer_name}, přijali jsme {amount}. Zbývá zaplatit {left_to_pay}.",
            ),
            (
                COMMISSION_ACCRUED,
                "",
                Channel::Push,
                "Provize {amount}",
                "Zakázka {order_vs}: {amount}",
            ),
            (
                PAYOUT_DECIDED,
                "",
                Channel::Push,
                "Výplata: {status}",
                "{adviser_name}, výplata {amount}: {status}",
            ),
        ],
    )
    .await?;

    // The adviser's phone.
    let network_office = store
        .list_users()
        .await?
        .into_iter()
        .find(|u| u.role == Role::Office)
        .expect("the office user");
    let office_user = Actor::user(&network_office);
    fieldcase_tests::enrol_phone(store.as_ref(), &office_user, adviser, "pixel", "fcm-events")
        .await?;

    // The bank pays 1,500 of the 3,500 left; the order's commission is two lines;
    // a payout the office asked for is rejected.
    let day = OffsetDateTime::now_utc().date();
    let statement = [fieldcase_tests::bank::pay(
        1,
        1_500,
        "CZK",
        "9000300001",
        day,
    )];
    let done = store
        .import_movements(&Actor::system("bank"), seeded.account, &statement)
        .await?;
    assert_eq!(done.matched + done.partial, 1);
    for (i, amount) in [(1, 30_000), (2, 12_000)] {
        store
            .add_commission_entry(
                &office,
                adviser,
                uuid::Uuid::now_v7(),
                &CommissionEntryRecord {
                    kind: "accrual".into(),
                    order: order.to_string(),
                    amount,
                    at: OffsetDateTime::now_utc()
                        .format(&time::format_description::well_known::Rfc3339)?,
                    note: format!("pravidlo {i}"),
                    ..Default::default()
                },
            )
            .await?;
    }
    let request = store
        .request_payout_in_office(&office_user, adviser, Money::from_czk(300), "")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    store
        .reject_payout(&office_user, request, "Chybí číslo účtu.")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    // One e-mail and two pushes (the commission's lines told once).
    assert_eq!(plan_once(store.as_ref(), &Config::default()).await?, 3);
    let sink = SmtpSink::start(0)?;
    let fcm = FakeFcm::start().await;
    let dir = tempfile::tempdir()?;
    let channels = Channels {
        mail: Some(Mailer::new(&sink.url(), "Optika <zakaznici@example.cz>")?),
        push: Some(Arc::new(Fcm::from_file(
            &fcm.url,
            &fcm.service_account(dir.path()),
        )?)),
        ..Default::default()
    };
    let round = send_once(store.as_ref(), &channels, OffsetDateTime::now_utc()).await?;
    assert_eq!((round.sent, round.retried, round.failed), (3, 0, 0));

    let mails = sink.messages()?;
    assert_eq!(mails.len(), 1);
    let parsed = mail_parser::MessageParser::default()
        .parse(&mails[0])
        .unwrap();
    assert_eq!(parsed.subject(), Some("Platba k zakázce 9000300001"));
    let text = parsed.body_text(0).unwrap();
    assert!(
        text.contains("přijali jsme 1 500,00 Kč. Zbývá zaplatit 2 000,00 Kč."),
        "{text}"
    );
    let mut pushes: Vec<(String, String)> = fcm
        .pushed()
        .into_iter()
        .map(|p| (p.title, p.body))
        .collect();
    pushes.sort();
    assert_eq!(
        pushes,
        [
            (
                "Provize 420,00 Kč".to_owned(),
                "Zakázka 9000300001: 420,00 Kč".to_owned()
            ),
            (
                "Výplata: zamítnuto".to_owned(),
                format!("{}, výplata 300,00 Kč: zamítnuto", the_adviser.name)
            ),
        ]
    );
    Ok(())
}
