//! Customer notifications (issue 15, slice 1), on SQLite and PostgreSQL, against
//! a real SMTP server on loopback (aiosmtpd) and a fake SMS gateway: a template
//! naming an unknown variable is refused (nothing saved); an order's status
//! change sends one e-mail (text and HTML, content checked) and one SMS; the
//! relay's "try again later" retries the e-mail once, with no duplicate; planning
//! and sending again sends nothing more; a customer who withdrew their consent
//! gets nothing (the outbox says why); the gateway's 429 is honoured.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::care::dispatch::{Channels, plan_once, send_once};
use fieldcase_server::care::edit::{EditError, set_template, set_trigger};
use fieldcase_server::care::rules::{Channel, ORDER_STATUS};
use fieldcase_server::config::Config;
use fieldcase_server::customers::store::{ConsentChannel, NewConsent};
use fieldcase_server::integrations::sms::SmsGateway;
use fieldcase_server::integrations::smtp::Mailer;
use fieldcase_server::store::{
    Actor, CareStore, CustomerStore, OrderRow, OrderStore, ProjectionBatch, ProjectionStore,
    SqlStore,
};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{AdviserId, ClientId, Lang, Money, OrderId, OrderStatus, Role};
use fieldcase_tests::fake_sms::{FakeSms, TOKEN};
use fieldcase_tests::smtp_sink::SmtpSink;
use time::{Duration, OffsetDateTime};

#[path = "notifications/campaigns.rs"]
mod campaigns;
#[path = "notifications/lang.rs"]
mod lang;
#[path = "notifications/reminders.rs"]
mod reminders;
use lang::a_customer_reads_their_language;
use reminders::reminders_and_rejections_are_told;

fieldcase_tests::conformance!(
    a_status_change_tells_the_customer,
    a_customer_reads_their_language,
    reminders_and_rejections_are_told,
);

/// Two orders of `adviser`'s customers (4,500 CZK, 1,000 paid) taken from
/// quality check to ready for pickup by `office`.
async fn ready_for_pickup(
    store: &SqlStore,
    office: &Actor,
    orders: [(&str, ClientId); 2],
    adviser: AdviserId,
) -> anyhow::Result<(OrderRow, OrderRow)> {
    let now = OffsetDateTime::now_utc();
    let [a, b] = orders.map(|(vs, client)| OrderRow {
        id: OrderId::new(),
        variable_symbol: vs.into(),
        client,
        adviser: Some(adviser),
        shop: None,
        prescription: None,
        status: OrderStatus::QualityCheck,
        total: Money::from_czk(4_500),
        deposit: Money::from_czk(1_000),
        created_at: now,
        updated_at: now,
    });
    store.insert_orders(&[a.clone(), b.clone()], &[]).await?;
    for o in [&a, &b] {
        store
            .set_order_status(
                office,
                o.id,
                OrderStatus::QualityCheck,
                OrderStatus::ReadyForPickup,
            )
            .await?;
    }
    Ok((a, b))
}

async fn a_status_change_tells_the_customer(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let office = Actor::system("kancelář");
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let adviser = network.advisers[0];

    // Templates: an unknown variable is refused, nothing saved.
    let e = set_template(
        store.as_ref(),
        &office,
        Role::Office,
        Channel::Email,
        Lang::Cs,
        "Zakázka {order_vs}",
        "Dobrý den {jmeno}",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, EditError::Invalid(f) if f.iter().any(|f| f.field == "body")),
        "{e:?}"
    );
    assert!(store.templates().await?.is_empty());
    let e = set_template(
        store.as_ref(),
        &office,
        Role::Lab,
        Channel::Sms,
        Lang::Cs,
        "",
        "x",
    )
    .await
    .unwrap_err();
    assert!(matches!(e, EditError::Forbidden));
    let pickup =
        |channel, subject, body| (ORDER_STATUS, "ready_for_pickup", channel, subject, body);
    fieldcase_tests::notify_on(
        store.as_ref(),
        &office,
        &[
            pickup(
                Channel::Email,
                "Zakázka {order_vs}: {status}",
                "Dobrý den, {customer_name},\n\nvaše brýle (zakázka {order_vs}) jsou ve stavu: {status}.\nZbývá zaplatit {left_to_pay}.\n\n{shop_name}",
            ),
            pickup(
                Channel::Sms,
                "",
                "Brýle {order_vs} jsou připraveny k vyzvednutí. {shop_name}",
            ),
        ],
    )
    .await?;

    // Two customers with an order each; the second withdrew both consents.
    let (jana, petr) = (ClientId::new(), ClientId::new());
    let client = |first: &str, last: &str, email: &str, phone: &str| ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
        phone: phone.into(),
        ..Default::default()
    };
    store
        .project(
            adviser,
            &ProjectionBatch {
                clients: vec![
                    (
                        jana,
                        client("Jana", "Nováková", "jana@example.cz", "603 123 456"),
                    ),
                    (
                        petr,
                        client("Petr", "Svoboda", "petr@example.cz", "604 000 111"),
                    ),
                ],
                ..Default::default()
            },
        )
        .await?;
    for channel in [ConsentChannel::Email, ConsentChannel::Sms] {
        store
            .add_consent(
                &office,
                petr,
                &NewConsent {
                    channel,
                    granted: false,
                    given_at: OffsetDateTime::now_utc() - Duration::hours(1),
                    place: "telefonát".into(),
                    evidence: String::new(),
                },
            )
            .await?;
    }
    let now = OffsetDateTime::now_utc();
    let (a, b) = ready_for_pickup(
        &store,
        &office,
        [("2026000101", jana), ("2026000102", petr)],
        adviser,
    )
    .await?;

    // Planned once: two messages each (the second customer's skipped, with why).
    let config = Config::default();
    assert_eq!(plan_once(store.as_ref(), &config).await?, 4);
    assert_eq!(
        plan_once(store.as_ref(), &config).await?,
        0,
        "planning again adds nothing"
    );
    let skipped = store.messages(Some(b.id), 10).await?;
    assert_eq!(skipped.len(), 2);
    assert!(
        skipped
            .iter()
            .all(|m| m.state == "skipped" && m.reason.contains("said no")),
        "{skipped:?}"
    );

    // The relay refuses the first e-mail for now; the gateway takes the SMS. (The
    // rounds run as if tomorrow morning: an SMS planned at night waits for 8:00.)
    let sink = SmtpSink::start(1)?;
    let sms = FakeSms::start().await;
    let channels = Channels {
        mail: Some(Mailer::new(&sink.url(), "Optika <zakaznici@example.cz>")?),
        sms: Some(SmsGateway::new(&sms.url, TOKEN)?),
        push: None,
        ..Default::default()
    };
    let prague = fieldcase_shared::calendar::prague_offset(now);
    let tomorrow = (now + Duration::days(1)).to_offset(prague).date();
    // Tomorrow at 10:00 in Prague: after any SMS's night, with the day ahead.
    let t0 = tomorrow
        .with_hms(10, 0, 0)?
        .assume_offset(prague)
        .to_offset(time::UtcOffset::UTC);
    let first = send_once(store.as_ref(), &channels, t0).await?;
    assert_eq!((first.sent, first.retried, first.failed), (1, 1, 0));
    assert!(sink.messages()?.is_empty());
    let waiting = store.messages(Some(a.id), 10).await?;
    let mail = waiting.iter().find(|m| m.channel == "email").unwrap();
    assert_eq!((mail.state.as_str(), mail.attempts), ("pending", 1));
    assert!(mail.last_error.contains("451"), "{}", mail.last_error);
    assert_eq!(
        send_once(store.as_ref(), &channels, t0).await?.sent,
        0,
        "not before its back-off"
    );
    let second = send_once(store.as_ref(), &channels, t0 + Duration::minutes(2)).await?;
    assert_eq!((second.sent, second.retried, second.failed), (1, 0, 0));

    // One e-mail, its text and HTML parts; one SMS.
    let mails = sink.messages()?;
    assert_eq!(mails.len(), 1);
    let parsed = mail_parser::MessageParser::default()
        .parse(&mails[0])
        .unwrap();
    let ready = OrderStatus::ReadyForPickup.label(Lang::Cs);
    assert_eq!(
        parsed.subject(),
        Some(format!("Zakázka 2026000101: {ready}").as_str())
    );
    let text = parsed.body_text(0).unwrap();
    assert!(text.contains("Dobrý den, Jana Nováková,"), "{text}");
    assert!(text.contains("Zbývá zaplatit 3 500,00 Kč."), "{text}");
    assert!(text.contains("Brno"), "the store's name: {text}");
    let html = parsed.body_html(0).unwrap();
    assert!(html.contains("<p>Dobrý den, Jana Nováková,</p>"), "{html}");
    assert_eq!(
        parsed
            .to()
            .and_then(|t| t.first())
            .and_then(|a| a.address()),
        Some("jana@example.cz")
    );
    assert_eq!(
        sms.sent(),
        [(
            "+420603123456".to_owned(),
            "Brýle 2026000101 jsou připraveny k vyzvednutí. Brno".to_owned()
        )]
    );

    // Nothing more, however often the job runs.
    assert_eq!(plan_once(store.as_ref(), &config).await?, 0);
    let later = send_once(store.as_ref(), &channels, t0 + Duration::hours(1)).await?;
    assert_eq!(later.sent + later.retried + later.failed, 0);
    assert_eq!(sink.messages()?.len(), 1);
    assert_eq!(sms.sent().len(), 1);
    let sent = store.messages(Some(a.id), 10).await?;
    assert!(sent.iter().all(|m| m.state == "sent"), "{sent:?}");

    // The gateway's 429 with Retry-After: tried again no sooner.
    store
        .set_order_status(
            &office,
            a.id,
            OrderStatus::ReadyForPickup,
            OrderStatus::Delivered,
        )
        .await?;
    set_trigger(
        store.as_ref(),
        &office,
        Role::Office,
        "",
        Channel::Sms,
        true,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(plan_once(store.as_ref(), &config).await?, 1);
    sms.fail_next(429, Some(600));
    let busy = send_once(store.as_ref(), &channels, t0).await?;
    assert_eq!(busy.retried, 1);
    assert_eq!(
        send_once(store.as_ref(), &channels, t0 + Duration::minutes(5))
            .await?
            .sent,
        0
    );
    assert_eq!(
        send_once(store.as_ref(), &channels, t0 + Duration::minutes(11))
            .await?
            .sent,
        1
    );
    assert_eq!(sms.sent().len(), 2);
    Ok(())
}
